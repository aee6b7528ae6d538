import CensusPatterns

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A document's date: a year and month, and the day when the source gave one.
public struct DocumentDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int?

    public init?(year: Int, month: Int, day: Int? = nil) {
        guard (1000...9999).contains(year), (1...12).contains(month) else { return nil }
        if let day {
            let days = [31, (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            guard (1...days[month - 1]).contains(day) else { return nil }
        }
        self.year = year
        self.month = month
        self.day = day
    }

    public static func < (a: DocumentDate, b: DocumentDate) -> Bool {
        (a.year, a.month, a.day ?? 0) < (b.year, b.month, b.day ?? 0)
    }

    /// `YYYY-MM-DD`, or `YYYY-MM` without a day.
    public var description: String {
        let m = month < 10 ? "0\(month)" : "\(month)"
        guard let day else { return "\(year)-\(m)" }
        return "\(year)-\(m)-\(day < 10 ? "0\(day)" : "\(day)")"
    }

    /// The period label: `2024-03` by month, `2024` by year.
    public func period(_ unit: MentionPeriod) -> String {
        switch unit {
        case .month: "\(year)-\(month < 10 ? "0\(month)" : "\(month)")"
        case .year: "\(year)"
        }
    }

    /// Reads a date at the start of `text` (after spaces and a quote): `YYYY-MM-DD`, `YYYY/MM/DD`,
    /// `YYYY.MM.DD`, `YYYY-MM`, `YYYY年M月D日`, `YYYY年M月` (one- or two-digit month and day).
    /// Anything after the date (a time, a zone) is ignored: the date is the one written.
    public static func parse(_ text: String) -> DocumentDate? {
        var scalars = Substring(text).unicodeScalars.drop { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "'" }[...]
        func number(maxDigits: Int) -> Int? {
            var value = 0
            var count = 0
            while let c = scalars.first, c.value >= 0x30, c.value <= 0x39, count < maxDigits {
                value = value * 10 + Int(c.value - 0x30)
                count += 1
                scalars = scalars.dropFirst()
            }
            return count == 0 ? nil : value
        }
        guard let year = number(maxDigits: 4), year >= 1000, let separator = scalars.first else { return nil }
        let chinese = separator == "年"
        guard chinese || separator == "-" || separator == "/" || separator == "." else { return nil }
        scalars = scalars.dropFirst()
        guard let month = number(maxDigits: 2) else { return nil }
        var day: Int?
        if chinese {
            guard scalars.first == "月" else { return nil }
            scalars = scalars.dropFirst()
            if let d = number(maxDigits: 2) {
                guard scalars.first == "日" || scalars.first == "号" else { return nil }
                day = d
            }
        } else if scalars.first == separator {
            scalars = scalars.dropFirst()
            guard let d = number(maxDigits: 2) else { return nil }
            day = d
        }
        // A digit straight after the date means it was not one ("2024-03-123").
        if let c = scalars.first, c.value >= 0x30, c.value <= 0x39 { return nil }
        return DocumentDate(year: year, month: month, day: day)
    }

    /// The UTC date of a time in seconds since 1970.
    public static func utc(secondsSince1970 seconds: Int) -> DocumentDate? {
        var time = time_t(seconds)
        var parts = tm()
        guard gmtime_r(&time, &parts) != nil else { return nil }
        return DocumentDate(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))
    }
}

/// The period counts are grouped by.
public enum MentionPeriod: String, Sendable, CaseIterable {
    case month
    case year
}

/// Where a document's date comes from (docs/mentions.md).
public enum DateMethod: String, Sendable, CaseIterable {
    /// `date:` in a leading `---` YAML block (Markdown and text), or an HTML `<meta name="date">`.
    case frontMatter = "front-matter"
    /// `--date-pattern`'s named groups `year`, `month` (and `day`) matched against the path.
    case filename
    /// The file's modification time, as a UTC date.
    case mtime
}

/// A leading YAML front matter block: `---` on the first line, `---` (or `...`) closing it.
public struct FrontMatter: Sendable {
    /// The `date:` value as written (quotes and spaces trimmed), or nil when the block has none.
    public var date: String?
    /// Where the document's body starts (after the closing line).
    public var bodyOffset: Int

