import Testing

@testable import DMProtocol

private func parse(_ text: String, limits: JSONLimits = .default) throws(DecodeError) -> JSONDocument {
    try JSONParser.parse(Array(text.utf8), limits: limits)
}

private func parseError(_ bytes: [UInt8], limits: JSONLimits = .default) -> DecodeError? {
    do {
        _ = try JSONParser.parse(bytes, limits: limits)
        return nil
    } catch {
        return error
    }
}

private func parseError(_ text: String, limits: JSONLimits = .default) -> DecodeError? {
    parseError(Array(text.utf8), limits: limits)
}

@Suite("JSON parser")
struct JSONParserTests {
    @Test("scalars and containers")
    func basicValues() throws {
        let document = try parse(#" {"a": [1, -2.5e3, true, false, null, "x"], "b": {}} "#)
        #expect(
            document.value
                == .object([
                    JSONMember(
                        "a",
                        .array([
                            .number(JSONNumber(1)),
                            .number(JSONNumber(text: "-2.5e3", int64: nil, double: -2500)),
                            .bool(true), .bool(false), .null, .string("x"),
                        ])),
                    JSONMember("b", .object([])),
                ]))
        #expect(document.issues.isEmpty)
        #expect(!document.hasByteOrderMark)
    }

    @Test("top-level scalars are JSON texts (RFC 8259 §2)", arguments: ["1", "\"s\"", "null", "[]", "{}"])
    func topLevel(text: String) throws {
        _ = try parse(text)
    }

