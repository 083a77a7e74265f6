import CPcap
import Packets

/// A capture filter expression (tcpdump syntax) compiled by libpcap, one program per link type.
///
/// The filter runs with `pcap_offline_filter` on every frame rather than inside libpcap's read
/// loop, so that rejected frames still count in the frame numbering (frame N stays the N-th
/// packet of the file, as in Wireshark).
final class BPFFilter {
    let expression: String
    private var programs: [LinkType: bpf_program] = [:]

    /// Compiles nothing yet; `matches` compiles lazily for each link type met.
    init(expression: String) {
        self.expression = expression
    }

    deinit {
        for var program in programs.values {
            pcap_freecode(&program)
        }
    }

    /// Compiles the expression for `linkType`, or throws the compiler's message.
    func prepare(for linkType: LinkType) throws(CaptureError) {
        if programs[linkType] != nil { return }
        guard let dead = pcap_open_dead_with_tstamp_precision(
            Int32(bitPattern: LinkTypes.dlt(for: linkType)), 262_144, UInt32(PCAP_TSTAMP_PRECISION_NANO))
        else {
            throw .badFilter(expression: expression, reason: "libpcap could not create a compiler")
        }
        defer { pcap_close(dead) }
        var program = bpf_program()
        // PCAP_NETMASK_UNKNOWN: "ip broadcast" cannot be checked offline, as with tcpdump -r.
        guard pcap_compile(dead, &program, expression, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
            let reason = cText(pcap_geterr(dead))
            throw .badFilter(expression: expression, reason: reason + " (link type \(linkType.name))")
        }
        programs[linkType] = program
    }

    /// True when the frame passes the filter. A link type the expression cannot be compiled for
    /// rejects its frames (the error was reported once by `prepare`).
    func matches(_ bytes: UnsafeRawBufferPointer, linkType: LinkType, originalLength: Int) -> Bool {
        guard var program = programs[linkType] else { return false }
        var header = pcap_pkthdr()
        header.caplen = UInt32(truncatingIfNeeded: bytes.count)  // a frame buffer is < 4 GiB by construction
        header.len = UInt32(clamping: originalLength)
        guard let base = bytes.baseAddress else { return pcap_offline_filter(&program, &header, nil) != 0 }
        return pcap_offline_filter(&program, &header, base.assumingMemoryBound(to: UInt8.self)) != 0
    }
}

/// Conversions between the LINKTYPE_ numbers in files and libpcap's DLT_ numbers (they differ
/// only for a few historical types; see pcap-common.c).
enum LinkTypes {
    /// DLT_ value libpcap's compiler expects for a LINKTYPE_.
    static func dlt(for linkType: LinkType) -> UInt32 {
        switch linkType.rawValue {
        case 101: UInt32(DLT_RAW)  // LINKTYPE_RAW
        case 108: UInt32(DLT_LOOP)  // LINKTYPE_LOOP
        default: linkType.rawValue
        }
    }

    /// LINKTYPE_ for a DLT_ value returned by `pcap_datalink`.
    static func linkType(forDLT dlt: Int32) -> LinkType {
        switch dlt {
        case 12: .raw  // DLT_RAW on Linux
        case DLT_LOOP: .loop
        default: LinkType(rawValue: UInt32(bitPattern: dlt))
        }
    }
}
