import Testing

@testable import CensusPatterns

@Suite("Bad patterns and pathological matching")
struct BadInputTests {
    /// Malformed or unsupported patterns: the error names the byte offset where the problem was
    /// found (Ruby's message where Ruby rejects the pattern too).
    @Test(arguments: [
        ("(", 0, "unmatched parenthesis"),
        ("a)", 1, "unmatched close parenthesis"),
        ("(?:a", 0, "unmatched parenthesis"),
        ("[a", 0, "premature end of char-class"),
        ("[]", 0, "empty char-class"),
        ("a\\", 1, "too short escape"),
        ("a{100001}", 1, "too big number"),
        ("x{2,1}", 1, "upper is smaller"),
        ("*a", 0, "target of repeat operator is not specified"),
        ("a|+", 2, "target of repeat operator is not specified"),
        ("{2}", 0, "target of repeat operator is not specified"),
        ("(?<n", 2, "invalid group name"),
        ("(?<1a>x)", 2, "invalid group name"),
        ("(?z)", 2, "undefined group option"),
        ("(?", 2, "end pattern in group"),
        ("\\k<nope>", 0, "undefined name"),
        ("(a)\\2", 3, "invalid backref"),
        ("(?<n>a)\\1", 7, "numbered backref"),
        ("[z-a]", 1, "empty range"),
        ("[\\w-.]", 1, "unmatched range"),
        ("[a-\\w]", 1, "char-class value at end of range"),
        ("[[:foo:]]", 1, "invalid POSIX bracket"),
        ("\\xZ", 0, "invalid hex escape"),
        ("\\u12", 0, "invalid Unicode escape"),
        ("\\400", 0, "invalid escape code"),
        ("\\p{L}", 0, "not supported"),
        ("a\\Kb", 1, "not supported"),
        ("(?~a)", 0, "not supported"),
        ("(?<=a+)b", 0, "look-behind"),
        ("(?<=a\\1)(b)", 0, "look-behind"),
        ("[é]", 1, "needs the .utf8 option"),
    ])
    func malformedPatternThrows(_ pattern: String, _ offset: Int, _ message: String) {
        do {
            _ = try ByteRegex(pattern)
            Issue.record("/\(pattern)/ compiled")
        } catch {
            #expect(error.offset == offset, "\(error)")
            #expect(error.message.contains(message), "\(error)")
            #expect(error.description.contains(pattern))
        }
    }

    @Test func hugePatternsThrowInsteadOfExhaustingMemory() throws {
        #expect(throws: ByteRegexError.self) { try ByteRegex("((ab){1000}){1000}") }
        #expect(throws: ByteRegexError.self) { try ByteRegex(String(repeating: "(", count: 5000)) }
        #expect(throws: ByteRegexError.self) { try ByteRegex(String(repeating: "(?:a", count: 300) + String(repeating: ")", count: 300)) }
        #expect(throws: ByteRegexError.self) { try ByteRegex("a" + String(repeating: "?", count: 500)) }
        // Large but reasonable: a single-byte repeat is one instruction, not 100,000.
        #expect(try ByteRegex("a{100000}").firstMatch(in: [UInt8](repeating: 0x61, count: 100_001)) == 0..<100_000)
    }

    /// Random strings of pattern syntax never crash the parser, the compiler or the matcher.
    @Test func randomSyntaxNeverCrashes() {
        var random = SeededGenerator(seed: 42)
        let alphabet = Array("()[]{}|*+?^$.\\-:=!<>#&,0123456789abcdxkuwWsSdDhHbBAzZRpPgG'\"i-mx é".unicodeScalars)
        let texts: [[UInt8]] = [[], Array("abc (x) [y] {1,2} a-b é\n\r\n".utf8), [UInt8](repeating: 0x61, count: 200)]
        var compiled = 0
        for _ in 0..<20_000 {
            let length = Int.random(in: 1...14, using: &random)
            var pattern = ""
            for _ in 0..<length { pattern.unicodeScalars.append(alphabet.randomElement(using: &random)!) }
            let options = ByteRegex.Options(rawValue: Int.random(in: 0..<16, using: &random))
            guard let regex = try? ByteRegex(pattern, options: options) else { continue }
            compiled += 1
            for text in texts {
                let outcome = regex.search(text, stepLimit: 100_000)
                if case .match(let range) = outcome { #expect(range.lowerBound >= 0 && range.upperBound <= text.count) }
                _ = regex.requiredLiterals
            }
        }
        #expect(compiled > 1000)
    }

    static let pathological: [(String, [UInt8])] = [
        ("(a*)*b", [UInt8](repeating: 0x61, count: 50_000) + Array("cb".utf8)),
        ("(x+x+)+y", [UInt8](repeating: 0x78, count: 40) + [0x7A, 0x79]),
        ("(?:a|aa)+$", [UInt8](repeating: 0x61, count: 60) + [0x62]),
        ("^(\\w+\\s?)*$", Array("the quick brown fox jumps over the lazy dog and then some more words!".utf8)),
    ]

    /// Exponential backtracking is stopped by the step limit and reported as abandoned.
    @Test(arguments: pathological)
    func pathologicalPatternsAreBounded(_ pattern: String, _ text: [UInt8]) throws {
        let regex = try ByteRegex(pattern)
        let clock = ContinuousClock()
        var outcome = ByteRegex.Outcome.noMatch
        let elapsed = clock.measure { outcome = regex.search(text) }
        #expect(outcome == .abandoned)
        #expect(regex.firstMatch(in: text) == nil)
        #expect(elapsed < .seconds(10))
    }

    @Test func stepLimitIsPerSearch() throws {
        let regex = try ByteRegex("(a|b)*c")
        let text = Array(String(repeating: "ab", count: 1000).utf8) + [0x63]
        #expect(regex.search(text) == .match(0..<2001))
        #expect(regex.search(text, stepLimit: 100) == .abandoned)
    }

    @Test func deepBacktrackingMovesToTheHeap() throws {
        // A general loop pushes one entry per iteration: far more than the stack buffer holds.
        let regex = try ByteRegex("(?:ab|a)*c")
        let text = Array(String(repeating: "ab", count: 20_000).utf8) + [0x63]
        #expect(regex.firstMatch(in: text) == 0..<40_001)
        #expect(regex.firstMatch(in: Array(text.dropLast())) == nil)
    }
}
