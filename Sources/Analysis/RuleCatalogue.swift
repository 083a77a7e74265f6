/// How strongly the reference states a rule (dm-protocol.md §6 legend).
public enum RuleLevel: String, Sendable, Hashable, CaseIterable {
    /// A requirement the sources state (or directly imply): a violation is an error.
    case must = "MUST"
    /// A recommendation: a violation is a warning.
    case should = "SHOULD"
    /// A consistency heuristic of this tool, not a spec requirement: warning or info, never "non-conformant".
    case heuristic = "HEUR"
    /// Not a protocol rule: what the session tracker reports about its own work (ambiguity, limits).
    case tracker = "TRACK"
}

/// The dialects a rule applies to (reference §0.1).
public struct RuleDialects: OptionSet, Sendable, Hashable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The seed CR draft.
    public static let cr = RuleDialects(rawValue: 1 << 0)
    /// The approved specification.
    public static let a = RuleDialects(rawValue: 1 << 1)
    /// DM 1.2 notifications (and the SyncML sessions that follow them).
    public static let dm12 = RuleDialects(rawValue: 1 << 2)
    /// Both DM 2.0 dialects.
    public static let both: RuleDialects = [.cr, .a]
    /// Every dialect.
    public static let all: RuleDialects = [.cr, .a, .dm12]

    /// `both`, `all`, `CR`, `A`, `1.2`, or a comma-separated combination.
    public var text: String {
        if self == .all { return "all" }
        if self == .both { return "both" }
        var parts: [String] = []
        if contains(.cr) { parts.append("CR") }
        if contains(.a) { parts.append("A") }
        if contains(.dm12) { parts.append("1.2") }
        return parts.joined(separator: ",")
    }
}

/// One rule of the catalogue: data, the checkers refer to it by `id`.
public struct Rule: Sendable, Hashable {
    /// Stable identifier (`DM-SEQ-001`); never renamed once published.
    public var id: String
    /// How the reference states it.
    public var level: RuleLevel
    /// Severity of a violation.
    public var severity: Finding.Severity
    /// Severity in dialect A when the reference gives A another level (DM-CT-004, DM-N0-010).
    public var severityInA: Finding.Severity?
    /// Where it applies.
    public var dialects: RuleDialects
    /// One line: what is checked.
    public var summary: String

    /// Severity of a violation in a session of `dialect` (A's own level where it has one).
    public func severity(in dialect: SessionDialect?) -> Finding.Severity {
        if dialect == .a, let severityInA { return severityInA }
        return severity
    }
}

