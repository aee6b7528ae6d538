/// `--window`: a length of calendar time (`30d`, `8w`, `6m`, `1y`).
public struct EventWindow: Sendable, Equatable, CustomStringConvertible {
    public enum Unit: String, Sendable {
        case day = "d", week = "w", month = "m", year = "y"
    }

    public var amount: Int
    public var unit: Unit

    public init(amount: Int, unit: Unit) {
        self.amount = amount
        self.unit = unit
    }

    /// `6m` → six months; nil for anything else (amounts from 1 to 1000).
    public init?(_ text: String) {
        guard let last = text.last, let unit = Unit(rawValue: String(last).lowercased()),
            let amount = Int(text.dropLast()), (1...1000).contains(amount)
        else { return nil }
        self.init(amount: amount, unit: unit)
    }

    public var description: String { "\(amount)\(unit.rawValue)" }

    /// The UTC midnight `count` windows after (negative: before) the day `days` (days since 1970).
    /// Months and years move the calendar date, keeping the day of the month or the month's last
    /// day when it has fewer (2024-08-31 − 6m = 2024-02-29).
    public func shift(days: Int, by count: Int) -> Int {
        switch unit {
        case .day: return days + amount * count
        case .week: return days + 7 * amount * count
        case .month, .year:
            let months = (unit == .year ? 12 : 1) * amount * count
            let (y, m, d) = EventCalendar.civil(days)
            let index = y * 12 + (m - 1) + months
            let year = index >= 0 ? index / 12 : (index - 11) / 12
            let month = index - year * 12 + 1
            return EventCalendar.days(year, month, min(d, EventCalendar.daysIn(year, month)))
        }
    }
}

/// One side of a comparison: a metric and its filter (without dates).
public struct EventComparisonSubject: Sendable, Equatable {
    public var metric: EventMetric
    public var filter: EventFilter

    public init(metric: EventMetric, filter: EventFilter) {
        self.metric = metric
        self.filter = filter
    }
}

/// A metric before and after a day (docs/events.md, "Before and after a date").
public struct EventGrowth: Sendable, Equatable {
    /// The metric over `[date − window, date)` and over `[date, date + window)`.
    public var before: Int
    public var after: Int
    /// `after − before`.
    public var absolute: Int { after - before }
    /// `(after − before) / before`; nil when `before` is 0.
    public var relative: Double? { before == 0 ? nil : Double(after - before) / Double(before) }
    /// How much of each total belongs to events whose repository has no known language (with a
    /// language filter).
    public var unknownLanguageBefore: Int?
    public var unknownLanguageAfter: Int?
}

/// `census events compare`.
public struct EventComparison: Sendable, Equatable {
    /// UTC seconds of the day compared around, and the windows' bounds.
    public var date: Int64
    public var beforeStart: Int64
    public var afterEnd: Int64
    public var period: EventPeriod
    public var growth: EventGrowth
    /// The metric per period over both windows (zeros filled).
    public var series: [TimelinePoint]
    /// With `--with-metric`: the second subject's growth and series.
    public var withGrowth: EventGrowth?
    /// The second series (`--with-metric`, or a stored series through `--with-series`).
    public var withSeries: [SeriesPoint]?
    /// Pearson's r of the two series over the periods both have.
    public var correlation: TimelineCorrelation?
}

extension EventComparison {
    /// The UTC seconds of the before window's start, of `date`'s midnight (the after window's
    /// start), and of the after window's end.
    public static func windows(date: Int64, window: EventWindow) -> (start: Int64, midnight: Int64, end: Int64) {
        let day = Int(date >= 0 ? date / 86_400 : -((-date + 86_399) / 86_400))
        return (
            Int64(window.shift(days: day, by: -1)) * 86_400, Int64(day) * 86_400, Int64(window.shift(days: day, by: 1)) * 86_400
        )
    }
}

extension EventQueries {
    /// The statements ``EventStore/eventCompare(_:date:window:period:with:secondSeries:)`` runs
    /// (`census events compare --show-sql`): per subject, the totals before and after (and, with
    /// a language, those of events without a known language), and the series over both windows.
    package func compare(
        _ subjects: [EventComparisonSubject], date: Int64, window: EventWindow, period: EventPeriod
    ) -> [SQLText] {
        let (start, midnight, end) = EventComparison.windows(date: date, window: window)
        var statements: [SQLText] = []
        for s in subjects {
            var before = s.filter
            before.since = start
            before.until = midnight
            var after = s.filter
            after.since = midnight
            after.until = end
            statements += [total(s.metric, before), total(s.metric, after)]
            if s.filter.language != nil {
                statements += [total(s.metric, before, unknownLanguageOnly: true), total(s.metric, after, unknownLanguageOnly: true)]
            }
        }
        for s in subjects {
            var whole = s.filter
            whole.since = start
            whole.until = end
            statements.append(timeline(s.metric, by: period, whole))
            if s.filter.language != nil { statements.append(total(s.metric, whole, unknownLanguageOnly: true)) }
        }
        return statements
    }
}

extension EventStore {
    /// Compares a metric over the `window` before `date` (a UTC day, in seconds) with the `window`
    /// from it, per `period` too; with a second subject or series, correlates the two.
    ///
    /// - Parameters:
    ///   - subject: The metric and filter (its `since`/`until` are replaced by the windows).
    ///   - second: `--with-metric` and its filters.
    ///   - secondSeries: A series from elsewhere (`--with-series`), used when `second` is nil.
    public func eventCompare(
        _ subject: EventComparisonSubject, date: Int64, window: EventWindow, period: EventPeriod,
        with second: EventComparisonSubject? = nil, secondSeries: [SeriesPoint]? = nil
    ) throws -> EventComparison {
        let (start, midnight, end) = EventComparison.windows(date: date, window: window)
        func growth(_ s: EventComparisonSubject) throws -> EventGrowth {
            var before = s.filter
            before.since = start
            before.until = midnight
            var after = s.filter
            after.since = midnight
            after.until = end
            var g = EventGrowth(before: try eventTotal(s.metric, filter: before), after: try eventTotal(s.metric, filter: after))
            if s.filter.language != nil {
                g.unknownLanguageBefore = try eventTotalWithoutLanguage(s.metric, filter: before)
                g.unknownLanguageAfter = try eventTotalWithoutLanguage(s.metric, filter: after)
            }
            return g
        }
        func series(_ s: EventComparisonSubject) throws -> [TimelinePoint] {
            var whole = s.filter
            whole.since = start
            whole.until = end
            return try eventTimeline(s.metric, by: period, filter: whole).rows
        }
        let first = try series(subject)
        var result = EventComparison(
            date: midnight, beforeStart: start, afterEnd: end, period: period, growth: try growth(subject), series: first)
        if let second {
            result.withGrowth = try growth(second)
            result.withSeries = try series(second).map { SeriesPoint(period: $0.period, value: Double($0.value)) }
        } else if let secondSeries {
            result.withSeries = secondSeries
        }
        if let other = result.withSeries {
            result.correlation = TimelineCorrelation(
                first.map { SeriesPoint(period: $0.period, value: Double($0.value)) }, other)
        }
        return result
    }
}
