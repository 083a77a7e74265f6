// libFuzzer entry point for the whole pipeline: the input is a capture file (pcap, pcapng, gzip'ed or
// not), written to a scratch file and analysed by a CaptureRun exactly as the command line does
// (capture reading, frame decoding, defragmentation, TCP reassembly, HTTP, DM packages, sessions, rules).
// Built only with DMDISSECT_FUZZ=1 (see scripts/fuzz).
import Analysis
import Capture
import Glibc
import Packets
import Reassembly

/// The scratch file, one per process (libFuzzer's -jobs run several processes): in /dev/shm when it exists.
private let scratchPath: String = {
    var status = stat()
    let directory = stat("/dev/shm", &status) == 0 ? "/dev/shm" : "/tmp"
    return "\(directory)/dmdissect-fuzz-capture-\(getpid())"
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let descriptors = openDescriptors()
    guard write(UnsafeRawBufferPointer(start: data, count: size), to: scratchPath) else {
        fatalError("cannot write the scratch file \(scratchPath): \(String(cString: strerror(errno)))")
    }
    defer {
        unlink(scratchPath)
        // Every descriptor the run opened is closed again (a leak ends a long run with EMFILE).
        let after = openDescriptors()
        guard after == descriptors else { fatalError("\(after - descriptors) file descriptors leaked") }
    }
    var options = RunOptions()
    // Small caps so that a short input can reach every limit path.
    options.fragmentLimits = FragmentLimits(maxFragmentsPerDatagram: 8, maxBufferedBytes: 8192, maxPendingDatagrams: 4)
    options.reassemblyLimits = ReassemblyLimits(
        maxBufferedBytesPerDirection: 4096, maxBufferedSegmentsPerDirection: 16, maxBufferedBytes: 16384,
        maxFlows: 8)
    options.storedFindingsPerRule = 4
    let run = CaptureRun(options: options)
    var frames: UInt64 = 0
    do {
        try run.run(
            files: [scratchPath],
            onPacket: { info, packet in
                frames += 1
                guard info.number.rawValue == frames, packet.capturedLength == info.capturedLength else {
                    fatalError("frame \(info.number) (\(info.capturedLength) bytes) seen as \(frames)")
                }
            },
            onFinding: { finding in _ = finding.message }
        )
    } catch {
        // A bad filter is the only error `run` throws, and there is no filter here.
        fatalError("CaptureRun threw \(error)")
    }
    guard run.files.count + run.failures.count == 1 else {
        fatalError("\(run.files.count) files and \(run.failures.count) failures for one input")
    }
    if let file = run.files.first, file.framesAnalysed != frames {
        fatalError("summary says \(file.framesAnalysed) frames, \(frames) seen")
    }
    guard run.findings.count <= run.totalFindings else { fatalError("more findings stored than counted") }
    return 0
}

/// Open descriptors of this process.
private func openDescriptors() -> Int {
    guard let directory = opendir("/proc/self/fd") else { return -1 }
    defer { closedir(directory) }
    var count = 0
    while readdir(directory) != nil { count += 1 }
    return count
}

/// Writes `bytes` to `path`, replacing it; false on an I/O error.
private func write(_ bytes: UnsafeRawBufferPointer, to path: String) -> Bool {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var offset = 0
    while offset < bytes.count {
        let written = Glibc.write(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
        guard written > 0 else { return false }
        offset += written
    }
    return true
}
