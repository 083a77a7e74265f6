import DMProtocol
import Packets
import Reassembly

/// Follows DM sessions across packages and connections (reference §1.5) and runs the rule checker
/// on every event; releases each session as soon as it closes.
///
/// - CR: by `SessionInfo.SessionID` (+ DevID), on any connection.
/// - A (no session id in the JSON): by the HTTP chain — a Package#3 continues the open session of
///   the same `OMADM-DevID` (else the same device address) that waits for a client package, preferring
///   the one whose expected URI (last CONT, else the Package#1's) it is POSTed to; a remaining tie
///   goes to the most recently active session and is reported (DM-TRK-001).
/// - A notification waits (`SessionLimits.maxPendingNotifications`) for the next Package#1 from its
///   device address within the window; a NOTIFICATION-ID (A) or DM 1.2 session id (CR SessionID,
///   decimal or hex) that matches is preferred over time order.
///
/// Call order: `notification`/`exchange`/`advance` 0…n times in capture order, then `finish` once
/// per input file. After each call, `takeFindings()` and `takeClosedSessions()` hand out what the
/// call produced.
package struct SessionTracker {
    private(set) var context: RuleContext
    private let checker = RuleChecker()
    private var sessions: [Int: Session] = [:]
    private var keys: [Int: Keys] = [:]
    private var byCRKey: [CRKey: Int] = [:]
    private var byDevID: [String: [Int]] = [:]
    private var byAddress: [IPAddress: [Int]] = [:]
    private var pending: [NotificationRecord] = []
    private var closedRecords: [DeviceKey: ClosedSessionRecord] = [:]
    private var closedOrder: [DeviceKey] = []
    private var answered: [AnsweredKey: Int] = [:]
    private var answeredOrder: [AnsweredKey] = []
    private var closed: [Session] = []
    private var nextSessionIndex = 1
    private var nextNotificationIndex = 1
    private var now = Timestamp.zero
    private var nextSweep = Timestamp.zero
    private var reportedNotificationLimit = false
    /// Session limits hit (each overflow counted, reported once as DM-TRK-002).
    package private(set) var limitHits: [RunLimit: Int] = [:]
    /// (session, lastActivity) in the order activity was noted, from `activityHead` on (eviction order).
    private var activity: [(index: Int, time: Timestamp)] = []
    private var activityHead = 0

    /// Sessions are swept for idleness at most once per this many nanoseconds of capture time.
    static let sweepInterval: Int64 = 1_000_000_000
    /// A notification stays pending this long past its window, so that a Package#1 sent inside the
    /// window but delivered late (the exchange is complete only with its response) still finds it.
    static let notificationGrace: Int64 = 30_000_000_000

    private struct CRKey: Hashable {
        var sessionID: String
        var devID: String?
    }

    private enum DeviceKey: Hashable {
        case devID(String)
        case address(IPAddress)
    }

    private struct AnsweredKey: Hashable {
        var device: IPAddress
        var notificationID: Int
    }

    /// Where a session is registered, to unregister it on close.
    private struct Keys {
        var crKey: CRKey?
        var devID: String?
        var address: IPAddress
    }

    package init(options: SessionTrackingOptions) {
        context = RuleContext(selection: options.selection, options: options)
    }

    private var options: SessionTrackingOptions { context.options }

    /// The input file the next frames come from.
    package mutating func setFileIndex(_ index: Int) { context.fileIndex = index }

    /// True when findings or closed sessions wait to be taken (checked per frame: no allocation).
    package var hasOutput: Bool { !context.findings.isEmpty || !closed.isEmpty || !added.isEmpty }

    /// When true, every package attached to a session is also handed out by `takeAddedPackages()`
    /// (for streaming output); off by default, so that nothing is copied for nobody.
    package var publishesPackages = false
    private var added: [(session: Int, package: SessionPackage)] = []

    /// Packages attached to sessions since the last call, in order, with their session's index.
    package mutating func takeAddedPackages() -> [(session: Int, package: SessionPackage)] {
        guard !added.isEmpty else { return [] }
        defer { added.removeAll(keepingCapacity: true) }
        return added
    }

    /// Findings since the last call.
    package mutating func takeFindings() -> [Finding] {
        guard !context.findings.isEmpty else { return [] }
        defer { context.findings.removeAll() }
        return context.findings
    }

    /// Sessions closed since the last call, in the order they closed (the tracker forgets them).
    package mutating func takeClosedSessions() -> [Session] {
        guard !closed.isEmpty else { return [] }
        defer { closed.removeAll() }
        return closed
    }

    /// Open sessions (for statistics and tests).
    package var openSessionCount: Int { sessions.count }

    // MARK: Events

    /// Capture time moved on to `time`: closes idle sessions and expires notifications.
    package mutating func advance(to time: Timestamp) {
        if now < time { now = time }
        guard nextSweep <= now else { return }
        // Saturating: a capture may carry timestamps up to Int64.max seconds.
        nextSweep = Timestamp(seconds: now.seconds.addingSaturated(1), nanoseconds: now.nanoseconds)
        let idle = options.idleTimeoutSeconds.nanosecondsSaturated
        let expired = sessions.values.filter { $0.state.lastActivity.nanoseconds(to: now) > idle }.map(\.index)
        for index in expired.sorted() { close(index, .idle) }
        let window = options.notificationWindowSeconds.nanosecondsSaturated.addingSaturated(Self.notificationGrace)
        while let first = pending.first, first.time.nanoseconds(to: now) > window {
            pending.removeFirst()
            checker.notificationUnanswered(first, context: &context)
        }
    }

    /// A notification (Package#0) was decoded from a UDP datagram.
    package mutating func notification(
        _ datagram: NotificationDatagram, frame: FrameNumber, time: Timestamp, device: IPAddress, sender: IPAddress,
        sourcePort: Int, destinationPort: Int
    ) {
        let record = NotificationRecord(
            index: nextNotificationIndex, frame: frame, time: time, device: device, sender: sender,
            sourcePort: sourcePort, destinationPort: destinationPort, datagram: datagram)
        nextNotificationIndex += 1
        checker.notificationSeen(record, context: &context)
        if let id = datagram.notification.notificationID,
            let earlier = pending.first(where: {
                $0.device == device && $0.notification.notificationID == id
                    && $0.notification.serverID == datagram.notification.serverID
            })
        {
            NotificationRules.duplicate(record, of: earlier, context: &context)
        }
        if pending.count >= options.limits.maxPendingNotifications {
            let dropped = pending.removeFirst()
            limitHits[.pendingNotifications, default: 0] += 1
            if !reportedNotificationLimit {
                reportedNotificationLimit = true
                let limits = options.limits  // (read before: the message is built inside report)
                context.report(
                    "DM-TRK-002",
                    "More than \(limits.maxPendingNotifications) notifications wait for their Package#1; the oldest (frame \(dropped.frame)) and later overflow are no longer correlated.",
                    frames: [dropped.frame, frame], sessionIndex: nil, dialect: nil)
            }
        }
        pending.append(record)
    }

    /// What one HTTP exchange carried: the client package of the request, the Package#2 of the
    /// response, and how the exchange ended.
    package struct ExchangeInput {
        var client: SessionPackage
        var server: SessionPackage?
        var connection: ConnectionInfo
        /// The final response's status, nil when no response was seen.
        var status: Int?
        /// First frame of the response.
        var responseFrame: FrameNumber?
        /// A TCP reset after the request, when the response is missing.
        var resetFrame: FrameNumber?
    }

    /// A DM exchange: the client package opens or continues a session, the response answers it.
    package mutating func exchange(_ input: ExchangeInput) {
        let index: Int?
        switch input.client.kind {
        case .initiation: index = open(input.client, connection: input.connection)
        case .response: index = continuation(input.client, connection: input.connection)
        case .request, .notification: index = nil
        }
        guard let index else { return }
        add(input.client, to: index)
        sessions[index]?.state.lastClientEndpoint = input.connection.client
        sessions[index]?.state.lastServerEndpoint = input.connection.server
        sessions[index]?.state.resetWhileWaiting = nil
        sessions[index]?.state.connectionFinished = nil
        if let server = input.server {
            add(server, to: index)
            if server.decoding?.request?.containsEnd == true {
                close(index, .ended(frame: server.frame))
                return
            }
        }
        if let status = input.status, status >= 400, status != 401, status != 407 {
            // §1.6 / S-ZH §4.3: a 4xx the client cannot recover from, or a 5xx, aborts the session
            // (401/407 ask for credentials: the client retries).
            close(index, .abortedByHTTPError(status: status, frame: input.responseFrame ?? input.client.frame))
        } else if input.status == nil, let reset = input.resetFrame {
            close(index, .abortedByReset(frame: reset))
        } else {
            sessions[index]?.state.phase = .awaitingClient
        }
    }

    /// An HTTP exchange without DM package from `client` (side traffic of HGET/HPUT/HPOST, DM-P3-008).
    package mutating func sideExchange(_ request: SideRequest, client: IPAddress) {
        if context.visibleHosts.count < options.limits.maxVisibleHosts {
            context.visibleHosts.insert("\(request.uri.host):\(request.uri.port)")
        }
        for index in byAddress[client] ?? [] {
            guard let state = sessions[index]?.state, state.phase == .awaitingClient,
                state.sideRequests.count < options.limits.maxSideRequestsPerRound
            else { continue }
            sessions[index]?.state.sideRequests.append(request)
        }
    }

    /// A TCP reset between `source` and `destination`: an open session waiting for the device's next
    /// package on that connection is marked; it closes as aborted by the reset unless the device
    /// goes on (on another connection) before it would close as idle or incomplete.
    package mutating func reset(from source: Endpoint, to destination: Endpoint, frame: FrameNumber) {
        var affected: [Int] = []
        for address in Set([source.address, destination.address]) {
            for index in byAddress[address] ?? [] {
                guard let state = sessions[index]?.state, state.phase == .awaitingClient,
                    let client = state.lastClientEndpoint, let server = state.lastServerEndpoint,
                    (client == source && server == destination) || (client == destination && server == source)
                else { continue }
                affected.append(index)
            }
        }
        for index in affected where sessions[index]?.state.resetWhileWaiting == nil {
            sessions[index]?.state.resetWhileWaiting = frame
        }
    }

    /// A TCP FIN between `source` and `destination`: the open sessions whose last exchange used that
    /// connection will continue, if at all, on another one.
    package mutating func finished(from source: Endpoint, to destination: Endpoint, frame: FrameNumber) {
        for index in byAddress[source.address] ?? [] { markFinished(index, source, destination, frame) }
        guard destination.address != source.address else { return }
        for index in byAddress[destination.address] ?? [] { markFinished(index, source, destination, frame) }
    }

    private mutating func markFinished(_ index: Int, _ source: Endpoint, _ destination: Endpoint, _ frame: FrameNumber) {
        guard let state = sessions[index]?.state, state.connectionFinished == nil,
            state.usedLast(source, destination)
        else { return }
        sessions[index]?.state.connectionFinished = frame
    }

    /// End of an input file: every open session is incomplete; notifications whose window ended
    /// inside the capture are unanswered (the others cannot be judged: skipped).
    package mutating func finish() {
        for index in sessions.keys.sorted() { close(index, .incomplete) }
        let window = options.notificationWindowSeconds.nanosecondsSaturated
        for record in pending where record.time.nanoseconds(to: now) >= window {
            checker.notificationUnanswered(record, context: &context)
        }
        pending.removeAll()
        closedRecords.removeAll()
        closedOrder.removeAll()
        answered.removeAll()
        answeredOrder.removeAll()
        now = .zero
        nextSweep = .zero
    }

    /// DM-TRN-002 for a Package#2 outside its place (no session is attached).
    package mutating func reportStray(frames: [FrameNumber], inRequest: Bool, method: String) {
        TransportRules.strayRequestPackage(frames: frames, inRequest: inRequest, method: method, context: &context)
    }

    // MARK: Correlation

    /// A Package#1 opens a new session (closing one it replaces).
    private mutating func open(_ package: SessionPackage, connection: ConnectionInfo) -> Int {
        let address = connection.client.address
        let devID = package.devID ?? package.carrier?.devIDHeader
        let crSessionID = package.package?.sessionInfo?.sessionID
        var reused: (index: Int, sessionID: String)?
        if let sessionID = crSessionID, let existing = byCRKey[CRKey(sessionID: sessionID, devID: devID)] {
            reused = (existing, sessionID)
            close(existing, .abandoned(frame: package.frame))
        }
        // A device talks to one server in one session at a time: a new Package#1 to the same server
        // ends the open one — unless that one's connection is still open (neither FIN nor RST seen),
        // which is how a device runs two sessions at once; both are then followed, by connection.
        var concurrent: [Int] = []
        for index in candidates(devID: devID, address: address).sorted() {
            guard let other = sessions[index], other.server.address == connection.server.address else { continue }
            let state = other.state
            if state.lastClientEndpoint == nil || state.usedLast(connection.client, connection.server)
                || state.connectionFinished != nil || state.resetWhileWaiting != nil
            {
                close(index, .abandoned(frame: package.frame))
            } else {
                concurrent.append(index)
            }
        }
        for key in deviceKeys(devID: devID, address: address) { closedRecords[key] = nil }
        if sessions.count >= options.limits.maxOpenSessions { evictOldest(at: package.frame) }

        let index = nextSessionIndex
        nextSessionIndex += 1
        var session = Session(index: index, client: connection.client, server: connection.server, start: package.time)
        session.sessionID = crSessionID
        session.devID = devID
        let initiation = package.decoding?.initiation
        session.reason = initiation?.sessionReason
        if let record = matchNotification(for: package, initiation: initiation, address: address) {
            session.notification = record
            session.start = record.time
            session.initiatedBy = .server
            session.packages.append(
                SessionPackage(
                    kind: .notification, frames: [record.frame], time: record.time, lastTime: record.time,
                    notification: record))
            session.packageCount = 1
        } else {
            switch session.reason {
            case .serverInitiated: session.initiatedBy = .server
            case .clientInitiated, .bootstrapComplete: session.initiatedBy = .client
            case .otherCode, nil: session.initiatedBy = .unknown
            }
        }
        session.state.lastActivity = package.time
        register(session, crSessionID: crSessionID, devID: devID, address: address)
        if publishesPackages, let notification = session.packages.first { added.append((index, notification)) }
        sessions[index] = session
        noteActivity(index)
        if !concurrent.isEmpty {
            context.report(
                "DM-TRK-005",
                "\(package.reference) opens session \(index) on connection \(connection.client) → \(connection.server) while session\(concurrent.count > 1 ? "s" : "") \(concurrent.map(String.init).joined(separator: ", ")) of the device \(concurrent.count > 1 ? "are" : "is") still open on another connection; both are followed, packages by the connection they use.",
                frames: package.frames, session: session)
        }
        if let reused {
            SessionIdentityRules.reusedSessionID(
                package, sessionID: reused.sessionID, previous: reused.index, newSession: session, context: &context)
        }
        // DM-NC-009: one server-initiated session per NOTIFICATION-ID.
        if let alert = initiation?.alerts?.first(where: { $0.sessionReason == .serverInitiated }) {
            for id in NotificationRules.notificationIDs(in: alert.data) {
                let key = AnsweredKey(device: address, notificationID: id)
                if let first = answered[key] {
                    NotificationRules.secondSession(
                        package, notificationID: id, first: first, session: session, context: &context)
                } else {
                    answered[key] = index
                    answeredOrder.append(key)
                    if answeredOrder.count > options.limits.maxRememberedClosedSessions {
                        answered[answeredOrder.removeFirst()] = nil
                    }
                }
            }
        }
        return index
    }

    /// The session a Package#3 continues; nil when it comes after the session's end (reported).
    private mutating func continuation(_ package: SessionPackage, connection: ConnectionInfo) -> Int? {
        let address = connection.client.address
        let devID = package.devID ?? package.carrier?.devIDHeader
        if let sessionID = package.package?.sessionInfo?.sessionID,
            let index = byCRKey[CRKey(sessionID: sessionID, devID: devID)]
        {
            return index
        }
        var waiting = (devID.flatMap { byDevID[$0] } ?? []).filter { sessions[$0]?.state.phase == .awaitingClient }
        if waiting.isEmpty {
            waiting = (byAddress[address] ?? []).filter { sessions[$0]?.state.phase == .awaitingClient }
        }
        // The session whose last exchange used this very connection is the one continued.
        let sameConnection = waiting.filter {
            sessions[$0]?.state.usedLast(connection.client, connection.server) == true
        }
        if sameConnection.count == 1 { return sameConnection[0] }
        if !waiting.isEmpty {
            let uri = package.carrier?.uri
            let onURI = waiting.filter { index in
                guard let state = sessions[index]?.state else { return false }
                return (state.contURI ?? state.initiationURI) == uri
            }
            let pool = (onURI.isEmpty ? waiting : onURI).sorted()
            let chosen = pool.max { lhs, rhs in
                (sessions[lhs]?.state.lastActivity ?? .zero) < (sessions[rhs]?.state.lastActivity ?? .zero)
            }
            guard let chosen else { return nil }
            if pool.count > 1 {
                context.report(
                    "DM-TRK-001",
                    "\(package.reference) could continue sessions \(pool.map(String.init).joined(separator: ", ")); it is attached to session \(chosen), the most recently active.",
                    frames: package.frames, sessionIndex: chosen, dialect: nil)
            }
            return chosen
        }
        for key in deviceKeys(devID: devID, address: address) {
            guard let record = closedRecords[key] else { continue }
            let idle = options.idleTimeoutSeconds.nanosecondsSaturated
            guard record.time.nanoseconds(to: package.time) <= idle else { continue }
            checker.clientPackageAfterClose(package, closed: record, context: &context)
            return nil
        }
        // The session's start is not in the capture: track it from here.
        if sessions.count >= options.limits.maxOpenSessions { evictOldest(at: package.frame) }
        let index = nextSessionIndex
        nextSessionIndex += 1
        var session = Session(index: index, client: connection.client, server: connection.server, start: package.time)
        session.isMissingStart = true
        session.devID = devID
        let sessionID = package.package?.sessionInfo?.sessionID
        session.sessionID = sessionID
        session.state.lastActivity = package.time
        register(session, crSessionID: sessionID, devID: devID, address: address)
        sessions[index] = session
        noteActivity(index)
        context.report(
            "DM-TRK-003",
            "\(package.reference) continues a session whose Package#1 is not in the capture; the session is tracked from here.",
            frames: package.frames, session: session)
        return index
    }

    /// The pending notification a Package#1 from `address` answers, removed from the pending list
    /// with its duplicates.
    private mutating func matchNotification(
        for package: SessionPackage, initiation: Initiation?, address: IPAddress
    ) -> NotificationRecord? {
        let window = options.notificationWindowSeconds.nanosecondsSaturated
        let candidates = pending.indices.filter { position in
            let record = pending[position]
            let age = record.time.nanoseconds(to: package.time)
            return record.device == address && age >= 0 && age <= window
        }
        guard !candidates.isEmpty else { return nil }
        let alertIDs = (initiation?.alerts ?? []).filter { $0.sessionReason == .serverInitiated }
            .flatMap { NotificationRules.notificationIDs(in: $0.data) }
        let sessionID = initiation?.sessionInfo?.sessionID?.lowercased()
        let strong = candidates.filter { position in
            let notification = pending[position].notification
            if let id = notification.notificationID, alertIDs.contains(Int(id)) { return true }
            if let id = notification.sessionID, let sessionID {
                return sessionID == String(id) || sessionID == String(id, radix: 16)
            }
            return false
        }
        guard let position = strong.last ?? candidates.last else { return nil }
        let record = pending[position]
        pending.removeAll { other in
            other == record
                || (other.device == record.device && other.notification.serverID == record.notification.serverID
                    && other.notification.notificationID != nil
                    && other.notification.notificationID == record.notification.notificationID)
        }
        return record
    }

    /// Open sessions of the device: by DevID when known, else by address.
    private func candidates(devID: String?, address: IPAddress) -> [Int] {
        if let devID, let found = byDevID[devID] { return found }
        return (byAddress[address] ?? []).filter { devID == nil || sessions[$0]?.devID == nil }
    }

    private func deviceKeys(devID: String?, address: IPAddress) -> [DeviceKey] {
        (devID.map { [DeviceKey.devID($0)] } ?? []) + [.address(address)]
    }

    private mutating func register(_ session: Session, crSessionID: String?, devID: String?, address: IPAddress) {
        var entry = Keys(crKey: nil, devID: devID, address: address)
        if let crSessionID {
            let key = CRKey(sessionID: crSessionID, devID: devID)
            byCRKey[key] = session.index
            entry.crKey = key
        }
        if let devID { byDevID[devID, default: []].append(session.index) }
        byAddress[address, default: []].append(session.index)
        keys[session.index] = entry
    }

    private mutating func unregister(_ index: Int) {
        guard let entry = keys.removeValue(forKey: index) else { return }
        if let key = entry.crKey, byCRKey[key] == index { byCRKey[key] = nil }
        if let devID = entry.devID {
            byDevID[devID]?.removeAll { $0 == index }
            if byDevID[devID]?.isEmpty == true { byDevID[devID] = nil }
        }
        byAddress[entry.address]?.removeAll { $0 == index }
        if byAddress[entry.address]?.isEmpty == true { byAddress[entry.address] = nil }
    }

    /// Session `index` was just stored with a new `lastActivity`: queued for `evictOldest`.
    private mutating func noteActivity(_ index: Int) {
        guard let time = sessions[index]?.state.lastActivity else { return }
        activity.append((index, time))
        if activity.count - activityHead > 4 * max(sessions.count, 1024) { compactActivity() }
    }

    /// The activity queue rebuilt from the open sessions, oldest first (drops the stale entries).
    private mutating func compactActivity() {
        activity = sessions.values.map { ($0.index, $0.state.lastActivity) }
            .sorted { $0.time < $1.time || ($0.time == $1.time && $0.index < $1.index) }
        activityHead = 0
    }

    /// Closes the least recently active session. Amortised O(1): the queue holds (session, time)
    /// in the order activity was noted; entries whose session moved on or closed are skipped.
    private mutating func evictOldest(at frame: FrameNumber) {
        var found: Int?
        while found == nil, activityHead < activity.count {
            let entry = activity[activityHead]
            activityHead += 1
            if sessions[entry.index]?.state.lastActivity == entry.time { found = entry.index }
        }
        if activityHead > 65_536, activityHead * 2 > activity.count {
            activity.removeFirst(activityHead)
            activityHead = 0
        }
        guard let oldest = found else { return }
        limitHits[.sessions, default: 0] += 1
        let limits = options.limits  // (read before: the message is built inside report)
        context.report(
            "DM-TRK-002",
            "More than \(limits.maxOpenSessions) DM sessions are open at once; session \(oldest), the least recently active, is closed early.",
            frames: [frame], sessionIndex: oldest, dialect: nil)
        close(oldest, .evicted)
    }

    // MARK: Session updates

    /// Checks `package` against the session and records it.
    private mutating func add(_ package: SessionPackage, to index: Int) {
        guard var session = sessions.removeValue(forKey: index) else { return }
        var package = package
        if package.kind == .response, let request = session.state.lastRequest?.decoding?.request,
            let commands = request.commands, !request.containsEnd
        {
            // With the GET data of a multipart Package#3 attached to the results it answers.
            let results = package.decoding?.matchingGETData(previousCommands: commands).response?.results ?? []
            package.pairings = commands.enumerated().map { position, command in
                CommandPairing(
                    position: position, command: command, result: position < results.count ? results[position] : nil,
                    sideRequest: Self.sideRequest(for: command, in: session.state.sideRequests))
            }
        }
        session.dialect = session.dialect.adding(package.dialect)
        let before = context.findings.count
        context.beginPackage()
        checker.packageAdded(package, to: &session, context: &context)
        context.endPackage(
            reference: package.reference, frames: package.frames, sessionIndex: session.index, dialect: session.dialect)
        record(package, in: &session)
        count(context.findings[before...], in: &session)
        if publishesPackages { added.append((index, package)) }
        sessions[index] = session
        noteActivity(index)
    }

    /// The HTTP method an HGET/HPUT/HPOST makes the device use; nil for other commands.
    static func sideMethod(_ name: CommandName) -> String? {
        switch name {
        case .hget: "GET"
        case .hput: "PUT"
        case .hpost: "POST"
        default: nil
        }
    }

    /// The device's HTTP request an HGET/HPUT/HPOST asked for (method and ServerURI), if seen.
    static func sideRequest(for command: Command, in requests: [SideRequest]) -> SideRequest? {
        guard let method = sideMethod(command.name), let text = command.arguments(.serverURI).first?.text, let uri = RequestURI(absolute: text) else {
            return nil
        }
        return requests.first { $0.method == method && $0.uri == uri }
    }

    private mutating func record(_ package: SessionPackage, in session: inout Session) {
        session.packageCount += 1
        if session.packages.count < options.limits.maxPackagesPerSession {
            // Decoded content is kept up to a budget of items per session (a Package#2 of 250,000
            // commands decodes to ~130 MB); past it the package is kept without its content.
            let weight = package.contentWeight
            if session.state.storedWeight + weight <= options.limits.maxStoredItemsPerSession {
                session.state.storedWeight += weight
                session.packages.append(package)
            } else {
                var slim = package
                slim.decoding = nil
                slim.pairings = []
                slim.isContentDropped = true
                limitHits[.sessionItems, default: 0] += 1
                session.packages.append(slim)
                if !session.state.reportedContentLimit {
                    session.state.reportedContentLimit = true
                    let limits = options.limits  // (read before: the message is built inside report)
                    context.report(
                        "DM-TRK-002",
                        "\(package.reference) would take session \(session.index) past \(limits.maxStoredItemsPerSession) stored commands, results and MO items; from it on, packages are checked but their content is not kept for the output.",
                        frames: package.frames, session: session)
                }
            }
        } else {
            session.droppedPackages += 1
            limitHits[.sessionPackages, default: 0] += 1
            if !session.state.reportedPackageLimit {
                session.state.reportedPackageLimit = true
                let limits = options.limits  // (read before: the message is built inside report)
                context.report(
                    "DM-TRK-002",
                    "Session \(session.index) has more than \(limits.maxPackagesPerSession) packages; later ones are checked but not kept.",
                    frames: package.frames, session: session)
            }
        }
        if let connection = package.carrier?.connection, !session.connections.contains(connection) {
            session.connections.append(connection)
        }
        if session.end < package.lastTime { session.end = package.lastTime }
        if session.state.lastActivity < package.lastTime { session.state.lastActivity = package.lastTime }
        if let seq = package.pkgSeq {
            session.state.lastPkgSeq = seq
            if package.kind != .request { session.state.lastClientPkgSeq = seq }
        }
        if session.devID == nil, let devID = package.devID ?? package.carrier?.devIDHeader {
            session.devID = devID
            byDevID[devID, default: []].append(session.index)
            keys[session.index]?.devID = devID
        }
        switch package.kind {
        case .initiation:
            session.state.initiationURI = package.carrier?.uri
            session.state.initiationAccept = package.carrier?.accept
            session.state.devIDHeader = package.carrier?.devIDHeader
            if let mos = package.decoding?.initiation?.mos {
                var announced: [String: [String]] = [:]
                for entry in mos {
                    guard let moid = entry.moid else { continue }
                    let normalized = moid.lowercased().hasPrefix("urn:") ? moid : "urn:" + moid
                    announced[normalized, default: []] += entry.miids ?? []
                }
                session.state.announcedMOs = announced
            }
            session.state.lastClientPackage = package
            session.state.phase = .awaitingServer
        case .response:
            if session.state.devIDHeader == nil { session.state.devIDHeader = package.carrier?.devIDHeader }
            if session.state.initiationURI == nil { session.state.initiationURI = package.carrier?.uri }
            session.state.lastClientPackage = package
            session.state.phase = .awaitingServer
        case .request:
            session.state.lastRequest = package
            session.state.phase = .awaitingClient
            session.state.sideRequests.removeAll()
            // Approved §5.3.8: after CONT all later Package#3 of the session go to its ServerURI.
            for command in package.decoding?.request?.commands ?? [] where command.name == .cont {
                if let text = command.arguments(.serverURI).first?.text, let uri = RequestURI(absolute: text) {
                    session.state.contURI = uri
                    session.state.contFrame = package.frame
                }
            }
        case .notification:
            break
        }
    }

    private mutating func count(_ findings: ArraySlice<Finding>, in session: inout Session) {
        for finding in findings where finding.session == session.index {
            session.findingCounts[finding.severity, default: 0] += 1
        }
    }

    /// Closes session `index` with `outcome`, runs the closing checks and hands it out.
    private mutating func close(_ index: Int, _ outcome: SessionOutcome) {
        guard var session = sessions.removeValue(forKey: index) else { return }
        var outcome = outcome
        if let frame = session.state.resetWhileWaiting, outcome == .idle || outcome == .incomplete {
            outcome = .abortedByReset(frame: frame)
        }
        let entry = keys[index]
        unregister(index)
        session.outcome = outcome
        let record: ClosedSessionRecord?
        switch outcome {
        case .ended(let frame): record = .ended(index: index, frame: frame, time: session.end)
        case .abortedByHTTPError(let status, let frame):
            record = .aborted(index: index, status: status, frame: frame, time: session.end)
        default: record = nil
        }
        if let record, let entry {
            for key in deviceKeys(devID: entry.devID, address: entry.address) {
                if closedRecords.updateValue(record, forKey: key) == nil { closedOrder.append(key) }
            }
            while closedOrder.count > options.limits.maxRememberedClosedSessions {
                closedRecords[closedOrder.removeFirst()] = nil
            }
        }
        let before = context.findings.count
        checker.sessionClosed(session, context: &context)
        count(context.findings[before...], in: &session)
        closed.append(session)
    }
}

extension Int64 {
    /// `self + other`, clamped to the Int64 range instead of trapping.
    func addingSaturated(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    /// These seconds in nanoseconds, clamped to the Int64 range instead of trapping.
    var nanosecondsSaturated: Int64 {
        let (product, overflow) = multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? (self > 0 ? .max : .min) : product
    }
}
