import Testing

@testable import TLS

@Suite("NSS key log parser")
struct KeyLogTests {
    static let random = String(repeating: "0a", count: 32)
    static let master = String(repeating: "11", count: 48)
    static let secret32 = String(repeating: "22", count: 32)

    static func parse(_ text: String) -> (KeyLog, [KeyLogIssue]) {
        var issues: [KeyLogIssue] = []
        let log = KeyLog(parsing: Array(text.utf8), source: "keys.log", issues: &issues)
        return (log, issues)
    }

    @Test("every used label, comments, blank lines, CRLF, tabs, upper- and lower-case hex")
    func wellFormed() throws {
        let text = """
            # written by curl

            CLIENT_RANDOM \(Self.random) \(Self.master)\r
            CLIENT_HANDSHAKE_TRAFFIC_SECRET\t\(Self.random.uppercased())\t\(Self.secret32)
            SERVER_HANDSHAKE_TRAFFIC_SECRET \(Self.random) \(Self.secret32)
            CLIENT_TRAFFIC_SECRET_0 \(Self.random) \(String(repeating: "33", count: 48))
            SERVER_TRAFFIC_SECRET_0 \(Self.random) \(Self.secret32)
            EXPORTER_SECRET \(Self.random) \(Self.secret32)
            CLIENT_EARLY_TRAFFIC_SECRET \(Self.random) \(Self.secret32)
            """
        let (log, issues) = Self.parse(text)
        #expect(issues.isEmpty)
        #expect(log.count == 1)
        let random = try #require(ClientRandom(hex(Self.random)))
        let secrets = try #require(log.secrets(for: random))
        #expect(secrets.masterSecret == hex(Self.master))
        #expect(secrets.clientHandshakeTrafficSecret == hex(Self.secret32))
        #expect(secrets.clientTrafficSecret0?.count == 48)
        #expect(secrets.serverTrafficSecret0 == hex(Self.secret32))
    }

    @Test(
        "a bad line is reported with file and line, never its content, and skipped",
        arguments: [
            ("CLIENT_RANDOM \(random)", "needs 3 fields"),
            ("CLIENT_RANDOM \(random) \(master) extra", "needs 3 fields"),
            ("CLIENT_RANDOM 0a0b \(master)", "client random"),
            ("CLIENT_RANDOM \(random) \(master.dropLast())", "not hex"),
            ("CLIENT_RANDOM \(random) zz\(master.dropFirst(2))", "not hex"),
            ("CLIENT_RANDOM \(random) \(secret32)", "32 bytes"),
            ("SERVER_TRAFFIC_SECRET_0 \(random) \(String(repeating: "44", count: 20))", "20 bytes"),
            ("hello world", "not a key log line"),
            ("client_random \(random) \(master)", "not a key log line"),
        ])
    func badLine(line: String, reason: String) throws {
        let (log, issues) = Self.parse("# header\n" + line + "\nCLIENT_RANDOM \(String(repeating: "0b", count: 32)) \(Self.master)\n")
        #expect(log.count == 1)
        let issue = try #require(issues.first)
        #expect(issues.count == 1)
        #expect(issue.line == 2)
        #expect(issue.source == "keys.log")
        #expect(issue.reason.contains(reason), "\(issue.reason)")
        #expect(!issue.description.contains(Self.master) && !issue.description.contains(Self.secret32))
        #expect(issue.description.hasPrefix("keys.log:2: "))
    }

    @Test("an over-long line is cut and reported, and parsing goes on")
    func overlongLine() {
        let (log, issues) = Self.parse(
            "CLIENT_RANDOM \(Self.random) " + String(repeating: "ab", count: 100_000) + "\nCLIENT_RANDOM \(String(repeating: "0c", count: 32)) \(Self.master)")
        #expect(issues.map(\.line) == [1])
        #expect(log.count == 1)
    }

    @Test("the first secret for a label wins; merging fills only what is missing")
    func firstWins() throws {
        let other = String(repeating: "99", count: 48)
        let (log, _) = Self.parse("CLIENT_RANDOM \(Self.random) \(Self.master)\nCLIENT_RANDOM \(Self.random) \(other)")
        let random = try #require(ClientRandom(hex(Self.random)))
        #expect(log.secrets(for: random)?.masterSecret == hex(Self.master))
        var merged = KeyLog()
        merged.merge(Self.parse("CLIENT_RANDOM \(Self.random) \(other)").0)
        merged.merge(log)
        #expect(merged.secrets(for: random)?.masterSecret == hex(other))
    }

    @Test("descriptions never show a secret")
    func descriptionsAreRedacted() {
        let (log, _) = Self.parse("CLIENT_RANDOM \(Self.random) \(Self.master)")
        #expect(log.description == "KeyLog(1 connections)")
        let secrets = ClientRandom(hex(Self.random)).flatMap { log.secrets(for: $0) }
        #expect(String(describing: secrets) == "Optional(ConnectionSecrets(CLIENT_RANDOM))")
        #expect(!String(reflecting: log).contains("1111"))
    }

    @Test("a pcapng secrets block is parsed the same way; the store counts matches")
    func secretsBlock() throws {
        let store = KeyStore()
        let issues = store.addSecretsBlock(Array("CLIENT_RANDOM \(Self.random) \(Self.master)\nbad line\n".utf8), source: "block 1")
        #expect(issues.map(\.description) == ["block 1:2: not a key log line (expected LABEL CLIENT_RANDOM SECRET)"])
        #expect(store.lookUp(try #require(ClientRandom(hex(Self.random)))) != nil)
        #expect(store.lookUp(try #require(ClientRandom([UInt8](repeating: 0, count: 32)))) == nil)
        #expect(store.connectionsSeen == 2 && store.connectionsMatched == 1)
    }
}
