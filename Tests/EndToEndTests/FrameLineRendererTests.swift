import Packets
import Rendering
import Testing

/// `--format frames`: one tcpdump-like line per frame. Packets are built as values (the renderer
/// only reads fields), plus a few decoded from bytes to check the two agree.
@Suite("frame line renderer")
struct FrameLineRendererTests {
    static let time = Timestamp(seconds: 1_795_614_858, nanoseconds: 123_456_789)  // 2026-11-25T13:54:18.123456789Z
    static let renderer = FrameLineRenderer(precision: .microseconds)

    static func packet(
        frame: UInt64 = 12, linkType: LinkType = .ethernet, link: LinkHeader? = nil, network: NetworkHeader,
        transport: TransportHeader = .none, payloadLength: Int = 0
    ) -> DecodedPacket {
        var packet = DecodedPacket(
            frame: FrameNumber(frame), timestamp: time, linkType: linkType,
            bytes: UnsafeRawBufferPointer(start: nil, count: 0),
            originalLength: 74)
        packet.link =
            link
            ?? .ethernet(
                EthernetInfo(
                    source: MACAddress(rawValue: 1), destination: MACAddress(rawValue: 2),
                    etherType: .ipv4))
        packet.network = network
        packet.transport = transport
        packet.payloadLength = payloadLength
        return packet
    }

    static func ipv4(
        _ source: UInt32 = 0x7F00_0001, _ destination: UInt32 = 0x7F00_0001, protocolNumber: IPProtocol = .tcp,
        checksumValid: Bool = true
    ) -> NetworkHeader {
        .ipv4(
            IPv4Info(
                source: .v4(source), destination: .v4(destination), ttl: 64, identification: 1234,
                dontFragment: true, moreFragments: false, fragmentOffset: 0, headerLength: 20, totalLength: 60,
                protocolNumber: protocolNumber, checksum: 0, checksumValid: checksumValid, optionsRange: 20..<20,
                options: []))
    }

    static var synAck: TCPInfo {
        var options = TCPOptions()
        options.mss = 65495
        options.sackPermitted = true
        options.timestamps = TCPTimestamps(value: 1, echo: 0)
        options.windowScale = 7
        for kind in [TCPOptionKind.mss, .sackPermitted, .timestamps, .noOperation, .windowScale] {
            options.kinds.append(kind)
        }
        return TCPInfo(
            sourcePort: 51514, destinationPort: 80, sequence: SequenceNumber(12345),
            acknowledgment: SequenceNumber(678), flags: [.syn, .ack], window: 65483, dataOffset: 10,
            options: options)
    }

