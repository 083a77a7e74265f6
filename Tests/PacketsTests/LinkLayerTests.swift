import Packets
import Testing

@Suite("link layers")
struct LinkLayerTests {
    typealias B = FrameBuilder

    @Test func ethernetIPv4TCP() throws {
        let (packet, events) = decodeOnce(B.ethernetTCP([0x41, 0x42]))
        #expect(events.isEmpty)
        guard case .ethernet(let ethernet) = packet.link else {
            Issue.record("not ethernet")
            return
        }
        #expect(ethernet.source.description == "02:00:00:00:00:01")
        #expect(ethernet.destination.description == "02:00:00:00:00:02")
        #expect(ethernet.etherType == .ipv4)
        #expect(ethernet.vlans.isEmpty)
        let tcp = try #require(packet.tcp)
        #expect(tcp.sourcePort == 51514)
        #expect(packet.payload == [0x41, 0x42])
        #expect(!packet.isTruncated && !packet.isMalformed)
    }

    static let vlanCases: [([[UInt16]], [UInt16])] = [
        ([[0x8100, 100]], [100]),
        ([[0x88A8, 200], [0x8100, 100]], [200, 100]),
        ([[0x9100, 300], [0x8100, 0x2064]], [300, 100]),
    ]

    @Test(arguments: vlanCases)
    func vlanTags(pairs: [[UInt16]], ids: [UInt16]) throws {
        let tags = pairs.map { ($0[0], $0[1]) }
        let frame = B.ethernet(type: 0x0800, vlans: tags, B.ipv4(B.tcp()))
        let (packet, events) = decodeOnce(frame)
        #expect(events.isEmpty)
        guard case .ethernet(let ethernet) = packet.link else {
            Issue.record("not ethernet")
            return
        }
        #expect(ethernet.vlans.map(\.id) == ids)
        #expect(ethernet.vlans.map(\.tagProtocol.rawValue) == tags.map(\.0))
        #expect(ethernet.etherType == .ipv4)
        #expect(packet.tcp != nil)
    }

    @Test func vlanPriorityBits() {
        let tag = VLANTag(tagProtocol: .vlan, controlInformation: 0xB064)  // PCP 5, DEI 1, VID 100
        #expect(tag.priority == 5)
        #expect(tag.isDropEligible)
        #expect(tag.id == 100)
    }

    @Test func manyVLANTagsAreCountedBeyondCapacity() {
        let tags = (1...6).map { (UInt16(0x8100), UInt16($0)) }
        let (packet, events) = decodeOnce(B.ethernet(type: 0x0800, vlans: tags, B.ipv4(B.tcp())))
        #expect(events.isEmpty)
        guard case .ethernet(let ethernet) = packet.link else {
            Issue.record("not ethernet")
            return
        }
        #expect(ethernet.vlans.count == 4)
        #expect(ethernet.vlans.totalCount == 6)
        #expect(packet.tcp != nil)
    }

    @Test func linuxCookedV1() throws {
        let (packet, events) = decodeOnce(B.sll(type: 0x0800, packetType: 4, B.ipv4(B.tcp())), linkType: .linuxSLL)
        #expect(events.isEmpty)
        guard case .linuxCooked(let info) = packet.link else {
            Issue.record("not cooked")
            return
        }
        #expect(info.version == 1)
        #expect(info.packetType == .outgoing)
        #expect(info.hardwareType == 1)
        #expect(info.linkAddress?.macAddress?.description == "02:00:00:00:00:01")
        #expect(info.interfaceIndex == nil)
        #expect(packet.tcp != nil)
    }

    @Test func linuxCookedV2() throws {
        let (packet, events) = decodeOnce(
            B.sll2(type: 0x86DD, B.ipv6(nextHeader: 17, B.udp([1, 2, 3]))),
            linkType: .linuxSLL2)
        #expect(events.isEmpty)
        guard case .linuxCooked(let info) = packet.link else {
            Issue.record("not cooked")
            return
        }
        #expect(info.version == 2)
        #expect(info.interfaceIndex == 3)
        #expect(info.packetType == .outgoing)
        #expect(info.protocolType == .ipv6)
        #expect(packet.udp?.length == 11)
        #expect(packet.payload == [1, 2, 3])
    }

