import CensusPatterns
@testable import CensusLanguages
import Testing

@Suite("Man-page names")
struct ManpageNameTests {
    /// Linguist's man-page file-name pattern (as LinguistEngine holds it).
    static let pattern = #"(?i)\.(?:[1-9](?![0-9])[a-z_0-9]*|0p|n|man|mdoc)(?:\.in)?$"#

    func check(_ name: String) -> Bool {
        Array(name.utf8).withUnsafeBufferPointer { LinguistEngine.mayBeManpageName($0) }
    }

    @Test func examples() throws {
        let regex = try ByteRegex(Self.pattern)
        for (name, matches) in [
            ("ls.1", true), ("git.1.in", true), ("x.3pm", true), ("a.0p", true), ("a.N", true), ("a.MAN", true),
            ("a.mdoc", true), ("LICENSE", false), ("VERSION", false), (".gitignore", false), ("go.sum", false),
            ("a.10", false), ("go.mod", false),
        ] {
            #expect(Array(name.utf8).withUnsafeBytes { regex.matches($0) } == matches, "\(name)")
            // The pre-check never rules out a name the pattern matches.
            if matches { #expect(check(name), "\(name)") }
        }
        #expect(!check("LICENSE") && !check("VERSION") && !check(".gitignore") && !check("go.sum") && !check(""))
    }

    /// On random names: whenever the pattern matches, the pre-check lets the name through.
    @Test func neverRulesOutAMatch() throws {
        let regex = try ByteRegex(Self.pattern)
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("..01239nNmMpdoinacx_".utf8)
        var matched = 0
        for _ in 0..<20_000 {
            let name = (0..<Int.random(in: 0...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            if name.withUnsafeBytes({ regex.matches($0) }) {
                matched += 1
                #expect(name.withUnsafeBufferPointer { LinguistEngine.mayBeManpageName($0) }, "\(name)")
            }
        }
        #expect(matched > 100)
    }
}
