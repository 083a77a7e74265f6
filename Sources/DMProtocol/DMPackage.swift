/// Which of the three JSON packages a body is.
public enum PackageKind: String, Hashable, Sendable, CaseIterable {
    /// Package#1, client → server, `application/vnd.oma.dm.initiation+json`.
    case initiation
    /// Package#2, server → client, `application/vnd.oma.dm.request+json`.
    case request
    /// Package#3, client → server, `application/vnd.oma.dm.response+json`.
    case response

    /// The media type of this kind.
    public var mediaType: DMMediaType {
        switch self {
        case .initiation: .initiation
        case .request: .request
        case .response: .response
        }
    }
}

/// The JSON dialect of a package (reference §0.1, rule DM-CT-008).
public enum Dialect: String, Hashable, Sendable {
    /// The seed CR draft: `SessionInfo`, `Cmds`, `Results`, `Alerts`, `MOD`, `MOS` with `Path`.
    case cr
    /// The approved specification: `CMD`, `Status`, `Alert`, `MOS` with `MIID`.
    case a
    /// Members of both kinds (DM-CT-008 "mixed dialect" warning).
    case mixed
    /// No member that tells the dialects apart (e.g. `{}`).
    case undetermined

    /// The dialect of a package body from its top-level member names (DM-CT-008).
    ///
    /// CR evidence: `SessionInfo`, `Cmds`, `Results`, `Alerts`, `MOD`, a `MOS` item with `Path`.
    /// A evidence: `CMD`, `Status`, `Alert`, a `MOS` item with `MIID`.
    public init(body: JSONValue) {
        var hasCR = false
        var hasA = false
        for member in body.objectValue ?? [] {
            switch member.name {
            case "SessionInfo", "Cmds", "Results", "Alerts", "MOD": hasCR = true
            case "CMD", "Status", "Alert": hasA = true
            case "MOS":
                for item in member.value.arrayValue ?? [] {
                    if item[member: "MIID"] != nil { hasA = true }
                    if item[member: "Path"] != nil { hasCR = true }
                }
            default: break
            }
        }
        switch (hasCR, hasA) {
        case (true, true): self = .mixed
        case (true, false): self = .cr
        case (false, true): self = .a
        case (false, false): self = .undetermined
        }
    }
}

/// The CR `SessionInfo` block (reference §3.1); every member is optional here, the decoder
/// reports the ones a package kind requires.
public struct SessionInfo: Hashable, Sendable {
    public var sessionID: String?
    public var pkgSeq: Int64?
    public var devID: String?
    /// `ReasonForSession` (Package#1): 1200 server-initiated, 1201 client-initiated (§5.3).
    public var reasonForSession: Int64?
    /// `AcceptMO` (Package#2): HTTP Accept syntax.
    public var acceptMO: String?
    public var unknownMembers: [JSONMember] = []

    public init(
        sessionID: String? = nil, pkgSeq: Int64? = nil, devID: String? = nil, reasonForSession: Int64? = nil,
        acceptMO: String? = nil, unknownMembers: [JSONMember] = []
    ) {
        self.sessionID = sessionID
        self.pkgSeq = pkgSeq
        self.devID = devID
        self.reasonForSession = reasonForSession
        self.acceptMO = acceptMO
        self.unknownMembers = unknownMembers
    }
}

/// Why a session was opened: CR `ReasonForSession` or the A session alert, behind one type.
public enum SessionReason: Hashable, Sendable {
    /// After a Package#0 (CR 1200, A `urn:oma:at:dm:2.0:ServerInitiatedMgmt`).
    case serverInitiated
    /// By the client itself (CR 1201, A `…:ClientInitiatedMgmt`).
    case clientInitiated
    /// After a bootstrap (A `…:BootstrapComplete`).
    case bootstrapComplete
    /// A CR code with no known meaning.
    case otherCode(Int64)

    /// The A session alert types (reference §5.2, approved Appendix D).
    public static let serverInitiatedAlertType = "urn:oma:at:dm:2.0:ServerInitiatedMgmt"
    public static let clientInitiatedAlertType = "urn:oma:at:dm:2.0:ClientInitiatedMgmt"
    public static let bootstrapCompleteAlertType = "urn:oma:at:dm:2.0:BootstrapComplete"

    /// The reason a CR `ReasonForSession` code gives (§5.3: DM 1.x session alert codes).
    public init(code: Int64) {
        switch code {
        case 1200: self = .serverInitiated
        case 1201: self = .clientInitiated
        default: self = .otherCode(code)
        }
    }

    /// The reason an A alert type gives, or `nil` when it is not a session alert.
    public init?(alertType: String) {
        switch alertType {
        case Self.serverInitiatedAlertType: self = .serverInitiated
        case Self.clientInitiatedAlertType: self = .clientInitiated
        case Self.bootstrapCompleteAlertType: self = .bootstrapComplete
        default: return nil
        }
    }
}