/// Every rule of reference §6.1–6.6 and the tracker's own notes, as data.
///
/// Severity follows the level: MUST → error, SHOULD → warning, HEUR → warning, or info where the
/// reference says so (DM-NC-001 "info", DM-CT-008 classification, DM-DEV-003, DM-NC-010). A
/// checker may lower the severity of one finding where the reference asks for it (DM-N0-003 for
/// version 12, DM-P3-002 for a bare integer, DM-TRN-007 for 415).
public enum RuleCatalogue {
    /// The catalogue, in the reference's order.
    public static let rules: [Rule] = [
        // §6.1 Transport and HTTP
        rule("DM-TRN-001", .must, .both, "Every Package#1 and #3 is an HTTP request with method POST."),
        rule(
            "DM-TRN-002", .must, .both,
            "A Package#2 body only appears in an HTTP response answering a Package#1/#3 POST."),
        rule("DM-TRN-003", .heuristic, .both, "A Package#2 travels in a 200 response."),
        rule(
            "DM-TRN-004", .must, .a,
            "After an HTTP 4xx/5xx answer to a Package#1/#3 the client sends no further Package#3."),
        rule(
            "DM-TRN-005", .must, .a, "After a CONT, the next Package#3 of the session is POSTed to the CONT ServerURI."),
        rule(
            "DM-TRN-006", .heuristic, .both, "Without CONT, every Package#3 goes to the URI of the session's Package#1."
        ),
        rule("DM-TRN-007", .heuristic, .a, "A 406 or 415 answer is plausible for the request's Accept and media type."),
        // §6.2 Content types and headers
        rule("DM-CT-001", .must, .both, "Package#1 Content-Type is application/vnd.oma.dm.initiation+json."),
        rule("DM-CT-002", .must, .both, "Package#2 Content-Type is application/vnd.oma.dm.request+json."),
        rule(
            "DM-CT-003", .must, .both,
            "Package#3 Content-Type is application/vnd.oma.dm.response+json (or multipart/form-data)."),
        Rule(
            id: "DM-CT-004", level: .must, severity: .error, severityInA: .warning, dialects: .both,
            summary: "Package#1/#3 Accept admits application/vnd.oma.dm.request+json (MUST in CR, SHOULD in A)."),
        rule("DM-CT-005", .heuristic, .cr, "Package#3 Accept equals the Package#1 Accept of the session."),
        rule(
            "DM-CT-006", .must, .both, "The Package#2 media type is admitted by the Accept of the request it answers."),
        rule(
            "DM-CT-007", .must, .both, "The body is one well-formed UTF-8 JSON object without duplicate member names."),
        rule(
            "DM-CT-008", .heuristic, .both, "Package kind and dialect classified from the body; mixed-dialect bodies."),
        rule("DM-HDR-001", .must, .a, "Package#1 and #3 carry a non-empty OMADM-DevID header."),
        rule("DM-HDR-002", .must, .a, "OMADM-DevID is identical in all Package#1/#3 of a session."),
        rule("DM-HDR-003", .should, .a, "DevInfo DevID data seen in the session equals OMADM-DevID."),
        rule("DM-HDR-004", .heuristic, .a, "OMADM-Accept appears only in responses and parses as an Accept list."),
        // §6.3 Session identity, DevID and PkgSeq (CR)
        rule(
            "DM-SES-001", .must, .cr,
            "Package#1 SessionInfo has DevID, SessionID, PkgSeq and ReasonForSession of the right types."),
        rule("DM-SES-002", .must, .cr, "Package#2 SessionInfo has SessionID and PkgSeq (AcceptMO optional string)."),
        rule("DM-SES-003", .must, .cr, "Package#3 SessionInfo has DevID, SessionID and PkgSeq."),
        rule("DM-SES-004", .must, .cr, "SessionID of every Package#2 and #3 equals the Package#1 SessionID."),
        rule(
            "DM-SES-005", .heuristic, .cr,
            "A new Package#1 reuses the SessionID of an unfinished session of the same DevID."),
        rule("DM-DEV-001", .must, .cr, "Package#3 DevID equals the Package#1 DevID."),
        rule("DM-DEV-002", .must, .cr, "DevInfo data in Package#1 MOD has the DevID of SessionInfo.DevID."),
        rule(
            "DM-DEV-003", .heuristic, .both, "DevID looks like <scheme>:<value> (IMEI, MEID, ESN, UUID, ...).",
            severity: .info),
        rule("DM-SEQ-001", .heuristic, .cr, "Package#1 PkgSeq is 1."),
        rule("DM-SEQ-002", .heuristic, .cr, "PkgSeq of the client packages of a session strictly increases."),
        rule(
            "DM-SEQ-003", .heuristic, .cr, "PkgSeq follows one numbering model (echo or count) throughout the session."),
        rule("DM-SEQ-004", .must, .cr, "PkgSeq is a JSON integer >= 0."),
        // §6.4 Notification (Package#0) syntax
        rule("DM-N0-001", .must, .dm12, "DM 1.2 notification: length >= 24 and the server identifier fits."),
        rule("DM-N0-002", .must, .dm12, "DM 1.2 notification: length-identifier > 0."),
        rule("DM-N0-003", .must, .dm12, "DM 1.2 notification: version is 11 (12 info, outside 10-13 error)."),
        rule("DM-N0-004", .heuristic, .dm12, "DM 1.2 notification: future-use bits are zero."),
        rule("DM-N0-005", .must, .dm12, "DM 1.2 notification: the MD5 digest verifies (credentials configured)."),
        Rule(
            id: "DM-N0-010", level: .must, severity: .error, severityInA: .warning, dialects: [.cr, .a],
            summary: "DM 2.0 notification: VER is 2 (MUST in CR, HEUR in A)."),
        rule("DM-N0-011", .must, .a, "DM 2.0 notification: exactly OC options decode and no bytes remain."),
        rule("DM-N0-012", .must, .a, "DM 2.0 notification: options in non-decreasing number order."),
        rule("DM-N0-013", .must, .a, "DM 2.0 notification: SERVER-ID present once, valid UTF-8."),
        rule("DM-N0-014", .must, .a, "DM 2.0 notification: NOTIFICATION-ID is 2 bytes."),
        rule(
            "DM-N0-015", .must, .a,
            "DM 2.0 notification: SHA256-DIGEST is 32 bytes and verifies (credentials configured)."),
        rule("DM-N0-016", .must, .a, "DM 2.0 notification: REQ-MOS has no value."),
        rule("DM-N0-017", .must, .a, "DM 2.0 notification: PREFERRED-CON-TYPE is one byte 0-3."),
        rule("DM-N0-018", .must, .cr, "CR notification: Requested-MO-CV is 3-256 bytes."),
        rule(
            "DM-N0-019", .heuristic, .a,
            "DM 2.0 notification: RESERVED bits zero; TIMESTAMP within 24 h of capture time."),
        rule(
            "DM-N0-020", .must, .dm12,
            "WAP push carriage: binary content type and application id, headers <= 48 bytes, port 2948."),
        // §6.5 Notification ↔ session correlation
        rule(
            "DM-NC-001", .heuristic, .all,
            "A notification is followed by a Package#1 from the device within the window.", severity: .info),
        rule("DM-NC-002", .must, .dm12, "The following DM 1.2 session's SessionID equals the notification sessionid."),
        rule(
            "DM-NC-003", .must, .dm12,
            "The first DM 1.2 client package carries Alert 1200 after a notification, else 1201."),
        rule(
            "DM-NC-004", .must, .a, "A Package#1 after a notification has ServerInitiatedMgmt with its NOTIFICATION-ID."
        ),
        rule("DM-NC-005", .heuristic, .cr, "ReasonForSession is 1200 when a notification precedes the session."),
        rule("DM-NC-006", .must, .a, "A notification with REQ-MOS is answered by a Package#1 with MOS."),
        rule(
            "DM-NC-007", .must, .cr, "Without Requested-MO/Requested-MO-CV in the notification, Package#1 has no MOD."),
        rule("DM-NC-008", .must, .cr, "Every MO requested by the notification is in Package#1 MOD (or answered 304)."),
        rule(
            "DM-NC-009", .should, .a,
            "Duplicate notifications (same SERVER-ID and NOTIFICATION-ID) start at most one session."),
        rule(
            "DM-NC-010", .heuristic, .all, "The Package#1 goes to the server named by SERVER-ID (user mapping).",
            severity: .info),
        // §6.6 Package contents, commands and results
        rule("DM-P1-001", .must, .a, "Every MOS item has MIID (array of strings) and MOID (string); DDF is a string."),
        rule("DM-P1-002", .must, .a, "Package#1 Alert contains exactly one session alert."),
        rule("DM-P1-003", .heuristic, .cr, "CR MOS items have MOID, DDF and Path (array)."),
        rule("DM-P2-001", .must, .a, "Package#2 CMD is an array of non-empty string arrays naming known commands."),
        rule(
            "DM-P2-002", .must, .cr, "Package#2 Cmds items are objects with one known command name and a string array."),
        rule("DM-P2-003", .must, .both, "Command argument counts fit the command (HGET S[C], HPUT S C+, ...)."),
        rule("DM-P2-004", .must, .both, "ServerURI arguments are absolute http(s) URIs; ClientURIs parse and resolve."),
        rule("DM-P2-005", .heuristic, .both, "END appears at most once and last."),
        rule("DM-P2-006", .heuristic, .both, "A Package#2 has at least one command."),
        rule("DM-P2-007", .must, .cr, "CR Package#2 Results has one entry per alert of the preceding client package."),
        rule("DM-P2-008", .should, .a, "An A Package#2 contains no answers to alerts."),
        rule("DM-P3-001", .must, .both, "Package#3 has one result per command of the preceding Package#2."),
        rule(
            "DM-P3-002", .must, .both,
            "Each result has an integer status valid for its command; A URI is an array of strings."),
        rule("DM-P3-003", .must, .a, "A successful HGET without ClientURI lists at least one ClientURI in URI."),
        rule("DM-P3-004", .must, .a, "An accepted EXEC with a ServerURI is answered 202."),
        rule("DM-P3-005", .must, .a, "UNSUB of a ClientURI never subscribed is answered 404."),
        rule("DM-P3-006", .must, .a, "304 only for GET/HPUT/HPOST with a cv field, and without data."),
        rule("DM-P3-007", .heuristic, .a, "Data of a GET/HPUT/HPOST on an instance root comes with a CV."),
        rule(
            "DM-P3-008", .heuristic, .both,
            "HGET/HPUT/HPOST with 2xx: the device's HTTP exchange with the ServerURI is visible."),
        rule("DM-P3-009", .heuristic, .a, "MOIDs/MIIDs addressed by commands were announced in the session's MOS."),
        rule(
            "DM-P3-010", .must, .a, "A Package#3 with GET data is multipart/form-data with one part per GET with 200."),
        rule("DM-END-001", .must, .both, "After a Package#2 with END the client sends no Package#3 for that session."),
        rule("DM-END-002", .should, .a, "A session does not go idle after a Package#2 without END."),
        rule(
            "DM-ALR-001", .must, .a,
            "Every Alert item has a string AlertType, a valid Mark and members of the right types."),
        rule("DM-ALR-002", .must, .cr, "Every CR Alerts item has an integer Code."),
        rule("DM-ALR-003", .must, .both, "Alerts flow client to server only: no alert array in a Package#2."),
        // The tracker's own notes (not protocol rules).
        rule(
            "DM-TRK-001", .tracker, .all, "Session tracking was ambiguous; the choice made is reported.",
            severity: .info),
        rule(
            "DM-TRK-002", .tracker, .all,
            "A tracking limit was hit (open sessions, packages per session, pending notifications).", severity: .warning
        ),
        rule(
            "DM-TRK-003", .tracker, .all,
            "A client package could not be attached to a session start (Package#1 not captured).", severity: .info),
        rule(
            "DM-TRK-004", .tracker, .all, "The package decoder found a schema problem no other rule covers.",
            severity: .warning),
        rule(
            "DM-TRK-005", .tracker, .all,
            "A device opened a session while another of its sessions with that server was still open on another connection.",
            severity: .info),
        // The TLS layer's notes (issue 11): what could not be decrypted, and why.
        rule(
            "DM-TLS-001", .tracker, .all,
            "A TLS connection was not decrypted: a key log with its client random would reveal its content.",
            severity: .info),
        rule(
            "DM-TLS-002", .tracker, .all,
            "A TLS record failed authentication (wrong key in the key log, or damaged ciphertext).", severity: .error),
        rule(
            "DM-TLS-003", .tracker, .all, "A TLS stream is malformed; the rest of that direction is not read.",
            severity: .warning),
        rule(
            "DM-TLS-004", .tracker, .all,
            "Bytes of a TLS stream were lost by the capture; decryption of that direction stops.", severity: .warning),
        rule(
            "DM-TLS-005", .tracker, .all,
            "A TLS connection has keys but cannot be decrypted (unsupported version or suite, missing secret).",
            severity: .warning),
        rule(
            "DM-TLS-006", .tracker, .all, "A TLS alert other than close_notify (fatal: warning; else info).",
            severity: .warning),
        rule(
            "DM-TLS-007", .tracker, .all, "A line of a key log embedded in a pcapng file could not be read.",
            severity: .warning),
    ]

