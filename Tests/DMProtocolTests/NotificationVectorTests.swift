import Testing

@testable import DMProtocol

/// The hex vectors of reference §2 (dm-protocol.md), shared by the notification, WSP and digest tests.
enum NotificationVectors {
    /// §2.1: DM 1.2, server `com.example.dms`, version 11, informative, server-initiated, session 1234.
    static let dm12 = hex("6d9eadb09bc12c1b58513432ec0bcb89 02e8 000000 04d2 0f 636f6d2e6578616d706c652e646d73")
    /// §2.1: the same with version 12 (header `03 28`) and its digest for the stored nonce.
    static let dm12Version12 = hex(
        "749d518e8aaaf10392e3ccf364f7fece 0328 000000 04d2 0f 636f6d2e6578616d706c652e646d73")
    /// §2.2: hypothetical DM 1.3, Server-ID `dms.example`, Requested-MO index 1.
    static let dm13 = hex("1100 100b 646d732e6578616d706c65 2002 0001")
    /// §2.3.4: approved DM 2.0 in L12 framing (58 bytes).
    static let dm20L12 = hex(
        """
        2280 100b 646d732e6578616d706c65 1001 02 1002 1234
        1020 1248aeda04255b2b8395d9e310a87191f670f82b455e7657449d0504d881a96f 2000
        """)
    /// §2.3.4: the same content in L4X framing (54 bytes).
    static let dm20L4X = hex(
        """
        2280 1b 646d732e6578616d706c65 11 02 12 1234
        1f 11 2628b53b0cde5f96e0c706ada81d574d5770e8011ee4af5a80292f22123941a9 20
        """)
    /// §2.3.4: CR draft, L12, Server-ID + Requested-MO-CV (MO index 1, 9-byte validator).
    static let crL12 = hex("2100 100b 646d732e6578616d706c65 600b 0001 686897696a7c876b7e")
    /// §2.3.4: the CR example with absolute option numbers (`700b`).
    static let crL12Absolute = hex("2100 100b 646d732e6578616d706c65 700b 0001 686897696a7c876b7e")
    /// §2.3.4: the CR example in L4X framing (26 bytes).
    static let crL4X = hex("2100 1b 646d732e6578616d706c65 6b 0001 686897696a7c876b7e")
    /// §2.4: the DM 1.2 example in a WSP push (45 bytes).
    static let wspDM12 = hex("01 06 03 c4 af 87") + dm12
    /// §2.2/§2.4: the DM 1.3 example in a WSP push (content type 0x58).
    static let wspDM13 = hex("01 06 03 d8 af 87") + dm13
    /// The DM 2.0 L12 example in a WSP push.
    static let wspDM20 = hex("01 06 03 d8 af 87") + dm20L12

    static let validatorCR = hex("686897696a7c876b7e")
    static let digestL12 = hex("1248aeda04255b2b8395d9e310a87191f670f82b455e7657449d0504d881a96f")

    /// Every valid input of §2, raw and wrapped, for the truncation and mutation tests.
    static let all: [(name: String, bytes: [UInt8])] = [
        ("dm12", dm12), ("dm12v12", dm12Version12), ("dm13", dm13), ("dm20L12", dm20L12), ("dm20L4X", dm20L4X),
        ("crL12", crL12), ("crL12Absolute", crL12Absolute), ("crL4X", crL4X), ("wspDM12", wspDM12),
        ("wspDM13", wspDM13), ("wspDM20", wspDM20),
    ]

