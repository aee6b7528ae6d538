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

    /// FuzzLineCounter, Haskell (second campaign): `'`, `\`, CR, `hti'`. The escape-sequence branch
    /// of the character-literal check looked for the closing quote from the byte after the escaped
    /// one, so a line end right after the backslash was swallowed. Two lines, both code: `'\` and
    /// `hti'` (and the same with LF, CRLF and in Rust).
    @Test func escapedLineEndIsNotACharLiteral() {
        let haskell = CountingProgram.forLanguage(LanguageTable.named("Haskell")!.id)
        for text: [UInt8] in [[0x27, 0x5C, 0x0D, 0x68, 0x74, 0x69, 0x27], [0x27, 0x5C, 0x0A, 0x78, 0x27], [0x27, 0x5C, 0x0D, 0x0A, 0x78, 0x27]] {
            #expect(count(bytes: text, Syntax.rust) == LineCounts(code: 2, comments: 0, blanks: 0), "\(text)")
            let counts = LineCounter().count(text, program: haskell)
            #expect(counts.lines == 2 && counts.code == 2, "\(text)")
        }
        // Escapes that are real stay one token: `'\n'` then `// c` is code, comment.
        #expect(count("let c = '\\n';\n// c\n", Syntax.rust) == LineCounts(code: 1, comments: 1, blanks: 0))
    }

    /// FuzzLineCounter, Ruby (CI's 10-second run): `)//\`, LF, `/`. The first `/` divides (after
    /// `)`), the second opens a regular-expression literal whose escape `\` took the line feed as
    /// the escaped byte and closed at the `/` of line 2, so two lines counted as one. A literal never
    /// continues past a line end: two lines, both code (also with CR and CRLF).
    @Test func escapedLineEndEndsARegexLiteral() {
        let ruby = CountingProgram.forLanguage(LanguageTable.named("Ruby")!.id)
        for text: [UInt8] in [Array(")//\\\n/".utf8), Array(")//\\\r/".utf8), Array(")//\\\r\n/".utf8), Array("x = /a\\\nb/".utf8)] {
            let counts = LineCounter().count(text, program: ruby)
            #expect(counts.lines == 2 && counts.code == 2 && counts.comments == 0 && counts.blanks == 0, "\(text): \(counts)")
        }
        // An escaped slash inside a literal is still part of it: `/a\/b/` then `# c` on the same
        // line is one code line; `# d` is a comment line.
        let literal = LineCounter().count(Array("x = /a\\/b/ # c\n# d\n".utf8), program: ruby)
        #expect(literal.lines == 2 && literal.code == 1 && literal.comments == 1 && literal.blanks == 0, "\(literal)")
    }

    /// FuzzLineCounter, Python (CI's 30-second run after the counting loop's rewrite; the fault was
    /// older): a triple-quoted string closed by a long run of quotes. The string closes on the last
    /// three of the run (docs/counting.md, rule 5), but a streamed count looked for the run's end
    /// only within the bytes read so far, closed early when the run crossed the buffer's end, and
    /// took the rest of the run for new strings. Counted whole and streamed (the smallest buffer,
    /// reads of 1 to 64 bytes), alike, for runs of 130 to 260 quotes:
    /// - `"""doc` + the run + `# c""""""e`: a module docstring, then a comment: 1 comment line;
    /// - `x = """a` + the run, then `print(1)`: an assigned string is code: 2 code lines.
    @Test func aLongRunOfClosingQuotesAcrossBuffers() {
        let python = CountingProgram.forLanguage(LanguageTable.named("Python")!.id)
        var failures = 0
        for length in 130 ... 260 {
            let run = String(repeating: "\"", count: length)
            let cases: [(String, LineCounts)] = [
                ("\"\"\"doc" + run + "# c\"\"\"\"\"\"e\n", LineCounts(code: 0, comments: 1, blanks: 0)),
                ("x = \"\"\"a" + run + "\nprint(1)\n", LineCounts(code: 2, comments: 0, blanks: 0)),
            ]
            for (text, expected) in cases {
                let bytes = Array(text.utf8)
                if LineCounter().count(bytes, program: python) != expected { failures += 1 }
                for chunk in [1, 2, 3, 7, 16, 64] where streamedInTheSmallestBuffer(bytes, python, reads: chunk) != expected {
                    failures += 1
                }
            }
        }
        #expect(failures == 0)
    }
    /// FuzzLineCounter, Clojure (CI's 30-second run, fixed seed): a documentation string first on
    /// its line after `(defn name`, with only blanks before the `(defn` as far back as the counter
    /// looks (``CountingProgram/lookbehind`` bytes). Whole, that window starts inside the file, so
    /// nothing says the `(defn` starts a line: the string is code. Streamed, once the counter had
    /// dropped history the window could start at the buffer's first byte, which the check took for
    /// the file's start: the string became a comment. Only the file's real start counts now.
    /// 150 lines `(x)` (so that the stream drops history), `a` LF, then 100 to 300 spaces, `(defn f`
    /// LF, `"doc"` LF, `  [x])` LF, 50 lines `(x)` (so that the string is read before the end): with
    /// up to 119 spaces the LF before them is in sight, the `(defn` starts its line and the string
    /// is documentation (203 code lines, one comment line); with more, 204 code lines; whole and
    /// streamed (the smallest buffer, reads of 1 to 64 bytes). With the definer at the file's start (no `a` line,
    /// no spaces) the string is documentation: two code lines, one comment line.
    @Test func aClojureDefinerOutOfSightIsNotAtTheFileStart() {
        let clojure = CountingProgram.forLanguage(LanguageTable.named("Clojure")!.id)
        var failures: [String] = []
        var cases: [(String, LineCounts)] = [("(defn f\n\"doc\"\n  [x])\n", LineCounts(code: 2, comments: 1, blanks: 0))]
        for spaces in 100 ... 300 {
            // The string opens `spaces` + 10 bytes after the 150 lines; the LF of `a` (the byte
            // after them plus one) is in sight while spaces + 10 - 128 <= 1.
            let inSight = spaces <= 119
            cases.append((
                String(repeating: "(x)\n", count: 150) + "a\n" + String(repeating: " ", count: spaces) + "(defn f\n\"doc\"\n  [x])\n"
                    + String(repeating: "(x)\n", count: 50),
                inSight ? LineCounts(code: 203, comments: 1, blanks: 0) : LineCounts(code: 204, comments: 0, blanks: 0)))
        }
        for (text, expected) in cases {
            let bytes = Array(text.utf8)
            let whole = LineCounter().count(bytes, program: clojure)
            if whole != expected { failures.append("whole \(bytes.count) bytes: \(whole)") }
            for chunk in [1, 2, 3, 7, 16, 64] {
                let streamed = streamedInTheSmallestBuffer(bytes, clojure, reads: chunk)
                if streamed != expected { failures.append("streamed \(bytes.count) bytes, reads of \(chunk): \(streamed)") }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(3))")
    }
}

/// `bytes` counted through `countStream` with the smallest buffer it accepts, in reads of at most
/// `reads` bytes.
func streamedInTheSmallestBuffer(_ bytes: [UInt8], _ program: CountingProgram, reads: Int) -> LineCounts {
    let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: CountingProgram.lookahead + CountingProgram.lookbehind + 1)
    defer { buffer.deallocate() }
    var offset = 0
    return LineCounter().countStream(program: program, buffer: buffer, filled: 0, atEnd: false) { p, room in
        let n = min(room, reads, bytes.count - offset)
        for k in 0 ..< n { p[k] = bytes[offset + k] }
        offset += n
        return n
    }.counts
}
