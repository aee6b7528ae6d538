import CodeCensus
import Foundation
import Testing

@Suite("census deps: the Go module graph of the stored corpus")
struct DepsCLITests {
    /// Three repositories, every figure worked out by hand:
    /// - acme/api (example.com/api): golang.org/x/text v0.3.0, github.com/pkg/errors v0.9.1,
    ///   example.com/lib v1.0.0 (a module of the corpus), github.com/b/c v1.0.0 // indirect
    /// - acme/web (example.com/web): golang.org/x/text v0.3.0, github.com/pkg/errors v0.8.0; and a
    ///   vendored copy vendor/github.com/x/y/go.mod (third-party: left out)
    /// - beta/lib (example.com/lib): golang.org/x/sys v0.1.0
    static func makeCorpus(_ tree: PublicTree) throws -> [String: String] {
        func repository(_ name: String, _ files: [String: String]) throws -> String {
            for (path, text) in files { tree.write(name + "/" + path, text) }
            let work = tree.path + "/" + name
            try fixtureGit(["init", "-q", "-b", "main"], in: work)
            try fixtureGit(["add", "-A"], in: work)
            try fixtureGit(["commit", "-q", "-m", "one"], in: work)
            return work
        }
        let api = try repository("acme/api", [
            "go.mod": """
                module example.com/api

                go 1.21

                require (
                \tgolang.org/x/text v0.3.0
                \tgithub.com/pkg/errors v0.9.1
                \texample.com/lib v1.0.0
                \tgithub.com/b/c v1.0.0 // indirect
                )

                """,
            "main.go": "package main\n",
        ])
        let web = try repository("acme/web", [
            "go.mod": "module example.com/web\n\nrequire (\n\tgolang.org/x/text v0.3.0\n\tgithub.com/pkg/errors v0.8.0\n)\n",
            "vendor/github.com/x/y/go.mod": "module github.com/x/y\n\nrequire golang.org/x/net v0.1.0\n",
            "vendor/modules.txt": "# github.com/x/y v1.0.0\n",
        ])
        let lib = try repository("beta/lib", ["go.mod": "module example.com/lib\n\nrequire golang.org/x/sys v0.1.0\n"])
        return ["api": api, "web": web, "lib": lib]
    }

