import Foundation
import Packets
import Testing

@testable import Capture

/// Reads every frame of `path`, returning their infos, copies of their bytes and how reading ended.
private func readAll(_ path: String, filter: String? = nil) throws -> (frames: [(FrameInfo, [UInt8])], end: CaptureEnd, file: CaptureFile) {
    let file = try CaptureFile.open(path, filter: filter)
    var frames: [(FrameInfo, [UInt8])] = []
    let end = try file.readFrames { info, bytes in
        frames.append((info, Array(bytes)))
        return true
    }
    return (frames, end, file)
}

private let threeRecords: [ContainerBuilder.Record] = [
    .init(seconds: 1_767_225_600, fraction: 1, data: ContainerBuilder.udpFrame(port: 2948)),
    .init(seconds: 1_767_225_601, fraction: 999_999, data: ContainerBuilder.tcpFrame(port: 80)),
    .init(seconds: 1_767_225_602, fraction: 500_000, data: ContainerBuilder.udpFrame(port: 53), originalLength: 1500),
]

@Suite("classic pcap through libpcap")
struct PcapTests {
    @Test("micro- and nanosecond files, both byte orders", arguments: [(false, false), (false, true), (true, false), (true, true)])
    func readsRecords(nanoseconds: Bool, bigEndian: Bool) throws {
        let path = try ContainerBuilder.write(ContainerBuilder.pcap(nanoseconds: nanoseconds, bigEndian: bigEndian, records: threeRecords))
        let (frames, end, file) = try readAll(path)
        #expect(end == .complete)
        #expect(file.container == (nanoseconds ? .pcapNanoseconds : .pcap))
        #expect(frames.map(\.0.number.rawValue) == [1, 2, 3])
        #expect(frames[1].0.timestamp == Timestamp(seconds: 1_767_225_601, nanoseconds: nanoseconds ? 999_999 : 999_999_000))
        #expect(frames[0].0.precision == (nanoseconds ? .nanoseconds : .microseconds))
        #expect(frames[2].0.originalLength == 1500)
        #expect(frames[2].0.capturedLength == ContainerBuilder.udpFrame(port: 53).count)
        #expect(frames[1].1 == ContainerBuilder.tcpFrame(port: 80))
        #expect(frames.allSatisfy { $0.0.linkType == .ethernet })
    }

    @Test("a file cut inside a record yields every complete frame and the offset of the cut record")
    func truncatedInsideData() throws {
        let full = ContainerBuilder.pcap(records: threeRecords)
        let cutRecordOffset = 24 + (16 + threeRecords[0].data.count) + (16 + threeRecords[1].data.count)
        for cut in [cutRecordOffset + 3, cutRecordOffset + 16 + 10] {
            let path = try ContainerBuilder.write(Array(full.prefix(cut)))
            let (frames, end, _) = try readAll(path)
            #expect(frames.count == 2)
            guard case .truncated(let frame, let offset, _) = end else {
                Issue.record("expected truncation, got \(end)")
                continue
            }
            #expect(frame == FrameNumber(3))
            #expect(offset == Int64(cutRecordOffset))
        }
    }

    @Test("a BPF filter drops frames but keeps file frame numbers")
    func filterKeepsNumbers() throws {
        let path = try ContainerBuilder.write(ContainerBuilder.pcap(records: threeRecords))
        let (frames, end, _) = try readAll(path, filter: "tcp")
        #expect(end == .complete)
        #expect(frames.map(\.0.number.rawValue) == [2])
        let udp = try readAll(path, filter: "udp port 53").frames
        #expect(udp.map(\.0.number.rawValue) == [3])
    }

    @Test("a bad filter is a usage error naming the expression")
    func badFilter() throws {
        let path = try ContainerBuilder.write(ContainerBuilder.pcap(records: threeRecords))
        #expect(throws: CaptureError.self) { try CaptureFile.open(path, filter: "tcp port banana") }
        do {
            _ = try CaptureFile.open(path, filter: "tcp port banana")
        } catch {
            #expect(error.exitCode == 2)
            #expect(error.message.contains("tcp port banana"))
        }
    }

    @Test("gzip is detected by magic bytes, whatever the name")
    func gzipByMagic() throws {
        let path = try ContainerBuilder.write(ContainerBuilder.pcap(records: threeRecords))
        let zipped = path + "-compressed.pcap"
        try ContainerBuilder.gzip(path, to: zipped)
        let (frames, end, file) = try readAll(zipped)
        #expect(file.isCompressed)
        #expect(end == .complete)
        #expect(frames.count == 3)
        #expect(frames[1].1 == ContainerBuilder.tcpFrame(port: 80))
    }

