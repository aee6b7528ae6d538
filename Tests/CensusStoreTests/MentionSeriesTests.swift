import Foundation
import Testing

@testable import CensusStore

/// Mention series (schema v5): stored, replaced whole, read back as (period, value) points.
@Suite struct MentionSeriesTests {
    func point(_ period: String, _ pattern: String, _ documents: Int, _ matches: Int, of total: Int) -> StoredMentionPoint {
        StoredMentionPoint(period: period, pattern: pattern, regex: "\\b\(pattern)\\b", documents: documents, matches: matches, periodDocuments: total)
    }

    @Test func aSeriesIsStoredAndReadBackAsPoints() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try CensusDatabase.open(path: directory.file("mentions.sqlite"))
        try database.saveMentionSeries(
            "tenders", periodUnit: "month", dateMethods: "front-matter", documents: 7, skipped: 4,
            points: [
                point("2024-02", "go", 2, 4, of: 2), point("2024-01", "go", 2, 5, of: 2), point("2024-01", "java", 1, 2, of: 2),
                point("2024-02", "java", 0, 0, of: 2),
            ], storedAt: 1_700_000_000, censusVersion: "test")
        #expect(try database.mentionSeries("tenders/go") == [SeriesPoint(period: "2024-01", value: 2), SeriesPoint(period: "2024-02", value: 2)])
        #expect(try database.mentionSeries("tenders/go", measure: .matches).map(\.value) == [5, 4])
        #expect(try database.mentionSeries("tenders/java", measure: .share).map(\.value) == [0.5, 0])
        // Two patterns: the bare name is ambiguous and says so.
        #expect(throws: CensusStoreError.self) { _ = try database.mentionSeries("tenders") }
        do {
            _ = try database.mentionSeries("tenders")
        } catch {
            #expect("\(error)".contains("go, java"))
        }
        #expect(throws: CensusStoreError.self) { _ = try database.mentionSeries("nothing") }
        #expect(throws: CensusStoreError.self) { _ = try database.mentionSeries("tenders/rust") }

        // Storing again replaces the series whole.
        try database.saveMentionSeries(
            "tenders", periodUnit: "year", dateMethods: "mtime", documents: 1, skipped: 0,
            points: [point("2024", "go", 1, 3, of: 1)], storedAt: 1_700_000_001, censusVersion: "test")
        #expect(try database.mentionSeries("tenders") == [SeriesPoint(period: "2024", value: 1)])
        #expect(try database.mentionSeriesPoints("tenders").count == 1)
        try database.close()

        // A read-only reopening reads the series back.
        let reopened = try CensusDatabase.open(path: directory.file("mentions.sqlite"), readOnly: true)
        #expect(try reopened.mentionSeriesPoints("tenders", pattern: "go") == [point("2024", "go", 1, 3, of: 1)])
        try reopened.close()
    }
}
