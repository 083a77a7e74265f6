import Packets
import Reassembly

@testable import TLS

/// Bytes from hex, ignoring spaces and newlines.
func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8).filter { !($0 == 0x20 || $0 == 0x0A) }
    return KeyLogLine.hexBytes(digits[...]) ?? []
}

/// Collects what the TLS layer passes on, per direction.
struct RecordingConsumer: ConnectionConsumer {
    var received: [[UInt8]] = [[], []]
    var frames: [[FrameNumber]] = [[], []]
    var gaps: [Int] = [0, 0]
    var ended: [Bool] = [false, false]
    var interest = ConsumerInterest.all

    mutating func receive(
        _ bytes: UnsafeRawBufferPointer, direction: Direction, frame: FrameNumber, time: Timestamp
    ) -> ConsumerInterest {
        received[direction.rawValue].append(contentsOf: bytes)
        frames[direction.rawValue].append(frame)
        return interest
    }

    mutating func gap(length: Int, direction: Direction, frame: FrameNumber, time: Timestamp) -> ConsumerInterest {
        gaps[direction.rawValue] += length
        return interest
    }

    mutating func end(_ reason: StreamEnd, direction: Direction, frame: FrameNumber, time: Timestamp) {
        ended[direction.rawValue] = true
    }
}

/// Collects what the TLS layer reports.
final class RecordingSink: TLSSink {
    var handshakes: [(TLSHandshakeInfo, Bool)] = []
    var events: [TLSEvent] = []
    var summaries: [TLSConnectionSummary] = []

    func handshake(_ info: TLSHandshakeInfo, isDecrypted: Bool, connection: ConnectionInfo) {
        handshakes.append((info, isDecrypted))
    }
    func event(_ event: TLSEvent) { events.append(event) }
    func connectionEnded(_ summary: TLSConnectionSummary) { summaries.append(summary) }

    var rules: [String] { events.map(\.rule) }
}

/// A connection between 10.0.0.2:50000 and 10.0.0.1:443.
let testConnection = ConnectionInfo(
    index: 1, client: Endpoint(address: .v4(0x0A00_0002), port: 50000),
    server: Endpoint(address: .v4(0x0A00_0001), port: 443), firstFrame: FrameNumber(1),
    firstTime: Timestamp.zero, isPickedUpMidStream: false)

/// One delivery to a consumer.
struct Delivery {
    var direction: Direction
    var bytes: [UInt8]
}

/// Runs `deliveries` through a `TLSConsumer` (frame N for the N-th delivery), ends both
/// directions, and returns the inner consumer and the sink.
func run(_ deliveries: [Delivery], keyLog: String) -> (RecordingConsumer, RecordingSink) {
    var issues: [KeyLogIssue] = []
    let keys = KeyStore(keyLog: KeyLog(parsing: Array(keyLog.utf8), source: "test", issues: &issues))
    let sink = RecordingSink()
    var consumer = TLSConsumer(connection: testConnection, inner: RecordingConsumer(), keys: keys, sink: sink)
    var frame: UInt64 = 0
    for delivery in deliveries {
        frame += 1
        _ = delivery.bytes.withUnsafeBytes {
            consumer.receive($0, direction: delivery.direction, frame: FrameNumber(frame), time: .zero)
        }
    }
    consumer.end(.fin, direction: .clientToServer, frame: FrameNumber(frame + 1), time: .zero)
    consumer.end(.fin, direction: .serverToClient, frame: FrameNumber(frame + 1), time: .zero)
    return (consumer.inner, sink)
}

/// A deterministic generator (SplitMix64), so a failing case names its seed.
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
