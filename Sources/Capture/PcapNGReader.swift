import Glibc
import Packets

/// A pcapng interface, as described by its Interface Description Block.
public struct CaptureInterface: Sendable, Hashable {
    /// Link-layer type of the interface's packets.
    public var linkType: LinkType
    /// Snapshot length (0 = no limit).
    public var snapshotLength: Int
    /// `if_name`, as written by the capturing tool (untrusted text: escape before printing).
    public var name: String?
    /// Fractional digits of the interface's timestamps.
    public var precision: TimestampPrecision
    /// `if_tsresol`: the low 7 bits are the exponent; the high bit selects base 2 instead of 10.
    var resolution: UInt8
    /// `if_tsoffset`: seconds to add to every timestamp.
    var offsetSeconds: Int64
}

/// A Decryption Secrets Block's content (e.g. a TLS key log injected by `editcap --inject-secrets`).
public struct DecryptionSecrets: Sendable, Hashable {
    /// Secrets type (0x544c534b = TLS key log, 0x57474b4c = WireGuard, …).
    public var type: UInt32
    /// The secrets, as stored.
    public var data: [UInt8]
}

/// Streams a pcapng file block by block, natively (libpcap 1.10 refuses files whose interfaces
/// have different link types, and skips Decryption Secrets Blocks).
///
/// One block is in memory at a time, in a reused buffer capped at `maximumBlockLength`; every
/// length is checked against what the block really holds. Reference: draft-ietf-opsawg-pcapng.
final class PcapNGReader {
    /// Largest block accepted; a larger length field means a corrupt file (Wireshark uses 16 MiB).
    static let maximumBlockLength = 16 * 1024 * 1024
    /// Cap on Decryption Secrets kept per file.
    static let maximumSecretsBytes = 4 * 1024 * 1024

    private let input: CaptureInput
    private var buffer: [UInt8] = []
    private var isBigEndian = false
    private(set) var interfaces: [CaptureInterface] = []
    /// Every interface seen in the file, across sections (for summaries).
    private(set) var allInterfaces: [CaptureInterface] = []
    private(set) var secrets: [DecryptionSecrets] = []
    private var secretsBytes = 0
    /// Secrets that did not fit under `maximumSecretsBytes`.
    private(set) var droppedSecrets = 0

    init(input: CaptureInput) {
        self.input = input
    }

