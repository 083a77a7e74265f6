/// A DM notification found in a UDP datagram, with the WSP push that carried it (if any).
public struct NotificationDatagram: Hashable, Sendable {
    /// The WSP push wrapper, or `nil` for a raw Package#0.
    public var push: WSPPush?
    public var notification: Notification
    /// Offset of the notification in the UDP payload (0 for a raw Package#0).
    public var notificationOffset: Int
    /// Problems of the WSP layer; offsets index the UDP payload.
    public var wspIssues: [NotificationIssue]

    /// Every problem, WSP and notification, with offsets into the UDP payload.
    public var issues: [NotificationIssue] {
        wspIssues + notification.issues.map { $0.shifted(by: notificationOffset) }
    }
}

/// Finds DM notifications in UDP payloads: the entry point of the UDP layer (design: "notification detector").
public enum NotificationDetector {
    /// UDP port of connectionless non-secure WAP push (S-WS `packet-wap.h`; S-TS20-A Appendix E).
    public static let wapPushPort = 2948

    /// Decodes `payload` when it is a DM notification, else returns `nil` (cheaply, for ordinary traffic).
    ///
    /// A WSP push whose content type is 0x44/0x58 (or their text forms) is decoded wherever it travels; a
    /// push of another content type (MMS, SI, DS …) is not a DM notification. Without WSP, a payload to or
    /// from one of `notificationPorts` is decoded as a raw Package#0 (with its errors); on other ports only
    /// a raw Package#0 that decodes without any error is reported, so random datagrams are not mistaken for
    /// one. `payload` is borrowed for the call; the result owns copies.
    public static func decode(
        udpPayload payload: UnsafeRawBufferPointer, sourcePort: Int, destinationPort: Int,
        notificationPorts: Set<Int> = [wapPushPort], options: NotificationDecodingOptions = .init()
    ) -> NotificationDatagram? {
        guard payload.count >= 2 else { return nil }
        let onNotificationPort = notificationPorts.contains(destinationPort) || notificationPorts.contains(sourcePort)
        let isPushShaped = payload[1] == WSPPush.pushPDUType || payload[1] == WSPPush.confirmedPushPDUType
        let firstNibble = payload[0] >> 4
        let couldBeRaw = firstNibble == 1 || firstNibble == 2 || payload.count >= NotificationTrigger.minimumLength
        guard onNotificationPort || isPushShaped || couldBeRaw else { return nil }

        let bytes = [UInt8](payload)
        var wspIssues: [NotificationIssue] = []
        if isPushShaped {
            let (push, issues) = WSPDecoder.decodePush(bytes)
            if let push, let format = push.contentType.notificationFormat {
                var bodyOptions = options
                bodyOptions.format = format
                let body = Array(bytes[push.bodyRange])
                let notification = NotificationDecoder.decode(body, options: bodyOptions)
                return NotificationDatagram(
                    push: push, notification: notification, notificationOffset: push.bodyRange.lowerBound,
                    wspIssues: issues)
            }
            if push != nil { return nil }  // a push of some other content type
            wspIssues = issues
        }
        let raw = NotificationDecoder.decode(bytes, options: options)
        if onNotificationPort {
            // On the push port, report what was found; the WSP errors matter only if the raw reading fails too.
            return NotificationDatagram(
                push: nil, notification: raw, notificationOffset: 0, wspIssues: raw.hasErrors ? wspIssues : [])
        }
        guard isConfidentRaw(raw) else { return nil }
        return NotificationDatagram(push: nil, notification: raw, notificationOffset: 0, wspIssues: [])
    }

    /// Convenience for owned bytes.
    public static func decode(
        udpPayload payload: [UInt8], sourcePort: Int, destinationPort: Int,
        notificationPorts: Set<Int> = [wapPushPort], options: NotificationDecodingOptions = .init()
    ) -> NotificationDatagram? {
        payload.withUnsafeBytes {
            decode(
                udpPayload: $0, sourcePort: sourcePort, destinationPort: destinationPort,
                notificationPorts: notificationPorts, options: options)
        }
    }

    /// A raw Package#0 off the push port must decode cleanly and name a printable server.
    static func isConfidentRaw(_ notification: Notification) -> Bool {
        guard !notification.issues.contains(where: { $0.error.severity == .error }),
            let serverID = notification.serverID, !serverID.isEmpty,
            serverID.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F })
        else { return false }
        switch notification.format {
        case .dm12:
            return notification.trigger?.futureUse == 0
        case .dm13, .dm20, .crDraft:
            return !notification.options.isEmpty
        }
    }
}
