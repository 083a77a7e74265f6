/// What one GET returned, as carried by a part of a multipart Package#3 (approved Appendix F).
public enum GETDataContent: Hashable, Sendable {
    /// A leaf value with a text media type (`text/*`, JSON, XML, or no Content-Type: RFC 7578 §4.4
    /// defaults to `text/plain`), decoded from UTF-8, US-ASCII or ISO-8859-1.
    case text(String)
    /// A leaf value with a non-text media type, or text that does not decode: the bytes as sent.
    case binary([UInt8])
    /// An MO serialization (`application/dmmo+json`, §7.2.1.4): one item per addressed MO (instance).
    case moSerialization([MOData])
}

/// One GET-data part of a multipart Package#3, decoded: the part named `N` answers command `N`
/// (0-based) of the previous Package#2.
public struct GETDataPart: Hashable, Sendable {
    /// The `name` of the part's `Content-Disposition` as sent; `nil` when there is none.
    public var name: String?
    /// `name` read as a 0-based command index (ASCII digits only); `nil` when it is not a number.
    public var commandIndex: Int?
    /// The part's `Content-Type`, when present and readable.
    public var mediaType: MediaType?
    /// The `filename` of the `Content-Disposition`, when sent.
    public var filename: String?
    public var content: GETDataContent
    /// 0-based position of the part in the multipart body (the Package#3 JSON is part 0).
    public var partIndex: Int
    /// Byte offset of the part's boundary line in the HTTP body.
    public var offset: Int
    /// The content's position in the HTTP body.
    public var bodyRange: Range<Int>
    /// Problems with this part's content (offsets into the HTTP body), e.g. a malformed MO serialization.
    public var issues: [DecodeError] = []

    public init(
        name: String?, commandIndex: Int?, mediaType: MediaType?, filename: String? = nil, content: GETDataContent,
        partIndex: Int, offset: Int, bodyRange: Range<Int>, issues: [DecodeError] = []
    ) {
        self.name = name
        self.commandIndex = commandIndex
        self.mediaType = mediaType
        self.filename = filename
        self.content = content
        self.partIndex = partIndex
        self.offset = offset
        self.bodyRange = bodyRange
        self.issues = issues
    }

    /// Size of the content in bytes, as sent.
    public var size: Int { bodyRange.count }

    /// The MO items, when the part is an MO serialization.
    public var moData: [MOData]? {
        if case .moSerialization(let items) = content { return items }
        return nil
    }

    /// A command index from a part name: ASCII digits only (no sign, no spaces), at most 9 of them.
    public static func commandIndex(fromName name: String) -> Int? {
        let utf8 = name.utf8
        guard !utf8.isEmpty, utf8.count <= 9, utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(name)
    }

    /// The first `limit` bytes as lower-case hex pairs separated by spaces, with `…` when there are more.
    public static func hexPreview(_ bytes: [UInt8], limit: Int = 32) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        for (index, byte) in bytes.prefix(max(limit, 0)).enumerated() {
            if index > 0 { text.append(" ") }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        if bytes.count > limit { text.append(" …") }
        return text
    }

    /// Decodes the content of a part by its media type: MO serialization, text or binary.
    ///
    /// `body` is the content, only read during the call; the result owns a copy (GET data must outlive
    /// the HTTP body). `baseOffset` is where `body` starts in the HTTP body, for issue offsets.
    static func content(
        of body: UnsafeRawBufferPointer, mediaType: MediaType?, hasContentType: Bool, baseOffset: Int,
        options: PackageDecoder.Options
    ) -> (GETDataContent, [DecodeError]) {
        let essence = mediaType?.essence
        if essence == DMMediaType.moSerialization.rawValue || essence == DMMediaType.crMOData.rawValue {
            let decoded = MODataDecoding.decode(
                body, format: essence == DMMediaType.crMOData.rawValue ? .crJSON : .dmmoJSON, options: options)
            let issues = decoded.issues.map { $0.shifted(by: baseOffset) }
            if let items = decoded.items { return (.moSerialization(items), issues) }
            return (rawContent(body, isText: true, charset: nil).0, issues)
        }
        let isText = !hasContentType || mediaType.map(isTextual) ?? false
        let (content, isDecoded) = rawContent(body, isText: isText, charset: mediaType?.parameter("charset"))
        guard isText, !isDecoded else { return (content, []) }
        let type = mediaType?.description ?? "text/plain"
        return (
            content,
            [
                DecodeError(
                    .schemaDeviation, "The \(type) part does not decode as text; it is kept as bytes.",
                    offset: baseOffset)
            ]
        )
    }

