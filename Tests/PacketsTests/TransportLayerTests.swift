import Packets
import Testing

@Suite("TCP and UDP")
struct TransportLayerTests {
    typealias B = FrameBuilder
    static let frame1 = FrameNumber(1)

    @Test func tcpFieldsAndEveryOption() throws {
        let sack: [UInt8] = [1, 1, 5, 18] + B.be32(100) + B.be32(200) + B.be32(300) + B.be32(400)
        let options = B.synOptions + sack  // mss, sackOK, TS, nop, wscale, nop, nop, sack(2) = 40 bytes
        let segment = B.tcp(
            sequence: 0xFFFF_FFF0, acknowledgment: 7, flags: 0x18, window: 512, options: options, [1, 2, 3])
        let (packet, events) = decodeOnce(B.ipv4(segment), linkType: .raw)
        #expect(events.isEmpty)
        let tcp = try #require(packet.tcp)
        #expect(tcp.sourcePort == 51514 && tcp.destinationPort == 80)
        #expect(tcp.sequence == SequenceNumber(0xFFFF_FFF0))
        #expect(tcp.acknowledgment == SequenceNumber(7))
        #expect(tcp.flags == [.psh, .ack])
        #expect(tcp.window == 512)
        #expect(tcp.dataOffset == 15 && tcp.headerLength == 60)
        #expect(tcp.checksum == 0xABCD)
        #expect(tcp.options.mss == 65495)
        #expect(tcp.options.windowScale == 7)
        #expect(tcp.options.sackPermitted)
        #expect(tcp.options.timestamps == TCPTimestamps(value: 1, echo: 0))
        #expect(
            Array(tcp.options.sackBlocks) == [
                SACKBlock(left: SequenceNumber(100), right: SequenceNumber(200)),
                SACKBlock(left: SequenceNumber(300), right: SequenceNumber(400)),
            ])
        #expect(tcp.options.kinds.map(\.rawValue) == [2, 4, 8, 1, 3, 1, 1, 5])
        #expect(!tcp.options.isMalformed)
        #expect(packet.payload == [1, 2, 3])
    }

    @Test func eolStopsTheOptionList() throws {
        let (packet, events) = decodeOnce(B.ipv4(B.tcp(options: [1, 0, 2, 4])), linkType: .raw)
        #expect(events.isEmpty)
        let tcp = try #require(packet.tcp)
        #expect(tcp.options.kinds.map(\.rawValue) == [1, 0])
        #expect(tcp.options.mss == nil)
    }

    @Test(arguments: [
        ([UInt8]([8, 10, 0, 0]), UInt8(8), 20),  // timestamps claims 10, 4 left
        ([1, 1, 1, 0x22], 0x22, 23),  // kind with no length byte
        ([3, 1, 0, 0], 3, 20),  // length below 2
        ([2, 5, 0, 0, 0, 0, 0, 0], 2, 20),  // MSS with length 5
    ])
    func malformedOptionsAreReportedNotTrapped(options: [UInt8], kind: UInt8, offset: Int) throws {
        let (packet, events) = decodeOnce(B.ipv4(B.tcp(options: options)), linkType: .raw)
        let tcp = try #require(packet.tcp)
        #expect(tcp.options.isMalformed)
        #expect(
            events == [
                .malformed(
                    .tcp, .badTCPOption(kind: kind, offset: offset),
                    at: Location(frame: Self.frame1, offset: 20 + offset))
            ])
    }

    @Test(arguments: 0..<5)
    func dataOffsetBelowFiveIsMalformed(words: Int) {
        let (packet, events) = decodeOnce(B.ipv4(B.tcp(dataOffset: words)), linkType: .raw)
        #expect(
            events == [
                .malformed(
                    .tcp, .headerLengthTooSmall(words * 4, minimum: 20),
                    at: Location(frame: Self.frame1, offset: 32))
            ])
        #expect(packet.transport == .none && packet.isMalformed)
    }

    @Test(arguments: 6...15)
    func dataOffsetBeyondSegmentIsMalformed(words: Int) {
        let (packet, events) = decodeOnce(B.ipv4(B.tcp(dataOffset: words)), linkType: .raw)
        #expect(
            events == [
                .malformed(
                    .tcp, .lengthBeyondData(claimed: words * 4, available: 20),
                    at: Location(frame: Self.frame1, offset: 20))
            ])
        #expect(packet.transport == .none)
    }

    @Test func dataOffsetBeyondCaptureIsTruncated() {
        let full = B.ipv4(B.tcp(options: B.synOptions))
        let (packet, events) = decodeOnce(Array(full.prefix(45)), linkType: .raw, original: full.count)
        #expect(events == [.truncated(.tcp, needed: 40, available: 25, at: Location(frame: Self.frame1, offset: 20))])
        #expect(packet.isTruncated && packet.transport == .none)
    }

    @Test func udpFields() throws {
        let (packet, events) = decodeOnce(
            B.ipv4(protocolNumber: 17, B.udp(sourcePort: 1, destinationPort: 2, [7, 8])),
            linkType: .raw)
        #expect(events.isEmpty)
        let udp = try #require(packet.udp)
        #expect(udp.sourcePort == 1 && udp.destinationPort == 2 && udp.length == 10)
        #expect(packet.payload == [7, 8])
    }

    @Test(arguments: 0..<8)
    func udpLengthBelowEightIsMalformed(length: Int) {
        let (packet, events) = decodeOnce(B.ipv4(protocolNumber: 17, B.udp(length: length, [1, 2])), linkType: .raw)
        #expect(events == [.malformed(.udp, .udpLengthTooSmall(length), at: Location(frame: Self.frame1, offset: 24))])
        #expect(packet.udp != nil)
        #expect(packet.payload == [1, 2])
    }

    @Test func udpLengthBeyondIPIsMalformed() {
        let (packet, events) = decodeOnce(B.ipv4(protocolNumber: 17, B.udp(length: 50, [1, 2])), linkType: .raw)
        #expect(
            events == [
                .malformed(
                    .udp, .udpLengthBeyondIP(udpLength: 50, ipPayloadLength: 10),
                    at: Location(frame: Self.frame1, offset: 24))
            ])
        #expect(packet.payload == [1, 2])
    }

    @Test func udpLengthShorterThanIPTrimsThePayload() {
        let (packet, events) = decodeOnce(B.ipv4(protocolNumber: 17, B.udp(length: 9, [1, 2, 3])), linkType: .raw)
        #expect(events.isEmpty)
        #expect(packet.payload == [1])
    }
}
