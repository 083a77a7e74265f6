import DMProtocol
import Packets

/// DM-N0-* (notification syntax, from the decoder's checks) and DM-NC-* (notification ↔ session)
/// (reference §2, §6.4, §6.5).
struct NotificationRules: RuleFamily {
    var implementedRules: [String] {
        [
            "DM-N0-001", "DM-N0-002", "DM-N0-003", "DM-N0-004", "DM-N0-005", "DM-N0-010", "DM-N0-011", "DM-N0-013",
            "DM-N0-014", "DM-N0-015", "DM-N0-016", "DM-N0-017", "DM-N0-018", "DM-N0-019", "DM-N0-020",
            "DM-NC-001", "DM-NC-004", "DM-NC-005", "DM-NC-006", "DM-NC-007", "DM-NC-008", "DM-NC-009",
            "DM-NC-010",
        ]
    }

    /// Seconds a TIMESTAMP may differ from the capture time before DM-N0-019 calls it implausible.
    static let timestampTolerance: Int64 = 24 * 3600

    func notificationSeen(_ record: NotificationRecord, context: inout RuleContext) {
        let notification = record.notification
        let dialect: SessionDialect? =
            switch notification.format {
            case .dm20: .a
            case .crDraft: .cr
            case .dm12, .dm13: nil
            }
        let label = "\(notification.format) notification (frame \(record.frame)) to \(record.device)"
        var reportedServerIDDuplicate = false
        for issue in record.datagram.issues {
            guard let rule = Self.rule(for: issue.check, format: notification.format) else { continue }
            if issue.check == .duplicateOption {
                guard notification.options(numbered: 1).count > 1 else {
                    report(rule, issue, label: label, record: record, dialect: dialect, context: &context)
                    continue
                }
                if reportedServerIDDuplicate { continue }
                reportedServerIDDuplicate = true
                report("DM-N0-013", issue, label: label, record: record, dialect: dialect, context: &context)
                continue
            }
            report(rule, issue, label: label, record: record, dialect: dialect, context: &context)
        }
        checkDigest(record, label: label, dialect: dialect, context: &context)
        // DM-N0-019: a TIMESTAMP far from the capture time hints at a replay (approved §5.2.1).
        if notification.format == .dm20, let option = notification.option(5),
            case .timestamp(let seconds) = option.interpreted, let sent = Int64(exactly: seconds)
        {
            let delta = sent - record.time.seconds
            if delta > Self.timestampTolerance || -delta > Self.timestampTolerance {
                context.report(
                    "DM-N0-019",
                    "The TIMESTAMP of the \(label) is \(delta / 3600) h away from the capture time (more than 24 h: replayed or a wrong clock).",
                    frames: [record.frame], sessionIndex: nil, dialect: dialect)
            }
        }
    }

    /// DM-N0-005 (DM 1.2 MD5, stored nonce then the resynchronisation nonces) and DM-N0-015 (DM 2.0
    /// SHA-256), when the user gave credentials for the server; without them nothing is reported.
    private func checkDigest(
        _ record: NotificationRecord, label: String, dialect: SessionDialect?, context: inout RuleContext
    ) {
        let store = context.options.credentials
        guard !store.isEmpty, context.isEnabled("DM-N0-005") || context.isEnabled("DM-N0-015") else { return }
        guard case .mismatch(let serverID, let tried) = DigestVerifier.verify(record.notification, with: store) else {
            return
        }
        let rule = record.notification.format == .dm12 ? "DM-N0-005" : "DM-N0-015"
        let server = serverID.map { "server \"\($0)\"" } ?? "any configured server"
        context.report(
            rule,
            "The digest of the \(label) does not verify with the credentials of \(server) (tried \(tried.map(\.rawValue).joined(separator: ", "))); a client ignores such a notification.",
            frames: [record.frame], sessionIndex: nil, dialect: dialect, severity: .error)
    }

    private func report(
        _ rule: String, _ issue: NotificationIssue, label: String, record: NotificationRecord, dialect: SessionDialect?,
        context: inout RuleContext
    ) {
        var severity: Finding.Severity = issue.error.isError ? .error : .warning
        if let entry = RuleCatalogue.rule(rule), entry.level == .heuristic || (rule == "DM-N0-010" && dialect == .a) {
            severity = min(severity, entry.severity(in: dialect))
        }
        // DM-N0-003: version 12 is informational (reference §2.1: not the value DM 1.2.1 requires).
        if rule == "DM-N0-003", record.notification.trigger?.version == 12 { severity = .info }
        let offset = issue.error.offset.map { " (offset \($0))" } ?? ""
        context.report(
            rule, "\(label)\(offset): \(issue.error.message)", frames: [record.frame], sessionIndex: nil,
            dialect: dialect, severity: severity)
    }

