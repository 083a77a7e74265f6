import Packets
import Testing

@Suite("IPv4 and IPv6")
struct NetworkLayerTests {
    typealias B = FrameBuilder
    static let frame1 = FrameNumber(1)

    @Test func ipv4Fields() throws {
        let (packet, events) = decodeOnce(B.ethernet(type: 0x0800, B.ipv4(dontFragment: true, ttl: 61, B.tcp())))
        #expect(events.isEmpty)
        let ip = try #require(packet.ipv4)
        #expect(ip.source.description == "10.0.0.1")
        #expect(ip.destination.description == "10.0.0.2")
        #expect(ip.ttl == 61)
        #expect(ip.identification == 0x1234)
        #expect(ip.dontFragment && !ip.moreFragments && ip.fragmentOffset == 0)
        #expect(ip.headerLength == 20 && ip.totalLength == 40)
        #expect(ip.protocolNumber == .tcp)
        #expect(ip.checksumValid)
        #expect(ip.optionsRange == 20..<20)
        #expect(ip.options.isEmpty)
    }

    @Test func ipv4Options() throws {
        // Router alert (148, len 4), NOP, record route (7, len 7, pointer 4, one empty slot), EOL.
        let options: [UInt8] = [148, 4, 0, 0, 1, 7, 7, 4, 0, 0, 0, 0, 0, 0, 0, 0]
        let (packet, events) = decodeOnce(
            B.ethernet(
                type: 0x0800,
                B.ipv4(
                    protocolNumber: 17, options: options,
                    B.udp([9]))))
        #expect(events.isEmpty)
        let ip = try #require(packet.ipv4)
        #expect(ip.headerLength == 36)
        #expect(ip.optionsRange == 20..<36)
        #expect(ip.options == [.routerAlert, .noOperation, .recordRoute, .endOfList])
        #expect(packet.payload == [9])
    }

