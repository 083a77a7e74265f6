/// Transport-layer decoding: TCP, UDP, ICMP, ICMPv6.
extension PacketDecoder {
    /// Decodes the transport header in `bytes` (the captured part of the IP payload) at absolute
    /// offset `base`; the IP header says the payload is `wireLength` bytes long (≥ `bytes.count`).
    mutating func decodeTransport(
        _ protocolNumber: IPProtocol, _ bytes: UnsafeRawBufferPointer, base: Int, wireLength: Int, network: Layer,
        _ packet: inout DecodedPacket, _ state: inout FrameState, _ events: inout [PacketEvent]
    ) {
        let wireEnd = base + wireLength
        switch protocolNumber {
        case .tcp:
            counters.tcp += 1
            let view: TCPHeaderView
            do {
                view = try TCPHeaderView(bytes)
            } catch {
                report(error, .tcp, base: base, available: bytes.count, wireEnd: wireEnd, &packet, &state, &events)
                return
            }
            let (info, badOption) = view.info
            if let badOption {
                reportMalformed(
                    .tcp, .badTCPOption(kind: badOption.kind, offset: badOption.offset),
                    at: base + badOption.offset, &packet, &events)
            }
            packet.transport = .tcp(info)
            packet.payload = view.payload
            packet.payloadLength = wireLength - view.header.count  // header ≤ bytes.count ≤ wireLength
            if bytes.count < wireLength {
                reportTruncated(.tcp, at: base, needed: wireLength, available: bytes.count, &packet, &state, &events)
            }
        case .udp:
            counters.udp += 1
            let view: UDPHeaderView
            do {
                view = try UDPHeaderView(bytes)
            } catch {
                report(error, .udp, base: base, available: bytes.count, wireEnd: wireEnd, &packet, &state, &events)
                return
            }
            let info = view.info
            packet.transport = .udp(info)
            var end = info.length
            if info.length < 8 {
                reportMalformed(.udp, .udpLengthTooSmall(info.length), at: base + 4, &packet, &events)
                end = wireLength
            } else if info.length > wireLength {
                reportMalformed(
                    .udp, .udpLengthBeyondIP(udpLength: info.length, ipPayloadLength: wireLength),
                    at: base + 4, &packet, &events)
                end = wireLength
            }
            // 8 ≤ end here unless the UDP length was < 8 and the IP payload too; bytes.count ≥ 8.
            let capturedEnd = max(8, min(end, bytes.count))
            packet.payload = UnsafeRawBufferPointer(rebasing: bytes[8..<capturedEnd])
            packet.payloadLength = max(0, end - 8)
            if bytes.count < end {
                reportTruncated(.udp, at: base, needed: end, available: bytes.count, &packet, &state, &events)
            }
        case .icmp, .icmpv6:
            counters.icmp += 1
            let layer: Layer = protocolNumber == .icmp ? .icmp : .icmpv6
            guard bytes.count >= 2 else {
                reportShort(
                    layer, at: base, needed: 2, available: bytes.count, wireEnd: wireEnd,
                    &packet, &state, &events)
                return
            }
            packet.transport =
                protocolNumber == .icmp
                ? .icmp(type: bytes[0], code: bytes[1]) : .icmpv6(type: bytes[0], code: bytes[1])
            packet.payload = UnsafeRawBufferPointer(rebasing: bytes[min(4, bytes.count)...])
            packet.payloadLength = max(0, wireLength - 4)
            if bytes.count < wireLength {
                reportTruncated(layer, at: base, needed: wireLength, available: bytes.count, &packet, &state, &events)
            }
        case .noNextHeader:
            packet.transport = .none
        default:
            counters.otherTransport += 1
            packet.transport = .other(protocolNumber)
            packet.payload = bytes
            packet.payloadLength = wireLength
            if bytes.count < wireLength {
                reportTruncated(
                    network, at: base, needed: wireLength, available: bytes.count,
                    &packet, &state, &events)
            }
        }
    }
}