    /// The rule a decoder check implements (the mapping `NotificationCheck` documents).
    static func rule(for check: NotificationCheck, format: NotificationFormat) -> String? {
        switch check {
        case .truncated: format == .dm12 ? "DM-N0-001" : "DM-N0-011"
        case .emptyServerID: "DM-N0-002"
        case .versionValue: format == .dm12 ? "DM-N0-003" : "DM-N0-010"
        case .futureUseBits: "DM-N0-004"
        case .reservedBits, .timestampWidth: "DM-N0-019"
        case .optionPastEnd, .optionCount, .unknownOption, .optionLength, .otherFramingFits, .duplicateOption:
            "DM-N0-011"
        case .optionOrder: "DM-N0-012"  // only with absolute numbering, which the pipeline does not use
        case .missingServerID, .invalidString: "DM-N0-013"
        case .notificationIDLength: "DM-N0-014"
        case .digestLength: "DM-N0-015"
        case .reqMOSLength: "DM-N0-016"
        case .connectionTypeValue: "DM-N0-017"
        case .requestedMOCVLength: "DM-N0-018"
        case .wspMalformed, .wspCarriage: "DM-N0-020"
        }
    }

    /// DM-NC-001 (info: clients drop unauthenticated notifications, users may decline).
    func notificationUnanswered(_ record: NotificationRecord, context: inout RuleContext) {
        let server = record.notification.serverID.map { " from server \"\($0)\"" } ?? ""
        let window = context.options.notificationWindowSeconds
        context.report(
            "DM-NC-001",
            "The notification of frame \(record.frame) to \(record.device)\(server) was not followed by a Package#1 from that device within \(window) s.",
            frames: [record.frame], sessionIndex: nil, dialect: nil)
    }

    /// DM-NC-004…008, DM-NC-010: the Package#1 that answers a notification.
    func packageAdded(_ package: SessionPackage, to session: inout Session, context: inout RuleContext) {
        guard package.kind == .initiation, let record = session.notification,
            let initiation = package.decoding?.initiation
        else { return }
        let notification = record.notification
        let frames = [record.frame] + package.frames
        switch initiation.dialect {
        case .a, .mixed:
            checkSessionAlert(package, initiation, record: record, session: session, context: &context)
            // DM-NC-006 (approved §5.2.2): REQ-MOS asks for MOS in the Package#1.
            if notification.requestsMOs, initiation.mos == nil {
                context.report(
                    "DM-NC-006",
                    "The notification of frame \(record.frame) carries REQ-MOS, but \(package.reference) has no MOS.",
                    frames: frames, session: session)
            }
        case .cr:
            // DM-NC-005 (HEUR, reference §5.3): 1200 after a notification.
            if let reason = initiation.sessionInfo?.reasonForSession, reason != 1200 {
                context.report(
                    "DM-NC-005",
                    "\(package.reference) follows the notification of frame \(record.frame) but has ReasonForSession \(reason), not 1200 (server-initiated).",
                    frames: frames, session: session)
            }
            // DM-NC-007 (S-SEED 8.2): no Requested-MO (3) / Requested-MO-CV (7) → no MOD.
            let requests = notification.options.contains { $0.number == 3 || $0.number == 7 }
            if notification.format.hasOptions, !requests, let mod = initiation.moData, !mod.isEmpty {
                context.report(
                    "DM-NC-007",
                    "\(package.reference) sends MOD data (\(mod.count) item\(mod.count == 1 ? "" : "s")), but the notification of frame \(record.frame) requested no MO (no Requested-MO or Requested-MO-CV).",
                    frames: frames, session: session)
            }
            if notification.format.hasOptions, requests {
                checkRequestedMOs(package, initiation, record: record, session: session, context: &context)
            }
        case .undetermined:
            break
        }
        checkServerIdentity(package, record: record, session: session, context: &context)
    }

    /// DM-NC-008 (S-SEED 8.1.2.1, 8.2): every MO asked for with Requested-MO (option 3 in the CR
    /// numbering) comes back in MOD; one asked for with Requested-MO-CV comes back in MOD when its
    /// validator is stale, else as "not modified". The MO index table is not defined (reference
    /// §2.3.1), so the check is by count: fewer MOD items than Requested-MO indices is an error; the
    /// Requested-MO-CV indices without an item are reported (info) as answered "not modified".
    private func checkRequestedMOs(
        _ package: SessionPackage, _ initiation: Initiation, record: NotificationRecord, session: Session,
        context: inout RuleContext
    ) {
        var plain: [UInt64] = []
        var validated: [UInt64] = []
        for option in record.notification.options {
            switch (option.number, option.interpreted) {
            case (3, .unsignedInteger(let index)) where !plain.contains(index): plain.append(index)
            case (7, .requestedMOCV(let index, _)) where !validated.contains(UInt64(index)):
                validated.append(UInt64(index))
            default: continue
            }
        }
        validated.removeAll { plain.contains($0) }
        let items = initiation.moData?.count ?? 0
        let frames = [record.frame] + package.frames
        let list = { (indices: [UInt64]) in indices.map(String.init).joined(separator: ", ") }
        if items < plain.count {
            context.report(
                "DM-NC-008",
                "The notification of frame \(record.frame) requests \(plain.count) MO\(plain.count == 1 ? "" : "s") with Requested-MO (MO index \(list(plain))), but \(package.reference) has \(items) MOD item\(items == 1 ? "" : "s").",
                frames: frames, session: session)
        } else if items < plain.count + validated.count {
            let missing = plain.count + validated.count - items
            context.report(
                "DM-NC-008",
                "\(package.reference) answers \(missing) of the Requested-MO-CV MOs of the notification of frame \(record.frame) (MO index \(list(validated))) without MO data: read as \"not modified\" (fresh validator), the only 304 form the draft allows inside a Package#1.",
                frames: frames, session: session, severity: .info)
        }
    }

