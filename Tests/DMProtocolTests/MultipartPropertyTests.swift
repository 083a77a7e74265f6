import PropertyBased
import Testing

@testable import DMProtocol

/// A random multipart body and what splitting it must give back.
struct MultipartSample {
    var boundary: String
    var usesCRLF: Bool
    var preamble: String
    var parts: [(headers: [(String, String)], content: [UInt8])]
    var epilogue: String

    /// Boundary characters (RFC 2046 §5.1.1 `bchars`).
    static let boundaryAlphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ")
    /// Content bytes: line ends, dashes and everything else. It never holds `#`, which every boundary
    /// ends in, so content can never contain a boundary line.
    static let contentAlphabet: [UInt8] = Array("\r\n--\r\n-- abcXYZ:=\"".utf8) + [0x00, 0xFF, 0x80, 0x09]

    init(rng: inout SplitMix64) {
        func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
        let length = int(0...68)
        // `#` is not a bchar; it stands in for any character that content never has. Validation of the
        // boundary is not what this property checks, so the boundary goes straight to `split(_:boundary:)`.
        boundary = String((0..<length).map { _ in Self.boundaryAlphabet.randomElement(using: &rng) ?? "a" }) + "#"
        let usesCRLF = int(0...1) == 0
        self.usesCRLF = usesCRLF
        preamble =
            int(0...2) == 0
            ? ""
            : String((0..<int(0...40)).map { _ in Character(Unicode.Scalar(UInt8(int(0x21...0x7E)))) }).filter {
                $0 != "#"
            }
        epilogue = int(0...1) == 0 ? "" : "\r\n-- epilogue --\n"
        parts = (0..<int(1...6)).map { _ in
            let headers = (0..<int(0...3)).map { index -> (String, String) in
                let value = String((0..<int(0...20)).map { _ in Character(Unicode.Scalar(UInt8(int(0x21...0x7E)))) })
                return (
                    index == 0 ? "Content-Disposition" : "X-H\(index)",
                    index == 0 ? "form-data; name=\"\(int(0...9))\"" : value
                )
            }
            var content = (0..<int(0...60)).map { _ in Self.contentAlphabet.randomElement(using: &rng) ?? 0x61 }
            if !usesCRLF {
                // With bare-LF framing a CR right before the boundary's LF is read as part of a CRLF.
                while content.last == 0x0D { content.removeLast() }
            }
            return (headers, content)
        }
    }

    var bytes: [UInt8] {
        let lineEnd = usesCRLF ? "\r\n" : "\n"
        var bytes = Array(preamble.utf8)
        if !preamble.isEmpty { bytes += Array(lineEnd.utf8) }
        for part in parts {
            bytes += Array("--\(boundary)\(lineEnd)".utf8)
            for (name, value) in part.headers { bytes += Array("\(name): \(value)\(lineEnd)".utf8) }
            bytes += Array(lineEnd.utf8) + part.content + Array(lineEnd.utf8)
        }
        bytes += Array("--\(boundary)--".utf8) + Array(epilogue.utf8)
        return bytes
    }
}

@Suite("Multipart properties")
struct MultipartPropertyTests {
    @Test("random multipart bodies split back exactly: preamble, headers, contents, epilogue")
    func roundTrip() async {
        await propertyCheck(count: 500, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var rng = SplitMix64(seed: seed)
            let sample = MultipartSample(rng: &rng)
            let bytes = sample.bytes
            let split = bytes.withUnsafeBytes { MultipartBody.split($0, boundary: sample.boundary) }
            #expect(split.issues.isEmpty, "seed \(seed): \(split.issues)")
            #expect(split.isClosed, "seed \(seed)")
            #expect(split.parts.count == sample.parts.count, "seed \(seed)")
            for (part, expected) in zip(split.parts, sample.parts) {
                #expect(Array(bytes[part.bodyRange]) == expected.content, "seed \(seed) part \(part.index)")
                #expect(part.headers.map(\.name) == expected.headers.map(\.0), "seed \(seed)")
                #expect(part.headers.map(\.value) == expected.headers.map(\.1), "seed \(seed)")
            }
            #expect(Array(bytes[split.preamble]) == Array(sample.preamble.utf8), "seed \(seed)")
            #expect(split.epilogue.map { Array(bytes[$0]) } == Array(sample.epilogue.utf8), "seed \(seed)")
        }
    }

