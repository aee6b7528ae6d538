import CensusCounting
import CensusLanguages
import Testing

/// Inputs the fuzz targets (Fuzz/, docs/reliability.md) found counted wrongly, kept so they stay
/// fixed. Each expected count is worked out by hand from the documented rules (docs/counting.md).
@Suite("fuzzing findings in the line counter")
struct FuzzFindingsTests {
    /// FuzzLineCounter, Haskell: `'`, 0xEC, `'`, CR, `'`. A lead byte of a 3-byte UTF-8 sequence
    /// made the character-literal check take `'\xEC'\r'` as one literal, swallowing the CR that ends
    /// line 1. Two lines, both code (a quote is code in any language with character literals).
    @Test func charLiteralNeverSwallowsALineEnd() {
        for text: [UInt8] in [[0x27, 0xEC, 0x27, 0x0D, 0x27], [0x27, 0xEC, 0x27, 0x0A, 0x27], [0x27, 0xC3, 0x0A, 0x27]] {
            #expect(count(bytes: text, Syntax.rust) == LineCounts(code: 2, comments: 0, blanks: 0), "\(text)")
        }
        // A real multi-byte character literal is still one token: `'é'` then `// c` is code, comment.
        #expect(count("let c = 'é';\n// c\n", Syntax.rust) == LineCounts(code: 1, comments: 1, blanks: 0))
        let haskell = CountingProgram.forLanguage(LanguageTable.named("Haskell")!.id)
        #expect(LineCounter().count([0x27, 0xEC, 0x27, 0x0D, 0x27], program: haskell).lines == 2)
    }
}
