import CensusCounting
import CensusLanguages
import Testing

/// Syntaxes for the rules of issue 14, written out here so the rules are pinned independently of
/// the data file.
enum RealSyntax {
    static let cBlock = Syntax.cBlock
    static func q(_ open: String, _ multiline: Bool, _ escape: UInt8?, _ doc: Bool) -> StringSyntax {
        StringSyntax(open: open, close: open, escape: escape, multiline: multiline, isDocString: doc)
    }
    /// C with line splices.
    static let c = LanguageSyntax(
        lineComments: ["//"], blockComments: [cBlock], strings: [q("\"", false, 0x5C, false), q("'", false, 0x5C, false)],
        lineSplices: true)
    static let js = LanguageSyntax(
        lineComments: ["//"], blockComments: [cBlock],
        strings: [q("\"", false, 0x5C, false), q("'", false, 0x5C, false), q("`", true, 0x5C, false)], regexLiterals: .slash)
    static let perl = LanguageSyntax(
        lineComments: ["#"], strings: [q("\"", false, 0x5C, false), q("'", false, 0x5C, false)], heredoc: "<<",
        lineCommentNeedsBoundary: true, regexLiterals: .slash)
    static let batch = LanguageSyntax(
        lineComments: [
            LineCommentSyntax("::", atLineStart: true), LineCommentSyntax("REM", isWord: true),
            LineCommentSyntax("rem", isWord: true), LineCommentSyntax("@REM", isWord: true),
        ],
        strings: [q("\"", false, nil, false)], lineCommentNeedsBoundary: true, codeEscape: UInt8(ascii: "^"))
    static let vb = LanguageSyntax(
        lineComments: ["'", LineCommentSyntax("REM", isWord: true)], strings: [q("\"", false, nil, false)])
    static let fortran = LanguageSyntax(
        lineComments: ["!", LineCommentSyntax("C", atColumnOne: true), LineCommentSyntax("*", atColumnOne: true)],
        strings: [q("'", false, nil, false)])
    static let powershell = LanguageSyntax(
        lineComments: ["#"], blockComments: [BlockCommentSyntax(open: "<#", close: "#>", nested: false, anchored: false)],
        strings: [q("\"", true, UInt8(ascii: "`"), false), q("'", true, nil, false)], lineCommentNeedsBoundary: true)
    static let sql = LanguageSyntax(
        lineComments: ["--"], blockComments: [cBlock], strings: [q("'", true, nil, false)])
    static let kotlin = LanguageSyntax(
        lineComments: ["//"], blockComments: [BlockCommentSyntax(open: "/*", close: "*/", nested: true, anchored: false)],
        strings: [q("\"\"\"", true, nil, false), q("\"", false, 0x5C, false)])
    static let python = LanguageSyntax(
        lineComments: ["#"],
        strings: [q("\"\"\"", true, 0x5C, true), q("'''", true, 0x5C, true), q("\"", false, 0x5C, false), q("'", false, 0x5C, false)],
        docStrings: .python)
    static let julia = LanguageSyntax(
        lineComments: ["#"], blockComments: [BlockCommentSyntax(open: "#=", close: "=#", nested: true, anchored: false)],
        strings: [q("\"\"\"", true, 0x5C, true), q("\"", true, 0x5C, false)], docStrings: .statement)
    static let elixir = LanguageSyntax(
        lineComments: ["#"], strings: [q("\"\"\"", true, 0x5C, true), q("\"", true, 0x5C, false)], docStrings: .elixir)
    static func holes(_ open: String, _ hole: String, multiline: Bool = false, escape: UInt8? = 0x5C, close: String? = nil) -> StringSyntax {
        StringSyntax(open: open, close: close ?? open, escape: escape, multiline: multiline, isDocString: false, interpolation: hole)
    }
    static let jsHoles = LanguageSyntax(
        lineComments: ["//"], blockComments: [cBlock],
        strings: [q("\"", false, 0x5C, false), q("'", false, 0x5C, false), holes("`", "${", multiline: true)],
        regexLiterals: .slash)
    static let kotlinHoles = LanguageSyntax(
        lineComments: ["//"], blockComments: [BlockCommentSyntax(open: "/*", close: "*/", nested: true, anchored: false)],
        strings: [holes("\"\"\"", "${", multiline: true, escape: nil), holes("\"", "${")])
    static let swiftHoles = LanguageSyntax(
        lineComments: ["//"], blockComments: [BlockCommentSyntax(open: "/*", close: "*/", nested: true, anchored: false)],
        strings: [holes("\"\"\"", "\\(", multiline: true), holes("\"", "\\(")])
    static let csharpHoles = LanguageSyntax(
        lineComments: ["//"], blockComments: [cBlock],
        strings: [
            holes("$@\"", "{", multiline: true, escape: nil, close: "\""), holes("$\"", "{", close: "\""),
            q("\"", false, 0x5C, false), q("'", false, 0x5C, false),
        ])
    static let pythonHoles = LanguageSyntax(
        lineComments: ["#"],
        strings: [
            holes("f\"\"\"", "{", multiline: true, close: "\"\"\""), holes("f\"", "{", close: "\""), holes("f'", "{", close: "'"),
            q("\"\"\"", true, 0x5C, true), q("\"", false, 0x5C, false), q("'", false, 0x5C, false),
        ], docStrings: .python)
    static let rubyHoles = LanguageSyntax(
        lineComments: ["#"], strings: [holes("\"", "#{"), q("'", false, 0x5C, false)], heredoc: "<<")
    static let clojure = LanguageSyntax(
        lineComments: [";"], strings: [q("\"", true, 0x5C, true)], codeEscape: 0x5C, docStrings: .clojure)
    static let lua = LanguageSyntax(
        lineComments: ["--"], blockComments: [BlockCommentSyntax(open: "--[[", close: "]]", nested: false, anchored: false)],
        strings: [q("\"", false, 0x5C, false)])
}

