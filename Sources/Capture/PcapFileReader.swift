import CPcap
import Packets

/// Reads a classic pcap file (micro- or nanosecond) through libpcap's `pcap_next_ex`.
///
/// libpcap hands out each record in its own buffer; frames are passed on without copying.
/// Byte offsets of records are tracked (24-byte file header, then 16-byte record headers) so
/// that a file cut inside a record is reported with the exact offset of the incomplete record.
final class PcapFileReader {
    private let handle: OpaquePointer
    private let input: CaptureInput
    let linkType: LinkType
    let precision: TimestampPrecision
    let snapshotLength: Int

    init(input: CaptureInput, nanoseconds: Bool) throws(CaptureError) {
        self.input = input
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard let stream = input.releaseStream() else {
            throw .cannotOpen(path: input.path, reason: "stream already consumed")
        }
        // Ask for nanoseconds always; microsecond files are scaled by libpcap (exact).
        guard let handle = pcap_fopen_offline_with_tstamp_precision(
            stream, UInt32(PCAP_TSTAMP_PRECISION_NANO), &errorBuffer)
        else {
            // libpcap closes nothing on failure: the FILE is ours to close.
            fclose(stream)
            throw .badHeader(path: input.path, reason: cText(errorBuffer))
        }
        self.handle = handle
        self.linkType = LinkTypes.linkType(forDLT: pcap_datalink(handle))
        self.precision = nanoseconds ? .nanoseconds : .microseconds
        self.snapshotLength = Int(pcap_snapshot(handle))
    }

    deinit {
        pcap_close(handle)  // closes the FILE* as well
    }

    /// Delivers every frame to `body` in file order; `body` returns false to stop early.
    func read(
        fileIndex: Int, filter: BPFFilter?,
        _ body: (FrameInfo, UnsafeRawBufferPointer) -> Bool
    ) throws(CaptureError) -> CaptureEnd {
        try filter?.prepare(for: linkType)
        var offset: Int64 = 24  // pcap file header
        var number: UInt64 = 0
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        while true {
            let status = pcap_next_ex(handle, &header, &data)
            number += 1
            if status == PCAP_ERROR_BREAK {  // end of the (decompressed) data
                if let gzipProblem = input.gzipError {
                    // The gzip stream itself was cut: more records were on their way.
                    return .truncated(frame: FrameNumber(number), offset: offset, detail: "gzip stream: \(gzipProblem)")
                }
                return .complete
            }
            guard status == 1, let header, let data else {
                let detail = cText(pcap_geterr(handle))
                let frame = FrameNumber(number)
                if let gzipProblem = input.gzipError {
                    return .truncated(frame: frame, offset: offset, detail: "gzip stream: \(gzipProblem)")
                }
                // libpcap: "truncated dump file; tried to read N … bytes, only got M".
                if detail.contains("truncated") {
                    return .truncated(frame: frame, offset: offset, detail: detail)
                }
                return .corrupt(frame: frame, offset: offset, detail: detail)
            }
            let captured = Int(header.pointee.caplen)
            let info = FrameInfo(
                number: FrameNumber(number),
                fileIndex: fileIndex,
                timestamp: Timestamp(
                    seconds: Int64(header.pointee.ts.tv_sec),
                    // With nanosecond precision requested, tv_usec holds nanoseconds (< 10^9).
                    nanoseconds: UInt32(truncatingIfNeeded: header.pointee.ts.tv_usec)),
                precision: precision,
                linkType: linkType,
                capturedLength: captured,
                originalLength: Int(header.pointee.len),
                interfaceID: 0)
            offset += 16 + Int64(captured)
            let bytes = UnsafeRawBufferPointer(start: data, count: captured)
            if let filter, !filter.matches(bytes, linkType: linkType, originalLength: info.originalLength) {
                continue
            }
            if !body(info, bytes) { return .stopped }
        }
    }
}
