/// Limits for splitting a multipart body; each one that is hit is reported as a `.limitExceeded` issue.
public struct MultipartLimits: Hashable, Sendable {
    /// Default part cap. A hostile body of 10^5 tiny parts must not cost a part record each: splitting
    /// stops after this many parts (a Package#3 has one part per GET, far fewer in practice).
    public static let defaultMaxParts = 10_000
    /// Default cap on one part's header section (boundary line excluded, blank line included).
    public static let defaultMaxHeaderBytesPerPart = 16 * 1024
    /// Default cap on header fields per part; later fields are skipped.
    public static let defaultMaxHeadersPerPart = 64
    /// Boundaries longer than this are not searched for at all (RFC 2046 allows 70; a longer one is
    /// still tried, with an error, up to here so that comparing at each line start stays cheap).
    public static let maxSearchableBoundaryLength = 1_024

    public var maxParts = defaultMaxParts
    public var maxHeaderBytesPerPart = defaultMaxHeaderBytesPerPart
    public var maxHeadersPerPart = defaultMaxHeadersPerPart

    public init() {}

    public static let `default` = MultipartLimits()
}

/// One header field of a body part, as sent (name case kept), with the offset of its line.
public struct MultipartHeader: Hashable, Sendable {
    public var name: String
    /// The value without surrounding whitespace; folded continuation lines are joined with one space.
    public var value: String
    /// Byte offset of the field's first line in the multipart body.
    public var offset: Int

    public init(name: String, value: String, offset: Int) {
        self.name = name
        self.value = value
        self.offset = offset
    }
}

/// A `Content-Disposition` value (RFC 6266 syntax as used by RFC 7578 §4.2), parsed leniently.
public struct ContentDisposition: Hashable, Sendable {
    /// The disposition type, lower-cased: `form-data` for multipart/form-data parts.
    public var type: String
    /// Parameters in order, names lower-cased, quoted values unquoted.
    public var parameters: [MediaType.Parameter]

    /// Parses `form-data; name="0"; filename=x.txt`; `nil` when the type is empty.
    public init?(_ text: String) {
        let pieces = MediaType.splitOutsideQuotes(text, separator: ";")
        guard let first = pieces.first else { return nil }
        let type = first.trimmingHTTPWhitespace().lowercased()
        guard !type.isEmpty else { return nil }
        self.type = type
        self.parameters = pieces.dropFirst().compactMap { piece -> MediaType.Parameter? in
            let trimmed = piece.trimmingHTTPWhitespace()
            guard !trimmed.isEmpty else { return nil }
            guard let equals = trimmed.firstIndex(of: "=") else {
                return MediaType.Parameter(name: trimmed.lowercased(), value: "")
            }
            let name = trimmed[..<equals].trimmingHTTPWhitespace().lowercased()
            let value = MediaType.unquote(Substring(trimmed[trimmed.index(after: equals)...].trimmingHTTPWhitespace()))
            return MediaType.Parameter(name: name, value: value)
        }
    }

    /// The value of the first parameter called `name` (case-insensitive).
    public func parameter(_ name: String) -> String? {
        let wanted = name.lowercased()
        return parameters.first(where: { $0.name == wanted })?.value
    }

    /// The `name` parameter (RFC 7578 §4.2: the form field name; DM 2.0 Appendix F: the command index).
    public var name: String? { parameter("name") }
    /// The `filename` parameter, when sent.
    public var filename: String? { parameter("filename") }
    /// True for `form-data`.
    public var isFormData: Bool { type == "form-data" }
}

/// One body part: its header fields and where its bytes are in the multipart body.
///
/// The part does not hold its bytes: `bodyRange` indexes the body that was split, so a part costs no
/// copy (slice the body with `UnsafeRawBufferPointer(rebasing: body[part.bodyRange])`).
public struct MultipartPart: Hashable, Sendable {
    /// 0-based position among the parts of the body.
    public var index: Int
    /// Byte offset of the part's boundary line (`--boundary`) in the body.
    public var offset: Int
    /// The header section, blank line excluded (empty when the part has no headers).
    public var headerRange: Range<Int>
    /// The part's content; the line break before the next boundary belongs to the boundary (RFC 2046 §5.1.1).
    public var bodyRange: Range<Int>
    /// Header fields in order, unknown ones included.
    public var headers: [MultipartHeader]

