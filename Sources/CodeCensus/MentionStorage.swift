import CensusDocuments
import CensusStore

#if canImport(Glibc)
    import Glibc
#endif

/// Turns a `census mentions` report into a stored series (docs/schema.md, "Mention series").
public enum MentionStorage {
    /// The report's rows as stored points: one per pattern per period that has documents (zeros
    /// included, so series line up period by period).
    public static func points(_ report: MentionReport) -> [StoredMentionPoint] {
        let regexes = Dictionary(report.patterns.map { ($0.name, $0.source) }, uniquingKeysWith: { a, _ in a })
        return report.rows.map { row in
            StoredMentionPoint(
                period: row.period, pattern: row.pattern, regex: regexes[row.pattern] ?? "", documents: row.documents,
                matches: row.matches, periodDocuments: row.periodDocuments)
        }
    }

    /// Stores the report as series `name` in the store (SQLite or ClickHouse), replacing a series
    /// of that name.
    public static func save(_ report: MentionReport, as name: String, in store: any MentionSeriesStore) throws {
        try store.saveMentionSeries(
            name, periodUnit: report.period.rawValue, dateMethods: report.dateMethods.map(\.rawValue).joined(separator: ","),
            documents: report.documents.count, skipped: report.problems.count, points: points(report),
            storedAt: Int(time(nil)), censusVersion: CensusVersion.string)
    }
}
