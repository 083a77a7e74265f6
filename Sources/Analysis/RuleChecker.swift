import DMProtocol
import Packets

/// Where checkers put their findings: resolves severity from the catalogue and drops findings of
/// rules the run does not check (`--rules`/`--ignore`). Checkers never print.
package struct RuleContext {
    package let selection: RuleSelection
    package let options: SessionTrackingOptions
    /// The input file the frames belong to.
    package var fileIndex = 0
    /// Findings since the owner last took them.
    package var findings: [Finding] = []
    /// Hosts (`host:port`) the capture shows answering plain HTTP (DM-P3-008: only requests to a
    /// server the capture can see are expected in it).
    package var visibleHosts: Set<String> = []

    package init(selection: RuleSelection, options: SessionTrackingOptions) {
        self.selection = selection
        self.options = options
    }

    /// True when rule `id` is checked in this run (lets a checker skip expensive work).
    package func isEnabled(_ id: String) -> Bool { selection.isEnabled(id) }

    /// Reports a violation of rule `id` in `session`; `severity` overrides the catalogue's where the
    /// reference asks for it.
    package mutating func report(
        _ id: String, _ message: @autoclosure () -> String, frames: [FrameNumber], session: Session?,
        dialect: SessionDialect? = nil, severity: Finding.Severity? = nil
    ) {
        report(
            id, message(), frames: frames, sessionIndex: session?.index, dialect: dialect ?? session?.dialect,
            severity: severity)
    }

    /// Findings of one rule reported one by one for one package; the rest are summed up in one
    /// finding (a Package#2 of 250,000 malformed commands gives 100 findings and a count, not 250,000).
    package static let findingsPerRulePerPackage = 100
    /// While a package is checked: findings per rule so far, and what the excess ones would have been.
    private var packageCounts: [String: Int]?
    private var packageExcess: [String: (severity: Finding.Severity, count: Int)] = [:]

    /// A package is about to be checked.
    package mutating func beginPackage() {
        packageCounts = [:]
        packageExcess = [:]
    }

    /// The package (`reference`, `frames`) was checked: one finding per rule that went past the cap.
    package mutating func endPackage(reference: String, frames: [FrameNumber], sessionIndex: Int?, dialect: SessionDialect?) {
        packageCounts = nil
        for (rule, excess) in packageExcess.sorted(by: { $0.key < $1.key }) {
            findings.append(
                Finding(
                    rule: rule, severity: excess.severity,
                    message:
                        "\(excess.count) more \(rule) findings in \(reference) were counted but not reported one by one (at most \(Self.findingsPerRulePerPackage) per package).",
                    frames: frames, fileIndex: fileIndex, session: sessionIndex))
        }
        packageExcess = [:]
    }

    /// Reports a violation of rule `id` for the session numbered `sessionIndex` (nil: capture level).
    package mutating func report(
        _ id: String, _ message: @autoclosure () -> String, frames: [FrameNumber], sessionIndex: Int?,
        dialect: SessionDialect?, severity: Finding.Severity? = nil
    ) {
        guard selection.isEnabled(id) else { return }
        let rule = RuleCatalogue.rule(id)
        let resolved = severity ?? rule?.severity(in: dialect) ?? .warning
        if packageCounts != nil {
            let count = (packageCounts?[id] ?? 0) + 1
            packageCounts?[id] = count
            if count > Self.findingsPerRulePerPackage {
                let previous = packageExcess[id]
                packageExcess[id] = (max(previous?.severity ?? resolved, resolved), (previous?.count ?? 0) + 1)
                return
            }
        }
        var unique: [FrameNumber] = []
        for frame in frames.sorted() where frame.rawValue > 0 && unique.last != frame { unique.append(frame) }
        findings.append(
            Finding(
                rule: id, severity: resolved, message: message(), frames: unique, fileIndex: fileIndex,
                session: sessionIndex))
    }
}

/// Why a client package found no open session although one existed a moment ago.
package enum ClosedSessionRecord: Sendable, Hashable {
    /// The session `index` ended with the END of `frame` at `time`.
    case ended(index: Int, frame: FrameNumber, time: Timestamp)
    /// The session `index` was aborted by HTTP `status` in `frame`.
    case aborted(index: Int, status: Int, frame: FrameNumber, time: Timestamp)

    var time: Timestamp {
        switch self {
        case .ended(_, _, let time), .aborted(_, _, _, let time): time
        }
    }

    var index: Int {
        switch self {
        case .ended(let index, _, _), .aborted(let index, _, _, _): index
        }
    }
}

