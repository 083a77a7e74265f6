/// A set of commands a status code may answer.
public enum CommandSet: Hashable, Sendable {
    case all
    case only([CommandName])
    case allExcept([CommandName])

    public func contains(_ command: CommandName) -> Bool {
        switch self {
        case .all: true
        case .only(let names): names.contains(command)
        case .allExcept(let names): !names.contains(command)
        }
    }
}

/// One entry of the DM 2.0 status-code table.
public struct StatusCodeInfo: Hashable, Sendable {
    public var code: Int
    public var name: String
    /// Commands the code may answer.
    public var appliesTo: CommandSet
    /// The code is valid only when the command's ClientURI carried `cv=` (304).
    public var requiresCacheValidator: Bool
    /// Where the entry comes from.
    public var origin: Origin

    public enum Origin: String, Hashable, Sendable {
        /// OMA-TS-DM_Protocol-V2_0-20160209-A Appendix C (reference §0.3): the only valid codes.
        case approved
        /// The 1000–1999 application-specific range of Appendix C.
        case applicationSpecific
        /// DM 1.x / SyncML RepPro codes (reference §5.1 UNSURE list): names only, never valid in DM 2.0.
        case legacyDM1x
    }
}

/// How a status code fits the command it answers (rule DM-P3-002).
public enum StatusValidity: Hashable, Sendable {
    case valid
    /// Not in the approved table nor 1000–1999.
    case unknownCode
    /// A known code that does not apply to this command.
    case notApplicable(CommandSet)
    /// 304 on a GET/HPUT/HPOST whose ClientURI has no `cv=` field.
    case needsCacheValidator
}

/// The DM 2.0 status codes with their names and the commands they apply to, as data.
public enum StatusCodeTable {
    /// Appendix C of the approved specification (reference §0.3).
    public static let approved: [StatusCodeInfo] = [
        entry(200, "OK", .all),
        entry(202, "Accepted", .only([.exec])),
        entry(204, "No Content", .only([.get])),
        entry(304, "Not Modified", .only([.get, .hput, .hpost]), requiresCacheValidator: true),
        entry(400, "Bad Request", .all),
        entry(403, "Forbidden", .allExcept([.show, .cont, .end])),
        entry(404, "Not Found", .allExcept([.show, .cont, .end])),
        entry(405, "Command Not Allowed", .only([.exec, .delete])),
        entry(406, "Not Acceptable", .only([.hput, .hpost])),
        entry(415, "Unsupported Media Type", .only([.hget])),
        entry(419, "ServerURI Error", .only([.hget, .hput, .hpost])),
        entry(500, "Internal Error", .all),
        entry(501, "Not Implemented", .all),
        entry(503, "Service Unavailable", .all),
        entry(506, "Device Full", .only([.hget])),
        entry(507, "User Rejected", .all),
    ]

    /// DM 1.x (SyncML RepPro 1.2.2) names for codes DM 2.0 does not define (reference §5.1):
    /// the alternative reading the reference considered, kept so a renderer can still name them.
    public static let legacyDM1x: [StatusCodeInfo] = [
        (212, "Authentication Accepted"), (213, "Chunked Item Accepted"), (215, "Not Executed"),
        (216, "Atomic Roll Back OK"), (401, "Unauthorized"), (407, "Credentials Missing"), (409, "Conflict"),
        (410, "Gone"), (412, "Incomplete Command"), (413, "Request Entity Too Large"), (414, "URI Too Long"),
        (416, "Requested Size Too Big"), (418, "Already Exists"), (420, "Device Full (DM 1.x)"),
        (424, "Size Mismatch"), (425, "Permission Denied"), (516, "Atomic Roll Back Failed"),
    ].map { StatusCodeInfo(code: $0.0, name: $0.1, appliesTo: .all, requiresCacheValidator: false, origin: .legacyDM1x) }

    private static func entry(
        _ code: Int, _ name: String, _ appliesTo: CommandSet, requiresCacheValidator: Bool = false
    ) -> StatusCodeInfo {
        StatusCodeInfo(
            code: code, name: name, appliesTo: appliesTo, requiresCacheValidator: requiresCacheValidator,
            origin: .approved)
    }

    /// The DM 2.0 entry for `code`: Appendix C, or the application-specific range 1000–1999.
    public static func info(for code: Int64) -> StatusCodeInfo? {
        if let known = approved.first(where: { Int64($0.code) == code }) { return known }
        guard (1000...1999).contains(code) else { return nil }
        let name: String
        switch code {
        case 1200...1299: name = "Application-Specific Success"
        case 1300...1399: name = "Application-Specific Redirection"
        case 1400...1499: name = "Application-Specific Originator Error"
        case 1500...1599: name = "Application-Specific Recipient Error"
        default: name = "Application-Specific"
        }
        return StatusCodeInfo(
            code: Int(code), name: name, appliesTo: .all, requiresCacheValidator: false, origin: .applicationSpecific)
    }

    /// A name for `code`: the DM 2.0 name, else the DM 1.x name (check `origin`), else `nil`.
    public static func describe(_ code: Int64) -> StatusCodeInfo? {
        info(for: code) ?? legacyDM1x.first(where: { Int64($0.code) == code })
    }

    /// Whether `code` is a valid answer to `command` (rule DM-P3-002, DM-P3-006). For an unknown
    /// command only the code itself is checked.
    public static func validity(of code: Int64, for command: CommandName, hasCacheValidator: Bool) -> StatusValidity {
        guard let info = info(for: code) else { return .unknownCode }
        guard command.isKnown else { return .valid }
        guard info.appliesTo.contains(command) else { return .notApplicable(info.appliesTo) }
        if info.requiresCacheValidator, !hasCacheValidator { return .needsCacheValidator }
        return .valid
    }
}
