import Foundation
import Testing

@testable import CensusStore

/// Mention series in ClickHouse (a real server on loopback) give what SQLite gives over the same
/// saves, including a replacement; the values are the hand-made points of MentionSeriesTests.
@Suite(.serialized) struct ClickHouseMentionTests {
    func point(_ period: String, _ pattern: String, _ documents: Int, _ matches: Int, of total: Int) -> StoredMentionPoint {
        StoredMentionPoint(period: period, pattern: pattern, regex: "\\b\(pattern)\\b", documents: documents, matches: matches, periodDocuments: total)
    }

    @Test(.enabled(if: TestServers.hasClickHouse, TestServers.noClickHouse))
    func seriesAnswerLikeSQLite() throws {
        let server = try ClickHouseServer()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let sqlite = try CensusDatabase.open(path: directory.file("mentions.sqlite"))
        let clickhouse = try ClickHouseStore.open(server.endpoint(database: "census"))
        let first = [
            point("2024-02", "go", 2, 4, of: 2), point("2024-01", "go", 2, 5, of: 2), point("2024-01", "java", 1, 2, of: 2),
            point("2024-02", "java", 0, 0, of: 2),
        ]
        for store in [sqlite, clickhouse] as [any MentionSeriesStore] {
            try store.saveMentionSeries(
                "tenders", periodUnit: "month", dateMethods: "front-matter", documents: 4, skipped: 1, points: first,
                storedAt: 1_700_000_000, censusVersion: "test")
            try store.saveMentionSeries(
                "ads", periodUnit: "year", dateMethods: "mtime", documents: 3, skipped: 0,
                points: [point("2023", "rust", 1, 1, of: 3)], storedAt: 1_700_000_000, censusVersion: "test")
        }
        for store in [sqlite, clickhouse] as [any MentionSeriesStore] {
            #expect(try store.storedMentionSeries() == ["ads", "tenders"])
            #expect(try store.mentionSeries("tenders/go") == [SeriesPoint(period: "2024-01", value: 2), SeriesPoint(period: "2024-02", value: 2)])
            #expect(try store.mentionSeries("tenders/java", measure: .share).map(\.value) == [0.5, 0])
            #expect(try store.mentionSeries("ads", measure: .matches) == [SeriesPoint(period: "2023", value: 1)])
            #expect(throws: CensusStoreError.self) { _ = try store.mentionSeries("tenders") }
            #expect(throws: CensusStoreError.self) { _ = try store.mentionSeries("none") }
        }
        #expect(try sqlite.mentionSeriesRows("tenders") == clickhouse.mentionSeriesRows("tenders"))

        // Stored again: only the latest save is current (ClickHouse keeps the old rows, unread).
        for store in [sqlite, clickhouse] as [any MentionSeriesStore] {
            try store.saveMentionSeries(
                "tenders", periodUnit: "year", dateMethods: "filename", documents: 2, skipped: 0,
                points: [point("2024", "go", 2, 9, of: 2)], storedAt: 1_700_000_001, censusVersion: "test")
            #expect(try store.mentionSeries("tenders", measure: .matches) == [SeriesPoint(period: "2024", value: 9)])
        }
        #expect(try server.run("SELECT count() FROM census.mention_series_points") == "6\n")
        try clickhouse.close()
        try sqlite.close()

        // A read-only reopening reads the tables.
        let reopened = try ClickHouseStore.open(server.endpoint(database: "census"), readOnly: true)
        #expect(try reopened.mentionSeriesPoints("ads").count == 1)
        try reopened.close()
    }
}
