/// Link-layer decoding: Ethernet (802.1Q/802.1ad tags), Linux cooked v1/v2, BSD/OpenBSD loopback, raw IP.
extension PacketDecoder {
    /// Decodes the link header and everything above it; returns a datagram when this frame completed one.
    mutating func decodeLink(
        _ bytes: UnsafeRawBufferPointer, linkType: LinkType, _ packet: inout DecodedPacket,
        _ state: inout FrameState, _ events: inout [PacketEvent]
    ) -> CompletedDatagram? {
        switch linkType.rawValue {
        case LinkType.ethernet.rawValue:
            return decodeEthernet(bytes, &packet, &state, &events)
        case LinkType.linuxSLL.rawValue:
            return decodeLinuxCooked(bytes, version: 1, &packet, &state, &events)
        case LinkType.linuxSLL2.rawValue:
            return decodeLinuxCooked(bytes, version: 2, &packet, &state, &events)
        case LinkType.null.rawValue, LinkType.loop.rawValue:
            return decodeLoopback(bytes, &packet, &state, &events)
        case LinkType.raw.rawValue, 12, 14:
            packet.link = .raw
            return decodeRawIP(bytes, expectedVersion: nil, &packet, &state, &events)
        case LinkType.ipv4.rawValue:
            packet.link = .raw
            return decodeRawIP(bytes, expectedVersion: 4, &packet, &state, &events)
        case LinkType.ipv6.rawValue:
            packet.link = .raw
            return decodeRawIP(bytes, expectedVersion: 6, &packet, &state, &events)
        default:
            counters.unsupportedLinkTypeFrames += 1
            if reportedLinkTypes.insert(linkType).inserted {
                events.append(.unsupportedLinkType(linkType, at: Location(frame: state.frame, offset: 0)))
            }
            return nil
        }
    }

    /// Ethernet II / 802.3 (IEEE 802.3 §3.2), then any VLAN tags.
    private mutating func decodeEthernet(
        _ bytes: UnsafeRawBufferPointer, _ packet: inout DecodedPacket, _ state: inout FrameState,
        _ events: inout [PacketEvent]
    ) -> CompletedDatagram? {
        guard let destination = MACAddress(bytes, at: 0), let source = MACAddress(bytes, at: 6),
            let type: UInt16 = bytes.bigEndian(at: 12)
        else {
            reportShort(
                .ethernet, at: 0, needed: 14, available: bytes.count, wireEnd: state.original,
                &packet, &state, &events)
            return nil
        }
        var info = EthernetInfo(source: source, destination: destination, etherType: EtherType(rawValue: type))
        let offset = skipVLANTags(bytes, at: 14, type: &info.etherType, vlans: &info.vlans, &packet, &state, &events)
        packet.link = .ethernet(info)
        guard let offset else { return nil }
        return decodeNetwork(bytes, etherType: info.etherType, at: offset, &packet, &state, &events)
    }

    /// Reads 802.1Q / 802.1ad / 0x9100 tags while `type` introduces one; returns the offset after
    /// the last tag, or `nil` when a tag is cut short (reported).
    private func skipVLANTags(
        _ bytes: UnsafeRawBufferPointer, at start: Int, type: inout EtherType, vlans: inout VLANTags,
        _ packet: inout DecodedPacket, _ state: inout FrameState, _ events: inout [PacketEvent]
    ) -> Int? {
        var offset = start
        while type.isVLANTag {
            guard let control: UInt16 = bytes.bigEndian(at: offset), let next: UInt16 = bytes.bigEndian(at: offset + 2)
            else {
                reportShort(
                    .vlan, at: offset, needed: 4, available: max(0, bytes.count - offset),
                    wireEnd: state.original, &packet, &state, &events)
                return nil
            }
            vlans.append(VLANTag(tagProtocol: type, controlInformation: control))
            type = EtherType(rawValue: next)
            offset += 4  // the 4 bytes were just read, so offset + 4 ≤ bytes.count
        }
        return offset
    }

    /// Linux cooked capture: v1 is 16 bytes (packet type, ARPHRD, address length, 8-byte address,
    /// protocol); v2 is 20 bytes (protocol, reserved, interface index, ARPHRD, packet type,
    /// address length, 8-byte address). https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html
    private mutating func decodeLinuxCooked(
        _ bytes: UnsafeRawBufferPointer, version: Int, _ packet: inout DecodedPacket, _ state: inout FrameState,
        _ events: inout [PacketEvent]
    ) -> CompletedDatagram? {
        let headerLength = version == 1 ? 16 : 20
        guard bytes.count >= headerLength else {
            reportShort(
                .linuxCooked, at: 0, needed: headerLength, available: bytes.count, wireEnd: state.original,
                &packet, &state, &events)
            return nil
        }
        let info: LinuxCookedInfo
        // All reads below are within the header length checked above.
        if version == 1 {
            let addressLength = Int(bytes.bigEndian(at: 4, as: UInt16.self) ?? 0)
            info = LinuxCookedInfo(
                version: 1, packetType: LinuxPacketType(rawValue: bytes.bigEndian(at: 0) ?? 0),
                hardwareType: bytes.bigEndian(at: 2) ?? 0,
                linkAddress: LinkAddress(bytes, at: 6, length: min(addressLength, 8)), interfaceIndex: nil,
                protocolType: EtherType(rawValue: bytes.bigEndian(at: 14) ?? 0))
        } else {
            info = LinuxCookedInfo(
                version: 2, packetType: LinuxPacketType(rawValue: UInt16(bytes[10])),
                hardwareType: bytes.bigEndian(at: 8) ?? 0,
                linkAddress: LinkAddress(bytes, at: 12, length: min(Int(bytes[11]), 8)),
                interfaceIndex: bytes.bigEndian(at: 4), protocolType: EtherType(rawValue: bytes.bigEndian(at: 0) ?? 0))
        }
        var cooked = info
        let offset = skipVLANTags(
            bytes, at: headerLength, type: &cooked.protocolType, vlans: &cooked.vlans,
            &packet, &state, &events)
        packet.link = .linuxCooked(cooked)
        guard let offset else { return nil }
        return decodeNetwork(bytes, etherType: cooked.protocolType, at: offset, &packet, &state, &events)
    }

