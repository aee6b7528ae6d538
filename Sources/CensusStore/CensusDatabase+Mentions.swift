import GRDB

/// One period of one pattern of a stored mentions series (docs/schema.md, "Mention series").
public struct StoredMentionPoint: Sendable, Equatable {
    /// `2024-03` (by month) or `2024` (by year).
    public var period: String
    public var pattern: String
    /// The pattern's regular expression as given.
    public var regex: String
    /// Documents of the period in which the pattern occurs.
    public var documents: Int
    /// Its matches in them.
    public var matches: Int
    /// All documents counted in the period.
    public var periodDocuments: Int

    public init(period: String, pattern: String, regex: String, documents: Int, matches: Int, periodDocuments: Int) {
        self.period = period
        self.pattern = pattern
        self.regex = regex
        self.documents = documents
        self.matches = matches
        self.periodDocuments = periodDocuments
    }
}

/// What a stored series' values are.
public enum MentionSeriesMeasure: String, Sendable, CaseIterable {
    /// Documents in which the pattern occurs.
    case documents
    /// Matches of the pattern.
    case matches
    /// Documents in which the pattern occurs, divided by the period's documents.
    case share
}

/// A value per period, in period order: what correlations and comparisons take.
public struct SeriesPoint: Sendable, Equatable {
    public var period: String
    public var value: Double

    public init(period: String, value: Double) {
        self.period = period
        self.value = value
    }
}

extension CensusDatabase {
    /// Schema version 5: series of pattern mentions in dated documents (`census mentions --store`).
    static let schemaV5 = [
        """
        CREATE TABLE mention_series (
            series TEXT NOT NULL PRIMARY KEY,
            period_unit TEXT NOT NULL CHECK (period_unit IN ('month', 'year')),
            date_methods TEXT NOT NULL,
            documents INTEGER NOT NULL,
            skipped INTEGER NOT NULL,
            stored_at INTEGER NOT NULL,
            census_version TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE mention_series_points (
            series TEXT NOT NULL REFERENCES mention_series (series) ON DELETE CASCADE,
            pattern TEXT NOT NULL,
            regex TEXT NOT NULL,
            period TEXT NOT NULL,
            documents INTEGER NOT NULL,
            matches INTEGER NOT NULL,
            period_documents INTEGER NOT NULL,
            PRIMARY KEY (series, pattern, period)
        ) WITHOUT ROWID
        """,
    ]

    /// Stores a series, replacing any earlier series of that name, in one transaction (a killed
    /// run leaves the old series or the new one, never a mix).
    ///
    /// - Parameters:
    ///   - series: The series' name (`--store NAME`).
    ///   - periodUnit: `month` or `year`.
    ///   - dateMethods: How documents were dated, e.g. `front-matter,filename`.
    ///   - documents: Documents counted; `skipped`: files not counted.
    ///   - storedAt: Seconds since 1970.
    /// - Throws: ``CensusStoreError``.
    public func saveMentionSeries(
        _ series: String, periodUnit: String, dateMethods: String, documents: Int, skipped: Int,
        points: [StoredMentionPoint], storedAt: Int, censusVersion: String
    ) throws {
        guard !series.isEmpty else {
            throw CensusStoreError(.unexpectedData, path: path, message: "a series needs a name (--store NAME)")
        }
        guard periodUnit == "month" || periodUnit == "year" else {
            throw CensusStoreError(.unexpectedData, path: path, message: "period unit '\(periodUnit)' is not month or year")
        }
        try writeTransaction { db in
            try db.execute(sql: "DELETE FROM mention_series_points WHERE series = ?", arguments: [series])
            try db.execute(sql: "DELETE FROM mention_series WHERE series = ?", arguments: [series])
            try db.execute(
                sql: """
                    INSERT INTO mention_series (series, period_unit, date_methods, documents, skipped, stored_at, census_version)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [series, periodUnit, dateMethods, documents, skipped, storedAt, censusVersion])
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO mention_series_points (series, pattern, regex, period, documents, matches, period_documents)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
            for point in points {
                try insert.execute(arguments: [
                    series, point.pattern, point.regex, point.period, point.documents, point.matches, point.periodDocuments,
                ])
            }
        }
    }

    /// The names of the stored series, sorted.
    public func storedMentionSeries() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT series FROM mention_series ORDER BY series") }
    }

    /// Every stored row of a series (all patterns), by pattern then period; empty when there is
    /// no such series.
    public func mentionSeriesRows(_ series: String) throws -> [StoredMentionPoint] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT period, pattern, regex, documents, matches, period_documents FROM mention_series_points
                    WHERE series = ? ORDER BY pattern, period
                    """,
                arguments: [series])
            return rows.map {
                StoredMentionPoint(
                    period: $0["period"], pattern: $0["pattern"], regex: $0["regex"], documents: $0["documents"],
                    matches: $0["matches"], periodDocuments: $0["period_documents"])
            }
        }
    }
}

extension CensusDatabase: MentionSeriesStore {}
