/// What decoding one HTTP body gave: the package (as far as it could be read), the JSON as
/// received, and every problem found, in order.
public struct PackageDecoding: Hashable, Sendable {
    /// Where the package kind came from.
    public enum KindSource: String, Hashable, Sendable {
        /// The Content-Type named a DM package media type.
        case mediaType
        /// The media type was missing or not a DM package type; the kind was guessed from the body (DM-CT-008).
        case body
    }

    /// The parsed Content-Type, when there was one.
    public var mediaType: MediaType?
    /// The package kind, when known.
    public var kind: PackageKind?
    public var kindSource: KindSource?
    /// The package; `nil` only when the body is not JSON, not an object, or of no known kind.
    public var package: DMPackage?
    /// The parsed body (members in order, duplicates and unknown members included), for rendering.
    public var document: JSONDocument?
    /// Parser and schema problems with offsets, lines/columns and JSON paths where known.
    ///
    /// Offsets are into the HTTP body. For a multipart body, line and column of a JSON problem are
    /// within the first part (the JSON text), and `document` is that part's JSON.
    public var issues: [DecodeError]
    /// The split body, when the media type was `multipart/form-data` (a Package#3 with GET data,
    /// approved Appendix F): part 0 is the package, the others are in `response?.getData`.
    public var multipart: MultipartBody?

    /// True when an error-level issue exists.
    public var hasErrors: Bool { issues.contains(where: \.isError) }

    /// The Package#1, when that is what was decoded.
    public var initiation: Initiation? {
        if case .initiation(let package) = package { return package }
        return nil
    }

    /// The Package#2, when that is what was decoded.
    public var request: Request? {
        if case .request(let package) = package { return package }
        return nil
    }

    /// The Package#3, when that is what was decoded.
    public var response: Response? {
        if case .response(let package) = package { return package }
        return nil
    }
}

/// Decoders from an HTTP message (media type, headers, body bytes) to typed DM packages.
///
/// Partial success is normal: a wrong member type is reported with its path and the rest of the
/// package is still decoded; unknown members are kept in `unknownMembers`.
public enum PackageDecoder {
    /// Decoding choices the reference leaves open.
    public struct Options: Hashable, Sendable {
        /// Limits for the JSON parser.
        public var limits: JSONLimits = .default
        /// Use the body to find the package kind when the media type is missing or not a DM type (DM-CT-008).
        public var guessesKindFromBody = true
        /// Read a CR status `"XXX"` as 304 Not Modified (reference §7: the CR leaves the number open).
        public var readsXXXAsNotModified = true
        /// Limits for splitting `multipart/form-data` bodies.
        public var multipartLimits: MultipartLimits = .default
        /// Commands of one Package#2, and status items of one Package#3, decoded at most; the rest
        /// are left undecoded with a `.limitExceeded` issue. Real packages carry tens; a hostile one
        /// of 250,000 would otherwise decode to ~130 MB.
        public var maxItemsPerPackage = 10_000

        public init() {}

        public static let `default` = Options()
    }

    /// Decodes an HTTP body. `contentType` is the Content-Type value; when `nil` it is taken from
    /// `headers`. `body` is only read during the call.
    ///
    /// A `multipart/form-data` body is a Package#3 with GET data (approved Appendix F): it is split, its
    /// first part is decoded as the package whatever its name, and the other parts become
    /// `Response.getData`; `PackageDecoding.matchingGETData(previousCommands:)` then attaches them.
    public static func decode(
        contentType: String?, headers: HTTPHeaderFields, body: UnsafeRawBufferPointer, options: Options = .default
    ) -> PackageDecoding {
        let typeText = contentType ?? DMHeader.value(DMHeader.contentType, in: headers)
        let mediaType = typeText.flatMap(MediaType.init)
        if let mediaType, mediaType.essence == MultipartPackage.formData {
            return MultipartPackage.decode(mediaType: mediaType, headers: headers, body: body, options: options)
        }
        return decodeJSON(mediaType: mediaType, typeText: typeText, headers: headers, body: body, options: options)
    }

