import Packets
import Reassembly

/// Puts a TLS layer in front of another connection consumer: a connection whose first bytes are a
/// TLS record is decrypted with the key log and its application data reaches `Inner` as if it had
/// travelled in clear; any other connection goes to `Inner` untouched.
///
/// TLS is recognised by content, on any port: the first delivered bytes (of either direction) are
/// a record header — content type 20–23, version major 3, minor 0–4 — which no HTTP/1.1 message
/// can start with. Without keys the connection is still followed (handshake, bytes, frames) and
/// reported to the `TLSSink` when it ends.
public struct TLSConsumer<Inner: ConnectionConsumer>: ConnectionConsumer {
    private enum Mode {
        case undecided
        case clear
        case tls
    }

    private var mode = Mode.undecided
    /// The consumer that gets the clear content.
    private(set) var inner: Inner
    /// The TLS layer's state, boxed: most connections are not TLS, and an inline state would make
    /// every connection's consumer a few hundred bytes larger (issue 8: memory per open flow).
    private var box: StateBox?
    private let connection: ConnectionInfo
    private let keys: KeyStore
    private let sink: any TLSSink

    /// A consumer for `connection` that passes clear content to `inner`.
    public init(connection: ConnectionInfo, inner: Inner, keys: KeyStore, sink: any TLSSink) {
        self.connection = connection
        self.inner = inner
        self.keys = keys
        self.sink = sink
    }

    /// True when `bytes` start like a TLS record (only the bytes present are checked).
    public static func startsLikeTLS(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let type = bytes.first, (20...23).contains(type) else { return false }
        if bytes.count >= 2 && bytes[1] != 3 { return false }
        if bytes.count >= 3 && bytes[2] > 4 { return false }
        return true
    }

    /// Next bytes of `direction`.
    public mutating func receive(
        _ bytes: UnsafeRawBufferPointer, direction: Direction, frame: FrameNumber, time: Timestamp
    ) -> ConsumerInterest {
        switch mode {
        case .clear:
            return inner.receive(bytes, direction: direction, frame: frame, time: time)
        case .tls:
            box?.state.receive(bytes, direction: direction, frame: frame, time: time, inner: &inner)
            return .all
        case .undecided:
            guard !bytes.isEmpty else { return .all }
            if Self.startsLikeTLS(bytes) {
                mode = .tls
                box = StateBox(TLSConnectionState(connection: connection, keys: keys, sink: sink))
                box?.state.receive(bytes, direction: direction, frame: frame, time: time, inner: &inner)
                return .all
            }
            mode = .clear
            return inner.receive(bytes, direction: direction, frame: frame, time: time)
        }
    }

    /// Lost bytes of `direction`.
    public mutating func gap(length: Int, direction: Direction, frame: FrameNumber, time: Timestamp) -> ConsumerInterest {
        switch mode {
        case .undecided, .clear:
            mode = .clear
            return inner.gap(length: length, direction: direction, frame: frame, time: time)
        case .tls:
            box?.state.gap(length: length, direction: direction, frame: frame, time: time, inner: &inner)
            return .all
        }
    }

    /// `direction` ended.
    public mutating func end(_ reason: StreamEnd, direction: Direction, frame: FrameNumber, time: Timestamp) {
        switch mode {
        case .undecided, .clear:
            inner.end(reason, direction: direction, frame: frame, time: time)
        case .tls:
            box?.state.end(reason, direction: direction, frame: frame, time: time, inner: &inner)
        }
    }
}

/// Wraps every consumer another factory makes in a `TLSConsumer`.
public struct TLSConsumerFactory<InnerFactory: ConnectionConsumerFactory>: ConnectionConsumerFactory {
    /// The factory of the consumers that get the clear content.
    public var inner: InnerFactory
    /// The run's keys.
    public let keys: KeyStore
    /// Where every TLS connection reports.
    public let sink: any TLSSink

    /// A factory.
    public init(inner: InnerFactory, keys: KeyStore, sink: any TLSSink) {
        self.inner = inner
        self.keys = keys
        self.sink = sink
    }

    /// A TLS-aware consumer around `inner`'s consumer (nil when `inner` skips the connection).
    public mutating func makeConsumer(for connection: ConnectionInfo) -> TLSConsumer<InnerFactory.Consumer>? {
        guard let consumer = inner.makeConsumer(for: connection) else { return nil }
        return TLSConsumer(connection: connection, inner: consumer, keys: keys, sink: sink)
    }
}

/// Holds a connection's `TLSConnectionState` out of line, mutated in place.
private final class StateBox {
    var state: TLSConnectionState
    init(_ state: TLSConnectionState) { self.state = state }
}
