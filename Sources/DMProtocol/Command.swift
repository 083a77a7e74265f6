/// The name of a DM 2.0 command: one of the twelve of reference §4, or any other text as `.unknown`.
public enum CommandName: Hashable, Sendable, CustomStringConvertible {
    case hget, hput, hpost, delete, exec, get, show, cont, end, `default`, sub, unsub
    /// A name that is not one of the twelve (rule DM-P2-001/002); kept as written.
    case unknown(String)

    /// The twelve DM 2.0 commands, in the order of reference §4.
    public static let known: [CommandName] = [
        .hget, .hput, .hpost, .delete, .exec, .get, .show, .cont, .end, .default, .sub, .unsub,
    ]

    /// The command called `text`. Matching is exact: the specification writes names in capitals,
    /// so `get` is `.unknown("get")` (a checker may still say it looks like GET).
    public init(_ text: String) {
        self = Self.known.first(where: { $0.text == text }) ?? .unknown(text)
    }

    /// The name as written on the wire.
    public var text: String {
        switch self {
        case .hget: "HGET"
        case .hput: "HPUT"
        case .hpost: "HPOST"
        case .delete: "DELETE"
        case .exec: "EXEC"
        case .get: "GET"
        case .show: "SHOW"
        case .cont: "CONT"
        case .end: "END"
        case .default: "DEFAULT"
        case .sub: "SUB"
        case .unsub: "UNSUB"
        case .unknown(let text): text
        }
    }

    public var isKnown: Bool {
        if case .unknown = self { return false }
        return true
    }

    public var description: String { text }

    /// The parameters this command takes, in order (reference §0.3 "Commands and parameter order").
    public var signature: CommandSignature? {
        switch self {
        case .hget: CommandSignature(required: [.serverURI], optional: [.clientURI])
        case .hput, .hpost: CommandSignature(required: [.serverURI, .clientURI], repeatsLast: true)
        case .delete, .get, .unsub: CommandSignature(required: [.clientURI])
        case .exec: CommandSignature(required: [.clientURI], optional: [.serverURI])
        case .show, .cont: CommandSignature(required: [.serverURI])
        case .end: CommandSignature(required: [])
        case .default: CommandSignature(required: [.serverURI, .moid])
        case .sub: CommandSignature(required: [.serverURI, .clientURI])
        case .unknown: nil
        }
    }
}

/// What a command parameter is (reference §4, §5.5).
public enum ArgumentRole: String, Hashable, Sendable {
    /// Absolute `http`/`https` URI of a data repository, web server or DM server.
    case serverURI
    /// `MOID "/" instance "/" path ["?" query]`.
    case clientURI
    /// A bare MO identifier, e.g. `urn:oma:mo:oma-fumo:1.0`.
    case moid
    /// Beyond what the command's signature allows, or any parameter of an unknown command.
    case extra
    /// A text that fits none of the shapes above (used only for `CommandArgument.shape`).
    case other
}

/// The parameter list of one command: `required` in order, then `optional` in order; with
/// `repeatsLast`, the last required role may repeat (HPUT/HPOST: `ServerURI ClientURI+`).
public struct CommandSignature: Hashable, Sendable {
    public var required: [ArgumentRole]
    public var optional: [ArgumentRole] = []
    public var repeatsLast = false

    /// The role expected at 0-based `position`, or `.extra` past the end.
    public func role(at position: Int) -> ArgumentRole {
        if position < required.count { return required[position] }
        if repeatsLast, let last = required.last { return last }
        let optionalPosition = position - required.count
        return optionalPosition < optional.count ? optional[optionalPosition] : .extra
    }

    /// True when `count` parameters satisfy the signature.
    public func accepts(count: Int) -> Bool {
        guard count >= required.count else { return false }
        return repeatsLast || count <= required.count + optional.count
    }
}

/// One parameter of a command, with the role its position gives it and the role its text looks like.
public struct CommandArgument: Hashable, Sendable {
    /// The parameter as received; normally a string, anything else is reported and kept.
    public var value: JSONValue
    /// Role by position in the command's signature (`.extra` beyond it or for unknown commands).
    public var role: ArgumentRole
    /// Role the text looks like: `.serverURI`, `.clientURI`, `.moid` or `.other`.
    public var shape: ArgumentRole

