import CensusGoModules
import Foundation
import Testing

/// Compares the parser with the Go toolchain itself: `go mod edit -json` (Debian's Go 1.19), run
/// on a copy of each input in a clean temporary directory. Where go accepts a file, the JSON must
/// be byte-equal and the parser must report no error; where go rejects it, the parser must report
/// errors on every line go names (go stops at its first syntax error, the parser goes on, so it
/// may report more).
@Suite("go.mod against go mod edit -json", .enabled(if: GoToolchain.isAvailable, Comment(rawValue: GoToolchain.missing)))
struct GoModToolchainTests {
    /// Expects `bytes` to parse as go parses it.
    static func check(_ bytes: [UInt8], name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let problem = try disagreement(bytes, name: name)
        #expect(problem == nil, Comment(rawValue: problem ?? ""), sourceLocation: sourceLocation)
    }

    /// Checks one input; returns what differs, or nil.
    static func disagreement(_ bytes: [UInt8], name: String) throws -> String? {
        let go = try GoToolchain.editJSON(bytes)
        let file = GoModFile(parsing: bytes, fileName: name)
        if go.status == 0 {
            if file.hasErrors { return "\(name): go accepts it, the parser reports \(file.diagnostics)" }
            if Array(file.goModEditJSON().utf8) != go.stdout {
                return "\(name): JSON differs:\n\(String(decoding: go.stdout, as: UTF8.self))\n---\n\(file.goModEditJSON())"
            }
            return nil
        }
        guard file.hasErrors else { return "\(name): go rejects it (\(go.stderr)), the parser reports no error" }
        let ours = Set(file.diagnostics.filter { $0.severity == .error }.map(\.location.line))
        let theirs = GoToolchain.errorLines(go.stderr)
        if !theirs.isSubset(of: ours) { return "\(name): go reports errors on lines \(theirs.sorted()), the parser on \(ours.sorted()): \(go.stderr)" }
        return nil
    }

    @Test func goSourceTreeGoModsAreAllFound() {
        #expect(GoToolchain.sourceTreeGoMods.count == 7, "apt-get install golang-1.19-src")
    }

    @Test(arguments: GoToolchain.sourceTreeGoMods.map(\.path))
    func goSourceTree(_ path: String) throws {
        try Self.check(Array(try Data(contentsOf: URL(fileURLWithPath: path))), name: path)
    }

    @Test(arguments: SharedData.goldenGoMods.map(\.path))
    func sharedGoldens(_ path: String) throws {
        try Self.check(Array(try Data(contentsOf: URL(fileURLWithPath: path))), name: path)
    }

    @Test(arguments: Fixtures.modNames(in: "gomod"))
    func handWrittenFixtures(_ name: String) throws {
        try Self.check(try Fixtures.bytes("gomod/\(name).mod"), name: name)
    }

    /// Go 1.19 predates these directives and rejects the files, which is why their expected JSON
    /// is written from the current reference instead.
    @Test(arguments: Fixtures.modNames(in: "gomod-current"))
    func go119RejectsTheNewerDirectives(_ name: String) throws {
        #expect(try GoToolchain.editJSON(try Fixtures.bytes("gomod-current/\(name).mod")).status != 0)
    }

    static let acceptedEdgeCases: [String] = [
        "module x\n", "module x", "\n\n\nmodule x\n\n\n", "module \"x\"\n", "require a v1.0.0\nmodule x\n",
        "module x\nrequire [ v1.0.0\n",
        "module x\nretract [v1, v2]\nretract [ \"v1\" , v3 ]\nretract ( )\n",
        "module x\nrequire a v1.0.0 // indirect // two comments\nrequire b v1.0.0 //\n",
        "module x\n\trequire\ta\tv1.0.0\t//\tindirect\n",
        "module é/ü\nrequire 例子.com/x v1.0.0 // indirect\u{A0}\n",
        "// Deprecated: x\n// Deprecated: y\nmodule m\n",
        "module m // a\n// b\n",
        "module m\r\n\r\nrequire (\r\n\ta v1.0.0\r\n\r\n)\r\n",
        "module m\nreplace a v1.0.0 => b v1.2\nreplace a/v2 v2.1.0 => a/v3 v3.0.0\nreplace \"q r\" => ./s\n",
        "module m\nrequire (\n\t\"a\" \"v1.0.0\" // indirect\n)\n",
        "module m\nexclude a v1.0.0\nexclude (\n\ta v1.0.0\n)\n",
        "module m\n// Deprecated: \u{1F600} emoji\nretract v1.0.0\n",
        "module m\ngo 1.9999\n",
    ]

