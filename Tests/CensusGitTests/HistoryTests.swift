import Foundation
import Testing

@testable import CensusGit

@Suite("Walking history with --numstat")
struct HistoryTests {
    /// main: c1 (a.go 3 lines, logo.png binary, notes.txt 2 lines) → c2 (a.go +1 −1, notes.txt
    /// renamed to docs/notes.txt with one line added) → merge of topic (c3: b.go 2 lines).
    /// c1 by "Old Name <old@example.com>", mapped by .mailmap to "New Name <new@example.com>".
    static func makeHistory(_ sandbox: Sandbox) throws -> (work: String, ids: [String: String]) {
        let work = try sandbox.initRepository("work")
        try sandbox.write("work/a.go", "package a\n\nfunc A() {}\nvar x = 1\n")  // 4 lines
        try sandbox.write("work/logo.png", "\u{0}\u{1}\u{2}binary")
        try sandbox.write("work/notes.txt", "one\ntwo\n")
        try sandbox.write("work/.mailmap", "New Name <new@example.com> Old Name <old@example.com>\n")
        try sandbox.git(["add", "-A"], in: "work")
        try sandbox.git(
            ["commit", "-q", "-m", "c1", "--author=Old Name <old@example.com>"], in: "work", date: "1600000000 +0530")
        let c1 = try sandbox.git(["rev-parse", "HEAD"], in: "work")
        try sandbox.write("work/a.go", "package a\n\nfunc A() {}\nvar x = 2\n")  // one line changed
        try sandbox.git(["mv", "notes.txt", "docs-notes.txt"], in: "work")
        try sandbox.write("work/docs-notes.txt", "one\ntwo\nthree\n")
        try sandbox.git(["add", "-A"], in: "work")
        try sandbox.git(["commit", "-q", "-m", "c2"], in: "work", date: "1600086400 -0700")
        let c2 = try sandbox.git(["rev-parse", "HEAD"], in: "work")
        try sandbox.git(["checkout", "-q", "-b", "topic", c1], in: "work")
        try sandbox.write("work/b.go", "package a\nvar y = 3\n")
        try sandbox.git(["add", "b.go"], in: "work")
        try sandbox.git(["commit", "-q", "-m", "c3"], in: "work", date: "1600172800 +0000")
        let c3 = try sandbox.git(["rev-parse", "HEAD"], in: "work")
        try sandbox.git(["checkout", "-q", "main"], in: "work")
        try sandbox.git(["merge", "-q", "--no-ff", "-m", "merge", "topic"], in: "work", date: "1600259200 +0000")
        let merge = try sandbox.git(["rev-parse", "HEAD"], in: "work")
        return (work, ["c1": c1, "c2": c2, "c3": c3, "merge": merge])
    }

    static func walk(_ work: String, _ configure: (inout GitHistoryOptions) -> Void = { _ in }) throws -> [GitCommitRecord] {
        var options = GitHistoryOptions()
        configure(&options)
        var commits: [GitCommitRecord] = []
        try GitRepository(path: work).walkHistory(options) { commits.append($0) }
        return commits
    }

    static func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

    @Test("every commit, its signatures, dates with offsets, and per-file counts")
    func fullWalk() throws {
        let sandbox = try Sandbox()
        let (work, ids) = try Self.makeHistory(sandbox)
        let commits = try Self.walk(work)
        #expect(Set(commits.map(\.id.description)) == Set(ids.values))
        let byID = Dictionary(uniqueKeysWithValues: commits.map { ($0.id.description, $0) })
        let c1 = try #require(byID[ids["c1"]!])
        // .mailmap from the tree maps the old identity.
        #expect(Self.text(c1.author.name) == "New Name")
        #expect(Self.text(c1.author.email) == "new@example.com")
        #expect(c1.author.date == GitTimestamp(secondsSince1970: 1_600_000_000, utcOffsetMinutes: 330))
        #expect(Self.text(c1.committer.name) == "Cy Committer")
        let c1Files = Dictionary(uniqueKeysWithValues: c1.changes.map { (Self.text($0.path)!, $0) })
        #expect(c1Files["a.go"]?.added == 4 && c1Files["a.go"]?.removed == 0)
        #expect(c1Files["logo.png"]?.isBinary == true)
        #expect(c1Files["notes.txt"]?.added == 2)
        #expect(c1Files[".mailmap"]?.added == 1)
        let c2 = try #require(byID[ids["c2"]!])
        #expect(c2.author.date.utcOffsetMinutes == -420)
        let c2Files = Dictionary(uniqueKeysWithValues: c2.changes.map { (Self.text($0.path)!, $0) })
        #expect(c2Files["a.go"]?.added == 1 && c2Files["a.go"]?.removed == 1)
        // A rename with one line added: the old path is kept, and only the new line counts.
        #expect(Self.text(c2Files["docs-notes.txt"]?.oldPath) == "notes.txt")
        #expect(c2Files["docs-notes.txt"]?.added == 1 && c2Files["docs-notes.txt"]?.removed == 0)
        // The merge is listed once, without a diff: its lines were counted in c3.
        let merge = try #require(byID[ids["merge"]!])
        #expect(merge.parents.count == 2)
        #expect(merge.changes.isEmpty)
        #expect(byID[ids["c3"]!]?.changes.map { Self.text($0.path) } == ["b.go"])
    }

    @Test("--first-parent: the merge carries what it brought; the side branch is not walked")
    func firstParent() throws {
        let sandbox = try Sandbox()
        let (work, ids) = try Self.makeHistory(sandbox)
        let commits = try Self.walk(work) { $0.firstParent = true }
        #expect(commits.map(\.id.description) == [ids["merge"]!, ids["c2"]!, ids["c1"]!])
        #expect(commits[0].changes.map { Self.text($0.path) } == ["b.go"])
        #expect(commits[0].changes.first?.added == 2)
    }

    @Test("an incremental walk stops at commits already seen; --since filters by date")
    func incrementalAndSince() throws {
        let sandbox = try Sandbox()
        let (work, ids) = try Self.makeHistory(sandbox)
        let newer = try Self.walk(work) { $0.excluding = [GitObjectID(ids["c2"]!)!] }
        #expect(Set(newer.map(\.id.description)) == [ids["merge"]!, ids["c3"]!])
        let since = try Self.walk(work) { $0.since = "1600172000" }  // after c2, before c3
        #expect(Set(since.map(\.id.description)) == [ids["merge"]!, ids["c3"]!])
    }

    @Test("an unknown revision fails with git's message; a user mailmap file applies")
    func errorsAndUserMailmap() throws {
        let sandbox = try Sandbox()
        let (work, ids) = try Self.makeHistory(sandbox)
        #expect(throws: GitError.self) { try Self.walk(work) { $0.revision = "nope" } }
        try sandbox.write("user.mailmap", "Team Member <team@example.com> Cy Committer <cy@example.com>\n")
        let commits = try Self.walk(work) { $0.mailmapFile = sandbox.path + "/user.mailmap" }
        let c2 = try #require(commits.first { $0.id.description == ids["c2"]! })
        #expect(Self.text(c2.committer.name) == "Team Member")
        #expect(Self.text(c2.author.name) == "Ada Author")  // not in the file: unchanged
    }
}
