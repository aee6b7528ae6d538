import Foundation
import Testing

@testable import CensusGoSource

/// The fixture GOPATH (`Fixtures/gopath/src/example.com/…`): every expected value below was worked
/// out by hand from the files' contents and the go command's documented rules, and then checked
/// once against `go list -e -json` (Go 1.19, GO111MODULE=off), which agrees.
enum Fixture {
    static let root: String = {
        let file = #filePath
        let dir = file[..<file.lastIndex(of: "/")!]
        return dir + "/Fixtures/gopath/src"
    }()

    static func load(_ targets: [GoBuildTarget] = [GoBuildTarget()]) throws -> GoPackageSet {
        let tree = try GoDirectoryTree(path: root)
        return GoPackageLoader.load(tree, options: GoLoadOptions(targets: targets, jobs: 2))
    }

    static func package(_ set: GoPackageSet, _ path: String) throws -> GoPackage {
        try #require(set.package(path), "no package \(path)")
    }
}

@Suite struct GoBuildConstraintRules {
    @Test func linuxAmd64WithCgo() throws {
        let set = try Fixture.load()
        #expect(set.layout == .gopath)
        let p = try Fixture.package(set, "example.com/constraints")
        #expect(p.name == "constraints")
        // a.go always; b_linux.go and d_amd64.go by suffix; h.go: (linux || darwin) && go1.18;
        // j.go: its `// +build ignore` is not followed by a blank line, so it is no constraint;
        // k.go: `//go:build linux` decides over `// +build windows`.
        #expect(p.goFiles == ["a.go", "b_linux.go", "d_amd64.go", "h.go", "j.go", "k.go"])
        // c_windows.go, e_arm64.go: suffixes; f.go: linux && !cgo with cgo on; g.go: ignore;
        // i.go: (linux AND 386) OR darwin; o.go: linux AND !amd64 (two lines); p.go: mytag unset.
        #expect(p.ignoredGoFiles == ["c_windows.go", "e_arm64.go", "f.go", "g.go", "i.go", "o.go", "p.go"])
        #expect(p.invalidGoFiles == ["l.go"])  // `//go:build linux &&`
        #expect(p.imports == ["bytes", "fmt", "math", "os", "sort", "strings"])
        #expect(p.testGoFiles == ["m_test.go", "n_linux_test.go"])
        #expect(p.testImports == ["os/exec", "testing"])
        #expect(p.problems.map(\.description) == ["example.com/constraints/l.go: l.go: parsing //go:build line: unexpected end of expression"])
    }

    @Test func windowsAndTags() throws {
        let windows = try Fixture.package(Fixture.load([GoBuildTarget(goos: "windows", goarch: "amd64")]), "example.com/constraints")
        // h.go (linux || darwin) and k.go (linux) drop out; c_windows.go comes in; f.go needs linux.
        #expect(windows.goFiles == ["a.go", "c_windows.go", "d_amd64.go", "j.go"])
        #expect(windows.imports == ["bytes", "fmt", "math", "syscall"])
        #expect(windows.testImports == ["testing"])
        let tagged = try Fixture.package(Fixture.load([GoBuildTarget(tags: ["mytag"])]), "example.com/constraints")
        #expect(tagged.goFiles.contains("p.go"))
        #expect(tagged.imports == ["bytes", "fmt", "hash", "math", "os", "sort", "strings"])
    }

    @Test func allPlatformsUnion() throws {
        let p = try Fixture.package(Fixture.load(GoBuildTarget.allPlatforms()), "example.com/constraints")
        // f.go holds on linux/ppc64 (no cgo there), i.go on darwin, o.go on linux/386;
        // only `ignore` and `mytag` never hold.
        #expect(p.ignoredGoFiles == ["g.go", "p.go"])
        #expect(p.imports == ["bytes", "errors", "fmt", "math", "math/bits", "os", "regexp", "sort", "strings", "syscall", "time"])
    }

