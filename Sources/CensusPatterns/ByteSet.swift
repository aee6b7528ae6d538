/// A set of byte values: 256 bits in four words.
struct ByteSet: Hashable, Sendable {
    private var w0: UInt64 = 0
    private var w1: UInt64 = 0
    private var w2: UInt64 = 0
    private var w3: UInt64 = 0

    init() {}

    /// Every byte value.
    static let all: ByteSet = {
        var set = ByteSet()
        set.w0 = ~0
        set.w1 = ~0
        set.w2 = ~0
        set.w3 = ~0
        return set
    }()

    init<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        for byte in bytes { insert(byte) }
    }

    init(range: ClosedRange<UInt8>) {
        for byte in range { insert(byte) }
    }

    @inline(__always)
    func contains(_ byte: UInt8) -> Bool {
        let bit = UInt64(1) &<< UInt64(byte & 63)
        switch byte >> 6 {
        case 0: return w0 & bit != 0
        case 1: return w1 & bit != 0
        case 2: return w2 & bit != 0
        default: return w3 & bit != 0
        }
    }

    mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) &<< UInt64(byte & 63)
        switch byte >> 6 {
        case 0: w0 |= bit
        case 1: w1 |= bit
        case 2: w2 |= bit
        default: w3 |= bit
        }
    }

    mutating func insert(range: ClosedRange<UInt8>) {
        for byte in range { insert(byte) }
    }

    mutating func remove(_ byte: UInt8) {
        let bit = UInt64(1) &<< UInt64(byte & 63)
        switch byte >> 6 {
        case 0: w0 &= ~bit
        case 1: w1 &= ~bit
        case 2: w2 &= ~bit
        default: w3 &= ~bit
        }
    }

    func union(_ other: ByteSet) -> ByteSet {
        var set = self
        set.formUnion(other)
        return set
    }

    mutating func formUnion(_ other: ByteSet) {
        w0 |= other.w0
        w1 |= other.w1
        w2 |= other.w2
        w3 |= other.w3
    }

    func intersection(_ other: ByteSet) -> ByteSet {
        var set = self
        set.w0 &= other.w0
        set.w1 &= other.w1
        set.w2 &= other.w2
        set.w3 &= other.w3
        return set
    }

    var inverted: ByteSet {
        var set = self
        set.w0 = ~w0
        set.w1 = ~w1
        set.w2 = ~w2
        set.w3 = ~w3
        return set
    }

    var isEmpty: Bool { w0 | w1 | w2 | w3 == 0 }

    var isFull: Bool { w0 & w1 & w2 & w3 == ~0 }

    var count: Int { w0.nonzeroBitCount + w1.nonzeroBitCount + w2.nonzeroBitCount + w3.nonzeroBitCount }

    func isDisjoint(with other: ByteSet) -> Bool { intersection(other).isEmpty }

    /// The members in ascending order.
    var elements: [UInt8] {
        var result: [UInt8] = []
        for value in 0...255 where contains(UInt8(value)) { result.append(UInt8(value)) }
        return result
    }

    /// The set with the other case of every ASCII letter added.
    var asciiCaseClosed: ByteSet {
        var set = self
        for upper in UInt8(ascii: "A")...UInt8(ascii: "Z") {
            let lower = upper | 0x20
            if contains(upper) || contains(lower) {
                set.insert(upper)
                set.insert(lower)
            }
        }
        return set
    }

    /// True when some member is 0x80 or above.
    var containsNonASCII: Bool { w2 | w3 != 0 }
}

/// ASCII helpers shared by the parser, the compiler and the matcher.
enum ASCII {
    /// `\w`: `[A-Za-z0-9_]` (Ruby's `\w` is ASCII-only, on binary and on UTF-8 strings alike).
    static let word: ByteSet = {
        var set = ByteSet(range: UInt8(ascii: "a")...UInt8(ascii: "z"))
        set.insert(range: UInt8(ascii: "A")...UInt8(ascii: "Z"))
        set.insert(range: UInt8(ascii: "0")...UInt8(ascii: "9"))
        set.insert(UInt8(ascii: "_"))
        return set
    }()
    /// `\d`: `[0-9]`.
    static let digit = ByteSet(range: UInt8(ascii: "0")...UInt8(ascii: "9"))
    /// `\s`: `[ \t\n\v\f\r]`.
    static let space = ByteSet([0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D])
    /// `\h`: `[0-9A-Fa-f]`.
    static let hexDigit: ByteSet = {
        var set = ByteSet(range: UInt8(ascii: "0")...UInt8(ascii: "9"))
        set.insert(range: UInt8(ascii: "a")...UInt8(ascii: "f"))
        set.insert(range: UInt8(ascii: "A")...UInt8(ascii: "F"))
        return set
    }()

    /// Lowercases an ASCII letter; other bytes are returned unchanged.
    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }

    @inline(__always)
    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }

    /// The POSIX bracket classes, ASCII-only as in Ruby on a binary string.
    static func posixClass(_ name: String) -> ByteSet? {
        func bytes(_ string: String) -> ByteSet { ByteSet(string.utf8) }
        let upper = ByteSet(range: UInt8(ascii: "A")...UInt8(ascii: "Z"))
        let lower = ByteSet(range: UInt8(ascii: "a")...UInt8(ascii: "z"))
        let alpha = upper.union(lower)
        let punct = bytes("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
        let graph = ByteSet(range: 0x21...0x7E)
        switch name {
        case "alnum": return alpha.union(digit)
        case "alpha": return alpha
        case "ascii": return ByteSet(range: 0x00...0x7F)
        case "blank": return ByteSet([0x20, 0x09])
        case "cntrl":
            var set = ByteSet(range: 0x00...0x1F)
            set.insert(0x7F)
            return set
        case "digit": return digit
        case "graph": return graph
        case "lower": return lower
        case "print": return ByteSet(range: 0x20...0x7E)
        case "punct": return punct
        case "space": return space
        case "upper": return upper
        case "xdigit": return hexDigit
        case "word": return word
        default: return nil
        }
    }
}

/// Byte comparison for the short literals of patterns, inlined: for a handful of bytes a call
/// to `memcmp` costs more than the comparison.
enum ShortBytes {
    @inline(__always)
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var index = 0
        while index + 8 <= count {
            let x = UnsafeRawPointer(a + index).loadUnaligned(as: UInt64.self)
            let y = UnsafeRawPointer(b + index).loadUnaligned(as: UInt64.self)
            if x != y { return false }
            index += 8
        }
        while index < count {
            if a[index] != b[index] { return false }
            index += 1
        }
        return true
    }
}
