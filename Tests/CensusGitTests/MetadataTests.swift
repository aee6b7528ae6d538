import Testing

@testable import CensusGit

/// History with two roots, dates worked out by hand:
///
/// ```
/// root1 (1600000000 +0200 = 2020-09-13T12:26:40Z) ─ c2 (1700000000 +0530 = 2023-11-14T22:13:20Z) ─┐
///                                                                                   merge (1700003600 +0000)
/// root2 (1500000000 -0700 = 2017-07-14T02:40:00Z) ─────────────────────────────────────────────┘
/// ```
struct History {
    let sandbox: Sandbox
    let path: String
    let root1: String, c2: String, root2: String, merge: String

    init() throws {
        sandbox = try Sandbox()
        path = try sandbox.initRepository("history")
        let tree1 = try sandbox.tree(
            [("100644", try sandbox.blob(Array("one\n".utf8), in: "history"), Array("a".utf8))], in: "history")
        let tree2 = try sandbox.tree(
            [("100644", try sandbox.blob(Array("two\n".utf8), in: "history"), Array("b".utf8))], in: "history")
        root1 = try sandbox.commit(tree1, date: "1600000000 +0200", in: "history")
        c2 = try sandbox.commit(tree2, parents: [root1], date: "1700000000 +0530", in: "history")
        root2 = try sandbox.commit(tree1, date: "1500000000 -0700", in: "history")
        merge = try sandbox.commit(tree2, parents: [c2, root2], date: "1700003600 +0000", in: "history")
        try sandbox.git(["update-ref", "refs/heads/main", merge], in: "history")
    }
}

@Suite("Repository metadata")
struct MetadataTests {
    @Test("commit, committer dates, the earliest of two roots, commit count")
    func history() throws {
        let history = try History()
        let repository = try GitRepository(path: history.path, runner: history.sandbox.runner)
        let info = try repository.info()
        #expect(info.commit.id == (try GitObjectID.make(history.merge)))
        #expect(info.commit.committed == GitTimestamp(secondsSince1970: 1_700_003_600, utcOffsetMinutes: 0))
        #expect(info.commitCount == 4)
        #expect(info.rootCommitCount == 2)
        #expect(info.rootCommit?.id == (try GitObjectID.make(history.root2)))
        #expect(info.rootCommit?.committed.secondsSince1970 == 1_500_000_000)
        #expect(info.rootCommit?.committed.utcOffsetMinutes == -420)
        #expect(info.rootCommit?.committed.utcISO8601 == "2017-07-14T02:40:00Z")
        #expect(info.rootCommit?.committed.originalISO8601 == "2017-07-13T19:40:00-07:00")
        #expect(!info.isShallow)
        #expect(!info.isPartialClone)
        #expect(info.defaultBranch == "main")
        #expect(info.remoteURL == nil)
        #expect(info.remote == nil)

        let older = try repository.info(revision: history.c2)
        #expect(older.commit.committed.utcISO8601 == "2023-11-14T22:13:20Z")
        #expect(older.commit.committed.originalISO8601 == "2023-11-15T03:43:20+05:30")
        #expect(older.commitCount == 2)
        #expect(older.rootCommitCount == 1)
        #expect(older.rootCommit?.id == (try GitObjectID.make(history.root1)))
        #expect(older.rootCommit?.committed.originalISO8601 == "2020-09-13T14:26:40+02:00")
    }

    @Test("advice to write a commit-graph: only when git read the commits, and only for long histories")
    func commitGraphAdvice() throws {
        let history = try History()
        let repository = try GitRepository(path: history.path, runner: history.sandbox.runner)
        let walked = try repository.info()
        #expect(walked.metadataSource == "rev-list")
        #expect(walked.commitGraphAdvice(location: "repo", minimumCommits: 5) == nil)
        let advice = try #require(walked.commitGraphAdvice(location: "repo", minimumCommits: 4))
        #expect(advice.hasPrefix("git read all 4 commit objects to count them"))
        #expect(advice.contains("`git -C repo commit-graph write --reachable`"))
        #expect(walked.commitGraphAdvice(location: "repo") == nil)  // 4 commits: far below the default

        // With the graph git writes, the same figures come from it, and no advice.
        try history.sandbox.git(["commit-graph", "write", "--reachable"], in: "history")
        let graphed = try repository.info()
        #expect(graphed.metadataSource == "commit-graph")
        #expect(graphed.commitCount == 4)
        #expect(graphed.rootCommit?.id == walked.rootCommit?.id)
        #expect(graphed.commitGraphAdvice(location: "repo", minimumCommits: 1) == nil)
    }

