import Testing

@testable import DMProtocol

@Suite("ClientURI (reference §5.5, approved §6.1)")
struct ClientURITests {
    @Test("approved layout: MOID, instance, path")
    func approved() throws {
        let root = try ClientURI("urn:oma:mo:oma-dm-devinfo:1.0//")
        #expect(root.moid == "urn:oma:mo:oma-dm-devinfo:1.0")
        #expect(root.instance == .only && root.path.isEmpty && root.query.isEmpty)

        let leaf = try ClientURI("urn:oma:mo:oma-fumo:1.0/apps/DownloadAndUpdate/PkgURL")
        #expect(leaf.instance == .miid("apps"))
        #expect(leaf.path == ["DownloadAndUpdate", "PkgURL"])

        let all = try ClientURI("urn:oma:mo:oma-fumo:1.0/*/State")
        #expect(all.instance == .all && all.path == ["State"])

        let instanceRoot = try ClientURI("urn:oma:mo:oma-fumo:1.0/apps")
        #expect(instanceRoot.instance == .miid("apps") && instanceRoot.path.isEmpty)
    }

    @Test("x-names and nv= fields")
    func xNames() throws {
        let uri = try ClientURI("urn:oma:mo:example:1.0/(x)/Data/*/Value?nv=(x)/ID:GPS")
        #expect(uri.instance == .xName("x"))
        #expect(uri.path == ["Data", "*", "Value"])
        #expect(uri.query == [.nameValue(xName: "x", relativePath: "ID", value: "GPS")])
        #expect(uri.unresolvedXNames.isEmpty)
        let unresolved = try ClientURI("urn:oma:mo:example:1.0/(x)/Data/(y)")
        #expect(unresolved.unresolvedXNames == ["x", "y"])
        let colonInValue = try ClientURI("urn:oma:mo:e:1.0/(a)/b?nv=(a)/Conn/Name:host:8080")
        #expect(colonInValue.query == [.nameValue(xName: "a", relativePath: "Conn/Name", value: "host:8080")])
    }

    @Test("lv=, cv= and unknown fields, in order")
    func query() throws {
        let uri = try ClientURI("urn:oma:mo:oma-dm-devinfo:1.0//?lv=2&cv=abc=&zz=1&flag&lv=x&nv=bad")
        #expect(uri.levels == 2)
        #expect(uri.cacheValidator == "abc=")
        #expect(uri.query == [
            .levels(2, raw: "2"), .cacheValidator("abc="), .unknown(name: "zz", value: "1"),
            .unknown(name: "flag", value: ""), .levels(nil, raw: "x"), .unknown(name: "nv", value: "bad"),
        ])
        #expect(try ClientURI("urn:oma:mo:oma-dm-devinfo:1.0//FwV?cv=17").cacheValidator == "17")
    }

    @Test("CR spelling: no urn:, no instance segment")
    func crLayout() throws {
        let uri = try ClientURI("oma:mo:oma-dm-devinfo:1.0/FwV")
        #expect(uri.instance == .absent && uri.path == ["FwV"])
        #expect(uri.normalizedMOID == "urn:oma:mo:oma-dm-devinfo:1.0")
        let root = try ClientURI("oma:mo:oma-dm-devinfo:1.0/")
        #expect(root.instance == .absent && root.path.isEmpty)
    }

    @Test("the layout can be forced either way")
    func forcedLayout() throws {
        let asA = try ClientURI("oma:mo:oma-dm-devinfo:1.0/FwV", layout: .withInstance)
        #expect(asA.instance == .miid("FwV") && asA.path.isEmpty)
        let asCR = try ClientURI("urn:oma:mo:oma-dm-devinfo:1.0/FwV", layout: .withoutInstance)
        #expect(asCR.instance == .absent && asCR.path == ["FwV"])
    }

    @Test("not ClientURIs", arguments: ["https://dms.example/x", "urn:oma:mo:oma-fumo:1.0", "", "DevInfo/FwV", "ClientURI"])
    func rejected(text: String) {
        #expect(throws: DecodeError.self) { try ClientURI(text) }
    }

    @Test(
        "argument shapes",
        arguments: [
            ("https://repo.example/x", ArgumentRole.serverURI), ("HTTP://a", .serverURI),
            ("urn:oma:mo:oma-fumo:1.0", .moid), ("urn:oma:mo:oma-fumo:1.0//", .clientURI),
            ("oma:mo:oma-dm-devinfo:1.0/", .clientURI), ("ftp://x", .other), ("ServerURI", .other),
        ])
    func shapes(text: String, shape: ArgumentRole) {
        #expect(ArgumentRole.shape(of: text) == shape)
    }
}

