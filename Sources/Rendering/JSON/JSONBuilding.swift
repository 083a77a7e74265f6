import DMProtocol
import Packets

/// Small constructors for the `JSONValue` trees the JSON outputs are built from.
enum JSONBuild {
    /// An integer.
    static func int(_ value: Int) -> JSONValue { .number(JSONNumber(Int64(value))) }

    /// An integer.
    static func int(_ value: Int64) -> JSONValue { .number(JSONNumber(value)) }

    /// An unsigned integer (saturating at `Int64.max`, which no counter reaches).
    static func int(_ value: UInt64) -> JSONValue { .number(JSONNumber(Int64(clamping: value))) }

    /// Frame numbers as an array of integers.
    static func frames(_ frames: [FrameNumber]) -> JSONValue { .array(frames.map { int(Int64($0.rawValue)) }) }

    /// Strings as an array.
    static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
}

/// An object under construction: members in insertion order, optional members skipped when nil.
struct JSONObject {
    private(set) var members: [JSONMember] = []

    /// Adds `name: value`.
    mutating func set(_ name: String, _ value: JSONValue) { members.append(JSONMember(name, value)) }

    /// Adds `name: value` when `value` is not nil.
    mutating func set(_ name: String, _ value: JSONValue?) {
        if let value { members.append(JSONMember(name, value)) }
    }

    /// Adds `name: "text"` when `text` is not nil.
    mutating func set(_ name: String, string text: String?) {
        if let text { members.append(JSONMember(name, .string(text))) }
    }

    /// Adds `name: n` when `number` is not nil.
    mutating func set(_ name: String, int number: Int?) {
        if let number { members.append(JSONMember(name, JSONBuild.int(number))) }
    }

    /// Adds `name: n` when `number` is not nil.
    mutating func set(_ name: String, int number: Int64?) {
        if let number { members.append(JSONMember(name, JSONBuild.int(number))) }
    }

    /// Adds `name: true` when `flag` is true (absent otherwise).
    mutating func set(_ name: String, flag: Bool) {
        if flag { members.append(JSONMember(name, .bool(true))) }
    }

    /// The object.
    var value: JSONValue { .object(members) }
}
