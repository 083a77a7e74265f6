/// Caps that keep a hostile JSON body from exhausting memory or time; hitting one is a `.limitExceeded` error.
///
/// The parser is iterative (an explicit stack on the heap), so nesting can never overflow the call
/// stack; `maxDepth` still bounds the recursive operations other code runs on the tree (equality,
/// hashing, encoding, deinitialisation).
public struct JSONLimits: Hashable, Sendable {
    /// Deepest allowed nesting of arrays/objects (the root container is depth 1).
    public var maxDepth: Int
    /// Longest allowed string (member names included), in decoded UTF-8 bytes.
    public var maxStringLength: Int
    /// Longest allowed number literal, in bytes.
    public var maxNumberLength: Int
    /// Most elements in one array or members in one object.
    public var maxContainerCount: Int
    /// Most values (scalars and containers) in the whole document.
    public var maxValueCount: Int
    /// Largest accepted input, in bytes.
    public var maxInputSize: Int

    public init(
        maxDepth: Int = Self.defaultMaxDepth, maxStringLength: Int = Self.defaultMaxStringLength,
        maxNumberLength: Int = Self.defaultMaxNumberLength, maxContainerCount: Int = Self.defaultMaxContainerCount,
        maxValueCount: Int = Self.defaultMaxValueCount, maxInputSize: Int = Self.defaultMaxInputSize
    ) {
        self.maxDepth = maxDepth
        self.maxStringLength = maxStringLength
        self.maxNumberLength = maxNumberLength
        self.maxContainerCount = maxContainerCount
        self.maxValueCount = maxValueCount
        self.maxInputSize = maxInputSize
    }

    /// 128 levels: real DM packages nest fewer than 20 (MO trees included).
    public static let defaultMaxDepth = 128
    /// 16 MiB: a string may carry a base64 leaf value of an MO.
    public static let defaultMaxStringLength = 16 << 20
    /// 1,024 bytes: far beyond any meaningful number, short enough to keep `Double` parsing cheap.
    public static let defaultMaxNumberLength = 1_024
    /// 1,000,000 members or elements in one container.
    public static let defaultMaxContainerCount = 1_000_000
    /// 4,000,000 values in a document.
    public static let defaultMaxValueCount = 4_000_000
    /// 64 MiB of input.
    public static let defaultMaxInputSize = 64 << 20

    /// The defaults above.
    public static let `default` = JSONLimits()
}

/// A parsed JSON document: the value plus the problems that did not stop parsing.
public struct JSONDocument: Hashable, Sendable {
    /// The top-level value.
    public var value: JSONValue
    /// Non-fatal findings in source order: duplicate member names (error level, DM-CT-007) and a
    /// UTF-8 byte order mark (`.notice`, warning level).
    public var issues: [DecodeError]
    /// True when the input started with the UTF-8 BOM `EF BB BF` (accepted and skipped).
    public var hasByteOrderMark: Bool
}

/// A purpose-written RFC 8259 JSON parser over borrowed bytes.
///
/// - Iterative: nesting costs heap, never call stack; depth is capped by `JSONLimits.maxDepth`.
/// - Exact errors: every error carries the byte offset, line and byte column, and the JSON path
///   of the container being parsed.
/// - Strict UTF-8: invalid sequences (overlong forms, surrogates, > U+10FFFF, truncated) are
///   errors at their first byte. Escaped lone surrogates (`"\uD800"`) are errors too.
/// - Strings without escapes are created straight from the input bytes; strings with escapes go
///   through one scratch buffer that is reused for the whole parse.
public enum JSONParser {
    /// Parses one JSON text. `bytes` is only read during the call.
    public static func parse(
        _ bytes: UnsafeRawBufferPointer, limits: JSONLimits = .default
    ) throws(DecodeError) -> JSONDocument {
        var parser = Parser(bytes: bytes, limits: limits)
        return try parser.parseDocument()
    }

