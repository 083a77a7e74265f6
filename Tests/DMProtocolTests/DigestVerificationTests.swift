import Testing

@testable import DMProtocol

@Suite("Digest verification")
struct DigestVerificationTests {
    static let dm12Server = ServerCredentials(
        serverID: "com.example.dms", secret: Array("srvsecret".utf8), nonces: [Array("nonce1".utf8)])
    static let dm20Server = ServerCredentials(serverID: "dms.example", secret: Array("srvsecret".utf8))

    @Test("§2.1 intermediate values: B64(MD5(id:password)) and B64(MD5(trigger))")
    func intermediates() {
        let credential = DigestBase64.encode(DigestVerifier.md5(Array("com.example.dms:srvsecret".utf8)))
        #expect(NotificationVectors.text(credential) == "0YyaUGldEgINYYBLUCW/aA==")
        let trigger = Array(NotificationVectors.dm12[16...])
        #expect(
            NotificationVectors.text(DigestBase64.encode(DigestVerifier.md5(trigger))) == "UHoYkZ/Uxxh1qrz84E+BEA==")
    }

    @Test("§2.1 digests: stored nonce, text resync nonce, zero-byte resync nonce, version 12")
    func dm12Digests() {
        let serverID = Array("com.example.dms".utf8)
        let password = Array("srvsecret".utf8)
        let trigger = Array(NotificationVectors.dm12[16...])
        let digest = { (nonce: [UInt8], trigger: [UInt8]) in
            DigestVerifier.dm12Digest(serverID: serverID, password: password, nonce: nonce, trigger: trigger)
        }
        #expect(digest(Array("nonce1".utf8), trigger) == NotificationVectors.hex("6d9eadb09bc12c1b58513432ec0bcb89"))
        #expect(
            digest(DigestVerifier.resyncNonceText, trigger)
                == NotificationVectors.hex("924cdc672f1849055c87bd8cfbeadbf4"))
        #expect(
            digest(DigestVerifier.resyncNonceZeroBytes, trigger)
                == NotificationVectors.hex("a6665bf23cbd1e825ff9274435f4617c"))
        let trigger12 = Array(NotificationVectors.dm12Version12[16...])
        #expect(digest(Array("nonce1".utf8), trigger12) == NotificationVectors.hex("749d518e8aaaf10392e3ccf364f7fece"))
    }

    @Test(
        "DM 1.2 verification reports which nonce variant matched",
        arguments: [
            ("6d9eadb09bc12c1b58513432ec0bcb89", DigestVariant.md5StoredNonce),
            ("924cdc672f1849055c87bd8cfbeadbf4", DigestVariant.md5ResyncNonceText),
            ("a6665bf23cbd1e825ff9274435f4617c", DigestVariant.md5ResyncNonceZeroBytes),
        ])
    func dm12Variants(digestHex: String, variant: DigestVariant) {
        let bytes = NotificationVectors.hex(digestHex) + NotificationVectors.dm12[16...]
        let notification = NotificationDecoder.decode(bytes)
        let result = DigestVerifier.verify(notification, with: CredentialStore([Self.dm12Server]))
        #expect(
            result
                == .verified(
                    DigestMatch(
                        variant: variant, serverID: "com.example.dms", nonceIndex: variant == .md5StoredNonce ? 0 : nil)
                ))
    }

    @Test("DM 1.2 version 12 vector verifies with the stored nonce")
    func dm12Version12() {
        let notification = NotificationDecoder.decode(NotificationVectors.dm12Version12)
        let result = DigestVerifier.verify(notification, with: CredentialStore([Self.dm12Server]))
        #expect(result == .verified(DigestMatch(variant: .md5StoredNonce, serverID: "com.example.dms", nonceIndex: 0)))
    }

    @Test("DM 1.2: a second stored nonce, a wrong password, and no credentials")
    func dm12Outcomes() {
        let notification = NotificationDecoder.decode(NotificationVectors.dm12)
        var two = Self.dm12Server
        two.nonces = [Array("old".utf8), Array("nonce1".utf8)]
        #expect(
            DigestVerifier.verify(notification, with: CredentialStore([two]))
                == .verified(DigestMatch(variant: .md5StoredNonce, serverID: "com.example.dms", nonceIndex: 1)))
        var wrong = Self.dm12Server
        wrong.secret = Array("nope".utf8)
        #expect(
            DigestVerifier.verify(notification, with: CredentialStore([wrong]))
                == .mismatch(
                    serverID: "com.example.dms",
                    tried: [.md5StoredNonce, .md5ResyncNonceText, .md5ResyncNonceZeroBytes]))
        #expect(
            DigestVerifier.verify(notification, with: CredentialStore([Self.dm20Server]))
                == .noCredentials(serverID: "com.example.dms"))
    }

    @Test("§2.3.4 DM 2.0 L12 and L4X digests verify: SHA-256(secret ‖ zeroed message)")
    func dm20Examples() {
        let store = CredentialStore([Self.dm20Server])
        let l12 = NotificationDecoder.decode(NotificationVectors.dm20L12)
        #expect(
            DigestVerifier.verify(l12, with: store)
                == .verified(DigestMatch(variant: .sha256WithoutAuthData, serverID: "dms.example")))
        let l4x = NotificationDecoder.decode(NotificationVectors.dm20L4X, options: .init(framing: .l4x))
        #expect(
            DigestVerifier.verify(l4x, with: store)
                == .verified(DigestMatch(variant: .sha256WithoutAuthData, serverID: "dms.example")))
        var tampered = NotificationVectors.dm20L12
        tampered[5] ^= 0x20
        let bad = NotificationDecoder.decode(tampered)
        #expect(DigestVerifier.verify(bad, with: store) == .noCredentials(serverID: "dMs.example"))
        tampered = NotificationVectors.dm20L12
        tampered[21] = 0x99  // NOTIFICATION-ID changed
        #expect(
            DigestVerifier.verify(NotificationDecoder.decode(tampered), with: store)
                == .mismatch(serverID: "dms.example", tried: [.sha256WithoutAuthData]))
    }

    @Test("DM 2.0 with auth data: signed with it verifies as withAuthData; the reading without is tried second")
    func dm20AuthData() throws {
        let content = DM20NotificationContent(serverID: "srv", notificationID: 9, requestsMOs: true)
        let signed = try NotificationEncoder.encode(content, secret: Array("s3".utf8), authData: [1, 2, 3])
        let notification = NotificationDecoder.decode(signed)
        let withData = ServerCredentials(serverID: "srv", secret: Array("s3".utf8), authData: [1, 2, 3])
        #expect(
            DigestVerifier.verify(notification, with: CredentialStore([withData]))
                == .verified(DigestMatch(variant: .sha256WithAuthData, serverID: "srv")))
        let unsignedData = try NotificationEncoder.encode(content, secret: Array("s3".utf8))
        #expect(
            DigestVerifier.verify(NotificationDecoder.decode(unsignedData), with: CredentialStore([withData]))
                == .verified(DigestMatch(variant: .sha256WithoutAuthData, serverID: "srv")))
        let wrong = ServerCredentials(serverID: "srv", secret: Array("s4".utf8), authData: [1])
        #expect(
            DigestVerifier.verify(notification, with: CredentialStore([wrong]))
                == .mismatch(serverID: "srv", tried: [.sha256WithAuthData, .sha256WithoutAuthData]))
    }

    @Test("DM 2.0 without SERVER-ID tries every configured server")
    func dm20NoServerID() throws {
        let signed = try NotificationEncoder.encode(DM20NotificationContent(notificationID: 1), secret: Array("b".utf8))
        let notification = NotificationDecoder.decode(signed)
        #expect(notification.serverID == nil)
        let store = CredentialStore([
            ServerCredentials(serverID: "a", secret: Array("a".utf8)),
            ServerCredentials(serverID: "b", secret: Array("b".utf8)),
        ])
        #expect(
            DigestVerifier.verify(notification, with: store)
                == .verified(DigestMatch(variant: .sha256WithoutAuthData, serverID: "b")))
        #expect(DigestVerifier.verify(notification, with: CredentialStore()) == .noCredentials(serverID: nil))
    }

    @Test("formats without a known digest, and messages without one, are not verifiable")
    func notVerifiable() {
        let store = CredentialStore([Self.dm20Server])
        guard
            case .notVerifiable = DigestVerifier.verify(
                NotificationDecoder.decode(NotificationVectors.crL12), with: store)
        else {
            Issue.record("CR draft should not be verifiable")
            return
        }
        let noDigest = NotificationDecoder.decode(NotificationVectors.hex("2080 100b 646d732e6578616d706c65"))
        guard case .notVerifiable = DigestVerifier.verify(noDigest, with: store) else {
            Issue.record("a message without SHA256-DIGEST should not be verifiable")
            return
        }
        let short = NotificationDecoder.decode(Array(NotificationVectors.dm12[0..<30]), options: .init(format: .dm12))
        guard case .notVerifiable = DigestVerifier.verify(short, with: CredentialStore([Self.dm12Server])) else {
            Issue.record("a truncated DM 1.2 message should not be verifiable")
            return
        }
    }

    @Test("Base64 round trip and rejection")
    func base64() {
        for length in 0..<10 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
            #expect(DigestBase64.decode(DigestBase64.encode(bytes)) == bytes)
        }
        #expect(DigestBase64.decode(Array("A".utf8)) == nil)
        #expect(DigestBase64.decode(Array("AA=A".utf8)) == nil)
        #expect(DigestBase64.decode(Array("A*==".utf8)) == nil)
        #expect(DigestBase64.decode(Array("AQ".utf8)) == [1])
    }
}
