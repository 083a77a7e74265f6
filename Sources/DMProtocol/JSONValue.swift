/// A parsed JSON value (RFC 8259) that keeps what generic JSON libraries throw away.
///
/// - Object members stay **in source order, duplicates included** (rule DM-CT-007 needs them, and
///   unknown members must be rendered as received).
/// - Numbers keep their source text next to the parsed values (`JSONNumber`).
///
/// Equality is structural: two objects are equal only with the same members in the same order.
public indirect enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// The JSON type name used in messages ("object", "array", "string", "number", "boolean", "null").
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The members in source order, if this is an object.
    public var objectValue: [JSONMember]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The number, if this is a number.
    public var numberValue: JSONNumber? {
        if case .number(let number) = self { return number }
        return nil
    }

    /// The value of the **last** member called `name`, if this is an object that has one.
    ///
    /// Last wins, as in JavaScript's `JSON.parse` and most JSON libraries; duplicates are reported
    /// separately by the parser (DM-CT-007).
    public subscript(member name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.name == name })?.value
    }
}

/// One `"name": value` pair of a JSON object.
public struct JSONMember: Hashable, Sendable {
    public var name: String
    public var value: JSONValue

    public init(_ name: String, _ value: JSONValue) {
        self.name = name
        self.value = value
    }
}

/// A JSON number as written, with its integer and floating-point readings.
///
/// Representation choices:
/// - `text` is the exact source text (`"1e999999"`, `"-0"`, `"200"`), so nothing is lost.
/// - `int64` is set only for integer literals (no fraction, no exponent) that fit in `Int64`;
///   `-0` gives `int64 == 0` (and `isNegativeZero`).
/// - `double` is the nearest `Double`, or `nil` when the literal's magnitude is outside the finite
///   `Double` range: `1e999999` overflows (would be infinity) and `1e-999999` underflows (a
///   non-zero literal that would read as 0). `-0` gives `-0.0`.
public struct JSONNumber: Hashable, Sendable, CustomStringConvertible {
    public var text: String
    public var int64: Int64?
    public var double: Double?

    /// A number from its parts; the parser fills these, tests and encoders may too.
    public init(text: String, int64: Int64?, double: Double?) {
        self.text = text
        self.int64 = int64
        self.double = double
    }

    /// An integer, with its canonical text.
    public init(_ value: Int64) {
        self.init(text: String(value), int64: value, double: Double(exactly: value) ?? Double(value))
    }

    /// True for the literal `-0` (and `-0.0`, `-0e5`, …).
    public var isNegativeZero: Bool { double.map { $0 == 0 && $0.sign == .minus } ?? false }

    /// The value as an integer when it is one exactly: an integer literal, or a literal such as
    /// `200.0` / `2e2` whose value is integral and within `Int64`.
    public var integerValue: Int64? {
        if let int64 { return int64 }
        guard let double, double.rounded(.towardZero) == double else { return nil }
        return Int64(exactly: double)
    }

    public var description: String { text }
}

/// One step of a path into a JSON value.
public enum JSONPathComponent: Hashable, Sendable {
    /// The member called `name`, which is member number `position` (0-based, duplicates counted)
    /// of its object; `position` lets a path name one of several duplicates.
    case member(String, position: Int)
    /// Element `index` (0-based) of an array.
    case index(Int)
}

/// A location inside a JSON document, rendered `$.SessionInfo.PkgSeq`, `$.CMD[2][0]`, `$['odd key']`.
public struct JSONPath: Hashable, Sendable, CustomStringConvertible {
    public var components: [JSONPathComponent]

    public init(_ components: [JSONPathComponent] = []) { self.components = components }

    /// The document root, `$`.
    public static let root = JSONPath()

    /// This path extended by one member step.
    public func appending(member name: String, position: Int) -> JSONPath {
        JSONPath(components + [.member(name, position: position)])
    }

    /// This path extended by one array step.
    public func appending(index: Int) -> JSONPath { JSONPath(components + [.index(index)]) }

    public var description: String {
        var text = "$"
        for component in components {
            switch component {
            case .index(let index):
                text += "[\(index)]"
            case .member(let name, _):
                if Self.isPlainName(name) {
                    text += "." + name
                } else {
                    text += "['" + name.replacingQuotes() + "']"
                }
            }
        }
        return text
    }

    /// Names made of ASCII letters, digits, `_` and `-`, not starting with a digit, print as `.name`.
    private static func isPlainName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == 0x5F || byte == 0x2D
        }
    }
}

extension String {
    /// `'` and `\` escaped with a backslash, for bracketed path names.
    fileprivate func replacingQuotes() -> String {
        var result = ""
        for character in self {
            if character == "'" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