    public init(index: Int, offset: Int, headerRange: Range<Int>, bodyRange: Range<Int>, headers: [MultipartHeader]) {
        self.index = index
        self.offset = offset
        self.headerRange = headerRange
        self.bodyRange = bodyRange
        self.headers = headers
    }

    /// Value of the first header called `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first(where: { $0.name.lowercased() == wanted })?.value
    }

    /// The parsed `Content-Disposition`, when present.
    public var disposition: ContentDisposition? { header("Content-Disposition").flatMap(ContentDisposition.init) }
    /// The parsed `Content-Type`, when present and readable (RFC 7578 §4.4: absent means `text/plain`).
    public var contentType: MediaType? { header(DMHeader.contentType).flatMap(MediaType.init) }
    /// The `name` of the `Content-Disposition`, when sent.
    public var name: String? { disposition?.name }
    /// Size of the content in bytes.
    public var size: Int { bodyRange.count }
}

/// A `multipart/*` body split at its boundary (RFC 2046 §5.1, RFC 7578): parts as byte ranges into the
/// body, with every problem found.
///
/// Tolerated, as receivers do: CRLF or bare-LF line ends, a preamble before the first boundary, an
/// epilogue after the closing one, whitespace after a boundary, a part without headers. A line that
/// starts with `--boundary` but goes on with other text is part content, and so is `--boundary` anywhere
/// but at a line start. A body that ends before its closing boundary gives the parts complete so far,
/// the cut one in `truncatedPart`, and an error.
public struct MultipartBody: Hashable, Sendable {
    /// The boundary the body was split with.
    public var boundary: String
    /// The complete parts, in order.
    public var parts: [MultipartPart] = []
    /// The part the body ends inside (no boundary after it), when its header section was complete.
    public var truncatedPart: MultipartPart?
    /// Bytes before the first boundary line (its line break excluded); ignored by receivers.
    public var preamble: Range<Int> = 0..<0
    /// Bytes after the closing boundary (`--boundary--`), when there was one; ignored by receivers.
    public var epilogue: Range<Int>?
    /// True when the closing boundary was found.
    public var isClosed: Bool { epilogue != nil }
    /// True when splitting stopped at `MultipartLimits.maxParts`; later parts were not looked at.
    public var isCapped = false
    /// Problems with byte offsets into the body, in order.
    public var issues: [DecodeError] = []

    public init(boundary: String) { self.boundary = boundary }

    /// The `boundary` of a multipart media type with its problems (RFC 2046 §5.1.1: 1–70 characters from
    /// `bchars`, not ending in a space); `boundary == nil` when there is none to split with.
    public static func boundary(of mediaType: MediaType) -> (boundary: String?, issues: [DecodeError]) {
        guard let boundary = mediaType.parameter("boundary"), !boundary.isEmpty else {
            let message = "The \(mediaType.essence) Content-Type has no boundary parameter (RFC 2046 §5.1.1)."
            return (nil, [DecodeError(.malformedMultipart, message)])
        }
        let utf8 = boundary.utf8
        guard utf8.count <= MultipartLimits.maxSearchableBoundaryLength else {
            let message =
                "The boundary is \(utf8.count) bytes long; RFC 2046 allows 70 and longer than "
                + "\(MultipartLimits.maxSearchableBoundaryLength) is not searched for."
            return (nil, [DecodeError(.malformedMultipart, message)])
        }
        var issues: [DecodeError] = []
        if utf8.count > 70 {
            issues.append(
                DecodeError(
                    .malformedMultipart, "The boundary is \(utf8.count) characters long; RFC 2046 allows 1 to 70."))
        }
        if let bad = utf8.first(where: { !isBoundaryCharacter($0) }) {
            let shown =
                bad >= 0x20 && bad < 0x7F ? "'\(Character(Unicode.Scalar(bad)))'" : "byte 0x\(String(bad, radix: 16))"
            issues.append(
                DecodeError(
                    .malformedMultipart, "The boundary contains \(shown), which RFC 2046 §5.1.1 does not allow."))
        } else if utf8.last == 0x20 {
            issues.append(
                DecodeError(.malformedMultipart, "The boundary ends in a space (RFC 2046 §5.1.1 forbids it)."))
        }
        return (boundary, issues)
    }

