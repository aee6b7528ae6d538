import CodeCensus
import Foundation
import Synchronization
import Testing

/// Events as the events tables will answer them (issue 12), held in memory: stars, new
/// repositories and pull requests per month and region, for Go repositories.
final class FixtureEvents: ReportEventSource {
    /// metric → region → month → value.
    let data: [String: [String: [String: Int]]] = [
        "stars": [
            "China": ["2019-03": 10, "2020-06": 30, "2021-02": 20, "2021-03": 50],
            "Europe": ["2019-03": 5, "2020-06": 5, "2021-02": 5, "2021-03": 5],
        ],
        "new-repos": ["China": ["2020-06": 2], "North America": ["2020-06": 1, "2021-03": 4]],
        "prs-opened": ["Europe": ["2021-02": 7]],
    ]
    /// The filters each call received.
    let calls = Mutex<[String]>([])

    func eventCoverage() throws -> ReportEventCoverage? {
        ReportEventCoverage(events: 144, first: ReportFormat.seconds(ofDay: "2019-03-01")!, last: ReportFormat.seconds(ofDay: "2021-03-31")!)
    }

    func monthly(metric: String, language: String?, region: String?, since: Int64?, until: Int64?) throws -> [TimelinePoint] {
        calls.withLock { $0.append("monthly \(metric) \(language ?? "-") \(region ?? "-")") }
        guard language == "Go", let regions = data[metric] else { return [] }
        var months: [String: Int] = [:]
        for (name, values) in regions where region == nil || region == name {
            for (month, value) in values { months[month, default: 0] += value }
        }
        return months.keys.sorted().map { TimelinePoint(period: $0, value: months[$0]!) }
    }

    /// The months starting inside `[since, until)` (the test's marks fall on the 1st of a month).
    func total(metric: String, language: String?, region: String?, since: Int64, until: Int64) throws -> Int {
        try monthly(metric: metric, language: language, region: region, since: nil, until: nil).filter { point in
            guard let start = ReportFormat.seconds(ofDay: point.period + "-01") else { return false }
            return start >= since && start < until
        }.reduce(0) { $0 + $1.value }
    }

    func topRegions(metric: String, language: String?, since: Int64?, until: Int64?, limit: Int) throws -> [ReportEventTotal] {
        calls.withLock { $0.append("top \(metric) \(language ?? "-")") }
        guard language == "Go" else { return [] }
        let totals = (data[metric] ?? [:]).map { ReportEventTotal(name: $0.key, value: $0.value.values.reduce(0, +)) }
        return Array(totals.sorted { ($0.value, $1.name) > ($1.value, $0.name) }.prefix(limit))
    }
}

@Suite("census report: the GitHub events seam")
struct ReportEventsTests {
    @Test("with an event source, section 5 draws its monthly series by region, marks them and correlates them")
    func eventsFigures() throws {
        let fixture = try ReportFixture()
        let database = try CensusDatabase.open(path: fixture.database, readOnly: true)
        defer { try? database.close() }
        let events = FixtureEvents()
        var options = ReportOptions()
        options.generatedAt = 1_700_000_000
        options.marks = [ReportMark.parse("2021-01-01=Launch")!]
        options.comparisons = [
            (try ReportSeriesSpec.parse("commits:language=Go").get(), try ReportSeriesSpec.parse("events.stars:region=China").get())
        ]
        let document = try ReportBuilder(store: database, events: events, options: options).build()
        let time = try #require(document.sections.first { $0.id == "time" })
        #expect(!time.missing.contains { $0.contains("events ingest") })
        let figure = try #require(time.figures.first { $0.id == "time-events" })
        guard case .panels(let panels) = figure.chart else {
            Issue.record("the events figure is not panels")
            return
        }
        #expect(panels.map(\.title) == ["Stars", "New repositories", "Pull requests opened"])
        guard case .lines(let stars) = panels[0].chart else {
            Issue.record("stars is not a line chart")
            return
        }
        // All regions, then the regions by their stars: China 110, Europe 20.
        #expect(stars.series.map(\.name) == ["All regions", "China", "Europe"])
        #expect(stars.periods == ["2019-03", "2020-06", "2021-02", "2021-03"])
        #expect(stars.series[0].values == [15, 35, 25, 55])
        #expect(stars.series[1].values == [10, 30, 20, 50])
        #expect(stars.marks == [ChartMark(period: "2021-01", label: "Launch")])
        // The table holds every point the source gave.
        let chinaStars = figure.table.rows.filter { $0[1] == .text("stars") && $0[2] == .text("China") }
        #expect(chinaStars.map { $0[3] } == [.integer(10), .integer(30), .integer(20), .integer(50)])
        #expect(events.calls.withLock { $0 }.allSatisfy { $0.contains(" Go") })

        // Before and after the mark, as census events compare --window 6m counts: [2020-07-01,
        // 2021-01-01) has no stars; [2021-01-01, 2021-07-01) has 25 + 55 = 80; no growth without a before.
        let marks = try #require(time.figures.first { $0.id == "time-marks-events" })
        let row = try #require(marks.table.rows.first { $0[2] == .text("events.stars (language=Go)") })
        #expect(row[3] == .day(ReportFormat.seconds(ofDay: "2020-07-01")!))
        #expect(row[4] == .integer(0))
        #expect(row[5] == .integer(80))
        #expect(row[6] == .day(ReportFormat.seconds(ofDay: "2021-07-01")!))
        #expect(row[7] == .integer(80))
        #expect(row[8] == .empty)
        #expect(marks.commands.contains("census events compare --date 2021-01-01 --window 6m --metric stars --language Go"))
        // The history marks table keeps only history series.
        let historyMarks = try #require(time.figures.first { $0.id == "time-marks" })
        #expect(!historyMarks.table.rows.contains { ($0[2].display).hasPrefix("events.") })

        // Pearson's r of Go commits [1, 1, 1, 2] and China's stars [10, 30, 20, 50] in the same
        // months: 22.5 / √(0.75 × 875) = 0.878310.
        let compare = try #require(time.figures.first { $0.id == "time-compare" })
        #expect(compare.table.rows.count == 1)
        #expect(compare.table.rows[0][2] == .integer(4))
        guard case .decimal(let r, _) = compare.table.rows[0][3] else {
            Issue.record("no r")
            return
        }
        #expect(abs(r - 0.878310) < 1e-6)

        // The corpus and method sections name the events' span.
        let corpus = try #require(document.sections.first { $0.id == "corpus" })
        #expect(corpus.paragraphs.contains("GitHub events: 144 events from 2019-03-01 to 2021-03-31."))
    }

