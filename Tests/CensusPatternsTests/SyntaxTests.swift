import Testing

@testable import CensusPatterns

/// One hand-written expectation: the leftmost match of `pattern` in `input`, as Ruby 3.1 gives it
/// (each was checked with `ruby -e`, and ``featureTableAgreesWithRuby`` checks them again).
struct Expectation: CustomTestStringConvertible, Sendable {
    var pattern: String
    var options: ByteRegex.Options = []
    var input: [UInt8]
    var expected: Range<Int>?

    init(_ pattern: String, _ input: String, _ expected: Range<Int>?, _ options: ByteRegex.Options = []) {
        self.pattern = pattern
        self.input = Array(input.utf8)
        self.expected = expected
        self.options = options
    }

    init(_ pattern: String, bytes: [UInt8], _ expected: Range<Int>?, _ options: ByteRegex.Options = []) {
        self.pattern = pattern
        self.input = bytes
        self.expected = expected
        self.options = options
    }

    var testDescription: String { "/\(pattern)/ on \(String(decoding: input, as: UTF8.self).debugDescription)" }
}

enum FeatureTable {
    static let anchors: [Expectation] = [
        Expectation("^b", "a\nb", 2..<3),
        Expectation("\\n^", "a\n", nil),  // `^` does not match after a final newline
        Expectation("a$", "a\nb", 0..<1),
        Expectation("$", "a\r\n", 2..<2),  // only `\n` ends a line
        Expectation("\\Aa", "ba", nil),
        Expectation("\\Aa", "ab", 0..<1),
        Expectation("a\\z", "a\n", nil),
        Expectation("a\\Z", "a\n", 0..<1),
        Expectation("\\Z", "a\n\n", 2..<2),
        Expectation("^$", "", 0..<0),
        Expectation("\\bfoo\\b", "a foo.", 2..<5),
        Expectation("\\Bo", "foo", 1..<2),
        Expectation("\\b", "", nil),
        Expectation("\\B", "", 0..<0),
        Expectation("\\w+\\b", "é_ab", 2..<5),  // bytes of é are not word characters
    ]

    static let dots: [Expectation] = [
        Expectation("a.c", "a\nc abc", 4..<7),
        Expectation("a.c", "a\nc abc", 0..<3, .multiline),
        Expectation("(?m)a.c", "a\nc", 0..<3),
        Expectation("(?m:a.b)", "a\nb", 0..<3),
        Expectation(".", "\r", 0..<1),
        Expectation(".", "é", 0..<1),
        Expectation(".", "é", 0..<2, .utf8),
    ]

    static let classes: [Expectation] = [
        Expectation("[a-c]+", "xxbcay", 2..<5),
        Expectation("[^a-c]", "abcd", 3..<4),
        Expectation("[]a]", "]", 0..<1),
        Expectation("[a-]", "-", 0..<1),
        Expectation("[a-z-9]", "-", 0..<1),
        Expectation("[\\s&&[^\\n]]", "\n ", 1..<2),
        Expectation("[a-c&&b]", "ab", 1..<2),
        Expectation("[a&&]", "a", nil),
        Expectation("[[:alpha:]]+", "12ab3", 2..<4),
        Expectation("[[:^space:]]+", " ab ", 1..<3),
        Expectation("[[:punct:]]", "a$", 1..<2),
        Expectation("[\\w.]+", "x a.b_c!", 0..<1),
        Expectation("[\\w.]{2,}", "x a.b_c!", 2..<7),
        Expectation("(?i)[^a]", "A", nil),
        Expectation("(?i)[a-c&&B]", "B", nil),
        Expectation("(?i)[^[^a]]", "A", nil),
        Expectation("[\\x41-\\x43]", "B", 0..<1),
        Expectation("[\\b]", "\u{08}", 0..<1),
        Expectation("[\\1]", "\u{01}", 0..<1),
        Expectation("[\\R\\A]", "RA", 0..<1),
        Expectation("[é]", "xé", 1..<3, .utf8),
        Expectation("[^a]", "é", 0..<2, .utf8),
        Expectation("[^a]", "é", 0..<1),
    ]

