import Foundation
import Testing

@testable import CensusGit

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Failures name the repository, the command and git's message")
struct FailureTests {
    @Test("unreachable URL")
    func unreachable() throws {
        let sandbox = try Sandbox()
        let cache = try GitCache(root: sandbox.path + "/cache", runner: sandbox.runner)
        let url = "file:///nonexistent/census/repo.git"
        let error = try #require(throws: GitError.self) { try cache.repository(for: url) }
        #expect(error.code == .fetchFailed)
        #expect(error.repository == url)
        #expect(error.command.first == "clone")
        #expect(error.exitStatus == .exited(128))
        #expect(error.gitMessage.contains("does not appear to be a git repository"))
        #expect(error.description.contains(url))
        // Nothing half-made is left in the cache.
        #expect(sandbox.contents(ofDirectory: "cache/local/nonexistent/census") == [])
    }

    @Test("empty repository")
    func empty() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.initRepository("empty.git", bare: true)
        let repository = try GitRepository(path: path, runner: sandbox.runner)
        let error = try #require(throws: GitError.self) { try repository.listTree() }
        #expect(error.code == .emptyRepository)
        #expect(error.repository == path)
        #expect(error.command == ["rev-parse", "--verify", "HEAD^{commit}"])
        #expect(error.gitMessage.contains("Needed a single revision"))
        #expect(throws: GitError.self) { try repository.info() }
    }

    @Test("unknown revision, and a revision that looks like an option")
    func unknownRevision() throws {
        let sandbox = try Sandbox()
        try sandbox.repositoryWithFiles("repo", ["a": "a\n"])
        let repository = try GitRepository(path: sandbox.path + "/repo", runner: sandbox.runner)
        let error = try #require(throws: GitError.self) { try repository.listTree("nosuch") }
        #expect(error.code == .unknownRevision)
        #expect(error.repository == sandbox.path + "/repo")
        #expect(error.gitMessage.contains("Needed a single revision"))
        #expect(
            error.description == """
                unknown revision 'nosuch': name a branch, tag or commit of the repository (\(sandbox.path)/repo)
                  command: git rev-parse --verify nosuch^{commit}
                  exit status: 128
                  git: fatal: Needed a single revision
                """)
        let option = try #require(throws: GitError.self) { try repository.resolveCommit("--output=/tmp/x") }
        #expect(option.code == .unknownRevision)
        #expect(option.command.isEmpty)
    }

    @Test("a path that is not the top of a repository, or no repository at all")
    func notARepository() throws {
        let sandbox = try Sandbox()
        try sandbox.repositoryWithFiles("repo", ["a": "a\n"])
        try FileManager.default.createDirectory(atPath: sandbox.path + "/repo/sub", withIntermediateDirectories: true)
        let inside = try #require(throws: GitError.self) {
            try GitRepository(path: sandbox.path + "/repo/sub", runner: sandbox.runner)
        }
        #expect(inside.code == .notARepository)
        #expect(inside.gitMessage.contains("not a git repository"))
        let missing = try #require(throws: GitError.self) {
            try GitRepository(path: sandbox.path + "/absent", runner: sandbox.runner)
        }
        #expect(missing.code == .notARepository)
        #expect(missing.description.contains("No such file or directory"))
    }

    @Test("corrupt repository: a broken HEAD")
    func brokenHead() throws {
        let sandbox = try Sandbox()
        try sandbox.repositoryWithFiles("repo", ["a": "a\n"])
        try sandbox.write("repo/.git/HEAD", "garbage\n")
        let error = try #require(throws: GitError.self) {
            try GitRepository(path: sandbox.path + "/repo", runner: sandbox.runner)
        }
        #expect(error.code == .notARepository)
        #expect(error.repository == sandbox.path + "/repo")
        #expect(error.command.first == "rev-parse")
        #expect(error.gitMessage.contains("not a git repository"))
    }

    @Test("corrupt repository: truncated object files")
    func truncatedObjects() throws {
        let sandbox = try Sandbox()
        try sandbox.initRepository("repo")
        let good = try sandbox.blob(Array("good\n".utf8), in: "repo")
        let bad = try sandbox.blob(Array("this blob will be damaged\n".utf8), in: "repo")
        let tree = try sandbox.tree(
            [("100644", bad, Array("bad".utf8)), ("100644", good, Array("good".utf8))], in: "repo")
        let commit = try sandbox.commit(tree, date: "1600000000 +0000", in: "repo")
        try sandbox.git(["update-ref", "refs/heads/main", commit], in: "repo")
        func truncate(_ id: String) {
            let file = sandbox.path + "/repo/.git/objects/" + id.prefix(2) + "/" + id.dropFirst(2)
            chmod(file, 0o644)
            #expect(Glibc.truncate(file, 10) == 0)
        }
        truncate(bad)
        let repository = try GitRepository(path: sandbox.path + "/repo", runner: sandbox.runner)
        let reader = repository.makeBlobReader()
        let result = try reader.read(try GitObjectID.make(bad))
        let error = try #require(result.error, "expected a failure, got \(result)")
        #expect(error.repository == sandbox.path + "/repo")
        #expect(error.command == reader.command)
        #expect(
            error.gitMessage.contains(bad) || error.gitMessage.contains("corrupt")
                || error.gitMessage.contains("inflate"))
        // The reader goes on with the next object.
        #expect(try reader.read(try GitObjectID.make(good)).value?.bytes == Array("good\n".utf8))

        truncate(tree)
        let listing = try #require(throws: GitError.self) { try repository.listTree() }
        #expect(listing.code == .commandFailed)
        #expect(listing.command.first == "ls-tree")
        #expect(!listing.gitMessage.isEmpty)
    }

    @Test("missing blobs of a partial clone: listed as absent, reported per blob, never fetched")
    func partialClone() throws {
        let sandbox = try Sandbox()
        let large = String(repeating: "beta\n", count: 20)
        try sandbox.repositoryWithFiles("source", ["a.txt": "alpha\n", "b.txt": large, "c.txt": large + "!"])
        try sandbox.git(["config", "uploadpack.allowFilter", "true"], in: "source")
        // Blobs over 10 bytes stay behind: a.txt is present, b.txt and c.txt absent.
        try sandbox.git(
            [
                "clone", "-q", "--bare", "--filter=blob:limit=10", "--template=", "file://" + sandbox.path + "/source",
                sandbox.path + "/partial.git",
            ], network: true)
        let repository = try GitRepository(path: sandbox.path + "/partial.git", runner: sandbox.runner)
        let listing = try repository.listTree()
        #expect(listing.entries.map { String(decoding: $0.path, as: UTF8.self) } == ["a.txt", "b.txt", "c.txt"])
        #expect(listing.entries.map(\.size) == [6, nil, nil])
        #expect(listing.entries.map(\.isAbsent) == [false, true, true])
        #expect(try repository.info().isPartialClone)
        #expect(try repository.absentObjects(commit: listing.commit) == Set(listing.entries.dropFirst().map(\.id)))
        let reader = repository.makeBlobReader()
        for entry in listing.entries.dropFirst() {
            // The promisor remote is right there, yet nothing is fetched: no transport is allowed.
            let result = try reader.read(entry.id)
            guard case .missing(let error) = result else {
                Issue.record("expected missing, got \(result)")
                continue
            }
            #expect(error.code == .missingObject)
            #expect(error.repository == sandbox.path + "/partial.git")
            #expect(error.command == reader.command)
            #expect(error.gitMessage.contains("could not fetch \(entry.id)"))
            #expect(error.description.contains(sandbox.path + "/partial.git"))
            // The reader goes on (with a new git: this one died on the absent blob).
            #expect(try reader.read(listing.entries[0].id).value?.bytes == Array("alpha\n".utf8))
        }
        #expect(try repository.absentObjects(commit: listing.commit).count == 2)  // still not fetched
    }

    @Test("a git that hangs (a config include of a FIFO) is killed at the time limit")
    func timeout() throws {
        let sandbox = try Sandbox()
        try sandbox.repositoryWithFiles("repo", ["a": "a\n"])
        #expect(mkfifo(sandbox.path + "/fifo", 0o600) == 0)
        try sandbox.git(["config", "include.path", sandbox.path + "/fifo"], in: "repo")
        var runner = sandbox.runner
        runner.commandTimeout = .milliseconds(500)
        let start = ContinuousClock.now
        let error = try #require(throws: GitError.self) {
            try GitRepository(path: sandbox.path + "/repo", runner: runner)
        }
        #expect(error.code == .timedOut)
        #expect(error.exitStatus == .signalled(SIGKILL))
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test("a repository owned by someone else opens through the explicit safe.directory")
    func otherOwner() throws {
        let sandbox = try Sandbox()
        try sandbox.repositoryWithFiles("repo", ["a": "a\n"])
        // The control: git itself refuses it.
        #expect(
            try plainGit(
                ["rev-parse", "HEAD"], in: sandbox.path + "/repo", environment: ["GIT_TEST_ASSUME_DIFFERENT_OWNER": "1"]
            ) != 0)
        var runner = sandbox.runner
        runner.extraEnvironment["GIT_TEST_ASSUME_DIFFERENT_OWNER"] = "1"
        let repository = try GitRepository(path: sandbox.path + "/repo", runner: runner)
        #expect(try repository.listTree().entries.count == 1)
    }
}
