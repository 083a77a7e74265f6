/// Why a header contradicts itself or the frame that carries it (a protocol violation, unlike a
/// snaplen cut). Each case carries the numbers involved.
public enum MalformedReason: Hashable, Sendable, CustomStringConvertible {
    /// A header length field below the protocol's minimum (IPv4 IHL < 5, TCP data offset < 5), in bytes.
    case headerLengthTooSmall(Int, minimum: Int)
    /// A header says its unit is `claimed` bytes long but the frame (on the wire) holds only `available`.
    case lengthBeyondData(claimed: Int, available: Int)
    /// IPv4 total length smaller than the IPv4 header length.
    case totalLengthBelowHeader(totalLength: Int, headerLength: Int)
    /// The IP version nibble is not the one the link type or EtherType promised (or not 4 or 6).
    case unexpectedIPVersion(found: UInt8)
    /// A UDP length field below the 8-byte header.
    case udpLengthTooSmall(Int)
    /// A UDP length field larger than the IP payload carrying it.
    case udpLengthBeyondIP(udpLength: Int, ipPayloadLength: Int)
    /// A TCP option list that runs past the header or has an option length below 2; `offset` is
    /// the option's offset within the TCP header.
    case badTCPOption(kind: UInt8, offset: Int)
    /// A fragment that is not the last one but whose length is not a multiple of 8 (RFC 791, RFC 8200 §4.5).
    case fragmentLengthNotMultipleOf8(Int)
    /// A fragment ending past the datagram end set by the last fragment, or two different ends.
    case fragmentBeyondEnd(fragmentEnd: Int, datagramEnd: Int)
    /// A fragment that would make the reassembled datagram longer than 65535 bytes ("ping of death").
    case datagramTooLong(Int)

    /// One sentence with the numbers, no formatting.
    public var description: String {
        switch self {
        case .headerLengthTooSmall(let length, let minimum):
            "header length \(length) is below the minimum of \(minimum) bytes"
        case .lengthBeyondData(let claimed, let available):
            "header claims \(claimed) bytes but only \(available) are in the frame"
        case .totalLengthBelowHeader(let total, let header):
            "total length \(total) is smaller than the header length \(header)"
        case .unexpectedIPVersion(let found):
            "IP version \(found) where IPv4 or IPv6 was expected"
        case .udpLengthTooSmall(let length):
            "UDP length \(length) is below the 8-byte header"
        case .udpLengthBeyondIP(let udp, let ip):
            "UDP length \(udp) exceeds the IP payload length \(ip)"
        case .badTCPOption(let kind, let offset):
            "TCP option \(kind) at header offset \(offset) has a bad length"
        case .fragmentLengthNotMultipleOf8(let length):
            "non-final fragment length \(length) is not a multiple of 8"
        case .fragmentBeyondEnd(let end, let datagramEnd):
            "fragment ends at \(end) but the datagram ends at \(datagramEnd)"
        case .datagramTooLong(let length):
            "reassembled datagram would be \(length) bytes, more than 65535"
        }
    }
}
