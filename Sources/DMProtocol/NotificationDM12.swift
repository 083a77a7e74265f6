/// The DM 1.2 (and 1.1.2) binary trigger, reference §2.1.
///
/// ```
///  0          16        18           21         23    24            24+n
///  | digest   | ver/ui/init/future   | sessionid | len | server id   | vendor part |
///    16 bytes   40 bits: 10+2+1+27      16 bits    n
/// ```
extension NotificationTrigger {
    /// Digest (16) + trigger header (7) + length-identifier (1): the shortest message without a server id.
    public static let minimumLength = 24
    /// Length of the MD5 digest that opens the message.
    public static let digestLength = 16
}

extension NotificationDecoder {
    /// Decodes a DM 1.2 notification; short input gives the fields that arrived and a `truncated` issue.
    static func decodeDM12(_ bytes: [UInt8]) -> Notification {
        var notification = Notification(
            format: .dm12, version: 0, trigger: nil, header: nil, framing: nil, numbering: nil, options: [],
            serverID: nil, sessionID: nil, notificationID: nil, digest: nil, digestRange: nil, bytes: bytes,
            issues: [])
        if bytes.count >= NotificationTrigger.digestLength {
            notification.digest = Array(bytes[0..<NotificationTrigger.digestLength])
            notification.digestRange = 0..<NotificationTrigger.digestLength
        }
        guard bytes.count >= NotificationTrigger.minimumLength else {
            // DM-N0-001: Android rejects anything shorter than 24 bytes.
            notification.issues.append(
                .error(
                    .truncated, .truncatedBinary,
                    "A DM 1.2 notification needs at least \(NotificationTrigger.minimumLength) bytes before the "
                        + "server identifier, but only \(bytes.count) are present.",
                    at: bytes.count))
            if bytes.count >= 18 { notification.version = Int(bytes[16]) << 2 | Int(bytes[17] >> 6) }
            return notification
        }
        // Bits 0–9 of the trigger: version; 10–11 ui-mode; 12 initiator; 13–39 future-use.
        let version = Int(bytes[16]) << 2 | Int(bytes[17] >> 6)
        let uiMode = NotificationUIMode(rawValue: Int(bytes[17] >> 4) & 0x3) ?? .notSpecified
        let initiator: NotificationInitiator = (bytes[17] >> 3) & 1 == 1 ? .server : .client
        let futureUse =
            UInt32(bytes[17] & 0x7) << 24 | UInt32(bytes[18]) << 16 | UInt32(bytes[19]) << 8
            | UInt32(bytes[20])
        let sessionID = UInt16(bytes[21]) << 8 | UInt16(bytes[22])
        let serverIDLength = Int(bytes[23])
        let available = bytes.count - NotificationTrigger.minimumLength  // count >= 24 checked above
        let serverIDEnd = NotificationTrigger.minimumLength + min(serverIDLength, available)
        let serverIDBytes = Array(bytes[NotificationTrigger.minimumLength..<serverIDEnd])
        notification.version = version
        notification.sessionID = sessionID
        notification.trigger = NotificationTrigger(
            digest: Array(bytes[0..<NotificationTrigger.digestLength]), version: version, uiMode: uiMode,
            initiator: initiator, futureUse: futureUse, sessionID: sessionID, serverIDLength: serverIDLength,
            serverIDBytes: serverIDBytes, vendorSpecific: Array(bytes[serverIDEnd...]))

        if serverIDLength == 0 {
            notification.issues.append(
                .error(
                    .emptyServerID, .invalidValue, "The length-identifier is 0, so the message names no DM server.",
                    at: 23))
        } else if serverIDLength > available {
            notification.issues.append(
                .error(
                    .truncated, .truncatedBinary,
                    "The server identifier is announced as \(serverIDLength) bytes but only \(available) follow.",
                    at: bytes.count))
        }
        if !serverIDBytes.isEmpty {
            if let text = String(validating: serverIDBytes, as: UTF8.self) {
                notification.serverID = text
            } else {
                notification.serverID = String(decoding: serverIDBytes, as: UTF8.self)
                notification.issues.append(
                    .error(.invalidString, .invalidUTF8, "The server identifier is not valid UTF-8.", at: 24))
            }
        }
        notification.issues += dm12VersionIssues(version)
        if futureUse != 0 {
            // Reference §2.1: UNSURE whether receivers must reject; warn (DM-N0-004).
            notification.issues.append(
                .warning(
                    .futureUseBits, .invalidValue,
                    "The 27 future-use bits are not zero (0x\(String(futureUse, radix: 16))).", at: 17))
        }
        return notification
    }

    /// DM-N0-003: 11 is required by DM 1.2.1; 12 is a notice; 10 and 13 warnings; anything else an error.
    private static func dm12VersionIssues(_ version: Int) -> [NotificationIssue] {
        switch version {
        case 11:
            return []
        case 12:
            return [
                NotificationIssue(
                    .versionValue,
                    DecodeError(.notice, "The version field is 12, not the value 11 required by DM 1.2.1.", offset: 16))
            ]
        case 10, 13:
            return [
                .warning(
                    .versionValue, .invalidValue,
                    "The version field is \(version), not the value 11 required by DM 1.2.1.",
                    at: 16)
            ]
        default:
            return [
                .error(
                    .versionValue, .invalidValue,
                    "The version field is \(version), outside the range 10–13 of DM 1.x.", at: 16)
            ]
        }
    }
}
