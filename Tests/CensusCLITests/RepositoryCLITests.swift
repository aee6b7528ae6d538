import CensusTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The test's own git, trusted, with a fixed identity and no user configuration.
@discardableResult
func fixtureGit(_ arguments: [String], in directory: String) throws -> String {
    let argv = ["/usr/bin/git", "-C", directory] + arguments
    let environment = [
        "PATH": "/usr/bin:/bin", "HOME": directory, "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.com", "GIT_COMMITTER_NAME": "C",
        "GIT_COMMITTER_EMAIL": "c@example.com", "GIT_AUTHOR_DATE": "1600000000 +0000",
        "GIT_COMMITTER_DATE": "1600000000 +0000",
    ]
    let data = try Spawned.run(argv, environment: environment).stdout
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

@Suite("census scan on repositories and URLs")
struct RepositoryCLITests {
    /// A repository `org/name` with one committed Go file (3 code lines) and one uncommitted C file;
    /// returns the working tree's path.
    static func makeRepository(_ tree: PublicTree, _ name: String = "acme/tool") throws -> String {
        let work = tree.path + "/" + name
        tree.write(name + "/main.go", "package main\n\nfunc main() {\n}\n")  // 3 code, 1 blank
        try fixtureGit(["init", "-q", "-b", "main"], in: work)
        try fixtureGit(["add", "-A"], in: work)
        try fixtureGit(["commit", "-q", "-m", "one"], in: work)
        tree.write(name + "/extra.c", "int x;\n")  // not committed
        return work
    }

    @Test("a repository is scanned at HEAD; --worktree walks the files on disk")
    func headAndWorktree() throws {
        let tree = PublicTree()
        let work = try Self.makeRepository(tree)
        let head = try CLI.run(["scan", work, "--format", "json"])
        #expect(head.status == 0)
        let json = try head.json()
        let languages = try #require(json["languages"] as? [[String: Any]])
        #expect(languages.map { $0["name"] as? String } == ["Go"])
        let repository = try #require(json["repository"] as? [String: Any])
        #expect(repository["commit"] as? String == (try fixtureGit(["rev-parse", "HEAD"], in: work)))
        #expect(repository["commit_date"] as? String == "2020-09-13T12:26:40Z")  // 1600000000
        #expect(repository["commit_count"] as? Int == 1)
        #expect(repository["default_branch"] as? String == "main")
        let disk = try CLI.run(["scan", work, "--worktree", "--format", "json"])
        let diskLanguages = try #require(try disk.json()["languages"] as? [[String: Any]])
        #expect(Set(diskLanguages.compactMap { $0["name"] as? String }) == ["Go", "C"])
    }

    @Test("a file:// URL is cloned into the cache, then scanned offline from it")
    func urlAndOffline() throws {
        let tree = PublicTree()
        let work = try Self.makeRepository(tree)
        try fixtureGit(["clone", "-q", "--bare", work, tree.path + "/served/acme/tool.git"], in: tree.path)
        let cache = tree.path + "/cache"
        let url = "file://" + tree.path + "/served/acme/tool.git"
        let first = try CLI.run(["scan", url, "--format", "csv"], environment: ["XDG_CACHE_HOME": cache])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.text.contains("\nGo,programming,1,4,3,0,1,"))
        let offline = try CLI.run(["scan", url, "--offline", "--format", "csv"], environment: ["XDG_CACHE_HOME": cache])
        #expect(offline.status == 0)
        #expect(offline.text == first.text)
        let missing = try CLI.run(
            ["scan", "file:///nonexistent/acme/other.git", "--offline"], environment: ["XDG_CACHE_HOME": cache])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("other"))
    }

    @Test("several targets: one bad repository is reported, the rest are scanned, the exit status says so")
    func badRepositoryDoesNotStopTheRun() throws {
        let tree = PublicTree()
        let good = try Self.makeRepository(tree, "acme/good")
        let empty = tree.path + "/acme/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        try fixtureGit(["init", "-q"], in: empty)
        let run = try CLI.run(["scan", good, empty, "--rev", "main", "--format", "json"])
        #expect(run.status == 1)
        let json = try run.json()
        let repositories = try #require(json["repositories"] as? [[String: Any]])
        #expect(repositories.count == 1)
        let failures = try #require(json["failures"] as? [[String: Any]])
        #expect(failures.count == 1)
        #expect((failures.first?["location"] as? String) == empty)
        #expect(run.stderr.contains("1 of 2 repositories scanned, 1 failed"))
    }

    @Test("a CSV manifest labels repositories; shards split it without overlap; an org map overrides companies")
    func manifestShardsAndOrgMap() throws {
        let tree = PublicTree()
        var lines = ["repo,org,company,cohorts,location"]
        var all: [String] = []
        for k in 1 ... 6 {
            let work = try Self.makeRepository(tree, "acme/r\(k)")
            all.append(work)
            lines.append("\(work),acme,\"Acme, Inc.\",cncf-graduated;observability,\"Shenzhen, China\"")
        }
        lines.append("\(tree.path)/missing,acme,Acme,")
        tree.write("manifest.csv", lines.joined(separator: "\n") + "\n")
        tree.write("orgs.csv", "org,company\nacme,ACME Corp\n")
        let run = try CLI.run(["scan", "--manifest", tree.path + "/manifest.csv", "--format", "json", "--jobs", "2"])
        #expect(run.status == 1)  // the missing repository
        let json = try run.json()
        let repositories = try #require(json["repositories"] as? [[String: Any]])
        #expect(repositories.count == 6)
        let first = try #require(repositories.first?["repository"] as? [String: Any])
        #expect(first["company"] as? String == "Acme, Inc.")
        #expect(first["cohorts"] as? [String] == ["cncf-graduated", "observability"])
        // The manifest's location, classified by the region table.
        #expect(first["place"] as? String == "Shenzhen, China")
        #expect(first["country"] as? String == "CN")
        #expect(first["region"] as? String == "China")
        #expect((json["failures"] as? [[String: Any]])?.count == 1)
        let total = try #require(json["total"] as? [String: Any])
        #expect((total["total"] as? [String: Any])?["code"] as? Int == 18)  // 6 repositories × 3 Go code lines

        var seen: [String] = []
        for shard in ["1/2", "2/2"] {
            let part = try CLI.run(["scan", "--manifest", tree.path + "/manifest.csv", "--shard", shard, "--format", "json"])
            #expect(part.stderr.contains("failed"), "\(part.stderr)")
            let reports = try #require(try part.json()["repositories"] as? [[String: Any]])
            seen += reports.compactMap { ($0["repository"] as? [String: Any])?["location"] as? String }
        }
        #expect(seen.sorted() == all.sorted())

        let mapped = try CLI.run([
            "scan", "--manifest", tree.path + "/manifest.csv", "--org-map", tree.path + "/orgs.csv", "--format", "json",
        ])
        let companies = try #require(try mapped.json()["repositories"] as? [[String: Any]]).compactMap {
            ($0["repository"] as? [String: Any])?["company"] as? String
        }
        #expect(companies == Array(repeating: "ACME Corp", count: 6))
    }
}
