// libFuzzer entry point for IP fragment reassembly: the input is a sequence of IPv4 and IPv6 fragments
// (headers built here, offsets, flags, identifications and data chosen by the input), decoded as raw-IP
// frames by one PacketDecoder, which reassembles them. Built only with DMDISSECT_FUZZ=1 (scripts/fuzz).
//
// Input layout: byte 0 picks the limits (bit 0: small limits, so every cap is hit; bit 1: a 1 s
// timeout). Then records until the input ends:
//   control  bit 0–1 datagram (4 identifications), bit 2 more-fragments, bit 3 IPv6, bits 4–5 clock
//            step (1 ms, 1 s, 40 s, none), bit 6 UDP instead of TCP, bit 7 snaplen-cut frame
//   offset   2 bytes, big-endian: the fragment offset in 8-byte units (13 bits used)
//   length   1 byte: data bytes that follow (fewer if the input ends)
//   data
import Packets

/// A forward-only reader over the fuzzer's bytes; reads past the end give zeros / short slices.
private struct Cursor {
    let bytes: UnsafeRawBufferPointer
    var offset = 0
    var isAtEnd: Bool { offset >= bytes.count }
    mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }
    mutating func slice(_ count: Int) -> UnsafeRawBufferPointer {
        let end = min(bytes.count, offset + count)
        defer { offset = end }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<end])
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = Cursor(bytes: UnsafeRawBufferPointer(start: data, count: size))
    let config = input.byte()
    var limits = FragmentLimits()
    if config & 1 != 0 {
        limits = FragmentLimits(
            maxDatagramBytes: 3000, maxFragmentsPerDatagram: 6, maxBufferedBytes: 4096, maxPendingDatagrams: 3)
    }
    if config & 2 != 0 { limits.timeoutNanoseconds = 1_000_000_000 }
    var decoder = PacketDecoder(limits: limits)
    var events: [PacketEvent] = []
    var clock: Int64 = 1_700_000_000_000_000_000
    var number: UInt64 = 0
    var frame: [UInt8] = []
    frame.reserveCapacity(400)
    while !input.isAtEnd {
        let control = input.byte()
        let offsetUnits = (UInt16(input.byte()) << 8 | UInt16(input.byte())) & 0x1FFF
        let payload = input.slice(Int(input.byte()))
        let isIPv6 = control & 0x08 != 0
        let identification = UInt32(control & 0x03) + 0x1230
        let protocolNumber: UInt8 = control & 0x40 != 0 ? 17 : 6
        let moreFragments = control & 0x04 != 0
        clock += [1_000_000, 1_000_000_000, 40_000_000_000, 0][Int((control >> 4) & 0x03)]
        frame.removeAll(keepingCapacity: true)
        if isIPv6 {
            ipv6Fragment(
                &frame, identification: identification, nextHeader: protocolNumber, offsetUnits: offsetUnits,
                moreFragments: moreFragments, payload: payload)
        } else {
            ipv4Fragment(
                &frame, identification: UInt16(identification), protocolNumber: protocolNumber,
                offsetUnits: offsetUnits, moreFragments: moreFragments, payload: payload)
        }
        number += 1
        let isCut = control & 0x80 != 0
        let captured = isCut ? frame.count / 2 : frame.count
        let time = Timestamp(seconds: clock / 1_000_000_000, nanoseconds: UInt32(clock % 1_000_000_000))
        frame.withUnsafeBytes { bytes in
            let capturedBytes = UnsafeRawBufferPointer(rebasing: bytes[..<captured])
            decoder.decode(
                capturedBytes, linkType: .raw, frame: FrameNumber(number), timestamp: time,
                originalLength: frame.count, events: &events
            ) { packet in
                guard packet.payloadLength >= packet.payload.count, packet.payload.count <= 65_535 else {
                    fatalError("reassembled payload \(packet.payload.count) of length \(packet.payloadLength)")
                }
                if !packet.reassembledFrom.isEmpty {
                    guard packet.reassembledFrom.last == FrameNumber(number),
                        packet.reassembledFrom.allSatisfy({ $0.rawValue >= 1 && $0.rawValue <= number })
                    else { fatalError("reassembled from frames \(packet.reassembledFrom) at frame \(number)") }
                }
            }
        }
        guard decoder.pendingDatagrams <= max(limits.maxPendingDatagrams, 1) else {
            fatalError("\(decoder.pendingDatagrams) datagrams pending over the cap")
        }
        for event in events { _ = event.description }
        events.removeAll(keepingCapacity: true)
    }
    decoder.finish(events: &events)
    for event in events { _ = event.description }
    guard decoder.pendingDatagrams == 0 else { fatalError("fragments pending after finish") }
    return 0
}

/// Appends an IPv4 fragment 10.0.0.1 → 10.0.0.2 with a correct header checksum.
private func ipv4Fragment(
    _ frame: inout [UInt8], identification: UInt16, protocolNumber: UInt8, offsetUnits: UInt16,
    moreFragments: Bool, payload: UnsafeRawBufferPointer
) {
    let total = 20 + payload.count  // ≤ 20 + 255
    let flags: UInt16 = (moreFragments ? 0x2000 : 0) | offsetUnits
    frame += [0x45, 0, UInt8(total >> 8), UInt8(total & 0xFF), UInt8(identification >> 8), UInt8(identification & 0xFF)]
    frame += [UInt8(flags >> 8), UInt8(flags & 0xFF), 64, protocolNumber, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]
    var sum: UInt32 = 0
    for index in stride(from: 0, to: 20, by: 2) { sum += UInt32(frame[index]) << 8 | UInt32(frame[index + 1]) }
    while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
    let checksum = ~UInt16(sum)  // sum ≤ 0xFFFF after folding
    frame[10] = UInt8(checksum >> 8)
    frame[11] = UInt8(checksum & 0xFF)
    frame += payload
}

/// Appends an IPv6 packet fd00::1 → fd00::2 whose only extension header is a fragment header.
private func ipv6Fragment(
    _ frame: inout [UInt8], identification: UInt32, nextHeader: UInt8, offsetUnits: UInt16, moreFragments: Bool,
    payload: UnsafeRawBufferPointer
) {
    let length = 8 + payload.count  // ≤ 8 + 255
    frame += [0x60, 0, 0, 0, UInt8(length >> 8), UInt8(length & 0xFF), 44, 64]
    frame += [0xFD] + [UInt8](repeating: 0, count: 14) + [1]
    frame += [0xFD] + [UInt8](repeating: 0, count: 14) + [2]
    let field = offsetUnits << 3 | (moreFragments ? 1 : 0)
    frame += [nextHeader, 0, UInt8(field >> 8), UInt8(field & 0xFF)]
    frame += [
        UInt8(identification >> 24), UInt8((identification >> 16) & 0xFF), UInt8((identification >> 8) & 0xFF),
        UInt8(identification & 0xFF),
    ]
    frame += payload
}
