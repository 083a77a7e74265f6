/// A TCP header over borrowed bytes (RFC 9293 §3.1), like gopacket's `TCP.DecodeFromBytes`:
/// the 20-byte minimum first, then a data offset that is ≥ 5 words and within the bytes.
package struct TCPHeaderView {
    /// The header including options (borrowed).
    package let header: UnsafeRawBufferPointer
    /// Everything after the header (borrowed).
    package let payload: UnsafeRawBufferPointer

    /// Views the header at the start of `segment`.
    package init(_ segment: UnsafeRawBufferPointer) throws(HeaderError) {
        guard segment.count >= 20 else { throw .short(needed: 20) }
        let length = Int(segment[12] >> 4) * 4  // 0…60, cannot overflow
        guard length >= 20 else { throw .malformed(.headerLengthTooSmall(length, minimum: 20), offset: 12) }
        guard let header = segment.slice(at: 0, length: length) else { throw .short(needed: length) }
        self.header = header
        self.payload = UnsafeRawBufferPointer(rebasing: segment[length...])  // length ≤ count checked by slice
    }

    private func u16(_ offset: Int) -> UInt16 { header.bigEndian(at: offset) ?? 0 }  // in bounds: count ≥ 20
    private func u32(_ offset: Int) -> UInt32 { header.bigEndian(at: offset) ?? 0 }

    /// Source port.
    package var sourcePort: Port { Port(u16(0)) }
    /// Destination port.
    package var destinationPort: Port { Port(u16(2)) }
    /// Sequence number.
    package var sequence: SequenceNumber { SequenceNumber(u32(4)) }
    /// Acknowledgment number.
    package var acknowledgment: SequenceNumber { SequenceNumber(u32(8)) }
    /// Flags, with NS from byte 12.
    package var flags: TCPFlags { TCPFlags(rawValue: UInt16(header[12] & 1) << 8 | UInt16(header[13])) }

    /// Parses the options (RFC 9293 §3.2, RFC 7323, RFC 2018). Stops at EOL or at the first
    /// malformed option, whose kind and header offset are returned alongside.
    package func parseOptions() -> (TCPOptions, malformedAt: (kind: UInt8, offset: Int)?) {
        var options = TCPOptions()
        var offset = 20
        let end = header.count
        while offset < end {
            let kind = header[offset]
            if kind == 0 {
                options.kinds.append(.endOfList)
                break
            }
            if kind == 1 {
                options.kinds.append(.noOperation)
                offset += 1
                continue
            }
            // offset < end: compare before reading the length byte and before adding it.
            guard offset + 1 < end else {
                options.isMalformed = true
                return (options, (kind, offset))
            }
            let length = Int(header[offset + 1])
            guard length >= 2, length <= end - offset else {
                options.isMalformed = true
                return (options, (kind, offset))
            }
            let value = offset + 2
            var isValid = true
            switch kind {
            case 2:
                if length == 4 { options.mss = header.bigEndian(at: value) } else { isValid = false }
            case 3:
                if length == 3 { options.windowScale = header[value] } else { isValid = false }
            case 4:
                if length == 2 { options.sackPermitted = true } else { isValid = false }
            case 5:
                if (length - 2) % 8 == 0 {
                    var block = value
                    while block + 8 <= offset + length {
                        if let left: UInt32 = header.bigEndian(at: block),
                            let right: UInt32 = header.bigEndian(at: block + 4)
                        {
                            options.sackBlocks.append(
                                SACKBlock(left: SequenceNumber(left), right: SequenceNumber(right)))
                        }
                        block += 8
                    }
                } else {
                    isValid = false
                }
            case 8:
                if length == 10, let tsValue: UInt32 = header.bigEndian(at: value),
                    let echo: UInt32 = header.bigEndian(at: value + 4)
                {
                    options.timestamps = TCPTimestamps(value: tsValue, echo: echo)
                } else {
                    isValid = false
                }
            default:
                break
            }
            guard isValid else {
                options.isMalformed = true
                return (options, (kind, offset))
            }
            options.kinds.append(TCPOptionKind(rawValue: kind))
            offset += length
        }
        return (options, nil)
    }

    /// The decoded header and, when the option list is malformed, where.
    package var info: (TCPInfo, malformedOption: (kind: UInt8, offset: Int)?) {
        let (options, malformed) = header.count > 20 ? parseOptions() : (TCPOptions(), nil)
        let info = TCPInfo(
            sourcePort: sourcePort, destinationPort: destinationPort, sequence: sequence,
            acknowledgment: acknowledgment, flags: flags, window: u16(14), dataOffset: header[12] >> 4,
            urgentPointer: u16(18), checksum: u16(16), options: options)
        return (info, malformed)
    }
}