    /// Bytes from hex digits; spaces and newlines are ignored.
    static func hex(_ text: String) -> [UInt8] {
        let digits = text.unicodeScalars.compactMap { scalar -> UInt8? in
            guard let value = Int(String(scalar), radix: 16) else { return nil }
            return UInt8(value)
        }
        return stride(from: 0, to: digits.count - 1, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}

@Suite("Notification: reference §2 vectors")
struct NotificationVectorTests {
    @Test("§2.1 DM 1.2 example decodes field by field")
    func dm12Example() throws {
        let notification = NotificationDecoder.decode(NotificationVectors.dm12)
        #expect(notification.format == .dm12)
        #expect(notification.issues.isEmpty)
        let trigger = try #require(notification.trigger)
        #expect(notification.bytes.count == 39)
        #expect(trigger.digest == NotificationVectors.hex("6d9eadb09bc12c1b58513432ec0bcb89"))
        #expect(notification.digest == trigger.digest)
        #expect(trigger.version == 11)
        #expect(trigger.versionText == "1.1")
        #expect(trigger.uiMode == .informative)
        #expect(trigger.initiator == .server)
        #expect(trigger.futureUse == 0)
        #expect(trigger.sessionID == 1234)
        #expect(notification.sessionID == 1234)
        #expect(trigger.serverIDLength == 15)
        #expect(notification.serverID == "com.example.dms")
        #expect(trigger.vendorSpecific.isEmpty)
    }

    @Test("§2.1 version 12 is decoded and reported as a notice, not an error")
    func dm12Version12() throws {
        let notification = NotificationDecoder.decode(NotificationVectors.dm12Version12)
        #expect(notification.format == .dm12)
        #expect(notification.version == 12)
        #expect(!notification.hasErrors)
        let issue = try #require(notification.issues.first)
        #expect(issue.check == .versionValue)
        #expect(issue.error.kind == .notice)
        #expect(issue.error.offset == 16)
    }

    @Test(
        "DM 1.2 version outside 10–13 is an error; 10 and 13 warnings",
        arguments: [(9, true), (10, false), (13, false), (14, true), (1023, true)])
    func dm12VersionRange(version: Int, isError: Bool) throws {
        let bytes = try NotificationEncoder.encodeDM12(serverID: "s", sessionID: 1, version: version)
        let notification = NotificationDecoder.decode(bytes, options: .init(format: .dm12))
        let issue = try #require(notification.issues.first { $0.check == .versionValue })
        #expect(issue.error.isError == isError)
    }

    @Test("DM 1.2 non-zero future-use bits and a zero server-id length are reported")
    func dm12FutureUseAndEmptyServer() throws {
        var bytes = NotificationVectors.dm12
        bytes[20] = 0x01
        let notification = NotificationDecoder.decode(bytes)
        let future = try #require(notification.issues.first { $0.check == .futureUseBits })
        #expect(future.error.severity == .warning)
        #expect(notification.trigger?.futureUse == 1)

        let empty = Array(NotificationVectors.dm12[0..<23]) + [0]
        let decoded = NotificationDecoder.decode(empty, options: .init(format: .dm12))
        #expect(decoded.issues.contains { $0.check == .emptyServerID && $0.error.offset == 23 })
    }

    @Test("DM 1.2 vendor part after the server id is kept")
    func dm12VendorPart() throws {
        let bytes = try NotificationEncoder.encodeDM12(serverID: "srv", sessionID: 7, vendorSpecific: [1, 2, 3])
        let notification = NotificationDecoder.decode(bytes, options: .init(format: .dm12))
        #expect(notification.trigger?.vendorSpecific == [1, 2, 3])
        #expect(notification.serverID == "srv")
    }

    @Test("§2.2 DM 1.3 example: VER 1, L12 is the only framing that fits")
    func dm13Example() throws {
        let notification = NotificationDecoder.decode(NotificationVectors.dm13)
        #expect(notification.format == .dm13)
        #expect(notification.version == 1)
        #expect(notification.header == NotificationOptionsHeader(version: 1, optionCount: 2, reserved: 0))
        #expect(notification.framing == NotificationFramingDecision(framing: .l12, reason: .onlyCandidateThatFits))
        #expect(notification.serverID == "dms.example")
        #expect(notification.options.map(\.number) == [1, 3])
        #expect(notification.option(named: "Requested-MO")?.interpreted == .unsignedInteger(1))
        #expect(!notification.hasErrors)
    }

    @Test("§2.3.4 approved DM 2.0, L12: every option decodes")
    func dm20L12Example() throws {
        let notification = NotificationDecoder.decode(NotificationVectors.dm20L12)
        #expect(notification.format == .dm20)
        #expect(notification.issues.isEmpty)
        #expect(notification.header == NotificationOptionsHeader(version: 2, optionCount: 5, reserved: 0))
        #expect(notification.framing == NotificationFramingDecision(framing: .l12, reason: .standard))
        #expect(notification.numbering == .delta)
        #expect(notification.options.map(\.number) == [1, 2, 3, 4, 6])
        #expect(
            notification.options.map(\.name) == [
                "SERVER-ID", "PREFERRED-CON-TYPE", "NOTIFICATION-ID", "SHA256-DIGEST", "REQ-MOS",
            ])
        #expect(notification.serverID == "dms.example")
        #expect(notification.option(2)?.interpreted == .connectionTypes([.wlan]))
        #expect(notification.notificationID == 0x1234)
        #expect(notification.digest == NotificationVectors.digestL12)
        #expect(notification.digestRange == 24..<56)
        #expect(notification.option(named: "REQ-MOS")?.interpreted == .empty)
        #expect(notification.requestsMOs)
        #expect(notification.option(3)?.offset == 18)
        #expect(notification.option(3)?.valueOffset == 20)
    }

    @Test("§2.3.4 L4X example: L12 is the standard, the L4X fit is hinted, forcing L4X decodes it")
    func dm20L4XExample() throws {
        let standard = NotificationDecoder.decode(NotificationVectors.dm20L4X, options: .init(format: .options))
        #expect(standard.framing?.framing == .l12)
        #expect(standard.hasErrors)
        #expect(standard.issues.contains { $0.check == .otherFramingFits })

        let forced = NotificationDecoder.decode(NotificationVectors.dm20L4X, options: .init(framing: .l4x))
        #expect(forced.format == .dm20)
        #expect(forced.framing == NotificationFramingDecision(framing: .l4x, reason: .forced))
        #expect(forced.issues.isEmpty)
        #expect(forced.serverID == "dms.example")
        #expect(forced.notificationID == 0x1234)
        #expect(
            forced.digest == NotificationVectors.hex("2628b53b0cde5f96e0c706ada81d574d5770e8011ee4af5a80292f22123941a9")
        )
        #expect(forced.option(6)?.interpreted == .empty)
    }

