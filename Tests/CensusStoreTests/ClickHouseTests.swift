import Foundation
import Testing

@testable import CensusStore

/// The corpus of `Corpus`, then rescans: `core` replaced three times (so that on a cluster its scans
/// land on more than one shard) and `app` twice with file rows.
///
/// After the rescans `core` is: Go 6 files, 1,200 code, 120 comment, 60 blank, 36,000 bytes (all bar
/// bytes); Rust 2 files, 800 code, 80 comment, 40 blank, 24,000 bytes; own total 2,000; only in
/// cohort `cncf`; no Python, nothing generated. `app` holds 3 file rows.
enum Rescanned {
    static let coreV2: (StoredRepository, [StoredLanguageTotal]) = {
        var repository = Corpus.repositories[2].0
        repository.cohorts = ["cncf"]
        repository.commit = String(repeating: "C4", count: 20)  // stored lowercased
        repository.scannedAt = 1_720_000_000
        return (
            repository,
            [
                total("Go", .programming, files: 6, code: 1_200, comment: 120, blank: 60, bytes: 36_000, bar: 36_000),
                total("Rust", .programming, files: 2, code: 800, comment: 80, blank: 40, bytes: 24_000, bar: 24_000),
            ]
        )
    }()

    /// Saves everything, in the same order into any store.
    static func load(into store: any ResultStore) throws {
        for (repository, languages) in Corpus.repositories {
            try store.save(repository: repository, languages: languages, files: [])
        }
        let coreV1 = Corpus.repositories[2]
        for (repository, languages) in [coreV2, coreV1, coreV2] {
            try store.save(repository: repository, languages: languages, files: [])
        }
        let app = Corpus.repositories[4]
        try store.save(repository: app.0, languages: app.1, files: files(5))
        try store.save(repository: app.0, languages: app.1, files: files(3))
    }

    static let languages = ["Go", "Python", "Markdown", "Rust"]
    static let cohorts: [String?] = [nil, "cncf", "sandbox", "no-such-cohort"]
}

/// Compares two stores' answers to every query over the loaded corpus: exactly, but shares and
/// percentages within 1e-9.
struct AnswerComparison {
    let reference: any ResultStore
    let other: any ResultStore
    var queries = 0

    /// Which arguments each query is asked with.
    struct Scope {
        var topLanguages: [String]
        var shareLanguages: [String]
        var cohorts: [String?]
        var thresholds: [Double]
        var limits: [Int]

        /// Every language (and one nobody writes), cohort, several thresholds and limits.
        static let full = Scope(
            topLanguages: Rescanned.languages + ["Nothing"], shareLanguages: ["Go", "Rust", "Nothing"],
            cohorts: Rescanned.cohorts, thresholds: [0, 0.1, 0.4, 1.0], limits: [20, 2, 0])
        /// Every group, metric, unit and grouping, for the languages and cohorts the rescan changed
        /// (a cluster answers each query in tens of milliseconds, not a few).
        static let groupings = Scope(
            topLanguages: ["Go", "Rust"], shareLanguages: ["Go"], cohorts: [nil, "sandbox"], thresholds: [0.1, 0.4],
            limits: [20, 2])
    }

