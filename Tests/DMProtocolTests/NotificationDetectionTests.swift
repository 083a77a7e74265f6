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
}
