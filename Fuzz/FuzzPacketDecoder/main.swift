// libFuzzer entry point for the frame decoders (Packets): one input is one or more frames, decoded from
// the link layer to TCP/UDP by one PacketDecoder, as a capture would feed it. Built only with
// DMDISSECT_FUZZ=1 (see scripts/fuzz).
//
// Input layout: byte 0 picks the link type (low 4 bits) and how the wire length relates to the captured
// bytes (bits 4–5); byte 1 is the number of frames the rest is split into (1–4, equal parts), so
// fragments, duplicates and link-type state meet across frames.
import Packets

/// Link types the decoder knows, plus one it does not (LINKTYPE_USER0) and a BSD RAW alias.
private let linkTypes: [LinkType] = [
    .ethernet, .raw, .ipv4, .ipv6, .linuxSLL, .linuxSLL2, .null, .loop, LinkType(rawValue: 147),
    LinkType(rawValue: 12), .ethernet, .raw,
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    // libFuzzer owns `data` for the duration of the call only; the decoder borrows slices of it.
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let linkType = linkTypes[Int(input[0] & 0x0F) % linkTypes.count]
    let lengthMode = (input[0] >> 4) & 0x03
    let frameCount = Int(input[1] & 0x03) + 1
    let body = UnsafeRawBufferPointer(rebasing: input[2...])
    let part = max(1, body.count / frameCount)

    var decoder = PacketDecoder(limits: FragmentLimits(maxFragmentsPerDatagram: 8, maxPendingDatagrams: 4))
    var events: [PacketEvent] = []
    for index in 0..<frameCount {
        let start = min(body.count, index * part)
        let end = index == frameCount - 1 ? body.count : min(body.count, start + part)
        let frame = UnsafeRawBufferPointer(rebasing: body[start..<end])
        let number = UInt64(index + 1)
        let original: Int
        switch lengthMode {
        case 0: original = frame.count
        case 1: original = frame.count + 1500  // cut by a snaplen
        case 2: original = 0  // smaller than captured: taken as captured
        default: original = Int(UInt16.max) + 1
        }
        decoder.decode(
            frame, linkType: linkType, frame: FrameNumber(number),
            timestamp: Timestamp(seconds: 1_700_000_000 + Int64(number), nanoseconds: 0),
            originalLength: original, events: &events
        ) { packet in
            check(packet, frame: frame)
        }
        for event in events {
            _ = event.description
            guard event.frames.allSatisfy({ $0.rawValue >= 1 && $0.rawValue <= number }) else {
                fatalError("event names a frame that was not decoded: \(event)")
            }
        }
        events.removeAll(keepingCapacity: true)
    }
    decoder.finish(events: &events)
    for event in events { _ = event.description }
    guard decoder.pendingDatagrams == 0 else { fatalError("fragments pending after finish") }
    let statistics = decoder.statistics
    guard statistics.frames == frameCount else { fatalError("frame count \(statistics.frames) ≠ \(frameCount)") }
    return 0
}

/// The decoder's promises about one packet: views inside their buffers, lengths consistent.
private func check(_ packet: borrowing DecodedPacket, frame: UnsafeRawBufferPointer) {
    guard packet.payloadLength >= packet.payload.count else {
        fatalError("payload \(packet.payload.count) longer than its length \(packet.payloadLength)")
    }
    guard packet.originalLength >= packet.capturedLength, packet.capturedLength == frame.count else {
        fatalError("captured/original lengths inconsistent")
    }
    if packet.reassembledFrom.isEmpty, packet.payload.count > 0, let base = frame.baseAddress,
        let payload = packet.payload.baseAddress
    {
        guard payload >= base, payload + packet.payload.count <= base + frame.count else {
            fatalError("payload view outside the frame")
        }
    }
    _ = packet.tcp?.options
    _ = packet.sourceAddress?.description
    _ = packet.destinationAddress?.description
}
