/// The 40-byte fixed IPv6 header over borrowed bytes (RFC 8200 §3).
package struct IPv6HeaderView {
    /// The fixed header (borrowed).
    package let header: UnsafeRawBufferPointer

    /// Views the header at the start of `bytes`.
    package init(_ bytes: UnsafeRawBufferPointer) throws(HeaderError) {
        guard let version = bytes.first.map({ $0 >> 4 }) else { throw .short(needed: 40) }
        guard version == 6 else { throw .malformed(.unexpectedIPVersion(found: version), offset: 0) }
        guard let header = bytes.slice(at: 0, length: 40) else { throw .short(needed: 40) }
        self.header = header
    }

    private var firstWord: UInt32 { header.bigEndian(at: 0) ?? 0 }  // in bounds: count is 40

    /// Traffic class.
    package var trafficClass: UInt8 { UInt8(truncatingIfNeeded: firstWord >> 20) }  // 8 bits after the shift
    /// Flow label.
    package var flowLabel: UInt32 { firstWord & 0xF_FFFF }
    /// Payload length field.
    package var payloadLength: Int { Int(header.bigEndian(at: 4, as: UInt16.self) ?? 0) }
    /// Next header.
    package var nextHeader: IPProtocol { IPProtocol(rawValue: header[6]) }
    /// Hop limit.
    package var hopLimit: UInt8 { header[7] }
    /// Source.
    package var source: IPAddress { IPAddress.ipv6(in: header, at: 8) ?? .v6(0, 0) }
    /// Destination.
    package var destination: IPAddress { IPAddress.ipv6(in: header, at: 24) ?? .v6(0, 0) }
}