    @Test(arguments: [
        ("linux && (amd64 || arm64)", true), ("!linux", false), ("linux,amd64", false), ("unix && cgo", true),
        ("go1.19 && !go1.20", true), ("gc", true), ("boringcrypto", false),
    ])
    func expressions(_ text: String, _ expected: Bool) throws {
        let line = Array("//go:build \(text)".utf8)[...]
        if text.contains(",") {
            #expect(throws: GoBuildConstraint.SyntaxError.self) { try GoBuildConstraint.parseGoBuild(line: line) }
            return
        }
        #expect(try GoBuildConstraint.parseGoBuild(line: line).isSatisfied(by: GoBuildTarget()) == expected)
    }

    @Test func plusBuildLines() {
        let x = GoBuildConstraint.parsePlusBuild(Array("linux,!cgo darwin !!x".utf8)[...])
        #expect(x.description == "(((linux && !cgo) || darwin) || ignore)")
        #expect(!x.isSatisfied(by: GoBuildTarget()))  // cgo on: linux,!cgo fails; not darwin; ignore
        #expect(x.isSatisfied(by: GoBuildTarget(cgoEnabled: false)))
        #expect(x.isSatisfied(by: GoBuildTarget(goos: "darwin", goarch: "arm64")))
    }

    @Test func fileNameSuffixes() {
        let t = GoBuildTarget()
        #expect(t.admits(fileName: "x_linux.go".utf8))
        #expect(t.admits(fileName: "x_linux_amd64_test.go".utf8))
        #expect(!t.admits(fileName: "x_linux_arm64.go".utf8))
        #expect(t.admits(fileName: "linux.go".utf8))  // no prefix before the OS: not a suffix
        #expect(!t.admits(fileName: "x_windows.go".utf8))
        #expect(t.admits(fileName: "x_unix.go".utf8))  // unix is a build tag, never a file suffix
    }
}

@Suite struct GoImportRules {
    @Test func cgoFiles() throws {
        let p = try Fixture.package(Fixture.load(), "example.com/cgo")
        #expect(p.cgoFiles == ["a.go"])
        #expect(p.goFiles == ["b.go"])
        #expect(p.imports == ["C", "fmt", "unsafe"])
        #expect(p.testGoFiles == ["c_test.go"])
        #expect(p.invalidGoFiles == ["c_test.go"])  // use of cgo in a test
        #expect(p.testImports == ["C", "testing"])
        let off = try Fixture.package(Fixture.load([GoBuildTarget(cgoEnabled: false)]), "example.com/cgo")
        #expect(off.cgoFiles.isEmpty)
        #expect(off.ignoredGoFiles == ["a.go"])
        #expect(off.imports == ["fmt"])
    }

    @Test func vendorDirectories() throws {
        let set = try Fixture.load()
        // vendor/example.org/empty has no .go file, so the import stays as written.
        #expect(try Fixture.package(set, "example.com/vend").imports == ["example.com/vend/vendor/example.org/dep", "example.org/empty"])
        #expect(try Fixture.package(set, "example.com/vend/sub").imports == ["example.com/vend/vendor/example.org/dep"])
        let dep = try Fixture.package(set, "example.com/vend/vendor/example.org/dep")
        #expect(dep.isVendored)
        #expect(dep.api.functions == ["Hello"])
    }

    @Test func internalPackages() throws {
        let set = try Fixture.load()
        #expect(try Fixture.package(set, "example.com/internal/a/b").problems.isEmpty)
        let other = try Fixture.package(set, "example.com/internal/other")
        #expect(other.imports == ["example.com/internal/a/internal/secret"])  // go list still lists it
        #expect(other.problems.map(\.message) == [
            "use of internal package example.com/internal/a/internal/secret not allowed (imported by example.com/internal/other)"
        ])
    }

    @Test func testPackagesAndGeneratedFiles() throws {
        let p = try Fixture.package(Fixture.load(), "example.com/tests")
        #expect(p.goFiles == ["gen.go", "t.go"])
        #expect(p.testGoFiles == ["t_test.go"])
        #expect(p.xTestGoFiles == ["x_test.go"])
        #expect(p.imports == ["errors"])
        #expect(p.testImports == ["testing"])
        #expect(p.xTestImports == ["example.com/tests", "testing"])
        #expect(p.generatedGoFiles == ["gen.go"])
        #expect(p.api.functions == ["T"])
        #expect(p.api.variables == ["Gen"])
    }

    @Test func importCycles() throws {
        let set = try Fixture.load()
        #expect(set.problems.map(\.message) == ["import cycle not allowed: example.com/cycle/a, example.com/cycle/b"])
    }
}

