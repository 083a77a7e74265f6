import Testing

@testable import DMProtocol

func decodePackage(
    _ body: String, contentType: String? = nil, headers: HTTPHeaderFields = [],
    options: PackageDecoder.Options = .default
) -> PackageDecoding {
    PackageDecoder.decode(contentType: contentType, headers: headers, body: Array(body.utf8), options: options)
}

let initiationType = "application/vnd.oma.dm.initiation+json"
let requestType = "application/vnd.oma.dm.request+json"
let responseType = "application/vnd.oma.dm.response+json"

/// Reference Appendix A.1: CR dialect, server-initiated, one command round.
@Suite("Appendix A.1 (CR conversation)")
struct ConversationCRTests {
    @Test("Package#1")
    func initiation() throws {
        let body = """
            {"SessionInfo":{"DevID":"IMEI:356938035643809","SessionID":"A17","PkgSeq":1,"ReasonForSession":1200},
             "MOD":[{"URI":"oma:mo:oma-dm-devinfo:1.0/","MO":{"DevID":"IMEI:356938035643809","Man":"Acme","Mod":"X1","DmV":"2.0"}}]}
            """
        let decoded = decodePackage(
            body, headers: [("Content-Type", initiationType), ("Accept", requestType)])
        #expect(decoded.issues.isEmpty)
        #expect(decoded.kindSource == .mediaType)
        let package = try #require(decoded.initiation)
        #expect(package.dialect == .cr)
        #expect(package.devID == "IMEI:356938035643809")
        #expect(package.sessionInfo == SessionInfo(sessionID: "A17", pkgSeq: 1, devID: "IMEI:356938035643809", reasonForSession: 1200))
        #expect(package.sessionReason == .serverInitiated)
        let mod = try #require(package.moData?.first)
        #expect(mod.form == .cr)
        #expect(mod.clientURI == "oma:mo:oma-dm-devinfo:1.0/")
        #expect(mod.tree?[member: "Man"] == .string("Acme"))
        let uri = try ClientURI(#require(mod.clientURI))
        #expect(uri.instance == .absent && uri.path.isEmpty && uri.normalizedMOID == "urn:oma:mo:oma-dm-devinfo:1.0")
    }

    @Test("Package#2")
    func request() throws {
        let body = """
            {"SessionInfo":{"SessionID":"A17","PkgSeq":2,"AcceptMO":"application/vnd.oma.dm.mo+json"},
             "Cmds":[{"HPOST":["https://repo.example/up/356938035643809","oma:mo:oma-dm-devdetail:1.0/"]},{"GET":["oma:mo:oma-dm-devinfo:1.0/FwV"]}]}
            """
        let decoded = decodePackage(body, contentType: requestType)
        #expect(decoded.issues.isEmpty)
        let package = try #require(decoded.request)
        #expect(package.dialect == .cr)
        #expect(package.sessionInfo?.acceptMO == "application/vnd.oma.dm.mo+json")
        let commands = try #require(package.commands)
        #expect(commands.map(\.name) == [.hpost, .get])
        #expect(commands[0].arguments.map(\.role) == [.serverURI, .clientURI])
        #expect(commands.allSatisfy { $0.arguments.allSatisfy(\.hasExpectedShape) && $0.hasValidArgumentCount })
        #expect(commands[1].arguments[0].clientURI?.path == ["FwV"])
        #expect(!package.containsEnd)
    }

    @Test("Package#3")
    func response() throws {
        let body = """
            {"SessionInfo":{"DevID":"IMEI:356938035643809","SessionID":"A17","PkgSeq":3},
             "Results":[{"Code":200},{"Code":200,"MOD":{"URI":"oma:mo:oma-dm-devinfo:1.0/FwV","MO":{"FwV":"1.4.2"}}}]}
            """
        let decoded = decodePackage(body, contentType: responseType)
        #expect(decoded.issues.isEmpty)
        let package = try #require(decoded.response)
        #expect(package.dialect == .cr)
        #expect(package.devID == "IMEI:356938035643809")
        let results = try #require(package.results)
        #expect(results.map(\.code) == [200, 200])
        #expect(results[1].data.first?.tree == .object([JSONMember("FwV", .string("1.4.2"))]))
        #expect(results[0].status?.name == "OK")
    }

    @Test("final Package#2 with END (abbreviated in the reference: no SessionInfo)")
    func end() throws {
        let decoded = decodePackage(#"{"Cmds":[{"END":[]}]}"#, contentType: requestType)
        let package = try #require(decoded.request)
        #expect(package.containsEnd)
        #expect(package.commands?.first?.hasValidArgumentCount == true)
        #expect(decoded.issues.map(\.kind) == [.missingMember])
        #expect(decoded.issues.first?.path == "$.SessionInfo")
        #expect(decoded.issues.first?.offset == 0)
    }
}

/// Reference Appendix A.2: A dialect, client-initiated.
@Suite("Appendix A.2 (A conversation)")
struct ConversationATests {
    @Test("Package#1")
    func initiation() throws {
        let body = """
            {"MOS":[{"MOID":"urn:oma:mo:oma-dm-devinfo:1.0","MIID":["d1"]},
                    {"DDF":"https://ddf.example/fumo.ddf","MOID":"urn:oma:mo:oma-fumo:1.0","MIID":["apps"]}],
             "Alert":[{"AlertType":"urn:oma:at:dm:2.0:ClientInitiatedMgmt"}]}
            """
        let decoded = decodePackage(
            body,
            headers: [
                ("Host", "dms.example"), ("Content-Type", initiationType), ("Accept", requestType),
                ("OMADM-DevID", "IMEI:356938035643809"),
            ])
        #expect(decoded.issues.isEmpty)
        let package = try #require(decoded.initiation)
        #expect(package.dialect == .a)
        #expect(package.devID == "IMEI:356938035643809")
        #expect(package.mos == [
            MOSEntry(moid: "urn:oma:mo:oma-dm-devinfo:1.0", miids: ["d1"]),
            MOSEntry(moid: "urn:oma:mo:oma-fumo:1.0", ddf: "https://ddf.example/fumo.ddf", miids: ["apps"]),
        ])
        #expect(package.sessionReason == .clientInitiated)
        #expect(package.alerts?.first?.isMarkDefaulted == true)
        #expect(package.alerts?.first?.effectiveMark == "informational")
    }

