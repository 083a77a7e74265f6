import DMProtocol
import HTTP1
import Packets
import Reassembly

/// The dialect of a session, from the dialects of its packages (reference §0.1, DM-CT-008).
public enum SessionDialect: String, Sendable, Hashable {
    /// The seed CR draft.
    case cr = "CR"
    /// The approved specification.
    case a = "A"
    /// Packages of both dialects (or a package with members of both).
    case mixed
    /// No package told the dialects apart (or none was decoded).
    case unknown

    /// The dialect after adding a package of `dialect`.
    func adding(_ dialect: Dialect) -> SessionDialect {
        let added: SessionDialect
        switch dialect {
        case .cr: added = .cr
        case .a: added = .a
        case .mixed: return .mixed
        case .undetermined: return self
        }
        switch self {
        case .unknown: return added
        case .mixed: return .mixed
        default: return self == added ? self : .mixed
        }
    }
}

/// Who started a session.
public enum SessionInitiator: String, Sendable, Hashable {
    /// After a Package#0 (seen, or stated by ReasonForSession 1200 / ServerInitiatedMgmt).
    case server
    /// By the client itself (ReasonForSession 1201 / ClientInitiatedMgmt / BootstrapComplete).
    case client
    /// The capture does not say (no Package#1, or one without a reason).
    case unknown
}

/// How a session ended (reference §1.4).
public enum SessionOutcome: Sendable, Hashable {
    /// The server sent END in the Package#2 of `frame`.
    case ended(frame: FrameNumber)
    /// The server answered a client package with HTTP `status` (4xx/5xx) in `frame` (§1.6: the client aborts).
    case abortedByHTTPError(status: Int, frame: FrameNumber)
    /// A TCP reset in `frame` ended the connection before the server's answer.
    case abortedByReset(frame: FrameNumber)
    /// The client started a new session (Package#1 in `frame`) with the same server while this one was open.
    case abandoned(frame: FrameNumber)
    /// No package for longer than the idle time-out (capture time).
    case idle
    /// Open when the capture ended.
    case incomplete
    /// Closed early because the open-session limit was reached.
    case evicted

    /// `ended`, `aborted`, `abandoned`, `idle`, `incomplete` or `evicted`.
    public var name: String {
        switch self {
        case .ended: "ended"
        case .abortedByHTTPError, .abortedByReset: "aborted"
        case .abandoned: "abandoned"
        case .idle: "idle"
        case .incomplete: "incomplete"
        case .evicted: "evicted"
        }
    }
}

/// A received DM notification (Package#0) and where it travelled.
public struct NotificationRecord: Sendable, Hashable {
    /// 1-based number among the notifications of the run.
    public var index: Int
    /// The frame of the UDP datagram.
    public var frame: FrameNumber
    /// Its capture time.
    public var time: Timestamp
    /// The device: the UDP destination (the address that should open the session, reference §2.4).
    public var device: IPAddress
    /// The sender (push proxy or DM server).
    public var sender: IPAddress
    public var sourcePort: Int
    public var destinationPort: Int
    /// The decoded datagram (WSP wrapper and notification).
    public var datagram: NotificationDatagram

    /// The notification itself.
    public var notification: DMProtocol.Notification { datagram.notification }
}

/// The HTTP side of a package: what carried it.
public struct PackageCarrier: Sendable, Hashable {
    /// The connection (`ConnectionInfo.index`).
    public var connection: Int
    /// Method of the request the package is in or answers.
    public var method: String
    /// The request target as sent.
    public var target: String
    /// The absolute URI of the request (from the target, the Host header or the server address).
    public var uri: RequestURI
    /// The response status (for a Package#2, and for a client package whose exchange was answered).
    public var status: Int?
    /// Content-Type of the message carrying the package, as sent.
    public var contentType: String?
    /// Body length after transfer decoding.
    public var bodyBytes: Int
    /// The body was not (completely) captured: gap, truncation, or not stored.
    public var isBodyIncomplete: Bool
    /// The request's `Accept` (client packages).
    public var accept: String?
    /// `OMADM-Accept` (or a lenient spelling) of this message.
    public var omadmAccept: String?
    /// `OMADM-DevID` of this message.
    public var devIDHeader: String?
    /// The device's and the server's end of that connection (for `-w` export).
    public var clientEndpoint: Endpoint? = nil
    public var serverEndpoint: Endpoint? = nil
    /// How the message travelled when it was decrypted from TLS (version, cipher suite, SNI).
    public var tls: TransportSecurity? = nil
}

