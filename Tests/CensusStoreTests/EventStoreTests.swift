import CensusEvents
import CensusPeople
import Foundation
import Testing

@testable import CensusStore

/// The events of `Tests/CensusEventsTests/Fixtures/mixed-eras.json`, worked by hand.
///
/// | key  | type              | actor            | repo         | UTC time             | notes                               |
/// |------|-------------------|------------------|--------------|----------------------|-------------------------------------|
/// | 101  | WatchEvent        | alice            | acme/widget  | 2024-01-10 10:00     |                                     |
/// | 102  | WatchEvent        | bob              | acme/widget  | 2024-01-11 10:00     |                                     |
/// | 103  | ForkEvent         | carol            | acme/widget  | 2024-02-01 00:00     |                                     |
/// | 104  | PullRequestEvent  | alice            | acme/widget  | 2024-02-02 00:00     | opened; base Go (head Python)       |
/// | 105  | PullRequestEvent  | dave             | acme/widget  | 2024-03-05 12:00     | closed, merged; base Go             |
/// | 106  | PullRequestEvent  | bob              | other/lib    | 2024-03-06 00:00     | closed, not merged; base Rust       |
/// | 107  | CreateEvent       | erin             | erin/new     | 2024-04-01 00:00     | ref_type repository                 |
/// | 108  | CreateEvent       | erin             | erin/new     | 2024-04-01 00:00:01  | ref_type branch                     |
/// | 109  | IssuesEvent       | frank            | other/lib    | 2024-04-02 00:00     | opened                              |
/// | 110  | PushEvent         | dependabot[bot]  | acme/widget  | 2024-04-03 00:00     | a bot                               |
/// | 111  | PushEvent         | alice            | acme/widget  | 2024-05-01 00:00     |                                     |
/// | 112  | SponsorshipEvent  | gina             | acme/widget  | 2024-05-02 00:00     | a type census has no metric for     |
/// | 113  | PullRequestEvent  | dave             | acme/widget  | 2025-11-01 10:00     | closed, trimmed: merge unknown      |
/// | T1   | WatchEvent        | hank (as Hank)   | acme/widget  | 2013-02-15 08:00     | Timeline: Go, Google Inc., Beijing  |
/// | T2   | IssuesEvent       | hank             | acme/widget  | 2013-02-15 08:00     | opened                              |
/// | T3   | IssuesEvent       | hank             | acme/widget  | 2013-02-15 08:00     | closed (same URL and second as T2)  |
/// | (T1) | WatchEvent        | Hank             | Acme/Widget  | 2013-02-15 08:00     | T1 again: a duplicate               |
///
/// Without bots: 15 events (12 of 2024-2025, 3 of 2013). Languages: acme/widget Go (Timeline and
/// pull requests), other/lib Rust (pull request), erin/new unknown. So by language: Go 11, Rust 2,
/// and 2 events (107, 108) without one.
enum EventCorpus {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CensusEventsTests/Fixtures/mixed-eras.json").path

    static func batch(people: EventPeople = EventPeople()) throws -> (EventBatch, EventFileReport) {
        let reader = try #require(EventFileReader(people: people))
        return reader.read(fixture)
    }

    static func record(_ report: EventFileReport, name: String = "mixed-eras.json") -> StoredEventFile {
        StoredEventFile(
            name: name, path: fixture, size: 1, status: report.isComplete ? .complete : .partial, options: "",
            lines: report.lines, events: report.events, stored: 0, duplicates: 0, filtered: report.filtered,
            malformed: report.malformed, error: report.failure?.description, ingestedAt: 1)
    }

    static func load(into store: any EventStore, people: EventPeople = EventPeople()) throws -> EventSaveResult {
        let (batch, report) = try batch(people: people)
        return try store.saveEvents(batch, file: record(report))
    }