    @Test(arguments: [
        (B.le32(2), UInt32(2), true), (B.be32(2), 2, true),
        (B.le32(24), 24, false), (B.le32(28), 28, false), (B.be32(30), 30, false), (B.le32(30), 30, false),
    ])
    func bsdNull(header: [UInt8], family: UInt32, isIPv4: Bool) {
        let body = isIPv4 ? B.ipv4(B.tcp()) : B.ipv6(nextHeader: 6, B.tcp())
        let (packet, events) = decodeOnce(header + body, linkType: .null)
        #expect(events.isEmpty)
        #expect(packet.link == .loopback(family: family))
        #expect(isIPv4 ? packet.ipv4 != nil : packet.ipv6 != nil)
        #expect(packet.tcp != nil)
    }

    @Test func openBSDLoop() {
        let (packet, events) = decodeOnce(B.be32(24) + B.ipv6(nextHeader: 6, B.tcp()), linkType: .loop)
        #expect(events.isEmpty)
        #expect(packet.link == .loopback(family: 24))
        #expect(packet.tcp != nil)
    }

    @Test func unknownLoopbackFamily() {
        let (packet, events) = decodeOnce(B.le32(17) + [1, 2, 3], linkType: .null)
        #expect(events.isEmpty)
        #expect(packet.link == .loopback(family: 17))
        #expect(packet.network == .none)
    }

    @Test(arguments: [UInt32(101), 12, 14])
    func rawIP(linkType: UInt32) {
        let v4 = decodeOnce(B.ipv4(B.tcp()), linkType: LinkType(rawValue: linkType))
        #expect(v4.0.link == .raw && v4.0.tcp != nil && v4.1.isEmpty)
        let v6 = decodeOnce(B.ipv6(nextHeader: 6, B.tcp()), linkType: LinkType(rawValue: linkType))
        #expect(v6.0.link == .raw && v6.0.tcp != nil && v6.1.isEmpty)
    }

    @Test func rawIPv4AndIPv6LinkTypesCheckTheVersion() {
        #expect(decodeOnce(B.ipv4(B.tcp()), linkType: .ipv4).0.tcp != nil)
        #expect(decodeOnce(B.ipv6(nextHeader: 6, B.tcp()), linkType: .ipv6).0.tcp != nil)
        let (wrong, events) = decodeOnce(B.ipv6(nextHeader: 6, B.tcp()), linkType: .ipv4)
        #expect(wrong.isMalformed)
        #expect(
            events == [.malformed(.ip, .unexpectedIPVersion(found: 6), at: Location(frame: FrameNumber(1), offset: 0))])
        let (bad, badEvents) = decodeOnce([0x50] + [UInt8](repeating: 0, count: 30), linkType: .raw)
        #expect(bad.isMalformed && badEvents.count == 1)
    }

    @Test func unsupportedLinkTypeIsCountedAndReportedOnce() {
        var decoder = PacketDecoder()
        var events: [PacketEvent] = []
        for number in 1...3 {
            let packet = decoder.snapshot(
                [1, 2, 3, 4], linkType: LinkType(rawValue: 147), number: UInt64(number), events: &events)
            #expect(packet.link == .unsupported)
        }
        #expect(
            events == [.unsupportedLinkType(LinkType(rawValue: 147), at: Location(frame: FrameNumber(1), offset: 0))])
        #expect(decoder.statistics.unsupportedLinkTypeFrames == 3)
        #expect(decoder.statistics.frames == 3)
        #expect(decoder.statistics.linkTypeFrames[LinkType(rawValue: 147)] == 3)
    }

    @Test func arpRequest() throws {
        let arp: [UInt8] =
            B.be16(1) + B.be16(0x0800) + [6, 4] + B.be16(1) + B.macA + B.be32(B.ipv4Address("10.0.0.1"))
            + [0, 0, 0, 0, 0, 0] + B.be32(B.ipv4Address("10.0.0.2"))
        let (packet, events) = decodeOnce(B.ethernet(type: 0x0806, arp + [UInt8](repeating: 0, count: 18)))
        #expect(events.isEmpty)
        guard case .arp(let info) = packet.network else {
            Issue.record("not ARP")
            return
        }
        #expect(info.operation == 1)
        #expect(info.senderAddress == .v4(0x0A00_0001))
        #expect(info.targetAddress == .v4(0x0A00_0002))
        #expect(info.senderHardwareAddress?.description == "02:00:00:00:00:01")
    }

    @Test func otherEtherTypeIsRecognised() {
        let (packet, events) = decodeOnce(B.ethernet(type: 0x88CC, [1, 2, 3, 4]))
        #expect(events.isEmpty)
        #expect(packet.network == .other(.lldp))
        #expect(packet.payload == [1, 2, 3, 4])
        #expect(EtherType.lldp.description == "LLDP (0x88cc)")
    }
}
