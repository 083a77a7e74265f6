/// Why a header view could not be built; positions are relative to the start of the header.
/// `PacketDecoder` turns it into a `PacketEvent` with the frame and absolute offset, deciding
/// between truncated (snaplen) and malformed.
package enum HeaderError: Error, Hashable, Sendable {
    /// The header needs `needed` bytes from its start and fewer are there.
    case short(needed: Int)
    /// The header contradicts itself; `offset` is the field at fault.
    case malformed(MalformedReason, offset: Int)
}
