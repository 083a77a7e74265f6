/// The 32-byte `random` of a ClientHello: the name under which an NSS key log files a
/// connection's secrets.
///
/// Stored as four words so that hashing and comparing cost no allocation.
public struct ClientRandom: Hashable, Sendable {
    private let words: (UInt64, UInt64, UInt64, UInt64)

    /// The random in `bytes`, or nil unless there are exactly 32 of them.
    public init?<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        guard bytes.count == 32 else { return nil }
        var values: [UInt64] = [0, 0, 0, 0]
        for (position, byte) in bytes.enumerated() {
            // position < 32, so position / 8 < 4 and the shift is at most 56.
            values[position / 8] = values[position / 8] << 8 | UInt64(byte)
        }
        words = (values[0], values[1], values[2], values[3])
    }

    /// Equal when all 32 bytes are.
    public static func == (lhs: ClientRandom, rhs: ClientRandom) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
            && lhs.words.3 == rhs.words.3
    }

    /// Hashes the 32 bytes.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}
