import Analysis
import ArgumentParser
import Capture
import Glibc
import Packets
import Reassembly
import Rendering

/// `-w FILE`: the frames of the selected DM sessions — every frame of their TCP connections and
/// their notifications — written to a pcap in a second pass over the input files, so that a bug
/// report can carry just the relevant traffic.
struct ExportSelection {
    private struct Pair: Hashable {
        var from: Endpoint
        var to: Endpoint
    }

    /// Per input file: the connections (both directions) and the notification frames.
    private var connections: [Int: Set<Pair>] = [:]
    private var frames: [Int: Set<UInt64>] = [:]
    /// Sessions selected.
    private(set) var sessions = 0

    /// Adds `session`, read from input file `fileIndex`.
    mutating func add(_ session: Session, fileIndex: Int) {
        sessions += 1
        var pairs = connections[fileIndex, default: []]
        pairs.insert(Pair(from: session.client, to: session.server))
        pairs.insert(Pair(from: session.server, to: session.client))
        for package in session.packages {
            if let client = package.carrier?.clientEndpoint, let server = package.carrier?.serverEndpoint {
                pairs.insert(Pair(from: client, to: server))
                pairs.insert(Pair(from: server, to: client))
            }
            if let record = package.notification { frames[fileIndex, default: []].insert(record.frame.rawValue) }
        }
        connections[fileIndex] = pairs
    }

    /// True when the frame belongs to a selected session.
    func contains(_ packet: borrowing DecodedPacket, fileIndex: Int) -> Bool {
        if frames[fileIndex]?.contains(packet.frame.rawValue) == true { return true }
        guard let pairs = connections[fileIndex], let source = packet.sourceAddress,
            let destination = packet.destinationAddress, case .tcp(let tcp) = packet.transport
        else { return false }
        return pairs.contains(
            Pair(
                from: Endpoint(address: source, port: tcp.sourcePort),
                to: Endpoint(address: destination, port: tcp.destinationPort)))
    }

    /// Input files with something to export.
    var fileIndices: Set<Int> { Set(connections.keys).union(frames.keys) }
}

extension Analyze {
    /// Whether `session` is one `--session` asks for (every session when it is not given).
    func isSelected(_ session: Session) -> Bool {
        guard let wanted = sessionSelector else { return true }
        return session.sessionID == wanted || session.devID == wanted
    }

    /// The second pass of `-w`: copies the selected frames of every input file to `path`.
    func writeExport(_ selection: ExportSelection, to path: String, run: CaptureRun) throws {
        let firstLinkType = run.files.first?.interfaces.first?.linkType ?? LinkType(rawValue: 1)
        let precision: TimestampPrecision = run.files.contains { $0.precision == .nanoseconds } ? .nanoseconds : .microseconds
        guard let writer = PcapWriter(path: path, linkType: firstLinkType, precision: precision) else {
            FileHandleText.standardError("dmdissect: \(TerminalText.escape(path)): cannot write: \(String(cString: strerror(errno)))")
            throw ExitCode(3)
        }
        var decoder = PacketDecoder()
        var events: [PacketEvent] = []
        var read: UInt64 = 0
        for (index, file) in files.enumerated() {
            if let count, read >= count { break }
            guard selection.fileIndices.contains(index) else {
                read += run.files.first { $0.path == file }?.framesAnalysed ?? 0
                continue
            }
            let capture: CaptureFile
            do {
                capture = try CaptureFile.open(file, fileIndex: index, filter: filter)
            } catch {
                continue  // reported by the first pass
            }
            _ = try? capture.readFrames { info, bytes in
                decoder.decode(
                    bytes, linkType: info.linkType, frame: info.number, timestamp: info.timestamp,
                    originalLength: info.originalLength, events: &events
                ) { packet in
                    if selection.contains(packet, fileIndex: index) {
                        writer.write(
                            bytes, timestamp: info.timestamp, originalLength: info.originalLength,
                            linkType: info.linkType)
                    }
                }
                events.removeAll(keepingCapacity: true)
                read += 1
                return count.map { read < $0 } ?? true  // -c: the frames the first pass read
            }
        }
        let complete = writer.close()
        if writer.refused > 0 {
            FileHandleText.standardError(
                "dmdissect: \(TerminalText.escape(path)): \(writer.refused) frames of another link type than the first interface's were not written")
        }
        guard complete else {
            FileHandleText.standardError("dmdissect: \(TerminalText.escape(path)): write failed")
            throw ExitCode(3)
        }
        if !quiet {
            FileHandleText.standardError(
                "dmdissect: wrote \(writer.written) frames of \(selection.sessions) session\(selection.sessions == 1 ? "" : "s") to \(TerminalText.escape(path))")
        }
    }
}