    /// The fixture read in chunks of 4 events (five chunks: 4, 4, 4, 4 and 1), and its report.
    static func chunks() throws -> ([EventBatch], EventFileReport) {
        let reader = try #require(EventFileReader(people: EventPeople()))
        var chunks: [EventBatch] = []
        let (rest, report) = reader.read(fixture, chunkEvents: 4) { chunk, _ in chunks.append(chunk) }
        return (chunks + [rest], report)
    }

    struct ReadStopped: Error {}

    /// Stores the fixture's chunks as one read that fails after `failAfter` of them (never, when
    /// nil), and checks that a failed read left nothing of itself, and a whole one what one batch
    /// stores.
    static func expectAllOrNothing(_ store: any EventStore) throws {
        let (chunks, report) = try chunks()
        #expect(chunks.map(\.count) == [4, 4, 4, 4, 1])
        for failAfter in [1, 4] {
            #expect(throws: ReadStopped.self) {
                try store.saveEventFile(named: "mixed-eras.json") { save in
                    for chunk in chunks.prefix(failAfter) { try save(chunk) }
                    throw ReadStopped()
                }
            }
            #expect(try store.eventFile(named: "mixed-eras.json") == nil)
            #expect(try store.eventTotal(.events, filter: EventFilter(includeBots: true)) == 0)
            #expect(try store.repositoryLanguages().isEmpty)
        }
        let saved = try store.saveEventFile(named: "mixed-eras.json") { save in
            for chunk in chunks { try save(chunk) }
            return record(report)
        }
        // 17 events, the last repeating one of the fourth chunk.
        #expect(saved == EventSaveResult(stored: 16, duplicates: 1))
        let file = try #require(try store.eventFile(named: "mixed-eras.json"))
        #expect(file.status == .complete && file.stored == 16 && file.duplicates == 1 && file.events == 17)
        try EventStoreTests().expectHandWorked(store)
    }

    static let t2024: Int64 = 1_704_067_200  // 2024-01-01
    static let t2025: Int64 = 1_735_689_600  // 2025-01-01
}

@Suite struct EventStoreTests {
    func expectHandWorked(_ store: any EventStore) throws {
        let none = EventFilter()
        func total(_ metric: EventMetric, _ filter: EventFilter = EventFilter()) throws -> Int {
            try store.eventTotal(metric, filter: filter)
        }
        #expect(try total(.events) == 15)
        #expect(try total(.events, EventFilter(includeBots: true)) == 16)
        #expect(try total(.stars) == 3)
        #expect(try total(.forks) == 1)
        #expect(try total(.newRepos) == 1)
        #expect(try total(.prsOpened) == 1)
        #expect(try total(.prsMerged) == 1)
        #expect(try total(.issuesOpened) == 2)
        #expect(try total(.pushes) == 1)
        #expect(try total(.pushes, EventFilter(includeBots: true)) == 2)
        #expect(try total(.actors) == 8)
        #expect(try total(.repos) == 3)
        #expect(try total(.events, EventFilter(since: EventCorpus.t2024, until: EventCorpus.t2025)) == 11)

        let byType = try store.eventTop(.events, by: .type, filter: none, limit: 3)
        #expect(
            byType.rows == [
                EventRankingRow(name: "PullRequestEvent", value: 4), EventRankingRow(name: "IssuesEvent", value: 3),
                EventRankingRow(name: "WatchEvent", value: 3),
            ])
        #expect(byType.unknownLanguage == nil)

        let byLanguage = try store.eventTop(.events, by: .language, filter: none, limit: 10)
        #expect(byLanguage.rows == [EventRankingRow(name: "Go", value: 11), EventRankingRow(name: "Rust", value: 2)])
        #expect(byLanguage.unknownLanguage == 2)

        let stars = try store.eventTop(.stars, by: .repo, filter: none, limit: 10)
        #expect(stars.rows == [EventRankingRow(name: "acme/widget", value: 3)])