/// One family of rules (DM-END-*, DM-TRN-*, …): a small stateless type fed session events.
///
/// Call order per package: the tracker attaches the package (and, for a Package#1, the
/// notification), updates `session.dialect`, then calls `packageAdded` with the session as it was
/// before the package (its `state` describes the earlier packages); afterwards it records the
/// package. A family may keep its own per-session state in `session.state` (DM-SEQ-003 does).
package protocol RuleFamily: Sendable {
    /// The rule ids this family checks (the others of the catalogue have no checker yet).
    var implementedRules: [String] { get }
    func packageAdded(_ package: SessionPackage, to session: inout Session, context: inout RuleContext)
    /// A client package arrived for a session that already closed (`record` says how).
    func clientPackageAfterClose(_ package: SessionPackage, closed: ClosedSessionRecord, context: inout RuleContext)
    /// The session closed; `session.outcome` is set.
    func sessionClosed(_ session: Session, context: inout RuleContext)
    /// A notification was decoded.
    func notificationSeen(_ notification: NotificationRecord, context: inout RuleContext)
    /// No Package#1 from the device followed `notification` within the window.
    func notificationUnanswered(_ notification: NotificationRecord, context: inout RuleContext)
}

extension RuleFamily {
    package func packageAdded(_ package: SessionPackage, to session: inout Session, context: inout RuleContext) {}
    package func clientPackageAfterClose(
        _ package: SessionPackage, closed: ClosedSessionRecord, context: inout RuleContext
    ) {}
    package func sessionClosed(_ session: Session, context: inout RuleContext) {}
    package func notificationSeen(_ notification: NotificationRecord, context: inout RuleContext) {}
    package func notificationUnanswered(_ notification: NotificationRecord, context: inout RuleContext) {}
}

/// Runs every rule family on each event, in a fixed order (so findings come out in a stable order).
package struct RuleChecker: Sendable {
    package let families: [any RuleFamily] = [
        DecodeIssueRules(), EndRules(), SessionIdentityRules(), TransportRules(), ContentTypeRules(),
        InitiationRules(), RequestRules(), ResponseRules(), NotificationRules(), AlertRules(),
    ]

    package init() {}

    /// Every rule id some family checks, and the tracker's own notes (`SessionTracker`).
    package static let implementedRules: Set<String> = Set(RuleChecker().families.flatMap(\.implementedRules))
        .union(["DM-TLS-001", "DM-TLS-002", "DM-TLS-003", "DM-TLS-004", "DM-TLS-005", "DM-TLS-006", "DM-TLS-007"])
        .union(["DM-TRK-001", "DM-TRK-002", "DM-TRK-003", "DM-TRK-005"])

    /// Rules of the catalogue that no capture can show violated, with the reason: they are listed
    /// by `dmdissect rules` with that reason instead of a checker.
    package static let rulesWithoutChecker: [String: String] = [
        "DM-N0-012":
            "holds by construction: DM 2.0 options are delta-coded (reference §2.3.3), so their numbers cannot decrease",
        "DM-NC-002": "needs the DM 1.2 session's SyncML SessionID; DM 1.x sessions are not decoded (reference §6.7)",
        "DM-NC-003": "needs the DM 1.2 session's SyncML Alert 1200/1201; DM 1.x sessions are not decoded (reference §6.7)",
        "DM-P3-005":
            "needs every earlier SUB of the device, which no capture can be known to hold (the subscription may predate it)",
    ]

    func packageAdded(_ package: SessionPackage, to session: inout Session, context: inout RuleContext) {
        for family in families { family.packageAdded(package, to: &session, context: &context) }
    }

    func clientPackageAfterClose(_ package: SessionPackage, closed: ClosedSessionRecord, context: inout RuleContext) {
        for family in families { family.clientPackageAfterClose(package, closed: closed, context: &context) }
    }

    func sessionClosed(_ session: Session, context: inout RuleContext) {
        for family in families { family.sessionClosed(session, context: &context) }
    }

    func notificationSeen(_ notification: NotificationRecord, context: inout RuleContext) {
        for family in families { family.notificationSeen(notification, context: &context) }
    }

    func notificationUnanswered(_ notification: NotificationRecord, context: inout RuleContext) {
        for family in families { family.notificationUnanswered(notification, context: &context) }
    }
}

