import CPcap
import CSupport
import Packets

/// A live interface through libpcap: snaplen 262144, promiscuous unless asked not to, immediate
/// mode (packets are delivered as they arrive, not in buffer-sized blocks), a 100 ms read
/// time-out so that stop requests (SIGINT, SIGTERM, --duration) are seen while the link is idle,
/// and the BPF filter compiled into the kernel. Frames are numbered from 1 in arrival order
/// (the frames that passed the filter), as in a file tcpdump -w would write.
final class LiveReader {
    private let handle: OpaquePointer
    let interface: String
    let linkType: LinkType
    let snapshotLength: Int
    let precision: TimestampPrecision

    /// Kernel and interface counters at the end of the capture.
    struct Statistics: Sendable, Hashable {
        var received: UInt64
        var droppedByKernel: UInt64
        var droppedByInterface: UInt64
    }

    init(interface: String, promiscuous: Bool, snapshotLength: Int, bufferBytes: Int, filter: String?)
        throws(CaptureError)
    {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard let handle = pcap_create(interface, &errorBuffer) else {
            throw .cannotOpenInterface(name: interface, reason: cText(errorBuffer))
        }
        pcap_set_snaplen(handle, Int32(clamping: snapshotLength))
        pcap_set_promisc(handle, promiscuous ? 1 : 0)
        pcap_set_immediate_mode(handle, 1)
        pcap_set_timeout(handle, 100)
        pcap_set_buffer_size(handle, Int32(clamping: bufferBytes))
        // Nanosecond timestamps where the platform has them (Linux does).
        if pcap_set_tstamp_precision(handle, Int32(PCAP_TSTAMP_PRECISION_NANO)) == 0 {
            precision = .nanoseconds
        } else {
            precision = .microseconds
        }
        let status = pcap_activate(handle)
        if status < 0 {
            let reason: String
            switch status {
            case PCAP_ERROR_NO_SUCH_DEVICE: reason = "no such interface"
            case PCAP_ERROR_PERM_DENIED: reason = "permission denied (capturing needs root or CAP_NET_RAW)"
            case PCAP_ERROR_IFACE_NOT_UP: reason = "the interface is not up"
            default: reason = cText(pcap_geterr(handle))
            }
            pcap_close(handle)
            throw .cannotOpenInterface(name: interface, reason: reason)
        }
        // Before any stored property is set: a throwing init must not run deinit (it would close
        // the handle a second time).
        if let filter {
            var program = bpf_program()
            guard pcap_compile(handle, &program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
                let reason = cText(pcap_geterr(handle))
                pcap_close(handle)
                throw .badFilter(expression: filter, reason: reason)
            }
            defer { pcap_freecode(&program) }
            guard pcap_setfilter(handle, &program) == 0 else {
                let reason = cText(pcap_geterr(handle))
                pcap_close(handle)
                throw .badFilter(expression: filter, reason: reason)
            }
        }
        self.handle = handle
        self.interface = interface
        self.linkType = LinkTypes.linkType(forDLT: pcap_datalink(handle))
        self.snapshotLength = Int(pcap_snapshot(handle))
    }

    deinit {
        dmd_set_break_target(nil)
        pcap_close(handle)
    }

    /// Reads until `body` returns false, a stop signal arrives, or the interface fails.
    func read(fileIndex: Int, _ body: (FrameInfo, UnsafeRawBufferPointer) -> Bool) throws(CaptureError) -> CaptureEnd {
        var number: UInt64 = 0
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        dmd_set_break_target(UnsafeMutableRawPointer(handle))
        defer { dmd_set_break_target(nil) }
        while dmd_stop_requested() == 0 {
            let status = pcap_next_ex(handle, &header, &data)
            if status == 0 { continue }  // read time-out: look at the stop flag again
            if status == PCAP_ERROR_BREAK { return .stopped }
            guard status == 1, let header, let data else {
                if dmd_stop_requested() != 0 { break }
                throw .cannotOpenInterface(name: interface, reason: "read failed: " + cText(pcap_geterr(handle)))
            }
            number += 1
            let captured = Int(header.pointee.caplen)
            let info = FrameInfo(
                number: FrameNumber(number), fileIndex: fileIndex,
                timestamp: Timestamp(
                    seconds: Int64(header.pointee.ts.tv_sec),
                    nanoseconds: UInt32(
                        truncatingIfNeeded: precision == .nanoseconds
                            ? header.pointee.ts.tv_usec : header.pointee.ts.tv_usec &* 1000)),
                precision: precision, linkType: linkType, capturedLength: captured,
                originalLength: Int(header.pointee.len), interfaceID: 0)
            if !body(info, UnsafeRawBufferPointer(start: data, count: captured)) { return .stopped }
        }
        return .stopped
    }

    /// libpcap's counters (packets received, dropped by the kernel, dropped by the interface).
    var statistics: Statistics? {
        var stats = pcap_stat()
        guard pcap_stats(handle, &stats) == 0 else { return nil }
        return Statistics(
            received: UInt64(stats.ps_recv), droppedByKernel: UInt64(stats.ps_drop),
            droppedByInterface: UInt64(stats.ps_ifdrop))
    }
}