    @Test("§2.3.4 CR example: option 7 makes it the CR draft; option 7 is Requested-MO-CV")
    func crExample() throws {
        let notification = NotificationDecoder.decode(NotificationVectors.crL12)
        #expect(notification.format == .crDraft)
        #expect(notification.issues.isEmpty)
        #expect(notification.serverID == "dms.example")
        let option = try #require(notification.option(named: "Requested-MO-CV"))
        #expect(option.number == 7)
        #expect(option.interpreted == .requestedMOCV(moIndex: 1, validator: NotificationVectors.validatorCR))
    }

    @Test("§2.3.4 CR with absolute option numbers is read as absolute (deltas would give option 8)")
    func crAbsoluteNumbers() throws {
        let notification = NotificationDecoder.decode(NotificationVectors.crL12Absolute)
        #expect(notification.numbering == .absolute)
        #expect(notification.format == .crDraft)
        #expect(notification.options.map(\.number) == [1, 7])
        #expect(notification.issues.isEmpty)

        let forcedDelta = NotificationDecoder.decode(
            NotificationVectors.crL12Absolute, options: .init(numbering: .delta))
        #expect(forcedDelta.options.map(\.number) == [1, 8])
        #expect(forcedDelta.issues.contains { $0.check == .unknownOption })
    }

