/// Why a pattern can never match.
enum IgnoreGlobError: Error, Equatable {
    /// A `[` without its `]`.
    case unterminatedBracket
    /// `[:name:]` with a name wildmatch does not know.
    case unknownCharacterClass
    /// A `\` with nothing after it.
    case trailingBackslash
    /// More bracket expressions than fit a 32-bit index.
    case tooComplex

    /// A phrase for diagnostics.
    var explanation: String {
        switch self {
        case .unterminatedBracket: "unterminated bracket expression"
        case .unknownCharacterClass: "unknown character class in bracket expression"
        case .trailingBackslash: "it ends with an unescaped backslash"
        case .tooComplex: "too many bracket expressions"
        }
    }
}

/// One step of a compiled glob: a test that consumes one byte, or a star.
enum IgnoreToken: Sendable, Equatable {
    /// Exactly this byte.
    case byte(UInt8)
    /// Any byte but `/` (`?`).
    case anyButSlash
    /// A byte of `IgnoreGlobStorage.sets[index]` (a bracket expression; never `/`).
    case set(UInt32)
    /// Any run of bytes without `/` (`*`, and `**` where it is not a whole path component).
    case star
    /// Any run of bytes, `/` included (`**` as a whole path component).
    case starCrossingSlashes
    /// Either nothing, or the next two tokens (`starCrossingSlashes`, then `/`): the `**/` form,
    /// which matches zero or more whole directories.
    case optionalDirectories
}

/// A set of bytes, for bracket expressions.
struct IgnoreByteSet: Sendable, Equatable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// Whether `byte` is in the set.
    @inline(__always)
    func contains(_ byte: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    /// Adds `byte`.
    mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    /// Adds every byte from `low` through `high` (nothing when `low > high`).
    mutating func insert(from low: UInt8, through high: UInt8) {
        guard low <= high else { return }
        for byte in low...high { insert(byte) }
    }

    /// Removes `byte`.
    mutating func remove(_ byte: UInt8) {
        let mask = ~(UInt64(1) << UInt64(byte & 63))
        switch byte >> 6 {
        case 0: words.0 &= mask
        case 1: words.1 &= mask
        case 2: words.2 &= mask
        default: words.3 &= mask
        }
    }

    /// Every byte not in the set.
    var complement: IgnoreByteSet {
        var result = IgnoreByteSet()
        result.words = (~words.0, ~words.1, ~words.2, ~words.3)
        return result
    }

    static func == (lhs: IgnoreByteSet, rhs: IgnoreByteSet) -> Bool {
        lhs.words == rhs.words
    }

    /// The members of a POSIX class as git's wildmatch tests them (ASCII only, C locale; note
    /// that git's `space` is tab, newline, carriage return and space, without `\v` and `\f`).
    static func characterClass(_ name: UnsafeBufferPointer<UInt8>) -> IgnoreByteSet? {
        var set = IgnoreByteSet()
        func add(_ ranges: ClosedRange<UInt8>...) {
            for range in ranges { set.insert(from: range.lowerBound, through: range.upperBound) }
        }
        let digits: ClosedRange<UInt8> = 0x30...0x39
        let upper: ClosedRange<UInt8> = 0x41...0x5A
        let lower: ClosedRange<UInt8> = 0x61...0x7A
        switch String(decoding: name, as: UTF8.self) {
        case "alnum": add(digits, upper, lower)
        case "alpha": add(upper, lower)
        case "blank": add(0x09...0x09, 0x20...0x20)
        case "cntrl": add(0x00...0x1F, 0x7F...0x7F)
        case "digit": add(digits)
        case "graph": add(0x21...0x7E)
        case "lower": add(lower)
        case "print": add(0x20...0x7E)
        case "punct": add(0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E)
        case "space": add(0x09...0x0A, 0x0D...0x0D, 0x20...0x20)
        case "upper": add(upper)
        case "xdigit": add(digits, 0x41...0x46, 0x61...0x66)
        default: return nil
        }
        return set
    }

    /// Adds every member of `other`.
    mutating func formUnion(_ other: IgnoreByteSet) {
        words = (words.0 | other.words.0, words.1 | other.words.1, words.2 | other.words.2, words.3 | other.words.3)
    }
}

/// A run of one of the arrays of an `IgnoreGlobStorage`.
struct IgnoreSpan: Sendable, Equatable {
    /// The index of the first element.
    var start = 0
    /// How many elements.
    var count = 0

