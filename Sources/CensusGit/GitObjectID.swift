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
        let count = hex.count
        guard count == 40 || count == 64 else { return nil }
        byteCount = count / 2
        var index = 0
        for digit in hex {
            let value: UInt8
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = digit - UInt8(ascii: "A") + 10
            default: return nil
            }
            let bits = UInt64(value) << UInt64(60 - 4 * (index % 16))
            switch index / 16 {
            case 0: w0 |= bits
            case 1: w1 |= bits
            case 2: w2 |= bits
            default: w3 |= bits
            }
            index += 1
        }
    }

    /// Parses 40 or 64 hexadecimal digits.
    public init?(_ hex: String) {
        self.init(hex: Array(hex.utf8))
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

    /// Writes the `2 * byteCount` hexadecimal digits to `destination`.
    func writeHex(into destination: UnsafeMutablePointer<UInt8>) {
        for index in 0..<byteCount * 2 {
            let word: UInt64
            switch index / 16 {
            case 0: word = w0
            case 1: word = w1
            case 2: word = w2
            default: word = w3
            }
            let nibble = UInt8((word >> UInt64(60 - 4 * (index % 16))) & 0xf)
            destination[index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
        }
    }

    public static func < (a: GitObjectID, b: GitObjectID) -> Bool {
        (a.w0, a.w1, a.w2, a.w3, a.byteCount) < (b.w0, b.w1, b.w2, b.w3, b.byteCount)
    }
}
