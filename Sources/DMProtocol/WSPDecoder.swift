/// Decodes WSP connectionless Push PDUs (WAP-230 §8.2.4.1, §8.4) far enough to find a DM notification.
///
/// Content type and `X-Wap-Application-Id` are interpreted; every other header is skipped by the generic
/// WSP value-length rules (§8.4.1.2), so unknown headers never derail the decoder.
public enum WSPDecoder {
    /// Decodes a Push PDU; `push` is `nil` when the bytes are not one (the issues say why).
    public static func decodePush(_ bytes: [UInt8]) -> (push: WSPPush?, issues: [NotificationIssue]) {
        var cursor = NotificationCursor(bytes)
        var issues: [NotificationIssue] = []
        guard let transactionID = cursor.readByte(), let pduType = cursor.readByte() else {
            return (
                nil,
                [malformed(.truncatedBinary, "A WSP push needs at least 2 bytes (TID, PDU type).", at: bytes.count)]
            )
        }
        guard pduType == WSPPush.pushPDUType || pduType == WSPPush.confirmedPushPDUType else {
            return (nil, [malformed(.invalidValue, "PDU type 0x\(hex(pduType)) is not Push (0x06).", at: 1)])
        }
        if pduType == WSPPush.confirmedPushPDUType {
            issues.append(
                .warning(
                    .wspCarriage, .invalidValue,
                    "ConfirmedPush (0x07) is connection-mode only; connectionless push uses 0x06.", at: 1))
        }
        let headersLength: Int
        switch cursor.readUintvar() {
        case .success(let value):
            headersLength = Int(value)
        case .failure(let failure):
            let kind: DecodeError.Kind = failure == .truncated ? .truncatedBinary : .invalidValue
            return (nil, issues + [malformed(kind, "The HeadersLen uintvar is invalid (\(failure.rawValue)).", at: 2)])
        }
        let headersOffset = cursor.offset
        guard headersLength <= cursor.remaining else {
            return (
                nil,
                issues + [
                    malformed(
                        .truncatedBinary,
                        "HeadersLen announces \(headersLength) bytes but only \(cursor.remaining) follow.",
                        at: headersOffset)
                ]
            )
        }
        let end = headersOffset + headersLength
        guard headersLength > 0 else {
            return (
                nil,
                issues + [
                    malformed(.invalidValue, "HeadersLen is 0, so the push has no content type.", at: headersOffset)
                ]
            )
        }
        var index = headersOffset
        let contentType: WSPContentType
        switch readContentType(bytes, at: &index, end: end) {
        case .success(let value): contentType = value
        case .failure(let error): return (nil, issues + [NotificationIssue(.wspMalformed, error)])
        }
        if case .text = contentType {
            issues.append(
                .warning(
                    .wspCarriage, .invalidValue,
                    "The content type is textual; DM 1.2 §6.3.1 requires the binary code.", at: headersOffset))
        }

        var headers: [WSPHeader] = []
        var applicationID: WSPApplicationID?
        var page: UInt8 = 1
        while index < end {
            let headerOffset = index
            let first = bytes[index]  // index < end <= bytes.count
            if first == 0x7F {
                // Shift-delimiter + page identity (§8.4.2.3).
                guard index + 1 < end else {
                    issues.append(malformed(.truncatedBinary, "A header shift sequence is cut off.", at: index))
                    break
                }
                page = bytes[index + 1]
                index += 2
                continue
            }
            if (0x01...0x1F).contains(first) {
                page = first  // Short-cut-shift-delimiter
                index += 1
                continue
            }
            let field: WSPHeader.Field
            if first >= 0x80 {
                field = .wellKnown(first & 0x7F)
                index += 1
            } else if first >= 0x20 {
                guard let name = readText(bytes, at: &index, end: end) else {
                    issues.append(
                        malformed(
                            .truncatedBinary, "An application header name has no terminating 0x00.", at: headerOffset))
                    break
                }
                field = .text(name)
            } else {
                issues.append(malformed(.invalidValue, "Byte 0x00 cannot start a WSP header.", at: headerOffset))
                break
            }
            let valueStart = index
            guard skipValue(bytes, at: &index, end: end) else {
                issues.append(malformed(.truncatedBinary, "A header value runs past HeadersLen.", at: valueStart))
                break
            }
            let value = Array(bytes[valueStart..<index])
            headers.append(WSPHeader(field: field, offset: headerOffset, value: value, codePage: page))
            if field == .wellKnown(WSPPush.applicationIDField), page == 1 {
                applicationID = readApplicationID(value)
            }
        }

        let push = WSPPush(
            transactionID: transactionID, pduType: pduType, headersLength: headersLength,
            headersOffset: headersOffset, contentType: contentType, applicationID: applicationID, headers: headers,
            bodyRange: end..<bytes.count)
        issues += carriageIssues(push)
        return (push, issues)
    }

