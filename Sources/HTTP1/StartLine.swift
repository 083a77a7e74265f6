/// Recognises and parses request lines and status lines (RFC 9112 §3, §4).
enum StartLine {
    /// How far the first bytes of a line go towards being a start line.
    enum PrefixVerdict: Equatable {
        /// Could still be one; more bytes needed.
        case undecided
        /// Starts like one (`token SP` or `HTTP/`); only the whole line can tell.
        case plausible
        /// Cannot be one.
        case impossible
    }

    /// A parsed request line.
    struct Request {
        var method: String
        var target: String
        var version: HTTPVersion
    }

    /// A parsed status line.
    struct Status {
        var version: HTTPVersion
        var status: Int
        var reason: String
    }

    private static let httpSlash: [UInt8] = Array("HTTP/".utf8)

    /// Whether `prefix` (the first bytes of a line, maybe incomplete) can start a request line
    /// (`token SP`, the token at most `maxMethodLength` bytes) or a status line (`HTTP/`).
    static func prefixVerdict(_ prefix: UnsafeRawBufferPointer, role: MessageRole, maxMethodLength: Int)
        -> PrefixVerdict
    {
        switch role {
        case .request:
            for (index, byte) in prefix.enumerated() {
                if byte == ASCII.space { return index == 0 ? .impossible : .plausible }
                if !ASCII.isTokenByte(byte) || index >= maxMethodLength { return .impossible }
            }
            return .undecided
        case .response:
            for (index, expected) in httpSlash.enumerated() {
                guard index < prefix.count else { return .undecided }
                if prefix[index] != expected { return .impossible }
            }
            return .plausible
        }
    }

    /// `request-line = method SP request-target SP HTTP-version` (RFC 9112 §3), `line` without its
    /// CRLF; runs of spaces between the parts are tolerated.
    static func parseRequest(_ line: UnsafeRawBufferPointer) -> Request? {
        guard let first = line.first, ASCII.isTokenByte(first) else { return nil }  // no leading whitespace
        let parts = line.split(separator: ASCII.space, omittingEmptySubsequences: true)
        guard parts.count == 3, parts[0].allSatisfy(ASCII.isTokenByte),
            parts[1].allSatisfy({ $0 > ASCII.space && $0 != 0x7F }),
            let version = parseVersion(parts[2])
        else { return nil }
        return Request(
            method: String(decoding: parts[0], as: UTF8.self),
            target: String(decoding: parts[1], as: UTF8.self), version: version)
    }

    /// `status-line = HTTP-version SP status-code SP [ reason-phrase ]` (RFC 9112 §4); a missing
    /// SP before an empty reason is tolerated, as the RFC asks of recipients.
    static func parseStatus(_ line: UnsafeRawBufferPointer) -> Status? {
        guard line.count >= 12, let version = parseVersion(line[0..<8]), line[8] == ASCII.space,
            line[9..<12].allSatisfy(ASCII.isDigit)
        else { return nil }
        let status = line[9..<12].reduce(0) { $0 * 10 + Int($1 - 0x30) }  // three digits: ≤ 999
        guard status >= 100 else { return nil }
        var reason = ""
        if line.count > 12 {
            guard line[12] == ASCII.space else { return nil }
            let phrase = line[13...]
            guard phrase.allSatisfy({ $0 == ASCII.tab || $0 >= ASCII.space }) else { return nil }
            reason = String(decoding: phrase, as: UTF8.self)
        }
        return Status(version: version, status: status, reason: reason)
    }

    /// `HTTP/DIGIT.DIGIT`.
    private static func parseVersion(_ bytes: Slice<UnsafeRawBufferPointer>) -> HTTPVersion? {
        guard bytes.count == 8, bytes.starts(with: httpSlash) else { return nil }
        let major = bytes[bytes.startIndex + 5]
        let dot = bytes[bytes.startIndex + 6]
        let minor = bytes[bytes.startIndex + 7]
        guard ASCII.isDigit(major), dot == UInt8(ascii: "."), ASCII.isDigit(minor) else { return nil }
        return HTTPVersion(major: Int(major - 0x30), minor: Int(minor - 0x30))
    }
}

/// Which kind of message a direction carries.
enum MessageRole: Sendable {
    /// Client to server.
    case request
    /// Server to client.
    case response
}