    @Test("a gzip stream cut short yields the frames before the cut and a truncation")
    func truncatedGzip() throws {
        let records = (0..<200).map { ContainerBuilder.Record(seconds: UInt32($0), fraction: 0, data: ContainerBuilder.udpFrame(port: UInt16($0))) }
        let path = try ContainerBuilder.write(ContainerBuilder.pcap(records: records))
        let zipped = path + ".gz"
        try ContainerBuilder.gzip(path, to: zipped)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: zipped)))
        let cut = try ContainerBuilder.write(Array(bytes.prefix(bytes.count / 2)), name: "cut.gz")
        let (frames, end, _) = try readAll(cut)
        #expect(frames.count > 0 && frames.count < 200)
        guard case .truncated = end else {
            Issue.record("expected truncation, got \(end)")
            return
        }
    }
}

@Suite("input errors")
struct InputErrorTests {
    @Test("not a capture, empty file, missing file and directory give exit code 3 and name the file")
    func unreadable() throws {
        let text = try ContainerBuilder.write(Array("GET / HTTP/1.1\r\n".utf8), name: "notes.txt")
        let empty = try ContainerBuilder.write([], name: "empty.pcap")
        let missing = empty + ".does-not-exist"
        let directory = (empty as NSString).deletingLastPathComponent
        for path in [text, empty, missing, directory] {
            do {
                _ = try CaptureFile.open(path)
                Issue.record("\(path) opened")
            } catch {
                #expect(error.exitCode == 3)
                #expect(error.message.hasPrefix(path + ":"))
            }
        }
    }

    @Test("a pcap header with an unsupported version is refused by libpcap, not a crash")
    func badVersion() throws {
        var bytes = ContainerBuilder.pcap(records: [])
        bytes[4] = 9
        let path = try ContainerBuilder.write(bytes)
        #expect(throws: CaptureError.self) { try CaptureFile.open(path) }
    }
}

@Suite("native pcapng")
struct PcapNGTests {
    @Test("interfaces of different link types, nanosecond resolution, SPB and DSB", arguments: [false, true])
    func mixedInterfaces(bigEndian: Bool) throws {
        let sll2 = [UInt8](repeating: 0, count: 20)
        let bytes = ContainerBuilder.pcapng(bigEndian: bigEndian, blocks: [
            ContainerBuilder.idb(linkType: 1, name: "veth0", bigEndian: bigEndian),
            ContainerBuilder.idb(linkType: 276, tsresol: 9, bigEndian: bigEndian),
            ContainerBuilder.epb(interface: 0, timestamp: 1_767_225_600_123_456, data: ContainerBuilder.udpFrame(port: 1), bigEndian: bigEndian),
            ContainerBuilder.dsb(type: 0x544C_534B, secrets: Array("CLIENT_RANDOM 00 11\n".utf8)),
            ContainerBuilder.epb(interface: 1, timestamp: 1_767_225_600_123_456_789, data: sll2, originalLength: 60, bigEndian: bigEndian),
        ])
        var patched = bytes
        if bigEndian {
            // The DSB builder writes little-endian lengths; rebuild it for the big-endian section.
            patched = ContainerBuilder.pcapng(bigEndian: true, blocks: [
                ContainerBuilder.idb(linkType: 1, name: "veth0", bigEndian: true),
                ContainerBuilder.idb(linkType: 276, tsresol: 9, bigEndian: true),
                ContainerBuilder.epb(interface: 0, timestamp: 1_767_225_600_123_456, data: ContainerBuilder.udpFrame(port: 1), bigEndian: true),
                ContainerBuilder.epb(interface: 1, timestamp: 1_767_225_600_123_456_789, data: sll2, originalLength: 60, bigEndian: true),
            ])
        }
        let path = try ContainerBuilder.write(patched, name: "mixed.pcapng")
        let (frames, end, file) = try readAll(path)
        #expect(end == .complete)
        #expect(file.container == .pcapng)
        #expect(frames.map(\.0.linkType) == [.ethernet, .linuxSLL2])
        #expect(frames[0].0.timestamp == Timestamp(seconds: 1_767_225_600, nanoseconds: 123_456_000))
        #expect(frames[0].0.precision == .microseconds)
        #expect(frames[1].0.timestamp == Timestamp(seconds: 1_767_225_600, nanoseconds: 123_456_789))
        #expect(frames[1].0.precision == .nanoseconds)
        #expect(frames[1].0.originalLength == 60)
        #expect(file.interfaces.map(\.name) == ["veth0", nil])
        if !bigEndian {
            #expect(file.decryptionSecrets.first?.type == 0x544C_534B)
            #expect(file.decryptionSecrets.first?.data == Array("CLIENT_RANDOM 00 11\n".utf8))
        }
    }

