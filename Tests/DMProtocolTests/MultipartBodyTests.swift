import Testing

@testable import DMProtocol

func splitMultipart(_ text: String, boundary: String = "B", limits: MultipartLimits = .default) -> MultipartBody {
    Array(text.utf8).withUnsafeBytes { MultipartBody.split($0, boundary: boundary, limits: limits) }
}

func splitMultipart(_ bytes: [UInt8], contentType: String, limits: MultipartLimits = .default) -> MultipartBody? {
    guard let mediaType = MediaType(contentType) else { return nil }
    return bytes.withUnsafeBytes { MultipartBody.split($0, mediaType: mediaType, limits: limits) }
}

/// The text of `range` in `text` (ASCII/UTF-8 input).
func slice(_ text: String, _ range: Range<Int>?) -> String? {
    guard let range else { return nil }
    return String(decoding: Array(text.utf8)[range], as: UTF8.self)
}

@Suite("Multipart splitter (RFC 2046 §5.1, RFC 7578)")
struct MultipartBodyTests {
    static let crlf =
        "--B\r\nContent-Disposition: form-data\r\nContent-Type: application/vnd.oma.dm.response+json\r\n\r\n"
        + "{\"Status\":[200]}\r\n--B\r\nContent-Disposition: form-data; name=\"0\"\r\nContent-Type: text/plain\r\n\r\n"
        + "1.0.3\r\n--B--\r\n"

    @Test("CRLF: parts, headers and byte ranges; the line break before a boundary is not content")
    func crlfParts() throws {
        let body = Self.crlf
        let split = splitMultipart(body)
        #expect(split.issues.isEmpty)
        #expect(split.isClosed && !split.isCapped && split.truncatedPart == nil)
        #expect(split.parts.count == 2)
        #expect(split.parts.map { slice(body, $0.bodyRange) } == ["{\"Status\":[200]}", "1.0.3"])
        #expect(split.parts.map(\.offset) == [0, 109])
        #expect(split.parts[0].name == nil && split.parts[0].disposition?.isFormData == true)
        #expect(split.parts[1].name == "0")
        #expect(split.parts[1].contentType?.essence == "text/plain")
        #expect(split.parts[1].headers.map(\.name) == ["Content-Disposition", "Content-Type"])
        #expect(split.preamble == 0..<0 && slice(body, split.epilogue) == "\r\n")
    }

    @Test("bare LF line ends split the same way")
    func bareLF() {
        let body = Self.crlf.replacingCRLF()
        let split = splitMultipart(body)
        #expect(split.issues.isEmpty)
        #expect(split.parts.map { slice(body, $0.bodyRange) } == ["{\"Status\":[200]}", "1.0.3"])
        #expect(split.parts.map(\.name) == [nil, "0"])
    }

    @Test("preamble and epilogue are tolerated and kept apart")
    func preambleEpilogue() {
        let body = "This is the preamble.\r\n--B\r\n\r\nx\r\n--B--\r\nThis is the epilogue.\r\n--B\r\n\r\nnot a part"
        let split = splitMultipart(body)
        #expect(split.issues.isEmpty)
        #expect(slice(body, split.preamble) == "This is the preamble.")
        #expect(split.parts.map { slice(body, $0.bodyRange) } == ["x"])
        #expect(slice(body, split.epilogue) == "\r\nThis is the epilogue.\r\n--B\r\n\r\nnot a part")
    }

    @Test(
        "boundary from the Content-Type, quoted or not",
        arguments: [
            ("multipart/form-data; boundary=simple-7d1f", "simple-7d1f"),
            ("multipart/form-data; boundary=\"with space:and'quote\"", "with space:and'quote"),
            ("Multipart/Form-Data;BOUNDARY=\"x\";", "x"),
        ])
    func boundaryParameter(contentType: String, boundary: String) throws {
        let body = "--\(boundary)\r\nContent-Disposition: form-data; name=a\r\n\r\nA\r\n--\(boundary)--"
        let split = try #require(splitMultipart(Array(body.utf8), contentType: contentType))
        #expect(split.issues.isEmpty)
        #expect(split.boundary == boundary)
        #expect(split.parts.map { slice(body, $0.bodyRange) } == ["A"])
        #expect(split.parts.first?.name == "a")
    }

    @Test(
        "a bad boundary is reported; a usable one still splits",
        arguments: [
            ("multipart/form-data; boundary=a@b", true),
            ("multipart/form-data; boundary=\"" + String(repeating: "b", count: 71) + "\"", true),
            ("multipart/form-data; boundary=\"ends in space \"", true),
            ("multipart/form-data", false),
            ("multipart/form-data; boundary=\"\"", false),
        ])
    func badBoundary(contentType: String, isUsable: Bool) throws {
        let boundary = try #require(MediaType(contentType)).parameter("boundary") ?? ""
        let body = "--\(boundary)\r\n\r\nA\r\n--\(boundary)--"
        let split = try #require(splitMultipart(Array(body.utf8), contentType: contentType))
        #expect(split.issues.first?.kind == .malformedMultipart)
        #expect(split.issues.first?.isError == true)
        #expect(split.parts.count == (isUsable ? 1 : 0))
    }

