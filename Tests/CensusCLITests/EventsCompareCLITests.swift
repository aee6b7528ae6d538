import CensusTestSupport
import CodeCensus
import Foundation
import Testing

/// `census events compare --with-series`: events of the CensusEventsTests fixture against a
/// mention series stored in the same database, correlated by the one Pearson implementation.
@Suite struct EventsCompareCLITests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CensusEventsTests/Fixtures/mixed-eras.json").path

    /// A database holding the fixture's events and a series `tenders` with pattern `go` whose
    /// documents are 1, 2, 3, 4 in 2024-01 … 2024-04 (matches 5, 5, 5, 6; 10 documents a month).
    static func store() throws -> String {
        let database = NSTemporaryDirectory() + "census-events-compare-\(UUID().uuidString).db"
        let ingest = try CLI.run(["events", "ingest", fixture, "--db", database])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let store = try CensusDatabase.open(path: database)
        defer { try? store.close() }
        let points = [(1, 5), (2, 5), (3, 5), (4, 6)].enumerated().map { index, counts in
            StoredMentionPoint(
                period: "2024-0\(index + 1)", pattern: "go", regex: "Go", documents: counts.0, matches: counts.1,
                periodDocuments: 10)
        }
        try store.saveMentionSeries(
            "tenders", periodUnit: "month", dateMethods: "front-matter", documents: 40, skipped: 0, points: points,
            storedAt: 1, censusVersion: "test")
        return database
    }

    static func remove(_ database: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
    }

    @Test func aStoredSeriesIsCorrelatedWithTheEvents() throws {
        let database = try Self.store()
        defer { Self.remove(database) }
        let run = try CLI.run([
            "events", "compare", "--date", "2024-03-01", "--window", "2m", "--metric", "events", "--by", "month",
            "--with-series", "tenders/go", "--format", "json", "--db", database,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try run.json()
        // The fixture's events per month (EventStoreTests.compareWindowsAndGrowth): 2, 2, 2, 3.
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.map { "\($0["period"]!) \($0["value"]!) \($0["with_value"]!)" } == [
            "2024-01 2 1", "2024-02 2 2", "2024-03 2 3", "2024-04 3 4",
        ])
        // By hand: x̄ = 2.25, ȳ = 2.5; Σ(x−x̄)(y−ȳ) = 0.375 + 0.125 − 0.125 + 1.125 = 1.5,
        // Σ(x−x̄)² = 3 × 0.0625 + 0.5625 = 0.75, Σ(y−ȳ)² = 2.25 + 0.25 + 0.25 + 2.25 = 5;
        // r = 1.5 / √3.75 = 0.7745966692…, which the JSON writes to six decimals.
        let correlation = try #require(json["correlation"] as? [String: Any])
        #expect(correlation["periods"] as? Int == 4)
        let r = try #require(correlation["r"] as? Double)
        #expect(abs(r - 0.774597) < 1e-12)

        // Matches 5, 5, 5, 6 against 2, 2, 2, 3: the same shape, r = 1 exactly.
        let matches = try CLI.run([
            "events", "compare", "--date", "2024-03-01", "--window", "2m", "--with-series", "tenders",
            "--series-measure", "matches", "--format", "json", "--db", database,
        ])
        #expect(matches.status == 0, "\(matches.stderr)")
        let matchesJSON = try matches.json()
        let r2 = try #require((matchesJSON["correlation"] as? [String: Any])?["r"] as? Double)
        #expect(abs(r2 - 1) < 1e-12)
        let query = try #require(matchesJSON["query"] as? [String: Any])
        #expect(query["with_series"] as? String == "tenders" && query["series_measure"] as? String == "matches")
    }

    @Test func aSeriesOfOtherPeriodsOrUnknownIsNamed() throws {
        let database = try Self.store()
        defer { Self.remove(database) }
        let yearly = try CLI.run([
            "events", "compare", "--date", "2024-03-01", "--by", "year", "--with-series", "tenders", "--db", database,
        ])
        #expect(yearly.status != 0)
        #expect(yearly.stderr.contains("series 'tenders' is per month"))
        let unknown = try CLI.run(["events", "compare", "--date", "2024-03-01", "--with-series", "nope", "--db", database])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no mentions series 'nope'"))
    }

    /// `--show-sql` prints every statement compare runs; the sqlite3 shell running them gives the
    /// totals and the series compare prints.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "sqlite3 is not installed"))
    func showSQLGivesWhatCompareCounts() throws {
        let database = try Self.store()
        defer { Self.remove(database) }
        let arguments = ["events", "compare", "--date", "2024-03-01", "--window", "2m", "--db", database]
        let sql = try CLI.run(arguments + ["--show-sql"])
        #expect(sql.status == 0, "\(sql.stderr)")
        let output = try Spawned.run(
            ["/usr/bin/sqlite3", "-readonly", database, String(decoding: sql.stdout, as: UTF8.self)],
            environment: ProcessInfo.processInfo.environment
        ).stdout
        // Before 4 and after 5 (events 101-104 and 105-109 of the fixture), then the months.
        #expect(String(decoding: output, as: UTF8.self) == "4\n5\n2024-01|2\n2024-02|2\n2024-03|2\n2024-04|3\n")
    }
}
