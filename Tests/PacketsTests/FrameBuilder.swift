import Packets

/// Builds frames byte by byte for the decoder tests; checksums are computed unless overridden.
enum FrameBuilder {
    static let macA: [UInt8] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01]
    static let macB: [UInt8] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02]

    static func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
    static func be32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
    static func le32(_ value: UInt32) -> [UInt8] { be32(value).reversed() }

    /// Ethernet II with optional tags `(tpid, vid)`, outermost first.
    static func ethernet(type: UInt16, vlans: [(UInt16, UInt16)] = [], _ payload: [UInt8]) -> [UInt8] {
        var frame = macB + macA
        for (tpid, vid) in vlans { frame += be16(tpid) + be16(vid) }
        return frame + be16(type) + payload
    }

    /// Linux cooked v1.
    static func sll(type: UInt16, packetType: UInt16 = 0, _ payload: [UInt8]) -> [UInt8] {
        be16(packetType) + be16(1) + be16(6) + macA + [0, 0] + be16(type) + payload
    }

    /// Linux cooked v2.
    static func sll2(type: UInt16, interface: UInt32 = 3, packetType: UInt8 = 4, _ payload: [UInt8]) -> [UInt8] {
        be16(type) + [0, 0] + be32(interface) + be16(1) + [packetType, 6] + macA + [0, 0] + payload
    }

    static func ipv4Address(_ text: String) -> UInt32 {
        text.split(separator: ".").reduce(0) { $0 << 8 | UInt32($1)! }
    }

    /// IPv4 with a correct checksum unless `checksum` is given.
    static func ipv4(
        source: String = "10.0.0.1", destination: String = "10.0.0.2", protocolNumber: UInt8 = 6,
        identification: UInt16 = 0x1234, dontFragment: Bool = false, moreFragments: Bool = false,
        fragmentOffset: Int = 0, ttl: UInt8 = 64, options: [UInt8] = [], totalLength: Int? = nil,
        ihl: Int? = nil, checksum: UInt16? = nil, _ payload: [UInt8]
    ) -> [UInt8] {
        let headerLength = 20 + options.count
        let words = UInt8(ihl ?? headerLength / 4)
        let total = UInt16(totalLength ?? headerLength + payload.count)
        var flags = UInt16(fragmentOffset / 8)
        if dontFragment { flags |= 0x4000 }
        if moreFragments { flags |= 0x2000 }
        var header: [UInt8] = [0x40 | words, 0] + be16(total) + be16(identification) + be16(flags)
        header += [ttl, protocolNumber, 0, 0] + be32(ipv4Address(source)) + be32(ipv4Address(destination)) + options
        let sum = checksum ?? ~onesComplementSum(header)
        header[10] = UInt8(sum >> 8)
        header[11] = UInt8(sum & 0xFF)
        return header + payload
    }

    static func onesComplementSum(_ bytes: [UInt8]) -> UInt16 {
        var total: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            total += UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { total += UInt32(bytes[index]) << 8 }
        while total > 0xFFFF { total = (total & 0xFFFF) + (total >> 16) }
        return UInt16(total)
    }

    static let v6a: [UInt8] = [0xFD, 0x77] + [UInt8](repeating: 0, count: 13) + [1]
    static let v6b: [UInt8] = [0xFD, 0x77] + [UInt8](repeating: 0, count: 13) + [2]

    /// IPv6; `payload` includes any extension headers.
    static func ipv6(nextHeader: UInt8, payloadLength: Int? = nil, _ payload: [UInt8]) -> [UInt8] {
        [0x60, 0x00, 0x00, 0x00] + be16(UInt16(payloadLength ?? payload.count)) + [nextHeader, 64] + v6a + v6b + payload
    }

    /// A generic extension header `(length + 1) * 8` bytes long.
    static func extensionHeader(next: UInt8, length: UInt8 = 0) -> [UInt8] {
        [next, length] + [UInt8](repeating: 0, count: Int(length) * 8 + 6)
    }

    /// An IPv6 fragment header.
    static func fragmentHeader(next: UInt8, offset: Int, more: Bool, identification: UInt32) -> [UInt8] {
        [next, 0] + be16(UInt16(offset) | (more ? 1 : 0)) + be32(identification)
    }

    /// TCP; `options` are padded with zeros (EOL) to a multiple of 4.
    static func tcp(
        sourcePort: UInt16 = 51514, destinationPort: UInt16 = 80, sequence: UInt32 = 12345,
        acknowledgment: UInt32 = 678,
        flags: UInt8 = 0x12, window: UInt16 = 65483, options: [UInt8] = [], dataOffset: Int? = nil,
        _ payload: [UInt8] = []
    ) -> [UInt8] {
        var padded = options
        while padded.count % 4 != 0 { padded.append(0) }
        let words = UInt8(dataOffset ?? (20 + padded.count) / 4)
        return be16(sourcePort) + be16(destinationPort) + be32(sequence) + be32(acknowledgment)
            + [words << 4, flags] + be16(window) + [0xAB, 0xCD] + [0, 0] + padded + payload
    }

    /// The SYN-ACK options of the renderer example: mss 65495, sackOK, TS val 1 ecr 0, nop, wscale 7.
    static let synOptions: [UInt8] = [2, 4, 0xFF, 0xD7, 4, 2, 8, 10] + be32(1) + be32(0) + [1, 3, 3, 7]

    /// UDP with the right length unless `length` is given.
    static func udp(sourcePort: UInt16 = 5353, destinationPort: UInt16 = 5353, length: Int? = nil, _ payload: [UInt8])
        -> [UInt8]
    {
        be16(sourcePort) + be16(destinationPort) + be16(UInt16(length ?? 8 + payload.count)) + [0, 0] + payload
    }

    /// A common test frame: Ethernet / IPv4 / TCP SYN-ACK with options and `payload`.
    static func ethernetTCP(_ payload: [UInt8] = []) -> [UInt8] {
        ethernet(type: 0x0800, ipv4(tcp(options: synOptions, payload)))
    }
}

