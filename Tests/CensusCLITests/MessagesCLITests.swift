import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What census says for a user's mistake: every message names what, where and what to do; read
/// here as a user reads it.
@Suite("census error messages")
struct ErrorMessageTests {
    @Test func aMissingDatabaseSaysWhereAndHowToMakeOne() throws {
        let tree = PublicTree()
        let path = tree.path + "/absent.db"
        let run = try CLI.run(["top", "--language", "Go", "--db", path])
        #expect(run.status == 1)
        #expect(
            run.stderr
                == "census: error: there is no database here to read: check the path (--db or $CENSUS_DB), or create it with `census scan` (\(path))\n"
        )
        #expect(run.stdout.isEmpty)
    }

    @Test func noDatabaseNamedAtAll() throws {
        // Neither --db, $CENSUS_DB, $XDG_DATA_HOME nor $HOME: nothing names a database.
        let run = try CLI.run(
            ["top", "--language", "Go"], environment: ["CENSUS_DB": "", "XDG_DATA_HOME": "", "HOME": ""])
        #expect(run.status == 1)
        #expect(run.stderr == "census: error: no database named: set --db or $CENSUS_DB\n")
    }

    @Test func anUnknownLanguageSuggestsTheClosestNames() throws {
        // "pyhton" is one swap from Python; two edits from Cython (c/p, h↔t) and from pycon, the
        // alias of "Python console" (h→c, t deleted); ties in name order.
        let run = try CLI.run(["top", "--language", "Pyhton", "--db", "/nonexistent/census.db"])
        #expect(run.status == 64)
        let first = run.stderr.split(separator: "\n").first.map(String.init)
        #expect(
            first
                == "Error: The value 'Pyhton' is invalid for '--language <language>': census knows no language named 'Pyhton'; did you mean Python, Cython or Python console? (`census languages` lists every name)"
        )
        #expect(run.stderr.contains("Usage: census top --language <language> [<options>]"))
    }

    @Test func aLanguageWithNothingCloseSaysWhereTheNamesAre() throws {
        let run = try CLI.run(["timeline", "--language", "qqqqqqqqqq", "--db", "/nonexistent/census.db"])
        #expect(run.status == 64)
        #expect(
            run.stderr.hasPrefix(
                "Error: The value 'qqqqqqqqqq' is invalid for '--language <language>': census knows no language named 'qqqqqqqqqq' (`census languages` lists every name)\n"
            ))
    }

    @Test func languageNamesAndAliasesInAnyCaseFindTheStoredLanguage() throws {
        let tree = PublicTree()
        let repository = try RepositoryCLITests.makeRepository(tree)  // main.go: 3 lines of code
        let database = tree.path + "/census.db"
        let scan = try CLI.run(["scan", repository, "--db", database])
        #expect(scan.status == 0, "\(scan.stderr)")
        for name in ["Go", "go", "golang", "GOLANG"] {
            let run = try CLI.run(["top", "--language", name, "--by", "repository", "--format", "json", "--db", database])
            #expect(run.status == 0, "\(name): \(run.stderr)")
            let rows = try #require(try run.json()["rows"] as? [[String: Any]], "\(name): \(run.text)")
            #expect(rows.count == 1, "\(name)")
            #expect(rows.first?["code"] as? Int == 3, "\(name): \(run.text)")
        }
    }

    @Test func aBadDayNamesTheOptionAndTheForm() throws {
        for (option, value) in [("--since", "2020-13-01"), ("--until", "2021-02-29"), ("--since", "yesterday")] {
            let run = try CLI.run(["contributors", option, value, "--db", "/nonexistent/census.db"])
            #expect(run.status == 64)
            let first = run.stderr.split(separator: "\n").first.map(String.init)
            #expect(
                first
                    == "Error: The value '\(value)' is invalid for '\(option) <\(option.dropFirst(2))>': not a day: give one as YYYY-MM-DD, such as 2024-01-31 (days are UTC)"
            )
            #expect(run.stderr.contains("Usage: census contributors [<options>]"))
        }
    }

    @Test func aBadEvolutionDateIsRefusedNotMovedToTheNextMonth() throws {
        for value in ["2024-02-31", "2024-2-5", "1969-12-31"] {
            let run = try CLI.run(["go", "evolution", "/nonexistent", "--at", "2020-01-01,\(value)"])
            #expect(run.status == 64)
            let first = run.stderr.split(separator: "\n").first.map(String.init)
            #expect(first == "Error: --at: '\(value)' is not a day from 1970 on: give days as YYYY-MM-DD, such as 2024-01-31 (midnight UTC)")
        }
    }

    @Test func aBadThresholdSaysWhatIsAccepted() throws {
        for value in ["150%", "abc", "-0.5"] {
            let run = try CLI.run(["share", "--language", "Go", "--threshold=\(value)", "--db", "/nonexistent/census.db"])
            #expect(run.status == 64)
            let first = run.stderr.split(separator: "\n").first.map(String.init)
            #expect(first == "Error: --threshold takes a share between 0 and 100%, such as 10% or 0.1, not '\(value)'")
        }
    }

    @Test func aClickHouseServerThatRefusesIsNamed() throws {
        let port = try LoopbackListener.unusedPort()
        let url = "clickhouse://default@127.0.0.1:\(port)/census"
        let run = try CLI.run(["top", "--language", "Go", "--db", url])
        #expect(run.status == 1)
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(
            lines.first
                == "census: error: cannot reach ClickHouse to connect: check the host and port, and that the server is running (\(url))"
        )
        #expect(lines.dropFirst().first?.hasPrefix("  cause: cannot connect to 127.0.0.1 port \(port):") == true, "\(run.stderr)")
    }

    @Test func aClickHouseServerThatNeverAnswersIsNamedWithinItsConnectTimeout() throws {
        // A socket that listens but never answers: the kernel completes the connection, nothing
        // ever replies. census gives up after its connect timeout (10 s), not a query's 600 s.
        let listener = try LoopbackListener()
        let url = "clickhouse://default@127.0.0.1:\(listener.port)/census"
        let started = Date()
        let run = try CLI.run(["top", "--language", "Go", "--db", url])
        #expect(Date().timeIntervalSince(started) < 60)
        #expect(run.status == 1)
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(
            lines.first
                == "census: error: the connection to ClickHouse broke while trying to connect: check the server and retry (\(url))"
        )
        #expect(lines.dropFirst().first?.contains("no data for the whole I/O timeout") == true, "\(run.stderr)")
    }
}

