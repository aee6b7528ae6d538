import Foundation
import Testing

@testable import CensusGit

@Suite("Clone cache")
struct CacheTests {
    /// A source repository with two commits on main, and a cache beside it.
    struct Setup {
        let sandbox: Sandbox
        let source: String
        let url: String
        let cache: GitCache
        var first: String = ""
        var second: String = ""

        init() throws {
            sandbox = try Sandbox()
            source = sandbox.path + "/upstream/project"
            try FileManager.default.createDirectory(
                atPath: sandbox.path + "/upstream", withIntermediateDirectories: true)
            first = try sandbox.repositoryWithFiles("upstream/project", ["README": "hello\n"], date: "1600000000 +0000")
            second = try sandbox.addCommit(
                to: "upstream/project", file: "main.c", content: "int main;\n", date: "1600000100 +0000")
            url = "file://" + source
            cache = try GitCache(root: sandbox.path + "/cache", runner: sandbox.runner)
        }
    }

    @Test("first use clones bare and shallow into host/owner/name.git, without hooks")
    func firstClone() throws {
        let setup = try Setup()
        let repository = try setup.cache.repository(for: setup.url)
        let expectedPath = setup.sandbox.path + "/cache/local" + setup.sandbox.path + "/upstream/project.git"
        #expect(repository.path == expectedPath)
        #expect(repository.isBare)
        #expect(repository.displayName == setup.url)
        let info = try repository.info()
        #expect(info.isShallow)
        #expect(info.commit.id == (try GitObjectID.make(setup.second)))
        // Shallow: the count and the first commit are unknown, not the cut's.
        #expect(info.commitCount == nil)
        #expect(info.rootCommit == nil)
        #expect(info.defaultBranch == "main")
        #expect(info.remoteURL == setup.url)
        // An empty template: no sample hooks, no info/exclude; no temporary directory left behind.
        #expect(
            setup.sandbox.contents(ofDirectory: "cache/local" + setup.sandbox.path + "/upstream/project.git/hooks")
                .isEmpty)
        #expect(
            setup.sandbox.contents(ofDirectory: "cache/local" + setup.sandbox.path + "/upstream") == ["project.git"])
        #expect(
            try repository.listTree().entries.map { String(decoding: $0.path, as: UTF8.self) } == ["README", "main.c"])
    }

    @Test("a later call fetches: a new commit appears; full history deepens the clone")
    func updateAndDeepen() throws {
        let setup = try Setup()
        _ = try setup.cache.repository(for: setup.url)
        let third = try setup.sandbox.addCommit(
            to: "upstream/project", file: "x", content: "x\n", date: "1600000200 +0000")
        let updated = try setup.cache.repository(for: setup.url)
        #expect(try updated.resolveCommit() == (try GitObjectID.make(third)))
        #expect(try updated.isShallow())
        let full = try setup.cache.repository(for: setup.url, history: .full)
        #expect(try !full.isShallow())
        let info = try full.info()
        #expect(info.commitCount == 3)
        #expect(info.rootCommit?.id == (try GitObjectID.make(setup.first)))
        // Full stays full: a later shallow request fetches without --depth.
        _ = try setup.sandbox.addCommit(to: "upstream/project", file: "y", content: "y\n", date: "1600000300 +0000")
        let again = try setup.cache.repository(for: setup.url)
        #expect(try !again.isShallow())
        #expect(try again.info().commitCount == 4)
    }

    @Test("a renamed default branch is followed")
    func renamedDefaultBranch() throws {
        let setup = try Setup()
        _ = try setup.cache.repository(for: setup.url)
        try setup.sandbox.git(["branch", "-m", "main", "trunk"], in: "upstream/project")
        let third = try setup.sandbox.git(["rev-parse", "trunk"], in: "upstream/project")
        let repository = try setup.cache.repository(for: setup.url)
        #expect(try repository.defaultBranch() == "trunk")
        #expect(try repository.resolveCommit().description == third)
    }

    @Test("offline: the cached clone as it is; uncached and too-shallow fail clearly")
    func offline() throws {
        let setup = try Setup()
        _ = try setup.cache.repository(for: setup.url)
        _ = try setup.sandbox.addCommit(to: "upstream/project", file: "z", content: "z\n", date: "1600000200 +0000")
        var offline = setup.cache
        offline.offline = true
        let cached = try offline.repository(for: setup.url)
        #expect(try cached.resolveCommit() == (try GitObjectID.make(setup.second)))  // not fetched

        let uncached = "file://" + setup.sandbox.path + "/elsewhere/other.git"
        let error = try #require(throws: GitError.self) { try offline.repository(for: uncached) }
        #expect(error.code == .notCached)
        #expect(error.repository == uncached)
        #expect(error.description.contains("offline"))
        #expect(!setup.sandbox.exists("cache/local" + setup.sandbox.path + "/elsewhere"))

        let shallow = try #require(throws: GitError.self) { try offline.repository(for: setup.url, history: .full) }
        #expect(shallow.code == .shallowCache)
    }

    @Test("the async variant runs on its own thread and gives the same clone")
    func asyncVariant() async throws {
        let setup = try Setup()
        let repository = try await setup.cache.repository(for: setup.url, history: .shallow)
        #expect(try repository.resolveCommit() == (try GitObjectID.make(setup.second)))
    }

    @Test(
        "default root: XDG_CACHE_HOME if absolute, else HOME/.cache",
        arguments: [
            (["XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"], "/x/cache/census/repos"),
            (["XDG_CACHE_HOME": "/x/cache/", "HOME": "/home/u"], "/x/cache/census/repos"),
            (["XDG_CACHE_HOME": "relative", "HOME": "/home/u"], "/home/u/.cache/census/repos"),
            (["XDG_CACHE_HOME": "", "HOME": "/home/u"], "/home/u/.cache/census/repos"),
            (["HOME": "/"], "/.cache/census/repos"),
            ([:], nil),
        ] as [([String: String], String?)])
    func defaultRoot(environment: [String: String], expected: String?) {
        #expect(GitCache.defaultRoot(environment: environment) == expected)
    }

    @Test("symbolic HEAD from ls-remote, and refusing unsafe branch names")
    func symbolicHead() {
        #expect(GitCache.symbolicHead(Array("ref: refs/heads/main\tHEAD\nabc\tHEAD\n".utf8)) == "refs/heads/main")
        #expect(GitCache.symbolicHead(Array("abc\tHEAD\n".utf8)) == nil)
        for bad in [
            "refs/heads/a..b", "refs/heads/-x:y", "refs/heads/a b", "refs/heads/.hidden", "refs/heads/x.lock",
            "refs/tags/v1",
        ] {
            #expect(GitCache.symbolicHead(Array("ref: \(bad)\tHEAD\n".utf8)) == nil, "\(bad)")
        }
    }
}