/// One supported-MO entry of a Package#1 `MOS` array (union of both dialects' members).
public struct MOSEntry: Hashable, Sendable {
    public var moid: String?
    public var ddf: String?
    /// A: instance ids (required by the A schema).
    public var miids: [String]?
    /// CR: instance paths (example `["/"]`).
    public var paths: [String]?
    public var unknownMembers: [JSONMember] = []

    public init(
        moid: String? = nil, ddf: String? = nil, miids: [String]? = nil, paths: [String]? = nil,
        unknownMembers: [JSONMember] = []
    ) {
        self.moid = moid
        self.ddf = ddf
        self.miids = miids
        self.paths = paths
        self.unknownMembers = unknownMembers
    }
}

/// One piece of MO data: CR `{URI, MO}` or A `{DDF?, ClientURI, CV?, MOData}` (reference §3.4, §0.3).
public struct MOData: Hashable, Sendable {
    public var form: Form
    /// CR `URI` / A `ClientURI`.
    public var clientURI: String?
    /// A `DDF`.
    public var ddf: String?
    /// A `CV` cache validator.
    public var cv: String?
    /// CR `MO` / A `MOData`: interior nodes are objects keyed by node name, leaves are scalars.
    public var tree: JSONValue?
    public var unknownMembers: [JSONMember] = []

    public init(
        form: Form, clientURI: String? = nil, ddf: String? = nil, cv: String? = nil, tree: JSONValue? = nil,
        unknownMembers: [JSONMember] = []
    ) {
        self.form = form
        self.clientURI = clientURI
        self.ddf = ddf
        self.cv = cv
        self.tree = tree
        self.unknownMembers = unknownMembers
    }
}

/// A client alert: CR `{Code, Correlator, Item{Source, Data}}` or A `{AlertType, SourceURI, TargetURI,
/// Mark, DataType, Data}` (reference §3.3), behind one type.
public struct Alert: Hashable, Sendable {
    public var form: Form
    /// CR numeric code, e.g. 1226 (generic alert).
    public var code: Int64?
    /// A URN type, e.g. `urn:oma:at:dm:2.0:ClientInitiatedMgmt`.
    public var alertType: String?
    /// CR `Correlator`.
    public var correlator: String?
    /// A `SourceURI` / CR `Item.Source`.
    public var sourceURI: String?
    /// A `TargetURI`.
    public var targetURI: String?
    /// A `Mark` as sent; see `effectiveMark`.
    public var mark: String?
    /// A `DataType` (required when `Data` is present).
    public var dataType: String?
    /// A `Data` / CR `Item.Data`.
    public var data: JSONValue?
    /// CR `Item` members other than `Source` and `Data`.
    public var itemUnknownMembers: [JSONMember] = []
    public var unknownMembers: [JSONMember] = []

    public init(
        form: Form, code: Int64? = nil, alertType: String? = nil, correlator: String? = nil,
        sourceURI: String? = nil, targetURI: String? = nil, mark: String? = nil, dataType: String? = nil,
        data: JSONValue? = nil, itemUnknownMembers: [JSONMember] = [], unknownMembers: [JSONMember] = []
    ) {
        self.form = form
        self.code = code
        self.alertType = alertType
        self.correlator = correlator
        self.sourceURI = sourceURI
        self.targetURI = targetURI
        self.mark = mark
        self.dataType = dataType
        self.data = data
        self.itemUnknownMembers = itemUnknownMembers
        self.unknownMembers = unknownMembers
    }

    /// The default `Mark` (approved §7.2.1.5).
    public static let defaultMark = "informational"

    /// `mark`, or `informational` when absent (then `isMarkDefaulted` is true).
    public var effectiveMark: String { mark ?? Self.defaultMark }
    public var isMarkDefaulted: Bool { mark == nil }

    /// The session reason this alert states, if it is a session alert (A form only).
    public var sessionReason: SessionReason? { alertType.flatMap(SessionReason.init(alertType:)) }
}

/// The result of one command (Package#3 `Results`/`Status` item) or, in a CR Package#2, the answer to
/// one client alert: code, URIs, attached MO data.
public struct CommandResult: Hashable, Sendable {
    public var form: Form
    /// CR `Code` / A `sc`; `nil` when absent or unreadable (an issue says why).
    public var code: Int64?
    /// A `URI`: ClientURIs the command produced or used.
    public var uris: [String] = []
    /// CR `MOD` data returned with the result (GET), from the JSON itself.
    public var data: [MOData] = []
    /// A: the multipart part that carries this GET's data (approved Appendix F), set by
    /// `PackageDecoding.matchingGETData(previousCommands:)`; its MO items are in `getData?.moData`.
    public var getData: GETDataPart?
    /// A status item written as a bare integer (the approved spec's Appendix F form; a deviation).
    public var isBareInteger = false
    /// A placeholder for a status item that could not be read at all (e.g. a string): it keeps the
    /// positions of the items after it (an issue says what was wrong).
    public var isUnreadable = false
    public var unknownMembers: [JSONMember] = []

