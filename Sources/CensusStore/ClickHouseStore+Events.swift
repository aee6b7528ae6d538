import CensusEvents
import Foundation

/// GitHub events in ClickHouse: SQLite's event tables with every absent text as `''`, a `merged` of
/// -1 for unknown, and `saved_at` on the file rows (docs/schema.md, "Events in ClickHouse").
///
/// ClickHouse has no transactions and no unique keys, so a file's events are written under a new
/// random `file_id` first and its `github_event_files` row last: only events of a recorded file are
/// ever counted, so a killed ingest leaves nothing half visible, and its rerun writes the file again
/// under a new id. Events are counted once per dedupe key (`uniqExact(event_id)`), so an event
/// written twice (a rerun, or an event in two hour files) counts once, as in SQLite. On a cluster the
/// tables are sharded by repository, so every event of a repository lives on one shard.
extension ClickHouseStore {
    static let eventFilesTable = Table(
        name: "github_event_files",
        columns: [
            ("file_id", "Int64"), ("name", "String"), ("path", "String"), ("size", "Int64"), ("status", "String"),
            ("options", "String"), ("lines", "Int64"), ("events", "Int64"), ("stored", "Int64"), ("duplicates", "Int64"),
            ("filtered", "Int64"), ("malformed", "Int64"), ("error", "Nullable(String)"), ("ingested_at", "Int64"),
            ("saved_at", "Int64"),
        ],
        orderBy: "(name, saved_at)", shardingKey: "cityHash64(name)")

    static let eventsTable = Table(
        name: "github_events",
        columns: [
            ("event_id", "Int64"), ("created_at", "Int64"), ("type", "String"), ("repo", "String"), ("repo_id", "Int64"),
            ("org", "String"), ("actor", "String"), ("action", "String"), ("ref_type", "String"), ("merged", "Int8"),
            ("company", "String"), ("country", "String"), ("region", "String"), ("is_bot", "UInt8"), ("file_id", "Int64"),
        ],
        orderBy: "(type, repo, created_at, event_id)", shardingKey: "cityHash64(repo)")

    static let repoLanguagesTable = Table(
        name: "github_repo_languages",
        columns: [("repo", "String"), ("source", "String"), ("language", "String"), ("seen_at", "Int64")],
        orderBy: "(repo, source, seen_at)", shardingKey: "cityHash64(repo)")

    static let eventTables = [eventFilesTable, eventsTable, repoLanguagesTable]

    /// Rows per insert: a whole hour file is a few inserts.
    static let eventInsertRows = 200_000

    // MARK: - Writing

    public func eventFile(named name: String) throws -> StoredEventFile? {
        let action = "read the ingest of \(name)"
        let found = try answer(
            """
            SELECT argMax(path, saved_at) AS file_path, argMax(size, saved_at) AS file_size, \
            argMax(status, saved_at) AS file_status, argMax(options, saved_at) AS file_options, \
            argMax(lines, saved_at) AS file_lines, argMax(events, saved_at) AS file_events, \
            sum(stored) AS file_stored, argMax(duplicates, saved_at) AS file_duplicates, \
            argMax(filtered, saved_at) AS file_filtered, argMax(malformed, saved_at) AS file_malformed, \
            argMax(error, saved_at) AS file_error, argMax(ingested_at, saved_at) AS file_time \
            FROM github_event_files WHERE name = \(bind: name) GROUP BY name
            """, doing: action)
        return try reading(action) {
            try found.rows.first.map { row in
                StoredEventFile(
                    name: name, path: try found.string(row, "file_path"), size: Int64(try found.int(row, "file_size")),
                    status: StoredEventFile.Status(rawValue: try found.string(row, "file_status")) ?? .partial,
                    options: try found.string(row, "file_options"), lines: try found.int(row, "file_lines"),
                    events: try found.int(row, "file_events"), stored: try found.int(row, "file_stored"),
                    duplicates: try found.int(row, "file_duplicates"), filtered: try found.int(row, "file_filtered"),
                    malformed: try found.int(row, "file_malformed"), error: try found.text(row, "file_error"),
                    ingestedAt: Int64(try found.int(row, "file_time")))
            }
        }
    }

