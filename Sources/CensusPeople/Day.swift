/// A calendar day in the proleptic Gregorian calendar, counted in days since 1970-01-01 (UTC).
///
/// Affiliation files date their ranges to the day (`YYYY-MM-DD`), and a commit is attributed by
/// the day it was made, so this is the one date type of the module. It parses and prints
/// `YYYY-MM-DD` without Foundation, and converts from Unix time for commit timestamps.
///
/// ```swift
/// let day = Day("2019-11-01")            // 2019-11-01; nil for "2019-02-30"
/// Day(unixTime: 1_572_566_400)           // 2019-11-01
/// ```
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01: 0 is 1970-01-01, -1 is 1969-12-31.
    public var daysSinceEpoch: Int

    /// The day `daysSinceEpoch` days after 1970-01-01.
    public init(daysSinceEpoch: Int) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// The day of a calendar date, or nil when there is no such date (month 13, February 30).
    ///
    /// Years 1 to 9999 are accepted, the range `YYYY-MM-DD` can write.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Day.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.daysSinceEpoch = Day.daysFromCivil(year: year, month: month, day: day)
    }

    /// Parses exactly `YYYY-MM-DD` (ten ASCII characters); nil for anything else or for a date that
    /// does not exist.
    public init?(_ text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard let day = utf8.withUnsafeBufferPointer({ Day(ascii: $0) }) else { return nil }
        self = day
    }

    /// The day, in UTC, of a Unix time (seconds since 1970-01-01T00:00:00Z); times before 1970
    /// round down to the day they fall in.
    public init(unixTime seconds: Int64) {
        let day = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        self.daysSinceEpoch = Int(day)
    }

    /// Parses `YYYY-MM-DD` from ten bytes.
    init?(ascii bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The year, month (1–12) and day of the month (1–31).
    public var components: (year: Int, month: Int, day: Int) {
        // Howard Hinnant's civil_from_days.
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (year, month, day) = components
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    public static func < (a: Day, b: Day) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    package static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's days_from_civil.
    package static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// A half-open range of days, `[from, until)`, either end open when nil.
///
/// `Google LLC from 2018-03-01 until 2019-11-01` holds on 2018-03-01 and on 2019-10-31, not on
/// 2019-11-01, the day the next range starts.
public struct DayRange: Hashable, Sendable, CustomStringConvertible {
    /// The first day in the range; nil for "since always".
    public var from: Day?
    /// The first day after the range; nil for "still".
    public var until: Day?

    public init(from: Day? = nil, until: Day? = nil) {
        self.from = from
        self.until = until
    }

    /// The range of every day.
    public static let always = DayRange()

    /// Whether `day` is in the range.
    public func contains(_ day: Day) -> Bool {
        if let from, day < from { return false }
        if let until, day >= until { return false }
        return true
    }

    /// Whether no day is in the range (`until` on or before `from`).
    public var isEmpty: Bool {
        if let from, let until { return until <= from }
        return false
    }

    /// `from 2017-01-01 until 2018-01-01`, `until 2017-01-01`, `from 2017-01-01` or `always`:
    /// the words of the affiliation files.
    public var description: String {
        switch (from, until) {
        case (let from?, let until?): return "from \(from) until \(until)"
        case (nil, let until?): return "until \(until)"
        case (let from?, nil): return "from \(from)"
        case (nil, nil): return "always"
        }
    }
}
