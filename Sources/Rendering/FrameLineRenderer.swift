import Packets

/// One line per frame for `dmdissect --format frames`, the team's debugging view, modelled on
/// `tcpdump -nn -r` with absolute sequence numbers:
///
/// ```
///     12 2026-11-25T13:54:18.123456Z EN10MB  127.0.0.1.51514 > 127.0.0.1.80: TCP [S.] seq 12345 win 65483 len 0 <mss 65495,sackOK,TS val 1 ecr 0,nop,wscale 7>
/// ```
///
/// Columns: frame number (right-aligned, 6 wide), capture time (UTC ISO-8601), link type name,
/// two spaces, then the description. Addresses are written as tcpdump does, IPv6 included
/// (`fd77::1.443`: the last dot separates the port). Markers: `vlan 200,100` (outermost first),
/// `[|tcp]` when a header was cut by the snapshot length, `(truncated)` when only the payload was,
/// `[malformed]`, `[bad cksum]` (IPv4 header), `(reassembled from frames 5,6,7)`. Every string is
/// built from numbers, so no control character from the wire can reach the terminal.
public struct FrameLineRenderer: Sendable {
    /// Fractional digits of the time column.
    public var precision: TimestampPrecision

    /// A renderer printing times with `precision`.
    public init(precision: TimestampPrecision = .microseconds) {
        self.precision = precision
    }

    /// The line for `packet` (no trailing newline).
    public func line(for packet: borrowing DecodedPacket) -> String {
        let number = String(packet.frame.rawValue)
        let padding = String(repeating: " ", count: max(0, 6 - number.count))
        return padding + number + " " + TimeFormat.iso8601(packet.timestamp, precision: precision) + " "
            + packet.linkType.name + "  " + describe(packet)
    }

    /// The description column.
    public func describe(_ packet: borrowing DecodedPacket) -> String {
        var text = linkPrefix(packet)
        switch packet.network {
        case .ipv4(let info):
            text += ip(
                packet, source: info.source, destination: info.destination, upper: info.protocolNumber,
                isIPv6: false)
            if !info.checksumValid { text += " [bad cksum]" }
        case .ipv6(let info):
            text += ip(
                packet, source: info.source, destination: info.destination, upper: info.upperLayerProtocol,
                isIPv6: true)
        case .arp(let info):
            text += arp(info)
        case .other(let type):
            text +=
                type.isLength
                ? "802.3 length \(type.rawValue)" : "ethertype \(type), length \(packet.originalLength)"
        case .none:
            text += missingNetwork(packet)
        }
        if !packet.reassembledFrom.isEmpty {
            text +=
                " (reassembled from frames " + packet.reassembledFrom.map(\.description).joined(separator: ",") + ")"
        }
        if packet.isMalformed { text += " [malformed]" }
        return text
    }

    // MARK: - Layers

    private func linkPrefix(_ packet: borrowing DecodedPacket) -> String {
        var text = ""
        if case .linuxCooked(let info) = packet.link { text += "\(info.packetType) " }
        let vlans = packet.vlans
        if !vlans.isEmpty {
            text += "vlan " + vlans.map { String($0.id) }.joined(separator: ",")
            if vlans.totalCount > vlans.count { text += ",…" }
            text += " "
        }
        return text
    }

    private func missingNetwork(_ packet: borrowing DecodedPacket) -> String {
        switch packet.link {
        case .unsupported:
            switch packet.linkType.rawValue {
            case 1: return "[|ether]"
            case 113, 276: return "[|sll]"
            case 0, 108: return "[|loopback]"
            default: return "unsupported link type, \(packet.capturedLength) bytes"
            }
        case .loopback(let family):
            return "loopback family \(family)"
        case .raw:
            return packet.isTruncated ? "[|ip]" : "not IP"
        case .ethernet(let info):
            return packet.isTruncated
                ? "[|\(info.etherType.name?.lowercased() ?? "ether")]" : "ethertype \(info.etherType)"
        case .linuxCooked(let info):
            return packet.isTruncated
                ? "[|\(info.protocolType.name?.lowercased() ?? "sll")]" : "ethertype \(info.protocolType)"
        }
    }