extension SessionPackage {
    /// `Package#3 (frame 57)`.
    var reference: String { "\(kind.label) (frame \(frame))" }
}

extension Session {
    /// True when the session is (so far) in dialect A, or undetermined with an A-only signal.
    var isDialectA: Bool { dialect == .a || dialect == .mixed }
    /// True when the session is (so far) in the CR dialect.
    var isDialectCR: Bool { dialect == .cr || dialect == .mixed }
}

/// Reports every problem the package decoder found, each under the rule that covers its place
/// (reference §6): syntax and duplicates DM-CT-007, SessionInfo DM-SES-00x / DM-SEQ-004, MOS
/// DM-P1-001/003, CMD/Cmds DM-P2-001/002, results DM-P3-002, alerts DM-ALR-001/002; anything else
/// DM-TRK-004. The other families check only what the decoder does not (names, counts, codes), so
/// no problem is reported twice.
struct DecodeIssueRules: RuleFamily {
    var implementedRules: [String] {
        ["DM-CT-007", "DM-SES-001", "DM-SES-002", "DM-SES-003", "DM-SEQ-004", "DM-TRK-004", "DM-P3-010"]
    }

    func packageAdded(_ package: SessionPackage, to session: inout Session, context: inout RuleContext) {
        guard let decoding = package.decoding else { return }
        let kind = decoding.kind ?? .initiation
        // With no first part at all, the GET-data matcher already says so (DM-P3-010).
        let hasNoFirstPart = decoding.multipart?.parts.isEmpty == true
        for issue in decoding.issues
        where
            !(hasNoFirstPart && issue.kind == .malformedMultipart && issue.path == nil
            && issue.message.contains("first part"))
        {
            guard let rule = Self.rule(for: issue, kind: kind, dialect: package.dialect) else { continue }
            var place = issue.path ?? ""
            if let line = issue.line, let column = issue.column {
                place += (place.isEmpty ? "" : " ") + "(line \(line), column \(column))"
            }
            let severity: Finding.Severity? = issue.severity == .warning ? .warning : nil
            context.report(
                rule, "\(package.reference)\(place.isEmpty ? "" : " at " + place): \(issue.message)",
                frames: package.frames, session: session, severity: severity)
        }
    }

    /// The rule covering `issue`, or nil when another check reports the same fact.
    static func rule(for issue: DecodeError, kind: PackageKind, dialect: Dialect) -> String? {
        switch issue.kind {
        case .malformedJSON, .invalidUTF8, .duplicateMember, .limitExceeded: return "DM-CT-007"
        case .unsupportedMediaType: return nil  // DM-CT-001…003
        case .notice: return nil  // harmless (e.g. a UTF-8 BOM)
        case .truncatedMultipart: return nil  // DM-P3-010 (the GET-data matcher reports it)
        default: break
        }
        if issue.kind == .malformedMultipart { return "DM-P3-010" }
        let path = issue.path ?? "$"
        func under(_ prefix: String) -> Bool {
            path == prefix || path.hasPrefix(prefix + ".") || path.hasPrefix(prefix + "[")
        }
        if path == "$" { return "DM-CT-007" }
        if under("$.SessionInfo.PkgSeq"), issue.kind != .missingMember { return "DM-SEQ-004" }
        if under("$.SessionInfo") {
            switch kind {
            case .initiation: return "DM-SES-001"
            case .request: return "DM-SES-002"
            case .response: return "DM-SES-003"
            }
        }
        if under("$.MOS") { return dialect == .cr ? "DM-P1-003" : "DM-P1-001" }
        if under("$.CMD") { return "DM-P2-001" }
        if under("$.Cmds") { return "DM-P2-002" }
        if path == "$.Status", issue.kind == .missingMember { return "DM-P3-001" }
        if under("$.Status") { return "DM-P3-002" }
        if under("$.Results") { return kind == .request ? "DM-P2-007" : "DM-P3-002" }
        if under("$.Alert") { return "DM-ALR-001" }
        if under("$.Alerts") { return "DM-ALR-002" }
        return "DM-TRK-004"
    }
}
