import Testing

@testable import DMProtocol

/// Inputs the fuzzers found (Fuzz/crashes/<Name>/), kept as the smallest reproductions.
@Suite("Notification: fuzzer findings")
struct NotificationFuzzRegressionTests {
    /// FuzzNotification `crash-2290733415d1bd9a368317dffadf54a7aaab8c6f`: in L4X framing a 3-byte TIMESTAMP
    /// decodes with a width warning and stays raw, so the content model (which has no raw timestamp) did not
    /// re-encode to the input. The decoder was right; the harness now re-encodes only issue-free decodes.
    @Test("3-byte TIMESTAMP in L4X: warning, value kept raw, not part of the re-encodable content")
    func threeByteTimestampL4X() throws {
        let bytes = NotificationVectors.hex("2100 5307 0000 10")
        let notification = NotificationDecoder.decode(bytes, options: .init(format: .options, framing: .l4x))
        #expect(notification.format == .dm20)
        #expect(notification.options.map(\.number) == [5, 6])
        #expect(notification.option(5)?.interpreted == .opaque([0x07, 0x00, 0x00]))
        #expect(!notification.hasErrors)
        #expect(Set(notification.issues.map(\.check)) == [.timestampWidth, .missingServerID])
        let content = try #require(DM20NotificationContent(notification))
        #expect(content.timestamp == nil)
        #expect(content.requestsMOs)
    }
}
