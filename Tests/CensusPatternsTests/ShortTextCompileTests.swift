import CensusPatterns
import Testing

/// `ByteRegex(_:options:forShortTexts:)` builds no candidate finders; it must find the same
/// matches as the full compile.
@Suite("Patterns compiled for short texts")
struct ShortTextCompileTests {
    @Test func randomPatternsFindTheSameMatches() throws {
        var generator = RandomPatternGenerator(seed: 77)
        var compared = 0
        for index in 0..<3000 {
            let pattern = generator.pattern()
            let options: ByteRegex.Options = index % 7 == 0 ? [.caseInsensitive] : index % 11 == 0 ? [.multiline] : []
            guard let full = try? ByteRegex(pattern, options: options) else { continue }
            let short = try ByteRegex(pattern, options: options, forShortTexts: true)
            for _ in 0..<6 {
                let input = generator.input()
                let a = input.withUnsafeBytes { full.search($0) }
                let b = input.withUnsafeBytes { short.search($0) }
                // The step budget is spent differently (every position is tried), so a search
                // either gives up on is left out.
                guard a != .abandoned, b != .abandoned else { continue }
                #expect(a == b, "\(pattern) on \(input)")
                compared += 1
            }
        }
        #expect(compared > 10_000)
    }

    /// Linguist's path patterns on paths, both ways.
    @Test func pathPatterns() throws {
        let paths = [
            "docs/index.md", "Docs/a", "cmd/prometheus/doc.go", "a/docs/_build/x.html", "vendor/x/y.go",
            "node_modules/a/b.js", "x/esy.lock", "a/b.esy.lock", "testdata/x", "a/cache/b", "man/ls.1",
        ]
        for pattern in [
            "^[Dd]ocs?/", "(^|/)docs?/_?(build|themes?|templates?|static)/", #"(^|/)(\w+\.)?esy.lock$"#,
            "(^|/)[Dd]ocumentation/", #"(?i)\.(?:[1-9](?![0-9])[a-z_0-9]*|0p|n|man|mdoc)(?:\.in)?$"#,
        ] {
            let full = try ByteRegex(pattern)
            let short = try ByteRegex(pattern, forShortTexts: true)
            for path in paths {
                let bytes = Array(path.utf8)
                #expect(bytes.withUnsafeBytes { full.search($0) } == bytes.withUnsafeBytes { short.search($0) }, "\(pattern) on \(path)")
            }
        }
    }
}
