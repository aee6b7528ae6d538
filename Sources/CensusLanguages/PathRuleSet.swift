import CensusPatterns

/// One of Linguist's lists of path patterns (vendored, documentation, generated), with the
/// literals a prefilter needs; ``PathRuleGroup`` matches paths against all the lists at once.
///
/// Linguist joins its vendored (or documentation) patterns into one alternation; a path is
/// vendored when any of them matches. This keeps them apart so `census explain` can name the one
/// that matched (the first, in file order).
struct PathRuleSet: Sendable {
    let patterns: [String]
    /// Parsed and compiled when a path first makes one a candidate: a run meets few of them.
    private let regexes: [DeferredRegex]
    /// The literals of the patterns (each once), for a prefilter.
    let literals: [(bytes: [UInt8], caseInsensitive: Bool)]
    /// For each literal, the patterns that need it.
    private let owners: [[Int]]
    /// Patterns without a usable literal: always tried.
    private let unfiltered: [Int]

    /// Takes the patterns with the literals the generator found in each (nothing is parsed here:
    /// each pattern is parsed and compiled on its first candidate path). A pattern that does not
    /// parse or compile is reported by ``compileProblems()`` and never matches (the data file's
    /// tests keep that list empty).
    init(_ patterns: [String], literals required: [[RequiredLiteral]]) {
        precondition(patterns.count == required.count, "one literal list per pattern")
        self.patterns = patterns
        var regexes: [DeferredRegex] = []
        var literals: [(bytes: [UInt8], caseInsensitive: Bool)] = []
        var literalIndex: [String: Int] = [:]
        literalIndex.reserveCapacity(patterns.count * 2)
        var owners: [[Int]] = []
        var unfiltered: [Int] = []
        for (k, pattern) in patterns.enumerated() {
            let needed = required[k].map { (bytes: Array($0.text.utf8), caseInsensitive: $0.caseInsensitive) }
            regexes.append(DeferredRegex(unparsed: pattern, requiredLiterals: needed, forShortTexts: true))
            if needed.isEmpty {
                unfiltered.append(k)
                continue
            }
            for literal in needed {
                let key = literalKey(literal.bytes, literal.caseInsensitive)
                if let existing = literalIndex[key] {
                    owners[existing].append(k)
                } else {
                    literalIndex[key] = literals.count
                    literals.append(literal)
                    owners.append([k])
                }
            }
        }
        self.regexes = regexes
        self.literals = literals
        self.owners = owners
        self.unfiltered = unfiltered
    }

    /// Compiles every pattern now and names those that do not compile (empty for the shipped data).
    func compileProblems() -> [String] {
        regexes.compactMap { regex in
            guard case .failure(let error) = regex.compile() else { return nil }
            return "\(regex.pattern): \(error)"
        }
    }

    /// For ``PathRuleGroup``: the compiled patterns, the prefilter's literals with the patterns
    /// that need each, and the patterns without one.
    var compiled: [DeferredRegex] { regexes }
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
    /// Per candidate bit: the pattern (nil where a set's last word has no pattern; one that does
    /// not compile never matches) and its index in its own set.
    private let regexes: [DeferredRegex?]
    private let patternIndex: [Int]
    /// Per set: its words in the candidate set, and the bits that are always candidates
    /// (patterns without a literal).
    private let wordRanges: [Range<Int>]
    private let always: [UInt64]

    init(_ sets: [PathRuleSet]) {
        count = sets.count
        var literals: [(bytes: [UInt8], caseInsensitive: Bool)] = []
        var literalIndex: [String: Int] = [:]
        literalIndex.reserveCapacity(sets.reduce(0) { $0 + $1.literals.count })
        var owners: [[Int]] = []
        var regexes: [DeferredRegex?] = []
        var patternIndex: [Int] = []
        var ranges: [Range<Int>] = []
        var always: [UInt64] = []
        for set in sets {
            let firstWord = regexes.count / 64
            let base = regexes.count
            for (literal, patterns) in zip(set.literals, set.literalOwners) {
                let bits = patterns.map { base + $0 }
                let key = literalKey(literal.bytes, literal.caseInsensitive)
                if let existing = literalIndex[key] {
                    owners[existing] += bits
                } else {
                    literalIndex[key] = literals.count
                    literals.append(literal)
                    owners.append(bits)
                }
            }
            regexes += set.compiled.map { Optional($0) }
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

/// A prefilter literal as a dictionary key (the sets share literals such as `/vendor/`): its
/// bytes after a marker byte for its case rule (the literals come from the patterns' text, valid
/// UTF-8, so no two become one key). A `String` key rather than a struct of its own:
/// the first dictionary of a new key type costs the Swift runtime a scan of every protocol
/// conformance in the binary (about 0.2 ms at start-up), and `String`'s is found already.
private func literalKey(_ bytes: [UInt8], _ caseInsensitive: Bool) -> String {
    String(decoding: [caseInsensitive ? 1 : 0] + bytes, as: UTF8.self)
}