    /// Parses one JSON text held in an array.
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = .default) throws(DecodeError) -> JSONDocument {
        // withUnsafeBytes cannot forward a typed throw; carry the outcome out as a Result.
        let outcome: Result<JSONDocument, DecodeError> = bytes.withUnsafeBytes { buffer in
            do throws(DecodeError) {
                return .success(try parse(buffer, limits: limits))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// Byte offset of the value at `path` in a document that `parse` accepted, or `nil` when the
    /// path does not lead to a value. Used to give typed-decoder errors a position after the fact,
    /// so the fast path never tracks offsets.
    public static func offset(of path: JSONPath, in bytes: UnsafeRawBufferPointer) -> Int? {
        var locator = Locator(bytes: bytes)
        return locator.locate(path)
    }
}

// MARK: - Byte constants

private enum ASCII {
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C
    static let slash: UInt8 = 0x2F
    static let comma: UInt8 = 0x2C
    static let colon: UInt8 = 0x3A
    static let openBracket: UInt8 = 0x5B
    static let closeBracket: UInt8 = 0x5D
    static let openBrace: UInt8 = 0x7B
    static let closeBrace: UInt8 = 0x7D
    static let minus: UInt8 = 0x2D
    static let plus: UInt8 = 0x2B
    static let dot: UInt8 = 0x2E
    static let zero: UInt8 = 0x30
    static let nine: UInt8 = 0x39
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D

    @inline(__always) static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == lineFeed || byte == carriageReturn || byte == tab
    }
    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- zero < 10 }  // wraps for < '0', by design
}

// MARK: - Parser

/// One parse: input, limits, the container stack and a reusable scratch buffer.
private struct Parser {
    /// A container under construction. Only one of `elements`/`members` is used; an unused empty
    /// array does not allocate.
    struct Frame {
        var isObject: Bool
        var elements: [JSONValue] = []
        var members: [JSONMember] = []
        /// Name of the member whose value is being parsed (objects only).
        var key: String = ""
        /// True between reading a member name and attaching its value.
        var hasKey = false
        /// Names seen so far, built only once an object grows past `linearDuplicateScanLimit`.
        var seenNames: Set<String>? = nil
    }

    /// Objects up to this many members are checked for duplicates by a linear scan.
    static let linearDuplicateScanLimit = 12

    let bytes: UnsafeRawBufferPointer
    let limits: JSONLimits
    var index = 0
    var stack: [Frame] = []
    var valueCount = 0
    var issues: [DecodeError] = []
    var scratch: [UInt8] = []

    init(bytes: UnsafeRawBufferPointer, limits: JSONLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    mutating func parseDocument() throws(DecodeError) -> JSONDocument {
        guard bytes.count <= limits.maxInputSize else {
            throw failure(
                .limitExceeded, "The JSON text is \(bytes.count) bytes, more than the limit of \(limits.maxInputSize).",
                at: 0, limit: .jsonSize)
        }
        var hasBOM = false
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            hasBOM = true
            index = 3
            issues.append(
                DecodeError(
                    .notice, "The JSON text starts with a UTF-8 byte order mark, which RFC 8259 §8.1 forbids senders to add.",
                    offset: 0, line: 1, column: 1))
        }
        let value = try parseValueTree()
        skipWhitespace()
        if index < bytes.count {
            throw failure(.malformedJSON, "Unexpected \(describe(index)) after the end of the JSON value.", at: index)
        }
        return JSONDocument(value: value, issues: issues, hasByteOrderMark: hasBOM)
    }