    /// True for media types whose content is text: `text/*`, JSON and XML types.
    static func isTextual(_ mediaType: MediaType) -> Bool {
        let essence = mediaType.essence
        return essence.hasPrefix("text/") || essence == "application/json" || essence.hasSuffix("+json")
            || essence == "application/xml" || essence.hasSuffix("+xml")
    }

    /// Text when `isText` and the charset decodes, else bytes; the flag says whether text decoding succeeded.
    static func rawContent(_ body: UnsafeRawBufferPointer, isText: Bool, charset: String?) -> (GETDataContent, Bool) {
        guard isText else { return (.binary(Array(body)), false) }
        switch charset?.lowercased() {
        case nil, "utf-8", "utf8", "us-ascii":
            var iterator = body.makeIterator()
            var isValid = true
            var text = ""
            text.reserveCapacity(body.count)
            var decoder = UTF8()
            decoding: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar): text.unicodeScalars.append(scalar)
                case .emptyInput: break decoding
                case .error:
                    isValid = false
                    break decoding
                }
            }
            return isValid ? (.text(text), true) : (.binary(Array(body)), false)
        case "iso-8859-1", "latin1", "latin-1":
            // Every byte is the code point of the same value.
            return (.text(String(String.UnicodeScalarView(body.map { Unicode.Scalar($0) }))), true)
        default:
            return (.binary(Array(body)), false)
        }
    }
}

/// A DM-P3-010 problem found by matching GET-data parts against the previous Package#2: a value the
/// checker turns into a finding (it adds the frame numbers).
public struct GETDataFinding: Hashable, Sendable {
    /// The rule all these belong to (reference §6.6).
    public static let rule = "DM-P3-010"

    /// What is wrong, as a stable name.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// A part names a command index that is past the end of the Package#2 or is not a GET.
        case partForNoGET
        /// A part answers a GET whose status is not 200 (or that has no status).
        case partForNon200
        /// A GET with status 200 has no part (or the Package#3 is not multipart at all).
        case missingPart
        /// A part's name is absent or not a decimal number.
        case nonNumericName
        /// Two parts name the same command; the first one is attached.
        case duplicateName
        /// The multipart body has no first part, so no Package#3.
        case missingFirstPart
        /// The first part is not a Package#3 (other kind, not JSON), or does not say it is one.
        case wrongFirstPart
        /// The multipart body ends without its closing boundary.
        case noClosingBoundary
    }

    public var rule: String = GETDataFinding.rule
    public var kind: Kind
    public var severity: DecodeError.Severity
    /// One sentence.
    public var message: String
    /// Byte offset in the HTTP body (a part's boundary line), when there is one place.
    public var offset: Int?
    /// The 0-based command index concerned, when there is one.
    public var commandIndex: Int?

    public init(
        _ kind: Kind, _ message: String, severity: DecodeError.Severity = .error, offset: Int? = nil,
        commandIndex: Int? = nil
    ) {
        self.kind = kind
        self.message = message
        self.severity = severity
        self.offset = offset
        self.commandIndex = commandIndex
    }
}

/// A Package#3 with its GET data attached to the results it answers, and the DM-P3-010 problems.
public struct GETDataMatch: Hashable, Sendable {
    /// The Package#3 with `results[N].getData` set for each part named `N`; `nil` when the body
    /// had no Package#3.
    public var response: Response?
    /// DM-P3-010 problems in body order (structure first, then parts, then GETs without a part).
    public var findings: [GETDataFinding] = []
}

