/// What may follow a point of the pattern: the bytes the continuation can consume first, and
/// whether it can succeed without consuming anything.
struct Follow: Sendable {
    /// Bytes the continuation can consume first (a superset).
    var bytes: ByteSet
    /// The continuation can match without consuming a byte.
    var mayBeEmpty: Bool
    /// The continuation can always match without consuming (no assertion on that path), so a
    /// greedy loop that stops anywhere is followed by success.
    var emptyAlwaysSucceeds: Bool

    /// The end of the pattern (or of an atomic or lookahead body): success.
    static let end = Follow(bytes: ByteSet(), mayBeEmpty: true, emptyAlwaysSucceeds: true)
    /// Nothing is known.
    static let unknown = Follow(bytes: .all, mayBeEmpty: true, emptyAlwaysSucceeds: false)

    /// The follow of `node` followed by this continuation.
    func prepending(_ node: RegexNode, utf8: Bool) -> Follow {
        if !node.isNullable { return Follow(bytes: node.firstBytes(utf8: utf8), mayBeEmpty: false, emptyAlwaysSucceeds: false) }
        return Follow(
            bytes: node.firstBytes(utf8: utf8).union(bytes), mayBeEmpty: mayBeEmpty,
            emptyAlwaysSucceeds: emptyAlwaysSucceeds && node.matchesEmptyUnconditionally)
    }

    /// A definite set when the continuation must consume a byte from it first.
    var definiteBytes: ByteSet? { mayBeEmpty ? nil : bytes }
}

/// Where a match can start: used to skip positions without running the matcher.
struct StartInfo: Sendable {
    /// No restriction known.
    var anywhere = false
    /// At the start of the text (`\A`, `^`).
    var textStart = false
    /// After a `\n` that is not the last byte (`^`).
    var lineStart = false
    /// The bytes after a line start at which a `^` branch can continue.
    var afterLineStart = ByteSet()
    /// At a byte from this set.
    var bytes = ByteSet()

    static let anywhereInfo: StartInfo = {
        var info = StartInfo()
        info.anywhere = true
        return info
    }()

    func union(_ other: StartInfo) -> StartInfo {
        var result = self
        result.anywhere = anywhere || other.anywhere
        result.textStart = textStart || other.textStart
        result.lineStart = lineStart || other.lineStart
        result.afterLineStart.formUnion(other.afterLineStart)
        result.bytes.formUnion(other.bytes)
        return result
    }
}

/// A literal that must occur in a match, for prefiltering.
struct RequiredString: Hashable, Sendable {
    var bytes: [UInt8]
    /// ASCII letters match either case.
    var fold: Bool

    /// The concatenation, when one case rule covers both parts.
    func appending(_ other: RequiredString) -> RequiredString? {
        let selfLetters = bytes.contains(where: ASCII.isLetter)
        let otherLetters = other.bytes.contains(where: ASCII.isLetter)
        let selfFolds = fold && selfLetters
        let otherFolds = other.fold && otherLetters
        if selfFolds && otherLetters && !otherFolds { return nil }
        if otherFolds && selfLetters && !selfFolds { return nil }
        return RequiredString(bytes: bytes + other.bytes, fold: selfFolds || otherFolds)
    }
}

extension RegexNode {
    /// True when the node can match the empty string (assertions, lookarounds and
    /// backreferences count as nullable).
    var isNullable: Bool {
        switch self {
        case .empty, .assertion, .look, .backreference: return true
        case .literal(let bytes, _): return bytes.isEmpty
        case .byteSet, .charClass, .lineBreak: return false
        case .concat(let items): return items.allSatisfy { $0.isNullable }
        case .alternation(let branches): return branches.contains(where: \.isNullable)
        case .capture(_, let body), .atomic(let body): return body.isNullable
        case .repetition(let body, let minimum, _, _): return minimum == 0 || body.isNullable
        }
    }