/// One command of a Package#2 with the result that answers it in the next Package#3 (positional, §3.1/§3.2).
public struct CommandPairing: Sendable, Hashable {
    /// 0-based position in the Package#2's command list.
    public var position: Int
    public var command: Command
    /// The result at the same position, nil when the Package#3 has fewer results.
    public var result: CommandResult?
    /// HGET/HPUT/HPOST: the device's HTTP request to the command's ServerURI between the
    /// Package#2 and the Package#3, when the capture shows it.
    public var sideRequest: SideRequest? = nil
}

/// One package of a session, in order: a notification, or a Package#1/#2/#3 with its HTTP carrier.
public struct SessionPackage: Sendable, Hashable {
    /// What the package is.
    public enum Kind: String, Sendable, Hashable {
        case notification, initiation, request, response

        init(_ kind: PackageKind) {
            switch kind {
            case .initiation: self = .initiation
            case .request: self = .request
            case .response: self = .response
            }
        }

        /// `Package#0` … `Package#3`.
        public var label: String {
            switch self {
            case .notification: "Package#0"
            case .initiation: "Package#1"
            case .request: "Package#2"
            case .response: "Package#3"
            }
        }
    }

    public var kind: Kind
    /// CR `SessionInfo.PkgSeq`, when present.
    public var pkgSeq: Int64?
    /// First and last frame of the message (one frame when they are the same).
    public var frames: [FrameNumber]
    /// Time of the first frame.
    public var time: Timestamp
    /// Time of the last frame.
    public var lastTime: Timestamp
    /// The HTTP message (nil for a notification).
    public var carrier: PackageCarrier?
    /// The decoded package, its JSON and its issues (nil for a notification, or a body not captured).
    public var decoding: PackageDecoding?
    /// The notification (Package#0 only).
    public var notification: NotificationRecord?
    /// Package#3: each command of the preceding Package#2 with its result.
    public var pairings: [CommandPairing] = []
    /// True when the package was checked but its decoded content was not kept (the session's
    /// `SessionLimits.maxStoredItemsPerSession` was reached): `decoding` and `pairings` are empty.
    public var isContentDropped = false

    /// The first frame.
    public var frame: FrameNumber { frames.first ?? FrameNumber(rawValue: 0) }

    /// How much decoded content the package holds: its commands, results, alerts and MO items.
    public var contentWeight: Int {
        switch package {
        case .initiation(let initiation):
            1 + (initiation.mos?.count ?? 0) + (initiation.moData?.count ?? 0) + (initiation.alerts?.count ?? 0)
        case .request(let request): 1 + (request.commands?.count ?? 0) + (request.alerts?.count ?? 0)
        case .response(let response):
            1 + (response.results?.count ?? 0) + (response.alerts?.count ?? 0) + response.getData.count
        case nil: 1
        }
    }

    /// The package, when decoded.
    public var package: DMPackage? { decoding?.package }

    /// The dialect of the body, `.undetermined` when not decoded.
    public var dialect: Dialect { decoding?.package?.dialect ?? .undetermined }

    /// The device id the package states: the `OMADM-DevID` header, else CR `SessionInfo.DevID`.
    public var devID: String? {
        switch package {
        case .initiation(let initiation): initiation.devID
        case .response(let response): response.devID
        default: nil
        }
    }
}

/// One DM session as far as the capture shows it (design: "sessions" of the JSON contract).
public struct Session: Sendable, Hashable {
    /// 1-based, in the order the tracker saw the sessions' first packages (an exchange is seen
    /// when its response is complete).
    public var index: Int
    public var dialect: SessionDialect = .unknown
    /// CR `SessionInfo.SessionID` of the Package#1 (or the first package that had one).
    public var sessionID: String?
    /// `OMADM-DevID` / CR `SessionInfo.DevID` of the first client package that had one.
    public var devID: String?
    /// The device's side of the first connection.
    public var client: Endpoint
    /// The DM server's side of the first connection.
    public var server: Endpoint
    /// Every connection that carried a package, in order of first use.
    public var connections: [Int] = []
    public var initiatedBy: SessionInitiator = .unknown
    /// Why the session was opened, as Package#1 says.
    public var reason: SessionReason?
    /// The notification the session answers, when one was seen.
    public var notification: NotificationRecord?
    /// Time of the first package (the notification's when there is one).
    public var start: Timestamp
    /// Time of the last package or of the event that closed it.
    public var end: Timestamp
    /// How it ended; nil while open.
    public var outcome: SessionOutcome?
    /// True when the capture has no Package#1 for it (a Package#3 started it).
    public var isMissingStart = false
    /// Packages in order (the notification first), at most `SessionLimits.maxPackagesPerSession`.
    public var packages: [SessionPackage] = []
    /// Every package seen, stored or not.
    public var packageCount = 0
    /// Packages not stored because of the limit.
    public var droppedPackages = 0
    /// Findings reported while the session was open, by severity.
    public var findingCounts: [Finding.Severity: Int] = [:]