    /// Writes one read of a file: each chunk's events (TabSeparated, straight from the batch's
    /// arena) under one new `file_id` as `body` hands them over, then the read's language
    /// sightings, then its row, which makes the events counted: a read that is killed or fails
    /// leaves events no query counts (and sightings never written). Events already visible are
    /// counted as duplicates (and stay stored twice, counted once).
    public func saveEventFile(
        named name: String, _ body: (_ save: (EventBatch) throws -> Void) throws -> StoredEventFile
    ) throws -> EventSaveResult {
        try checkOpen()
        if isReadOnly {
            throw CensusStoreError(.readOnly, path: displayLocation, repository: name, message: "the store was opened for queries only")
        }
        let fileID = PendingScan.newID()
        let action = "store the events of \(name)"
        var given = 0
        var sightings = LanguageSightings()
        let file = try body { batch in
            var start = 0
            repeat {
                let end = min(batch.count, start + Self.eventInsertRows)
                let rows = Self.eventRows(batch, range: start..<end, fileID: fileID)
                if !rows.isEmpty {
                    try execute(
                        "INSERT INTO \(qualified(Self.eventsTable.name)) (\(Self.eventsTable.columnList)) FORMAT TabSeparated",
                        data: rows, settings: [("insert_distributed_sync", "1")], repository: name, doing: action)
                }
                start = end
            } while start < batch.count
            given += batch.count
            for observation in batch.languages {
                sightings.add(
                    repo: batch.string(observation.repo) ?? "", source: observation.source.description,
                    language: batch.string(observation.language) ?? "", seenAt: observation.seenAt)
            }
        }
        try insert(into: Self.repoLanguagesTable, sightings.rows(), repository: name, doing: action)

        // Events of this read already visible before it: duplicates (an id listed twice within the
        // file counts as one too).
        let counted = try select(
            """
            SELECT uniqExact(event_id) AS distinct_events, \
            uniqExactIf(event_id, event_id GLOBAL IN (SELECT event_id FROM github_events WHERE file_id != \(fileID) \
            AND file_id GLOBAL IN (SELECT file_id FROM github_event_files))) AS seen_events \
            FROM github_events WHERE file_id = \(fileID)
            """, doing: action)
        let (distinct, seen) = try reading(action) { () throws -> (Int, Int) in
            guard let row = counted.rows.first else { return (0, 0) }
            return (try counted.int(row, "distinct_events"), try counted.int(row, "seen_events"))
        }
        let result = EventSaveResult(stored: distinct - seen, duplicates: given - (distinct - seen))
        let savedAt = pending.withLock { $0.reserveSavedAt(1) }
        let record = Self.eventFileRow(file, fileID: fileID, result: result, savedAt: savedAt)
        // Last: the read's events become visible with it.
        try insert(into: Self.eventFilesTable, record, repository: name, doing: action)
        return result
    }

    /// A read's language sightings, the latest per (repository, source) as SQLite keeps them
    /// (a later time wins; at the same time the greater language), held until the file row.
    struct LanguageSightings {
        private var latest: [String: (repo: String, source: String, language: String, seenAt: Int64)] = [:]

        mutating func add(repo: String, source: String, language: String, seenAt: Int64) {
            let key = repo + "\u{0}" + source
            if let current = latest[key],
                current.seenAt > seenAt || (current.seenAt == seenAt && current.language >= language)
            {
                return
            }
            latest[key] = (repo, source, language, seenAt)
        }

        func rows() -> ClickHouseSQL.RowWriter {
            var writer = ClickHouseSQL.RowWriter()
            for key in latest.keys.sorted() {
                guard let sighting = latest[key] else { continue }
                writer.field(sighting.repo)
                writer.field(sighting.source)
                writer.field(sighting.language)
                writer.field(sighting.seenAt)
                writer.endRow()
            }
            return writer
        }
    }

    /// The `github_event_files` row of a file.
    static func eventFileRow(
        _ file: StoredEventFile, fileID: Int64, result: EventSaveResult, savedAt: Int64
    ) -> ClickHouseSQL.RowWriter {
        var record = ClickHouseSQL.RowWriter()
        record.field(fileID)
        record.field(file.name)
        record.field(file.path)
        record.field(file.size)
        record.field(file.status.rawValue)
        record.field(file.options)
        record.field(file.lines)
        record.field(file.events)
        record.field(result.stored)
        record.field(result.duplicates)
        record.field(file.filtered)
        record.field(file.malformed)
        record.field(file.error)
        record.field(file.ingestedAt)
        record.field(savedAt)
        record.endRow()
        return record
    }

