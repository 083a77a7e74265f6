/// An IPv4 header over borrowed bytes (RFC 791 §3.1); fields are read on access.
///
/// The initializer checks that the 20 fixed bytes and the whole IHL-sized header are there, so
/// every field read below is in bounds.
package struct IPv4HeaderView {
    /// The header, `headerLength` bytes (borrowed).
    package let header: UnsafeRawBufferPointer

    /// Views the header at the start of `bytes`.
    package init(_ bytes: UnsafeRawBufferPointer) throws(HeaderError) {
        guard bytes.count >= 20 else { throw .short(needed: 20) }
        let version = bytes[0] >> 4
        guard version == 4 else { throw .malformed(.unexpectedIPVersion(found: version), offset: 0) }
        let length = Int(bytes[0] & 0x0F) * 4  // 0…60, cannot overflow
        guard length >= 20 else { throw .malformed(.headerLengthTooSmall(length, minimum: 20), offset: 0) }
        guard let header = bytes.slice(at: 0, length: length) else { throw .short(needed: length) }
        self.header = header
    }

    private func u16(_ offset: Int) -> UInt16 { header.bigEndian(at: offset) ?? 0 }  // in bounds: count ≥ 20

    /// Header length in bytes.
    package var headerLength: Int { header.count }
    /// Total length field.
    package var totalLength: Int { Int(u16(2)) }
    /// Identification.
    package var identification: UInt16 { u16(4) }
    /// Flags and fragment offset word.
    package var flagsAndOffset: UInt16 { u16(6) }
    /// DF.
    package var dontFragment: Bool { flagsAndOffset & 0x4000 != 0 }
    /// MF.
    package var moreFragments: Bool { flagsAndOffset & 0x2000 != 0 }
    /// Fragment offset in bytes (13-bit field × 8: at most 65528).
    package var fragmentOffset: Int { Int(flagsAndOffset & 0x1FFF) * 8 }
    /// Protocol.
    package var protocolNumber: IPProtocol { IPProtocol(rawValue: header[9]) }
    /// Checksum field.
    package var checksum: UInt16 { u16(10) }
    /// Source.
    package var source: IPAddress { .v4(header.bigEndian(at: 12) ?? 0) }
    /// Destination.
    package var destination: IPAddress { .v4(header.bigEndian(at: 16) ?? 0) }

    /// The checksum value the header should carry.
    package var expectedChecksum: UInt16 { InternetChecksum.expected(header, fieldOffset: 10) }

    /// Which options appear (RFC 791 §3.1: type 0 and 1 are single bytes, the rest type-length-value).
    package var optionKinds: IPv4OptionKinds {
        var kinds: IPv4OptionKinds = []
        var offset = 20
        let end = header.count
        while offset < end {
            let type = header[offset]
            switch type {
            case 0:
                kinds.insert(.endOfList)
                return kinds
            case 1:
                kinds.insert(.noOperation)
                offset += 1
                continue
            case 7: kinds.insert(.recordRoute)
            case 68: kinds.insert(.timestamp)
            case 130: kinds.insert(.security)
            case 131: kinds.insert(.looseSourceRoute)
            case 137: kinds.insert(.strictSourceRoute)
            case 148: kinds.insert(.routerAlert)
            default: kinds.insert(.other)
            }
            // offset < end, so offset + 1 ≤ end: compare before reading the length.
            guard offset + 1 < end else {
                kinds.insert(.malformed)
                return kinds
            }
            let length = Int(header[offset + 1])
            guard length >= 2, length <= end - offset else {
                kinds.insert(.malformed)
                return kinds
            }
            offset += length
        }
        return kinds
    }

    /// The decoded header; `checksumValid` and the lengths as found.
    package var info: IPv4Info {
        // RFC 1071: a correct header sums to 0xFFFF (the complement of zero) including its checksum.
        let isValid = InternetChecksum.sum(header) == 0xFFFF
        return IPv4Info(
            source: source, destination: destination, typeOfService: header[1], ttl: header[8],
            identification: identification, dontFragment: dontFragment, moreFragments: moreFragments,
            fragmentOffset: fragmentOffset, headerLength: headerLength, totalLength: totalLength,
            protocolNumber: protocolNumber, checksum: checksum, checksumValid: isValid,
            optionsRange: 20..<headerLength, options: headerLength > 20 ? optionKinds : [])
    }
}
