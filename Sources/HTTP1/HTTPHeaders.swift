/// One header field as received: name in its original case, value with surrounding whitespace
/// removed (and obs-fold line breaks replaced by spaces, RFC 9112 §5.2).
public struct HTTPField: Hashable, Sendable {
    /// The field name, original case.
    public var name: String
    /// The field value.
    public var value: String

    /// A field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// The header (or trailer) fields of a message, in order, repeats kept, looked up case-insensitively.
///
/// Owns one copy of the section's bytes and keeps each field as two ranges into it (as NIO's
/// `HTTPHeaders` does), so parsing a head costs one allocation for the bytes and one for the ranges;
/// strings are built only when a field is read.
public struct HTTPHeaders: Hashable, Sendable, RandomAccessCollection {
    /// Where one field's name and value lie in `storage`.
    @usableFromInline
    struct FieldRange: Hashable, Sendable {
        // 32-bit offsets: 16 bytes a field instead of 32 (issue 8: memory per open flow). A header
        // section is capped far below 4 GiB; a larger offset is clamped, which keeps every range
        // inside the storage (never a trap), only shorter.
        private var nameStart: UInt32
        private var nameEnd: UInt32
        private var valueStart: UInt32
        private var valueEnd: UInt32

        init(name: Range<Int>, value: Range<Int>) {
            nameStart = UInt32(clamping: name.lowerBound)
            nameEnd = UInt32(clamping: name.upperBound)
            valueStart = UInt32(clamping: value.lowerBound)
            valueEnd = UInt32(clamping: value.upperBound)
        }

        var name: Range<Int> { Int(nameStart)..<Int(nameEnd) }

        var value: Range<Int> {
            get { Int(valueStart)..<Int(valueEnd) }
            set {
                valueStart = UInt32(clamping: newValue.lowerBound)
                valueEnd = UInt32(clamping: newValue.upperBound)
            }
        }
    }

    @usableFromInline
    var storage: [UInt8]
    @usableFromInline
    var ranges: [FieldRange]

    /// No fields.
    public init() {
        storage = []
        ranges = []
    }

    /// Fields built from name/value pairs (for tests and synthetic messages).
    public init(_ fields: [(name: String, value: String)]) {
        self.init()
        for field in fields {
            let nameStart = storage.count
            storage.append(contentsOf: field.name.utf8)
            let valueStart = storage.count
            storage.append(contentsOf: field.value.utf8)
            ranges.append(FieldRange(name: nameStart..<valueStart, value: valueStart..<storage.count))
        }
    }

    /// Fields over bytes already parsed by `HeadParser`.
    init(storage: [UInt8], ranges: [FieldRange]) {
        self.storage = storage
        self.ranges = ranges
    }

    /// Index of the first field.
    public var startIndex: Int { 0 }
    /// One past the last field.
    public var endIndex: Int { ranges.count }

    /// The field at `position` (`0 ..< count`).
    public subscript(position: Int) -> HTTPField {
        let range = ranges[position]
        return HTTPField(name: string(range.name), value: string(range.value))
    }

    /// Every value of the fields called `name` (any case), in order.
    public func values(for name: String) -> [String] {
        ranges.filter { nameMatches($0.name, name) }.map { string($0.value) }
    }

    /// The first value of the field called `name` (any case), or nil.
    public func first(_ name: String) -> String? {
        ranges.first { nameMatches($0.name, name) }.map { string($0.value) }
    }

    /// True when a field called `name` (any case) is present.
    public func contains(_ name: String) -> Bool {
        ranges.contains { nameMatches($0.name, name) }
    }

    /// Comma-separated list elements of every `name` field, trimmed and lowercased, empty ones dropped
    /// (RFC 9110 §5.6.1), e.g. the codings of `Transfer-Encoding: gzip, chunked`.
    public func listElements(for name: String) -> [String] {
        values(for: name).flatMap { value in
            value.split(separator: ",").compactMap { element -> String? in
                let trimmed = element.trimmingCharacters(in: " \t")
                return trimmed.isEmpty ? nil : trimmed.lowercased()
            }
        }
    }

    /// The media type of `Content-Type` without parameters, lowercased (`application/json`), or nil.
    public var mediaType: String? {
        guard let value = first("Content-Type") else { return nil }
        let type = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let trimmed = type.trimmingCharacters(in: " \t")
        return trimmed.isEmpty ? nil : trimmed.lowercased()
    }

    private func string(_ range: Range<Int>) -> String {
        String(decoding: storage[range], as: UTF8.self)
    }

    /// ASCII case-insensitive comparison of a stored name with `name`.
    private func nameMatches(_ range: Range<Int>, _ name: String) -> Bool {
        let utf8 = name.utf8
        guard range.count == utf8.count else { return false }
        var index = range.lowerBound
        for byte in utf8 {
            guard ASCII.lowercased(storage[index]) == ASCII.lowercased(byte) else { return false }
            index += 1
        }
        return true
    }
}

extension Substring {
    /// The substring without leading and trailing characters from `set` (ASCII only; no Foundation).
    func trimmingCharacters(in set: String) -> Substring {
        var result = self[...]
        while let first = result.first, set.contains(first) { result = result.dropFirst() }
        while let last = result.last, set.contains(last) { result = result.dropLast() }
        return result
    }
}
