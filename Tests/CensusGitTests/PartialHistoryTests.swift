import Foundation
import Testing

@testable import CensusGit

/// Histories git cannot diff whole: a damaged object store, a blobless partial clone, a resumed walk.
///
/// The repository (loose objects, dates by hand), files and their line counts:
/// - c1 (1600000000): a.go "1\n2\n" (2 lines), .mailmap mapping old@example.com to New Name
/// - c2 (1600100000): a.go "1\n2\n3\n" (+1), b.go "x\n" (1 line)
/// - c3 (1600200000): a.go "1\n3\n" (−1), authored by Old Name <old@example.com>
/// - c4 (1600300000): b.go "x\ny\n" (+1)
/// - c5 (1600400000): c.go "c\n" (1 line)
/// Damage: the blob of a.go as c2 wrote it ("1\n2\n3\n") is deleted, so git cannot diff c2 (its new
/// side) nor c3 (its old side); c1, c4 and c5 are whole.
struct DamagedHistory {
    let sandbox: Sandbox
    let path: String
    let ids: [String: String]
    let missing: String

    init(damage: Bool = true) throws {
        let sandbox = try Sandbox()
        self.sandbox = sandbox
        path = try sandbox.initRepository("work")
        try sandbox.git(["config", "uploadpack.allowFilter", "true"], in: "work")
        var ids: [String: String] = [:]
        func commit(_ name: String, _ files: [String: String], date: String, author: String? = nil) throws -> String {
            for (file, text) in files { try sandbox.write("work/" + file, text) }
            try sandbox.git(["add", "-A"], in: "work")
            var arguments = ["commit", "-q", "-m", name]
            if let author { arguments.append("--author=" + author) }
            try sandbox.git(arguments, in: "work", date: date)
            return try sandbox.git(["rev-parse", "HEAD"], in: "work")
        }
        ids["c1"] = try commit(
            "c1", ["a.go": "1\n2\n", ".mailmap": "New Name <new@example.com> <old@example.com>\n"], date: "1600000000 +0000")
        ids["c2"] = try commit("c2", ["a.go": "1\n2\n3\n", "b.go": "x\n"], date: "1600100000 +0000")
        ids["c3"] = try commit("c3", ["a.go": "1\n3\n"], date: "1600200000 +0000", author: "Old Name <old@example.com>")
        ids["c4"] = try commit("c4", ["b.go": "x\ny\n"], date: "1600300000 +0000")
        ids["c5"] = try commit("c5", ["c.go": "c\n"], date: "1600400000 +0000")
        self.ids = ids
        let missing = try sandbox.git(["rev-parse", ids["c2"]! + ":a.go"], in: "work")
        self.missing = missing
        if damage {
            let object = path + "/.git/objects/" + missing.prefix(2) + "/" + missing.dropFirst(2)
            #expect(unlink(object) == 0, "the loose blob \(missing) should exist")
        }
    }

    var repository: GitRepository { get throws { try GitRepository(path: path, runner: sandbox.runner) } }

    static func walk(_ repository: GitRepository, _ configure: (inout GitHistoryOptions) -> Void = { _ in }) throws
        -> (commits: [GitCommitRecord], report: GitHistoryWalkReport)
    {
        var options = GitHistoryOptions()
        configure(&options)
        var commits: [GitCommitRecord] = []
        let report = try repository.walkHistory(options) { commits.append($0) }
        return (commits, report)
    }

    static func counts(_ commit: GitCommitRecord?) -> [String: [Int?]] {
        Dictionary(uniqueKeysWithValues: (commit?.changes ?? []).map { (String(decoding: $0.path, as: UTF8.self), [$0.added, $0.removed]) })
    }
}

