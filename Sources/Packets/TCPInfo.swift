/// A decoded TCP header (RFC 9293 §3.1).
public struct TCPInfo: Hashable, Sendable {
    /// Source port.
    public var sourcePort: Port
    /// Destination port.
    public var destinationPort: Port
    /// Sequence number.
    public var sequence: SequenceNumber
    /// Acknowledgment number (meaningful when `flags` contains `.ack`).
    public var acknowledgment: SequenceNumber
    /// Control bits.
    public var flags: TCPFlags
    /// Window field, unscaled.
    public var window: UInt16
    /// Data offset field: header length in 32-bit words, 5…15.
    public var dataOffset: UInt8
    /// Urgent pointer.
    public var urgentPointer: UInt16
    /// Checksum field as found (not verified: offloading makes it wrong on the capturing host).
    public var checksum: UInt16
    /// Parsed options.
    public var options: TCPOptions

    /// Header length in bytes (`dataOffset * 4`).
    @inlinable
    public var headerLength: Int { Int(dataOffset) * 4 }

    /// A TCP header.
    public init(
        sourcePort: Port, destinationPort: Port, sequence: SequenceNumber, acknowledgment: SequenceNumber,
        flags: TCPFlags, window: UInt16, dataOffset: UInt8, urgentPointer: UInt16 = 0, checksum: UInt16 = 0,
        options: TCPOptions = .init()
    ) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.sequence = sequence
        self.acknowledgment = acknowledgment
        self.flags = flags
        self.window = window
        self.dataOffset = dataOffset
        self.urgentPointer = urgentPointer
        self.checksum = checksum
        self.options = options
    }
}
