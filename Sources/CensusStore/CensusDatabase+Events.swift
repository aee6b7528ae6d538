import CensusEvents
import GRDB
import GRDBSQLite

extension CensusDatabase {
    /// Schema version 4: GitHub events (docs/schema.md, "Events").
    static let schemaV4 = [
        """
        CREATE TABLE github_event_files (
            file_id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            path TEXT NOT NULL,
            size INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('complete', 'partial')),
            options TEXT NOT NULL,
            lines INTEGER NOT NULL,
            events INTEGER NOT NULL,
            stored INTEGER NOT NULL,
            duplicates INTEGER NOT NULL,
            filtered INTEGER NOT NULL,
            malformed INTEGER NOT NULL,
            error TEXT,
            ingested_at INTEGER NOT NULL
        )
        """,
        """
        CREATE TABLE github_events (
            event_id INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            type TEXT NOT NULL,
            repo TEXT,
            repo_id INTEGER,
            org TEXT,
            actor TEXT,
            action TEXT,
            ref_type TEXT,
            merged INTEGER,
            company TEXT,
            country TEXT,
            region TEXT,
            is_bot INTEGER NOT NULL,
            file_id INTEGER NOT NULL,
            PRIMARY KEY (created_at, event_id)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE github_repo_languages (
            repo TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('timeline', 'pull-request', 'file')),
            language TEXT NOT NULL,
            seen_at INTEGER NOT NULL,
            PRIMARY KEY (repo, source)
        ) WITHOUT ROWID
        """,
    ]

    // MARK: - Writing