    /// Parses one complete value (with everything nested in it) iteratively.
    mutating func parseValueTree() throws(DecodeError) -> JSONValue {
        while true {
            // Parse the start of a value: either a complete scalar/empty container, or open a frame.
            skipWhitespace()
            guard index < bytes.count else {
                throw failure(.malformedJSON, "The JSON text ends where a value was expected.", at: index)
            }
            var completed: JSONValue
            let byte = bytes[index]
            try countValue()
            switch byte {
            case ASCII.openBrace, ASCII.openBracket:
                let isObject = byte == ASCII.openBrace
                guard stack.count < limits.maxDepth else {
                    throw failure(
                        .limitExceeded, "Nesting deeper than the limit of \(limits.maxDepth) levels.", at: index, limit: .jsonDepth)
                }
                index += 1
                skipWhitespace()
                let close = isObject ? ASCII.closeBrace : ASCII.closeBracket
                if index < bytes.count, bytes[index] == close {
                    index += 1
                    completed = isObject ? .object([]) : .array([])
                } else {
                    stack.append(Frame(isObject: isObject))
                    if isObject { try parseMemberName() }
                    continue
                }
            case ASCII.quote:
                completed = .string(try parseString())
            case ASCII.minus, ASCII.zero...ASCII.nine:
                completed = .number(try parseNumber())
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                completed = .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                completed = .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                completed = .null
            default:
                throw failure(.malformedJSON, "Unexpected \(describe(index)) where a value was expected.", at: index)
            }

            // Attach the completed value to its container; close containers as far as possible.
            while true {
                guard !stack.isEmpty else { return completed }
                let top = stack.count - 1
                if stack[top].isObject {
                    try appendMember(completed)
                } else {
                    guard stack[top].elements.count < limits.maxContainerCount else {
                        throw failure(
                            .limitExceeded, "An array has more than \(limits.maxContainerCount) elements.", at: index, limit: .jsonValues)
                    }
                    stack[top].elements.append(completed)
                }
                skipWhitespace()
                guard index < bytes.count else {
                    let what = stack[top].isObject ? "object" : "array"
                    throw failure(.malformedJSON, "The JSON text ends inside an \(what).", at: index)
                }
                let next = bytes[index]
                if next == ASCII.comma {
                    index += 1
                    if stack[top].isObject { try parseMemberName() }
                    break  // parse the next value
                }
                if stack[top].isObject, next == ASCII.closeBrace {
                    index += 1
                    let frame = stack.removeLast()
                    completed = .object(frame.members)
                    continue
                }
                if !stack[top].isObject, next == ASCII.closeBracket {
                    index += 1
                    let frame = stack.removeLast()
                    completed = .array(frame.elements)
                    continue
                }
                let expected = stack[top].isObject ? "',' or '}'" : "',' or ']'"
                throw failure(.malformedJSON, "Expected \(expected) but found \(describe(index)).", at: index)
            }
        }
    }

    @inline(__always) mutating func countValue() throws(DecodeError) {
        valueCount += 1
        guard valueCount <= limits.maxValueCount else {
            throw failure(.limitExceeded, "The document has more than \(limits.maxValueCount) values.", at: index, limit: .jsonValues)
        }
    }

