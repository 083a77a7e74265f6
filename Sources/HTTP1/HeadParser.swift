/// A parsed head of either kind.
enum ParsedHead {
    case request(HTTPRequestHead)
    case response(HTTPResponseHead)

    var headers: HTTPHeaders {
        switch self {
        case .request(let head): return head.headers
        case .response(let head): return head.headers
        }
    }
}

/// A problem inside a header section that does not stop the message.
struct HeadProblem: Equatable {
    var kind: HTTPAnomaly.Kind
    var message: String
}

/// Parses complete header sections (start line, field lines, empty line) that `MessageParser` has
/// collected; never sees partial input.
enum HeadParser {
    /// The head in `section` (start line through the empty line), or nil when the start line is
    /// invalid (the caller validated it already, so nil means a caller bug, handled as bad input).
    static func parseHead(_ section: [UInt8], role: MessageRole) -> (ParsedHead, [HeadProblem])? {
        var storage = section
        guard let firstLineFeed = storage.firstIndex(of: ASCII.lf) else { return nil }
        let lineEnd = firstLineFeed > 0 && storage[firstLineFeed - 1] == ASCII.cr ? firstLineFeed - 1 : firstLineFeed
        let (ranges, problems) = parseFields(&storage, from: firstLineFeed + 1)
        let parsed: ParsedHead? = storage.withUnsafeBytes { raw in
            let line = UnsafeRawBufferPointer(rebasing: raw[0..<lineEnd])
            switch role {
            case .request:
                guard let start = StartLine.parseRequest(line) else { return nil }
                return .request(
                    HTTPRequestHead(
                        method: start.method, target: start.target, version: start.version,
                        headers: HTTPHeaders(storage: storage, ranges: ranges)))
            case .response:
                guard let start = StartLine.parseStatus(line) else { return nil }
                return .response(
                    HTTPResponseHead(
                        version: start.version, status: start.status, reason: start.reason,
                        headers: HTTPHeaders(storage: storage, ranges: ranges)))
            }
        }
        return parsed.map { ($0, problems) }
    }

    /// The fields of a trailer section (field lines through the empty line).
    static func parseTrailers(_ section: [UInt8]) -> (HTTPHeaders, [HeadProblem]) {
        var storage = section
        let (ranges, problems) = parseFields(&storage, from: 0)
        return (HTTPHeaders(storage: storage, ranges: ranges), problems)
    }

    /// Field lines from `start` up to the first empty line (RFC 9112 §5). Lines may end in CRLF or
    /// a bare LF (§2.2). obs-fold continuation lines (§5.2) are joined to the previous value by
    /// overwriting the line break with spaces in `storage`; lines that are not fields are skipped
    /// and reported.
    static func parseFields(_ storage: inout [UInt8], from start: Int) -> ([HTTPHeaders.FieldRange], [HeadProblem]) {
        var ranges: [HTTPHeaders.FieldRange] = []
        var problems: [HeadProblem] = []
        var lineStart = start
        while lineStart < storage.count {
            guard let lineFeed = storage[lineStart...].firstIndex(of: ASCII.lf) else { break }
            var lineEnd = lineFeed
            if lineEnd > lineStart && storage[lineEnd - 1] == ASCII.cr { lineEnd -= 1 }
            if lineEnd == lineStart { break }  // the empty line that ends the section
            defer { lineStart = lineFeed + 1 }

            if ASCII.isWhitespace(storage[lineStart]) {
                // RFC 9112 §5.2: a recipient may replace each obs-fold with SP before interpreting.
                guard var last = ranges.last else {
                    problems.append(HeadProblem(kind: .badHeader, message: "The header section starts with whitespace."))
                    continue
                }
                problems.append(HeadProblem(kind: .obsFold, message: "A header value continues on the next line (obs-fold)."))
                var contentEnd = lineEnd
                while contentEnd > lineStart && ASCII.isWhitespace(storage[contentEnd - 1]) { contentEnd -= 1 }
                guard contentEnd > lineStart else { continue }
                for index in last.value.upperBound..<lineStart where storage[index] == ASCII.cr || storage[index] == ASCII.lf {
                    storage[index] = ASCII.space
                }
                var contentStart = lineStart
                while ASCII.isWhitespace(storage[contentStart]) { contentStart += 1 }  // stops before contentEnd
                let valueStart = last.value.isEmpty ? contentStart : last.value.lowerBound
                last.value = valueStart..<contentEnd
                ranges[ranges.count - 1] = last
                continue
            }

            // field-line = field-name ":" OWS field-value OWS; no whitespace before the colon (§5.1).
            guard let colon = storage[lineStart..<lineEnd].firstIndex(of: ASCII.colon), colon > lineStart,
                storage[lineStart..<colon].allSatisfy(ASCII.isTokenByte)
            else {
                problems.append(HeadProblem(kind: .badHeader, message: "A header line is not a valid field line and was ignored."))
                continue
            }
            var valueStart = colon + 1
            var valueEnd = lineEnd
            while valueStart < valueEnd && ASCII.isWhitespace(storage[valueStart]) { valueStart += 1 }
            while valueEnd > valueStart && ASCII.isWhitespace(storage[valueEnd - 1]) { valueEnd -= 1 }
            ranges.append(HTTPHeaders.FieldRange(name: lineStart..<colon, value: valueStart..<valueEnd))
        }
        return (ranges, problems)
    }
}
