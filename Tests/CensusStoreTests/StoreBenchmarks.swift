import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

@testable import CensusStore

/// The store's speed beside the `sqlite3` shell on the same data and SQL (docs/benchmarks.md).
/// Runs only with `CENSUS_BENCH=1` (timings are printed, never asserted):
///
///     CENSUS_BENCH=1 swift test -c release --filter StoreBenchmarks
@Suite("Store benchmarks", .serialized, .enabled(if: ProcessInfo.processInfo.environment["CENSUS_BENCH"] == "1"))
struct StoreBenchmarks {
    static let repositories = 10_000
    static let languages = [
        "Go", "Python", "JavaScript", "TypeScript", "Java", "C", "C++", "Rust", "Shell", "Ruby", "PHP", "Swift", "Kotlin",
        "Markdown", "YAML",
    ]
    static let filesPerRepository = 100

    /// A deterministic corpus: 10,000 repositories × 15 languages, 100 files each (1,000,000 rows).
    static func corpus(_ k: Int) -> (StoredRepository, [StoredLanguageTotal], [StoredFile]) {
        var seed = UInt64(k) &* 0x9E37_79B9_7F4A_7C15 | 1
        func next(_ bound: Int) -> Int {
            seed ^= seed << 13
            seed ^= seed >> 7
            seed ^= seed << 17
            return Int(seed % UInt64(bound))
        }
        let repository = StoredRepository(
            key: "github.com/org\(k % 700)/repo\(k)", location: "https://github.com/org\(k % 700)/repo\(k)", host: "github.com",
            owner: "org\(k % 700)", name: "repo\(k)", org: "org\(k % 700)", company: "company\(k % 300)",
            cohorts: k % 3 == 0 ? ["cncf-graduated", "observability"] : ["cncf-sandbox"], revision: "HEAD",
            commit: String(repeating: "a", count: 40), commitDate: 1_600_000_000, rootCommitDate: 1_500_000_000 + Int64(k),
            commitCount: 100, scannedAt: 1_700_000_000, censusVersion: "bench")
        var totals: [StoredLanguageTotal] = []
        var files: [StoredFile] = []
        for (i, language) in languages.enumerated() {
            let code = 1 + next(50_000)
            let type: StoredLanguageType = i >= 13 ? (language == "Markdown" ? .prose : .data) : .programming
            totals.append(
                StoredLanguageTotal(
                    language: language, type: type, files: filesPerRepository / languages.count + 1, code: code,
                    comment: code / 5, blank: code / 10, bytes: code * 30, breakdownBytes: type == .programming ? code * 30 : 0))
        }
        for f in 0 ..< filesPerRepository {
            let language = languages[f % languages.count]
            files.append(
                StoredFile(path: "src/dir\(f % 10)/file\(f).x", language: language, code: 1 + next(500), comment: 3, blank: 2, bytes: 900, strategy: "extension"))
        }
        return (repository, totals, files)
    }

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// A SQL literal for the shell (the store binds; the shell must read values in the text).
    static func literal(_ value: StoreValue) -> String {
        switch value {
        case .integer(let v): return "\(v)"
        case .real(let v): return "\(v)"
        case .text(let v): return "'" + v.replacingOccurrences(of: "'", with: "''") + "'"
        }
    }

    static func inline(_ text: SQLText) -> String {
        var out = ""
        var arguments = text.arguments.makeIterator()
        for ch in text.sql {
            if ch == "?", let value = arguments.next() { out += literal(value) } else { out.append(ch) }
        }
        return out
    }

