import Packets

/// Which way bytes flow on a connection, relative to the side that opened it.
public enum Direction: Int, Hashable, Sendable, CaseIterable {
    /// From the connection's client (the SYN sender; for a connection picked up mid-stream, the
    /// side guessed to be the client — see `ConnectionInfo.isPickedUpMidStream`) to the server.
    case clientToServer = 0
    /// From the server to the client.
    case serverToClient = 1

    /// The other direction.
    @inlinable
    public var reversed: Direction { self == .clientToServer ? .serverToClient : .clientToServer }
}

/// Why one direction of a connection ended.
public enum StreamEnd: String, Hashable, Sendable {
    /// The sender's FIN was reached in sequence.
    case fin
    /// A RST ended the connection (or a SYN with a new initial sequence number reused its ports, so
    /// the old connection must have ended without the capture showing how).
    case reset
    /// No segment for longer than the idle time-out (capture time).
    case idle
    /// The flow was evicted to make room in the flow table (or for the memory cap).
    case evicted
    /// The capture ended with the connection still open.
    case captureEnded
}

/// Describes a connection to its consumer when it is created.
public struct ConnectionInfo: Hashable, Sendable {
    /// 1-based index of the connection in the capture, in order of creation (like Wireshark's tcp.stream + 1).
    public var index: Int
    /// The client side.
    public var client: Endpoint
    /// The server side.
    public var server: Endpoint
    /// The frame that created the flow (the SYN, or the first data segment).
    public var firstFrame: FrameNumber
    /// When that frame was captured.
    public var firstTime: Timestamp
    /// True when the capture did not see the handshake: client and server were guessed
    /// (the lower port is taken as the server's), and the first bytes of each direction may be the
    /// middle of a message.
    public var isPickedUpMidStream: Bool

    /// A connection description.
    public init(
        index: Int, client: Endpoint, server: Endpoint, firstFrame: FrameNumber, firstTime: Timestamp,
        isPickedUpMidStream: Bool
    ) {
        self.index = index
        self.client = client
        self.server = server
        self.firstFrame = firstFrame
        self.firstTime = firstTime
        self.isPickedUpMidStream = isPickedUpMidStream
    }
}

/// What a consumer wants next from the reassembler, returned from every callback.
public enum ConsumerInterest: Hashable, Sendable {
    /// Keep delivering both directions.
    case all
    /// Stop delivering (and buffering) this direction: e.g. its first bytes are not HTTP.
    case ignoreDirection
    /// Stop delivering both directions: the connection is of no interest.
    case ignoreConnection
}

/// Receives the two ordered byte streams of one TCP connection from `Reassembler`.
///
/// Call order, per direction (as gopacket's `Stream`): `receive`/`gap` 0…n times in sequence
/// order, then `end` exactly once; the two directions interleave in capture order. After the
/// consumer returns `.ignoreDirection` for a direction, that direction gets only `end`; after
/// `.ignoreConnection`, both directions get only `end`.
public protocol ConnectionConsumer {
    /// Next in-order bytes of `direction`. `bytes` are valid only during the call (they may point
    /// into the captured frame); `frame` and `time` are those of the segment that carried them.
    mutating func receive(
        _ bytes: UnsafeRawBufferPointer, direction: Direction, frame: FrameNumber, time: Timestamp
    ) -> ConsumerInterest

    /// `length` bytes of `direction` will never arrive (lost by the capture). The next `receive`
    /// continues after them. `frame` is the frame at which the loss became certain.
    mutating func gap(length: Int, direction: Direction, frame: FrameNumber, time: Timestamp) -> ConsumerInterest

    /// `direction` is over; no more calls for it follow.
    mutating func end(_ reason: StreamEnd, direction: Direction, frame: FrameNumber, time: Timestamp)
}

/// Creates a consumer for each new connection; returning nil means "not interested" and the
/// reassembler then keeps only the flow's state (sequence numbers, counters), never its bytes.
public protocol ConnectionConsumerFactory {
    /// The consumer type.
    associatedtype Consumer: ConnectionConsumer
    /// A consumer for `connection`, or nil to skip it.
    mutating func makeConsumer(for connection: ConnectionInfo) -> Consumer?
}
