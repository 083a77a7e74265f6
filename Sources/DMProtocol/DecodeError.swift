/// One problem found while decoding DM bytes (a JSON package body or a binary notification).
///
/// Decode errors are values: a decoder that partly succeeds returns what it could decode together
/// with a list of these, and a decoder that cannot decode anything returns (or throws) one of them.
/// Nothing in `DMProtocol` traps on hostile input.
///
/// Positions:
/// - `offset` is the 0-based byte offset into the bytes handed to the decoder (the HTTP body, the
///   UDP payload, …), or `nil` when the problem has no single position (e.g. a missing member).
/// - `line`/`column` are 1-based and set for text (JSON) input only; the column counts **bytes**
///   from the start of the line (not characters), so it matches a hex dump and stays cheap.
/// - `path` is a JSONPath-like location such as `$.SessionInfo.PkgSeq` or `$.CMD[2][0]`, set when
///   the problem sits inside a parsed JSON value.
///
/// Shared vocabulary: the JSON side (`JSONParser`, package decoders) and the notification side
/// (`Notification*`, `WSP*`, `Digest*`) both use this type. Add kinds here rather than making
/// new error types, and keep `message` to one sentence.
public struct DecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable name rules and renderers can match on.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// The bytes are not well-formed JSON (RFC 8259): unexpected character, bad escape, …
        case malformedJSON
        /// A JSON value has the wrong type for its place, e.g. `PkgSeq` as a string.
        case wrongJSONType
        /// A member the format requires is absent.
        case missingMember
        /// An object has the same member name twice (rule DM-CT-007); the later value is kept too.
        case duplicateMember
        /// A byte sequence that is not valid UTF-8 (in JSON text or a notification String field).
        case invalidUTF8
        /// A configured limit (nesting depth, string length, element count, total size) was hit.
        case limitExceeded
        /// Binary input ends before a field it announces (a length that runs past the end).
        case truncatedBinary
        /// A value has the right type but an impossible or out-of-range value.
        case invalidValue
        /// The input is shaped differently from the schema but still decodable (warning level),
        /// e.g. a Package#3 status item written as a bare integer instead of `{"sc": …}`.
        case schemaDeviation
        /// The media type is not one this decoder handles.
        case unsupportedMediaType
        /// Something noteworthy but harmless that the input did (warning level), e.g. a UTF-8 BOM.
        case notice
        /// A multipart body (RFC 2046 / RFC 7578) is broken: no or a bad boundary, no first boundary line,
        /// a malformed part header, no part at all.
        case malformedMultipart
        /// A multipart body ends before its closing boundary (the parts before the cut are still returned).
        case truncatedMultipart
        /// A line of the user's server credentials file (`docs/credentials.md`) cannot be read.
        case malformedCredentials
    }

    /// How serious the problem is; `.warning` never stops a decode.
    public enum Severity: String, Hashable, Sendable, Comparable {
        case warning
        case error

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .warning && rhs == .error }
    }

    public var kind: Kind
    public var severity: Severity
    /// 0-based byte offset into the decoded input, when the problem has one position.
    public var offset: Int?
    /// 1-based line in JSON text, when known.
    public var line: Int?
    /// 1-based byte column within `line`, when known.
    public var column: Int?
    /// JSON path of the value concerned (`$.SessionInfo.PkgSeq`), when known.
    public var path: String?
    /// One sentence for a human.
    public var message: String
    /// For `.limitExceeded`: which limit (nil when the decoder does not say).
    public var limit: DecodeLimit?

    /// A decode problem; severity defaults to `.warning` for `.schemaDeviation` and `.notice`, else `.error`.
    public init(
        _ kind: Kind, _ message: String, offset: Int? = nil, line: Int? = nil, column: Int? = nil,
        path: String? = nil, severity: Severity? = nil, limit: DecodeLimit? = nil
    ) {
        self.kind = kind
        self.limit = limit
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column
        self.path = path
        self.severity = severity ?? ((kind == .schemaDeviation || kind == .notice) ? .warning : .error)
    }

    /// True for error-level problems.
    public var isError: Bool { severity == .error }

    /// `kind at path (line L, column C, offset O): message`, leaving out what is unknown.
    public var description: String {
        var places: [String] = []
        if let line, let column { places.append("line \(line), column \(column)") }
        if let offset { places.append("offset \(offset)") }
        var text = kind.rawValue
        if let path { text += " at \(path)" }
        if !places.isEmpty { text += " (" + places.joined(separator: ", ") + ")" }
        return text + ": " + message
    }
}

extension DecodeError {
    /// 1-based (line, byte column) of `offset` in `bytes`; lines end at LF (a CR before it counts as a column).
    ///
    /// Costs a scan of `bytes[..<offset]`, so call it only when an error is reported.
    public static func lineAndColumn(of offset: Int, in bytes: UnsafeRawBufferPointer) -> (line: Int, column: Int) {
        let end = min(max(offset, 0), bytes.count)
        var line = 1
        var lineStart = 0
        var index = 0
        while index < end {
            if bytes[index] == 0x0A {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        return (line, end - lineStart + 1)
    }
}