    @Test("Package#2")
    func request() throws {
        let body = """
            {"CMD":[["HGET","https://repo.example/fw/pkgurl","urn:oma:mo:oma-fumo:1.0/apps/DownloadAndUpdate/PkgURL"],
                    ["GET","urn:oma:mo:oma-dm-devinfo:1.0//FwV?cv=17"],
                    ["EXEC","urn:oma:mo:oma-fumo:1.0/apps/DownloadAndUpdate","https://dms.example/async"]]}
            """
        let decoded = decodePackage(
            body, headers: [("Content-Type", requestType), ("OMADM-Accept", "application/json")])
        #expect(decoded.issues.isEmpty)
        let package = try #require(decoded.request)
        #expect(package.dialect == .a)
        #expect(package.omadmAccept == "application/json")
        let commands = try #require(package.commands)
        #expect(commands.map(\.name) == [.hget, .get, .exec])
        #expect(commands.map { $0.arguments.map(\.role) } == [[.serverURI, .clientURI], [.clientURI], [.clientURI, .serverURI]])
        #expect(commands.allSatisfy { $0.arguments.allSatisfy(\.hasExpectedShape) && $0.hasValidArgumentCount })
        #expect(commands[1].hasCacheValidator)
        let pkgURL = try #require(commands[0].arguments[1].clientURI)
        #expect(pkgURL.instance == .miid("apps"))
        #expect(pkgURL.path == ["DownloadAndUpdate", "PkgURL"])
    }

    @Test("Package#3 and status validity against the Package#2 commands")
    func response() throws {
        let body = #"{"Status":[{"sc":200,"URI":["urn:oma:mo:oma-fumo:1.0/apps/DownloadAndUpdate/PkgURL"]},{"sc":304},{"sc":202}]}"#
        let decoded = decodePackage(
            body, headers: [("Content-Type", responseType), ("OMADM-DevID", "IMEI:356938035643809")])
        #expect(decoded.issues.isEmpty)
        let package = try #require(decoded.response)
        let results = try #require(package.results)
        #expect(results.map(\.code) == [200, 304, 202])
        #expect(results[0].uris == ["urn:oma:mo:oma-fumo:1.0/apps/DownloadAndUpdate/PkgURL"])
        let commands: [(CommandName, Bool)] = [(.hget, false), (.get, true), (.exec, false)]
        for (result, (name, hasCV)) in zip(results, commands) {
            #expect(StatusCodeTable.validity(of: result.code ?? 0, for: name, hasCacheValidator: hasCV) == .valid)
        }
    }

