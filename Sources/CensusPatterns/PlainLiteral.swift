extension ByteRegex {
    /// A pattern that is only a literal, found without compiling it: `LIT`, `^LIT`, either
    /// followed by `.*` or `.*?`, where LIT has no metacharacter (`\` escapes of punctuation
    /// allowed: `\.`, `\/`, `\(`).
    public struct PlainLiteral: Equatable, Sendable {
        /// The literal's bytes (escapes resolved).
        public var bytes: [UInt8]
        /// Whether the pattern starts with `^`.
        public var anchoredAtLineStart: Bool

        public init(bytes: [UInt8], anchoredAtLineStart: Bool) {
            self.bytes = bytes
            self.anchoredAtLineStart = anchoredAtLineStart
        }
    }

    /// `pattern` as a ``PlainLiteral``, or `nil` when it is anything more (a class, a group, an
    /// alternation, a quantifier other than a final `.*`, an escape of a letter or digit such as
    /// `\d` or `\A`, `$`, or an empty literal).
    ///
    /// For a text without `\n` (one line, as Linguist's line tests give it), the pattern matches
    /// exactly when the text starts with (`^`) or contains the literal: `^` is then only the start
    /// of the text, and a final `.*` matches the empty string. Linguist's generated-file rules
    /// are mostly of this form (`^// Code generated .*`); answering them with a compare saves
    /// compiling the pattern on the first file that asks (about 0.15 ms each, at start-up).
    public static func plainLiteral(_ pattern: String) -> PlainLiteral? {
        var bytes = Array(pattern.utf8)
        var anchored = false
        if bytes.first == UInt8(ascii: "^") {
            anchored = true
            bytes.removeFirst()
        }
        if bytes.count >= 3, bytes.suffix(3).elementsEqual(".*?".utf8) {
            bytes.removeLast(3)
        } else if bytes.count >= 2, bytes.suffix(2).elementsEqual(".*".utf8) {
            bytes.removeLast(2)
        }
        var literal: [UInt8] = []
        literal.reserveCapacity(bytes.count)
        var k = 0
        while k < bytes.count {
            let b = bytes[k]
            switch b {
            case UInt8(ascii: "\\"):
                guard k + 1 < bytes.count else { return nil }
                let next = bytes[k + 1]
                // Only an escaped ASCII punctuation character stands for itself.
                guard next < 0x80, !isLetterOrDigit(next), next > 0x20 else { return nil }
                literal.append(next)
                k += 2
                continue
            case UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "|"), UInt8(ascii: "?"),
                UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["),
                UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                return nil
            default:
                // Control characters and newlines are left to the compiler.
                guard b >= 0x20 else { return nil }
                literal.append(b)
            }
            k += 1
        }
        guard !literal.isEmpty else { return nil }
        return PlainLiteral(bytes: literal, anchoredAtLineStart: anchored)
    }

    private static func isLetterOrDigit(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A)
    }
}
