import Testing

@testable import DMProtocol

/// The commands of a Package#2 written as A `CMD` JSON.
func commands(_ json: String) throws -> [Command] {
    try #require(decodePackage(json, contentType: requestType).request?.commands)
}

/// A multipart body from (headers, content) pairs with CRLF line ends and boundary `b`.
func multipart(_ parts: [(headers: [String], content: String)], boundary: String = "b", isClosed: Bool = true) -> String
{
    var text = ""
    for part in parts {
        text += "--\(boundary)\r\n" + part.headers.map { $0 + "\r\n" }.joined() + "\r\n" + part.content + "\r\n"
    }
    return isClosed ? text + "--\(boundary)--\r\n" : text
}

let p3Part = (headers: ["Content-Disposition: form-data", "Content-Type: \(responseType)"], content: "")
func namedPart(_ name: String, _ type: String, _ content: String) -> (headers: [String], content: String) {
    (["Content-Disposition: form-data; name=\"\(name)\"", "Content-Type: \(type)"], content)
}

@Suite("Multipart Package#3 with GET data (approved Appendix F, DM-P3-010)")
struct MultipartPackageTests {
    static let appendixFP2 = """
        {"CMD":[["GET","urn:oma:mo:oma-dm-devinfo:1.2//FwV"],["HPOST","https://repo.example/up","urn:oma:mo:oma-dm-devdetail:1.0//"],\
        ["GET","urn:oma:mo:oma-dm-devinfo:1.2//"],["GET","urn:oma:mo:x:1.0//Missing"]]}
        """

    /// Appendix F style: bare-integer statuses, an unquoted boundary, bare-LF line ends, a text/plain part
    /// and a dmmo+json part.
    static let appendixFP3 = """
        --AaB03x
        Content-Disposition: form-data
        Content-Type: application/vnd.oma.dm.response+json

        {"Status": [200, 200, 200, 404]}
        --AaB03x
        Content-Disposition: form-data; name="0"
        Content-Type: text/plain

        2.1.7
        --AaB03x
        Content-Disposition: form-data; name="2"
        Content-Type: application/dmmo+json

        [{"ClientURI": "urn:oma:mo:oma-dm-devinfo:1.2//", "CV": "v17",
          "MOData": {"DevID": "IMEI:493005100592800", "Man": "Acme", "Ext": {}}}]
        --AaB03x--

        """

    @Test("Appendix F example: bare integers warn, GET data parts attach to their GETs")
    func appendixF() throws {
        let decoded = decodePackage(Self.appendixFP3, contentType: "multipart/form-data; boundary=AaB03x")
        #expect(!decoded.hasErrors)
        #expect(decoded.issues.map(\.kind) == Array(repeating: .schemaDeviation, count: 4))
        #expect(decoded.kind == .response && decoded.kindSource == .mediaType)
        #expect(decoded.mediaType?.essence == "multipart/form-data")
        // Offsets are into the HTTP body: the first status item sits after the part headers.
        let firstStatus = try #require(Self.appendixFP3.utf8.firstIndex(of: UInt8(ascii: "2")))
        #expect(
            decoded.issues.first?.offset
                == Self.appendixFP3.utf8.distance(from: Self.appendixFP3.utf8.startIndex, to: firstStatus))
        #expect(decoded.issues.first?.line == 1)
        let response = try #require(decoded.response)
        #expect(response.results?.map(\.code) == [200, 200, 200, 404])
        #expect(response.results?.allSatisfy(\.isBareInteger) == true)
        #expect(response.getData.map(\.commandIndex) == [0, 2])
        #expect(response.getData[0].content == .text("2.1.7"))
        let items = try #require(response.getData[1].moData)
        #expect(items.map(\.clientURI) == ["urn:oma:mo:oma-dm-devinfo:1.2//"])
        #expect(items.first?.cv == "v17")
        #expect(items.first?.tree?[member: "Man"] == .string("Acme"))