    /// The index after the run.
    var end: Int { start + count }
}

/// The arrays the compiled patterns of one ignore file point into.
///
/// Patterns hold only offsets, so they are plain values and the matcher walks them through unsafe
/// buffers, without reference counting in the per-file loop.
struct IgnoreGlobStorage: Sendable {
    /// Literal prefixes, suffixes and inner runs.
    var bytes: [UInt8] = []
    /// Every pattern's tokens, back to back.
    var tokens: [IgnoreToken] = []
    /// Bracket expressions, referred to by `.set` tokens.
    var sets: [IgnoreByteSet] = []
    /// Inner literal runs (spans of `bytes`), referred to by `IgnoreGlob.innerLiterals`.
    var runs: [IgnoreSpan] = []

    /// Calls `body` with unsafe views of the arrays.
    @inline(__always)
    func withBuffers<Result>(_ body: (IgnoreGlobBuffers) -> Result) -> Result {
        bytes.withUnsafeBufferPointer { bytes in
            tokens.withUnsafeBufferPointer { tokens in
                sets.withUnsafeBufferPointer { sets in
                    runs.withUnsafeBufferPointer { runs in
                        body(IgnoreGlobBuffers(bytes: bytes, tokens: tokens, sets: sets, runs: runs))
                    }
                }
            }
        }
    }

    /// Appends bytes and returns where they went.
    mutating func append<Bytes: Collection<UInt8>>(bytes new: Bytes) -> IgnoreSpan {
        let span = IgnoreSpan(start: bytes.count, count: new.count)
        bytes.append(contentsOf: new)
        return span
    }
}

/// Unsafe views of an `IgnoreGlobStorage`, valid inside `withBuffers`.
struct IgnoreGlobBuffers {
    let bytes: UnsafeBufferPointer<UInt8>
    let tokens: UnsafeBufferPointer<IgnoreToken>
    let sets: UnsafeBufferPointer<IgnoreByteSet>
    let runs: UnsafeBufferPointer<IgnoreSpan>

    /// A run of `bytes`.
    @inline(__always)
    func bytes(_ span: IgnoreSpan) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])
    }
}

/// A compiled gitignore pattern: a literal prefix, then tokens run as a small automaton.
///
/// git's wildmatch is a backtracking matcher; its early exits only prune searches that cannot
/// succeed, so it accepts exactly the texts of a regular language. This type matches the same
/// language with a bit-parallel NFA over the tokens: time proportional to text length times
/// pattern length at worst, no recursion (so no stack overflow on megabyte patterns), and no heap
/// allocation for patterns of up to a few thousand tokens. Cheap necessary conditions (length,
/// prefix, suffix, inner literals in order) reject most texts before the automaton runs.
///
/// A glob is a plain value: its parts live in the ignore file's `IgnoreGlobStorage`.
struct IgnoreGlob: Sendable {
    /// Bytes the text must start with: the pattern up to its first `*`, `?`, `[` or `\` (git's
    /// `nowildcardlen`; anchored patterns compare it before calling wildmatch on the rest).
    let prefix: IgnoreSpan
    /// The rest of the pattern, in the storage's `tokens`.
    let tokens: IgnoreSpan
    /// Bytes every match ends with (the literal tokens after the last star), in `bytes`.
    let suffix: IgnoreSpan
    /// The other runs of literal tokens, in the storage's `runs`: a match contains each of them,
    /// in order, without overlap, before `suffix`.
    let innerLiterals: IgnoreSpan
    /// The fewest bytes the tokens can match.
    let minimumLength: Int
    /// Whether the tokens contain a star (otherwise they match exactly `minimumLength` bytes).
    let hasStar: Bool
    /// The exact text matched, when the pattern has no wildcards (escapes resolved), in `bytes`.
    let literal: IgnoreSpan?
    /// For `*.ext` (also `*.tar.gz`, `**.ext`): the literal after the star, which starts with `.`,
    /// in `bytes`.
    let extensionSuffix: IgnoreSpan?

