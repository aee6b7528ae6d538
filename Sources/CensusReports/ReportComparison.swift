import CensusStore

/// A marked date (`--mark 2024-06-01=GopherChina`): drawn on the time charts, and compared
/// before and after.
public struct ReportMark: Sendable, Equatable {
    /// 00:00 UTC of the day, seconds since 1970.
    public var day: Int64
    public var label: String

    public init(day: Int64, label: String) {
        self.day = day
        self.label = label
    }

    /// `YYYY-MM-DD=LABEL` (the label may be empty: the day is the label).
    public static func parse(_ text: String) -> ReportMark? {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let day = ReportFormat.seconds(ofDay: String(first)) else { return nil }
        let label = parts.count > 1 && !parts[1].isEmpty ? String(parts[1]) : String(first)
        return ReportMark(day: day, label: label)
    }

    /// The month it falls in, `YYYY-MM`.
    public var month: String { ReportFormat.month(day) }
}

/// One series of a comparison (`--compare commits:language=Go,events.stars:region=China`): a
/// history timeline metric (`code`, `commits`, `authors`, `new-repos`) or, prefixed `events.`, an
/// events metric; filters `language=`, `cohort=` (history) and `region=` (events), joined by `&`.
public struct ReportSeriesSpec: Sendable, Equatable {
    public enum Source: String, Sendable { case history, events }

    public var source: Source
    public var metric: String
    public var language: String?
    public var cohort: String?
    public var region: String?

    public init(source: Source, metric: String, language: String? = nil, cohort: String? = nil, region: String? = nil) {
        self.source = source
        self.metric = metric
        self.language = language
        self.cohort = cohort
        self.region = region
    }

    /// Parses one `METRIC[:key=value&key=value]`; the error says what is wrong.
    public static func parse(_ text: String) -> Result<ReportSeriesSpec, ReportOptionError> {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        var metric = String(parts[0])
        var source = Source.history
        if metric.hasPrefix("events.") {
            source = .events
            metric.removeFirst("events.".count)
        }
        if source == .history, TimelineMetric(rawValue: metric) == nil {
            return .failure(
                ReportOptionError(
                    option: "--compare", value: text,
                    reason: "\(metric) is not a history metric (code, commits, authors, new-repos); events metrics are written events.NAME"))
        }
        if metric.isEmpty { return .failure(ReportOptionError(option: "--compare", value: text, reason: "no metric")) }
        if source == .events, EventMetric(rawValue: metric) == nil {
            return .failure(
                ReportOptionError(
                    option: "--compare", value: text,
                    reason: "\(metric) is not an events metric (" + EventMetric.allCases.map(\.rawValue).joined(separator: ", ") + ")"))
        }
        var spec = ReportSeriesSpec(source: source, metric: metric)
        if parts.count > 1 {
            for filter in parts[1].split(separator: "&") {
                let pair = filter.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, !pair[1].isEmpty else {
                    return .failure(ReportOptionError(option: "--compare", value: text, reason: "a filter is key=value, not \(filter)"))
                }
                let value = String(pair[1])
                switch (pair[0], source) {
                case ("language", _): spec.language = value
                case ("cohort", .history): spec.cohort = value
                case ("region", .events): spec.region = value
                default:
                    return .failure(
                        ReportOptionError(
                            option: "--compare", value: text,
                            reason: "\(pair[0]) is not a filter of \(source.rawValue) series (history: language, cohort; events: language, region)"))
                }
            }
        }
        return .success(spec)
    }

    /// `commits (language=Go)`, for tables.
    public var description: String {
        var filters: [String] = []
        if let language { filters.append("language=\(language)") }
        if let cohort { filters.append("cohort=\(cohort)") }
        if let region { filters.append("region=\(region)") }
        let name = source == .events ? "events.\(metric)" : metric
        return filters.isEmpty ? name : "\(name) (\(filters.joined(separator: ", ")))"
    }
}

/// A bad option value: which option, the value, and why.
public struct ReportOptionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var option: String
    public var value: String
    public var reason: String

    public init(option: String, value: String, reason: String) {
        self.option = option
        self.value = value
        self.reason = reason
    }

    public var description: String { "\(option) \(value): \(reason)" }
}

/// A series before and after a month: the mean per month over a window on each side, or for a
/// running total (code) its level at the end of each window.
public struct BeforeAfter: Sendable, Equatable {
    public var before: Double?
    public var after: Double?
    /// Months of data on each side (the window clipped to the months the source covers).
    public var monthsBefore: Int
    public var monthsAfter: Int

    /// `after / before − 1`; nil without both sides or when before is 0.
    public var growth: Double? {
        guard let before, let after, before != 0 else { return nil }
        return after / before - 1
    }

    /// Compares a monthly series around `month`.
    ///
    /// The before window is the `window` months up to the month before `month`; the after window
    /// starts at `month` (the month holding the marked day counts as after). Both are clipped to
    /// `covered` (the first and last month the source holds data for); a month inside it without a
    /// row is 0. A running total (`cumulative`) is compared by its level at the end of each window
    /// (carried forward from the last month with a row).
    public init(series: [TimelinePoint], month: String, window: Int, covered: (first: String, last: String)?, cumulative: Bool) {
        var values: [Int: Double] = [:]
        for point in series { if let m = Self.monthIndex(point.period) { values[m] = Double(point.value) } }
        guard let mark = Self.monthIndex(month), let range = covered, let first = Self.monthIndex(range.first),
            let last = Self.monthIndex(range.last), window > 0
        else {
            self.init(before: nil, after: nil, monthsBefore: 0, monthsAfter: 0)
            return
        }
        let beforeMonths = Array(max(first, mark - window) ... max(first, mark - 1)).filter { $0 < mark && $0 <= last }
        let afterMonths = Array(min(mark, last + 1) ... max(mark, min(last, mark + window - 1))).filter { $0 >= mark && $0 >= first && $0 <= last }
        func level(upTo month: Int) -> Double? {
            values.filter { $0.key <= month }.max { $0.key < $1.key }?.value
        }
        func mean(_ months: [Int]) -> Double? {
            months.isEmpty ? nil : months.reduce(0) { $0 + (values[$1] ?? 0) } / Double(months.count)
        }
        if cumulative {
            self.init(
                before: beforeMonths.last.flatMap { level(upTo: $0) }, after: afterMonths.last.flatMap { level(upTo: $0) },
                monthsBefore: beforeMonths.count, monthsAfter: afterMonths.count)
        } else {
            self.init(before: mean(beforeMonths), after: mean(afterMonths), monthsBefore: beforeMonths.count, monthsAfter: afterMonths.count)
        }
    }

    public init(before: Double?, after: Double?, monthsBefore: Int, monthsAfter: Int) {
        self.before = before
        self.after = after
        self.monthsBefore = monthsBefore
        self.monthsAfter = monthsAfter
    }

    /// `YYYY-MM` → months since year 0.
    static func monthIndex(_ text: String) -> Int? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]), (1 ... 12).contains(m)
        else { return nil }
        return y * 12 + m - 1
    }
}