    @Test("a filter compiles per link type and keeps frame numbers")
    func filterPerLinkType() throws {
        let bytes = ContainerBuilder.pcapng(blocks: [
            ContainerBuilder.idb(linkType: 1),
            ContainerBuilder.spb(data: ContainerBuilder.udpFrame(port: 7)),
            ContainerBuilder.epb(interface: 0, timestamp: 5, data: ContainerBuilder.tcpFrame(port: 80)),
        ])
        let path = try ContainerBuilder.write(bytes)
        let (frames, _, _) = try readAll(path, filter: "tcp port 80")
        #expect(frames.map(\.0.number.rawValue) == [2])
    }

    @Test("every cut of a pcapng file reads the complete blocks and reports the rest", arguments: Array(stride(from: 29, to: 200, by: 7)))
    func truncation(cut: Int) throws {
        let bytes = ContainerBuilder.pcapng(blocks: [
            ContainerBuilder.idb(linkType: 1),
            ContainerBuilder.epb(interface: 0, timestamp: 1, data: ContainerBuilder.udpFrame(port: 1)),
            ContainerBuilder.epb(interface: 0, timestamp: 2, data: ContainerBuilder.udpFrame(port: 2)),
            ContainerBuilder.epb(interface: 0, timestamp: 3, data: ContainerBuilder.udpFrame(port: 3)),
        ])
        guard cut < bytes.count else { return }
        let path = try ContainerBuilder.write(Array(bytes.prefix(cut)))
        let (frames, end, _) = try readAll(path)
        let blockEnds = [28, 48, 48 + 80, 48 + 160, 48 + 240]  // SHB, IDB, 3 × EPB (80 bytes each)
        let complete = blockEnds.filter { $0 <= cut }.count - 2
        #expect(frames.count == max(0, complete))
        if blockEnds.contains(cut) {
            #expect(end == .complete)
        } else if case .truncated = end {
        } else {
            Issue.record("cut at \(cut): expected truncation, got \(end)")
        }
    }

    @Test("impossible block lengths and unknown interfaces are corrupt, not crashes")
    func corruptBlocks() throws {
        var bytes = ContainerBuilder.pcapng(blocks: [
            ContainerBuilder.idb(linkType: 1),
            ContainerBuilder.epb(interface: 3, timestamp: 1, data: ContainerBuilder.udpFrame(port: 1)),
        ])
        var path = try ContainerBuilder.write(bytes)
        var (frames, end, _) = try readAll(path)
        #expect(frames.isEmpty)
        guard case .corrupt(let frame, _, let detail) = end else {
            Issue.record("expected corrupt, got \(end)")
            return
        }
        #expect(frame == FrameNumber(1))
        #expect(detail.contains("interface 3"))

        bytes = ContainerBuilder.pcapng(blocks: [ContainerBuilder.idb(linkType: 1)])
        bytes += ContainerBuilder.le32(6) + ContainerBuilder.le32(0xFFFF_FFF0) + [UInt8](repeating: 0, count: 64)
        path = try ContainerBuilder.write(bytes)
        (frames, end, _) = try readAll(path)
        guard case .corrupt = end else {
            Issue.record("expected corrupt, got \(end)")
            return
        }
    }

    @Test("timestamps honour decimal and binary if_tsresol")
    func resolutions() {
        func interface(_ resolution: UInt8) -> CaptureInterface {
            CaptureInterface(linkType: .ethernet, snapshotLength: 0, name: nil, precision: .nanoseconds, resolution: resolution, offsetSeconds: 0)
        }
        #expect(PcapNGReader.timestamp(units: 1_500, interface: interface(3)) == Timestamp(seconds: 1, nanoseconds: 500_000_000))
        #expect(PcapNGReader.timestamp(units: 3 << 29, interface: interface(0x80 | 30)) == Timestamp(seconds: 1, nanoseconds: 500_000_000))
        #expect(PcapNGReader.timestamp(units: 12_345_678_901_234_567_890, interface: interface(19)) == Timestamp(seconds: 1, nanoseconds: 234_567_890))
        #expect(PcapNGReader.timestamp(units: .max, interface: interface(0x80 | 63)).seconds == 1)
    }
}