    /// The text, when the parameter is a string.
    public var text: String? { value.stringValue }

    /// The parsed ClientURI, when the text parses as one (parsed once, when the argument is made:
    /// several rules look at it).
    public let clientURI: ClientURI?

    /// True when what the text looks like agrees with what the position asks for (DM-P2-003/004).
    public var hasExpectedShape: Bool { role == .extra || role == shape }

    public init(value: JSONValue, role: ArgumentRole) {
        self.value = value
        self.role = role
        self.shape = value.stringValue.map(ArgumentRole.shape(of:)) ?? .other
        // Only what is, or must be, a ClientURI is parsed as one.
        self.clientURI =
            (role == .clientURI || shape == .clientURI) ? value.stringValue.flatMap { try? ClientURI($0) } : nil
    }
}

extension ArgumentRole {
    /// What `text` looks like (reference §5.5): `http(s)://…` is a ServerURI; an MO identifier
    /// (`urn:…` or the CR's `oma:mo:…`) followed by `/` is a ClientURI, without `/` an MOID.
    public static func shape(of text: String) -> ArgumentRole {
        let utf8 = text.utf8
        if utf8.hasASCIIPrefixIgnoringCase("http://") || utf8.hasASCIIPrefixIgnoringCase("https://") { return .serverURI }
        if utf8.hasASCIIPrefixIgnoringCase("urn:") || utf8.hasASCIIPrefixIgnoringCase("oma:mo:") {
            return utf8.contains(UInt8(ascii: "/")) ? .clientURI : .moid
        }
        return .other
    }
}

/// Which JSON layout an item was read from.
public enum Form: String, Hashable, Sendable {
    /// The seed CR draft (`Cmds`, `Results`/`Code`, `Alerts`/`Code`, `MOD`/`URI`+`MO`).
    case cr
    /// The approved specification (`CMD`, `Status`/`sc`, `Alert`/`AlertType`, `ClientURI`+`MOData`).
    case a
}

/// One command of a Package#2, normalised from CR `{"NAME": [args…]}` or A `["NAME", args…]`.
public struct Command: Hashable, Sendable {
    public var name: CommandName
    public var arguments: [CommandArgument]
    public var form: Form
    /// Members other than the command in a CR command object (which should have exactly one); kept.
    public var unknownMembers: [JSONMember]
    /// A placeholder for a `CMD`/`Cmds` element that could not be read at all (not an array/object, or
    /// empty): it keeps the positions of the commands after it (an issue says what was wrong).
    public var isUnreadable: Bool

    /// A command; argument roles follow from `name`'s signature.
    public init(
        name: CommandName, arguments: [JSONValue], form: Form, unknownMembers: [JSONMember] = [],
        isUnreadable: Bool = false
    ) {
        self.name = name
        self.form = form
        self.unknownMembers = unknownMembers
        self.isUnreadable = isUnreadable
        let signature = name.signature
        self.arguments = arguments.enumerated().map { position, value in
            CommandArgument(value: value, role: signature?.role(at: position) ?? .extra)
        }
    }

    /// True when the argument count fits the signature (DM-P2-003); false for unknown commands.
    public var hasValidArgumentCount: Bool { name.signature?.accepts(count: arguments.count) ?? false }

    /// The arguments in role `role`, in order.
    public func arguments(_ role: ArgumentRole) -> [CommandArgument] { arguments.filter { $0.role == role } }

    /// True when a ClientURI argument carries a `cv=` field (makes 304 valid, DM-P3-006).
    public var hasCacheValidator: Bool {
        arguments(.clientURI).contains { $0.clientURI?.cacheValidator != nil }
    }
}

extension String.UTF8View {
    /// True when the text starts with `prefix` (lower-case ASCII), ignoring ASCII case; no allocation.
    func hasASCIIPrefixIgnoringCase(_ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        var index = startIndex
        for offset in 0..<count {
            guard index != endIndex else { return false }
            let byte = self[index]
            let lowered = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
            guard lowered == prefix.utf8Start[offset] else { return false }
            index = self.index(after: index)
        }
        return true
    }
}
