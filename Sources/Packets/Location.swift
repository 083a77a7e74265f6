/// Where an event happened: a frame (1-based, as Wireshark numbers it) and a byte offset in it.
///
/// For data inside a reassembled IP datagram, `offset` counts from the start of the reassembled
/// IP payload (the datagram has no single frame to count in); `frame` is the completing frame.
public struct Location: Hashable, Sendable, CustomStringConvertible {
    /// The frame.
    public var frame: FrameNumber
    /// Byte offset within the frame (see the type's note for reassembled data).
    public var offset: Int

    /// A location.
    @inlinable
    public init(frame: FrameNumber, offset: Int) {
        self.frame = frame
        self.offset = offset
    }

    /// `frame 12 offset 34`.
    public var description: String { "frame \(frame) offset \(offset)" }
}
