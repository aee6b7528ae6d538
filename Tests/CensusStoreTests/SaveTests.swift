import Testing

@testable import CensusStore

@Suite struct SaveTests {
    struct Interrupted: Error {}

    @Test func rerunReplacesTheRepository() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try Corpus.database(in: directory)

        // The api rescanned: Markdown gone, Go grown to 1,000, one cohort left, 3 file rows.
        var api = Corpus.repositories[0].0
        api.cohorts = ["cncf"]
        api.commit = String(repeating: "e5", count: 20)
        try database.save(
            repository: api,
            languages: [total("Go", .programming, files: 10, code: 1_000, comment: 0, blank: 0, bytes: 30_000)],
            files: files(3))

        // Rows: 11 language rows - 3 of the old api + 1 = 9; cohorts 6 - 2 + 1 = 5.
        #expect(
            try database.rowCounts()
                == StoreRowCounts(repositories: 5, cohortMemberships: 5, languageRows: 9, fileRows: 3))
        // Acme's Go: 1,000 + 400 of 1,000 + 1,000 own code.
        let acme = try #require(try database.top(language: "Go", by: .company).first { $0.name == "Acme" })
        #expect(acme.code == 1_400 && acme.ownCode == 2_000)
        #expect(try database.top(language: "Markdown", by: .repository).isEmpty)
        #expect(try database.top(language: "Go", by: .cohort).map(\.name) == ["sandbox", "cncf"])
        // sandbox lost the api: core 300 + app 2,000.
        #expect(try database.top(language: "Go", by: .cohort).first?.code == 2_300)

        // Saving the same thing twice changes nothing.
        try database.save(
            repository: api,
            languages: [total("Go", .programming, files: 10, code: 1_000, comment: 0, blank: 0, bytes: 30_000)],
            files: files(3))
        #expect(try database.rowCounts().fileRows == 3)
    }

    @Test func upToDateWhenTheCommitIsStored() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try Corpus.database(in: directory)

        #expect(try database.isUpToDate(key: Corpus.api, commit: Corpus.apiCommit))
        #expect(try database.isUpToDate(key: Corpus.api, commit: Corpus.apiCommit.uppercased()))
        #expect(try !database.isUpToDate(key: Corpus.api, commit: String(repeating: "0", count: 40)))
        #expect(try !database.isUpToDate(key: "github.com/nobody/nothing", commit: Corpus.apiCommit))
        // A plain directory has no commit: always rescanned.
        #expect(try !database.isUpToDate(key: Corpus.app, commit: nil))
        #expect(try database.remove(key: Corpus.api))
        #expect(try !database.remove(key: Corpus.api))
        #expect(try !database.isUpToDate(key: Corpus.api, commit: Corpus.apiCommit))
        #expect(
            try database.rowCounts()
                == StoreRowCounts(repositories: 4, cohortMemberships: 4, languageRows: 8, fileRows: 0))
    }

    @Test func anInterruptedSaveLeavesThePreviousVersion() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try CensusDatabase.open(path: directory.file("interrupted.sqlite"))
        let go = total("Go", .programming, files: 100, code: 1_000, comment: 200, blank: 100, bytes: 30_000)
        try database.save(repository: repository("r", cohorts: ["one"]), languages: [go], files: files(100))

        // A rescan that fails after 50 of its 200 file rows, its repository row, cohorts and language
        // rows already inserted inside the transaction.
        let bigger = total("Go", .programming, files: 200, code: 2_000, comment: 400, blank: 200, bytes: 60_000)
        #expect(throws: Interrupted.self) {
            try database.save(
                repository: repository("r", cohorts: ["two"]), languages: [bigger], files: files(200),
                afterFileRow: { if $0 == 50 { throw Interrupted() } })
        }
        // Still the first version, whole.
        #expect(
            try database.rowCounts()
                == StoreRowCounts(repositories: 1, cohortMemberships: 1, languageRows: 1, fileRows: 100))
        #expect(try database.repositories().first?.repository.cohorts == ["one"])
        #expect(try database.top(language: "Go", by: .repository).first?.code == 1_000)

        // A new repository interrupted the same way is not there at all.
        #expect(throws: Interrupted.self) {
            try database.save(
                repository: repository("new"), languages: [bigger], files: files(200),
                afterFileRow: { if $0 == 120 { throw Interrupted() } })
        }
        #expect(try database.repositories().map(\.repository.key) == ["r"])
        #expect(try database.rowCounts().fileRows == 100)
    }

    @Test func invalidInputIsRefusedBeforeWriting() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try CensusDatabase.open(path: directory.file("invalid.sqlite"))
        let go = total("Go", .programming, files: 1, code: 10, comment: 0, blank: 0, bytes: 100)
        try database.save(repository: repository("r"), languages: [go])

        func refusal(_ body: () throws -> Void) -> CensusStoreError? {
            do { try body() } catch let error as CensusStoreError { return error } catch { return nil }
            return nil
        }
        let badCommit = refusal {
            try database.save(repository: repository("r", commit: "not-a-commit"), languages: [go])
        }
        #expect(badCommit?.code == .invalidInput)
        #expect(badCommit?.repository == "r")
        #expect(badCommit?.description.contains("not-a-commit") == true)
        #expect(badCommit?.description.contains(database.path) == true)

        let twice = refusal { try database.save(repository: repository("r"), languages: [go, go]) }
        #expect(twice?.code == .invalidInput)
        #expect(twice?.message.contains("Go appears twice") == true)

        var negative = go
        negative.code = -1
        #expect(
            refusal { try database.save(repository: repository("r"), languages: [negative]) }?.code == .invalidInput)
        #expect(refusal { try database.save(repository: repository(""), languages: [go]) }?.code == .invalidInput)

        // The stored version is untouched; a 64-digit (SHA-256) commit is accepted.
        #expect(
            try database.rowCounts()
                == StoreRowCounts(repositories: 1, cohortMemberships: 0, languageRows: 1, fileRows: 0))
        try database.save(repository: repository("r", commit: String(repeating: "F", count: 64)), languages: [go])
        #expect(try database.isUpToDate(key: "r", commit: String(repeating: "f", count: 64)))
    }

    @Test func bulkFileRows() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try CensusDatabase.open(path: directory.file("bulk.sqlite"))
        let go = total(
            "Go", .programming, files: 50_000, code: 500_000, comment: 100_000, blank: 50_000, bytes: 15_000_000)
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            try database.save(repository: repository("big"), languages: [go], files: files(50_000))
        }
        print("saved 50,000 file rows in \(elapsed)")
        #expect(try database.rowCounts().fileRows == 50_000)
        // Replacing them deletes the old 50,000 first.
        try database.save(repository: repository("big"), languages: [go], files: files(10))
        #expect(try database.rowCounts().fileRows == 10)
    }
}
