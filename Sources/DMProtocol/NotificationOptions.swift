/// The options formats (DM 1.3, DM 2.0, CR draft): 16-bit header, then `OC` options (reference §2.2–§2.3).
///
/// ```
///  message:       | VER:4 | OC:5 | RESERVED:7 | option 1 | option 2 | …
///  option (L12):  | delta:4 | length:12 | value |
///  option (L4X):  | delta:4 | length:4 | [ext:8] | value |      (length 15: 15 + ext)
/// ```
extension NotificationDecoder {
    /// Decodes the bytes as an options-format notification, choosing framing and numbering per `options`.
    static func decodeOptionsFormat(_ bytes: [UInt8], options: NotificationDecodingOptions) -> Notification {
        var notification = Notification(
            format: bytes.first.map { $0 >> 4 == 1 } == true ? .dm13 : .dm20, version: 0, trigger: nil,
            header: nil, framing: nil, numbering: nil, options: [], serverID: nil, sessionID: nil,
            notificationID: nil, digest: nil, digestRange: nil, bytes: bytes, issues: [])
        guard bytes.count >= 2 else {
            notification.version = bytes.first.map { Int($0 >> 4) } ?? 0
            notification.issues.append(
                .error(
                    .truncated, .truncatedBinary,
                    "The notification header needs 2 bytes but only \(bytes.count) are present.", at: bytes.count))
            return notification
        }
        let header = NotificationOptionsHeader(bytes[0], bytes[1])
        notification.header = header
        notification.version = header.version

        let chosen: OptionsAttempt
        let decision: NotificationFramingDecision
        var hints: [NotificationIssue] = []
        if let forced = options.framing {
            chosen = attempt(bytes, header: header, framing: forced, options: options)
            decision = NotificationFramingDecision(framing: forced, reason: .forced)
        } else if header.version == 1 {
            // DM 1.3's framing is unknown: take the candidate that fits, L12 when both do (§2.3.3).
            let l12 = attempt(bytes, header: header, framing: .l12, options: options)
            let l4x = attempt(bytes, header: header, framing: .l4x, options: options)
            switch (l12.fits, l4x.fits) {
            case (true, true):
                chosen = l12
                decision = NotificationFramingDecision(framing: .l12, reason: .bothFitPreferL12)
            case (true, false):
                chosen = l12
                decision = NotificationFramingDecision(framing: .l12, reason: .onlyCandidateThatFits)
            case (false, true):
                chosen = l4x
                decision = NotificationFramingDecision(framing: .l4x, reason: .onlyCandidateThatFits)
            case (false, false):
                chosen = l12
                decision = NotificationFramingDecision(framing: .l12, reason: .neitherFits)
            }
        } else {
            // S-TS20-A §7.1.1.2 fixes the 2-byte option header (L12) for DM 2.0.
            chosen = attempt(bytes, header: header, framing: .l12, options: options)
            decision = NotificationFramingDecision(framing: .l12, reason: .standard)
            if !chosen.fits, attempt(bytes, header: header, framing: .l4x, options: options).fits {
                hints.append(
                    NotificationIssue(
                        .otherFramingFits,
                        DecodeError(
                            .notice,
                            "The options do not fit the standard L12 framing but do fit L4X; "
                                + "decode with framing l4x to see them.",
                            offset: 2)))
            }
        }

        notification.format = chosen.format
        notification.framing = decision
        notification.numbering = chosen.numbering
        notification.options = chosen.options
        notification.issues = headerIssues(header, format: chosen.format) + chosen.issues + hints
        fillSummaryFields(&notification)
        return notification
    }

    /// One framing tried on the message: its options, issues, numbering and resulting format.
    struct OptionsAttempt {
        var options: [NotificationOption]
        var issues: [NotificationIssue]
        var numbering: NotificationOptionNumbering
        var format: NotificationFormat
        /// No error-level issue: exactly `OC` options that end at the end, with valid lengths.
        var fits: Bool { !issues.contains { $0.error.isError } }
    }

