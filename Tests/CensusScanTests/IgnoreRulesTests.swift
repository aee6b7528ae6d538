import CensusScan
import Testing

/// One hand-written expectation: an ignore file, a path, and the verdict gitignore(5) gives.
struct IgnoreCase: Sendable, CustomTestStringConvertible {
    let file: String
    let path: String
    let isDirectory: Bool
    let expected: IgnoreMatch

    init(_ file: String, _ path: String, directory: Bool = false, _ expected: IgnoreMatch) {
        self.file = file
        self.path = path
        self.isDirectory = directory
        self.expected = expected
    }

    var testDescription: String {
        "\(String(reflecting: file)) on \(String(reflecting: path))\(isDirectory ? "/" : "") → \(expected)"
    }
}

extension IgnoreFile {
    /// Parses UTF-8 text as an ignore file.
    init(text: String) {
        self.init(contents: Array(text.utf8), origin: "test/.gitignore")
    }

    /// Matches a path given as raw bytes.
    func match(bytes: [UInt8], directory: Bool = false) -> IgnoreMatch {
        bytes.withUnsafeBufferPointer { match($0, isDirectory: directory) }
    }

    /// Matches a path given as a string.
    func match(_ path: String, directory: Bool = false) -> IgnoreMatch {
        match(bytes: Array(path.utf8), directory: directory)
    }

    /// The deciding line for a path given as a string.
    func line(_ path: String, directory: Bool = false) -> Int? {
        Array(path.utf8).withUnsafeBufferPointer { matchingLine($0, isDirectory: directory) }
    }
}

@Suite("Ignore rules: gitignore(5) by hand")
struct IgnoreRulesTests {
    static func check(_ item: IgnoreCase) {
        let file = IgnoreFile(text: item.file)
        #expect(file.match(item.path, directory: item.isDirectory) == item.expected, "\(item.testDescription)")
    }

    @Test(
        "Blank lines, comments and the \\# and \\! escapes",
        arguments: [
            IgnoreCase("\n\n#foo\n", "#foo", .unmatched),
            IgnoreCase("# foo\nfoo", "foo", .ignored),
            IgnoreCase("\\#foo", "#foo", .ignored),
            IgnoreCase(" #foo", " #foo", .ignored),  // only a leading '#' starts a comment
            IgnoreCase(" #foo", "#foo", .unmatched),
            IgnoreCase("foo#bar", "foo#bar", .ignored),
            IgnoreCase("\\!important", "!important", .ignored),
            IgnoreCase("\\!important", "important", .unmatched),
            IgnoreCase("!important", "important", .included),
            IgnoreCase("!", "!", .unmatched),
        ])
    func commentsAndEscapes(_ item: IgnoreCase) { Self.check(item) }

    @Test(
        "Trailing spaces, escaped spaces and CRLF line ends",
        arguments: [
            IgnoreCase("foo   ", "foo", .ignored),
            IgnoreCase("foo   ", "foo ", .unmatched),
            IgnoreCase("foo\\ ", "foo ", .ignored),
            IgnoreCase("foo\\ ", "foo", .unmatched),
            IgnoreCase("foo\\  ", "foo ", .ignored),  // the escaped space stays, the next one goes
            IgnoreCase("foo \\ ", "foo  ", .ignored),  // a space before an escaped space stays
            IgnoreCase("foo\t", "foo\t", .ignored),  // only spaces are trimmed, not tabs
            IgnoreCase("foo\t", "foo", .unmatched),
            IgnoreCase("  foo", "  foo", .ignored),  // leading spaces are part of the pattern
            IgnoreCase("  foo", "foo", .unmatched),
            IgnoreCase("foo\r\nbar\r\n", "foo", .ignored),
            IgnoreCase("foo\r\nbar\r\n", "bar", .ignored),
            IgnoreCase("foo\r\nbar\r", "bar", .ignored),  // also on a last line without newline
            IgnoreCase("foo\r\n", "foo\r", .unmatched),
            IgnoreCase("foo\r\r\n", "foo\r", .ignored),  // only one \r is removed
            IgnoreCase("fo\ro\n", "fo\ro", .ignored),
            IgnoreCase("foo  \r\n", "foo", .ignored),
            IgnoreCase("foo\\", "foo", .unmatched),  // a lone trailing backslash never matches
            IgnoreCase("foo\\", "foo\\", .unmatched),
            IgnoreCase("\u{FEFF}foo\n", "foo", .ignored),  // UTF-8 byte order mark skipped
        ])
    func spacesAndLineEnds(_ item: IgnoreCase) { Self.check(item) }

