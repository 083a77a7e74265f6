import PropertyBased
import Testing

@testable import DMProtocol

/// Ten-line seeded generator: every property case is named by its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15  // wrapping is the algorithm
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random model values and their JSON encodings, for round-trip properties.
struct PackageFactory {
    var rng: SplitMix64
    /// Makes generated member names unique, so no object has duplicates by accident.
    var nameCounter = 0

    init(rng: SplitMix64) { self.rng = rng }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }

    /// Strings that exercise escaping: quotes, backslashes, controls, non-ASCII, astral characters.
    mutating func text(_ maxLength: Int = 12) -> String {
        let alphabet: [Character] = Array("abcXYZ019:/._-") + ["\"", "\\", "\n", "\u{1}", "é", "€", "😀", " ", "\u{7F}"]
        return String((0..<int(0...maxLength)).map { _ in alphabet[int(0...(alphabet.count - 1))] })
    }

    /// A fresh member name, never a known one.
    mutating func name() -> String {
        nameCounter += 1
        return "X\(nameCounter)" + text(4)
    }

    mutating func json(depth: Int = 0) -> JSONValue {
        switch int(0...(depth > 3 ? 3 : 5)) {
        case 0: return .null
        case 1: return .bool(chance(50))
        case 2: return .number(JSONNumber(Int64(int(-1_000_000...1_000_000))))
        case 3: return .string(text())
        case 4: return .array((0..<int(0...3)).map { _ in json(depth: depth + 1) })
        default: return .object((0..<int(0...3)).map { _ in JSONMember(name(), json(depth: depth + 1)) })
        }
    }

    mutating func unknownMembers() -> [JSONMember] {
        chance(30) ? (0..<int(1...2)).map { _ in JSONMember(name(), json()) } : []
    }

    mutating func serverURI() -> String { "https://repo.example/" + text(8) }
    mutating func clientURI(form: Form) -> String {
        form == .a ? "urn:oma:mo:oma-fumo:1.0/" + text(4) + "/" + text(6) : "oma:mo:oma-dm-devinfo:1.0/" + text(6)
    }

    mutating func arguments(for name: CommandName, form: Form) -> [JSONValue] {
        let signature = name.signature ?? CommandSignature(required: [.other, .other])
        let count = signature.required.count + int(0...(signature.optional.count + (signature.repeatsLast ? 2 : 0)))
        return (0..<count).map { position in
            switch signature.role(at: position) {
            case .serverURI: .string(serverURI())
            case .clientURI: .string(clientURI(form: form))
            case .moid: .string("urn:oma:mo:oma-" + text(5) + ":1.0")
            case .extra, .other: .string(text())
            }
        }
    }

    mutating func command(form: Form) -> Command {
        let name = chance(90) ? CommandName.known[int(0...11)] : .unknown("Z" + text(4))
        return Command(name: name, arguments: arguments(for: name, form: form), form: form)
    }

    mutating func moData(form: Form) -> MOData {
        let tree: JSONValue = .object((0..<int(0...3)).map { _ in JSONMember(name(), json(depth: 2)) })
        switch form {
        case .cr: return MOData(form: .cr, clientURI: clientURI(form: .cr), tree: tree, unknownMembers: unknownMembers())
        case .a:
            return MOData(
                form: .a, clientURI: clientURI(form: .a), ddf: chance(50) ? serverURI() : nil,
                cv: chance(50) ? text() : nil, tree: tree, unknownMembers: unknownMembers())
        }
    }

    mutating func alert(form: Form) -> Alert {
        switch form {
        case .cr:
            let hasItem = chance(70)
            return Alert(
                form: .cr, code: Int64(int(1100...1299)), correlator: chance(50) ? text() : nil,
                sourceURI: hasItem && chance(70) ? clientURI(form: .cr) : nil,
                data: hasItem && chance(50) ? json() : nil, unknownMembers: unknownMembers())
        case .a:
            let hasData = chance(40)
            return Alert(
                form: .a, alertType: chance(30) ? SessionReason.clientInitiatedAlertType : "urn:oma:at:" + text(),
                sourceURI: chance(40) ? clientURI(form: .a) : nil, targetURI: chance(30) ? text() : nil,
                mark: chance(50) ? "critical" : nil, dataType: hasData ? "text/plain" : nil,
                data: hasData ? .object([JSONMember(name(), json())]) : nil, unknownMembers: unknownMembers())
        }
    }

    mutating func result(form: Form) -> CommandResult {
        let code = Int64([200, 202, 204, 304, 404, 500, 1234].randomElement(using: &rng) ?? 200)
        switch form {
        case .cr:
            let data = chance(30) ? [moData(form: .cr)] : []
            return CommandResult(form: .cr, code: code, data: data, unknownMembers: unknownMembers())
        case .a:
            if chance(15) { return CommandResult(form: .a, code: code, isBareInteger: true) }
            let uris = chance(40) ? (0..<int(0...2)).map { _ in clientURI(form: .a) } : []
            return CommandResult(form: .a, code: code, uris: uris, unknownMembers: unknownMembers())
        }
    }

    mutating func sessionInfo(_ kind: PackageKind) -> SessionInfo {
        SessionInfo(
            sessionID: text(), pkgSeq: Int64(int(0...99)), devID: kind == .request ? nil : "IMEI:" + text(),
            reasonForSession: kind == .initiation ? Int64(int(1200...1201)) : nil,
            acceptMO: kind == .request && chance(50) ? "application/vnd.oma.dm.mo+json" : nil,
            unknownMembers: unknownMembers())
    }

    mutating func list<T>(_ range: ClosedRange<Int>, _ make: (inout PackageFactory) -> T) -> [T] {
        (0..<int(range)).map { _ in make(&self) }
    }

    /// A random package of `kind` in `form`'s dialect, with the headers it travels with.
    mutating func package(_ kind: PackageKind, form: Form) -> (DMPackage, HTTPHeaderFields) {
        let dialect: Dialect = form == .cr ? .cr : .a
        switch (kind, form) {
        case (.initiation, .cr):
            var package = Initiation(dialect: dialect, sessionInfo: sessionInfo(.initiation))
            if chance(50) { package.mos = list(1...3) { MOSEntry(moid: "oma:mo:" + $0.text(), ddf: $0.serverURI(), paths: ["/"]) } }
            if chance(50) { package.moData = list(0...2) { $0.moData(form: .cr) } }
            if chance(50) { package.alerts = list(1...2) { $0.alert(form: .cr) } }
            package.unknownMembers = unknownMembers()
            return (.initiation(package), [])
        case (.initiation, .a):
            let devID = "IMEI:" + text()
            var package = Initiation(dialect: dialect, devIDHeader: devID)
            package.mos = list(1...3) {
                MOSEntry(
                    moid: "urn:oma:mo:" + $0.text(), ddf: $0.chance(50) ? $0.serverURI() : nil,
                    miids: $0.list(0...2) { $0.text(5) }, unknownMembers: $0.unknownMembers())
            }
            package.alerts = list(1...3) { $0.alert(form: .a) }
            package.unknownMembers = unknownMembers()
            return (.initiation(package), [("OMADM-DevID", devID)])
        case (.request, .cr):
            var package = Request(dialect: dialect, sessionInfo: sessionInfo(.request))
            package.commands = list(0...5) { $0.command(form: .cr) }
            if chance(40) { package.alertResults = list(1...2) { CommandResult(form: .cr, code: Int64($0.int(200...299))) } }
            package.unknownMembers = unknownMembers()
            return (.request(package), [])
        case (.request, .a):
            var package = Request(dialect: dialect)
            package.commands = list(0...6) { $0.command(form: .a) }
            package.omadmAccept = chance(50) ? "application/dmmo+json" : nil
            package.unknownMembers = unknownMembers()
            return (.request(package), package.omadmAccept.map { [("OMADM-Accept", $0)] } ?? [])
        case (.response, .cr):
            var package = Response(dialect: dialect, sessionInfo: sessionInfo(.response))
            package.results = list(0...5) { $0.result(form: .cr) }
            if chance(30) { package.alerts = list(1...2) { $0.alert(form: .cr) } }
            package.unknownMembers = unknownMembers()
            return (.response(package), [])
        case (.response, .a):
            let devID = "IMEI:" + text()
            var package = Response(dialect: dialect, devIDHeader: devID)
            package.results = list(0...6) { $0.result(form: .a) }
            if chance(30) { package.alerts = list(1...2) { $0.alert(form: .a) } }
            package.unknownMembers = unknownMembers()
            return (.response(package), [("OMADM-DevID", devID)])
        }
    }
}