    /// DM-NC-010 (HEUR): the Package#1 goes to a host of the server named by the notification's
    /// SERVER-ID, per the user's `--server-map`; skipped when the map does not name that server.
    private func checkServerIdentity(
        _ package: SessionPackage, record: NotificationRecord, session: Session, context: inout RuleContext
    ) {
        guard let serverID = record.notification.serverID,
            let hosts = context.options.serverHosts[serverID], !hosts.isEmpty,
            let carrier = package.carrier
        else { return }
        let uri = carrier.uri
        let candidates = [uri.host.lowercased(), "\(uri.host.lowercased()):\(uri.port)", session.server.address.description]
        guard !hosts.contains(where: { candidates.contains($0.lowercased()) }) else { return }
        context.report(
            "DM-NC-010",
            "\(package.reference) goes to \(uri.host):\(uri.port) (\(session.server.address)), which --server-map does not list for SERVER-ID \"\(serverID)\" of the notification of frame \(record.frame) (\(hosts.joined(separator: ", "))).",
            frames: [record.frame] + package.frames, session: session)
    }

    /// DM-NC-004 (approved §5.2.2): ServerInitiatedMgmt with the notification's NOTIFICATION-ID.
    private func checkSessionAlert(
        _ package: SessionPackage, _ initiation: Initiation, record: NotificationRecord, session: Session,
        context: inout RuleContext
    ) {
        let frames = [record.frame] + package.frames
        guard let reason = initiation.sessionReason else { return }  // DM-P1-002
        guard reason == .serverInitiated else {
            context.report(
                "DM-NC-004",
                "\(package.reference) follows the notification of frame \(record.frame) but its session alert is not ServerInitiatedMgmt.",
                frames: frames, session: session)
            return
        }
        guard let expected = record.notification.notificationID else { return }
        let alert = (initiation.alerts ?? []).first { $0.sessionReason == .serverInitiated }
        let found = Self.notificationIDs(in: alert?.data)
        if found.isEmpty {
            context.report(
                "DM-NC-004",
                "The ServerInitiatedMgmt alert of \(package.reference) carries no NOTIFICATION-ID that could be found in its Data (the notification of frame \(record.frame) has \(expected)).",
                frames: frames, session: session, severity: .info)
        } else if !found.contains(Int(expected)) {
            context.report(
                "DM-NC-004",
                "The ServerInitiatedMgmt alert of \(package.reference) carries NOTIFICATION-ID \(found.map(String.init).joined(separator: ", ")), but the notification of frame \(record.frame) has \(expected).",
                frames: frames, session: session)
        }
    }

    /// Numbers 0…65535 (or decimal strings of them) in an alert's `Data`, one level of nesting deep
    /// (reference §5.2 UNSURE: where the NOTIFICATION-ID sits).
    static func notificationIDs(in data: JSONValue?) -> [Int] {
        func value(_ json: JSONValue) -> Int? {
            if let number = json.numberValue?.int64, (0...65535).contains(number) { return Int(number) }
            if let text = json.stringValue, let number = Int(text), (0...65535).contains(number) { return number }
            return nil
        }
        guard let data else { return [] }
        if let direct = value(data) { return [direct] }
        var found: [Int] = []
        for member in data.objectValue ?? [] {
            if let number = value(member.value) {
                found.append(number)
            } else {
                for inner in member.value.objectValue ?? [] {
                    if let number = value(inner.value) { found.append(number) }
                }
            }
        }
        return found
    }

    /// DM-NC-009 (SHOULD): a notification repeating the SERVER-ID and NOTIFICATION-ID of one still pending.
    static func duplicate(_ record: NotificationRecord, of earlier: NotificationRecord, context: inout RuleContext) {
        context.report(
            "DM-NC-009",
            "The notification of frame \(record.frame) repeats SERVER-ID \"\(record.notification.serverID ?? "")\" and NOTIFICATION-ID \(record.notification.notificationID.map(String.init) ?? "") of frame \(earlier.frame); the client should drop it as a duplicate.",
            frames: [earlier.frame, record.frame], sessionIndex: nil, dialect: .a)
    }

    /// DM-NC-009: a second server-initiated session for one NOTIFICATION-ID.
    static func secondSession(
        _ package: SessionPackage, notificationID: Int, first: Int, session: Session, context: inout RuleContext
    ) {
        context.report(
            "DM-NC-009",
            "\(package.reference) opens a second server-initiated session for NOTIFICATION-ID \(notificationID) (session \(first) already answered it).",
            frames: package.frames, session: session)
    }
}
