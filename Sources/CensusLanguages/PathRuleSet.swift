import CensusPatterns

/// Many regular expressions matched against one short text (a path), fast: a literal prefilter
/// finds the few patterns that can match, and only those run.
///
/// Linguist joins its vendored (or documentation) patterns into one alternation; a path is
/// vendored when any of them matches. This keeps them apart so `census explain` can name the one
/// that matched (the first, in file order).
struct PathRuleSet: Sendable {
    let patterns: [String]
    private let regexes: [ByteRegex?]
    private let prefilter: LiteralSet
    /// For each literal of the prefilter, the patterns that need it.
    private let owners: [[Int]]
    /// Patterns without a usable literal: always tried.
    private let unfiltered: [Int]

    /// Compiles the patterns. A pattern that does not compile is reported in `problems` and never
    /// matches (the data file's tests keep that list empty).
    init(_ patterns: [String]) {
        self.patterns = patterns
        var regexes: [ByteRegex?] = []
        var literals: [(bytes: [UInt8], caseInsensitive: Bool)] = []
        var owners: [[Int]] = []
        var unfiltered: [Int] = []
        var problems: [String] = []
        for (k, pattern) in patterns.enumerated() {
            let regex: ByteRegex
            do {
                regex = try ByteRegex(pattern)
            } catch {
                problems.append("\(pattern): \(error)")
                regexes.append(nil)
                continue
            }
            regexes.append(regex)
            let required = regex.requiredLiteralsIgnoringCase
            if required.isEmpty {
                unfiltered.append(k)
                continue
            }
            for literal in required {
                if let existing = literals.firstIndex(where: { $0.bytes == literal.bytes && $0.caseInsensitive == literal.caseInsensitive }) {
                    owners[existing].append(k)
                } else {
                    literals.append(literal)
                    owners.append([k])
                }
            }
        }
        self.regexes = regexes
        self.prefilter = LiteralSet(literals)
        self.owners = owners
        self.unfiltered = unfiltered
        self.problems = problems
    }

    /// Patterns that did not compile (empty for the shipped data).
    let problems: [String]

    /// The index of the first pattern (in file order) that matches `text`, or `nil`.
    ///
    /// - Complexity: one prefilter pass over `text`, then only the candidate patterns; the
    ///   candidate set lives on the stack.
    func firstMatch(_ text: UnsafeRawBufferPointer) -> Int? {
        let words = (regexes.count + 63) / 64
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(words, 1)) { bits -> Int? in
            bits.initialize(repeating: 0)
            for k in unfiltered { bits[k >> 6] |= 1 << UInt64(k & 63) }
            prefilter.scan(text) { literal in
                for k in owners[literal] { bits[k >> 6] |= 1 << UInt64(k & 63) }
            }
            for w in 0 ..< words {
                var remaining = bits[w]
                while remaining != 0 {
                    let k = w * 64 + remaining.trailingZeroBitCount
                    remaining &= remaining - 1
                    if let regex = regexes[k], regex.matches(text) { return k }
                }
            }
            return nil
        }
    }

    /// For ``PathRuleGroup``: the compiled patterns, the prefilter's literals with the patterns
    /// that need each, and the patterns without one.
    var compiled: [ByteRegex?] { regexes }
    var literals: [(bytes: [UInt8], caseInsensitive: Bool)] { prefilter.literals }
    var literalOwners: [[Int]] { owners }
    var unfilteredPatterns: [Int] { unfiltered }
}

/// Several ``PathRuleSet``s asked of one path with one prefilter pass: the vendored,
/// documentation and generated path rules of every file, scanned together.
///
/// The sets' patterns are kept here in flat arrays (one candidate bit each), so that asking
/// copies no set: on two threads, retaining and releasing the sets' shared arrays for every file
/// cost more than the scan.
struct PathRuleGroup: Sendable {
    let count: Int
    private let prefilter: LiteralSet
    /// For each literal, the candidate bits it sets.
    private let owners: [[Int]]
    /// Per candidate bit: the pattern (nil where a set's last word has no pattern, or it did not
    /// compile) and its index in its own set.
    private let regexes: [ByteRegex?]
    private let patternIndex: [Int]
    /// Per set: its words in the candidate set, and the bits that are always candidates
    /// (patterns without a literal).
    private let wordRanges: [Range<Int>]
    private let always: [UInt64]

    init(_ sets: [PathRuleSet]) {
        count = sets.count
        var literals: [(bytes: [UInt8], caseInsensitive: Bool)] = []
        var owners: [[Int]] = []
        var regexes: [ByteRegex?] = []
        var patternIndex: [Int] = []
        var ranges: [Range<Int>] = []
        var always: [UInt64] = []
        for set in sets {
            let firstWord = regexes.count / 64
            let base = regexes.count
            for (literal, patterns) in zip(set.literals, set.literalOwners) {
                let bits = patterns.map { base + $0 }
                if let existing = literals.firstIndex(where: { $0.bytes == literal.bytes && $0.caseInsensitive == literal.caseInsensitive }) {
                    owners[existing] += bits
                } else {
                    literals.append(literal)
                    owners.append(bits)
                }
            }
            regexes += set.compiled
            patternIndex += set.compiled.indices
            // Each set starts on a word of its own.
            while regexes.count % 64 != 0 {
                regexes.append(nil)
                patternIndex.append(-1)
            }
            always += Array(repeating: 0, count: regexes.count / 64 - always.count)
            for k in set.unfilteredPatterns { always[(base + k) >> 6] |= 1 << UInt64((base + k) & 63) }
            ranges.append(firstWord ..< regexes.count / 64)
        }
        prefilter = LiteralSet(literals)
        self.owners = owners
        self.regexes = regexes
        self.patternIndex = patternIndex
        wordRanges = ranges
        self.always = always
    }

    /// Calls `body` with each set's first match (its pattern index, or -1), in the order of the sets.
    func firstMatches<R>(_ text: UnsafeRawBufferPointer, _ body: (UnsafeBufferPointer<Int>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(always.count, 1)) { bits in
            for w in 0 ..< always.count { bits[w] = always[w] }
            prefilter.scan(text) { literal in
                for k in owners[literal] { bits[k >> 6] |= 1 << UInt64(k & 63) }
            }
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: max(count, 1)) { matches in
                for set in 0 ..< count {
                    matches[set] = -1
                    search: for w in wordRanges[set] {
                        var remaining = bits[w]
                        while remaining != 0 {
                            let k = w * 64 + remaining.trailingZeroBitCount
                            remaining &= remaining - 1
                            if regexes[k]?.matches(text) == true {
                                matches[set] = patternIndex[k]
                                break search
                            }
                        }
                    }
                }
                return body(UnsafeBufferPointer(matches))
            }
        }
    }
}
