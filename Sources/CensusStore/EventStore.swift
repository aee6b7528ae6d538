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

    /// Stores one read of a file as a whole: `body` reads the file and hands each chunk of its
    /// events to `save` as it goes, then returns the file's `github_event_files` row. Everything
    /// `save` was given, the repository-language sightings and the row are stored together or not
    /// at all: in SQLite one transaction around the whole read; in ClickHouse the events under a
    /// new `file_id` as they come, the sightings and the file row last (only events of a recorded
    /// file are counted). A killed ingest, an error from `save` or one thrown by `body` leaves
    /// nothing of this read visible, however many chunks it had. Events already stored are left as
    /// they are.
    ///
    /// Memory does not grow with the file: each chunk is written when it comes (SQLite spills a
    /// large transaction's pages to its write-ahead log; ClickHouse keeps only the read's language
    /// sightings, one per repository and source, until the end).
    ///
    /// - Parameters:
    ///   - name: The file's name (its row's key).
    ///   - body: Reads the file; its returned row's `stored` and `duplicates` are filled in here
    ///     (what this read's events added, and found already stored).
    /// - Returns: What this read stored.
    func saveEventFile(
        named name: String, _ body: (_ save: (EventBatch) throws -> Void) throws -> StoredEventFile
    ) throws -> EventSaveResult

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
    /// Stores a file read as one batch (``saveEventFile(named:_:)`` with one chunk).
    public func saveEvents(_ batch: EventBatch, file: StoredEventFile) throws -> EventSaveResult {
        try saveEventFile(named: file.name) { save in
            try save(batch)
            return file
        }
    }

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
