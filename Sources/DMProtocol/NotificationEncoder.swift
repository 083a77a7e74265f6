/// The logical content of an approved-format DM 2.0 notification (S-TS20-A §7.1.1), for encoding.
public struct DM20NotificationContent: Hashable, Sendable {
    /// Option 1 SERVER-ID.
    public var serverID: String?
    /// Option 2 PREFERRED-CON-TYPE, in priority order; empty = option absent.
    public var preferredConnectionTypes: [NotificationConnectionType]
    /// Option 3 NOTIFICATION-ID.
    public var notificationID: UInt16?
    /// Option 4 SHA256-DIGEST: `nil` = absent; when present, the bytes written (32 zero bytes to be signed).
    public var digest: [UInt8]?
    /// Option 5 TIMESTAMP (POSIX seconds) and its width in bytes (4 or 8).
    public var timestamp: UInt64?
    public var timestampWidth: Int
    /// Option 6 REQ-MOS.
    public var requestsMOs: Bool

    public init(
        serverID: String? = nil, preferredConnectionTypes: [NotificationConnectionType] = [],
        notificationID: UInt16? = nil, digest: [UInt8]? = nil, timestamp: UInt64? = nil, timestampWidth: Int = 4,
        requestsMOs: Bool = false
    ) {
        self.serverID = serverID
        self.preferredConnectionTypes = preferredConnectionTypes
        self.notificationID = notificationID
        self.digest = digest
        self.timestamp = timestamp
        self.timestampWidth = timestampWidth
        self.requestsMOs = requestsMOs
    }

    /// The content of a decoded DM 2.0 notification (`nil` for other formats).
    public init?(_ notification: Notification) {
        guard notification.format == .dm20 else { return nil }
        self.init()
        for option in notification.options {
            switch (option.number, option.interpreted) {
            case (1, .string(let text)): serverID = text
            case (2, .connectionTypes(let types)): preferredConnectionTypes = types
            case (3, .unsignedInteger(let value)): notificationID = UInt16(truncatingIfNeeded: value)
            case (4, .digest(let bytes)): digest = bytes
            case (5, .timestamp(let seconds)):
                timestamp = seconds
                timestampWidth = option.value.count
            case (6, .empty): requestsMOs = true
            default: break
            }
        }
    }

    /// The (number, value) pairs in option order.
    public var options: [(number: Int, value: [UInt8])] {
        var options: [(number: Int, value: [UInt8])] = []
        if let serverID { options.append((1, Array(serverID.utf8))) }
        if !preferredConnectionTypes.isEmpty { options.append((2, preferredConnectionTypes.map(\.code))) }
        if let notificationID { options.append((3, [UInt8(notificationID >> 8), UInt8(notificationID & 0xFF)])) }
        if let digest { options.append((4, digest)) }
        if let timestamp {
            let width = timestampWidth == 8 ? 8 : 4
            options.append((5, (0..<width).reversed().map { UInt8(truncatingIfNeeded: timestamp >> (8 * UInt64($0))) }))
        }
        if requestsMOs { options.append((6, [])) }
        return options
    }
}

/// Why a notification could not be encoded.
public enum NotificationEncodingError: Error, Hashable, Sendable {
    /// An option value is longer than the framing can express (L12: 4095, L4X: 270).
    case valueTooLong(number: Int, length: Int, limit: Int)
    /// Option numbers go down, or differ by more than a 4-bit delta (15) can say.
    case unencodableNumber(number: Int, previous: Int)
    /// More options than the 5-bit `OC` can count (31).
    case tooManyOptions(Int)
    /// `VER` or `RESERVED` outside its bit width.
    case headerFieldOutOfRange
    /// DM 1.2: a server id longer than 255 bytes, or a field outside its bit width.
    case dm12FieldOutOfRange
}

