import Glibc

/// The progress line on standard error while large files are read: bytes, percentage of the
/// input files' total size, and rate; redrawn at most four times a second and cleared at the end.
/// Only when standard error is a terminal and -q is not given (never in pipes or logs).
final class ProgressLine {
    private let total: UInt64
    private var done: UInt64 = 0
    private var frames: UInt64 = 0
    private let start: Double
    private var lastDraw: Double
    private var drawn = false
    /// Seconds between redraws (DMDISSECT_PROGRESS_INTERVAL overrides it, for tests).
    private let interval: Double
    /// The clock is looked at every `mask + 1` frames.
    private let mask: UInt64

    /// A progress line for `paths`, or nil when it must not be shown.
    init?(paths: [String], quiet: Bool) {
        guard !quiet, isatty(STDERR_FILENO) == 1 else { return nil }
        var sum: UInt64 = 0
        for path in paths {
            var info = stat()
            if stat(path, &info) == 0, info.st_size > 0 { sum &+= UInt64(info.st_size) }
        }
        total = sum
        interval = getenv("DMDISSECT_PROGRESS_INTERVAL").flatMap { Double(String(cString: $0)) } ?? 0.25
        mask = interval == 0 ? 0 : 1023
        start = Self.now()
        lastDraw = start
    }

    /// One frame of `length` captured bytes was read (record header included as 16 bytes).
    func frame(capturedLength: Int) {
        done &+= UInt64(max(0, capturedLength)) &+ 16
        frames &+= 1
        guard frames & mask == 0 else { return }
        let now = Self.now()
        guard now - lastDraw >= interval else { return }
        lastDraw = now
        draw(now)
    }

    /// Clears the line.
    func finish() {
        guard drawn else { return }
        drawn = false
        write("\r\u{1B}[K")
    }

    private func draw(_ now: Double) {
        let elapsed = max(now - start, 0.001)
        var text = "\rdmdissect: \(Self.size(done)) read"
        // gzip'ed input is larger than the file: no percentage past 100.
        if total > 0, done <= total { text += " (\(done * 100 / total)%)" }
        text += ", \(Self.size(UInt64(Double(done) / elapsed)))/s, \(frames) frames\u{1B}[K"
        write(text)
        drawn = true
    }

    private func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if count <= 0 { return }
            bytes = bytes.dropFirst(count)
        }
    }

    private static func size(_ bytes: UInt64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(Int(value * 10) / 10) + "." + String(Int(value * 10) % 10) + " " + units[unit]
    }

    private static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