    @Test(
        "Negation: the last matching pattern decides",
        arguments: [
            IgnoreCase("*.log\n!keep.log", "a.log", .ignored),
            IgnoreCase("*.log\n!keep.log", "keep.log", .included),
            IgnoreCase("*.log\n!keep.log", "x/y/keep.log", .included),
            IgnoreCase("!keep.log\n*.log", "keep.log", .ignored),
            IgnoreCase("*.log\n!*.log", "a.log", .included),
            IgnoreCase("*.log\n!*.log\n*.log", "a.log", .ignored),
            IgnoreCase("build/\n!build", "build", directory: true, .included),
            IgnoreCase("!build\nbuild/", "build", directory: true, .ignored),
            IgnoreCase("!build\nbuild/", "build", .included),
            IgnoreCase("/a\n!a", "a", .included),
            IgnoreCase("!a\n/a", "a", .ignored),
            IgnoreCase("a\n!b", "c", .unmatched),
        ])
    func negation(_ item: IgnoreCase) { Self.check(item) }

    @Test(
        "Anchoring: a slash at the start or in the middle",
        arguments: [
            IgnoreCase("/foo", "foo", .ignored),
            IgnoreCase("/foo", "a/foo", .unmatched),
            IgnoreCase("foo", "foo", .ignored),
            IgnoreCase("foo", "a/b/foo", .ignored),
            IgnoreCase("foo", "foo/a", .unmatched),  // the walker never gets here if foo is ignored
            IgnoreCase("a/foo", "a/foo", .ignored),
            IgnoreCase("a/foo", "x/a/foo", .unmatched),
            IgnoreCase("/a/foo", "a/foo", .ignored),
            IgnoreCase("doc/frotz/", "doc/frotz", directory: true, .ignored),
            IgnoreCase("doc/frotz/", "a/doc/frotz", directory: true, .unmatched),
            IgnoreCase("doc/frotz/", "doc/frotz", .unmatched),
            IgnoreCase("frotz/", "a/frotz", directory: true, .ignored),
            IgnoreCase("frotz/", "frotz", .unmatched),
            IgnoreCase("/*.c", "cat-file.c", .ignored),
            IgnoreCase("/*.c", "mozilla-sha1/sha1.c", .unmatched),
            IgnoreCase("//foo", "foo", .unmatched),  // only one leading slash is dropped
            IgnoreCase("/", "a", directory: true, .unmatched),
            IgnoreCase("a//b", "a/b", .unmatched),
        ])
    func anchoring(_ item: IgnoreCase) { Self.check(item) }

    @Test(
        "A trailing slash matches directories only",
        arguments: [
            IgnoreCase("build/", "build", directory: true, .ignored),
            IgnoreCase("build/", "build", .unmatched),
            IgnoreCase("build/", "src/build", directory: true, .ignored),
            IgnoreCase("/build/", "src/build", directory: true, .unmatched),
            IgnoreCase("/build/", "build", directory: true, .ignored),
            IgnoreCase("*.d/", "conf.d", directory: true, .ignored),
            IgnoreCase("*.d/", "conf.d", .unmatched),
            IgnoreCase("b*/", "bin", directory: true, .ignored),
            IgnoreCase("b*/", "bin", .unmatched),
            IgnoreCase("build//", "build", directory: true, .unmatched),  // becomes the anchored "build/"
        ])
    func directoryOnly(_ item: IgnoreCase) { Self.check(item) }

