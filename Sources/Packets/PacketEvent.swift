/// An anomaly found while decoding a frame: data, never a log line. `rule` is a stable name that
/// checkers and the CLI match on; `message` is one sentence for a finding.
public enum PacketEvent: Hashable, Sendable, CustomStringConvertible {
    /// The capture holds fewer bytes than the headers need because of a snaplen cut (captured
    /// length < wire length). Not a protocol violation; counted apart as `truncatedFrames`.
    case truncated(Layer, needed: Int, available: Int, at: Location)
    /// A header contradicts itself or the frame.
    case malformed(Layer, MalformedReason, at: Location)
    /// The IPv4 header checksum is wrong (not enforced: the packet is still decoded).
    case badIPv4Checksum(expected: UInt16, found: UInt16, at: Location)
    /// A fragment overlaps bytes already received for its datagram, with different data; the
    /// first-received bytes were kept (first wins). `offset`/`length` are the fragment's, in bytes.
    case fragmentOverlap(FragmentKey, offset: Int, length: Int, at: Location)
    /// A datagram did not complete within the timeout; its fragments were dropped.
    case fragmentTimeout(FragmentKey, frames: [FrameNumber], bufferedBytes: Int, at: Location)
    /// A datagram was still incomplete at the end of the capture; its fragments were dropped.
    case fragmentIncomplete(FragmentKey, frames: [FrameNumber], bufferedBytes: Int, at: Location)
    /// A reassembly limit was hit; the datagram's fragments (listed) were dropped.
    case fragmentLimit(FragmentLimitKind, FragmentKey, frames: [FrameNumber], at: Location)
    /// A frame of a link type the decoder does not know; reported for the first such frame of each
    /// link type only (all are counted in `PacketStatistics.unsupportedLinkTypeFrames`).
    case unsupportedLinkType(LinkType, at: Location)

    /// The stable rule-like name, e.g. `PKT-TRUNC`.
    public var rule: String {
        switch self {
        case .truncated: "PKT-TRUNC"
        case .malformed: "PKT-MALFORMED"
        case .badIPv4Checksum: "IP-CHECKSUM"
        case .fragmentOverlap: "IP-FRAG-OVERLAP"
        case .fragmentTimeout: "IP-FRAG-TIMEOUT"
        case .fragmentIncomplete: "IP-FRAG-INCOMPLETE"
        case .fragmentLimit: "IP-FRAG-LIMIT"
        case .unsupportedLinkType: "LINK-UNSUPPORTED"
        }
    }

    /// Where it happened (for fragment-set events: the set's first fragment).
    public var location: Location {
        switch self {
        case .truncated(_, _, _, let at), .malformed(_, _, let at), .badIPv4Checksum(_, _, let at),
            .fragmentOverlap(_, _, _, let at), .fragmentTimeout(_, _, _, let at),
            .fragmentIncomplete(_, _, _, let at), .fragmentLimit(_, _, _, let at),
            .unsupportedLinkType(_, let at):
            at
        }
    }

    /// Every frame a user should open: the fragments of a dropped datagram, else the location's frame.
    public var frames: [FrameNumber] {
        switch self {
        case .fragmentTimeout(_, let frames, _, _), .fragmentIncomplete(_, let frames, _, _),
            .fragmentLimit(_, _, let frames, _):
            frames.isEmpty ? [location.frame] : frames
        default:
            [location.frame]
        }
    }

    /// One sentence with the numbers, no formatting.
    public var message: String {
        switch self {
        case .truncated(let layer, let needed, let available, let at):
            "\(layer) data cut by the capture's snapshot length at offset \(at.offset): \(needed) bytes needed, \(available) captured."
        case .malformed(let layer, let reason, let at):
            "Malformed \(layer) at offset \(at.offset): \(reason)."
        case .badIPv4Checksum(let expected, let found, let at):
            "IPv4 header checksum at offset \(at.offset) is \(Self.hex(found)) but should be \(Self.hex(expected))."
        case .fragmentOverlap(let key, let offset, let length, _):
            "Fragment of \(key) at offset \(offset) length \(length) overlaps earlier fragments with different data; the earlier data was kept."
        case .fragmentTimeout(let key, let frames, let bytes, _):
            "\(key) was not complete within the reassembly timeout; \(frames.count) fragments holding \(bytes) bytes were dropped."
        case .fragmentIncomplete(let key, let frames, let bytes, _):
            "\(key) was still incomplete at the end of the capture; \(frames.count) fragments holding \(bytes) bytes were dropped."
        case .fragmentLimit(let kind, let key, let frames, _):
            "\(key) hit the \(kind); \(frames.count) fragments were dropped."
        case .unsupportedLinkType(let linkType, _):
            "Link type \(linkType.rawValue) (\(linkType.name)) is not supported; its frames are counted and skipped."
        }
    }

    /// `rule: message`.
    public var description: String { "\(rule) \(location): \(message)" }

    static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
