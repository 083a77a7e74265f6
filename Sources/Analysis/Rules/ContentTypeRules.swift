import DMProtocol
import Packets

/// DM-CT-* and DM-HDR-*: media types and DM headers (reference §1.3, §6.2).
struct ContentTypeRules: RuleFamily {
    var implementedRules: [String] {
        [
            "DM-CT-001", "DM-CT-002", "DM-CT-003", "DM-CT-004", "DM-CT-005", "DM-CT-006", "DM-CT-008",
            "DM-HDR-001", "DM-HDR-002", "DM-HDR-004",
        ]
    }

    static let multipartFormData = "multipart/form-data"

    func packageAdded(_ package: SessionPackage, to session: inout Session, context: inout RuleContext) {
        guard let carrier = package.carrier, let kind = PackageKind(package.kind) else { return }
        checkMediaType(package, carrier, kind: kind, session: session, context: &context)
        checkClassification(package, session: session, context: &context)
        switch kind {
        case .initiation, .response:
            checkAccept(package, carrier, session: session, context: &context)
            checkDevIDHeader(package, carrier, session: session, context: &context)
            // DM-HDR-004: OMADM-Accept is a server header (approved §5.5).
            if carrier.omadmAccept != nil {
                context.report(
                    "DM-HDR-004",
                    "\(package.reference) carries an OMADM-Accept header; only servers send it, in responses.",
                    frames: package.frames, session: session)
            }
        case .request:
            checkAnswerType(package, carrier, session: session, context: &context)
            if let value = carrier.omadmAccept, MediaRange.list(value).isEmpty {
                context.report(
                    "DM-HDR-004",
                    "The OMADM-Accept header of \(package.reference) does not parse as an Accept list: \"\(value)\".",
                    frames: package.frames, session: session)
            }
        }
    }

    /// DM-CT-001…003: the media type names the package (case-insensitive, parameters ignored);
    /// a Package#3 with GET data is multipart/form-data (approved Appendix F).
    private func checkMediaType(
        _ package: SessionPackage, _ carrier: PackageCarrier, kind: PackageKind, session: Session,
        context: inout RuleContext
    ) {
        let rule =
            switch kind {
            case .initiation: "DM-CT-001"
            case .request: "DM-CT-002"
            case .response: "DM-CT-003"
            }
        let expected = kind.mediaType.rawValue
        if carrier.contentType == expected { return }  // the common case, without parsing
        let essence = carrier.contentType.flatMap(MediaType.init)?.essence
        if essence == expected || (kind == .response && essence == Self.multipartFormData) { return }
        let found = carrier.contentType.map { "Content-Type \"\($0)\"" } ?? "no Content-Type"
        let classified = package.decoding?.kindSource == .body ? " (it was recognised by its body, DM-CT-008)" : ""
        context.report(
            rule, "\(package.reference) has \(found); it must be \(expected)\(classified).", frames: package.frames,
            session: session)
    }

    /// DM-CT-008: the body mixes both dialects. (A kind read from the body is not reported on its
    /// own: DM-CT-001…003 already report the media type, and say how the package was classified.)
    private func checkClassification(_ package: SessionPackage, session: Session, context: inout RuleContext) {
        guard package.dialect == .mixed else { return }
        context.report(
            "DM-CT-008",
            "\(package.reference) mixes members of the CR draft (SessionInfo, Cmds, Results, Alerts, MOD) and of the approved format (CMD, Status, Alert, MOS with MIID).",
            frames: package.frames, session: session)
    }

    /// DM-CT-004 (MUST in CR, SHOULD in A) and DM-CT-005 (CR: the Package#3 Accept repeats the Package#1's).
    private func checkAccept(
        _ package: SessionPackage, _ carrier: PackageCarrier, session: Session, context: inout RuleContext
    ) {
        let wanted = DMMediaType.request.rawValue
        if let accept = carrier.accept {
            if accept != wanted, !MediaRange.list(accept).contains(where: { $0.admits(wanted) }) {
                context.report(
                    "DM-CT-004", "The Accept header of \(package.reference) (\"\(accept)\") does not admit \(wanted).",
                    frames: package.frames, session: session)
            }
        } else {
            context.report(
                "DM-CT-004", "\(package.reference) has no Accept header; it should admit \(wanted).",
                frames: package.frames, session: session)
        }
        if package.kind == .response, session.dialect == .cr, let first = session.state.initiationAccept,
            carrier.accept != first
        {
            context.report(
                "DM-CT-005",
                "The Accept header of \(package.reference) (\(carrier.accept.map { "\"\($0)\"" } ?? "none")) differs from the Package#1's (\"\(first)\").",
                frames: package.frames, session: session)
        }
    }

    /// DM-CT-006: the Package#2's media type is one the request accepts (else the server should send 406).
    private func checkAnswerType(
        _ package: SessionPackage, _ carrier: PackageCarrier, session: Session, context: inout RuleContext
    ) {
        guard let accept = session.state.lastClientPackage?.carrier?.accept, carrier.contentType != accept,
            let essence = carrier.contentType.flatMap(MediaType.init)?.essence
        else { return }  // (the Content-Type being the Accept text is the common case, without parsing)
        let ranges = MediaRange.list(accept)
        guard !ranges.isEmpty, !ranges.contains(where: { $0.admits(essence) && $0.quality > 0 }) else { return }
        context.report(
            "DM-CT-006",
            "\(package.reference) is \(essence), which the request's Accept (\"\(accept)\") does not admit; the server should have answered 406.",
            frames: package.frames + (session.state.lastClientPackage.map { [$0.frame] } ?? []), session: session)
    }

    /// DM-HDR-001 and DM-HDR-002 (A, approved §5.2.2/§5.2.4): a constant, non-empty OMADM-DevID.
    private func checkDevIDHeader(
        _ package: SessionPackage, _ carrier: PackageCarrier, session: Session, context: inout RuleContext
    ) {
        guard session.dialect == .a || (session.dialect == .unknown && package.dialect == .a) else { return }
        guard let value = carrier.devIDHeader, !value.allSatisfy({ $0 == " " || $0 == "\t" }) else {
            context.report(
                "DM-HDR-001",
                "\(package.reference) has \(carrier.devIDHeader == nil ? "no" : "an empty") OMADM-DevID header.",
                frames: package.frames, session: session)
            return
        }
        if let first = session.state.devIDHeader, first != value {
            context.report(
                "DM-HDR-002",
                "The OMADM-DevID of \(package.reference) is \"\(value)\", but earlier packages of the session sent \"\(first)\".",
                frames: package.frames, session: session)
        }
    }
}