extension PackageDecoding {
    /// Attaches the GET-data parts of this Package#3 to its results and checks rule DM-P3-010
    /// (reference §0.3 "Where GET data goes", §6.6) against `previousCommands`, the commands of the
    /// Package#2 this Package#3 answers.
    ///
    /// The session tracker calls this once it has paired the Package#3 with its Package#2; with
    /// `previousCommands == nil` (Package#2 not captured) only the structure and the part names are
    /// checked. A plain (non-multipart) A-dialect Package#3 is checked too: a GET answered 200 in it
    /// has no data (`.missingPart`). Per-GET checks apply to A-form status items only: the CR dialect
    /// carries GET data inside `Results[].MOD`.
    public func matchingGETData(previousCommands: [Command]?) -> GETDataMatch {
        var match = GETDataMatch(response: response)
        if let multipart {
            appendStructureFindings(multipart, to: &match.findings)
        }
        guard var response else { return match }
        let commands = previousCommands
        var attached: Set<Int> = []
        for part in response.getData {
            guard let index = part.commandIndex else {
                let shown = part.name.map { "'\($0)'" } ?? "no name"
                match.findings.append(
                    GETDataFinding(
                        .nonNumericName,
                        "GET-data part \(part.partIndex) has \(shown); it must be named by the 0-based index of its GET.",
                        offset: part.offset))
                continue
            }
            guard attached.insert(index).inserted else {
                match.findings.append(
                    GETDataFinding(
                        .duplicateName, "A second GET-data part is named \(index); the first one is kept.",
                        offset: part.offset, commandIndex: index))
                continue
            }
            if let commands {
                guard index < commands.count, commands[index].name == .get else {
                    let what =
                        index < commands.count
                        ? "command \(index) is \(commands[index].name.text), not GET"
                        : "the Package#2 has only \(commands.count) commands"
                    match.findings.append(
                        GETDataFinding(
                            .partForNoGET, "GET-data part \(index) names no GET: \(what).", offset: part.offset,
                            commandIndex: index))
                    continue
                }
            }
            guard var results = response.results, index < results.count else {
                match.findings.append(
                    GETDataFinding(
                        .partForNon200, "GET-data part \(index) answers a GET that has no status item.",
                        offset: part.offset, commandIndex: index))
                continue
            }
            if let code = results[index].code, code != 200 {
                match.findings.append(
                    GETDataFinding(
                        .partForNon200, "GET-data part \(index) answers a GET whose status is \(code), not 200.",
                        offset: part.offset, commandIndex: index))
            }
            results[index].getData = part
            response.results = results
        }
        if let commands, let results = response.results {
            for (index, (command, result)) in zip(commands, results).enumerated()
            where command.name == .get && result.code == 200 && result.form == .a && !attached.contains(index) {
                let message =
                    multipart == nil
                    ? "GET \(index) got 200 but the Package#3 is not multipart/form-data, so its data is missing."
                    : "GET \(index) got 200 but no part is named \(index)."
                match.findings.append(GETDataFinding(.missingPart, message, commandIndex: index))
            }
        }
        match.response = response
        return match
    }

    private func appendStructureFindings(_ multipart: MultipartBody, to findings: inout [GETDataFinding]) {
        if let first = multipart.parts.first {
            let type = first.contentType
            if kind != .response {
                let what = kind.map { "a Package#\($0 == .initiation ? 1 : 2)" } ?? "not a Package#3"
                findings.append(
                    GETDataFinding(
                        .wrongFirstPart, "The first part of the multipart body is \(what).", offset: first.offset))
            } else if type?.essence != DMMediaType.response.rawValue {
                let shown = type?.essence ?? first.header(DMHeader.contentType) ?? "no Content-Type"
                findings.append(
                    GETDataFinding(
                        .wrongFirstPart,
                        "The first part is a Package#3 but has \(shown), not \(DMMediaType.response.rawValue).",
                        severity: .warning, offset: first.offset))
            }
        } else {
            findings.append(
                GETDataFinding(
                    .missingFirstPart, "The multipart body has no complete first part, so no Package#3.",
                    offset: multipart.truncatedPart?.offset ?? 0))
        }
        if multipart.issues.contains(where: { $0.kind == .truncatedMultipart }) {
            findings.append(
                GETDataFinding(
                    .noClosingBoundary,
                    "The multipart body ends without its closing boundary '--\(multipart.boundary)--'.",
                    offset: multipart.truncatedPart?.offset ?? multipart.parts.last?.offset))
        }
    }
}

extension DecodeError {
    /// The same problem with its byte offset moved by `base` (line and column stay relative to the
    /// text they were computed in).
    func shifted(by base: Int) -> DecodeError {
        var copy = self
        copy.offset = offset.map { $0 + base }
        return copy
    }
}
