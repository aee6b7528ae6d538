import CensusPeople

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
    public static func day(_ seconds: Int64) -> String { Day(unixTime: seconds).description }

    /// `YYYY-MM-DD` → seconds since 1970 at 00:00 UTC, or nil when it is not a valid day.
    public static func seconds(ofDay text: String) -> Int64? {
        Day(text).map { Int64($0.daysSinceEpoch) * 86_400 }
    }

    /// The month (`YYYY-MM`) a time falls in, UTC.
    public static func month(_ seconds: Int64) -> String { String(day(seconds).prefix(7)) }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value.magnitude)
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
