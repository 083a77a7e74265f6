/// One handshake message (RFC 8446 §4, RFC 5246 §7.4).
struct HandshakeMessage: Hashable, Sendable {
    /// HandshakeType: 1 client_hello, 2 server_hello, 4 new_session_ticket, 20 finished, 24 key_update, …
    var type: UInt8
    /// The body, kept only for the types dmdissect reads (`HandshakeReader.keptTypes`); empty otherwise.
    var body: [UInt8]
}

/// Reassembles handshake messages from the handshake content of one direction: several messages
/// per record, or one message over several records.
///
/// Only the bodies dmdissect reads are buffered (hellos, Finished, KeyUpdate, capped at
/// `maximumMessageLength`); certificates and the rest are counted through without being stored.
struct HandshakeReader {
    /// Largest hello (or Finished, KeyUpdate) accepted; real ClientHellos are under 2 kB even with
    /// post-quantum key shares.
    static let maximumMessageLength = 1 << 16
    /// client_hello, server_hello, finished, key_update.
    static let keptTypes: Set<UInt8> = [1, 2, 20, 24]

    private var header: [UInt8] = []
    private var body: [UInt8] = []
    private var type: UInt8 = 0
    private var remaining = 0
    private var isInMessage = false

    /// Consumes `bytes` (handshake content); returns the messages completed, or why the stream is
    /// not a handshake stream.
    mutating func append(_ bytes: UnsafeRawBufferPointer) -> Result<[HandshakeMessage], HandshakeError> {
        var messages: [HandshakeMessage] = []
        var offset = 0
        while offset < bytes.count {
            if !isInMessage {
                let take = min(4 - header.count, bytes.count - offset)  // header.count < 4 here
                header.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + take)]))
                offset += take
                guard header.count == 4 else { break }
                type = header[0]
                remaining = Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
                header.removeAll(keepingCapacity: true)
                let isKept = Self.keptTypes.contains(type)
                if isKept, remaining > Self.maximumMessageLength {
                    return .failure(HandshakeError(detail: "handshake message type \(type) of \(remaining) bytes is over the limit"))
                }
                isInMessage = true
                body.removeAll(keepingCapacity: true)
                if isKept { body.reserveCapacity(remaining) }
            }
            let take = min(remaining, bytes.count - offset)
            if Self.keptTypes.contains(type) {
                body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + take)]))
            }
            offset += take
            remaining -= take
            if remaining == 0 {
                messages.append(HandshakeMessage(type: type, body: body))
                isInMessage = false
            }
        }
        return .success(messages)
    }

    /// True when a message is partly read (a key change must not fall inside one, RFC 8446 §5.1).
    var isInsideMessage: Bool { isInMessage || !header.isEmpty }
}

/// A handshake stream that cannot be read on.
struct HandshakeError: Error, Hashable {
    var detail: String
}