    /// Delivers every packet to `body` in file order; `body` returns false to stop early.
    func read(
        fileIndex: Int, filter: BPFFilter?, _ body: (FrameInfo, UnsafeRawBufferPointer) -> Bool
    ) throws(CaptureError) -> CaptureEnd {
        guard let stream = input.stream else { return .complete }
        var offset: Int64 = 0
        var number: UInt64 = 0
        var header = [UInt8](repeating: 0, count: 8)
        while true {
            let got = header.withUnsafeMutableBytes { fread($0.baseAddress, 1, 8, stream) }
            if got == 0 { return endOfStream(frame: number + 1, offset: offset, partial: false) }
            if got < 8 { return endOfStream(frame: number + 1, offset: offset, partial: true) }
            var type = UInt32(header[0]) << 24 | UInt32(header[1]) << 16 | UInt32(header[2]) << 8 | UInt32(header[3])
            if type == 0x0A0D_0D0A {
                // Section Header Block: its byte-order magic decides how to read everything after it.
                var magic = [UInt8](repeating: 0, count: 4)
                guard magic.withUnsafeMutableBytes({ fread($0.baseAddress, 1, 4, stream) }) == 4 else {
                    return endOfStream(frame: number + 1, offset: offset, partial: true)
                }
                switch (magic[0], magic[1], magic[2], magic[3]) {
                case (0x1A, 0x2B, 0x3C, 0x4D): isBigEndian = true
                case (0x4D, 0x3C, 0x2B, 0x1A): isBigEndian = false
                default:
                    return .corrupt(
                        frame: FrameNumber(number + 1), offset: offset,
                        detail: "section header with unknown byte-order magic \(magic.map(hexByte).joined())")
                }
                interfaces.removeAll()
                header.append(contentsOf: magic)
                let length = word(header, at: 4)
                guard let body = readBody(stream, totalLength: length, alreadyRead: 12) else {
                    return endOrCorrupt(frame: number + 1, offset: offset, length: length)
                }
                _ = body  // version and section length are not needed to read on
                offset += Int64(length)
                header.removeLast(4)
                continue
            }
            if offset == 0 {
                return .corrupt(frame: FrameNumber(1), offset: 0, detail: "file does not start with a section header")
            }
            type = word(header, at: 0)
            let length = word(header, at: 4)
            guard let block = readBody(stream, totalLength: length, alreadyRead: 8) else {
                return endOrCorrupt(frame: number + 1, offset: offset, length: length)
            }
            let blockOffset = offset
            offset += Int64(length)
            switch type {
            case 1:
                if let problem = addInterface(block) {
                    return .corrupt(frame: FrameNumber(number + 1), offset: blockOffset, detail: problem)
                }
                if let filter, let added = interfaces.last { try filter.prepare(for: added.linkType) }
            case 2, 3, 6:
                number += 1
                let decoded = packet(type: type, block: block, number: number, fileIndex: fileIndex)
                guard case .success(let (info, range)) = decoded else {
                    if case .failure(let problem) = decoded {
                        return .corrupt(frame: FrameNumber(number), offset: blockOffset, detail: problem.text)
                    }
                    continue
                }
                let delivered = buffer.withUnsafeBytes { raw -> Bool in
                    let bytes = UnsafeRawBufferPointer(rebasing: raw[range])
                    if let filter, !filter.matches(bytes, linkType: info.linkType, originalLength: info.originalLength) {
                        return true  // rejected by the filter: keep reading
                    }
                    return body(info, bytes)
                }
                if !delivered { return .stopped }
            case 0x0A:
                addSecrets(block)
            default:
                continue  // name resolution, statistics, custom blocks: not needed
            }
        }
    }

