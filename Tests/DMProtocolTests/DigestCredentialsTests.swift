import Testing

@testable import DMProtocol

@Suite("Credentials file")
struct DigestCredentialsTests {
    @Test("the documented example parses")
    func documentedExample() throws {
        let text = """
            # dmdissect server credentials
            com.example.dms  password=srvsecret  nonce=nonce1   # DM 1.2 server
            dms.example      secret=srvsecret
            "odd server #1"  secret="pa ss\\"word\\x00"  nonce=hex:00010203 nonce=base64:AAECAw==
            srv2 secret=base64:c2VjcmV0 auth-data=hex:CAFE

            """
        let (store, errors) = CredentialsFile.parse(text)
        #expect(errors.isEmpty)
        #expect(store.servers.map(\.serverID) == ["com.example.dms", "dms.example", "odd server #1", "srv2"])
        let dm12 = try #require(store.credentials(for: "com.example.dms"))
        #expect(dm12.secret == Array("srvsecret".utf8))
        #expect(dm12.nonces == [Array("nonce1".utf8)])
        #expect(dm12.line == 2)
        let odd = try #require(store.credentials(for: "odd server #1"))
        #expect(odd.secret == Array("pa ss\"word".utf8) + [0])
        #expect(odd.nonces == [[0, 1, 2, 3], [0, 1, 2, 3]])
        let srv2 = try #require(store.credentials(for: "srv2"))
        #expect(srv2.secret == Array("secret".utf8))
        #expect(srv2.authData == [0xCA, 0xFE])
    }

    @Test("a quoted value is literal text, even when it starts with hex:")
    func quotedPrefix() throws {
        let (store, errors) = CredentialsFile.parse("s secret=\"hex:41\"")
        #expect(errors.isEmpty)
        #expect(store.credentials(for: "s")?.secret == Array("hex:41".utf8))
    }

    @Test(
        "errors carry line and byte column, and other lines still load",
        arguments: [
            ("s nonce=x", 1, 1),
            ("s secret=a bogus", 1, 12),
            ("s secret=a color=blue", 1, 12),
            ("s secret=hex:123", 1, 3),
            ("s secret=base64:@@", 1, 3),
            ("s secret=\"open", 1, 10),
            ("s secret=\"\\q\"", 1, 11),
            ("s secret=\"\\x4\"", 1, 11),
            ("s secret=a password=b", 1, 12),
            ("s secret=a auth-data=1 auth-data=2", 1, 24),
            ("a=b secret=c", 1, 1),
            ("\"\" secret=c", 1, 1),
            ("ok secret=1\n  bad", 2, 3),
            ("ok secret=1\r\nok secret=2", 2, 1),
        ])
    func errors(text: String, line: Int, column: Int) throws {
        let (_, errors) = CredentialsFile.parse(text)
        let error = try #require(errors.first)
        #expect(errors.count == 1)
        #expect(error.kind == .malformedCredentials)
        #expect(error.line == line)
        #expect(error.column == column)
    }

    @Test("invalid UTF-8 is reported for its line only")
    func invalidUTF8() {
        let bytes = Array("good secret=1\n".utf8) + [0x62, 0xFF, 0x20] + Array("secret=2".utf8)
        let (store, errors) = CredentialsFile.parse(bytes)
        #expect(store.servers.map(\.serverID) == ["good"])
        #expect(errors.map(\.line) == [2])
    }

    @Test("blank, comment-only and empty input give an empty store")
    func empty() {
        for text in ["", "\n\n", "   # only a comment\n\t\n"] {
            let (store, errors) = CredentialsFile.parse(text)
            #expect(store.isEmpty)
            #expect(errors.isEmpty)
        }
    }

    @Test("a parsed file verifies the reference vectors")
    func verifiesVectors() {
        let (store, _) = CredentialsFile.parse(
            "com.example.dms password=srvsecret nonce=nonce1\ndms.example secret=srvsecret\n")
        let dm12 = DigestVerifier.verify(NotificationDecoder.decode(NotificationVectors.dm12), with: store)
        #expect(dm12 == .verified(DigestMatch(variant: .md5StoredNonce, serverID: "com.example.dms", nonceIndex: 0)))
        let dm20 = DigestVerifier.verify(NotificationDecoder.decode(NotificationVectors.dm20L12), with: store)
        #expect(dm20 == .verified(DigestMatch(variant: .sha256WithoutAuthData, serverID: "dms.example")))
    }
}