    /// Decodes a JSON package body whose media type is `mediaType` (not multipart).
    static func decodeJSON(
        mediaType: MediaType?, typeText: String?, headers: HTTPHeaderFields, body: UnsafeRawBufferPointer,
        options: Options
    ) -> PackageDecoding {
        var result = PackageDecoding(mediaType: mediaType, issues: [])
        if let mediaType, let kind = DMMediaType(rawValue: mediaType.essence)?.packageKind {
            result.kind = kind
            result.kindSource = .mediaType
        }
        if result.kind == nil, !options.guessesKindFromBody {
            result.issues.append(
                DecodeError(
                    .unsupportedMediaType, "The media type \(typeText.map { "'\($0)'" } ?? "(none)") is not a DM package type."))
            return result
        }
        let document: JSONDocument
        do {
            document = try JSONParser.parse(body, limits: options.limits)
        } catch {
            result.issues.append(error)
            return result
        }
        result.document = document
        result.issues += document.issues
        if result.kind == nil {
            guard let guessed = guessKind(document.value) else {
                result.issues.append(
                    DecodeError(
                        .unsupportedMediaType,
                        "The media type \(typeText.map { "'\($0)'" } ?? "(none)") is not a DM package type and the body does not look like one."
                    ))
                return result
            }
            result.kind = guessed
            result.kindSource = .body
        }
        var reader = SchemaReader(options: options)
        // Force-unwrap-free: kind was set just above on every path that reaches here.
        switch result.kind ?? .initiation {
        case .initiation:
            result.package = reader.initiation(document.value, headers: headers).map(DMPackage.initiation)
        case .request:
            result.package = reader.request(document.value, headers: headers).map(DMPackage.request)
        case .response:
            result.package = reader.response(document.value, headers: headers).map(DMPackage.response)
        }
        result.issues += reader.resolvedIssues(in: body)
        return result
    }

    /// Decodes an HTTP body held in an array.
    public static func decode(
        contentType: String?, headers: HTTPHeaderFields, body: [UInt8], options: Options = .default
    ) -> PackageDecoding {
        body.withUnsafeBytes { decode(contentType: contentType, headers: headers, body: $0, options: options) }
    }

    /// Decodes a body known to be package `kind` (e.g. the first part of a multipart Package#3).
    public static func decode(
        kind: PackageKind, headers: HTTPHeaderFields, body: UnsafeRawBufferPointer, options: Options = .default
    ) -> PackageDecoding {
        decode(contentType: kind.mediaType.rawValue, headers: headers, body: body, options: options)
    }

    /// Decodes an MO serialization body (`application/dmmo+json`: an array of
    /// `{DDF?, ClientURI, CV?, MOData}`; a single object is accepted with a deviation warning).
    ///
    /// For MO data in any HTTP message (HGET responses, uploads, SUB reports) use `MODataDecoding.decode`.
    public static func decodeMOSerialization(
        _ body: UnsafeRawBufferPointer, options: Options = .default
    ) -> (items: [MOData]?, document: JSONDocument?, issues: [DecodeError]) {
        let decoded = MODataDecoding.decode(body, format: .dmmoJSON, options: options)
        return (decoded.items, decoded.document, decoded.issues)
    }

    /// The package kind a body looks like, from its top-level members (used when the media type is missing).
    public static func guessKind(_ body: JSONValue) -> PackageKind? {
        guard let members = body.objectValue else { return nil }
        let names = Set(members.map(\.name))
        if names.contains("CMD") || names.contains("Cmds") { return .request }
        if names.contains("Status") { return .response }
        let sessionInfo = body[member: "SessionInfo"]
        if names.contains("Results") {
            return sessionInfo?[member: "DevID"] != nil ? .response : .request
        }
        if names.contains("MOS") || names.contains("MOD") || names.contains("Alert") || names.contains("Alerts")
            || sessionInfo?[member: "ReasonForSession"] != nil
        {
            return .initiation
        }
        return nil
    }
}