    @Test("§2.3.4 CR example in L4X, forced")
    func crL4X() throws {
        let notification = NotificationDecoder.decode(NotificationVectors.crL4X, options: .init(framing: .l4x))
        #expect(notification.format == .crDraft)
        #expect(notification.issues.isEmpty)
        #expect(
            notification.option(7)?.interpreted
                == .requestedMOCV(moIndex: 1, validator: NotificationVectors.validatorCR))
    }

    @Test("A VER 2 message re-labelled as CR reads option 3 as Requested-MO, and back")
    func relabel() throws {
        let approved = NotificationDecoder.decode(NotificationVectors.dm20L12)
        let cr = approved.relabeled(as: .crDraft)
        #expect(cr.format == .crDraft)
        #expect(cr.option(3)?.name == "Requested-MO")
        #expect(cr.notificationID == nil)
        let crExample = NotificationDecoder.decode(NotificationVectors.crL12).relabeled(as: .approved)
        #expect(crExample.format == .dm20)
        #expect(crExample.option(7)?.name == "Requested-MO-CV")
    }
}

@Suite("Notification: option checks")
struct NotificationCheckTests {
    private func encode(_ options: [(number: Int, value: [UInt8])], numbering: NotificationOptionNumbering = .delta)
        throws -> Notification
    {
        let bytes = try NotificationEncoder.encodeOptions(options: options, numbering: numbering)
        return NotificationDecoder.decode(
            bytes, options: .init(format: .options, numbering: numbering, dialect: .approved))
    }

    @Test("NOTIFICATION-ID must be exactly 2 bytes", arguments: [0, 1, 3, 4])
    func notificationIDLength(length: Int) throws {
        let notification = try encode([(1, Array("s".utf8)), (3, [UInt8](repeating: 7, count: length))])
        let issue = try #require(notification.issues.first { $0.check == .notificationIDLength })
        #expect(issue.error.offset == 2 + 2 + 1)
        #expect(notification.notificationID == nil)
    }

    @Test("SHA256-DIGEST must be 32 bytes", arguments: [0, 16, 31, 33])
    func digestLength(length: Int) throws {
        let notification = try encode([(1, Array("s".utf8)), (4, [UInt8](repeating: 1, count: length))])
        #expect(notification.issues.contains { $0.check == .digestLength && $0.error.isError })
        #expect(notification.digest == nil)
    }

    @Test("TIMESTAMP of 4 or 8 bytes decodes as POSIX seconds", arguments: [4, 8])
    func timestampWidths(width: Int) throws {
        let value: UInt64 = 1_700_000_000
        let bytes = (0..<width).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
        let notification = try encode([(1, Array("s".utf8)), (5, bytes)])
        #expect(notification.issues.isEmpty)
        #expect(notification.option(named: "TIMESTAMP")?.interpreted == .timestamp(secondsSince1970: value))
    }

    @Test("TIMESTAMP of another width is a warning and kept as bytes", arguments: [0, 2, 5, 16])
    func timestampOtherWidths(width: Int) throws {
        let notification = try encode([(1, Array("s".utf8)), (5, [UInt8](repeating: 9, count: width))])
        let issue = try #require(notification.issues.first { $0.check == .timestampWidth })
        #expect(issue.error.severity == .warning)
        #expect(notification.option(5)?.interpreted == .opaque([UInt8](repeating: 9, count: width)))
    }

    @Test("an option occurring twice is an error in the approved format")
    func duplicateOption() throws {
        let notification = try encode([(1, Array("s".utf8)), (3, [0, 1]), (3, [0, 2])])
        let issue = try #require(notification.issues.first { $0.check == .duplicateOption })
        #expect(issue.error.offset == 2 + 3 + 4)
    }

