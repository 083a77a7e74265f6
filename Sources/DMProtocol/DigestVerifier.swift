import Crypto

/// Which digest computation matched (or was tried) for a notification.
public enum DigestVariant: String, Hashable, Sendable, CaseIterable {
    /// DM 1.2 MD5 with a nonce from the credentials (reference §2.1).
    case md5StoredNonce
    /// DM 1.2 MD5 with the resynchronisation nonce as the 10-character text `0x00000000` (Intel's reading).
    case md5ResyncNonceText
    /// DM 1.2 MD5 with the resynchronisation nonce as four 0x00 bytes.
    case md5ResyncNonceZeroBytes
    /// DM 2.0 `SHA-256(secret ‖ message-with-zeroed-digest ‖ auth-data)` (S-TS20-A §5.2.1.2).
    case sha256WithAuthData
    /// DM 2.0 `SHA-256(secret ‖ message-with-zeroed-digest)`: the reading without auth data (reference §2.3.2).
    case sha256WithoutAuthData
}

/// A digest that verified: how, for which server, and (stored nonces) which nonce.
public struct DigestMatch: Hashable, Sendable {
    public var variant: DigestVariant
    public var serverID: String
    /// Index into `ServerCredentials.nonces` for `.md5StoredNonce`.
    public var nonceIndex: Int?
}

/// The outcome of checking a notification's digest against the user's credentials.
public enum DigestVerification: Hashable, Sendable {
    /// The digest matches.
    case verified(DigestMatch)
    /// Credentials exist but no variant matches; `tried` lists the variants in the order tried.
    /// `serverID` is `nil` when the message names no server and every configured server was tried.
    case mismatch(serverID: String?, tried: [DigestVariant])
    /// No credentials for this server (`serverID` `nil` when the message names none and none matched).
    case noCredentials(serverID: String?)
    /// The message carries no checkable digest (no SHA256-DIGEST option, truncated, or a format whose
    /// digest is unknown: DM 1.3 and the CR draft).
    case notVerifiable(String)
}

/// Verifies and computes notification digests (DM 1.2 MD5, DM 2.0 SHA-256).
public enum DigestVerifier {
    /// The DM 1.2 resynchronisation nonce as text (S-NOTI12-TR §6.2; S-INTEL).
    public static let resyncNonceText: [UInt8] = Array("0x00000000".utf8)
    /// The DM 1.2 resynchronisation nonce as four zero bytes (the other reading).
    public static let resyncNonceZeroBytes: [UInt8] = [0, 0, 0, 0]

    /// Checks `notification`'s digest with the credentials in `store`.
    public static func verify(_ notification: Notification, with store: CredentialStore) -> DigestVerification {
        switch notification.format {
        case .dm12:
            return verifyDM12(notification, store: store)
        case .dm20:
            return verifyDM20(notification, store: store)
        case .dm13, .crDraft:
            return .notVerifiable("The \(notification.format) format's digest is not defined by any available source.")
        }
    }

    /// DM 1.2: `MD5(B64(MD5(server-id ":" password)) ":" nonce ":" B64(MD5(trigger)))`, trying the stored
    /// nonces, then the text and the zero-byte resynchronisation nonce (reference §2.1).
    static func verifyDM12(_ notification: Notification, store: CredentialStore) -> DigestVerification {
        guard let trigger = notification.trigger, let digest = notification.digest,
            trigger.serverIDBytes.count == trigger.serverIDLength, trigger.serverIDLength > 0
        else { return .notVerifiable("The DM 1.2 message is too short to carry a complete trigger.") }
        guard let serverID = notification.serverID, let credentials = store.credentials(for: serverID) else {
            return .noCredentials(serverID: notification.serverID)
        }
        let triggerBytes = notification.bytes[NotificationTrigger.digestLength...]
        var candidates: [(DigestVariant, [UInt8], Int?)] = credentials.nonces.enumerated().map {
            (.md5StoredNonce, $0.element, $0.offset)
        }
        candidates.append((.md5ResyncNonceText, resyncNonceText, nil))
        candidates.append((.md5ResyncNonceZeroBytes, resyncNonceZeroBytes, nil))
        var tried: [DigestVariant] = []
        for (variant, nonce, index) in candidates {
            let expected = dm12Digest(
                serverID: trigger.serverIDBytes, password: credentials.secret, nonce: nonce, trigger: triggerBytes)
            if expected == digest {
                return .verified(DigestMatch(variant: variant, serverID: credentials.serverID, nonceIndex: index))
            }
            if tried.last != variant { tried.append(variant) }
        }
        return .mismatch(serverID: credentials.serverID, tried: tried)
    }