/// Hand-worked cases for the counting rules real code needs (docs/counting.md, issue 14). Each
/// comment gives the classification of every line.
@Suite("Counting rules real code needs")
struct RealCodeRulesTests {
    static let cases: [Case] = [
        // Line splices.
        // "// a \" comment; "b" comment (spliced into it); "c" code.
        Case(name: "splice continues a // comment", syntax: RealSyntax.c, text: "// a \\\nb\nc\n", code: 1, comments: 2, blanks: 0),
        // The same with CRLF endings.
        Case(name: "splice with CRLF", syntax: RealSyntax.c, text: "// a \\\r\nb\r\nc\r\n", code: 1, comments: 2, blanks: 0),
        // Two splices: three comment lines, then code.
        Case(name: "two splices", syntax: RealSyntax.c, text: "// a \\\nb \\\nc\nd;\n", code: 1, comments: 3, blanks: 0),
        // Without splices (C's syntax of the older rules) "b" is code.
        Case(name: "no splice rule", syntax: Syntax.c, text: "// a \\\nb\n", code: 1, comments: 1, blanks: 0),
        // A backslash that is not last ("\ " then newline) does not splice: comment, code.
        Case(name: "backslash then blank is no splice", syntax: RealSyntax.c, text: "// a \\ \nb\n", code: 1, comments: 1, blanks: 0),
        // Inside a block comment a splice changes nothing: three comment lines.
        Case(name: "splice inside block comment", syntax: RealSyntax.c, text: "/* a \\\nb \\\n*/\n", code: 0, comments: 3, blanks: 0),
        // A string continued by a splice: both code; then a comment.
        Case(name: "spliced string", syntax: RealSyntax.c, text: "s = \"a \\\n// in string\";\n// c\n", code: 2, comments: 1, blanks: 0),
        // "/* c */ \" — the splice after a closed comment is code and joins the next line: code, code.
        Case(name: "splice after a block comment", syntax: RealSyntax.c, text: "/* c */ \\\nint y;\n", code: 2, comments: 0, blanks: 0),

        // Regular-expression literals.
        // "/\/*/" is a regex, so no block comment opens: code; comment.
        Case(name: "regex holding /*", syntax: RealSyntax.js, text: "re = /\\/*/;\n// c\n", code: 1, comments: 1, blanks: 0),
        // "[/*]" inside a class: code; comment.
        Case(name: "regex class holding /*", syntax: RealSyntax.js, text: "re = /[/*]/g;\n// c\n", code: 1, comments: 1, blanks: 0),
        // A backquote inside a regex opens no template literal: code; comment.
        Case(name: "regex holding a backquote", syntax: RealSyntax.js, text: "t = /`/;\n// c\n", code: 1, comments: 1, blanks: 0),
        // After an identifier or number, / divides: "a / b /* c */" is code with a comment; next line comment.
        Case(name: "division", syntax: RealSyntax.js, text: "x = a / b /* c\n d */\n", code: 1, comments: 1, blanks: 0),
        // After ")" / divides: "(a) / 2 /*" opens a comment that the next line closes.
        Case(name: "division after bracket", syntax: RealSyntax.js, text: "x = (a) / 2 /* c\n */\n", code: 1, comments: 1, blanks: 0),
        // After "return" a regex may start.
        Case(name: "regex after return", syntax: RealSyntax.js, text: "return /\\/*/.test(s);\n// c\n", code: 1, comments: 1, blanks: 0),
        // A regex at the start of a line (AWK pattern, JS statement).
        Case(name: "regex at line start", syntax: RealSyntax.js, text: "/`/.test(s);\n// c\n", code: 1, comments: 1, blanks: 0),
        // No closing / on the line: the / at the line start divides: code, code; comment.
        Case(name: "unclosed regex is division", syntax: RealSyntax.js, text: "x = a\n/ 2 * \"`\"\n// c\n", code: 2, comments: 1, blanks: 0),
        // Perl: "s/#/x/" substitutes; the # is not a comment: all code. "=~ /#/" too.
        Case(name: "Perl substitution", syntax: RealSyntax.perl, text: "s/#/x/g;\n$a =~ /#/;\n# c\n", code: 2, comments: 1, blanks: 0),
        // Perl: a regex holding "<<EOF" starts no heredoc: code; comment.
        Case(name: "Perl regex holding <<", syntax: RealSyntax.perl, text: "$x =~ /<<EOF/;\n# c\nEOF\n", code: 2, comments: 1, blanks: 0),

        // Interpolation holes.
        // JS: a template literal whose hole holds a string with a backquote: the template goes on
        // over the next line and closes on line 3; then two comments.
        Case(name: "JS hole holding a backquote", syntax: RealSyntax.jsHoles, text: "x = `${ \"`\" }\n// in template\n`\n// c\n// d\n", code: 3, comments: 2, blanks: 0),
        // Templates inside templates: one literal over two lines; then a comment.
        Case(name: "JS nested templates", syntax: RealSyntax.jsHoles, text: "x = `a ${ `b ${ c } d` } e\n// in outer`\n// c\n", code: 2, comments: 1, blanks: 0),
        // A hole holding a comment and braces, over lines: all code; then a comment.
        Case(name: "JS hole with comment and braces", syntax: RealSyntax.jsHoles, text: "x = `${ f({a: 1}) // note\n} after`\n// c\n", code: 2, comments: 1, blanks: 0),
        // Kotlin "${m["k"]}" then a comment on the same line; then a comment line.
        Case(name: "Kotlin hole with quotes", syntax: RealSyntax.kotlinHoles, text: "val s = \"${m[\"k\"]}\" // c\n// d\n", code: 1, comments: 1, blanks: 0),
        // Kotlin raw string with a hole holding a raw-string quote run: code ×2; comment.
        Case(name: "Kotlin raw string hole", syntax: RealSyntax.kotlinHoles, text: "val s = \"\"\"a ${\"\"\"b\"\"\"}\n// in string\"\"\"\n// c\n", code: 2, comments: 1, blanks: 0),
        // Swift "\(d["k"])": the hole holds quotes; then a comment.
        Case(name: "Swift hole with quotes", syntax: RealSyntax.swiftHoles, text: "let t = \"\\(d[\"k\"]) x\"\n// c\n", code: 1, comments: 1, blanks: 0),
        // Swift multi-line string with a hole holding a ")" inside a string: code ×3; comment.
        Case(name: "Swift multi-line hole", syntax: RealSyntax.swiftHoles, text: "let t = \"\"\"\n\\(f(\")\"))\n\"\"\"\n// c\n", code: 3, comments: 1, blanks: 0),
        // C# $@"…{(x ? '"' : ' ')}…" over lines: the char literal holds the outer quote. Code ×3; comment.
        Case(name: "C# verbatim interpolated", syntax: RealSyntax.csharpHoles, text: "var s = $@\"a{(x ? '\"' : ' ')}b\n// in string\n\";\n// c\n", code: 3, comments: 1, blanks: 0),
        // C# {{ is a brace, not a hole: the string closes at its quote; then a comment.
        Case(name: "C# doubled brace", syntax: RealSyntax.csharpHoles, text: "var s = $\"{{x}} {y}\";\n// c\n", code: 1, comments: 1, blanks: 0),
        // Python 3.12: a hole holding the outer quote; then a comment.
        Case(name: "Python f-string same quote", syntax: RealSyntax.pythonHoles, text: "x = f\"{d[\"k\"]}\"  # c\n# d\n", code: 1, comments: 1, blanks: 0),
        // A triple-quoted f-string is never a docstring: module start, but code ×2.
        Case(name: "Python f-string is not a docstring", syntax: RealSyntax.pythonHoles, text: "f\"\"\"{x}\nmore\"\"\"\n", code: 2, comments: 0, blanks: 0),
        // Ruby "#{h["k"]}" then a comment.
        Case(name: "Ruby hole with quotes", syntax: RealSyntax.rubyHoles, text: "s = \"#{h[\"k\"]} x\" # c\n# d\n", code: 1, comments: 1, blanks: 0),

        // Escapes that are not backslash.
        // PowerShell: `" escapes a quote, so the string ends on its line: code; comment.
        Case(name: "PowerShell backtick", syntax: RealSyntax.powershell, text: "$s = \"a `\" b\"\n# c\n", code: 1, comments: 1, blanks: 0),
        // PowerShell: a backslash does not escape: "C:\" closes the string: code; comment.
        Case(name: "PowerShell backslash is literal", syntax: RealSyntax.powershell, text: "$p = \"C:\\\"\n# c\n", code: 1, comments: 1, blanks: 0),
        // Batch: ^ escapes the next character; "^&" is code; "REM" after it still a word: code; comment.
        Case(name: "Batch caret", syntax: RealSyntax.batch, text: "echo a ^& b\nREM c\n", code: 1, comments: 1, blanks: 0),
        // VB: doubled quotes inside a string: the "'" after it is a comment, the line is code.
        Case(name: "VB doubled quotes", syntax: RealSyntax.vb, text: "s = \"a \"\"' b\"\"\" ' c\n' d\n", code: 1, comments: 1, blanks: 0),
        // SQL: 'C:\' closes (no backslash escapes): code; comment.
        Case(name: "SQL backslash is literal", syntax: RealSyntax.sql, text: "SELECT 'C:\\';\n-- c\n", code: 1, comments: 1, blanks: 0),
        // SQL: 'it''s' is one literal; "--" inside it is not a comment: code; comment.
        Case(name: "SQL doubled quote", syntax: RealSyntax.sql, text: "SELECT 'it''s -- x';\n-- c\n", code: 1, comments: 1, blanks: 0),
        // Kotlin: """a "b"""" closes on its last three quotes; then "/*" is a string: code; comment.
        Case(name: "triple quote ending in extra quotes", syntax: RealSyntax.kotlin, text: "val s = \"\"\"a \"b\"\"\"\"; val c = \"/*\"\n// c\n", code: 1, comments: 1, blanks: 0),
        // Five quotes close on the last three, over lines: code, code; comment.
        Case(name: "triple quote over lines with extra quotes", syntax: RealSyntax.kotlin, text: "val s = \"\"\"a\nb\"\"\"\"\"\n// c\n", code: 2, comments: 1, blanks: 0),

        // Comment words.
        Case(name: "REM is a word", syntax: RealSyntax.batch, text: "REM a\nREMOVE x\nrem b\n@REM c\nxREM d\n", code: 2, comments: 3, blanks: 0),
        // "REM" alone on its line (nothing after it) is a comment.
        Case(name: "REM alone", syntax: RealSyntax.batch, text: "REM\n", code: 0, comments: 1, blanks: 0),
        // "::" only at the start of a line: "echo a::b" is code.
        Case(name: "Batch ::", syntax: RealSyntax.batch, text: ":: c\n  :: d\necho a::b\n", code: 1, comments: 2, blanks: 0),
        // VB: "REM c" comment; "Dim REMark = 1" code (REMark is an identifier).
        Case(name: "VB REM", syntax: RealSyntax.vb, text: "REM c\nDim REMark = 1\n", code: 1, comments: 1, blanks: 0),
        // Fixed-form Fortran: C and * only in column 1; "      CALL C" code; " C x" (column 2) code.
        Case(name: "Fortran column 1", syntax: RealSyntax.fortran, text: "C comment\n* comment\n      CALL C\n C x\n      X = 1 ! c\n", code: 3, comments: 2, blanks: 0),
        // Lua: "---" (LDoc) is a comment; "--[[" a block.
        Case(name: "Lua dashes", syntax: RealSyntax.lua, text: "--- doc\n--[[ a\nb ]]\nx = 1 -- c\n", code: 1, comments: 3, blanks: 0),
        // SQL: "--" inside a literal is not a comment; after it, it is.
        Case(name: "SQL dashes", syntax: RealSyntax.sql, text: "SELECT '--'; -- c\n-- d\n", code: 1, comments: 1, blanks: 0),

        // Nested comments (the data file's nested_comments).
        Case(name: "Kotlin nests", syntax: RealSyntax.kotlin, text: "/* a /* b */ c */\nval x = 1\n", code: 1, comments: 1, blanks: 0),
        Case(name: "Julia #= nests", syntax: RealSyntax.julia, text: "#= a\n#= b =#\nc =#\nx = 1\n", code: 1, comments: 3, blanks: 0),

        // Python documentation strings.
        // Module docstring: comment; "x = 1" code; a second bare string is code.
        Case(name: "Python module docstring", syntax: RealSyntax.python, text: "\"\"\"Doc.\"\"\"\nx = 1\n\"\"\"Not doc.\"\"\"\n", code: 2, comments: 1, blanks: 0),
        // After comments and blank lines the module docstring still counts.
        Case(name: "Python docstring after comments", syntax: RealSyntax.python, text: "# c\n\n'''Doc.'''\n", code: 0, comments: 2, blanks: 1),
        // def header over lines: "def f(", "    a,", "):" code; docstring comment; "pass" code.
        Case(name: "Python multi-line header", syntax: RealSyntax.python, text: "def f(\n    a,\n):\n    \"\"\"Doc.\"\"\"\n    pass\n", code: 4, comments: 1, blanks: 0),
        // A one-line def ("def f(): pass") has no body for a docstring: both code.
        Case(name: "Python one-line def", syntax: RealSyntax.python, text: "x = 1\ndef f(): pass\n\"\"\"Not doc.\"\"\"\n", code: 3, comments: 0, blanks: 0),
        // After "if x:" a string is not a docstring.
        Case(name: "Python if block", syntax: RealSyntax.python, text: "x = 1\nif x:\n    \"\"\"Not doc.\"\"\"\n", code: 3, comments: 0, blanks: 0),
        // A triple-quoted argument on its own line is code.
        Case(name: "Python argument", syntax: RealSyntax.python, text: "x = 1\nf(\n    \"\"\"arg\"\"\",\n)\n", code: 4, comments: 0, blanks: 0),
        // class with a comment after its colon: the docstring still counts.
        Case(name: "Python class docstring", syntax: RealSyntax.python, text: "x = 1\nclass A:  # c\n    '''Doc.\n    more'''\n", code: 2, comments: 2, blanks: 0),
        // async def.
        Case(name: "Python async def", syntax: RealSyntax.python, text: "x = 1\nasync def f():\n    '''Doc.'''\n", code: 2, comments: 1, blanks: 0),
        // A backslash continuation keeps the statement open: "x = \" then the string is code.
        Case(name: "Python continuation", syntax: RealSyntax.python, text: "x = \\\n    \"\"\"s\"\"\"\n", code: 2, comments: 0, blanks: 0),

        // Julia: a string standing alone (outside brackets) documents what follows; an argument is code.
        Case(name: "Julia docstring", syntax: RealSyntax.julia, text: "\"\"\"\nDoc.\n\"\"\"\nf(x) = x\ng(\n\"\"\"arg\"\"\")\n", code: 3, comments: 3, blanks: 0),

        // Elixir: @doc and @moduledoc heredocs are documentation, the attribute line included;
        // other heredocs are code; "@doc false" is code.
        Case(name: "Elixir @doc", syntax: RealSyntax.elixir, text: "  @doc \"\"\"\n  Doc.\n  \"\"\"\n  x = \"\"\"\n  s\n  \"\"\"\n  @doc false\n", code: 4, comments: 3, blanks: 0),
        // Clojure: the string after "(defn name" on the next line is documentation; "[x] x)" code.
        Case(name: "Clojure defn docstring", syntax: RealSyntax.clojure, text: "(defn f\n  \"Doc.\"\n  [x] x)\n", code: 2, comments: 1, blanks: 0),
        // On the same line: that line is code, the docstring's further lines comments.
        Case(name: "Clojure same-line docstring", syntax: RealSyntax.clojure, text: "(defn- f \"Doc.\n  more.\"\n  [x] x)\n", code: 2, comments: 1, blanks: 0),
        // Other strings are code, also first on a line and in (def x "…").
        Case(name: "Clojure other strings", syntax: RealSyntax.clojure, text: "(println\n  \"not doc\")\n(def x \"value\")\n", code: 3, comments: 0, blanks: 0),
        // The ~S sigil.
        Case(name: "Elixir @moduledoc ~S", syntax: RealSyntax.elixir, text: "@moduledoc ~S\"\"\"\nDoc.\n\"\"\"\n", code: 0, comments: 3, blanks: 0),
    ]

    @Test(arguments: cases)
    func counts(_ c: Case) {
        #expect(count(c.text, c.syntax) == LineCounts(code: c.code, comments: c.comments, blanks: c.blanks))
    }

    /// Every case gives the same counts when the file arrives in small pieces through a small
    /// buffer (tokens straddling refills, lookbehind across them).
    @Test(arguments: cases)
    func streamingGivesTheSameCounts(_ c: Case) {
        let bytes = Array(c.text.utf8)
        let whole = count(bytes: bytes, c.syntax)
        for chunk in [1, 3, 7] {
            #expect(countStreaming(bytes, c.syntax, capacity: 512, chunk: chunk).counts == whole)
        }
    }
}
