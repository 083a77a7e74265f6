import DMProtocol
import Packets

/// DM-SES-004/005, DM-DEV-*, DM-SEQ-001…003: SessionID, DevID and PkgSeq of CR sessions
/// (reference §6.3). Presence and types of the SessionInfo members (DM-SES-001…003, DM-SEQ-004)
/// come from the decoder's issues (`DecodeIssueRules`).
struct SessionIdentityRules: RuleFamily {
    var implementedRules: [String] {
        [
            "DM-SES-001", "DM-SES-002", "DM-SES-003", "DM-SES-004", "DM-SES-005", "DM-DEV-001", "DM-DEV-002",
            "DM-DEV-003", "DM-SEQ-001", "DM-SEQ-002", "DM-SEQ-003", "DM-SEQ-004",
        ]
    }

    func packageAdded(_ package: SessionPackage, to session: inout Session, context: inout RuleContext) {
        checkDevIDFormat(package, session: session, context: &context)
        guard let decoded = package.package, decoded.dialect == .cr || decoded.dialect == .mixed else { return }
        let info = decoded.sessionInfo
        if decoded.kind == .initiation {
            if let info, info.sessionID != nil || info.devID != nil {
                checkInitiationDevInfo(package, info: info, session: session, context: &context)
            }
        } else if !session.isMissingStart {
            checkSameSession(package, info: info, session: session, context: &context)
        }
        if let info { checkPkgSeq(package, info: info, session: &session, context: &context) }
    }

    /// DM-SES-004 (S-SEED 8.3/8.4: "refer to Package#1") and DM-DEV-001 (S-SEED 8.4).
    private func checkSameSession(
        _ package: SessionPackage, info: SessionInfo?, session: Session, context: inout RuleContext
    ) {
        guard let info else { return }  // DM-SES-002/003 report the missing SessionInfo
        if let expected = session.sessionID, let found = info.sessionID, found != expected {
            context.report(
                "DM-SES-004",
                "\(package.reference) has SessionID \"\(found)\", but the session's Package#1 has \"\(expected)\".",
                frames: package.frames, session: session)
        }
        if package.kind == .response, let expected = session.devID, let found = info.devID, found != expected {
            context.report(
                "DM-DEV-001",
                "\(package.reference) has DevID \"\(found)\", but the session's Package#1 has \"\(expected)\".",
                frames: package.frames, session: session)
        }
    }

    /// DM-DEV-002 (S-SEED 8.2): DevInfo data sent in MOD carries the same DevID as SessionInfo.
    private func checkInitiationDevInfo(
        _ package: SessionPackage, info: SessionInfo, session: Session, context: inout RuleContext
    ) {
        guard let devID = info.devID,
            let items = package.package.flatMap({ package -> [MOData]? in
                if case .initiation(let initiation) = package { return initiation.moData }
                return nil
            })
        else { return }
        for item in items {
            guard let uri = item.clientURI, Self.isDevInfo(uri), let value = Self.devIDLeaf(in: item.tree) else {
                continue
            }
            if value != devID {
                context.report(
                    "DM-DEV-002",
                    "The DevInfo data in the MOD of \(package.reference) has DevID \"\(value)\", but SessionInfo.DevID is \"\(devID)\".",
                    frames: package.frames, session: session)
            }
        }
    }

    /// True for a ClientURI of the DevInfo MO, in either spelling (reference §5.4).
    static func isDevInfo(_ uri: String) -> Bool {
        let lower = uri.lowercased()
        return lower.hasPrefix("urn:oma:mo:oma-dm-devinfo:") || lower.hasPrefix("oma:mo:oma-dm-devinfo:")
    }

    /// The `DevID` leaf of a DevInfo tree: at the top, or under a `DevInfo` interior node.
    static func devIDLeaf(in tree: JSONValue?) -> String? {
        guard let tree else { return nil }
        if let value = tree[member: "DevID"]?.stringValue { return value }
        return tree[member: "DevInfo"]?[member: "DevID"]?.stringValue
    }