    /// DM-N0-020: binary application id 0x07 and at most 48 header bytes, for a DM notification push.
    static func carriageIssues(_ push: WSPPush) -> [NotificationIssue] {
        guard push.contentType.notificationFormat != nil else { return [] }
        var issues: [NotificationIssue] = []
        switch push.applicationID {
        case nil:
            issues.append(
                .warning(
                    .wspCarriage, .missingMember, "The push has no X-Wap-Application-Id header.", at: push.headersOffset
                ))
        case .uri(let uri):
            issues.append(
                .warning(
                    .wspCarriage, .invalidValue,
                    "X-Wap-Application-Id is the text '\(uri)'; DM 1.2 §6.3.1 requires the code 0x07.",
                    at: push.headersOffset))
        case .code(let code) where code != WSPPush.syncMLDMApplicationID:
            issues.append(
                .warning(
                    .wspCarriage, .invalidValue,
                    "X-Wap-Application-Id is 0x\(String(code, radix: 16)), not 0x07 (syncml.dm).",
                    at: push.headersOffset))
        case .code:
            break
        }
        if push.bodyRange.lowerBound > WSPPush.maximumHeaderBytes {
            issues.append(
                .warning(
                    .wspCarriage, .limitExceeded,
                    "The WSP header is \(push.bodyRange.lowerBound) bytes; DM 1.2 §6.3.1 allows at most "
                        + "\(WSPPush.maximumHeaderBytes).",
                    at: 0))
        }
        return issues
    }

    /// Content-type-value (§8.4.2.24): short integer, extension media text, or value-length + media + parameters.
    static func readContentType(_ bytes: [UInt8], at index: inout Int, end: Int) -> Result<WSPContentType, DecodeError>
    {
        let start = index
        guard index < end else {
            return .failure(DecodeError(.truncatedBinary, "The content type is missing.", offset: start))
        }
        let first = bytes[index]
        if first >= 0x80 {
            index += 1
            return .success(.wellKnown(UInt32(first & 0x7F)))
        }
        if first >= 0x20 {
            guard let text = readText(bytes, at: &index, end: end) else {
                return .failure(
                    DecodeError(.truncatedBinary, "The textual content type has no terminating 0x00.", offset: start))
            }
            return .success(.text(text))
        }
        // Content-general-form: Value-length Media-type (parameters follow and are skipped).
        guard let length = readValueLength(bytes, at: &index, end: end), length <= end - index, length > 0 else {
            return .failure(
                DecodeError(.truncatedBinary, "The content type's value length runs past HeadersLen.", offset: start))
        }
        let valueEnd = index + length
        defer { index = valueEnd }
        let media = bytes[index]
        if media >= 0x80 { return .success(.wellKnown(UInt32(media & 0x7F))) }
        if media >= 0x20 {
            var textIndex = index
            guard let text = readText(bytes, at: &textIndex, end: valueEnd) else {
                return .failure(
                    DecodeError(.truncatedBinary, "The media type text has no terminating 0x00.", offset: index))
            }
            return .success(.text(text))
        }
        // Long-integer: Short-length (1–30) octets, big-endian; more than 4 cannot be a content type code.
        let octets = Int(media)
        guard octets >= 1, octets <= 4, octets <= valueEnd - index - 1 else {
            return .failure(DecodeError(.invalidValue, "The content type's long integer is malformed.", offset: index))
        }
        let code = bytes[(index + 1)...(index + octets)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return .success(.wellKnown(code))
    }

    /// Value-length (§8.4.2.2): a short length 0–30, or 31 followed by a uintvar.
    static func readValueLength(_ bytes: [UInt8], at index: inout Int, end: Int) -> Int? {
        guard index < end else { return nil }
        let first = bytes[index]
        if first <= 30 {
            index += 1
            return Int(first)
        }
        guard first == 31 else { return nil }
        var cursor = NotificationCursor(Array(bytes[(index + 1)..<end]))
        guard case .success(let value) = cursor.readUintvar() else { return nil }
        index += 1 + cursor.offset
        return Int(value)
    }

    /// Skips one header value by its first octet (§8.4.1.2); false when it runs past `end`.
    static func skipValue(_ bytes: [UInt8], at index: inout Int, end: Int) -> Bool {
        guard index < end else { return false }
        let first = bytes[index]
        if first >= 0x80 {
            index += 1
            return true
        }
        if first >= 0x20 { return readText(bytes, at: &index, end: end) != nil }
        guard let length = readValueLength(bytes, at: &index, end: end), length <= end - index else { return false }
        index += length
        return true
    }

    /// A 0x00-terminated text string; a leading quote (0x7F or `"`) is dropped. `nil` (index unmoved) when
    /// no 0x00 comes before `end`.
    static func readText(_ bytes: [UInt8], at index: inout Int, end: Int) -> String? {
        var stop = index
        while stop < end, bytes[stop] != 0 { stop += 1 }
        guard stop < end else { return nil }
        var start = index
        if start < stop, bytes[start] == 0x7F || bytes[start] == 0x22 { start += 1 }
        index = stop + 1
        return String(decoding: bytes[start..<stop], as: UTF8.self)
    }

    /// Application-id-value: an Integer-value (short or long) or a URI text.
    static func readApplicationID(_ value: [UInt8]) -> WSPApplicationID? {
        guard let first = value.first else { return nil }
        if first >= 0x80 { return .code(UInt32(first & 0x7F)) }
        if first >= 0x20 {
            var index = 0
            return readText(value, at: &index, end: value.count).map { .uri($0) }
        }
        let octets = Int(first)
        guard octets >= 1, octets <= 4, value.count == octets + 1 else { return nil }
        return .code(value[1...].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    }

    private static func malformed(_ kind: DecodeError.Kind, _ message: String, at offset: Int) -> NotificationIssue {
        .error(.wspMalformed, kind, message, at: offset)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }
}