    @Test("missing first boundary: an error at offset 0, no parts")
    func missingFirstBoundary() {
        let split = splitMultipart("{\"Status\":[200]}\r\n-B\r\n--Bx\r\n")
        #expect(split.parts.isEmpty)
        #expect(split.issues.map(\.kind) == [.malformedMultipart])
        #expect(split.issues.first?.offset == 0)
    }

    @Test("a boundary-looking string not at a line start, or followed by other text, is content")
    func boundaryInsideBody() {
        let content = "a--B b\r\n--Bc\r\n--B-x\r\n --B\r\nend--B--"
        let body = "--B\r\n\r\n\(content)\r\n--B--"
        let split = splitMultipart(body)
        #expect(split.issues.isEmpty)
        #expect(split.parts.map { slice(body, $0.bodyRange) } == [content])
    }

    @Test("transport padding after a boundary, parts without headers, empty parts")
    func paddingAndEmpty() {
        let body = "--B \t\r\n\r\n\r\n--B\r\nX-A: 1\r\n\r\n--B\t\r\n\r\nz\r\n--B-- \r\n"
        let split = splitMultipart(body)
        #expect(split.issues.isEmpty)
        #expect(split.parts.map { slice(body, $0.bodyRange) } == ["", "", "z"])
        #expect(split.parts.map(\.headers.count) == [0, 1, 0])
    }

    @Test("part headers: quoted and unquoted names, filename, unknown headers kept, folding")
    func headers() throws {
        let body = """
            --B\r
            content-disposition: form-data; name=7; filename="fw.bin"\r
            X-Extra: kept\r
             and folded\r
            Content-Type: application/octet-stream\r
            \r
            data\r
            --B\r
            Content-Disposition: form-data; name="a;b"\r
            \r
            \r
            --B--
            """
        let split = splitMultipart(body)
        #expect(split.issues.isEmpty)
        let first = try #require(split.parts.first)
        #expect(first.name == "7")
        #expect(first.disposition?.filename == "fw.bin")
        #expect(first.header("x-extra") == "kept and folded")
        #expect(first.headers[1].offset == body.utf8.count - body.drop(while: { $0 != "X" }).utf8.count)
        #expect(first.contentType?.essence == "application/octet-stream")
        #expect(split.parts[1].name == "a;b")
    }

    @Test("malformed header lines are reported with their offset and skipped")
    func malformedHeader() throws {
        let body = "--B\r\nno colon here\r\nBad Name: x\r\nContent-Type: text/plain\r\n\r\nv\r\n--B--"
        let split = splitMultipart(body)
        #expect(split.issues.map(\.kind) == [.malformedMultipart, .malformedMultipart])
        #expect(split.issues.map(\.offset) == [5, 20])
        #expect(split.parts.first?.headers.map(\.name) == ["Content-Type"])
        #expect(split.parts.first.map { slice(body, $0.bodyRange) } == "v")
    }

    @Test("a header section that runs into the next boundary: reported, the part has no content")
    func headerIntoBoundary() {
        let body = "--B\r\nContent-Type: text/plain\r\n--B\r\n\r\nsecond\r\n--B--"
        let split = splitMultipart(body)
        #expect(split.issues.map(\.kind) == [.malformedMultipart])
        #expect(split.issues.first?.offset == 31)
        #expect(split.parts.map { slice(body, $0.bodyRange) } == ["", "second"])
    }

    @Test("a closing boundary with no part is reported")
    func closeOnly() {
        let split = splitMultipart("--B--\r\n")
        #expect(split.parts.isEmpty && split.isClosed)
        #expect(split.issues.map(\.kind) == [.malformedMultipart])
    }

    @Test(
        "body cut before the closing boundary: complete parts, the cut part, an error at the end",
        arguments: [
            ("--B\r\n\r\none\r\n--B\r\nX: y\r\n\r\ntwo, cut", 1, "two, cut"),
            ("--B\r\n\r\none\r\n--B\r\nX: y\r\n", 1, nil),
            ("--B\r\n\r\none\r\n--B", 1, nil),
            ("--B\r\n\r\none\r\n--B-", 0, "one\r\n--B-"),
            ("--B\r\n\r\none", 0, "one"),
        ] as [(String, Int, String?)])
    func cut(body: String, complete: Int, truncated: String?) {
        let split = splitMultipart(body)
        #expect(split.parts.count == complete)
        #expect(slice(body, split.truncatedPart?.bodyRange) == truncated)
        #expect(!split.isClosed)
        #expect(split.issues.map(\.kind) == [.truncatedMultipart])
        #expect(split.issues.first?.offset == body.utf8.count)
    }

