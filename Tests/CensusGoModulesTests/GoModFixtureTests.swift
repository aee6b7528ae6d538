import CensusGoModules
import Testing

/// Hand-written go.mod fixtures, each beside the JSON `go mod edit -json` prints for it, worked out
/// by hand from the Go modules reference and the toolchain's rules. Those in `gomod/` are also
/// checked against Go 1.19 itself (GoModToolchainTests); those in `gomod-current/` use directives
/// Go 1.19 predates (`toolchain`, `godebug`, `tool`, `ignore`, `go 1.21rc1`, `replace x => .`),
/// so their expected output follows the current reference alone.
@Suite("go.mod fixtures")
struct GoModFixtureTests {
    static let names = Fixtures.modNames(in: "gomod").map { "gomod/" + $0 } + Fixtures.modNames(in: "gomod-current").map { "gomod-current/" + $0 }

    @Test func thereAreFixtures() {
        #expect(Fixtures.modNames(in: "gomod").count >= 15)
        #expect(Fixtures.modNames(in: "gomod-current").count >= 2)
    }

    @Test(arguments: names)
    func jsonMatchesTheHandWrittenExpectation(_ name: String) throws {
        let file = GoModFile(parsing: try Fixtures.bytes(name + ".mod"), fileName: name + ".mod")
        let expected = try Fixtures.text(name + ".json")
        #expect(file.goModEditJSON() == expected)
        #expect(!file.hasErrors, "\(file.diagnostics)")
    }