    @Test(
        "* and ? do not match a slash",
        arguments: [
            IgnoreCase("*.c", "x.c", .ignored),
            IgnoreCase("*.c", "a/b/x.c", .ignored),
            IgnoreCase("*.c", ".c", .ignored),
            IgnoreCase("*.c", "x.cc", .unmatched),
            IgnoreCase("*.tar.gz", "a.tar.gz", .ignored),
            IgnoreCase("*.tar.gz", "a.gz", .unmatched),
            IgnoreCase("*~", "notes.txt~", .ignored),
            IgnoreCase("a*b", "ab", .ignored),
            IgnoreCase("a*b", "axxb", .ignored),
            IgnoreCase("a*b", "a/b", .unmatched),
            IgnoreCase("a/*.c", "a/x.c", .ignored),
            IgnoreCase("a/*.c", "a/b/x.c", .unmatched),
            IgnoreCase("a/*/c", "a/b/c", .ignored),
            IgnoreCase("a/*/c", "a/c", .unmatched),
            IgnoreCase("a/*/c", "a/b/b/c", .unmatched),
            IgnoreCase("a/?.c", "a/x.c", .ignored),
            IgnoreCase("a/?.c", "a/xy.c", .unmatched),
            IgnoreCase("x/a?b", "x/acb", .ignored),
            IgnoreCase("x/a?b", "x/a/b", .unmatched),
            IgnoreCase("a?", "a", .unmatched),
            IgnoreCase("foo*", "foo", .ignored),
            IgnoreCase("foo*", "foobar", .ignored),
            IgnoreCase("foo/*", "foo/bar", .ignored),
            IgnoreCase("foo/*", "foo/bar/baz", .unmatched),
            IgnoreCase("foo/*", "foo", directory: true, .unmatched),
            IgnoreCase("*", "anything", .ignored),
            IgnoreCase("*", "a/b/c", directory: true, .ignored),
            IgnoreCase(".*", ".hidden", .ignored),
            IgnoreCase(".*", "visible", .unmatched),
            IgnoreCase("*a*b*c", "xaybzc", .ignored),
            IgnoreCase("*a*b*c", "xaybzcd", .unmatched),
        ])
    func starAndQuestion(_ item: IgnoreCase) { Self.check(item) }

    @Test(
        "Bracket expressions, wildmatch style",
        arguments: [
            IgnoreCase("[abc].txt", "a.txt", .ignored),
            IgnoreCase("[abc].txt", "c.txt", .ignored),
            IgnoreCase("[abc].txt", "d.txt", .unmatched),
            IgnoreCase("[a-c].txt", "b.txt", .ignored),
            IgnoreCase("[a-c].txt", "d.txt", .unmatched),
            IgnoreCase("[!a].txt", "b.txt", .ignored),
            IgnoreCase("[!a].txt", "a.txt", .unmatched),
            IgnoreCase("[^a].txt", "b.txt", .ignored),
            IgnoreCase("[^a].txt", "a.txt", .unmatched),
            IgnoreCase("[]a].txt", "].txt", .ignored),
            IgnoreCase("[]a].txt", "a.txt", .ignored),
            IgnoreCase("[]a].txt", "b.txt", .unmatched),
            IgnoreCase("[!]a].txt", "b.txt", .ignored),
            IgnoreCase("[!]a].txt", "].txt", .unmatched),
            IgnoreCase("[a-].txt", "-.txt", .ignored),
            IgnoreCase("[-a].txt", "-.txt", .ignored),
            IgnoreCase("[a-c-e]", "b", .ignored),
            IgnoreCase("[a-c-e]", "-", .ignored),
            IgnoreCase("[a-c-e]", "e", .ignored),
            IgnoreCase("[a-c-e]", "d", .unmatched),
            IgnoreCase("[z-a]", "m", .unmatched),  // an inverted range is empty
            IgnoreCase("[\\]]x", "]x", .ignored),
            IgnoreCase("[\\a-c]", "b", .ignored),  // an escaped byte can start a range
            IgnoreCase("[[:alpha:]].txt", "q.txt", .ignored),
            IgnoreCase("[[:alpha:]].txt", "1.txt", .unmatched),
            IgnoreCase("[[:digit:][:upper:]]x", "7x", .ignored),
            IgnoreCase("[[:digit:][:upper:]]x", "Qx", .ignored),
            IgnoreCase("[[:digit:][:upper:]]x", "qx", .unmatched),
            IgnoreCase("[![:digit:]]x", "qx", .ignored),
            IgnoreCase("[![:digit:]]x", "7x", .unmatched),
            IgnoreCase("[[:space:]]x", " x", .ignored),
            IgnoreCase("[[:space:]]x", "\tx", .ignored),
            IgnoreCase("[[:space:]]x", "\u{0B}x", .unmatched),  // git's isspace has no \v or \f
            IgnoreCase("[[:blank:]]x", "\tx", .ignored),
            IgnoreCase("[[:punct:]]x", "!x", .ignored),
            IgnoreCase("[[:punct:]]x", "ax", .unmatched),
            IgnoreCase("[[:xdigit:]]x", "fx", .ignored),
            IgnoreCase("[[:xdigit:]]x", "gx", .unmatched),
            IgnoreCase("[[:lower:]]", "Q", .unmatched),
            IgnoreCase("[[:alpha:]]", "é", .unmatched),  // classes are ASCII only
            IgnoreCase("[[:]x", ":x", .ignored),  // "[:" without ":]" is an ordinary '['
            IgnoreCase("[[:]x", "[x", .ignored),
            IgnoreCase("[[:bogus:]]", "b", .unmatched),  // unknown class: never matches
            IgnoreCase("[abc", "[abc", .unmatched),  // unterminated: never matches
            IgnoreCase("[abc", "a", .unmatched),
            IgnoreCase("[]", "[]", .unmatched),
            IgnoreCase("a[/]b", "a/b", .unmatched),  // a bracket never matches '/'
            IgnoreCase("x/a[!b]c", "x/a/c", .unmatched),
            IgnoreCase("x/a[!b]c", "x/aac", .ignored),
        ])
    func brackets(_ item: IgnoreCase) { Self.check(item) }