    @Test("default branch: origin's HEAD outranks HEAD; detached HEAD has none")
    func defaultBranch() throws {
        let history = try History()
        let repository = try GitRepository(path: history.path, runner: history.sandbox.runner)
        try history.sandbox.git(["update-ref", "refs/remotes/origin/trunk", history.merge], in: "history")
        try history.sandbox.git(
            ["symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk"], in: "history")
        #expect(try repository.defaultBranch() == "trunk")
        // A dangling origin/HEAD (its branch deleted) is passed over for HEAD's branch.
        try history.sandbox.git(["update-ref", "-d", "refs/remotes/origin/trunk"], in: "history")
        #expect(try repository.defaultBranch() == "main")
        try history.sandbox.git(["update-ref", "-d", "--no-deref", "refs/remotes/origin/HEAD"], in: "history")
        try history.sandbox.git(["update-ref", "--no-deref", "HEAD", history.c2], in: "history")
        #expect(try repository.defaultBranch() == nil)
    }

    @Test("remote URL: origin's, password removed, parsed")
    func remote() throws {
        let history = try History()
        try history.sandbox.git(["config", "remote.upstream.url", "https://example.org/other/thing"], in: "history")
        let repository = try GitRepository(path: history.path, runner: history.sandbox.runner)
        #expect(try repository.info().remoteURL == "https://example.org/other/thing")  // the only remote
        try history.sandbox.git(
            ["config", "remote.origin.url", "https://user:s3cret@GitHub.com/acme/widget.git"], in: "history")
        let info = try repository.info()
        #expect(info.remoteURL == "https://user@GitHub.com/acme/widget.git")
        #expect(info.remote?.host == "github.com")
        #expect(info.remote?.owner == "acme")
        #expect(info.remote?.name == "widget")
    }

    @Test("a shallow clone is detected; its count is a lower bound and its root the cut-off")
    func shallow() throws {
        let history = try History()
        try history.sandbox.git(
            [
                "clone", "-q", "--bare", "--depth=1", "--template=", "file://" + history.path,
                history.sandbox.path + "/shallow.git",
            ],
            network: true)
        let repository = try GitRepository(path: history.sandbox.path + "/shallow.git", runner: history.sandbox.runner)
        let info = try repository.info()
        #expect(info.isShallow)
        // The clone alone cannot say: unknown, never the cut's 1 and date.
        #expect(info.commitCount == nil)
        #expect(info.rootCommit == nil)
        #expect(info.rootCommitCount == nil)
        // With a repository holding the whole history beside it (a commits-only clone), exact.
        try history.sandbox.git(["config", "uploadpack.allowFilter", "true"], in: "history")
        try history.sandbox.git(
            [
                "clone", "-q", "--bare", "--filter=tree:0", "--template=", "file://" + history.path,
                history.sandbox.path + "/commits.git",
            ],
            network: true)
        let commits = try GitRepository(path: history.sandbox.path + "/commits.git", runner: history.sandbox.runner)
        let exact = try repository.info(metadata: commits)
        let whole = try GitRepository(path: history.path, runner: history.sandbox.runner).info(revision: history.merge)
        #expect(exact.commitCount == 4)
        #expect(exact.commitCount == whole.commitCount)
        #expect(exact.rootCommit == whole.rootCommit)
        #expect(exact.rootCommit?.id == (try GitObjectID.make(history.root2)))
        #expect(exact.rootCommitCount == 2)
        #expect(exact.metadataSource?.hasPrefix("commits-only clone") == true)
        #expect(info.defaultBranch == "main")
        #expect(info.remoteURL == "file://" + history.path)
        #expect(info.remote?.host == "local")
    }

    @Test(
        "ISO 8601 formatting, checked by hand",
        arguments: [
            (0, 0, "1970-01-01T00:00:00Z", "1970-01-01T00:00:00+00:00"),
            (-1, 0, "1969-12-31T23:59:59Z", "1969-12-31T23:59:59+00:00"),
            (951_782_400, 60, "2000-02-29T00:00:00Z", "2000-02-29T01:00:00+01:00"),
            (1_700_000_000, -330, "2023-11-14T22:13:20Z", "2023-11-14T16:43:20-05:30"),
            (4_102_444_800, 0, "2100-01-01T00:00:00Z", "2100-01-01T00:00:00+00:00"),
        ] as [(Int64, Int, String, String)])
    func timestamps(seconds: Int64, offset: Int, utc: String, original: String) {
        let stamp = GitTimestamp(secondsSince1970: seconds, utcOffsetMinutes: offset)
        #expect(stamp.utcISO8601 == utc)
        #expect(stamp.originalISO8601 == original)
    }

