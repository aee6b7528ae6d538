import CensusLanguages
import CensusReports
import CensusStore

/// The report's GitHub events, answered by a store's events queries: the very calls `census events
/// timeline --by month`, `census events top --by region` and `census events compare` make, so on a
/// traced SQLite store their SQL is what the report records (docs/report.md, "Events").
public struct StoreReportEvents: ReportEventSource {
    let store: any EventCoverageStore

    public init(_ store: any EventCoverageStore) {
        self.store = store
    }

    /// The events source for a store the report opened: the store's events when it keeps them,
    /// else none.
    public static func source(for store: any ResultStore) -> any ReportEventSource {
        (store as? any EventCoverageStore).map { StoreReportEvents($0) } ?? NoReportEvents()
    }

    public func eventCoverage() throws -> ReportEventCoverage? {
        try store.eventCoverage().map { ReportEventCoverage(events: $0.events, first: $0.first, last: $0.last) }
    }

    public func monthly(metric: String, language: String?, region: String?, since: Int64?, until: Int64?) throws -> [TimelinePoint] {
        let filter = EventFilter(language: Self.language(language), region: region, since: since, until: until)
        return try store.eventTimeline(try Self.metric(metric), by: .month, filter: filter).rows
    }

    /// The regions in `events top --by region`'s order; its row of events whose region is unknown
    /// is left out (no timeline can be asked for it), so the report draws the known regions among
    /// the first `limit`.
    public func topRegions(metric: String, language: String?, since: Int64?, until: Int64?, limit: Int) throws -> [ReportEventTotal] {
        let filter = EventFilter(language: Self.language(language), since: since, until: until)
        return try store.eventTop(try Self.metric(metric), by: .region, filter: filter, limit: limit).rows.compactMap { row in
            row.name.map { ReportEventTotal(name: $0, value: row.value) }
        }
    }

    public func total(metric: String, language: String?, region: String?, since: Int64, until: Int64) throws -> Int {
        let filter = EventFilter(language: Self.language(language), region: region, since: since, until: until)
        return try store.eventTotal(try Self.metric(metric), filter: filter)
    }

    /// A language as `census events --language` takes it: Linguist's name when census knows it.
    static func language(_ name: String?) -> String? {
        name.map { LanguageTable.named($0)?.name ?? $0 }
    }

    static func metric(_ name: String) throws -> EventMetric {
        guard let metric = EventMetric(rawValue: name) else {
            throw ReportOptionError(
                option: "--compare", value: "events." + name,
                reason: "not an events metric (" + EventMetric.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        return metric
    }
}
