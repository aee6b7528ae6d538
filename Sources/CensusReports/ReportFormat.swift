/// Numbers and dates as a report's reader sees them: thousands separators, percentages with one
/// decimal, ISO dates. (The CSV files beside a report keep the raw values.)
public enum ReportFormat {
    /// `1234567` → `1,234,567`; `-1234` → `-1,234`.
    public static func integer(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        out.reserveCapacity(digits.count + digits.count / 3 + 1)
        for (k, ch) in digits.enumerated() {
            if k > 0, (digits.count - k) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return value < 0 ? "-" + out : out
    }

    /// A fraction as a percentage with `decimals` decimals: `0.683` → `68.3%`.
    public static func percent(_ fraction: Double, decimals: Int = 1) -> String {
        decimal(fraction * 100, decimals: decimals) + "%"
    }

    /// A number with `decimals` decimals (rounded half away from zero) and thousands separators in
    /// its whole part: `12345.678` → `12,345.68`.
    public static func decimal(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "n/a" : value < 0 ? "-∞" : "∞" }
        var scale = 1.0
        for _ in 0 ..< decimals { scale *= 10 }
        let scaled = (value.magnitude * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e18 else { return value < 0 ? "-" + String(Int64(value.magnitude)) : String(Int64(value)) }
        let units = Int(scaled)
        let whole = units / Int(scale)
        let fraction = units % Int(scale)
        var text = integer(whole)
        if decimals > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: decimals - digits.count) + digits
        }
        return value < 0 && units > 0 ? "-" + text : text
    }

    /// A number for machines (CSV, command lines, SVG coordinates): no separators, `maxDecimals`
    /// decimals, trailing zeros dropped when `trim`.
    public static func plain(_ value: Double, maxDecimals: Int, trim: Bool = true) -> String {
        var text = String(decimal(value, decimals: maxDecimals).filter { $0 != "," })
        if trim, text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// A signed change as a percentage: `+12.5%`, `-3.0%`, `n/a` when there is no base.
    public static func growth(_ fraction: Double?) -> String {
        guard let fraction, fraction.isFinite else { return "n/a" }
        let text = percent(fraction)
        return fraction > 0 && !text.hasPrefix("0.0") ? "+" + text : text
    }

    /// Seconds since 1970 as an ISO day (UTC): `2024-01-31`.
    public static func day(_ seconds: Int64) -> String {
        let (year, month, day) = civilDate(daysSinceEpoch: floorDivide(seconds, 86_400))
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    /// `YYYY-MM-DD` → seconds since 1970 at 00:00 UTC, or nil when it is not a valid day.
    public static func seconds(ofDay text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1 ... 12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month)
        else { return nil }
        return daysSinceEpoch(year: year, month: month, day: day) * 86_400
    }

    /// The month (`YYYY-MM`) a time falls in, UTC.
    public static func month(_ seconds: Int64) -> String { String(day(seconds).prefix(7)) }

    // MARK: - Civil calendar (proleptic Gregorian, UTC)

    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's `days_from_civil`.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Howard Hinnant's `civil_from_days`.
    static func civilDate(daysSinceEpoch days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value.magnitude)
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