    @Test(
        "Backslash escapes in patterns",
        arguments: [
            IgnoreCase("\\*", "*", .ignored),
            IgnoreCase("\\*", "a", .unmatched),
            IgnoreCase("\\?", "?", .ignored),
            IgnoreCase("\\?", "a", .unmatched),
            IgnoreCase("\\[a]", "[a]", .ignored),
            IgnoreCase("\\[a]", "a", .unmatched),
            IgnoreCase("a\\b", "ab", .ignored),
            IgnoreCase("\\\\x", "\\x", .ignored),
            IgnoreCase("*\\*", "a*", .ignored),
            IgnoreCase("*\\*", "ab", .unmatched),
            IgnoreCase("a\\/b", "a/b", .ignored),  // an escaped slash still anchors and matches '/'
            IgnoreCase("a\\/b", "x/a/b", .unmatched),
        ])
    func escapes(_ item: IgnoreCase) { Self.check(item) }

    @Test(
        "The three forms of **, and ** elsewhere acting like *",
        arguments: [
            IgnoreCase("**/foo", "foo", .ignored),
            IgnoreCase("**/foo", "a/foo", .ignored),
            IgnoreCase("**/foo", "a/b/foo", directory: true, .ignored),
            IgnoreCase("**/foo/bar", "foo/bar", .ignored),
            IgnoreCase("**/foo/bar", "x/y/foo/bar", .ignored),
            IgnoreCase("**/foo/bar", "foo/x/bar", .unmatched),
            IgnoreCase("abc/**", "abc/x", .ignored),
            IgnoreCase("abc/**", "abc/x/y", .ignored),
            IgnoreCase("abc/**", "abc", directory: true, .unmatched),
            IgnoreCase("abc/**", "x/abc/y", .unmatched),
            IgnoreCase("a/**/b", "a/b", .ignored),
            IgnoreCase("a/**/b", "a/x/b", .ignored),
            IgnoreCase("a/**/b", "a/x/y/b", .ignored),
            IgnoreCase("a/**/b", "a/xb", .unmatched),
            IgnoreCase("a/**/b", "x/a/b", .unmatched),
            IgnoreCase("a/**/**/b", "a/b", .ignored),
            IgnoreCase("a/**/**/b", "a/x/y/z/b", .ignored),
            IgnoreCase("**/x/**", "x/y", .ignored),
            IgnoreCase("**/x/**", "a/b/x/y/z", .ignored),
            IgnoreCase("**", "a/b/c", .ignored),
            IgnoreCase("/**", "a", .ignored),
            IgnoreCase("**/", "a/b", directory: true, .ignored),
            IgnoreCase("**/", "a/b", .unmatched),
            IgnoreCase("***/foo", "a/b/foo", .ignored),  // three stars are two
            IgnoreCase("a**b", "axyzb", .ignored),
            IgnoreCase("a/**b", "a/xb", .ignored),  // not a whole component: like *
            IgnoreCase("a/**b", "a/x/yb", .unmatched),
            IgnoreCase("a/b**", "a/bcd", .ignored),
            IgnoreCase("x/a*b**", "x/acbd", .ignored),
            IgnoreCase("x/a*b**", "x/acb/d", .unmatched),
            // git quirk, followed: an anchored pattern's literal prefix (up to the first wildcard) is
            // compared first and wildmatch sees only the rest, so a `**` right after that prefix
            // counts as "at the start" and crosses slashes.
            IgnoreCase("a/b**", "a/b/c", .ignored),
            IgnoreCase("a/x**/b", "a/x/b", .ignored),
            IgnoreCase("a/x**/b", "a/xb", .ignored),
            IgnoreCase("a/x**/b", "a/xy/z/b", .ignored),
        ])
    func doubleStar(_ item: IgnoreCase) { Self.check(item) }

