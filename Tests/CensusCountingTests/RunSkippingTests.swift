import CensusCounting
import CensusLanguages
import Testing

/// The counter skips runs of plain and blank bytes eight at a time and then finds the byte that
/// ended the run (LineCounter.skipRun). These inputs put that byte at every offset from 0 to 40 of
/// a run, so every position inside a block of eight and the bytes-at-a-time tail are covered, in
/// code, block comments, strings and line comments, with LF and CRLF line ends. Each expected
/// count follows from the rules in docs/counting.md, worked out per input below.
@Suite("skipping runs of plain bytes")
struct RunSkippingTests {
    static let lengths = Array(0 ... 40)

    static func run(_ n: Int, _ byte: Character = "a") -> String { String(repeating: byte, count: n) }

    @Test(arguments: lengths)
    func codeRunEndsAtComment(_ n: Int) {
        for eol in ["\n", "\r\n"] {
            // "x a…a" then `//` on the same line: code. Then a comment line, then a blank line of n spaces.
            let text = "x" + Self.run(n) + "// c" + eol + "// " + Self.run(n) + eol + Self.run(n, " ") + eol
            #expect(count(text, Syntax.c) == LineCounts(code: 1, comments: 1, blanks: 1), "n \(n) \(eol.utf8.count)")
            // A block comment opened after n code bytes and closed on the next line: code, comment.
            let block = "x" + Self.run(n) + "/* c" + eol + Self.run(n, "d") + " */" + eol
            #expect(count(block, Syntax.c) == LineCounts(code: 1, comments: 1, blanks: 0), "n \(n) \(eol.utf8.count)")
        }
    }

    @Test(arguments: lengths)
    func blockCommentRunEndsAtClose(_ n: Int) {
        for eol in ["\n", "\r\n"] {
            // The close after n comment bytes, then code on the same line: code. The next line
            // is a comment again only if the close was found (else ` x` would be inside it).
            let text = "/* c" + Self.run(n) + " */ x" + eol + "// d" + Self.run(n) + eol + "y" + eol
            #expect(count(text, Syntax.c) == LineCounts(code: 2, comments: 1, blanks: 0), "n \(n) \(eol.utf8.count)")
            // A comment of n + 2 lines: the line ends inside it are all found.
            let lines = "/* " + Self.run(n) + eol + "b" + Self.run(n, "b") + eol + Self.run(n) + " */" + eol
            #expect(count(lines, Syntax.c) == LineCounts(code: 0, comments: 3, blanks: 0), "n \(n) \(eol.utf8.count)")
        }
    }

    @Test(arguments: lengths)
    func stringRunEndsAtQuote(_ n: Int) {
        for eol in ["\n", "\r\n"] {
            // `"a…a"` then `/*`: the quote closes the string, so `/*` opens a comment and the
            // next line ` */` is comment. Had the quote been missed, it would be code.
            let text = "\"" + Self.run(n) + "\" /* c" + eol + " */" + eol
            #expect(count(text, Syntax.c) == LineCounts(code: 1, comments: 1, blanks: 0), "n \(n) \(eol.utf8.count)")
            // An escaped quote after n bytes does not close: `"a…a\" /* "` is one string, code.
            let escaped = "\"" + Self.run(n) + "\\\" /* \"" + eol + "// c" + eol
            #expect(count(escaped, Syntax.c) == LineCounts(code: 1, comments: 1, blanks: 0), "n \(n) \(eol.utf8.count)")
        }
    }

    @Test(arguments: lengths)
    func lineCommentRunEndsAtLineEnd(_ n: Int) {
        for eol in ["\n", "\r\n", "\r"] {
            // A comment of n bytes, then a code line, then a blank line.
            let text = "// " + Self.run(n) + eol + "x" + eol + eol
            #expect(count(text, Syntax.c) == LineCounts(code: 1, comments: 1, blanks: 1), "n \(n) \(eol.utf8.count)")
        }
    }

    /// The same inputs through a small streaming buffer, so runs also stop at the buffer's limit.
    @Test(arguments: [257, 300, 333])
    func streamingAgreesWithWholeBuffer(_ capacity: Int) {
        var text: [UInt8] = []
        for n in Self.lengths {
            text += Array(("x" + Self.run(n) + "/* c\n" + Self.run(n, "d") + " */\n\"" + Self.run(n) + "\" // e\n").utf8)
        }
        let whole = count(bytes: text, Syntax.c)
        #expect(whole == LineCounts(code: 2 * Self.lengths.count, comments: Self.lengths.count, blanks: 0))
        for chunk in [1, 7, 64] {
            #expect(countStreaming(text, Syntax.c, capacity: capacity, chunk: chunk).counts == whole, "chunk \(chunk)")
        }
    }
}
