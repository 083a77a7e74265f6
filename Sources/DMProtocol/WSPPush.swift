/// A WSP connectionless Push PDU (WAP-230 §8.2.4.1), the carrier of Package#0 on UDP 2948 (reference §2.4).
///
/// ```
///  | TID | type 0x06 | HeadersLen (uintvar) | Content-Type | headers … | body (the notification) |
///                                           |<------- HeadersLen ------->|
/// ```
public struct WSPPush: Hashable, Sendable {
    /// Transaction id (connectionless WSP only).
    public var transactionID: UInt8
    /// PDU type: 0x06 Push or 0x07 ConfirmedPush.
    public var pduType: UInt8
    /// Length of content type plus headers, as announced.
    public var headersLength: Int
    /// Offset of the content type (the first byte counted by `headersLength`).
    public var headersOffset: Int
    public var contentType: WSPContentType
    /// `X-Wap-Application-Id` when present.
    public var applicationID: WSPApplicationID?
    /// The headers after the content type, in order (the application id included).
    public var headers: [WSPHeader]
    /// Where the body (the notification) sits in the PDU.
    public var bodyRange: Range<Int>

    /// WSP PDU type Push (WAP-230 Table 34).
    public static let pushPDUType: UInt8 = 0x06
    /// WSP PDU type ConfirmedPush (connection-mode only).
    public static let confirmedPushPDUType: UInt8 = 0x07
    /// Well-known header field X-Wap-Application-Id (0x2F; S-AOSP, S-B2G).
    public static let applicationIDField: UInt8 = 0x2F
    /// Application id `x-wap-application:syncml.dm` (S-OMNA-APPID).
    public static let syncMLDMApplicationID: UInt32 = 0x07
    /// DM 1.2 §6.3.1: WDP and WSP headers together stay within 48 bytes.
    public static let maximumHeaderBytes = 48
}

/// A WSP content type: a well-known code (WAP-230 Appendix A, OMNA) or a textual media type.
public enum WSPContentType: Hashable, Sendable, CustomStringConvertible {
    /// Well-known code without the 0x80 short-integer bit, e.g. 0x44.
    case wellKnown(UInt32)
    /// Extension media type, e.g. `application/vnd.syncml.dm.notification`.
    case text(String)

    /// `application/vnd.syncml.notification`: the DM 1.2 notification (reference §2.1).
    public static let dm12NotificationCode: UInt32 = 0x44
    /// `application/vnd.syncml.dm.notification`: the DM 1.3 and DM 2.0 notification (S-TS20-A Appendix E).
    public static let dmNotificationCode: UInt32 = 0x58

    /// Names of the well-known codes the DM tools meet (S-B2G, S-OMNA-CT).
    static let knownNames: [UInt32: String] = [
        0x03: "text/plain", 0x2E: "application/vnd.wap.sic", 0x30: "application/vnd.wap.slc",
        0x36: "application/vnd.wap.connectivity-wbxml", 0x3E: "application/vnd.wap.mms-message",
        0x42: "application/vnd.syncml.dm+wbxml", 0x43: "application/vnd.syncml.dm+xml",
        0x44: "application/vnd.syncml.notification", 0x4E: "application/vnd.syncml.ds.notification",
        0x58: "application/vnd.syncml.dm.notification",
    ]

    /// The media type name, when known.
    public var mediaType: String? {
        switch self {
        case .wellKnown(let code): WSPContentType.knownNames[code]
        case .text(let text): text.lowercased()
        }
    }

    /// The notification format this content type announces, or `nil` when it is not a DM notification.
    public var notificationFormat: NotificationDecodingOptions.FormatHint? {
        switch mediaType {
        case "application/vnd.syncml.notification": .dm12
        case "application/vnd.syncml.dm.notification": .options
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .wellKnown(let code):
            "0x" + String(code, radix: 16) + (WSPContentType.knownNames[code].map { " (\($0))" } ?? "")
        case .text(let text): text
        }
    }
}

/// `X-Wap-Application-Id` value: an assigned code (0x07 = DM) or a URI.
public enum WSPApplicationID: Hashable, Sendable {
    case code(UInt32)
    case uri(String)

    /// True for `x-wap-application:syncml.dm` in either form.
    public var isSyncMLDM: Bool {
        switch self {
        case .code(let code): code == WSPPush.syncMLDMApplicationID
        case .uri(let uri): uri.lowercased() == "x-wap-application:syncml.dm"
        }
    }
}

/// One WSP header after the content type.
public struct WSPHeader: Hashable, Sendable {
    /// A well-known field code (without 0x80) or an application header name.
    public var field: Field
    /// Offset of the header's first byte in the PDU.
    public var offset: Int
    /// The encoded value bytes (not interpreted, except for the application id).
    public var value: [UInt8]
    /// The header code page in force (1 unless shifted).
    public var codePage: UInt8

    public enum Field: Hashable, Sendable {
        case wellKnown(UInt8)
        case text(String)
    }
}