// MARK: - Schema reader

/// Typed reading of package JSON with path-tracked issues; offsets are filled in afterwards.
struct SchemaReader {
    let options: PackageDecoder.Options
    /// Issues with the path used to locate them (for a missing member, the object's path).
    var pending: [(error: DecodeError, locate: JSONPath)] = []

    init(options: PackageDecoder.Options) { self.options = options }

    // Known member names per object kind, built once.
    static let initiationMembers: Set<String> = ["SessionInfo", "MOS", "MOD", "Alerts", "Alert"]
    static let requestMembers: Set<String> = ["SessionInfo", "CMD", "Cmds", "Results", "Alerts", "Alert"]
    static let responseMembers: Set<String> = ["SessionInfo", "Status", "Results", "Alerts", "Alert"]
    static let sessionInfoMembers: Set<String> = ["SessionID", "PkgSeq", "DevID", "ReasonForSession", "AcceptMO"]
    static let mosMembers: Set<String> = ["MOID", "DDF", "MIID", "Path"]
    static let moDataMembers: Set<String> = ["URI", "MO", "ClientURI", "DDF", "CV", "MOData"]
    static let crAlertMembers: Set<String> = ["Code", "Correlator", "Item"]
    static let crAlertItemMembers: Set<String> = ["Source", "Data"]
    static let alertMembers: Set<String> = ["AlertType", "SourceURI", "TargetURI", "Mark", "DataType", "Data"]
    static let statusMembers: Set<String> = ["sc", "URI"]
    static let crResultMembers: Set<String> = ["Code", "MOD"]

    mutating func report(
        _ kind: DecodeError.Kind, _ message: String, at path: JSONPath, locate: JSONPath? = nil,
        limit: DecodeLimit? = nil
    ) {
        pending.append((DecodeError(kind, message, path: path.description, limit: limit), locate ?? path))
    }

    /// The issues with byte offset, line and column found by re-walking `body`.
    func resolvedIssues(in body: UnsafeRawBufferPointer) -> [DecodeError] {
        pending.map { entry in
            var error = entry.error
            if let offset = JSONParser.offset(of: entry.locate, in: body) {
                let position = DecodeError.lineAndColumn(of: offset, in: body)
                error.offset = offset
                error.line = position.line
                error.column = position.column
            }
            return error
        }
    }

    // MARK: Scalars

    mutating func string(_ value: JSONValue, at path: JSONPath) -> String? {
        if case .string(let text) = value { return text }
        report(.wrongJSONType, "Expected a string but found \(value.typeName).", at: path)
        return nil
    }

    /// An integer; integral non-integer literals (`200.0`) are accepted with a deviation warning.
    mutating func integer(_ value: JSONValue, at path: JSONPath) -> Int64? {
        guard case .number(let number) = value else {
            report(.wrongJSONType, "Expected an integer but found \(value.typeName).", at: path)
            return nil
        }
        if let exact = number.int64 { return exact }
        if let integral = number.integerValue {
            report(.schemaDeviation, "The integer is written as \(number.text).", at: path)
            return integral
        }
        report(.invalidValue, "Expected an integer but found the number \(number.text).", at: path)
        return nil
    }

    mutating func stringArray(_ value: JSONValue, at path: JSONPath) -> [String]? {
        guard case .array(let elements) = value else {
            report(.wrongJSONType, "Expected an array of strings but found \(value.typeName).", at: path)
            return nil
        }
        return elements.enumerated().compactMap { index, element in string(element, at: path.appending(index: index)) }
    }

    mutating func object(_ value: JSONValue, at path: JSONPath) -> [JSONMember]? {
        if case .object(let members) = value { return members }
        report(.wrongJSONType, "Expected an object but found \(value.typeName).", at: path)
        return nil
    }

