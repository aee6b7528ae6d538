import CensusGit
import CensusLanguages
import CensusScan
import Foundation
import Synchronization
import Testing

/// Keeps what it is given: every `.go` file's path and bytes.
final class RecordingConsumer: WholeFileConsumer {
    let files = Mutex<[String: [UInt8]]>([:])
    let duplicates = Atomic<Int>(0)

    func wants(path: UnsafeBufferPointer<UInt8>) -> Bool { path.count > 3 && path.suffix(3).elementsEqual(".go".utf8) }

    func consume(path: UnsafeBufferPointer<UInt8>, content: UnsafeRawBufferPointer) {
        let key = String(decoding: path, as: UTF8.self)
        let bytes = Array(content)
        let seen = files.withLock { all -> Bool in
            defer { all[key] = bytes }
            return all[key] != nil
        }
        if seen { duplicates.add(1, ordering: .relaxed) }
    }
}

@Suite("Whole files handed to another reader during a scan")
struct WholeFileConsumerTests {
    /// 2,000 × (comment, blank, code): 48,000 bytes, larger than the 4 KiB buffers used here.
    static let bigGo = String(repeating: "// comment\n\nfunc f() {}\n", count: 2000)
    /// 10,001 bytes: a block comment's first line (9,997 bytes: a comment line), then `*/x`
    /// (a code line: it ends the comment and holds code).
    static let midGo = "/*" + String(repeating: "a", count: 9_994) + "\n*/x\n"

    /// The tree below `base`: what is wanted, what is not, what the scan never reads.
    static func write(_ tree: TemporaryTree, under base: String) -> [String: [UInt8]] {
        var wanted: [String: [UInt8]] = [:]
        func add(_ relative: String, _ text: String, wantedAs: String? = nil) {
            tree.write(base + relative, text)
            if let key = wantedAs { wanted[key] = Array(text.utf8) }
        }
        add("/a/small.go", "package a\n\n// F is small.\nfunc F() {}\n", wantedAs: "a/small.go")
        add("/a/mid.go", midGo, wantedAs: "a/mid.go")
        add("/b/big.go", bigGo, wantedAs: "b/big.go")
        add("/b/tool.py", String(repeating: "x = 1  # c\n", count: 1000))
        add("/b/skip.go", "package b\n")  // named by .ignore
        add("/.ignore", "skip.go\n")
        add("/.hidden/h.go", "package h\n")  // hidden: not read
        tree.write(base + "/bin.go", bytes: [0x70, 0x00, 0x71, 0x0A])  // binary: consumed, not counted
        wanted["bin.go"] = [0x70, 0x00, 0x71, 0x0A]
        return wanted
    }

    static func scan(_ roots: [String], consumer: RecordingConsumer?) -> ScanReport {
        var options = ScanOptions(roots: roots)
        options.collectFiles = true
        options.bufferSize = 4096
        options.jobs = 2
        options.wholeFiles = consumer
        return Scanner(options: options).run()
    }

    @Test("a directory scan hands over each wanted file whole, once, and counts as without a consumer")
    func directory() {
        let tree = TemporaryTree()
        let wanted = Self.write(tree, under: "root")
        let consumer = RecordingConsumer()
        let with = Self.scan([tree.path + "/root"], consumer: consumer)
        let without = Self.scan([tree.path + "/root"], consumer: nil)
        #expect(ScanDigest(with) == ScanDigest(without), "with:\n\(ScanDigest(with))\nwithout:\n\(ScanDigest(without))")
        #expect(consumer.files.withLock { $0 } == wanted)
        #expect(consumer.duplicates.load(ordering: .relaxed) == 0)
        // By hand: small.go (38 bytes) 2 code, 1 comment, 1 blank; mid.go 1 code, 1 comment;
        // big.go 2,000 each.
        let go = with.totals("Go")?.own
        #expect(go?.files == 3)
        #expect(go?.counts.code == 2 + 1 + 2000)
        #expect(go?.counts.comments == 1 + 1 + 2000)
        #expect(go?.counts.blanks == 1 + 0 + 2000)
        #expect(go?.bytes == 38 + 10_001 + 48_000)
        #expect(with.summary.binaryFiles == 1)
    }

    @Test("paths are relative to the scanned root when it is a directory inside a repository")
    func rootInsideRepository() throws {
        let tree = TemporaryTree()
        let wanted = Self.write(tree, under: "top/sub")
        tree.write("top/other/o.go", "package o\n")
        try testGit(["init", "-q"], in: tree.path + "/top")
        let consumer = RecordingConsumer()
        let with = Self.scan([tree.path + "/top/sub"], consumer: consumer)
        #expect(consumer.files.withLock { $0 } == wanted)
        #expect(ScanDigest(with) == ScanDigest(Self.scan([tree.path + "/top/sub"], consumer: nil)))
    }

    @Test("a git tree's subdirectory hands over its blobs, paths relative to the subdirectory")
    func gitSubdirectory() throws {
        let tree = TemporaryTree()
        let wanted = Self.write(tree, under: "work/sub")
        tree.write("work/other/o.go", "package o\n")
        let work = tree.path + "/work"
        try testGit(["init", "-q", "-b", "main"], in: work)
        try testGit(["add", "-A"], in: work)
        try testGit(["commit", "-q", "-m", "one"], in: work)
        func run(_ consumer: RecordingConsumer?) throws -> ScanReport {
            var options = ScanOptions(roots: [work + "/sub"])
            options.collectFiles = true
            options.bufferSize = 4096
            options.jobs = 2
            options.wholeFiles = consumer
            let target = GitScanTarget(repository: try GitRepository(path: work), subdirectory: "sub", displayRoot: work + "/sub")
            return try Scanner(options: options).run(git: target)
        }
        let consumer = RecordingConsumer()
        let with = try run(consumer)
        let without = try run(nil)
        #expect(ScanDigest(with) == ScanDigest(without), "with:\n\(ScanDigest(with))\nwithout:\n\(ScanDigest(without))")
        #expect(consumer.files.withLock { $0 } == wanted)
        #expect(with.totals("Go")?.own.counts.code == 2 + 1 + 2000)
    }
}
