import DMProtocol
import Testing

/// Format auto-detection between the DM 1.2 trigger and the VER/OC options formats.
@Suite("Notification format detection")
struct NotificationDetectionTests {
    /// Found by the DM 1.2 property test: this trigger's MD5 digest starts with a byte whose high
    /// nibble reads as VER 1, and the bytes happen to decode cleanly as a DM 1.3 options message.
    @Test("a DM 1.2 trigger whose digest looks like a VER/OC header is still DM 1.2")
    func digestThatLooksLikeAHeader() throws {
        let bytes = try NotificationEncoder.encodeDM12(
            serverID: "ZMVOdv9LdlL10JhKwceAAVxvgHvytwHfrDNK6vlar", sessionID: 14208, version: 11,
            uiMode: .userInteraction, initiator: .client, vendorSpecific: [88, 19, 133, 105, 46, 149],
            password: Array("pw".utf8), nonce: Array("n".utf8))
        let decoded = NotificationDecoder.decode(bytes)
        #expect(decoded.format == .dm12)
        #expect(decoded.sessionID == 14208)
        #expect(decoded.serverID == "ZMVOdv9LdlL10JhKwceAAVxvgHvytwHfrDNK6vlar")
        #expect(!decoded.hasErrors)
    }

    /// Found by the DM 2.0 property test: this clean DM 2.0 message (L12 framing) has 0x02 0x80 at
    /// bytes 16–17, which a DM 1.2 trigger reads as version 10, and a printable byte where the
    /// DM 1.2 server id would be. Its DM 1.2 reading has issues, its DM 2.0 reading none.
    @Test("a DM 2.0 message that also fits the DM 1.2 layout is DM 2.0 when only that reading is clean")
    func dm20ThatLooksLikeATrigger() {
        let bytes: [UInt8] =
            [34, 0, 16, 8, 117, 115, 69, 120, 118, 109, 90, 69, 16, 1, 0, 16, 2, 128, 0, 16, 32, 0, 0, 1, 32]
            + [UInt8](repeating: 0, count: 28)
        let decoded = NotificationDecoder.decode(bytes)
        #expect(decoded.format == .dm20)
        #expect(decoded.serverID == "usExvmZE")
        #expect(decoded.notificationID == 32768)
        #expect(decoded.issues.isEmpty)
    }
}