@Suite struct GoBadInput {
    @Test func syntaxErrorsAndBadFiles() throws {
        let p = try Fixture.package(Fixture.load(), "example.com/broken")
        #expect(p.name == "broken")  // body.go comes first
        #expect(p.goFiles == ["body.go", "bom.go", "clause.go", "header.go", "newline.go", "nonutf8.go", "nul.go", "ok.go"])
        // clause.go: another package; header.go: a quote in the path; newline.go: a newline in a
        // raw path; nonutf8.go: byte 0xFF in a comment of the header.
        #expect(p.invalidGoFiles == ["clause.go", "header.go", "newline.go", "nonutf8.go"])
        // Invalid files but clause.go record no imports (sort, from nonutf8.go, is missing);
        // clause.go's net is kept, as the go command keeps it.
        #expect(p.imports == ["bufio", "fmt", "net", "os", "strconv"])
        let shown = Set(p.problems.map(\.description))
        #expect(shown.contains("example.com/broken/body.go:6:13: { is never closed"))
        #expect(shown.contains("example.com/broken/header.go:3:8: invalid import path: \"a\\\"b\""))
        #expect(shown.contains("example.com/broken/newline.go:3:8: invalid import path: \"a\\nb\""))
        #expect(shown.contains("example.com/broken/nonutf8.go:3:4: illegal UTF-8 encoding"))
        #expect(shown.contains("example.com/broken/nul.go:5:10: illegal character NUL"))
        // The rest is still analysed: Body (before the unclosed brace), OK, Later, and BOM (a file
        // that starts with a byte order mark); After is inside Body's unclosed body.
        #expect(p.api.functions == ["Body", "OK"])
        #expect(p.api.types == ["Later"])
        #expect(p.api.variables == ["BOM"])
        #expect(p.api.constants.isEmpty)
    }
}

@Suite struct GoExportsAndReferences {
    @Test func exportsPerKind() throws {
        let lib = try Fixture.package(Fixture.load(), "example.com/imports/lib")
        // lib.go by hand: types Client and Option (token is unexported), functions New and Dial,
        // variable Default, constant Version, method Client.Close (reset is unexported; Value's
        // receiver token is unexported).
        #expect(lib.api.types == ["Client", "Option"])
        #expect(lib.api.functions == ["Dial", "New"])
        #expect(lib.api.variables == ["Default"])
        #expect(lib.api.constants == ["Version"])
        #expect(lib.api.methods == ["Client.Close"])
        #expect(lib.totalExports == 7)
    }

    @Test func referencesThroughImports() throws {
        let set = try Fixture.load()
        let app = try Fixture.package(set, "example.com/imports/app")
        #expect(app.dotImports == ["strings"])
        #expect(app.blankImports == ["embed"])
        #expect(app.totalImports == 4)  // embed, lib, fmt, strings
        let use = try #require(app.uses.first { $0.importPath == "example.com/imports/lib" })
        // app.go by hand (lib is imported as l):
        //   calls:       l.New() twice, l.Dial("x")                        → 3
        //   literals:    l.Client{}, &l.Client{Addr: "a"}                  → 2
        //   conversions: l.Option(nil)                                     → 1
        //   type names:  var o l.Option                                    → 1
        //   values:      l.Version, l.Default, f := l.New                  → 3
        #expect(use.calls == 3)
        #expect(use.compositeLiterals == 2)
        #expect(use.conversions == 1)
        #expect(use.typeReferences == 1)
        #expect(use.valueReferences == 3)
        #expect(use.typesNamed == ["Client", "Option"])
        #expect(use.unresolved == 0)
        // fmt is not in the tree: its one call cannot be classified and is left unresolved.
        #expect(app.uses.first { $0.importPath == "fmt" }?.unresolved == 1)
    }

