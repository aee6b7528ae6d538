import CensusCounting
import CensusLanguages
import Testing

/// Syntaxes written out here, so these tests pin the counter's rules independently of the data file.
enum Syntax {
    static func quoted(_ q: String, multiline: Bool = false, escape: UInt8? = 0x5C, doc: Bool = false) -> StringSyntax {
        StringSyntax(open: q, close: q, escape: escape, multiline: multiline, isDocString: doc)
    }
    static let cBlock = BlockCommentSyntax(open: "/*", close: "*/", nested: false, anchored: false)
    static let c = LanguageSyntax(lineComments: ["//"], blockComments: [cBlock], strings: [quoted("\""), quoted("'")])
    static let cpp = LanguageSyntax(
        lineComments: ["//"], blockComments: [cBlock], strings: [quoted("\""), quoted("'")], rawStrings: [.cpp])
    static let go = LanguageSyntax(
        lineComments: ["//"], blockComments: [cBlock],
        strings: [quoted("\""), quoted("'"), quoted("`", multiline: true, escape: nil)])
    static let rust = LanguageSyntax(
        lineComments: ["//"], blockComments: [BlockCommentSyntax(open: "/*", close: "*/", nested: true, anchored: false)],
        strings: [quoted("\"", multiline: true)], rawStrings: [.rust], charLiterals: true)
    static let swift = LanguageSyntax(
        lineComments: ["//"], blockComments: [BlockCommentSyntax(open: "/*", close: "*/", nested: true, anchored: false)],
        strings: [quoted("\"\"\"", multiline: true), quoted("\"")], rawStrings: [.swift])
    static let python = LanguageSyntax(
        lineComments: ["#"],
        strings: [
            quoted("\"\"\"", multiline: true, doc: true), quoted("'''", multiline: true, doc: true), quoted("\""),
            quoted("'"),
        ])
    static let csharp = LanguageSyntax(
        lineComments: ["//"], blockComments: [cBlock],
        strings: [
            StringSyntax(open: "@\"", close: "\"", escape: nil, multiline: true, isDocString: false), quoted("\""),
            quoted("'"),
        ])
    static let d = LanguageSyntax(
        lineComments: ["//"],
        blockComments: [cBlock, BlockCommentSyntax(open: "/+", close: "+/", nested: true, anchored: false)],
        strings: [quoted("\"")])
    static let haskell = LanguageSyntax(
        lineComments: ["--"], blockComments: [BlockCommentSyntax(open: "{-", close: "-}", nested: true, anchored: false)],
        strings: [quoted("\"")], charLiterals: true)
    static let shell = LanguageSyntax(
        lineComments: ["#"], strings: [quoted("\"", multiline: true), quoted("'", multiline: true, escape: nil)],
        heredoc: "<<", heredocAllowsSpace: true, lineCommentNeedsBoundary: true, codeEscape: 0x5C)
    static let perl = LanguageSyntax(
        lineComments: ["#"],
        blockComments: [
            BlockCommentSyntax(open: "=pod", close: "=cut", nested: false, anchored: true),
            BlockCommentSyntax(open: "=head1", close: "=cut", nested: false, anchored: true),
            BlockCommentSyntax(open: "__END__", close: "", nested: false, anchored: true),
        ],
        strings: [quoted("\""), quoted("'")], heredoc: "<<", lineCommentNeedsBoundary: true)
    static let ruby = LanguageSyntax(
        lineComments: ["#"], blockComments: [BlockCommentSyntax(open: "=begin", close: "=end", nested: false, anchored: true)],
        strings: [quoted("\""), quoted("'")], heredoc: "<<")
    static let php = LanguageSyntax(
        lineComments: ["//", "#"], blockComments: [cBlock], strings: [quoted("\"", multiline: true), quoted("'", multiline: true)],
        heredoc: "<<<")
    static let lua = LanguageSyntax(
        lineComments: ["--"], blockComments: [BlockCommentSyntax(open: "--[[", close: "]]", nested: false, anchored: false)],
        strings: [quoted("\""), quoted("'")])
    static let asm = LanguageSyntax(
        lineComments: [
            "//", LineCommentSyntax("|", atLineStart: true),
            LineCommentSyntax("#", atLineStart: true, notBefore: ["include", "define", "if"]),
        ],
        blockComments: [cBlock])
    static let php8 = LanguageSyntax(lineComments: ["//", LineCommentSyntax("#", notBefore: ["["])], blockComments: [cBlock])
    static let none = LanguageSyntax()
}

struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    var syntax: LanguageSyntax
    var text: String
    var code: Int
    var comments: Int
    var blanks: Int
    var testDescription: String { name }
}

func count(_ text: String, _ syntax: LanguageSyntax) -> LineCounts {
    LineCounter().count(Array(text.utf8), program: CountingProgram(syntax: syntax))
}

func count(bytes: [UInt8], _ syntax: LanguageSyntax) -> LineCounts {
    LineCounter().count(bytes, program: CountingProgram(syntax: syntax))
}

/// Counts through ``LineCounter/countStream`` with a small buffer, feeding `chunk` bytes per read.
func countStreaming(_ bytes: [UInt8], _ syntax: LanguageSyntax, capacity: Int, chunk: Int) -> StreamCount {
    let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
    defer { buffer.deallocate() }
    var offset = 0
    return LineCounter().countStream(
        program: CountingProgram(syntax: syntax), buffer: buffer, filled: 0, atEnd: false
    ) { pointer, room in
        let n = min(room, chunk, bytes.count - offset)
        for k in 0 ..< n { pointer[k] = bytes[offset + k] }
        offset += n
        return n
    }
}

@Suite("Line classification rules")
struct CountingRulesTests {
    static let cases: [Case] = [
        // Line endings and the last line.
        Case(name: "empty file", syntax: Syntax.c, text: "", code: 0, comments: 0, blanks: 0),
        Case(name: "one line, no newline", syntax: Syntax.c, text: "x", code: 1, comments: 0, blanks: 0),
        Case(name: "one line, newline", syntax: Syntax.c, text: "x\n", code: 1, comments: 0, blanks: 0),
        // "x" / "" → code, blank
        Case(name: "blank after code", syntax: Syntax.c, text: "x\n\n", code: 1, comments: 0, blanks: 1),
        // A lone newline is one blank line.
        Case(name: "lone newline", syntax: Syntax.c, text: "\n", code: 0, comments: 0, blanks: 1),
        // Whitespace only (space, tab, form feed, vertical tab) is blank; trailing spaces without newline count.
        Case(name: "whitespace only", syntax: Syntax.c, text: "  \t\n\u{0C}\u{0B}\n   ", code: 0, comments: 0, blanks: 3),
        // "a" ends with CRLF, "b" with a lone CR, "c" with LF: three code lines.
        Case(name: "CRLF, CR and LF", syntax: Syntax.c, text: "a\r\nb\rc\n", code: 3, comments: 0, blanks: 0),
        // CR CR LF: "x" ends at CR, then an empty line ends at CRLF.
        Case(name: "CR then CRLF", syntax: Syntax.c, text: "x\r\r\n", code: 1, comments: 0, blanks: 1),
        Case(name: "BOM skipped", syntax: Syntax.c, text: "\u{FEFF}// c\n", code: 0, comments: 1, blanks: 0),
        Case(name: "BOM only", syntax: Syntax.c, text: "\u{FEFF}", code: 0, comments: 0, blanks: 0),
        // No comment syntax: every non-blank line is code.
        Case(name: "no syntax", syntax: Syntax.none, text: "# a\n\n// b\n", code: 2, comments: 0, blanks: 1),

        // Code, comments, both.
        // "int x; // c" code; "// c" comment; "   // indented" comment.
        Case(name: "line comments", syntax: Syntax.c, text: "int x; // c\n// c\n   // indented\n", code: 1, comments: 2, blanks: 0),
        // "/* a" comment; "" blank inside the block; " b */" comment.
        Case(name: "blank inside block comment", syntax: Syntax.c, text: "/* a\n\n b */\n", code: 0, comments: 2, blanks: 1),
        // "x = 1; /* a" code; "b */ y = 2;" code (code after the close); "/* c */" comment.
        Case(name: "code around block comments", syntax: Syntax.c, text: "x = 1; /* a\nb */ y = 2;\n/* c */\n", code: 2, comments: 1, blanks: 0),
        // "/**/" alone is a comment line (markers are comment text).
        Case(name: "empty block comment", syntax: Syntax.c, text: "/**/\n", code: 0, comments: 1, blanks: 0),
        // Comment markers inside strings are not comments: line 1 code; line 2 a real comment.
        Case(name: "markers in strings", syntax: Syntax.c, text: "s = \"/* not\";\n// real\n", code: 1, comments: 1, blanks: 0),
        // A quote inside a comment does not open a string: "/* \" */" comment; "// \"" comment; "x" code.
        Case(name: "quotes in comments", syntax: Syntax.c, text: "/* \" */\n// \"\nx\n", code: 1, comments: 2, blanks: 0),
        // Escaped quote keeps the string open: line 1 code; line 2 a comment.
        Case(name: "escaped quote", syntax: Syntax.c, text: "s = \"a\\\" /* b\";\n// c\n", code: 1, comments: 1, blanks: 0),
        // '"' is a char literal, not an open string: line 1 code; line 2 a comment.
        Case(name: "char literal quote", syntax: Syntax.c, text: "c = '\"';\n// c\n", code: 1, comments: 1, blanks: 0),
        // An unterminated single-line string ends at the newline: code; comment.
        Case(name: "unterminated string", syntax: Syntax.c, text: "s = \"abc\n// c\n", code: 1, comments: 1, blanks: 0),
        // A backslash-newline continues the string: both lines are code.
        Case(name: "string continued", syntax: Syntax.c, text: "s = \"abc\\\n// still string\";\n", code: 2, comments: 0, blanks: 0),
        // C comments do not nest: "/* a /* b */" closes at the first */, so " c */" is code.
        Case(name: "C does not nest", syntax: Syntax.c, text: "/* a /* b */ c */\n", code: 1, comments: 0, blanks: 0),
        // Block comment lines ending with lone CRs: 3 comment lines.
        Case(name: "block comment with CR endings", syntax: Syntax.c, text: "/* a\rb\rc */\r", code: 0, comments: 3, blanks: 0),

        // Nesting.
        // Rust: "/* a /* b */ c */" is one comment; "x" code.
        Case(name: "Rust nests", syntax: Syntax.rust, text: "/* a /* b */ c */\nx\n", code: 1, comments: 1, blanks: 0),
        // Rust over lines: "/* a", "/* b", "*/ still comment", "*/" → 4 comments; "fn f() {}" code.
        Case(name: "Rust nests over lines", syntax: Syntax.rust, text: "/* a\n/* b\n*/ still comment\n*/\nfn f() {}\n", code: 1, comments: 4, blanks: 0),
        // Haskell {- {- -} -} nests: comment; "main = x" code.
        Case(name: "Haskell nests", syntax: Syntax.haskell, text: "{- a {- b -} c -}\nmain = x\n", code: 1, comments: 1, blanks: 0),
        // D: /+ nests +/; /* does not. Line 1 comment; line 2: "/* /* */ x */" → code after the first */.
        Case(name: "D /+ +/ nests, /* */ does not", syntax: Syntax.d, text: "/+ a /+ b +/ c +/\n/* /* */ x */\n", code: 1, comments: 1, blanks: 0),
        // Lua "--[[" opens a block comment (longest token wins over "--").
        Case(name: "longest token first", syntax: Syntax.lua, text: "--[[ a\nb ]]\nx = 1 -- c\n-- d\n", code: 1, comments: 3, blanks: 0),

        // Raw strings.
        // Go backquotes span lines and have no escapes: "x := `" code, "// not a comment" code,
        // "\`" closes (the backslash is literal) code, "// c" comment.
        Case(name: "Go raw string", syntax: Syntax.go, text: "x := `\n// not a comment\n\\`\n// c\n", code: 3, comments: 1, blanks: 0),
        // Rust r#"…"#: a quote and /* inside do not end it: code; then comment.
        Case(name: "Rust raw string", syntax: Syntax.rust, text: "let s = r#\"a \" /* \"#;\n// c\n", code: 1, comments: 1, blanks: 0),
        // Rust raw string over lines: all three lines code; then a comment.
        Case(name: "Rust raw string over lines", syntax: Syntax.rust, text: "let s = r\"\n// in string\n\";\n// c\n", code: 3, comments: 1, blanks: 0),
        // Rust lifetimes do not open strings: "fn f<'a>(x: &'a str) {}" code; "// c" comment.
        Case(name: "Rust lifetimes", syntax: Syntax.rust, text: "fn f<'a>(x: &'a str) {}\n// c\n", code: 1, comments: 1, blanks: 0),
        // Rust '"' and b'"' are char literals, so no string opens: code, code, comment.
        Case(name: "Rust char literals", syntax: Syntax.rust, text: "let q = '\"';\nlet b = b'\"';\n// c\n", code: 2, comments: 1, blanks: 0),
        // C++ R"x( … )x": ")" alone and "// in raw" do not end it: code ×3, then comment.
        Case(name: "C++ raw string", syntax: Syntax.cpp, text: "auto s = R\"x(a )\"\n// in raw\n)x\";\n// c\n", code: 3, comments: 1, blanks: 0),
        // Swift #"…"#: `"` alone does not close it: code; then comment.
        Case(name: "Swift raw string", syntax: Syntax.swift, text: "let s = #\"a \" // \"#\n// c\n", code: 1, comments: 1, blanks: 0),
        // Swift multi-line string: the "// inside" line is code; closing line code; then comment.
        Case(name: "Swift multi-line string", syntax: Syntax.swift, text: "let s = \"\"\"\n// inside\n\"\"\"\n// c\n", code: 3, comments: 1, blanks: 0),
        // C# @"C:\" — the backslash does not escape: code; then comment.
        Case(name: "C# verbatim string", syntax: Syntax.csharp, text: "var p = @\"C:\\\";\n// c\n", code: 1, comments: 1, blanks: 0),

        // C# @"…" with doubled quotes spanning lines: "var t = @\"a \"\"b\"\"" code, "// still string\";" code.
        Case(name: "C# verbatim doubled quotes", syntax: Syntax.csharp, text: "var t = @\"a \"\"b\"\"\n// still string\";\n// c\n", code: 2, comments: 1, blanks: 0),

        // A line-start token: "| comment" and "  | indented" are comments; in "or d0 | d1 /* start" the
        // "|" is an operator, so the block comment opens and "still comment */" is a comment.
        Case(name: "line-start comment token", syntax: Syntax.asm, text: "| comment\n  | indented\nor d0 | d1 /* start\nstill comment */\n", code: 1, comments: 3, blanks: 0),

        // cpp directives in assembly are code; a bare "#" and "#----" are comments: code 2, comments 2.
        Case(name: "directives are not comments", syntax: Syntax.asm, text: "#include <x.h>\n#\n#----\n  #if X\n#  define Y\n", code: 3, comments: 2, blanks: 0),
        // "not_before": PHP 8 attributes are code; "# comment" is a comment.
        Case(name: "token exceptions", syntax: Syntax.php8, text: "#[Attribute]\n# comment\n", code: 1, comments: 1, blanks: 0),

        // Python docstrings.
        // '"""doc' comment, '' blank, 'more"""' comment, "x = 1" code.
        Case(name: "Python docstring", syntax: Syntax.python, text: "\"\"\"doc\n\nmore\"\"\"\nx = 1\n", code: 1, comments: 2, blanks: 1),
        // An assigned triple-quoted string is code, even its "# not" line: 3 code lines.
        Case(name: "Python assigned triple quote", syntax: Syntax.python, text: "x = \"\"\"a\n# not\n\"\"\"\n", code: 3, comments: 0, blanks: 0),
        // Indented docstring in a function: "def f():" code; docstring line comment; "return 1" code.
        Case(name: "Python indented docstring", syntax: Syntax.python, text: "def f():\n    '''Doc.'''\n    return 1\n", code: 2, comments: 1, blanks: 0),
        // A hash inside a string is not a comment: code; then "# c" comment.
        Case(name: "Python hash in string", syntax: Syntax.python, text: "s = '#'\n# c\n", code: 1, comments: 1, blanks: 0),

        // A shebang first line is code; the same text on a later line is a comment.
        Case(name: "shebang is code", syntax: Syntax.shell, text: "#!/bin/sh\n#!/not/first\n", code: 1, comments: 1, blanks: 0),

        // Shell.
        // "echo $# # count" code (the second # starts a comment after code); "x=${#a}" code; "# c" comment.
        Case(name: "Shell # needs a word boundary", syntax: Syntax.shell, text: "echo $# # count\nx=${#a}\n# c\n", code: 2, comments: 1, blanks: 0),
        // An apostrophe in a comment does not open a string: comment; code.
        Case(name: "Shell apostrophe in comment", syntax: Syntax.shell, text: "# don't\necho hi\n", code: 1, comments: 1, blanks: 0),
        // Escaped quote outside strings: "echo don\'t" code; "# c" comment.
        Case(name: "Shell escaped quote", syntax: Syntax.shell, text: "echo don\\'t\n# c\n", code: 1, comments: 1, blanks: 0),
        // Heredoc: "cat <<EOF" code, "# not a comment" code, "don't" code, "" blank, "EOF" code, "# c" comment.
        Case(name: "Shell heredoc", syntax: Syntax.shell, text: "cat <<EOF\n# not a comment\ndon't\n\nEOF\n# c\n", code: 4, comments: 1, blanks: 1),
        // "<<-'END'" with a tab-indented terminator: code ×3 then comment.
        Case(name: "Shell heredoc, quoted and indented", syntax: Syntax.shell, text: "cat <<-'END'\n\t# text\n\tEND\n# c\n", code: 3, comments: 1, blanks: 0),
        // "cat << EOF" with a space: a heredoc in shells: code ×3, comment.
        Case(name: "Shell heredoc with space", syntax: Syntax.shell, text: "cat << EOF\n# text\nEOF\n# c\n", code: 3, comments: 1, blanks: 0),
        // "<<<" is a here-string, not a heredoc: code; comment.
        Case(name: "Shell here-string", syntax: Syntax.shell, text: "cat <<< EOF\n# c\n", code: 1, comments: 1, blanks: 0),
        // Arithmetic shift with a lower-case or numeric operand is not a heredoc: code ×2; comment.
        Case(name: "Shell shift is not a heredoc", syntax: Syntax.shell, text: "x=$((1 << 2))\ny=$((a << b))\n# c\n", code: 2, comments: 1, blanks: 0),

        // Anchored block comments.
        // Perl POD: "=pod" comment, "" blank, "text" comment, "=cut" comment, "print 1;" code.
        Case(name: "Perl POD", syntax: Syntax.perl, text: "=pod\n\ntext\n=cut\nprint 1;\n", code: 1, comments: 3, blanks: 1),
        // "=pod" not at column 0 is code; "$#a" is not a comment.
        Case(name: "Perl POD only at column 0", syntax: Syntax.perl, text: " =pod\nmy $n = $#a;\n", code: 2, comments: 0, blanks: 0),
        // __END__ to the end of the file: code, then "__END__", "data", "" (blank), "more" → 3 comments, 1 blank.
        Case(name: "Perl __END__", syntax: Syntax.perl, text: "print 1;\n__END__\ndata\n\nmore\n", code: 1, comments: 3, blanks: 1),
        // Perl heredoc: code ×3 ("print <<EOT;", "# text", "EOT"), comment.
        Case(name: "Perl heredoc", syntax: Syntax.perl, text: "print <<EOT;\n# text\nEOT\n# c\n", code: 3, comments: 1, blanks: 0),
        // Ruby =begin/=end: comment ×3, code.
        Case(name: "Ruby =begin", syntax: Syntax.ruby, text: "=begin\nx\n=end\nputs 1\n", code: 1, comments: 3, blanks: 0),
        // Ruby "a << b" (append) is not a heredoc; "x <<~EOS" is: code ×4 ("a << b", "x = <<~EOS", "  # t", "  EOS"); comment.
        Case(name: "Ruby heredoc and append", syntax: Syntax.ruby, text: "a << b\nx = <<~EOS\n  # t\n  EOS\n# c\n", code: 4, comments: 1, blanks: 0),
        // PHP <<<EOT: code ×3; comment.
        Case(name: "PHP heredoc", syntax: Syntax.php, text: "$x = <<<EOT\n// text\nEOT;\n# c\n", code: 3, comments: 1, blanks: 0),
    ]

