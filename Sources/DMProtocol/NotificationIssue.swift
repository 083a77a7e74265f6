/// One problem found in a notification: a stable check name rules can match on, and the decode error.
public struct NotificationIssue: Hashable, Sendable, CustomStringConvertible {
    public var check: NotificationCheck
    public var error: DecodeError

    public init(_ check: NotificationCheck, _ error: DecodeError) {
        self.check = check
        self.error = error
    }

    public var description: String { "\(check.rawValue): \(error)" }
}

/// The checks the notification and WSP decoders run; raw values are stable names.
///
/// The rule ids (DM-N0-…) are those of reference §6.4 that a check implements.
public enum NotificationCheck: String, Hashable, Sendable, CaseIterable {
    /// The message ends before a fixed field or an announced value (DM-N0-001).
    case truncated
    /// DM 1.2 `length-identifier` is 0 (DM-N0-002).
    case emptyServerID
    /// DM 1.2 `version` is not 11 (DM-N0-003; 12 is a notice, 10 and 13 warnings, others errors);
    /// DM 1.3/2.0 `VER` is not the format's value (DM-N0-010).
    case versionValue
    /// DM 1.2 `future-use` bits are not zero (DM-N0-004).
    case futureUseBits
    /// DM 2.0 `RESERVED` bits are not zero (DM-N0-019).
    case reservedBits
    /// An option's length runs past the end of the message.
    case optionPastEnd
    /// The number of options decoded differs from `OC`, or bytes follow the last option (DM-N0-011).
    case optionCount
    /// Options are not in increasing number order (DM-N0-012; possible with absolute numbering).
    case optionOrder
    /// An option occurs twice where it may occur once (approved format: every option, S-TS20-A §7.1.1).
    case duplicateOption
    /// An option number the format does not define (kept, shown by number).
    case unknownOption
    /// The server id option is missing (DM-N0-013; the approved text allows omitting it: warning).
    case missingServerID
    /// A String value is not valid UTF-8 (DM-N0-013).
    case invalidString
    /// `NOTIFICATION-ID` is not exactly 2 bytes (DM-N0-014).
    case notificationIDLength
    /// `SHA256-DIGEST` is not 32 bytes (DM-N0-015).
    case digestLength
    /// `TIMESTAMP` is neither 4 nor 8 bytes wide.
    case timestampWidth
    /// `REQ-MOS` carries a value (DM-N0-016).
    case reqMOSLength
    /// `PREFERRED-CON-TYPE` is empty, has a value outside 0–3, or ANY_AVAILABLE not last (DM-N0-017).
    case connectionTypeValue
    /// `Requested-MO-CV` is not 3–256 bytes (DM-N0-018).
    case requestedMOCVLength
    /// A DM 1.3 Uint/String option has a length outside its table range.
    case optionLength
    /// The options do not fit the standard framing but would fit the other one (a hint).
    case otherFramingFits
    /// WSP: malformed push PDU (bad uintvar, headers past the end, not a push PDU).
    case wspMalformed
    /// WSP: carriage deviates from DM 1.2 §6.3.1 (textual content type or app id, headers > 48 bytes) (DM-N0-020).
    case wspCarriage
}

extension NotificationIssue {
    /// An error-level issue.
    static func error(
        _ check: NotificationCheck, _ kind: DecodeError.Kind, _ message: String, at offset: Int?
    ) -> NotificationIssue {
        NotificationIssue(check, DecodeError(kind, message, offset: offset, severity: .error))
    }

    /// A warning-level issue.
    static func warning(
        _ check: NotificationCheck, _ kind: DecodeError.Kind, _ message: String, at offset: Int?
    ) -> NotificationIssue {
        NotificationIssue(check, DecodeError(kind, message, offset: offset, severity: .warning))
    }

    /// A copy whose offset is shifted by `delta` (to make a body offset a datagram offset).
    func shifted(by delta: Int) -> NotificationIssue {
        var copy = self
        if let offset = copy.error.offset { copy.error.offset = offset + delta }
        return copy
    }
}