    /// The block at the start of `text` (UTF-8), or nil when the text does not start with one
    /// or the block is never closed.
    public static func parse(_ text: [UInt8]) -> FrontMatter? {
        let lines = LineScanner(text)
        guard let first = lines.line(at: 0), trimmedLine(text[first.content]) == Array("---".utf8) else { return nil }
        var offset = first.next
        var date: String?
        while let line = lines.line(at: offset) {
            let content = text[line.content]
            let trimmed = trimmedLine(content)
            if trimmed == Array("---".utf8) || trimmed == Array("...".utf8) {
                return FrontMatter(date: date, bodyOffset: line.next)
            }
            // A top-level key (no indentation) named date.
            if date == nil, content.starts(with: Array("date:".utf8)) {
                var value = content.dropFirst(5)
                // A YAML comment (" #…") is not part of the value.
                if let hash = value.indices.first(where: { value[$0] == UInt8(ascii: "#") && $0 > value.startIndex && value[$0 - 1] == 0x20 }) {
                    value = value[..<hash]
                }
                date = String(decoding: value, as: UTF8.self).trimmingSpacesAndQuotes()
            }
            offset = line.next
        }
        return nil
    }

    static func trimmedLine(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var slice = bytes
        while let last = slice.last, last == 0x20 || last == 0x09 || last == 0x0D { slice = slice.dropLast() }
        return Array(slice)
    }
}

/// Lines of a UTF-8 text, by offset.
struct LineScanner {
    let text: [UInt8]
    init(_ text: [UInt8]) { self.text = text }

    /// The line starting at `offset`: its content (without the newline) and where the next starts.
    func line(at offset: Int) -> (content: Range<Int>, next: Int)? {
        guard offset < text.count else { return nil }
        let end = text[offset...].firstIndex(of: 0x0A) ?? text.count
        return (offset..<end, min(text.count, end + 1))
    }
}

extension String {
    func trimmingSpacesAndQuotes() -> String {
        var scalars = Substring(self).unicodeScalars[...]
        let strip: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        while let c = scalars.first, strip(c) { scalars = scalars.dropFirst() }
        while let c = scalars.last, strip(c) { scalars = scalars.dropLast() }
        if let f = scalars.first, let l = scalars.last, scalars.count >= 2, (f == "\"" && l == "\"") || (f == "'" && l == "'") {
            scalars = scalars.dropFirst().dropLast()
        }
        return String(String.UnicodeScalarView(scalars))
    }
}

/// Dates from paths: a regular expression with named groups `year` and `month` (and optionally
/// `day`), searched in the path relative to the root given on the command line.
public struct DatePattern: Sendable {
    /// Used when `--date filename` is given without `--date-pattern`: a year 1900–2099, an optional
    /// `-`, `_`, `.` or `/`, a month 01–12, then optionally the same separator and a day.
    public static let defaultPattern =
        #"(?<year>(?:19|20)\d\d)(?<sep>[-_./]?)(?<month>0[1-9]|1[0-2])(?:\k<sep>(?<day>0[1-9]|[12]\d|3[01]))?(?!\d)"#

    public let regex: ByteRegex
    let yearGroup: Int
    let monthGroup: Int
    let dayGroup: Int?

    /// - Throws: ``MentionError`` when the pattern does not compile or lacks `year` or `month`.
    public init(_ pattern: String) throws(MentionError) {
        do {
            regex = try ByteRegex(pattern, options: .utf8)
        } catch {
            throw MentionError(input: "--date-pattern", reason: "\(error)")
        }
        guard let year = regex.groupNames["year"]?.first, let month = regex.groupNames["month"]?.first else {
            throw MentionError(input: "--date-pattern", reason: "the pattern needs named groups (?<year>…) and (?<month>…) (and may have (?<day>…))")
        }
        yearGroup = year
        monthGroup = month
        dayGroup = regex.groupNames["day"]?.first
    }

    /// The date in `path`, or nil when the pattern does not match or its groups are not a date.
    public func date(in path: String) -> DocumentDate? {
        let bytes = Array(path.utf8)
        guard let groups = regex.captures(in: bytes) else { return nil }
        func number(_ group: Int?) -> Int? {
            guard let group, group < groups.count, let range = groups[group] else { return nil }
            return Int(String(decoding: bytes[range], as: UTF8.self))
        }
        guard let year = number(yearGroup), let month = number(monthGroup) else { return nil }
        return DocumentDate(year: year, month: month, day: number(dayGroup))
    }
}