    @Test("members keep source order and duplicates; last wins for look-up")
    func duplicates() throws {
        let document = try parse(#"{"b":1,"a":2,"b":3}"#)
        #expect(document.value.objectValue?.map(\.name) == ["b", "a", "b"])
        #expect(document.value[member: "b"] == .number(JSONNumber(3)))
        #expect(document.issues.count == 1)
        let issue = try #require(document.issues.first)
        #expect(issue.kind == .duplicateMember)
        #expect(issue.path == "$.b")
        #expect(issue.isError)
    }

    @Test("duplicate in a large nested object reports its path")
    func duplicatesLarge() throws {
        let members = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let document = try parse(#"{"x":[{"# + members + #","k7":0}]}"#)
        #expect(document.issues.map(\.path) == ["$.x[0].k7"])
    }

    @Test("numbers: exact integers, big values, -0, 1e999999")
    func numbers() throws {
        func number(_ text: String) throws -> JSONNumber {
            try #require(try parse(text).value.numberValue)
        }
        #expect(try number("9223372036854775807").int64 == .max)
        #expect(try number("-9223372036854775808").int64 == .min)
        let tooBig = try number("9223372036854775808")
        #expect(tooBig.int64 == nil)
        #expect(tooBig.double == 9_223_372_036_854_775_808)
        let huge = try number("1e999999")
        #expect(huge.int64 == nil && huge.double == nil && huge.text == "1e999999")
        let tiny = try number("1e-999999")
        #expect(tiny.double == nil)
        #expect(try number("0e-999999").double == 0)
        let negativeZero = try number("-0")
        #expect(negativeZero.int64 == 0 && negativeZero.isNegativeZero && negativeZero.text == "-0")
        #expect(try number("-0.0").isNegativeZero)
        #expect(try number("200.0").integerValue == 200)
        #expect(try number("2E2").integerValue == 200)
        #expect(try number("0.5").integerValue == nil)
        #expect(try number("12345678901234567890123").int64 == nil)
    }

    @Test(
        "malformed numbers",
        arguments: ["01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "NaN", "Infinity", "-a"])
    func badNumbers(text: String) {
        #expect(parseError(text)?.kind == .malformedJSON)
    }

    @Test("escapes and surrogate pairs")
    func escapes() throws {
        let document = try parse(#"["\"\\\/\b\f\n\r\t", "\u00e9\u20AC", "\ud83d\ude00", "a\u0000b"]"#)
        #expect(
            document.value
                == .array([.string("\"\\/\u{08}\u{0C}\n\r\t"), .string("é€"), .string("😀"), .string("a\u{0}b")]))
    }

    @Test(
        "bad escapes and lone surrogates are errors",
        arguments: [#""\x""#, #""\u12""#, #""\ud800""#, #""\ud800\u0041""#, #""\udc00""#, #""\u12G4""#])
    func badEscapes(text: String) {
        #expect(parseError(text)?.kind == .malformedJSON)
    }

    @Test("raw UTF-8 passes; invalid UTF-8 is reported at its first byte")
    func utf8() throws {
        #expect(try parse("\"héllo 😀\"").value == .string("héllo 😀"))
        let cases: [([UInt8], Int)] = [
            ([0x22, 0x61, 0xFF, 0x22], 2),  // never valid
            ([0x22, 0xC0, 0x80, 0x22], 1),  // overlong NUL
            ([0x22, 0xE0, 0x80, 0x80, 0x22], 1),  // overlong
            ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),  // encoded surrogate
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1),  // above U+10FFFF
            ([0x22, 0x61, 0x62, 0xE2, 0x82], 3),  // cut off
            ([0x22, 0x5C, 0x6E, 0x80, 0x22], 3),  // stray continuation after an escape
        ]
        for (bytes, offset) in cases {
            let error = parseError(bytes)
            #expect(error?.kind == .invalidUTF8, "\(bytes)")
            #expect(error?.offset == offset, "\(bytes)")
        }
    }

    @Test("a UTF-8 BOM is accepted and reported")
    func byteOrderMark() throws {
        let document = try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("{\"a\":1}".utf8))
        #expect(document.hasByteOrderMark)
        #expect(document.issues.map(\.kind) == [.notice])
        #expect(document.issues.first?.severity == .warning)
        #expect(document.value[member: "a"] != nil)
    }

    @Test("errors carry offset, line, byte column and path")
    func errorPositions() throws {
        let text = "{\n  \"SessionInfo\": {\n    \"PkgSeq\": 1,\n    \"DevID\": tru\n  }\n}"
        let error = try #require(parseError(text))
        #expect(error.kind == .malformedJSON)
        #expect(error.line == 4)
        #expect(error.column == 14)
        #expect(error.offset == Array(text.utf8).firstIndex(of: UInt8(ascii: "t")))
        #expect(error.path == "$.SessionInfo.DevID")
        #expect(error.description.contains("line 4, column 14"))
    }

    @Test(
        "truncated and junk input gives errors, never traps",
        arguments: ["", " ", "{", "[", "{\"a\"", "{\"a\":", "{\"a\":1", "[1,", "[1 2]", "{\"a\" 1}", "{1:2}", "\"abc",
            "tru", "nul", "[1,]", "{\"a\":1,}", "{} {}", "\"a\u{1}\"", "]",
        ])
    func malformed(text: String) {
        let error = parseError(text)
        #expect(error?.kind == .malformedJSON)
        #expect(error?.offset != nil && error?.line != nil)
    }

    @Test("1,000,000-deep nesting is a limit error, not a stack overflow")
    func deepNesting() {
        let deep = [UInt8](repeating: UInt8(ascii: "["), count: 1_000_000) + [UInt8](repeating: UInt8(ascii: "]"), count: 1_000_000)
        let error = parseError(deep)
        #expect(error?.kind == .limitExceeded)
        #expect(error?.offset == JSONLimits.defaultMaxDepth)
        let objects = Array(String(repeating: "{\"a\":", count: 1_000_000).utf8)
        #expect(parseError(objects)?.kind == .limitExceeded)
    }

    @Test("nesting up to the limit parses")
    func nestingAtLimit() throws {
        let depth = JSONLimits.defaultMaxDepth
        _ = try parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        #expect(
            parseError(String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1))?.kind
                == .limitExceeded)
    }

    @Test("string, number, count and size limits")
    func limits() {
        var limits = JSONLimits()
        limits.maxStringLength = 8
        #expect(parseError(#""123456789""#, limits: limits)?.kind == .limitExceeded)
        #expect(parseError(#""12345\n789""#, limits: limits)?.kind == .limitExceeded)
        #expect(parseError(#"{"123456789":1}"#, limits: limits)?.kind == .limitExceeded)
        #expect(parseError(#""12345678""#, limits: limits) == nil)
        limits = JSONLimits(maxNumberLength: 4)
        #expect(parseError("12345", limits: limits)?.kind == .limitExceeded)
        limits = JSONLimits(maxContainerCount: 3)
        #expect(parseError("[1,2,3,4]", limits: limits)?.kind == .limitExceeded)
        #expect(parseError(#"{"a":1,"b":2,"c":3,"d":4}"#, limits: limits)?.kind == .limitExceeded)
        #expect(parseError("[1,2,3]", limits: limits) == nil)
        limits = JSONLimits(maxValueCount: 3)
        #expect(parseError("[[1],[2]]", limits: limits)?.kind == .limitExceeded)
        limits = JSONLimits(maxInputSize: 4)
        #expect(parseError("[1, 2]", limits: limits)?.kind == .limitExceeded)
    }

    @Test("the locator finds values by path, duplicates by position")
    func locator() {
        let text = #"{"a": [10, {"b": "x", "b": [true]}], "c": null}"#
        let bytes = Array(text.utf8)
        func offset(_ components: [JSONPathComponent]) -> Int? {
            bytes.withUnsafeBytes { JSONParser.offset(of: JSONPath(components), in: $0) }
        }
        #expect(offset([]) == 0)
        #expect(offset([.member("a", position: 0), .index(1), .member("b", position: 1)]) == 27)
        #expect(offset([.member("a", position: 0), .index(0)]) == 7)
        #expect(offset([.member("c", position: 1)]) == 42)
        #expect(offset([.member("a", position: 0), .index(2)]) == nil)
        #expect(offset([.member("c", position: 1), .index(0)]) == nil)
    }

    @Test("paths render as JSONPath")
    func pathRendering() {
        let path = JSONPath([.member("CMD", position: 0), .index(2), .index(0), .member("odd key", position: 1)])
        #expect(path.description == "$.CMD[2][0]['odd key']")
    }

    @Test("the writer round-trips escapes and keeps number text")
    func writer() throws {
        let text = #"{"a":"q\"b\\c\n\u0001é😀","n":[-0,1e999999,1.50],"d":1,"d":2}"#
        let value = try parse(text).value
        let written = JSONWriter().string(value)
        #expect(written == #"{"a":"q\"b\\c\n\u0001é😀","n":[-0,1e999999,1.50],"d":1,"d":2}"#)
        #expect(try parse(written).value == value)
        let pretty = JSONWriter(indent: 2).string(value)
        #expect(pretty.contains("\n  \"a\": "))
        #expect(try parse(pretty).value == value)
    }
}
