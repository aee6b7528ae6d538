/// A git object name: 20 bytes (SHA-1) or 32 (SHA-256), held inline (no allocation per id).
public struct GitObjectID: Hashable, Sendable, Comparable, CustomStringConvertible {
    // Big-endian words, so comparing them in order compares the bytes.
    private var w0: UInt64 = 0
    private var w1: UInt64 = 0
    private var w2: UInt64 = 0
    private var w3: UInt64 = 0
    /// 20 for SHA-1 repositories, 32 for SHA-256 ones.
    public private(set) var byteCount: Int = 0

    /// Parses 40 or 64 hexadecimal digits (either case).
    public init?(hex: some Collection<UInt8>) {
        let parsed: GitObjectID?? = hex.withContiguousStorageIfAvailable { Self.parse(UnsafeRawBufferPointer($0)) }
        guard let id = parsed ?? Array(hex).withUnsafeBytes({ Self.parse($0) }) else { return nil }
        self = id
    }

    private init(words: (UInt64, UInt64, UInt64, UInt64), byteCount: Int) {
        (w0, w1, w2, w3) = words
        self.byteCount = byteCount
    }

    /// 40 or 64 hexadecimal digits, a word (16 digits) at a time; nil for any other text.
    private static func parse(_ digits: UnsafeRawBufferPointer) -> GitObjectID? {
        let count = digits.count
        guard count == 40 || count == 64 else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        guard let base = digits.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        var start = 0
        for slot in 0..<4 where start < count {
            let end = min(start + 16, count)
            var word: UInt64 = 0
            for index in start..<end {
                let digit = base[index]
                var value = digit &- UInt8(ascii: "0")
                if value > 9 {
                    // 'a'...'f' or 'A'...'F' to 10...15; anything else out of that range.
                    value = (digit | 0x20) &- (UInt8(ascii: "a") - 10)
                    if value < 10 || value > 15 { return nil }
                }
                word = word << 4 | UInt64(value)
            }
            // Left-aligned: the first digit in the top nibble, as the words compare.
            word <<= UInt64(4 * (16 - (end - start)))
            switch slot {
            case 0: words.0 = word
            case 1: words.1 = word
            case 2: words.2 = word
            default: words.3 = word
            }
            start = end
        }
        return GitObjectID(words: words, byteCount: count / 2)
    }

    /// Parses 40 or 64 hexadecimal digits.
    public init?(_ hex: String) {
        var hex = hex
        guard let id = hex.withUTF8({ Self.parse(UnsafeRawBufferPointer($0)) }) else { return nil }
        self = id
    }

    /// Lowercase hexadecimal, as git prints it.
    public var description: String {
        String(unsafeUninitializedCapacity: byteCount * 2) { buffer in
            if let base = buffer.baseAddress { writeHex(into: base) }
            return byteCount * 2
        }
    }

    /// The hexadecimal digits as ASCII bytes.
    public var hexDigits: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: byteCount * 2) { buffer, count in
            if let base = buffer.baseAddress { writeHex(into: base) }
            count = byteCount * 2
        }
    }

    /// Writes the `2 * byteCount` hexadecimal digits to `destination`, a word at a time.
    func writeHex(into destination: UnsafeMutablePointer<UInt8>) {
        let digits = byteCount * 2
        var index = 0
        for slot in 0..<4 where index < digits {
            var word: UInt64
            switch slot {
            case 0: word = w0
            case 1: word = w1
            case 2: word = w2
            default: word = w3
            }
            for _ in 0..<min(16, digits - index) {
                let nibble = UInt8(truncatingIfNeeded: word >> 60)
                // '0'...'9', then 'a' (39 past '9' + 1) for 10...15.
                destination[index] = UInt8(ascii: "0") &+ nibble &+ (nibble > 9 ? 39 : 0)
                word <<= 4
                index += 1
            }
        }
    }

    public static func < (a: GitObjectID, b: GitObjectID) -> Bool {
        (a.w0, a.w1, a.w2, a.w3, a.byteCount) < (b.w0, b.w1, b.w2, b.w3, b.byteCount)
    }
}
