import Dispatch
import Foundation
import Synchronization
import Testing

@testable import CensusStore

@Suite struct ConcurrencyTests {
    /// Four threads, each with its own `CensusDatabase` on one file (as separate census processes
    /// would have), save 15 repositories each, with 40 file rows apiece, while also reading.
    @Test func separateConnectionsWriteOneFileAtOnce() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let path = directory.file("shared/census.sqlite")
        let writers = 4
        let perWriter = 15
        let failures = Mutex<[String]>([])

        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            do {
                let database = try CensusDatabase.open(path: path)
                for index in 0..<perWriter {
                    // Writer w's repositories have w + 1 lines of Go per file: 40 × (w + 1) lines.
                    let lines = writer + 1
                    try database.save(
                        repository: repository(
                            "host/w\(writer)/r\(index)", org: "w\(writer)", company: "C",
                            cohorts: ["all", "w\(writer)"]),
                        languages: [
                            total(
                                "Go", .programming, files: 40, code: 40 * lines, comment: 0, blank: 0, bytes: 400,
                                bar: 400),
                            total("YAML", .data, files: 1, code: 10, comment: 0, blank: 0, bytes: 100),
                        ],
                        files: (0..<40).map {
                            StoredFile(
                                path: "f\($0).go", language: "Go", code: lines, comment: 0, blank: 0, bytes: 10,
                                strategy: "extension")
                        })
                    _ = try database.top(language: "Go", by: .org)
                }
            } catch {
                failures.withLock { $0.append("writer \(writer): \(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])

        let database = try CensusDatabase.open(path: path)
        // 4 × 15 = 60 repositories, each with 2 cohorts, 2 language rows and 40 file rows.
        #expect(
            try database.rowCounts()
                == StoreRowCounts(repositories: 60, cohortMemberships: 120, languageRows: 120, fileRows: 2_400))
        // Go per org: 15 repositories × 40 × (w + 1) = 600, 1,200, 1,800, 2,400; 3,000 + 3,000 = 6,000 in all.
        #expect(try database.top(language: "Go", by: .org).map(\.code) == [2_400, 1_800, 1_200, 600])
        #expect(try database.top(language: "Go", by: .company).first?.code == 6_000)
        // YAML: 60 × 10 = 600 lines of own data code; Go 6,000 of 6,600.
        #expect(try database.top(language: "Go", by: .cohort, cohort: "all").first?.ownCode == 6_600)
    }

    /// Several connections opening a new database at once all find the schema ready.
    @Test func simultaneousFirstOpens() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let path = directory.file("fresh.sqlite")
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 6) { index in
            do {
                let database = try CensusDatabase.open(path: path)
                try database.save(
                    repository: repository("r\(index)"),
                    languages: [total("Go", .programming, files: 1, code: 1, comment: 0, blank: 0, bytes: 1)])
            } catch {
                failures.withLock { $0.append("\(index): \(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        #expect(try CensusDatabase.open(path: path).rowCounts().repositories == 6)
    }

    /// Three separate processes (this test bundle started again) save 20 repositories each, with 25
    /// file rows apiece, into one new database at once.
    @Test(
        .enabled(if: !ChildTest.isChild && ChildTest.executable != nil, "needs the test executable to start children"))
    func separateProcessesWriteOneFileAtOnce() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let path = directory.file("processes.sqlite")
        let children = try (0..<3).map { index in
            try ChildTest.start(
                "childProcessWriter",
                environment: ["CENSUS_STORE_CHILD_DATABASE": path, "CENSUS_STORE_CHILD_INDEX": "\(index)"],
                log: directory.file("child-\(index).log"))
        }
        for (index, child) in children.enumerated() {
            child.waitUntilExit()
            let log = (try? String(contentsOfFile: directory.file("child-\(index).log"), encoding: .utf8)) ?? ""
            #expect(child.terminationStatus == 0, "child \(index) failed:\n\(log)")
        }
        let database = try CensusDatabase.open(path: path)
        // 3 × 20 = 60 repositories, 60 language rows, 60 × 25 = 1,500 file rows; Go 60 × 250 = 15,000.
        #expect(
            try database.rowCounts()
                == StoreRowCounts(repositories: 60, cohortMemberships: 60, languageRows: 60, fileRows: 1_500))
        #expect(try database.top(language: "Go", by: .cohort).map(\.code) == [15_000])
        #expect(try database.top(language: "Go", by: .org).map(\.code) == [5_000, 5_000, 5_000])
    }

    /// The writer that ``separateProcessesWriteOneFileAtOnce()`` starts; it does nothing elsewhere.
    @Test(.enabled(if: ChildTest.isChild, "runs only in a child process another test starts"))
    func childProcessWriter() throws {
        let environment = ProcessInfo.processInfo.environment
        let path = try #require(environment["CENSUS_STORE_CHILD_DATABASE"])
        let index = try #require(environment["CENSUS_STORE_CHILD_INDEX"])
        let database = try CensusDatabase.open(path: path)
        for number in 0..<20 {
            try database.save(
                repository: repository("process\(index)/r\(number)", org: "p\(index)", cohorts: ["all"]),
                languages: [total("Go", .programming, files: 25, code: 250, comment: 0, blank: 0, bytes: 2_500)],
                files: files(25))
        }
    }
}