    static func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 }

    mutating func compareEverything(_ scope: Scope = .full, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for language in scope.topLanguages {
            for group in RankingGroup.allCases {
                for metric in RankingMetric.allCases {
                    for cohort in scope.cohorts {
                        for limit in language == scope.topLanguages[0] ? scope.limits : [scope.limits[0]] {
                            let expected = try reference.top(
                                language: language, by: group, metric: metric, cohort: cohort, limit: limit)
                            let actual = try other.top(
                                language: language, by: group, metric: metric, cohort: cohort, limit: limit)
                            queries += 1
                            let same =
                                expected.count == actual.count
                                && zip(expected, actual).allSatisfy { e, a in
                                    var rounded = a
                                    rounded.share = e.share
                                    return rounded == e && Self.same(e.share, a.share)
                                }
                            #expect(
                                same,
                                "top(\(language), by: \(group), metric: \(metric), cohort: \(cohort ?? "-"), limit: \(limit))\nexpected \(expected)\nactual   \(actual)",
                                sourceLocation: sourceLocation)
                        }
                    }
                }
            }
        }
        for language in scope.shareLanguages {
            for unit in ShareUnit.allCases {
                for group in [nil, .cohort, .company] as [ShareGroup?] {
                    for cohort in scope.cohorts {
                        for threshold in scope.thresholds {
                            let expected = try reference.share(
                                language: language, by: group, threshold: threshold, unit: unit, cohort: cohort)
                            let actual = try other.share(
                                language: language, by: group, threshold: threshold, unit: unit, cohort: cohort)
                            queries += 1
                            #expect(
                                expected == actual,
                                "share(\(language), by: \(group.map(\.rawValue) ?? "-"), threshold: \(threshold), unit: \(unit), cohort: \(cohort ?? "-"))",
                                sourceLocation: sourceLocation)
                        }
                    }
                }
            }
        }
        for cohort in scope.cohorts {
            let expected = try reference.breakdown(cohort: cohort)
            let actual = try other.breakdown(cohort: cohort)
            queries += 1
            let same =
                expected.count == actual.count
                && zip(expected, actual).allSatisfy { e, a in
                    var rounded = a
                    rounded.percentage = e.percentage
                    return rounded == e && Self.same(e.percentage, a.percentage)
                }
            #expect(
                same, "breakdown(cohort: \(cohort ?? "-"))\nexpected \(expected)\nactual   \(actual)",
                sourceLocation: sourceLocation)

            queries += 1
            #expect(
                try reference.repositories(cohort: cohort) == other.repositories(cohort: cohort),
                "repositories(cohort: \(cohort ?? "-"))", sourceLocation: sourceLocation)
        }
        queries += 1
        #expect(try reference.rowCounts() == other.rowCounts(), sourceLocation: sourceLocation)
        for (repository, _) in Corpus.repositories {
            for commit in [repository.commit, Rescanned.coreV2.0.commit, String(repeating: "0", count: 40), nil] {
                queries += 1
                #expect(
                    try reference.isUpToDate(key: repository.key, commit: commit)
                        == other.isUpToDate(key: repository.key, commit: commit),
                    "isUpToDate(\(repository.key), \(commit ?? "nil"))", sourceLocation: sourceLocation)
            }
        }
    }
}

