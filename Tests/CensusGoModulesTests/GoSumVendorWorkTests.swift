import CensusGoModules
import Testing

/// go.sum, vendor/modules.txt and go.work, each against a hand-written fixture whose expected
/// values are read off the fixture line by line.
@Suite("go.sum, modules.txt and go.work")
struct GoSumVendorWorkTests {
    @Test func goSumFixture() throws {
        let sum = GoSumFile(parsing: try Fixtures.bytes("go.sum"), fileName: "go.sum")
        #expect(sum.entries.map(\.path) == ["example.com/a", "example.com/a", "example.com/b", "example.com/d", "example.com/e", "example.com/f"])
        #expect(sum.entries.map(\.version) == ["v1.0.0", "v1.0.0", "v0.0.0-20210220033141-f8bda1e9f3ba", "v2.0.0+incompatible", "v1.0.0", "master"])
        #expect(sum.entries.map(\.isGoModHash) == [false, true, true, false, false, false])
        #expect(sum.entries.map(\.line) == [1, 2, 3, 6, 7, 8])
        #expect(sum.entries[0].hash == "h1:ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs=")
        #expect(sum.entries[3].hash == "h1:GKw+c0PwFokMUQ6T+TUmEWnZ4/VlQ2Qpgw+vCTT0+OQ=")
        // Line 5: the empty go.mod hash is dropped; 7: not h1; 8: not a version; 9: two fields.
        #expect(sum.diagnostics.map { "\($0.location) \($0.severity)" } == ["5:29 warning", "7:22 warning", "8:15 warning", "9:1 error"])
        #expect(sum.diagnostics.last?.message == "malformed go.sum line: 2 fields; expected 3: module path, version (or version/go.mod) and hash")
        #expect(sum.errorCount == 1)
    }

    @Test func goSumWithCRLFAndNoFinalNewline() {
        let text = "example.com/a v1.0.0 h1:ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs=\r\nexample.com/a v1.0.0/go.mod h1:YxDDk05aqWVBDK8fH6pVrOW//H+Vbemt/T+ZtUGC7Nw="
        let sum = GoSumFile(parsing: Array(text.utf8))
        #expect(sum.entries.map(\.hash) == ["h1:ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs=", "h1:YxDDk05aqWVBDK8fH6pVrOW//H+Vbemt/T+ZtUGC7Nw="])
        #expect(sum.diagnostics.isEmpty)
    }

    @Test func goSumJunk() {
        let sum = GoSumFile(parsing: GoModBadInputTests.junk(count: 64 * 1024, seed: 5), fileName: "junk.sum")
        #expect(sum.hasErrors)
        #expect(sum.diagnostics.count <= 200)
    }

    @Test func vendorManifestFixture() throws {
        let manifest = GoVendorManifest(parsing: try Fixtures.bytes("modules.txt"), fileName: "modules.txt")
        #expect(manifest.modules.map(\.path) == ["example.com/a", "example.com/b", "example.com/c", "example.com/d", "example.com/e"])
        #expect(manifest.modules.map(\.version) == ["v1.0.0", "v1.2.0", "v0.1.0", nil, "v2.0.0+incompatible"])
        #expect(manifest.modules.map(\.replacement) == [
            nil, GoModuleVersion(path: "example.com/b-fork", version: "v1.2.1"), GoModuleVersion(path: "./local/c"),
            GoModuleVersion(path: "../d"), nil,
        ])
        #expect(manifest.modules.map(\.isExplicit) == [true, true, false, false, false])
        #expect(manifest.modules.map(\.goVersion) == ["1.17", nil, nil, nil, "1.12"])
        // The second "# example.com/a v1.0.0" (line 18) adds to the first entry.
        #expect(manifest.modules[0].packages == ["example.com/a", "example.com/a/sub", "example.com/a/again"])
        #expect(manifest.modules.map(\.packages.count) == [3, 1, 1, 0, 1])
        #expect(manifest.modules.map(\.line) == [1, 5, 8, 10, 11])
        // Line 14: "# broken" has two fields; 15: two words are no import path; 16: no version;
        // 17: its package line is skipped with it.
        #expect(manifest.diagnostics.map(\.location.line) == [14, 15, 16, 17])
        #expect(manifest.diagnostics.allSatisfy { $0.severity == .warning })
    }

    @Test(arguments: [
        ("example.com/a/b", true), ("golang.org/x/net/http2", true), ("a+b/c~d", true), ("-a", false), ("a//b", false),
        ("a/", false), ("a/./b", false), ("a/b.", false), ("con/x", false), ("a/COM1.txt", false), ("EXAMPL~1/x", false),
        ("a b", false), ("é/x", false), ("a/.hidden", true),
    ])
    func importPaths(_ path: String, _ valid: Bool) {
        let text = "# example.com/m v1.0.0\n\(path)\n"
        let manifest = GoVendorManifest(parsing: Array(text.utf8))
        #expect(manifest.modules.first?.packages == (valid ? [path] : []))
    }

    @Test func goWorkFixture() throws {
        let work = GoWorkFile(parsing: try Fixtures.bytes("go.work"), fileName: "go.work")
        #expect(work.goVersion == "1.22.0")
        #expect(work.toolchain == "go1.22.3")
        #expect(work.godebug.map { "\($0.key)=\($0.value)" } == ["default=go1.21"])
        #expect(work.uses.map(\.path) == ["./a", "../b", "./c d", "./a"])
        #expect(work.uses.map(\.location) == [
            GoSourceLocation(line: 10, column: 1), GoSourceLocation(line: 12, column: 2), GoSourceLocation(line: 13, column: 2),
            GoSourceLocation(line: 14, column: 2),
        ])
        #expect(work.replacements.map { "\($0.old) => \($0.new)" } == ["example.com/x v1.0.0 => ./x2", "example.com/y => example.com/z v1.2.0"])
        #expect(work.diagnostics.map { "\($0.location) \($0.severity)" } == ["17:1 warning"])
        #expect(!work.hasErrors)
    }

    @Test func goWorkErrors() {
        let text = "go 1.22\ngo 1.23\nrequire a v1.0.0\nuse\nuse (\n\t./a ./b\n\t./c\n)\nreplace a => b\nmodule x\n"
        let work = GoWorkFile(parsing: Array(text.utf8), fileName: "go.work")
        #expect(work.goVersion == "1.22")
        #expect(work.uses.map(\.path) == ["./c"])
        #expect(work.diagnostics.map(\.location.line) == [2, 3, 4, 6, 9, 10])
        #expect(work.diagnostics.allSatisfy { $0.severity == .error && $0.file == "go.work" })
        #expect(work.diagnostics[1].message.hasPrefix("unknown directive \"require\"; expected go, toolchain, godebug, use or replace"))
    }
}