        let orgs = try store.eventTop(.actors, by: .org, filter: none, limit: 10)
        // acme: alice, bob, carol, dave, gina, hank; other: bob, frank; erin: erin.
        #expect(
            orgs.rows == [
                EventRankingRow(name: "acme", value: 6), EventRankingRow(name: "other", value: 2),
                EventRankingRow(name: "erin", value: 1),
            ])

        let regions = try store.eventTop(.events, by: .region, filter: none, limit: 10)
        #expect(regions.rows == [EventRankingRow(name: nil, value: 12), EventRankingRow(name: "China", value: 3)])
        let countries = try store.eventTop(.events, by: .country, filter: EventFilter(region: "China"), limit: 10)
        #expect(countries.rows == [EventRankingRow(name: "CN", value: 3)])
        let companies = try store.eventTop(.issuesOpened, by: .company, filter: none, limit: 10)
        // A tie: the unknown company last.
        #expect(companies.rows == [EventRankingRow(name: "Google Inc.", value: 1), EventRankingRow(name: nil, value: 1)])

        let goPulls = try store.eventTop(.prsOpened, by: .repo, filter: EventFilter(language: "Go"), limit: 10)
        #expect(goPulls.rows == [EventRankingRow(name: "acme/widget", value: 1)])
        #expect(goPulls.unknownLanguage == 0)

        // Years from the first to the last, 2014-2023 filled with zeros.
        let years = try store.eventTimeline(.events, by: .year, filter: none)
        #expect(years.rows.count == 13)
        #expect(years.rows.first == TimelinePoint(period: "2013", value: 3))
        #expect(years.rows[1] == TimelinePoint(period: "2014", value: 0))
        #expect(years.rows[11] == TimelinePoint(period: "2024", value: 11))
        #expect(years.rows.last == TimelinePoint(period: "2025", value: 1))

        let months = try store.eventTimeline(
            .stars, by: .month, filter: EventFilter(since: EventCorpus.t2024, until: 1_711_929_600))  // to 2024-04-01
        #expect(
            months.rows == [
                TimelinePoint(period: "2024-01", value: 2), TimelinePoint(period: "2024-02", value: 0),
                TimelinePoint(period: "2024-03", value: 0),
            ])
        // Weeks start on Monday: 2024-01-10 (a Wednesday) and 2024-01-11 are in the week of 2024-01-08.
        let weeks = try store.eventTimeline(.stars, by: .week, filter: EventFilter(since: EventCorpus.t2024))
        #expect(weeks.rows.prefix(2) == [TimelinePoint(period: "2024-01-01", value: 0), TimelinePoint(period: "2024-01-08", value: 2)])
        let quarters = try store.eventTimeline(.events, by: .quarter, filter: EventFilter(since: EventCorpus.t2024))
        #expect(quarters.rows.prefix(2) == [TimelinePoint(period: "2024-Q1", value: 6), TimelinePoint(period: "2024-Q2", value: 5)])
        let days = try store.eventTimeline(.newRepos, by: .day, filter: EventFilter(language: "Go"))
        #expect(days.rows.isEmpty)
        #expect(days.unknownLanguage == 1)
    }

    /// A read stored in chunks is stored whole or not at all (issue 12: "never leaves half a file
    /// stored").
    @Test func aReadInChunksIsAllOrNothingInSQLite() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let store = try CensusDatabase.open(path: directory.file("events.sqlite"))
        try EventCorpus.expectAllOrNothing(store)
        try store.close()
    }

    @Test func handWorkedAnswersInSQLite() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let store = try CensusDatabase.open(path: directory.file("events.sqlite"))
        let saved = try EventCorpus.load(into: store)
        #expect(saved == EventSaveResult(stored: 16, duplicates: 1))
        try expectHandWorked(store)
        // The same file again: nothing new, the same answers.
        let again = try EventCorpus.load(into: store)
        #expect(again == EventSaveResult(stored: 0, duplicates: 17))
        try expectHandWorked(store)
        let file = try #require(try store.eventFile(named: "mixed-eras.json"))
        #expect(file.stored == 16 && file.duplicates == 17 && file.events == 17 && file.status == .complete)
        #expect(try store.fetchTextForTesting("SELECT count(*) FROM github_events") == "16")
    }

    @Test func affiliationsAndUsersGiveCompaniesAndPlaces() throws {
        var affiliations = AffiliationDatabase()
        affiliations.parse(
            text: "alice: alice!example.com\n\tExample Inc until 2024-02-01\n\tOther Corp from 2024-02-01\n",
            format: .affiliations, origin: "affiliations.txt")
        let people = EventPeople(
            affiliations: affiliations,
            users: ["frank": EventUser(company: "Acme Corp", location: "Berlin, Germany"), "hank": EventUser(company: "Ignored", location: nil)])
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let store = try CensusDatabase.open(path: directory.file("events.sqlite"))
        _ = try EventCorpus.load(into: store, people: people)
        // alice: 101 (2024-01-10) at Example Inc; 104 and 111 (February, May) at Other Corp.
        // frank: 109 at Acme Corp, in Germany. hank: the Timeline's company wins over --users.
        let companies = try store.eventTop(.events, by: .company, filter: EventFilter(), limit: 10)
        #expect(
            companies.rows == [
                EventRankingRow(name: nil, value: 8), EventRankingRow(name: "Google Inc.", value: 3),
                EventRankingRow(name: "Other Corp", value: 2), EventRankingRow(name: "Acme Corp", value: 1),
                EventRankingRow(name: "Example Inc", value: 1),
            ])
        let countries = try store.eventTop(.events, by: .country, filter: EventFilter(), limit: 10)
        #expect(
            countries.rows == [
                EventRankingRow(name: nil, value: 11), EventRankingRow(name: "CN", value: 3), EventRankingRow(name: "DE", value: 1),
            ])
        #expect(try store.eventTotal(.events, filter: EventFilter(company: "other corp")) == 2)
        #expect(try store.eventTotal(.events, filter: EventFilter(region: "Europe")) == 1)
    }

    @Test func languagePrecedence() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let store = try CensusDatabase.open(path: directory.file("events.sqlite"))
        _ = try EventCorpus.load(into: store)
        // A file's language ranks below the events': it names erin/new, but not acme/widget.
        try store.saveRepositoryLanguages([("erin/new", "Zig"), ("acme/widget", "Perl")], at: 2_000_000_000)
        var languages = try store.repositoryLanguages()
        #expect(languages == ["acme/widget": "Go", "other/lib": "Rust", "erin/new": "Zig"])
        // A census scan outranks everything.
        try store.save(
            repository: StoredRepository(
                key: "github.com/Other/Lib", location: "https://github.com/Other/Lib", host: "github.com", owner: "Other",
                name: "Lib", org: "Other", company: nil, cohorts: [], revision: "HEAD", commit: nil, commitDate: nil,
                rootCommitDate: nil, commitCount: nil, isShallow: false, defaultBranch: nil, remoteURL: nil, scannedAt: 1,
                censusVersion: "test"),
            languages: [
                total("C", .programming, files: 1, code: 10, comment: 0, blank: 0, bytes: 100, bar: 100),
                total("Go", .programming, files: 1, code: 90, comment: 0, blank: 0, bytes: 900, bar: 900),
            ], files: [])
        languages = try store.repositoryLanguages()
        #expect(languages["other/lib"] == "Go")
        let byLanguage = try store.eventTop(.events, by: .language, filter: EventFilter(), limit: 10)
        #expect(byLanguage.rows == [EventRankingRow(name: "Go", value: 13), EventRankingRow(name: "Zig", value: 2)])
        #expect(byLanguage.unknownLanguage == 0)
    }

    @Test func pullRequestLanguageLastSeenWins() throws {
        let lines = """
            {"id":"1","type":"PullRequestEvent","actor":{"login":"a"},"repo":{"name":"x/y"},"payload":{"action":"opened","pull_request":{"base":{"repo":{"language":"Java"}}}},"created_at":"2020-05-01T00:00:00Z"}
            {"id":"2","type":"PullRequestEvent","actor":{"login":"a"},"repo":{"name":"x/y"},"payload":{"action":"opened","pull_request":{"base":{"repo":{"language":"Kotlin"}}}},"created_at":"2021-05-01T00:00:00Z"}
            {"id":"3","type":"PullRequestEvent","actor":{"login":"a"},"repo":{"name":"x/y"},"payload":{"action":"opened","pull_request":{"base":{"repo":{"language":null}}}},"created_at":"2022-05-01T00:00:00Z"}
            """
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let store = try CensusDatabase.open(path: directory.file("events.sqlite"))
        let reader = try #require(EventFileReader(people: EventPeople()))
        // Stored newest first: the 2021 sighting still wins; a null language is no sighting.
        let lineList = lines.split(separator: "\n").map(String.init)
        for (index, line) in lineList.reversed().enumerated() {
            let (batch, report) = reader.read(bytes: Array(line.utf8), name: "part\(index)")
            _ = try store.saveEvents(batch, file: EventCorpus.record(report, name: "part\(index)"))
        }
        #expect(try store.repositoryLanguages() == ["x/y": "Kotlin"])
    }

    @Test func compareWindowsAndGrowth() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let store = try CensusDatabase.open(path: directory.file("events.sqlite"))
        _ = try EventCorpus.load(into: store)
        // Around 2024-03-01 with 2 months: before [2024-01-01, 2024-03-01) holds 101-104 (4 events),
        // after [2024-03-01, 2024-05-01) holds 105-109 (5; 110 is a bot's).
        let march: Int64 = 1_709_251_200
        let window = try #require(EventWindow("2m"))
        let c = try store.eventCompare(
            EventComparisonSubject(metric: .events, filter: EventFilter()), date: march, window: window, period: .month,
            with: EventComparisonSubject(metric: .actors, filter: EventFilter()))
        #expect(c.beforeStart == EventCorpus.t2024)
        #expect(c.afterEnd == 1_714_521_600)  // 2024-05-01
        #expect(c.growth.before == 4 && c.growth.after == 5 && c.growth.absolute == 1)
        #expect(c.growth.relative == 0.25)
        #expect(
            c.series == [
                TimelinePoint(period: "2024-01", value: 2), TimelinePoint(period: "2024-02", value: 2),
                TimelinePoint(period: "2024-03", value: 2), TimelinePoint(period: "2024-04", value: 3),
            ])
        // Actors per month: January alice, bob; February carol, alice; March dave, bob; April erin, frank.
        #expect(c.withGrowth?.before == 3 && c.withGrowth?.after == 4)
        // Events 2, 2, 2, 3 against actors 2, 2, 2, 2: the second series is constant, so r is undefined.
        #expect(c.correlation?.points == 4)
        #expect(c.correlation?.r == nil)
        // Against a series from elsewhere: x = 2, 2, 2, 3 and y = 1, 2, 3, 4 give r = 1.5 / √(0.75 × 5).
        let other = ["2024-01", "2024-02", "2024-03", "2024-04", "2030-01"].enumerated().map {
            SeriesPoint(period: $0.element, value: Double($0.offset + 1))
        }
        let d = try store.eventCompare(
            EventComparisonSubject(metric: .events, filter: EventFilter()), date: march, window: window, period: .month,
            secondSeries: other)
        #expect(d.correlation?.points == 4)
        let r = try #require(d.correlation?.r)
        #expect(abs(r - 1.5 / (0.75 * 5.0).squareRoot()) < 1e-12)
    }

    @Test func windowsMoveTheCalendar() throws {
        let august31 = EventCalendar.days(2024, 8, 31)
        #expect(try #require(EventWindow("6m")).shift(days: august31, by: -1) == EventCalendar.days(2024, 2, 29))
        #expect(try #require(EventWindow("1y")).shift(days: august31, by: 1) == EventCalendar.days(2025, 8, 31))
        #expect(try #require(EventWindow("2w")).shift(days: august31, by: -1) == august31 - 14)
        #expect(try #require(EventWindow("30d")).shift(days: august31, by: 1) == august31 + 30)
        #expect(EventWindow("6x") == nil && EventWindow("m") == nil && EventWindow("0m") == nil)
        #expect(EventPeriod.week.label(Int64(EventCalendar.days(2024, 1, 7)) * 86_400) == "2024-01-01")  // a Sunday
        #expect(EventPeriod.quarter.labels(from: EventCorpus.t2024, through: EventCorpus.t2025) == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1"])
    }
}