    /// RFC 2046 §5.1.1 `bchars`: DIGIT / ALPHA / `'()+_,-./:=?` and space.
    static func isBoundaryCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"):
            true
        case UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "+"), UInt8(ascii: "_"),
            UInt8(ascii: ","), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: ":"),
            UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: " "):
            true
        default: false
        }
    }

    /// Splits `body` with the boundary of `mediaType`; boundary problems come first in `issues`.
    ///
    /// `body` is only read during the call; the result holds ranges into it.
    public static func split(
        _ body: UnsafeRawBufferPointer, mediaType: MediaType, limits: MultipartLimits = .default
    ) -> MultipartBody {
        let (boundary, boundaryIssues) = Self.boundary(of: mediaType)
        guard let boundary else {
            var result = MultipartBody(boundary: "")
            result.issues = boundaryIssues
            return result
        }
        var result = split(body, boundary: boundary, limits: limits)
        result.issues.insert(contentsOf: boundaryIssues, at: 0)
        return result
    }

    /// Splits `body` at `boundary` (not validated here; see `boundary(of:)`).
    ///
    /// `body` is only read during the call; the result holds ranges into it. Cost is linear in the body
    /// size: each byte is looked at once to find line starts, and a boundary comparison is made only at
    /// line starts that begin with `-`.
    public static func split(
        _ body: UnsafeRawBufferPointer, boundary: String, limits: MultipartLimits = .default
    ) -> MultipartBody {
        var result = MultipartBody(boundary: boundary)
        guard !boundary.isEmpty, boundary.utf8.count <= MultipartLimits.maxSearchableBoundaryLength else {
            result.issues.append(DecodeError(.malformedMultipart, "The boundary is empty or too long to search for."))
            return result
        }
        let scanner = MultipartScanner(body: body, boundary: Array(boundary.utf8))
        guard let first = scanner.nextDelimiter(from: 0) else {
            result.preamble = 0..<body.count
            result.issues.append(
                DecodeError(
                    .malformedMultipart,
                    "No line starts with the boundary '--\(boundary)': the first boundary is missing.",
                    offset: 0))
            return result
        }
        result.preamble = 0..<scanner.contentEnd(before: first.offset, from: 0)
        var delimiter = first
        while true {
            switch delimiter.kind {
            case .close(let epilogueStart):
                if result.parts.isEmpty {
                    result.issues.append(
                        DecodeError(
                            .malformedMultipart, "The body has a closing boundary but no part (RFC 2046 needs one).",
                            offset: delimiter.offset))
                }
                result.epilogue = epilogueStart..<body.count
                return result
            case .open(let partStart):
                guard result.parts.count < limits.maxParts else {
                    result.isCapped = true
                    result.issues.append(
                        DecodeError(
                            .limitExceeded,
                            "The body has more than \(limits.maxParts) parts; the rest is not split.",
                            offset: delimiter.offset, limit: .multipart))
                    return result
                }
                let head = scanner.headerSection(
                    from: partStart, limits: limits, issues: &result.issues)
                var part = MultipartPart(
                    index: result.parts.count, offset: delimiter.offset, headerRange: head.headerRange,
                    bodyRange: head.bodyStart..<head.bodyStart, headers: head.headers)
                guard let next = head.next ?? scanner.nextDelimiter(from: head.bodyStart) else {
                    if head.isComplete {
                        part.bodyRange = head.bodyStart..<body.count
                        result.truncatedPart = part
                    }
                    result.issues.append(
                        DecodeError(
                            .truncatedMultipart,
                            "The body ends inside part \(part.index) (boundary line at offset \(part.offset)) with no closing boundary.",
                            offset: body.count))
                    return result
                }
                if head.next == nil {
                    part.bodyRange = head.bodyStart..<scanner.contentEnd(before: next.offset, from: head.bodyStart)
                }
                result.parts.append(part)
                delimiter = next
            }
        }
    }
}

