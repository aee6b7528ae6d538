import CensusPeople

/// The times of GH Archive events, read from their bytes and converted to UTC.
///
/// Accepted (docs/events.md, "Both eras"):
/// - `2015-01-01T03:00:01Z` (Events API, UTC);
/// - `2013-02-15T00:00:39-08:00` (Timeline, with an offset: `±HH:MM` or `±HHMM`);
/// - `2012/03/10 22:47:05 -0800` (early Timeline archives);
/// - a fraction of a second after the seconds (dropped), and no zone at all (read as UTC).
public enum EventTime {
    /// Seconds since 1970 (UTC) of the time in `count` bytes at `bytes`, or nil when it is not one.
    public static func parse(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int64? {
        guard count >= 19 else { return nil }
        func digits(_ at: Int, _ length: Int) -> Int? {
            var value = 0
            for index in at..<(at + length) {
                let digit = bytes[index] &- 0x30
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        let dateSeparator = bytes[4]
        guard dateSeparator == UInt8(ascii: "-") || dateSeparator == UInt8(ascii: "/"), bytes[7] == dateSeparator,
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "), bytes[13] == UInt8(ascii: ":"),
            bytes[16] == UInt8(ascii: ":"),
            let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2), let hour = digits(11, 2),
            let minute = digits(14, 2), let second = digits(17, 2),
            (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year), hour < 24, minute < 60,
            second <= 60
        else { return nil }
        var index = 19
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < count, bytes[index] &- 0x30 < 10 { index += 1 }
            if index == start { return nil }
        }
        if index < count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        var offsetSeconds = 0
        if index < count {
            let sign = bytes[index]
            if sign == UInt8(ascii: "Z") && index + 1 == count {
                index += 1
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                let rest = count - index - 1
                let hours: Int?
                let minutes: Int?
                if rest == 5, bytes[index + 3] == UInt8(ascii: ":") {
                    hours = digits(index + 1, 2)
                    minutes = digits(index + 4, 2)
                } else if rest == 4 {
                    hours = digits(index + 1, 2)
                    minutes = digits(index + 3, 2)
                } else {
                    return nil
                }
                guard let hours, let minutes, hours < 24, minutes < 60 else { return nil }
                offsetSeconds = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
                index = count
            } else {
                return nil
            }
        }
        guard index == count else { return nil }
        let days = Int64(Day.daysFromCivil(year: year, month: month, day: day))
        return days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` for seconds since 1970.
    public static func iso(_ seconds: Int64) -> String {
        let days = Int(seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400))
        let within = Int(seconds - Int64(days) * 86_400)
        let (y, m, d) = Day(daysSinceEpoch: days).components
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let year = String(y)
        return "\(String(repeating: "0", count: max(0, 4 - year.count)))\(year)-\(two(m))-\(two(d))T"
            + "\(two(within / 3600)):\(two(within / 60 % 60)):\(two(within % 60))Z"
    }
}
