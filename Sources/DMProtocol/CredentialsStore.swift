/// What the user knows about one DM server: enough to verify its notifications' digests.
public struct ServerCredentials: Hashable, Sendable {
    /// The server identifier as the notification carries it (DM 1.2 `server-identifier`, DM 2.0 `SERVER-ID`).
    public var serverID: String
    /// DM 1.2: the server password; DM 2.0: `…/Credentials/Noti/AuthSecret` (S-TS20-A §5.2.1.2).
    public var secret: [UInt8]
    /// DM 1.2 server nonces, tried in order before the resynchronisation nonces.
    public var nonces: [[UInt8]]
    /// DM 2.0 `…/Credentials/Noti/AuthData` (empty when not given).
    public var authData: [UInt8]
    /// 1-based line of the credentials file that defined it, when it came from a file.
    public var line: Int?

    public init(serverID: String, secret: [UInt8], nonces: [[UInt8]] = [], authData: [UInt8] = [], line: Int? = nil) {
        self.serverID = serverID
        self.secret = secret
        self.nonces = nonces
        self.authData = authData
        self.line = line
    }
}

/// The credentials of every server the user configured, looked up by server id.
public struct CredentialStore: Hashable, Sendable {
    /// In file order; server ids are unique.
    public private(set) var servers: [ServerCredentials]

    public init(_ servers: [ServerCredentials] = []) {
        self.servers = []
        for server in servers { _ = add(server) }
    }

    /// Adds `server`; false (store unchanged) when its server id is already present.
    @discardableResult
    public mutating func add(_ server: ServerCredentials) -> Bool {
        guard credentials(for: server.serverID) == nil else { return false }
        servers.append(server)
        return true
    }

    /// The credentials for `serverID` (exact, case-sensitive match, as DMAcc `ServerID` is compared).
    public func credentials(for serverID: String) -> ServerCredentials? {
        servers.first { $0.serverID == serverID }
    }

    public var isEmpty: Bool { servers.isEmpty }
}
