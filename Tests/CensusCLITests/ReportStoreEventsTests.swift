import CensusTestSupport
import CodeCensus
import Foundation
import Testing

/// `census report` over a store holding the events of `Tests/CensusEventsTests/Fixtures/mixed-eras.json`
/// (both eras; the events worked by hand in `Tests/CensusStoreTests/EventStoreTests.swift`), with
/// `--users` placing alice in Berlin (Europe); hank's Timeline location is Beijing (China).
///
/// Go's repository is acme/widget (Timeline and pull-request languages), so for `--language Go`
/// (bots left out):
/// - stars: T1 hank 2013-02-15 (China), 101 alice 2024-01-10 (Europe), 102 bob 2024-01-11 (no
///   region) → 2013-02: 1, 2024-01: 2, and the 130 months between 0 (132 months);
///   by region China 1, Europe 1, unknown 1;
/// - prs-opened: 104 alice 2024-02-02 (Europe) → 2024-02: 1;
/// - new-repos: 107 is erin/new, whose language is unknown → none.
/// Stored: 17 lines, one a duplicate → 16 events (the bot's push included), 2013-02-15 to 2025-11-01.
@Suite("census report: GitHub events from the store", .serialized)
struct ReportStoreEventsTests {
    static let events = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CensusEventsTests/Fixtures/mixed-eras.json").path

    /// The report fixture's scans (no history: quicker) and the fixture's events.
    static func store() throws -> ReportFixture {
        let fixture = try ReportFixture(history: false)
        let users = fixture.tree.write("users.csv", "login,company,location\nalice,,\"Berlin, Germany\"\n")
        let run = try CLI.run(["events", "ingest", Self.events, "--users", users], environment: fixture.environment)
        #expect(run.status == 0, "\(run.stderr)")
        return fixture
    }

    /// The document as `census report` builds it: the store opened read-only with its statement
    /// trace, the events answered by `StoreReportEvents`.
    static func document(_ fixture: ReportFixture, _ options: ReportOptions) throws -> ReportDocument {
        let recorder = ReportStatementRecorder()
        let database = try CensusDatabase.open(path: fixture.database, readOnly: true, statementTrace: { recorder.record($0) })
        defer { try? database.close() }
        var options = options
        options.generatedAt = 1_700_000_000
        return try ReportBuilder(store: database, events: StoreReportEvents.source(for: database), options: options, recorder: recorder).build()
    }

    /// Runs a command the report lists (`census …`), in JSON.
    static func json(_ command: String, _ fixture: ReportFixture) throws -> [String: Any] {
        #expect(!command.contains("'"), "\(command)")
        let words = command.split(separator: " ").map(String.init)
        #expect(words.first == "census")
        let run = try CLI.run(Array(words.dropFirst()) + ["--format", "json"], environment: fixture.environment)
        #expect(run.status == 0, "\(command): \(run.stderr)")
        return try run.json()
    }

