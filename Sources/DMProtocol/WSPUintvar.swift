/// Decoding limits and failures of the WSP variable-length unsigned integer.
public enum WSPUintvar {
    /// WAP-230 §8.1.2: a uintvar carries at most 32 bits, hence at most five octets.
    public static let maximumOctets = 5

    /// Why a uintvar could not be read.
    public enum Failure: String, Error, Hashable, Sendable {
        /// The input ends while the continuation bit is still set.
        case truncated
        /// More than five octets.
        case tooLong
        /// Five octets whose value needs more than 32 bits.
        case overflow
    }

    /// Encodes `value` as a uintvar (1–5 octets).
    public static func encode(_ value: UInt32) -> [UInt8] {
        var octets: [UInt8] = [UInt8(value & 0x7F)]
        var rest = value >> 7
        while rest != 0 {
            octets.insert(UInt8(rest & 0x7F) | 0x80, at: 0)
            rest >>= 7
        }
        return octets
    }
}
