import PropertyBased
import Testing

@testable import DMProtocol

/// Random approved-format DM 2.0 content within what both framings can carry.
private let contentGenerator = zip(
    Gen.letterOrNumber.string(of: 1...40).optional,
    Gen<UInt8>.value(in: 1...3).array(of: 0...3),
    Gen.bool,
    Gen<UInt16>.value(in: 0...UInt16.max).optional,
    Gen<UInt8>.value(in: 0...255).array(of: 32).optional,
    Gen<UInt64>.value(in: 0...UInt64.max).optional,
    Gen.bool,
    Gen.bool
).map { serverID, types, anyLast, notificationID, digest, timestamp, isWide, requestsMOs in
    DM20NotificationContent(
        serverID: serverID,
        preferredConnectionTypes: (types + (anyLast ? [0] : [])).map(NotificationConnectionType.init),
        notificationID: notificationID, digest: digest,
        timestamp: timestamp.map { isWide ? $0 : $0 & 0xFFFF_FFFF }, timestampWidth: isWide && timestamp != nil ? 8 : 4,
        requestsMOs: requestsMOs)
}

/// One edit of a byte string: overwrite, insert, delete or truncate at a position.
private let mutationGenerator = zip(
    Gen<UInt8>.value(in: 0...3), Gen<UInt16>.value(in: 0...UInt16.max), Gen<UInt8>.value(in: 0...255))

private func mutate(_ bytes: [UInt8], _ edits: [(UInt8, UInt16, UInt8)]) -> [UInt8] {
    var bytes = bytes
    for (kind, position, value) in edits {
        let index = bytes.isEmpty ? 0 : Int(position) % (bytes.count + (kind == 1 ? 1 : 0))
        switch kind {
        case 0 where !bytes.isEmpty: bytes[index] = value
        case 1: bytes.insert(value, at: min(index, bytes.count))
        case 2 where !bytes.isEmpty: bytes.remove(at: index)
        case 3: bytes = Array(bytes.prefix(index))
        default: break
        }
    }
    return bytes
}

@Suite("Notification: properties")
struct NotificationPropertyTests {
    @Test("random DM 2.0 content encodes and decodes to the same values, in both framings")
    func roundTrip() async {
        await propertyCheck(count: 300, input: contentGenerator, Gen<NotificationOptionFraming>.case) {
            content, framing in
            let bytes: [UInt8]
            do { bytes = try NotificationEncoder.encode(content, framing: framing) } catch {
                Issue.record("encoding failed: \(error)")
                return
            }
            let options = NotificationDecodingOptions(framing: framing == .l4x ? .l4x : nil)
            let decoded = NotificationDecoder.decode(bytes, options: options)
            #expect(decoded.format == .dm20)
            #expect(decoded.framing?.framing == framing)
            #expect(DM20NotificationContent(decoded) == content)
            #expect(decoded.serverID == content.serverID)
            #expect(decoded.notificationID == content.notificationID)
            #expect(decoded.digest == content.digest)
            let expected: Set<NotificationCheck> = content.serverID == nil ? [.missingServerID] : []
            #expect(Set(decoded.issues.map(\.check)) == expected)
            // The UDP entry point finds the same notification inside a WSP push, on any port.
            let datagram = NotificationDetector.decode(
                udpPayload: NotificationEncoder.wspPush(body: bytes), sourcePort: 1, destinationPort: 9,
                options: options)
            #expect(datagram?.notification == decoded)
        }
    }

    @Test("signed random DM 2.0 content verifies, with and without auth data")
    func signedRoundTrip() async {
        await propertyCheck(count: 100, input: contentGenerator, Gen<UInt8>.value(in: 0...255).array(of: 0...16)) {
            content, authData in
            guard
                let signed = try? NotificationEncoder.encode(content, secret: Array("secret".utf8), authData: authData)
            else {
                Issue.record("encoding failed")
                return
            }
            let decoded = NotificationDecoder.decode(signed)
            let credentials = ServerCredentials(
                serverID: content.serverID ?? "any", secret: Array("secret".utf8), authData: authData)
            let result = DigestVerifier.verify(decoded, with: CredentialStore([credentials]))
            let variant: DigestVariant = authData.isEmpty ? .sha256WithoutAuthData : .sha256WithAuthData
            #expect(result == .verified(DigestMatch(variant: variant, serverID: credentials.serverID)))
        }
    }

    @Test("random DM 1.2 triggers encode and decode to the same fields and verify")
    func dm12RoundTrip() async {
        let generator = zip(
            Gen.letterOrNumber.string(of: 1...60), Gen<UInt16>.value(in: 0...UInt16.max), Gen<Int>.value(in: 10...13),
            Gen<NotificationUIMode>.case, Gen.bool, Gen<UInt8>.value(in: 0...255).array(of: 0...20))
        await propertyCheck(count: 200, input: generator) { serverID, sessionID, version, uiMode, isServer, vendor in
            let initiator: NotificationInitiator = isServer ? .server : .client
            guard
                let bytes = try? NotificationEncoder.encodeDM12(
                    serverID: serverID, sessionID: sessionID, version: version, uiMode: uiMode, initiator: initiator,
                    vendorSpecific: vendor, password: Array("pw".utf8), nonce: Array("n".utf8))
            else {
                Issue.record("encoding failed")
                return
            }
            let decoded = NotificationDecoder.decode(bytes)
            #expect(decoded.format == .dm12)
            #expect(decoded.trigger?.version == version)
            #expect(decoded.trigger?.uiMode == uiMode)
            #expect(decoded.trigger?.initiator == initiator)
            #expect(decoded.sessionID == sessionID)
            #expect(decoded.serverID == serverID)
            #expect(decoded.trigger?.vendorSpecific == vendor)
            #expect(!decoded.hasErrors)
            let store = CredentialStore([
                ServerCredentials(serverID: serverID, secret: Array("pw".utf8), nonces: [Array("n".utf8)])
            ])
            #expect(
                DigestVerifier.verify(decoded, with: store)
                    == .verified(DigestMatch(variant: .md5StoredNonce, serverID: serverID, nonceIndex: 0)))
        }
    }

    @Test("random mutations of the reference vectors never crash any decoder")
    func mutationsNeverCrash() async {
        let vectors = NotificationVectors.all.map(\.bytes)
        let store = CredentialStore([
            ServerCredentials(serverID: "dms.example", secret: Array("srvsecret".utf8)),
            ServerCredentials(
                serverID: "com.example.dms", secret: Array("srvsecret".utf8), nonces: [Array("nonce1".utf8)]),
        ])
        await propertyCheck(
            count: 1000, input: Gen<Int>.value(in: 0...(vectors.count - 1)), mutationGenerator.array(of: 1...6)
        ) { index, edits in
            let bytes = mutate(vectors[index], edits)
            for options in [
                NotificationDecodingOptions(), .init(format: .dm12), .init(format: .options), .init(framing: .l4x),
            ] {
                let decoded = NotificationDecoder.decode(bytes, options: options)
                #expect(decoded.bytes == bytes)
                _ = DigestVerifier.verify(decoded, with: store)
                _ = decoded.relabeled(as: .crDraft)
            }
            let (push, issues) = WSPDecoder.decodePush(bytes)
            #expect(push != nil || issues.contains { $0.error.isError })
            if let datagram = NotificationDetector.decode(udpPayload: bytes, sourcePort: 9200, destinationPort: 2948) {
                #expect(datagram.notificationOffset <= bytes.count)
            }
        }
    }
}
