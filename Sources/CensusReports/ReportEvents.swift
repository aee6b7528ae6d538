import CensusStore

/// Where the report reads GitHub events from: monthly series by metric, filtered by language and
/// region, and the regions with the most of a metric.
///
/// This is the seam between the report and the events tables (issue 12): CodeCensus's
/// `StoreReportEvents` answers from a store's own `events timeline --by month`, `events top --by
/// region` and `events compare` queries; ``NoReportEvents`` answers "no events", and section 5 then
/// says to run `census events ingest` (see docs/report.md, "Events").
public protocol ReportEventSource: Sendable {
    /// How many events the store holds and the days they span; `nil` when it holds none.
    func eventCoverage() throws -> ReportEventCoverage?

    /// A metric per month (`YYYY-MM`, UTC), oldest first, as `census events timeline --by month`
    /// prints it: months without events inside the span are 0.
    ///
    /// - Parameters:
    ///   - metric: An events metric name as `census events` takes it (`stars`, `new-repos`,
    ///     `prs-opened`, …).
    ///   - language: Only events of repositories in this language; `nil` for all.
    ///   - region: Only events whose actor is in this region (`China`, `Europe`, …); `nil` for all.
    ///   - since: Only events at or after this time (seconds since 1970, UTC).
    ///   - until: Only events before this time.
    func monthly(metric: String, language: String?, region: String?, since: Int64?, until: Int64?) throws -> [TimelinePoint]

    /// The regions with the most of `metric`, largest first.
    func topRegions(metric: String, language: String?, since: Int64?, until: Int64?, limit: Int) throws -> [ReportEventTotal]

    /// A metric over `[since, until)`: a side of `census events compare`, whose windows the report
    /// takes from ``CensusStore/EventComparison/windows(date:window:)``.
    func total(metric: String, language: String?, region: String?, since: Int64, until: Int64) throws -> Int
}

/// The events a store holds, in brief.
public struct ReportEventCoverage: Sendable, Equatable {
    public var events: Int
    /// Seconds since 1970 (UTC) of the first and last event.
    public var first: Int64
    public var last: Int64

    public init(events: Int, first: Int64, last: Int64) {
        self.events = events
        self.first = first
        self.last = last
    }
}

/// A region (or another name) with its total of a metric.
public struct ReportEventTotal: Sendable, Equatable {
    public var name: String
    public var value: Int

    public init(name: String, value: Int) {
        self.name = name
        self.value = value
    }
}

/// A store without events.
public struct NoReportEvents: ReportEventSource {
    public init() {}
    public func eventCoverage() throws -> ReportEventCoverage? { nil }
    public func monthly(metric: String, language: String?, region: String?, since: Int64?, until: Int64?) throws -> [TimelinePoint] { [] }
    public func topRegions(metric: String, language: String?, since: Int64?, until: Int64?, limit: Int) throws -> [ReportEventTotal] { [] }
    public func total(metric: String, language: String?, region: String?, since: Int64, until: Int64) throws -> Int { 0 }
}

/// The events metrics section 5 draws, in order.
public enum ReportEventMetrics {
    public static let drawn = ["stars", "new-repos", "prs-opened"]
}
