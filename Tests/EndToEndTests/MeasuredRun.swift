import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a child process with a wall-time bound and reports its exit, wall time and peak RSS.
///
/// Foundation's `Process` reaps the child itself, so its resource usage is lost; this spawns with
/// `posix_spawn` and reaps with `wait4`, which gives the child's own `ru_maxrss` (getrusage of all
/// children would mix the test's other children in).
enum MeasuredRun {
    struct Result {
        /// Exit status, or nil when the child died by a signal.
        var status: Int32?
        /// The signal that ended the child, if any (SIGKILL when the time bound was hit).
        var signal: Int32?
        /// Wall time in seconds.
        var seconds: Double
        /// Peak resident set size in KiB.
        var maxRSSKiB: Int
        /// True when the child was killed for exceeding the time bound.
        var timedOut: Bool
        var stdout: Data
        var stderr: Data
    }

    enum Failure: Error { case spawn(Int32) }

    /// Runs `executable` with `arguments` in `directory`, stdin from /dev/null, killing it after `timeout` s.
    static func run(
        _ executable: String, _ arguments: [String], in directory: String, timeout: Double
    ) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("measured-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outPath = scratch.appendingPathComponent("out").path
        let errPath = scratch.appendingPathComponent("err").path

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        // `posix_spawn_file_actions_addchdir_np` is not visible through Swift's Glibc module on every
        // toolchain: a shell changes directory and execs the program (same pid, so wait4 still
        // reports the program's own peak RSS).
        let command = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory, executable] + arguments
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let start = Date()
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, envp)
        guard spawned == 0 else { throw Failure.spawn(spawned) }

        var status: Int32 = 0
        var usage = rusage()
        var timedOut = false
        while true {
            let reaped = wait4(pid, &status, WNOHANG, &usage)
            if reaped == pid { break }
            if reaped < 0, errno != EINTR { break }
            if !timedOut, Date().timeIntervalSince(start) > timeout {
                kill(pid, SIGKILL)
                timedOut = true
            }
            usleep(5_000)
        }
        let seconds = Date().timeIntervalSince(start)
        // The wait status layout of Linux (the W* macros are not imported into Swift).
        let signal = status & 0x7F
        return Result(
            status: signal == 0 ? (status >> 8) & 0xFF : nil, signal: signal == 0 ? nil : signal, seconds: seconds,
            maxRSSKiB: usage.ru_maxrss, timedOut: timedOut,
            stdout: (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data(),
            stderr: (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data())
    }
}
