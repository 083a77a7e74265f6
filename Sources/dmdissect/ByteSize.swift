import ArgumentParser

/// A byte count on the command line: a whole number with an optional binary unit, `K`/`KiB`,
/// `M`/`MiB` or `G`/`GiB` (`64K` is 65,536 bytes), as `tcpdump -B` and Suricata's memcaps take them.
struct ByteSize: ExpressibleByArgument, Hashable {
    /// The number of bytes.
    var bytes: Int

    init(bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        let text = argument.uppercased()
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        var unit = text.dropFirst(digits.count)
        if unit.hasSuffix("IB") { unit = unit.dropLast(2) } else if unit.hasSuffix("B") { unit = unit.dropLast() }
        let multiplier: Int
        switch unit {
        case "": multiplier = 1
        case "K": multiplier = 1 << 10
        case "M": multiplier = 1 << 20
        case "G": multiplier = 1 << 30
        default: return nil
        }
        guard !digits.isEmpty, let number = Int(digits) else { return nil }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return nil }
        self.bytes = bytes
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
