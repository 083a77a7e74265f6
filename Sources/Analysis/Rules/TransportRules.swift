import DMProtocol
import Packets

/// DM-TRN-*: how packages ride on HTTP (reference §1.3, §1.6, §6.1).
struct TransportRules: RuleFamily {
    var implementedRules: [String] {
        ["DM-TRN-001", "DM-TRN-002", "DM-TRN-003", "DM-TRN-004", "DM-TRN-005", "DM-TRN-006", "DM-TRN-007"]
    }

    static let packageRequestType = DMMediaType.request.rawValue

    func packageAdded(_ package: SessionPackage, to session: inout Session, context: inout RuleContext) {
        guard let carrier = package.carrier else { return }
        switch package.kind {
        case .initiation, .response:
            // DM-TRN-001: S-SEED 8.2/8.4, approved §5.2.2/§5.2.4 — client packages are POSTs.
            if carrier.method != "POST" {
                context.report(
                    "DM-TRN-001",
                    "\(package.reference) is sent with HTTP method \(carrier.method); client packages must be POST requests.",
                    frames: package.frames, session: session)
            }
            if package.kind == .response { checkTarget(package, carrier, session: session, context: &context) }
            checkNegotiationError(package, carrier, session: session, context: &context)
        case .request:
            // DM-TRN-003: the CR example carries every Package#2 in a 200 response.
            if let status = carrier.status, status != 200 {
                context.report(
                    "DM-TRN-003", "\(package.reference) travels in an HTTP \(status) response, not 200 OK.",
                    frames: package.frames, session: session)
            }
        case .notification:
            break
        }
    }

    /// DM-TRN-005 (after CONT, approved §5.3.8) and DM-TRN-006 (without CONT: the Package#1 URI).
    private func checkTarget(
        _ package: SessionPackage, _ carrier: PackageCarrier, session: Session, context: inout RuleContext
    ) {
        if let cont = session.state.contURI {
            guard session.dialect != .cr, carrier.uri != cont else { return }
            let contFrame = session.state.contFrame.map { " of frame \($0)" } ?? ""
            context.report(
                "DM-TRN-005",
                "\(package.reference) is POSTed to \(carrier.uri), but the CONT\(contFrame) moved the session to \(cont).",
                frames: [package.frame] + (session.state.contFrame.map { [$0] } ?? []), session: session)
        } else if let first = session.state.initiationURI, carrier.uri != first {
            context.report(
                "DM-TRN-006",
                "\(package.reference) is POSTed to \(carrier.uri), not to the URI of the session's Package#1 (\(first)), and no CONT moved the session.",
                frames: package.frames, session: session)
        }
    }

    /// DM-TRN-007 (A, S-ZH §4.2): 406 although the request's Accept admits the Package#2 type;
    /// 415 although the request carries the right media type for its package (info).
    private func checkNegotiationError(
        _ package: SessionPackage, _ carrier: PackageCarrier, session: Session, context: inout RuleContext
    ) {
        guard session.dialect != .cr, let status = carrier.status, status == 406 || status == 415 else { return }
        if status == 406 {
            let admits =
                carrier.accept.map { MediaRange.list($0).contains { $0.admits(Self.packageRequestType) } } ?? true
            guard admits else { return }
            context.report(
                "DM-TRN-007",
                "The server answered \(package.reference) with 406 Not Acceptable although the request's Accept admits \(Self.packageRequestType).",
                frames: package.frames, session: session, severity: .warning)
        } else {
            guard let type = carrier.contentType.flatMap(MediaType.init)?.essence,
                let expected = package.decoding?.kind?.mediaType.rawValue
                    ?? PackageKind(package.kind)?.mediaType.rawValue,
                type == expected
            else { return }
            context.report(
                "DM-TRN-007",
                "The server answered \(package.reference) with 415 Unsupported Media Type although it carries the correct media type \(expected).",
                frames: package.frames, session: session, severity: .info)
        }
    }

    /// DM-TRN-004 (A, S-ZH §4.3): after an HTTP error the client aborts and sends nothing more.
    func clientPackageAfterClose(_ package: SessionPackage, closed: ClosedSessionRecord, context: inout RuleContext) {
        guard case .aborted(let index, let status, let frame, _) = closed, package.kind == .response else { return }
        context.report(
            "DM-TRN-004",
            "Package#3 sent (frame \(package.frame)) after the server answered session \(index) with HTTP \(status) in frame \(frame); the client must abort the session and not retry.",
            frames: [frame, package.frame], sessionIndex: index, dialect: nil)
    }

    /// DM-TRN-002: a Package#2 body in an HTTP request, or in a response to something other than a
    /// client package (S-SEED 8.3, approved §5.2.3). Reported by the stage, which sees the exchange.
    static func strayRequestPackage(
        frames: [FrameNumber], inRequest: Bool, method: String, context: inout RuleContext
    ) {
        let first = frames.first.map { "frame \($0)" } ?? "a frame"
        let message =
            inRequest
            ? "A Package#2 (application/vnd.oma.dm.request+json) is sent in an HTTP \(method) request (\(first)); Package#2 only travels in the response to a Package#1/#3 POST."
            : "A Package#2 (\(first)) answers an HTTP \(method) request that carries no Package#1 or #3; Package#2 only answers a Package#1/#3 POST."
        context.report("DM-TRN-002", message, frames: frames, sessionIndex: nil, dialect: nil)
    }
}

extension PackageKind {
    /// The JSON package kind of a session package kind (nil for a notification).
    init?(_ kind: SessionPackage.Kind) {
        switch kind {
        case .initiation: self = .initiation
        case .request: self = .request
        case .response: self = .response
        case .notification: return nil
        }
    }
}