    /// DM 2.0: SHA-256 over secret, the message with 32 zero bytes in place of the digest, and auth data.
    static func verifyDM20(_ notification: Notification, store: CredentialStore) -> DigestVerification {
        guard let digest = notification.digest, let range = notification.digestRange else {
            return .notVerifiable("The notification has no 32-byte SHA256-DIGEST option.")
        }
        let zeroed = zeroingDigest(notification.bytes, range: range)
        let candidates: [ServerCredentials]
        if let serverID = notification.serverID {
            guard let credentials = store.credentials(for: serverID) else { return .noCredentials(serverID: serverID) }
            candidates = [credentials]
        } else {
            // §0.3: SERVER-ID may be omitted; then any configured server may have sent it.
            candidates = store.servers
        }
        var tried: [DigestVariant] = []
        for credentials in candidates {
            for variant in dm20Variants(authData: credentials.authData) {
                let authData = variant == .sha256WithAuthData ? credentials.authData : []
                if dm20Digest(secret: credentials.secret, message: zeroed, authData: authData) == digest {
                    return .verified(DigestMatch(variant: variant, serverID: credentials.serverID, nonceIndex: nil))
                }
                if !tried.contains(variant) { tried.append(variant) }
            }
        }
        guard let first = candidates.first else { return .noCredentials(serverID: nil) }
        return .mismatch(serverID: notification.serverID == nil ? nil : first.serverID, tried: tried)
    }

    /// With empty auth data both readings are the same computation: try it once.
    private static func dm20Variants(authData: [UInt8]) -> [DigestVariant] {
        authData.isEmpty ? [.sha256WithoutAuthData] : [.sha256WithAuthData, .sha256WithoutAuthData]
    }

    /// The DM 1.2 MD5 digest (reference §2.1); `trigger` is everything after the 16-byte digest.
    public static func dm12Digest(
        serverID: [UInt8], password: [UInt8], nonce: [UInt8], trigger: some Collection<UInt8>
    ) -> [UInt8] {
        let colon = UInt8(ascii: ":")
        let credential = DigestBase64.encode(md5(serverID + [colon] + password))
        let triggerHash = DigestBase64.encode(md5(Array(trigger)))
        return md5(credential + [colon] + nonce + [colon] + triggerHash)
    }

    /// The raw 16-byte MD5 of `bytes`.
    static func md5(_ bytes: [UInt8]) -> [UInt8] { Array(Insecure.MD5.hash(data: bytes)) }

    /// The DM 2.0 SHA-256 digest of a message whose digest bytes are already zero (S-TS20-A §5.2.1.2).
    public static func dm20Digest(secret: [UInt8], message: [UInt8], authData: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: secret)
        hasher.update(data: message)
        hasher.update(data: authData)
        return Array(hasher.finalize())
    }

    /// `bytes` with the digest range set to zero bytes (ranges outside `bytes` are clamped).
    public static func zeroingDigest(_ bytes: [UInt8], range: Range<Int>) -> [UInt8] {
        var copy = bytes
        let clamped = range.clamped(to: 0..<bytes.count)
        for index in clamped { copy[index] = 0 }
        return copy
    }

    /// Fills the SHA256-DIGEST value of an encoded DM 2.0 notification (its 32 bytes at `range` must be
    /// zero or will be treated as zero) and returns the signed message.
    public static func signDM20(_ bytes: [UInt8], digestRange range: Range<Int>, secret: [UInt8], authData: [UInt8])
        -> [UInt8]
    {
        var signed = zeroingDigest(bytes, range: range)
        let digest = dm20Digest(secret: secret, message: signed, authData: authData)
        for (index, byte) in zip(range.clamped(to: 0..<signed.count), digest) { signed[index] = byte }
        return signed
    }
}
