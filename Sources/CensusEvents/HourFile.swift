/// One GH Archive hour file: the events GitHub published in one hour (UTC), named
/// `YYYY-MM-DD-H.json.gz` with the hour `H` from 0 to 23 and no zero padding
/// (`2015-01-01-15.json.gz`, `2024-01-01-0.json.gz`).
public struct HourFile: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int

    /// An hour of a valid calendar day (proleptic Gregorian, years 1–9999), or nil.
    public init?(year: Int, month: Int, day: Int, hour: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (0...23).contains(hour),
            (1...Self.daysIn(year: year, month: month)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
    }

    /// The file's name in GH Archive and in the cache, e.g. `2024-01-01-0.json.gz`.
    public var fileName: String { "\(dayText)-\(hour).json.gz" }

    /// `YYYY-MM-DD-H`, the file name without its extension.
    public var description: String { "\(dayText)-\(hour)" }

    /// `YYYY-MM-DD`.
    public var dayText: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: HourFile, b: HourFile) -> Bool {
        (a.year, a.month, a.day, a.hour) < (b.year, b.month, b.day, b.hour)
    }

    /// The next hour (midnight of the next day after hour 23), or nil after 9999-12-31-23.
    public var next: HourFile? {
        if hour < 23 { return HourFile(year: year, month: month, day: day, hour: hour + 1) }
        if day < Self.daysIn(year: year, month: month) { return HourFile(year: year, month: month, day: day + 1, hour: 0) }
        if month < 12 { return HourFile(year: year, month: month + 1, day: 1, hour: 0) }
        return HourFile(year: year + 1, month: 1, day: 1, hour: 0)
    }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Reads `YYYY-MM-DD` (a whole day: its first hour, or its last with `endOfDay`) or
    /// `YYYY-MM-DD-H` (that hour, `H` from 0 to 23, zero padding allowed).
    ///
    /// - Returns: The hour, or nil when the text is not one of those forms or not a real date.
    public static func parse(_ text: String, endOfDay: Bool = false) -> HourFile? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3 || parts.count == 4,
            parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        var hour = endOfDay ? 23 : 0
        if parts.count == 4 {
            guard parts[3].count <= 2, let h = Int(parts[3]) else { return nil }
            hour = h
        }
        return HourFile(year: year, month: month, day: day, hour: hour)
    }

    /// The hour a file name (`YYYY-MM-DD-H.json.gz`, the exact GH Archive form) stands for.
    public static func parse(fileName: String) -> HourFile? {
        guard fileName.hasSuffix(".json.gz") else { return nil }
        let stem = String(fileName.dropLast(".json.gz".count))
        guard let hour = parse(stem), hour.description == stem else { return nil }
        return hour
    }

    /// Every hour from `first` to `last`, both included (empty when `last` is before `first`).
    public static func range(from first: HourFile, through last: HourFile) -> [HourFile] {
        var hours: [HourFile] = []
        var current: HourFile? = first
        while let hour = current, hour <= last {
            hours.append(hour)
            current = hour.next
        }
        return hours
    }
}