    static let escapes: [Expectation] = [
        Expectation("\\s", "a\u{0B}", 1..<2),
        Expectation("\\s", "\u{A0}", nil, .utf8),  // `\s` is ASCII in Ruby, on UTF-8 strings too
        Expectation("\\h+", "aF9g", 0..<3),
        Expectation("\\H", "g", 0..<1),
        Expectation("\\d+", "ab123", 2..<5),
        Expectation("\\D", "1a", 1..<2),
        Expectation("\\W", "a_b-", 3..<4),
        Expectation("\\S+", " ab ", 1..<3),
        Expectation("\\R", "\r\n", 0..<2),
        Expectation("\\R\\R", "\r\n", nil),  // `\R` is atomic
        Expectation("\\R", "\u{0B}", 0..<1),
        Expectation("\\R", "\u{2028}", 0..<3, .utf8),
        Expectation("\\R", "\u{2028}", nil),
        Expectation("\\t\\n\\r\\f\\v\\e\\a\\0", "\t\n\r\u{0C}\u{0B}\u{1B}\u{07}\u{00}", 0..<8),
        Expectation("\\x41\\x4", "A\u{04}", 0..<2),
        Expectation("\\u00e9", "é", 0..<2),
        Expectation("\\u{41 42}", "AB", 0..<2),
        Expectation("\\101", "A", 0..<1),
        Expectation("\\10", "\u{08}", 0..<1),  // no ten groups: octal
        Expectation("\\cA", "\u{01}", 0..<1),
        Expectation("\\/\\.\\-\\#", "/.-#", 0..<4),
        Expectation("\\y", "y", 0..<1),  // an unknown escape is the character
        Expectation("\\k", "k", 0..<1),
    ]

    static let groups: [Expectation] = [
        Expectation("(?>a*)a", "aaa", nil),
        Expectation("a(?=b)", "ac ab", 3..<4),
        Expectation("a(?!b)", "ab ac", 3..<4),
        Expectation("(?<=ab)c", "abc", 2..<3),
        Expectation("(?<=a|bc)d", "bcd", 2..<3),
        Expectation("(?<!a)b", "ab b", 3..<4),
        Expectation("(?<=(?:ab|c))d", "abd", 2..<3),
        Expectation("(?<=é)x", "éx", 2..<3, .utf8),
        Expectation("(?<=^.)x", "éx", 2..<3, .utf8),
        Expectation("(?<=^..)x", "éx", 2..<3),
        Expectation("(a|b)\\1", "abba", 1..<3),
        Expectation("(?i)(a)\\1", "aA", 0..<2),
        Expectation("(?<n>.)\\k<n>", "xyy", 1..<3),
        Expectation("(?<n>.)\\k'n'", "xyy", 1..<3),
        Expectation("(a)?\\1b", "b", nil),
        Expectation("(\\1b|a\\n)+", "a\nb", 0..<2),  // a backreference sees the last completed capture
        Expectation("(a)\\k<-1>", "aa", 0..<2),
        Expectation("(?#comment)a", "a", 0..<1),
    ]

    static let options: [Expectation] = [
        Expectation("(?i)abc", "xAbC", 1..<4),
        Expectation("abc", "xAbC", 1..<4, .caseInsensitive),
        Expectation("a(?i)b|c", "c", nil),  // Onigmo reads it as a(?i:b|c)
        Expectation("a(?i)b|c", "aB", 0..<2),
        Expectation("a(?i)b|c", "aC", 0..<2),
        Expectation("(?i:a)b", "AB", nil),
        Expectation("(?i:a)b", "Ab", 0..<2),
        Expectation("(?i)é", "É", nil),  // ASCII folding only on a binary string
        Expectation("(?x) a b # c", "ab", 0..<2),
        Expectation(" a b ", "ab", 0..<2, .extended),
        Expectation("(?x)[ a]", " ", 0..<1),
        Expectation("(?x)a\\ b", "a b", 0..<3),
        Expectation("(?x)a{ 2}", "a{2}", 0..<4),
        Expectation("(?-mix:a.)|(?-mix:b)", "b", 0..<1),
        Expectation("(?i-m:A)", "a", 0..<1),
        Expectation("(?mi-x:a.)", "A\n", 0..<2),
    ]

    static let quantifiers: [Expectation] = [
        Expectation("a*", "baa", 0..<0),
        Expectation("a+", "baa", 1..<3),
        Expectation("a?b", "ab", 0..<2),
        Expectation("a{2}", "aaa", 0..<2),
        Expectation("a{2,}", "aaaa", 0..<4),
        Expectation("a{1,2}", "aaa", 0..<2),
        Expectation("a{,2}", "aaa", 0..<2),
        Expectation("a{0}", "a", 0..<0),
        Expectation("a{2}?", "a", 0..<0),  // Ruby: `x{n}?` is `(?:x{n})?`
        Expectation("a{1,2}?", "aaa", 0..<1),
        Expectation("a{2,}?", "aaa", 0..<2),
        Expectation("a{2}+", "aaaaa", 0..<4),  // Ruby: `x{n}+` is `(?:x{n})+`
        // FuzzRegexReference's finding (its generator took `{2,}+` as possessive): `(?:x{2,})+` in Ruby.
        Expectation("(?:(?:a){2,}+a){0,2}", "aaaaaaa\n", 0..<7),
        Expectation("a{2,}+a", "aaa", 0..<3),
        Expectation("a*?b", "aab", 0..<3),
        Expectation("a+?", "aa", 0..<1),
        Expectation("a??b", "ab", 0..<2),
        Expectation("a*+a", "aa", nil),
        Expectation("a++a", "aa", nil),
        Expectation("a?+a", "a", nil),
        Expectation("x**", "xx", 0..<2),
        Expectation("{", "{", 0..<1),
        Expectation("a{,}", "a{,}", 0..<4),
        Expectation("x{1", "x{1", 0..<3),
        Expectation("(a*)*b", "aab", 0..<3),
        Expectation("(a|)*b", "ab", 0..<2),
        Expectation("\\b*a", "a", 0..<1),
        Expectation("^*a", "ba", 1..<2),
        Expectation("(?:^)+a", "ba", nil),
    ]

