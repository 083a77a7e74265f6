/// A parsed DM 2.0 ClientURI (reference §5.5, approved spec §6.1):
/// `MOID "/" mo-inst "/" path ["?" query]`.
///
/// Both spellings are accepted. The approved form starts with `urn:` and has an instance segment
/// (`urn:oma:mo:oma-dm-devinfo:1.0//FwV`: empty instance, path `FwV`). The CR form has no `urn:`
/// and no instance segment (`oma:mo:oma-dm-devinfo:1.0/FwV`: path `FwV`). `InstanceLayout`
/// decides which reading applies; by default it follows the `urn:` prefix.
///
/// Text is kept raw: no percent-decoding (the reference leaves escaping open).
public struct ClientURI: Hashable, Sendable, CustomStringConvertible {
    /// The whole text as received.
    public var text: String
    /// The MO identifier as written (`urn:oma:mo:oma-fumo:1.0` or `oma:mo:oma-dm-devinfo:1.0`).
    public var moid: String
    /// Which MO instance(s) are addressed.
    public var instance: Instance
    /// Node names below the instance root; may contain `*` and x-names `(x)`. Empty = the MO root.
    public var path: [String]
    /// Query fields in order; unknown fields are kept (the spec says receivers ignore them).
    public var query: [QueryField]

    /// The instance segment.
    public enum Instance: Hashable, Sendable {
        /// A named instance (MIID), e.g. `apps`.
        case miid(String)
        /// An x-name `(x)`, resolved by an `nv=` field; the name is stored without parentheses.
        case xName(String)
        /// `""`: the only instance of the MO.
        case only
        /// `*`: all instances.
        case all
        /// No instance segment: the CR layout, which addresses the MO directly.
        case absent
    }

    /// One `name=value` field of the query.
    public enum QueryField: Hashable, Sendable {
        /// `lv=<n>`: levels to return (GET/HPUT/HPOST); `levels` is `nil` when not a number.
        case levels(Int?, raw: String)
        /// `nv=(x)/rel-path:value`: binds x-name `x` to the instance/node whose `rel-path` has `value`.
        case nameValue(xName: String, relativePath: String, value: String)
        /// `cv=<validator>`: cache validator (§11; 304 Not Modified).
        case cacheValidator(String)
        /// Any other field, or an `nv=` that does not have the `(x)/path:value` shape.
        case unknown(name: String, value: String)
    }

    /// How to read the segment after the MOID.
    public enum InstanceLayout: Hashable, Sendable {
        /// `urn:`-prefixed MOIDs have an instance segment, others (CR spelling) do not.
        case automatic
        /// Always read an instance segment (approved layout).
        case withInstance
        /// Never read an instance segment (CR layout).
        case withoutInstance
    }

    /// Parses `text`; throws `.invalidValue` when it does not start with `MOID "/"`.
    public init(_ text: String, layout: InstanceLayout = .automatic) throws(DecodeError) {
        self.text = text
        // On the UTF-8 bytes: the delimiters are ASCII, and Character iteration (grapheme
        // breaking) made this parse a visible share of a whole run.
        let utf8 = text.utf8
        var end = utf8.endIndex
        var queryText: Substring?
        if let question = utf8.firstIndex(of: UInt8(ascii: "?")) {
            queryText = text[utf8.index(after: question)...]
            end = question
        }
        let isURN = text.hasASCIIPrefixIgnoringCase("urn:")
        guard isURN || text.hasASCIIPrefixIgnoringCase("oma:mo:") else {
            throw DecodeError(
                .invalidValue, "A ClientURI must start with an MO identifier (urn:… or oma:mo:…).", path: nil)
        }
        guard let slash = utf8[..<end].firstIndex(of: UInt8(ascii: "/")) else {
            throw DecodeError(.invalidValue, "A ClientURI needs a '/' after its MO identifier.")
        }
        moid = String(text[..<slash])
        // Every '/'-separated segment after the MOID, empty ones included.
        var segments: [String] = []
        var segmentStart = utf8.index(after: slash)
        while true {
            let segmentEnd = utf8[segmentStart..<end].firstIndex(of: UInt8(ascii: "/")) ?? end
            segments.append(String(text[segmentStart..<segmentEnd]))
            guard segmentEnd < end else { break }
            segmentStart = utf8.index(after: segmentEnd)
        }
        let hasInstance: Bool
        switch layout {
        case .automatic: hasInstance = isURN
        case .withInstance: hasInstance = true
        case .withoutInstance: hasInstance = false
        }
        if hasInstance {
            let segment = segments.removeFirst()  // split always yields at least one element
            switch segment {
            case "": instance = .only
            case "*": instance = .all
            default:
                if let name = Self.xName(segment) {
                    instance = .xName(name)
                } else {
                    instance = .miid(segment)
                }
            }
        } else {
            instance = .absent
        }
        // A trailing '/' (`…:1.0//`, `…:1.0/`) addresses the root, not an empty node name.
        if segments.last == "" { segments.removeLast() }
        path = segments
        query = queryText.map(Self.parseQuery) ?? []
    }

    /// `urn:`-prefixed MOID for display (the CR writes it without).
    public var normalizedMOID: String { moid.lowercased().hasPrefix("urn:") ? moid : "urn:" + moid }

    /// The `cv=` value, if any.
    public var cacheValidator: String? {
        for field in query { if case .cacheValidator(let value) = field { return value } }
        return nil
    }

    /// The `lv=` value, if any and numeric.
    public var levels: Int? {
        for field in query { if case .levels(let value, _) = field { return value } }
        return nil
    }

    /// x-names used in the instance or path that no `nv=` field binds (they must all be bound).
    public var unresolvedXNames: [String] {
        var used: [String] = []
        if case .xName(let name) = instance { used.append(name) }
        used += path.compactMap(Self.xName)
        let bound = Set(query.compactMap { field -> String? in
            if case .nameValue(let name, _, _) = field { return name }
            return nil
        })
        return used.filter { !bound.contains($0) }
    }

    public var description: String { text }

    /// The name inside `(name)`, or `nil` when `segment` is not an x-name.
    static func xName(_ segment: String) -> String? {
        guard segment.count >= 3, segment.first == "(", segment.last == ")" else { return nil }
        let name = segment.dropFirst().dropLast()
        return name.contains(where: { $0 == "(" || $0 == ")" }) ? nil : String(name)
    }

    static func parseQuery(_ text: Substring) -> [QueryField] {
        text.split(separator: "&").map { field in
            let name: Substring
            let value: Substring
            if let equals = field.firstIndex(of: "=") {
                name = field[..<equals]
                value = field[field.index(after: equals)...]
            } else {
                name = field
                value = ""
            }
            switch name {
            case "lv": return .levels(Int(value), raw: String(value))
            case "cv": return .cacheValidator(String(value))
            case "nv":
                // (x)/rel-path:value — the first ':' after the x-name's path ends the path.
                if let close = value.firstIndex(of: ")"), let name = xName(String(value[...close])),
                    value[value.index(after: close)...].first == "/",
                    let colon = value[close...].firstIndex(of: ":")
                {
                    let pathStart = value.index(close, offsetBy: 2)
                    return .nameValue(
                        xName: name, relativePath: String(value[pathStart..<colon]),
                        value: String(value[value.index(after: colon)...]))
                }
                return .unknown(name: "nv", value: String(value))
            default: return .unknown(name: String(name), value: String(value))
            }
        }
    }
}
