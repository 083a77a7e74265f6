import Analysis
import DMProtocol
import Foundation
import HTTP1
import Testing

/// The DM package decoder on every DM body that the HTTP stage extracts from the recorded sample
/// captures: the recording peers send well-formed A-dialect packages, so each must decode to the
/// kind its media type names, in dialect A, with no error. (Multipart Package#3 bodies are the
/// subject of issue 12 and are only required not to be mistaken for JSON.)
@Suite("DM decoding of recorded traffic")
struct RecordedDMPackageTests {
    /// Recorded A-dialect sessions whose peers behave (the dm-violation-* and CR captures are the
    /// rule checker's material).
    static var captures: [String] {
        HTTPGroundTruthTests.captures.filter { !$0.hasPrefix("dm-violation-") && !$0.contains("-cr-") }
            + ["http-loopback.pcap", "veth-ethernet.pcap", "ipv6-veth.pcap", "vlan-qinq.pcap"]
    }

    @Test("every DM body in the recorded sessions decodes cleanly", arguments: captures)
    func decodesRecordedBodies(capture: String) throws {
        var decoded = 0
        var problems: [String] = []
        func check(_ headers: HTTPHeaders, _ body: [UInt8], flags: HTTPMessageFlags, frame: UInt64) {
            guard let type = headers.first("Content-Type"), type.hasPrefix("application/vnd.oma.dm."),
                flags.isDisjoint(with: [.gap, .truncated, .bodySkipped])
            else { return }
            let fields = headers.map { (name: $0.name, value: $0.value) }
            let result = body.withUnsafeBytes { PackageDecoder.decode(contentType: type, headers: fields, body: $0) }
            decoded += 1
            let errors = result.issues.filter { $0.severity == .error }
            if result.package == nil || !errors.isEmpty || result.kindSource != .mediaType {
                problems.append("frame \(frame) \(type): \(errors.map(\.message))")
            }
            if let package = result.package, package.dialect != .a {
                problems.append("frame \(frame): dialect \(package.dialect), expected A")
            }
        }
        let run = CaptureRun()
        try run.run(
            files: [HTTPGroundTruthTests.samples.appendingPathComponent(capture).path], onPacket: { _, _ in },
            onExchange: { exchange in
                if let request = exchange.request {
                    check(request.head.headers, request.body, flags: request.flags, frame: request.lastFrame.rawValue)
                }
                if let response = exchange.response {
                    check(response.head.headers, response.body, flags: response.flags, frame: response.lastFrame.rawValue)
                }
            })
        #expect(decoded >= 2, "\(capture): only \(decoded) DM bodies")
        #expect(problems.isEmpty, "\(capture): \(problems)")
    }
}