    @Test("without events, section 5 says to run census events ingest and compares history only")
    func noEvents() throws {
        let fixture = try ReportFixture()
        let database = try CensusDatabase.open(path: fixture.database, readOnly: true)
        defer { try? database.close() }
        var options = ReportOptions()
        options.marks = [ReportMark.parse("2021-01-01=Launch")!]
        let document = try ReportBuilder(store: database, options: options).build()
        let time = try #require(document.sections.first { $0.id == "time" })
        #expect(time.missing == ["census events ingest FILE.json.gz …"])
        #expect(!time.figures.contains { $0.id == "time-events" })
        let marks = try #require(time.figures.first { $0.id == "time-marks" })
        #expect(!marks.table.rows.contains { ($0[2].display).hasPrefix("events.") })
    }
}

@Suite("census report: figures built from saved records")
struct ReportBuilderTests {
    /// Ten languages with bar bytes 100, 90, … 10 in one repository: the bar draws the eight largest
    /// and adds 20 + 10 = 30 bytes up as Other, 30 of 550.
    @Test("GitHub's bar draws eight languages and the rest as Other")
    func otherLanguages() throws {
        let tree = PublicTree()
        let database = try CensusDatabase.open(path: tree.path + "/census.db")
        defer { try? database.close() }
        let names = ["Go", "Python", "C", "C++", "Java", "Ruby", "Rust", "Shell", "Perl", "Lua"]
        let languages = names.enumerated().map { k, name in
            StoredLanguageTotal(
                language: name, type: .programming, files: 1, code: 10, comment: 0, blank: 0, bytes: (10 - k) * 10,
                breakdownBytes: (10 - k) * 10)
        }
        try database.save(
            repository: StoredRepository(key: "example.com/a/b", location: "x", org: "a", scannedAt: 1_700_000_000, censusVersion: "0"),
            languages: languages)
        let document = try ReportBuilder(store: database, options: ReportOptions()).build()
        let figure = try #require(document.figures.first { $0.id == "composition-bar" })
        guard case .bars(let bar) = figure.chart else {
            Issue.record("no bar chart")
            return
        }
        #expect(bar.series.map(\.name) == Array(names.prefix(8)) + ["Other"])
        #expect(bar.series.map { $0.values[0] } == [100, 90, 80, 70, 60, 50, 40, 30, 30])
        #expect(bar.series[0].color == "#00add8")  // Linguist's colour for Go
        #expect(figure.table.rows.last == [.text("All repositories"), .text("Other"), .integer(30), .fraction(30.0 / 550)])
        // No history, no modules: those sections ask for their commands.
        #expect(document.sections.first { $0.id == "modules" }?.missing == ["census scan --manifest FILE"])
        #expect(document.sections.first { $0.id == "companies" }?.missing.contains { $0.hasPrefix("census history") } == true)
    }
}