    /// Compiles a pattern (no `!`, no trailing `/`, no anchoring leading `/`, no NUL bytes) into
    /// `storage`.
    init(pattern: UnsafeBufferPointer<UInt8>, storage: inout IgnoreGlobStorage) throws(IgnoreGlobError) {
        var literalEnd = 0
        while literalEnd < pattern.count && !IgnoreByte.isGlobSpecial(pattern[literalEnd]) {
            literalEnd += 1
        }
        let tokens = try Self.tokenize(UnsafeBufferPointer(rebasing: pattern[literalEnd...]), sets: &storage.sets)
        prefix = storage.append(bytes: pattern[..<literalEnd])
        self.tokens = IgnoreSpan(start: storage.tokens.count, count: tokens.count)
        storage.tokens.append(contentsOf: tokens)

        var minimum = 0
        var star = false
        var index = 0
        while index < tokens.count {
            switch tokens[index] {
            case .byte, .anyButSlash, .set: minimum += 1
            case .star, .starCrossingSlashes: star = true
            case .optionalDirectories:
                star = true
                index += 2  // the optional `**` and `/` add nothing to the minimum
            }
            index += 1
        }
        minimumLength = minimum
        hasStar = star

        var suffixStart = tokens.count
        while suffixStart > 0, case .byte = tokens[suffixStart - 1] {
            // The `/` of a `**/` group is optional, so it cannot belong to the required suffix.
            if suffixStart >= 3, tokens[suffixStart - 3] == .optionalDirectories { break }
            suffixStart -= 1
        }
        suffix = storage.append(bytes: tokens[suffixStart...].compactMap(\.literalByte))

        let runsStart = storage.runs.count
        var runStart = -1
        index = 0
        while index <= suffixStart {
            if index < suffixStart, case .byte = tokens[index] {
                if runStart < 0 { runStart = index }
            } else if runStart >= 0 {
                storage.runs.append(storage.append(bytes: tokens[runStart..<index].compactMap(\.literalByte)))
                runStart = -1
            }
            if index < suffixStart, tokens[index] == .optionalDirectories { index += 2 }  // its `/` is optional
            index += 1
        }
        innerLiterals = IgnoreSpan(start: runsStart, count: storage.runs.count - runsStart)

        let tokenBytes = tokens.compactMap(\.literalByte)
        literal = tokenBytes.count == tokens.count ? storage.append(bytes: pattern[..<literalEnd] + tokenBytes) : nil
        if literalEnd == 0, tokens.count >= 2, tokens[0] == .star || tokens[0] == .starCrossingSlashes,
            tokens[1] == .byte(IgnoreByte.dot), tokenBytes.count == tokens.count - 1
        {
            extensionSuffix = storage.append(bytes: tokenBytes)
        } else {
            extensionSuffix = nil
        }
    }

    /// Splits the part of a pattern after its literal prefix into tokens, as wildmatch reads it.
    private static func tokenize(
        _ pattern: UnsafeBufferPointer<UInt8>, sets: inout [IgnoreByteSet]
    ) throws(IgnoreGlobError) -> [IgnoreToken] {
        var tokens: [IgnoreToken] = []
        var index = 0
        while index < pattern.count {
            let byte = pattern[index]
            switch byte {
            case IgnoreByte.backslash:
                guard index + 1 < pattern.count else { throw .trailingBackslash }
                tokens.append(.byte(pattern[index + 1]))
                index += 2
            case IgnoreByte.question:
                tokens.append(.anyButSlash)
                index += 1
            case IgnoreByte.openBracket:
                let (set, close) = try parseBracket(pattern, open: index)
                guard let setIndex = UInt32(exactly: sets.count) else { throw .tooComplex }
                tokens.append(.set(setIndex))
                sets.append(set)
                index = close + 1
            case IgnoreByte.star:
                let first = index
                while index < pattern.count && pattern[index] == IgnoreByte.star { index += 1 }
                guard index - first >= 2 else {
                    tokens.append(.star)
                    continue
                }
                // `**` is special only as a whole component: after the start or a `/`, and before
                // the end, a `/` or an escaped `/`. Elsewhere it is an ordinary `*`.
                let afterSlash = first == 0 || pattern[first - 1] == IgnoreByte.slash
                let next: UInt8 = index < pattern.count ? pattern[index] : 0
                let beforeSlash =
                    next == 0 || next == IgnoreByte.slash
                    || (next == IgnoreByte.backslash && index + 1 < pattern.count
                        && pattern[index + 1] == IgnoreByte.slash)
                if !(afterSlash && beforeSlash) {
                    tokens.append(.star)
                } else if next == IgnoreByte.slash {
                    tokens.append(contentsOf: [.optionalDirectories, .starCrossingSlashes, .byte(IgnoreByte.slash)])
                    index += 1
                } else {
                    // At the end, or before `\/` (where git does not try the zero-directory case).
                    tokens.append(.starCrossingSlashes)
                }
            default:
                tokens.append(.byte(byte))
                index += 1
            }
        }
        return tokens
    }