    /// DM-DEV-003 (HEUR): a DevID looks like `<scheme>:<value>` (IMEI:…, MEID:…, ESN:…, urn:uuid:…).
    private func checkDevIDFormat(_ package: SessionPackage, session: Session, context: inout RuleContext) {
        // Once per session: on its Package#1, or on the first package of a session without one.
        guard package.kind == .initiation || (session.isMissingStart && session.packageCount == 0),
            let devID = package.devID ?? package.carrier?.devIDHeader
        else { return }
        guard let colon = devID.firstIndex(of: ":"), colon != devID.startIndex,
            devID.index(after: colon) != devID.endIndex,
            devID[..<colon].allSatisfy({
                $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "+" || $0 == ".")
            })
        else {
            context.report(
                "DM-DEV-003",
                "The DevID \"\(devID)\" of \(package.reference) does not look like <scheme>:<value> (IMEI:…, MEID:…, ESN:…, a UUID URN).",
                frames: package.frames, session: session)
            return
        }
    }

    /// DM-SEQ-001…003 (HEUR; the CR leaves the numbering open, reference §5.3 and DM-SEQ-003).
    private func checkPkgSeq(
        _ package: SessionPackage, info: SessionInfo, session: inout Session, context: inout RuleContext
    ) {
        guard let seq = info.pkgSeq else { return }
        if seq < 0 {
            context.report(
                "DM-SEQ-004", "\(package.reference) has a negative PkgSeq (\(seq)).", frames: package.frames,
                session: session)
        }
        let isClient = package.kind != .request
        if package.kind == .initiation, seq != 1 {
            context.report(
                "DM-SEQ-001", "\(package.reference) has PkgSeq \(seq); a session's first package is numbered 1.",
                frames: package.frames, session: session)
        }
        if isClient, let previous = session.state.lastClientPkgSeq, seq <= previous {
            context.report(
                "DM-SEQ-002",
                "\(package.reference) has PkgSeq \(seq), not more than the previous client package's \(previous).",
                frames: package.frames, session: session)
        }
        // DM-SEQ-003: lock the model on the first Package#2 (or take the configured one), then check.
        if session.state.pkgSeqModel == nil {
            switch context.options.pkgSeqModel {
            case .fixed(let model): session.state.pkgSeqModel = model
            case .automatic:
                guard package.kind == .request, let asked = session.state.lastClientPkgSeq else { break }
                if seq == asked {
                    session.state.pkgSeqModel = .echo
                    return
                }
                if seq == asked &+ 1 {
                    session.state.pkgSeqModel = .count
                    return
                }
                session.state.pkgSeqModel = .count  // the reference's default expectation
            }
        }
        guard let model = session.state.pkgSeqModel else { return }
        let expected: Int64?
        switch (model, isClient) {
        case (.count, _): expected = session.state.lastPkgSeq.map { $0 &+ 1 }
        case (.echo, true): expected = session.state.lastClientPkgSeq.map { $0 &+ 1 }
        case (.echo, false): expected = session.state.lastClientPkgSeq
        }
        guard let expected, expected != seq else { return }
        let modelText =
            model == .count ? "count model (every package +1)" : "echo model (a Package#2 repeats its request's PkgSeq)"
        context.report(
            "DM-SEQ-003",
            "\(package.reference) has PkgSeq \(seq) where the session's \(modelText) expects \(expected).",
            frames: package.frames, session: session)
    }

    /// DM-SES-005 (HEUR): a new Package#1 reuses the SessionID of an unfinished session of the same
    /// DevID. Reported by the tracker, which knows the open sessions.
    static func reusedSessionID(
        _ package: SessionPackage, sessionID: String, previous: Int, newSession: Session, context: inout RuleContext
    ) {
        context.report(
            "DM-SES-005",
            "\(package.reference) starts a new session with SessionID \"\(sessionID)\" while session \(previous) with the same SessionID and DevID is unfinished (session restart or duplicate id).",
            frames: package.frames, session: newSession)
    }
}

/// The PkgSeq numbering expectation of a run (`--pkgseq-model`).
public enum PkgSeqExpectation: Sendable, Hashable {
    /// Decide per session on its first Package#2 (reference DM-SEQ-003).
    case automatic
    /// Expect this model in every session.
    case fixed(PkgSeqModel)
}
