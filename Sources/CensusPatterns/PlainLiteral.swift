#if canImport(Glibc)
import Glibc
#endif

extension ByteRegex {
    /// A pattern that is a literal with, at most, a line anchor on each side — found and matched
    /// without compiling the pattern.
    ///
    /// Forms (Ruby syntax, no options): `LIT`, `^LIT`, `(^|/)LIT` (or `(?:^|/)LIT`), each
    /// optionally followed by `$`, or by `.*` / `.*?` (which match the empty string, so they
    /// change nothing). LIT has no metacharacter; `\` escapes of ASCII punctuation (`\.`, `\/`)
    /// stand for the character. Linguist's rules are often of these forms (`^// Code generated
    /// .*`, `(^|/)testdata/`, `ppport\.h$`), and a scan that meets one would otherwise compile it
    /// on the first file that asks: about 0.15 ms each, at start-up, on the way to the first count.
    public struct PlainLiteral: Equatable, Sendable {
        /// Where a match may start.
        public enum Start: Equatable, Sendable {
            /// Anywhere.
            case anywhere
            /// `^`: at the start of the text or after a `\n`.
            case lineStart
            /// `(^|/)`: as `^`, or after a `/`.
            case lineStartOrSlash
        }

        /// The literal's bytes (escapes resolved); never empty.
        public var bytes: [UInt8]
        public var start: Start
        /// `$`: a match must end at the end of the text or before a `\n`.
        public var atLineEnd: Bool

        public init(bytes: [UInt8], start: Start, atLineEnd: Bool) {
            self.bytes = bytes
            self.start = start
            self.atLineEnd = atLineEnd
        }

        /// Whether the pattern matches somewhere in `text`, as the compiled pattern would (Ruby's
        /// `^` and `$` are line anchors: `\n` only).
        public func matches(_ text: UnsafeRawBufferPointer) -> Bool {
            bytes.withUnsafeBytes { Self.matches(text, literal: $0, start: start, atLineEnd: atLineEnd) }
        }

        /// ``matches(_:)`` with the literal's bytes given (by a caller that keeps them in memory
        /// of its own, to search without reference counting).
        @inline(__always)
        static func matches(
            _ text: UnsafeRawBufferPointer, literal: UnsafeRawBufferPointer, start: Start, atLineEnd: Bool
        ) -> Bool {
            let n = literal.count
            guard n > 0, let base = text.baseAddress, let needle = literal.baseAddress, text.count >= n else { return false }
            let count = text.count
            let first = literal[0]
            if start == .lineStart {
                // Only the text's start and the bytes after each `\n` can begin a match.
                var p = 0
                while p <= count - n {
                    if text[p] == first && memcmp(base + p, needle, n) == 0
                        && (!atLineEnd || p + n == count || text[p + n] == UInt8(ascii: "\n"))
                    {
                        return true
                    }
                    guard let newline = memchr(base + p, 0x0A, count - p) else { return false }
                    p = UnsafeRawPointer(newline) - base + 1
                }
                return false
            }
            var position = 0
            while position <= count - n {
                guard let hit = memchr(base + position, Int32(first), count - n - position + 1) else { return false }
                let p = UnsafeRawPointer(hit) - base
                if memcmp(base + p, needle, n) == 0 {
                    let before = p == 0 ? UInt8(ascii: "\n") : text[p - 1]
                    let startHolds = start == .anywhere || before == UInt8(ascii: "\n")
                        || (start == .lineStartOrSlash && before == UInt8(ascii: "/"))
                    if startHolds && (!atLineEnd || p + n == count || text[p + n] == UInt8(ascii: "\n")) { return true }
                }
                position = p + 1
            }
            return false
        }
    }

    /// `pattern` as a ``PlainLiteral``, or `nil` when it is anything more (a class, a group other
    /// than the `(^|/)` prefix, an alternation, a quantifier other than a final `.*`, an escape of
    /// a letter or digit such as `\d` or `\A`, or an empty literal).
    public static func plainLiteral(_ pattern: String) -> PlainLiteral? {
        var bytes = Array(pattern.utf8)
        var start = PlainLiteral.Start.anywhere
        for (prefix, kind) in [("(^|/)", PlainLiteral.Start.lineStartOrSlash), ("(?:^|/)", .lineStartOrSlash), ("^", .lineStart)]
        where bytes.starts(with: prefix.utf8) {
            start = kind
            bytes.removeFirst(prefix.utf8.count)
            break
        }
        var atLineEnd = false
        // A final `$` not escaped (`\$` is a literal dollar: the loop below reads it so).
        if bytes.last == UInt8(ascii: "$"), !(bytes.count >= 2 && bytes[bytes.count - 2] == UInt8(ascii: "\\")) {
            atLineEnd = true
            bytes.removeLast()
        }
        // `.*` or `.*?` at the end matches the empty string (before `$` too: to the line's end).
        for suffix in [".*?", ".*"] where bytes.count > suffix.utf8.count && bytes.suffix(suffix.utf8.count).elementsEqual(suffix.utf8) {
            // Not when the `.` is escaped (`\.*` repeats a literal dot).
            if bytes[bytes.count - suffix.utf8.count - 1] == UInt8(ascii: "\\") { return nil }
            bytes.removeLast(suffix.utf8.count)
            atLineEnd = false
            break
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
                guard next > 0x20, next < 0x7F, !isLetterOrDigit(next) else { return nil }
                literal.append(next)
                k += 2
                continue
            case UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "|"), UInt8(ascii: "?"),
                UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["),
                UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                return nil
            default:
                // Control characters (and `\n`) are left to the compiler.
                guard b >= 0x20, b != 0x7F else { return nil }
                literal.append(b)
            }
            k += 1
        }
        guard !literal.isEmpty else { return nil }
        return PlainLiteral(bytes: literal, start: start, atLineEnd: atLineEnd)
    }

    private static func isLetterOrDigit(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A)
    }
}
