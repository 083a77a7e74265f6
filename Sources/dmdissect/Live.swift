import Analysis
import ArgumentParser
import CSupport
import Capture
import Glibc
import Rendering

/// Live capture (`-i`): opening the interface, dropping privileges, stopping, and libpcap's
/// counters at the end.
extension Analyze {
    /// `-D`: the interfaces, numbered, with libpcap's description and flags (as tcpdump -D).
    func printInterfaces() throws {
        let interfaces: [LiveInterfaces.Interface]
        do {
            interfaces = try LiveInterfaces.list()
        } catch {
            FileHandleText.standardError("dmdissect: " + TerminalText.escape(error.message))
            throw ExitCode(error.exitCode)
        }
        guard let sink = OutputSink() else { throw ExitCode(3) }
        for (number, interface) in interfaces.enumerated() {
            var line = "\(number + 1).\(TerminalText.escape(interface.name))"
            if let description = interface.description { line += " (\(TerminalText.escape(description)))" }
            if !interface.flags.isEmpty { line += " [\(interface.flags.joined(separator: ", "))]" }
            sink.line(line)
        }
        sink.flush()
    }

    /// Opens `name` (stop signals first, so Ctrl-C during a slow open is not lost), then drops root
    /// privileges (-Z) and arms --duration.
    func openLive(_ name: String) throws -> CaptureFile {
        _ = dmd_install_stop_signals()
        let file: CaptureFile
        do {
            file = try CaptureFile.openLive(interface: name, promiscuous: !noPromiscuous, filter: filter)
        } catch {
            FileHandleText.standardError("dmdissect: " + TerminalText.escape(error.message))
            throw ExitCode(error.exitCode)
        }
        if let user = relinquishTo {
            switch dmd_drop_privileges(user) {
            case 0: break
            case -1:
                FileHandleText.standardError("dmdissect: -Z \(TerminalText.escape(user)): no such user")
                throw ExitCode(2)
            default:
                FileHandleText.standardError(
                    "dmdissect: -Z \(TerminalText.escape(user)): cannot drop privileges: \(String(cString: strerror(errno)))")
                throw ExitCode(3)
            }
        }
        if let duration { alarm(UInt32(clamping: duration)) }
        if !quiet {
            let linkType = file.interfaces.first?.linkType.name ?? "?"
            FileHandleText.standardError(
                "dmdissect: listening on \(TerminalText.escape(name)), link-type \(linkType), snapshot length \(file.interfaces.first?.snapshotLength ?? 0) bytes\(filter.map { ", filter '\(TerminalText.escape($0))'" } ?? "")")
        }
        return file
    }

    /// tcpdump's closing counters, on standard error.
    func printLiveStatistics(_ file: CaptureFile, captured: UInt64, limits: [LimitUsage]) {
        var lines = ["\(captured) packets captured"]
        if let stats = file.liveStatistics {
            lines.append("\(stats.received) packets received by filter")
            lines.append("\(stats.droppedByKernel) packets dropped by kernel")
            lines.append("\(stats.droppedByInterface) packets dropped by interface")
        }
        // A limit hit loses analysis as surely as a kernel drop: said next to the drops.
        if limits.contains(where: { $0.hits > 0 }) { lines.append(SummaryRenderer.limitsLine(limits)) }
        for line in lines { FileHandleText.standardError(line) }
    }
}
