import CensusCounting
import CensusLanguages
import Foundation
import Testing

/// GNU as sources that Linguist 9.6's `.s` heuristics give to Assembly (`mov x, y,` operands) or
/// to Motorola 68K Assembly (its m68k pattern), counted with those languages' rules, as a scan of
/// the kernel does (`census explain` names the language). The expected counts are each fixture's
/// hand-worked header; the file-name detector of FixtureTests falls back to Unix Assembly for `.s`,
/// so these name the language themselves.
@Suite("Assembly dialects")
struct AssemblyDialectsTests {
    static func counts(_ text: String, as language: String) throws -> LineCounts {
        let id = try #require(LanguageTable.named(language)?.id)
        return LineCounter().count(Array(text.utf8), program: CountingProgram.forLanguage(id))
    }

    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: FixtureTests.directory.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func armGNUAsAssembly() throws {
        // Header: code=5 comments=3 blanks=1 (`@`, line-start `#` comments; #include is code).
        #expect(try Self.counts(Self.fixture("arm-gnu.s"), as: "Assembly") == LineCounts(code: 5, comments: 3, blanks: 1))
    }

    @Test func m68kGNUAsMotorola68K() throws {
        // Header: code=6 comments=4 blanks=1 (`|`, line-start `#` comments; #include, #define code).
        #expect(try Self.counts(Self.fixture("m68k-gnu.S"), as: "Motorola 68K Assembly") == LineCounts(code: 6, comments: 4, blanks: 1))
    }

    @Test func masmAndMotorolaSyntaxStillCount() throws {
        // MASM: "@@:" is an anonymous label (code); "; c" a comment; "mov eax, 1" code.
        #expect(try Self.counts("@@:\n; c\nmov eax, 1\n", as: "Assembly") == LineCounts(code: 2, comments: 1, blanks: 0))
        // Motorola syntax: "* c" in column 1 and "; c" are comments; "move.l d0,d1" code.
        #expect(try Self.counts("* c\n\tmove.l d0,d1 ; c\n; c\n", as: "Motorola 68K Assembly") == LineCounts(code: 1, comments: 2, blanks: 0))
    }
}
