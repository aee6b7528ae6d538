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
        var numbering = LiteralNumbering(capacity: patterns.count * 2)
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
                let (number, isNew) = numbering.number(literal.bytes, literal.caseInsensitive)
                if isNew { owners.append([k]) } else { owners[number].append(k) }
            }
        }
        self.regexes = regexes
        self.literals = numbering.literals
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
    /// Per set: its words in the candidate set (`wordStarts[s]..<wordEnds[s]`; two arrays, not an
    /// array of ranges, whose element type the runtime would first look up by a walk over every
    /// protocol conformance, on the path the first scanned file waits for), and the bits that
    /// are always candidates (patterns without a literal).
    private let wordStarts: [Int]
    private let wordEnds: [Int]
    private let always: [UInt64]

    init(_ sets: [PathRuleSet]) {
        count = sets.count
        var numbering = LiteralNumbering(capacity: sets.reduce(0) { $0 + $1.literals.count })
        var owners: [[Int]] = []
        var regexes: [DeferredRegex?] = []
        var patternIndex: [Int] = []
        var wordStarts: [Int] = []
        var wordEnds: [Int] = []
        var always: [UInt64] = []
        for set in sets {
            let firstWord = regexes.count / 64
            let base = regexes.count
            for (literal, patterns) in zip(set.literals, set.literalOwners) {
                let bits = patterns.map { base + $0 }
                let (number, isNew) = numbering.number(literal.bytes, literal.caseInsensitive)
                if isNew { owners.append(bits) } else { owners[number] += bits }
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
            wordStarts.append(firstWord)
            wordEnds.append(regexes.count / 64)
        }
        prefilter = LiteralSet(numbering.literals)
        self.owners = owners
        self.regexes = regexes
        self.patternIndex = patternIndex
        self.wordStarts = wordStarts
        self.wordEnds = wordEnds
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
                    search: for w in wordStarts[set] ..< wordEnds[set] {
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

/// Prefilter literals numbered in order of first appearance (the sets share literals such as
/// `/vendor/`), found by their hash in an open-addressing table of their numbers: no `Dictionary`,
/// whose first use in a run costs the Swift runtime a walk over every protocol conformance in the
/// binary to find the key's `Hashable` (about 0.2 ms, on the path the first scanned file waits for).
struct LiteralNumbering {
    private var slots: [Int32]
    private(set) var literals: [(bytes: [UInt8], caseInsensitive: Bool)] = []

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
    }

    private static func hash(_ bytes: [UInt8], _ caseInsensitive: Bool) -> Int {
        bytes.withUnsafeBufferPointer { ByteKeyLayout.hash($0, fold: false) } ^ (caseInsensitive ? 0x5bd1_e995 : 0)
    }

    /// The literal's number, and whether this call gave it.
    mutating func number(_ bytes: [UInt8], _ caseInsensitive: Bool) -> (number: Int, isNew: Bool) {
        if (literals.count + 1) * 2 > slots.count {
            // Grow: twice the slots, every literal placed again.
            slots = Array(repeating: -1, count: slots.count * 2)
            for (k, literal) in literals.enumerated() {
                var slot = Self.hash(literal.bytes, literal.caseInsensitive) & (slots.count - 1)
                while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
                slots[slot] = Int32(k)
            }
        }
        let mask = slots.count - 1
        var slot = Self.hash(bytes, caseInsensitive) & mask
        while slots[slot] >= 0 {
            let k = Int(slots[slot])
            if literals[k].caseInsensitive == caseInsensitive && literals[k].bytes == bytes { return (k, false) }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(literals.count)
        literals.append((bytes, caseInsensitive))
        return (literals.count - 1, true)
    }
}
