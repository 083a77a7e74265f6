import Testing

@testable import DMProtocol

@Suite("WSP push and the UDP entry point")
struct WSPPushTests {
    @Test("§2.4 example: TID, Push, HeadersLen 3, 0xC4, app id 0x07, then the DM 1.2 body")
    func referenceExample() throws {
        let (push, issues) = WSPDecoder.decodePush(NotificationVectors.wspDM12)
        let decoded = try #require(push)
        #expect(issues.isEmpty)
        #expect(decoded.transactionID == 0x01)
        #expect(decoded.pduType == 0x06)
        #expect(decoded.headersLength == 3)
        #expect(decoded.headersOffset == 3)
        #expect(decoded.contentType == .wellKnown(0x44))
        #expect(decoded.contentType.mediaType == "application/vnd.syncml.notification")
        #expect(decoded.contentType.notificationFormat == .dm12)
        #expect(decoded.applicationID == .code(7))
        #expect(decoded.applicationID?.isSyncMLDM == true)
        #expect(decoded.headers.count == 1)
        #expect(decoded.bodyRange == 6..<45)
    }

    @Test("the UDP entry point decodes the §2.4 datagram on port 2948")
    func datagramDM12() throws {
        let datagram = try #require(
            NotificationDetector.decode(
                udpPayload: NotificationVectors.wspDM12, sourcePort: 9200, destinationPort: 2948))
        #expect(datagram.push != nil)
        #expect(datagram.notificationOffset == 6)
        #expect(datagram.notification.format == .dm12)
        #expect(datagram.notification.serverID == "com.example.dms")
        #expect(datagram.notification.bytes == NotificationVectors.dm12)
        #expect(datagram.issues.isEmpty)
    }

    @Test("0xD8 carries DM 1.3 or DM 2.0, told apart by VER, on any port")
    func datagramOptionsFormats() throws {
        let dm20 = try #require(
            NotificationDetector.decode(udpPayload: NotificationVectors.wspDM20, sourcePort: 1, destinationPort: 40000))
        #expect(dm20.notification.format == .dm20)
        #expect(dm20.notification.notificationID == 0x1234)
        let dm13 = try #require(
            NotificationDetector.decode(udpPayload: NotificationVectors.wspDM13, sourcePort: 1, destinationPort: 2948))
        #expect(dm13.notification.format == .dm13)
    }

    @Test(
        "a raw Package#0 without WSP is detected",
        arguments: [NotificationVectors.dm12, NotificationVectors.dm20L12, NotificationVectors.crL12])
    func rawPackage0(bytes: [UInt8]) throws {
        let onPort = try #require(
            NotificationDetector.decode(udpPayload: bytes, sourcePort: 5000, destinationPort: 2948))
        #expect(onPort.push == nil)
        #expect(onPort.notificationOffset == 0)
        #expect(!onPort.notification.hasErrors)
        let elsewhere = try #require(
            NotificationDetector.decode(udpPayload: bytes, sourcePort: 5000, destinationPort: 6000))
        #expect(elsewhere.notification == onPort.notification)
    }

    @Test("ordinary datagrams and other pushes are not notifications")
    func notNotifications() {
        let dns = NotificationVectors.hex("abcd 0100 0001 0000 0000 0000 076578616d706c6503636f6d 0000 0100 01")
        #expect(NotificationDetector.decode(udpPayload: dns, sourcePort: 40000, destinationPort: 53) == nil)
        #expect(NotificationDetector.decode(udpPayload: [UInt8](), sourcePort: 1, destinationPort: 2948) == nil)
        #expect(NotificationDetector.decode(udpPayload: [0x22], sourcePort: 1, destinationPort: 2948) == nil)
        // An MMS notification push (0xBE application/vnd.wap.mms-message) on the push port.
        let mms = NotificationVectors.hex("01 06 02 be af 84 8c 82")
        #expect(NotificationDetector.decode(udpPayload: mms, sourcePort: 9200, destinationPort: 2948) == nil)
        // A DS Server Alerted Notification (0x4E) is not DM either.
        let ds = NotificationVectors.hex("01 06 03 ce af 85") + NotificationVectors.dm12
        #expect(NotificationDetector.decode(udpPayload: ds, sourcePort: 9200, destinationPort: 2948) == nil)
        // Garbage off the push port.
        let random = [UInt8](repeating: 0x5A, count: 64)
        #expect(NotificationDetector.decode(udpPayload: random, sourcePort: 1, destinationPort: 2) == nil)
    }

    @Test("textual content type and application id are accepted with a carriage warning")
    func textualForms() throws {
        let headers =
            Array("application/vnd.syncml.dm.notification".utf8) + [0]
            + [0xAF] + Array("x-wap-application:syncml.dm".utf8) + [0]
        let pdu = [0x05, 0x06] + WSPUintvar.encode(UInt32(headers.count)) + headers + NotificationVectors.dm20L12
        let (push, issues) = WSPDecoder.decodePush(pdu)
        let decoded = try #require(push)
        #expect(decoded.contentType == .text("application/vnd.syncml.dm.notification"))
        #expect(decoded.contentType.notificationFormat == .options)
        #expect(decoded.applicationID == .uri("x-wap-application:syncml.dm"))
        #expect(decoded.applicationID?.isSyncMLDM == true)
        // Textual content type, textual application id, and 70 header bytes (> 48).
        #expect(
            issues.filter { $0.check == .wspCarriage }.map(\.error.kind) == [
                .invalidValue, .invalidValue, .limitExceeded,
            ])
        #expect(!issues.contains { $0.error.isError })
        let datagram = try #require(NotificationDetector.decode(udpPayload: pdu, sourcePort: 1, destinationPort: 2948))
        #expect(datagram.notification.format == .dm20)
        #expect(datagram.notificationOffset == pdu.count - NotificationVectors.dm20L12.count)
    }

    @Test("general-form content type with parameters, long-integer app id, other headers skipped")
    func generalFormsAndSkipping() throws {
        // Content-Type: value-length 3, 0xD8, parameter Q=0x80 0x83 … ; headers: Content-Length (0x8D 0x82),
        // an application header "X-A: b", a shift to page 2 and back, a long-integer application id 0x0007.
        let headers: [UInt8] =
            [0x03, 0xD8, 0x80, 0x83]
            + [0x8D, 0x82]
            + Array("X-A".utf8) + [0] + Array("b".utf8) + [0]
            + [0x7F, 0x02, 0x01]
            + [0xAF, 0x02, 0x00, 0x07]
        let pdu = [0x00, 0x06] + WSPUintvar.encode(UInt32(headers.count)) + headers + NotificationVectors.dm13
        let (push, issues) = WSPDecoder.decodePush(pdu)
        let decoded = try #require(push)
        #expect(!issues.contains { $0.error.isError })
        #expect(decoded.contentType == .wellKnown(0x58))
        #expect(decoded.applicationID == .code(7))
        #expect(decoded.headers.map(\.field) == [.wellKnown(0x0D), .text("X-A"), .wellKnown(0x2F)])
        #expect(decoded.bodyRange.lowerBound == pdu.count - NotificationVectors.dm13.count)
    }

    @Test("HeadersLen past the end, zero, and a bad PDU type are errors, not traps")
    func malformed() {
        let (long, longIssues) = WSPDecoder.decodePush(NotificationVectors.hex("01 06 10 c4 af 87"))
        #expect(long == nil)
        #expect(longIssues.contains { $0.check == .wspMalformed && $0.error.kind == .truncatedBinary })
        #expect(WSPDecoder.decodePush(NotificationVectors.hex("01 06 00 c4")).push == nil)
        #expect(WSPDecoder.decodePush(NotificationVectors.hex("01 08 03 c4 af 87")).push == nil)
        // A header value whose length runs past HeadersLen.
        let (push, issues) = WSPDecoder.decodePush(NotificationVectors.hex("01 06 03 c4 af 1e 00"))
        #expect(push != nil)
        #expect(issues.contains { $0.check == .wspMalformed })
    }

    @Test("uintvar: values round-trip; more than 5 octets or more than 32 bits are rejected")
    func uintvar() {
        for value: UInt32 in [0, 1, 0x7F, 0x80, 0x3FFF, 0x4000, 0xFFFF_FFFF] {
            var cursor = NotificationCursor(WSPUintvar.encode(value))
            #expect(cursor.readUintvar() == .success(value))
            #expect(cursor.isAtEnd)
        }
        var tooLong = NotificationCursor([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])
        #expect(tooLong.readUintvar() == .failure(.tooLong))
        #expect(tooLong.offset == 0)
        var overflow = NotificationCursor([0x9F, 0xFF, 0xFF, 0xFF, 0x7F])  // 2^33 - 1
        #expect(overflow.readUintvar() == .failure(.overflow))
        var truncated = NotificationCursor([0x81, 0x80])
        #expect(truncated.readUintvar() == .failure(.truncated))
        let (push, issues) = WSPDecoder.decodePush([0x01, 0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        #expect(push == nil)
        #expect(issues.contains { $0.check == .wspMalformed })
    }

    @Test("a push header over 48 bytes is a carriage warning (DM-N0-020)")
    func headerLimit() throws {
        let extra = [UInt8](repeating: 0x80, count: 2) + (0..<21).flatMap { _ in [UInt8(0x8D), UInt8(0x81)] }
        let pdu = NotificationEncoder.wspPush(
            body: NotificationVectors.dm12, contentTypeCode: 0x44, extraHeaders: extra)
        let (push, issues) = WSPDecoder.decodePush(pdu)
        #expect(push != nil)
        #expect(issues.contains { $0.check == .wspCarriage && $0.error.kind == .limitExceeded })
    }

    @Test("the encoder reproduces the §2.4 bytes")
    func encoder() {
        #expect(
            NotificationEncoder.wspPush(body: NotificationVectors.dm12, contentTypeCode: 0x44)
                == NotificationVectors.wspDM12)
        #expect(NotificationEncoder.wspPush(body: NotificationVectors.dm13) == NotificationVectors.wspDM13)
    }
}