    /// The rule called `id`, if it is in the catalogue.
    public static func rule(_ id: String) -> Rule? { byID[id] }

    private static let byID: [String: Rule] = Dictionary(uniqueKeysWithValues: rules.map { ($0.id, $0) })

    private static func rule(
        _ id: String, _ level: RuleLevel, _ dialects: RuleDialects, _ summary: String,
        severity: Finding.Severity? = nil
    ) -> Rule {
        let defaultSeverity: Finding.Severity =
            switch level {
            case .must: .error
            case .should, .heuristic, .tracker: .warning
            }
        return Rule(
            id: id, level: level, severity: severity ?? defaultSeverity, severityInA: nil, dialects: dialects,
            summary: summary)
    }
}

/// Which rules a run checks: `--rules` and `--ignore`, each a list of ids or prefixes (`DM-SEQ`).
public struct RuleSelection: Sendable, Hashable {
    /// Ids or prefixes to check; empty means every rule.
    public var included: [String]
    /// Ids or prefixes never to check (wins over `included`).
    public var ignored: [String]

    /// A selection; both lists empty checks everything.
    public init(included: [String] = [], ignored: [String] = []) {
        self.included = included.map { $0.uppercased() }
        self.ignored = ignored.map { $0.uppercased() }
    }

    /// True when findings of rule `id` are reported.
    public func isEnabled(_ id: String) -> Bool {
        if ignored.contains(where: { Self.matches(id, $0) }) { return false }
        return included.isEmpty || included.contains(where: { Self.matches(id, $0) })
    }

    /// The patterns of `patterns` that name no catalogue rule (for a usage error).
    public static func unknownPatterns(_ patterns: [String]) -> [String] {
        patterns.filter { pattern in
            let upper = pattern.uppercased()
            return !RuleCatalogue.rules.contains { matches($0.id, upper) }
        }
    }

    /// `DM-SEQ` matches `DM-SEQ-001` (whole dash-separated parts), `DM-SEQ-001` matches itself.
    static func matches(_ id: String, _ pattern: String) -> Bool {
        id == pattern || (id.hasPrefix(pattern) && id.dropFirst(pattern.count).first == "-")
            || (pattern.hasSuffix("-") && id.hasPrefix(pattern))
    }
}
