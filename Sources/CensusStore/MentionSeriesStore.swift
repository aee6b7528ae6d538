/// A result store that also keeps mention series (`census mentions --store`): ``CensusDatabase``
/// (SQLite) or ``ClickHouseStore``, with the same answers over the same saves (docs/schema.md,
/// "Mention series tables").
///
/// The methods block: call them from threads census owns.
public protocol MentionSeriesStore: ResultStore {
    /// Stores a series, replacing any earlier series of that name: a reader sees the old series
    /// or the new one whole. See ``CensusDatabase/saveMentionSeries(_:periodUnit:dateMethods:documents:skipped:points:storedAt:censusVersion:)``.
    func saveMentionSeries(
        _ series: String, periodUnit: String, dateMethods: String, documents: Int, skipped: Int,
        points: [StoredMentionPoint], storedAt: Int, censusVersion: String
    ) throws

    /// The names of the stored series, sorted.
    func storedMentionSeries() throws -> [String]

    /// Every current row of a series (all patterns), by pattern then period; empty when there is
    /// no such series.
    func mentionSeriesRows(_ series: String) throws -> [StoredMentionPoint]
}

extension MentionSeriesStore {
    /// The stored points of one pattern of a series, in period order.
    ///
    /// - Parameter pattern: The pattern's name; nil when the series has only one pattern.
    /// - Throws: ``CensusStoreError`` (`unexpectedData`) when there is no such series or pattern,
    ///   or the pattern is nil and the series has several (the message lists them).
    public func mentionSeriesPoints(_ series: String, pattern: String? = nil) throws -> [StoredMentionPoint] {
        let rows = try mentionSeriesRows(series)
        guard !rows.isEmpty else {
            let names = try storedMentionSeries()
            // A series stored with no documents has no rows; it exists all the same.
            if names.contains(series) { return [] }
            throw CensusStoreError(
                .unexpectedData, path: displayLocation,
                message:
                    "no mentions series '\(series)' in the store (stored: \(names.isEmpty ? "none" : names.prefix(20).joined(separator: ", ")))")
        }
        var patterns: [String] = []
        for row in rows where patterns.last != row.pattern { patterns.append(row.pattern) }
        let chosen: String
        if let pattern {
            guard patterns.contains(pattern) else {
                throw CensusStoreError(
                    .unexpectedData, path: displayLocation,
                    message: "series '\(series)' has no pattern '\(pattern)' (it has \(patterns.joined(separator: ", ")))")
            }
            chosen = pattern
        } else {
            guard patterns.count == 1, let only = patterns.first else {
                throw CensusStoreError(
                    .unexpectedData, path: displayLocation,
                    message:
                        "series '\(series)' has \(patterns.count) patterns (\(patterns.joined(separator: ", "))): name one as \(series)/PATTERN")
            }
            chosen = only
        }
        return rows.filter { $0.pattern == chosen }
    }

    /// A stored series as (period, value) points, in period order: what `events compare
    /// --with-series` and `correlate` take.
    ///
    /// - Parameters:
    ///   - name: `SERIES/PATTERN`, or `SERIES` for a series with one pattern (a series whose own
    ///     name contains `/` is found by its whole name first).
    ///   - measure: Documents, matches, or the share of the period's documents.
    public func mentionSeries(_ name: String, measure: MentionSeriesMeasure = .documents) throws -> [SeriesPoint] {
        var series = name
        var pattern: String?
        if let slash = name.lastIndex(of: "/"), try !storedMentionSeries().contains(name) {
            series = String(name[..<slash])
            pattern = String(name[name.index(after: slash)...])
        }
        return try mentionSeriesPoints(series, pattern: pattern).map { point in
            let value: Double
            switch measure {
            case .documents: value = Double(point.documents)
            case .matches: value = Double(point.matches)
            case .share: value = point.periodDocuments > 0 ? Double(point.documents) / Double(point.periodDocuments) : 0
            }
            return SeriesPoint(period: point.period, value: value)
        }
    }
}
