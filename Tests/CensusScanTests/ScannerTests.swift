import CensusCounting
import CensusLanguages
import CensusScan
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

func scan(_ roots: [String], configure: (inout ScanOptions) -> Void = { _ in }) -> ScanReport {
    var options = ScanOptions(roots: roots)
    options.collectFiles = true
    configure(&options)
    return Scanner(options: options).run()
}

extension ScanReport {
    func totals(_ name: String) -> LanguageTotals? {
        languages.first { LanguageTable[$0.language].name == name }
    }
    var paths: [String] { files.map { String(decoding: $0.path, as: UTF8.self) } }
}

@Suite("Scanning trees")
struct ScannerTests {
    // Each file's counts, worked out line by line.
    static let cFile = """
        /* header */
        #include <stdio.h>

        int main(void) {
            // say hi
            printf("hi /* not a comment */\\n");
            return 0;
        }

        """  // comment, code, blank, code, comment, code, code, code → 5 code, 2 comments, 1 blank
    static let pythonFile = """
        #!/usr/bin/env python3
        \"\"\"Utilities.\"\"\"

        def f():
            return 1  # one

        """  // code (shebang line), docstring comment, blank, code, code → 3/1/1
    static let shellScript = "#!/bin/sh\necho hi\n"  // code (shebang), code
    static let makefile = "all:\n\t@echo ok # done\n# c\n"  // code, code, comment
    static let text = "hello\n\nworld\n"  // code, blank, code

    func makeTree() -> TemporaryTree {
        let tree = TemporaryTree()
        tree.write("main.c", Self.cFile)
        tree.write("lib/util.py", Self.pythonFile)
        tree.write("bin/script", Self.shellScript)
        tree.write("Makefile", Self.makefile)
        tree.write("docs/notes.txt", Self.text)
        tree.write("assets/image.bin", bytes: [0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x01, 0x02])
        tree.write("data.unknownext", "just text\n")
        return tree
    }

    @Test func countsEachLanguage() throws {
        let tree = makeTree()
        let report = scan([tree.path])
        let c = try #require(report.totals("C"))
        #expect(c.files == 1 && c.counts == LineCounts(code: 5, comments: 2, blanks: 1))
        #expect(c.bytes == Self.cFile.utf8.count)
        let py = try #require(report.totals("Python"))
        #expect(py.counts == LineCounts(code: 3, comments: 1, blanks: 1))
        let sh = try #require(report.totals("Shell"))
        #expect(sh.counts == LineCounts(code: 2, comments: 0, blanks: 0))
        let make = try #require(report.totals("Makefile"))
        #expect(make.counts == LineCounts(code: 2, comments: 1, blanks: 0))
        let txt = try #require(report.totals("Text"))
        #expect(txt.counts == LineCounts(code: 2, comments: 0, blanks: 1))
        #expect(report.languages.count == 5)
        #expect(report.total.counts == LineCounts(code: 14, comments: 4, blanks: 3))
        #expect(report.summary.binaryFiles == 1 && report.summary.binaryBytes == 8)
        #expect(report.summary.unrecognisedFiles == 1 && report.summary.unrecognisedBytes == 10)
        #expect(report.issues.isEmpty)
        #expect(!report.hasErrors)
    }

    @Test func listsFilesWithTheirStrategy() {
        let tree = makeTree()
        let report = scan([tree.path])
        let byPath = Dictionary(uniqueKeysWithValues: report.files.map { (String(decoding: $0.path, as: UTF8.self), $0) })
        #expect(report.paths == report.paths.sorted())
        #expect(byPath[tree.path + "/bin/script"]?.strategy == .shebang)
        #expect(byPath[tree.path + "/Makefile"]?.strategy == .filename)
        #expect(byPath[tree.path + "/main.c"]?.strategy == .extension)
        #expect(byPath[tree.path + "/main.c"]?.counts == LineCounts(code: 5, comments: 2, blanks: 1))
    }

    @Test func singleThreadAndManyThreadsAgree() {
        let tree = makeTree()
        // More files than one batch, so large directories are shared between workers.
        for k in 0 ..< 300 { tree.write("many/f\(k).c", "int x\(k);\n// c\n\n") }
        let one = scan([tree.path]) { $0.jobs = 1 }
        let four = scan([tree.path]) { $0.jobs = 4 }
        #expect(one.files == four.files)
        #expect(one.total == four.total)
        let c = one.totals("C")
        #expect(c?.files == 301)
        #expect(c?.counts == LineCounts(code: 5 + 300, comments: 2 + 300, blanks: 1 + 300))
    }

