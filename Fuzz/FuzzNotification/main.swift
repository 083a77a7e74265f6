// libFuzzer entry point for the notification side: the Package#0 decoder in every format, framing and
// numbering, digest verification, the DM 2.0 re-encoding round trip, and the credentials file parser.
// Built only with DMDISSECT_FUZZ=1 (see scripts/fuzz).
import DMProtocol

/// Decoder settings tried on every input.
private let decodings: [NotificationDecodingOptions] = [
    .init(),
    .init(format: .dm12),
    .init(format: .options),
    .init(format: .options, framing: .l4x),
    .init(format: .options, numbering: .absolute),
    .init(format: .options, dialect: .crDraft),
]

/// Credentials for the reference vectors' servers, so the verifiers run their hashing paths.
private let store = CredentialStore([
    ServerCredentials(serverID: "dms.example", secret: Array("srvsecret".utf8), authData: [1, 2]),
    ServerCredentials(serverID: "com.example.dms", secret: Array("srvsecret".utf8), nonces: [Array("nonce1".utf8)]),
])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // libFuzzer owns `data` for the duration of the call only; the decoders copy what they keep.
    let bytes = [UInt8](UnsafeBufferPointer(start: data, count: size))
    for options in decodings {
        let notification = NotificationDecoder.decode(bytes, options: options)
        guard notification.bytes == bytes else { fatalError("the notification does not keep its bytes") }
        for issue in notification.issues {
            if let offset = issue.error.offset, offset < 0 || offset > bytes.count {
                fatalError("issue offset \(offset) outside the input: \(issue)")
            }
        }
        for option in notification.options where option.valueOffset + option.value.count > bytes.count {
            fatalError("option value outside the input")
        }
        _ = DigestVerifier.verify(notification, with: store)
        _ = notification.relabeled(as: .crDraft)
        // A clean approved-format decode re-encodes to the same bytes. Values kept raw because of a warning
        // (a 3-byte TIMESTAMP, ANY_AVAILABLE not last …) are not part of the content, so only a decode
        // without issues (bar the optional SERVER-ID) qualifies.
        if notification.format == .dm20, notification.issues.allSatisfy({ $0.check == .missingServerID }),
            notification.numbering == .delta, notification.header?.reserved == 0,
            notification.options.allSatisfy({ (1...6).contains($0.number) }),
            let content = DM20NotificationContent(notification),
            let framing = notification.framing?.framing
        {
            let encoded = try? NotificationEncoder.encode(content, framing: framing)
            guard encoded == bytes else { fatalError("DM 2.0 re-encoding differs from the input") }
        }
    }
    _ = CredentialsFile.parse(bytes)
    return 0
}
