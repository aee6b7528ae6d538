/// Mention series in ClickHouse: SQLite's two tables plus `saved_at`. A save never replaces rows in
/// place: it writes the series' points under a new `saved_at`, then one `mention_series` row (last,
/// so a reader sees the new points whole or not at all). Only the rows of a series' latest save are
/// current (docs/schema.md, "Mention series tables").
extension ClickHouseStore {
    static let mentionSeriesTable = Table(
        name: "mention_series",
        columns: [
            ("series", "String"), ("period_unit", "String"), ("date_methods", "String"), ("documents", "Int64"),
            ("skipped", "Int64"), ("stored_at", "Int64"), ("census_version", "String"), ("saved_at", "Int64"),
        ],
        orderBy: "(series, saved_at)", shardingKey: "cityHash64(series)")

    static let mentionSeriesPointsTable = Table(
        name: "mention_series_points",
        columns: [
            ("series", "String"), ("pattern", "String"), ("regex", "String"), ("period", "String"),
            ("documents", "Int64"), ("matches", "Int64"), ("period_documents", "Int64"), ("saved_at", "Int64"),
        ],
        orderBy: "(series, pattern, period, saved_at)", shardingKey: "cityHash64(series)")

    static let mentionTables = [mentionSeriesTable, mentionSeriesPointsTable]

    /// Stores a series under a new `saved_at` (the earlier saves stay, no longer current).
    ///
    /// - Throws: ``CensusStoreError``: `readOnly`, `unexpectedData` for an empty name or a period
    ///   unit other than month or year, or a failed insert (the earlier series stays current).
    public func saveMentionSeries(
        _ series: String, periodUnit: String, dateMethods: String, documents: Int, skipped: Int,
        points: [StoredMentionPoint], storedAt: Int, censusVersion: String
    ) throws {
        try checkOpen()
        if isReadOnly {
            throw CensusStoreError(.readOnly, path: displayLocation, message: "the store was opened for queries only")
        }
        guard !series.isEmpty else {
            throw CensusStoreError(.unexpectedData, path: displayLocation, message: "a series needs a name (--store NAME)")
        }
        guard periodUnit == "month" || periodUnit == "year" else {
            throw CensusStoreError(
                .unexpectedData, path: displayLocation, message: "period unit '\(periodUnit)' is not month or year")
        }
        let savedAt = pending.withLock { $0.reserveSavedAt(1) }
        // SQLite's primary key (series, pattern, period): a point given twice keeps its later copy.
        var index: [String: Int] = [:]
        var unique: [StoredMentionPoint] = []
        for point in points {
            let key = point.pattern + "\u{0}" + point.period
            if let at = index[key] {
                unique[at] = point
            } else {
                index[key] = unique.count
                unique.append(point)
            }
        }
        var rows = ClickHouseSQL.RowWriter()
        for point in unique {
            rows.field(series)
            rows.field(point.pattern)
            rows.field(point.regex)
            rows.field(point.period)
            rows.field(point.documents)
            rows.field(point.matches)
            rows.field(point.periodDocuments)
            rows.field(savedAt)
            rows.endRow()
        }
        var head = ClickHouseSQL.RowWriter()
        head.field(series)
        head.field(periodUnit)
        head.field(dateMethods)
        head.field(documents)
        head.field(skipped)
        head.field(storedAt)
        head.field(censusVersion)
        head.field(savedAt)
        head.endRow()
        let action = "store the mentions series \(series)"
        try insert(into: Self.mentionSeriesPointsTable, rows, doing: action)
        // Last: makes the points above current.
        try insert(into: Self.mentionSeriesTable, head, doing: action)
    }

    /// The names of the stored series, sorted.
    public func storedMentionSeries() throws -> [String] {
        let action = "list the mentions series"
        let found = try answer("SELECT DISTINCT series FROM mention_series ORDER BY series", doing: action)
        return try reading(action) { try found.rows.map { try found.string($0, "series") } }
    }

    /// Every row of a series' latest save, by pattern then period; empty when there is no such series.
    public func mentionSeriesRows(_ series: String) throws -> [StoredMentionPoint] {
        let action = "read the mentions series \(series)"
        let query: SQLText = """
            SELECT period, pattern, regex, documents, matches, period_documents FROM mention_series_points \
            WHERE series = \(bind: series) AND (series, saved_at) GLOBAL IN \
            (SELECT series, max(saved_at) FROM mention_series WHERE series = \(bind: series) GROUP BY series) \
            ORDER BY pattern, period
            """
        let found = try answer(query, doing: action)
        return try reading(action) {
            try found.rows.map { row in
                StoredMentionPoint(
                    period: try found.string(row, "period"), pattern: try found.string(row, "pattern"),
                    regex: try found.string(row, "regex"), documents: try found.int(row, "documents"),
                    matches: try found.int(row, "matches"), periodDocuments: try found.int(row, "period_documents"))
            }
        }
    }
}

extension ClickHouseStore: MentionSeriesStore {}