    /// Parses the bracket expression whose `[` is at `open`, exactly as wildmatch walks it.
    ///
    /// - Returns: the bytes it matches (never `/`) and the index of its closing `]`.
    private static func parseBracket(
        _ pattern: UnsafeBufferPointer<UInt8>, open: Int
    ) throws(IgnoreGlobError) -> (IgnoreByteSet, Int) {
        func byte(at index: Int) -> UInt8 { index < pattern.count ? pattern[index] : 0 }
        var index = open + 1
        var current = byte(at: index)
        let negated = current == IgnoreByte.bang || current == IgnoreByte.caret
        if negated {
            index += 1
            current = byte(at: index)
        }
        var set = IgnoreByteSet()
        var previous: UInt8 = 0  // 0: no byte a `-` could start a range from
        var knownClose = -1
        // The first member is read before looking for `]`, so `[]a]` and `[!]a]` contain `]`.
        repeat {
            if current == 0 { throw .unterminatedBracket }
            if current == IgnoreByte.backslash {
                index += 1
                current = byte(at: index)
                if current == 0 { throw .unterminatedBracket }
                set.insert(current)
            } else if current == IgnoreByte.dash && previous != 0 && byte(at: index + 1) != 0
                && byte(at: index + 1) != IgnoreByte.closeBracket
            {
                index += 1
                current = byte(at: index)
                if current == IgnoreByte.backslash {
                    index += 1
                    current = byte(at: index)
                    if current == 0 { throw .unterminatedBracket }
                }
                set.insert(from: previous, through: current)
                current = 0  // a range cannot start another range
            } else if current == IgnoreByte.openBracket && byte(at: index + 1) == IgnoreByte.colon {
                let nameStart = index + 2
                // The first `]` at or after `nameStart`. Remembered, so that "[:[:[:…" stays linear.
                if knownClose < nameStart {
                    knownClose = nameStart
                    while knownClose < pattern.count && pattern[knownClose] != IgnoreByte.closeBracket {
                        knownClose += 1
                    }
                }
                let close = knownClose
                if close >= pattern.count { throw .unterminatedBracket }
                if close - nameStart - 1 < 0 || pattern[close - 1] != IgnoreByte.colon {
                    // No `:]` before the next `]`: the `[` is an ordinary member.
                    set.insert(current)
                } else {
                    let name = UnsafeBufferPointer(rebasing: pattern[nameStart..<(close - 1)])
                    guard let members = IgnoreByteSet.characterClass(name) else {
                        throw .unknownCharacterClass
                    }
                    set.formUnion(members)
                    index = close
                    current = 0
                }
            } else {
                set.insert(current)
            }
            previous = current
            index += 1
            current = byte(at: index)
        } while current != IgnoreByte.closeBracket
        if negated { set = set.complement }
        set.remove(IgnoreByte.slash)
        return (set, index)
    }

    /// Whether the pattern matches all of `text`.
    func matches(_ text: UnsafeBufferPointer<UInt8>, in storage: IgnoreGlobBuffers) -> Bool {
        guard text.count >= prefix.count + minimumLength else { return false }
        if !hasStar && text.count != prefix.count + minimumLength { return false }
        guard Self.equal(storage.bytes(prefix), text, at: 0) else { return false }
        let rest = UnsafeBufferPointer(rebasing: text[prefix.count...])
        guard Self.equal(storage.bytes(suffix), rest, at: rest.count - suffix.count) else { return false }
        let tokens = UnsafeBufferPointer(rebasing: storage.tokens[self.tokens.start..<self.tokens.end])
        if !hasStar && suffix.count == tokens.count { return true }  // all literal, all compared

        // Shapes common enough to skip the rest.
        if tokens.count == 1 {
            switch tokens[0] {
            case .starCrossingSlashes: return true
            case .star: return !rest.contains(IgnoreByte.slash)
            default: break
            }
        }
        if innerLiterals.count > 0 {
            var position = 0
            let end = rest.count - suffix.count
            for run in storage.runs[innerLiterals.start..<innerLiterals.end] {
                guard let found = Self.find(storage.bytes(run), in: rest, from: position, before: end) else {
                    return false
                }
                position = found + run.count
            }
        }
        return Self.runAutomaton(tokens, sets: storage.sets, text: rest)
    }