    static let alternation: [Expectation] = [
        Expectation("cat|dog", "hotdog", 3..<6),
        Expectation("a|ab", "ab", 0..<1),  // leftmost, then first alternative
        Expectation("ab|a", "ab", 0..<2),
        Expectation("a|", "b", 0..<0),
        Expectation("one|two|three|four|five", "a five", 2..<6),
        Expectation("(?:x|one|two|three|four)+y", "onetwoxy", 0..<8),
    ]

    /// Patterns whose start positions come from the different finders.
    static let startPositions: [Expectation] = [
        Expectation("[a-z]\\w*:=", "ab cd:=", 3..<7),
        Expectation("\\w+\\s+\\w+\\(", "x foo bar(", 2..<10),
        Expectation("([^\\s]*)import\\.css", "a b/fooimport.css", 2..<17),
        Expectation("(.*?)\\.d\\.ts$", "x\ny.d.ts", 2..<8),
        Expectation(".*b", "a\nxb", 2..<4),
        Expectation("(^|/)cache/", "a/cache/x", 1..<8),
        Expectation("^[ \\t]*(private|public):$", "int x;\n  public:\n", 7..<16),
        Expectation("^\\s*#\\s*include <(vector|map)>", "#include <map.h>\n #  include <map>", 17..<34),
        Expectation("\\A\\s*[{\\[]", "  \n[1]", 0..<4),
        Expectation("\\A\\s*[{\\[]", "x [1]", nil),
    ]

    static let all = anchors + dots + classes + escapes + groups + options + quantifiers + alternation + startPositions
}

@Suite("Syntax and semantics")
struct SyntaxTests {
    @Test(arguments: FeatureTable.all)
    func expectation(_ item: Expectation) throws {
        let regex = try ByteRegex(item.pattern, options: item.options)
        #expect(regex.firstMatch(in: item.input) == item.expected)
        #expect(regex.matches(item.input) == (item.expected != nil))
    }

    @Test func featureTableAgreesWithRuby() throws {
        guard RubyReference.executable != nil else {
            print(RubyReference.skipMessage)
            return
        }
        let cases = FeatureTable.all.map { ReferenceCase(pattern: $0.pattern, options: $0.options, input: $0.input) }
        let ruby = try RubyReference.run(cases)
        for (item, outcome) in zip(FeatureTable.all, ruby) {
            switch outcome {
            case .match(let groups): #expect(groups.first ?? nil == item.expected, "\(item.testDescription)")
            case .noMatch: #expect(item.expected == nil, "\(item.testDescription)")
            case .raised:
                // `\u00e9` in a pattern against a binary string: Ruby refuses to compare the
                // encodings; the byte reading is ours.
                #expect(!item.options.contains(.utf8), "\(item.testDescription)")
            default: Issue.record("\(item.testDescription): Ruby \(outcome)")
            }
        }
    }

    @Test func capturesFollowRuby() throws {
        let text = Array("key = value".utf8)
        let regex = try ByteRegex("(\\w+)\\s*=\\s*(\\w+)?(x)?")
        #expect(regex.captureCount == 3)
        #expect(regex.captures(in: text) == [0..<11, 0..<3, 6..<11, nil])
        // With named groups, plain groups do not capture.
        let named = try ByteRegex("(?<key>\\w+)(\\s*)=(?<key>\\s*\\w+)")
        #expect(named.captureCount == 2)
        #expect(named.groupNames == ["key": [1, 2]])
        #expect(named.captures(in: text) == [0..<11, 0..<3, 5..<11])
        // The last iteration of a repeated group.
        #expect(try ByteRegex("(a|b)*").captures(in: Array("abba".utf8)) == [0..<4, 3..<4])
    }