    @Test func emptyTree() {
        let tree = TemporaryTree()
        let report = scan([tree.path])
        #expect(report.languages.isEmpty && report.files.isEmpty && report.issues.isEmpty)
        #expect(report.total.counts == LineCounts())
        #expect(report.summary.directories == 1)
    }

    @Test func missingRootIsAnError() {
        let report = scan(["/nonexistent/census/path"])
        #expect(report.hasErrors)
        #expect(report.issues.first?.reason.contains("No such file or directory") == true)
    }

    @Test func fileRoot() throws {
        let tree = makeTree()
        let report = scan([tree.path + "/main.c"])
        let c = try #require(report.totals("C"))
        #expect(c.counts == LineCounts(code: 5, comments: 2, blanks: 1))
        #expect(report.paths == [tree.path + "/main.c"])
    }

    @Test func hiddenEntriesAndGit() {
        let tree = TemporaryTree()
        tree.write("a.c", "x;\n")
        tree.write(".hidden/b.c", "y;\n")
        tree.write(".c-file.c", "z;\n")
        tree.write(".git/config.c", "never;\n")
        let normal = scan([tree.path])
        #expect(normal.totals("C")?.files == 1)
        #expect(normal.summary.hiddenEntries == 2)
        let hidden = scan([tree.path]) { $0.includeHidden = true }
        #expect(hidden.totals("C")?.files == 3)  // .git is never entered
        #expect(!hidden.paths.contains { $0.contains("/.git/") })
    }

    @Test func symlinksAreNotFollowedByDefault() {
        let tree = TemporaryTree()
        tree.write("real/a.c", "x;\n")
        tree.symlink("link", to: "real")
        tree.symlink("alias.c", to: "real/a.c")
        let report = scan([tree.path])
        #expect(report.totals("C")?.files == 1)
        #expect(report.summary.symlinksSkipped == 2)
    }

    @Test func followedSymlinkLoopsAreSkippedAndNamed() {
        let tree = TemporaryTree()
        tree.write("dir/a.c", "x;\n")
        tree.symlink("dir/loop", to: "..")  // dir/loop → the root: a loop
        tree.symlink("self", to: "self")  // a link to itself
        tree.symlink("dangling.c", to: "missing.c")
        tree.symlink("dir/alias.c", to: "a.c")
        let report = scan([tree.path]) { $0.followSymlinks = true }
        #expect(report.totals("C")?.files == 2)  // a.c and alias.c
        let reasons = Dictionary(uniqueKeysWithValues: report.issues.map { (String(decoding: $0.path, as: UTF8.self), $0) })
        #expect(reasons[tree.path + "/dir/loop"]?.reason.contains("loop") == true)
        #expect(reasons[tree.path + "/self"]?.reason == "symbolic link loop")
        #expect(reasons[tree.path + "/dangling.c"]?.reason == "dangling symbolic link")
        #expect(report.issues.allSatisfy { $0.kind == .skipped })
        #expect(!report.hasErrors)
    }

    @Test(.timeLimit(.minutes(1)))
    func fifoIsNeverOpened() {
        let tree = TemporaryTree()
        tree.write("a.c", "x;\n")
        tree.fifo("pipe.c")
        let report = scan([tree.path])
        #expect(report.totals("C")?.files == 1)
        #expect(report.issues.count == 1)
        #expect(report.issues.first?.reason == "FIFO: not a regular file")
        #expect(report.issues.first?.kind == .skipped)
    }

    @Test func binaryAndNULFiles() {
        let tree = TemporaryTree()
        tree.write("zeros.c", bytes: Array(repeating: 0, count: 10_000))
        // A NUL after the first 8,000 bytes does not make a file binary (git's rule).
        tree.write("late.c", bytes: Array(repeating: UInt8(ascii: "a"), count: 8_000) + [0x0A, 0x00, 0x0A])
        let report = scan([tree.path])
        #expect(report.summary.binaryFiles == 1 && report.summary.binaryBytes == 10_000)
        #expect(report.totals("C")?.files == 1)
        #expect(report.totals("C")?.counts == LineCounts(code: 2, comments: 0, blanks: 0))  // "aaa…", "\0"
    }

    @Test func invalidUTF8Content() {
        let tree = TemporaryTree()
        tree.write("bad.c", bytes: [0xFF, 0xFE, 0x0A, 0x2F, 0x2F, 0xC3, 0x0A, 0x0A])  // code, comment, blank
        let report = scan([tree.path])
        #expect(report.totals("C")?.counts == LineCounts(code: 1, comments: 1, blanks: 1))
    }

