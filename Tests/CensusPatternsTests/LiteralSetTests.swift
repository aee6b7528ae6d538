import Testing

@testable import CensusPatterns

private func literals(_ strings: [String], caseInsensitive: Bool = false) -> [(bytes: [UInt8], caseInsensitive: Bool)] {
    strings.map { (Array($0.utf8), caseInsensitive) }
}

/// The indices of the literals that occur in `text`, by the obvious quadratic search.
private func naiveOccurrences(_ set: [(bytes: [UInt8], caseInsensitive: Bool)], in text: [UInt8]) -> [Int] {
    set.indices.filter { index in
        let literal = set[index].bytes
        if literal.isEmpty { return true }
        guard literal.count <= text.count else { return false }
        return (0...(text.count - literal.count)).contains { start in
            literal.indices.allSatisfy { offset in
                let a = text[start + offset]
                let b = literal[offset]
                return set[index].caseInsensitive ? ASCII.lower(a) == ASCII.lower(b) : a == b
            }
        }
    }
}

@Suite("LiteralSet")
struct LiteralSetTests {
    @Test func classicAhoCorasick() {
        let set = LiteralSet(literals(["he", "she", "his", "hers"]))
        #expect(set.occurrences(in: Array("ushers".utf8)) == [0, 1, 3])
        #expect(set.occurrences(in: Array("this".utf8)) == [2])
        #expect(set.occurrences(in: Array("HERS".utf8)) == [])
        #expect(set.occurrences(in: []) == [])
        #expect(set.count == 4)
    }

    @Test func eachIndexIsReportedOncePerScan() {
        let set = LiteralSet(literals(["ab", "b"]))
        var reported: [Int] = []
        Array("abababab".utf8).withUnsafeBytes { set.scan($0) { reported.append($0) } }
        #expect(reported == [0, 1])
    }

    @Test func caseInsensitiveLiteralsFoldASCIIOnly() {
        let set = LiteralSet([
            (Array("Interface".utf8), true), (Array("class".utf8), false), (Array("é".utf8), true), (Array("::".utf8), true),
        ])
        #expect(set.occurrences(in: Array("@INTERFACE Class".utf8)) == [0])
        #expect(set.occurrences(in: Array("@interface class".utf8)) == [0, 1])
        #expect(set.occurrences(in: Array("É é std::".utf8)) == [2, 3])
    }

    @Test func emptyAndDuplicateLiterals() {
        let set = LiteralSet(literals(["", "x", "x", "xyz"]))
        #expect(set.occurrences(in: []) == [0])
        #expect(set.occurrences(in: Array("axyz".utf8)) == [0, 1, 2, 3])
        #expect(LiteralSet([]).occurrences(in: Array("abc".utf8)) == [])
    }

    @Test func everyByteValue() {
        // 256 single-byte literals and some longer ones over all byte values.
        var set: [(bytes: [UInt8], caseInsensitive: Bool)] = (0...255).map { ([UInt8($0)], false) }
        set.append(([0x00, 0xFF, 0x80], false))
        set.append(([0x41, 0x80], true))
        let text: [UInt8] = [0x10, 0x00, 0xFF, 0x80, 0x61, 0x80]
        #expect(LiteralSet(set).occurrences(in: text) == naiveOccurrences(set, in: text))
    }

    @Test func randomSetsAgreeWithNaiveSearch() {
        var random = SeededGenerator(seed: 3)
        for round in 0..<400 {
            let alphabet: [UInt8] = round % 2 == 0 ? Array("abAB".utf8) : Array("abcdefgh\u{0}\u{FF}".utf8)
            var set: [(bytes: [UInt8], caseInsensitive: Bool)] = []
            for _ in 0..<Int.random(in: 1...30, using: &random) {
                let literal = (0..<Int.random(in: 0...5, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
                set.append((literal, Bool.random(using: &random)))
            }
            let literalSet = LiteralSet(set)
            for _ in 0..<10 {
                let text = (0..<Int.random(in: 0...40, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
                #expect(literalSet.occurrences(in: text) == naiveOccurrences(set, in: text), "\(set) on \(text)")
            }
        }
    }

    /// More than 32,767 states in each automaton: 32-bit entries (the narrow ones hold at most
    /// that many), alone and beside a narrow one.
    @Test func setsTooLargeForNarrowEntries() {
        var random = SeededGenerator(seed: 11)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz/._-".utf8)
        var wide: [(bytes: [UInt8], caseInsensitive: Bool)] = []
        // 8,000 random literals of 12 bytes, half ignoring case: about 45,000 trie nodes in each
        // automaton.
        for index in 0..<8_000 {
            wide.append(((0..<12).map { _ in alphabet.randomElement(using: &random)! }, index % 2 == 0))
        }
        let exact = wide.filter { !$0.caseInsensitive }
        let folded = wide.filter { $0.caseInsensitive }
        let cases: [([(bytes: [UInt8], caseInsensitive: Bool)], [Int])] = [
            (wide, [32, 32]), (exact, [32]),
            (exact + [(Array("node_modules/".utf8), true)], [32, 16]),
            (folded + [(Array("vendor/".utf8), false)], [16, 32]),
        ]
        for (set, widths) in cases {
            let literalSet = LiteralSet(set)
            #expect(literalSet.entryWidths == widths)
            for round in 0..<40 {
                var text = (0..<Int.random(in: 0...60, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
                // Plant literals (some upper-cased) so that matches occur.
                for _ in 0..<(round % 4) {
                    let planted = set.randomElement(using: &random)!.bytes
                    let at = Int.random(in: 0...text.count, using: &random)
                    text.insert(contentsOf: round % 3 == 0 ? planted.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 32 : $0 } : planted, at: at)
                }
                #expect(literalSet.occurrences(in: text) == naiveOccurrences(set, in: text))
            }
        }
    }

    @Test func containsAny() {
        let set = LiteralSet(literals(["node_modules/", "vendor/"]))
        #expect(Array("a/vendor/b.go".utf8).withUnsafeBytes { set.containsAny($0) })
        #expect(!Array("src/main.go".utf8).withUnsafeBytes { set.containsAny($0) })
    }
}
