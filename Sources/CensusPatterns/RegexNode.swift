/// How a repetition prefers its counts.
enum RepeatKind: Sendable {
    /// As many as possible, giving back on failure (`*`).
    case greedy
    /// As few as possible, taking more on failure (`*?`).
    case lazy
    /// As many as possible, never giving back (`*+`).
    case possessive
}

/// Zero-width assertions.
enum Assertion: UInt8, Sendable {
    /// `^`: at the start, or after a `\n` that is not the last byte.
    case lineStart
    /// `$`: at the end, or before a `\n`.
    case lineEnd
    /// `\A`.
    case textStart
    /// `\z`.
    case textEnd
    /// `\Z`: at the end, or before a final `\n`.
    case textEndOrFinalNewline
    /// `\b`.
    case wordBoundary
    /// `\B`.
    case notWordBoundary
}

/// A set of characters as sorted, disjoint, non-adjacent closed ranges of values.
///
/// In binary mode a value is a byte (0...0xFF). In UTF-8 mode a value is a code point
/// (0...0x10FFFF), and a byte that does not start a valid UTF-8 sequence is the value
/// `0x110000 + byte`, so that it is matched by negated classes and by nothing else.
struct CodeSet: Hashable, Sendable {
    var ranges: [ClosedRange<UInt32>] = []

    static let invalidByteBase: UInt32 = 0x11_0000
    static let utf8Universe: ClosedRange<UInt32> = 0...(0x11_0000 + 0xFF)
    static let binaryUniverse: ClosedRange<UInt32> = 0...0xFF

    init() {}

    init(_ set: ByteSet) {
        var start: Int? = nil
        for value in 0...256 {
            let member = value < 256 && set.contains(UInt8(value))
            if member, start == nil { start = value }
            if !member, let first = start {
                ranges.append(UInt32(first)...UInt32(value - 1))
                start = nil
            }
        }
    }

    mutating func insert(_ range: ClosedRange<UInt32>) {
        ranges.append(range)
        normalize()
    }

    mutating func formUnion(_ other: CodeSet) {
        ranges += other.ranges
        normalize()
    }

    private mutating func normalize() {
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        for range in ranges {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        ranges = merged
    }

    func intersection(_ other: CodeSet) -> CodeSet {
        var result = CodeSet()
        var i = 0
        var j = 0
        while i < ranges.count, j < other.ranges.count {
            let a = ranges[i]
            let b = other.ranges[j]
            let low = max(a.lowerBound, b.lowerBound)
            let high = min(a.upperBound, b.upperBound)
            if low <= high { result.ranges.append(low...high) }
            if a.upperBound < b.upperBound { i += 1 } else { j += 1 }
        }
        return result
    }

    func complement(in universe: ClosedRange<UInt32>) -> CodeSet {
        var result = CodeSet()
        var next = universe.lowerBound
        var open = true
        for range in ranges {
            if range.lowerBound > next { result.ranges.append(next...(range.lowerBound - 1)) }
            if range.upperBound >= universe.upperBound {
                open = false
                break
            }
            next = range.upperBound + 1
        }
        if open, next <= universe.upperBound { result.ranges.append(next...universe.upperBound) }
        return result
    }

    func contains(_ value: UInt32) -> Bool {
        var low = 0
        var high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].upperBound < value {
                low = mid + 1
            } else if ranges[mid].lowerBound > value {
                high = mid
            } else {
                return true
            }
        }
        return false
    }

    /// The set with the other case of every ASCII letter added (Ruby folds more on UTF-8
    /// strings; see docs/patterns.md).
    var asciiCaseClosed: CodeSet {
        var result = self
        var extra: [ClosedRange<UInt32>] = []
        for upper in UInt32(0x41)...0x5A where contains(upper) || contains(upper | 0x20) {
            extra.append(upper...upper)
            extra.append((upper | 0x20)...(upper | 0x20))
        }
        if !extra.isEmpty {
            result.ranges += extra
            result.normalize()
        }
        return result
    }

    var isEmpty: Bool { ranges.isEmpty }

    /// The members below 0x100 as bytes (binary mode) or below 0x80 (the ASCII part in UTF-8 mode).
    func bytes(below limit: UInt32) -> ByteSet {
        var set = ByteSet()
        for range in ranges where range.lowerBound < limit {
            for value in range.lowerBound...min(range.upperBound, limit - 1) { set.insert(UInt8(value)) }
        }
        return set
    }

    /// True when some member is at or above `limit`.
    func hasMember(atOrAbove limit: UInt32) -> Bool { ranges.last.map { $0.upperBound >= limit } ?? false }
}

/// One node of a parsed pattern.
indirect enum RegexNode: Sendable {
    /// Matches the empty string.
    case empty
    /// A sequence of bytes; `fold` compares ASCII letters without case.
    case literal([UInt8], fold: Bool)
    /// One byte from a set (binary mode, and ASCII-only classes in UTF-8 mode).
    case byteSet(ByteSet)
    /// One UTF-8 character from a set (UTF-8 mode).
    case charClass(CodeSet)
    case concat([RegexNode])
    case alternation([RegexNode])
    /// A capturing group; the index is 1-based.
    case capture(Int, RegexNode)
    /// `max` is -1 for no upper bound.
    case repetition(RegexNode, min: Int, max: Int, kind: RepeatKind)
    case assertion(Assertion)
    case look(RegexNode, behind: Bool, negative: Bool)
    case atomic(RegexNode)
    /// A backreference to any of the groups (several when a name is used twice; the last
    /// group is tried first); `fold` compares without ASCII case.
    case backreference([Int], fold: Bool)
    /// `\R`.
    case lineBreak
}