    @Test(arguments: cases)
    func classifies(_ c: Case) {
        let counts = count(c.text, c.syntax)
        #expect(counts == LineCounts(code: c.code, comments: c.comments, blanks: c.blanks), "\(c.name)")
    }

    /// Streaming through a small buffer, in small reads, gives the same counts as the whole buffer,
    /// including when tokens straddle refills (the text is repeated so it crosses many of them).
    @Test(arguments: cases)
    func streamingMatchesWholeBuffer(_ c: Case) {
        var text = Array(c.text.utf8)
        if !text.isEmpty && (text.last == 0x0A) {
            text = Array(repeating: text, count: 40).flatMap { $0 }
        }
        let whole = count(bytes: text, c.syntax)
        for (capacity, chunk) in [(257, 1), (300, 7), (1024, 100), (4096, 4096)] {
            let streamed = countStreaming(text, c.syntax, capacity: capacity, chunk: chunk)
            #expect(streamed.counts == whole, "\(c.name) capacity \(capacity) chunk \(chunk)")
            #expect(streamed.bytes == text.count)
        }
    }

    @Test func invalidUTF8IsJustBytes() {
        // 0xFF 0xFE and a lone continuation byte on a code line; a comment with invalid bytes.
        let bytes: [UInt8] = [0xFF, 0xFE, 0x80, 0x0A, 0x2F, 0x2F, 0x20, 0xC3, 0x28, 0x0A]
        #expect(count(bytes: bytes, Syntax.c) == LineCounts(code: 1, comments: 1, blanks: 0))
    }