    /// Checking and tracking state; not part of the session's description.
    package var state = SessionState()

    init(index: Int, client: Endpoint, server: Endpoint, start: Timestamp) {
        self.index = index
        self.client = client
        self.server = server
        self.start = start
        self.end = start
    }

    /// Findings reported while the session was open.
    public var findingCount: Int { findingCounts.values.reduce(0, +) }
}

/// What the tracker and the checkers remember about an open session between packages.
package struct SessionState: Sendable, Hashable {
    /// Where the session stands in the P1 → P2 → (P3 → P2)* loop.
    package enum Phase: Sendable, Hashable {
        /// A client package was sent; its answer has not been seen.
        case awaitingServer
        /// A Package#2 (without END) arrived, or the answer was lost: the next client package is due.
        case awaitingClient
    }

    package var phase: Phase = .awaitingServer
    /// Absolute URI of the Package#1 (DM-TRN-006).
    package var initiationURI: RequestURI?
    /// The ServerURI of the last CONT (DM-TRN-005).
    package var contURI: RequestURI?
    /// Frame of the Package#2 with that CONT.
    package var contFrame: FrameNumber?
    /// The last Package#2 (for pairing, DM-P3-001…).
    @Boxed package var lastRequest: SessionPackage? = nil
    /// The last client package (for DM-P2-007, DM-CT-005).
    @Boxed package var lastClientPackage: SessionPackage? = nil
    /// `Accept` of the Package#1 (DM-CT-005).
    package var initiationAccept: String?
    /// The OMADM-DevID header of the Package#1 (DM-HDR-002).
    package var devIDHeader: String?
    /// The PkgSeq of the last package and of the last client package (DM-SEQ-002/003).
    package var lastPkgSeq: Int64?
    package var lastClientPkgSeq: Int64?
    /// The PkgSeq numbering model the session follows (DM-SEQ-003), locked at the first Package#2.
    package var pkgSeqModel: PkgSeqModel?
    /// MOS announced in the Package#1: MOID → MIIDs (DM-P3-009); nil when no MOS was sent.
    package var announcedMOs: [String: [String]]?
    /// Time of the last package (idle time-out).
    package var lastActivity = Timestamp.zero
    /// The package limit was reported.
    package var reportedPackageLimit = false
    /// Commands, results and MO items of the packages kept with their content (`contentWeight`).
    package var storedWeight = 0
    /// The stored-content limit was reported.
    package var reportedContentLimit = false
    /// The connection of the last exchange (device side, server side), to match TCP resets.
    package var lastClientEndpoint: Endpoint?
    package var lastServerEndpoint: Endpoint?
    /// HTTP requests of the device to other servers since the last Package#2 (DM-P3-008), at most
    /// `SessionLimits.maxSideRequestsPerRound`.
    package var sideRequests: [SideRequest] = []
    /// A TCP reset on that connection while the session waited for the device's next package:
    /// unless a client package follows, the session was aborted there.
    package var resetWhileWaiting: FrameNumber?
    /// A FIN on that connection (either side): the device's next package, if any, comes on another
    /// connection, so a Package#1 elsewhere replaces this session.
    package var connectionFinished: FrameNumber?
}

extension SessionState {
    /// True when the last exchange used the connection between `one` and `other` (either way round).
    package func usedLast(_ one: Endpoint, _ other: Endpoint) -> Bool {
        guard let client = lastClientEndpoint, let server = lastServerEndpoint else { return false }
        return (client == one && server == other) || (client == other && server == one)
    }
}

/// An HTTP exchange of the device outside the DM session (data repository, web server), kept to
/// check that HGET/HPUT/HPOST really happened (DM-P3-008) and shown beside the command it served.
public struct SideRequest: Sendable, Hashable {
    /// The HTTP method.
    public var method: String
    /// The absolute URI it went to.
    public var uri: RequestURI
    /// The response status, nil when no response was seen.
    public var status: Int?
    /// First frame of the request.
    public var frame: FrameNumber
    /// MO data it carried (`application/dmmo+json` and the other MO media types): the uploaded
    /// body of a PUT/POST, or the body of the answer to a GET.
    public var moData: MODataDecoding?
    /// True when `moData` is the request's body, false when it is the response's.
    public var moDataInRequest = false
}

/// A request's absolute URI, normalised for comparison (DM-TRN-005/006): scheme and host lower-cased,
/// default port made explicit, path and query as sent.
public struct RequestURI: Sendable, Hashable, CustomStringConvertible {
    public var scheme: String
    public var host: String
    public var port: Int
    /// Path and query, `/` when empty.
    public var pathAndQuery: String

