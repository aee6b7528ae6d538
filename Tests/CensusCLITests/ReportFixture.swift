import CensusTestSupport
import CodeCensus
import Foundation
import Testing

/// A small store for `census report`, built by scanning repositories and walking histories the
/// test writes. Every figure below is worked out by hand from the files and commits.
///
/// Repositories (manifest: org, company, cohorts):
/// - `acme/api` (acme, Acme, cncf;graduated): main.go (3 code lines), x.go (4), x2.go (2); go.mod
///   (module example.com/api; requires golang.org/x/text, github.com/pkg/errors, example.com/lib,
///   github.com/b/c // indirect: 7 code lines, 1 blank)
/// - `acme/web` (acme, Acme, cncf): web.go (2), app.js (4), vendor/lib/x.go (5, vendored); go.mod
///   (module example.com/web; requires golang.org/x/text, github.com/pkg/errors: 5 code, 1 blank)
/// - `beta/lib` (beta, Beta Corp, cncf;sandbox): lib.go (2, then one line changed by a bot),
///   tool.py (6); go.mod (module example.com/lib; requires golang.org/x/sys: 2 code, 1 blank)
///
/// Own code: Go 3+4+2 + 2 + 2 = 13 (api 9, web 2, lib 2); Go Module 7+5+2 = 14; JavaScript 4;
/// Python 6. Per repository: api 16, web 11, lib 10 (37 in all).
///
/// Commits (author dates, UTC; the committer date is fixed at 2020-09-13 by `fixtureGit`):
/// - api c1 2019-03-01 Alice <alice@acme.cn>: main.go +3
/// - web c1 2020-06-01 Bob <bob@beta.de>: web.go +2, app.js +4, vendor x.go +5 (vendored)
/// - lib c1 2021-02-01 Carol <carol@example.com>: lib.go +2, tool.py +6
/// - lib c2 2021-03-01 dependabot[bot]: lib.go +1 −1 (a bot)
/// - api c2 2021-03-10 Dave <dave@corp.jp>: x.go +4
/// - api c3 2021-03-20 Dave <dave@corp.jp>: x2.go +2
/// Affiliations: alice → "Acme Inc." (no dates), bob → "Beta Corp" from 2020-01-01; carol and dave
/// are Unknown.
struct ReportFixture {
    let tree = PublicTree()
    var database: String { tree.path + "/census.db" }
    var environment: [String: String] { ["CENSUS_DB": database] }
    var repositories: [String: String] = [:]

