/// An HTTP version from a start line, `HTTP/<major>.<minor>`.
public struct HTTPVersion: Hashable, Sendable, CustomStringConvertible {
    /// Major digit.
    public var major: Int
    /// Minor digit.
    public var minor: Int

    /// A version.
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// HTTP/1.1.
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)
    /// HTTP/1.0.
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)

    /// `HTTP/1.1`.
    public var description: String { "HTTP/\(major).\(minor)" }
}

/// The head of a request: request line and header fields.
public struct HTTPRequestHead: Hashable, Sendable {
    /// The method token, case kept (methods are case-sensitive, RFC 9110 §9.1).
    public var method: String
    /// The request target as sent (origin form `/dm?x`, absolute form, authority form or `*`).
    public var target: String
    /// The version.
    public var version: HTTPVersion
    /// The header fields.
    public var headers: HTTPHeaders

    /// A request head.
    public init(method: String, target: String, version: HTTPVersion, headers: HTTPHeaders) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }
}

/// The head of a response: status line and header fields.
public struct HTTPResponseHead: Hashable, Sendable {
    /// The version.
    public var version: HTTPVersion
    /// The three-digit status code.
    public var status: Int
    /// The reason phrase (may be empty).
    public var reason: String
    /// The header fields.
    public var headers: HTTPHeaders

    /// A response head.
    public init(version: HTTPVersion, status: Int, reason: String, headers: HTTPHeaders) {
        self.version = version
        self.status = status
        self.reason = reason
        self.headers = headers
    }

    /// 1xx other than 101: an interim response (e.g. `100 Continue`) before the final one.
    public var isInterim: Bool { status >= 100 && status < 200 && status != 101 }
}
