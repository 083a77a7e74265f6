import Crypto
import Foundation

/// The AEAD protection of one direction of a connection under one key: decrypts records in
/// order, counting the record sequence number that every nonce and the TLS 1.2 additional data
/// depend on.
///
/// One allocation per record (the plaintext); nothing per byte.
struct RecordProtection {
    /// How the per-record nonce and the additional data are formed.
    enum Layout: Hashable, Sendable {
        /// RFC 8446 §5.2/§5.3: nonce = iv XOR sequence; additional data = the record header.
        case tls13
        /// RFC 5288 §3: nonce = 4-byte salt + 8-byte explicit nonce sent first in the record;
        /// additional data = sequence, type, version, plaintext length (RFC 5246 §6.2.3.3).
        case tls12ExplicitNonce
        /// RFC 7905 §2: nonce = iv XOR sequence, nothing explicit; TLS 1.2 additional data.
        case tls12XORNonce
    }

    /// Why a record could not be opened.
    enum Failure: Error, Equatable {
        /// Shorter than the nonce and tag it must hold.
        case tooShort
        /// The tag did not verify: wrong key, or the ciphertext was changed.
        case authentication
        /// 2^64 records were protected under one key (cannot happen on a real connection).
        case sequenceExhausted
    }

    let aead: AEADAlgorithm
    let layout: Layout
    private let key: SymmetricKey
    private let iv: [UInt8]
    /// Sequence number of the next record.
    private(set) var sequence: UInt64 = 0

    /// A decryptor for `key` and `iv` (12 bytes, or the 4-byte salt for `.tls12ExplicitNonce`).
    init(aead: AEADAlgorithm, layout: Layout, key: [UInt8], iv: [UInt8]) {
        self.aead = aead
        self.layout = layout
        self.key = SymmetricKey(data: key)
        self.iv = iv
    }

    /// Bytes a protected record carries besides its plaintext (explicit nonce and tag).
    var overhead: Int { AEADAlgorithm.tagLength + (layout == .tls12ExplicitNonce ? 8 : 0) }

    /// Opens the record `fragment` with outer header `type`/`version`; the sequence number moves
    /// on whether or not the tag verified, so one damaged record does not break the next.
    mutating func open(type: UInt8, version: UInt16, fragment: UnsafeRawBufferPointer) -> Result<Data, Failure> {
        guard fragment.count >= overhead else { return .failure(.tooShort) }
        guard sequence < UInt64.max else { return .failure(.sequenceExhausted) }
        let current = sequence
        sequence += 1  // < UInt64.max, checked above
        var nonce = [UInt8](repeating: 0, count: 12)
        var body = fragment
        switch layout {
        case .tls12ExplicitNonce:
            for index in 0..<4 { nonce[index] = iv[index] }
            for index in 0..<8 { nonce[4 + index] = fragment[index] }
            body = UnsafeRawBufferPointer(rebasing: fragment[8...])  // count ≥ overhead ≥ 8
        case .tls13, .tls12XORNonce:
            for index in 0..<12 { nonce[index] = iv[index] }
            for index in 0..<8 { nonce[4 + index] ^= UInt8(truncatingIfNeeded: current >> (56 - 8 * index)) }
        }
        // body.count ≥ tagLength, checked through `overhead`.
        let plaintextLength = body.count - AEADAlgorithm.tagLength
        let ciphertext = UnsafeRawBufferPointer(rebasing: body[..<plaintextLength])
        let tag = UnsafeRawBufferPointer(rebasing: body[plaintextLength...])
        var additional: [UInt8]
        switch layout {
        case .tls13:
            // The record header as sent; the fragment length fits 16 bits (records are capped).
            additional = [
                type, UInt8(truncatingIfNeeded: version >> 8), UInt8(truncatingIfNeeded: version),
                UInt8(truncatingIfNeeded: fragment.count >> 8), UInt8(truncatingIfNeeded: fragment.count),
            ]
        case .tls12ExplicitNonce, .tls12XORNonce:
            additional = (0..<8).map { UInt8(truncatingIfNeeded: current >> (56 - 8 * $0)) }
            additional.append(contentsOf: [
                type, UInt8(truncatingIfNeeded: version >> 8), UInt8(truncatingIfNeeded: version),
                UInt8(truncatingIfNeeded: plaintextLength >> 8), UInt8(truncatingIfNeeded: plaintextLength),
            ])
        }
        do {
            switch aead {
            case .aes128GCM, .aes256GCM:
                let box = try AES.GCM.SealedBox(
                    nonce: try AES.GCM.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
                return .success(try AES.GCM.open(box, using: key, authenticating: additional))
            case .chacha20Poly1305:
                let box = try ChaChaPoly.SealedBox(
                    nonce: try ChaChaPoly.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
                return .success(try ChaChaPoly.open(box, using: key, authenticating: additional))
            }
        } catch {
            return .failure(.authentication)
        }
    }
}