@Suite("History that git cannot diff whole")
struct PartialHistoryTests {
    @Test("a missing blob: every commit's metadata, the two git cannot diff named, the rest exact")
    func missingBlob() throws {
        let history = try DamagedHistory()
        // git itself stops at the first commit it cannot diff.
        #expect(throws: GitError.self) {
            try history.sandbox.git(["log", "--numstat", "--format=%H"], in: "work")
        }
        let (commits, report) = try DamagedHistory.walk(try history.repository)
        #expect(commits.map(\.id.description) == ["c5", "c4", "c3", "c2", "c1"].map { history.ids[$0]! })
        #expect(report.commits == 5)
        #expect(report.unknownChangeCommits == 2)
        let byID = Dictionary(uniqueKeysWithValues: commits.map { ($0.id.description, $0) })
        for name in ["c2", "c3"] {
            let commit = try #require(byID[history.ids[name]!])
            #expect(commit.changes.isEmpty)
            #expect(commit.unknownChanges?.contains(history.missing) == true, "\(commit.unknownChanges ?? "nil")")
            #expect(commit.unknownChanges?.contains("missing from the object store") == true)
        }
        // Metadata of an unknown-change commit is still whole, .mailmap applied.
        let c3 = try #require(byID[history.ids["c3"]!])
        #expect(String(decoding: c3.author.name, as: UTF8.self) == "New Name")
        #expect(c3.author.date.secondsSince1970 == 1_600_200_000)
        #expect(DamagedHistory.counts(byID[history.ids["c1"]!]) == ["a.go": [2, 0], ".mailmap": [1, 0]])
        #expect(DamagedHistory.counts(byID[history.ids["c4"]!]) == ["b.go": [1, 0]])
        #expect(DamagedHistory.counts(byID[history.ids["c5"]!]) == ["c.go": [1, 0]])
        #expect(byID.values.filter { $0.unknownChanges == nil }.count == 3)
    }

    @Test("the careful walk, forced on an undamaged history, gives what git log gives")
    func carefulEqualsFast() throws {
        let history = try DamagedHistory(damage: false)
        let fast = try DamagedHistory.walk(try history.repository) { $0.blobIDs = true }.commits
        // Resuming after the newest commit walks the rest listed, in chunks of 2.
        let careful = try DamagedHistory.walk(try history.repository) {
            $0.blobIDs = true
            $0.resumeAfter = try? GitObjectID.make(history.ids["c5"]!)
            $0.carefulChunk = 2
        }
        #expect(careful.report.resumed)
        #expect(careful.report.skipped == 1)
        #expect(careful.commits == Array(fast.dropFirst()))
        #expect(DamagedHistory.counts(fast.last) == ["a.go": [2, 0], ".mailmap": [1, 0]])
        // Blob ids: c3 changed a.go from c2's blob to its own.
        let c3 = try #require(fast.first { $0.id.description == history.ids["c3"]! })
        #expect(c3.changes.first?.oldBlob?.description == history.missing)
        #expect(c3.changes.first?.newBlob?.description == (try history.sandbox.git(["rev-parse", history.ids["c3"]! + ":a.go"], in: "work")))
        // A resume point that is not in the walk starts over.
        let unknown = try DamagedHistory.walk(try history.repository) {
            $0.resumeAfter = try? GitObjectID.make("0123456789abcdef0123456789abcdef01234567")
        }
        #expect(!unknown.report.resumed)
        #expect(unknown.commits.count == 5)
    }

    @Test("a real blobless clone over file://: lines unknown and named, attribution whole, --no-lines")
    func bloblessClone() throws {
        let history = try DamagedHistory(damage: false)
        let clone = history.sandbox.path + "/blobless.git"
        try history.sandbox.git(
            ["clone", "-q", "--bare", "--filter=blob:none", "--template=", "file://" + history.path, clone], network: true)
        let repository = try GitRepository(path: clone, runner: history.sandbox.runner)
        #expect(try repository.isPartialClone())
        let (commits, report) = try DamagedHistory.walk(repository)
        #expect(commits.count == 5)
        #expect(report.unknownChangeCommits == 5)
        #expect(commits.allSatisfy { $0.unknownChanges?.contains("absent from this partial clone") == true })
        // The .mailmap blob is absent too: said, and authors are not mapped.
        #expect(!report.mailmapApplied)
        #expect(report.problems.contains { $0.contains(".mailmap") })
        let attribution = try DamagedHistory.walk(repository) { $0.lines = false }
        #expect(attribution.commits.map(\.id) == commits.map(\.id))
        #expect(attribution.report.unknownChangeCommits == 0)
        #expect(attribution.commits.allSatisfy { $0.changes.isEmpty })
        #expect(attribution.commits.map(\.author.date.secondsSince1970) == [1_600_400_000, 1_600_300_000, 1_600_200_000, 1_600_100_000, 1_600_000_000])

        // Through the clone cache's blobless kind: the .mailmap blob is fetched, so authors map.
        let cache = try GitCache(root: history.sandbox.path + "/cache", runner: history.sandbox.runner)
        let cached = try cache.repository(for: "file://" + history.path, history: .blobless)
        #expect(cached.path.hasSuffix(".git.blobless"))
        #expect(try cached.isPartialClone())
        let mapped = try DamagedHistory.walk(cached) { $0.lines = false }
        #expect(mapped.report.mailmapApplied)
        #expect(mapped.commits.map { String(decoding: $0.author.name, as: UTF8.self) }.contains("New Name"))
        #expect(!mapped.commits.map { String(decoding: $0.author.email, as: UTF8.self) }.contains("old@example.com"))
    }

    @Test("a missing commit stops the walk: what was delivered stays, the error says why")
    func missingCommit() throws {
        let history = try DamagedHistory(damage: false)
        let c2 = history.ids["c2"]!
        let object = history.path + "/.git/objects/" + c2.prefix(2) + "/" + c2.dropFirst(2)
        #expect(unlink(object) == 0)
        var delivered: [String] = []
        #expect(throws: GitError.self) {
            try (try history.repository).walkHistory(GitHistoryOptions()) { delivered.append($0.id.description) }
        }
        // git parses a commit's parents before it shows the commit, so c3 is never shown
        // (`git log` prints c5 and c4, then "Failed to traverse parents of commit c3").
        #expect(delivered == ["c5", "c4"].map { history.ids[$0]! })
    }
}

