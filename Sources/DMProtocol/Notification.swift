/// A decoded DM Package#0 (notification), in any of the formats a capture may carry (reference §2).
///
/// The decoder never traps and always returns a value: what it could decode plus `issues`. `bytes` is
/// an owned copy of the notification (without any WSP wrapper), so the value outlives the frame.
public struct Notification: Hashable, Sendable {
    /// Which notification format the bytes were decoded as.
    public var format: NotificationFormat
    /// DM 1.2: the 10-bit `version` field (11 means "1.1"); DM 1.3/2.0/CR: the 4-bit `VER` field.
    public var version: Int
    /// DM 1.2 trigger fields; `nil` for the other formats or when fewer than 24 bytes arrived.
    public var trigger: NotificationTrigger?
    /// DM 1.3/2.0/CR header (`VER`, `OC`, `RESERVED`); `nil` for DM 1.2.
    public var header: NotificationOptionsHeader?
    /// How the options were framed and why that framing was chosen; `nil` for DM 1.2.
    public var framing: NotificationFramingDecision?
    /// Whether option numbers were read as deltas (standard) or absolute numbers; `nil` for DM 1.2.
    public var numbering: NotificationOptionNumbering?
    /// Options in wire order, unknown numbers included.
    public var options: [NotificationOption]
    /// The DM server identifier (DM 1.2 `server-identifier`, DM 2.0 `SERVER-ID`), when present.
    public var serverID: String?
    /// DM 1.2 `sessionid`: the SyncML SessionID of the session that follows.
    public var sessionID: UInt16?
    /// DM 2.0 `NOTIFICATION-ID` (when exactly 2 bytes): echoed by the client in its Package#1 alert.
    public var notificationID: UInt16?
    /// The digest carried by the message: 16-byte MD5 (DM 1.2) or the `SHA256-DIGEST` value (DM 2.0).
    public var digest: [UInt8]?
    /// Where `digest` sits in `bytes`, for digest verification.
    public var digestRange: Range<Int>?
    /// The notification bytes as received (owned copy).
    public var bytes: [UInt8]
    /// Every problem found, with its stable check name; offsets index `bytes`.
    public var issues: [NotificationIssue]

    /// The problems as plain decode errors (warnings included).
    public var errors: [DecodeError] { issues.map(\.error) }

    /// True when an error-level problem was found.
    public var hasErrors: Bool { issues.contains { $0.error.isError } }

    /// The first option with this number.
    public func option(_ number: Int) -> NotificationOption? { options.first { $0.number == number } }

    /// Every option with this number, in wire order.
    public func options(numbered number: Int) -> [NotificationOption] { options.filter { $0.number == number } }

    /// The first option with this name (case-insensitive), e.g. `SERVER-ID` or `Requested-MO-CV`.
    public func option(named name: String) -> NotificationOption? {
        let wanted = name.lowercased()
        return options.first { $0.name?.lowercased() == wanted }
    }

    /// True when the message carries `REQ-MOS` (DM 2.0: the client must list its MOs in Package#1).
    public var requestsMOs: Bool {
        format == .dm20 && option(NotificationOptionName.reqMOS.number) != nil  // CR/DM 1.3: 6 is Vendor-Info
    }
}

/// The notification formats of reference §2.
public enum NotificationFormat: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// DM 1.2 (and 1.1.2) binary trigger: MD5 digest + trigger header + server id (§2.1); WSP 0x44.
    case dm12
    /// DM 1.3 notification (`VER` 1), decoded best-effort: its layout is not published (§2.2).
    case dm13
    /// DM 2.0 approved format (`VER` 2, options 1–6 per S-TS20-A §7.1.1, §0.3); WSP 0x58.
    case dm20
    /// The seed CR's draft (`VER` 2 with DM 1.3-based options incl. Requested-MO and Requested-MO-CV).
    case crDraft

    public var description: String {
        switch self {
        case .dm12: "DM 1.2"
        case .dm13: "DM 1.3 (best-effort)"
        case .dm20: "DM 2.0"
        case .crDraft: "DM 2.0 CR draft"
        }
    }

    /// True for the VER/OC/options formats.
    public var hasOptions: Bool { self != .dm12 }
}

