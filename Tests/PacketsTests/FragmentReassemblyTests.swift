import Packets
import Testing

@Suite("IP fragment reassembly")
struct FragmentReassemblyTests {
    typealias B = FrameBuilder

    /// A UDP datagram of `size` payload bytes, split into IPv4 fragments carrying `chunk` bytes each.
    static func ipv4Fragments(size: Int, chunk: Int = 16, identification: UInt16 = 77) -> (
        datagram: [UInt8], frames: [[UInt8]]
    ) {
        let datagram = B.udp((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        var frames: [[UInt8]] = []
        var offset = 0
        while offset < datagram.count {
            let end = min(offset + chunk, datagram.count)
            frames.append(
                B.ethernet(
                    type: 0x0800,
                    B.ipv4(
                        protocolNumber: 17, identification: identification, moreFragments: end < datagram.count,
                        fragmentOffset: offset, Array(datagram[offset..<end]))))
            offset = end
        }
        return (datagram, frames)
    }

    /// Decodes `frames` in the given order (frame numbers follow arrival); returns the snapshots.
    static func run(
        _ frames: [[UInt8]], decoder: inout PacketDecoder, events: inout [PacketEvent], secondsApart: Int64 = 0,
        linkType: LinkType = .ethernet
    ) -> [DecodedSnapshot] {
        frames.enumerated().map { index, frame in
            decoder.snapshot(
                frame, linkType: linkType, number: UInt64(index + 1), seconds: Int64(index) * secondsApart,
                events: &events)
        }
    }

    @Test func inOrder() throws {
        let (datagram, frames) = Self.ipv4Fragments(size: 100)
        var decoder = PacketDecoder()
        var events: [PacketEvent] = []
        let packets = Self.run(frames, decoder: &decoder, events: &events)
        #expect(events.isEmpty)
        for packet in packets.dropLast() {
            #expect(packet.fragment?.disposition == .held)
            #expect(packet.reassembledFrom.isEmpty)
        }
        let last = try #require(packets.last)
        #expect(last.reassembledFrom == (1...frames.count).map { FrameNumber(UInt64($0)) })
        #expect(last.udp?.length == datagram.count)
        #expect(last.payload == Array(datagram.dropFirst(8)))
        #expect(last.ipv4?.totalLength == 20 + datagram.count)
        #expect(last.ipv4?.moreFragments == false)
        #expect(decoder.statistics.datagramsReassembled == 1)
        #expect(decoder.statistics.fragments == frames.count)
        #expect(decoder.statistics.udp == 1)
        #expect(decoder.pendingDatagrams == 0)
    }

    @Test func reversed() throws {
        let (datagram, frames) = Self.ipv4Fragments(size: 100)
        var decoder = PacketDecoder()
        var events: [PacketEvent] = []
        let packets = Self.run(frames.reversed(), decoder: &decoder, events: &events)
        #expect(events.isEmpty)
        #expect(packets.last?.payload == Array(datagram.dropFirst(8)))
        #expect(packets.last?.reassembledFrom.count == frames.count)
    }

    @Test("any order gives the same datagram", arguments: 0..<50)
    func shuffled(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed))
        let size = 8 + Int(rng.next() % 600)
        let chunk = 8 * (1 + Int(rng.next() % 10))
        let (datagram, frames) = Self.ipv4Fragments(size: size, chunk: chunk)
        // Add a few exact duplicates, then shuffle.
        var input = frames
        for _ in 0..<Int(rng.next() % 3) { input.append(frames[Int(rng.next() % UInt64(frames.count))]) }
        input.shuffle(using: &rng)
        var decoder = PacketDecoder()
        var events: [PacketEvent] = []
        let packets = Self.run(input, decoder: &decoder, events: &events)
        #expect(events.isEmpty)
        let completed = packets.filter { !$0.reassembledFrom.isEmpty }
        if frames.count == 1 {
            #expect(completed.isEmpty)  // a single unfragmented datagram
            #expect(packets.allSatisfy { $0.payload == Array(datagram.dropFirst(8)) })
        } else {
            #expect(completed.count == 1)
            #expect(completed.first?.payload == Array(datagram.dropFirst(8)))
            #expect(completed.first?.reassembledFrom.count == frames.count)
        }
    }

    @Test func duplicatesAreCountedAndIgnored() {
        let (_, frames) = Self.ipv4Fragments(size: 40)
        var decoder = PacketDecoder()
        var events: [PacketEvent] = []
        let packets = Self.run([frames[0], frames[0], frames[1], frames[2]], decoder: &decoder, events: &events)
        #expect(events.isEmpty)
        #expect(packets[1].fragment?.disposition == .duplicate)
        #expect(packets[3].reassembledFrom == [FrameNumber(1), FrameNumber(3), FrameNumber(4)])
        #expect(decoder.statistics.fragmentDuplicates == 1)
        #expect(decoder.statistics.fragmentOverlaps == 1)
    }

