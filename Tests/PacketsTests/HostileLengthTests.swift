import Packets
import Testing

/// Every prefix of a valid frame must decode without trapping. When the wire had the whole frame
/// (a snaplen cut), the result is exactly one truncation and nothing malformed; when the prefix is
/// all the wire had, the headers contradict the frame: malformed, never truncated.
@Suite("hostile lengths")
struct HostileLengthTests {
    typealias B = FrameBuilder

    static let samples: [(String, LinkType, [UInt8])] = [
        ("ethernet-ipv4-tcp", .ethernet, B.ethernetTCP([1, 2, 3, 4])),
        (
            "qinq-ipv4-udp", .ethernet,
            B.ethernet(
                type: 0x0800, vlans: [(0x88A8, 2), (0x8100, 3)],
                B.ipv4(protocolNumber: 17, B.udp([1, 2])))
        ),
        ("ipv4-options-tcp", .raw, B.ipv4(options: [148, 4, 0, 0], B.tcp(options: B.synOptions, [9]))),
        (
            "sll-ipv6-ext-tcp", .linuxSLL,
            B.sll(
                type: 0x86DD,
                B.ipv6(
                    nextHeader: 0,
                    B.extensionHeader(next: 60)
                        + B.extensionHeader(next: 6, length: 1) + B.tcp(options: B.synOptions, [5, 6])))
        ),
        ("sll2-ipv6-udp", .linuxSLL2, B.sll2(type: 0x86DD, B.ipv6(nextHeader: 17, B.udp([1])))),
        ("null-ipv4-icmp", .null, B.le32(2) + B.ipv4(protocolNumber: 1, [8, 0, 0, 0, 0, 1, 0, 1])),
        ("loop-ipv6-icmp", .loop, B.be32(24) + B.ipv6(nextHeader: 58, [128, 0, 0, 0, 1, 2])),
        (
            "ethernet-arp", .ethernet,
            B.ethernet(
                type: 0x0806,
                B.be16(1) + B.be16(0x0800) + [6, 4] + B.be16(2)
                    + B.macA + B.be32(1) + B.macB + B.be32(2))
        ),
    ]

    static var cases: [(String, Int)] {
        samples.flatMap { sample in (0..<sample.2.count).map { (sample.0, $0) } }
    }

    static func sample(_ name: String) -> (LinkType, [UInt8]) {
        let match = samples.first { $0.0 == name }
        return (match?.1 ?? .ethernet, match?.2 ?? [])
    }

    @Test func samplesDecodeCleanly() {
        for (name, linkType, frame) in Self.samples {
            let (packet, events) = decodeOnce(frame, linkType: linkType)
            #expect(events.isEmpty, "\(name)")
            #expect(!packet.isTruncated && !packet.isMalformed, "\(name)")
        }
    }

    @Test("snaplen cut: truncated once, never malformed", arguments: cases)
    func snaplenPrefix(name: String, length: Int) {
        let (linkType, frame) = Self.sample(name)
        var decoder = PacketDecoder()
        var events: [PacketEvent] = []
        let packet = decoder.snapshot(
            Array(frame.prefix(length)), linkType: linkType, original: frame.count, events: &events)
        #expect(packet.isTruncated)
        #expect(!packet.isMalformed)
        #expect(events.count == 1)
        if case .truncated(_, let needed, let available, let at) = events.first {
            #expect(needed > available)
            #expect(at.offset + available <= length)
        } else {
            Issue.record("expected a truncation event, got \(events)")
        }
        #expect(decoder.statistics.truncatedFrames == 1)
        #expect(decoder.statistics.malformedFrames == 0)
    }

    @Test("short on the wire: malformed, never truncated", arguments: cases)
    func wirePrefix(name: String, length: Int) {
        let (linkType, frame) = Self.sample(name)
        var decoder = PacketDecoder()
        var events: [PacketEvent] = []
        let packet = decoder.snapshot(Array(frame.prefix(length)), linkType: linkType, events: &events)
        #expect(!packet.isTruncated)
        #expect(packet.isMalformed)
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { $0.rule == "PKT-MALFORMED" })
        #expect(decoder.statistics.malformedFrames == 1)
    }

    @Test("random bytes never trap", arguments: 0..<300)
    func randomBytes(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed))
        let linkTypes: [LinkType] = [.ethernet, .linuxSLL, .linuxSLL2, .null, .loop, .raw, .ipv4, .ipv6]
        let linkType = linkTypes[Int(rng.next() % UInt64(linkTypes.count))]
        // Start from a valid frame and corrupt a few bytes, so decoding gets deep.
        var frame = Self.samples[Int(rng.next() % UInt64(Self.samples.count))].2
        for _ in 0..<(1 + rng.next() % 6) where !frame.isEmpty {
            frame[Int(rng.next() % UInt64(frame.count))] = UInt8(truncatingIfNeeded: rng.next())
        }
        frame = Array(frame.prefix(Int(rng.next() % UInt64(frame.count + 1))))
        var decoder = PacketDecoder()
        var events: [PacketEvent] = []
        let original = frame.count + Int(rng.next() % 3) * 20
        _ = decoder.snapshot(frame, linkType: linkType, original: original, events: &events)
        #expect(events.filter { $0.rule == "PKT-TRUNC" }.count <= 1)
    }
}