    /// Reads `"name" :` for the object on top of the stack and stores the name in its frame.
    mutating func parseMemberName() throws(DecodeError) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == ASCII.quote else {
            if index >= bytes.count {
                throw failure(.malformedJSON, "The JSON text ends where a member name was expected.", at: index)
            }
            throw failure(
                .malformedJSON, "Expected a member name in double quotes but found \(describe(index)).", at: index)
        }
        let name = try parseString()
        skipWhitespace()
        guard index < bytes.count, bytes[index] == ASCII.colon else {
            if index >= bytes.count {
                throw failure(.malformedJSON, "The JSON text ends where ':' was expected.", at: index)
            }
            throw failure(.malformedJSON, "Expected ':' after a member name but found \(describe(index)).", at: index)
        }
        index += 1
        stack[stack.count - 1].key = name
        stack[stack.count - 1].hasKey = true
    }

    /// Appends `value` under the pending name to the object on top, reporting a duplicate name.
    mutating func appendMember(_ value: JSONValue) throws(DecodeError) {
        let top = stack.count - 1
        let count = stack[top].members.count
        guard count < limits.maxContainerCount else {
            throw failure(.limitExceeded, "An object has more than \(limits.maxContainerCount) members.", at: index, limit: .jsonValues)
        }
        let name = stack[top].key
        let isDuplicate: Bool
        if count < Self.linearDuplicateScanLimit {
            isDuplicate = stack[top].members.contains(where: { $0.name == name })
        } else {
            // Move the set out of the frame while inserting, so the insert does not copy it.
            var seen = stack[top].seenNames ?? Set(stack[top].members.map(\.name))
            stack[top].seenNames = nil
            isDuplicate = !seen.insert(name).inserted
            stack[top].seenNames = seen
        }
        if isDuplicate {
            var path = currentPath(depth: top)
            path.components.append(.member(name, position: count))
            issues.append(
                DecodeError(
                    .duplicateMember, "The member name \"\(name)\" occurs more than once in one object (DM-CT-007).",
                    path: path.description))
        }
        stack[top].members.append(JSONMember(name, value))
        stack[top].hasKey = false
    }

    /// Path of the value being parsed inside the frames `0..<depth`.
    func currentPath(depth: Int) -> JSONPath {
        var path = JSONPath()
        for frame in stack[..<depth] {
            if frame.isObject {
                guard frame.hasKey else { break }  // between members: the object itself is the place
                path.components.append(.member(frame.key, position: frame.members.count))
            } else {
                path.components.append(.index(frame.elements.count))
            }
        }
        return path
    }

    mutating func expectLiteral(_ literal: StaticString) throws(DecodeError) {
        let count = literal.utf8CodeUnitCount
        let start = index
        guard bytes.count - index >= count else {
            throw failure(.malformedJSON, "Unexpected end of the JSON text inside a literal.", at: start)
        }
        let base = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != base[offset] {
            throw failure(.malformedJSON, "Invalid literal; expected \(literal).", at: start)
        }
        index += count
    }

    @inline(__always) mutating func skipWhitespace() {
        while index < bytes.count, ASCII.isWhitespace(bytes[index]) { index += 1 }
    }

    // MARK: Strings

    /// Parses the string whose opening quote is at `index`; leaves `index` after the closing quote.
    mutating func parseString() throws(DecodeError) -> String {
        let start = index + 1
        var cursor = start
        let count = bytes.count
        // Fast scan: no escapes. Stops at the closing quote or the first backslash.
        while cursor < count {
            let byte = bytes[cursor]
            if byte == ASCII.quote {
                guard cursor - start <= limits.maxStringLength else { throw stringTooLong(at: start - 1) }
                index = cursor + 1
                return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<cursor]), as: UTF8.self)
            }
            if byte == ASCII.backslash { break }
            if byte < 0x20 {
                throw failure(
                    .malformedJSON, "Unescaped control character \(hex(byte)) inside a string.", at: cursor)
            }
            if byte < 0x80 {
                cursor += 1
            } else {
                cursor += try utf8SequenceLength(at: cursor)
            }
            if cursor - start > limits.maxStringLength { throw stringTooLong(at: start - 1) }
        }
        guard cursor < count else {
            throw failure(.malformedJSON, "The JSON text ends inside a string.", at: count)
        }
        // Slow path: copy the escape-free prefix, then decode escapes into the scratch buffer.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<cursor]))
        while cursor < count {
            let byte = bytes[cursor]
            if byte == ASCII.quote {
                index = cursor + 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if byte == ASCII.backslash {
                cursor = try decodeEscape(at: cursor)
            } else if byte < 0x20 {
                throw failure(
                    .malformedJSON, "Unescaped control character \(hex(byte)) inside a string.", at: cursor)
            } else if byte < 0x80 {
                scratch.append(byte)
                cursor += 1
            } else {
                let length = try utf8SequenceLength(at: cursor)
                scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[cursor..<(cursor + length)]))
                cursor += length
            }
            if scratch.count > limits.maxStringLength { throw stringTooLong(at: start - 1) }
        }
        throw failure(.malformedJSON, "The JSON text ends inside a string.", at: count)
    }

    func stringTooLong(at offset: Int) -> DecodeError {
        failure(.limitExceeded, "A string is longer than the limit of \(limits.maxStringLength) bytes.", at: offset, limit: .jsonString)
    }

    /// Decodes the escape starting with the backslash at `at` into `scratch`; returns the index after it.
    mutating func decodeEscape(at position: Int) throws(DecodeError) -> Int {
        guard position + 1 < bytes.count else {
            throw failure(.malformedJSON, "The JSON text ends inside an escape sequence.", at: position)
        }
        let escaped = bytes[position + 1]
        switch escaped {
        case ASCII.quote, ASCII.backslash, ASCII.slash: scratch.append(escaped)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let first = try hexQuad(at: position + 2, escapeAt: position)
            var scalarValue = UInt32(first)
            var next = position + 6
            if (0xD800...0xDBFF).contains(first) {
                // RFC 8259 §7: a code point above U+FFFF is written as a surrogate pair.
                guard next + 1 < bytes.count, bytes[next] == ASCII.backslash, bytes[next + 1] == UInt8(ascii: "u")
                else {
                    throw failure(
                        .malformedJSON, "A high surrogate escape \\u\(hex16(first)) is not followed by a low surrogate.",
                        at: position)
                }
                let second = try hexQuad(at: next + 2, escapeAt: next)
                guard (0xDC00...0xDFFF).contains(second) else {
                    throw failure(
                        .malformedJSON, "A high surrogate escape \\u\(hex16(first)) is followed by \\u\(hex16(second)), not a low surrogate.",
                        at: position)
                }
                scalarValue = 0x10000 + ((UInt32(first) - 0xD800) << 10) + (UInt32(second) - 0xDC00)
                next += 6
            } else if (0xDC00...0xDFFF).contains(first) {
                throw failure(
                    .malformedJSON, "A low surrogate escape \\u\(hex16(first)) has no high surrogate before it.",
                    at: position)
            }
            // Every value left is a valid scalar: surrogates were handled above.
            appendUTF8(Unicode.Scalar(scalarValue) ?? "\u{FFFD}")
            return next
        default:
            throw failure(.malformedJSON, "Invalid escape sequence \\\(describeByte(escaped)) in a string.", at: position)
        }
        return position + 2
    }

    func hexQuad(at position: Int, escapeAt: Int) throws(DecodeError) -> UInt16 {
        guard position + 4 <= bytes.count else {
            throw failure(.malformedJSON, "The JSON text ends inside a \\u escape.", at: escapeAt)
        }
        var value: UInt16 = 0
        for offset in 0..<4 {
            let byte = bytes[position + offset]
            let digit: UInt8
            switch byte {
            case ASCII.zero...ASCII.nine: digit = byte - ASCII.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                throw failure(.malformedJSON, "A \\u escape needs four hexadecimal digits.", at: escapeAt)
            }
            value = value << 4 | UInt16(digit)  // four nibbles fill exactly 16 bits
        }
        return value
    }

    mutating func appendUTF8(_ scalar: Unicode.Scalar) {
        UTF8.encode(scalar) { scratch.append($0) }
    }

    /// Length (2…4) of the valid UTF-8 sequence whose lead byte (≥ 0x80) is at `position`.
    /// Rejects stray continuation bytes, overlong forms, encoded surrogates and values above U+10FFFF
    /// (RFC 3629 §4 table).
    func utf8SequenceLength(at position: Int) throws(DecodeError) -> Int {
        let lead = bytes[position]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default:
            throw failure(.invalidUTF8, "Byte \(hex(lead)) cannot start a UTF-8 sequence.", at: position)
        }
        guard position + length <= bytes.count else {
            throw failure(.invalidUTF8, "A UTF-8 sequence is cut off by the end of the input.", at: position)
        }
        let second = bytes[position + 1]
        guard second >= low, second <= high else {
            throw failure(.invalidUTF8, "Invalid UTF-8 sequence starting with \(hex(lead)) \(hex(second)).", at: position)
        }
        if length > 2 {
            for offset in 2..<length where bytes[position + offset] & 0xC0 != 0x80 {
                throw failure(
                    .invalidUTF8, "Invalid UTF-8 sequence starting with \(hex(lead)): byte \(offset + 1) is not a continuation byte.",
                    at: position)
            }
        }
        return length
    }

    // MARK: Numbers

    /// Parses the number starting at `index` (RFC 8259 §6 grammar).
    mutating func parseNumber() throws(DecodeError) -> JSONNumber {
        let start = index
        var cursor = index
        let count = bytes.count
        var isNegative = false
        if bytes[cursor] == ASCII.minus {
            isNegative = true
            cursor += 1
        }
        guard cursor < count, ASCII.isDigit(bytes[cursor]) else {
            throw failure(.malformedJSON, "A '-' must be followed by a digit.", at: start)
        }
        // Integer part, accumulated as a negative magnitude so Int64.min fits.
        var magnitude: Int64 = 0
        var fitsInt64 = true
        var hasNonZeroDigit = false
        if bytes[cursor] == ASCII.zero {
            cursor += 1
            if cursor < count, ASCII.isDigit(bytes[cursor]) {
                throw failure(.malformedJSON, "Numbers must not have leading zeros.", at: start)
            }
        } else {
            while cursor < count, ASCII.isDigit(bytes[cursor]) {
                let digit = Int64(bytes[cursor] - ASCII.zero)
                hasNonZeroDigit = hasNonZeroDigit || digit != 0
                if fitsInt64 {
                    let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
                    let (next, overflow2) = times10.subtractingReportingOverflow(digit)
                    if overflow1 || overflow2 { fitsInt64 = false } else { magnitude = next }
                }
                cursor += 1
            }
        }
        var isInteger = true
        if cursor < count, bytes[cursor] == ASCII.dot {
            isInteger = false
            cursor += 1
            guard cursor < count, ASCII.isDigit(bytes[cursor]) else {
                throw failure(.malformedJSON, "A decimal point must be followed by a digit.", at: cursor)
            }
            while cursor < count, ASCII.isDigit(bytes[cursor]) {
                hasNonZeroDigit = hasNonZeroDigit || bytes[cursor] != ASCII.zero
                cursor += 1
            }
        }
        if cursor < count, bytes[cursor] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            cursor += 1
            if cursor < count, bytes[cursor] == ASCII.plus || bytes[cursor] == ASCII.minus { cursor += 1 }
            guard cursor < count, ASCII.isDigit(bytes[cursor]) else {
                throw failure(.malformedJSON, "An exponent must have at least one digit.", at: cursor)
            }
            while cursor < count, ASCII.isDigit(bytes[cursor]) { cursor += 1 }
        }
        guard cursor - start <= limits.maxNumberLength else {
            throw failure(
                .limitExceeded, "A number literal is longer than the limit of \(limits.maxNumberLength) bytes.",
                at: start, limit: .jsonNumber)
        }
        index = cursor
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<cursor]), as: UTF8.self)
        if isInteger, fitsInt64 {
            let value: Int64?
            if isNegative {
                value = magnitude
            } else {
                value = magnitude == .min ? nil : -magnitude
            }
            if let value {
                // |value| ≤ 2^53 converts exactly; beyond that the literal still parses exactly below.
                let double = value.magnitude <= (1 << 53) ? Double(value) : Double(text)
                return JSONNumber(text: text, int64: value, double: isNegative && value == 0 ? -0.0 : double)
            }
        }
        var double = Double(text)
        if let parsed = double, !parsed.isFinite || (parsed == 0 && hasNonZeroDigit) {
            double = nil  // overflow to infinity, or a non-zero literal that underflowed to zero
        }
        return JSONNumber(text: text, int64: nil, double: double)
    }

    // MARK: Errors

    func failure(
        _ kind: DecodeError.Kind, _ message: String, at offset: Int, limit: DecodeLimit? = nil
    ) -> DecodeError {
        let position = DecodeError.lineAndColumn(of: offset, in: bytes)
        let path = stack.isEmpty ? nil : currentPath(depth: stack.count).description
        return DecodeError(
            kind, message, offset: offset, line: position.line, column: position.column, path: path, limit: limit)
    }

    func describe(_ position: Int) -> String {
        guard position < bytes.count else { return "end of input" }
        return describeByte(bytes[position])
    }

    func describeByte(_ byte: UInt8) -> String {
        if byte >= 0x21, byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte \(hex(byte))"
    }
}