    @Test func oddFileNamesKeepTheirBytes() {
        let tree = TemporaryTree()
        let newline = Array("new\nline.c".utf8)
        let latin1: [UInt8] = [0x63, 0x61, 0x66, 0xE9, 0x2E, 0x63]  // "café.c" in Latin-1: not UTF-8
        tree.write(directory: "odd", rawName: newline, "x;\n")
        tree.write(directory: "odd", rawName: latin1, "y;\n")
        let report = scan([tree.path])
        let prefix = Array((tree.path + "/odd/").utf8)
        let paths = Set(report.files.map(\.path))
        #expect(paths == [prefix + newline, prefix + latin1])
        #expect(report.totals("C")?.files == 2)
    }

    @Test func largeSingleLineFileUsesBoundedMemory() throws {
        let tree = TemporaryTree()
        let size = 200 << 20
        let path = tree.path + "/huge.js.c"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(fd >= 0)
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0 ..< 200 { _ = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } }
        close(fd)
        var before = rusage()
        getrusage(RUSAGE_SELF.rawValue, &before)
        let report = scan([tree.path]) { $0.jobs = 2 }
        var after = rusage()
        getrusage(RUSAGE_SELF.rawValue, &after)
        #expect(report.totals("C")?.counts == LineCounts(code: 1, comments: 0, blanks: 0))
        #expect(report.totals("C")?.bytes == size)
        // Peak resident memory grew by far less than the file's size (ru_maxrss is in KiB).
        #expect(after.ru_maxrss - before.ru_maxrss < 64 * 1024)
    }
}

@Suite("Scanning with ignore files")
struct ScannerIgnoreTests {
    @Test func nestedIgnoreFilesAndNegation() {
        let tree = TemporaryTree()
        tree.mkdir(".git")
        tree.write(".gitignore", "*.gen.c\nbuild/\n")
        tree.write("a.c", "x;\n")
        tree.write("a.gen.c", "x;\n")  // ignored by the root file
        tree.write("build/b.c", "x;\n")  // ignored directory
        tree.write("sub/.gitignore", "!keep.gen.c\nlocal.c\n")
        tree.write("sub/keep.gen.c", "x;\n")  // re-included one level down
        tree.write("sub/local.c", "x;\n")  // ignored one level down
        tree.write("sub/.ignore", "!local.c\n")  // .ignore outranks .gitignore in the same directory
        tree.write("other/local.c", "x;\n")  // sub's rules do not apply here
        let report = scan([tree.path])
        #expect(Set(report.paths) == Set(["a.c", "sub/keep.gen.c", "sub/local.c", "other/local.c"].map { tree.path + "/" + $0 }))
        #expect(report.summary.ignoredEntries == 2)
        let all = scan([tree.path]) { $0.useIgnoreFiles = false }
        #expect(all.totals("C")?.files == 6)
    }

    @Test func gitInfoExclude() {
        let tree = TemporaryTree()
        tree.write(".git/info/exclude", "secret.c\n")
        tree.write("secret.c", "x;\n")
        tree.write("open.c", "x;\n")
        #expect(scan([tree.path]).paths == [tree.path + "/open.c"])
    }

    @Test func malformedPatternIsNamedAndTheRestApplies() {
        let tree = TemporaryTree()
        tree.mkdir(".git")
        tree.write(".gitignore", "good.c\n[unterminated\n")
        tree.write("good.c", "x;\n")
        tree.write("kept.c", "x;\n")
        let report = scan([tree.path])
        #expect(report.paths == [tree.path + "/kept.c"])
        #expect(report.issues.count == 1)
        #expect(report.issues.first?.path == Array((tree.path + "/.gitignore").utf8))
        #expect(report.issues.first?.reason.hasPrefix("line 2: ") == true)
        #expect(!report.hasErrors)
    }

    @Test func gitignoreAppliesOnlyInsideRepositories() {
        let tree = TemporaryTree()
        // Debian's kernel source appends "/*" and "!/debian/" to the top-level .gitignore.
        tree.write(".gitignore", ".*\n*.o\n/*\n!/debian/\n")
        tree.write(".ignore", "skip.c\n")
        tree.write("kernel/main.c", "x;\n")
        tree.write("skip.c", "x;\n")
        tree.write("debian/rules.c", "x;\n")
        // Not a repository: only .ignore applies.
        let plain = scan([tree.path])
        #expect(Set(plain.paths) == [tree.path + "/kernel/main.c", tree.path + "/debian/rules.c"])
        // Asked to: .gitignore applies too, and leaves only debian/.
        let forced = scan([tree.path]) { $0.gitignoreRequiresRepository = false }
        #expect(forced.paths == [tree.path + "/debian/rules.c"])
        // A nested repository applies its own .gitignore from its top down.
        tree.write("vendor/lib/.gitignore", "gen.c\n")
        tree.write("vendor/lib/gen.c", "x;\n")
        tree.write("vendor/lib/src.c", "x;\n")
        tree.mkdir("vendor/lib/.git")
        let nested = scan([tree.path])
        #expect(nested.paths.contains(tree.path + "/vendor/lib/src.c"))
        #expect(!nested.paths.contains(tree.path + "/vendor/lib/gen.c"))
    }