    private func ip(
        _ packet: borrowing DecodedPacket, source: IPAddress, destination: IPAddress, upper: IPProtocol, isIPv6: Bool
    ) -> String {
        switch packet.transport {
        case .tcp(let info):
            var text =
                "\(source).\(info.sourcePort) > \(destination).\(info.destinationPort): TCP [\(flags(info.flags))]"
            text += " seq \(info.sequence)"
            if info.flags.contains(.ack) { text += " ack \(info.acknowledgment)" }
            text += " win \(info.window)"
            if info.flags.contains(.urg) { text += " urg \(info.urgentPointer)" }
            text += " len \(packet.payloadLength)"
            let options = options(info.options)
            if !options.isEmpty { text += " <\(options)>" }
            return text + cut(packet)
        case .udp(let info):
            return
                "\(source).\(info.sourcePort) > \(destination).\(info.destinationPort): UDP len \(packet.payloadLength)"
                + cut(packet)
        case .icmp(let type, let code):
            return "\(source) > \(destination): ICMP \(icmp(type: type, code: code))" + cut(packet)
        case .icmpv6(let type, let code):
            return "\(source) > \(destination): ICMP6 \(icmpv6(type: type, code: code))" + cut(packet)
        case .fragment(let fragment):
            return "\(source) > \(destination): \(isIPv6 ? "IPv6" : "IPv4") frag id \(fragment.key.identification)"
                + " offset \(fragment.offset) len \(fragment.length)\(fragment.moreFragments ? " MF" : "")"
                + " proto \(fragment.protocolNumber) (\(fragment.disposition.rawValue))"
        case .other(let protocolNumber):
            return "\(source) > \(destination): \(protocolNumber) len \(packet.payloadLength)" + cut(packet)
        case .none:
            if upper == .noNextHeader { return "\(source) > \(destination): no next header" }
            let name = (upper.name ?? "ip-proto-\(upper.rawValue)").lowercased()
            return "\(source) > \(destination):" + (packet.isTruncated ? " [|\(name)]" : " \(upper)")
        }
    }

    /// ` (truncated)` when the snapshot length cut the payload.
    private func cut(_ packet: borrowing DecodedPacket) -> String {
        packet.isTruncated ? " (truncated)" : ""
    }

    /// tcpdump's flag letters, in its order: F S R P . U E W, then `e` for NS/AE; `none` if no flag.
    private func flags(_ flags: TCPFlags) -> String {
        let letters: [(TCPFlags, Character)] = [
            (.fin, "F"), (.syn, "S"), (.rst, "R"), (.psh, "P"), (.ack, "."), (.urg, "U"), (.ece, "E"), (.cwr, "W"),
            (.ns, "e"),
        ]
        let text = String(letters.compactMap { flags.contains($0.0) ? $0.1 : nil })
        return text.isEmpty ? "none" : text
    }

    /// Options in wire order, as tcpdump writes them.
    private func options(_ options: TCPOptions) -> String {
        var parts: [String] = []
        for kind in options.kinds {
            switch kind {
            case .endOfList: parts.append("eol")
            case .noOperation: parts.append("nop")
            case .mss: parts.append("mss \(options.mss.map(String.init) ?? "?")")
            case .windowScale: parts.append("wscale \(options.windowScale.map(String.init) ?? "?")")
            case .sackPermitted: parts.append("sackOK")
            case .sack:
                let blocks = options.sackBlocks.map { "{\($0.left):\($0.right)}" }.joined()
                parts.append("sack \(options.sackBlocks.count) \(blocks)")
            case .timestamps:
                if let timestamps = options.timestamps {
                    parts.append("TS val \(timestamps.value) ecr \(timestamps.echo)")
                }
            default: parts.append("opt-\(kind.rawValue)")
            }
        }
        if options.isMalformed { parts.append("[bad opt]") }
        return parts.joined(separator: ",")
    }

    private func icmp(type: UInt8, code: UInt8) -> String {
        switch type {
        case 0: "echo reply"
        case 3: "unreachable code \(code)"
        case 5: "redirect code \(code)"
        case 8: "echo request"
        case 11: "time exceeded code \(code)"
        default: "type \(type) code \(code)"
        }
    }

    private func icmpv6(type: UInt8, code: UInt8) -> String {
        switch type {
        case 1: "unreachable code \(code)"
        case 2: "packet too big"
        case 3: "time exceeded code \(code)"
        case 128: "echo request"
        case 129: "echo reply"
        case 133: "router solicitation"
        case 134: "router advertisement"
        case 135: "neighbor solicitation"
        case 136: "neighbor advertisement"
        default: "type \(type) code \(code)"
        }
    }

    private func arp(_ info: ARPInfo) -> String {
        let name = info.operation >= 3 ? "RARP" : "ARP"
        switch (info.operation, info.senderAddress, info.targetAddress) {
        case (1, let sender?, let target?):
            return "\(name), Request who-has \(target) tell \(sender)"
        case (2, let sender?, _):
            return "\(name), Reply \(sender) is-at \(info.senderHardwareAddress.map(\.description) ?? "?")"
        default:
            return "\(name), operation \(info.operation)"
                + (info.hardwareType != 1 ? ", hardware \(info.hardwareType)" : "")
        }
    }
}