    mutating func array(_ value: JSONValue, at path: JSONPath) -> [JSONValue]? {
        if case .array(let elements) = value { return elements }
        report(.wrongJSONType, "Expected an array but found \(value.typeName).", at: path)
        return nil
    }

    mutating func require(_ isPresent: Bool, _ name: String, in path: JSONPath, _ context: String) {
        guard !isPresent else { return }
        report(
            .missingMember, "\(context) has no \"\(name)\" member.",
            at: JSONPath(path.components + [.member(name, position: -1)]), locate: path)
    }

    /// The first `maxItemsPerPackage` elements of a command or status array; more is a reported limit.
    mutating func limited(_ elements: [JSONValue], name: String, at path: JSONPath) -> ArraySlice<JSONValue> {
        let limit = options.maxItemsPerPackage
        if elements.count > limit {
            report(
                .limitExceeded, "\(name) has \(elements.count) items; only the first \(limit) are decoded and checked.",
                at: path, limit: .packageItems)
        }
        return elements.prefix(limit)
    }

    /// Calls `body` for each member (position, name, value, path); unknown members are collected.
    mutating func members(
        _ members: [JSONMember], at path: JSONPath, known: Set<String>,
        _ body: (inout SchemaReader, String, JSONValue, JSONPath) -> Void
    ) -> [JSONMember] {
        var unknown: [JSONMember] = []
        for (position, member) in members.enumerated() {
            guard known.contains(member.name) else {
                unknown.append(member)
                continue
            }
            body(&self, member.name, member.value, path.appending(member: member.name, position: position))
        }
        return unknown
    }

    // MARK: Packages

    mutating func topObject(_ value: JSONValue, _ kind: PackageKind) -> [JSONMember]? {
        if case .object(let members) = value { return members }
        report(.wrongJSONType, "A \(kind.rawValue) package must be a JSON object, not \(value.typeName).", at: .root)
        return nil
    }

    mutating func initiation(_ value: JSONValue, headers: HTTPHeaderFields) -> Initiation? {
        guard let top = topObject(value, .initiation) else { return nil }
        var package = Initiation(dialect: Dialect(body: value))
        package.devIDHeader = DMHeader.lenientValue(DMHeader.devID, in: headers)?.value
        package.unknownMembers = members(top, at: .root, known: Self.initiationMembers) {
            reader, name, value, path in
            switch name {
            case "SessionInfo": package.sessionInfo = reader.sessionInfo(value, at: path, kind: .initiation)
            case "MOS":
                package.mos = reader.array(value, at: path).map { elements in
                    elements.enumerated().compactMap { reader.mosEntry($1, at: path.appending(index: $0)) }
                }
            case "MOD":
                package.moData = reader.array(value, at: path).map { elements in
                    elements.enumerated().compactMap { reader.moData($1, at: path.appending(index: $0)) }
                }
            default: reader.appendAlerts(value, name: name, at: path, to: &package.alerts)
            }
        }
        requireDialectMembers(top, dialect: package.dialect, kind: .initiation)
        return package
    }

    mutating func request(_ value: JSONValue, headers: HTTPHeaderFields) -> Request? {
        guard let top = topObject(value, .request) else { return nil }
        var package = Request(dialect: Dialect(body: value))
        package.omadmAccept = DMHeader.lenientValue(DMHeader.accept, in: headers)?.value
        package.unknownMembers = members(top, at: .root, known: Self.requestMembers) {
            reader, name, value, path in
            switch name {
            case "SessionInfo": package.sessionInfo = reader.sessionInfo(value, at: path, kind: .request)
            case "CMD", "Cmds":
                guard let elements = reader.array(value, at: path) else { return }
                let form: Form = name == "CMD" ? .a : .cr
                // An unreadable command keeps its place: part N of a multipart Package#3 and status N
                // answer command N (reference §0.3), so positions must not shift.
                let commands = reader.limited(elements, name: name, at: path).enumerated().map { index, element in
                    reader.command(element, form: form, at: path.appending(index: index))
                        ?? Command(name: .unknown(""), arguments: [], form: form, isUnreadable: true)
                }
                package.commands = (package.commands ?? []) + commands
            case "Results":
                package.alertResults = reader.array(value, at: path).map { elements in
                    elements.enumerated().compactMap { reader.result($1, form: .cr, at: path.appending(index: $0)) }
                }
            default: reader.appendAlerts(value, name: name, at: path, to: &package.alerts)
            }
        }
        requireDialectMembers(top, dialect: package.dialect, kind: .request)
        return package
    }