/// A TCP socket listening on 127.0.0.1 that never accepts (connections wait in its backlog).
final class LoopbackListener: @unchecked Sendable {
    private let descriptor: Int32
    private let closed = NSLock()
    private var isOpen = true
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            Glibc.close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Stops listening: the connections waiting in the backlog are reset.
    func stop() {
        closed.lock()
        defer { closed.unlock() }
        if isOpen { Glibc.close(descriptor) }
        isOpen = false
    }

    deinit { stop() }

    /// A port nothing listens on (one that was just free).
    static func unusedPort() throws -> Int {
        let listener = try LoopbackListener()
        return listener.port
    }
}

@Suite("census --version")
struct VersionCLITests {
    @Test func versionNamesTheCommitTheLinguistDataAndTheLanguages() throws {
        let run = try CLI.run(["--version"])
        #expect(run.status == 0)
        let lines = run.text.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(run.text)")
        #expect(lines.first?.hasPrefix("census ") == true)

        // The commit, asked of git independently (the test runs from the checkout that was built).
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let head = (try? fixtureGit(["rev-parse", "HEAD"], in: root))?.trimmingCharacters(in: .whitespacesAndNewlines)
        let commitLine = lines.count > 1 ? lines[1] : ""
        if let head, !head.isEmpty {
            #expect(commitLine.hasPrefix("commit: \(head)"), "\(commitLine) vs HEAD \(head)")
        } else {
            #expect(commitLine == "commit: unknown")
        }

        // The Linguist release and the language count, read from Data/languages.yml by hand:
        // `linguist_version: "…"` and one two-space-indented key per language under `languages:`.
        let data = try String(contentsOfFile: root + "/Data/languages.yml", encoding: .utf8)
        var linguist = ""
        var languages = 0
        var inLanguages = false
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("linguist_version: ") {
                linguist = line.dropFirst("linguist_version: ".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            if line.hasPrefix("languages:") { inLanguages = true; continue }
            if inLanguages, line.hasPrefix("  "), !line.hasPrefix("   "), !line.hasPrefix("  #"), line.hasSuffix(":") {
                languages += 1
            }
        }
        #expect(linguist == "9.6.0-36-gb45dbe9b2")
        // Linguist 9.6's languages.yml defines 829 languages (counted in the shared copy with
        // `grep -c '^[^ #-].*:$' data/linguist-9.6/languages.yml`, the figure issue 14 names).
        #expect(languages == 829)
        // When the shared copy of Linguist 9.6's own languages.yml is here, count its languages
        // (one unindented `Name:` key each) and expect census to know exactly those.
        let shared = ProcessInfo.processInfo.environment["CENSUS_SHARED"] ?? root + "/../shared"
        if let upstream = try? String(contentsOfFile: shared + "/data/linguist-9.6/languages.yml", encoding: .utf8) {
            let names = upstream.split(separator: "\n").filter { line in
                guard let first = line.first, first != " ", first != "#", first != "-" else { return false }
                return line.hasSuffix(":")
            }
            #expect(names.count == 829)
            #expect(lines.count > 3 && lines[3] == "languages: \(names.count)")
        } else {
            print("shared data not found: set CENSUS_SHARED or put the shared folder at <package root>/../shared (needs data/linguist-9.6/languages.yml); checking the count against 829 only")
        }
        #expect(lines.count > 2 && lines[2] == "linguist: \(linguist)")
        #expect(lines.count > 3 && lines[3] == "languages: \(languages)")
    }
}

@Suite("scans of several repositories")
struct SeveralRepositoriesCLITests {
    @Test func theExcludedTableShowsTenRowsAndFailuresAreSummarisedAtTheEnd() throws {
        let tree = PublicTree()
        // Twelve languages, vendored, with 12 down to 1 lines of code: the table ranks them by
        // code, so the ten with 12…3 lines show and Scala (2) and Haskell (1) are left out.
        let languages: [(file: String, name: String)] = [
            ("a.go", "Go"), ("a.rs", "Rust"), ("a.py", "Python"), ("a.rb", "Ruby"), ("A.java", "Java"),
            ("a.js", "JavaScript"), ("a.c", "C"), ("a.lua", "Lua"), ("a.swift", "Swift"), ("a.kt", "Kotlin"),
            ("a.scala", "Scala"), ("a.hs", "Haskell"),
        ]
        for (k, language) in languages.enumerated() {
            let repository = ["one", "two", "three"][k / 4]
            tree.write("\(repository)/vendor/\(language.file)", String(repeating: "x\n", count: 12 - k))
            tree.write("\(repository)/README", "")
        }
        let missing = tree.path + "/missing"
        let run = try CLI.run(["scan", "--no-db", tree.path + "/one", tree.path + "/two", tree.path + "/three", missing])
        #expect(run.status == 1)

        let lines = run.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("Excluded from GitHub's language statistics") }, "\(run.text)")
        let totalLine = try #require(lines[header...].firstIndex { $0.hasPrefix(" Total ") })
        let rows = lines[(header + 1)..<totalLine].map { $0.drop { $0 == " " } }.filter {
            !$0.isEmpty && !$0.hasPrefix("Language ") && !$0.allSatisfy { $0 == "-" }
        }
        let names = rows.map { row in languages.map(\.name).first { row.hasPrefix($0 + " ") } ?? "?" + row }
        #expect(names == languages.prefix(10).map(\.name), "\(run.text)")
        // The total counts every excluded line: 12 + 11 + … + 1.
        #expect(lines[totalLine].split(separator: " ").contains("78"), "\(lines[totalLine])")
        // Under the table's closing rule.
        #expect(lines.dropFirst(totalLine + 2).first == "and 2 more (--format json for all)", "\(run.text)")

        // The failure is listed at the end, with its location and reason, before the run's summary.
        let errors = run.stderr.split(separator: "\n").map(String.init)
        #expect(errors.last == "census: 3 of 4 repositories scanned, 1 failed", "\(run.stderr)")
        #expect(errors.dropLast().last == "census: error: \(missing): No such file or directory", "\(run.stderr)")

        // JSON keeps all twelve.
        let json = try CLI.run(["scan", "--no-db", "--format", "json", tree.path + "/one", tree.path + "/two", tree.path + "/three"])
        let total = try #require(try json.json()["total"] as? [String: Any])
        let all = try #require(total["languages"] as? [[String: Any]])
        #expect(all.count == 12)
    }
}