/// What a test keeps of a decoded packet (the packet itself is only valid inside the closure).
struct DecodedSnapshot {
    var link: LinkHeader
    var network: NetworkHeader
    var transport: TransportHeader
    var payload: [UInt8]
    var payloadLength: Int
    var isTruncated: Bool
    var isMalformed: Bool
    var reassembledFrom: [FrameNumber]
    var line: String = ""

    var tcp: TCPInfo? { if case .tcp(let info) = transport { info } else { nil } }
    var udp: UDPInfo? { if case .udp(let info) = transport { info } else { nil } }
    var ipv4: IPv4Info? { if case .ipv4(let info) = network { info } else { nil } }
    var ipv6: IPv6Info? { if case .ipv6(let info) = network { info } else { nil } }
    var fragment: FragmentInfo? { if case .fragment(let info) = transport { info } else { nil } }
}

extension PacketDecoder {
    /// Decodes `frame` and returns a snapshot; `original` defaults to the frame's length.
    mutating func snapshot(
        _ frame: [UInt8], linkType: LinkType = .ethernet, number: UInt64 = 1, seconds: Int64 = 0, original: Int? = nil,
        events: inout [PacketEvent]
    ) -> DecodedSnapshot {
        frame.withUnsafeBytes { bytes in
            decode(
                bytes, linkType: linkType, frame: FrameNumber(number),
                timestamp: Timestamp(seconds: seconds, nanoseconds: 0),
                originalLength: original ?? frame.count, events: &events
            ) { packet in
                DecodedSnapshot(
                    link: packet.link, network: packet.network, transport: packet.transport,
                    payload: Array(packet.payload),
                    payloadLength: packet.payloadLength, isTruncated: packet.isTruncated,
                    isMalformed: packet.isMalformed,
                    reassembledFrom: packet.reassembledFrom)
            }
        }
    }
}

/// Decodes one frame with a fresh decoder.
func decodeOnce(
    _ frame: [UInt8], linkType: LinkType = .ethernet, original: Int? = nil
) -> (DecodedSnapshot, [PacketEvent]) {
    var decoder = PacketDecoder()
    var events: [PacketEvent] = []
    let snapshot = decoder.snapshot(frame, linkType: linkType, original: original, events: &events)
    return (snapshot, events)
}

/// SplitMix64: a seeded generator so shuffles repeat exactly (a failure names its seed).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
