import CCensusBytes
import Testing

@testable import CensusPatterns

/// The line automaton must pass exactly the line starts that one of its filters passes.
@Suite("Line automata")
struct LineAutomatonTests {
    /// The filters' meaning, checked one by one (the way the search worked before the automaton).
    static func filtersPass(_ program: RegexProgram, first: Int, count: Int, _ text: [UInt8], at start: Int) -> Bool {
        func member(_ set: Int32, _ byte: UInt8) -> Bool { program.setTable[Int(set) * 256 + Int(byte)] != 0 }
        func spells(_ offset: Int32, _ length: Int32, at q: Int) -> Bool {
            guard Int(length) <= text.count - q else { return false }
            return program.literalPool[Int(offset)..<Int(offset + length)].elementsEqual(text[q..<q + Int(length)])
        }
        for filter in program.lineFilters[first..<first + count] {
            if filter.always { return true }
            var q = start
            while q < text.count, member(filter.skip, text[q]) { q += 1 }
            guard q < text.count, member(filter.accept, text[q]) else { continue }
            if filter.prefixCount == 0 { return true }
            for prefix in program.prefixes[Int(filter.prefixStart)..<Int(filter.prefixStart + filter.prefixCount)] {
                guard spells(prefix.offset, prefix.length, at: q) else { continue }
                if prefix.gap < 0 { return true }
                var r = q + Int(prefix.length)
                while r < text.count, member(prefix.gap, text[r]) { r += 1 }
                if spells(prefix.tailOffset, prefix.tailLength, at: r) { return true }
            }
        }
        return false
    }

    static func automatonPasses(_ automaton: LineAutomaton, _ text: [UInt8], at start: Int) -> Bool {
        var state = automaton.start
        var p = start
        while state > LineAutomaton.pass, p < text.count {
            state = automaton.table[Int(state) * 256 + Int(text[p])]
            p += 1
        }
        return state == LineAutomaton.pass
    }

    @Test func agreesWithTheFiltersOnLinguistsPatterns() throws {
        var patterns: [String] = []
        for entry in LinguistPatterns.heuristics {
            patterns += entry.patterns
            if entry.patterns.count > 1 { patterns.append(linguistUnion(entry.patterns)) }
        }
        // The Objective-C and C++ patterns as one alternation (census's first pass for `.h`).
        let named = Dictionary(uniqueKeysWithValues: LinguistPatterns.heuristics.map { ($0.label, $0.patterns) })
        patterns.append(linguistUnion([linguistUnion(named["named_patterns.objectivec"] ?? []), linguistUnion(named["named_patterns.cpp"] ?? [])]))
        let texts = Samples.contents.map { Array($0.utf8) } + randomContents(count: 200, seed: 23) + [
            "\n  #  include <vector>\n", "\n#\t include <iostreams>", "\n\u{0C}\u{0B}template <", "\npublic:", "\n @end",
            "\n#import", "\n#import x.h>", "\n\n\n try", "\ncatch (", "\n  using  namespace std", "\n#include <",
        ].map { Array($0.utf8) }
        var automata = 0
        var compared = 0
        for pattern in patterns {
            let program = try ByteRegex(pattern).program
            guard case .finders(let finders, _) = program.strategy else { continue }
            for case .lineStarts(let first, let count) in finders {
                let automaton = LineAutomaton(program, first: Int(first), count: Int(count))
                automata += 1
                for text in texts {
                    for start in text.indices where start == 0 || text[start - 1] == 0x0A {
                        let expected = Self.filtersPass(program, first: Int(first), count: Int(count), text, at: start)
                        #expect(Self.automatonPasses(automaton, text, at: start) == expected, "/\(pattern)/ at \(start)")
                        compared += 1
                    }
                }
            }
        }
        #expect(automata > 50)
        #expect(compared > 100_000)
    }

    /// The 64-byte newline masks, at block edges and in the last short block.
    @Test func newlineMasksAndBlockEdges() throws {
        var random = SeededGenerator(seed: 5)
        for _ in 0..<2000 {
            let block = (0..<64).map { _ in [0x0A, 0x61, 0x00, 0xFF, 0x0D][Int.random(in: 0..<5, using: &random)] as UInt8 }
            let expected = block.enumerated().reduce(UInt64(0)) { $0 | ($1.element == 0x0A ? 1 << UInt64($1.offset) : 0) }
            #expect(block.withUnsafeBufferPointer { census_byte_mask64($0.baseAddress!, 0x0A) } == expected)
        }
        let regex = try ByteRegex("^x")
        for length in [62, 63, 64, 65, 66, 127, 128, 129, 200] {
            for newline in [0, 1, 62, 63, 64, 65, 126, 127, 128, length - 2, length - 1] where newline >= 0 && newline < length {
                var text = [UInt8](repeating: 0x61, count: length)
                text[newline] = 0x0A
                if newline + 1 < length { text[newline + 1] = 0x78 }
                let expected = newline + 1 < length
                #expect(regex.matches(text) == expected, "length \(length), newline at \(newline)")
                #expect(regex.firstMatch(in: text) == (expected ? (newline + 1)..<(newline + 2) : nil))
            }
        }
    }
}