private func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
}

private func hex16(_ value: UInt16) -> String {
    let digits = Array("0123456789ABCDEF")
    return (0..<4).map { String(digits[Int((value >> (12 - 4 * UInt16($0))) & 0x0F)]) }.joined()
}

// MARK: - Locator

/// Finds the byte offset of a value by path in a document known to be valid JSON.
///
/// It skips values without building them. Because it runs only on input `JSONParser` accepted,
/// it may assume well-formedness, but it still never reads out of bounds.
private struct Locator {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func locate(_ path: JSONPath) -> Int? {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        skipWhitespace()
        for component in path.components {
            guard index < bytes.count else { return nil }
            switch component {
            case .index(let wanted):
                guard bytes[index] == ASCII.openBracket else { return nil }
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == ASCII.closeBracket { return nil }
                var position = 0
                while position < wanted {
                    guard skipValue() else { return nil }
                    skipWhitespace()
                    guard index < bytes.count, bytes[index] == ASCII.comma else { return nil }
                    index += 1
                    skipWhitespace()
                    position += 1
                }
            case .member(_, let wanted):
                guard bytes[index] == ASCII.openBrace else { return nil }
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == ASCII.closeBrace { return nil }
                var position = 0
                while true {
                    guard skipString() else { return nil }  // the name
                    skipWhitespace()
                    guard index < bytes.count, bytes[index] == ASCII.colon else { return nil }
                    index += 1
                    skipWhitespace()
                    if position == wanted { break }
                    guard skipValue() else { return nil }
                    skipWhitespace()
                    guard index < bytes.count, bytes[index] == ASCII.comma else { return nil }
                    index += 1
                    skipWhitespace()
                    position += 1
                }
            }
        }
        return index < bytes.count ? index : nil
    }