    /// The TabSeparated rows of events `range`, escaped as ``ClickHouseSQL/appendField(_:to:)`` does.
    static func eventRows(_ batch: EventBatch, range: Range<Int>, fileID: Int64) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(range.count * 160)
        let columns = EventBatch.columnCount
        func number(_ value: Int64) {
            if value == 0 {
                out.append(UInt8(ascii: "0"))
                return
            }
            var v = value.magnitude
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var count = 0
            withUnsafeMutableBytes(of: &digits) { buffer in
                while v > 0 {
                    buffer[count] = UInt8(v % 10) + 0x30
                    v /= 10
                    count += 1
                }
                if value < 0 { out.append(UInt8(ascii: "-")) }
                for index in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[index]) }
            }
        }
        batch.arena.withUnsafeBufferPointer { arena in
            func text(_ value: EventText) {
                guard !value.isNull else { return }
                for byte in arena[Int(value.offset)..<Int(value.offset + value.length)] {
                    switch byte {
                    case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                    case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                    case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                    case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                    case 0x00: out += [UInt8(ascii: "\\"), UInt8(ascii: "0")]
                    case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
                    case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
                    default: out.append(byte)
                    }
                }
            }
            let tab = UInt8(0x09)
            for event in range {
                let texts = event * columns
                number(batch.keys[event])
                out.append(tab)
                number(batch.times[event])
                out.append(tab)
                text(batch.texts[texts + EventBatch.Column.type.rawValue])
                out.append(tab)
                text(batch.texts[texts + EventBatch.Column.repo.rawValue])
                out.append(tab)
                number(batch.repoIDs[event])
                out.append(tab)
                text(batch.texts[texts + EventBatch.Column.org.rawValue])
                out.append(tab)
                text(batch.texts[texts + EventBatch.Column.actor.rawValue])
                out.append(tab)
                text(batch.texts[texts + EventBatch.Column.action.rawValue])
                out.append(tab)
                text(batch.texts[texts + EventBatch.Column.refType.rawValue])
                out.append(tab)
                number(Int64(batch.merged[event]))
                out.append(tab)
                text(batch.texts[texts + EventBatch.Column.company.rawValue])
                out.append(tab)
                text(batch.texts[texts + EventBatch.Column.country.rawValue])
                out.append(tab)
                text(batch.texts[texts + EventBatch.Column.region.rawValue])
                out.append(tab)
                out.append(batch.bots[event] ? UInt8(ascii: "1") : UInt8(ascii: "0"))
                out.append(tab)
                number(fileID)
                out.append(0x0A)
            }
        }
        return out
    }

    public func saveRepositoryLanguages(_ languages: [(repo: String, language: String)], at time: Int64) throws {
        try checkOpen()
        var rows = ClickHouseSQL.RowWriter()
        for (repo, language) in languages {
            rows.field(repo.lowercased())
            rows.field("file")
            rows.field(language)
            rows.field(time)
            rows.endRow()
        }
        try insert(into: Self.repoLanguagesTable, rows, doing: "store repository languages")
    }

    // MARK: - Questions

    var eventQueries: EventQueries { EventQueries(dialect: .clickhouse) }

    public func repositoryLanguages() throws -> [String: String] {
        let action = "read the repositories' languages"
        let found = try answer(eventQueries.repositoryLanguages(), doing: action)
        return try reading(action) {
            var result: [String: String] = [:]
            for row in found.rows {
                let language = try found.string(row, "repo_language")
                if !language.isEmpty { result[try found.string(row, "repo")] = language }
            }
            return result
        }
    }

    public func eventTop(_ metric: EventMetric, by group: EventGroup, filter: EventFilter, limit: Int) throws
        -> EventAnswer<EventRankingRow>
    {
        let action = "rank events by \(group.rawValue)"
        let found = try answer(eventQueries.top(metric, by: group, filter, limit: limit), doing: action)
        let rows = try reading(action) {
            try found.rows.map { row in
                let name = try found.string(row, "group_name")
                return EventRankingRow(name: name.isEmpty ? nil : name, value: try found.int(row, "group_value"))
            }
        }
        let unknown = group == .language || filter.language != nil ? try eventTotalWithoutLanguage(metric, filter: filter) : nil
        return EventAnswer(rows: rows, unknownLanguage: unknown)
    }

    public func eventTimeline(_ metric: EventMetric, by period: EventPeriod, filter: EventFilter) throws
        -> EventAnswer<TimelinePoint>
    {
        let action = "draw the events' timeline"
        let found = try answer(eventQueries.timeline(metric, by: period, filter), doing: action)
        let points = try reading(action) {
            try found.rows.map { row in
                TimelinePoint(period: try found.string(row, "period_name"), value: try found.int(row, "period_value"))
            }
        }
        let unknown = filter.language != nil ? try eventTotalWithoutLanguage(metric, filter: filter) : nil
        return EventAnswer(rows: Self.filled(points, by: period, filter: filter), unknownLanguage: unknown)
    }

    public func eventTotal(_ metric: EventMetric, filter: EventFilter) throws -> Int {
        let action = "count events"
        let found = try answer(eventQueries.total(metric, filter), doing: action)
        return try reading(action) { try found.rows.first.map { try found.int($0, "total_value") } ?? 0 }
    }

    public func eventTotalWithoutLanguage(_ metric: EventMetric, filter: EventFilter) throws -> Int {
        let action = "count events without a language"
        let found = try answer(eventQueries.total(metric, filter, unknownLanguageOnly: true), doing: action)
        return try reading(action) { try found.rows.first.map { try found.int($0, "total_value") } ?? 0 }
    }
}

extension ClickHouseStore: EventStore {}
