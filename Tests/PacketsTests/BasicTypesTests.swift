import Packets
import Testing

@Suite("addresses, ports, sequence numbers, flags")
struct BasicTypesTests {
    @Test func ipv4DottedQuad() {
        #expect(IPAddress.v4(0x7F00_0001).description == "127.0.0.1")
        #expect(IPAddress.v4(0xFFFF_FFFF).description == "255.255.255.255")
        #expect(IPAddress.v4(0).description == "0.0.0.0")
    }

    @Test(arguments: [
        (IPAddress.v6(0, 0), "::"),
        (IPAddress.v6(0, 1), "::1"),
        (IPAddress.v6(0x2001_0DB8_0000_0000, 0x0000_0000_0000_0001), "2001:db8::1"),
        (IPAddress.v6(0x2001_0DB8_0000_0001, 0x0000_0000_0000_0001), "2001:db8:0:1::1"),
        // RFC 5952 §4.2.2: a single zero group is not compressed.
        (IPAddress.v6(0x2001_0DB8_0000_0001, 0x0001_0001_0001_0001), "2001:db8:0:1:1:1:1:1"),
        // §4.2.3: the longest run wins; on a tie the first.
        (IPAddress.v6(0x2001_0000_0000_0001, 0x0000_0000_0000_0001), "2001:0:0:1::1"),
        (IPAddress.v6(0x2001_0DB8_0000_0000, 0x0001_0000_0000_0001), "2001:db8::1:0:0:1"),
        // §4.3: lowercase; leading zeros dropped.
        (IPAddress.v6(0xFD77_00AB_CDEF_0000, 0x0000_0000_0000_0ABC), "fd77:ab:cdef::abc"),
        (IPAddress.v6(0xFE80_0000_0000_0000, 0), "fe80::"),
        // §5: IPv4-mapped.
        (IPAddress.v6(0, 0x0000_FFFF_0102_0304), "::ffff:1.2.3.4"),
    ])
    func ipv6RFC5952(address: IPAddress, text: String) {
        #expect(address.description == text)
    }

    @Test func macAddress() {
        #expect(MACAddress(rawValue: 0x0A0B_0C0D_0E0F).description == "0a:0b:0c:0d:0e:0f")
        #expect(MACAddress.broadcast.description == "ff:ff:ff:ff:ff:ff")
    }

    @Test(arguments: [
        (UInt32(10), 5, UInt32(15)),
        (UInt32.max, 1, UInt32(0)),
        (UInt32.max - 9, 20, UInt32(10)),
        (UInt32(5), -10, UInt32.max - 4),
    ])
    func sequenceAdvanceWraps(start: UInt32, count: Int, result: UInt32) {
        #expect(SequenceNumber(start).advanced(by: count) == SequenceNumber(result))
        #expect(SequenceNumber(start) + count == SequenceNumber(result))
    }

    @Test func sequenceDistanceAcrossWrap() {
        let before = SequenceNumber(UInt32.max - 9)
        let after = SequenceNumber(10)
        #expect(before.distance(to: after) == 20)
        #expect(after.distance(to: before) == -20)
        #expect(after - before == 20)
        #expect(before.isBefore(after))
        #expect(after.isAfter(before))
        #expect(!after.isBefore(before))
        #expect(!before.isBefore(before))
        // Half the space apart: the boundary of the RFC 1982 comparison.
        #expect(SequenceNumber(0).distance(to: SequenceNumber(0x8000_0000)) == Int(Int32.min))
        #expect(SequenceNumber(0).distance(to: SequenceNumber(0x7FFF_FFFF)) == Int(Int32.max))
    }

    @Test func flags() {
        let synAck: TCPFlags = [.syn, .ack]
        #expect(synAck.rawValue == 0x12)
        #expect(TCPFlags(rawValue: 0x1FF).contains([.fin, .syn, .rst, .psh, .ack, .urg, .ece, .cwr, .ns]))
    }

    @Test func ports() {
        let http: Port = 80
        #expect(http < Port(443))
        #expect(http.description == "80")
    }

    @Test func eventNamesAreStable() {
        let at = Location(frame: FrameNumber(3), offset: 14)
        let key = FragmentKey(source: .v4(1), destination: .v4(2), identification: 7, protocolNumber: .udp)
        let events: [(PacketEvent, String)] = [
            (.truncated(.tcp, needed: 40, available: 20, at: at), "PKT-TRUNC"),
            (.malformed(.ipv4, .headerLengthTooSmall(16, minimum: 20), at: at), "PKT-MALFORMED"),
            (.badIPv4Checksum(expected: 1, found: 2, at: at), "IP-CHECKSUM"),
            (.fragmentOverlap(key, offset: 8, length: 8, at: at), "IP-FRAG-OVERLAP"),
            (.fragmentTimeout(key, frames: [FrameNumber(3)], bufferedBytes: 8, at: at), "IP-FRAG-TIMEOUT"),
            (.fragmentIncomplete(key, frames: [FrameNumber(3)], bufferedBytes: 8, at: at), "IP-FRAG-INCOMPLETE"),
            (.fragmentLimit(.bufferedBytes, key, frames: [FrameNumber(3)], at: at), "IP-FRAG-LIMIT"),
            (.unsupportedLinkType(LinkType(rawValue: 147), at: at), "LINK-UNSUPPORTED"),
        ]
        for (event, rule) in events {
            #expect(event.rule == rule)
            #expect(event.location == at)
            #expect(event.message.hasSuffix("."))
            #expect(!event.message.contains("\n"))
        }
        #expect(
            events[1].0.message == "Malformed IPv4 at offset 14: header length 16 is below the minimum of 20 bytes.")
    }
}