    @Test("Literal and *.ext dispatch agrees with the general matcher")
    func dispatchPrecedence() {
        // The same names through every dispatch path, interleaved, so that precedence between the
        // hash tables and the general list is exercised.
        let file = IgnoreFile(
            text: """
                *.o
                !keep.o
                /top.o
                !*.o
                a*.o
                keep.o/
                !/dir/keep.o
                *.tar.gz
                !x.tar.gz
                """)
        #expect(file.match("a.o") == .ignored)  // a*.o (line 5)
        #expect(file.line("a.o") == 5)
        #expect(file.match("b.o") == .included)  // !*.o (line 4)
        #expect(file.match("top.o") == .included)  // !*.o beats /top.o
        #expect(file.match("keep.o") == .included)
        #expect(file.match("keep.o", directory: true) == .ignored)  // keep.o/ (line 6)
        #expect(file.match("dir/keep.o", directory: true) == .included)  // line 7
        #expect(file.line("dir/keep.o", directory: true) == 7)
        #expect(file.match("x.tar.gz") == .included)
        #expect(file.match("y.tar.gz") == .ignored)
        #expect(file.match("y.gz") == .unmatched)
        #expect(file.line("nothing") == nil)
    }

    @Test("Command-line globs use the same syntax, one per element")
    func commandLinePatterns() {
        let file = IgnoreFile(
            patterns: ["vendor/", "*.min.js", "!keep.min.js", "", "# comment", "/docs/*.md "], origin: "--exclude")
        #expect(!file.isEmpty)
        #expect(file.match("vendor", directory: true) == .ignored)
        #expect(file.match("vendor") == .unmatched)
        #expect(file.match("a/b.min.js") == .ignored)
        #expect(file.match("keep.min.js") == .included)
        #expect(file.match("# comment") == .unmatched)
        #expect(file.match("docs/x.md") == .ignored)
        #expect(file.line("docs/x.md") == 6)
        #expect(IgnoreFile(patterns: [], origin: "--exclude").isEmpty)
        #expect(IgnoreFile(patterns: ["", "#x", "   "], origin: "--exclude").isEmpty)
    }

    @Test("Patterns that can never match are dropped and reported")
    func diagnostics() {
        let file = IgnoreFile(text: "ok\n[abc\n[[:nope:]]\ntrail\\\n*.o\n")
        #expect(file.diagnostics.map(\.line) == [2, 3, 4])
        #expect(file.diagnostics.allSatisfy { $0.description.hasPrefix("test/.gitignore:") })
        #expect(file.match("ok") == .ignored)
        #expect(file.match("x.o") == .ignored)
        #expect(IgnoreFile(text: "[abc\n").isEmpty)
    }

