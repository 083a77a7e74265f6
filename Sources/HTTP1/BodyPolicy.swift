/// Decides from a message's header fields whether its body is stored or only counted.
public struct BodyPolicy: Sendable {
    /// True when the body of a message with these fields should be stored.
    public var storesBody: @Sendable (HTTPHeaders) -> Bool

    /// A policy from a predicate.
    public init(storesBody: @escaping @Sendable (HTTPHeaders) -> Bool) {
        self.storesBody = storesBody
    }

    /// Bodies that can carry a DM package or DM data (dm-protocol.md §1.3, §0.3: Package#3 with GET
    /// data is multipart/form-data whose parts are JSON, text or `application/dmmo+json`): the media
    /// types below, compared case-insensitively without parameters, and any message that carries an
    /// `OMADM-DevID` header.
    public static let dmPackages = BodyPolicy { headers in
        if headers.contains("OMADM-DevID") { return true }
        guard let type = headers.mediaType else { return false }
        return type.hasPrefix("application/vnd.oma.dm.") || type.hasPrefix("application/vnd.syncml.")
            || dmMediaTypes.contains(type)
    }

    /// Store every body.
    public static let all = BodyPolicy { _ in true }
    /// Store no body.
    public static let none = BodyPolicy { _ in false }

    /// Exact media types kept by `dmPackages`.
    public static let dmMediaTypes: Set<String> = [
        "application/dmmo+json", "multipart/form-data", "application/json", "text/plain",
    ]
}

/// What an `HTTPConnectionParser` needs besides its connection: limits and the body policy.
public struct HTTPConfiguration: Sendable {
    /// Size and count caps.
    public var limits: HTTPLimits
    /// Which bodies to store.
    public var bodyPolicy: BodyPolicy

    /// A configuration; defaults keep DM bodies under the default limits.
    public init(limits: HTTPLimits = .default, bodyPolicy: BodyPolicy = .dmPackages) {
        self.limits = limits
        self.bodyPolicy = bodyPolicy
    }
}

/// One `HTTPConfiguration` referred to by every parser of a factory: a parser holds a reference,
/// not an 88-byte copy (issue 8: memory per open flow).
final class SharedConfiguration: Sendable {
    let value: HTTPConfiguration
    init(_ value: HTTPConfiguration) { self.value = value }
}