    @Test("the events figure is census events timeline and top, and its SQL is what they run")
    func eventsFigure() throws {
        let fixture = try Self.store()
        let document = try Self.document(fixture, ReportOptions())
        let time = try #require(document.sections.first { $0.id == "time" })
        #expect(!time.missing.contains { $0.contains("events ingest") })
        let figure = try #require(time.figures.first { $0.id == "time-events" })

        func rows(_ metric: String, _ region: String) -> [String: Int] {
            var out: [String: Int] = [:]
            for row in figure.table.rows where row[1] == .text(metric) && row[2] == .text(region) {
                if case .integer(let value) = row[3] { out[row[0].display] = value }
            }
            return out
        }
        // By hand (see above).
        let stars = rows("stars", "All regions")
        #expect(stars.count == 132)
        #expect(stars["2013-02"] == 1 && stars["2024-01"] == 2 && stars["2013-03"] == 0 && stars["2023-12"] == 0)
        #expect(stars.values.reduce(0, +) == 3)
        #expect(rows("stars", "China") == ["2013-02": 1])
        #expect(rows("stars", "Europe") == ["2024-01": 1])
        #expect(rows("prs-opened", "All regions") == ["2024-02": 1])
        #expect(rows("prs-opened", "Europe") == ["2024-02": 1])
        #expect(!figure.table.rows.contains { $0[1] == .text("new-repos") })
        #expect(Set(figure.table.rows.map { $0[2].display }) == ["All regions", "China", "Europe"])
        guard case .panels(let panels) = figure.chart, case .lines(let starChart) = panels[0].chart else {
            Issue.record("no stars panel")
            return
        }
        #expect(starChart.series.map(\.name) == ["All regions", "China", "Europe"])
        #expect(starChart.periods.count == 132)

        // Every command the figure lists prints exactly its rows.
        #expect(figure.commands.contains("census events timeline --metric stars --by month --language Go"))
        #expect(figure.commands.contains("census events timeline --metric stars --by month --language Go --region China"))
        for command in figure.commands {
            let answer = try Self.json(command, fixture)
            let words = command.split(separator: " ").map(String.init)
            let metric = words[words.firstIndex(of: "--metric")! + 1]
            let answerRows = try #require(answer["rows"] as? [[String: Any]])
            if words[2] == "timeline" {
                let region = words.firstIndex(of: "--region").map { words[$0 + 1] } ?? "All regions"
                var printed: [String: Int] = [:]
                for row in answerRows { printed[row["period"] as! String] = row["value"] as? Int }
                #expect(printed == rows(metric, region), "\(command)")
            } else {
                // The regions drawn are top's named rows, in its order (its unknown row is not drawable).
                let named = answerRows.compactMap { $0["name"] as? String }
                let drawn = figure.table.rows.filter { $0[1] == .text(metric) && $0[2] != .text("All regions") }.map { $0[2].display }
                var order: [String] = []
                for name in drawn where !order.contains(name) { order.append(name) }
                #expect(order == named, "\(command)")
            }
        }
        let starsTop = try Self.json("census events top --metric stars --by region --language Go --limit 4", fixture)
        #expect((starsTop["rows"] as? [[String: Any]])?.map { "\($0["name"] ?? "")=\($0["value"]!)" } == ["China=1", "Europe=1", "<null>=1"])

        // The statements `--show-sql` prints are among those the report recorded for the figure.
        let shown = try CLI.run(
            ["events", "timeline", "--metric", "stars", "--by", "month", "--language", "Go", "--region", "China", "--show-sql"],
            environment: fixture.environment)
        #expect(shown.status == 0, "\(shown.stderr)")
        let statements = shown.text.split(separator: ";\n").map { String($0) }.filter { !$0.isEmpty }
        #expect(statements.count == 2)
        for statement in statements { #expect(figure.sql.contains(statement), "\(statement)") }

        // The corpus line: every stored event, bots included.
        let corpus = try #require(document.sections.first { $0.id == "corpus" })
        #expect(corpus.paragraphs.contains("GitHub events: 16 events from 2013-02-15 to 2025-11-01."))
    }

    @Test("marks count events as census events compare does; --compare's r is events compare's r over its windows")
    func marksAndCompare() throws {
        let fixture = try Self.store()
        var options = ReportOptions()
        options.marks = [ReportMark.parse("2024-03-01=Conference")!]
        options.window = 2
        // The windows of a 2-month compare around 2024-03-01.
        options.since = ReportFormat.seconds(ofDay: "2024-01-01")
        options.until = ReportFormat.seconds(ofDay: "2024-05-01")
        options.comparisons = [
            (try ReportSeriesSpec.parse("events.stars").get(), try ReportSeriesSpec.parse("events.prs-opened").get())
        ]
        let document = try Self.document(fixture, options)
        let time = try #require(document.sections.first { $0.id == "time" })
        let marks = try #require(time.figures.first { $0.id == "time-marks-events" })
        // By hand: [2024-01-01, 2024-03-01) holds stars 101, 102 and the opened pull request 104;
        // [2024-03-01, 2024-05-01) none of them for Go.
        let byMetric = Dictionary(uniqueKeysWithValues: marks.table.rows.map { ($0[2].display, $0) })
        #expect(byMetric["events.stars (language=Go)"]?[4] == .integer(2))
        #expect(byMetric["events.stars (language=Go)"]?[5] == .integer(0))
        #expect(byMetric["events.stars (language=Go)"]?[8] == .fraction(-1))
        #expect(byMetric["events.prs-opened (language=Go)"]?[4] == .integer(1))
        #expect(byMetric["events.new-repos (language=Go)"]?[4] == .integer(0))
        #expect(byMetric["events.new-repos (language=Go)"]?[8] == .empty)
        #expect(marks.table.rows.allSatisfy { $0[3] == .day(ReportFormat.seconds(ofDay: "2024-01-01")!) && $0[6] == .day(ReportFormat.seconds(ofDay: "2024-05-01")!) })
        #expect(marks.commands.count == 3)
        for (command, row) in zip(marks.commands, marks.table.rows) {
            let answer = try Self.json(command, fixture)
            #expect(row[4] == .integer((answer["before"] as? [String: Any])?["value"] as? Int ?? -1), "\(command)")
            #expect(row[5] == .integer((answer["after"] as? [String: Any])?["value"] as? Int ?? -1), "\(command)")
            #expect(row[7] == .integer(answer["absolute_growth"] as? Int ?? -1), "\(command)")
            #expect((answer["before"] as? [String: Any])?["since"] as? String == "2024-01-01")
        }
        #expect(!marks.sql.isEmpty && marks.sql.allSatisfy { $0.contains("github_events") })

        // stars per month 2024-01…04: 2, 0, 0, 0; prs-opened 0, 1, 0, 0. x̄ = 0.5, ȳ = 0.25;
        // Σ(x−x̄)(y−ȳ) = 1.5·(−0.25) + (−0.5)(0.75) + 2·(−0.5)(−0.25) = −0.5; Σ(x−x̄)² = 3;
        // Σ(y−ȳ)² = 0.75; r = −0.5 / √2.25 = −1/3.
        let compare = try #require(time.figures.first { $0.id == "time-compare" })
        #expect(compare.table.rows[0][2] == .integer(4))
        guard case .decimal(let r, _) = compare.table.rows[0][3] else {
            Issue.record("no r")
            return
        }
        #expect(abs(r + 1.0 / 3) < 1e-12)
        let events = try Self.json(
            "census events compare --date 2024-03-01 --window 2m --metric stars --with-metric prs-opened --language Go", fixture)
        let correlation = try #require(events["correlation"] as? [String: Any])
        #expect(correlation["periods"] as? Int == 4)
        #expect(abs((correlation["r"] as? Double ?? 0) - r) < 1e-6)
    }

    @Test("census report writes the events figures with their SQL, which sqlite3 reruns")
    func reportFiles() throws {
        let fixture = try Self.store()
        let out = try fixture.report(["--mark", "2024-03-01=Conference", "--window", "2"])
        let sql = try String(contentsOfFile: out + "/sql/time-events.sql", encoding: .utf8)
        #expect(sql.contains("FROM github_events"))
        #expect(try String(contentsOfFile: out + "/sql/time-marks-events.sql", encoding: .utf8).contains("github_events"))
        let data = try ReportCSVFile(path: out + "/data/time-marks-events.csv")
        #expect(data.header == ["mark", "date", "series", "before_since", "before", "after", "after_until", "absolute_growth", "relative_growth"])
        #expect(data.rows.first?["before"] == "2")
        let html = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
        #expect(!html.contains("census events ingest FILE.json.gz"))
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") {
            let sql = try #require(FileManager.default.contents(atPath: out + "/sql/time-events.sql"))
            let run = try Spawned.run(
                ["/usr/bin/sqlite3", fixture.database], environment: ProcessInfo.processInfo.environment, input: Array(sql))
            let message = String(decoding: run.stderr, as: UTF8.self)
            #expect(run.status == 0 && message.isEmpty, "\(message)")
        }
    }
}
