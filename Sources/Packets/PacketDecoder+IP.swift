/// Network-layer decoding: IPv4 (options, checksum, fragments) and IPv6 (extension headers, fragments).
extension PacketDecoder {
    /// IPv4 at absolute offset `base`; `bytes` runs from there to the end of the captured frame.
    mutating func decodeIPv4(
        _ bytes: UnsafeRawBufferPointer, base: Int, _ packet: inout DecodedPacket, _ state: inout FrameState,
        _ events: inout [PacketEvent]
    ) -> CompletedDatagram? {
        let view: IPv4HeaderView
        do {
            view = try IPv4HeaderView(bytes)
        } catch {
            report(error, .ipv4, base: base, available: bytes.count, wireEnd: state.original, &packet, &state, &events)
            return nil
        }
        let info = view.info
        packet.network = .ipv4(info)
        if !info.checksumValid {
            counters.badIPv4Checksums += 1
            events.append(
                .badIPv4Checksum(
                    expected: view.expectedChecksum, found: info.checksum,
                    at: Location(frame: state.frame, offset: base + 10)))
        }
        if info.options.contains(.malformed) {
            reportMalformed(
                .ipv4, .lengthBeyondData(claimed: info.headerLength, available: info.headerLength),
                at: base + 20, &packet, &events)
        }
        let headerLength = info.headerLength
        // RFC 791: total length counts the header, so it cannot be smaller.
        guard info.totalLength >= headerLength else {
            reportMalformed(
                .ipv4, .totalLengthBelowHeader(totalLength: info.totalLength, headerLength: headerLength),
                at: base + 2, &packet, &events)
            return nil
        }
        // The datagram as the wire carried it; anything after it is Ethernet padding.
        let onWire = state.original - base  // base ≤ captured ≤ original
        var datagramLength = info.totalLength
        if datagramLength > onWire {
            reportMalformed(
                .ipv4, .lengthBeyondData(claimed: datagramLength, available: onWire), at: base + 2,
                &packet, &events)
            datagramLength = onWire  // ≥ headerLength: the header itself was captured
        }
        let captured = min(datagramLength, bytes.count)
        // headerLength ≤ captured: the view checked the header is in `bytes`, and ≤ datagramLength above.
        let payload = UnsafeRawBufferPointer(rebasing: bytes[headerLength..<captured])
        let payloadOnWire = datagramLength - headerLength

        if info.isFragment {
            counters.fragments += 1
            let key = FragmentKey(
                source: info.source, destination: info.destination,
                identification: UInt32(info.identification), protocolNumber: info.protocolNumber)
            var fragment = FragmentInfo(
                key: key, protocolNumber: info.protocolNumber, offset: info.fragmentOffset,
                length: payloadOnWire, moreFragments: info.moreFragments, disposition: .dropped)
            defer { packet.transport = .fragment(fragment) }
            guard captured == datagramLength else {
                reportTruncated(.ipv4, at: base, needed: datagramLength, available: captured, &packet, &state, &events)
                return nil
            }
            let end = headerLength + info.fragmentOffset + payloadOnWire  // each ≤ 65535: no overflow
            // RFC 791 §3.1: a datagram is at most 65535 bytes, header included.
            guard end <= 65_535 else {
                reportMalformed(.fragment, .datagramTooLong(end), at: base + 6, &packet, &events)
                return nil
            }
            // RFC 791: fragments other than the last carry a multiple of 8 bytes.
            guard !info.moreFragments || payloadOnWire % 8 == 0 else {
                reportMalformed(
                    .fragment, .fragmentLengthNotMultipleOf8(payloadOnWire), at: base + 2,
                    &packet, &events)
                return nil
            }
            let outcome = reassembler.add(
                Fragment(
                    key: key, offset: info.fragmentOffset, data: payload, moreFragments: info.moreFragments,
                    header: .ipv4(info), time: packet.timestamp,
                    location: Location(frame: state.frame, offset: base)),
                events: &events, statistics: &counters)
            return resolve(outcome, &fragment, &packet, &events)
        }
        decodeTransport(
            info.protocolNumber, payload, base: base + headerLength, wireLength: payloadOnWire,
            network: .ipv4, &packet, &state, &events)
        return nil
    }