    static func shell(_ database: String, _ sql: String) throws -> Double {
        let script = NSTemporaryDirectory() + "census-bench-\(UUID().uuidString).sql"
        try sql.write(toFile: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: script) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database, ".read \(script)"]
        process.standardOutput = FileHandle.nullDevice
        return try seconds {
            try process.run()
            process.waitUntilExit()
        }
    }

    @Test func insertAndQuery() throws {
        let directory = NSTemporaryDirectory() + "census-store-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ours = directory + "/census.db"
        let database = try CensusDatabase.open(path: ours)
        let rowsPerRepository = 1 + Self.languages.count + Self.filesPerRepository
        let insert = try Self.seconds {
            for k in 0 ..< Self.repositories {
                let (r, l, f) = Self.corpus(k)
                try database.save(repository: r, languages: l, files: f)
            }
        }
        let rows = Self.repositories * rowsPerRepository
        print("census insert: \(rows) rows in \(insert) s = \(Int(Double(rows) / insert)) rows/s")

        // The shell: the same rows as INSERT statements, one transaction per repository, into an
        // empty database with the same schema.
        let theirs = directory + "/shell.db"
        _ = try CensusDatabase.open(path: theirs)
        var script = "PRAGMA journal_mode=WAL;\nPRAGMA synchronous=NORMAL;\n"
        for k in 0 ..< Self.repositories {
            let (r, l, f) = Self.corpus(k)
            let id = k + 1
            script += "BEGIN IMMEDIATE;\n"
            script += "INSERT INTO repositories (repository_id, repository_key, location, host, owner, name, org, company, revision, commit_id, commit_date, root_commit_date, commit_count, is_shallow, scanned_at, census_version, own_files, own_code, own_comment, own_blank, own_bytes, breakdown_bytes) VALUES (\(id), '\(r.key)', '\(r.location)', 'github.com', '\(r.owner!)', '\(r.name!)', '\(r.org)', '\(r.company!)', 'HEAD', '\(r.commit!)', 1600000000, \(r.rootCommitDate!), 100, 0, 1700000000, 'bench', 0, 0, 0, 0, 0, 0);\n"
            for c in r.cohorts { script += "INSERT INTO repository_cohorts (repository_id, cohort) VALUES (\(id), '\(c)');\n" }
            for t in l {
                script += "INSERT INTO repository_languages (repository_id, language, language_type, category, files, code, comment, blank, bytes, breakdown_bytes) VALUES (\(id), '\(t.language)', '\(t.type.rawValue)', 'own', \(t.files), \(t.code), \(t.comment), \(t.blank), \(t.bytes), \(t.breakdownBytes));\n"
            }
            for x in f {
                script += "INSERT INTO repository_files (repository_id, path, language, category, code, comment, blank, bytes, strategy) VALUES (\(id), '\(x.path)', '\(x.language)', 'own', \(x.code), \(x.comment), \(x.blank), \(x.bytes), 'extension');\n"
            }
            script += "COMMIT;\n"
        }
        let shellInsert = try Self.shell(theirs, script)
        print("sqlite3 shell insert: \(rows) rows in \(shellInsert) s = \(Int(Double(rows) / shellInsert)) rows/s")

        let queries = StoreQueries(dialect: .sqlite)
        let top = queries.top(language: "Go", by: .company, metric: .code, cohort: nil, limit: 20)
        let share = queries.share(language: "Go", by: .cohort, thresholdPPM: 100_000, unit: .repository, cohort: nil)
        for (name, sql, run) in [
            ("top --language Go --by company", top, { _ = try database.top(language: "Go", by: .company, limit: 20) }),
            ("share --language Go --by cohort", share, { _ = try database.share(language: "Go", by: .cohort, threshold: 0.1) }),
        ] as [(String, SQLText, () throws -> Void)] {
            try run()  // warm
            var ourTimes: [Double] = []
            var shellTimes: [Double] = []
            for _ in 0 ..< 5 {
                ourTimes.append(try Self.seconds(run))
                shellTimes.append(try Self.shell(ours, Self.inline(sql) + ";\n"))
            }
            print("\(name): census \(ourTimes.sorted()[2]) s, sqlite3 shell \(shellTimes.sorted()[2]) s (medians of 5)")
        }
    }

    /// PageRank over 100,000 modules and 1,000,000 requirement edges (issue 7's graph target).
    @Test func pageRankAtScale() throws {
        var seed: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            seed ^= seed << 13
            seed ^= seed >> 7
            seed ^= seed << 17
            return Int(seed % UInt64(bound))
        }
        let modules = 100_000
        let names = (0 ..< modules).map { "github.com/org\($0 % 5000)/module\($0)" }
        // Popular modules are required more: the target is drawn from a skewed distribution.
        var edges: [(from: String, to: String)] = []
        edges.reserveCapacity(1_000_000)
        for _ in 0 ..< 1_000_000 {
            let from = next(modules)
            let to = next(1 + next(modules))
            edges.append((names[from], names[to]))
        }
        var rank: DependencyRank?
        let elapsed = try Self.seconds { rank = DependencyRank(edges: edges) }
        let total = rank?.scores.reduce(0) { $0 + $1.score } ?? 0
        print("PageRank: \(modules) modules, \(edges.count) edges in \(elapsed) s, \(rank?.iterations ?? 0) iterations, total \(total)")
    }

    /// Runs `command` through /bin/sh with posix_spawn and waits for it (Foundation's Process did
    /// not reap clickhouse-client beside the test servers' own process handling).
    static func sh(_ command: String) throws -> Double {
        try seconds {
            var pid: pid_t = 0
            let argv: [UnsafeMutablePointer<CChar>?] = ["/bin/sh", "-c", command].map { (s: String) in strdup(s) } + [nil]
            defer { for a in argv { free(a) } }
            guard posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0 else { return }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
    }

    static func client(_ server: ClickHouseServer, database: String, query: String, input: String? = nil) throws -> Double {
        let quoted = "'" + query.replacingOccurrences(of: "'", with: "'\\''") + "'"
        var command = "/usr/bin/clickhouse-client --host 127.0.0.1 --port \(server.tcpPort) --database \(database) --query \(quoted)"
        if let input { command += " < '\(input)'" }
        return try sh(command + " > /dev/null")
    }

    /// The same corpus into ClickHouse through the store, and through clickhouse-client as
    /// TabSeparated files of the same rows; `top` and `share` through both.
    @Test(.enabled(if: TestServers.hasClickHouse)) func clickHouseInsertAndQuery() throws {
        let server = try ClickHouseServer()
        defer { server.stop() }
        let store = try ClickHouseStore.open(server.endpoint(database: "census"))
        let insert = try Self.seconds {
            for k in 0 ..< Self.repositories {
                let (r, l, f) = Self.corpus(k)
                try store.save(repository: r, languages: l, files: f)
            }
            try store.close()
        }
        let rows = Self.repositories * (1 + Self.languages.count + Self.filesPerRepository)
        print("census ClickHouse insert: \(rows) rows in \(insert) s = \(Int(Double(rows) / insert)) rows/s")

        try ClickHouseStore.open(server.endpoint(database: "shell")).close()  // the same tables, empty
        var files = ClickHouseSQL.RowWriter()
        var languages = ClickHouseSQL.RowWriter()
        var cohorts = ClickHouseSQL.RowWriter()
        var repositories = ClickHouseSQL.RowWriter()
        for k in 0 ..< Self.repositories {
            let (r, l, f) = Self.corpus(k)
            let id = Int64(k + 1)
            for x in f {
                files.field(id); files.field(x.path); files.field(x.language); files.field(x.category.rawValue)
                files.field(x.code); files.field(x.comment); files.field(x.blank); files.field(x.bytes); files.field(x.strategy)
                files.endRow()
            }
            for t in l {
                languages.field(id); languages.field(t.language); languages.field(t.type.rawValue); languages.field(t.category.rawValue)
                languages.field(t.files); languages.field(t.code); languages.field(t.comment); languages.field(t.blank)
                languages.field(t.bytes); languages.field(t.breakdownBytes)
                languages.endRow()
            }
            for c in r.cohorts {
                cohorts.field(id); cohorts.field(c)
                cohorts.endRow()
            }
            repositories.field(id); repositories.field(r.key); repositories.field(r.location); repositories.field(r.host)
            repositories.field(r.owner); repositories.field(r.name); repositories.field(r.org); repositories.field(r.company)
            repositories.field(r.revision); repositories.field(r.commit); repositories.field(r.commitDate)
            repositories.field(r.rootCommitDate); repositories.field(r.commitCount); repositories.field(0)
            repositories.field(r.defaultBranch); repositories.field(r.remoteURL); repositories.field(r.scannedAt)
            repositories.field(r.censusVersion)
            for _ in 0 ..< 6 { repositories.field(0) }  // own totals and bar bytes (not read by the timing)
            repositories.field(1_700_000_000)
            repositories.endRow()
        }
        let directory = NSTemporaryDirectory() + "census-ch-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var shellInsert = 0.0
        for (table, writer) in [
            ("repository_files", files), ("repository_languages", languages), ("repository_cohorts", cohorts), ("repositories", repositories),
        ] {
            let path = directory + "/" + table + ".tsv"
            FileManager.default.createFile(atPath: path, contents: Data(writer.bytes))
            shellInsert += try Self.client(server, database: "shell", query: "INSERT INTO \(table) FORMAT TabSeparated", input: path)
        }
        print("clickhouse-client insert: \(rows) rows in \(shellInsert) s = \(Int(Double(rows) / shellInsert)) rows/s")

        let reader = try ClickHouseStore.open(server.endpoint(database: "census"), readOnly: true)
        let queries = StoreQueries(dialect: .clickhouse)
        let top = try ClickHouseSQL.inline(queries.top(language: "Go", by: .company, metric: .code, cohort: nil, limit: 20))
        let share = try ClickHouseSQL.inline(
            queries.share(language: "Go", by: .cohort, thresholdPPM: 100_000, unit: .repository, cohort: nil))
        for (name, sql, run) in [
            ("top --language Go --by company", top, { _ = try reader.top(language: "Go", by: .company, limit: 20) }),
            ("share --language Go --by cohort", share, { _ = try reader.share(language: "Go", by: .cohort, threshold: 0.1) }),
        ] as [(String, String, () throws -> Void)] {
            try run()
            var ourTimes: [Double] = []
            var clientTimes: [Double] = []
            for _ in 0 ..< 5 {
                ourTimes.append(try Self.seconds(run))
                clientTimes.append(try Self.client(server, database: "census", query: sql))
            }
            print("ClickHouse \(name): census \(ourTimes.sorted()[2]) s, clickhouse-client \(clientTimes.sorted()[2]) s (medians of 5)")
        }
    }
}