    /// True when the node can match the empty string on a path without assertions.
    var matchesEmptyUnconditionally: Bool {
        switch self {
        case .empty: return true
        case .assertion, .look, .backreference, .byteSet, .charClass, .lineBreak: return false
        case .literal(let bytes, _): return bytes.isEmpty
        case .concat(let items): return items.allSatisfy { $0.matchesEmptyUnconditionally }
        case .alternation(let branches): return branches.contains(where: \.matchesEmptyUnconditionally)
        case .capture(_, let body), .atomic(let body): return body.matchesEmptyUnconditionally
        case .repetition(let body, let minimum, _, _): return minimum == 0 || body.matchesEmptyUnconditionally
        }
    }

    /// The bytes a non-empty match can start with (a superset).
    func firstBytes(utf8: Bool) -> ByteSet {
        switch self {
        case .empty, .assertion, .look: return ByteSet()
        case .backreference: return .all
        case .literal(let bytes, let fold):
            guard let first = bytes.first else { return ByteSet() }
            return fold ? ByteSet([first]).asciiCaseClosed : ByteSet([first])
        case .byteSet(let set): return set
        case .charClass(let set):
            var bytes = set.bytes(below: 0x80)
            if set.hasMember(atOrAbove: 0x80) { bytes.insert(range: 0x80...0xFF) }
            return bytes
        case .lineBreak:
            var bytes = ByteSet(range: 0x0A...0x0D)
            if utf8 {
                bytes.insert(0xC2)
                bytes.insert(0xE2)
            }
            return bytes
        case .concat(let items):
            var result = ByteSet()
            for item in items {
                result.formUnion(item.firstBytes(utf8: utf8))
                if !item.isNullable { break }
            }
            return result
        case .alternation(let branches):
            return branches.reduce(ByteSet()) { $0.union($1.firstBytes(utf8: utf8)) }
        case .capture(_, let body), .atomic(let body), .repetition(let body, _, _, _):
            return body.firstBytes(utf8: utf8)
        }
    }

    /// Where a match of this node followed by a continuation (starting at `next`, with follow
    /// `follow`) can start.
    func startInfo(next: StartInfo, follow: Follow, utf8: Bool) -> StartInfo {
        switch self {
        case .empty: return next
        case .literal(let bytes, _) where bytes.isEmpty: return next
        case .literal, .byteSet, .charClass, .lineBreak:
            var info = StartInfo()
            info.bytes = firstBytes(utf8: utf8)
            return info
        case .assertion(.textStart):
            var info = StartInfo()
            info.textStart = true
            return info
        case .assertion(.lineStart):
            var info = StartInfo()
            info.textStart = true
            info.lineStart = true
            info.afterLineStart = follow.definiteBytes ?? .all
            return info
        case .assertion, .look: return next
        case .backreference: return .anywhereInfo
        case .concat(let items):
            var info = next
            var continuation = follow
            for item in items.reversed() {
                info = item.startInfo(next: info, follow: continuation, utf8: utf8)
                continuation = continuation.prepending(item, utf8: utf8)
            }
            return info
        case .alternation(let branches):
            var info = StartInfo()
            for branch in branches { info = info.union(branch.startInfo(next: next, follow: follow, utf8: utf8)) }
            return info
        case .capture(_, let body), .atomic(let body):
            return body.startInfo(next: next, follow: follow, utf8: utf8)
        case .repetition(let body, let minimum, _, _):
            let loopFollow = follow.prepending(.repetition(body, min: 0, max: -1, kind: .greedy), utf8: utf8)
            let info = body.startInfo(next: next, follow: loopFollow, utf8: utf8)
            return minimum == 0 ? info.union(next) : info
        }
    }