    mutating func response(_ value: JSONValue, headers: HTTPHeaderFields) -> Response? {
        guard let top = topObject(value, .response) else { return nil }
        var package = Response(dialect: Dialect(body: value))
        package.devIDHeader = DMHeader.lenientValue(DMHeader.devID, in: headers)?.value
        package.unknownMembers = members(top, at: .root, known: Self.responseMembers) {
            reader, name, value, path in
            switch name {
            case "SessionInfo": package.sessionInfo = reader.sessionInfo(value, at: path, kind: .response)
            case "Status", "Results":
                guard let elements = reader.array(value, at: path) else { return }
                let form: Form = name == "Status" ? .a : .cr
                // An unreadable status item keeps its place (item N answers command N).
                let results = reader.limited(elements, name: name, at: path).enumerated().map { index, element in
                    reader.result(element, form: form, at: path.appending(index: index))
                        ?? CommandResult(form: form, code: nil, isUnreadable: true)
                }
                package.results = (package.results ?? []) + results
            default: reader.appendAlerts(value, name: name, at: path, to: &package.alerts)
            }
        }
        requireDialectMembers(top, dialect: package.dialect, kind: .response)
        return package
    }

    /// Top-level members the dialect's schema requires (CR: `SessionInfo`; A: P2 `CMD`, P3 `Status`).
    mutating func requireDialectMembers(_ top: [JSONMember], dialect: Dialect, kind: PackageKind) {
        let names = MemberNames(top)
        switch dialect {
        case .cr:
            require(names.contains("SessionInfo"), "SessionInfo", in: .root, "A CR package")
        case .a:
            if kind == .request { require(names.contains("CMD"), "CMD", in: .root, "A Package#2") }
            if kind == .response { require(names.contains("Status"), "Status", in: .root, "A Package#3") }
        case .mixed, .undetermined:
            break
        }
    }

    // MARK: Parts

    mutating func sessionInfo(_ value: JSONValue, at path: JSONPath, kind: PackageKind) -> SessionInfo? {
        guard let top = object(value, at: path) else { return nil }
        var info = SessionInfo()
        info.unknownMembers = members(
            top, at: path, known: Self.sessionInfoMembers
        ) { reader, name, value, path in
            switch name {
            case "SessionID": info.sessionID = reader.string(value, at: path)
            case "PkgSeq": info.pkgSeq = reader.integer(value, at: path)
            case "DevID": info.devID = reader.string(value, at: path)
            case "ReasonForSession": info.reasonForSession = reader.integer(value, at: path)
            default: info.acceptMO = reader.string(value, at: path)
            }
        }
        // Reference §3.1 / DM-SES-001…003: which members each package must carry.
        let names = MemberNames(top)
        let required: [String] =
            switch kind {
            case .initiation: ["DevID", "SessionID", "PkgSeq", "ReasonForSession"]
            case .request: ["SessionID", "PkgSeq"]
            case .response: ["DevID", "SessionID", "PkgSeq"]
            }
        for name in required { require(names.contains(name), name, in: path, "SessionInfo") }
        return info
    }