    @Test(arguments: acceptedEdgeCases.indices)
    func acceptedEdgeCase(_ k: Int) throws {
        let input = Self.acceptedEdgeCases[k]
        try Self.check(Array(input.utf8), name: "edge-\(k).mod")
    }

    static let rejectedEdgeCases: [[UInt8]] = [
        Array("\u{FEFF}module x\nrequire a v1.0.0\n".utf8),
        Array("module x\nrequire (\n\ta v1.0.0\n".utf8),
        Array("module x\nrequire \"a v1.0.0\nrequire b v1.0.0\n".utf8),
        Array("module x\nfoo bar\nrequire a v1.0.0\nbar (\n\tx\n)\n".utf8),
        Array("module x\n/* c */\nrequire a v1.0.0\n".utf8),
        Array("module x\nrequire (\n\ta v1.0.0\n) x\n".utf8),
        Array("module x\ngo 1.19\ngo 1.20\nmodule y\n".utf8),
        Array("module x\nrequire a bad\nrequire b/v2 v1.0.0\nrequire c/v1 v1.0.0\nrequire d v2.0.0\nexclude e\n".utf8),
        Array("module x\nretract\nretract (\n\t( v1\n)\nretract [v1, v2\nretract v1 v2\nretract [v1 v2]\nretract [v1,\n".utf8),
        Array("module x\nrequire a v1.0.0\n".utf8) + [0, 1, 2, 0xFF, 0xFE, 0x0A] + Array("require b v1.0.0\n".utf8),
        Array("module x\nrequire \"a\\q\" v1.0.0\nrequire a'b v1.0.0\nrequire `c` v1.0.0\n".utf8),
        Array("module x\ngo (\n\t1.19\n)\n".utf8),
        Array("module x\nreplace a => b\nreplace c => ./d v1.0.0\nreplace e v1 =>\nreplace f => g@v1.0.0\nreplace h => C:\\x\n".utf8),
        Array("module x\n\u{7F}\nrequire a\u{A0}v1.0.0\n".utf8),
        Array("module x\nrequire a v1.0.0 ( b )\n".utf8),
        Array("module".utf8), Array("module x\nrequire a".utf8), Array("module x y\nmodule\n".utf8),
        Array("module x\nrequire (\n\ta v1.0.0\n\t\"b".utf8),
        Array("module x\n)\n(\n".utf8),
    ]

    @Test(arguments: rejectedEdgeCases.indices)
    func rejectedEdgeCase(_ k: Int) throws {
        try Self.check(Self.rejectedEdgeCases[k], name: "bad-\(k).mod")
    }

    /// Prefixes of a full go.mod cut at every 29th byte: some are valid, some end inside a block,
    /// a string or a version.
    @Test func truncatedFiles() throws {
        let whole = try Fixtures.bytes("gomod/all-directives.mod")
        for cut in stride(from: 0, to: whole.count, by: 29) {
            try Self.check(Array(whole[..<cut]), name: "truncated-\(cut).mod")
        }
    }

    /// One megabyte of require lines: the same JSON as go's.
    @Test func aMegabyteOfRequirements() throws {
        var text = "module example.com/big\n\nrequire (\n"
        var n = 0
        while text.utf8.count < 1 << 20 {
            text += "\texample.com/owner\(n % 97)/repository\(n) v1.\(n % 50).\(n % 7)\(n % 3 == 0 ? " // indirect" : "")\n"
            n += 1
        }
        text += ")\n"
        try Self.check(Array(text.utf8), name: "big.mod")
    }
}