// MARK: - Test encoder: model → JSON in each dialect's layout

enum PackageEncoder {
    static func object(_ members: [(String, JSONValue?)], _ unknown: [JSONMember] = []) -> JSONValue {
        .object(members.compactMap { name, value in value.map { JSONMember(name, $0) } } + unknown)
    }
    static func string(_ text: String?) -> JSONValue? { text.map(JSONValue.string) }
    static func int(_ value: Int64?) -> JSONValue? { value.map { .number(JSONNumber($0)) } }
    static func strings(_ values: [String]?) -> JSONValue? { values.map { .array($0.map(JSONValue.string)) } }

    static func encode(_ package: DMPackage) -> JSONValue {
        switch package {
        case .initiation(let p):
            let isCR = p.dialect == .cr
            return object(
                [
                    ("SessionInfo", p.sessionInfo.map(encode)),
                    ("MOS", p.mos.map { .array($0.map(encode)) }),
                    ("MOD", p.moData.map { .array($0.map(encode)) }),
                    (isCR ? "Alerts" : "Alert", p.alerts.map { .array($0.map(encode)) }),
                ], p.unknownMembers)
        case .request(let p):
            let isCR = p.dialect == .cr
            return object(
                [
                    ("SessionInfo", p.sessionInfo.map(encode)),
                    (isCR ? "Cmds" : "CMD", p.commands.map { .array($0.map(encode)) }),
                    ("Results", p.alertResults.map { .array($0.map(encode)) }),
                ], p.unknownMembers)
        case .response(let p):
            let isCR = p.dialect == .cr
            return object(
                [
                    ("SessionInfo", p.sessionInfo.map(encode)),
                    (isCR ? "Results" : "Status", p.results.map { .array($0.map(encode)) }),
                    (isCR ? "Alerts" : "Alert", p.alerts.map { .array($0.map(encode)) }),
                ], p.unknownMembers)
        }
    }