    mutating func mosEntry(_ value: JSONValue, at path: JSONPath) -> MOSEntry? {
        guard let top = object(value, at: path) else { return nil }
        var entry = MOSEntry()
        entry.unknownMembers = members(top, at: path, known: Self.mosMembers) {
            reader, name, value, path in
            switch name {
            case "MOID": entry.moid = reader.string(value, at: path)
            case "DDF": entry.ddf = reader.string(value, at: path)
            case "MIID": entry.miids = reader.stringArray(value, at: path)
            default: entry.paths = reader.stringArray(value, at: path)
            }
        }
        let names = MemberNames(top)
        require(names.contains("MOID"), "MOID", in: path, "A MOS item")
        // A requires MIID (DM-P1-001); a CR item carries Path instead.
        if !names.contains("Path") { require(names.contains("MIID"), "MIID", in: path, "A MOS item") }
        return entry
    }

    /// CR `{URI, MO}` or A `{DDF?, ClientURI, CV?, MOData}`; the form follows the members present.
    mutating func moData(_ value: JSONValue, at path: JSONPath) -> MOData? {
        guard let top = object(value, at: path) else { return nil }
        let names = MemberNames(top)
        let form: Form = names.contains("URI") || names.contains("MO") ? .cr : .a
        var item = MOData(form: form)
        item.unknownMembers = members(top, at: path, known: Self.moDataMembers) {
            reader, name, value, path in
            switch name {
            case "URI", "ClientURI": item.clientURI = reader.string(value, at: path)
            case "DDF": item.ddf = reader.string(value, at: path)
            case "CV": item.cv = reader.string(value, at: path)
            default: item.tree = value
            }
        }
        if form == .cr {
            require(names.contains("URI"), "URI", in: path, "An MO data item")
            require(names.contains("MO"), "MO", in: path, "An MO data item")
        } else {
            require(names.contains("ClientURI"), "ClientURI", in: path, "An MO data item")
            require(names.contains("MOData"), "MOData", in: path, "An MO data item")
        }
        return item
    }

    mutating func appendAlerts(_ value: JSONValue, name: String, at path: JSONPath, to alerts: inout [Alert]?) {
        guard let elements = array(value, at: path) else { return }
        let form: Form = name == "Alert" ? .a : .cr
        let decoded = elements.enumerated().compactMap { index, element in
            alert(element, form: form, at: path.appending(index: index))
        }
        alerts = (alerts ?? []) + decoded
    }

    mutating func alert(_ value: JSONValue, form: Form, at path: JSONPath) -> Alert? {
        guard let top = object(value, at: path) else { return nil }
        var alert = Alert(form: form)
        let names = MemberNames(top)
        switch form {
        case .cr:
            alert.unknownMembers = members(top, at: path, known: Self.crAlertMembers) {
                reader, name, value, path in
                switch name {
                case "Code": alert.code = reader.integer(value, at: path)
                case "Correlator": alert.correlator = reader.string(value, at: path)
                default:
                    guard let item = reader.object(value, at: path) else { return }
                    alert.itemUnknownMembers = reader.members(item, at: path, known: Self.crAlertItemMembers) {
                        reader, name, value, path in
                        if name == "Source" { alert.sourceURI = reader.string(value, at: path) } else { alert.data = value }
                    }
                }
            }
            require(names.contains("Code"), "Code", in: path, "A CR alert")
        case .a:
            alert.unknownMembers = members(
                top, at: path, known: Self.alertMembers
            ) { reader, name, value, path in
                switch name {
                case "AlertType": alert.alertType = reader.string(value, at: path)
                case "SourceURI": alert.sourceURI = reader.string(value, at: path)
                case "TargetURI": alert.targetURI = reader.string(value, at: path)
                case "Mark": alert.mark = reader.string(value, at: path)
                case "DataType": alert.dataType = reader.string(value, at: path)
                default:
                    alert.data = value
                    if case .object = value {} else {
                        reader.report(.wrongJSONType, "Expected an object but found \(value.typeName).", at: path)
                    }
                }
            }
            require(names.contains("AlertType"), "AlertType", in: path, "An alert")
            // Approved §7.2.1.5: DataType is required when Data is present.
            if names.contains("Data") { require(names.contains("DataType"), "DataType", in: path, "An alert with Data") }
        }
        return alert
    }

