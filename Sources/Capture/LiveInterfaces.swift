import CPcap

/// The interfaces libpcap can capture on, for `-D` (as `tcpdump -D` lists them).
public enum LiveInterfaces {
    /// One interface.
    public struct Interface: Sendable, Hashable {
        /// The name to give to `-i`.
        public var name: String
        /// libpcap's description, if any.
        public var description: String?
        /// `Up`, `Running`, `Wireless`, `Loopback`, … as tcpdump shows them.
        public var flags: [String]
    }

    /// Every interface, in libpcap's order; throws when libpcap cannot list them.
    public static func list() throws(CaptureError) -> [Interface] {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        var first: UnsafeMutablePointer<pcap_if_t>?
        guard pcap_findalldevs(&first, &errorBuffer) == 0 else {
            throw .cannotOpenInterface(name: "(list)", reason: cText(errorBuffer))
        }
        defer { pcap_freealldevs(first) }
        var result: [Interface] = []
        var current = first
        while let device = current {
            let raw = device.pointee.flags
            var flags: [String] = []
            if raw & UInt32(PCAP_IF_UP) != 0 { flags.append("Up") }
            if raw & UInt32(PCAP_IF_RUNNING) != 0 { flags.append("Running") }
            if raw & UInt32(PCAP_IF_WIRELESS) != 0 { flags.append("Wireless") }
            if raw & UInt32(PCAP_IF_LOOPBACK) != 0 { flags.append("Loopback") }
            result.append(
                Interface(
                    name: cText(device.pointee.name), description: device.pointee.description.map { cText($0) },
                    flags: flags))
            current = device.pointee.next
        }
        return result
    }
}
