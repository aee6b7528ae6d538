import Foundation

@testable import CensusStore

/// A fresh directory under the system's temporary directory, removed by `cleanUp()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        let template = NSTemporaryDirectory() + "census-store-XXXXXX"
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else {
            throw CocoaError(.fileWriteUnknown)
        }
        path = String(cString: made)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Language totals shorthand: `total("Go", .programming, files: 8, code: 800, …)`.
func total(
    _ language: String, _ type: StoredLanguageType, _ category: StoredFileCategory = .own, files: Int, code: Int,
    comment: Int, blank: Int, bytes: Int, bar: Int = 0
) -> StoredLanguageTotal {
    StoredLanguageTotal(
        language: language, type: type, category: category, files: files, code: code, comment: comment,
        blank: blank, bytes: bytes, breakdownBytes: bar)
}

/// The small corpus the query tests assert against: 3 companies, 4 organisations, 5 repositories,
/// 3 languages (Go and Python, programming; Markdown, prose), own and excluded code.
///
/// | repository (key)          | org        | company | cohorts        | own Go | own Python | own Markdown | own total | excluded                   |
/// |---------------------------|------------|---------|----------------|-------:|-----------:|-------------:|----------:|----------------------------|
/// | github.com/acme-labs/api  | acme-labs  | Acme    | cncf, sandbox  |    800 |          — |          200 |     1,000 | vendored Go 5,000          |
/// | github.com/acme-cloud/web | acme-cloud | Acme    | cncf           |    400 |        600 |            — |     1,000 |                            |
/// | github.com/globex/core    | globex     | Globex  | cncf, sandbox  |    300 |      2,700 |            — |     3,000 | generated Go 1,000         |
/// | gitlab.com/globex/tools   | globex     | Globex  | —              |      — |      1,000 |            — |     1,000 | documentation Markdown 400 |
/// | /srv/src/initech-app      | initech    | Initech | sandbox        |  2,000 |          — |            — |     2,000 |                            |
///
/// Own Go: 800 + 400 + 300 + 2,000 = 3,500 of 8,000 own code in all.
enum Corpus {
    static let api = "github.com/acme-labs/api"
    static let web = "github.com/acme-cloud/web"
    static let core = "github.com/globex/core"
    static let tools = "gitlab.com/globex/tools"
    static let app = "/srv/src/initech-app"

    static let apiCommit = String(repeating: "a1", count: 20)