    /// CR `{"NAME": [args…]}` or A `["NAME", args…]`.
    mutating func command(_ value: JSONValue, form: Form, at path: JSONPath) -> Command? {
        switch form {
        case .a:
            guard let elements = array(value, at: path) else { return nil }
            guard let first = elements.first else {
                report(.invalidValue, "A command array is empty; it needs at least the command name.", at: path)
                return nil
            }
            guard let name = string(first, at: path.appending(index: 0)) else { return nil }
            for (index, argument) in elements.enumerated().dropFirst() where argument.stringValue == nil {
                report(
                    .wrongJSONType, "Expected a string argument but found \(argument.typeName).",
                    at: path.appending(index: index))
            }
            return Command(name: CommandName(name), arguments: Array(elements.dropFirst()), form: .a)
        case .cr:
            guard let top = object(value, at: path) else { return nil }
            guard let first = top.first else {
                report(.invalidValue, "A command object is empty; it needs one member named after the command.", at: path)
                return nil
            }
            if top.count > 1 {
                report(
                    .invalidValue, "A command object has \(top.count) members; it must have exactly one (DM-P2-002).",
                    at: path)
            }
            let memberPath = path.appending(member: first.name, position: 0)
            let arguments: [JSONValue]
            if case .array(let elements) = first.value {
                arguments = elements
            } else {
                report(.wrongJSONType, "Expected an array of arguments but found \(first.value.typeName).", at: memberPath)
                arguments = []
            }
            for (index, argument) in arguments.enumerated() where argument.stringValue == nil {
                report(
                    .wrongJSONType, "Expected a string argument but found \(argument.typeName).",
                    at: memberPath.appending(index: index))
            }
            return Command(
                name: CommandName(first.name), arguments: arguments, form: .cr, unknownMembers: Array(top.dropFirst()))
        }
    }

    /// CR `{Code, MOD?}`, A `{sc, URI?}` or an A bare integer (accepted, deviation warning).
    mutating func result(_ value: JSONValue, form: Form, at path: JSONPath) -> CommandResult? {
        if form == .a, case .number = value {
            report(
                .schemaDeviation,
                "A status item is a bare integer; the schema wants {\"sc\": <code>} (the specification's Appendix F writes it this way).",
                at: path)
            return CommandResult(form: .a, code: integer(value, at: path), isBareInteger: true)
        }
        guard let top = object(value, at: path) else { return nil }
        var result = CommandResult(form: form, code: nil)
        let codeName = form == .a ? "sc" : "Code"
        let known = form == .a ? Self.statusMembers : Self.crResultMembers
        result.unknownMembers = members(top, at: path, known: known) { reader, name, value, path in
            switch name {
            case "sc", "Code":
                if form == .cr, reader.options.readsXXXAsNotModified, value.stringValue == "XXX" {
                    reader.report(
                        .schemaDeviation, "The CR placeholder status \"XXX\" is read as 304 Not Modified.", at: path)
                    result.code = 304
                } else {
                    result.code = reader.integer(value, at: path)
                }
            case "URI": result.uris = reader.stringArray(value, at: path) ?? []
            default:
                // The CR example writes one {URI, MO} object; an array of them is accepted too.
                if case .array(let elements) = value {
                    result.data = elements.enumerated().compactMap { reader.moData($1, at: path.appending(index: $0)) }
                } else {
                    result.data = reader.moData(value, at: path).map { [$0] } ?? []
                }
            }
        }
        require(top.contains(where: { $0.name == codeName }), codeName, in: path, "A result")
        return result
    }
}

/// Membership test over an object's member names without building a `Set` (objects are small).
struct MemberNames {
    let members: [JSONMember]
    init(_ members: [JSONMember]) { self.members = members }
    func contains(_ name: String) -> Bool { members.contains { $0.name == name } }
}
