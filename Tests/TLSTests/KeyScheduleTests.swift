import Testing

@testable import TLS

@Suite("Key schedule known-answer vectors")
struct KeyScheduleTests {
    static let aes128 = SuiteParameters(aead: .aes128GCM, hash: .sha256)

    @Test(
        "RFC 8448 §3: traffic keys and IVs from the traffic secrets (HKDF-Expand-Label)",
        arguments: [
            (RFC8448.serverHandshakeTrafficSecret, RFC8448.serverHandshakeKey, RFC8448.serverHandshakeIV),
            (RFC8448.clientHandshakeTrafficSecret, RFC8448.clientHandshakeKey, RFC8448.clientHandshakeIV),
            (RFC8448.serverApplicationTrafficSecret, RFC8448.serverApplicationKey, RFC8448.serverApplicationIV),
            (RFC8448.clientApplicationTrafficSecret, RFC8448.clientApplicationKey, RFC8448.clientApplicationIV),
        ])
    func trafficKeys(secret: String, key: String, iv: String) {
        let derived = KeySchedule.trafficKeys(secret: hex(secret), parameters: Self.aes128)
        #expect(derived.key == hex(key))
        #expect(derived.iv == hex(iv))
    }

    @Test("RFC 8448 §3: derive-secret from the handshake secret gives the logged traffic secrets")
    func handshakeTrafficSecrets() {
        // Derive-Secret(handshake secret, "s hs traffic", CH..SH) = HKDF-Expand-Label(…, Hash(CH..SH), 32).
        let handshakeSecret = hex("1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac")
        let transcript = hex("860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8")
        let server = KeySchedule.expandLabel(
            secret: handshakeSecret, label: "s hs traffic", context: transcript, length: 32, hash: .sha256)
        let client = KeySchedule.expandLabel(
            secret: handshakeSecret, label: "c hs traffic", context: transcript, length: 32, hash: .sha256)
        #expect(server == hex(RFC8448.serverHandshakeTrafficSecret))
        #expect(client == hex(RFC8448.clientHandshakeTrafficSecret))
    }

    @Test("TLS 1.2 PRF with SHA-256: the published test vector")
    func prfSHA256() {
        let output = KeySchedule.prf(
            secret: hex("9bbe436ba940f017b17652849a71db35"), label: "test label",
            seed: hex("a0ba9f936cda311827a6f796ffd5198c"), length: 100, hash: .sha256)
        #expect(
            output
                == hex(
                    """
                    e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f707
                    7def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66
                    """))
    }

    @Test("TLS 1.2 PRF with SHA-384 (reference computed with Python's hmac module)")
    func prfSHA384() {
        let output = KeySchedule.prf(
            secret: hex("b80b733d6ceefcdc71566ea48e5567df"), label: "test label",
            seed: hex("cd665cf6a8447dd6ff8b27555edb7465"), length: 148, hash: .sha384)
        #expect(
            output
                == hex(
                    """
                    7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cde9ca0faa60be9fe34f82b1233c9146a0e534cb40
                    0fed2700884f9dc236f80edd8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d9184259b5bf8cd4d90fa0d31
                    e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee691c8f3a26854308d5eaa3be85e0990703d73e56f
                    """))
    }

    @Test("RFC 8448 §3: the server application record decrypts at sequence 1, the alerts after it")
    func applicationRecords() throws {
        var protection = RecordProtection(
            aead: .aes128GCM, layout: .tls13, key: hex(RFC8448.serverApplicationKey),
            iv: hex(RFC8448.serverApplicationIV))
        let record = hex(RFC8448.serverApplicationRecord)
        // Sequence 0 went to the NewSessionTicket record: opening at 0 must fail the tag.
        var wrongSequence = protection
        let failed = record.withUnsafeBytes {
            wrongSequence.open(type: 23, version: 0x0303, fragment: UnsafeRawBufferPointer(rebasing: $0[5...]))
        }
        #expect(failed == .failure(.authentication))
        _ = record.withUnsafeBytes {
            protection.open(type: 23, version: 0x0303, fragment: UnsafeRawBufferPointer(rebasing: $0[5...]))
        }  // burns sequence 0 (fails) …
        let opened = record.withUnsafeBytes {
            protection.open(type: 23, version: 0x0303, fragment: UnsafeRawBufferPointer(rebasing: $0[5...]))
        }  // … and 1 succeeds
        let plaintext = try opened.get()
        #expect(Array(plaintext) == RFC8448.applicationData + [23])
        let alert = hex(RFC8448.serverAlertRecord)
        let closeNotify = try alert.withUnsafeBytes {
            protection.open(type: 23, version: 0x0303, fragment: UnsafeRawBufferPointer(rebasing: $0[5...]))
        }.get()
        #expect(Array(closeNotify) == [1, 0, 21])
    }
}