    @Test func repositoryAboveTheRootCounts() {
        let tree = TemporaryTree()
        tree.mkdir(".git")
        tree.write("sub/.gitignore", "gen.c\n")
        tree.write("sub/gen.c", "x;\n")
        tree.write("sub/main.c", "x;\n")
        #expect(scan([tree.path + "/sub"]).paths == [tree.path + "/sub/main.c"])
    }
}

@Suite("Scanning as GitHub's language bar sees it")
struct ScannerLinguistTests {
    // Contents and sizes (bytes) the expectations below are computed from.
    static let goMain = "package main\n\nfunc main() { }\n"  // 13 + 1 + 16 = 30 bytes, own Go
    static let goGenerated = "// Code generated by stringer. DO NOT EDIT.\npackage main\n"  // generated: "Code generated by" in the first 40 lines
    static let vendoredGo = "package lib\n"  // vendor/ matches (^|/)vendors?/
    static let doc = "# Guide\n"  // docs/ matches ^[Dd]ocs?/
    static let json = "{\"a\": 1}\n"  // 9 bytes, own, a data language
    static let asm = "\tmovq %rdi, %rax\nret\n"  // 17 + 4 = 21 bytes, Unix Assembly (group Assembly)
    static let python = "print(1)\n"  // 9 bytes, own Python

    func makeTree() -> TemporaryTree {
        let tree = TemporaryTree()
        tree.write("src/main.go", Self.goMain)
        tree.write("src/stringer.go", Self.goGenerated)
        tree.write("vendor/lib/lib.go", Self.vendoredGo)
        tree.write("docs/guide.md", Self.doc)
        tree.write("data/config.json", Self.json)
        tree.write("asm/start.s", Self.asm)
        tree.write("tools/tool.py", Self.python)
        tree.write("third_party/lib.py", Self.python)  // (3rd|[Tt]hird)[-_]?[Pp]arty/ is a vendor path
        return tree
    }

    @Test func excludedCodeIsCountedApart() throws {
        let tree = makeTree()
        let report = scan([tree.path])
        let go = try #require(report.totals("Go"))
        #expect(go.files == 3)
        #expect(go.own.files == 1 && go.own.bytes == Self.goMain.utf8.count)
        #expect(go.categories[.generated]?.files == 1 && go.categories[.vendored]?.files == 1)
        #expect(report.totals("Markdown")?.categories[.documentation]?.files == 1)
        #expect(report.totals("Python")?.own.files == 1 && report.totals("Python")?.categories[.vendored]?.files == 1)
        let byPath = Dictionary(uniqueKeysWithValues: report.files.map { (String(decoding: $0.path, as: UTF8.self), $0.classification) })
        let root = report.roots[0]
        #expect(byPath[root + "/src/stringer.go"]?.exclusionReason == "generated: go")
        #expect(byPath[root + "/vendor/lib/lib.go"]?.exclusionReason == "vendor.yml pattern (^|/)vendors?/")
        #expect(byPath[root + "/docs/guide.md"]?.category == .documentation)
        #expect(byPath[root + "/data/config.json"]?.breakdownReason == "data language")
    }

    @Test func breakdownCountsOwnProgrammingAndMarkupBytesByGroup() {
        let tree = makeTree()
        let report = scan([tree.path])
        // Counted: src/main.go (30), asm/start.s as Assembly (21), tools/tool.py (9) = 60 bytes.
        let entries = report.breakdown.map { (LanguageTable[$0.language].name, $0.bytes) }
        #expect(entries.map(\.0) == ["Go", "Assembly", "Python"])
        #expect(entries.map(\.1) == [30, 21, 9])
        #expect(report.breakdown.map(\.percentage) == [50.0, 35.0, 15.0])
    }