    @Test("final Package#2 with END")
    func end() throws {
        let decoded = decodePackage(#"{"CMD":[["END"]]}"#, contentType: requestType)
        #expect(decoded.issues.isEmpty)
        #expect(decoded.request?.containsEnd == true)
    }
}

/// The seed CR's own examples (reference §3.1, S-SEED 8.2–8.4).
@Suite("Seed CR examples")
struct SeedExampleTests {
    static let seedInitiation = """
        {
        \t"SessionInfo": {
        \t\t"DevID": "IMEI:493005100592800",
        \t\t"SessionID": "1234",
        \t\t"PkgSeq": 1,
        \t\t"ReasonForSession": 1200
        \t},
        \t"MOS": [
        \t\t{ "MOID": "oma:mo:oma-dm-devinfo:1.0", "DDF": "http://www.vendor.com/DDF/devinfo10.ddf", "Path": [ "/" ] },
        \t\t{ "MOID": "oma:mo:oma-dm-devdetail:1.0", "DDF": "http://www.vendor.com/DDF/devdetail10.ddf", "Path": [ "/" ] }
        \t],
        \t"MOD": [
        \t\t{ "URI": "oma:mo:oma-dm-devinfo:1.0/",
        \t\t  "MO": { "DevID": "IMEI:493005100592800", "Man": "Vendor", "Mod": "DM_Client", "DmV": "2.0" } }
        \t],
        \t"Alerts": [
        \t\t{ "Code": 1226, "Correlator": "abc123",
        \t\t  "Item": { "Source": "Source URI for the Generic Alert", "Data": {
        \t\t\t\tTBD
        \t\t  } } }
        \t]
        }
        """

    @Test("the seed's Package#1 as printed has 'TBD' inside Data: an error with its exact position")
    func seedInitiationAsPrinted() throws {
        let decoded = decodePackage(Self.seedInitiation, contentType: initiationType)
        #expect(decoded.package == nil)
        let error = try #require(decoded.issues.first)
        #expect(error.kind == .malformedJSON)
        #expect(error.line == 19)
        #expect(error.column == 5)
        #expect(error.path == "$.Alerts[0].Item.Data")
    }

    @Test("the seed's Package#1 with Data {} decodes completely")
    func seedInitiation() throws {
        let body = Self.seedInitiation.replacingTBD()
        let decoded = decodePackage(body, contentType: initiationType)
        #expect(decoded.issues.isEmpty)
        let package = try #require(decoded.initiation)
        #expect(package.dialect == .cr)
        #expect(package.mos?.map(\.paths) == [["/"], ["/"]])
        #expect(package.moData?.count == 1)
        let alert = try #require(package.alerts?.first)
        #expect(alert.code == 1226 && alert.correlator == "abc123")
        #expect(alert.sourceURI == "Source URI for the Generic Alert")
        #expect(alert.data == .object([]))
    }

    @Test("the seed's Package#2: placeholder arguments keep their roles, shapes say 'other'")
    func seedRequest() throws {
        let body = """
            {"SessionInfo": {"SessionID": "1234", "PkgSeq": 1, "AcceptMO": "application/vnd.oma.dm.mo+json"},
             "Cmds": [{"HPOST": [ "ServerURI", "ClientURI1", "ClientURI2" ]}, {"GET": [ "ClientURI" ]}],
             "Results": [{"Code": 200}]}
            """
        let decoded = decodePackage(body, contentType: requestType)
        #expect(decoded.issues.isEmpty)
        let package = try #require(decoded.request)
        let commands = try #require(package.commands)
        #expect(commands[0].arguments.map(\.role) == [.serverURI, .clientURI, .clientURI])
        #expect(commands[0].arguments.map(\.shape) == [.other, .other, .other])
        #expect(package.alertResults?.map(\.code) == [200])
    }