    /// BSD `NULL` (family in the capturing host's byte order) and OpenBSD `LOOP` (network order).
    /// Families are small numbers, so a value above 0xFFFF was written in the other byte order
    /// (libpcap does the same). 2 is AF_INET everywhere; AF_INET6 is 24 (NetBSD, OpenBSD), 28 (FreeBSD)
    /// or 30 (Darwin).
    private mutating func decodeLoopback(
        _ bytes: UnsafeRawBufferPointer, _ packet: inout DecodedPacket, _ state: inout FrameState,
        _ events: inout [PacketEvent]
    ) -> CompletedDatagram? {
        guard let word: UInt32 = bytes.bigEndian(at: 0) else {
            reportShort(
                .loopback, at: 0, needed: 4, available: bytes.count, wireEnd: state.original,
                &packet, &state, &events)
            return nil
        }
        let family = word <= 0xFFFF ? word : word.byteSwapped
        packet.link = .loopback(family: family)
        switch family {
        case 2:
            return decodeNetwork(bytes, etherType: .ipv4, at: 4, &packet, &state, &events)
        case 24, 28, 30:
            return decodeNetwork(bytes, etherType: .ipv6, at: 4, &packet, &state, &events)
        default:
            counters.otherNetwork += 1
            return nil
        }
    }

    /// Raw IP: the version nibble decides (RFC 791 / RFC 8200 put it in the first 4 bits).
    private mutating func decodeRawIP(
        _ bytes: UnsafeRawBufferPointer, expectedVersion: UInt8?, _ packet: inout DecodedPacket,
        _ state: inout FrameState, _ events: inout [PacketEvent]
    ) -> CompletedDatagram? {
        guard let first = bytes.first else {
            reportShort(.ip, at: 0, needed: 1, available: 0, wireEnd: state.original, &packet, &state, &events)
            return nil
        }
        let version = first >> 4
        if let expectedVersion, version != expectedVersion {
            reportMalformed(.ip, .unexpectedIPVersion(found: version), at: 0, &packet, &events)
            return nil
        }
        switch version {
        case 4: return decodeNetwork(bytes, etherType: .ipv4, at: 0, &packet, &state, &events)
        case 6: return decodeNetwork(bytes, etherType: .ipv6, at: 0, &packet, &state, &events)
        default:
            reportMalformed(.ip, .unexpectedIPVersion(found: version), at: 0, &packet, &events)
            return nil
        }
    }

    /// Dispatches on the EtherType at absolute `offset`.
    private mutating func decodeNetwork(
        _ bytes: UnsafeRawBufferPointer, etherType: EtherType, at offset: Int, _ packet: inout DecodedPacket,
        _ state: inout FrameState, _ events: inout [PacketEvent]
    ) -> CompletedDatagram? {
        // Callers pass an offset of bytes already read, so it is ≤ bytes.count.
        let rest = UnsafeRawBufferPointer(rebasing: bytes[min(offset, bytes.count)...])
        switch etherType {
        case .ipv4:
            counters.ipv4 += 1
            return decodeIPv4(rest, base: offset, &packet, &state, &events)
        case .ipv6:
            counters.ipv6 += 1
            return decodeIPv6(rest, base: offset, &packet, &state, &events)
        case .arp, .rarp:
            counters.arp += 1
            decodeARP(rest, base: offset, &packet, &state, &events)
            return nil
        default:
            counters.otherNetwork += 1
            packet.network = .other(etherType)
            packet.payload = rest
            packet.payloadLength = state.original - min(offset, bytes.count)
            return nil
        }
    }

    /// ARP (RFC 826): the fixed 8 bytes, and the addresses for Ethernet/IPv4.
    private func decodeARP(
        _ bytes: UnsafeRawBufferPointer, base: Int, _ packet: inout DecodedPacket, _ state: inout FrameState,
        _ events: inout [PacketEvent]
    ) {
        guard let hardware: UInt16 = bytes.bigEndian(at: 0), let proto: UInt16 = bytes.bigEndian(at: 2),
            let operation: UInt16 = bytes.bigEndian(at: 6)
        else {
            reportShort(
                .arp, at: base, needed: 8, available: bytes.count, wireEnd: state.original,
                &packet, &state, &events)
            return
        }
        var info = ARPInfo(operation: operation, hardwareType: hardware, protocolType: EtherType(rawValue: proto))
        // bytes[4], bytes[5] exist: bigEndian(at: 6) succeeded.
        if hardware == 1, proto == 0x0800, bytes[4] == 6, bytes[5] == 4 {
            if bytes.count >= 28 {
                info.senderHardwareAddress = MACAddress(bytes, at: 8)
                info.senderAddress = IPAddress.ipv4(in: bytes, at: 14)
                info.targetHardwareAddress = MACAddress(bytes, at: 18)
                info.targetAddress = IPAddress.ipv4(in: bytes, at: 24)
            } else {
                reportShort(
                    .arp, at: base, needed: 28, available: bytes.count, wireEnd: state.original,
                    &packet, &state, &events)
            }
        }
        packet.network = .arp(info)
    }
}