/// The DM 1.2 trigger header (reference §2.1): everything between the digest and the vendor part.
public struct NotificationTrigger: Hashable, Sendable {
    /// The 16-byte MD5 digest at the start of the message.
    public var digest: [UInt8]
    /// `version` (10 bits): notification version × 10; DM 1.2.1 requires 11.
    public var version: Int
    public var uiMode: NotificationUIMode
    public var initiator: NotificationInitiator
    /// The 27 `future-use` bits (should be zero).
    public var futureUse: UInt32
    /// `sessionid`: the session id of the DM session to start.
    public var sessionID: UInt16
    /// `length-identifier`: length of the server identifier in bytes.
    public var serverIDLength: Int
    /// The server identifier's raw bytes (may be shorter than `serverIDLength` when truncated).
    public var serverIDBytes: [UInt8]
    /// Optional opaque vendor part after the server identifier.
    public var vendorSpecific: [UInt8]

    /// `version` as "major.minor" text (11 → "1.1").
    public var versionText: String { "\(version / 10).\(version % 10)" }
}

/// DM 1.2 `ui-mode` (reference §2.1).
public enum NotificationUIMode: Int, Hashable, Sendable, CaseIterable {
    case notSpecified = 0
    case background = 1
    case informative = 2
    case userInteraction = 3
}

/// DM 1.2 `initiator` bit.
public enum NotificationInitiator: Int, Hashable, Sendable {
    case client = 0
    case server = 1
}

/// The 16-bit header of the DM 1.3/2.0/CR formats: `VER` 4 bits, `OC` 5 bits, `RESERVED` 7 bits.
public struct NotificationOptionsHeader: Hashable, Sendable {
    public var version: Int
    /// `OC`: the number of options announced.
    public var optionCount: Int
    public var reserved: Int

    public init(version: Int, optionCount: Int, reserved: Int) {
        self.version = version
        self.optionCount = optionCount
        self.reserved = reserved
    }

    /// Decodes the two header bytes.
    init(_ first: UInt8, _ second: UInt8) {
        version = Int(first >> 4)
        optionCount = Int(first & 0x0F) << 1 | Int(second >> 7)
        reserved = Int(second & 0x7F)
    }
}

/// The option framings of reference §2.3.3.
public enum NotificationOptionFraming: String, Hashable, Sendable, CaseIterable {
    /// 2-byte option header: 4-bit delta + 12-bit length (the approved standard, S-TS20-A §7.1.1.2).
    case l12
    /// 1-byte option header: 4-bit delta + 4-bit length, 15 = one extension byte follows (15 + byte).
    case l4x
}

/// How option numbers are coded in the option header's high nibble.
public enum NotificationOptionNumbering: String, Hashable, Sendable, CaseIterable {
    /// Difference to the previous option's number (the standard, first relative to 0).
    case delta
    /// The option number itself (a reading of the DM 1.3/CR drafts, reference §2.3.4).
    case absolute
}

/// The framing used for a notification's options and why it was chosen.
public struct NotificationFramingDecision: Hashable, Sendable {
    public var framing: NotificationOptionFraming
    public var reason: Reason

    public enum Reason: String, Hashable, Sendable {
        /// DM 2.0 (`VER` 2) always uses L12 (S-TS20-A §7.1.1.2).
        case standard
        /// The caller forced this framing.
        case forced
        /// Only this candidate decodes exactly `OC` options ending at the end of the message.
        case onlyCandidateThatFits
        /// Both candidates fit; L12 is preferred (reference §2.3.3).
        case bothFitPreferL12
        /// Neither candidate fits; L12 is used and the errors reported.
        case neitherFits
    }
}

