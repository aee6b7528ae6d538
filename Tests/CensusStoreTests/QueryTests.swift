import Testing

@testable import CensusStore

/// Queries over the corpus of `Corpus` (see its table); every expected figure is worked out by hand
/// in the comments.
@Suite struct QueryTests {
    @Test func topCompaniesByGoCode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try Corpus.database(in: directory)

        // Own Go only: the api's 5,000 vendored lines and core's 1,000 generated lines do not count.
        // Initech: 2,000 of 2,000 own code → share 1.0, 20 files, 60,000 bytes, 1 repository.
        // Acme: api 800 + web 400 = 1,200 of 1,000 + 1,000 = 2,000 → share 0.6; 8 + 4 = 12 files;
        //       24,000 + 12,000 = 36,000 bytes; 2 repositories.
        // Globex: core 300 of core 3,000 + tools 1,000 = 4,000 → 0.075; tools has no Go.
        let rows = try database.top(language: "Go", by: .company, metric: .code)
        #expect(
            rows == [
                LanguageRankingRow(
                    name: "Initech", code: 2_000, bytes: 60_000, files: 20, repositories: 1, ownCode: 2_000, share: 1.0),
                LanguageRankingRow(
                    name: "Acme", code: 1_200, bytes: 36_000, files: 12, repositories: 2, ownCode: 2_000, share: 0.6),
                LanguageRankingRow(
                    name: "Globex", code: 300, bytes: 9_000, files: 3, repositories: 1, ownCode: 4_000, share: 0.075),
            ])
    }

    @Test func topOrdersByEachMetricThenName() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try Corpus.database(in: directory)

        // Repositories with Go: Acme 2, Globex 1, Initech 1; the tie is broken by name.
        #expect(
            try database.top(language: "Go", by: .company, metric: .repositories).map(\.name) == [
                "Acme", "Globex", "Initech",
            ])
        // Shares 1.0, 0.6, 0.075.
        #expect(
            try database.top(language: "Go", by: .company, metric: .share).map(\.name) == [
                "Initech", "Acme", "Globex",
            ])
        // Files 20, 12, 3; bytes 60,000, 36,000, 9,000.
        #expect(try database.top(language: "Go", by: .company, metric: .files).map(\.files) == [20, 12, 3])
        #expect(try database.top(language: "Go", by: .company, metric: .bytes).map(\.bytes) == [60_000, 36_000, 9_000])
        // Python by share: core+tools (Globex) 3,700 of 4,000 = 0.925; web (Acme) 600 of 2,000 = 0.3.
        let python = try database.top(language: "Python", by: .company, metric: .share)
        #expect(python.map(\.name) == ["Globex", "Acme"])
        #expect(python.map(\.share) == [0.925, 0.3])
    }

    @Test func topOrganisationsRepositoriesAndLimit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try Corpus.database(in: directory)

        // initech 2,000 (of 2,000); acme-labs 800 of 1,000 = 0.8; acme-cloud 400 of 1,000 = 0.4;
        // globex 300 of 4,000 = 0.075.
        let orgs = try database.top(language: "Go", by: .org, metric: .code)
        #expect(orgs.map(\.name) == ["initech", "acme-labs", "acme-cloud", "globex"])
        #expect(orgs.map(\.code) == [2_000, 800, 400, 300])
        #expect(orgs.map(\.share) == [1.0, 0.8, 0.4, 0.075])

        // Repositories, the two largest: the local app (2,000), then the api (800).
        let repositories = try database.top(language: "Go", by: .repository, metric: .code, limit: 2)
        #expect(repositories.map(\.name) == [Corpus.app, Corpus.api])
        #expect(repositories.map(\.ownCode) == [2_000, 1_000])

        // Markdown: only the api has own Markdown (tools' is documentation): 200 of 1,000.
        #expect(
            try database.top(language: "Markdown", by: .repository) == [
                LanguageRankingRow(
                    name: Corpus.api, code: 200, bytes: 6_000, files: 2, repositories: 1, ownCode: 1_000, share: 0.2)
            ])
        #expect(try database.top(language: "Rust", by: .company).isEmpty)
        #expect(try database.top(language: "Go", by: .company, limit: 0).isEmpty)
    }

    @Test func topCohortsAndCohortFilter() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try Corpus.database(in: directory)

        // sandbox = api, core, app: Go 800 + 300 + 2,000 = 3,100 of 1,000 + 3,000 + 2,000 = 6,000.
        // cncf = api, web, core: Go 800 + 400 + 300 = 1,500 of 1,000 + 1,000 + 3,000 = 5,000 → 0.3.
        let cohorts = try database.top(language: "Go", by: .cohort, metric: .code)
        #expect(cohorts.map(\.name) == ["sandbox", "cncf"])
        #expect(cohorts.map(\.code) == [3_100, 1_500])
        #expect(cohorts.map(\.ownCode) == [6_000, 5_000])
        #expect(cohorts.map(\.repositories) == [3, 3])
        #expect(cohorts[1].share == 0.3)

        // Python within cncf: Globex has only core there (2,700 of 3,000 = 0.9); Acme web 600 of
        // api 1,000 + web 1,000 = 2,000 → 0.3; Initech has none.
        let python = try database.top(language: "Python", by: .company, metric: .code, cohort: "cncf")
        #expect(
            python == [
                LanguageRankingRow(
                    name: "Globex", code: 2_700, bytes: 81_000, files: 9, repositories: 1, ownCode: 3_000, share: 0.9),
                LanguageRankingRow(
                    name: "Acme", code: 600, bytes: 18_000, files: 6, repositories: 1, ownCode: 2_000, share: 0.3),
            ])
        // Ranking cohorts with a cohort filter keeps only that cohort.
        #expect(try database.top(language: "Go", by: .cohort, cohort: "cncf").map(\.name) == ["cncf"])
        #expect(try database.top(language: "Go", by: .company, cohort: "no-such-cohort").isEmpty)
    }

    @Test func sharePerRepository() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try Corpus.database(in: directory)

        // Go shares: api 0.8, web 0.4, core 300/3,000 = 0.1 (exactly the threshold: matches),
        // tools 0, app 1.0 → 4 of 5. Go is 3,500 of 8,000 own code = 0.4375.
        let rows = try database.share(language: "Go", threshold: 0.10, unit: .repository)
        #expect(
            rows == [LanguageShareRow(group: nil, unitsMatching: 4, unitsTotal: 5, languageCode: 3_500, ownCode: 8_000)]
        )
        #expect(rows[0].fraction == 0.8)
        #expect(rows[0].languageShare == 0.4375)

        // Just above 10 %, core drops out: 3 of 5.
        #expect(try database.share(language: "Go", threshold: 0.100001).first?.unitsMatching == 3)
        // Threshold 0 still needs some Go: tools has none → 4 of 5.
        #expect(try database.share(language: "Go", threshold: 0).first?.unitsMatching == 4)
        // A language nobody writes.
        #expect(
            try database.share(language: "Rust", threshold: 0.1) == [
                LanguageShareRow(group: nil, unitsMatching: 0, unitsTotal: 5, languageCode: 0, ownCode: 8_000)
            ])
        #expect(throws: CensusStoreError.self) { try database.share(language: "Go", threshold: 1.5) }
    }

    @Test func sharePerCompanyAndOrganisation() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try Corpus.database(in: directory)

        // Companies at 50 %: Acme 0.6 yes, Globex 0.075 no, Initech 1.0 yes → 2 of 3.
        #expect(
            try database.share(language: "Go", threshold: 0.5, unit: .company) == [
                LanguageShareRow(group: nil, unitsMatching: 2, unitsTotal: 3, languageCode: 3_500, ownCode: 8_000)
            ])
        // Organisations at 50 %: acme-labs 0.8 yes, acme-cloud 0.4 no, globex 0.075 no, initech yes → 2 of 4.
        #expect(try database.share(language: "Go", threshold: 0.5, unit: .org).first?.unitsMatching == 2)
        #expect(try database.share(language: "Go", threshold: 0.5, unit: .org).first?.unitsTotal == 4)
        // Within sandbox (api, core, app), companies at 50 %: Acme only api 0.8 yes, Globex only core
        // 0.1 no, Initech yes → 2 of 3; Go 3,100 of 6,000.
        #expect(
            try database.share(language: "Go", threshold: 0.5, unit: .company, cohort: "sandbox") == [
                LanguageShareRow(group: nil, unitsMatching: 2, unitsTotal: 3, languageCode: 3_100, ownCode: 6_000)
            ])
    }

    @Test func shareGroupedByCohortAndCompany() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try Corpus.database(in: directory)

        // Repositories at 50 %, per cohort:
        // cncf: api 0.8 yes, web 0.4 no, core 0.1 no → 1 of 3; Go 1,500 of 5,000.
        // sandbox: api yes, core no, app 1.0 yes → 2 of 3; Go 3,100 of 6,000.
        // tools is in no cohort and appears nowhere.
        #expect(
            try database.share(language: "Go", by: .cohort, threshold: 0.5) == [
                LanguageShareRow(group: "cncf", unitsMatching: 1, unitsTotal: 3, languageCode: 1_500, ownCode: 5_000),
                LanguageShareRow(
                    group: "sandbox", unitsMatching: 2, unitsTotal: 3, languageCode: 3_100, ownCode: 6_000),
            ])
        // Per company: Acme api yes, web no → 1 of 2, Go 1,200 of 2,000; Globex core no, tools no →
        // 0 of 2, 300 of 4,000; Initech 1 of 1, 2,000 of 2,000.
        #expect(
            try database.share(language: "Go", by: .company, threshold: 0.5) == [
                LanguageShareRow(group: "Acme", unitsMatching: 1, unitsTotal: 2, languageCode: 1_200, ownCode: 2_000),
                LanguageShareRow(group: "Globex", unitsMatching: 0, unitsTotal: 2, languageCode: 300, ownCode: 4_000),
                LanguageShareRow(
                    group: "Initech", unitsMatching: 1, unitsTotal: 1, languageCode: 2_000, ownCode: 2_000),
            ])
        // Organisations per cohort, only cncf: acme-labs (api 0.8) yes, acme-cloud (web 0.4) no,
        // globex (core only, 0.1) no → 1 of 3.
        #expect(
            try database.share(language: "Go", by: .cohort, threshold: 0.5, unit: .org, cohort: "cncf") == [
                LanguageShareRow(group: "cncf", unitsMatching: 1, unitsTotal: 3, languageCode: 1_500, ownCode: 5_000)
            ])
    }

    @Test func breakdownAcrossTheCorpus() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try Corpus.database(in: directory)

        // Bar bytes: Python 18,000 + 81,000 + 30,000 = 129,000; Go 24,000 + 12,000 + 9,000 + 60,000
        // = 105,000; Markdown (prose) 0. Total 234,000: Python 129/234 = 55.128…%, Go 105/234 = 44.871…%.
        let rows = try database.breakdown()
        #expect(rows.map(\.language) == ["Python", "Go", "Markdown"])
        #expect(
            rows[0]
                == LanguageBreakdownRow(
                    language: "Python", type: .programming, repositories: 3, ownRepositories: 3,
                    own: StoredCounts(files: 20, code: 4_300, comment: 430, blank: 170, bytes: 129_000),
                    excluded: StoredCounts(), breakdownBytes: 129_000, percentage: rows[0].percentage))
        #expect(abs(rows[0].percentage - 55.128_205_128_205_13) < 1e-9)
        // Go: in api (own and vendored), web, core (own and generated), app → 4 repositories.
        // Own: files 8+4+3+20 = 35, code 3,500, comment 100+40+30+200 = 370, blank 50+20+15+100 = 185,
        // bytes 105,000. Excluded: vendored 10 files 5,000 code 600 comment 400 blank 150,000 bytes,
        // plus generated 1 file 1,000 code 40,000 bytes.
        #expect(
            rows[1]
                == LanguageBreakdownRow(
                    language: "Go", type: .programming, repositories: 4, ownRepositories: 4,
                    own: StoredCounts(files: 35, code: 3_500, comment: 370, blank: 185, bytes: 105_000),
                    excluded: StoredCounts(files: 11, code: 6_000, comment: 600, blank: 400, bytes: 190_000),
                    breakdownBytes: 105_000, percentage: rows[1].percentage))
        #expect(abs(rows[1].percentage - 44.871_794_871_794_87) < 1e-9)
        // Markdown: api's own 2 files, tools' 4 documentation files.
        #expect(
            rows[2]
                == LanguageBreakdownRow(
                    language: "Markdown", type: .prose, repositories: 2, ownRepositories: 1,
                    own: StoredCounts(files: 2, code: 200, comment: 0, blank: 40, bytes: 6_000),
                    excluded: StoredCounts(files: 4, code: 400, comment: 0, blank: 80, bytes: 12_000),
                    breakdownBytes: 0, percentage: 0))
    }

    @Test func breakdownOfACohort() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try Corpus.database(in: directory)

        // sandbox = api, core, app. Go bar 24,000 + 9,000 + 60,000 = 93,000; Python core 81,000;
        // total 174,000.
        let rows = try database.breakdown(cohort: "sandbox")
        #expect(rows.map(\.language) == ["Go", "Python", "Markdown"])
        #expect(rows.map(\.own.code) == [3_100, 2_700, 200])
        #expect(rows.map(\.breakdownBytes) == [93_000, 81_000, 0])
        #expect(abs(rows[0].percentage - 100.0 * 93.0 / 174.0) < 1e-9)
        #expect(try database.breakdown(cohort: "empty").isEmpty)
    }

    @Test func repositoriesWithMetadata() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try Corpus.database(in: directory)

        let rows = try database.repositories()
        // Ordered by key: "/" sorts before "g".
        #expect(rows.map(\.repository.key) == [Corpus.app, Corpus.web, Corpus.api, Corpus.core, Corpus.tools])
        let api = try #require(rows.first { $0.repository.key == Corpus.api })
        var expected = Corpus.repositories[0].0
        expected.cohorts = ["cncf", "sandbox"]  // sorted, the duplicate gone
        #expect(api.repository == expected)
        // Own: Go 8 files 800 code 100 comment 50 blank 24,000 bytes + Markdown 2, 200, 0, 40, 6,000.
        #expect(api.own == StoredCounts(files: 10, code: 1_000, comment: 100, blank: 90, bytes: 30_000))
        #expect(api.breakdownBytes == 24_000)
        let app = try #require(rows.first)
        #expect(app.repository.commit == nil && app.repository.host == nil && app.repository.cohorts == ["sandbox"])

        #expect(
            try database.repositories(cohort: "cncf").map(\.repository.key) == [Corpus.web, Corpus.api, Corpus.core])
        #expect(
            try database.rowCounts()
                == StoreRowCounts(repositories: 5, cohortMemberships: 6, languageRows: 11, fileRows: 0))
    }

    @Test func valuesAreBoundNotSpliced() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try CensusDatabase.open(path: directory.file("quotes.sqlite"))
        let language = "O'Caml\"; DROP TABLE repositories; --"
        let company = "Bobby' OR '1'='1"
        try database.save(
            repository: repository("x/y/z", company: company, cohorts: ["it's"]),
            languages: [total(language, .programming, files: 1, code: 10, comment: 0, blank: 0, bytes: 100)])

        #expect(try database.top(language: language, by: .company, cohort: "it's").map(\.name) == [company])
        #expect(try database.breakdown().map(\.language) == [language])
        #expect(try database.rowCounts().repositories == 1)

        let query = StoreQueries(dialect: .sqlite).top(
            language: language, by: .company, metric: .share, cohort: "it's", limit: 3)
        #expect(!query.sql.contains("O'Caml") && !query.sql.contains("it's"))
        #expect(query.arguments.contains(.text(language)) && query.arguments.contains(.integer(3)))
        #expect(query.sql.filter { $0 == "?" }.count == query.arguments.count)
    }

    @Test func companiesAreOptional() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try CensusDatabase.open(path: directory.file("companies.sqlite"))
        let go = total("Go", .programming, files: 1, code: 100, comment: 0, blank: 0, bytes: 1_000)
        try database.save(repository: repository("a", org: "o1", company: "C"), languages: [go])
        try database.save(repository: repository("b", org: "o1"), languages: [go])

        // b has no company: left out of company rankings, counted for its organisation.
        #expect(try database.top(language: "Go", by: .company).map(\.code) == [100])
        #expect(try database.top(language: "Go", by: .org).map(\.code) == [200])
        #expect(try database.share(language: "Go", threshold: 0.5, unit: .company).first?.unitsTotal == 1)
    }
}
