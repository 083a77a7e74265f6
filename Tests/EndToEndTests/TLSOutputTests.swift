import Foundation
import Testing

/// Decrypted DM traffic in the outputs: the `tls` member of each package's `http` object, an https
/// absoluteURI, and the lock in the timeline; no key material anywhere.
@Suite("TLS in the outputs")
struct TLSOutputTests {
    static let capture = "SampleCaptures/tls-13-aes256gcm-keepalive.pcap"

    @Test("JSON: version, cipher suite, SNI; https URI; the key never appears")
    func json() throws {
        let result = try CLI.run(["--format", "json", "--tls-keylog", Self.capture + ".keylog", Self.capture])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let packages = ((document?["sessions"] as? [[String: Any]])?.first?["packages"] as? [[String: Any]]) ?? []
        #expect(!packages.isEmpty)
        for package in packages {
            let http = package["http"] as? [String: Any]
            let tls = http?["tls"] as? [String: Any]
            #expect(tls?["version"] as? String == "1.3")
            #expect(tls?["cipherSuite"] as? String == "TLS_AES_256_GCM_SHA384")
            #expect(tls?["sni"] as? String == "dms.example")
            #expect((http?["absoluteURI"] as? String)?.hasPrefix("https://") == true)
        }
        let keylog = try String(contentsOf: CLI.root.appendingPathComponent(Self.capture + ".keylog"), encoding: .utf8)
        for line in keylog.split(separator: "\n") {
            guard let secret = line.split(separator: " ").last, secret.count >= 32 else { continue }
            #expect(!result.stdout.lowercased().contains(secret.lowercased()))
        }
    }

    @Test("timeline: the lock on decrypted packages")
    func timeline() throws {
        let result = try CLI.run(["--tls-keylog", Self.capture + ".keylog", Self.capture])
        #expect(result.stdout.contains("P1     🔒 TLS 1.3, alert ClientInitiatedMgmt"))
    }
}