    @Test func longSingleLineStreamsInBoundedMemory() {
        // 3 MB on one line through a 4 KB buffer: one code line, every byte counted.
        let size = 3 << 20
        var offset = 0
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 4096)
        defer { buffer.deallocate() }
        let result = LineCounter().countStream(
            program: CountingProgram(syntax: Syntax.c), buffer: buffer, filled: 0, atEnd: false
        ) { p, room in
            let n = min(room, size - offset)
            for k in 0 ..< n { p[k] = UInt8(ascii: "a") }
            offset += n
            return n
        }
        #expect(result.counts == LineCounts(code: 1, comments: 0, blanks: 0))
        #expect(result.bytes == size)
    }

    @Test func readErrorKeepsWhatWasCounted() {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 512)
        defer { buffer.deallocate() }
        var calls = 0
        let result = LineCounter().countStream(
            program: CountingProgram(syntax: Syntax.c), buffer: buffer, filled: 0, atEnd: false
        ) { p, room in
            calls += 1
            if calls > 1 { return -5 }  // EIO
            let text = Array("a\n// b\n".utf8)
            for (k, b) in text.enumerated() { p[k] = b }
            return text.count
        }
        #expect(result.readError == 5)
        #expect(result.counts == LineCounts(code: 1, comments: 1, blanks: 0))
    }
}
