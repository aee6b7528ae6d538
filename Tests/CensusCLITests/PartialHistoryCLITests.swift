import CensusTestSupport
import CodeCensus
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The test's git with the author and committer dates of `date` ("seconds +zone").
@discardableResult
func datedGit(_ arguments: [String], in directory: String, date: String, author: String = "A <a@example.com>") throws -> String {
    let argv = ["/usr/bin/git", "-C", directory] + arguments
    let name = String(author.prefix { $0 != "<" }.dropLast())
    let email = String(author.drop { $0 != "<" }.dropFirst().prefix { $0 != ">" })
    let environment = [
        "PATH": "/usr/bin:/bin", "HOME": directory, "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": "C",
        "GIT_COMMITTER_EMAIL": "c@example.com", "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
    ]
    let data = try Spawned.run(argv, environment: environment).stdout
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// A history of five commits by hand (dates UTC), in `tree/acme/app`:
/// - c1 2019-03-01 alice@acme.com: a.go 2 lines
/// - c2 2020-03-01 bob@globex.com: a.go +1, b.go 1 line
/// - c3 2020-06-01 alice@acme.com: a.go −1
/// - c4 2021-01-01 bob@globex.com: README.md 1 line (documentation only)
/// - c5 2021-06-01 carol@gmail.com: c.go 1 line
/// Damaged: the blob of a.go as c2 wrote it is deleted, so c2's and c3's lines are unknown.
/// Own Go lines, counted from the damaged history: c1 +2, c5 +1 = 3 (c2 and c3 unknown).
enum PartialHistoryFixture {
    static let dates = ["1551441600 +0000", "1583064000 +0000", "1590984000 +0000", "1609502400 +0000", "1622548800 +0000"]

    static func make(_ tree: PublicTree, damage: Bool) throws -> (work: String, ids: [String]) {
        let work = tree.path + "/acme/app"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try datedGit(["init", "-q", "-b", "main"], in: work, date: dates[0])
        try datedGit(["config", "uploadpack.allowFilter", "true"], in: work, date: dates[0])
        let steps: [([String: String], String)] = [
            (["a.go": "1\n2\n"], "Alice <alice@acme.com>"),
            (["a.go": "1\n2\n3\n", "b.go": "x\n"], "Bob <bob@globex.com>"),
            (["a.go": "1\n3\n"], "Alice <alice@acme.com>"),
            (["README.md": "# app\n"], "Bob <bob@globex.com>"),
            (["c.go": "c\n"], "Carol <carol@gmail.com>"),
        ]
        var ids: [String] = []
        for (index, (files, author)) in steps.enumerated() {
            for (file, text) in files { tree.write("acme/app/" + file, text) }
            try datedGit(["add", "-A"], in: work, date: dates[index])
            try datedGit(["commit", "-q", "-m", "c\(index + 1)"], in: work, date: dates[index], author: author)
            ids.append(try datedGit(["rev-parse", "HEAD"], in: work, date: dates[index]))
        }
        if damage {
            let blob = try datedGit(["rev-parse", ids[1] + ":a.go"], in: work, date: dates[0])
            #expect(unlink(work + "/.git/objects/" + blob.prefix(2) + "/" + blob.dropFirst(2)) == 0)
        }
        return (work, ids)
    }
}

@Suite("census history on damaged, partial and interrupted histories; URL metadata")
struct PartialHistoryCLITests {
    static func json(_ run: CensusRun) throws -> (rows: [[String: Any]], notes: [String]) {
        let object = try run.json()
        return (try #require(object["rows"] as? [[String: Any]]), object["notes"] as? [String] ?? [])
    }

    @Test("a missing blob: every commit stored, 2 with unknown changes, named; answers say so")
    func missingBlob() throws {
        let tree = PublicTree()
        let (work, ids) = try PartialHistoryFixture.make(tree, damage: true)
        let env = ["CENSUS_DB": tree.path + "/census.db"]
        let walk = try CLI.run(["history", work], environment: env)
        // Every commit is stored, but objects are missing (damage, not a partial clone): an error.
        #expect(walk.status == 1, "\(walk.stderr)")
        #expect(walk.text.contains(" 5 "))
        #expect(walk.stderr.contains("2 of 5 commits stored with unknown line changes"))
        #expect(walk.stderr.contains("1 of 1 histories walked, 0 failed, 1 with missing objects"))
        for id in [ids[1], ids[2]] { #expect(walk.stderr.contains("unknown changes: \(work) \(id)")) }

        // Every commit counts in --commits all: alice 2 (c1, c3), bob 2 (c2, c4), carol 1 (c5).
        let all = try Self.json(
            try CLI.run(["contributors", "--commits", "all", "--by", "author", "--format", "json"], environment: env))
        #expect(all.rows.map { $0["commits"] as? Int } == [2, 2, 1])
        #expect(all.rows.map { $0["name"] as? String } == ["alice@acme.com", "bob@globex.com", "carol@gmail.com"])
        // Own lines of the known commits only: alice +2 (c1), carol +1 (c5), bob 0 (c4 is documentation).
        #expect(all.rows.map { $0["lines_added"] as? Int } == [2, 0, 1])
        #expect(all.notes.count == 1)
        #expect(all.notes.first?.hasPrefix("2 of 5 commits have unknown line changes") == true)
        // Commits known to have changed own code: c1 and c5 (c4's README.md is documentation).
        let code = try Self.json(try CLI.run(["contributors", "--by", "author", "--format", "json"], environment: env))
        #expect(Set(code.rows.map { $0["name"] as? String ?? "" }) == ["alice@acme.com", "carol@gmail.com"])
        #expect(code.notes.first?.contains("left out of every figure") == true)
        let table = try CLI.run(["contributors", "--commits", "all"], environment: env)
        #expect(table.text.contains("Commits (all)"))
        #expect(table.stderr.contains("note: 2 of 5 commits have unknown line changes"))
        let timeline = try Self.json(try CLI.run(["timeline", "--language", "Go", "--metric", "code", "--format", "json"], environment: env))
        #expect(timeline.rows.map { $0["value"] as? Int } == [2, 3])  // 2019: +2; 2021: +1
        #expect(timeline.notes.count == 1)
    }

    @Test("a missing commit: the walk fails, is recorded as partial with why, and answers say so")
    func partialWalk() throws {
        let tree = PublicTree()
        let (work, ids) = try PartialHistoryFixture.make(tree, damage: false)
        #expect(unlink(work + "/.git/objects/" + ids[1].prefix(2) + "/" + ids[1].dropFirst(2)) == 0)
        let env = ["CENSUS_DB": tree.path + "/census.db"]
        let walk = try CLI.run(["history", work], environment: env)
        #expect(walk.status == 1)
        let all = try Self.json(try CLI.run(["contributors", "--commits", "all", "--format", "json"], environment: env))
        // git shows c5 and c4 before it fails to read c2 (c3's parent).
        #expect(all.rows.map { $0["commits"] as? Int }.reduce(0) { $0 + ($1 ?? 0) } == 2)
        #expect(all.notes.count == 1)
        #expect(all.notes.first?.contains("the history of \(work) is partial (2 commits stored): git failed") == true)
    }

    @Test("a walk stopped after 2 commits resumes after them, each commit stored once")
    func resume() throws {
        let tree = PublicTree()
        let (work, _) = try PartialHistoryFixture.make(tree, damage: false)
        let database = try CensusDatabase.open(path: tree.path + "/census.db")
        var runner = HistoryRunner()
        runner.batchSize = 2
        runner.maxCommits = 2
        let first = try runner.run(ScanTargetSpec(location: work), into: database).get()
        #expect(first.newCommits == 2)
        #expect(first.stoppedEarly)
        let state = try database.walkState(repositoryKey: work)
        #expect(state?.status == .partial)
        #expect(state?.commits == 2)
        #expect(try database.historyCoverage().partialWalks.map(\.repositoryKey) == [work])
        runner.maxCommits = nil
        let result = try runner.run(ScanTargetSpec(location: work), into: database).get()
        #expect(result.resumedAfter == 2)
        #expect(result.newCommits == 3)
        #expect(try database.walkState(repositoryKey: work)?.status == .complete)
        #expect(try database.walkState(repositoryKey: work)?.commits == 5)
        #expect(try database.historyCoverage().partialWalks.isEmpty)
        #expect(try database.historyCoverage().commits == 5)
        // A whole walk: rerun walks nothing new.
        #expect(try runner.run(ScanTargetSpec(location: work), into: database).get().newCommits == 0)
    }

    @Test("--no-lines stores attribution only; --clone-filter blob:none clones what it needs")
    func attributionOnly() throws {
        let tree = PublicTree()
        let (work, _) = try PartialHistoryFixture.make(tree, damage: false)
        let env = ["CENSUS_DB": tree.path + "/census.db", "XDG_CACHE_HOME": tree.path + "/cache"]
        let url = "file://" + work
        let walk = try CLI.run(["history", url, "--no-lines", "--clone-filter", "blob:none"], environment: env)
        #expect(walk.status == 0, "\(walk.stderr)")
        #expect(walk.text.contains("no lines counted"))
        #expect(FileManager.default.fileExists(atPath: tree.path + "/cache/census/repos/local" + work + ".git.blobless"))
        let all = try Self.json(try CLI.run(["contributors", "--commits", "all", "--format", "json"], environment: env))
        #expect(all.rows.map { $0["name"] as? String } == ["Unknown"])
        #expect(all.rows.first?["commits"] as? Int == 5)
        #expect(all.notes.first?.hasPrefix("5 of 5 commits have unknown line changes") == true)
    }

    @Test("a file:// URL scan has the commit count and first commit of a scan of the path")
    func urlMetadata() throws {
        let tree = PublicTree()
        let (work, ids) = try PartialHistoryFixture.make(tree, damage: false)
        let env = ["CENSUS_DB": tree.path + "/census.db"]
        let path = try CLI.run(["scan", work, "--format", "json", "--no-db"], environment: env)
        let url = try CLI.run(
            ["scan", "file://" + work, "--format", "json", "--no-db", "--cache-dir", tree.path + "/cache"], environment: env)
        #expect(url.status == 0, "\(url.stderr)")
        func repository(_ run: CensusRun) throws -> [String: Any] {
            try #require(try run.json()["repository"] as? [String: Any])
        }
        let byPath = try repository(path)
        let byURL = try repository(url)
        #expect(byURL["shallow"] as? Bool == true)
        #expect(byPath["commit_count"] as? Int == 5)
        #expect(byURL["commit_count"] as? Int == 5)
        #expect(byPath["root_commit"] as? String == ids[0])
        #expect(byURL["root_commit"] as? String == ids[0])
        #expect(byPath["root_commit_date"] as? String == "2019-03-01T12:00:00Z")
        #expect(byURL["root_commit_date"] as? String == byPath["root_commit_date"] as? String)
        // Offline without the commits-only clone: unknown, stored as unknown, and said.
        try FileManager.default.removeItem(atPath: tree.path + "/cache/local" + work + ".git.commits")
        let offline = try CLI.run(
            ["scan", "file://" + work, "--offline", "--cache-dir", tree.path + "/cache", "--format", "json"], environment: env)
        #expect(try repository(offline)["commit_count"] is NSNull)
        #expect(offline.stderr.contains("commit count and first commit unknown"))
        let timeline = try Self.json(
            try CLI.run(["timeline", "--language", "Go", "--metric", "new-repos", "--format", "json"], environment: env))
        #expect(timeline.rows.isEmpty)
        #expect(timeline.notes == [
            "1 stored repositories are left out: their first commit's date is unknown (scanned from a shallow clone without a commits-only fetch)"
        ])
    }
}