    @Test func everyDirectiveIsInTheModel() throws {
        let file = GoModFile(parsing: try Fixtures.bytes("gomod/all-directives.mod"), fileName: "all-directives.mod")
        #expect(file.module?.path == "example.com/all")
        #expect(file.module?.deprecated == "use example.com/all/v2, which\nhas the new API.")
        #expect(file.module?.location == GoSourceLocation(line: 7, column: 1))
        #expect(file.goVersion == "1.19")
        #expect(file.requirements.map(\.path) == ["example.com/line", "example.com/direct", "example.com/indirect", "example.com/pseudo", "example.com/quoted"])
        #expect(file.requirements.map(\.isIndirect) == [false, false, true, true, false])
        #expect(file.requirements[1].location == GoSourceLocation(line: 14, column: 2))
        #expect(file.exclusions.map(\.version) == ["v1.1.0", "v1.1.1", "v1.1.2"])
        #expect(
            file.replacements.map { "\($0.old) => \($0.new)" } == [
                "example.com/line => ./local/line", "example.com/direct v1.2.3 => example.com/fork v1.2.4",
                "example.com/other => ../other", "example.com/abs => /srv/abs",
            ])
        #expect(file.retractions.map { "\($0.low)-\($0.high)" } == ["v0.9.0-v0.9.0", "v0.5.0-v0.6.0", "v0.3.0-v0.3.0", "v0.4.0-v0.4.0"])
        #expect(file.retractions.map(\.rationale) == ["Published by mistake.", "Broken build.", "Security issues.", "Data race."])
        #expect(file.diagnostics.isEmpty)
    }

    @Test func newerDirectivesAreInTheModel() throws {
        let tools = GoModFile(parsing: try Fixtures.bytes("gomod-current/tool-ignore.mod"), fileName: "tool-ignore.mod")
        #expect(tools.goVersion == "1.25rc1")
        #expect(tools.toolchain == "default")
        #expect(tools.tools.map(\.path) == ["golang.org/x/tools/cmd/stringer", "example.com/tools/cmd/a", "example.com/tools/cmd/b"])
        #expect(tools.ignoredPaths.map(\.path) == ["./node_modules", "testdata", "./docs/..."])
        // The repeated tool and ignore are dropped with a warning, as go mod edit drops them.
        #expect(tools.diagnostics.map(\.severity) == [.warning, .warning])
        #expect(tools.diagnostics.map(\.location) == [GoSourceLocation(line: 12, column: 2), GoSourceLocation(line: 20, column: 2)])

        let debug = GoModFile(parsing: try Fixtures.bytes("gomod-current/toolchain-godebug.mod"), fileName: "toolchain-godebug.mod")
        #expect(debug.toolchain == "go1.23.4")
        #expect(debug.godebug.map { "\($0.key)=\($0.value)" } == ["default=go1.21", "panicnil=1", "http2debug=2=x", "asynctimerchan="])
    }

    @Test func duplicatesAreResolvedAsGoModEditResolvesThem() throws {
        let file = GoModFile(parsing: try Fixtures.bytes("gomod/duplicates.mod"), fileName: "duplicates.mod")
        #expect(file.requirements.count == 2)
        #expect(file.exclusions.map(\.location.line) == [11, 13])
        #expect(file.replacements.map(\.location.line) == [18, 19])
        #expect(file.retractions.count == 2)
        #expect(file.diagnostics.map { "\($0.location) \($0.severity)" } == ["12:2 warning", "17:1 warning"])
        #expect(!file.hasErrors)
    }

    @Test func emptyFileHasNoModuleAndAWarning() throws {
        let file = GoModFile(parsing: [UInt8](), fileName: "go.mod")
        #expect(file.module == nil)
        #expect(file.diagnostics.map(\.description) == ["go.mod:1:1: warning: no module directive: a go.mod file must declare its module path (go mod edit prints an empty Path)"])
        #expect(!file.hasErrors)
    }

    /// Versions: canonical in require, exclude and replace (as the toolchain prints them, not as
    /// the file writes them); as written in retract.
    @Test(arguments: [
        ("v1.2", "v1.2.0"), ("v1", "v1.0.0"), ("v1.2.3", "v1.2.3"), ("v1.2.3+meta", "v1.2.3"),
        ("v1.2.3-pre.1+b", "v1.2.3-pre.1"), ("v2.0.0+incompatible", "v2.0.0+incompatible"),
        ("v0.0.0-20210220033141-f8bda1e9f3ba", "v0.0.0-20210220033141-f8bda1e9f3ba"), ("\"v1.4\"", "v1.4.0"),
    ])
    func requireVersionsAreCanonical(_ written: String, _ canonical: String) {
        let file = GoModFile(parsing: Array("module m\nrequire example.com/x \(written)\n".utf8))
        #expect(file.requirements.map(\.version) == [canonical])
        #expect(!file.hasErrors)
    }

    @Test(arguments: ["1.2.3", "v1.2-pre", "v01.2.3", "v1.2.3-01", "v1.2.3-", "v1.2.3+", "latest", "v1..2"])
    func invalidVersionsAreErrors(_ written: String) {
        let file = GoModFile(parsing: Array("module m\nrequire example.com/x \(written)\n".utf8), fileName: "go.mod")
        #expect(file.requirements.isEmpty)
        #expect(file.diagnostics.map(\.location) == [GoSourceLocation(line: 2, column: 23)])
        #expect(file.diagnostics.first?.message.contains("must be of the form v1.2.3") == true)
    }

    @Test(arguments: [
        ("example.com/x/v2 v1.0.0", "should be v2, not v1"), ("example.com/x v2.0.0", "should be v0 or v1, not v2"),
        ("example.com/x/v1 v1.0.0", "invalid module path"), ("gopkg.in/yaml v1.0.0", "invalid module path"),
        ("gopkg.in/yaml.v2 v3.0.0", "should be v2, not v3"),
    ])
    func majorVersionSuffixesAreChecked(_ line: String, _ expected: String) {
        let file = GoModFile(parsing: Array("module m\nrequire \(line)\n".utf8))
        #expect(file.requirements.isEmpty)
        #expect(file.diagnostics.first?.message.contains(expected) == true, "\(file.diagnostics)")
    }

    @Test func rawStringsAreReadButReportedAsTheToolchainRejectsThem() {
        let file = GoModFile(parsing: Array("module `example.com/raw\\n`\n".utf8), fileName: "go.mod")
        #expect(file.module?.path == "example.com/raw\\n")
        #expect(file.diagnostics.map(\.location) == [GoSourceLocation(line: 1, column: 8)])
        #expect(file.hasErrors)
    }

    @Test func jsonEscapesAsGoDoes() {
        var module = "module \"a<b>&c\\u2028\\u00e9\\x01\\\\\\\"\"\n"
        module += "// \u{7F}tab\there\n"
        module += "retract v1\n"
        let json = GoModFile(parsing: Array(module.utf8)).goModEditJSON()
        #expect(json.contains("\"Path\": \"a\\u003cb\\u003e\\u0026c\\u2028é\\u0001\\\\\\\"\""))
        #expect(json.contains("\"Rationale\": \"\u{7F}tab\\there\""))
    }
}