    @Test("fan-in, users, shares, coupling, PageRank and exports, by hand-worked figures")
    func figures() throws {
        let tree = PublicTree()
        let repos = try Self.makeCorpus(tree)
        let env = ["CENSUS_DB": tree.path + "/census.db"]
        let scan = try CLI.run(["scan", repos["api"]!, repos["web"]!, repos["lib"]!], environment: env)
        #expect(scan.status == 0, "\(scan.stderr)")
        func rows(_ arguments: [String]) throws -> [[String: Any]] {
            let run = try CLI.run(arguments + ["--format", "json"], environment: env)
            #expect(run.status == 0, "\(run.stderr)")
            return try #require(try run.json()["rows"] as? [[String: Any]])
        }

        let top = try rows(["deps", "top"])
        #expect(top.map { $0["module"] as? String } == [
            "github.com/pkg/errors", "golang.org/x/text", "example.com/lib", "golang.org/x/sys", "github.com/b/c",
        ])
        #expect(top.map { $0["direct_modules"] as? Int } == [2, 2, 1, 1, 0])
        #expect(top.map { $0["indirect_modules"] as? Int } == [0, 0, 0, 0, 1])
        #expect(!top.contains { $0["module"] as? String == "golang.org/x/net" })  // only in a vendored go.mod

        let users = try rows(["deps", "who-uses", "github.com/pkg/errors", "--version", "v0.9.1"])
        #expect(users.map { $0["module"] as? String } == ["example.com/api"])

        let of = try rows(["deps", "of", "example.com/lib"])
        #expect(of.map { $0["required"] as? String } == ["golang.org/x/sys"])

        // 7 own requirements: 1 to a corpus module (example.com/lib), 3 to golang.org/x (text ×2, sys),
        // hosts golang.org 3, github.com 3, example.com 1.
        let share = try rows(["deps", "share"])
        func part(_ kind: String, _ name: String) -> Int? {
            share.first { $0["kind"] as? String == kind && $0["name"] as? String == name }?["requirements"] as? Int
        }
        #expect(share.first?["total"] as? Int == 7)
        #expect(share.first { $0["kind"] as? String == "corpus" }?["requirements"] as? Int == 1)
        #expect(part("golang.org/x", "golang.org/x") == 3)
        #expect(part("host", "golang.org") == 3)
        #expect(part("host", "github.com") == 3)
        #expect(part("host", "example.com") == 1)
        #expect(part("org", "github.com/pkg") == 2)

        // api {text, errors, lib, b/c} and web {text, errors}: 2 shared of 4 → 0.5.
        let keys = try rows(["repos"]).compactMap { $0["key"] as? String }
        let apiKey = try #require(keys.first { $0.hasSuffix("acme/api") })
        let webKey = try #require(keys.first { $0.hasSuffix("acme/web") })
        let coupling = try rows(["deps", "coupling", apiKey, webKey])
        #expect(coupling.first?["shared"] as? Int == 2)
        #expect(coupling.first?["union"] as? Int == 4)
        #expect(abs((coupling.first?["jaccard"] as? Double ?? 0) - 0.5) < 1e-9)
        let pairs = try rows(["deps", "coupling", "--top", "5"])
        #expect(pairs.count == 1)  // lib shares nothing with the others

        // PageRank (d = 0.85, 7 modules, dangling rank spread evenly), in units of the base rank
        // b that api and web get: lib = b + d·api/4 = 1.2125b, sys = b + d·lib = 2.030625b,
        // text = errors = b + d·(api/4 + web/2) = 1.6375b, b/c = 1.2125b; they sum to 9.730625b = 1.
        let rank = try rows(["deps", "rank", "--limit", "100"])
        #expect(rank.map { $0["module"] as? String } == [
            "golang.org/x/sys", "github.com/pkg/errors", "golang.org/x/text", "example.com/lib", "github.com/b/c",
            "example.com/api", "example.com/web",
        ])
        #expect(abs((rank.first?["pagerank"] as? Double ?? 0) - 2.030625 / 9.730625) < 1e-5)
        let total = rank.reduce(0.0) { $0 + ($1["pagerank"] as? Double ?? 0) }
        #expect(abs(total - 1) < 1e-5)

        let dot = try CLI.run(["deps", "export", "--graph", "dot"], environment: env)
        #expect(dot.text.contains("\"example.com/api\" -> \"golang.org/x/text\";"))
        #expect(dot.text.contains("\"example.com/api\" -> \"github.com/b/c\" [style=dashed];"))
        let json = try CLI.run(["deps", "export", "--graph", "json"], environment: env)
        #expect((try json.json()["edges"] as? [[String: Any]])?.count == 7)
    }

    @Test("PageRank of a known graph")
    func pageRank() {
        // a → b, b → c, c → a: a cycle; every node ends at 1/3.
        let cycle = DependencyRank(edges: [("a", "b"), ("b", "c"), ("c", "a")])
        for s in cycle.scores { #expect(abs(s.score - 1.0 / 3.0) < 1e-9) }
        // a → c, b → c, c dangling (its rank spread evenly), d = 0.85: a = b = 0.05 + d·c/3 and
        // c = a + d·(a + b) = 2.7a; with 2a + c = 1, a = 1/4.7 and c = 2.7/4.7.
        let star = DependencyRank(edges: [("a", "c"), ("b", "c")])
        #expect(star.scores.first?.module == "c")
        #expect(abs((star.scores.first?.score ?? 0) - 2.7 / 4.7) < 1e-9)
        #expect(abs((star.scores.last?.score ?? 0) - 1 / 4.7) < 1e-9)
    }
}