/// Asks two stores every event question over a grid of filters and expects the same answers.
struct EventAnswersComparison {
    let reference: any EventStore
    let other: any EventStore
    var queries = 0

    mutating func same<T: Equatable>(
        _ what: String, _ ask: (any EventStore) throws -> T, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let expected = try ask(reference)
        let actual = try ask(other)
        queries += 1
        #expect(expected == actual, "\(what)\nexpected \(expected)\nactual   \(actual)", sourceLocation: sourceLocation)
    }

    /// `full`: every metric × group × period under four filters, and totals under three more;
    /// otherwise totals and rankings under the first filter only.
    mutating func compareEverything(full: Bool = true) throws {
        var filters: [EventFilter] = [
            EventFilter(), EventFilter(includeBots: true), EventFilter(language: "Go"),
            EventFilter(since: EventCorpus.t2024, until: EventCorpus.t2025),
        ]
        if !full { filters = [EventFilter()] }
        try same("languages") { try $0.repositoryLanguages() }
        for filter in filters + (full ? [EventFilter(language: "Rust"), EventFilter(region: "China"), EventFilter(company: "google inc.")] : []) {
            for metric in EventMetric.allCases {
                try same("total \(metric) \(filter)") { try $0.eventTotal(metric, filter: filter) }
                try same("unknown \(metric) \(filter)") { try $0.eventTotalWithoutLanguage(metric, filter: filter) }
            }
        }
        for filter in filters {
            for metric in EventMetric.allCases {
                for group in EventGroup.allCases {
                    try same("top \(metric) by \(group) \(filter)") { try $0.eventTop(metric, by: group, filter: filter, limit: 20) }
                }
                for period in EventPeriod.allCases where period != .day && full {
                    try same("timeline \(metric) by \(period) \(filter)") { try $0.eventTimeline(metric, by: period, filter: filter) }
                }
            }
        }
        let window = EventWindow(amount: 2, unit: .month)
        try same("compare") {
            try $0.eventCompare(
                EventComparisonSubject(metric: .events, filter: EventFilter()), date: 1_709_251_200, window: window,
                period: .week, with: EventComparisonSubject(metric: .stars, filter: EventFilter(language: "Go")))
        }
    }
}