    @Test("the seed's Package#3")
    func seedResponse() throws {
        let body = """
            {"SessionInfo": {"DevID": "IMEI:493005100592800", "SessionID": "1234", "PkgSeq": 3},
             "Results": [{"Code": 200}, {"Code": 200},
                {"Code": 200, "MOD": {"URI": "ClientURI", "MO": {"NodeName1": "Value", "NodeName2": "Value"}}}],
             "Alerts": [{"Code": 1226, "Correlator": "ert123", "Item": {"Source": "Source URI for the Generic Alert", "Data": {}}}]}
            """
        let decoded = decodePackage(body, contentType: responseType)
        #expect(decoded.issues.isEmpty)
        let package = try #require(decoded.response)
        #expect(package.results?.count == 3)
        #expect(package.results?[2].data.first?.clientURI == "ClientURI")
        #expect(package.alerts?.first?.correlator == "ert123")
    }
}

@Suite("Package decoding: errors, dialects, media types")
struct PackageDecodingTests {
    @Test("PkgSeq as a string: an error with its path and position, the rest decoded")
    func wrongType() throws {
        let body = "{\"SessionInfo\": {\"SessionID\": \"1\",\n \"PkgSeq\": \"2\"},\n \"Cmds\": [{\"GET\": [\"urn:oma:mo:x:1.0//a\"]}]}"
        let decoded = decodePackage(body, contentType: requestType)
        let error = try #require(decoded.issues.first)
        #expect(decoded.issues.count == 1)
        #expect(error.kind == .wrongJSONType)
        #expect(error.path == "$.SessionInfo.PkgSeq")
        #expect(error.line == 2 && error.column == 12)
        #expect(error.offset == body.utf8.count - #""2"},\#n "Cmds": [{"GET": ["urn:oma:mo:x:1.0//a"]}]}"#.utf8.count)
        let package = try #require(decoded.request)
        #expect(package.sessionInfo?.sessionID == "1")
        #expect(package.sessionInfo?.pkgSeq == nil)
        #expect(package.commands?.first?.name == .get)
    }