/// Hand-worked answers after ``Rescanned/load(into:)``, true of every store.
func expectRescannedAnswers(_ store: any ResultStore, sourceLocation: SourceLocation = #_sourceLocation) throws {
    // Own Go by company: Initech 2,000 of 2,000; Acme api 800 + web 400 = 1,200 of 2,000 = 0.6;
    // Globex core 1,200 of core 2,000 + tools 1,000 = 3,000 = 0.4. Acme and Globex tie on code (and on
    // bytes, 36,000): the name decides.
    #expect(
        try store.top(language: "Go", by: .company, metric: .code, cohort: nil, limit: 20) == [
            LanguageRankingRow(
                name: "Initech", code: 2_000, bytes: 60_000, files: 20, repositories: 1, ownCode: 2_000, share: 1.0),
            LanguageRankingRow(
                name: "Acme", code: 1_200, bytes: 36_000, files: 12, repositories: 2, ownCode: 2_000, share: 0.6),
            LanguageRankingRow(
                name: "Globex", code: 1_200, bytes: 36_000, files: 6, repositories: 1, ownCode: 3_000, share: 0.4),
        ], sourceLocation: sourceLocation)
    // Organisations by share: initech 1.0, acme-labs 0.8, then acme-cloud 400/1,000 and globex
    // 1,200/3,000, both 0.4 exactly: by name.
    #expect(
        try store.top(language: "Go", by: .org, metric: .share, cohort: nil, limit: 20).map(\.name) == [
            "initech", "acme-labs", "acme-cloud", "globex",
        ], sourceLocation: sourceLocation)
    // core left sandbox: sandbox is api and app, Go 800 + 2,000 of 1,000 + 2,000.
    #expect(
        try store.top(language: "Go", by: .cohort, metric: .code, cohort: "sandbox", limit: 20).map(\.code) == [2_800],
        sourceLocation: sourceLocation)
    // Python is now only in web (600) and tools (1,000); core's 2,700 are gone.
    #expect(
        try store.top(language: "Python", by: .repository, metric: .code, cohort: nil, limit: 20).map(\.code) == [
            1_000, 600,
        ], sourceLocation: sourceLocation)
    // Rust: core 800 of 2,000.
    #expect(
        try store.top(language: "Rust", by: .repository, metric: .share, cohort: nil, limit: 20).map(\.share) == [0.4],
        sourceLocation: sourceLocation)
    // Repositories at 10 % Go: api 0.8, web 0.4, core 0.6, app 1.0 yes, tools no → 4 of 5; Go 800 + 400 +
    // 1,200 + 2,000 = 4,400 of 7,000.
    #expect(
        try store.share(language: "Go", by: nil, threshold: 0.1, unit: .repository, cohort: nil) == [
            LanguageShareRow(group: nil, unitsMatching: 4, unitsTotal: 5, languageCode: 4_400, ownCode: 7_000)
        ], sourceLocation: sourceLocation)
    // Bar bytes: Go 24,000 + 12,000 + 36,000 + 60,000 = 132,000; Python 18,000 + 30,000 = 48,000; Rust
    // 24,000; Markdown 0.
    let breakdown = try store.breakdown(cohort: nil)
    #expect(breakdown.map(\.language) == ["Go", "Python", "Rust", "Markdown"], sourceLocation: sourceLocation)
    #expect(breakdown.map(\.breakdownBytes) == [132_000, 48_000, 24_000, 0], sourceLocation: sourceLocation)
    // Excluded Go: only the api's vendored 5,000 lines (core's generated file went with v1).
    #expect(breakdown.first?.excluded.code == 5_000, sourceLocation: sourceLocation)
    // Repositories 5; cohorts api 2 + web 1 + core 1 + app 1 = 5; language rows 3 + 2 + 2 + 2 + 1 = 10;
    // the 3 file rows of app's last save.
    #expect(
        try store.rowCounts()
            == StoreRowCounts(repositories: 5, cohortMemberships: 5, languageRows: 10, fileRows: 3),
        sourceLocation: sourceLocation)
    let core = try store.repositories(cohort: "cncf").first { $0.repository.key == Corpus.core }
    #expect(core?.repository.commit == String(repeating: "c4", count: 20), sourceLocation: sourceLocation)
    #expect(core?.repository.cohorts == ["cncf"], sourceLocation: sourceLocation)
    #expect(
        core?.own == StoredCounts(files: 8, code: 2_000, comment: 200, blank: 100, bytes: 60_000),
        sourceLocation: sourceLocation)
    #expect(
        try store.isUpToDate(key: Corpus.core, commit: String(repeating: "C4", count: 20)),
        sourceLocation: sourceLocation)
    #expect(
        try !store.isUpToDate(key: Corpus.core, commit: Corpus.repositories[2].0.commit), sourceLocation: sourceLocation
    )
}

/// Strings that break naive quoting, escaping or TSV: quotes, backslashes, line breaks, tabs, NUL,
/// `\N`, placeholders, and text that was not UTF-8 (Swift replaced its bytes with U+FFFD).
let hostileStrings = [
    "", "'", "\\", "\\'", "'; DROP TABLE repositories; --", "a\nb", "a\tb", "\r\n", "\u{0}", "nul\u{0}inside", "\\N",
    "?", "`", "\"", "naïve 🙂 中文", "\u{7F}\u{1}\u{1F}", String(decoding: [0x41, 0xC3, 0x28, 0xFF], as: UTF8.self),
    "trailing backslash \\", "%27%20", "\u{FEFF}bom",
]

