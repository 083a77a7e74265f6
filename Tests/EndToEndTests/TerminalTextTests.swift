import Rendering
import Testing

/// Text from captures reaches the terminal only through TerminalText: no control character,
/// ANSI escape or bidirectional override survives, printable text (any script) is unchanged.
@Suite("terminal escaping of untrusted text")
struct TerminalTextTests {
    @Test(
        "control characters, ESC sequences, DEL/C1 and bidi overrides become visible escapes",
        arguments: [
            ("\u{1B}[31mred\u{1B}[0m", "\\x1b[31mred\\x1b[0m"),
            ("a\nb\r\tc", "a\\nb\\r\\tc"),
            ("nul\u{0}del\u{7F}c1\u{9B}", "nul\\x00del\\x7fc1\\x9b"),
            ("abc\u{202E}gpj.exe", "abc\\u{202e}gpj.exe"),
            ("back\\slash", "back\\\\slash"),
        ])
    func escapes(input: String, expected: String) {
        #expect(TerminalText.escape(input) == expected)
    }

    @Test("printable text in any script is unchanged", arguments: ["/dmclient/dm20", "IMEI:356938035643809", "Gerät ☃ 端末"])
    func printableUnchanged(text: String) {
        #expect(TerminalText.escape(text) == text)
    }

    @Test("bytes that are not UTF-8 are shown as hex, valid sequences as text")
    func invalidUTF8() {
        #expect(TerminalText.escape(bytes: [0x61, 0xFF, 0xC3, 0xA4, 0x1B, 0xE2, 0x82]) == "a\\xffä\\x1b\\xe2\\x82")
    }

    @Test("no escaped output contains a raw control character", arguments: 0..<256)
    func neverRaw(byte: Int) {
        let escaped = TerminalText.escape(bytes: [UInt8(byte), 0x41])
        #expect(!escaped.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    }
}