    /// Frames the options with `framing`, picks the numbering, the dialect, and validates.
    static func attempt(
        _ bytes: [UInt8], header: NotificationOptionsHeader, framing: NotificationOptionFraming,
        options: NotificationDecodingOptions
    ) -> OptionsAttempt {
        var numbering = options.numbering ?? .delta
        var raw = frameOptions(bytes, count: header.optionCount, framing: framing, numbering: numbering)
        if options.numbering == nil, raw.options.contains(where: { !(1...7).contains($0.number) }) {
            // Reference §2.3.4: a draft may have used absolute numbers; take them when that is unambiguous.
            let absolute = frameOptions(bytes, count: header.optionCount, framing: framing, numbering: .absolute)
            if !absolute.issues.contains(where: { $0.error.isError }),
                absolute.options.allSatisfy({ (1...7).contains($0.number) })
            {
                raw = absolute
                numbering = .absolute
            }
        }
        let format: NotificationFormat
        if header.version == 1 {
            format = .dm13
        } else {
            switch options.dialect {
            case .approved: format = .dm20
            case .crDraft: format = .crDraft
            case .automatic: format = raw.options.contains { $0.number == 7 } ? .crDraft : .dm20
            }
        }
        var decoded: [NotificationOption] = []
        var issues = raw.issues
        for option in raw.options {
            let value = Array(bytes[option.valueRange])
            let (interpreted, valueIssues) = interpret(
                number: option.number, value: value, at: option.headerOffset, format: format)
            decoded.append(
                NotificationOption(
                    number: option.number, name: NotificationOptionName.name(of: option.number, in: format),
                    value: value, offset: option.headerOffset, valueOffset: option.valueRange.lowerBound,
                    interpreted: interpreted))
            issues += valueIssues
        }
        issues += occurrenceIssues(decoded, format: format)
        return OptionsAttempt(options: decoded, issues: issues, numbering: numbering, format: format)
    }

    /// An option located in the message, before its value is interpreted.
    struct FramedOption {
        var number: Int
        var headerOffset: Int
        var valueRange: Range<Int>
    }

    /// Reads `count` option headers and values; stops at the first structural problem.
    static func frameOptions(
        _ bytes: [UInt8], count: Int, framing: NotificationOptionFraming, numbering: NotificationOptionNumbering
    ) -> (options: [FramedOption], issues: [NotificationIssue]) {
        var cursor = NotificationCursor(bytes, offset: 2)
        var options: [FramedOption] = []
        var issues: [NotificationIssue] = []
        var previous = 0
        for index in 0..<count {
            let headerOffset = cursor.offset
            guard let first = cursor.readByte() else {
                issues.append(
                    .error(
                        .truncated, .truncatedBinary,
                        "OC announces \(count) options but the message ends after \(index).", at: headerOffset))
                break
            }
            let nibble = Int(first >> 4)
            let length: Int
            switch framing {
            case .l12:
                guard let second = cursor.readByte() else {
                    issues.append(
                        .error(
                            .truncated, .truncatedBinary,
                            "The message ends inside the 2-byte header of option \(index + 1).", at: headerOffset))
                    return (options, issues)
                }
                length = Int(first & 0x0F) << 8 | Int(second)
            case .l4x:
                if first & 0x0F == 0x0F {
                    guard let extended = cursor.readByte() else {
                        issues.append(
                            .error(
                                .truncated, .truncatedBinary,
                                "The message ends before the extended length byte of option \(index + 1).",
                                at: headerOffset))
                        return (options, issues)
                    }
                    length = 15 + Int(extended)
                } else {
                    length = Int(first & 0x0F)
                }
            }
            let number = numbering == .delta ? previous + nibble : nibble
            if numbering == .absolute, number < previous {
                issues.append(
                    .error(
                        .optionOrder, .invalidValue,
                        "Option \(number) follows option \(previous); options must be in increasing number order.",
                        at: headerOffset))
            }
            guard let valueRange = cursor.readRange(count: length) else {
                issues.append(
                    .error(
                        .optionPastEnd, .truncatedBinary,
                        "Option \(number) announces \(length) value bytes but only \(cursor.remaining) remain.",
                        at: headerOffset))
                return (options, issues)
            }
            options.append(FramedOption(number: number, headerOffset: headerOffset, valueRange: valueRange))
            previous = number
        }
        if !cursor.isAtEnd, options.count == count {
            issues.append(
                .error(
                    .optionCount, .invalidValue,
                    "\(cursor.remaining) bytes follow the \(count) options announced by OC.", at: cursor.offset))
        }
        return (options, issues)
    }

