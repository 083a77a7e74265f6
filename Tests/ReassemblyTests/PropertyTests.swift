import Packets
import PropertyBased
import Reassembly
import Testing

/// One random scenario: a payload cut into segments, some duplicated, some re-cut with overlaps
/// of the same data, all shuffled (FIN somewhere among them); the ISN is random, so some cross 2^32.
/// With `acknowledging`, the receiver now and then acknowledges what it holds contiguously, as a
/// real receiver does: that must never turn into a gap.
private func scenario(
    seed: UInt64, acknowledging: Bool = false
) -> (payload: [UInt8], recording: Recording, events: [ReassemblyEvent]) {
    var rng = SplitMix64(seed: seed)
    let length = Int.random(in: 1...4000, using: &rng)
    let payload = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
    let isn = UInt32.random(in: 0...UInt32.max, using: &rng)
    var pieces: [Range<Int>] = []
    var offset = 0
    while offset < length {
        let end = min(length, offset + Int.random(in: 1...300, using: &rng))
        pieces.append(offset..<end)
        offset = end
    }
    var all = pieces
    for _ in 0..<Int.random(in: 0...pieces.count, using: &rng) {
        all.append(pieces[Int.random(in: 0..<pieces.count, using: &rng)])
    }
    for _ in 0..<Int.random(in: 0...8, using: &rng) {
        let start = Int.random(in: 0..<length, using: &rng)
        all.append(start..<min(length, start + Int.random(in: 1...600, using: &rng)))
    }
    all.shuffle(using: &rng)
    let finPosition = Int.random(in: 0...all.count, using: &rng)

    var h = Harness()
    h.handshake(clientISN: isn)
    let first = isn &+ 1
    var received = [Bool](repeating: false, count: length)
    var contiguous = 0
    for (index, range) in all.enumerated() {
        if index == finPosition { h.send(.client, seq: first &+ UInt32(length), flags: .fin) }
        // range.lowerBound < 4000: the conversion cannot fail.
        h.send(.client, seq: first &+ UInt32(range.lowerBound), Array(payload[range]))
        guard acknowledging else { continue }
        for offset in range { received[offset] = true }
        while contiguous < length, received[contiguous] { contiguous += 1 }
        if Bool.random(using: &rng) { h.send(.server, seq: 5001, ack: first &+ UInt32(contiguous)) }
    }
    if finPosition == all.count { h.send(.client, seq: first &+ UInt32(length), flags: .fin) }
    h.finish()
    return (payload, h.recording, h.events)
}

@Suite("Property: order, duplication and re-segmentation do not change the stream")
struct PropertyTests {
    @Test("any permutation/duplication/overlapping re-segmentation yields the same stream, no gaps", arguments: 0..<300)
    func anyOrder(seed: Int) {
        let (payload, recording, events) = scenario(seed: UInt64(seed), acknowledging: seed % 2 == 1)
        #expect(recording.stream(1, .clientToServer) == payload)
        #expect(recording.gaps(1, .clientToServer).isEmpty)
        #expect(recording.end(1, .clientToServer) == .fin)
        #expect(events.isEmpty)
    }

    @Test("the same property over generated seeds (PropertyBased reports a reproducible seed)")
    func anyOrderGenerated() async {
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            let (payload, recording, events) = scenario(seed: seed)
            #expect(recording.stream(1, .clientToServer) == payload)
            #expect(events.isEmpty)
        }
    }
}
