// libFuzzer entry point for TCP reassembly: the input is a sequence of segments (side, sequence number,
// flags, payload, clock step chosen by the input) fed to a Reassembler whose consumers check the call
// order the Reassembler promises. Built only with DMDISSECT_FUZZ=1 (see scripts/fuzz).
//
// Input layout: byte 0: bit 0 small limits (every cap is hit), bits 1–2 what consumers answer
// (keep all, ignore a direction after 2 receives, ignore the connection after 3, no consumer for even
// connections), bit 3 consumers are HTTP parsers instead. Then records until the input ends:
//   control  bit 0 side (client/server), bits 1–2 sequence (next expected, next + signed byte,
//            absolute 4 bytes, next + signed 16 bits), bit 3 second client port, bits 4–5 clock step
//            (1 ms, 2 s, 400 s, none), bit 6 snaplen-cut payload, bit 7 IPv6 addresses
//   flags    TCP flags byte (ACK's number is the other side's next expected sequence number)
//   [sequence bytes]
//   length   1 byte: payload bytes that follow (fewer if the input ends)
//   payload
import HTTP1
import Packets
import Reassembly

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

/// Per (connection, direction): what the reassembler has said so far.
private final class Ledger {
    var ended: Set<[Int]> = []
    var ignored: Set<[Int]> = []
    var connections = 0
}

/// Checks the `ConnectionConsumer` contract: nothing after `end`, nothing but `end` after an ignore.
private struct CheckingConsumer: ConnectionConsumer {
    let info: ConnectionInfo
    let ledger: Ledger
    let mode: UInt8
    var receives = [0, 0]

    mutating func receive(
        _ bytes: UnsafeRawBufferPointer, direction: Direction, frame: FrameNumber, time: Timestamp
    ) -> ConsumerInterest {
        let key = [info.index, direction.rawValue]
        guard !ledger.ended.contains(key), !ledger.ignored.contains(key) else {
            fatalError("receive after end or ignore on \(key)")
        }
        guard !bytes.isEmpty else { fatalError("empty receive on \(key)") }
        receives[direction.rawValue] += 1
        switch mode {
        case 1 where receives[direction.rawValue] >= 2:
            ledger.ignored.insert(key)
            return .ignoreDirection
        case 2 where receives[0] + receives[1] >= 3:
            ledger.ignored.insert([info.index, 0])
            ledger.ignored.insert([info.index, 1])
            return .ignoreConnection
        default:
            return .all
        }
    }

    mutating func gap(length: Int, direction: Direction, frame: FrameNumber, time: Timestamp) -> ConsumerInterest {
        let key = [info.index, direction.rawValue]
        guard length > 0, !ledger.ended.contains(key), !ledger.ignored.contains(key) else {
            fatalError("gap of \(length) after end or ignore on \(key)")
        }
        return .all
    }

    mutating func end(_ reason: StreamEnd, direction: Direction, frame: FrameNumber, time: Timestamp) {
        let key = [info.index, direction.rawValue]
        guard ledger.ended.insert(key).inserted else { fatalError("second end on \(key)") }
    }
}

private struct CheckingFactory: ConnectionConsumerFactory {
    let ledger: Ledger
    let mode: UInt8
    mutating func makeConsumer(for connection: ConnectionInfo) -> CheckingConsumer? {
        ledger.connections += 1
        guard connection.index == ledger.connections else { fatalError("connection index \(connection.index)") }
        if mode == 3, connection.index % 2 == 0 { return nil }
        return CheckingConsumer(info: connection, ledger: ledger, mode: mode)
    }
}

/// Discards everything the HTTP parsers report (their own invariants are fuzzed by FuzzHTTP).
private final class NullSink: HTTPSink {
    func exchange(_ exchange: HTTPExchange) { _ = exchange.request?.body.count }
    func anomaly(_ anomaly: HTTPAnomaly) { _ = anomaly.message }
}

