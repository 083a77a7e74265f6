/// The 8-byte UDP header over borrowed bytes (RFC 768).
package struct UDPHeaderView {
    /// The header (borrowed).
    package let header: UnsafeRawBufferPointer

    /// Views the header at the start of `datagram`.
    package init(_ datagram: UnsafeRawBufferPointer) throws(HeaderError) {
        guard let header = datagram.slice(at: 0, length: 8) else { throw .short(needed: 8) }
        self.header = header
    }

    private func u16(_ offset: Int) -> UInt16 { header.bigEndian(at: offset) ?? 0 }  // in bounds: count is 8

    /// The decoded header.
    package var info: UDPInfo {
        UDPInfo(sourcePort: Port(u16(0)), destinationPort: Port(u16(2)), length: Int(u16(4)), checksum: u16(6))
    }
}
