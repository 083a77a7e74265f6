import DMProtocol
import Packets

/// DM-END-*: how sessions end (reference §1.4, §6.6).
struct EndRules: RuleFamily {
    var implementedRules: [String] { ["DM-END-001", "DM-END-002"] }

    /// DM-END-001: S-SEED 8.4, approved §5.2.4 — no Package#3 after a Package#2 that contains END.
    func clientPackageAfterClose(_ package: SessionPackage, closed: ClosedSessionRecord, context: inout RuleContext) {
        guard case .ended(let index, let endFrame, _) = closed, package.kind == .response else { return }
        context.report(
            "DM-END-001",
            "Package#3 sent after END (frame \(package.frame)); the server ended session \(index) in frame \(endFrame), so the next POST of the device must be a new Package#1.",
            frames: [endFrame, package.frame], sessionIndex: index, dialect: nil)
    }

    /// DM-END-002: approved §5.3.9 — the server must close a session with END; one that goes idle
    /// after a Package#2 without END was left open.
    func sessionClosed(_ session: Session, context: inout RuleContext) {
        guard session.outcome == .idle, session.isDialectA, session.state.phase == .awaitingClient,
            let last = session.state.lastRequest, let request = last.decoding?.request, !request.containsEnd
        else { return }
        let seconds = context.options.idleTimeoutSeconds
        context.report(
            "DM-END-002",
            "The session went idle after the Package#2 of frame \(last.frame), which has no END: no Package#3 followed within \(seconds) s and the server never closed the session with END.",
            frames: [last.frame], session: session)
    }
}