/// The byte-level work of `MultipartBody.split`: boundary lines and header sections. Every index is
/// checked against `body.count` before it is read.
struct MultipartScanner {
    /// A boundary line: `--boundary` then either `--` (close) or optional whitespace and a line end.
    struct Delimiter {
        enum Kind {
            /// A part follows; its header section starts at the payload.
            case open(partStart: Int)
            /// `--boundary--`; the epilogue starts at the payload (right after the `--`).
            case close(epilogueStart: Int)
        }
        /// Offset of the first `-` of the line.
        var offset: Int
        var kind: Kind
    }

    /// What the header section of one part gave.
    struct HeaderSection {
        var headers: [MultipartHeader]
        var headerRange: Range<Int>
        /// First byte of the content (after the blank line), or where reading stopped.
        var bodyStart: Int
        /// False when the body ended before the blank line.
        var isComplete: Bool
        /// A boundary line met before the blank line: the part ends there with no content.
        var next: Delimiter?
    }

    let body: UnsafeRawBufferPointer
    /// `--` followed by the boundary.
    let dashBoundary: [UInt8]

    init(body: UnsafeRawBufferPointer, boundary: [UInt8]) {
        self.body = body
        self.dashBoundary = [UInt8(ascii: "-"), UInt8(ascii: "-")] + boundary
    }

    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let dash = UInt8(ascii: "-")

    /// Offset of the next LF at or after `start`, or `nil`.
    @inline(__always)
    func lineFeed(from start: Int, before limit: Int = .max) -> Int? {
        var index = start
        let count = min(body.count, limit)
        while index < count {
            if body[index] == Self.lineFeed { return index }
            index += 1
        }
        return nil
    }

    /// The delimiter whose line starts at `offset`, or `nil` when that line is not a boundary line.
    func delimiter(at offset: Int) -> Delimiter? {
        let count = body.count
        // Compare before adding: `offset <= count` and dashBoundary is at most 1,026 bytes, so no overflow.
        guard offset >= 0, count - offset >= dashBoundary.count else { return nil }
        for (index, byte) in dashBoundary.enumerated() where body[offset + index] != byte { return nil }
        var cursor = offset + dashBoundary.count
        if cursor + 1 < count, body[cursor] == Self.dash, body[cursor + 1] == Self.dash {
            return Delimiter(offset: offset, kind: .close(epilogueStart: cursor + 2))
        }
        // RFC 2046 §5.1.1 transport padding: linear whitespace before the line end.
        while cursor < count, body[cursor] == 0x20 || body[cursor] == 0x09 { cursor += 1 }
        if cursor == count { return Delimiter(offset: offset, kind: .open(partStart: count)) }
        if body[cursor] == Self.lineFeed { return Delimiter(offset: offset, kind: .open(partStart: cursor + 1)) }
        if body[cursor] == Self.carriageReturn {
            if cursor + 1 == count { return Delimiter(offset: offset, kind: .open(partStart: count)) }
            if body[cursor + 1] == Self.lineFeed {
                return Delimiter(offset: offset, kind: .open(partStart: cursor + 2))
            }
        }
        // `--boundaryX…` or `--boundary text`: content, not a boundary.
        return nil
    }

    /// The first boundary line starting at `lineStart` (which must be a line start) or at a later line start.
    func nextDelimiter(from lineStart: Int) -> Delimiter? {
        var start = lineStart
        let count = body.count
        while start < count {
            if body[start] == Self.dash, let found = delimiter(at: start) { return found }
            guard let end = lineFeed(from: start) else { return nil }
            start = end + 1
        }
        return nil
    }

    /// End of content that a boundary line at `delimiterOffset` closes: its preceding LF, and a CR before
    /// that, belong to the boundary (RFC 2046 §5.1.1); never before `floor`.
    func contentEnd(before delimiterOffset: Int, from floor: Int) -> Int {
        var end = delimiterOffset
        if end > floor, end - 1 < body.count, body[end - 1] == Self.lineFeed {
            end -= 1
            if end > floor, body[end - 1] == Self.carriageReturn { end -= 1 }
        }
        return end
    }