    static func encode(_ info: SessionInfo) -> JSONValue {
        object(
            [
                ("DevID", string(info.devID)), ("SessionID", string(info.sessionID)), ("PkgSeq", int(info.pkgSeq)),
                ("ReasonForSession", int(info.reasonForSession)), ("AcceptMO", string(info.acceptMO)),
            ], info.unknownMembers)
    }

    static func encode(_ entry: MOSEntry) -> JSONValue {
        object(
            [("MOID", string(entry.moid)), ("DDF", string(entry.ddf)), ("MIID", strings(entry.miids)), ("Path", strings(entry.paths))],
            entry.unknownMembers)
    }

    static func encode(_ item: MOData) -> JSONValue {
        switch item.form {
        case .cr: object([("URI", string(item.clientURI)), ("MO", item.tree)], item.unknownMembers)
        case .a:
            object(
                [("DDF", string(item.ddf)), ("ClientURI", string(item.clientURI)), ("CV", string(item.cv)), ("MOData", item.tree)],
                item.unknownMembers)
        }
    }

    static func encode(_ alert: Alert) -> JSONValue {
        switch alert.form {
        case .cr:
            let item: JSONValue? =
                alert.sourceURI == nil && alert.data == nil
                ? nil : object([("Source", string(alert.sourceURI)), ("Data", alert.data)], alert.itemUnknownMembers)
            return object(
                [("Code", int(alert.code)), ("Correlator", string(alert.correlator)), ("Item", item)], alert.unknownMembers)
        case .a:
            return object(
                [
                    ("AlertType", string(alert.alertType)), ("SourceURI", string(alert.sourceURI)),
                    ("TargetURI", string(alert.targetURI)), ("Mark", string(alert.mark)),
                    ("DataType", string(alert.dataType)), ("Data", alert.data),
                ], alert.unknownMembers)
        }
    }

