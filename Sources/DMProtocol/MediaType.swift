/// An HTTP media type (`type/subtype; name=value …`), parsed leniently for passive decoding.
///
/// Type and subtype are lower-cased (they are case-insensitive, RFC 9110 §8.3.1); parameter names
/// are lower-cased, values keep their case with quotes and backslash escapes removed. Empty
/// parameters — the stray trailing `;` some DM 2.0 clients send (reference §1.3) — are skipped.
public struct MediaType: Hashable, Sendable, CustomStringConvertible {
    /// `type/subtype`, lower-cased, e.g. `application/vnd.oma.dm.request+json`.
    public var essence: String
    /// Parameters in order, names lower-cased.
    public var parameters: [Parameter]

    public struct Parameter: Hashable, Sendable {
        public var name: String
        public var value: String
    }

    /// Parses a Content-Type value; `nil` when there is no `type/subtype` before the first `;`.
    public init?(_ text: String) {
        // Fast path for the common plain `type/subtype` (ASCII, one slash, no parameter, no space).
        var slashes = 0
        var plain = !text.isEmpty
        var hasUpper = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "/"): slashes += 1
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): hasUpper = true
            case UInt8(ascii: ";"), UInt8(ascii: "\""), UInt8(ascii: " "), UInt8(ascii: "\t"), 0x80...0xFF: plain = false
            default: break
            }
            if !plain { break }
        }
        if plain, slashes == 1, text.utf8.first != UInt8(ascii: "/"), text.utf8.last != UInt8(ascii: "/") {
            self.essence = hasUpper ? text.lowercased() : text
            self.parameters = []
            return
        }
        let pieces = MediaType.splitOutsideQuotes(text, separator: ";")
        guard let first = pieces.first else { return nil }
        let essence = first.trimmingHTTPWhitespace().lowercased()
        let halves = essence.split(separator: "/", omittingEmptySubsequences: false)
        guard halves.count == 2, !halves[0].isEmpty, !halves[1].isEmpty,
            !essence.contains(where: { $0 == " " || $0 == "\t" })
        else { return nil }
        self.essence = essence
        self.parameters = pieces.dropFirst().compactMap { piece -> Parameter? in
            let trimmed = piece.trimmingHTTPWhitespace()
            guard !trimmed.isEmpty else { return nil }
            guard let equals = trimmed.firstIndex(of: "=") else {
                return Parameter(name: trimmed.lowercased(), value: "")
            }
            let name = trimmed[..<equals].trimmingHTTPWhitespace().lowercased()
            let value = MediaType.unquote(Substring(trimmed[trimmed.index(after: equals)...].trimmingHTTPWhitespace()))
            return Parameter(name: name, value: value)
        }
    }

    /// The value of the first parameter called `name` (case-insensitive), e.g. `boundary`.
    public func parameter(_ name: String) -> String? {
        let wanted = name.lowercased()
        return parameters.first(where: { $0.name == wanted })?.value
    }

    public var description: String {
        ([essence] + parameters.map { $0.value.isEmpty ? $0.name : "\($0.name)=\($0.value)" }).joined(separator: "; ")
    }

    /// Splits at `separator` where it is not inside a quoted string.
    static func splitOutsideQuotes(_ text: String, separator: Character) -> [Substring] {
        var pieces: [Substring] = []
        var start = text.startIndex
        var isQuoted = false
        var isEscaped = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if isEscaped {
                isEscaped = false
            } else if isQuoted, character == "\\" {
                isEscaped = true
            } else if character == "\"" {
                isQuoted.toggle()
            } else if !isQuoted, character == separator {
                pieces.append(text[start..<index])
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        pieces.append(text[start...])
        return pieces
    }

    static func unquote(_ text: Substring) -> String {
        guard text.count >= 2, text.first == "\"", text.last == "\"" else { return String(text) }
        var result = ""
        var isEscaped = false
        for character in text.dropFirst().dropLast() {
            if !isEscaped, character == "\\" {
                isEscaped = true
                continue
            }
            isEscaped = false
            result.append(character)
        }
        return result
    }
}

