import Analysis

/// How a limit's value is written for people: bytes with a binary unit when they divide evenly
/// (`64 KiB`, `16 MiB`), else the plain count.
enum LimitText {
    /// `usage.value` in words.
    static func value(_ usage: LimitUsage) -> String {
        guard usage.limit.isBytes else { return "\(usage.value)" }
        let value = usage.value
        for (shift, unit) in [(30, "GiB"), (20, "MiB"), (10, "KiB")] where value >= 1 << shift && value % (1 << shift) == 0 {
            return "\(value >> shift) \(unit)"
        }
        return "\(value) bytes"
    }
}
