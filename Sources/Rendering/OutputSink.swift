import Glibc

/// Buffered text output to standard output or a file; every renderer writes through one.
///
/// Lines are collected in a buffer and written with `fwrite` in large blocks; `flush()` pushes
/// them out (the live and JSONL outputs flush per line).
public final class OutputSink {
    private let stream: UnsafeMutablePointer<FILE>
    private let ownsStream: Bool
    private var buffer: [UInt8] = []
    private static let blockSize = 64 * 1024

    /// Writes to standard output; nil (errno set) if no stream can be made for it.
    public init?() {
        // A FILE of our own on descriptor 1 (the C global `stdout` is shared mutable state).
        guard let file = fdopen(STDOUT_FILENO, "w") else { return nil }
        stream = file
        ownsStream = false
        buffer.reserveCapacity(Self.blockSize * 2)
    }

    /// Writes to `path` (created or truncated); returns nil with `errno` set when it cannot be opened.
    public init?(path: String) {
        guard let file = fopen(path, "wb") else { return nil }
        stream = file
        ownsStream = true
        buffer.reserveCapacity(Self.blockSize * 2)
    }

    deinit {
        flush()
        if ownsStream { fclose(stream) }
    }

    /// Appends `text` (already escaped by the renderer) and a newline.
    public func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        if buffer.count >= Self.blockSize { flush() }
    }

    /// Writes everything buffered so far to the stream and flushes it.
    public func flush() {
        if !buffer.isEmpty {
            buffer.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, stream) }
            buffer.removeAll(keepingCapacity: true)
        }
        fflush(stream)
    }
}
