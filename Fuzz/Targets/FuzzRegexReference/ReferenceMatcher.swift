/// A small regular-expression tree with a direct backtracking matcher: the reference the fuzz
/// target compares `ByteRegex` with. It covers literals, `.`, classes, anchors, `\b`, groups,
/// alternation, greedy, lazy and possessive quantifiers, atomic groups and lookahead, with Ruby's
/// (Onigmo's) rules on binary strings as docs/patterns.md states them.
indirect enum ReferenceNode {
    case byte(UInt8)
    case dot
    case set([UInt8], negated: Bool)
    case lineStart, lineEnd, textStart, textEnd, textEndBeforeNewline, wordBoundary, notWordBoundary
    case sequence([ReferenceNode])
    case alternation([ReferenceNode])
    case repeated(ReferenceNode, min: Int, max: Int?, mode: RepeatMode)
    case atomic(ReferenceNode)
    case lookahead(ReferenceNode, negative: Bool)

    enum RepeatMode { case greedy, lazy, possessive }

    /// The pattern in Ruby syntax.
    var pattern: String {
        switch self {
        case .byte(let b): return Self.literal(b)
        case .dot: return "."
        case .set(let members, let negated): return "[" + (negated ? "^" : "") + members.map(Self.literal).joined() + "]"
        case .lineStart: return "^"
        case .lineEnd: return "$"
        case .textStart: return "\\A"
        case .textEnd: return "\\z"
        case .textEndBeforeNewline: return "\\Z"
        case .wordBoundary: return "\\b"
        case .notWordBoundary: return "\\B"
        case .sequence(let items): return items.map(\.pattern).joined()
        case .alternation(let items): return "(?:" + items.map(\.pattern).joined(separator: "|") + ")"
        case .repeated(let body, let min, let max, let mode):
            var quantifier: String
            switch (min, max) {
            case (0, nil): quantifier = "*"
            case (1, nil): quantifier = "+"
            case (0, 1): quantifier = "?"
            case (let n, nil): quantifier = "{\(n),}"
            case (let n, let m?): quantifier = "{\(n),\(m)}"
            }
            switch mode {
            case .greedy: break
            case .lazy: quantifier += "?"
            case .possessive: quantifier += "+"
            }
            return "(?:" + body.pattern + ")" + quantifier
        case .atomic(let body): return "(?>" + body.pattern + ")"
        case .lookahead(let body, let negative): return (negative ? "(?!" : "(?=") + body.pattern + ")"
        }
    }

    private static func literal(_ b: UInt8) -> String {
        switch b {
        case 0x0A: return "\\n"
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"):
            return String(UnicodeScalar(b))
        default: return "\\x" + String(b, radix: 16, uppercase: true).leftPadded
        }
    }
}

private extension String {
    var leftPadded: String { count == 1 ? "0" + self : self }
}

/// The matcher: continuation-passing backtracking, exponential in the worst case, so it counts its
/// steps and gives up (``search`` throws) past a budget.
final class ReferenceMatcher {
    let text: [UInt8]
    private var steps = 0
    private let budget: Int

    init(text: [UInt8], budget: Int = 200_000) {
        self.text = text
        self.budget = budget
    }

    struct OutOfSteps: Error {}

    private static func isWord(_ b: UInt8) -> Bool {
        (b | 0x20) &- 0x61 < 26 || b &- 0x30 < 10 || b == UInt8(ascii: "_")
    }

    private func isWord(at i: Int) -> Bool { i >= 0 && i < text.count && Self.isWord(text[i]) }

    /// Leftmost, then first by priority: the range of the match, or nil for no match. Throws when
    /// the budget ran out.
    func search(_ node: ReferenceNode) throws -> Range<Int>? {
        for start in 0...text.count {
            var end = -1
            if try match(node, start, { j in end = j; return true }) { return start..<end }
        }
        return nil
    }

    func match(_ node: ReferenceNode, _ i: Int, _ k: (Int) throws -> Bool) throws -> Bool {
        steps += 1
        if steps > budget { throw OutOfSteps() }
        let n = text.count
        switch node {
        case .byte(let b): return i < n && text[i] == b ? try k(i + 1) : false
        case .dot: return i < n && text[i] != 0x0A ? try k(i + 1) : false
        case .set(let members, let negated):
            guard i < n else { return false }
            return members.contains(text[i]) != negated ? try k(i + 1) : false
        case .lineStart: return i == 0 || (text[i - 1] == 0x0A && i < n) ? try k(i) : false
        case .lineEnd: return i == n || text[i] == 0x0A ? try k(i) : false
        case .textStart: return i == 0 ? try k(i) : false
        case .textEnd: return i == n ? try k(i) : false
        case .textEndBeforeNewline: return i == n || (i == n - 1 && text[i] == 0x0A) ? try k(i) : false
        case .wordBoundary: return isWord(at: i - 1) != isWord(at: i) ? try k(i) : false
        case .notWordBoundary: return isWord(at: i - 1) == isWord(at: i) ? try k(i) : false
        case .sequence(let items): return try sequence(items[...], i, k)
        case .alternation(let items):
            for item in items where try match(item, i, k) { return true }
            return false
        case .repeated(let body, let min, let max, let mode):
            switch mode {
            case .greedy: return try repeatGreedy(body, min: min, max: max, count: 0, i, k)
            case .lazy: return try repeatLazy(body, min: min, max: max, count: 0, i, k)
            case .possessive:
                var first: Int? = nil
                _ = try repeatGreedy(body, min: min, max: max, count: 0, i) { j in first = j; return true }
                guard let first else { return false }
                return try k(first)
            }
        case .atomic(let body):
            var first: Int? = nil
            _ = try match(body, i) { j in first = j; return true }
            guard let first else { return false }
            return try k(first)
        case .lookahead(let body, let negative):
            let found = try match(body, i) { _ in true }
            return found != negative ? try k(i) : false
        }
    }

    private func sequence(_ items: ArraySlice<ReferenceNode>, _ i: Int, _ k: (Int) throws -> Bool) throws -> Bool {
        guard let first = items.first else { return try k(i) }
        return try match(first, i) { j in try sequence(items.dropFirst(), j, k) }
    }

    /// Greedy: one more iteration first, then stop. An iteration that matched the empty string
    /// ends the loop (Onigmo's empty check).
    private func repeatGreedy(
        _ body: ReferenceNode, min: Int, max: Int?, count: Int, _ i: Int, _ k: (Int) throws -> Bool
    ) throws -> Bool {
        if max.map({ count < $0 }) ?? true {
            let matched = try match(body, i) { j in
                if j == i && count >= min { return try k(j) }
                return try repeatGreedy(body, min: min, max: max, count: count + 1, j, k)
            }
            if matched { return true }
        }
        return count >= min ? try k(i) : false
    }

    private func repeatLazy(
        _ body: ReferenceNode, min: Int, max: Int?, count: Int, _ i: Int, _ k: (Int) throws -> Bool
    ) throws -> Bool {
        if count >= min, try k(i) { return true }
        guard max.map({ count < $0 }) ?? true else { return false }
        return try match(body, i) { j in
            if j == i && count >= min { return false }
            return try repeatLazy(body, min: min, max: max, count: count + 1, j, k)
        }
    }
}