    /// The latest ingest of a file, by name.
    public func eventFile(named name: String) throws -> StoredEventFile? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM github_event_files WHERE name = ?", arguments: [name]).map(
                Self.eventFile)
        }
    }

    static func eventFile(_ row: Row) -> StoredEventFile {
        StoredEventFile(
            name: row["name"], path: row["path"], size: row["size"],
            status: StoredEventFile.Status(rawValue: row["status"]) ?? .partial, options: row["options"],
            lines: row["lines"], events: row["events"], stored: row["stored"], duplicates: row["duplicates"],
            filtered: row["filtered"], malformed: row["malformed"], error: row["error"], ingestedAt: row["ingested_at"])
    }

    /// Stores one read of a file in one `IMMEDIATE` transaction around the whole read: its events
    /// (every chunk `body` hands to `save`), its language sightings and its row. A killed ingest
    /// leaves the file as it was before the read, however many chunks had been written; SQLite
    /// spills the transaction's pages to the write-ahead log, so memory stays that of a chunk.
    /// Events already stored (`INSERT OR IGNORE` on the dedupe key) are counted as duplicates and
    /// left as they were. Values are bound straight from each batch's arena through one prepared
    /// statement.
    ///
    /// The table is clustered by (`created_at`, `event_id`): an event has one time wherever it is
    /// read, so the key dedupes as `event_id` alone would, and an hour file's events land at the
    /// end of the table instead of at the random places the Timeline's hashed keys would put them
    /// (random keys make every insert touch a different page once the table outgrows the cache).
    public func saveEventFile(
        named name: String, _ body: (_ save: (EventBatch) throws -> Void) throws -> StoredEventFile
    ) throws -> EventSaveResult {
        var result = EventSaveResult(stored: 0, duplicates: 0)
        try writeTransaction(repository: name) { db in
            let fileID: Int64
            let earlierStored: Int
            if let existing = try Row.fetchOne(
                db, sql: "SELECT file_id, stored FROM github_event_files WHERE name = ?", arguments: [name])
            {
                fileID = existing["file_id"]
                earlierStored = existing["stored"]
            } else {
                // A placeholder for the file's id, filled in below in the same transaction.
                try db.execute(
                    sql: """
                        INSERT INTO github_event_files (name, path, size, status, options, lines, events, stored, \
                        duplicates, filtered, malformed, error, ingested_at) VALUES (?, '', 0, 'partial', '', 0, 0, 0, 0, 0, 0, NULL, 0)
                        """, arguments: [name])
                fileID = db.lastInsertedRowID
                earlierStored = 0
            }
            let insert = try db.makeStatement(
                sql: """
                    INSERT OR IGNORE INTO github_events (event_id, created_at, type, repo, repo_id, org, actor, action, \
                    ref_type, merged, company, country, region, is_bot, file_id) \
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let language = try db.makeStatement(
                sql: """
                    INSERT INTO github_repo_languages (repo, source, language, seen_at) VALUES (?, ?, ?, ?) \
                    ON CONFLICT (repo, source) DO UPDATE SET language = excluded.language, seen_at = excluded.seen_at \
                    WHERE excluded.seen_at > github_repo_languages.seen_at \
                    OR (excluded.seen_at = github_repo_languages.seen_at AND excluded.language > github_repo_languages.language)
                    """)
            var record = try body { batch in
                let stored = try Self.insertEvents(batch, fileID: fileID, statement: insert, db: db, path: path)
                result.stored += stored
                result.duplicates += batch.count - stored
                for observation in batch.languages {
                    try language.execute(arguments: [
                        batch.string(observation.repo), observation.source.description,
                        batch.string(observation.language), observation.seenAt,
                    ])
                }
            }
            // A file read again adds to what the earlier reads stored.
            record.stored = earlierStored + result.stored
            record.duplicates = result.duplicates
            try db.execute(
                sql: """
                    UPDATE github_event_files SET path = ?, size = ?, status = ?, options = ?, lines = ?, events = ?, \
                    stored = ?, duplicates = ?, filtered = ?, malformed = ?, error = ?, ingested_at = ? WHERE file_id = ?
                    """,
                arguments: [
                    record.path, record.size, record.status.rawValue, record.options, record.lines, record.events,
                    record.stored, record.duplicates, record.filtered, record.malformed, record.error, record.ingestedAt,
                    fileID,
                ])
        }
        return result
    }

    /// Binds and steps the insert once per event, straight from the batch's buffers.
    ///
    /// - Returns: How many rows were inserted (the others were already stored).
    static func insertEvents(
        _ batch: EventBatch, fileID: Int64, statement: Statement, db: Database, path: String
    ) throws -> Int {
        let handle = statement.sqliteStatement
        guard let connection = db.sqliteConnection else { return 0 }
        var inserted = 0
        let columns = EventBatch.columnCount
        // The text columns' positions in the statement, in EventBatch.Column order.
        let textParameter: [Int32] = [3, 4, 6, 7, 8, 9, 11, 12, 13]
        try batch.arena.withUnsafeBufferPointer { arena in
            let base = arena.baseAddress
            for event in 0..<batch.count {
                sqlite3_bind_int64(handle, 1, batch.keys[event])
                sqlite3_bind_int64(handle, 2, batch.times[event])
                for column in 0..<columns {
                    let text = batch.texts[event * columns + column]
                    let parameter = textParameter[column]
                    if text.isNull {
                        sqlite3_bind_null(handle, parameter)
                    } else if let base {
                        sqlite3_bind_text(
                            handle, parameter, UnsafeRawPointer(base + Int(text.offset)).assumingMemoryBound(to: CChar.self),
                            Int32(text.length), nil)
                    } else {
                        sqlite3_bind_text(handle, parameter, "", 0, nil)
                    }
                }
                let repoID = batch.repoIDs[event]
                if repoID == 0 { sqlite3_bind_null(handle, 5) } else { sqlite3_bind_int64(handle, 5, repoID) }
                let merged = batch.merged[event]
                if merged < 0 { sqlite3_bind_null(handle, 10) } else { sqlite3_bind_int64(handle, 10, Int64(merged)) }
                sqlite3_bind_int64(handle, 14, batch.bots[event] ? 1 : 0)
                sqlite3_bind_int64(handle, 15, fileID)
                let code = sqlite3_step(handle)
                guard code == SQLITE_DONE else {
                    let message = String(cString: sqlite3_errmsg(connection))
                    sqlite3_reset(handle)
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
                }
                inserted += Int(sqlite3_changes(connection))
                sqlite3_reset(handle)
            }
        }
        sqlite3_clear_bindings(handle)
        return inserted
    }

    /// Stores `--repo-languages` rows as source `file`.
    public func saveRepositoryLanguages(_ languages: [(repo: String, language: String)], at time: Int64) throws {
        try writeTransaction { db in
            let statement = try db.makeStatement(
                sql: """
                    INSERT INTO github_repo_languages (repo, source, language, seen_at) VALUES (?, 'file', ?, ?) \
                    ON CONFLICT (repo, source) DO UPDATE SET language = excluded.language, seen_at = excluded.seen_at
                    """)
            for (repo, language) in languages {
                try statement.execute(arguments: [repo.lowercased(), language, time])
            }
        }
    }

    // MARK: - Questions

    var eventQueries: EventQueries { EventQueries(dialect: .sqlite) }

    public func repositoryLanguages() throws -> [String: String] {
        let query = eventQueries.repositoryLanguages()
        return try read { db in
            var result: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: query.sql, arguments: query.statementArguments) {
                if let repo: String = row["repo"], let language: String = row["repo_language"] { result[repo] = language }
            }
            return result
        }
    }

    public func eventTop(_ metric: EventMetric, by group: EventGroup, filter: EventFilter, limit: Int) throws
        -> EventAnswer<EventRankingRow>
    {
        let query = eventQueries.top(metric, by: group, filter, limit: limit)
        let rows = try read { db in
            try Row.fetchAll(db, sql: query.sql, arguments: query.statementArguments).map { row in
                EventRankingRow(name: row["group_name"], value: row["group_value"])
            }
        }
        let unknown = group == .language || filter.language != nil ? try eventTotalWithoutLanguage(metric, filter: filter) : nil
        return EventAnswer(rows: rows, unknownLanguage: unknown)
    }

    public func eventTimeline(_ metric: EventMetric, by period: EventPeriod, filter: EventFilter) throws
        -> EventAnswer<TimelinePoint>
    {
        let query = eventQueries.timeline(metric, by: period, filter)
        let points = try read { db in
            try Row.fetchAll(db, sql: query.sql, arguments: query.statementArguments).map { row in
                TimelinePoint(period: row["period_name"], value: row["period_value"])
            }
        }
        let unknown = filter.language != nil ? try eventTotalWithoutLanguage(metric, filter: filter) : nil
        return EventAnswer(rows: Self.filled(points, by: period, filter: filter), unknownLanguage: unknown)
    }

    public func eventTotal(_ metric: EventMetric, filter: EventFilter) throws -> Int {
        let query = eventQueries.total(metric, filter)
        return try read { db in try Int.fetchOne(db, sql: query.sql, arguments: query.statementArguments) ?? 0 }
    }

    public func eventTotalWithoutLanguage(_ metric: EventMetric, filter: EventFilter) throws -> Int {
        let query = eventQueries.total(metric, filter, unknownLanguageOnly: true)
        return try read { db in try Int.fetchOne(db, sql: query.sql, arguments: query.statementArguments) ?? 0 }
    }
}

extension CensusDatabase: EventStore {}