    mutating func skipWhitespace() {
        while index < bytes.count, ASCII.isWhitespace(bytes[index]) { index += 1 }
    }

    /// Skips the string at `index` (opening quote) and its closing quote.
    mutating func skipString() -> Bool {
        guard index < bytes.count, bytes[index] == ASCII.quote else { return false }
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.backslash {
                index += 2
            } else {
                index += 1
                if byte == ASCII.quote { return true }
            }
        }
        return false
    }

    /// Skips one value, counting bracket depth instead of recursing (only strings and brackets matter).
    mutating func skipValue() -> Bool {
        skipWhitespace()
        guard index < bytes.count else { return false }
        let first = bytes[index]
        if first == ASCII.quote { return skipString() }
        if first != ASCII.openBrace, first != ASCII.openBracket {
            while index < bytes.count {
                let byte = bytes[index]
                if byte == ASCII.comma || byte == ASCII.closeBrace || byte == ASCII.closeBracket
                    || ASCII.isWhitespace(byte)
                {
                    break
                }
                index += 1
            }
            return true
        }
        var depth = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.quote {
                guard skipString() else { return false }
                continue
            }
            if byte == ASCII.openBrace || byte == ASCII.openBracket {
                depth += 1
            } else if byte == ASCII.closeBrace || byte == ASCII.closeBracket {
                depth -= 1
            }
            index += 1
            if depth == 0 { return true }
        }
        return false
    }
}
