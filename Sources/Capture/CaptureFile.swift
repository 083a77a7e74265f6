import Packets

/// One capture file (or standard input) opened for reading, whatever its container:
/// classic pcap through libpcap, pcapng natively, either of them gzip-compressed.
///
/// ```swift
/// let file = try CaptureFile.open("trace.pcapng.gz", fileIndex: 0, filter: "tcp port 80")
/// let end = try file.readFrames { info, bytes in
///     // `bytes` are valid only during this call
///     return true  // keep reading
/// }
/// ```
public final class CaptureFile {
    /// What kind of container the file is.
    public enum Container: String, Sendable {
        /// Classic pcap, microsecond timestamps.
        case pcap
        /// Classic pcap, nanosecond timestamps.
        case pcapNanoseconds = "pcap-ns"
        /// pcapng.
        case pcapng
        /// A live interface (`-i`).
        case live
    }

    private enum Reader {
        case pcap(PcapFileReader)
        case pcapng(PcapNGReader)
        case live(LiveReader)
    }

    /// The path given by the user (`-` for standard input).
    public let path: String
    /// The file's 0-based position among the inputs of the run.
    public let fileIndex: Int
    /// The container format.
    public let container: Container
    /// True when the file was gzip-compressed.
    public let isCompressed: Bool
    private let reader: Reader
    private let filter: BPFFilter?

    private init(path: String, fileIndex: Int, container: Container, isCompressed: Bool, reader: Reader, filter: BPFFilter?) {
        self.path = path
        self.fileIndex = fileIndex
        self.container = container
        self.isCompressed = isCompressed
        self.reader = reader
        self.filter = filter
    }

    /// Opens `path` (`-` for standard input) and reads its header. A BPF `filter`
    /// (tcpdump syntax) is compiled for the file's link type(s); a bad expression throws
    /// `CaptureError.badFilter`.
    public static func open(_ path: String, fileIndex: Int = 0, filter expression: String? = nil) throws(CaptureError) -> CaptureFile {
        let input = try CaptureInput.open(path)
        let filter = expression.map { BPFFilter(expression: $0) }
        switch input.format {
        case .pcap(let nanoseconds):
            let reader = try PcapFileReader(input: input, nanoseconds: nanoseconds)
            try filter?.prepare(for: reader.linkType)
            return CaptureFile(
                path: path, fileIndex: fileIndex, container: nanoseconds ? .pcapNanoseconds : .pcap,
                isCompressed: input.isCompressed, reader: .pcap(reader), filter: filter)
        case .pcapng:
            return CaptureFile(
                path: path, fileIndex: fileIndex, container: .pcapng, isCompressed: input.isCompressed,
                reader: .pcapng(PcapNGReader(input: input)), filter: filter)
        }
    }

    /// Reads frames in file order and calls `body` for each one that passes the filter;
    /// `body` returns false to stop. The bytes are borrowed for the duration of the call.
    /// Returns how reading ended (a cut-off file is `.truncated`, not an error).
    /// Opens interface `name` for live capture (see `LiveReader`); `filter` runs in the kernel.
    public static func openLive(
        interface name: String, promiscuous: Bool = true, snapshotLength: Int = 262_144,
        bufferBytes: Int = 16 << 20, filter expression: String? = nil
    ) throws(CaptureError) -> CaptureFile {
        let reader = try LiveReader(
            interface: name, promiscuous: promiscuous, snapshotLength: snapshotLength, bufferBytes: bufferBytes,
            filter: expression)
        return CaptureFile(
            path: name, fileIndex: 0, container: .live, isCompressed: false, reader: .live(reader), filter: nil)
    }

    /// libpcap's counters of a live capture: packets received, dropped by the kernel, dropped by
    /// the interface; nil for files.
    public var liveStatistics: (received: UInt64, droppedByKernel: UInt64, droppedByInterface: UInt64)? {
        guard case .live(let reader) = reader, let stats = reader.statistics else { return nil }
        return (stats.received, stats.droppedByKernel, stats.droppedByInterface)
    }

    public func readFrames(_ body: (FrameInfo, UnsafeRawBufferPointer) -> Bool) throws(CaptureError) -> CaptureEnd {
        switch reader {
        case .pcap(let reader): try reader.read(fileIndex: fileIndex, filter: filter, body)
        case .pcapng(let reader): try reader.read(fileIndex: fileIndex, filter: filter, body)
        case .live(let reader): try reader.read(fileIndex: fileIndex, body)
        }
    }

    /// Interfaces of the file: one for classic pcap, every Interface Description Block for pcapng
    /// (complete once `readFrames` has finished).
    public var interfaces: [CaptureInterface] {
        switch reader {
        case .pcap(let reader):
            [CaptureInterface(
                linkType: reader.linkType, snapshotLength: reader.snapshotLength, name: nil,
                precision: reader.precision, resolution: reader.precision == .nanoseconds ? 9 : 6, offsetSeconds: 0)]
        case .pcapng(let reader): reader.allInterfaces
        case .live(let reader):
            [CaptureInterface(
                linkType: reader.linkType, snapshotLength: reader.snapshotLength, name: reader.interface,
                precision: reader.precision, resolution: reader.precision == .nanoseconds ? 9 : 6, offsetSeconds: 0)]
        }
    }

    /// Decryption secrets embedded in a pcapng file (read so far).
    public var decryptionSecrets: [DecryptionSecrets] {
        switch reader {
        case .pcap, .live: []
        case .pcapng(let reader): reader.secrets
        }
    }
}