    @Test("any cut of a random body gives a prefix of its parts and a truncation error")
    func cuts() async {
        await propertyCheck(count: 300, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var rng = SplitMix64(seed: seed)
            let sample = MultipartSample(rng: &rng)
            let bytes = sample.bytes
            let whole = bytes.withUnsafeBytes { MultipartBody.split($0, boundary: sample.boundary) }
            // Cut strictly inside the closing boundary or earlier, but after the first boundary line.
            let closing = bytes.count - sample.epilogue.utf8.count - 2
            let firstLine = whole.parts.first.map { $0.offset + 2 + sample.boundary.utf8.count } ?? 0
            guard closing > firstLine else { return }
            let cut = Array(bytes[..<Int.random(in: firstLine...(closing - 1), using: &rng)])
            let split = cut.withUnsafeBytes { MultipartBody.split($0, boundary: sample.boundary) }
            #expect(!split.isClosed, "seed \(seed)")
            #expect(split.issues.last?.kind == .truncatedMultipart, "seed \(seed)")
            #expect(split.issues.last?.offset == cut.count, "seed \(seed)")
            #expect(split.parts.count <= whole.parts.count, "seed \(seed)")
            for (part, full) in zip(split.parts, whole.parts) {
                #expect(part == full, "seed \(seed)")
            }
            if let truncated = split.truncatedPart {
                let full = whole.parts[truncated.index]
                #expect(truncated.bodyRange.lowerBound == full.bodyRange.lowerBound, "seed \(seed)")
            }
        }
    }

    @Test("random multipart Package#3s: every part reaches the result its name gives")
    func package3() async {
        await propertyCheck(count: 200, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var rng = SplitMix64(seed: seed)
            let count = Int.random(in: 1...8, using: &rng)
            let codes = (0..<count).map { _ in [200, 200, 404, 304].randomElement(using: &rng) ?? 200 }
            let commandsJSON = (0..<count).map { #"["GET","urn:oma:mo:x:1.0//n\#($0)"]"# }.joined(separator: ",")
            let previous = PackageDecoder.decode(
                contentType: requestType, headers: [], body: Array(#"{"CMD":[\#(commandsJSON)]}"#.utf8)
            ).request?.commands
            let status = codes.map { Bool.random(using: &rng) ? "\($0)" : #"{"sc":\#($0)}"# }.joined(separator: ",")
            var parts = [(headers: ["Content-Type: \(responseType)"], content: #"{"Status":[\#(status)]}"#)]
            let withData = codes.indices.filter { codes[$0] == 200 }.shuffled(using: &rng)
            for index in withData {
                parts.append(namedPart("\(index)", "text/plain", "value \(index)\r\n--not a boundary"))
            }
            let decoded = decodePackage(
                multipart(parts, boundary: "p3-\(seed)"), contentType: "multipart/form-data; boundary=\"p3-\(seed)\"")
            #expect(!decoded.hasErrors, "seed \(seed): \(decoded.issues)")
            let match = decoded.matchingGETData(previousCommands: previous)
            #expect(match.findings.isEmpty, "seed \(seed): \(match.findings)")
            for (index, result) in (match.response?.results ?? []).enumerated() {
                let expected: GETDataContent? = codes[index] == 200 ? .text("value \(index)\r\n--not a boundary") : nil
                #expect(result.getData?.content == expected, "seed \(seed)")
            }
        }
    }
}