    /// The possible lengths of a match, in units (bytes, or characters in UTF-8 mode), ascending
    /// and each once; nil when unbounded, unknown (backreferences) or too many.
    ///
    /// Sorted arrays rather than `Set<Int>`: a pattern is compiled on first use, while a file
    /// waits, and the first `Set<Int>` of a run costs a search of the program's 7,000 protocol
    /// conformances.
    func lengths(utf8: Bool) -> [Int]? {
        let limit = 64
        /// `values` sorted, each once.
        func distinct(_ values: [Int]) -> [Int] {
            var sorted = values.sorted()
            var kept = 0
            for value in sorted where kept == 0 || sorted[kept - 1] != value {
                sorted[kept] = value
                kept += 1
            }
            sorted.removeLast(sorted.count - kept)
            return sorted
        }
        func sums(_ a: [Int], _ b: [Int]) -> [Int]? {
            var result: [Int] = []
            result.reserveCapacity(a.count * b.count)
            for x in a { for y in b { result.append(x + y) } }
            result = distinct(result)
            return result.count > limit ? nil : result
        }
        switch self {
        case .empty, .assertion, .look: return [0]
        case .backreference: return nil
        case .literal(let bytes, _):
            return [utf8 ? bytes.filter { $0 & 0xC0 != 0x80 }.count : bytes.count]
        case .byteSet, .charClass: return [1]
        case .lineBreak: return [1, 2]
        case .concat(let items):
            var result = [0]
            for item in items {
                guard let lengths = item.lengths(utf8: utf8), let combined = sums(result, lengths) else { return nil }
                result = combined
            }
            return result
        case .alternation(let branches):
            var result: [Int] = []
            for branch in branches {
                guard let lengths = branch.lengths(utf8: utf8) else { return nil }
                result = distinct(result + lengths)
                if result.count > limit { return nil }
            }
            return result
        case .capture(_, let body), .atomic(let body): return body.lengths(utf8: utf8)
        case .repetition(let body, let minimum, let maximum, _):
            guard maximum >= 0, let lengths = body.lengths(utf8: utf8) else { return nil }
            if lengths == [0] { return [0] }
            if maximum > limit { return nil }
            var result: [Int] = []
            var current = [0]
            for count in 0...maximum {
                if count >= minimum {
                    result = distinct(result + current)
                    if result.count > limit { return nil }
                }
                guard let next = sums(current, lengths) else { return nil }
                current = next
            }
            return result
        }
    }

    /// True when the node contains a node for which `predicate` holds.
    func contains(where predicate: (RegexNode) -> Bool) -> Bool {
        if predicate(self) { return true }
        switch self {
        case .concat(let items), .alternation(let items): return items.contains { $0.contains(where: predicate) }
        case .capture(_, let body), .atomic(let body), .repetition(let body, _, _, _), .look(let body, _, _):
            return body.contains(where: predicate)
        default: return false
        }
    }

    /// How deep the tree is, stopping at `limit`.
    func depth(limit: Int) -> Int {
        if limit <= 0 { return 1 }
        switch self {
        case .concat(let items), .alternation(let items):
            return 1 + (items.map { $0.depth(limit: limit - 1) }.max() ?? 0)
        case .capture(_, let body), .atomic(let body), .repetition(let body, _, _, _), .look(let body, _, _):
            return 1 + body.depth(limit: limit - 1)
        default: return 1
        }
    }

    /// An estimate of the number of instructions, saturating at `limit`.
    func estimatedSize(limit: Int) -> Int {
        func capped(_ value: Int) -> Int { min(value, limit) }
        switch self {
        case .concat(let items), .alternation(let items):
            return capped(items.reduce(2) { capped($0 + $1.estimatedSize(limit: limit)) })
        case .capture(_, let body), .atomic(let body), .look(let body, _, _):
            return capped(4 + body.estimatedSize(limit: limit))
        case .repetition(let body, let minimum, let maximum, _):
            if case .byteSet = body { return 2 }  // one `repeatSet` instruction
            if case .literal(let bytes, _) = body, bytes.count == 1 { return 2 }
            let size = body.estimatedSize(limit: limit)
            let copies = max(minimum, maximum, 1)
            if size >= limit || copies >= limit { return limit }
            return capped(4 + size.multipliedReportingOverflow(by: copies + 1).partialValue)
        default: return 2
        }
    }

    // MARK: Required literals

