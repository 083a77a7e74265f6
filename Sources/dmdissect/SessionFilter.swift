import Analysis

/// `--session ID`: keeps the sessions whose SessionID or DevID is `ID`, their packages and
/// findings; capture-level findings always pass. Packages stream before their session closes, so
/// a session is judged on its first client package (a notification waits for it).
final class SessionFilter {
    private let wanted: String?
    private var decisions: [Int: Bool] = [:]
    private var held: [Int: [SessionPackage]] = [:]

    /// A filter for `wanted` (nil: everything passes).
    init(_ wanted: String?) { self.wanted = wanted }

    /// True when no `--session` was given.
    var passesEverything: Bool { wanted == nil }

    /// Whether the closed `session` is selected; forgets the decision made for its packages.
    func selects(_ session: Session) -> Bool {
        decisions[session.index] = nil
        held[session.index] = nil
        guard let wanted else { return true }
        return session.sessionID == wanted || session.devID == wanted
    }

    /// Hands `package` of session `index` (and notifications held back for it) to `emit` when the
    /// session is selected.
    func package(_ package: SessionPackage, session index: Int, emit: (SessionPackage) -> Void) {
        guard let wanted else { return emit(package) }
        if let decided = decisions[index] {
            if decided { emit(package) }
            return
        }
        if package.kind == .notification {
            held[index, default: []].append(package)
            return
        }
        let devID = package.devID ?? package.carrier?.devIDHeader
        let decided = devID == wanted || package.package?.sessionInfo?.sessionID == wanted
        decisions[index] = decided
        let waiting = held.removeValue(forKey: index) ?? []
        if decided { (waiting + [package]).forEach(emit) }
    }

    /// Whether a streamed finding passes: capture-level ones always, session ones when their
    /// session was selected on its packages.
    func passes(_ finding: Finding) -> Bool {
        guard wanted != nil, let session = finding.session else { return true }
        return decisions[session] ?? false
    }
}
