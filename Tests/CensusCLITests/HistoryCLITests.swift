import CodeCensus
import Foundation
import Testing

@Suite("census history, contributors, timeline and correlate")
struct HistoryCLITests {
    /// A history whose every figure is worked out by hand (dates UTC):
    /// - c1 2019-03-01 alice@acme.com: a.go, 10 lines
    /// - c2 2020-06-01 bob@gmail.com: b.go 5 lines, vendor/x/x.go 100 (vendored), logo.png (binary)
    /// - c3 2020-07-01 "Old Alice <alice@old.example>", mapped by .mailmap to alice@acme.com: a.go +2 −1
    /// - c4 2021-01-01 dependabot[bot]: b.go +1 −1 (a bot: left out by default)
    /// - c5 2021-02-01 carol@unknown.org on a branch: c.go 3 lines; merged into main (the merge has no diff)
    /// Affiliations (gitdm shape): alice is "Acme Inc." until 2020-07-01, then "Acme Holdings";
    /// bob (a free-mail address, listed by email) is "Beta Corp" from 2020-01-01; carol is Unknown.
    static func makeHistory(_ tree: PublicTree) throws -> (work: String, affiliations: String) {
        let work = tree.path + "/acme/app"
        func commit(_ message: String, _ author: String, _ date: String) throws {
            try fixtureGit(["add", "-A"], in: work)
            try fixtureGit(["commit", "-q", "-m", message, "--author=" + author, "--date=" + date], in: work)
        }
        let lines = (1 ... 10).map { "var v\($0) = \($0)" }
        tree.write("acme/app/a.go", lines.joined(separator: "\n") + "\n")
        tree.write("acme/app/.mailmap", "Alice <alice@acme.com> Old Alice <alice@old.example>\n")
        try fixtureGit(["init", "-q", "-b", "main"], in: work)
        try commit("c1", "Alice <alice@acme.com>", "2019-03-01T12:00:00Z")
        tree.write("acme/app/b.go", "package b\nvar b1 = 1\nvar b2 = 2\nvar b3 = 3\nvar b4 = 4\n")
        tree.write("acme/app/vendor/x/x.go", (1 ... 100).map { "var x\($0) = 0" }.joined(separator: "\n") + "\n")
        tree.write("acme/app/logo.png", "\u{0}\u{1}binary")
        try commit("c2", "Bob <bob@gmail.com>", "2020-06-01T12:00:00Z")
        let c2 = try fixtureGit(["rev-parse", "HEAD"], in: work)
        tree.write("acme/app/a.go", (lines.dropLast() + ["var v10 = 100", "var v11 = 11"]).joined(separator: "\n") + "\n")
        try commit("c3", "Old Alice <alice@old.example>", "2020-07-01T12:00:00Z")
        tree.write("acme/app/b.go", "package b\nvar b1 = 1\nvar b2 = 2\nvar b3 = 3\nvar b4 = 44\n")
        try commit("c4", "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>", "2021-01-01T12:00:00Z")
        try fixtureGit(["checkout", "-q", "-b", "topic", c2], in: work)
        tree.write("acme/app/c.go", "package c\nvar c1 = 1\nvar c2 = 2\n")
        try commit("c5", "Carol <carol@unknown.org>", "2021-02-01T12:00:00Z")
        try fixtureGit(["checkout", "-q", "main"], in: work)
        try fixtureGit(["merge", "-q", "--no-ff", "-m", "merge", "topic"], in: work)
        let affiliations = tree.write(
            "developers_affiliations.txt",
            "# test affiliations\nalice: alice!acme.com\n\tAcme Inc. until 2020-07-01\n\tAcme Holdings from 2020-07-01\n"
                + "bob: bob!gmail.com\n\tBeta Corp from 2020-01-01\n")
        return (work, affiliations)
    }

    static func rows(_ run: CensusRun) throws -> [[String: Any]] {
        try #require(try run.json()["rows"] as? [[String: Any]])
    }