    public init(
        form: Form, code: Int64?, uris: [String] = [], data: [MOData] = [], getData: GETDataPart? = nil,
        isBareInteger: Bool = false, isUnreadable: Bool = false, unknownMembers: [JSONMember] = []
    ) {
        self.form = form
        self.code = code
        self.uris = uris
        self.data = data
        self.getData = getData
        self.isBareInteger = isBareInteger
        self.isUnreadable = isUnreadable
        self.unknownMembers = unknownMembers
    }

    /// Every MO item returned with this result: CR `MOD` data, then the A multipart part's items.
    public var allMOData: [MOData] { data + (getData?.moData ?? []) }

    /// Name and applicability of `code` (DM 2.0 table, else DM 1.x name; see `origin`).
    public var status: StatusCodeInfo? { code.flatMap(StatusCodeTable.describe) }
}

/// Package#1: session initiation, client → server.
public struct Initiation: Hashable, Sendable {
    public var dialect: Dialect
    /// CR `SessionInfo`.
    public var sessionInfo: SessionInfo?
    /// The `OMADM-DevID` header (A).
    public var devIDHeader: String?
    /// `MOS`, when sent.
    public var mos: [MOSEntry]?
    /// CR `MOD`, when sent.
    public var moData: [MOData]?
    /// CR `Alerts` and A `Alert` items, in source order.
    public var alerts: [Alert]?
    public var unknownMembers: [JSONMember] = []

    /// The device id: the A header, else the CR `SessionInfo.DevID`.
    public var devID: String? { devIDHeader ?? sessionInfo?.devID }

    /// Why the session was opened: CR `ReasonForSession`, else the first A session alert.
    public var sessionReason: SessionReason? {
        if let code = sessionInfo?.reasonForSession { return SessionReason(code: code) }
        return alerts?.lazy.compactMap(\.sessionReason).first
    }
}

/// Package#2: commands, server → client.
public struct Request: Hashable, Sendable {
    public var dialect: Dialect
    /// CR `SessionInfo`.
    public var sessionInfo: SessionInfo?
    /// A `CMD` and CR `Cmds` items, in source order.
    public var commands: [Command]?
    /// CR `Results`: answers to the client alerts of the previous client package (DM-P2-007).
    public var alertResults: [CommandResult]?
    /// Alerts in a Package#2 are an error (DM-ALR-003) but are kept.
    public var alerts: [Alert]?
    /// The `OMADM-Accept` header (or a `OMADM_Accept`/`OMADMAccept` spelling), A.
    public var omadmAccept: String?
    public var unknownMembers: [JSONMember] = []

    /// True when a command is END (no Package#3 may follow, DM-END-001).
    public var containsEnd: Bool { commands?.contains { $0.name == .end } ?? false }
}

/// Package#3: results, client → server.
public struct Response: Hashable, Sendable {
    public var dialect: Dialect
    /// CR `SessionInfo`.
    public var sessionInfo: SessionInfo?
    /// The `OMADM-DevID` header (A).
    public var devIDHeader: String?
    /// A `Status` and CR `Results` items, in source order; item *i* answers command *i* of the previous P2.
    public var results: [CommandResult]?
    /// CR `Alerts` and A `Alert` items.
    public var alerts: [Alert]?
    public var unknownMembers: [JSONMember] = []
    /// The GET-data parts of a multipart Package#3 (approved Appendix F), in body order: every part
    /// after the first, whatever its name. Matched to commands by
    /// `PackageDecoding.matchingGETData(previousCommands:)`.
    public var getData: [GETDataPart] = []

    /// The device id: the A header, else the CR `SessionInfo.DevID`.
    public var devID: String? { devIDHeader ?? sessionInfo?.devID }

    /// The GET-data part named `index`, the first when several are.
    public func getData(forCommandAt index: Int) -> GETDataPart? {
        getData.first { $0.commandIndex == index }
    }
}

/// A decoded DM JSON package.
public enum DMPackage: Hashable, Sendable {
    case initiation(Initiation)
    case request(Request)
    case response(Response)

    public var kind: PackageKind {
        switch self {
        case .initiation: .initiation
        case .request: .request
        case .response: .response
        }
    }

    public var dialect: Dialect {
        switch self {
        case .initiation(let package): package.dialect
        case .request(let package): package.dialect
        case .response(let package): package.dialect
        }
    }

    public var sessionInfo: SessionInfo? {
        switch self {
        case .initiation(let package): package.sessionInfo
        case .request(let package): package.sessionInfo
        case .response(let package): package.sessionInfo
        }
    }
}