    /// Reads the rest of a block of `totalLength` bytes into `buffer` (block body only, without
    /// the trailing length), or nil when the file ends or the length is impossible.
    private func readBody(_ stream: UnsafeMutablePointer<FILE>, totalLength: UInt32, alreadyRead: Int) -> Range<Int>? {
        let total = Int(totalLength)
        guard total >= 12, total % 4 == 0, total <= Self.maximumBlockLength, total >= alreadyRead + 4 else { return nil }
        let remaining = total - alreadyRead  // body + 4-byte trailer
        if buffer.count < remaining { buffer = [UInt8](repeating: 0, count: remaining) }
        let got = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, remaining, stream) }
        guard got == remaining else {
            lastReadWasShort = true
            return nil
        }
        guard word(buffer, at: remaining - 4) == totalLength else {
            trailerMismatch = true
            return nil
        }
        return 0..<(remaining - 4)
    }

    private var lastReadWasShort = false
    private var trailerMismatch = false

    /// Tells a file cut inside a block from a block whose length fields are wrong.
    private func endOrCorrupt(frame: UInt64, offset: Int64, length: UInt32) -> CaptureEnd {
        defer {
            lastReadWasShort = false
            trailerMismatch = false
        }
        if lastReadWasShort { return endOfStream(frame: frame, offset: offset, partial: true) }
        if trailerMismatch {
            return .corrupt(
                frame: FrameNumber(frame), offset: offset,
                detail: "block length \(length) does not match its trailing copy")
        }
        return .corrupt(
            frame: FrameNumber(frame), offset: offset,
            detail: "impossible block length \(length) (12 to \(Self.maximumBlockLength), multiple of 4)")
    }

    private func endOfStream(frame: UInt64, offset: Int64, partial: Bool) -> CaptureEnd {
        if let gzip = input.gzipError {
            return .truncated(frame: FrameNumber(frame), offset: offset, detail: "gzip stream: \(gzip)")
        }
        if partial {
            return .truncated(
                frame: FrameNumber(frame), offset: offset, detail: "file ends inside the block at byte offset \(offset)")
        }
        return .complete
    }

    private enum PacketProblem: Error {
        case corrupt(String)
        case skip
        var text: String {
            switch self {
            case .corrupt(let text): text
            case .skip: ""
            }
        }
    }

    /// Decodes an EPB (6), SPB (3) or obsolete PB (2) in `buffer[block]`.
    private func packet(
        type: UInt32, block: Range<Int>, number: UInt64, fileIndex: Int
    ) -> Result<(FrameInfo, Range<Int>), PacketProblem> {
        let size = block.count
        var interfaceID = 0
        var timestampUnits: UInt64 = 0
        var captured: Int
        var original: Int
        var dataStart: Int
        switch type {
        case 6:
            guard size >= 20 else { return .failure(.corrupt("enhanced packet block of \(size) bytes is too short")) }
            interfaceID = Int(word(buffer, at: 0))
            timestampUnits = UInt64(word(buffer, at: 4)) << 32 | UInt64(word(buffer, at: 8))
            captured = Int(word(buffer, at: 12))
            original = Int(word(buffer, at: 16))
            dataStart = 20
        case 2:
            guard size >= 20 else { return .failure(.corrupt("packet block of \(size) bytes is too short")) }
            interfaceID = Int(half(buffer, at: 0))
            timestampUnits = UInt64(word(buffer, at: 4)) << 32 | UInt64(word(buffer, at: 8))
            captured = Int(word(buffer, at: 12))
            original = Int(word(buffer, at: 16))
            dataStart = 20
        default:  // 3: simple packet block, interface 0, no timestamp
            guard size >= 4 else { return .failure(.corrupt("simple packet block of \(size) bytes is too short")) }
            original = Int(word(buffer, at: 0))
            captured = min(original, size - 4)
            if let first = interfaces.first, first.snapshotLength > 0 { captured = min(captured, first.snapshotLength) }
            dataStart = 4
        }
        guard interfaceID < interfaces.count else {
            return .failure(.corrupt("packet refers to interface \(interfaceID), but only \(interfaces.count) are described"))
        }
        guard captured <= size - dataStart else {
            return .failure(.corrupt("captured length \(captured) exceeds the \(size - dataStart) bytes in its block"))
        }
        let interface = interfaces[interfaceID]
        let info = FrameInfo(
            number: FrameNumber(number), fileIndex: fileIndex,
            timestamp: Self.timestamp(units: timestampUnits, interface: interface),
            precision: interface.precision, linkType: interface.linkType,
            capturedLength: captured, originalLength: max(original, captured), interfaceID: interfaceID)
        return .success((info, (block.lowerBound + dataStart)..<(block.lowerBound + dataStart + captured)))
    }

    /// Parses an Interface Description Block; returns a problem description when it is corrupt.
    private func addInterface(_ block: Range<Int>) -> String? {
        guard block.count >= 8 else { return "interface description block of \(block.count) bytes is too short" }
        var interface = CaptureInterface(
            linkType: LinkType(rawValue: UInt32(half(buffer, at: 0))), snapshotLength: Int(word(buffer, at: 4)),
            name: nil, precision: .microseconds, resolution: 6, offsetSeconds: 0)
        forEachOption(in: 8..<block.upperBound) { code, value in
            switch code {
            case 2:  // if_name
                interface.name = String(decoding: buffer[value], as: UTF8.self)
            case 9 where value.count >= 1:  // if_tsresol
                interface.resolution = buffer[value.lowerBound]
            case 14 where value.count >= 8:  // if_tsoffset
                let high = UInt64(word(buffer, at: value.lowerBound)), low = UInt64(word(buffer, at: value.lowerBound + 4))
                interface.offsetSeconds = Int64(bitPattern: isBigEndian ? high << 32 | low : low << 32 | high)
            default: break
            }
        }
        let exponent = Int(interface.resolution & 0x7F)
        let isBinary = interface.resolution & 0x80 != 0
        interface.precision = (isBinary ? exponent > 20 : exponent > 6) ? .nanoseconds : .microseconds
        interfaces.append(interface)
        allInterfaces.append(interface)
        return nil
    }

    private func addSecrets(_ block: Range<Int>) {
        guard block.count >= 8 else { return }
        let type = word(buffer, at: 0)
        let length = Int(word(buffer, at: 4))
        guard length <= block.count - 8 else { return }
        guard secretsBytes + length <= Self.maximumSecretsBytes else {
            droppedSecrets += 1
            return
        }
        secretsBytes += length
        secrets.append(DecryptionSecrets(type: type, data: Array(buffer[8..<(8 + length)])))
    }

    /// Calls `body(code, valueRange)` for each option in `range` of `buffer`, stopping at
    /// opt_endofopt or at the first option that does not fit.
    private func forEachOption(in range: Range<Int>, _ body: (UInt16, Range<Int>) -> Void) {
        var position = range.lowerBound
        while range.upperBound - position >= 4 {
            let code = half(buffer, at: position)
            let length = Int(half(buffer, at: position + 2))
            if code == 0 { return }
            let start = position + 4
            guard length <= range.upperBound - start else { return }
            body(code, start..<(start + length))
            let padded = (length + 3) & ~3  // length < 2^16, no overflow
            guard padded <= range.upperBound - start else { return }
            position = start + padded
        }
    }

    /// Converts a raw pcapng timestamp to seconds and nanoseconds using the interface's resolution.
    static func timestamp(units: UInt64, interface: CaptureInterface) -> Timestamp {
        let exponent = Int(interface.resolution & 0x7F)
        var seconds: UInt64
        var nanoseconds: UInt64
        if interface.resolution & 0x80 != 0 {
            guard exponent < 64 else { return Timestamp.zero }
            seconds = exponent == 0 ? units : units >> UInt64(exponent)
            let fraction = exponent == 0 ? 0 : units & ((1 << UInt64(exponent)) - 1)
            // fraction < 2^exponent, so fraction * 10^9 / 2^exponent < 10^9; full width avoids overflow.
            let product = fraction.multipliedFullWidth(by: 1_000_000_000)
            nanoseconds = exponent == 0 ? 0 : (product.high << (64 - UInt64(exponent))) | (product.low >> UInt64(exponent))
        } else {
            guard exponent <= 19 else { return Timestamp.zero }  // 10^20 does not fit in 64 bits
            var scale: UInt64 = 1
            for _ in 0..<exponent { scale *= 10 }
            seconds = units / scale
            let fraction = units % scale
            if exponent <= 9 {
                var up: UInt64 = 1
                for _ in exponent..<9 { up *= 10 }
                nanoseconds = fraction * up  // fraction < 10^exponent, product < 10^9
            } else {
                var down: UInt64 = 1
                for _ in 9..<exponent { down *= 10 }
                nanoseconds = fraction / down
            }
        }
        let (shifted, overflow) = Int64(clamping: seconds).addingReportingOverflow(interface.offsetSeconds)
        return Timestamp(seconds: overflow ? Int64(clamping: seconds) : shifted, nanoseconds: UInt32(clamping: nanoseconds))
    }

    /// 32-bit value at `offset` of `bytes` in the section's byte order; the caller checked bounds.
    private func word(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        let b0 = UInt32(bytes[offset]), b1 = UInt32(bytes[offset + 1])
        let b2 = UInt32(bytes[offset + 2]), b3 = UInt32(bytes[offset + 3])
        return isBigEndian ? b0 << 24 | b1 << 16 | b2 << 8 | b3 : b3 << 24 | b2 << 16 | b1 << 8 | b0
    }

    /// 16-bit value at `offset` in the section's byte order; the caller checked bounds.
    private func half(_ bytes: [UInt8], at offset: Int) -> UInt16 {
        let b0 = UInt16(bytes[offset]), b1 = UInt16(bytes[offset + 1])
        return isBigEndian ? b0 << 8 | b1 : b1 << 8 | b0
    }
}