    /// An IPv4 fragment of datagram `77` with explicit bytes.
    static func fragment(offset: Int, more: Bool, _ bytes: [UInt8]) -> [UInt8] {
        B.ethernet(
            type: 0x0800,
            B.ipv4(
                protocolNumber: 99, identification: 77, moreFragments: more,
                fragmentOffset: offset, bytes))
    }

    @Test func overlapWithSameDataIsSilent() {
        let first = Self.fragment(offset: 0, more: true, [UInt8](repeating: 1, count: 16))
        let overlap = Self.fragment(offset: 8, more: true, [UInt8](repeating: 1, count: 16))
        let last = Self.fragment(offset: 24, more: false, [2, 2])
        var decoder = PacketDecoder()
        var events: [PacketEvent] = []
        let packets = Self.run([first, overlap, last], decoder: &decoder, events: &events)
        #expect(events.isEmpty)
        #expect(packets[2].payload == [UInt8](repeating: 1, count: 24) + [2, 2])
        #expect(packets[2].transport == .other(IPProtocol(rawValue: 99)))
        #expect(decoder.statistics.fragmentOverlaps == 1)
        #expect(decoder.statistics.fragmentConflicts == 0)
    }

    @Test func overlapWithDifferentDataKeepsTheFirstAndReports() {
        let first = Self.fragment(offset: 0, more: true, [UInt8](repeating: 1, count: 16))
        let overlap = Self.fragment(offset: 8, more: true, [UInt8](repeating: 9, count: 16))
        let last = Self.fragment(offset: 24, more: false, [2, 2])
        var decoder = PacketDecoder()
        var events: [PacketEvent] = []
        let packets = Self.run([first, overlap, last], decoder: &decoder, events: &events)
        let key = FragmentKey(
            source: .v4(0x0A00_0001), destination: .v4(0x0A00_0002), identification: 77,
            protocolNumber: IPProtocol(rawValue: 99))
        #expect(
            events == [.fragmentOverlap(key, offset: 8, length: 16, at: Location(frame: FrameNumber(2), offset: 14))])
        #expect(packets[2].payload == [UInt8](repeating: 1, count: 16) + [UInt8](repeating: 9, count: 8) + [2, 2])
        #expect(decoder.statistics.fragmentConflicts == 1)
    }

    @Test func timeoutDropsTheSet() {
        let (_, frames) = Self.ipv4Fragments(size: 40)
        var decoder = PacketDecoder()
        var events: [PacketEvent] = []
        _ = decoder.snapshot(frames[0], number: 1, seconds: 0, events: &events)
        _ = decoder.snapshot(frames[1], number: 2, seconds: 10, events: &events)
        #expect(events.isEmpty)
        // 31 s after the first fragment: Linux's 30 s ipfrag_time has passed.
        let late = decoder.snapshot(frames[2], number: 3, seconds: 31, events: &events)
        #expect(events.count == 1)
        if case .fragmentTimeout(let key, let held, let bytes, let at) = events.first {
            #expect(key.identification == 77)
            #expect(held == [FrameNumber(1), FrameNumber(2)])
            #expect(bytes == 32)
            #expect(at == Location(frame: FrameNumber(1), offset: 14))
        } else {
            Issue.record("expected a timeout, got \(events)")
        }
        #expect(late.fragment?.disposition == .held)
        #expect(late.reassembledFrom.isEmpty)
        #expect(decoder.statistics.fragmentTimeouts == 1)
        events.removeAll()
        decoder.finish(events: &events)
        #expect(events.map(\.rule) == ["IP-FRAG-INCOMPLETE"])
        #expect(events.first?.frames == [FrameNumber(3)])
        #expect(decoder.pendingDatagrams == 0)
    }

    @Test func globalMemoryCapEvictsTheOldest() {
        var decoder = PacketDecoder(limits: FragmentLimits(maxBufferedBytes: 64))
        var events: [PacketEvent] = []
        let a = Self.ipv4Fragments(size: 100, chunk: 40, identification: 1).frames
        let b = Self.ipv4Fragments(size: 100, chunk: 40, identification: 2).frames
        _ = decoder.snapshot(a[0], number: 1, events: &events)  // 40 bytes held
        _ = decoder.snapshot(b[0], number: 2, events: &events)  // 80 > 64: evicts datagram 1
        #expect(events.count == 1)
        if case .fragmentLimit(let kind, let key, let frames, _) = events.first {
            #expect(kind == .bufferedBytes)
            #expect(key.identification == 1)
            #expect(frames == [FrameNumber(1)])
        } else {
            Issue.record("expected a limit event, got \(events)")
        }
        #expect(decoder.pendingDatagrams == 1)
        #expect(decoder.statistics.fragmentLimitHits == 1)
    }

    @Test func perDatagramByteCap() {
        var decoder = PacketDecoder(limits: FragmentLimits(maxDatagramBytes: 50))
        var events: [PacketEvent] = []
        let frames = Self.ipv4Fragments(size: 100, chunk: 40).frames
        let packets = Self.run(frames, decoder: &decoder, events: &events)
        #expect(events.map(\.rule) == ["IP-FRAG-LIMIT", "IP-FRAG-LIMIT"])
        #expect(packets[1].fragment?.disposition == .dropped)
        #expect(packets.allSatisfy { $0.reassembledFrom.isEmpty })
    }

    @Test func perDatagramFragmentCap() {
        var decoder = PacketDecoder(limits: FragmentLimits(maxFragmentsPerDatagram: 3))
        var events: [PacketEvent] = []
        let frames = Self.ipv4Fragments(size: 100, chunk: 16).frames
        _ = Self.run(frames, decoder: &decoder, events: &events)
        #expect(events.first?.rule == "IP-FRAG-LIMIT")
        if case .fragmentLimit(let kind, _, let dropped, _) = events.first {
            #expect(kind == .fragmentsPerDatagram)
            #expect(dropped == [1, 2, 3, 4].map { FrameNumber($0) })
        }
    }

    @Test func pendingDatagramCap() {
        var decoder = PacketDecoder(limits: FragmentLimits(maxPendingDatagrams: 2))
        var events: [PacketEvent] = []
        for id in 1...3 {
            _ = decoder.snapshot(
                Self.ipv4Fragments(size: 40, identification: UInt16(id)).frames[0], number: UInt64(id),
                events: &events)
        }
        #expect(events.count == 1)
        if case .fragmentLimit(.pendingDatagrams, let key, _, _) = events.first { #expect(key.identification == 1) }
        #expect(decoder.pendingDatagrams == 2)
    }

    @Test func nonFinalFragmentNotMultipleOf8IsMalformed() {
        let (packet, events) = decodeOnce(Self.fragment(offset: 0, more: true, [1, 2, 3]))
        #expect(events.map(\.rule) == ["PKT-MALFORMED"])
        #expect(packet.fragment?.disposition == .dropped)
        #expect(packet.isMalformed)
    }

    @Test func fragmentPastTheEndIsMalformed() {
        var decoder = PacketDecoder()
        var events: [PacketEvent] = []
        _ = decoder.snapshot(Self.fragment(offset: 16, more: false, [1, 2]), number: 1, events: &events)
        let packet = decoder.snapshot(
            Self.fragment(offset: 16, more: true, [UInt8](repeating: 0, count: 8)), number: 2,
            events: &events)
        #expect(
            events == [
                .malformed(
                    .fragment, .fragmentBeyondEnd(fragmentEnd: 24, datagramEnd: 18),
                    at: Location(frame: FrameNumber(2), offset: 14))
            ])
        #expect(packet.fragment?.disposition == .dropped)
        #expect(packet.isMalformed)
    }

    @Test func pingOfDeathIsMalformed() {
        let (packet, events) = decodeOnce(Self.fragment(offset: 65_528, more: false, [UInt8](repeating: 0, count: 16)))
        #expect(events.map(\.rule) == ["PKT-MALFORMED"])
        #expect(packet.fragment?.disposition == .dropped)
    }

    @Test func truncatedFragmentIsNotHeld() {
        let (_, frames) = Self.ipv4Fragments(size: 40)
        let (packet, events) = decodeOnce(Array(frames[0].prefix(40)), original: frames[0].count)
        #expect(events.map(\.rule) == ["PKT-TRUNC"])
        #expect(packet.fragment?.disposition == .dropped)
        #expect(packet.isTruncated)
    }

    @Test func ipv6Fragments() throws {
        let datagram = B.tcp(options: B.synOptions, [UInt8](repeating: 0x5A, count: 60))  // 100 bytes
        let first =
            B.extensionHeader(next: 44) + B.fragmentHeader(next: 6, offset: 0, more: true, identification: 0xABCDEF)
            + Array(datagram[0..<48])
        let second =
            B.extensionHeader(next: 44) + B.fragmentHeader(next: 6, offset: 48, more: false, identification: 0xABCDEF)
            + Array(datagram[48...])
        var decoder = PacketDecoder()
        var events: [PacketEvent] = []
        let packets = Self.run(
            [B.ipv6(nextHeader: 0, second), B.ipv6(nextHeader: 0, first)], decoder: &decoder,
            events: &events, linkType: .raw)
        #expect(events.isEmpty)
        let held = try #require(packets[0].fragment)
        #expect(held.key.identification == 0xABCDEF && held.key.protocolNumber == nil)
        #expect(held.offset == 48 && held.length == 52 && !held.moreFragments)
        #expect(held.protocolNumber == .tcp)
        let done = packets[1]
        #expect(done.reassembledFrom == [FrameNumber(1), FrameNumber(2)])
        #expect(done.tcp?.options.mss == 65495)
        #expect(done.payload == [UInt8](repeating: 0x5A, count: 60))
        #expect(done.ipv6?.payloadLength == 8 + 100)
        #expect(done.ipv6.map { Array($0.extensionHeaders) } == [.hopByHop, .fragment])
        #expect(done.ipv6?.upperLayerProtocol == .tcp)
    }
}
