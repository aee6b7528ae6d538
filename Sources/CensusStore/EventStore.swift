import CensusEvents

/// What storing one file's events did.
public struct EventSaveResult: Sendable, Equatable {
    /// Events new to the store.
    public var stored: Int
    /// Events the store already held (the same dedupe key), left as they were.
    public var duplicates: Int

    public init(stored: Int, duplicates: Int) {
        self.stored = stored
        self.duplicates = duplicates
    }
}

/// A result store that also keeps GitHub events: ``CensusDatabase`` (SQLite) or
/// ``ClickHouseStore``, with the same answers over the same files (docs/events.md, docs/schema.md
/// "Events").
///
/// The methods block: call them from threads census owns.
public protocol EventStore: ResultStore {
    /// The latest ingest of a file (by its name), if any.
    func eventFile(named name: String) throws -> StoredEventFile?

    /// Stores one file's events, its repository-language sightings and its `github_event_files`
    /// row together: in SQLite one transaction; in ClickHouse the events first and the file row
    /// last, which makes them visible. Events already stored are left as they are.
    ///
    /// A long file comes in several batches (`census events ingest` stores it a chunk at a time):
    /// all but the last with the file's row marked partial.
    ///
    /// - Parameter file: The file's row; its `stored` is filled in here, and its `duplicates`
    ///   (those of the earlier chunks of the same read, 0 for the first) get the batch's added.
    func saveEvents(_ batch: EventBatch, file: StoredEventFile) throws -> EventSaveResult

    /// Stores `--repo-languages` rows (`owner/name` lowercased → language) as the lowest-ranked
    /// source, seen at `time`.
    func saveRepositoryLanguages(_ languages: [(repo: String, language: String)], at time: Int64) throws

    /// Every repository's resolved language, by lowercased `owner/name` (for `--keep-language`).
    func repositoryLanguages() throws -> [String: String]

    /// The groups with the most of a metric.
    func eventTop(_ metric: EventMetric, by group: EventGroup, filter: EventFilter, limit: Int) throws
        -> EventAnswer<EventRankingRow>

    /// The metric per period, periods without events given as 0 from the first period of the data
    /// (or of `since`) to the last (or that of `until`).
    func eventTimeline(_ metric: EventMetric, by period: EventPeriod, filter: EventFilter) throws
        -> EventAnswer<TimelinePoint>

    /// The metric over everything the filter lets through.
    func eventTotal(_ metric: EventMetric, filter: EventFilter) throws -> Int

    /// The metric over the events the filter lets through whose repository has no known language
    /// (the filter's language ignored).
    func eventTotalWithoutLanguage(_ metric: EventMetric, filter: EventFilter) throws -> Int
}

extension EventStore {
    /// Fills the periods from the first (that of `since`, when given) to the last (that of the
    /// last second before `until`, when given) with zeros where there were no events.
    static func filled(_ points: [TimelinePoint], by period: EventPeriod, filter: EventFilter) -> [TimelinePoint] {
        var starts: [Int64] = []
        var ends: [Int64] = []
        if let first = points.first, let start = EventPeriodLabel.start(of: first.period, period) { starts.append(start) }
        if let last = points.last, let start = EventPeriodLabel.start(of: last.period, period) { ends.append(start) }
        if let since = filter.since { starts.append(since) }
        if let until = filter.until { ends.append(until - 1) }
        guard let from = starts.min(), let through = ends.max(), from <= through else { return points }
        let known = Dictionary(points.map { ($0.period, $0.value) }, uniquingKeysWith: { a, _ in a })
        return period.labels(from: from, through: through).map { TimelinePoint(period: $0, value: known[$0] ?? 0) }
    }
}

/// Reading a period's label back to its first second.
enum EventPeriodLabel {
    static func start(of label: String, _ period: EventPeriod) -> Int64? {
        let parts = label.split(separator: "-")
        func number(_ index: Int) -> Int? { index < parts.count ? Int(parts[index]) : nil }
        var days: Int?
        switch period {
        case .day, .week:
            if let y = number(0), let m = number(1), let d = number(2) { days = EventCalendar.days(y, m, d) }
        case .month:
            if let y = number(0), let m = number(1) { days = EventCalendar.days(y, m, 1) }
        case .quarter:
            if let y = number(0), parts.count == 2, parts[1].hasPrefix("Q"), let q = Int(parts[1].dropFirst()) {
                days = EventCalendar.days(y, (q - 1) * 3 + 1, 1)
            }
        case .year:
            if let y = number(0) { days = EventCalendar.days(y, 1, 1) }
        }
        return days.map { Int64($0) * 86_400 }
    }
}