    /// Writes the repositories; with `history`, also walks them (with the affiliations).
    init(
        history: Bool = true, scan: Bool = true, companyOfAPI: String = "Acme", webDirectory: String = "acme/web",
        companyOfAlice: String = "Acme Inc."
    ) throws {
        func repository(_ name: String, _ commits: [(files: [String: String], author: String, date: String)]) throws -> String {
            let work = tree.path + "/" + name
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            _ = try fixtureGit(["init", "-q", "-b", "main"], in: work)
            for commit in commits {
                for (path, text) in commit.files { tree.write(name + "/" + path, text) }
                _ = try fixtureGit(["add", "-A"], in: work)
                _ = try fixtureGit(["commit", "-q", "-m", "c", "--author=" + commit.author, "--date=" + commit.date], in: work)
            }
            return work
        }
        let apiMod = """
            module example.com/api

            require (
            \tgolang.org/x/text v0.3.0
            \tgithub.com/pkg/errors v0.9.1
            \texample.com/lib v1.0.0
            \tgithub.com/b/c v1.0.0 // indirect
            )

            """
        repositories["api"] = try repository("acme/api", [
            (["main.go": "package main\nfunc main() {\n}\n", "go.mod": apiMod], "Alice <alice@acme.cn>", "2019-03-01T12:00:00Z"),
            (["x.go": "package main\nvar a = 1\nvar b = 2\nvar c = 3\n"], "Dave <dave@corp.jp>", "2021-03-10T12:00:00Z"),
            (["x2.go": "package main\nvar d = 4\n"], "Dave <dave@corp.jp>", "2021-03-20T12:00:00Z"),
        ])
        repositories["web"] = try repository(webDirectory, [
            ([
                "web.go": "package web\nvar V = 1\n", "app.js": "var a = 1;\nvar b = 2;\nvar c = 3;\nvar d = 4;\n",
                "vendor/lib/x.go": "package lib\nvar A = 1\nvar B = 2\nvar C = 3\nvar D = 4\n",
                "go.mod": "module example.com/web\n\nrequire (\n\tgolang.org/x/text v0.3.0\n\tgithub.com/pkg/errors v0.8.0\n)\n",
            ], "Bob <bob@beta.de>", "2020-06-01T12:00:00Z")
        ])
        repositories["lib"] = try repository("beta/lib", [
            ([
                "lib.go": "package lib\nvar X = 1\n", "tool.py": "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\nf = 6\n",
                "go.mod": "module example.com/lib\n\nrequire golang.org/x/sys v0.1.0\n",
            ], "Carol <carol@example.com>", "2021-02-01T12:00:00Z"),
            (["lib.go": "package lib\nvar X = 2\n"], "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>", "2021-03-01T12:00:00Z"),
        ])
        let manifest = tree.write(
            "manifest.csv",
            "repo,org,company,cohorts\n\(repositories["api"]!),acme,\(Self.csvField(companyOfAPI)),cncf;graduated\n"
                + "\(Self.csvField(repositories["web"]!)),acme,Acme,cncf\n\(repositories["lib"]!),beta,Beta Corp,cncf;sandbox\n")
        let affiliations = tree.write(
            "developers_affiliations.txt",
            "alice: alice!acme.cn\n\t\(companyOfAlice)\nbob: bob!beta.de\n\tBeta Corp from 2020-01-01\n")
        if scan {
            let run = try CLI.run(["scan", "--manifest", manifest], environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
        }
        if history {
            let run = try CLI.run(["history", "--manifest", manifest, "--affiliations", affiliations], environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
        }
    }

    static func csvField(_ text: String) -> String {
        text.contains(",") || text.contains("\"") || text.contains("\n") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    /// Runs `census report` into a new directory; returns it.
    func report(_ arguments: [String] = []) throws -> String {
        let out = tree.path + "/report-\(UUID().uuidString.prefix(8))"
        let run = try CLI.run(["report", "--out", out] + arguments, environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        return out
    }

    /// JSON rows of a census query command.
    func rows(_ arguments: [String]) throws -> [[String: Any]] {
        let run = try CLI.run(arguments + ["--format", "json"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(try run.json()["rows"] as? [[String: Any]])
    }
}

/// A CSV file of a report as rows of fields by header name.
struct ReportCSVFile {
    var header: [String]
    var rows: [[String: String]]

    init(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let records = Self.parse(text)
        let names = records.first ?? []
        header = names
        rows = records.dropFirst().map { record in
            Dictionary(zip(names, record).map { ($0, $1) }, uniquingKeysWith: { a, _ in a })
        }
    }

    func column(_ name: String) -> [String] { rows.map { $0[name] ?? "" } }
    func integers(_ name: String) -> [Int] { rows.map { Int($0[name] ?? "") ?? Int.min } }

    /// RFC 4180: quoted fields may hold commas, quotes (doubled) and line breaks; records end in CRLF.
    static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" {
                        field.unicodeScalars.append("\"")
                        chars.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                record.append(field)
                field = ""
            } else if c == "\r" {
                continue
            } else if c == "\n" {
                record.append(field)
                records.append(record)
                record = []
                field = ""
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        return records
    }
}

/// Runs a program and returns its exit status, standard output and standard error.
func runTool(_ executable: String, _ arguments: [String], input: String? = nil, timeout: Double = 120) throws -> (status: Int32, out: String, err: String) {
    // Without `input`, an empty standard input (the tools read none).
    let result = try Spawned.run(
        [executable] + arguments, environment: ProcessInfo.processInfo.environment, input: Array((input ?? "").utf8),
        timeout: timeout)
    return (result.status, String(decoding: result.stdout, as: UTF8.self), String(decoding: result.stderr, as: UTF8.self))
}

/// The first of `names` found in PATH (or as an absolute path), if any.
func findTool(_ names: [String]) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for name in names {
        if name.hasPrefix("/") { if FileManager.default.isExecutableFile(atPath: name) { return name } else { continue } }
        for dir in path.split(separator: ":") + ["/usr/bin", "/bin"] {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
    }
    return nil
}
