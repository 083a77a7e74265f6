/// Makes untrusted text (anything that came from a capture) safe to print on a terminal.
public enum TerminalText {
    /// Replaces control characters (C0, DEL, C1, including ESC, so no ANSI sequence survives),
    /// backslashes and Unicode bidirectional overrides with visible escapes: `\n`, `\t`, `\x1b`,
    /// `\u{202e}`. Printable text, including non-ASCII letters, is kept as it is.
    public static func escape(_ text: String) -> String {
        var needsWork = false
        for scalar in text.unicodeScalars where isUnsafe(scalar) || scalar == "\\" {
            needsWork = true
            break
        }
        guard needsWork else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if isUnsafe(scalar) {
                    if scalar.value < 0x100 {
                        result += "\\x" + hex(scalar.value, digits: 2)
                    } else {
                        result += "\\u{" + hex(scalar.value, digits: 4) + "}"
                    }
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// Bytes that may not be valid UTF-8 (e.g. a server id), decoded with invalid sequences shown as `\xNN`.
    public static func escape(bytes: some Collection<UInt8>) -> String {
        var result = ""
        // Decode scalar by scalar; on an error fall back to hex for the offending byte.
        let buffered = Array(bytes)
        var index = 0
        while index < buffered.count {
            let byte = buffered[index]
            let length: Int
            switch byte {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: length = 0
            }
            if length > 0, index + length <= buffered.count,
                let scalarText = String(validating: buffered[index..<(index + length)], as: UTF8.self)
            {
                result += escape(scalarText)
                index += length
            } else {
                result += "\\x" + hex(UInt32(byte), digits: 2)
                index += 1
            }
        }
        return result
    }

    private static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true  // bidi marks and overrides
        default: false
        }
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