    @Test("every figure of a small history, and an incremental rerun")
    func figures() throws {
        let tree = PublicTree()
        let (work, affiliations) = try Self.makeHistory(tree)
        let env = ["CENSUS_DB": tree.path + "/census.db"]
        let walk = try CLI.run(["history", work, "--affiliations", affiliations], environment: env)
        #expect(walk.status == 0, "\(walk.stderr)")
        #expect(walk.text.contains(" 6 "))  // c1–c5 and the merge

        let commits = try Self.rows(try CLI.run(["contributors", "--language", "Go", "--format", "json"], environment: env))
        #expect(commits.map { $0["name"] as? String } == ["Acme Holdings", "Acme Inc.", "Beta Corp", "Unknown"])
        #expect(commits.map { $0["commits"] as? Int } == [1, 1, 1, 1])
        let added = try Self.rows(
            try CLI.run(["contributors", "--language", "Go", "--metric", "lines-added", "--format", "json"], environment: env))
        // Vendored lines (x.go) are not own code: Beta Corp added 5, not 105.
        #expect(added.map { $0["name"] as? String } == ["Acme Inc.", "Beta Corp", "Unknown", "Acme Holdings"])
        #expect(added.map { $0["lines_added"] as? Int } == [10, 5, 3, 2])
        #expect(added.last?["lines_removed"] as? Int == 1)
        let since = try Self.rows(
            try CLI.run(["contributors", "--language", "Go", "--since", "2020-01-01", "--format", "json"], environment: env))
        #expect(since.map { $0["name"] as? String } == ["Acme Holdings", "Beta Corp", "Unknown"])
        let withBots = try Self.rows(
            try CLI.run(["contributors", "--language", "Go", "--include-bots", "--format", "json"], environment: env))
        #expect(withBots.first { $0["name"] as? String == "Unknown" }?["commits"] as? Int == 2)  // carol and the bot
        // .mailmap: Old Alice's commit is Alice's.
        let authors = try Self.rows(try CLI.run(["contributors", "--by", "author", "--format", "json"], environment: env))
        #expect(authors.first { $0["name"] as? String == "alice@acme.com" }?["commits"] as? Int == 2)
        #expect(!authors.contains { $0["name"] as? String == "alice@old.example" })

        // Go code at the end of each year: 10; 10 + 5 + 2 − 1 = 16; 16 + 3 = 19 (the bot's +1 −1 left out).
        let code = try Self.rows(try CLI.run(["timeline", "--language", "Go", "--metric", "code", "--format", "json"], environment: env))
        #expect(code.map { $0["period"] as? String } == ["2019", "2020", "2021"])
        #expect(code.map { $0["value"] as? Int } == [10, 16, 19])
        let quarterly = try Self.rows(
            try CLI.run(["timeline", "--language", "Go", "--by", "quarter", "--format", "json"], environment: env))
        #expect(quarterly.map { $0["period"] as? String } == ["2019-Q1", "2020-Q2", "2020-Q3", "2021-Q1"])
        let authorsPerYear = try Self.rows(
            try CLI.run(["timeline", "--language", "Go", "--metric", "authors", "--format", "json"], environment: env))
        #expect(authorsPerYear.map { $0["value"] as? Int } == [1, 2, 1])
        // Commits per year [1, 2, 1] against authors per year [1, 2, 1]: r = 1 over 3 points.
        let r = try CLI.run(
            ["correlate", "--language", "Go", "--metric", "commits", "--with-metric", "authors", "--format", "json"], environment: env)
        let correlation = try r.json()
        #expect(correlation["points"] as? Int == 3)
        #expect(abs((correlation["r"] as? Double ?? 0) - 1) < 1e-9)

        // A rerun walks nothing; one more commit is the only new one.
        let rerun = try CLI.run(["history", work, "--affiliations", affiliations], environment: env)
        #expect(rerun.text.contains(" 0 "), "\(rerun.text)")
        tree.write("acme/app/d.go", "package d\n")
        try fixtureGit(["add", "-A"], in: work)
        try fixtureGit(["commit", "-q", "-m", "c6", "--author=Carol <carol@unknown.org>", "--date=2022-01-01T00:00:00Z"], in: work)
        let third = try CLI.run(["history", work, "--affiliations", affiliations], environment: env)
        #expect(third.text.contains(" 1 "), "\(third.text)")
        let database = try CensusDatabase.open(path: tree.path + "/census.db", readOnly: true)
        // c1–c6 each touch own code; the merge changes nothing of its own and is not counted again.
        #expect(try database.contributors(by: .company, includeBots: true, limit: 100).reduce(0) { $0 + $1.commits } == 6)
    }

    @Test("a malformed affiliation line is reported with file:line; a shallow clone says its history stops")
    func badInput() throws {
        let tree = PublicTree()
        let (work, _) = try Self.makeHistory(tree)
        let broken = tree.write("broken.txt", "alice alice!acme.com\n\tAcme from 2020-99-99\n")
        try fixtureGit(["clone", "-q", "--depth", "2", "file://" + work, tree.path + "/shallow"], in: tree.path)
        let run = try CLI.run(
            ["history", tree.path + "/shallow", "--affiliations", broken], environment: ["CENSUS_DB": tree.path + "/census.db"])
        #expect(run.stderr.contains("broken.txt:1"), "\(run.stderr)")
        #expect(run.stderr.contains("shallow"), "\(run.stderr)")
        #expect(run.status == 0)
        // A bot pattern of the user's: carol's commits become a bot's, counted apart.
        let botDB = ["CENSUS_DB": tree.path + "/bots.db"]
        let walked = try CLI.run(["history", work, "--bot", "carol@unknown.org"], environment: botDB)
        #expect(walked.status == 0, "\(walked.stderr)")
        let companies = try Self.rows(try CLI.run(["contributors", "--language", "Go", "--format", "json"], environment: botDB))
        #expect(companies.map { $0["name"] as? String } == ["Unknown"])  // alice and bob have no affiliations here; carol left out
        #expect(companies.first?["commits"] as? Int == 3)  // c1, c2, c3 (the dependabot commit and carol's are bots)
    }