/// The media types DM 2.0 defines for its JSON bodies (reference §1.3, §0.3).
public enum DMMediaType: String, Hashable, Sendable, CaseIterable {
    /// Package#1.
    case initiation = "application/vnd.oma.dm.initiation+json"
    /// Package#2.
    case request = "application/vnd.oma.dm.request+json"
    /// Package#3.
    case response = "application/vnd.oma.dm.response+json"
    /// MO serialization of the approved specification (§7.2.1.4).
    case moSerialization = "application/dmmo+json"
    /// MO data type of the CR draft's example (`SessionInfo.AcceptMO`).
    case crMOData = "application/vnd.oma.dm.mo+json"

    /// The DM media type of a Content-Type value (case-insensitive, parameters and a stray `;` ignored).
    public init?(contentType: String) {
        guard let parsed = MediaType(contentType), let known = DMMediaType(rawValue: parsed.essence) else {
            return nil
        }
        self = known
    }

    /// The package kind carried by this media type, if it is a package type.
    public var packageKind: PackageKind? {
        switch self {
        case .initiation: .initiation
        case .request: .request
        case .response: .response
        case .moSerialization, .crMOData: nil
        }
    }
}

/// One element of an HTTP `Accept`-style list (`Accept`, `OMADM-Accept`, CR `AcceptMO`).
public struct MediaRange: Hashable, Sendable {
    /// The media type, possibly with `*` wildcards (`application/*`, `*/*`).
    public var mediaType: MediaType
    /// The `q` weight, 1 when absent or unreadable.
    public var quality: Double

    /// True when this range admits `essence` (exact, `type/*` or `*/*`).
    public func admits(_ essence: String) -> Bool {
        let wanted = essence.lowercased()
        if mediaType.essence == "*/*" || mediaType.essence == wanted { return true }
        if mediaType.essence.hasSuffix("/*") {
            return wanted.hasPrefix(mediaType.essence.dropLast())  // keep the '/'
        }
        return false
    }

    /// Parses a comma-separated Accept list; unparseable elements are skipped.
    public static func list(_ text: String) -> [MediaRange] {
        MediaType.splitOutsideQuotes(text, separator: ",").compactMap { element in
            guard let mediaType = MediaType(String(element)) else { return nil }
            let quality = mediaType.parameter("q").flatMap { Double($0) } ?? 1
            return MediaRange(mediaType: mediaType, quality: quality)
        }
    }
}

/// HTTP header fields as a plain ordered list, the way the HTTP layer hands them over.
public typealias HTTPHeaderFields = [(name: String, value: String)]

/// Header look-ups DM decoding needs.
public enum DMHeader {
    /// `Content-Type`.
    public static let contentType = "Content-Type"
    /// `OMADM-DevID` (dialect A, Package#1 and #3).
    public static let devID = "OMADM-DevID"
    /// `OMADM-Accept` (dialect A, server responses).
    public static let accept = "OMADM-Accept"

    /// Value of the first header called `name`, compared case-insensitively.
    public static func value(_ name: String, in headers: HTTPHeaderFields) -> String? {
        let wanted = name.lowercased()
        return headers.first(where: { $0.name.lowercased() == wanted })?.value
    }

    /// Value of the first `OMADM-…` header whose name matches `name` ignoring case and the
    /// separators `-`, `_` and space: `OMADM-Accept`, `OMADM_Accept`, `OMADMAccept` and
    /// `OMADM Accept` all match (reference §1.3 UNSURE on the spelling).
    public static func lenientValue(_ name: String, in headers: HTTPHeaderFields) -> (name: String, value: String)? {
        let wanted = Array(squeezed(name).utf8)
        return headers.first(where: { matchesSqueezed($0.name, wanted) })
    }

    /// True when `candidate`, lower-cased (ASCII) without `-`, `_` and spaces, is `wanted` — without
    /// building the squeezed string (this runs for every header of every DM message).
    private static func matchesSqueezed(_ candidate: String, _ wanted: [UInt8]) -> Bool {
        var position = 0
        for byte in candidate.utf8 {
            if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: " ") { continue }
            guard position < wanted.count else { return false }
            let lower = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
            if lower != wanted[position] { return false }
            position += 1
        }
        return position == wanted.count
    }

    private static func squeezed(_ name: String) -> String {
        String(name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " })
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP OWS).
    func trimmingHTTPWhitespace() -> String {
        var start = startIndex
        var end = endIndex
        while start < end, self[start] == " " || self[start] == "\t" { start = index(after: start) }
        while end > start, self[index(before: end)] == " " || self[index(before: end)] == "\t" {
            end = index(before: end)
        }
        return String(self[start..<end])
    }
}
