import CodeCensus
import Foundation
import Testing

@testable import CensusStore

/// `--keep-language`, `--keep-org`, `--keep-manifest` and the side files, over the fixture of
/// `Fixtures/mixed-eras.json` (17 lines: acme/widget 12 events with Go from the Timeline and pull
/// requests, other/lib 2 with Rust from a pull request, erin/new 2 with no language; the Timeline
/// duplicate is one of acme/widget's).
@Suite struct EventFilterTests {
    static let fixture = EventIngestTests.fixture

    func run(_ filters: EventFilters, people: EventPeople = EventPeople()) throws -> (EventIngestResult, CensusDatabase, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("census-filter-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try CensusDatabase.open(path: directory + "/census.sqlite")
        let (inputs, _) = EventInput.expand([Self.fixture])
        let result = try #require(EventIngest(jobs: 1, people: people, filters: filters).run(inputs, into: store) { _ in }.first)
        return (result, store, directory)
    }

    @Test func keepOrg() throws {
        var filters = EventFilters()
        filters.orgs = ["other", "erin"]
        let (result, store, directory) = try run(filters)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(result.report.events == 17 && result.report.filtered == 13)
        #expect(result.saved?.stored == 4)
        #expect(try store.eventTop(.events, by: .org, filter: EventFilter(), limit: 5).rows.map(\.name) == ["erin", "other"])
        #expect(try store.eventFile(named: "mixed-eras.json")?.options == "org=erin,other")
    }

    @Test func keepLanguageUsesTheEventsOwnLanguageThenTheStore() throws {
        var filters = EventFilters()
        filters.languages = ["go"]
        let (result, store, directory) = try run(filters)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Kept: the events that carry Go themselves: 104, 105 (pull requests) and the 4 Timeline
        // lines (one a duplicate). The other events of acme/widget carry no language and the
        // store knows none yet, so they are left out.
        #expect(result.report.filtered == 11)
        #expect(result.saved?.stored == 5 && result.saved?.duplicates == 1)

        // With the store knowing acme/widget is Go, its other events are kept too.
        var known = EventFilters()
        known.languages = ["go"]
        known.knownLanguages = ["acme/widget": "Go"]
        let (again, _, other) = try run(known)
        defer { try? FileManager.default.removeItem(atPath: other) }
        #expect(again.report.filtered == 4)  // other/lib (2) and erin/new (2)
        #expect(again.saved?.stored == 12)
        #expect(try store.eventTotal(.events, filter: EventFilter(includeBots: true)) == 5)
    }

    @Test func keepManifest() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("census-manifest-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let manifest = directory + "/repos.txt"
        try "# a census manifest\nhttps://github.com/Other/Lib\nhttps://gitlab.com/acme/widget\n".write(toFile: manifest, atomically: true, encoding: .utf8)
        var filters = EventFilters()
        filters.repositories = try EventSideFiles.manifestRepositories(manifest).repositories
        #expect(filters.repositories == ["other/lib"])
        let (result, store, scratch) = try run(filters)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        #expect(result.saved?.stored == 2)
        #expect(try store.eventTop(.events, by: .repo, filter: EventFilter(), limit: 5).rows == [EventRankingRow(name: "other/lib", value: 2)])
    }

    @Test func sideFilesAreReadWithTheirProblemsNamed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("census-side-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "login,company,location\nFrank,\"Acme, Inc.\",\"Berlin, Germany\"\n,Nobody,Nowhere\ngina,,\n"
            .write(toFile: directory + "/users.csv", atomically: true, encoding: .utf8)
        let users = try EventSideFiles.users(directory + "/users.csv")
        #expect(users.users == ["frank": EventUser(company: "Acme, Inc.", location: "Berlin, Germany"), "gina": EventUser(company: nil, location: nil)])
        #expect(users.diagnostics.map(\.location.line) == [3])
        try "repo,language\nerin/new,Zig\nnot a repo,Go\n".write(toFile: directory + "/languages.csv", atomically: true, encoding: .utf8)
        let languages = try EventSideFiles.repositoryLanguages(directory + "/languages.csv")
        #expect(languages.languages.map(\.repo) == ["erin/new"] && languages.languages.map(\.language) == ["Zig"])
        #expect(languages.diagnostics.map(\.location.line) == [3])
        #expect(throws: EventSideFiles.Failure.self) { try EventSideFiles.users(directory + "/missing.csv") }
    }
}