    /// DM-N0-010 and DM-N0-019: the `VER` value and the reserved bits.
    static func headerIssues(_ header: NotificationOptionsHeader, format: NotificationFormat) -> [NotificationIssue] {
        var issues: [NotificationIssue] = []
        if header.version != 1, header.version != 2 {
            issues.append(
                .error(
                    .versionValue, .invalidValue,
                    "VER is \(header.version); DM 2.0 notifications carry 2 (S-TS20-A §7.1.1) and DM 1.3 ones 1.",
                    at: 0))
        }
        if header.reserved != 0 {
            issues.append(
                .warning(
                    .reservedBits, .invalidValue, "The 7 reserved header bits are not zero (\(header.reserved)).",
                    at: 1))
        }
        return issues
    }

    /// Reads one option's value by its format and checks its length rules.
    static func interpret(
        number: Int, value: [UInt8], at offset: Int, format: NotificationFormat
    ) -> (NotificationOptionValue, [NotificationIssue]) {
        let approved = format == .dm20
        let name = NotificationOptionName.name(of: number, in: format) ?? "option \(number)"
        switch (number, approved) {
        case (1, _), (5, false), (6, false):
            // SERVER-ID / Server-ID, Connect-Reason, Vendor-Info: String.
            let range = number == 1 ? (approved ? 1...4095 : 1...256) : 1...4095
            var issues = lengthIssues(value.count, allowed: range, name: name, at: offset, check: .optionLength)
            if let text = String(validating: value, as: UTF8.self) { return (.string(text), issues) }
            issues.append(.error(.invalidString, .invalidUTF8, "The \(name) value is not valid UTF-8.", at: offset))
            return (.opaque(value), issues)
        case (2, true):
            return interpretConnectionTypes(value, at: offset)
        case (3, true):
            guard value.count == 2 else {
                return (
                    .opaque(value),
                    [
                        .error(
                            .notificationIDLength, .invalidValue,
                            "NOTIFICATION-ID is \(value.count) bytes; it must be exactly 2 (S-TS20-A §7.1.1).",
                            at: offset)
                    ]
                )
            }
            return (.unsignedInteger(UInt64(value[0]) << 8 | UInt64(value[1])), [])
        case (4, true):
            guard value.count == 32 else {
                return (
                    .opaque(value),
                    [
                        .error(
                            .digestLength, .invalidValue, "SHA256-DIGEST is \(value.count) bytes; it must be 32.",
                            at: offset)
                    ]
                )
            }
            return (.digest(value), [])
        case (5, true):
            // §0.3: TIMESTAMP width is not given; decode 4 or 8 bytes as POSIX seconds, else show hex.
            guard value.count == 4 || value.count == 8 else {
                return (
                    .opaque(value),
                    [
                        .warning(
                            .timestampWidth, .invalidValue,
                            "TIMESTAMP is \(value.count) bytes; only 4 or 8 bytes decode as POSIX seconds.", at: offset)
                    ]
                )
            }
            return (.timestamp(secondsSince1970: bigEndianValue(value)), [])
        case (6, true):
            guard value.isEmpty else {
                return (
                    .opaque(value),
                    [
                        .error(
                            .reqMOSLength, .invalidValue, "REQ-MOS carries \(value.count) bytes; it has no value.",
                            at: offset)
                    ]
                )
            }
            return (.empty, [])
        case (7, _):
            guard (3...256).contains(value.count) else {
                return (
                    .opaque(value),
                    [
                        .error(
                            .requestedMOCVLength, .invalidValue,
                            "Requested-MO-CV is \(value.count) bytes; it must be 3–256 (MO index + validator).",
                            at: offset)
                    ]
                )
            }
            return (
                .requestedMOCV(moIndex: UInt16(value[0]) << 8 | UInt16(value[1]), validator: Array(value[2...])), []
            )
        case (2, false), (3, false), (4, false):
            // Targeted-MO, Requested-MO (Uint 1–2), Preferred-Bearer (Uint 1).
            let range = number == 4 ? 1...1 : 1...2
            let issues = lengthIssues(value.count, allowed: range, name: name, at: offset, check: .optionLength)
            guard issues.isEmpty else { return (.opaque(value), issues) }
            return (.unsignedInteger(bigEndianValue(value)), [])
        default:
            return (
                .opaque(value),
                [
                    NotificationIssue(
                        .unknownOption,
                        DecodeError(
                            .notice, "Option \(number) is not defined by the \(format) format; kept as bytes.",
                            offset: offset))
                ]
            )
        }
    }