    static let repositories: [(StoredRepository, [StoredLanguageTotal])] = [
        (
            StoredRepository(
                key: api, location: "https://github.com/acme-labs/api", host: "github.com", owner: "acme-labs",
                name: "api", org: "acme-labs", company: "Acme", cohorts: ["sandbox", "cncf", "cncf"],
                commit: apiCommit, commitDate: 1_700_000_000, rootCommitDate: 1_500_000_000, commitCount: 1234,
                defaultBranch: "main", remoteURL: "https://github.com/acme-labs/api.git", scannedAt: 1_710_000_000,
                censusVersion: "0.1.0"),
            [
                total("Go", .programming, files: 8, code: 800, comment: 100, blank: 50, bytes: 24_000, bar: 24_000),
                total("Markdown", .prose, files: 2, code: 200, comment: 0, blank: 40, bytes: 6_000),
                total(
                    "Go", .programming, .vendored, files: 10, code: 5_000, comment: 600, blank: 400, bytes: 150_000),
            ]
        ),
        (
            StoredRepository(
                key: web, location: "https://github.com/acme-cloud/web", host: "github.com", owner: "acme-cloud",
                name: "web", org: "acme-cloud", company: "Acme", cohorts: ["cncf"],
                commit: String(repeating: "b2", count: 20), scannedAt: 1_710_000_001, censusVersion: "0.1.0"),
            [
                total("Go", .programming, files: 4, code: 400, comment: 40, blank: 20, bytes: 12_000, bar: 12_000),
                total("Python", .programming, files: 6, code: 600, comment: 60, blank: 30, bytes: 18_000, bar: 18_000),
            ]
        ),
        (
            StoredRepository(
                key: core, location: "git@github.com:globex/core.git", host: "github.com", owner: "globex",
                name: "core", org: "globex", company: "Globex", cohorts: ["cncf", "sandbox"],
                commit: String(repeating: "c3", count: 20), scannedAt: 1_710_000_002, censusVersion: "0.1.0"),
            [
                total("Go", .programming, files: 3, code: 300, comment: 30, blank: 15, bytes: 9_000, bar: 9_000),
                total(
                    "Python", .programming, files: 9, code: 2_700, comment: 270, blank: 90, bytes: 81_000, bar: 81_000),
                total("Go", .programming, .generated, files: 1, code: 1_000, comment: 0, blank: 0, bytes: 40_000),
            ]
        ),
        (
            StoredRepository(
                key: tools, location: "https://gitlab.com/globex/tools", host: "gitlab.com", owner: "globex",
                name: "tools", org: "globex", company: "Globex", cohorts: [],
                commit: String(repeating: "d4", count: 20), scannedAt: 1_710_000_003, censusVersion: "0.1.0"),
            [
                total(
                    "Python", .programming, files: 5, code: 1_000, comment: 100, blank: 50, bytes: 30_000, bar: 30_000),
                total("Markdown", .prose, .documentation, files: 4, code: 400, comment: 0, blank: 80, bytes: 12_000),
            ]
        ),
        (
            StoredRepository(
                key: app, location: "/srv/src/initech-app", org: "initech", company: "Initech", cohorts: ["sandbox"],
                revision: "HEAD", commit: nil, scannedAt: 1_710_000_004, censusVersion: "0.1.0"),
            [
                total(
                    "Go", .programming, files: 20, code: 2_000, comment: 200, blank: 100, bytes: 60_000, bar: 60_000)
            ]
        ),
    ]

    /// A new database in `directory` holding the corpus.
    static func database(in directory: TemporaryDirectory) throws -> CensusDatabase {
        let database = try CensusDatabase.open(path: directory.file("corpus.sqlite"))
        for (repository, languages) in repositories {
            try database.save(repository: repository, languages: languages)
        }
        return database
    }
}

/// `count` file rows for a repository, `file-0.go`…, 10 code lines and 300 bytes each.
func files(_ count: Int, language: String = "Go") -> [StoredFile] {
    (0..<count).map {
        StoredFile(
            path: "src/file-\($0).go", language: language, code: 10, comment: 2, blank: 1, bytes: 300,
            strategy: "extension")
    }
}

/// A repository with defaults for what a test does not care about.
func repository(
    _ key: String, org: String = "org", company: String? = nil, cohorts: [String] = [], commit: String? = nil
)
    -> StoredRepository
{
    StoredRepository(
        key: key, location: key, org: org, company: company, cohorts: cohorts, commit: commit, scannedAt: 1_700_000_000,
        censusVersion: "test")
}

/// This test bundle run again as a child process, to exercise what only separate processes show
/// (several writers on one file, permissions that bind only users other than root).
enum ChildTest {
    /// Set in a child's environment; tests that must run only in a child check it.
    static let marker = "CENSUS_STORE_CHILD"

    static var isChild: Bool { ProcessInfo.processInfo.environment[marker] != nil }

    /// The running test executable, when it can be started again (an `.xctest` executable, as
    /// `swift test` runs on Linux).
    static var executable: String? {
        let path = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        guard path.hasSuffix(".xctest"), FileManager.default.isExecutableFile(atPath: path) else { return nil }
        return path
    }

    /// Starts the Swift Testing test matching `filter` in a new process; `asNobody` drops to uid
    /// 65534 with setpriv. Output goes to a file (nothing can fill a pipe and block the child).
    static func start(
        _ filter: String, environment: [String: String], asNobody: Bool = false, log: String
    ) throws -> Process {
        guard let executable else { throw CocoaError(.executableNotLoadable) }
        let process = Process()
        let arguments = ["--testing-library", "swift-testing", "--filter", filter]
        if asNobody {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        var environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        environment[marker] = "1"
        if asNobody { environment["HOME"] = "/tmp" }
        process.environment = environment
        FileManager.default.createFile(atPath: log, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }
}
