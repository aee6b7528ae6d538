import CensusTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `census` binary and captures its output (both pipes drained concurrently).
struct CensusRun {
    var status: Int32
    var stdout: [UInt8]
    var stderr: String
    var text: String { String(decoding: stdout, as: UTF8.self) }

    func json() throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(stdout)) as? [String: Any])
    }
}

enum CLI {
    /// The `census` executable built beside this test bundle.
    static var binary: String {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = here.deletingLastPathComponent()
        // The test runner may be inside an .xctest bundle directory.
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("census").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return "census-binary-not-found-beside-\(here.path)"
    }

    /// Runs census with `arguments`; `asNobody` drops to uid 65534 with setpriv when running as root,
    /// so permission tests mean something.
    ///
    /// Started with `posix_spawn` (census's own `ChildSpawn`) and read with `read(2)`, not with
    /// Foundation's `Process` and `Pipe`: under many tests at once those crashed the test process
    /// (`readDataToEndOfFile` hitting a descriptor closed under it, "Bad file descriptor": CI of
    /// 2026-12-06, swiftlang/swift#57827). A directory is entered with `env -C`.
    static func run(
        _ arguments: [String], in directory: String? = nil, asNobody: Bool = false, environment: [String: String]? = nil
    ) throws -> CensusRun {
        // Each run stores into a database of its own (removed afterwards) unless the test names one.
        var variables = ProcessInfo.processInfo.environment.merging(environment ?? [:]) { $1 }
        var scratchDatabase: String?
        if variables["CENSUS_DB"] == nil {
            let path = NSTemporaryDirectory() + "census-cli-\(UUID().uuidString).db"
            variables["CENSUS_DB"] = path
            scratchDatabase = path
        }
        defer {
            if let scratchDatabase {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: scratchDatabase + suffix) }
            }
        }
        var argv = [binary] + arguments
        if asNobody && geteuid() == 0 {
            argv = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + argv
        }
        if let directory { argv = ["/usr/bin/env", "-C", directory] + argv }
        let result = try Spawned.run(argv, environment: variables)
        return CensusRun(status: result.status, stdout: result.stdout, stderr: String(decoding: result.stderr, as: UTF8.self))
    }
}