    static func encode(_ command: Command) -> JSONValue {
        let arguments = command.arguments.map(\.value)
        switch command.form {
        case .a: return .array([.string(command.name.text)] + arguments)
        case .cr: return .object([JSONMember(command.name.text, .array(arguments))] + command.unknownMembers)
        }
    }

    static func encode(_ result: CommandResult) -> JSONValue {
        if result.isBareInteger, let code = result.code { return .number(JSONNumber(code)) }
        switch result.form {
        case .cr:
            let data: JSONValue? = result.data.isEmpty ? nil : result.data.count == 1 ? encode(result.data[0]) : .array(result.data.map(encode))
            return object([("Code", int(result.code)), ("MOD", data)], result.unknownMembers)
        case .a:
            return object([("sc", int(result.code)), ("URI", result.uris.isEmpty ? nil : strings(result.uris))], result.unknownMembers)
        }
    }
}

// MARK: - Properties

@Suite("Package properties")
struct PackagePropertyTests {
    @Test("random valid packages in both dialects survive encode → decode unchanged")
    func roundTrip() async {
        await propertyCheck(count: 400, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var factory = PackageFactory(rng: SplitMix64(seed: seed))
            let kind = PackageKind.allCases[factory.int(0...2)]
            let form: Form = factory.chance(50) ? .cr : .a
            let (package, headers) = factory.package(kind, form: form)
            let writer = JSONWriter(indent: factory.chance(50) ? 2 : nil)
            let body = writer.bytes(PackageEncoder.encode(package))
            let decoded = PackageDecoder.decode(contentType: kind.mediaType.rawValue, headers: headers, body: body)
            let deviations = decoded.issues.filter { $0.kind != .schemaDeviation }
            #expect(deviations.isEmpty, "seed \(seed): \(deviations)")
            #expect(decoded.package == package, "seed \(seed)")
            #expect(decoded.document?.value == PackageEncoder.encode(package), "seed \(seed)")
        }
    }

    @Test("random JSON values survive write → parse unchanged")
    func jsonRoundTrip() async {
        await propertyCheck(count: 300, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var factory = PackageFactory(rng: SplitMix64(seed: seed))
            let value = factory.json()
            let parsed = try? JSONParser.parse(JSONWriter().bytes(value)).value
            #expect(parsed == value, "seed \(seed)")
        }
    }

    @Test("random byte mutations never trap and give a value or an error with a position")
    func mutations() async {
        await propertyCheck(count: 1_500, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var factory = PackageFactory(rng: SplitMix64(seed: seed))
            let kind = PackageKind.allCases[factory.int(0...2)]
            let (package, headers) = factory.package(kind, form: factory.chance(50) ? .cr : .a)
            var body = JSONWriter().bytes(PackageEncoder.encode(package))
            for _ in 0..<factory.int(1...8) {
                guard !body.isEmpty else { break }
                let position = factory.int(0...(body.count - 1))
                switch factory.int(0...3) {
                case 0: body[position] = UInt8(truncatingIfNeeded: factory.int(0...255))  // any byte is a mutation
                case 1: body.remove(at: position)
                case 2:
                    let structural = Array("{}[],:\"\\0e-".utf8)
                    body.insert(structural[factory.int(0...(structural.count - 1))], at: position)
                default: body.removeSubrange(position...)
                }
            }
            let type = [kind.mediaType.rawValue, "text/plain", "application/dmmo+json"][factory.int(0...2)]
            let decoded = PackageDecoder.decode(contentType: type, headers: headers, body: body)
            if decoded.package == nil {
                #expect(!decoded.issues.isEmpty, "seed \(seed)")
            }
            if decoded.document == nil {
                #expect(decoded.issues.first?.offset != nil || decoded.issues.first?.kind == .unsupportedMediaType, "seed \(seed)")
            }
            _ = body.withUnsafeBytes { PackageDecoder.decodeMOSerialization($0) }
        }
    }
}
