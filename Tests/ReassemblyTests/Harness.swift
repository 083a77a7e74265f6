import Packets
import Reassembly

/// What a recording consumer saw, shared by the factory and its consumers (tests are single-threaded).
final class Recording {
    /// One consumer call.
    enum Call: Equatable {
        case data([UInt8], frame: FrameNumber)
        case gap(Int)
        case end(StreamEnd)
    }

    var connections: [ConnectionInfo] = []
    var calls: [Int: [Direction: [Call]]] = [:]
    /// What the consumer of (connection, direction) answers after its n-th receive (1-based).
    var interest: (ConnectionInfo, Direction, Int) -> ConsumerInterest = { _, _, _ in .all }
    /// Whether the factory makes a consumer for a connection.
    var accepts: (ConnectionInfo) -> Bool = { _ in true }

    func record(_ call: Call, connection: Int, direction: Direction) {
        calls[connection, default: [:]][direction, default: []].append(call)
    }

    /// The calls of a direction of a connection (1-based index).
    func calls(_ connection: Int = 1, _ direction: Direction) -> [Call] { calls[connection]?[direction] ?? [] }

    /// The delivered bytes of a direction, gaps left out.
    func stream(_ connection: Int = 1, _ direction: Direction) -> [UInt8] {
        calls(connection, direction).flatMap { call -> [UInt8] in
            if case .data(let bytes, _) = call { return bytes }
            return []
        }
    }

    /// The gap lengths of a direction.
    func gaps(_ connection: Int = 1, _ direction: Direction) -> [Int] {
        calls(connection, direction).compactMap { call in
            if case .gap(let length) = call { return length }
            return nil
        }
    }

    /// How the direction ended (nil if it did not, or more than once).
    func end(_ connection: Int = 1, _ direction: Direction) -> StreamEnd? {
        let ends = calls(connection, direction).compactMap { call -> StreamEnd? in
            if case .end(let reason) = call { return reason }
            return nil
        }
        return ends.count == 1 ? ends[0] : nil
    }
}

/// Records every call; answers what `Recording.interest` says.
struct RecordingConsumer: ConnectionConsumer {
    let info: ConnectionInfo
    let recording: Recording
    var receives: [Direction: Int] = [:]

    mutating func receive(
        _ bytes: UnsafeRawBufferPointer, direction: Direction, frame: FrameNumber, time: Timestamp
    ) -> ConsumerInterest {
        recording.record(.data([UInt8](bytes), frame: frame), connection: info.index, direction: direction)
        receives[direction, default: 0] += 1
        return recording.interest(info, direction, receives[direction, default: 0])
    }

    mutating func gap(length: Int, direction: Direction, frame: FrameNumber, time: Timestamp) -> ConsumerInterest {
        recording.record(.gap(length), connection: info.index, direction: direction)
        return .all
    }

    mutating func end(_ reason: StreamEnd, direction: Direction, frame: FrameNumber, time: Timestamp) {
        recording.record(.end(reason), connection: info.index, direction: direction)
    }
}

struct RecordingFactory: ConnectionConsumerFactory {
    let recording: Recording

    mutating func makeConsumer(for connection: ConnectionInfo) -> RecordingConsumer? {
        recording.connections.append(connection)
        return recording.accepts(connection) ? RecordingConsumer(info: connection, recording: recording) : nil
    }
}

/// Which side sends a segment.
enum Side { case client, server }

/// Feeds hand-built TCP segments through a `Reassembler` as `DecodedPacket`s with IPv4 and TCP
/// headers, numbering frames from 1 and advancing a capture clock.
struct Harness {
    let recording = Recording()
    var reassembler: Reassembler<RecordingFactory>
    var events: [ReassemblyEvent] = []
    var frame: UInt64 = 0
    /// Capture time in nanoseconds since the epoch.
    var clock: Int64 = 1_700_000_000_000_000_000
    var client = Endpoint(address: .v4(0x0A00_0002), port: 51514)
    var server = Endpoint(address: .v4(0x0A00_0001), port: 80)

    init(limits: ReassemblyLimits = .init()) {
        reassembler = Reassembler(factory: RecordingFactory(recording: recording), limits: limits)
    }

    var statistics: ReassemblyStatistics { reassembler.statistics }

    /// Sends one segment; `wireLength` larger than the payload makes it snaplen-cut. Returns its frame.
    @discardableResult
    mutating func send(
        _ side: Side, seq: UInt32, ack: UInt32? = nil, flags: TCPFlags = [], _ payload: [UInt8] = [],
        wireLength: Int? = nil, window: UInt16 = 65535, after nanoseconds: Int64 = 1_000_000
    ) -> FrameNumber {
        let (source, destination) = side == .client ? (client, server) : (server, client)
        return send(
            from: source, to: destination, seq: seq, ack: ack, flags: flags, payload, wireLength: wireLength,
            window: window, after: nanoseconds)
    }

    /// Sends one segment between any two endpoints.
    @discardableResult
    mutating func send(
        from source: Endpoint, to destination: Endpoint, seq: UInt32, ack: UInt32? = nil, flags: TCPFlags = [],
        _ payload: [UInt8] = [], wireLength: Int? = nil, window: UInt16 = 65535, after nanoseconds: Int64 = 1_000_000
    ) -> FrameNumber {
        frame += 1
        clock += nanoseconds
        let number = FrameNumber(frame)
        let time = Timestamp(seconds: clock / 1_000_000_000, nanoseconds: UInt32(clock % 1_000_000_000))
        var allFlags = flags
        if ack != nil { allFlags.insert(.ack) }
        let tcp = TCPInfo(
            sourcePort: source.port, destinationPort: destination.port, sequence: SequenceNumber(seq),
            acknowledgment: SequenceNumber(ack ?? 0), flags: allFlags, window: window, dataOffset: 5)
        let length = wireLength ?? payload.count
        let ip = IPv4Info(
            source: source.address, destination: destination.address, ttl: 64, identification: 0,
            dontFragment: true, moreFragments: false, fragmentOffset: 0, headerLength: 20, totalLength: 40 + length,
            protocolNumber: .tcp, checksum: 0, checksumValid: true, optionsRange: 20..<20, options: [])
        payload.withUnsafeBytes { raw in
            var packet = DecodedPacket(
                frame: number, timestamp: time, linkType: .raw, bytes: raw, originalLength: 40 + length)
            packet.network = .ipv4(ip)
            packet.transport = .tcp(tcp)
            packet.payload = raw
            packet.payloadLength = length
            packet.isTruncated = length > payload.count
            reassembler.process(packet, events: &events)
        }
        return number
    }

    /// Client SYN (ISN `clientISN`), SYN-ACK (ISN `serverISN`), ACK.
    mutating func handshake(clientISN: UInt32 = 1000, serverISN: UInt32 = 5000) {
        send(.client, seq: clientISN, flags: .syn)
        send(.server, seq: serverISN, ack: clientISN &+ 1, flags: .syn)
        send(.client, seq: clientISN &+ 1, ack: serverISN &+ 1)
    }

    mutating func finish() { reassembler.finish(events: &events) }

    /// The rule names of the events so far.
    var rules: [String] { events.map(\.rule) }
}

/// Bytes `0, 1, 2, …` (mod 251, so that shifted copies differ) starting at `start`.
func bytes(_ count: Int, from start: Int = 0) -> [UInt8] {
    (0..<count).map { UInt8((start + $0) % 251) }
}

/// A ten-line seeded generator (as in swift-argument-parser's `roll` example): runs repeat exactly.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476C_E5E9_B85B
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
