import Analysis
import Capture
import Packets
import Reassembly

/// Live `-w FILE --session ID`: only the frames of the selected sessions. A session is known only
/// once its Package#1 is decoded, after the TCP handshake and the Package#1 itself went by, so
/// recent frames are held per connection (bounded) and written when a selected session claims the
/// connection; from then on its frames are written as they arrive. Recent UDP frames are held by
/// frame number for the sessions' notifications.
final class LiveSessionExport {
    private struct Pair: Hashable {
        var low: Endpoint
        var high: Endpoint

        init(_ one: Endpoint, _ other: Endpoint) {
            if "\(one)" < "\(other)" { (low, high) = (one, other) } else { (low, high) = (other, one) }
        }
    }

    private struct Held {
        var bytes: [UInt8]
        var timestamp: Timestamp
        var originalLength: Int
        var linkType: LinkType
    }

    private let writer: PcapWriter
    private var held: [Pair: [Held]] = [:]
    private var heldOrder: [Pair] = []
    private var heldBytes = 0
    private var datagrams: [UInt64: Held] = [:]
    private var datagramOrder: [UInt64] = []
    private var selected: Set<Pair> = []

    /// Bytes held for connections not (yet) claimed; the oldest connection's frames go first.
    static let maxHeldBytes = 32 << 20
    /// Frames held per connection.
    static let maxHeldFramesPerConnection = 512
    /// UDP frames held for notifications.
    static let maxHeldDatagrams = 1024

    init(writer: PcapWriter) { self.writer = writer }

    /// Every frame read.
    func frame(_ info: FrameInfo, _ packet: borrowing DecodedPacket) {
        guard let source = packet.sourceAddress, let destination = packet.destinationAddress else { return }
        let copy = Held(
            bytes: Array(packet.bytes), timestamp: info.timestamp, originalLength: info.originalLength,
            linkType: info.linkType)
        switch packet.transport {
        case .tcp(let tcp):
            let pair = Pair(
                Endpoint(address: source, port: tcp.sourcePort), Endpoint(address: destination, port: tcp.destinationPort))
            if selected.contains(pair) {
                write(copy)
                return
            }
            if held[pair] == nil { heldOrder.append(pair) }
            guard held[pair, default: []].count < Self.maxHeldFramesPerConnection else { return }
            held[pair, default: []].append(copy)
            heldBytes += copy.bytes.count
            while heldBytes > Self.maxHeldBytes, !heldOrder.isEmpty {
                let oldest = heldOrder.removeFirst()
                heldBytes -= held.removeValue(forKey: oldest)?.reduce(0) { $0 + $1.bytes.count } ?? 0
            }
        case .udp:
            datagrams[info.number.rawValue] = copy
            datagramOrder.append(info.number.rawValue)
            if datagramOrder.count > Self.maxHeldDatagrams { datagrams[datagramOrder.removeFirst()] = nil }
        default:
            return
        }
    }

    /// A package of a selected session: its notification frame, or its connection from now on.
    func selectedPackage(_ package: SessionPackage) {
        if let record = package.notification, let frame = datagrams.removeValue(forKey: record.frame.rawValue) {
            write(frame)
        }
        guard let client = package.carrier?.clientEndpoint, let server = package.carrier?.serverEndpoint else { return }
        let pair = Pair(client, server)
        guard selected.insert(pair).inserted else { return }
        for frame in held.removeValue(forKey: pair) ?? [] {
            heldBytes -= frame.bytes.count
            write(frame)
        }
        heldOrder.removeAll { $0 == pair }
    }

    /// Closes the file; false when a write failed.
    func close() -> Bool { writer.close() }

    private func write(_ frame: Held) {
        _ = frame.bytes.withUnsafeBytes {
            writer.write($0, timestamp: frame.timestamp, originalLength: frame.originalLength, linkType: frame.linkType)
        }
    }
}