    /// IPv6 at absolute offset `base`; `bytes` runs from there to the end of the captured frame.
    mutating func decodeIPv6(
        _ bytes: UnsafeRawBufferPointer, base: Int, _ packet: inout DecodedPacket, _ state: inout FrameState,
        _ events: inout [PacketEvent]
    ) -> CompletedDatagram? {
        let view: IPv6HeaderView
        do {
            view = try IPv6HeaderView(bytes)
        } catch {
            report(error, .ipv6, base: base, available: bytes.count, wireEnd: state.original, &packet, &state, &events)
            return nil
        }
        var info = IPv6Info(
            source: view.source, destination: view.destination, trafficClass: view.trafficClass,
            flowLabel: view.flowLabel, payloadLength: view.payloadLength, hopLimit: view.hopLimit,
            nextHeader: view.nextHeader, upperLayerProtocol: view.nextHeader)
        defer { packet.network = .ipv6(info) }

        let onWire = state.original - base - 40  // the 40 bytes were captured, so ≥ 0
        var payloadLength = view.payloadLength
        if payloadLength == 0, view.nextHeader == .hopByHop {
            payloadLength = onWire  // RFC 2675 jumbogram: the length is in a hop-by-hop option; use the frame
        } else if payloadLength > onWire {
            reportMalformed(
                .ipv6, .lengthBeyondData(claimed: payloadLength, available: onWire), at: base + 4,
                &packet, &events)
            payloadLength = onWire
        }
        let captured = min(payloadLength, bytes.count - 40)
        let payload = UnsafeRawBufferPointer(rebasing: bytes[40..<(40 + captured)])

        let walk = walkExtensionHeaders(
            from: view.nextHeader, payload, base: base + 40, wireLength: payloadLength, chain: &info.extensionHeaders,
            &packet, &state, &events)
        switch walk {
        case .stopped:
            return nil
        case .upperLayer(let upper, let offset):
            info.upperLayerProtocol = upper
            decodeTransport(
                upper, UnsafeRawBufferPointer(rebasing: payload[offset...]), base: base + 40 + offset,
                wireLength: payloadLength - offset, network: .ipv6, &packet, &state, &events)
            return nil
        case .fragment(let header):
            info.upperLayerProtocol = header.nextHeader
            counters.fragments += 1
            let dataStart = header.offset + 8
            let dataLength = payloadLength - dataStart  // the 8-byte header was read, so dataStart ≤ payloadLength
            let key = FragmentKey(
                source: info.source, destination: info.destination,
                identification: header.identification, protocolNumber: nil)
            var fragment = FragmentInfo(
                key: key, protocolNumber: header.nextHeader, offset: header.fragmentOffset,
                length: dataLength, moreFragments: header.moreFragments, disposition: .dropped)
            defer { packet.transport = .fragment(fragment) }
            guard captured == payloadLength else {
                reportTruncated(
                    .ipv6, at: base, needed: 40 + payloadLength, available: 40 + captured,
                    &packet, &state, &events)
                return nil
            }
            // RFC 8200 §4.5: the reassembled packet may not exceed 65535 bytes of payload.
            let end = header.offset + header.fragmentOffset + dataLength
            guard end <= 65_535 else {
                reportMalformed(.fragment, .datagramTooLong(end), at: base + 40 + header.offset + 2, &packet, &events)
                return nil
            }
            guard !header.moreFragments || dataLength % 8 == 0 else {
                reportMalformed(.fragment, .fragmentLengthNotMultipleOf8(dataLength), at: base + 4, &packet, &events)
                return nil
            }
            let outcome = reassembler.add(
                Fragment(
                    key: key, offset: header.fragmentOffset,
                    data: UnsafeRawBufferPointer(rebasing: payload[dataStart...]),
                    moreFragments: header.moreFragments,
                    header: .ipv6(info, upperProtocol: header.nextHeader, unfragmentableLength: header.offset),
                    time: packet.timestamp, location: Location(frame: state.frame, offset: base)),
                events: &events, statistics: &counters)
            return resolve(outcome, &fragment, &packet, &events)
        }
    }

    /// Records what reassembly did; returns the datagram when it completed.
    private func resolve(
        _ outcome: FragmentOutcome, _ fragment: inout FragmentInfo, _ packet: inout DecodedPacket,
        _ events: inout [PacketEvent]
    ) -> CompletedDatagram? {
        switch outcome {
        case .held:
            fragment.disposition = .held
        case .duplicate:
            fragment.disposition = .duplicate
        case .dropped:
            fragment.disposition = .dropped
            if case .malformed = events.last { packet.isMalformed = true }
        case .completed(let datagram):
            fragment.disposition = .held
            return datagram
        }
        return nil
    }

    /// An IPv6 fragment header (RFC 8200 §4.5) found in a chain.
    struct IPv6FragmentHeader {
        /// Offset of the fragment header in the IPv6 payload (= bytes of extension headers before it).
        var offset: Int
        /// Next header of the fragmentable part.
        var nextHeader: IPProtocol
        /// Fragment offset in bytes.
        var fragmentOffset: Int
        /// M flag.
        var moreFragments: Bool
        /// Identification.
        var identification: UInt32
    }

