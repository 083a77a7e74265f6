import Packets

/// Formats capture timestamps as UTC ISO-8601, the way every dmdissect output writes times.
public enum TimeFormat {
    /// `2026-11-25T13:54:18.123456Z` (microseconds) or `…18.123456789Z` (nanoseconds).
    public static func iso8601(_ time: Timestamp, precision: TimestampPrecision) -> String {
        let secondsPerDay: Int64 = 86_400
        // Floor division so that pre-1970 times land on the right day.
        var days = time.seconds / secondsPerDay
        var secondOfDay = time.seconds % secondsPerDay
        if secondOfDay < 0 {
            secondOfDay += secondsPerDay
            days -= 1
        }
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let hour = secondOfDay / 3600, minute = (secondOfDay / 60) % 60, second = secondOfDay % 60
        let fraction: String
        switch precision {
        case .microseconds: fraction = pad(Int64(time.nanoseconds / 1000), 6)
        case .nanoseconds: fraction = pad(Int64(time.nanoseconds), 9)
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(fraction)Z"
    }

    /// Seconds with a fixed number of fractional digits, e.g. `12.345` for a duration of 12345 ms.
    public static func seconds(nanoseconds: Int64, digits: Int = 6) -> String {
        let negative = nanoseconds < 0
        let magnitude = nanoseconds.magnitude
        let whole = magnitude / 1_000_000_000
        var fraction = magnitude % 1_000_000_000
        let clamped = min(max(digits, 0), 9)
        for _ in clamped..<9 { fraction /= 10 }
        let text = clamped == 0 ? "\(whole)" : "\(whole).\(pad(Int64(fraction), clamped))"
        return negative ? "-" + text : text
    }

    /// A duration in milliseconds with three decimals: `12.345 ms`.
    public static func milliseconds(nanoseconds: Int64) -> String {
        let negative = nanoseconds < 0
        let microseconds = nanoseconds.magnitude / 1000
        let text = "\(microseconds / 1000).\(pad(Int64(microseconds % 1000), 3)) ms"
        return negative ? "-" + text : text
    }

    /// Zero-padded decimal.
    static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let padding = String(repeating: "0", count: max(0, width - digits.count))
        return (value < 0 ? "-" : "") + padding + digits
    }

    /// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        // Timestamps come from 32- or 64-bit second counts, so |days| < 2^48: no overflow below.
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