@Suite("Commands and status codes (reference §0.3)")
struct CommandAndStatusTests {
    @Test("parameter order per §0.3")
    func signatures() {
        func roles(_ name: CommandName, _ count: Int) -> [ArgumentRole] {
            (0..<count).map { name.signature?.role(at: $0) ?? .extra }
        }
        #expect(roles(.hget, 3) == [.serverURI, .clientURI, .extra])
        #expect(roles(.hput, 4) == [.serverURI, .clientURI, .clientURI, .clientURI])
        #expect(roles(.exec, 3) == [.clientURI, .serverURI, .extra])
        #expect(roles(.default, 2) == [.serverURI, .moid])
        #expect(roles(.sub, 2) == [.serverURI, .clientURI])
        #expect(roles(.unsub, 1) == [.clientURI])
        #expect(roles(.end, 1) == [.extra])
        #expect(CommandName.hpost.signature?.accepts(count: 1) == false)
        #expect(CommandName.hpost.signature?.accepts(count: 9) == true)
        #expect(CommandName.hget.signature?.accepts(count: 3) == false)
        #expect(CommandName.end.signature?.accepts(count: 0) == true)
        #expect(CommandName("get") == .unknown("get"))
        #expect(CommandName.known.count == 12)
        #expect(CommandName.known.allSatisfy { CommandName($0.text) == $0 })
    }

    @Test("DEFAULT ServerURI MOID and SUB ServerURI ClientURI classify cleanly")
    func defaultAndSub() throws {
        let decoded = decodePackage(
            #"{"CMD":[["DEFAULT","https://cfg.example/wifi","urn:oma:mo:oma-wifi:1.0"],["SUB","https://r.example/s","urn:oma:mo:oma-dm-devinfo:1.0//"],["UNSUB","urn:oma:mo:oma-dm-devinfo:1.0//"]]}"#,
            contentType: requestType)
        let commands = try #require(decoded.request?.commands)
        #expect(commands.allSatisfy { $0.hasValidArgumentCount && $0.arguments.allSatisfy(\.hasExpectedShape) })
        #expect(commands[0].arguments.map(\.role) == [.serverURI, .moid])
    }

    @Test(
        "Appendix C applicability",
        arguments: [
            (200, CommandName.show, false, StatusValidity.valid),
            (202, .exec, false, .valid), (202, .get, false, .notApplicable(.only([.exec]))),
            (204, .get, false, .valid), (304, .get, true, .valid), (304, .get, false, .needsCacheValidator),
            (304, .delete, true, .notApplicable(.only([.get, .hput, .hpost]))),
            (404, .cont, false, .notApplicable(.allExcept([.show, .cont, .end]))), (404, .unsub, false, .valid),
            (405, .delete, false, .valid), (406, .hpost, false, .valid), (415, .hget, false, .valid),
            (419, .hput, false, .valid), (506, .hget, false, .valid), (506, .hput, false, .notApplicable(.only([.hget]))),
            (507, .end, false, .valid), (1234, .get, false, .valid), (299, .get, false, .unknownCode),
            (212, .get, false, .unknownCode), (2000, .get, false, .unknownCode), (999, .unknown("X"), false, .unknownCode),
            (200, .unknown("X"), false, .valid),
        ])
    func applicability(code: Int64, command: CommandName, hasCV: Bool, expected: StatusValidity) {
        #expect(StatusCodeTable.validity(of: code, for: command, hasCacheValidator: hasCV) == expected)
    }

    @Test("names: DM 2.0 first, then application-specific classes, then DM 1.x")
    func names() {
        #expect(StatusCodeTable.approved.count == 16)
        #expect(StatusCodeTable.describe(419)?.name == "ServerURI Error")
        #expect(StatusCodeTable.describe(1403)?.name == "Application-Specific Originator Error")
        #expect(StatusCodeTable.describe(1403)?.origin == .applicationSpecific)
        #expect(StatusCodeTable.describe(418)?.origin == .legacyDM1x)
        #expect(StatusCodeTable.describe(299) == nil)
        #expect(CommandResult(form: .a, code: 507).status?.name == "User Rejected")
    }
}