        let match = decoded.matchingGETData(previousCommands: try commands(Self.appendixFP2))
        #expect(match.findings.isEmpty)
        let results = try #require(match.response?.results)
        #expect(results.map { $0.getData?.commandIndex } == [0, nil, 2, nil])
        #expect(results[0].getData?.content == .text("2.1.7"))
        #expect(results[2].allMOData.count == 1)
    }

    @Test("the recorded capture http-multipart-p3.pcap decodes cleanly and attaches every part")
    func recordedCapture() throws {
        #expect(RecordedMultipartP3.body.utf8.count == 727)
        let decoded = decodePackage(
            RecordedMultipartP3.body, headers: [("Content-Type", RecordedMultipartP3.contentType)])
        #expect(decoded.issues.isEmpty)
        let split = try #require(decoded.multipart)
        #expect(split.parts.count == 4 && split.isClosed)
        #expect(split.parts.map(\.size) == [56, 5, 194, 20])  // as the client's exchanges.json records
        let previous = try commands(RecordedMultipartP3.package2)
        let match = decoded.matchingGETData(previousCommands: previous)
        #expect(match.findings.isEmpty)
        let results = try #require(match.response?.results)
        #expect(results.map(\.code) == [200, 404, 200, 200])
        #expect(results[0].getData?.content == .text("1.0.3"))
        #expect(results[1].getData == nil)
        #expect(results[2].getData?.moData?.first?.tree?[member: "FwV"] == .string("1.0.3"))
        #expect(results[3].getData?.content == .text("IMEI:356938035643809"))
        #expect(results[3].getData?.mediaType?.essence == "text/plain")
        // The next Package#3 of the capture is plain JSON answering a GET with 404: nothing is missing.
        let plain = decodePackage(#"{"Status":[{"sc":404}]}"#, contentType: responseType)
        #expect(
            plain.matchingGETData(previousCommands: try commands(RecordedMultipartP3.nextPackage2)).findings.isEmpty)
    }

    @Test("DM-P3-010: every kind of mismatch between parts and GETs is a finding with its offset")
    func findings() throws {
        let previous = try commands(
            #"{"CMD":[["GET","urn:oma:mo:x:1.0//a"],["HGET","https://r.example/x"],["GET","urn:oma:mo:x:1.0//b"],["GET","urn:oma:mo:x:1.0//c"]]}"#
        )
        var first = p3Part
        first.content = #"{"Status":[{"sc":200},{"sc":200},{"sc":404},{"sc":200}]}"#
        let body = multipart(
            [
                first, namedPart("1", "text/plain", "hget?"), namedPart("2", "text/plain", "for a 404"),
                namedPart("x", "text/plain", "bad name"), namedPart("0", "text/plain", "ok"),
                namedPart("0", "text/plain", "again"), namedPart("9", "text/plain", "past the end"),
                (["Content-Disposition: form-data"], "no name"),
            ], isClosed: false)
        let decoded = decodePackage(body, contentType: "multipart/form-data; boundary=b")
        #expect(decoded.issues.map(\.kind) == [.truncatedMultipart])
        let match = decoded.matchingGETData(previousCommands: previous)
        #expect(
            match.findings.map(\.kind) == [
                .noClosingBoundary, .partForNoGET, .partForNon200, .nonNumericName, .duplicateName, .partForNoGET,
                .missingPart,
            ])
        #expect(match.findings.allSatisfy { $0.rule == "DM-P3-010" && $0.severity == .error })
        #expect(match.findings.last?.commandIndex == 3)
        let offsets = decoded.multipart?.parts.map(\.offset) ?? []
        #expect(match.findings[1].offset == offsets[1])
        #expect(match.findings[3].offset == offsets[3])
        // The truncated last part (no name) is not a GET-data part: it is the cut.
        #expect(match.findings[0].offset == decoded.multipart?.truncatedPart?.offset)
        // The part for the GET with 404 is still attached (shown beside it), the duplicate is not.
        #expect(match.response?.results?[2].getData?.content == .text("for a 404"))
        #expect(match.response?.results?[0].getData?.content == .text("ok"))
    }

    @Test("a part without a name, when complete, is a non-numeric-name finding")
    func unnamedPart() throws {
        var first = p3Part
        first.content = #"{"Status":[{"sc":200}]}"#
        let body = multipart([first, (["Content-Disposition: form-data"], "v")])
        let decoded = decodePackage(body, contentType: "multipart/form-data; boundary=b")
        let match = decoded.matchingGETData(previousCommands: try commands(#"{"CMD":[["GET","urn:oma:mo:x:1.0//a"]]}"#))
        #expect(match.findings.map(\.kind) == [.nonNumericName, .missingPart])
    }

    @Test("a plain Package#3 answering a GET with 200 has no data (A dialect only)")
    func notMultipart() throws {
        let previous = try commands(#"{"CMD":[["GET","urn:oma:mo:x:1.0//a"],["GET","urn:oma:mo:x:1.0//b"]]}"#)
        let plain = decodePackage(#"{"Status":[{"sc":200},{"sc":304}]}"#, contentType: responseType)
        let match = plain.matchingGETData(previousCommands: previous)
        #expect(match.findings.map(\.kind) == [.missingPart])
        #expect(match.findings.first?.message.contains("not multipart") == true)
        let cr = decodePackage(
            #"{"SessionInfo":{"DevID":"d","SessionID":"s","PkgSeq":3},"Results":[{"Code":200,"MOD":{"URI":"oma:mo:x:1.0/a","MO":{}}},{"Code":404}]}"#,
            contentType: responseType)
        #expect(cr.matchingGETData(previousCommands: previous).findings.isEmpty)
    }

    @Test("the first part: found by its JSON shape when its Content-Type is not the Package#3 type")
    func firstPartByShape() throws {
        let body = multipart([(["Content-Disposition: form-data; name=\"status\""], #"{"Status":[{"sc":200}]}"#)])
        let decoded = decodePackage(body, contentType: "multipart/form-data; boundary=b")
        #expect(decoded.kind == .response && decoded.kindSource == .body)
        let match = decoded.matchingGETData(previousCommands: nil)
        #expect(match.findings.map(\.kind) == [.wrongFirstPart])
        #expect(match.findings.first?.severity == .warning)
    }

    @Test(
        "a wrong or missing first part is an error",
        arguments: [
            (
                multipart([(["Content-Type: \(requestType)"], #"{"CMD":[["END"]]}"#)]),
                GETDataFinding.Kind.wrongFirstPart
            ),
            (multipart([(["Content-Type: text/plain"], "hello")]), .wrongFirstPart),
            ("{\"Status\":[{\"sc\":200}]}", .missingFirstPart),
            ("--b--\r\n", .missingFirstPart),
            ("--b\r\nContent-Type: \(responseType)\r\n\r\n{\"Status\":[{\"sc\":2", .missingFirstPart),
        ])
    func wrongFirstPart(body: String, kind: GETDataFinding.Kind) {
        let decoded = decodePackage(body, contentType: "multipart/form-data; boundary=b")
        #expect(decoded.response == nil)
        #expect(decoded.hasErrors)
        let match = decoded.matchingGETData(previousCommands: nil)
        #expect(match.findings.first?.kind == kind)
        #expect(match.findings.first?.severity == .error)
    }

    @Test("binary GET data is kept as bytes, with size and a hex preview")
    func binaryPart() throws {
        let bytes: [UInt8] = [0x00, 0x01, 0xFE, 0xFF, 0x0D, 0x0A, 0x2D, 0x2D]
        let head =
            "--b\r\nContent-Type: \(responseType)\r\n\r\n{\"Status\":[{\"sc\":200}]}\r\n"
            + "--b\r\nContent-Disposition: form-data; name=\"0\"; filename=\"blob.bin\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n"
        let body = Array(head.utf8) + bytes + Array("\r\n--b--".utf8)
        let decoded = PackageDecoder.decode(contentType: "multipart/form-data; boundary=b", headers: [], body: body)
        #expect(decoded.issues.isEmpty)
        let part = try #require(decoded.response?.getData.first)
        #expect(part.content == .binary(bytes))
        #expect(part.size == 8 && part.filename == "blob.bin")
        #expect(GETDataPart.hexPreview(bytes, limit: 4) == "00 01 fe ff …")
        #expect(GETDataPart.hexPreview(bytes) == "00 01 fe ff 0d 0a 2d 2d")
    }

    @Test(
        "text parts: charsets, and text that does not decode is kept as bytes with a warning",
        arguments: [
            ("text/plain", [0x63, 0x61, 0x66, 0xC3, 0xA9], GETDataContent.text("café"), false),
            ("text/plain; charset=ISO-8859-1", [0x63, 0x61, 0x66, 0xE9], .text("café"), false),
            ("text/plain", [0x63, 0xE9], .binary([0x63, 0xE9]), true),
            ("application/json", [0x31, 0x32], .text("12"), false),
            ("image/png", [0x89, 0x50], .binary([0x89, 0x50]), false),
        ] as [(String, [UInt8], GETDataContent, Bool)])
    func textParts(type: String, bytes: [UInt8], content: GETDataContent, warns: Bool) throws {
        let head =
            "--b\r\nContent-Type: \(responseType)\r\n\r\n{\"Status\":[{\"sc\":200}]}\r\n"
            + "--b\r\nContent-Disposition: form-data; name=\"0\"\r\nContent-Type: \(type)\r\n\r\n"
        let body = Array(head.utf8) + bytes + Array("\r\n--b--".utf8)
        let decoded = PackageDecoder.decode(contentType: "multipart/form-data; boundary=b", headers: [], body: body)
        let part = try #require(decoded.response?.getData.first)
        #expect(part.content == content)
        #expect(part.issues.map(\.kind) == (warns ? [.schemaDeviation] : []))
        #expect(!decoded.hasErrors)
    }

    @Test("a malformed MO serialization part: issues with offsets into the HTTP body, the text kept")
    func badMOPart() throws {
        var first = p3Part
        first.content = #"{"Status":[{"sc":200}]}"#
        let body = multipart([first, namedPart("0", "application/dmmo+json", #"[{"ClientURI":1,"MOData":{}}"#)])
        let decoded = decodePackage(body, contentType: "multipart/form-data; boundary=b")
        let part = try #require(decoded.response?.getData.first)
        #expect(part.content == .text(#"[{"ClientURI":1,"MOData":{}}"#))
        #expect(part.issues.map(\.kind) == [.malformedJSON])
        #expect((part.issues.first?.offset ?? 0) >= part.bodyRange.lowerBound)
        #expect(decoded.issues == part.issues)
    }

    @Test("unreadable status items and commands keep their places (item N answers command N)")
    func placeholders() throws {
        let decoded = decodePackage(#"{"Status":[{"sc":200},"oops",{"sc":404}]}"#, contentType: responseType)
        let results = try #require(decoded.response?.results)
        #expect(results.map(\.code) == [200, nil, 404])
        #expect(results.map(\.isUnreadable) == [false, true, false])
        let request = decodePackage(#"{"CMD":[["GET","urn:oma:mo:x:1.0//a"],7,[],["END"]]}"#, contentType: requestType)
        #expect(request.request?.commands?.map(\.isUnreadable) == [false, true, true, false])
        #expect(request.request?.commands?.last?.name == .end)
    }
}

@Suite("MO data in any HTTP message (application/dmmo+json, issue 12 item 8)")
struct MODataDecodingTests {
    static let serialization =
        #"[{"ClientURI":"urn:oma:mo:oma-fumo:1.0/apps/","MOData":{"DownloadAndUpdate":{"PkgURL":"https://r.example/fw"}}}]"#

    @Test("HGET response, HPUT/HPOST upload or SUB report with the dmmo+json type")
    func byMediaType() throws {
        let decoded = try #require(
            MODataDecoding.decode(
                contentType: nil, headers: [("content-type", "application/dmmo+json; charset=utf-8")],
                body: Array(Self.serialization.utf8)))
        #expect(decoded.format == .dmmoJSON && decoded.issues.isEmpty)
        #expect(
            decoded.items?.first?.tree?[member: "DownloadAndUpdate"]?[member: "PkgURL"]
                == .string("https://r.example/fw"))
    }

    @Test("application/json or no type: recognised by shape, with a deviation warning")
    func byShape() throws {
        for type in ["application/json", nil] as [String?] {
            let decoded = try #require(
                MODataDecoding.decode(contentType: type, headers: [], body: Array(Self.serialization.utf8)))
            #expect(decoded.format == .guessedJSON)
            #expect(decoded.items?.count == 1)
            #expect(decoded.issues.map(\.kind) == [.schemaDeviation])
        }
        #expect(
            MODataDecoding.decode(contentType: "application/json", headers: [], body: Array(#"{"a":1}"#.utf8)) == nil)
        #expect(
            MODataDecoding.decode(contentType: "text/html", headers: [], body: Array(Self.serialization.utf8)) == nil)
    }

    @Test("CR MO type, TNDS, malformed dmmo+json")
    func otherForms() throws {
        let cr = try #require(
            MODataDecoding.decode(
                contentType: "application/vnd.oma.dm.mo+json", headers: [],
                body: Array(#"{"URI":"oma:mo:x:1.0/a","MO":{"a":1}}"#.utf8)))
        #expect(cr.format == .crJSON && cr.issues.isEmpty && cr.items?.first?.form == .cr)
        let tnds = try #require(
            MODataDecoding.decode(
                contentType: "application/vnd.syncml.dmtnds+xml", headers: [], body: Array("<MgmtTree/>".utf8)))
        #expect(tnds.format == .tnds && tnds.items == nil && !tnds.issues.contains(where: \.isError))
        let bad = try #require(
            MODataDecoding.decode(contentType: "application/dmmo+json", headers: [], body: Array("[{".utf8)))
        #expect(bad.items == nil && bad.issues.first?.offset != nil)
    }
}