    @Test("duplicate members are reported (DM-CT-007) and the last one is used")
    func duplicateMembers() throws {
        let decoded = decodePackage(
            #"{"SessionInfo":{"SessionID":"a","PkgSeq":1,"PkgSeq":2},"Cmds":[]}"#, contentType: requestType)
        #expect(decoded.issues.map(\.kind) == [.duplicateMember])
        #expect(decoded.issues.first?.path == "$.SessionInfo.PkgSeq")
        #expect(decoded.request?.sessionInfo?.pkgSeq == 2)
        #expect(decoded.document?.value[member: "SessionInfo"]?.objectValue?.count == 3)
    }

    @Test("bare integer status items: accepted, a deviation warning each (Appendix F)")
    func bareIntegers() throws {
        let decoded = decodePackage(#"{"Status":[200,404,{"sc":500}]}"#, contentType: responseType)
        #expect(!decoded.hasErrors)
        #expect(decoded.issues.map(\.kind) == [.schemaDeviation, .schemaDeviation])
        #expect(decoded.issues.map(\.path) == ["$.Status[0]", "$.Status[1]"])
        #expect(decoded.issues.map(\.offset) == [11, 15])
        let results = try #require(decoded.response?.results)
        #expect(results.map(\.code) == [200, 404, 500])
        #expect(results.map(\.isBareInteger) == [true, true, false])
    }

    @Test("a CR 'XXX' status reads as 304, or stays unreadable when the option is off")
    func xxxStatus() throws {
        let body = #"{"SessionInfo":{"DevID":"d","SessionID":"s","PkgSeq":3},"Results":[{"Code":"XXX"}]}"#
        let decoded = decodePackage(body, contentType: responseType)
        #expect(decoded.response?.results?.first?.code == 304)
        #expect(!decoded.hasErrors)
        var options = PackageDecoder.Options()
        options.readsXXXAsNotModified = false
        let strict = decodePackage(body, contentType: responseType, options: options)
        #expect(strict.response?.results?.first?.code == nil)
        #expect(strict.issues.map(\.kind) == [.wrongJSONType])
    }

    @Test("unknown members are kept at every level")
    func unknownMembers() throws {
        let body = #"{"CMD":[["GET","urn:oma:mo:x:1.0//a"]],"MgmtTree":[1],"X":{"y":null}}"#
        let package = try #require(decodePackage(body, contentType: requestType).request)
        #expect(package.unknownMembers.map(\.name) == ["MgmtTree", "X"])
        let cr = #"{"SessionInfo":{"SessionID":"s","PkgSeq":2,"Extra":true},"Cmds":[{"GET":["oma:mo:x:1.0/a"],"More":1}]}"#
        let decoded = decodePackage(cr, contentType: requestType)
        let request = try #require(decoded.request)
        #expect(request.sessionInfo?.unknownMembers == [JSONMember("Extra", .bool(true))])
        #expect(request.commands?.first?.unknownMembers.map(\.name) == ["More"])
        #expect(decoded.issues.map(\.path) == ["$.Cmds[0]"])  // a CR command object must have one member
    }

    @Test("dialect detection per DM-CT-008")
    func dialects() throws {
        func dialect(_ text: String) throws -> Dialect {
            Dialect(body: try JSONParser.parse(Array(text.utf8)).value)
        }
        #expect(try dialect(#"{"CMD":[]}"#) == .a)
        #expect(try dialect(#"{"Cmds":[]}"#) == .cr)
        #expect(try dialect(#"{"MOS":[{"MOID":"m","MIID":[]}]}"#) == .a)
        #expect(try dialect(#"{"MOS":[{"MOID":"m","Path":[]}]}"#) == .cr)
        #expect(try dialect(#"{"SessionInfo":{},"Status":[]}"#) == .mixed)
        #expect(try dialect(#"{}"#) == .undetermined)
        let mixed = decodePackage(
            #"{"SessionInfo":{"DevID":"d","SessionID":"s","PkgSeq":3},"Status":[{"sc":200}],"Results":[{"Code":404}]}"#,
            contentType: responseType)
        #expect(mixed.response?.dialect == .mixed)
        #expect(mixed.response?.results?.map(\.form) == [.a, .cr])
    }

    @Test(
        "media types: case, parameters, stray ';'",
        arguments: [
            "application/vnd.oma.dm.request+json", "Application/VND.OMA.DM.Request+JSON",
            "application/vnd.oma.dm.request+json;", "application/vnd.oma.dm.request+json ; charset=utf-8",
            "application/vnd.oma.dm.request+json;charset=\"utf-8\";",
        ])
    func mediaTypes(contentType: String) {
        let decoded = decodePackage(#"{"CMD":[["END"]]}"#, contentType: contentType)
        #expect(decoded.kind == .request && decoded.kindSource == .mediaType)
        #expect(DMMediaType(contentType: contentType) == .request)
    }

    @Test("a missing or foreign media type falls back to the body (DM-CT-008)")
    func kindFromBody() {
        let decoded = decodePackage(#"{"Status":[{"sc":200}]}"#, contentType: "text/plain")
        #expect(decoded.kind == .response && decoded.kindSource == .body)
        #expect(decodePackage(#"{"MOS":[]}"#).kind == .initiation)
        #expect(decodePackage(#"{"SessionInfo":{"DevID":"d"},"Results":[]}"#).kind == .response)
        #expect(decodePackage(#"{"SessionInfo":{},"Results":[]}"#).kind == .request)
        let unknown = decodePackage(#"{"hello":1}"#, contentType: "text/plain")
        #expect(unknown.package == nil && unknown.issues.map(\.kind) == [.unsupportedMediaType])
        var options = PackageDecoder.Options()
        options.guessesKindFromBody = false
        #expect(decodePackage(#"{"CMD":[]}"#, options: options).issues.map(\.kind) == [.unsupportedMediaType])
    }

    @Test(
        "OMADM-Accept spelling variants (reference §1.3)",
        arguments: ["OMADM-Accept", "omadm-accept", "OMADM_Accept", "OMADMAccept", "OMADM Accept"])
    func acceptVariants(name: String) {
        let decoded = decodePackage(#"{"CMD":[["END"]]}"#, contentType: requestType, headers: [(name, "application/json")])
        #expect(decoded.request?.omadmAccept == "application/json")
    }

    @Test("Accept lists")
    func acceptLists() {
        let ranges = MediaRange.list("application/vnd.oma.dm.request+json;q=0.5, application/*, text/plain")
        #expect(ranges.count == 3)
        #expect(ranges[0].quality == 0.5)
        #expect(ranges[1].admits("application/dmmo+json"))
        #expect(!ranges[2].admits("application/json"))
        #expect(MediaType("multipart/form-data; boundary=\"a;b\"")?.parameter("BOUNDARY") == "a;b")
        #expect(MediaType("nonsense") == nil)
    }

    @Test("A schema requirements: CMD, Status, MOS MIID, AlertType, DataType with Data, sc")
    func aRequirements() {
        func paths(_ body: String, _ type: String) -> [String?] {
            decodePackage(body, contentType: type).issues.filter { $0.kind == .missingMember }.map(\.path)
        }
        #expect(paths(#"{"MOS":[{"MOID":"m","MIID":[]}],"Alert":[{"Data":{}}]}"#, initiationType)
            == ["$.Alert[0].AlertType", "$.Alert[0].DataType"])
        #expect(paths(#"{"MOS":[{"MOID":"m"}],"Alert":[{"AlertType":"t"}]}"#, initiationType) == ["$.MOS[0].MIID"])
        #expect(paths(#"{"Status":[{"URI":[]}]}"#, responseType) == ["$.Status[0].sc"])
        #expect(paths(#"{"Alert":[{"AlertType":"t"}]}"#, responseType) == ["$.Status"])
    }

    @Test("wrong shapes in A commands")
    func badCommands() throws {
        let decoded = decodePackage(#"{"CMD":[[], [7], "GET", ["FETCH","x"], ["GET", 5]]}"#, contentType: requestType)
        #expect(decoded.issues.map(\.path) == ["$.CMD[0]", "$.CMD[1][0]", "$.CMD[2]", "$.CMD[4][1]"])
        // Unreadable elements stay as placeholders so that command N is still CMD[N] (issue 12).
        let all = try #require(decoded.request?.commands)
        #expect(all.map(\.isUnreadable) == [true, true, true, false, false])
        let commands = Array(all.dropFirst(3))
        #expect(commands.map(\.name) == [.unknown("FETCH"), .get])
        #expect(commands[0].arguments.map(\.role) == [.extra])
        #expect(commands[1].arguments.first?.text == nil)
        #expect(commands[1].arguments.first?.hasExpectedShape == false)
    }

    @Test("a non-object body is an error and no package")
    func nonObject() {
        let decoded = decodePackage("[1]", contentType: requestType)
        #expect(decoded.package == nil)
        #expect(decoded.issues.map(\.kind) == [.wrongJSONType])
    }

    @Test("MO serialization (application/dmmo+json)")
    func moSerialization() throws {
        let body = #"[{"ClientURI":"urn:oma:mo:oma-dm-devinfo:1.0//","CV":"17","MOData":{"DevInfo":{"DevID":"IMEI:1","Man":"Vendor"}}},{"MOData":{}}]"#
        let decoded = Array(body.utf8).withUnsafeBytes { PackageDecoder.decodeMOSerialization($0) }
        let items = try #require(decoded.items)
        #expect(items.count == 2)
        #expect(items[0].form == .a && items[0].cv == "17")
        #expect(items[0].tree?[member: "DevInfo"]?[member: "Man"] == .string("Vendor"))
        #expect(decoded.issues.map(\.path) == ["$[1].ClientURI"])
    }
}

extension String {
    func replacingTBD() -> String {
        var result = self
        if let range = result.range(of: "TBD") { result.replaceSubrange(range, with: "") }
        return result
    }
}

@Suite("Package decoding: item limits")
struct PackageItemLimitTests {
    @Test("past maxItemsPerPackage, commands and status items are not decoded and a limit issue says so")
    func limited() {
        var options = PackageDecoder.Options()
        options.maxItemsPerPackage = 3
        let commands = Array(#"{"CMD":[["GET","urn:oma:mo:a:1.0/x/1"],["GET","urn:oma:mo:a:1.0/x/2"],["GET","urn:oma:mo:a:1.0/x/3"],["GET","urn:oma:mo:a:1.0/x/4"],["END"]]}"#.utf8)
        let request = PackageDecoder.decode(
            contentType: "application/vnd.oma.dm.request+json", headers: [], body: commands, options: options)
        #expect(request.request?.commands?.count == 3)
        #expect(request.issues.contains { $0.kind == .limitExceeded && $0.message.contains("CMD has 5 items") })
        let status = Array(#"{"Status":[{"sc":200},{"sc":200},{"sc":200},{"sc":404}]}"#.utf8)
        let response = PackageDecoder.decode(
            contentType: "application/vnd.oma.dm.response+json", headers: [], body: status, options: options)
        #expect(response.response?.results?.count == 3)
        #expect(response.issues.contains { $0.kind == .limitExceeded })
        // At the limit: everything decoded, no issue.
        let exact = PackageDecoder.decode(
            contentType: "application/vnd.oma.dm.response+json", headers: [],
            body: Array(#"{"Status":[{"sc":200},{"sc":200},{"sc":200}]}"#.utf8), options: options)
        #expect(exact.response?.results?.count == 3)
        #expect(!exact.issues.contains { $0.kind == .limitExceeded })
    }
}