    @Test("committer lines, including git's lenient zone reading")
    func committerLine() throws {
        let id = try GitObjectID.make(String(repeating: "a", count: 40))
        let commit = Array(
            "tree x\nauthor A <a@b> 1 +0000\ncommitter C > D <c@d> 1700000000 -0130\n\nmessage\ncommitter X <x> 5 +0000\n"
                .utf8)
        let stamp = try #require(GitCommitStamp.parse(id, commit: commit))
        #expect(stamp.committed == GitTimestamp(secondsSince1970: 1_700_000_000, utcOffsetMinutes: -90))
        #expect(GitCommitStamp.parse(id, commit: Array("tree x\n\ncommitter C <c> 1 +0000\n".utf8)) == nil)
    }
}

@Suite("Remote URLs")
struct RemoteURLTests {
    @Test(
        "host, owner and name",
        arguments: [
            (
                "https://github.com/apple/swift", GitRemoteURL.Transport.https, "github.com", nil, "apple", "swift",
                "github.com/apple/swift.git"
            ),
            (
                "https://github.com/apple/swift.git", .https, "github.com", nil, "apple", "swift",
                "github.com/apple/swift.git"
            ),
            (
                "https://github.com/apple/swift/", .https, "github.com", nil, "apple", "swift",
                "github.com/apple/swift.git"
            ),
            (
                "https://GitHub.com/Apple/Swift.git/", .https, "github.com", nil, "Apple", "Swift",
                "github.com/Apple/Swift.git"
            ),
            (
                "https://tok:en@gitlab.com/group/sub/project.git", .https, "gitlab.com", nil, "group/sub", "project",
                "gitlab.com/group/sub/project.git"
            ),
            ("https://example.com:8443/x/y", .https, "example.com", 8443, "x", "y", "example.com_8443/x/y.git"),
            ("https://example.com/solo.git", .https, "example.com", nil, "", "solo", "example.com/solo.git"),
            ("git@github.com:apple/swift.git", .ssh, "github.com", nil, "apple", "swift", "github.com/apple/swift.git"),
            ("github.com:apple/swift", .ssh, "github.com", nil, "apple", "swift", "github.com/apple/swift.git"),
            (
                "ssh://git@example.com:2222/group/project.git", .ssh, "example.com", 2222, "group", "project",
                "example.com_2222/group/project.git"
            ),
            ("ssh://example.com/project.git/", .ssh, "example.com", nil, "", "project", "example.com/project.git"),
            ("ssh://git@[::1]:22/a/b.git", .ssh, "::1", 22, "a", "b", "__1_22/a/b.git"),
            ("file:///srv/git/project.git", .file, "local", nil, "srv/git", "project", "local/srv/git/project.git"),
            ("file://localhost/tmp/r", .file, "local", nil, "tmp", "r", "local/tmp/r.git"),
        ] as [(String, GitRemoteURL.Transport, String, Int?, String, String, String)])
    func parsed(
        text: String, transport: GitRemoteURL.Transport, host: String, port: Int?, owner: String, name: String,
        cache: String
    ) throws {
        let url = try GitRemoteURL(parsing: text)
        #expect(url.transport == transport)
        #expect(url.host == host)
        #expect(url.port == port)
        #expect(url.owner == owner)
        #expect(url.name == name)
        #expect(url.cacheRelativePath == cache)
        #expect(url.url == text)
    }

    @Test("the ssh login is kept; an https password never shows")
    func users() throws {
        #expect(try GitRemoteURL(parsing: "git@github.com:a/b.git").user == "git")
        #expect(try GitRemoteURL(parsing: "ssh://deploy@host/a/b").user == "deploy")
        let https = try GitRemoteURL(parsing: "https://me:hunter2@host.example/a/b")
        #expect(https.user == nil)
        #expect(https.description == "https://me@host.example/a/b")
        #expect(GitRemoteURL.redacted("https://me:hunter2@h/a") == "https://me@h/a")
        #expect(GitRemoteURL.redacted("git@h:a/b") == "git@h:a/b")
    }

    @Test(
        "refused",
        arguments: [
            "", "/srv/git/project.git", "./relative", "http://example.com/a/b", "git://example.com/a/b",
            "ftp://example.com/a/b", "https://example.com/", "https://example.com/a/../b", "https://example.com/./b",
            "https://example.com/a b", "https://example.com/a\nb", "file://otherhost/a/b", "https://:443/a/b",
            "https://example.com:99999/a/b", "https://exa$mple.com/a/b", "ext::foo", "ext::sh", "fd::17/a",
            "ssh://-oProxyCommand=touch/a/b", "-oProxyCommand=x:a/b", "ssh://-git@host/a/b", "@host:a/b",
        ])
    func refused(text: String) {
        #expect(throws: GitError.self) { try GitRemoteURL(parsing: text) }
        do {
            _ = try GitRemoteURL(parsing: text)
        } catch let error as GitError {
            #expect(error.code == .invalidURL)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