@Suite(.serialized) struct ClickHouseTests {
    @Test(.enabled(if: TestServers.hasClickHouse, TestServers.noClickHouse))
    func oneServerAnswersLikeSQLite() throws {
        let server = try ClickHouseServer()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }

        let sqlite = try CensusDatabase.open(path: directory.file("reference.sqlite"))
        try Rescanned.load(into: sqlite)
        try expectRescannedAnswers(sqlite)

        let clickhouse = try openStore(.clickhouse(server.endpoint(database: "census")))
        try Rescanned.load(into: clickhouse)
        try expectRescannedAnswers(clickhouse)
        var comparison = AnswerComparison(reference: sqlite, other: clickhouse)
        try comparison.compareEverything()
        #expect(comparison.queries > 500)

        // Opening again finds the tables and the version; old scans are still there, never current.
        let again = try ClickHouseStore.open(server.endpoint(database: "census"), readOnly: true)
        #expect(try again.rowCounts() == sqlite.rowCounts())
        #expect(again.serverVersion.hasPrefix("18.") || !again.serverVersion.isEmpty)
        #expect(try server.run("SELECT count() FROM census.repositories") == "10\n")
        #expect(
            try server.run("SELECT engine FROM system.tables WHERE database = 'census' AND name = 'repositories'")
                == "MergeTree\n")
        try clickhouse.close()
        #expect(throws: CensusStoreError.self) { try clickhouse.rowCounts() }
    }

    @Test(.enabled(if: TestServers.hasClickHouse, TestServers.noClickHouse))
    func hostileStringsRoundTrip() throws {
        let server = try ClickHouseServer()
        defer { server.stop() }
        let store = try ClickHouseStore.open(server.endpoint(database: "hostile"), batchLimits: .immediate)

        for text in hostileStrings {
            let rows = try store.select("SELECT \(ClickHouseSQL.literal(text)) AS v", doing: "echo")
            #expect(try rows.rows.count == 1 && rows.text(rows.rows[0], "v") == text, "\(Array(text.utf8))")
        }
        // Raw bytes, not UTF-8 at all, compared through hex() so nothing decodes them.
        for bytes: [UInt8] in [[0xFF, 0xFE, 0x00, 0x27, 0x5C], Array(0...255), [0xC3], [0x5C, 0x4E]] {
            let rows = try store.select("SELECT hex(\(ClickHouseSQL.literal(bytes: bytes))) AS h", doing: "hex")
            let expected = bytes.map { String(format: "%02X", $0) }.joined()
            #expect(try rows.text(rows.rows[0], "h") == expected)
        }

        // The same strings as keys, names, cohorts, languages and paths: read back exactly, and as
        // SQLite reads them back. (SQLite, through GRDB, cuts text at a NUL, so strings holding one
        // are saved in ClickHouse only and compared with what was saved.)
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let sqlite = try CensusDatabase.open(path: directory.file("hostile.sqlite"))
        var saved: [StoredRepositoryRow] = []
        for (index, text) in hostileStrings.enumerated() {
            let repository = StoredRepository(
                key: "k\(index)" + text, location: text, host: text, owner: text, name: text, org: "o" + text,
                company: text, cohorts: ["c" + text, text], revision: text, defaultBranch: text, remoteURL: text,
                scannedAt: Int64(index), censusVersion: text)
            let languages = [
                total("L" + text, .programming, files: 1, code: 10 + index, comment: 0, blank: 0, bytes: 100, bar: 100)
            ]
            let file = StoredFile(
                path: "p" + text, language: "L" + text, code: 10, comment: 0, blank: 0, bytes: 100, strategy: text)
            // SQLite would store "\0" as "", colliding with the empty string: it gets the others only.
            for target in (text.contains("\u{0}") ? [store] : [sqlite, store]) as [any ResultStore] {
                try target.save(repository: repository, languages: languages, files: [file])
            }
            var sorted = repository
            sorted.cohorts.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            saved.append(
                StoredRepositoryRow(
                    repository: sorted, own: StoredCounts(files: 1, code: 10 + index, bytes: 100), breakdownBytes: 100))
        }
        let byBytes: (String, String) -> Bool = { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let stored = try store.repositories(cohort: nil)
        #expect(stored == saved.sorted { byBytes($0.repository.key, $1.repository.key) })
        let withoutNUL = Set(saved.map(\.repository.key).filter { !$0.contains("\u{0}") })
        #expect(try sqlite.repositories(cohort: nil) == stored.filter { withoutNUL.contains($0.repository.key) })
        for (index, text) in hostileStrings.enumerated() {
            let answer = try store.top(language: "L" + text, by: .company, metric: .code, cohort: "c" + text, limit: 5)
            #expect(
                answer == [
                    LanguageRankingRow(
                        name: text, code: 10 + index, bytes: 100, files: 1, repositories: 1, ownCode: 10 + index,
                        share: 1)
                ], "\(Array(text.utf8))")
            if !text.contains("\u{0}") {
                #expect(
                    try sqlite.top(language: "L" + text, by: .company, metric: .code, cohort: "c" + text, limit: 5)
                        == answer)
            }
        }
        // Every language has 100 bar bytes; own code (10 + index) orders them.
        #expect(try store.breakdown(cohort: nil).map(\.language) == hostileStrings.reversed().map { "L" + $0 })
        #expect(try store.rowCounts().fileRows == hostileStrings.count)
        let paths = try server.run("SELECT path FROM hostile.repository_files ORDER BY path FORMAT TabSeparated")
        let parsed = try ClickHouseSQL.parseTabSeparatedWithNames(Array(("path\n" + paths).utf8))
        #expect(
            try parsed.rows.map { try parsed.string($0, "path") } == hostileStrings.map { "p" + $0 }.sorted(by: byBytes)
        )
    }

    @Test(.enabled(if: TestServers.hasClickHouse, TestServers.noClickHouse))
    func errorsNameTheURLAndTheServerButNeverThePassword() throws {
        let server = try ClickHouseServer()
        defer { server.stop() }
        let url = "clickhouse://census@127.0.0.1:\(server.httpPort)/errors"

        // Wrong password.
        let wrong = "not-" + ClickHouseServer.password
        do {
            _ = try ClickHouseStore.open(server.endpoint(database: "errors", password: wrong))
            Issue.record("a wrong password was accepted")
        } catch let error as CensusStoreError {
            #expect(error.code == .authenticationFailed)
            #expect(error.path == url)
            #expect("\(error)".contains("Wrong password for user census"))
            #expect("\(error)".contains(ClickHouseEndpoint.passwordVariable))
            #expect(!"\(error)".contains(wrong) && !"\(error)".contains(ClickHouseServer.password))
        }

        // Nothing listening.
        let closed = try TestServers.freePorts(1)[0]
        var nowhere = server.endpoint(database: "errors")
        nowhere.port = closed
        do {
            _ = try ClickHouseStore.open(nowhere, connectTimeout: 2)
            Issue.record("a closed port was reachable")
        } catch let error as CensusStoreError {
            #expect(error.code == .unreachable)
            #expect(error.path == "clickhouse://census@127.0.0.1:\(closed)/errors")
            #expect(error.cause?.contains("refused") == true, "\(error)")
            #expect(!"\(error)".contains(ClickHouseServer.password))
        }

        // The native port speaks no HTTP.
        var native = server.endpoint(database: "errors")
        native.port = server.tcpPort
        #expect(throws: CensusStoreError.self) { _ = try ClickHouseStore.open(native, connectTimeout: 2) }

        // A database that was never created, opened read-only: the server's own message.
        do {
            _ = try ClickHouseStore.open(server.endpoint(database: "missing"), readOnly: true)
            Issue.record("a missing database was opened")
        } catch let error as CensusStoreError {
            #expect(error.code == .notACensusDatabase || error.code == .clickhouseFailure, "\(error)")
            #expect(error.path == "clickhouse://census@127.0.0.1:\(server.httpPort)/missing")
        }

        // A query the server refuses: its message is the cause.
        let store = try ClickHouseStore.open(server.endpoint(database: "errors"))
        do {
            _ = try store.select("SELEC 1", doing: "test a syntax error")
            Issue.record("a syntax error was accepted")
        } catch let error as CensusStoreError {
            #expect(error.code == .clickhouseFailure)
            #expect(error.cause?.hasPrefix("Code: 62, DB::Exception: Syntax error") == true, "\(error)")
            #expect(error.path == url)
        }

        // Another application's table of the same name is refused, not written into.
        _ = try server.run("CREATE DATABASE other")
        _ = try server.run("CREATE TABLE other.repositories (x Int64) ENGINE = MergeTree ORDER BY x")
        #expect(throws: CensusStoreError.self) { _ = try ClickHouseStore.open(server.endpoint(database: "other")) }

        // A newer census's schema is refused.
        _ = try server.run("INSERT INTO errors.census_meta VALUES ('schema_version', '99')")
        do {
            _ = try ClickHouseStore.open(server.endpoint(database: "errors"))
            Issue.record("a newer schema was accepted")
        } catch let error as CensusStoreError {
            #expect(error.code == .newerSchema)
        }

        // --cluster with an SQLite file, or a cluster the server does not know.
        #expect(throws: CensusStoreError.self) { _ = try openStore(.sqlite(path: "/tmp/x.sqlite"), cluster: "c") }
        do {
            _ = try ClickHouseStore.open(server.endpoint(database: "errors2"), cluster: "nope")
            Issue.record("an unknown cluster was accepted")
        } catch let error as CensusStoreError {
            #expect(error.code == .invalidLocation)
            #expect(error.message.contains("no cluster 'nope'"))
        }
    }

    @Test(.enabled(if: TestServers.hasClickHouse, TestServers.noClickHouse))
    func heldSavesAreWrittenInBatchesAndRetriedAfterAFailure() throws {
        let server = try ClickHouseServer()
        defer { server.stop() }
        let store = try ClickHouseStore.open(
            server.endpoint(database: "batches"), batchLimits: .init(repositories: 3, rows: 1_000_000, seconds: 3_600))
        let go = total("Go", .programming, files: 1, code: 100, comment: 0, blank: 0, bytes: 1_000)
        try store.save(repository: repository("a", commit: String(repeating: "a", count: 40)), languages: [go])
        try store.save(repository: repository("b"), languages: [go])
        // Held, not yet written; isUpToDate sees the held save.
        #expect(try server.run("SELECT count() FROM batches.repositories") == "0\n")
        #expect(try store.isUpToDate(key: "a", commit: String(repeating: "A", count: 40)))
        // The third save completes the batch.
        try store.save(repository: repository("c"), languages: [go])
        #expect(try server.run("SELECT count() FROM batches.repositories") == "3\n")

        // The server loses the table: the write fails, the save is held, and written once it is back.
        try store.save(repository: repository("d"), languages: [go])
        _ = try server.run("RENAME TABLE batches.repository_languages TO batches.hidden")
        #expect(throws: CensusStoreError.self) { try store.flush() }
        _ = try server.run("RENAME TABLE batches.hidden TO batches.repository_languages")
        #expect(try store.top(language: "Go", by: .org, metric: .code, cohort: nil, limit: 5).map(\.code) == [400])
        #expect(
            try store.rowCounts() == StoreRowCounts(repositories: 4, cohortMemberships: 0, languageRows: 4, fileRows: 0)
        )
    }

    @Test(.enabled(if: TestServers.hasClickHouse && TestServers.hasZooKeeper, TestServers.noZooKeeper))
    func twoShardClusterAnswersLikeSQLite() throws {
        let cluster = try ClickHouseCluster(shards: 2)
        defer { cluster.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }

        let sqlite = try CensusDatabase.open(path: directory.file("reference.sqlite"))
        try Rescanned.load(into: sqlite)

        // Written through the first server, with tables on both shards.
        let first: any ResultStore
        do {
            first = try openStore(
                try StoreLocation.parse(
                    "clickhouse://census@127.0.0.1:\(cluster.shards[0].httpPort)/census",
                    environment: [ClickHouseEndpoint.passwordVariable: ClickHouseServer.password]),
                cluster: ClickHouseCluster.name)
        } catch {
            Issue.record(
                "the servers' error logs:\n\(cluster.shards.map { $0.errorLogTail() }.joined(separator: "\n"))")
            throw error
        }
        try Rescanned.load(into: first)
        try expectRescannedAnswers(first)
        var comparison = AnswerComparison(reference: sqlite, other: first)
        try comparison.compareEverything(.groupings)

        // Every shard has its own local tables and some of the rows.
        var languageRowCount = 0
        for shard in cluster.shards {
            #expect(
                try shard.run(
                    "SELECT engine FROM system.tables WHERE database = 'census' AND name = 'repositories_local'")
                    == "MergeTree\n")
            #expect(
                try shard.run("SELECT engine FROM system.tables WHERE database = 'census' AND name = 'repositories'")
                    == "Distributed\n")
            let rows = Int(try shard.run("SELECT count() FROM census.repository_languages_local").dropLast()) ?? -1
            #expect(rows > 0)
            languageRowCount += rows
        }
        // 11 corpus rows, core's three rescans (2 + 3 + 2) and app's two (1 + 1).
        #expect(languageRowCount == 11 + 7 + 2)

        // The second server, opened without --cluster, answers the same through the Distributed tables;
        // a second census process writing there (N machines, one cluster) is seen by both.
        let second = try openStore(.clickhouse(cluster.shards[1].endpoint(database: "census")))
        comparison = AnswerComparison(reference: sqlite, other: second)
        try comparison.compareEverything(.groupings)
        let extra = StoredRepository(
            key: "github.com/umbrella/x", location: "https://github.com/umbrella/x", org: "umbrella",
            company: "Umbrella", cohorts: ["cncf"], commit: String(repeating: "e5", count: 20),
            scannedAt: 1_730_000_000,
            censusVersion: "0.1.0")
        let languages = [total("Go", .programming, files: 1, code: 5_000, comment: 0, blank: 0, bytes: 1, bar: 1)]
        for store in [sqlite, second] as [any ResultStore] {
            try store.save(repository: extra, languages: languages, files: [])
            try store.flush()
        }
        comparison = AnswerComparison(reference: sqlite, other: first)
        try comparison.compareEverything(.groupings)
        #expect(
            try first.top(language: "Go", by: .company, metric: .code, cohort: nil, limit: 1).map(\.name) == [
                "Umbrella"
            ])

        // A single-server store is not taken for a cluster's: refused before anything is created on
        // the other shard.
        _ = try ClickHouseStore.open(cluster.shards[0].endpoint(database: "single"))
        do {
            _ = try ClickHouseStore.open(
                cluster.shards[0].endpoint(database: "single"), cluster: ClickHouseCluster.name)
            Issue.record("a single-server store was opened as a cluster's")
        } catch let error as CensusStoreError {
            #expect(error.code == .notACensusDatabase)
            #expect(error.message.contains("single-server"))
        }
        #expect(try cluster.shards[1].run("SELECT count() FROM system.databases WHERE name = 'single'") == "0\n")
    }
}
