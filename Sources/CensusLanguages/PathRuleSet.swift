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
}
