import Testing

@testable import DMProtocol

/// Every proper prefix of every reference vector, as (vector name, prefix length).
private let prefixes: [(String, Int)] = NotificationVectors.all.flatMap { vector in
    (0..<vector.bytes.count).map { (vector.name, $0) }
}

private func vector(_ name: String) -> [UInt8] {
    NotificationVectors.all.first { $0.name == name }?.bytes ?? []
}

@Suite("Notification: truncated input gives errors, never traps")
struct NotificationTruncationTests {
    @Test(
        "every proper prefix of a raw notification decodes with an error",
        arguments: prefixes.filter { !$0.0.hasPrefix("wsp") })
    func rawPrefix(name: String, length: Int) {
        let bytes = Array(vector(name)[0..<length])
        let hints: [NotificationDecodingOptions] = [
            .init(), .init(format: .dm12), .init(format: .options), .init(framing: .l4x), .init(numbering: .absolute),
        ]
        for options in hints {
            let notification = NotificationDecoder.decode(bytes, options: options)
            #expect(notification.bytes == bytes)
            // A prefix of a DM 1.2 vector may still be a well-formed, shorter message only if the server id is
            // complete, which a proper prefix never is; the options formats lose an option or its value.
            #expect(notification.hasErrors, "prefix \(length) of \(name) with \(options.format)")
        }
    }

    @Test(
        "every proper prefix of a WSP-wrapped notification is an error or not a notification",
        arguments: prefixes.filter { $0.0.hasPrefix("wsp") })
    func wspPrefix(name: String, length: Int) {
        let bytes = Array(vector(name)[0..<length])
        let (push, issues) = WSPDecoder.decodePush(bytes)
        if push == nil { #expect(issues.contains { $0.error.isError }) }
        let datagram = NotificationDetector.decode(udpPayload: bytes, sourcePort: 9200, destinationPort: 2948)
        if let datagram {
            #expect(datagram.issues.contains { $0.error.isError }, "prefix \(length) of \(name)")
        }
    }

    @Test("truncation offsets point at the end of the input for the fixed DM 1.2 header", arguments: 0..<24)
    func dm12HeaderOffsets(length: Int) throws {
        let notification = NotificationDecoder.decode(
            Array(NotificationVectors.dm12[0..<length]), options: .init(format: .dm12))
        let issue = try #require(notification.issues.first { $0.check == .truncated })
        #expect(issue.error.offset == length)
        #expect(issue.error.kind == .truncatedBinary)
    }
}
