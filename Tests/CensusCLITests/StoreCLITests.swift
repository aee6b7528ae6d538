import CodeCensus
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("census scan stores; top, share, breakdown and repos answer from the store")
struct StoreCLITests {
    /// Three repositories with known own code, worked out by hand:
    /// - acme/api:  Go 5 lines of code, Python 2  → own code 7, Go share 5/7
    /// - acme/web:  Go 1, JavaScript 3            → own code 4, Go share 0.25
    /// - beta/tool: Python 5                      → own code 5, Go share 0
    static func makeCorpus(_ tree: PublicTree) throws -> String {
        func repository(_ name: String, _ files: [String: String]) throws {
            for (path, text) in files { tree.write(name + "/" + path, text) }
            try fixtureGit(["init", "-q", "-b", "main"], in: tree.path + "/" + name)
            try fixtureGit(["add", "-A"], in: tree.path + "/" + name)
            try fixtureGit(["commit", "-q", "-m", "one"], in: tree.path + "/" + name)
        }
        try repository("acme/api", [
            "main.go": "package main\n\nfunc main() {\n\tprintln(1)\n\tprintln(2)\n}\n// end\n",  // 5 code, 1 blank, 1 comment
            "tool.py": "import os\nprint(os.name)\n",  // 2 code
        ])
        try repository("acme/web", ["x.go": "package x\n", "app.js": "var a = 1;\nvar b = 2;\nvar c = 3;\n"])
        try repository("beta/tool", ["t.py": "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\n"])
        let manifest = """
            repo,org,company,cohorts
            \(tree.path)/acme/api,acme,Acme,cncf-graduated
            \(tree.path)/acme/web,acme,Acme,cncf-sandbox
            \(tree.path)/beta/tool,beta,Beta,cncf-graduated

            """
        return tree.write("manifest.csv", manifest)
    }

    @Test("a manifest run is stored; queries answer by hand-worked figures; unchanged repositories are skipped")
    func storeAndQuery() throws {
        let tree = PublicTree()
        let manifest = try Self.makeCorpus(tree)
        let db = tree.path + "/census.db"
        let environment = ["CENSUS_DB": db]
        let scan = try CLI.run(["scan", "--manifest", manifest, "--format", "json"], environment: environment)
        #expect(scan.status == 0, "\(scan.stderr)")

        let top = try CLI.run(["top", "--language", "Go", "--by", "company", "--format", "json"], environment: environment)
        let rows = try #require(try top.json()["rows"] as? [[String: Any]])
        // Acme: Go 5 + 1 = 6 of own code 7 + 4 = 11; Beta has no Go.
        #expect(rows.map { $0["name"] as? String } == ["Acme"])
        #expect(rows.first?["code"] as? Int == 6)
        #expect(rows.first?["own_code"] as? Int == 11)
        #expect(abs((rows.first?["share"] as? Double ?? 0) - 6.0 / 11.0) < 1e-6)

        // Repositories with at least 50% Go: acme/api only → 1 of 3; Go is 6 of 16 own lines.
        let share = try CLI.run(["share", "--language", "Go", "--threshold", "50%", "--format", "json"], environment: environment)
        let shareRow = try #require((try share.json()["rows"] as? [[String: Any]])?.first)
        #expect(shareRow["units_matching"] as? Int == 1)
        #expect(shareRow["units_total"] as? Int == 3)
        #expect(shareRow["language_code"] as? Int == 6)
        #expect(shareRow["own_code"] as? Int == 16)
        // Per cohort at 20%: graduated {api 5/7, tool 0} → 1 of 2, Go 5 of 12 own lines (41.7%);
        // sandbox {web 1/4} → 1 of 1, Go 1 of 4 (25.0%).
        let byCohort = try CLI.run(
            ["share", "--language", "Go", "--by", "cohort", "--threshold", "0.2", "--format", "csv"], environment: environment)
        #expect(byCohort.text.contains("\ncncf-graduated,1,2,50.0%,5,12,41.7%\n"), "\(byCohort.text)")
        #expect(byCohort.text.contains("\ncncf-sandbox,1,1,100.0%,1,4,25.0%\n"), "\(byCohort.text)")

        let repos = try CLI.run(["repos", "--format", "json"], environment: environment)
        #expect((try repos.json()["rows"] as? [[String: Any]])?.count == 3)

        // A second run finds every commit stored and scans nothing; --force rescans.
        let again = try CLI.run(["scan", "--manifest", manifest], environment: environment)
        #expect(again.stderr.contains("0 of 3 repositories scanned, 3 unchanged since stored"), "\(again.stderr)")
        let forced = try CLI.run(["scan", "--manifest", manifest, "--force"], environment: environment)
        #expect(forced.stderr.contains("3 of 3 repositories scanned"), "\(forced.stderr)")
        let database = try CensusDatabase.open(path: db, readOnly: true)
        #expect(try database.rowCounts().repositories == 3)
    }

    @Test("a run killed with SIGKILL leaves only complete repositories; the next run does the rest")
    func killedRunResumes() throws {
        // Real repositories big enough that a scan of all of them takes a while: the bare Swift
        // package mirrors every machine has (skipped when absent).
        let mirrors = (try? FileManager.default.contentsOfDirectory(atPath: "/opt/swift-packages/apple")) ?? []
        let repositories = mirrors.filter { $0.hasSuffix(".git") }.sorted().prefix(12).map { "/opt/swift-packages/apple/" + $0 }
        guard repositories.count >= 6 else {
            print("skipped: fewer than 6 bare mirrors under /opt/swift-packages/apple")
            return
        }
        let tree = PublicTree()
        let manifest = tree.write("manifest.txt", repositories.joined(separator: "\n") + "\n")
        let db = tree.path + "/census.db"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["scan", "--manifest", manifest, "--jobs", "1", "--threads", "1", "--files", "--format", "json"]
        process.environment = ProcessInfo.processInfo.environment.merging(["CENSUS_DB": db]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Kill it as soon as something is stored (or give up after 60 s).
        var stored = 0
        for _ in 0 ..< 6000 {
            if let database = try? CensusDatabase.open(path: db, readOnly: true), let counts = try? database.rowCounts() {
                stored = counts.repositories
                if stored > 0 { break }
            }
            usleep(10_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let database = try CensusDatabase.open(path: db, readOnly: true)
        let partial = try database.repositories()
        #expect(partial.count >= 1)
        // Every stored repository is whole: its totals add up and it has language rows.
        for row in partial { #expect(row.own.files > 0 && row.own.code > 0) }
        if partial.count == repositories.count { print("note: the run finished before it could be killed") }

        let resumed = try CLI.run(["scan", "--manifest", manifest], environment: ["CENSUS_DB": db])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("\(partial.count) unchanged since stored") || partial.count == repositories.count)
        #expect(try CensusDatabase.open(path: db, readOnly: true).rowCounts().repositories == repositories.count)
    }
}