    @Test func leftmostMatchAcrossStrategies() throws {
        // Several branches with different start strategies: a literal, line starts, a byte set.
        let regex = try ByteRegex("std::\\w+|^[ \\t]*(class|namespace)\\s+\\w+|[#@]import")
        #expect(regex.firstMatch(in: "int x;\n  class Foo\nstd::string") == 7..<18)
        #expect(regex.firstMatch(in: "std::map\nclass X") == 0..<8)
        #expect(regex.firstMatch(in: "x @import y") == 2..<9)
        #expect(regex.firstMatch(in: "\tint class x") == nil)
    }

    @Test func invalidUTF8IsJustBytes() throws {
        let text: [UInt8] = [0x61, 0xFF, 0xC3, 0x62]
        #expect(try ByteRegex("a.").firstMatch(in: text) == 0..<2)
        #expect(try ByteRegex("a.", options: .utf8).firstMatch(in: text) == 0..<2)
        #expect(try ByteRegex("[^a]+", options: .utf8).firstMatch(in: text) == 1..<4)
        #expect(try ByteRegex("\\xFF").firstMatch(in: text) == 1..<2)
        // In UTF-8 mode a match cannot start inside a character.
        #expect(try ByteRegex("\\xA9").firstMatch(in: Array("é".utf8)) == 1..<2)
        #expect(try ByteRegex("\\xA9", options: .utf8).firstMatch(in: Array("é".utf8)) == nil)
        // Linguist's `slick\.\w+.js$` on a path with a non-ASCII character: `.` is a character
        // on Ruby's UTF-8 path strings.
        let slick = "(^|/)slick\\.\\w+.js$"
        #expect(try ByteRegex(slick, options: .utf8).firstMatch(in: "a/slick.xéjs") == 1..<13)
        #expect(try ByteRegex(slick).firstMatch(in: "a/slick.xéjs") == nil)
    }

    @Test func requiredLiterals() throws {
        #expect(try ByteRegex("(^|/)cache/").requiredLiterals == [Array("cache/".utf8)])
        // Longer strings win (up to 8 bytes) over fewer: the four full suffixes, not "min.".
        #expect(
            Set(try ByteRegex("(\\.|-)min\\.(js|css)$").requiredLiterals)
                == Set([".min.js", ".min.css", "-min.js", "-min.css"].map { Array($0.utf8) }))
        #expect(try ByteRegex("(^|/)font-?awesome\\.(css|less|scss|styl)$").requiredLiterals == [Array("awesome.".utf8)])
        #expect(Set(try ByteRegex("abc|de").requiredLiterals) == [Array("abc".utf8), Array("de".utf8)])
        #expect(try ByteRegex("a*").requiredLiterals.isEmpty)
        #expect(try ByteRegex("\\w+").requiredLiterals.isEmpty)
        #expect(try ByteRegex("a(?=bcd)").requiredLiterals == [[0x61]])
        let folded = try ByteRegex("(?i)moveq")
        #expect(folded.requiredLiterals.isEmpty)
        #expect(folded.requiredLiteralsIgnoringCase.map(\.bytes) == [Array("moveq".utf8)])
        #expect(folded.requiredLiteralsIgnoringCase.map(\.caseInsensitive) == [true])
    }

    /// Every match of every Linguist pattern on the samples contains one of its required literals.
    @Test func requiredLiteralsOccurInEveryMatch() throws {
        var patterns = LinguistPatterns.heuristics.flatMap(\.patterns)
        patterns += LinguistPatterns.heuristics.map { linguistUnion($0.patterns) }
        patterns += LinguistPatterns.vendor + LinguistPatterns.documentation
        let inputs = Samples.contents.map { Array($0.utf8) } + Samples.paths.map { Array($0.utf8) }
        var checked = 0
        for pattern in patterns {
            let regex = try ByteRegex(pattern)
            let literals = regex.requiredLiteralsIgnoringCase
            if literals.isEmpty { continue }
            let set = LiteralSet(literals)
            for input in inputs {
                guard let range = regex.firstMatch(in: input) else { continue }
                checked += 1
                #expect(set.occurrences(in: Array(input[range])).count > 0, "/\(pattern)/ on \(input[range])")
            }
        }
        #expect(checked > 1000)
    }

    @Test func everyLinguistPatternCompiles() throws {
        var count = 0
        for entry in LinguistPatterns.heuristics {
            for pattern in entry.patterns + [linguistUnion(entry.patterns)] {
                _ = try ByteRegex(pattern)
                count += 1
            }
        }
        for pattern in LinguistPatterns.vendor + LinguistPatterns.documentation {
            _ = try ByteRegex(pattern)
            _ = try ByteRegex(pattern, options: .utf8)
            count += 1
        }
        _ = try ByteRegex(LinguistPatterns.vendor.joined(separator: "|"), options: .utf8)
        _ = try ByteRegex(LinguistPatterns.documentation.joined(separator: "|"), options: .utf8)
        #expect(count == 225 + 185 + 184)
    }
}
