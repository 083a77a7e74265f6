// libFuzzer entry point for the HTTP/1.1 parser: the input is both byte streams of one connection,
// split at points the input chooses, with gaps and ends, driven through HTTPConnectionParser exactly as
// the reassembler drives it; a sink checks the order of what comes out. Built only with DMDISSECT_FUZZ=1.
//
// Input layout: byte 0: bit 0 picked up mid-stream, bit 1 small limits (every cap is hit), bit 2 store
// every body (else the DM policy), bit 3 no body stored. Then records until the input ends:
//   control  bit 0 direction (client→server, server→client), bits 1–2 kind:
//            0, 1  data: the next `length` bytes (bits 3–7 of control + 1, or a following byte when 0x1F)
//            2     gap of (bits 3–7 + 1) × 97 bytes
//            3     end (bits 3–4: fin, reset, idle, captureEnded)
import HTTP1
import Packets
import Reassembly

/// A forward-only reader over the fuzzer's bytes; reads past the end give zeros / short slices.
private struct Cursor {
    let bytes: UnsafeRawBufferPointer
    var offset = 0
    var isAtEnd: Bool { offset >= bytes.count }
    mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }
    mutating func slice(_ count: Int) -> UnsafeRawBufferPointer {
        let end = min(bytes.count, offset + count)
        defer { offset = end }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<end])
    }
}

/// Checks the `HTTPSink` call order: exchanges in increasing index, nothing after `connectionEnded`.
private final class CheckingSink: HTTPSink {
    var lastIndex = 0
    var endedCount = 0
    var lastFrame: UInt64 = 0
    let maxStoredBody: Int

    init(maxStoredBody: Int) { self.maxStoredBody = maxStoredBody }

    func exchange(_ exchange: HTTPExchange) {
        guard endedCount == 0 else { fatalError("exchange after connectionEnded") }
        guard exchange.index > lastIndex else { fatalError("exchange \(exchange.index) after \(lastIndex)") }
        lastIndex = exchange.index
        // Decoded bodies have their own cap (maxDecodedBodySize); bodies kept as received may not pass this one.
        if let request = exchange.request {
            guard request.firstFrame <= request.lastFrame, request.lastFrame.rawValue <= lastFrame else {
                fatalError("request frames \(request.firstFrame)…\(request.lastFrame) of \(lastFrame)")
            }
            if request.contentCodings.isEmpty, request.body.count > maxStoredBody {
                fatalError("request body \(request.body.count) over the cap \(maxStoredBody)")
            }
        }
        if let response = exchange.response, response.contentCodings.isEmpty,
            response.body.count > maxStoredBody
        {
            fatalError("response body \(response.body.count) over the cap \(maxStoredBody)")
        }
        for anomaly in exchange.anomalies { _ = anomaly.description }
    }

    func anomaly(_ anomaly: HTTPAnomaly) {
        guard endedCount == 0 else { fatalError("anomaly after connectionEnded") }
        _ = anomaly.description
    }

    func connectionEnded(_ summary: HTTPConnectionSummary) {
        endedCount += 1
        guard endedCount == 1 else { fatalError("connectionEnded twice") }
        guard summary.exchanges == lastIndex else {
            fatalError("summary says \(summary.exchanges) exchanges, \(lastIndex) delivered")
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = Cursor(bytes: UnsafeRawBufferPointer(start: data, count: size))
    let config = input.byte()
    let limits =
        config & 2 != 0
        ? HTTPLimits(
            maxHeaderSectionSize: 200, maxHeaderCount: 6, maxStartLineLength: 64, maxChunkLineLength: 16,
            maxStoredBodySize: 100, maxDecodedBodySize: 300, maxOutstandingRequests: 2, maxMethodLength: 8,
            maxUnrecognizedScan: 300)
        : HTTPLimits.default
    let policy: BodyPolicy = config & 8 != 0 ? .none : config & 4 != 0 ? .all : .dmPackages
    let sink = CheckingSink(maxStoredBody: limits.maxStoredBodySize)
    let info = ConnectionInfo(
        index: 1, client: Endpoint(address: .v4(0x0A00_0002), port: 51514),
        server: Endpoint(address: .v4(0x0A00_0001), port: 80), firstFrame: FrameNumber(1),
        firstTime: Timestamp(seconds: 1_700_000_000, nanoseconds: 0), isPickedUpMidStream: config & 1 != 0)
    var parser = HTTPConnectionParser(
        connection: info, sink: sink, configuration: HTTPConfiguration(limits: limits, bodyPolicy: policy))
    var ignored = [false, false]
    var ended = [false, false]
    var number: UInt64 = 0
    while !input.isAtEnd {
        let control = input.byte()
        let direction: Direction = control & 1 == 0 ? .clientToServer : .serverToClient
        let side = direction.rawValue
        number += 1
        sink.lastFrame = number
        let frame = FrameNumber(number)
        let time = Timestamp(seconds: 1_700_000_000, nanoseconds: UInt32(number % 1_000_000) * 1000)
        let argument = Int(control >> 3)
        var interest = ConsumerInterest.all
        switch (control >> 1) & 0x03 {
        case 0, 1:
            let length = argument == 0x1F ? Int(input.byte()) + 32 : argument + 1
            let bytes = input.slice(length)
            guard !ignored[side], !ended[side], !bytes.isEmpty else { continue }
            interest = parser.receive(bytes, direction: direction, frame: frame, time: time)
        case 2:
            guard !ignored[side], !ended[side] else { continue }
            interest = parser.gap(length: (argument + 1) * 97, direction: direction, frame: frame, time: time)
        default:
            guard !ended[side] else { continue }
            ended[side] = true
            let reasons: [StreamEnd] = [.fin, .reset, .idle, .captureEnded]
            parser.end(reasons[argument & 0x03], direction: direction, frame: frame, time: time)
        }
        switch interest {
        case .all: break
        case .ignoreDirection: ignored[side] = true
        case .ignoreConnection: ignored = [true, true]
        }
    }
    number += 1
    sink.lastFrame = number
    for direction in Direction.allCases where !ended[direction.rawValue] {
        parser.end(.captureEnded, direction: direction, frame: FrameNumber(number), time: .zero)
    }
    guard sink.endedCount == 1 else { fatalError("connectionEnded \(sink.endedCount) times") }
    return 0
}