    /// The Linux kernel's top-level .gitignore ignores every dot-file, then re-includes the ones
    /// the tree tracks. These lines are typed here, not copied from the kernel.
    @Test("Linux-style .* with !.gitignore")
    func linuxDotFiles() {
        let file = IgnoreFile(
            text: """
                #
                # Normal rules (sorted alphabetically)
                #
                .*
                *.a
                *.o
                *.o.*
                *.ko
                modules.order
                #
                # We don't want to ignore the following even if they are dot-files
                #
                !.clang-format
                !.cocciconfig
                !.gitattributes
                !.gitignore
                !.mailmap
                !.rustfmt.toml
                """)
        #expect(file.match(".foo") == .ignored)
        #expect(file.match(".config") == .ignored)
        #expect(file.match("arch/x86/.built-in.a.cmd") == .ignored)
        #expect(file.match(".tmp_versions", directory: true) == .ignored)
        #expect(file.match(".gitignore") == .included)
        #expect(file.match("drivers/net/.gitignore") == .included)
        #expect(file.match(".mailmap") == .included)
        #expect(file.match("Makefile") == .unmatched)
        #expect(file.match("kernel", directory: true) == .unmatched)
        #expect(file.match("init/main.o") == .ignored)
        #expect(file.match("init/main.o.d") == .ignored)
        #expect(file.match("init/main.c") == .unmatched)
        #expect(file.match("modules.order") == .ignored)
    }
}

@Suite("Ignore rules: bad input")
struct IgnoreRulesBadInputTests {
    @Test("An empty file, and files of only comments and blanks")
    func emptyFiles() {
        for contents in [[], Array("\n\n\n".utf8), Array("# a\n#b\n\r\n".utf8), Array("   \n".utf8)] as [[UInt8]] {
            let file = IgnoreFile(contents: contents, origin: "empty")
            #expect(file.isEmpty)
            #expect(file.match("anything") == .unmatched)
            #expect(file.match("", directory: true) == .unmatched)
        }
    }

    @Test("NUL bytes end a pattern, as in git, and do not stop the file")
    func nulBytes() {
        let file = IgnoreFile(contents: Array("foo\u{0}bar\n\u{0}x\n*.o\n!\u{0}\n".utf8), origin: "nul")
        #expect(file.match("foo") == .ignored)
        #expect(file.match("foobar") == .unmatched)
        #expect(file.match(bytes: Array("foo\u{0}bar".utf8)) == .unmatched)
        #expect(file.match("x") == .unmatched)
        #expect(file.match("a.o") == .ignored)
        #expect(file.match(bytes: [0, 0, 0]) == .unmatched)
        #expect(file.match(bytes: Array("a\u{0}.o".utf8)) == .ignored)
        let globs = IgnoreFile(patterns: ["x\u{0}y"], origin: "--exclude")
        #expect(globs.match("x") == .ignored)
    }

    @Test("Invalid UTF-8 in patterns and paths is just bytes")
    func invalidUTF8() {
        var contents: [UInt8] = [0xC3, 0x28, 0x2A, 0x0A]  // "\xC3(*"
        contents += [0xFF, 0xFE] + Array(".txt\n".utf8)
        contents += Array("*.bin\n[".utf8) + [0x80] + Array("-".utf8) + [0xFF] + Array("]x\n".utf8)
        contents += Array("?z\n".utf8)
        let file = IgnoreFile(contents: contents, origin: "utf8")
        #expect(file.match(bytes: [0xC3, 0x28, 0x41]) == .ignored)
        #expect(file.match(bytes: [0xC3, 0x29]) == .unmatched)
        #expect(file.match(bytes: [0xFF, 0xFE] + Array(".txt".utf8)) == .ignored)
        #expect(file.match(bytes: [0xFF] + Array(".txt".utf8)) == .unmatched)
        #expect(file.match(bytes: [0x80, 0xFF, 0x2F] + Array("a.bin".utf8)) == .ignored)
        #expect(file.match(bytes: [0x90, 0x78]) == .ignored)
        #expect(file.match(bytes: [0x7F, 0x78]) == .unmatched)
        #expect(file.match(bytes: [0xE9, 0x7A]) == .ignored)  // ? matches any one byte but '/'
        #expect(file.match(bytes: [0xC3, 0xA9, 0x7A]) == .unmatched)  // é is two bytes
    }