    /// Every match of the node is exactly one of these strings; nil when that set is unknown or large.
    func exactStrings() -> [RequiredString]? {
        let limit = 16
        switch self {
        case .empty: return [RequiredString(bytes: [], fold: false)]
        case .literal(let bytes, let fold):
            return [RequiredString(bytes: bytes, fold: fold && bytes.contains(where: ASCII.isLetter))]
        case .byteSet(let set):
            guard set.count <= 4 else { return nil }
            return set.elements.map { RequiredString(bytes: [$0], fold: false) }
        case .capture(_, let body), .atomic(let body): return body.exactStrings()
        case .concat(let items):
            var result = [RequiredString(bytes: [], fold: false)]
            for item in items {
                guard let strings = item.exactStrings() else { return nil }
                var product: [RequiredString] = []
                for prefix in result {
                    for suffix in strings {
                        guard let joined = prefix.appending(suffix) else { return nil }
                        product.append(joined)
                    }
                }
                if product.count > limit { return nil }
                result = product
            }
            return result
        case .alternation(let branches):
            var result: [RequiredString] = []
            for branch in branches {
                guard let strings = branch.exactStrings() else { return nil }
                result += strings
                if result.count > limit { return nil }
            }
            return result
        case .repetition(let body, let minimum, let maximum, _) where minimum == maximum && minimum <= 8:
            return RegexNode.concat(Array(repeating: body, count: minimum)).exactStrings()
        default: return nil
        }
    }

    /// Strings of which every match contains at least one; nil when none can be derived.
    func requiredStrings() -> [RequiredString]? {
        switch self {
        case .literal(let bytes, _) where !bytes.isEmpty: return exactStrings()
        case .capture(_, let body), .atomic(let body): return body.requiredStrings()
        case .repetition(let body, let minimum, _, _) where minimum >= 1: return body.requiredStrings()
        case .alternation(let branches):
            var result: [RequiredString] = []
            for branch in branches {
                guard let strings = branch.requiredStrings() else { return nil }
                result += strings
                if result.count > 64 { return nil }
            }
            return Self.deduplicated(result)
        case .concat(let items):
            var best: [RequiredString]? = nil
            func consider(_ candidate: [RequiredString]?) {
                guard let candidate, !candidate.isEmpty, candidate.allSatisfy({ !$0.bytes.isEmpty }) else { return }
                if let current = best, Self.score(current) >= Self.score(candidate) { return }
                best = candidate
            }
            // Each item alone, and runs of items with known exact strings, joined.
            var run: [RequiredString]? = nil
            for item in items {
                consider(item.exactStrings() ?? item.requiredStrings())
                if let strings = item.exactStrings() {
                    if let current = run {
                        var product: [RequiredString] = []
                        var fits = true
                        outer: for prefix in current {
                            for suffix in strings {
                                guard let joined = prefix.appending(suffix) else {
                                    fits = false
                                    break outer
                                }
                                product.append(joined)
                            }
                        }
                        if fits, product.count <= 16 {
                            run = product
                            continue
                        }
                        consider(current)
                    }
                    run = strings
                } else {
                    if let current = run { consider(current) }
                    run = nil
                }
            }
            if let current = run { consider(current) }
            return best.map(Self.deduplicated)
        default: return nil
        }
    }

    /// Longer shortest strings are better, up to eight bytes (past that every candidate is
    /// selective enough); then fewer strings. A set of a few longer strings beats one short one:
    /// a single common byte such as `@` rules out almost nothing, while `@interface`, `@class`, …
    /// rule out nearly every file that is not Objective-C.
    private static func score(_ strings: [RequiredString]) -> (Int, Int) {
        let shortest = strings.map { $0.bytes.count }.min() ?? 0
        return (min(shortest, 8), -strings.count)
    }

    private static func deduplicated(_ strings: [RequiredString]) -> [RequiredString] {
        // Short lists (nearly all) by comparison: a scan compiles patterns at start-up, and the
        // first `Set` of this element type costs the runtime a walk over every protocol
        // conformance in the binary.
        if strings.count <= 32 {
            var result: [RequiredString] = []
            result.reserveCapacity(strings.count)
            for string in strings where !result.contains(string) { result.append(string) }
            return result
        }
        var seen = Set<RequiredString>()
        return strings.filter { seen.insert($0).inserted }
    }
}