    /// `PREFERRED-CON-TYPE`: one or more codes 0–3 in priority order, ANY_AVAILABLE last (§0.3, DM-N0-017).
    static func interpretConnectionTypes(_ value: [UInt8], at offset: Int) -> (
        NotificationOptionValue, [NotificationIssue]
    ) {
        var issues: [NotificationIssue] = []
        if value.isEmpty {
            issues.append(
                .error(
                    .connectionTypeValue, .invalidValue, "PREFERRED-CON-TYPE carries no connection type.", at: offset))
        }
        if let bad = value.first(where: { $0 > 3 }) {
            issues.append(
                .error(
                    .connectionTypeValue, .invalidValue,
                    "PREFERRED-CON-TYPE value \(bad) is not one of 0–3 (ANY_AVAILABLE, CELLULAR, WLAN, WIRELINE).",
                    at: offset))
        }
        if let any = value.firstIndex(of: 0), any != value.count - 1 {
            issues.append(
                .warning(
                    .connectionTypeValue, .invalidValue, "ANY_AVAILABLE should be the last PREFERRED-CON-TYPE value.",
                    at: offset))
        }
        return (.connectionTypes(value.map(NotificationConnectionType.init)), issues)
    }

    /// Duplicates (approved: every option at most once, S-TS20-A §7.1.1) and a missing server id.
    static func occurrenceIssues(_ options: [NotificationOption], format: NotificationFormat) -> [NotificationIssue] {
        var issues: [NotificationIssue] = []
        // DM 1.3 table: Server-ID One, Connect-Reason and Vendor-Info ZeroOrOne; the others ZeroOrMore.
        let single: Set<Int> = format == .dm20 ? Set(1...7) : [1, 5, 6]
        var seen: Set<Int> = []
        for option in options {
            if seen.contains(option.number), single.contains(option.number) {
                let name = option.name ?? "option \(option.number)"
                issues.append(
                    .error(.duplicateOption, .invalidValue, "\(name) occurs more than once.", at: option.offset))
            }
            seen.insert(option.number)
        }
        if !seen.contains(1) {
            // DM-N0-013, softened by §0.3: SERVER-ID may be omitted when the client can tell the server otherwise.
            issues.append(
                .warning(
                    .missingServerID, .missingMember, "The notification has no server id option.", at: nil))
        }
        return issues
    }

    private static func lengthIssues(
        _ length: Int, allowed: ClosedRange<Int>, name: String, at offset: Int, check: NotificationCheck
    ) -> [NotificationIssue] {
        guard !allowed.contains(length) else { return [] }
        return [
            .error(
                check, .invalidValue,
                "\(name) is \(length) bytes; it must be \(allowed.lowerBound)–\(allowed.upperBound).", at: offset)
        ]
    }

    /// Big-endian value of at most 8 bytes (callers check the width).
    private static func bigEndianValue(_ bytes: [UInt8]) -> UInt64 {
        bytes.suffix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Server id, notification id and digest from the options.
    static func fillSummaryFields(_ notification: inout Notification) {
        if let server = notification.option(1), case .string(let text) = server.interpreted {
            notification.serverID = text
        }
        guard notification.format == .dm20 else { return }
        if let id = notification.option(3), case .unsignedInteger(let value) = id.interpreted {
            notification.notificationID = UInt16(truncatingIfNeeded: value)  // exactly 2 bytes, checked in interpret
        }
        if let digest = notification.option(4), case .digest(let bytes) = digest.interpreted {
            notification.digest = bytes
            notification.digestRange = digest.valueOffset..<(digest.valueOffset + bytes.count)
        }
    }
}