    @Test("a commit with impossible dates, an invalid UTF-8 name and no email is named and left out; the rest is stored")
    func hostileCommit() throws {
        let tree = PublicTree()
        let (work, _) = try Self.makeHistory(tree)
        let head = try fixtureGit(["rev-parse", "HEAD"], in: work)
        let treeID = try fixtureGit(["rev-parse", "HEAD^{tree}"], in: work)
        var object = Array("tree \(treeID)\nparent \(head)\nauthor Bad ".utf8) + [0xFF, 0xFE]
        object += Array(" <> 99999999999999999999 +9999\ncommitter C <c@x> notadate +0000\n\nbad\n".utf8)
        let file = tree.path + "/commit.txt"
        FileManager.default.createFile(atPath: file, contents: Data(object))
        let bad = try fixtureGit(["hash-object", "-t", "commit", "-w", "--literally", file], in: work)
        try fixtureGit(["update-ref", "refs/heads/main", bad], in: work)
        let run = try CLI.run(["history", work], environment: ["CENSUS_DB": tree.path + "/census.db"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("commit \(bad) has an unreadable or impossible date; it was left out"), "\(run.stderr)")
        #expect(run.text.contains(" 6 "), "\(run.text)")  // the six readable commits
    }

    @Test("a repository with a missing blob: every commit stored, the one git cannot diff named; the next one is walked")
    func corruptRepositoryDoesNotStopTheRun() throws {
        let tree = PublicTree()
        let (work, _) = try Self.makeHistory(tree)
        // A copy whose blob of a.go at c1 is gone from the object store (loose objects only).
        let broken = tree.path + "/broken"
        try fixtureGit(["clone", "-q", "--no-local", work, broken], in: tree.path)
        try fixtureGit(["repack", "-a", "-d", "-q"], in: broken)
        let blob = try fixtureGit(["rev-parse", "HEAD~2:a.go"], in: broken)
        let packs = try FileManager.default.contentsOfDirectory(atPath: broken + "/.git/objects/pack")
        // Unpack everything loose, then delete the one object.
        for pack in packs where pack.hasSuffix(".pack") {
            let moved = tree.path + "/" + pack
            try FileManager.default.moveItem(atPath: broken + "/.git/objects/pack/" + pack, toPath: moved)
            try FileManager.default.removeItem(atPath: broken + "/.git/objects/pack/" + pack.replacingOccurrences(of: ".pack", with: ".idx"))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            process.arguments = ["-C", broken, "unpack-objects", "-q"]
            process.standardInput = FileHandle(forReadingAtPath: moved)
            try process.run()
            process.waitUntilExit()
        }
        let object = broken + "/.git/objects/" + blob.prefix(2) + "/" + blob.dropFirst(2)
        try FileManager.default.removeItem(atPath: object)
        // Only c3 wrote that blob, and no later commit changed a.go: c3 alone cannot be diffed.
        let c3 = try fixtureGit(["rev-parse", "HEAD~2"], in: broken)
        let run = try CLI.run(["history", broken, work], environment: ["CENSUS_DB": tree.path + "/census.db"])
        #expect(run.status == 1)  // objects are missing: an error, though every commit is stored
        #expect(run.stderr.contains("2 of 2 histories walked, 0 failed, 1 with missing objects"), "\(run.stderr)")
        #expect(run.stderr.contains("unknown changes: \(broken) \(c3): blob \(blob) (a.go) is missing"), "\(run.stderr)")
        #expect(run.stderr.contains("\(broken): 1 of 6 commits stored with unknown line changes"), "\(run.stderr)")
        // Both repositories' 6 commits are stored; the damaged one's c3 without lines.
        let rows = run.text.split(separator: "\n").filter { $0.contains(tree.path) }.map { $0.split(separator: " ").map(String.init) }
        #expect(rows.count == 2, "\(run.text)")
        #expect(rows.map { $0[1] } == ["6", "6"], "\(run.text)")  // new commits
        #expect(rows.map { $0[2] } == ["1", "0"], "\(run.text)")  // unknown changes
    }
}
