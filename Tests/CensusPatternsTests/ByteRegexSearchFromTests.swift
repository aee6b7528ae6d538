import Testing

@testable import CensusPatterns

/// `search(_:from:)`: the leftmost match starting at or after an offset, with the text before it
/// still in view of `\b`, `^`, `\A` and lookbehind. Expected ranges are byte offsets counted by hand.
@Suite struct ByteRegexSearchFromTests {
    func search(_ pattern: String, _ text: String, from: Int, options: ByteRegex.Options = []) throws -> Range<Int>? {
        let regex = try ByteRegex(pattern, options: options)
        var copy = text
        return copy.withUTF8 { bytes -> Range<Int>? in
            if case .match(let range) = regex.search(UnsafeRawBufferPointer(bytes), from: from) { return range }
            return nil
        }
    }

    @Test func theTextBeforeTheOffsetIsContext() throws {
        // "xab ab": from 1, "ab" at 1 has a word character before it: no \b; the next is at 4.
        #expect(try search(#"\bab"#, "xab ab", from: 1) == 4..<6)
        // A slice from 1 would have matched at 1; searching from 0 finds the one at 4 too.
        #expect(try search(#"\bab"#, "xab ab", from: 0) == 4..<6)
        // ^ after a newline only; \A only at 0.
        #expect(try search("^b", "ab\nb", from: 1) == 3..<4)
        #expect(try search(#"\Aa"#, "aa", from: 1) == nil)
        // Lookbehind looks before the offset.
        #expect(try search("(?<=a)b", "ab", from: 1) == 1..<2)
    }

    @Test func offsetsAtAndPastTheEnd() throws {
        #expect(try search("a", "aaa", from: 2) == 2..<3)
        #expect(try search("a", "aaa", from: 3) == nil)
        #expect(try search("a", "aaa", from: 4) == nil)
        #expect(try search("$", "ab", from: 2) == 2..<2)
        #expect(try search("a", "aaa", from: -1) == nil)
    }

    @Test func inUTF8ModeMatchesStartOnCharacterBoundaries() throws {
        // "语" is 3 bytes (0..<3); from 1, the next character to start a match of `.` is "言" at 3.
        #expect(try search(".", "语言", from: 1, options: .utf8) == 3..<6)
        // Literal-prefiltered and alternation strategies honour the offset too.
        #expect(try search("Go|Java", "Go Java Go", from: 1) == 3..<7)
        #expect(try search("Go", "Go Java Go", from: 1) == 8..<10)
    }

    /// The matches successive `search(_:from:)` calls find, the slow way.
    func loopCount(_ regex: ByteRegex, _ text: String) -> Int {
        var copy = text
        return copy.withUTF8 { bytes -> Int in
            let buffer = UnsafeRawBufferPointer(bytes)
            var count = 0
            var from = 0
            while from <= buffer.count, case .match(let range) = regex.search(buffer, from: from) {
                count += 1
                from = range.isEmpty ? range.upperBound + 1 : range.upperBound
            }
            return count
        }
    }

    func countMatches(_ regex: ByteRegex, _ text: String) -> (count: Int, abandoned: Bool) {
        var copy = text
        return copy.withUTF8 { regex.countMatches(in: UnsafeRawBufferPointer($0)) }
    }

    @Test func countMatchesAgreesWithSuccessiveSearches() throws {
        // Ruby: "baac".scan(/a*/).size == 4 ("", "aa", "", ""); "Go, Go Golang Google".scan(/\bGo\b|Golang/).size == 3.
        #expect(countMatches(try ByteRegex("a*"), "baac") == (4, false))
        #expect(countMatches(try ByteRegex(#"\bGo\b|Golang"#), "Go, Go Golang Google") == (3, false))
        let patterns = [#"\bGo\b|Golang|Go语言"#, "a|b|c", "(?i)java", "^x", #"\d+"#, "x*", "(?<=a)b", ".", "[语言]"]
        let texts = ["", "Go语言 Golang Go", "abcabc", "JAVA java Java", "x\nxx\nyx", "12 345 6", "ab ab b", "语言Go"]
        for pattern in patterns {
            let regex = try ByteRegex(pattern, options: .utf8)
            for text in texts {
                #expect(countMatches(regex, text) == (loopCount(regex, text), false), "\(pattern) on \(text)")
            }
        }
        // Many matches, one pattern literal absent until the end: 20,001.
        #expect(countMatches(try ByteRegex(#"\bGo\b|Golang"#), String(repeating: "Go, ", count: 20_000) + "Golang") == (20_001, false))
        // Abandonment is reported, with the matches before it.
        let slow = try ByteRegex("(x+x+)+y")
        #expect(countMatches(slow, String(repeating: "x", count: 40)).abandoned)
    }
}
