import Foundation
import Testing

@testable import CensusPatterns

/// A small deterministic generator (SplitMix64) so that random cases are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// How Linguist builds a regexp from a list: `Regexp.union` of each pattern's `Regexp`.
func linguistUnion(_ patterns: [String]) -> String {
    patterns.count == 1 ? patterns[0] : patterns.map { "(?-mix:\($0))" }.joined(separator: "|")
}

/// Contents made by splicing lines of the samples, with CRLF endings, stray bytes of 0x80 and
/// above, and truncation.
func randomContents(count: Int, seed: UInt64) -> [[UInt8]] {
    var random = SeededGenerator(seed: seed)
    let lines = Samples.contents.flatMap { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    var result: [[UInt8]] = []
    for _ in 0..<count {
        var bytes: [UInt8] = []
        for _ in 0..<Int.random(in: 1...12, using: &random) {
            var line = Array(lines.randomElement(using: &random)!.utf8)
            switch Int.random(in: 0..<10, using: &random) {
            case 0: line.insert(UInt8.random(in: 0x80...0xFF, using: &random), at: Int.random(in: 0...line.count, using: &random))
            case 1: line = Array(line.prefix(Int.random(in: 0...line.count, using: &random)))
            case 2: line.insert(contentsOf: [0x20, 0x09][...].shuffled(using: &random), at: 0)
            default: break
            }
            bytes += line
            bytes += Int.random(in: 0..<5, using: &random) == 0 ? [0x0D, 0x0A] : [0x0A]
        }
        if Bool.random(using: &random) { bytes.removeLast() }
        result.append(bytes)
    }
    return result
}

/// Paths made from pieces of the sample paths.
func randomPaths(count: Int, seed: UInt64) -> [String] {
    var random = SeededGenerator(seed: seed)
    let pieces = Set(Samples.paths.flatMap { $0.split(separator: "/").map(String.init) }).sorted()
    return (0..<count).map { _ in
        (0..<Int.random(in: 1...5, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined(separator: "/")
    }
}

@Suite("Agreement with Ruby")
struct RubyReferenceTests {
    @Test func linguistHeuristicsAgree() throws {
        guard RubyReference.executable != nil else {
            print(RubyReference.skipMessage)
            return
        }
        // Each pattern alone; each union both as `(?-mix:a)|(?-mix:b)` and as the source Ruby's
        // `Regexp.union` builds (it turns a leading `(?im)` into `(?mi-x:...)`).
        var patterns: [String] = []
        for entry in LinguistPatterns.heuristics {
            patterns += entry.patterns
            if entry.patterns.count > 1 { patterns.append(linguistUnion(entry.patterns)) }
        }
        patterns += try Self.rubyUnionSources().filter { !patterns.contains($0) }
        let inputs = Samples.contents.map { Array($0.utf8) } + randomContents(count: 150, seed: 7)
        var cases: [ReferenceCase] = []
        for pattern in patterns {
            for input in inputs { cases.append(ReferenceCase(pattern: pattern, input: input)) }
        }
        let result = try ReferenceComparison.run(cases)
        print(
            "heuristics.yml: \(patterns.count) regexps × \(inputs.count) inputs: \(result.compared) pairs compared with Ruby, \(result.matched) matches, \(result.mismatches.count) disagreements, \(result.skipped) skipped"
        )
        #expect(result.mismatches.isEmpty, "\(result.mismatches.prefix(20).joined(separator: "\n"))")
        #expect(result.acceptedBeyondRuby.isEmpty, "\(result.acceptedBeyondRuby)")
        #expect(result.skipped == 0)
    }

    @Test func linguistPathRulesAgree() throws {
        guard RubyReference.executable != nil else {
            print(RubyReference.skipMessage)
            return
        }
        let rules = LinguistPatterns.vendor + LinguistPatterns.documentation
        let patterns =
            rules + [
                LinguistPatterns.vendor.joined(separator: "|"), LinguistPatterns.documentation.joined(separator: "|"),
            ]
        let paths = Samples.paths + randomPaths(count: 300, seed: 11)
        var cases: [ReferenceCase] = []
        for pattern in patterns {
            for path in paths {
                // Paths are UTF-8 strings in Linguist; the binary reading must agree on them too.
                cases.append(ReferenceCase(pattern: pattern, options: .utf8, input: Array(path.utf8)))
                cases.append(ReferenceCase(pattern: pattern, input: Array(path.utf8)))
            }
        }
        let result = try ReferenceComparison.run(cases)
        print(
            "vendor.yml + documentation.yml: \(patterns.count) regexps × \(paths.count) paths × 2 readings: \(result.compared) pairs compared with Ruby, \(result.matched) matches, \(result.mismatches.count) disagreements"
        )
        #expect(result.mismatches.isEmpty, "\(result.mismatches.prefix(20).joined(separator: "\n"))")
        #expect(result.skipped == 0)
    }

    /// The sources of Ruby's `Regexp.union` for every heuristic with several patterns.
    static func rubyUnionSources() throws -> [String] {
        let multi = LinguistPatterns.heuristics.filter { $0.patterns.count > 1 }.map(\.patterns)
        let json = String(decoding: try JSONEncoder().encode(multi), as: UTF8.self)
        let code = """
            require 'json'
            JSON.parse(\(json.debugDescription)).each { |p| puts Regexp.union(p.map { |s| Regexp.new(s) }).source.unpack1('H*') }
            """
        return try RubyReference.evaluate(code).split(separator: "\n").map { line in
            var bytes: [UInt8] = []
            var index = line.startIndex
            while index < line.endIndex {
                let next = line.index(index, offsetBy: 2)
                bytes.append(UInt8(line[index..<next], radix: 16) ?? 0)
                index = next
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    @Test func fixtureMatchesInstalledLinguist() throws {
        let gem = "/usr/lib/x86_64-linux-gnu/rubygems-integration/3.1.0/gems/github-linguist-\(LinguistPatterns.version)/lib/linguist"
        guard RubyReference.executable != nil, FileManager.default.fileExists(atPath: gem) else {
            print("ruby or github-linguist \(LinguistPatterns.version) not installed: fixture freshness not checked")
            return
        }
        let code = """
            require 'yaml'
            d = '\(gem)'
            puts YAML.load_file(File.join(d, 'vendor.yml')).size
            puts YAML.load_file(File.join(d, 'documentation.yml')).size
            h = YAML.load_file(File.join(d, 'heuristics.yml'))
            n = h['named_patterns'].values.sum { |v| Array(v).size }
            count = lambda { |r| (r['and'] || []).sum { |x| count.call(x) } + Array(r['pattern']).size + Array(r['negative_pattern']).size }
            puts n + h['disambiguations'].sum { |d| d['rules'].sum { |r| count.call(r) } }
            """
        let counts = try RubyReference.evaluate(code).split(separator: "\n").compactMap { Int($0) }
        #expect(
            counts == [
                LinguistPatterns.vendor.count, LinguistPatterns.documentation.count,
                LinguistPatterns.heuristics.reduce(0) { $0 + $1.patterns.count },
            ])
    }
}

/// Random patterns from a grammar of the supported syntax, over a small alphabet so that
/// matches, backtracking and captures are frequent.
struct RandomPatternGenerator {
    var random: SeededGenerator
    private var groups = 0

    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    mutating func pattern() -> String {
        groups = 0
        return alternation(depth: 3)
    }

    private mutating func pick<T>(_ choices: [T]) -> T { choices.randomElement(using: &random)! }
    private mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }

    private mutating func alternation(depth: Int) -> String {
        var branches = [sequence(depth: depth)]
        while chance(25) { branches.append(sequence(depth: depth)) }
        return branches.joined(separator: "|")
    }

    private mutating func sequence(depth: Int) -> String {
        var items = ""
        for _ in 0..<Int.random(in: 1...4, using: &random) { items += quantified(depth: depth) }
        return items
    }

    private mutating func quantified(depth: Int) -> String {
        let atom = self.atom(depth: depth)
        guard chance(35) else { return atom }
        let quantifier = pick(["*", "+", "?", "{2}", "{1,2}", "{2,}", "{,2}", "{0,1}"])
        let mode = quantifier.hasPrefix("{") ? pick(["", "", "?"]) : pick(["", "", "?", "+"])
        return atom + quantifier + mode
    }

    private mutating func atom(depth: Int) -> String {
        let simple = [
            "a", "b", "c", "a", "b", "ab", "ba", " ", "\\n", ".", "[ab]", "[^a]", "[a-c]", "[^\\n]", "\\w", "\\W",
            "\\s", "\\S", "\\d", "\\h", "\\b", "\\B", "^", "$", "\\A", "\\z", "\\Z", "\\R", "[[:alpha:]]",
            "[\\s&&[^\\n]]", "(?i:a)", "A",
        ]
        if depth == 0 || chance(60) { return pick(simple) }
        switch Int.random(in: 0..<12, using: &random) {
        case 0, 1, 2:
            groups += 1
            return "(" + alternation(depth: depth - 1) + ")"
        case 3: return "(?:" + alternation(depth: depth - 1) + ")"
        case 4: return "(?>" + alternation(depth: depth - 1) + ")"
        case 5: return "(?=" + alternation(depth: depth - 1) + ")"
        case 6: return "(?!" + alternation(depth: depth - 1) + ")"
        case 7: return pick(["(?<=a)", "(?<!b)", "(?<=ab|c)", "(?<!\\s)", "(?<=^a)", "(?<=[ab]\\n)"])
        case 8:
            // Followed by a consuming atom: after a backreference that matched nothing, Onigmo's
            // `^`, `\b` and lookbehinds look at the wrong character (see docs/patterns.md).
            return groups > 0 ? "(?:\\\(Int.random(in: 1...min(groups, 9), using: &random))[ab])" : "a"
        case 9: return "(?i:" + alternation(depth: depth - 1) + ")"
        case 10: return "(?m:" + alternation(depth: depth - 1) + ")"
        default:
            groups += 1
            return "(" + alternation(depth: depth - 1) + ")"
        }
    }

    mutating func input() -> [UInt8] {
        let alphabet = Array("aabbcAB \n\r_1".utf8) + [0xC3, 0xA9]
        return (0..<Int.random(in: 0...10, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
    }
}

@Suite("Random patterns against Ruby")
struct RandomReferenceTests {
    @Test func randomPatternsAndCapturesAgree() throws {
        guard RubyReference.executable != nil else {
            print(RubyReference.skipMessage)
            return
        }
        // CENSUS_FUZZ_PATTERNS and CENSUS_FUZZ_SEED widen the search when investigating.
        let environment = ProcessInfo.processInfo.environment
        let count = environment["CENSUS_FUZZ_PATTERNS"].flatMap { Int($0) } ?? 4000
        var generator = RandomPatternGenerator(seed: environment["CENSUS_FUZZ_SEED"].flatMap { UInt64($0) } ?? 2024)
        var cases: [ReferenceCase] = []
        for index in 0..<count {
            let pattern = generator.pattern()
            let options: ByteRegex.Options = index % 7 == 0 ? [.caseInsensitive] : index % 11 == 0 ? [.multiline] : []
            for _ in 0..<6 { cases.append(ReferenceCase(pattern: pattern, options: options, input: generator.input())) }
        }
        let result = try ReferenceComparison.run(cases, captures: true)
        print(
            "random patterns: \(cases.count) pairs, \(result.compared) compared with Ruby (groups included), \(result.matched) matches, \(result.mismatches.count) disagreements, \(result.emptyLoopDifferences.count) in the documented empty-loop area, \(result.acceptedBeyondRuby.count) patterns accepted that Ruby rejects"
        )
        // A few in the empty-loop area are expected; many would mean something broke there.
        #expect(result.emptyLoopDifferences.count * 1000 <= cases.count, "\(result.emptyLoopDifferences.prefix(10).joined(separator: "\n"))")
        #expect(result.mismatches.isEmpty, "\(result.mismatches.prefix(30).joined(separator: "\n"))")
        if !result.acceptedBeyondRuby.isEmpty { print(result.acceptedBeyondRuby.sorted().prefix(10).joined(separator: "\n")) }
    }
}