    @Test func tcpSynAckMatchesTheExample() {
        let line = Self.renderer.line(for: Self.packet(network: Self.ipv4(), transport: .tcp(Self.synAck)))
        #expect(
            line
                == "    12 2026-11-25T13:54:18.123456Z EN10MB  127.0.0.1.51514 > 127.0.0.1.80: TCP [S.] seq 12345 ack 678 win 65483 len 0 <mss 65495,sackOK,TS val 1 ecr 0,nop,wscale 7>"
        )
    }

    @Test func nanosecondPrecision() {
        let line = FrameLineRenderer(precision: .nanoseconds).line(
            for: Self.packet(
                network: Self.ipv4(),
                transport: .tcp(Self.synAck)))
        #expect(line.hasPrefix("    12 2026-11-25T13:54:18.123456789Z EN10MB  "))
    }

    @Test func flagsAndNoAck() {
        var info = Self.synAck
        info.flags = [.syn]
        info.options = TCPOptions()
        #expect(
            Self.renderer.describe(Self.packet(network: Self.ipv4(), transport: .tcp(info)))
                == "127.0.0.1.51514 > 127.0.0.1.80: TCP [S] seq 12345 win 65483 len 0")
        info.flags = [.fin, .psh, .ack, .urg]
        info.urgentPointer = 3
        #expect(
            Self.renderer.describe(Self.packet(network: Self.ipv4(), transport: .tcp(info), payloadLength: 10))
                == "127.0.0.1.51514 > 127.0.0.1.80: TCP [FP.U] seq 12345 ack 678 win 65483 urg 3 len 10")
        info.flags = []
        #expect(Self.renderer.describe(Self.packet(network: Self.ipv4(), transport: .tcp(info))).contains("TCP [none]"))
    }

    @Test func vlanTags() {
        var vlans = VLANTags()
        vlans.append(VLANTag(tagProtocol: .qinq, controlInformation: 200))
        vlans.append(VLANTag(tagProtocol: .vlan, controlInformation: 100))
        let link = LinkHeader.ethernet(
            EthernetInfo(
                source: MACAddress(rawValue: 1), destination: MACAddress(rawValue: 2),
                vlans: vlans, etherType: .ipv4))
        let udp = UDPInfo(sourcePort: 5353, destinationPort: 53, length: 20, checksum: 0)
        #expect(
            Self.renderer.describe(
                Self.packet(
                    link: link, network: Self.ipv4(protocolNumber: .udp), transport: .udp(udp),
                    payloadLength: 12))
                == "vlan 200,100 127.0.0.1.5353 > 127.0.0.1.53: UDP len 12")
    }

    @Test func ipv6IsWrittenLikeTcpdump() {
        let network = NetworkHeader.ipv6(
            IPv6Info(
                source: .v6(0xFD77_0000_0000_0000, 1), destination: .v6(0xFD77_0000_0000_0000, 2),
                payloadLength: 20, hopLimit: 64, nextHeader: .tcp, upperLayerProtocol: .tcp))
        var info = Self.synAck
        info.sourcePort = 443
        info.options = TCPOptions()
        #expect(
            Self.renderer.describe(Self.packet(network: network, transport: .tcp(info)))
                == "fd77::1.443 > fd77::2.80: TCP [S.] seq 12345 ack 678 win 65483 len 0")
    }

    @Test func fragmentsAndReassembly() {
        let key = FragmentKey(
            source: .v4(0x0A00_0001), destination: .v4(0x0A00_0002), identification: 1234,
            protocolNumber: .udp)
        let fragment = FragmentInfo(
            key: key, protocolNumber: .udp, offset: 1480, length: 1480, moreFragments: true,
            disposition: .held)
        #expect(
            Self.renderer.describe(
                Self.packet(
                    network: Self.ipv4(0x0A00_0001, 0x0A00_0002, protocolNumber: .udp),
                    transport: .fragment(fragment)))
                == "10.0.0.1 > 10.0.0.2: IPv4 frag id 1234 offset 1480 len 1480 MF proto UDP (held)")
        var packet = Self.packet(
            network: Self.ipv4(0x0A00_0001, 0x0A00_0002, protocolNumber: .udp),
            transport: .udp(UDPInfo(sourcePort: 1, destinationPort: 2, length: 3968, checksum: 0)),
            payloadLength: 3960)
        packet.reassembledFrom = [5, 6, 7].map { FrameNumber($0) }
        #expect(
            Self.renderer.describe(packet) == "10.0.0.1.1 > 10.0.0.2.2: UDP len 3960 (reassembled from frames 5,6,7)")
    }

    @Test func arpAndOtherEtherTypes() {
        let request = ARPInfo(
            operation: 1, hardwareType: 1, protocolType: .ipv4, senderAddress: .v4(0x0A00_0002),
            targetAddress: .v4(0x0A00_0001))
        #expect(
            Self.renderer.describe(Self.packet(network: .arp(request))) == "ARP, Request who-has 10.0.0.1 tell 10.0.0.2"
        )
        let reply = ARPInfo(
            operation: 2, hardwareType: 1, protocolType: .ipv4,
            senderHardwareAddress: MACAddress(rawValue: 0x0200_0000_0001), senderAddress: .v4(0x0A00_0001))
        #expect(
            Self.renderer.describe(Self.packet(network: .arp(reply))) == "ARP, Reply 10.0.0.1 is-at 02:00:00:00:00:01")
        #expect(Self.renderer.describe(Self.packet(network: .other(.lldp))) == "ethertype LLDP (0x88cc), length 74")
    }

    @Test func markers() {
        var cut = Self.packet(network: Self.ipv4(), transport: .none)
        cut.isTruncated = true
        #expect(Self.renderer.describe(cut) == "127.0.0.1 > 127.0.0.1: [|tcp]")
        var payloadCut = Self.packet(network: Self.ipv4(), transport: .tcp(Self.synAck), payloadLength: 1000)
        payloadCut.isTruncated = true
        #expect(
            Self.renderer.describe(payloadCut).hasSuffix(
                "len 1000 <mss 65495,sackOK,TS val 1 ecr 0,nop,wscale 7> (truncated)"))
        var malformed = Self.packet(network: Self.ipv4(checksumValid: false), transport: .none)
        malformed.isMalformed = true
        #expect(Self.renderer.describe(malformed) == "127.0.0.1 > 127.0.0.1: TCP [bad cksum] [malformed]")
        var ethernetCut = Self.packet(link: .unsupported, network: .none)
        ethernetCut.isTruncated = true
        #expect(Self.renderer.describe(ethernetCut) == "[|ether]")
    }

    @Test func unsupportedLinkType() {
        let packet = Self.packet(frame: 3, linkType: LinkType(rawValue: 147), link: .unsupported, network: .none)
        #expect(
            Self.renderer.line(for: packet)
                == "     3 2026-11-25T13:54:18.123456Z LINKTYPE_147  unsupported link type, 0 bytes")
    }

    @Test func cookedDirectionAndICMP() {
        let link = LinkHeader.linuxCooked(
            LinuxCookedInfo(
                version: 2, packetType: .outgoing, hardwareType: 1, linkAddress: nil,
                interfaceIndex: 1, protocolType: .ipv4))
        let packet = Self.packet(
            linkType: .linuxSLL2, link: link, network: Self.ipv4(protocolNumber: .icmp),
            transport: .icmp(type: 8, code: 0))
        #expect(Self.renderer.line(for: packet).hasSuffix("LINUX_SLL2  Out 127.0.0.1 > 127.0.0.1: ICMP echo request"))
    }

    @Test func decodedFrameRendersTheSame() {
        // Ethernet / IPv4 127.0.0.1 → 127.0.0.1 / TCP SYN-ACK with the example's options.
        var frame: [UInt8] = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00]
        var ip: [UInt8] = [0x45, 0, 0, 60, 0, 1, 0x40, 0, 64, 6, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1]
        var sum: UInt32 = 0
        for index in stride(from: 0, to: 20, by: 2) { sum += UInt32(ip[index]) << 8 | UInt32(ip[index + 1]) }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        ip[10] = UInt8(~UInt16(sum) >> 8)
        ip[11] = UInt8(~UInt16(sum) & 0xFF)
        let tcp: [UInt8] = [
            0xC9, 0x3A, 0, 80, 0, 0, 0x30, 0x39, 0, 0, 0x02, 0xA6, 0xA0, 0x12, 0xFF, 0xCB, 0, 0, 0, 0,
            2, 4, 0xFF, 0xD7, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7,
        ]
        frame += ip + tcp
        var decoder = PacketDecoder()
        var events: [PacketEvent] = []
        let line = frame.withUnsafeBytes { bytes in
            decoder.decode(
                bytes, linkType: .ethernet, frame: FrameNumber(12), timestamp: Self.time,
                originalLength: bytes.count, events: &events
            ) { Self.renderer.line(for: $0) }
        }
        #expect(events.isEmpty)
        #expect(
            line
                == "    12 2026-11-25T13:54:18.123456Z EN10MB  127.0.0.1.51514 > 127.0.0.1.80: TCP [S.] seq 12345 ack 678 win 65483 len 0 <mss 65495,sackOK,TS val 1 ecr 0,nop,wscale 7>"
        )
    }
}