    /// Whether `text[offset...]` starts with `bytes`.
    @inline(__always)
    private static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ text: UnsafeBufferPointer<UInt8>, at offset: Int)
        -> Bool
    {
        var index = 0
        while index < bytes.count {
            if bytes[index] != text[offset + index] { return false }
            index += 1
        }
        return true
    }

    /// The first position at or after `start` where `needle` lies wholly inside `text[..<end]`.
    private static func find(
        _ needle: UnsafeBufferPointer<UInt8>, in text: UnsafeBufferPointer<UInt8>, from start: Int, before end: Int
    ) -> Int? {
        guard let first = needle.first else { return start }
        var position = start
        while position + needle.count <= end {
            if text[position] == first && equal(needle, text, at: position) { return position }
            position += 1
        }
        return nil
    }

    /// Simulates the NFA whose state `i` means "the tokens before `i` have matched".
    private static func runAutomaton(
        _ tokens: UnsafeBufferPointer<IgnoreToken>, sets: UnsafeBufferPointer<IgnoreByteSet>,
        text: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        let stateCount = tokens.count + 1
        let wordCount = (stateCount + 63) >> 6
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: wordCount * 2) { storage in
            guard let base = storage.baseAddress else { return false }
            var current = base
            var next = base + wordCount
            current.initialize(repeating: 0, count: wordCount)
            next.initialize(repeating: 0, count: wordCount)
            current[0] = 1
            close(current, wordCount: wordCount, tokens: tokens)
            for byte in text {
                next.update(repeating: 0, count: wordCount)
                var alive = false
                for word in 0..<wordCount {
                    var bits = current[word]
                    while bits != 0 {
                        let state = word << 6 | bits.trailingZeroBitCount
                        bits &= bits - 1
                        guard state < tokens.count else { continue }
                        let target: Int
                        switch tokens[state] {
                        case .byte(let expected):
                            guard byte == expected else { continue }
                            target = state + 1
                        case .anyButSlash:
                            guard byte != IgnoreByte.slash else { continue }
                            target = state + 1
                        case .set(let set):
                            guard sets[Int(set)].contains(byte) else { continue }
                            target = state + 1
                        case .star:
                            guard byte != IgnoreByte.slash else { continue }
                            target = state
                        case .starCrossingSlashes:
                            target = state
                        case .optionalDirectories:
                            continue
                        }
                        next[target >> 6] |= UInt64(1) << UInt64(target & 63)
                        alive = true
                    }
                }
                guard alive else { return false }
                close(next, wordCount: wordCount, tokens: tokens)
                swap(&current, &next)
            }
            let accept = stateCount - 1
            return current[accept >> 6] & (UInt64(1) << UInt64(accept & 63)) != 0
        }
    }

    /// Adds every state reachable without consuming a byte. Such moves only go forward, so one
    /// ascending pass suffices.
    private static func close(
        _ states: UnsafeMutablePointer<UInt64>, wordCount: Int, tokens: UnsafeBufferPointer<IgnoreToken>
    ) {
        @inline(__always)
        func add(_ target: Int, word: Int, pending: inout UInt64) {
            let targetWord = target >> 6
            let bit = UInt64(1) << UInt64(target & 63)
            states[targetWord] |= bit
            if targetWord == word { pending |= bit }
        }
        for word in 0..<wordCount {
            var pending = states[word]
            while pending != 0 {
                let low = pending.trailingZeroBitCount
                pending &= pending - 1
                let state = word << 6 | low
                guard state < tokens.count else { continue }
                switch tokens[state] {
                case .star, .starCrossingSlashes:
                    add(state + 1, word: word, pending: &pending)
                case .optionalDirectories:
                    add(state + 1, word: word, pending: &pending)
                    add(state + 3, word: word, pending: &pending)
                default:
                    break
                }
            }
        }
    }
}

extension IgnoreToken {
    /// The byte of a `.byte` token.
    var literalByte: UInt8? {
        if case .byte(let byte) = self { return byte }
        return nil
    }
}