/// One segment as the input describes it.
private struct Segment {
    var client: Endpoint
    var server: Endpoint
    var fromClient: Bool
    var tcp: TCPInfo
    var time: Timestamp
    var isCut: Bool
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = Cursor(bytes: UnsafeRawBufferPointer(start: data, count: size))
    let config = input.byte()
    let limits =
        config & 1 != 0
        ? ReassemblyLimits(
            maxBufferedBytesPerDirection: 600, maxBufferedSegmentsPerDirection: 4, maxBufferedBytes: 1000,
            idleTimeoutNanoseconds: 10_000_000_000, closedLingerNanoseconds: 1_000_000_000, maxFlows: 2)
        : ReassemblyLimits()
    let mode = (config >> 1) & 0x03
    let ledger = Ledger()
    var checking = Reassembler(factory: CheckingFactory(ledger: ledger, mode: mode), limits: limits)
    var http = Reassembler(
        factory: HTTPConnectionParserFactory(
            sink: NullSink(),
            configuration: HTTPConfiguration(
                limits: HTTPLimits(maxHeaderSectionSize: 300, maxStoredBodySize: 200, maxOutstandingRequests: 3),
                bodyPolicy: .all)),
        limits: limits)
    let usesHTTP = config & 0x08 != 0
    var events: [ReassemblyEvent] = []
    var next: [UInt32] = [1000, 5000, 1000, 5000]  // client, server; client, server of the second port
    var clock: Int64 = 1_700_000_000_000_000_000
    var number: UInt64 = 0
    while !input.isAtEnd {
        let control = input.byte()
        let flags = TCPFlags(rawValue: UInt16(input.byte()))
        let fromClient = control & 1 == 0
        let pair = control & 0x08 != 0 ? 2 : 0
        let side = pair + (fromClient ? 0 : 1)
        let other = pair + (fromClient ? 1 : 0)
        let sequence: UInt32
        switch (control >> 1) & 0x03 {
        case 0: sequence = next[side]
        case 1: sequence = next[side] &+ UInt32(bitPattern: Int32(Int8(bitPattern: input.byte())))
        case 2: sequence = (0..<4).reduce(UInt32(0)) { value, _ in value << 8 | UInt32(input.byte()) }
        default:
            let delta = Int16(bitPattern: UInt16(input.byte()) << 8 | UInt16(input.byte()))
            sequence = next[side] &+ UInt32(bitPattern: Int32(delta))
        }
        let payload = input.slice(Int(input.byte()))
        clock += [1_000_000, 2_000_000_000, 400_000_000_000, 0][Int((control >> 4) & 0x03)]
        number += 1
        let isIPv6 = control & 0x80 != 0
        let client = Endpoint(
            address: isIPv6 ? .v6(0xFD00_0000_0000_0000, 2) : .v4(0x0A00_0002), port: Port(UInt16(51514 + pair)))
        let server = Endpoint(address: isIPv6 ? .v6(0xFD00_0000_0000_0000, 1) : .v4(0x0A00_0001), port: 80)
        // SYN and FIN take a sequence number each (RFC 9293 §3.4); the cast cannot overflow: count ≤ 255.
        var end = sequence &+ UInt32(payload.count)
        if flags.contains(.syn) { end = end &+ 1 }
        if flags.contains(.fin) { end = end &+ 1 }
        next[side] = end
        let tcp = TCPInfo(
            sourcePort: fromClient ? client.port : server.port, destinationPort: fromClient ? server.port : client.port,
            sequence: SequenceNumber(sequence), acknowledgment: SequenceNumber(next[other]), flags: flags,
            window: 65535, dataOffset: 5)
        let segment = Segment(
            client: client, server: server, fromClient: fromClient, tcp: tcp,
            time: Timestamp(seconds: clock / 1_000_000_000, nanoseconds: UInt32(clock % 1_000_000_000)),
            isCut: control & 0x40 != 0)
        let frame = FrameNumber(number)
        withPacket(segment, payload: payload, frame: frame) { packet in
            if usesHTTP {
                http.process(packet, events: &events)
            } else {
                checking.process(packet, events: &events)
            }
        }
        for event in events { _ = event.description }
        events.removeAll(keepingCapacity: true)
        let flows = usesHTTP ? http.flowsInTable : checking.flowsInTable
        guard flows <= max(limits.maxFlows, 1) else { fatalError("\(flows) flows over the cap") }
    }
    if usesHTTP { http.finish(events: &events) } else { checking.finish(events: &events) }
    for event in events { _ = event.description }
    let statistics = usesHTTP ? http.statistics : checking.statistics
    guard statistics.openFlows == 0, statistics.bufferedBytes == 0 else {
        fatalError("after finish: \(statistics.openFlows) open flows, \(statistics.bufferedBytes) buffered bytes")
    }
    guard usesHTTP || ledger.ended.count == 2 * ledger.connections || mode == 3 else {
        fatalError("\(ledger.ended.count) ends for \(ledger.connections) connections")
    }
    return 0
}

/// Calls `body` with a decoded IPv4/IPv6 TCP packet carrying `payload` (half of it when `isCut`).
private func withPacket(
    _ segment: Segment, payload: UnsafeRawBufferPointer, frame: FrameNumber, _ body: (borrowing DecodedPacket) -> Void
) {
    let (source, destination) =
        segment.fromClient ? (segment.client, segment.server) : (segment.server, segment.client)
    let captured = segment.isCut ? UnsafeRawBufferPointer(rebasing: payload[..<(payload.count / 2)]) : payload
    var packet = DecodedPacket(
        frame: frame, timestamp: segment.time, linkType: .raw, bytes: captured, originalLength: 40 + payload.count)
    switch (source.address, destination.address) {
    case (.v4, .v4):
        packet.network = .ipv4(
            IPv4Info(
                source: source.address, destination: destination.address, ttl: 64, identification: 0,
                dontFragment: true, moreFragments: false, fragmentOffset: 0, headerLength: 20,
                totalLength: 40 + payload.count, protocolNumber: .tcp, checksum: 0, checksumValid: true,
                optionsRange: 20..<20, options: []))
    default:
        packet.network = .ipv6(
            IPv6Info(
                source: source.address, destination: destination.address, payloadLength: 20 + payload.count,
                hopLimit: 64, nextHeader: .tcp, upperLayerProtocol: .tcp))
    }
    packet.transport = .tcp(segment.tcp)
    packet.payload = captured
    packet.payloadLength = payload.count
    packet.isTruncated = segment.isCut && captured.count < payload.count
    body(packet)
}