    @Test func attributesOverrideTheRules() throws {
        let tree = makeTree()
        tree.write(".gitattributes", """
            vendor/** -linguist-vendored
            tools/** linguist-vendored
            *.json linguist-detectable
            src/main.go linguist-generated
            asm/*.s linguist-language=C

            """)
        let report = scan([tree.path])
        let entries = Dictionary(uniqueKeysWithValues: report.breakdown.map { (LanguageTable[$0.language].name, $0.bytes) })
        // vendor/lib/lib.go (12) is own again; src/main.go is now generated; tools/tool.py is vendored;
        // config.json (9) counts; start.s (21) counts as C.
        #expect(entries == ["Go": Self.vendoredGo.utf8.count, "JSON": 9, "C": 21])
        let byPath = Dictionary(uniqueKeysWithValues: report.files.map { (String(decoding: $0.path, as: UTF8.self), $0.classification) })
        let start = try #require(byPath[tree.path + "/asm/start.s"])
        #expect(start.detection.strategy == .attribute)
        #expect(byPath[tree.path + "/tools/tool.py"]?.exclusionReason == "linguist-vendored (\(tree.path)/.gitattributes:2)")
    }

    @Test func namesOnlyModeHasNoExclusions() {
        let tree = makeTree()
        let report = scan([tree.path]) { $0.detection = .names }
        #expect(report.languages.allSatisfy { $0.excluded.files == 0 })
        #expect(report.totals("Go")?.own.files == 3)
    }

    @Test func subdirectoriesAndFilesAreJudgedFromTheRepositoryTop() throws {
        let tree = TemporaryTree()
        tree.mkdir(".git")
        tree.write(".gitattributes", "lib/gen/** linguist-generated\n")
        tree.write(".gitignore", "*.tmp.c\n")
        tree.write("docs/guide.c", "int x;\n")  // ^[Dd]ocs?/ from the top: documentation
        tree.write("lib/gen/table.c", "int t;\n")  // generated by the top's .gitattributes
        tree.write("lib/gen/scratch.tmp.c", "int s;\n")  // ignored by the top's .gitignore
        let docs = scan([tree.path + "/docs"])
        #expect(docs.files.first?.classification.category == .documentation)
        let lib = scan([tree.path + "/lib"])
        #expect(lib.files.map(\.classification.category) == [.generated])
        #expect(lib.files.first?.classification.exclusionReason == "linguist-generated (\(tree.path)/.gitattributes:1)")
        let single = scan([tree.path + "/docs/guide.c"])
        #expect(single.files.first?.classification.category == .documentation)
        // Outside a repository the root is the top: docs/ below it is still documentation, but a
        // scan of docs itself has no docs/ prefix.
        let plain = TemporaryTree()
        plain.write("docs/guide.c", "int x;\n")
        #expect(scan([plain.path + "/docs"]).files.first?.classification.category == .own)
        #expect(scan([plain.path]).files.first?.classification.category == .documentation)
    }

    @Test func hugeMinifiedFileIsJudgedFromABoundedPrefix() throws {
        let tree = TemporaryTree()
        let size = 48 << 20  // 48 MiB on one line: minified (average line length > 110)
        let path = tree.path + "/bundle.js"  // not *.min.js, which vendor.yml already catches
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(fd >= 0)
        let chunk = Array(repeating: Array("var a=1;".utf8), count: 1 << 17).flatMap { $0 }  // 1 MiB
        for _ in 0 ..< 48 { _ = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } }
        close(fd)
        var before = rusage()
        getrusage(RUSAGE_SELF.rawValue, &before)
        let report = scan([tree.path])
        var after = rusage()
        getrusage(RUSAGE_SELF.rawValue, &after)
        let file = try #require(report.files.first)
        #expect(file.classification.category == .generated)
        #expect(file.classification.exclusionReason == "generated: minified")
        #expect(file.bytes == size && file.counts == LineCounts(code: 1, comments: 0, blanks: 0))
        #expect(after.ru_maxrss - before.ru_maxrss < 64 * 1024)
    }

    @Test func malformedAttributeLinesAreNamedAndTheRestApplies() {
        let tree = TemporaryTree()
        tree.write(".gitattributes", "!neg.c linguist-vendored\n*.c b@d linguist-vendored\nlib/** linguist-generated\n")
        tree.write("lib/x.c", "int x;\n")
        let report = scan([tree.path])
        #expect(report.files.first?.classification.category == .generated)
        let lines = report.issues.map(\.reason)
        #expect(lines.contains { $0.hasPrefix("line 1: negative patterns are ignored") })
        #expect(lines.contains { $0.hasPrefix("line 2: \"b@d\" is not a valid attribute name") })
        #expect(report.issues.allSatisfy { $0.path == Array((tree.path + "/.gitattributes").utf8) && $0.kind == .skipped })
    }
}