/// A temporary directory readable by every user (for the tests that drop privileges).
final class PublicTree {
    let path: String
    init() {
        var template = Array((NSTemporaryDirectory() + "census-cli-XXXXXX").utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        chmod(path, 0o755)
    }
    deinit {
        if let items = FileManager.default.enumerator(atPath: path) {
            for case let item as String in items { chmod(path + "/" + item, 0o755) }
        }
        try? FileManager.default.removeItem(atPath: path)
    }
    @discardableResult
    func write(_ relative: String, _ text: String, mode: mode_t = 0o644) -> String {
        let full = path + "/" + relative
        let dir = (full as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        FileManager.default.createFile(atPath: full, contents: Data(text.utf8), attributes: [.posixPermissions: mode])
        chmod(full, mode)
        return full
    }
    func rawFile(_ name: [UInt8], _ text: String) {
        var full = Array((path + "/").utf8) + name
        full.append(0)
        let fd = full.withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        }
        _ = Array(text.utf8).withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}

@Suite("census command line")
struct CLITests {
    // main.c: "int main(void) {" code, "  // hi" comment, "" blank, "  return 0;" code, "}" code.
    static let cSource = "int main(void) {\n  // hi\n\n  return 0;\n}\n"

    @Test func binaryIsBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: CLI.binary), "census not found: \(CLI.binary)")
    }

    @Test func jsonOutputFollowsTheSchema() throws {
        let tree = PublicTree()
        tree.write("src/main.c", Self.cSource)
        tree.write("src/extra.c", "/* a */\n")  // one comment line
        let run = try CLI.run(["scan", tree.path, "--format", "json", "--by-file"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try run.json()
        #expect(json["schema_version"] as? Int == 1)
        let languages = try #require(json["languages"] as? [[String: Any]])
        let c = try #require(languages.first { $0["name"] as? String == "C" })
        #expect(c["files"] as? Int == 2)
        #expect(c["code"] as? Int == 3)
        #expect(c["comments"] as? Int == 2)
        #expect(c["blanks"] as? Int == 1)
        #expect(c["lines"] as? Int == 6)
        #expect(c["bytes"] as? Int == Self.cSource.utf8.count + 8)
        #expect(c["type"] as? String == "programming")
        let files = try #require(json["files"] as? [[String: Any]])
        // Files are ordered like languages: by code lines (the default --sort), then by path.
        #expect(files.map { $0["path"] as? String } == [tree.path + "/src/main.c", tree.path + "/src/extra.c"])
        #expect(files.allSatisfy { $0["language"] as? String == "C" })
        let total = try #require(json["total"] as? [String: Any])
        #expect(total["code"] as? Int == 3)
    }

    @Test func currentDirectoryPathsAreRelative() throws {
        let tree = PublicTree()
        tree.write("a/main.c", Self.cSource)
        let run = try CLI.run(["scan", "--by-file", "--format", "csv"], in: tree.path)
        #expect(run.status == 0)
        #expect(run.text == "path,language,lines,code,comments,blanks,bytes,category\na/main.c,C,5,3,1,1,\(Self.cSource.utf8.count),own\n")
    }

    @Test func oddNamesAreEscapedInEveryFormat() throws {
        let tree = PublicTree()
        // A newline, a comma, a double quote and an ESC in one name; and a Latin-1 name.
        tree.rawFile(Array("a\nb,\"c\u{1B}[31m.c".utf8), "x;\n")
        tree.rawFile([0x63, 0x61, 0x66, 0xE9, 0x2E, 0x63], "y;\n")  // "caf\xE9.c"

        let table = try CLI.run(["scan", "--by-file"], in: tree.path)
        #expect(table.status == 0)
        #expect(table.text.contains("a\\nb,\"c\\x1B[31m.c"))
        #expect(table.text.contains("caf\\xE9.c"))
        #expect(!table.stdout.contains(0x1B))

        let csv = try CLI.run(["scan", "--by-file", "--format", "csv"], in: tree.path)
        #expect(csv.text.contains("\"a\nb,\"\"c\u{1B}[31m.c\",C,1,1,0,0,3,own\n"))
        #expect(csv.text.contains("caf\u{FFFD}.c,C,1,1,0,0,3,own\n"))

        let json = try CLI.run(["scan", "--by-file", "--format", "json"], in: tree.path)
        let files = try #require(try json.json()["files"] as? [[String: Any]])
        let names = Set(files.compactMap { $0["path"] as? String })
        #expect(names == ["a\nb,\"c\u{1B}[31m.c", "caf\u{FFFD}.c"])
        let latin = try #require(files.first { $0["path_base64"] != nil })
        #expect(Data(base64Encoded: latin["path_base64"] as? String ?? "") == Data([0x63, 0x61, 0x66, 0xE9, 0x2E, 0x63]))

        let markdown = try CLI.run(["scan", "--by-file", "--format", "markdown"], in: tree.path)
        #expect(markdown.text.contains("| a\\\\nb,\"c\\\\x1B\\[31m.c | C |"))
    }

    @Test func unreadableFileAndDirectoryAreNamedAndFailTheRun() throws {
        let tree = PublicTree()
        tree.write("ok.c", Self.cSource)
        tree.write("secret.c", "int s;\n", mode: 0o000)
        tree.write("locked/inner.c", "int i;\n")
        chmod(tree.path + "/locked", 0o000)
        let run = try CLI.run(["scan", tree.path, "--format", "json"], asNobody: true)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("error: \(tree.path)/secret.c: Permission denied (open)"))
        #expect(run.stderr.contains("error: \(tree.path)/locked: Permission denied (open directory)"))
        #expect(run.stderr.contains("2 errors, 0 skipped entries"))
        let json = try run.json()
        let languages = try #require(json["languages"] as? [[String: Any]])
        #expect(languages.first { $0["name"] as? String == "C" }?["files"] as? Int == 1)
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["errors"] as? Int == 2)
    }

    @Test func fifoIsSkippedAndNamedWithoutFailing() throws {
        let tree = PublicTree()
        tree.write("ok.c", Self.cSource)
        mkfifo(tree.path + "/pipe", 0o644)
        let run = try CLI.run(["scan", tree.path])
        #expect(run.status == 0)
        #expect(run.stderr.contains("skipped: \(tree.path)/pipe: FIFO: not a regular file"))
    }

    @Test func emptyTreeAndMissingPath() throws {
        let tree = PublicTree()
        let empty = try CLI.run(["scan", tree.path, "--format", "json"])
        #expect(empty.status == 0)
        #expect((try empty.json()["total"] as? [String: Any])?["files"] as? Int == 0)
        let missing = try CLI.run(["scan", tree.path + "/nope"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nope: No such file or directory"))
    }

    @Test func usageErrorsExit64() throws {
        #expect(try CLI.run(["scan", "--jobs", "0"]).status == 64)
        #expect(try CLI.run(["scan", "--format", "xml"]).status == 64)
    }

    @Test func sortOrders() throws {
        let tree = PublicTree()
        tree.write("a.c", "x;\n")
        tree.write("b.py", "x = 1\ny = 2\n")
        let byCode = try CLI.run(["scan", tree.path, "--format", "csv"])
        #expect(byCode.text.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] } == ["Python", "C"])
        let byName = try CLI.run(["scan", tree.path, "--format", "csv", "--sort", "name"])
        #expect(byName.text.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] } == ["C", "Python"])
    }

    @Test func excludeGlobs() throws {
        let tree = PublicTree()
        tree.write("keep.c", "x;\n")
        tree.write("gen/skip.c", "y;\n")
        tree.write("also_skip.c", "z;\n")
        let run = try CLI.run(["scan", tree.path, "--by-file", "--format", "csv", "--exclude", "gen/", "--exclude", "also_*"])
        #expect(run.text == "path,language,lines,code,comments,blanks,bytes,category\n\(tree.path)/keep.c,C,1,1,0,0,3,own\n")
    }

    /// The Linux kernel's top-level .gitignore starts with `.*` and `!.gitignore`; scanning `.` must
    /// not exclude the directory itself (scc 3.1.0 reports 0 files for the kernel for this reason).
    @Test func rootDotIsNeverIgnored() throws {
        let tree = PublicTree()
        try FileManager.default.createDirectory(atPath: tree.path + "/.git", withIntermediateDirectories: true)
        tree.write(".gitignore", ".*\n!.gitignore\n*.o\n/build/\n")
        tree.write("kernel/main.c", Self.cSource)
        tree.write("kernel/main.o", "binary-ish text\n")
        tree.write("build/gen.c", "int g;\n")
        tree.write("kernel/build/kept.c", "int k;\n")  // `/build/` is anchored to the top
        let run = try CLI.run(["scan", ".", "--by-file", "--format", "csv"], in: tree.path)
        #expect(run.status == 0)
        #expect(run.text == "path,language,lines,code,comments,blanks,bytes,category\nkernel/main.c,C,5,3,1,1,\(Self.cSource.utf8.count),own\nkernel/build/kept.c,C,1,1,0,0,7,own\n")
        let noIgnore = try CLI.run(["scan", ".", "--format", "json", "--no-ignore"], in: tree.path)
        let total = try #require(try noIgnore.json()["total"] as? [String: Any])
        #expect(total["files"] as? Int == 3)
    }

    @Test func explainNamesStrategiesRulesAndAttributeLines() throws {
        let tree = PublicTree()
        try FileManager.default.createDirectory(atPath: tree.path + "/.git", withIntermediateDirectories: true)
        tree.write(".gitattributes", "# comment\nextern/** linguist-vendored\n")
        tree.write("src/objc.h", "@interface Foo\n@end\n")  // heuristics: Objective-C among C, C++, Objective-C
        tree.write("extern/lib.c", "int x;\n")  // vendored by .gitattributes line 2
        tree.write("node_modules/m.js", "x;\n")  // vendored by vendor.yml (^|/)node_modules/
        tree.write("data/a.json", "{}\n")  // own, but a data language
        let run = try CLI.run(["explain", "src/objc.h", "extern", "node_modules/m.js", "data/a.json", "--format", "json"], in: tree.path)
        #expect(run.status == 0, "\(run.stderr)")
        let files = try #require(try run.json()["files"] as? [[String: Any]])
        let byPath = Dictionary(uniqueKeysWithValues: files.map { ($0["path"] as? String ?? "", $0) })
        let objc = try #require(byPath["src/objc.h"])
        #expect(objc["language"] as? String == "Objective-C")
        #expect(objc["strategy"] as? String == "heuristics")
        #expect(Set(objc["candidates"] as? [String] ?? []) == ["C", "C++", "Objective-C"])
        #expect(objc["in_breakdown"] as? Bool == true)
        let lib = try #require(byPath["extern/lib.c"])
        #expect(lib["category"] as? String == "vendored")
        #expect((lib["excluded_by"] as? String)?.hasSuffix(".gitattributes:2)") == true)
        #expect(byPath["node_modules/m.js"]?["excluded_by"] as? String == "vendor.yml pattern (^|/)node_modules/")
        #expect(byPath["data/a.json"]?["breakdown_reason"] as? String == "data language")
    }
}
