/// Decodes DM Package#0 bytes (no WSP wrapper) into a `Notification`.
///
/// Pure and total: every input, however short or hostile, gives a `Notification` whose `issues` say what
/// was wrong. The format comes from the caller (a WSP content type) or is detected from the bytes.
public enum NotificationDecoder {
    /// Decodes `bytes` as a notification.
    public static func decode(_ bytes: [UInt8], options: NotificationDecodingOptions = .init()) -> Notification {
        switch options.format {
        case .dm12:
            return decodeDM12(bytes)
        case .options:
            return decodeOptionsFormat(bytes, options: options)
        case .automatic:
            // A DM 1.2 trigger is checked first: its fixed layout (version 10–13 at bytes 16–17, a
            // printable server id whose length byte fits) is specific, whereas its leading MD5
            // digest is random and starts with nibble 1 or 2 one time in eight, which can also read
            // as a clean VER/OC options header.
            // When both layouts fit, the one that decodes without any issue wins: a DM 2.0 message
            // can also have a plausible version at bytes 16–17 and a printable byte where a DM 1.2
            // server id would be, and then its DM 1.2 reading has a wrong version and future-use bits.
            if looksLikeDM12(bytes), hasPrintableServerID(bytes) {
                let trigger = decodeDM12(bytes)
                if !trigger.issues.isEmpty, let message = decodeOptionsFormatCandidate(bytes, options: options),
                    message.issues.isEmpty
                {
                    return message
                }
                return trigger
            }
            return decodeOptionsFormatCandidate(bytes, options: options) ?? fallbackDecode(bytes, options: options)
        }
    }

    /// Decodes `bytes` given as a raw buffer (copied once into the result).
    public static func decode(
        _ bytes: UnsafeRawBufferPointer, options: NotificationDecodingOptions = .init()
    ) -> Notification {
        decode([UInt8](bytes), options: options)
    }

    /// An options-format decode, when the bytes plausibly are one: `VER` 1 or 2 and options that fit.
    private static func decodeOptionsFormatCandidate(
        _ bytes: [UInt8], options: NotificationDecodingOptions
    ) -> Notification? {
        guard bytes.count >= 2, let first = bytes.first, first >> 4 == 1 || first >> 4 == 2 else { return nil }
        let decoded = decodeOptionsFormat(bytes, options: options)
        return decoded.hasErrors ? nil : decoded
    }

    /// The best guess when no format fits cleanly: DM 1.2 when it looks like one, else the options format.
    private static func fallbackDecode(_ bytes: [UInt8], options: NotificationDecodingOptions) -> Notification {
        if looksLikeDM12(bytes) { return decodeDM12(bytes) }
        let first = bytes.first.map { $0 >> 4 }
        if first == 1 || first == 2 || bytes.count < NotificationTrigger.minimumLength {
            return decodeOptionsFormat(bytes, options: options)
        }
        return decodeDM12(bytes)
    }

    /// True when `bytes` has a consistent DM 1.2 trigger: length, a server id that fits, version 10–13.
    /// True when the DM 1.2 server-identifier field holds printable ASCII (callers checked `looksLikeDM12`).
    static func hasPrintableServerID(_ bytes: [UInt8]) -> Bool {
        let start = NotificationTrigger.minimumLength
        let length = Int(bytes[start - 1])
        guard length > 0, length <= bytes.count - start else { return false }
        return bytes[start..<(start + length)].allSatisfy { (0x20...0x7E).contains($0) }
    }

    static func looksLikeDM12(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= NotificationTrigger.minimumLength else { return false }
        let version = Int(bytes[16]) << 2 | Int(bytes[17] >> 6)
        let serverIDLength = Int(bytes[23])
        return (10...13).contains(version) && serverIDLength > 0
            && serverIDLength <= bytes.count - NotificationTrigger.minimumLength
    }
}

/// How to decode a notification; the defaults follow the reference's choices.
public struct NotificationDecodingOptions: Hashable, Sendable {
    /// Which format to decode; `.automatic` detects it from the bytes.
    public var format: FormatHint
    /// Force an option framing; `nil` chooses per reference §2.3.3 (L12 for `VER` 2, best fit for `VER` 1).
    public var framing: NotificationOptionFraming?
    /// Force a numbering; `nil` reads deltas, and absolute numbers only when deltas give undefined
    /// numbers while absolute numbers fit (reference §2.3.4).
    public var numbering: NotificationOptionNumbering?
    /// The dialect of a `VER` 2 message; `.automatic` says CR draft when option 7 (Requested-MO-CV, defined
    /// only by the CR) is present and approved DM 2.0 otherwise. The session tracker re-decodes with the
    /// dialect of the Package#1 that follows (reference §7: option 3's meaning depends on it).
    public var dialect: DialectHint

    public enum FormatHint: String, Hashable, Sendable {
        case automatic
        /// WSP content type 0x44 `application/vnd.syncml.notification`.
        case dm12
        /// WSP content type 0x58 `application/vnd.syncml.dm.notification`: `VER` decides 1.3 or 2.0.
        case options
    }

    public enum DialectHint: String, Hashable, Sendable {
        case automatic
        case approved
        case crDraft
    }

    public init(
        format: FormatHint = .automatic, framing: NotificationOptionFraming? = nil,
        numbering: NotificationOptionNumbering? = nil, dialect: DialectHint = .automatic
    ) {
        self.format = format
        self.framing = framing
        self.numbering = numbering
        self.dialect = dialect
    }
}

extension Notification {
    /// The same bytes decoded as the given dialect (for a `VER` 2 message once the Package#1 that
    /// follows shows whether the session is CR or approved DM 2.0).
    public func relabeled(as dialect: NotificationDecodingOptions.DialectHint) -> Notification {
        guard format == .dm20 || format == .crDraft else { return self }
        var options = NotificationDecodingOptions(format: .options, dialect: dialect)
        if framing?.reason == .forced { options.framing = framing?.framing }
        return NotificationDecoder.decode(bytes, options: options)
    }
}