    /// `http://host:port/path`.
    public var description: String {
        let defaultPort = scheme == "https" ? 443 : 80
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(hostPart)\(port == defaultPort ? "" : ":\(port)")\(pathAndQuery)"
    }

    /// Parses an absolute `http`/`https` URI; nil for anything else.
    ///
    /// Works on the UTF-8 bytes (the delimiters are ASCII), not on Characters: URIs are parsed for
    /// every package and command, and grapheme breaking made this a few percent of a whole run.
    public init?(absolute text: String) {
        // Most targets are origin-form (`/dm`): rejected before anything is allocated.
        guard let first = text.utf8.first, first | 0x20 == UInt8(ascii: "h") else { return nil }
        let scheme: String
        if text.hasASCIIPrefixIgnoringCase("http://") {
            scheme = "http"
        } else if text.hasASCIIPrefixIgnoringCase("https://") {
            scheme = "https"
        } else {
            return nil
        }
        let utf8 = text.utf8
        let restStart = utf8.index(utf8.startIndex, offsetBy: scheme.utf8.count + 3)
        let delimiters: (UInt8) -> Bool = { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
        let authorityEnd = utf8[restStart...].firstIndex(where: delimiters) ?? utf8.endIndex
        var authorityStart = restStart
        if let at = utf8[restStart..<authorityEnd].lastIndex(of: UInt8(ascii: "@")) {
            authorityStart = utf8.index(after: at)
        }
        let pathEnd = utf8[authorityEnd...].firstIndex(of: UInt8(ascii: "#")) ?? utf8.endIndex
        let path = text[authorityEnd..<pathEnd]
        guard
            let (host, port) = Self.split(
                authority: text[authorityStart..<authorityEnd], defaultPort: scheme == "https" ? 443 : 80),
            !host.isEmpty
        else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = port
        self.pathAndQuery = path.isEmpty ? "/" : (path.utf8.first == UInt8(ascii: "?") ? "/" + path : String(path))
    }

    /// The URI a request was sent to: an absolute-form target as is, else `http://` + Host (or the
    /// server's address and port) + the target.
    public init(target: String, host: String?, server: Endpoint) {
        if let absolute = RequestURI(absolute: target) {
            self = absolute
            return
        }
        scheme = "http"
        if let host, let (name, port) = Self.split(authority: Substring(host), defaultPort: 80), !name.isEmpty {
            self.host = name
            self.port = port
        } else {
            self.host = server.address.description.lowercased()
            self.port = Int(server.port.rawValue)
        }
        pathAndQuery = target.isEmpty ? "/" : target
    }

    /// `host[:port]` or `[v6][:port]` → (lower-cased host, port).
    private static func split(authority: Substring, defaultPort: Int) -> (String, Int)? {
        var host = authority
        var port = defaultPort
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            let after = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if after.hasPrefix(":") {
                guard let value = Int(after.dropFirst()), (0...65535).contains(value) else { return nil }
                port = value
            }
        } else if let colon = host.lastIndex(of: ":") {
            let digits = host[host.index(after: colon)...]
            if !digits.isEmpty {
                guard let value = Int(digits), (0...65535).contains(value) else { return nil }
                port = value
            }
            host = host[..<colon]
        }
        return (host.lowercased(), port)
    }
}

/// How CR PkgSeq numbers packages (reference DM-SEQ-003, UNSURE which the CR intended).
public enum PkgSeqModel: String, Sendable, Hashable, CaseIterable {
    /// Every package +1 across both directions: P1=1, P2=2, P3=3 … (the reference's default expectation).
    case count
    /// A Package#2 repeats the PkgSeq of the request it answers; client packages count up.
    case echo
}

/// Compact description of a closed session for summaries (keeps no packages).
public struct SessionSummary: Sendable, Hashable {
    public var index: Int
    public var dialect: SessionDialect
    public var devID: String?
    public var sessionID: String?
    public var client: Endpoint
    public var server: Endpoint
    public var connections: [Int]
    public var initiatedBy: SessionInitiator
    public var outcome: SessionOutcome
    public var packageCount: Int
    public var start: Timestamp
    public var end: Timestamp

    /// The summary of `session` (closed: its outcome is set; an open one counts as incomplete).
    public init(_ session: Session) {
        index = session.index
        dialect = session.dialect
        devID = session.devID
        sessionID = session.sessionID
        client = session.client
        server = session.server
        connections = session.connections
        initiatedBy = session.initiatedBy
        outcome = session.outcome ?? .incomplete
        packageCount = session.packageCount
        start = session.start
        end = session.end
    }
}