    @Test func badIPv4ChecksumIsReportedNotEnforced() throws {
        let good = B.ipv4(B.tcp())
        let found: UInt16 = 0xBEEF
        let (packet, events) = decodeOnce(B.ethernet(type: 0x0800, B.ipv4(checksum: found, B.tcp())))
        let expected = UInt16(good[10]) << 8 | UInt16(good[11])
        #expect(
            events == [.badIPv4Checksum(expected: expected, found: found, at: Location(frame: Self.frame1, offset: 24))]
        )
        #expect(packet.ipv4?.checksumValid == false)
        #expect(packet.tcp != nil)
        #expect(!packet.isMalformed)
    }

    @Test func ethernetPaddingIsTrimmed() {
        // 40-byte IP datagram in a 60-byte frame: 6 bytes of padding must not become payload.
        let frame = B.ethernet(type: 0x0800, B.ipv4(B.tcp(flags: 0x10))) + [UInt8](repeating: 0xEE, count: 6)
        let (packet, events) = decodeOnce(frame)
        #expect(events.isEmpty)
        #expect(packet.payload.isEmpty)
        #expect(packet.payloadLength == 0)
    }

    @Test(arguments: [0, 4, 8, 16])
    func ihlBelowFiveIsMalformed(headerLength: Int) {
        let (packet, events) = decodeOnce(B.ethernet(type: 0x0800, B.ipv4(ihl: headerLength / 4, B.tcp())))
        #expect(packet.isMalformed && !packet.isTruncated)
        #expect(
            events.contains(
                .malformed(
                    .ipv4, .headerLengthTooSmall(headerLength, minimum: 20),
                    at: Location(frame: Self.frame1, offset: 14))))
        #expect(packet.transport == .none)
    }

    @Test(arguments: [0, 10, 19])
    func totalLengthBelowHeaderIsMalformed(total: Int) {
        let (packet, events) = decodeOnce(B.ethernet(type: 0x0800, B.ipv4(totalLength: total, B.tcp())))
        #expect(
            events.contains(
                .malformed(
                    .ipv4, .totalLengthBelowHeader(totalLength: total, headerLength: 20),
                    at: Location(frame: Self.frame1, offset: 16))))
        #expect(packet.ipv4 != nil && packet.transport == .none)
    }

    @Test func totalLengthBeyondFrameIsMalformedWhenNothingWasCut() {
        let (packet, events) = decodeOnce(B.ethernet(type: 0x0800, B.ipv4(totalLength: 100, B.tcp())))
        #expect(
            events.first
                == .malformed(
                    .ipv4, .lengthBeyondData(claimed: 100, available: 40),
                    at: Location(frame: Self.frame1, offset: 16)))
        #expect(packet.isMalformed)
        #expect(packet.tcp != nil)
    }

    @Test func totalLengthBeyondCaptureIsTruncatedWhenTheWireHadIt() {
        let frame = B.ethernet(type: 0x0800, B.ipv4(B.tcp([UInt8](repeating: 7, count: 100))))
        let (packet, events) = decodeOnce(Array(frame.prefix(64)), original: frame.count)
        #expect(events == [.truncated(.tcp, needed: 120, available: 30, at: Location(frame: Self.frame1, offset: 34))])
        #expect(packet.isTruncated && !packet.isMalformed)
        #expect(packet.payload.count == 10)
        #expect(packet.payloadLength == 100)
    }

    @Test func ipv6ExtensionChain() throws {
        // HBH → routing (len 1 = 16 bytes) → AH (len 4 → 24 bytes) → destination options → TCP.
        let ah: [UInt8] = [60, 4, 0, 0] + [UInt8](repeating: 0xAA, count: 20)
        let chain =
            B.extensionHeader(next: 43) + B.extensionHeader(next: 51, length: 1) + ah
            + B.extensionHeader(next: 6)
        let (packet, events) = decodeOnce(B.ethernet(type: 0x86DD, B.ipv6(nextHeader: 0, chain + B.tcp([5]))))
        #expect(events.isEmpty)
        let ip = try #require(packet.ipv6)
        #expect(Array(ip.extensionHeaders) == [.hopByHop, .routing, .authentication, .destinationOptions])
        #expect(ip.extensionHeaders.totalCount == 4)
        #expect(ip.nextHeader == .hopByHop)
        #expect(ip.upperLayerProtocol == .tcp)
        #expect(ip.source.description == "fd77::1")
        #expect(ip.hopLimit == 64)
        #expect(packet.tcp != nil)
        #expect(packet.payload == [5])
    }

    @Test func espEndsTheChain() {
        let (packet, events) = decodeOnce(
            B.ipv6(nextHeader: 0, B.extensionHeader(next: 50) + [1, 2, 3, 4, 5, 6, 7, 8]),
            linkType: .raw)
        #expect(events.isEmpty)
        #expect(packet.transport == .other(.esp))
        #expect(packet.ipv6?.upperLayerProtocol == .esp)
        #expect(packet.payload.count == 8)
    }

    @Test func noNextHeader() {
        let (packet, events) = decodeOnce(B.ipv6(nextHeader: 59, []), linkType: .raw)
        #expect(events.isEmpty)
        #expect(packet.transport == .none)
        #expect(packet.ipv6?.upperLayerProtocol == .noNextHeader)
    }

    @Test func atomicFragmentIsAWholePacket() {
        let payload = B.fragmentHeader(next: 17, offset: 0, more: false, identification: 9) + B.udp([1])
        let (packet, events) = decodeOnce(B.ipv6(nextHeader: 44, payload), linkType: .raw)
        #expect(events.isEmpty)
        #expect(packet.udp != nil)
        #expect(packet.payload == [1])
    }

    @Test func extensionLengthPastTheEndIsMalformed() {
        // Routing header claims (3 + 1) * 8 = 32 bytes, only 8 in the datagram.
        let payload: [UInt8] = [6, 3, 0, 0, 0, 0, 0, 0]
        let (packet, events) = decodeOnce(B.ipv6(nextHeader: 43, payload), linkType: .raw)
        #expect(
            events == [
                .malformed(
                    .ipv6Extension, .lengthBeyondData(claimed: 32, available: 8),
                    at: Location(frame: Self.frame1, offset: 40))
            ])
        #expect(packet.isMalformed)
        #expect(packet.ipv6 != nil && packet.transport == .none)
    }

    @Test func extensionLengthPastTheCaptureIsTruncated() {
        let full = B.ipv6(nextHeader: 43, B.extensionHeader(next: 6, length: 3) + B.tcp())
        let (packet, events) = decodeOnce(Array(full.prefix(50)), linkType: .raw, original: full.count)
        #expect(
            events == [
                .truncated(.ipv6Extension, needed: 32, available: 10, at: Location(frame: Self.frame1, offset: 40))
            ])
        #expect(packet.isTruncated && !packet.isMalformed)
    }

    @Test func ipv6PayloadLengthBeyondFrameIsMalformed() {
        let (packet, events) = decodeOnce(B.ipv6(nextHeader: 17, payloadLength: 200, B.udp([1, 2])), linkType: .raw)
        #expect(
            events.first
                == .malformed(
                    .ipv6, .lengthBeyondData(claimed: 200, available: 10),
                    at: Location(frame: Self.frame1, offset: 4)))
        #expect(packet.udp != nil)
    }

    @Test func icmp() {
        let echo: [UInt8] = [8, 0, 0, 0, 0, 1, 0, 1]
        let (v4, e4) = decodeOnce(B.ipv4(protocolNumber: 1, echo), linkType: .raw)
        #expect(e4.isEmpty && v4.transport == .icmp(type: 8, code: 0))
        let (v6, e6) = decodeOnce(B.ipv6(nextHeader: 58, [135, 0, 0, 0]), linkType: .raw)
        #expect(e6.isEmpty && v6.transport == .icmpv6(type: 135, code: 0))
    }
}
