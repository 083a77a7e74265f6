/// RFC 9112 §6.3, "Message Body Length": how a message's body is delimited, from its head and,
/// for a response, the request it answers.
enum FramingRules {
    /// The decision for one head.
    enum Decision: Equatable {
        /// The body is delimited this way; `problems` are anomalies that did not prevent a decision.
        case framing(BodyFraming, transferCodings: [String], problems: [HeadProblem])
        /// No length can be determined; the parser must resynchronise after the head.
        case unknown(HeadProblem)
        /// The connection leaves HTTP after this message (101 Switching Protocols, 2xx to CONNECT).
        case tunnel
    }

    /// Framing of a request (§6.3 items 3–7).
    static func decide(request head: HTTPRequestHead) -> Decision {
        decide(headers: head.headers, isRequest: true)
    }

    /// Framing of a response to a request with `requestMethod` (nil when the request is unknown).
    static func decide(response head: HTTPResponseHead, requestMethod: String?) -> Decision {
        // §6.3 item 1: a response to HEAD, and any 1xx, 204 or 304 response, ends after its header
        // section whatever its fields say.
        if requestMethod == "HEAD" || head.isInterim || head.status == 204 || head.status == 304 {
            return .framing(.none, transferCodings: [], problems: [])
        }
        // §6.3 item 2: a 2xx response to CONNECT switches to a tunnel; 101 switches protocols (RFC 9110 §15.2.2).
        if head.status == 101 || (requestMethod == "CONNECT" && head.status / 100 == 2) { return .tunnel }
        return decide(headers: head.headers, isRequest: false)
    }

    private static func decide(headers: HTTPHeaders, isRequest: Bool) -> Decision {
        let hasContentLength = headers.contains("Content-Length")
        if headers.contains("Transfer-Encoding") {
            let codings = headers.listElements(for: "Transfer-Encoding")
            var problems: [HeadProblem] = []
            // §6.3 item 3: Transfer-Encoding overrides Content-Length; the pair is a smuggling signal.
            if hasContentLength {
                problems.append(
                    HeadProblem(
                        kind: .contentLengthConflict,
                        message: "The message has both Content-Length and Transfer-Encoding; Transfer-Encoding wins."))
            }
            let others = codings.filter { $0 != "chunked" && $0 != "identity" }
            if codings.last == "chunked" {
                return .framing(.chunked, transferCodings: others, problems: problems)
            }
            // §6.3 item 4: chunked not last: a response runs until close, a request cannot be delimited.
            if isRequest {
                return .unknown(
                    HeadProblem(
                        kind: .badTransferEncoding,
                        message: "The request's Transfer-Encoding does not end in chunked, so its length is unknown."))
            }
            return .framing(.untilClose, transferCodings: others, problems: problems)
        }
        if hasContentLength {
            // §6.3 item 5: an invalid value, or a list of differing values, is unrecoverable; a list of
            // identical values (`42, 42`) is one value (RFC 9110 §8.6).
            var length: Int?
            for element in headers.values(for: "Content-Length").flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
                let text = element.trimmingCharacters(in: " \t")
                guard let value = parseDecimal(text) else {
                    return .unknown(
                        HeadProblem(kind: .badContentLength, message: "Content-Length \"\(text.prefix(40))\" is not a decimal number."))
                }
                if let previous = length, previous != value {
                    return .unknown(
                        HeadProblem(
                            kind: .contentLengthConflict,
                            message: "Content-Length values \(previous) and \(value) differ, so the body length is unknown."))
                }
                length = value
            }
            if let length { return .framing(.contentLength(length), transferCodings: [], problems: []) }
        }
        // §6.3 items 6–8: no length fields: a request has no body, a response runs until close.
        return .framing(isRequest ? .none : .untilClose, transferCodings: [], problems: [])
    }

    /// 1DIGIT… as an Int, or nil when empty, not all digits, or over `Int.max`.
    private static func parseDecimal(_ text: Substring) -> Int? {
        guard !text.isEmpty else { return nil }
        var value = 0
        for byte in text.utf8 {
            guard ASCII.isDigit(byte) else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(byte - 0x30))
            if o1 || o2 { return nil }
            value = sum
        }
        return value
    }
}