@Suite(.serialized) struct ClickHouseEventTests {
    /// One server: the hand-worked answers, and every answer equal to SQLite's, before and after the
    /// same file is stored again (ClickHouse then holds its rows twice and counts them once).
    @Test(.enabled(if: TestServers.hasClickHouse, TestServers.noClickHouse))
    func eventsAnswerLikeSQLite() throws {
        let server = try ClickHouseServer()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let sqlite = try CensusDatabase.open(path: directory.file("events.sqlite"))
        let clickhouse = try ClickHouseStore.open(server.endpoint(database: "census"))
        for store in [sqlite, clickhouse] as [any EventStore] {
            #expect(try EventCorpus.load(into: store) == EventSaveResult(stored: 16, duplicates: 1))
            try store.saveRepositoryLanguages([("erin/new", "Zig")], at: 2_000_000_000)
            try EventStoreTests().expectHandWorkedAfterFile(store)
        }
        var comparison = EventAnswersComparison(reference: sqlite, other: clickhouse)
        try comparison.compareEverything()
        #expect(comparison.queries > 400)

        for store in [sqlite, clickhouse] as [any EventStore] {
            #expect(try EventCorpus.load(into: store) == EventSaveResult(stored: 0, duplicates: 17))
        }
        #expect(try server.run("SELECT count() FROM census.github_events") == "34\n")
        var again = EventAnswersComparison(reference: sqlite, other: clickhouse)
        try again.compareEverything(full: false)
        #expect(try clickhouse.eventFile(named: "mixed-eras.json") == sqlite.eventFile(named: "mixed-eras.json"))

        // Rows of a file whose record was never written (a killed ingest) are not counted.
        try server.run(
            "INSERT INTO census.github_events (event_id, created_at, type, repo, file_id) VALUES (999, 1704067200, 'WatchEvent', 'acme/widget', 77)")
        #expect(try clickhouse.eventTotal(.stars, filter: EventFilter()) == 3)
        try clickhouse.close()
        try sqlite.close()
    }

