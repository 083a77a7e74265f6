/// Why a capture could not be opened or filtered. Each case carries what the user needs to fix it;
/// `message` is the one-line text the CLI prints, `exitCode` the status it exits with.
public enum CaptureError: Error, Equatable, Sendable {
    /// The file could not be opened or read at all (missing, permission, a directory, …).
    case cannotOpen(path: String, reason: String)
    /// The bytes are not a pcap, pcapng or gzip'ed capture; `magic` holds the first bytes seen (hex).
    case notACapture(path: String, magic: String)
    /// libpcap refused the file's header (unsupported version, bad snaplen, …).
    case badHeader(path: String, reason: String)
    /// The BPF filter expression does not compile for a link type of the capture.
    case badFilter(expression: String, reason: String)
    /// A live interface could not be opened (no such device, no permission, …).
    case cannotOpenInterface(name: String, reason: String)

    /// One line for the user, naming the file or expression.
    public var message: String {
        switch self {
        case .cannotOpen(let path, let reason): "\(path): cannot read: \(reason)"
        case .notACapture(let path, let magic):
            magic.isEmpty
                ? "\(path): not a capture file (empty)"
                : "\(path): not a capture file (pcap, pcapng or gzip expected; starts with \(magic))"
        case .badHeader(let path, let reason): "\(path): unreadable capture header: \(reason)"
        case .badFilter(let expression, let reason): "invalid filter '\(expression)': \(reason)"
        case .cannotOpenInterface(let name, let reason): "\(name): cannot capture: \(reason)"
        }
    }

    /// Exit status per the design: 2 for a usage error (bad filter), 3 for input that cannot be read.
    public var exitCode: Int32 {
        switch self {
        case .badFilter: 2
        case .cannotOpen, .notACapture, .badHeader, .cannotOpenInterface: 3
        }
    }
}