    /// Reads the header fields of a part starting at `start`, up to and including the blank line.
    func headerSection(from start: Int, limits: MultipartLimits, issues: inout [DecodeError]) -> HeaderSection {
        var headers: [MultipartHeader] = []
        var lineStart = start
        let count = body.count
        var hasReportedCount = false
        while true {
            guard lineStart < count else {
                return HeaderSection(
                    headers: headers, headerRange: start..<count, bodyStart: count, isComplete: false, next: nil)
            }
            // The blank line ends the header section (RFC 2046 §5.1.1: a part may have no headers at all).
            if body[lineStart] == Self.lineFeed {
                return HeaderSection(
                    headers: headers, headerRange: start..<lineStart, bodyStart: lineStart + 1, isComplete: true,
                    next: nil)
            }
            if body[lineStart] == Self.carriageReturn, lineStart + 1 < count, body[lineStart + 1] == Self.lineFeed {
                return HeaderSection(
                    headers: headers, headerRange: start..<lineStart, bodyStart: lineStart + 2, isComplete: true,
                    next: nil)
            }
            if body[lineStart] == Self.dash, let next = delimiter(at: lineStart) {
                issues.append(
                    DecodeError(
                        .malformedMultipart,
                        "A part's header section runs into the next boundary without a blank line; the part has no content.",
                        offset: lineStart))
                return HeaderSection(
                    headers: headers, headerRange: start..<lineStart, bodyStart: lineStart, isComplete: true, next: next
                )
            }
            // The header section may not run past the cap, whatever its line structure.
            let headerLimit = start + min(limits.maxHeaderBytesPerPart, count - start)
            let lineFeed = lineFeed(from: lineStart, before: headerLimit)
            guard lineFeed != nil || headerLimit == count else {
                issues.append(
                    DecodeError(
                        .limitExceeded,
                        "A part's header section is longer than \(limits.maxHeaderBytesPerPart) bytes; the part has no content.",
                        offset: start, limit: .multipart))
                let next = nextDelimiter(from: lineStart)
                let end = next.map { contentEnd(before: $0.offset, from: lineStart) } ?? count
                return HeaderSection(
                    headers: headers, headerRange: start..<end, bodyStart: end, isComplete: next != nil,
                    next: next)
            }
            var lineEnd = lineFeed ?? count
            if lineEnd > lineStart, body[lineEnd - 1] == Self.carriageReturn { lineEnd -= 1 }
            let line = UnsafeRawBufferPointer(rebasing: body[lineStart..<lineEnd])
            if line.first == 0x20 || line.first == 0x09, !headers.isEmpty {
                // obs-fold (RFC 5322 §2.2.3): a continuation of the previous field.
                let continuation = String(decoding: line, as: UTF8.self).trimmingHTTPWhitespace()
                headers[headers.count - 1].value += " " + continuation
            } else if let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0,
                !line[..<colon].contains(where: { $0 == 0x20 || $0 == 0x09 })
            {
                if headers.count < limits.maxHeadersPerPart {
                    let name = String(decoding: UnsafeRawBufferPointer(rebasing: line[..<colon]), as: UTF8.self)
                    let value = String(decoding: UnsafeRawBufferPointer(rebasing: line[(colon + 1)...]), as: UTF8.self)
                    headers.append(
                        MultipartHeader(name: name, value: value.trimmingHTTPWhitespace(), offset: lineStart))
                } else if !hasReportedCount {
                    hasReportedCount = true
                    issues.append(
                        DecodeError(
                            .limitExceeded,
                            "A part has more than \(limits.maxHeadersPerPart) header fields; the rest are skipped.",
                            offset: lineStart, limit: .multipart))
                }
            } else {
                issues.append(
                    DecodeError(
                        .malformedMultipart, "A part header line is not 'Name: value'; it is skipped.",
                        offset: lineStart))
            }
            guard let lineFeed else {
                return HeaderSection(
                    headers: headers, headerRange: start..<count, bodyStart: count, isComplete: false, next: nil)
            }
            lineStart = lineFeed + 1
        }
    }
}