    @Test("a 100 MB part announced but cut: nothing is sized from the announcement")
    func announcedButCut() throws {
        let body =
            "--B\r\nContent-Disposition: form-data; name=\"0\"\r\nContent-Length: 104857600\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n" + String(repeating: "\u{1}", count: 1000)
        let split = splitMultipart(body)
        #expect(split.parts.isEmpty)
        let cut = try #require(split.truncatedPart)
        #expect(cut.size == 1000)
        #expect(cut.header("Content-Length") == "104857600")
        #expect(split.issues.map(\.kind) == [.truncatedMultipart])
    }

    @Test("a header section without end is capped at maxHeaderBytesPerPart")
    func endlessHeader() {
        let line = "X-Long: " + String(repeating: "h", count: 1 << 20)
        let capped = splitMultipart("--B\r\n" + line + "\r\n\r\nbody\r\n--B--")
        #expect(capped.issues.map(\.kind) == [.limitExceeded])
        #expect(capped.parts.count == 1 && capped.parts[0].headers.isEmpty && capped.parts[0].size == 0)
        let unterminated = splitMultipart("--B\r\n" + line)
        #expect(unterminated.issues.map(\.kind) == [.limitExceeded, .truncatedMultipart])
        #expect(unterminated.truncatedPart == nil)
    }

    @Test("more than maxHeadersPerPart header fields: the rest skipped, reported once")
    func manyHeaders() {
        let headers = (0..<100).map { "X-\($0): v\r\n" }.joined()
        let split = splitMultipart("--B\r\n" + headers + "\r\nc\r\n--B--")
        #expect(split.parts.first?.headers.count == MultipartLimits.defaultMaxHeadersPerPart)
        #expect(split.issues.map(\.kind) == [.limitExceeded])
    }

    /// 10^5 one-byte parts, about 1.4 MB.
    static let hundredThousandParts: [UInt8] = {
        var bytes: [UInt8] = []
        let part = Array("--B\r\nContent-Disposition: form-data; name=\"1\"\r\n\r\nx\r\n".utf8)
        bytes.reserveCapacity(part.count * 100_000 + 8)
        for _ in 0..<100_000 { bytes += part }
        bytes += Array("--B--".utf8)
        return bytes
    }()

    @Test("10^5 parts: capped at 10,000 with a reported limit, quickly")
    func hundredThousandPartsCapped() {
        let clock = ContinuousClock()
        let start = clock.now
        let split = Self.hundredThousandParts.withUnsafeBytes { MultipartBody.split($0, boundary: "B") }
        #expect(clock.now - start < .seconds(10))
        #expect(split.parts.count == MultipartLimits.defaultMaxParts)
        #expect(split.isCapped && !split.isClosed)
        #expect(split.issues.map(\.kind) == [.limitExceeded])
        #expect(split.issues.first?.offset == 10_000 * 52)
    }

    @Test("10^5 parts with the cap raised: all split, in linear time")
    func hundredThousandPartsUncapped() {
        var limits = MultipartLimits()
        limits.maxParts = 200_000
        let clock = ContinuousClock()
        let start = clock.now
        let split = Self.hundredThousandParts.withUnsafeBytes { MultipartBody.split($0, boundary: "B", limits: limits) }
        #expect(clock.now - start < .seconds(20))
        #expect(split.parts.count == 100_000 && split.isClosed && split.issues.isEmpty)
        #expect(split.parts.last?.bodyRange == (99_999 * 52 + 49)..<(99_999 * 52 + 50))
    }

    @Test("hostile byte soups never trap", arguments: 0..<200)
    func soup(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed))
        let alphabet = Array("-B\r\n: ;=\"x".utf8)
        let bytes = (0..<Int.random(in: 0...300, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? 0 }
        let split = bytes.withUnsafeBytes { MultipartBody.split($0, boundary: "B") }
        for part in split.parts + [split.truncatedPart].compactMap({ $0 }) {
            #expect(part.bodyRange.lowerBound >= part.offset && part.bodyRange.upperBound <= bytes.count)
        }
        #expect(split.issues.allSatisfy { ($0.offset ?? 0) <= bytes.count })
    }
}

extension String {
    /// The text with every CRLF replaced by LF.
    func replacingCRLF() -> String {
        var result = ""
        var previousCR = false
        for scalar in unicodeScalars {
            if previousCR, scalar != "\n" { result.unicodeScalars.append("\r") }
            previousCR = scalar == "\r"
            if !previousCR { result.unicodeScalars.append(scalar) }
        }
        if previousCR { result.unicodeScalars.append("\r") }
        return result
    }
}