    @Test("the CR draft allows repeated ZeroOrMore options")
    func crRepeats() throws {
        let bytes = try NotificationEncoder.encodeOptions(options: [
            (1, Array("s".utf8)), (7, [0, 1, 9]), (7, [0, 2, 9]),
        ])
        let notification = NotificationDecoder.decode(bytes)
        #expect(notification.format == .crDraft)
        #expect(notification.issues.isEmpty)
        #expect(notification.options(numbered: 7).count == 2)
    }

    @Test("absolute numbering reports options out of increasing order")
    func optionOrder() throws {
        let bytes = NotificationVectors.hex("2100 7003 000102 1001 41")
        let notification = NotificationDecoder.decode(bytes, options: .init(numbering: .absolute))
        let issue = try #require(notification.issues.first { $0.check == .optionOrder })
        #expect(issue.error.offset == 7)
    }

    @Test("REQ-MOS with a value, bad PREFERRED-CON-TYPE, short Requested-MO-CV")
    func valueRules() throws {
        #expect(try encode([(1, [0x61]), (6, [1])]).issues.contains { $0.check == .reqMOSLength })
        #expect(
            try encode([(1, [0x61]), (2, [4])]).issues.contains { $0.check == .connectionTypeValue && $0.error.isError }
        )
        #expect(try encode([(1, [0x61]), (2, [])]).issues.contains { $0.check == .connectionTypeValue })
        let order = try encode([(1, [0x61]), (2, [0, 1])])
        #expect(order.issues.contains { $0.check == .connectionTypeValue && $0.error.severity == .warning })
        #expect(order.option(2)?.interpreted == .connectionTypes([.anyAvailable, .cellular]))
        #expect(try encode([(1, [0x61]), (7, [0, 1])]).issues.contains { $0.check == .requestedMOCVLength })
    }

    @Test("invalid UTF-8 server id, missing server id, unknown option, reserved bits")
    func otherChecks() throws {
        #expect(
            try encode([(1, [0xFF, 0xFE])]).issues.contains {
                $0.check == .invalidString && $0.error.kind == .invalidUTF8
            })
        let missing = try encode([(3, [0, 1])])
        #expect(missing.issues.contains { $0.check == .missingServerID && $0.error.severity == .warning })
        let unknown = try encode([(1, [0x61]), (12, [1, 2])])
        #expect(unknown.option(12)?.name == nil)
        #expect(unknown.option(12)?.interpreted == .opaque([1, 2]))
        #expect(unknown.issues.contains { $0.check == .unknownOption && !$0.error.isError })
        let reserved = NotificationDecoder.decode(
            try NotificationEncoder.encodeOptions(options: [(1, [0x61])], reserved: 5))
        #expect(reserved.issues.contains { $0.check == .reservedBits && $0.error.offset == 1 })
    }

    @Test("VER other than 1 or 2 under content type 0x58 is an error", arguments: [0, 3, 15])
    func versionNibble(version: Int) throws {
        let bytes = try NotificationEncoder.encodeOptions(version: version, options: [(1, [0x61])])
        let notification = NotificationDecoder.decode(bytes, options: .init(format: .options))
        #expect(notification.issues.contains { $0.check == .versionValue && $0.error.offset == 0 })
        #expect(notification.serverID == "a")
    }

    @Test("option length past the end and bytes after the last option")
    func framingErrors() throws {
        let pastEnd = NotificationDecoder.decode(
            NotificationVectors.hex("2080 100b 646d73"), options: .init(format: .options))
        let issue = try #require(pastEnd.issues.first { $0.check == .optionPastEnd })
        #expect(issue.error.offset == 2)
        #expect(issue.error.kind == .truncatedBinary)
        let trailing = NotificationDecoder.decode(
            NotificationVectors.hex("2080 1001 61 ffff"), options: .init(format: .options))
        let extra = try #require(trailing.issues.first { $0.check == .optionCount })
        #expect(extra.error.offset == 5)
        #expect(trailing.serverID == "a")
    }
}