    /// Where an extension-header walk ended.
    enum ExtensionWalk {
        /// At an upper-layer protocol (or ESP / no-next-header) at this payload offset.
        case upperLayer(IPProtocol, offset: Int)
        /// At a fragment header that is a real fragment (not an atomic one).
        case fragment(IPv6FragmentHeader)
        /// A header was cut short or lied about its length (reported).
        case stopped
    }

    /// Walks the extension headers from `next` (RFC 8200 §4): hop-by-hop, routing, destination
    /// options, mobility, HIP, shim6 are `(length + 1) * 8` bytes; AH is `(length + 2) * 4`
    /// (RFC 4302 §2.2); the fragment header is 8 bytes. ESP and no-next-header end the chain.
    /// Each header is at least 8 bytes, so the walk ends within `payload.count / 8` steps.
    func walkExtensionHeaders(
        from next: IPProtocol, _ payload: UnsafeRawBufferPointer, base: Int, wireLength: Int,
        chain: inout IPv6ExtensionChain, _ packet: inout DecodedPacket, _ state: inout FrameState,
        _ events: inout [PacketEvent]
    ) -> ExtensionWalk {
        var next = next
        var offset = 0
        while next.isGenericIPv6Extension || next == .authentication || next == .fragment {
            let available = payload.count - offset  // offset ≤ payload.count: only whole headers are skipped
            guard available >= 2 else {
                reportShort(
                    .ipv6Extension, at: base + offset, needed: next == .fragment ? 8 : 2, available: available,
                    wireEnd: base + wireLength, &packet, &state, &events)
                return .stopped
            }
            let lengthField = Int(payload[offset + 1])
            let length: Int
            switch next {
            case .fragment: length = 8
            case .authentication: length = (lengthField + 2) * 4  // ≤ 1028
            default: length = (lengthField + 1) * 8  // ≤ 2048
            }
            guard length <= available else {
                reportShort(
                    .ipv6Extension, at: base + offset, needed: length, available: available,
                    wireEnd: base + wireLength, &packet, &state, &events)
                return .stopped
            }
            chain.append(next)
            if next == .fragment {
                let field: UInt16 = payload.bigEndian(at: offset + 2) ?? 0  // within the 8 bytes checked above
                let header = IPv6FragmentHeader(
                    offset: offset, nextHeader: IPProtocol(rawValue: payload[offset]),
                    fragmentOffset: Int(field & 0xFFF8), moreFragments: field & 1 != 0,
                    identification: payload.bigEndian(at: offset + 4) ?? 0)
                // RFC 6946: an atomic fragment (offset 0, M = 0) is processed as a whole packet.
                if header.fragmentOffset != 0 || header.moreFragments { return .fragment(header) }
            }
            next = IPProtocol(rawValue: payload[offset])
            offset += length
        }
        return .upperLayer(next, offset: offset)
    }

    /// Fills `packet` from a datagram completed by this frame; offsets count from the reassembled payload.
    mutating func decodeReassembled(
        _ datagram: CompletedDatagram, _ payload: UnsafeRawBufferPointer, _ packet: inout DecodedPacket,
        _ state: inout FrameState, _ events: inout [PacketEvent]
    ) {
        packet.reassembledFrom = datagram.frames
        // The whole datagram is in memory: any shortfall now is the datagram's own contradiction.
        state.isCut = false
        switch datagram.header {
        case .ipv4(var info):
            info.totalLength = info.headerLength + payload.count  // ≤ 65535, checked per fragment
            info.moreFragments = false
            info.fragmentOffset = 0
            packet.network = .ipv4(info)
            packet.transport = .none
            decodeTransport(
                info.protocolNumber, payload, base: 0, wireLength: payload.count, network: .ipv4,
                &packet, &state, &events)
        case .ipv6(var info, let upper, let unfragmentable):
            info.payloadLength = unfragmentable + payload.count
            packet.transport = .none
            let walk = walkExtensionHeaders(
                from: upper, payload, base: 0, wireLength: payload.count, chain: &info.extensionHeaders,
                &packet, &state, &events)
            switch walk {
            case .upperLayer(let protocolNumber, let offset):
                info.upperLayerProtocol = protocolNumber
                packet.network = .ipv6(info)
                decodeTransport(
                    protocolNumber, UnsafeRawBufferPointer(rebasing: payload[offset...]), base: offset,
                    wireLength: payload.count - offset, network: .ipv6, &packet, &state, &events)
            case .fragment:
                // A second fragment header inside a reassembled datagram: nothing sensible to decode.
                info.upperLayerProtocol = .fragment
                packet.network = .ipv6(info)
                packet.transport = .other(.fragment)
            case .stopped:
                packet.network = .ipv6(info)
            }
        }
    }
}
