import CensusTestSupport
import Foundation
import Testing

/// The note `census scan` writes when git read every commit object to count a long history (the
/// repository has no commit-graph): its figures, when it is left out, and how a corpus lists it.
@Suite("census scan: the commit-graph note")
struct CommitGraphNoteCLITests {
    static let commits = 20_000  // GitRepositoryInfo.commitGraphAdviceThreshold

    /// A bare repository of `commits` commits in one line (one Go file, committed by the first),
    /// made by `git fast-import`: nothing writes a commit-graph into it.
    static func makeHistory(_ tree: PublicTree) throws -> String {
        let path = tree.path + "/long.git"
        try fixtureGit(["init", "-q", "--bare", "-b", "main", path], in: tree.path)
        var stream = "commit refs/heads/main\ncommitter C <c@example.com> 1600000000 +0000\ndata 5\nfirst\n"
        stream += "M 644 inline main.go\ndata 13\npackage main\n\n"
        for k in 1..<commits {
            stream += "commit refs/heads/main\ncommitter C <c@example.com> \(1_600_000_000 + k) +0000\ndata 1\nx\n\n"
        }
        let argv = ["/usr/bin/git", "-C", path, "fast-import", "--quiet"]
        let run = try Spawned.run(
            argv, environment: ["PATH": "/usr/bin:/bin", "HOME": tree.path, "GIT_CONFIG_NOSYSTEM": "1"],
            input: Array(stream.utf8))
        #expect(run.status == 0, "\(String(decoding: run.stderr, as: UTF8.self))")
        return path
    }

    static func notes(_ run: CensusRun) -> [String] {
        run.stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("census: note:") }
    }

    @Test("one repository: named with its exact commit count; not with a commit-graph, nor with --quiet")
    func oneRepository() throws {
        let tree = PublicTree()
        let long = try Self.makeHistory(tree)
        let walked = try CLI.run(["scan", long, "--no-db", "--format", "json"])
        #expect(walked.status == 0, "\(walked.stderr)")
        let repository = try #require(try walked.json()["repository"] as? [String: Any])
        #expect(repository["commit_count"] as? Int == Self.commits)
        let notes = Self.notes(walked)
        #expect(notes.count == 1)
        #expect(notes.first?.hasPrefix("census: note: \(long): git read all \(Self.commits) commit objects to count them") == true)
        #expect(notes.first?.contains("`git -C \(long) commit-graph write --reachable`") == true)

        let quiet = try CLI.run(["scan", long, "--no-db", "--quiet"])
        #expect(quiet.status == 0)
        #expect(Self.notes(quiet).isEmpty)

        // The command the note names, run: the same figures, from the commit-graph, and no note.
        try fixtureGit(["commit-graph", "write", "--reachable"], in: long)
        let graphed = try CLI.run(["scan", long, "--no-db", "--format", "json"])
        #expect(graphed.status == 0)
        let after = try #require(try graphed.json()["repository"] as? [String: Any])
        #expect(after["commit_count"] as? Int == Self.commits)
        #expect(after["root_commit_date"] as? String == repository["root_commit_date"] as? String)
        #expect(Self.notes(graphed).isEmpty)
    }

    @Test("a corpus: the first five repositories are named, then how many more")
    func corpus() throws {
        let tree = PublicTree()
        let long = try Self.makeHistory(tree)
        // Six repositories sharing the history's objects (no commit-graph copied), one with a space.
        var targets: [String] = []
        for name in ["a", "b", "c", "d", "e", "f g"] {
            let path = tree.path + "/corpus/" + name + ".git"
            try fixtureGit(["clone", "-q", "--bare", "--shared", long, path], in: tree.path)
            targets.append(path)
        }
        let run = try CLI.run(["scan", "--no-db"] + targets)
        #expect(run.status == 0, "\(run.stderr)")
        let notes = Self.notes(run)
        #expect(notes.count == 6)
        #expect(notes.prefix(5).allSatisfy { $0.contains("git read all \(Self.commits) commit objects") })
        #expect(notes.last == "census: note: ... and 1 more repository without a commit-graph")
        // A location the shell would split is quoted in the command it names.
        let spaced = tree.path + "/corpus/f g.git"
        let named = try CLI.run(["scan", "--no-db", spaced])
        #expect(Self.notes(named).first?.contains("`git -C '\(spaced)' commit-graph write --reachable`") == true)
    }
}
