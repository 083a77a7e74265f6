import HTTP1
import Packets
import Reassembly

/// Records everything a parser reports, in call order.
final class RecordingSink: HTTPSink {
    enum Call {
        case exchange(HTTPExchange)
        case anomaly(HTTPAnomaly)
        case ended(HTTPConnectionSummary)
    }

    var calls: [Call] = []

    func exchange(_ exchange: HTTPExchange) { calls.append(.exchange(exchange)) }
    func anomaly(_ anomaly: HTTPAnomaly) { calls.append(.anomaly(anomaly)) }
    func connectionEnded(_ summary: HTTPConnectionSummary) { calls.append(.ended(summary)) }

    var exchanges: [HTTPExchange] {
        calls.compactMap { if case .exchange(let exchange) = $0 { return exchange } else { return nil } }
    }
    /// Anomalies delivered alone.
    var looseAnomalies: [HTTPAnomaly] {
        calls.compactMap { if case .anomaly(let anomaly) = $0 { return anomaly } else { return nil } }
    }
    /// Every anomaly name, loose or attached, in delivery order.
    var anomalyNames: [String] {
        calls.flatMap { call -> [String] in
            switch call {
            case .exchange(let exchange): return exchange.anomalies.map(\.name)
            case .anomaly(let anomaly): return [anomaly.name]
            case .ended: return []
            }
        }
    }
    var summary: HTTPConnectionSummary? {
        calls.compactMap { if case .ended(let summary) = $0 { return summary } else { return nil } }.first
    }
}

/// One thing that happens to a connection.
enum Event {
    case data(Direction, [UInt8])
    case gap(Direction, Int)
    case end(Direction, StreamEnd)
}

/// Drives an `HTTPConnectionParser` through `ConnectionConsumer` exactly as the reassembler would:
/// event `i` carries frame `i + 1`; after an `.ignore…` answer only `end` calls follow.
struct TestDriver {
    static let client = Endpoint(address: .v4(0x0A00_0002), port: 51514)
    static let server = Endpoint(address: .v4(0x0A00_0001), port: 80)

    var configuration = HTTPConfiguration()
    var isPickedUpMidStream = false

    /// Runs `events` (then `end(.fin)` for any direction not ended) and returns the sink and
    /// every interest the parser returned.
    func run(_ events: [Event]) -> (sink: RecordingSink, interests: [ConsumerInterest]) {
        let sink = RecordingSink()
        let info = ConnectionInfo(
            index: 7, client: Self.client, server: Self.server, firstFrame: FrameNumber(1),
            firstTime: Timestamp(seconds: 1_700_000_000, nanoseconds: 0), isPickedUpMidStream: isPickedUpMidStream)
        let factory = HTTPConnectionParserFactory(sink: sink, configuration: configuration)
        guard var parser = factory.makeConsumer(for: info) else { return (sink, []) }
        var ignored: Set<Direction> = []
        var ended: Set<Direction> = []
        var interests: [ConsumerInterest] = []
        for (number, event) in events.enumerated() {
            let frame = FrameNumber(UInt64(number + 1))
            let time = Timestamp(seconds: 1_700_000_000, nanoseconds: UInt32(number) * 1000)
            var interest: ConsumerInterest?
            switch event {
            case .data(let direction, let bytes):
                guard !ignored.contains(direction), !ended.contains(direction) else { continue }
                interest = bytes.withUnsafeBytes { parser.receive($0, direction: direction, frame: frame, time: time) }
            case .gap(let direction, let length):
                guard !ignored.contains(direction), !ended.contains(direction) else { continue }
                interest = parser.gap(length: length, direction: direction, frame: frame, time: time)
            case .end(let direction, let reason):
                guard !ended.contains(direction) else { continue }
                ended.insert(direction)
                parser.end(reason, direction: direction, frame: frame, time: time)
            }
            if let interest {
                interests.append(interest)
                switch interest {
                case .all: break
                case .ignoreDirection: ignored.insert(event.direction)
                case .ignoreConnection: ignored.formUnion(Direction.allCases)
                }
            }
        }
        let last = FrameNumber(UInt64(events.count + 1))
        for direction in Direction.allCases where !ended.contains(direction) {
            parser.end(.fin, direction: direction, frame: last, time: .zero)
        }
        return (sink, interests)
    }
}

extension Event {
    var direction: Direction {
        switch self {
        case .data(let direction, _), .gap(let direction, _), .end(let direction, _): return direction
        }
    }
}

/// SplitMix64: a ten-line seeded generator so that every random split repeats exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15  // wrap-around is the algorithm
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// `bytes` cut at `points` (sorted, inside `1..<bytes.count`).
func split(_ bytes: [UInt8], at points: [Int]) -> [[UInt8]] {
    var pieces: [[UInt8]] = []
    var start = 0
    for point in points where point > start && point < bytes.count {
        pieces.append(Array(bytes[start..<point]))
        start = point
    }
    pieces.append(Array(bytes[start...]))
    return pieces
}

/// `bytes` cut into random pieces of 1…`maxPiece` bytes.
func randomSplit(_ bytes: [UInt8], maxPiece: Int, using rng: inout SplitMix64) -> [[UInt8]] {
    var pieces: [[UInt8]] = []
    var start = 0
    while start < bytes.count {
        let length = Int.random(in: 1...maxPiece, using: &rng)
        let end = min(bytes.count, start + length)
        pieces.append(Array(bytes[start..<end]))
        start = end
    }
    return pieces
}

/// Everything about an exchange that does not depend on how the bytes were segmented.
struct ExchangeDigest: Hashable, CustomStringConvertible {
    var index: Int
    var method: String?
    var target: String?
    var interimStatuses: [Int]
    var status: Int?
    var requestBody: [UInt8]?
    var responseBody: [UInt8]?
    var requestFlags: UInt16?
    var responseFlags: UInt16?
    var anomalies: [String]

    init(_ exchange: HTTPExchange) {
        index = exchange.index
        method = exchange.request?.head.method
        target = exchange.request?.head.target
        interimStatuses = exchange.interimResponses.map(\.head.status)
        status = exchange.response?.head.status
        requestBody = exchange.request?.body
        responseBody = exchange.response?.body
        requestFlags = exchange.request?.flags.rawValue
        responseFlags = exchange.response?.flags.rawValue
        anomalies = exchange.anomalies.map(\.name)
    }

    var description: String {
        "#\(index) \(method ?? "-") \(target ?? "-") → \(interimStatuses) \(status.map(String.init) ?? "-") \(anomalies)"
    }
}

func digests(_ sink: RecordingSink) -> [ExchangeDigest] { sink.exchanges.map(ExchangeDigest.init) }

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }
