import HTTP1
import Packets
import Reassembly

/// The `--format http` view: one line per HTTP exchange (a debugging view of what reassembly and
/// the HTTP parser extracted, before any DM decoding), like `tshark -Y http` but paired.
///
/// ```
/// conn 1 #2 frames 10-11 > 13  2026-11-25T14:21:17.737543Z  127.0.0.1:34126 > 127.0.0.1:80
///     POST /dm [application/vnd.oma.dm.response+json 23 B] > 200 OK [application/vnd.oma.dm.request+json 18 B] 0.306 ms
/// ```
public struct HTTPExchangeRenderer {
    private let precision: TimestampPrecision

    /// A renderer printing times with `precision`.
    public init(precision: TimestampPrecision) {
        self.precision = precision
    }

    /// The lines for one exchange (two: where and when, then what).
    public func lines(for exchange: HTTPExchange) -> [String] {
        let connection = exchange.connection
        var first = "conn \(connection.index) #\(exchange.index) frames "
        first += frames(exchange.request) + " > " + frames(exchange.response)
        let start = exchange.request?.firstTime ?? exchange.response?.firstTime
        if let start { first += "  " + TimeFormat.iso8601(start, precision: precision) }
        first += "  \(connection.client) > \(connection.server)"
        if connection.isPickedUpMidStream { first += " (picked up mid-stream)" }

        var second = "    "
        if let request = exchange.request {
            let head = request.head
            second += TerminalText.escape(head.method) + " " + TerminalText.escape(head.target)
            second += " " + body(request, headers: head.headers)
        } else {
            second += "(request not captured)"
        }
        second += " > "
        for interim in exchange.interimResponses {
            second += "\(interim.head.status) \(TerminalText.escape(interim.head.reason)), "
        }
        if let response = exchange.response {
            let head = response.head
            second += "\(head.status) \(TerminalText.escape(head.reason)) " + body(response, headers: head.headers)
            if let request = exchange.request {
                let nanoseconds = request.lastTime.nanoseconds(to: response.lastTime)
                second += " " + TimeFormat.milliseconds(nanoseconds: nanoseconds)
            }
        } else {
            second += "(no response)"
        }
        return [first, second]
    }

    private func frames<Head>(_ message: HTTPMessage<Head>?) -> String {
        guard let message else { return "-" }
        if message.firstFrame == message.lastFrame { return message.firstFrame.description }
        return "\(message.firstFrame)-\(message.lastFrame)"
    }

    /// `[content-type N B chunked gzip→M B]` plus flags.
    private func body<Head>(_ message: HTTPMessage<Head>, headers: HTTPHeaders) -> String {
        var parts: [String] = []
        if let type = headers.first("Content-Type") { parts.append(TerminalText.escape(type)) }
        parts.append("\(message.payloadLength) B")
        if case .chunked = message.framing { parts.append("chunked") }
        if case .untilClose = message.framing { parts.append("until-close") }
        for coding in message.contentCodings {
            let decoded = message.flags.contains(.notDecoded) || message.flags.contains(.bodySkipped)
            parts.append(TerminalText.escape(coding) + (decoded ? "" : ":\(message.body.count) B"))
        }
        let flags = message.flags
        if flags.contains(.bodySkipped) { parts.append("not kept") }
        if flags.contains(.bodyCapped) { parts.append("capped") }
        if flags.contains(.gap) { parts.append("GAP") }
        if flags.contains(.truncated) { parts.append("TRUNCATED") }
        if flags.contains(.framingError) { parts.append("FRAMING-ERROR") }
        return "[" + parts.joined(separator: " ") + "]"
    }
}