    @Test("Unterminated brackets never match and do not disturb other lines")
    func unterminatedBrackets() {
        for pattern in [
            "[", "[!", "[^", "[]", "[!]", "[a-", "[a\\", "[[:alpha:]", "[[:alpha:", "x[", "*[", "**/[", "a/[b",
        ] {
            let file = IgnoreFile(text: "\(pattern)\nok\n")
            #expect(file.diagnostics.count == 1, "\(pattern)")
            for path in [pattern, "a", "x", "[", "ok/[", "a/b"] {
                #expect(file.match(path) == .unmatched, "\(pattern) on \(path)")
                #expect(file.match(path, directory: true) == .unmatched, "\(pattern) on \(path)/")
            }
            #expect(file.match("ok") == .ignored)
        }
    }

    @Test("A 1 MB single-line pattern")
    func megabyteLine() {
        let size = 1 << 20
        let literal = [UInt8](repeating: UInt8(ascii: "a"), count: size)
        var file = IgnoreFile(contents: literal, origin: "huge")
        #expect(file.match(bytes: literal) == .ignored)
        #expect(file.match(bytes: Array(literal.dropLast())) == .unmatched)
        #expect(file.match("a") == .unmatched)

        // Half a million stars: stars and literals alternate, so nothing collapses.
        let stars = [UInt8]((0..<(size / 2)).flatMap { _ in Array("*a".utf8) })
        file = IgnoreFile(contents: stars + Array("\nok\n".utf8), origin: "huge")
        #expect(file.match("aaaa") == .unmatched)
        #expect(file.match("ok") == .ignored)

        // A third of a million "**/" groups, then a name: every group may match nothing.
        let groups = [UInt8]((0..<(size / 3)).flatMap { _ in Array("**/".utf8) }) + Array("x".utf8)
        file = IgnoreFile(contents: groups, origin: "huge")
        #expect(file.match("x") == .ignored)
        #expect(file.match("a/b/c/x") == .ignored)
        #expect(file.match("a/b/c/y") == .unmatched)

        // A megabyte of brackets, of spaces, of backslashes, and of slashes.
        for byte in ["[", " ", "\\", "/", "!"] {
            let line = [UInt8](repeating: UInt8(ascii: Unicode.Scalar(byte) ?? " "), count: size)
            file = IgnoreFile(contents: line + Array("\nz\n".utf8), origin: "huge")
            #expect(file.match("a") == .unmatched)
            #expect(file.match("z") == .ignored)
        }
    }

    @Test("Odd paths do not crash")
    func oddPaths() {
        let file = IgnoreFile(text: "*\n!a/**/b\n/x\n*.c\nfoo/\n[a-z]?\n")
        for path in ["", "/", "//", "a/", "/a", "a//b", ".c", "a/.c/", "\u{0}", "foo/"] {
            _ = file.match(path)
            _ = file.match(path, directory: true)
        }
        #expect(file.match("a/x/b") == .included)
    }

    @Test("Random patterns and paths never crash")
    func randomPatterns() {
        var random = IgnoreSplitMix(seed: 0x5eed)
        let alphabet = Array("ab/*?[]!^-\\: #.\r\u{0}".utf8) + [0xFF, 0xC3]
        var contents: [UInt8] = []
        for _ in 0..<2000 {
            for _ in 0..<random.below(12) { contents.append(alphabet[random.below(alphabet.count)]) }
            contents.append(UInt8(ascii: "\n"))
        }
        let file = IgnoreFile(contents: contents, origin: "random")
        for _ in 0..<2000 {
            var path: [UInt8] = []
            for _ in 0..<random.below(16) { path.append(alphabet[random.below(alphabet.count)]) }
            _ = file.match(bytes: path, directory: random.below(2) == 0)
        }
    }
}

/// A small deterministic random number generator for reproducible tests.
struct IgnoreSplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound`.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