    /// A read that fails after some chunks leaves nothing counted, and no language sightings.
    @Test(.enabled(if: TestServers.hasClickHouse, TestServers.noClickHouse))
    func aReadInChunksIsAllOrNothing() throws {
        let server = try ClickHouseServer()
        defer { server.stop() }
        let clickhouse = try ClickHouseStore.open(server.endpoint(database: "census"))
        try EventCorpus.expectAllOrNothing(clickhouse)
        // The failed reads' events are in the table (1 + 4 chunks of 4), uncounted, with the whole read's 17.
        #expect(try server.run("SELECT count() FROM census.github_events") == "37\n")
        try clickhouse.close()
    }

    /// Through Distributed tables over two shards (events spread by `cityHash64(repo)`).
    @Test(.enabled(if: TestServers.hasClickHouse && TestServers.hasZooKeeper, TestServers.noZooKeeper))
    func eventsOnAClusterAnswerLikeSQLite() throws {
        let cluster = try ClickHouseCluster(shards: 2)
        defer { cluster.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let sqlite = try CensusDatabase.open(path: directory.file("events.sqlite"))
        let clickhouse = try ClickHouseStore.open(cluster.shards[0].endpoint(database: "census"), cluster: ClickHouseCluster.name)
        for store in [sqlite, clickhouse] as [any EventStore] {
            #expect(try EventCorpus.load(into: store) == EventSaveResult(stored: 16, duplicates: 1))
            try store.saveRepositoryLanguages([("erin/new", "Zig")], at: 2_000_000_000)
        }
        var comparison = EventAnswersComparison(reference: sqlite, other: clickhouse)
        try comparison.compareEverything(full: false)
        // The shards hold the 17 rows between them, each repository's on one shard only.
        let counts = try cluster.shards.map { try $0.run("SELECT count() FROM census.github_events_local") }
        #expect(counts.compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }.reduce(0, +) == 17, "\(counts)")
        let split = try cluster.shards.map { try $0.run("SELECT DISTINCT repo FROM census.github_events_local ORDER BY repo FORMAT CSV") }
        #expect(Set(split[0].split(separator: "\n")).isDisjoint(with: Set(split[1].split(separator: "\n"))))
        try clickhouse.close()
        try sqlite.close()
    }
}

extension EventStoreTests {
    /// The answers `--repo-languages` (erin/new → Zig) changes.
    func expectHandWorkedAfterFile(_ store: any EventStore) throws {
        let byLanguage = try store.eventTop(.events, by: .language, filter: EventFilter(), limit: 10)
        #expect(
            byLanguage.rows == [
                EventRankingRow(name: "Go", value: 11), EventRankingRow(name: "Rust", value: 2), EventRankingRow(name: "Zig", value: 2),
            ])
        #expect(byLanguage.unknownLanguage == 0)
        #expect(try store.eventTotal(.events, filter: EventFilter()) == 15)
        #expect(try store.eventTotal(.prsMerged, filter: EventFilter()) == 1)
        #expect(try store.eventTotal(.actors, filter: EventFilter(region: "China")) == 1)
    }
}
