import CodeCensus
import Foundation
import Testing

/// Through the front door: a repository's history (built here with git), the store round trip
/// of `census scan --go-source`, and trees read from the object store.
@Suite struct GoSourceIntegration {
    /// Runs git in `directory` with fixed identities and dates.
    static func git(_ directory: String, _ arguments: [String], date: String? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["-c", "user.name=t", "-c", "user.email=t@example.com"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ["PATH": "/usr/bin:/bin", "HOME": directory]
        if let date {
            environment["GIT_AUTHOR_DATE"] = date
            environment["GIT_COMMITTER_DATE"] = date
        }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git \(arguments)")
    }

    static func write(_ path: String, _ text: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Two commits: 2021-06-01 (app calls lib.F once) and 2022-06-01 (twice, and names lib.T).
    static func makeRepository() throws -> String {
        let root = NSTemporaryDirectory() + "census-go-evolution-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try git(root, ["init", "-q"])
        try write(root + "/go.mod", "module example.com/evo\n\ngo 1.19\n")
        try write(root + "/lib/lib.go", "package lib\n\n// T is a type.\ntype T struct{}\n\n// F is a function.\nfunc F() int { return 1 }\n")
        try write(root + "/app/app.go", "package app\n\nimport \"example.com/evo/lib\"\n\n// Run calls lib.\nfunc Run() int {\n\treturn lib.F()\n}\n")
        try write(root + "/tool.py", "x = 1\nprint(x)\n")
        try git(root, ["add", "-A"])
        try git(root, ["commit", "-qm", "one"], date: "2021-06-01T12:00:00Z")
        try write(
            root + "/app/app.go",
            "package app\n\nimport \"example.com/evo/lib\"\n\n// Run calls lib.\nfunc Run() int {\n\tvar t lib.T\n\t_ = t\n\treturn lib.F() + lib.F()\n}\n")
        try git(root, ["commit", "-qam", "two"], date: "2022-06-01T12:00:00Z")
        return root
    }

    @Test func evolutionAtDates() throws {
        let root = try Self.makeRepository()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dates: [Int64] = [1_577_836_800, 1_640_995_200, 1_672_531_200]  // 2020-01-01, 2022-01-01, 2023-01-01
        let points = try GoEvolution.measure(repositoryPath: root, dates: dates, level: .package, options: GoLoadOptions(jobs: 1))
        #expect(points.count == 3)
        #expect(points[0].commit == nil)  // nothing before 2020
        // 2022-01-01 → commit one: app → lib, no type named, 1 call, lib exports T and F, app imports 1.
        #expect(points[1].packages == 2)
        #expect(points[1].rows == 1)
        #expect(points[1].meanCoupling == 0.5)
        // Own code by hand: Go 3 (lib) + 5 (app); go.mod 2; Python 2.
        #expect(points[1].goCode == 8)
        #expect(points[1].ownCode == 12)
        // 2023-01-01 → commit two: T named, 2 calls: (1 + 2) / (2 × 1).
        #expect(points[2].meanCoupling == 1.5)
        #expect(points[2].goCode == 10)
        #expect(points[2].ownCode == 14)
        // One module: no pairs of modules.
        let modules = try GoEvolution.measure(repositoryPath: root, dates: [dates[2]], level: .module, options: GoLoadOptions(jobs: 1))
        #expect(modules[0].rows == 0)
        #expect(modules[0].modules == 1)
    }

    @Test func gitTreeEqualsDirectoryAndStoreEqualsTree() throws {
        let root = try Self.makeRepository()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let repository = try GitRepository(path: root)
        let fromGit = GoPackageLoader.load(
            try GoGitSourceTree(repository: repository, commit: try repository.resolveCommit()), options: GoLoadOptions(jobs: 2))
        let fromDisk = GoPackageLoader.load(try GoDirectoryTree(path: root), options: GoLoadOptions(jobs: 2))
        #expect(fromGit.packages.map(\.importPath) == ["example.com/evo/app", "example.com/evo/lib"])
        #expect(fromGit.packages.map(\.imports) == fromDisk.packages.map(\.imports))
        #expect(GoCoupling.packageRows(fromGit) == GoCoupling.packageRows(fromDisk))

        // The store round trip gives the same coupling rows.
        let database = try CensusDatabase.open(path: root + "/census.sqlite")
        try database.saveGoSource(repositoryKey: "evo", source: GoSourceStorage.stored(fromDisk))
        let stored = GoSourceStorage.packageSet(try database.goSource(repository: nil))
        #expect(GoCoupling.packageRows(stored) == GoCoupling.packageRows(fromDisk))
        #expect(GoCoupling.packageRows(stored).first?.coupling == 1.5)
        try database.close()
    }
}