/// One option of a DM 1.3/2.0/CR notification.
public struct NotificationOption: Hashable, Sendable {
    /// The option number (after delta decoding).
    public var number: Int
    /// The option's name in the message's format, or `nil` for a number that format does not define.
    public var name: String?
    /// The raw value bytes.
    public var value: [UInt8]
    /// Offset of the option header in the notification bytes.
    public var offset: Int
    /// Offset of the value in the notification bytes.
    public var valueOffset: Int
    /// The value read according to the option's format.
    public var interpreted: NotificationOptionValue
}

/// An option value, read according to its option's format (reference §2.2, §2.3).
public enum NotificationOptionValue: Hashable, Sendable {
    /// A String option in valid UTF-8.
    case string(String)
    /// A Uint option (network order; width = option length, at most 8 bytes).
    case unsignedInteger(UInt64)
    /// `PREFERRED-CON-TYPE`: connection types in priority order.
    case connectionTypes([NotificationConnectionType])
    /// `TIMESTAMP` of 4 or 8 bytes: seconds since 1970-01-01 UTC.
    case timestamp(secondsSince1970: UInt64)
    /// `SHA256-DIGEST` bytes.
    case digest([UInt8])
    /// A Null option (`REQ-MOS`) with no value.
    case empty
    /// `Requested-MO-CV`: 2-byte MO index and the change validator.
    case requestedMOCV(moIndex: UInt16, validator: [UInt8])
    /// Anything else (unknown option, wrong width, invalid UTF-8): the raw bytes.
    case opaque([UInt8])
}

/// `PREFERRED-CON-TYPE` values (S-TS20-A §7.1.1; reference §2.3.2).
public enum NotificationConnectionType: Hashable, Sendable, CustomStringConvertible {
    case anyAvailable
    case cellular
    case wlan
    case wireline
    case unknown(UInt8)

    public init(_ code: UInt8) {
        switch code {
        case 0: self = .anyAvailable
        case 1: self = .cellular
        case 2: self = .wlan
        case 3: self = .wireline
        default: self = .unknown(code)
        }
    }

    public var code: UInt8 {
        switch self {
        case .anyAvailable: 0
        case .cellular: 1
        case .wlan: 2
        case .wireline: 3
        case .unknown(let code): code
        }
    }

    public var description: String {
        switch self {
        case .anyAvailable: "ANY_AVAILABLE"
        case .cellular: "CELLULAR"
        case .wlan: "WLAN"
        case .wireline: "WIRELINE"
        case .unknown(let code): "unknown(\(code))"
        }
    }
}

/// Option numbers and names of the options formats.
public enum NotificationOptionName: Int, Hashable, Sendable, CaseIterable {
    // The approved DM 2.0 numbering (S-TS20-A §7.1.1).
    case serverID = 1
    case preferredConnectionType = 2
    case notificationID = 3
    case sha256Digest = 4
    case timestamp = 5
    case reqMOS = 6
    /// The CR's option 7, decoded in every dialect (reference §2.3.2).
    case requestedMOCV = 7

    public var number: Int { rawValue }

    /// The name of option `number` in `format`, or `nil` when that format does not define it.
    ///
    /// Option 3 is the clash of reference §2.3.2: NOTIFICATION-ID in the approved format, Requested-MO
    /// in the DM 1.3 table the CR builds on.
    public static func name(of number: Int, in format: NotificationFormat) -> String? {
        guard (1...7).contains(number) else { return nil }
        switch format {
        case .dm12:
            return nil
        case .dm20:
            return approvedNames[number - 1]
        case .dm13, .crDraft:
            return dm13Names[number - 1]
        }
    }

    /// Options 1–7 of the approved format (7 is the CR's Requested-MO-CV, decoded in every dialect).
    private static let approvedNames = [
        "SERVER-ID", "PREFERRED-CON-TYPE", "NOTIFICATION-ID", "SHA256-DIGEST", "TIMESTAMP", "REQ-MOS", "Requested-MO-CV",
    ]
    /// Options 1–7 of the DM 1.3 table the CR builds on, plus the CR's option 7.
    private static let dm13Names = [
        "Server-ID", "Targeted-MO", "Requested-MO", "Preferred-Bearer", "Connect-Reason", "Vendor-Info",
        "Requested-MO-CV",
    ]
}