    @Test func couplingByHand() throws {
        let set = try Fixture.load()
        let row = try #require(GoCoupling.packageRows(set).first { $0.importer == "example.com/imports/app" })
        #expect(row.imported == "example.com/imports/lib")
        #expect(row.sharedTypes == 2)
        #expect(row.crossPackageCalls == 3)
        #expect(row.totalExports == 7)
        #expect(row.totalImports == 4)
        #expect(row.coupling == 5.0 / 28.0)
        // Modules without go.mod are guessed from the import path: example.com/imports for both,
        // so app → lib is inside one module; vend → its vendored dep crosses modules.
        let modules = GoCoupling.moduleRows(set)
        #expect(!modules.contains { $0.importer == "example.com/imports" && $0.imported == "example.com/imports" })
        let vend = try #require(modules.first { $0.importer == "example.com/vend" })
        #expect(vend.imported == "example.org/dep")
        #expect(vend.edges == 2)  // vend and vend/sub import it
        #expect(vend.crossPackageCalls == 1)  // dep.Hello() in sub.go; vend.go only names it
        #expect(vend.totalExports == 1)
        #expect(vend.totalImports == 3)  // vend: dep and empty; vend/sub: dep
        #expect(vend.coupling == 1.0 / 3.0)
    }
}

@Suite struct GoLargeInput {
    /// A large generated file (table rows, as generators write them) beside a small one: read
    /// whole (the worker's buffer grows past its first 1 MiB), tokenized, its exports counted.
    /// 8 MiB here: tests of other suites measure the process's resident memory while this runs;
    /// the 50 MB file of issue 16 is measured by bench/go-source-bench.py (docs/benchmarks.md).
    @Test func largeGeneratedFile() throws {
        let root = NSTemporaryDirectory() + "census-go-large-\(getpid())"
        let dir = root + "/src/example.com/big"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        var bytes = Array("// Code generated by a test. DO NOT EDIT.\n\npackage big\n\nimport \"strconv\"\n\n// Table is exported.\nvar Table = []string{\n".utf8)
        let row = Array("\t\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789\",\n".utf8)  // 64 bytes
        let rows = Array(repeating: row, count: 4096).flatMap { $0 }  // 256 KiB
        for _ in 0..<32 { bytes += rows }  // 8 MiB
        bytes += Array("}\n\n// Itoa is exported.\nfunc Itoa(i int) string { return strconv.Itoa(i) }\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/table.go"))
        try "package big\n\n// Small is exported.\nconst Small = 1\n".write(toFile: dir + "/small.go", atomically: false, encoding: .utf8)
        let set = GoPackageLoader.load(try GoDirectoryTree(path: root + "/src"), options: GoLoadOptions(jobs: 2))
        let p = try #require(set.package("example.com/big"))
        #expect(set.bytesRead == bytes.count + 51)  // table.go and small.go (51 bytes)
        #expect(p.generatedGoFiles == ["table.go"])
        #expect(p.imports == ["strconv"])
        #expect(p.api.variables == ["Table"])
        #expect(p.api.functions == ["Itoa"])
        #expect(p.api.constants == ["Small"])
        #expect(p.problems.isEmpty)
    }
}

@Suite struct GoLoadingModes {
    /// example.com/odd/lib is `package weird`: no guess from its path finds the name, so the
    /// importer is read again with the real name once it is known.
    @Test func packageNameNotInThePath() throws {
        let set = try Fixture.load()
        let use = try Fixture.package(set, "example.com/odd/use")
        #expect(use.uses.first { $0.importPath == "example.com/odd/lib" }?.calls == 1)
        #expect(set.unguessedImportNames == 1)
    }

    /// Reading headers only (go packages without --api) gives the same packages, files and imports.
    @Test func headersOnlyAgreeWithWholeFiles() throws {
        let whole = try Fixture.load()
        let headers = GoPackageLoader.load(try GoDirectoryTree(path: Fixture.root), options: GoLoadOptions(jobs: 2, analyzeSource: false))
        #expect(headers.packages.map(\.importPath) == whole.packages.map(\.importPath))
        #expect(headers.packages.map(\.imports) == whole.packages.map(\.imports))
        #expect(headers.packages.map(\.goFiles) == whole.packages.map(\.goFiles))
        #expect(headers.packages.map(\.invalidGoFiles) == whole.packages.map(\.invalidGoFiles))
        #expect(headers.packages.allSatisfy { $0.api.total == 0 })
    }
}