/// Encodes notifications and WSP pushes: the inverse of the decoders, for tests and synthetic captures.
public enum NotificationEncoder {
    /// Encodes an options-format message: 16-bit header then options with delta (or absolute) numbers.
    public static func encodeOptions(
        version: Int = 2, options: [(number: Int, value: [UInt8])], framing: NotificationOptionFraming = .l12,
        numbering: NotificationOptionNumbering = .delta, reserved: Int = 0
    ) throws(NotificationEncodingError) -> [UInt8] {
        guard (0...15).contains(version), (0...0x7F).contains(reserved) else { throw .headerFieldOutOfRange }
        guard options.count <= 31 else { throw .tooManyOptions(options.count) }
        var bytes: [UInt8] = [UInt8(version << 4 | options.count >> 1), UInt8((options.count & 1) << 7 | reserved)]
        var previous = 0
        for option in options {
            let nibble = numbering == .delta ? option.number - previous : option.number
            guard option.number >= previous, (0...15).contains(nibble) else {
                throw .unencodableNumber(number: option.number, previous: previous)
            }
            let length = option.value.count
            switch framing {
            case .l12:
                guard length <= 0xFFF else { throw .valueTooLong(number: option.number, length: length, limit: 0xFFF) }
                bytes += [UInt8(nibble << 4 | length >> 8), UInt8(length & 0xFF)]
            case .l4x:
                guard length <= 15 + 255 else {
                    throw .valueTooLong(number: option.number, length: length, limit: 270)
                }
                bytes += length < 15 ? [UInt8(nibble << 4 | length)] : [UInt8(nibble << 4 | 0x0F), UInt8(length - 15)]
            }
            bytes += option.value
            previous = option.number
        }
        return bytes
    }

    /// Encodes approved-format DM 2.0 content; with `secret`, a SHA256-DIGEST option is added if missing
    /// and signed per S-TS20-A §5.2.1.2.
    public static func encode(
        _ content: DM20NotificationContent, framing: NotificationOptionFraming = .l12, secret: [UInt8]? = nil,
        authData: [UInt8] = []
    ) throws(NotificationEncodingError) -> [UInt8] {
        var content = content
        if secret != nil { content.digest = [UInt8](repeating: 0, count: 32) }
        let bytes = try encodeOptions(version: 2, options: content.options, framing: framing)
        guard let secret else { return bytes }
        let decoded = NotificationDecoder.decode(
            bytes, options: NotificationDecodingOptions(format: .options, framing: framing, dialect: .approved))
        guard let range = decoded.digestRange else { return bytes }
        return DigestVerifier.signDM20(bytes, digestRange: range, secret: secret, authData: authData)
    }

    /// Encodes a DM 1.2 trigger message (reference §2.1); the digest is computed from `password` and
    /// `nonce`, or left as 16 zero bytes when `password` is `nil`.
    public static func encodeDM12(
        serverID: String, sessionID: UInt16, version: Int = 11, uiMode: NotificationUIMode = .informative,
        initiator: NotificationInitiator = .server, futureUse: UInt32 = 0, vendorSpecific: [UInt8] = [],
        password: [UInt8]? = nil, nonce: [UInt8] = []
    ) throws(NotificationEncodingError) -> [UInt8] {
        let serverIDBytes = Array(serverID.utf8)
        guard serverIDBytes.count <= 255, (0...0x3FF).contains(version), futureUse <= 0x7FF_FFFF else {
            throw .dm12FieldOutOfRange
        }
        var trigger: [UInt8] = [
            UInt8(version >> 2),
            UInt8((version & 0x3) << 6 | uiMode.rawValue << 4 | initiator.rawValue << 3) | UInt8(futureUse >> 24),
            UInt8(truncatingIfNeeded: futureUse >> 16), UInt8(truncatingIfNeeded: futureUse >> 8),
            UInt8(truncatingIfNeeded: futureUse), UInt8(sessionID >> 8), UInt8(sessionID & 0xFF),
            UInt8(serverIDBytes.count),
        ]
        trigger += serverIDBytes + vendorSpecific
        let digest =
            password.map {
                DigestVerifier.dm12Digest(serverID: serverIDBytes, password: $0, nonce: nonce, trigger: trigger)
            } ?? [UInt8](repeating: 0, count: NotificationTrigger.digestLength)
        return digest + trigger
    }

    /// Wraps `body` in a WSP connectionless push: TID, 0x06, HeadersLen, content type code, and the
    /// X-Wap-Application-Id 0x07 header (reference §2.4).
    public static func wspPush(
        body: [UInt8], contentTypeCode: UInt32 = WSPContentType.dmNotificationCode, transactionID: UInt8 = 1,
        extraHeaders: [UInt8] = []
    ) -> [UInt8] {
        let headers: [UInt8] = [UInt8(truncatingIfNeeded: contentTypeCode) | 0x80, 0xAF, 0x87] + extraHeaders
        return [transactionID, WSPPush.pushPDUType] + WSPUintvar.encode(UInt32(headers.count)) + headers + body
    }
}
