import CSupport
import Glibc

/// An opened capture file or pipe, positioned at its first byte, with its format sniffed.
///
/// Regular uncompressed files are read through a plain `FILE*` (fastest path); gzip'ed files and
/// pipes (standard input) go through zlib in transparent mode, so gzip is recognised by its magic
/// bytes whatever the file is called, and a pipe needs no seeking.
final class CaptureInput {
    /// The container format, from the magic number.
    enum Format: Equatable {
        /// Classic pcap; `nanoseconds` for magic a1b23c4d.
        case pcap(nanoseconds: Bool)
        /// pcapng (starts with a Section Header Block).
        case pcapng
    }

    let path: String
    let format: Format
    /// True when the bytes were gzip-compressed.
    let isCompressed: Bool
    /// The stream; owned, closed in `deinit` unless taken over by libpcap (`releaseStream()`).
    private(set) var stream: UnsafeMutablePointer<FILE>?
    /// zlib state for error reporting (nil on the plain path).
    private let gzipState: UnsafeMutableRawPointer?

    private init(
        path: String, format: Format, isCompressed: Bool, stream: UnsafeMutablePointer<FILE>,
        gzipState: UnsafeMutableRawPointer?
    ) {
        self.path = path
        self.format = format
        self.isCompressed = isCompressed
        self.stream = stream
        self.gzipState = gzipState
    }

    deinit {
        if let stream { fclose(stream) }
    }

    /// Hands the stream to a new owner (libpcap closes it in `pcap_close`).
    func releaseStream() -> UnsafeMutablePointer<FILE>? {
        defer { stream = nil }
        return stream
    }

    /// zlib's complaint about corrupt or cut-short gzip data, if any.
    var gzipError: String? {
        guard let gzipState else { return nil }
        var buffer = [CChar](repeating: 0, count: 200)
        let code = buffer.withUnsafeMutableBufferPointer { dmd_gzip_error(gzipState, $0.baseAddress, $0.count) }
        guard code != 0 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Opens `path` (`-` for standard input) and sniffs its format.
    static func open(_ path: String) throws(CaptureError) -> CaptureInput {
        let fd: Int32
        if path == "-" {
            fd = dup(STDIN_FILENO)
        } else {
            fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        }
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: errnoText()) }

        var status = stat()
        guard fstat(fd, &status) == 0 else {
            let reason = errnoText()
            close(fd)
            throw .cannotOpen(path: path, reason: reason)
        }
        let fileType = status.st_mode & S_IFMT
        if fileType == S_IFDIR {
            close(fd)
            throw .cannotOpen(path: path, reason: "is a directory")
        }

        var magic = [UInt8](repeating: 0, count: 4)
        if fileType == S_IFREG {
            // Sniff without consuming: a plain file stays on the fast stdio path.
            let got = magic.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 4, 0) }
            guard got >= 0 else {
                let reason = errnoText()
                close(fd)
                throw .cannotOpen(path: path, reason: reason)
            }
            if got >= 2, magic[0] == 0x1F, magic[1] == 0x8B {
                return try openTransparent(path: path, fd: fd)
            }
            let format: Format
            do {
                format = try sniff(path: path, magic: Array(magic.prefix(got)))
            } catch {
                close(fd)  // not a capture: the descriptor is not handed on, so it is ours to close
                throw error
            }
            guard let stream = fdopen(fd, "rb") else {
                let reason = errnoText()
                close(fd)
                throw .cannotOpen(path: path, reason: reason)
            }
            setvbuf(stream, nil, _IOFBF, 256 * 1024)
            return CaptureInput(path: path, format: format, isCompressed: false, stream: stream, gzipState: nil)
        }
        // Pipes, FIFOs, character devices: zlib sniffs gzip itself and passes anything else through.
        return try openTransparent(path: path, fd: fd)
    }

    private static func openTransparent(path: String, fd: Int32) throws(CaptureError) -> CaptureInput {
        var state: UnsafeMutableRawPointer?
        guard let stream = dmd_open_transparent_gzip(fd, &state) else {
            let reason = errnoText()
            close(fd)
            throw .cannotOpen(path: path, reason: reason)
        }
        var magic = [UInt8](repeating: 0, count: 4)
        let got = magic.withUnsafeMutableBufferPointer { dmd_peek(state, $0.baseAddress, 4) }
        guard got >= 0 else {
            fclose(stream)
            throw .cannotOpen(path: path, reason: "read error")
        }
        let format: Format
        do {
            format = try sniff(path: path, magic: Array(magic.prefix(Int(got))))
        } catch {
            fclose(stream)
            throw error
        }
        let isCompressed = dmd_gzip_is_compressed(state) != 0
        return CaptureInput(path: path, format: format, isCompressed: isCompressed, stream: stream, gzipState: state)
    }

    /// Classic pcap magics in either byte order (micro and nano), or the pcapng SHB type.
    private static func sniff(path: String, magic: [UInt8]) throws(CaptureError) -> Format {
        guard magic.count == 4 else {
            throw .notACapture(path: path, magic: magic.map(hexByte).joined())
        }
        switch (magic[0], magic[1], magic[2], magic[3]) {
        case (0xD4, 0xC3, 0xB2, 0xA1), (0xA1, 0xB2, 0xC3, 0xD4): return .pcap(nanoseconds: false)
        case (0x4D, 0x3C, 0xB2, 0xA1), (0xA1, 0xB2, 0x3C, 0x4D): return .pcap(nanoseconds: true)
        case (0x0A, 0x0D, 0x0D, 0x0A): return .pcapng
        default: throw .notACapture(path: path, magic: magic.map(hexByte).joined())
        }
    }
}

/// Two lowercase hex digits.
func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}

/// `strerror(errno)` as a Swift string.
func errnoText() -> String {
    guard let text = strerror(errno) else { return "error \(errno)" }
    return String(cString: text)
}

/// A NUL-terminated C string from libpcap as a Swift string (invalid UTF-8 repaired).
func cText(_ pointer: UnsafePointer<CChar>?) -> String {
    guard let pointer else { return "" }
    return String(decoding: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)), as: UTF8.self)
}

/// The text in a NUL-terminated C buffer.
func cText(_ buffer: [CChar]) -> String {
    buffer.withUnsafeBufferPointer { cText($0.baseAddress) }
}