@Suite("Reading many blobs' prefixes at once")
struct PrefixReadTests {
    @Test("in order, each cut at the limit, the rest read through; missing ones said; more than one batch")
    func prefixes() throws {
        let sandbox = try Sandbox()
        _ = try sandbox.initRepository("work", bare: true)
        let big = [UInt8]((0 ..< 2_000_000).map { UInt8(truncatingIfNeeded: $0 % 251) })
        var ids: [GitObjectID] = []
        var contents: [[UInt8]] = []
        for k in 0 ..< 300 {
            let bytes = k == 7 ? big : Array("blob \(k)\n".utf8)
            ids.append(try GitObjectID.make(try sandbox.blob(bytes, in: "work")))
            contents.append(bytes)
        }
        let absent = try GitObjectID.make("0123456789abcdef0123456789abcdef01234567")
        ids.insert(absent, at: 3)
        contents.insert([], at: 3)
        let reader = try GitRepository(path: sandbox.path + "/work", runner: sandbox.runner).makeBlobReader()
        let limit = 1000
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: limit, alignment: 1)
        defer { buffer.deallocate() }
        var seen: [Int] = []
        try reader.readPrefixes(ids, limit: limit, into: buffer.baseAddress!) { index, result in
            seen.append(index)
            if index == 3 {
                #expect(result.error?.code == .missingObject)
                return
            }
            guard case .found(let (size, count)) = result else {
                Issue.record("object \(index) not found: \(result)")
                return
            }
            #expect(size == contents[index].count)
            #expect(count == min(limit, size))
            #expect(Array(buffer.prefix(count)) == Array(contents[index].prefix(limit)))
        }
        #expect(seen == Array(0 ..< ids.count))
        #expect(reader.processStarts == 1)
        // The reader goes on as usual afterwards.
        #expect(try reader.read(ids[0]).value?.bytes == contents[0])
    }
}
