import DMProtocol
import Packets

/// Memory bounds of the session tracker; each hit is a DM-TRK-002 finding.
public struct SessionLimits: Sendable, Hashable {
    /// Open sessions at once. A capture with more concurrent sessions (many devices, or a flood of
    /// Package#1 that are never continued) evicts the least recently active one.
    public var maxOpenSessions = 4096
    /// Packages stored per session; later ones are still checked and counted, not stored. Bounds a
    /// session that never ends (a server looping Package#2 without END).
    public var maxPackagesPerSession = 256
    /// Commands, results, alerts and MO items kept with their decoded content per session (for
    /// the outputs); packages past it are checked and listed without content (DM-TRK-002).
    public var maxStoredItemsPerSession = 20_000
    /// Notifications waiting for their Package#1. Bounds a notification flood (every one is kept
    /// for the notification window).
    public var maxPendingNotifications = 1024
    /// Closed sessions remembered for DM-END-001 / DM-TRN-004 (client packages after the end).
    public var maxRememberedClosedSessions = 4096
    /// TCP resets remembered to tell an abort by RST from a lost answer.
    public var maxRememberedResets = 1024
    /// The device's non-DM HTTP requests kept per session between two Package#2 (DM-P3-008).
    public var maxSideRequestsPerRound = 64
    /// Hosts seen serving plain HTTP, kept to tell "no request was made" from "the capture does
    /// not see that server" (DM-P3-008).
    public var maxVisibleHosts = 4096

    public init() {}
}

/// Settings of DM session tracking and rule checking.
public struct SessionTrackingOptions: Sendable, Hashable {
    /// Which rules are reported.
    public var selection: RuleSelection
    /// How long after a notification its Package#1 may come (DM-NC-001), seconds of capture time.
    public var notificationWindowSeconds: Int64
    /// A session with no package for this long is closed as idle (DM-END-002), seconds of capture time.
    public var idleTimeoutSeconds: Int64
    /// The PkgSeq numbering model expected (DM-SEQ-003).
    public var pkgSeqModel: PkgSeqExpectation
    /// UDP ports where any datagram is decoded as a notification (detection is by content elsewhere).
    public var notificationPorts: Set<Int>
    /// Memory bounds.
    public var limits: SessionLimits
    /// Server credentials for notification digests (DM-N0-005, DM-N0-015); empty: not verified.
    public var credentials: CredentialStore
    /// Server identifiers (a notification's SERVER-ID) → the hosts (`name`, `name:port` or an IP
    /// address) of that server, for DM-NC-010; empty: not checked.
    public var serverHosts: [String: [String]]
    /// Limits of the package decoder (JSON, items per package, multipart).
    public var decoderOptions = PackageDecoder.Options.default

    /// Default notification window (reference DM-NC-001: 300 s).
    public static let defaultNotificationWindow: Int64 = 300
    /// Default idle time-out: DM defines none (reference §1.4), so the tool picks one.
    public static let defaultIdleTimeout: Int64 = 300

    public init(
        selection: RuleSelection = RuleSelection(), notificationWindowSeconds: Int64 = defaultNotificationWindow,
        idleTimeoutSeconds: Int64 = defaultIdleTimeout, pkgSeqModel: PkgSeqExpectation = .automatic,
        notificationPorts: Set<Int> = [2948], limits: SessionLimits = SessionLimits(),
        credentials: CredentialStore = CredentialStore(), serverHosts: [String: [String]] = [:]
    ) {
        self.selection = selection
        self.notificationWindowSeconds = notificationWindowSeconds
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.pkgSeqModel = pkgSeqModel
        self.notificationPorts = notificationPorts
        self.limits = limits
        self.credentials = credentials
        self.serverHosts = serverHosts
    }
}
