import Glibc
import Packets

/// Writes frames to a classic pcap file (host byte order, as libpcap writes it), microsecond or
/// nanosecond timestamps; Wireshark, tcpdump and dmdissect read it. One link type per file: frames
/// of another link type are refused (`write` returns false) and counted in `refused`.
public final class PcapWriter {
    private let stream: UnsafeMutablePointer<FILE>
    private let linkType: LinkType
    private let nanoseconds: Bool
    private var buffer: [UInt8] = []
    /// Frames written.
    public private(set) var written = 0
    /// Frames refused because their link type differs from the file's.
    public private(set) var refused = 0
    /// True once a write to the file failed (disk full, …); later frames are dropped.
    public private(set) var failed = false

    /// Opens `path` (created or truncated) for frames of `linkType`; nil with `errno` set when the
    /// file cannot be opened.
    public init?(path: String, linkType: LinkType, precision: TimestampPrecision, snapshotLength: Int = 262_144) {
        guard let file = fopen(path, "wb") else { return nil }
        stream = file
        self.linkType = linkType
        nanoseconds = precision == .nanoseconds
        append32(nanoseconds ? 0xA1B2_3C4D : 0xA1B2_C3D4)
        append16(2)
        append16(4)
        append32(0)  // thiszone
        append32(0)  // sigfigs
        append32(UInt32(clamping: snapshotLength))
        append32(UInt32(truncatingIfNeeded: linkType.rawValue))
        flushBuffer()
    }

    deinit { close() }

    /// Appends one frame; false when its link type is not the file's (or writing failed).
    @discardableResult
    public func write(_ bytes: UnsafeRawBufferPointer, timestamp: Timestamp, originalLength: Int, linkType: LinkType)
        -> Bool
    {
        guard !failed else { return false }
        guard linkType == self.linkType else {
            refused += 1
            return false
        }
        append32(UInt32(truncatingIfNeeded: timestamp.seconds))
        append32(nanoseconds ? timestamp.nanoseconds : timestamp.nanoseconds / 1000)
        append32(UInt32(clamping: bytes.count))
        append32(UInt32(clamping: max(originalLength, bytes.count)))
        buffer.append(contentsOf: bytes)
        written += 1
        if buffer.count >= 1 << 16 { flushBuffer() }
        return !failed
    }

    /// Flushes and closes the file (also done on deinit); true when every byte was written.
    @discardableResult
    public func close() -> Bool {
        flushBuffer()
        if isOpen {
            isOpen = false
            if fclose(stream) != 0 { failed = true }
        }
        return !failed
    }

    private var isOpen = true

    private func flushBuffer() {
        guard !buffer.isEmpty, isOpen else { return }
        let count = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, stream) }
        if count != buffer.count { failed = true }
        buffer.removeAll(keepingCapacity: true)
    }

    private func append16(_ value: UInt16) { withUnsafeBytes(of: value) { buffer.append(contentsOf: $0) } }
    private func append32(_ value: UInt32) { withUnsafeBytes(of: value) { buffer.append(contentsOf: $0) } }
}
