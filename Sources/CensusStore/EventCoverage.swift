import GRDB

/// How many events a store holds and the times of the first and last (bots included): the
/// corpus line of `census report` ("GitHub events: N events from DAY to DAY").
public struct EventCoverage: Sendable, Equatable {
    public var events: Int
    /// UTC seconds of the first and last stored event.
    public var first: Int64
    public var last: Int64

    public init(events: Int, first: Int64, last: Int64) {
        self.events = events
        self.first = first
        self.last = last
    }
}

/// An events store that can say what it holds in brief.
public protocol EventCoverageStore: EventStore {
    /// Every stored event counted once (bots included), with the first and last event time; nil
    /// when the store holds none.
    func eventCoverage() throws -> EventCoverage?
}

extension EventQueries {
    /// The count, the first and the last time. In SQLite three statements, so that the minimum and
    /// the maximum are each read from one end of the `(created_at, event_id)` key instead of
    /// scanning; in ClickHouse one, counting each dedupe key once among recorded files.
    package func coverage() -> [SQLText] {
        if isClickHouse {
            return [
                """
                SELECT uniqExact(event_id) AS total_value, min(created_at) AS first_value, max(created_at) AS last_value \
                FROM github_events WHERE file_id GLOBAL IN (SELECT file_id FROM github_event_files)
                """
            ]
        }
        return [
            "SELECT COUNT(*) AS total_value FROM github_events",
            "SELECT MIN(created_at) AS first_value FROM github_events",
            "SELECT MAX(created_at) AS last_value FROM github_events",
        ]
    }
}

extension CensusDatabase: EventCoverageStore {
    public func eventCoverage() throws -> EventCoverage? {
        let queries = eventQueries.coverage()
        return try read { db in
            let total = try Int.fetchOne(db, sql: queries[0].sql, arguments: queries[0].statementArguments) ?? 0
            guard total > 0,
                let first = try Int64.fetchOne(db, sql: queries[1].sql, arguments: queries[1].statementArguments),
                let last = try Int64.fetchOne(db, sql: queries[2].sql, arguments: queries[2].statementArguments)
            else { return nil }
            return EventCoverage(events: total, first: first, last: last)
        }
    }
}

extension ClickHouseStore: EventCoverageStore {
    public func eventCoverage() throws -> EventCoverage? {
        let action = "count the stored events"
        let found = try answer(eventQueries.coverage()[0], doing: action)
        return try reading(action) {
            guard let row = found.rows.first else { return nil }
            let total = try found.int(row, "total_value")
            guard total > 0 else { return nil }
            return EventCoverage(
                events: total, first: Int64(try found.int(row, "first_value")), last: Int64(try found.int(row, "last_value")))
        }
    }
}
