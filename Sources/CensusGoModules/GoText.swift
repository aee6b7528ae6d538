/// The Go toolchain's text rules, on bytes: how it decodes UTF-8, which runes are spaces and which
/// are printable, how it trims and splits comments, unquotes strings and escapes JSON.
///
/// Every parser of this module reproduces the toolchain byte for byte, so these rules are written
/// out here once rather than approximated with Swift's `Character` (which folds `\r\n`, and whose
/// notion of whitespace differs).
enum GoText {
    /// U+FFFD, what Go decodes an invalid byte to.
    static let replacementScalar: UInt32 = 0xFFFD

    /// Decodes the rune at `i` as Go's `utf8.DecodeRune` does.
    ///
    /// An invalid or truncated sequence, an overlong form or a surrogate yields U+FFFD with a length
    /// of 1, so that the caller moves on by one byte.
    @inline(__always)
    static func decodeRune(_ p: UnsafeRawBufferPointer, _ i: Int, _ end: Int) -> (scalar: UInt32, length: Int) {
        let b0 = p[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        return decodeMultibyte(p, i, end, b0)
    }

    private static func decodeMultibyte(_ p: UnsafeRawBufferPointer, _ i: Int, _ end: Int, _ b0: UInt8) -> (scalar: UInt32, length: Int) {
        let invalid = (scalar: replacementScalar, length: 1)
        if b0 < 0xC2 { return invalid }
        if b0 < 0xE0 {
            guard i + 1 < end, p[i + 1] & 0xC0 == 0x80 else { return invalid }
            return (UInt32(b0 & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F), 2)
        }
        if b0 < 0xF0 {
            guard i + 2 < end else { return invalid }
            let b1 = p[i + 1], b2 = p[i + 2]
            let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            guard b1 >= low, b1 <= high, b2 & 0xC0 == 0x80 else { return invalid }
            return (UInt32(b0 & 0x0F) << 12 | UInt32(b1 & 0x3F) << 6 | UInt32(b2 & 0x3F), 3)
        }
        if b0 < 0xF5 {
            guard i + 3 < end else { return invalid }
            let b1 = p[i + 1], b2 = p[i + 2], b3 = p[i + 3]
            let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            guard b1 >= low, b1 <= high, b2 & 0xC0 == 0x80, b3 & 0xC0 == 0x80 else { return invalid }
            return (UInt32(b0 & 0x07) << 18 | UInt32(b1 & 0x3F) << 12 | UInt32(b2 & 0x3F) << 6 | UInt32(b3 & 0x3F), 4)
        }
        return invalid
    }

    /// Go's `unicode.IsSpace`: the ASCII spaces, U+0085, U+00A0 and the White_Space property above.
    static func isSpace(_ r: UInt32) -> Bool {
        switch r {
        case 0x09...0x0D, 0x20, 0x85, 0xA0: return true
        case 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// Go's `unicode.IsPrint` for runes at or above U+0080: letters, marks, numbers, punctuation
    /// and symbols (U+FFFD, the decoding of an invalid byte, is a symbol).
    static func isPrintNonASCII(_ r: UInt32) -> Bool {
        guard let scalar = Unicode.Scalar(r) else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    /// Whether an ASCII byte may be part of an identifier: printable, not a space, and not one of
    /// `( ) [ ] { } ,`. Two 64-bit masks, one bit per byte value below 128.
    @inline(__always)
    static func isIdentByte(_ b: UInt8) -> Bool {
        let low: UInt64 = 0xffff_ecfe_0000_0000
        let high: UInt64 = 0x57ff_ffff_d7ff_ffff
        return b < 64 ? (low >> UInt64(b)) & 1 != 0 : b < 128 && (high >> UInt64(b - 64)) & 1 != 0
    }

    /// Whether a rune at or above U+0080 may be part of an identifier.
    static func isIdentNonASCII(_ r: UInt32) -> Bool {
        !isSpace(r) && isPrintNonASCII(r)
    }

    /// The part of `range` left after Go's `strings.TrimSpace`.
    static func trimSpace(_ p: UnsafeRawBufferPointer, _ range: Range<Int>) -> Range<Int> {
        var start = range.lowerBound
        var end = start
        var i = start
        var seenText = false
        while i < range.upperBound {
            let (r, n) = decodeRune(p, i, range.upperBound)
            if !isSpace(r) {
                if !seenText {
                    start = i
                    seenText = true
                }
                end = i + n
            }
            i += n
        }
        return seenText ? start..<end : range.lowerBound..<range.lowerBound
    }

    /// The first of Go's `strings.Fields` of `range`, and whether another field follows it.
    static func firstField(_ p: UnsafeRawBufferPointer, _ range: Range<Int>) -> (field: Range<Int>, more: Bool)? {
        var i = range.lowerBound
        var start = -1
        while i < range.upperBound {
            let (r, n) = decodeRune(p, i, range.upperBound)
            if isSpace(r) {
                if start >= 0 {
                    let field = start..<i
                    while i < range.upperBound {
                        let (r2, n2) = decodeRune(p, i, range.upperBound)
                        if !isSpace(r2) { return (field, true) }
                        i += n2
                    }
                    return (field, false)
                }
            } else if start < 0 {
                start = i
            }
            i += n
        }
        return start >= 0 ? (start..<range.upperBound, false) : nil
    }

    /// Whether the bytes in `range` equal `word` (ASCII).
    @inline(__always)
    static func equals(_ p: UnsafeRawBufferPointer, _ range: Range<Int>, _ word: StaticString) -> Bool {
        guard range.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for k in 0..<range.count where p[range.lowerBound + k] != w[k] { return false }
        return true
    }

    /// Whether `range` contains a quotation mark, an apostrophe or a backquote.
    static func containsQuote(_ p: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        for i in range {
            let b = p[i]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") || b == UInt8(ascii: "`") { return true }
        }
        return false
    }

    /// Decodes an interpreted string literal (`"…"`, quotes included in `range`) as Go's
    /// `strconv.Unquote` does, appending the value to `out`.
    ///
    /// Escapes are Go's: `\a \b \f \n \r \t \v \\ \"`, three octal digits, `\xHH`, `\uHHHH` and
    /// `\UHHHHHHHH`; `\x` and octal escapes give raw bytes; an invalid UTF-8 byte in the literal
    /// becomes U+FFFD. Returns false for anything `strconv.Unquote` rejects.
    static func unquoteInterpreted(_ p: UnsafeRawBufferPointer, _ range: Range<Int>, into out: inout [UInt8]) -> Bool {
        guard range.count >= 2, p[range.lowerBound] == UInt8(ascii: "\""), p[range.upperBound - 1] == UInt8(ascii: "\"") else {
            return false
        }
        let end = range.upperBound - 1
        var i = range.lowerBound + 1
        while i < end {
            let c = p[i]
            switch c {
            case UInt8(ascii: "\""), UInt8(ascii: "\n"):
                return false
            case UInt8(ascii: "\\"):
                guard i + 1 < end else { return false }
                let e = p[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "a"): out.append(0x07)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "v"): out.append(0x0B)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(e)
                case UInt8(ascii: "0")...UInt8(ascii: "7"):
                    guard i + 1 < end else { return false }
                    var value = UInt32(e - UInt8(ascii: "0"))
                    for k in 0..<2 {
                        let d = p[i + k]
                        guard d >= UInt8(ascii: "0"), d <= UInt8(ascii: "7") else { return false }
                        value = value << 3 | UInt32(d - UInt8(ascii: "0"))
                    }
                    guard value <= 255 else { return false }
                    out.append(UInt8(value))
                    i += 2
                case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let digits = e == UInt8(ascii: "x") ? 2 : e == UInt8(ascii: "u") ? 4 : 8
                    guard i + digits <= end else { return false }
                    var value: UInt32 = 0
                    for k in 0..<digits {
                        guard let d = hexValue(p[i + k]) else { return false }
                        value = value << 4 | d
                    }
                    i += digits
                    if e == UInt8(ascii: "x") {
                        out.append(UInt8(value))
                    } else {
                        guard let scalar = Unicode.Scalar(value) else { return false }
                        appendUTF8(scalar, to: &out)
                    }
                default:
                    return false
                }
            default:
                if c < 0x80 {
                    out.append(c)
                    i += 1
                } else {
                    let (r, n) = decodeRune(p, i, end)
                    if r == replacementScalar && n == 1 {
                        out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    } else {
                        for k in 0..<n { out.append(p[i + k]) }
                    }
                    i += n
                }
            }
        }
        return true
    }

    private static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    static func appendUTF8(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        UTF8.encode(scalar) { out.append($0) }
    }

    /// A `String` of `bytes`, each invalid UTF-8 byte replaced by U+FFFD as Go replaces it (one per
    /// byte, where Swift's own repair may replace a truncated sequence with a single U+FFFD).
    /// `lossy` says whether anything was replaced.
    static func string(_ bytes: UnsafeRawBufferPointer) -> (value: String, lossy: Bool) {
        if isValidUTF8(bytes) { return (String(decoding: bytes, as: UTF8.self), false) }
        var repaired: [UInt8] = []
        repaired.reserveCapacity(bytes.count + 8)
        var i = 0
        while i < bytes.count {
            let (r, n) = decodeRune(bytes, i, bytes.count)
            if r == replacementScalar && n == 1 {
                repaired.append(contentsOf: [0xEF, 0xBF, 0xBD])
            } else {
                for k in 0..<n { repaired.append(bytes[i + k]) }
            }
            i += n
        }
        return (String(decoding: repaired, as: UTF8.self), true)
    }

    /// Appends `bytes` as a JSON string the way Go's `encoding/json` writes it with its defaults
    /// (as of Go 1.19, the toolchain the golden files come from): `<`, `>` and `&` as `\u003c`,
    /// `\u003e`, `\u0026`; `\n \r \t \" \\` short; other control characters as `\u00XX` (so
    /// backspace is `\u0008`); U+2028 and U+2029 escaped; each invalid UTF-8 byte as `\ufffd`.
    static func appendJSONString(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let hex: StaticString = "0123456789abcdef"
        out.append(UInt8(ascii: "\""))
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 {
                switch b {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    out.append(UInt8(ascii: "\\"))
                    out.append(b)
                case UInt8(ascii: "\n"):
                    out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case UInt8(ascii: "\r"):
                    out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case UInt8(ascii: "\t"):
                    out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case 0..<0x20, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                    out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    out.append(hex.utf8Start[Int(b >> 4)])
                    out.append(hex.utf8Start[Int(b & 0xF)])
                default:
                    out.append(b)
                }
                i += 1
                continue
            }
            let (r, n) = decodeRune(bytes, i, bytes.count)
            if r == replacementScalar && n == 1 {
                out.append(contentsOf: Array("\\ufffd".utf8))
            } else if r == 0x2028 || r == 0x2029 {
                out.append(contentsOf: Array((r == 0x2028 ? "\\u2028" : "\\u2029").utf8))
            } else {
                for k in 0..<n { out.append(bytes[i + k]) }
            }
            i += n
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Whether `bytes` is valid UTF-8 (ASCII checked eight bytes at a time).
    static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            if bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        while i < n {
            if bytes[i] < 0x80 {
                i += 1
                continue
            }
            let (r, length) = decodeRune(bytes, i, n)
            if r == replacementScalar && length == 1 { return false }
            i += length
        }
        return true
    }

    /// `bytes` as a double-quoted, escaped string for a diagnostic message, like Go's `%q`:
    /// printable text as is, everything else escaped, so a message never carries control characters.
    static func quoted(_ bytes: UnsafeRawBufferPointer) -> String {
        var s = "\""
        var i = 0
        while i < bytes.count {
            let (r, n) = decodeRune(bytes, i, bytes.count)
            if r == replacementScalar && n == 1 {
                s += "\\x" + String(bytes[i], radix: 16, uppercase: false).leftPadded(to: 2)
            } else if r == UInt32(UInt8(ascii: "\"")) || r == UInt32(UInt8(ascii: "\\")) {
                s += "\\" + String(UnicodeScalar(UInt8(r)))
            } else if r >= 0x20 && r < 0x7F || r >= 0x80 && isPrintNonASCII(r) {
                s.unicodeScalars.append(Unicode.Scalar(r) ?? "?")
            } else {
                switch r {
                case 0x0A: s += "\\n"
                case 0x09: s += "\\t"
                case 0x0D: s += "\\r"
                default:
                    s += r < 0x10000 ? "\\u" + String(r, radix: 16).leftPadded(to: 4) : "\\U" + String(r, radix: 16).leftPadded(to: 8)
                }
            }
            i += n
        }
        return s + "\""
    }

    /// `quoted(_:)` of a `String`.
    static func quoted(_ text: String) -> String {
        text.withUTF8Bytes { quoted($0) }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

extension GoText {
    /// Go's `strings.Fields` of `range`: the runs of non-space runes.
    static func fields(_ p: UnsafeRawBufferPointer, _ range: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var i = range.lowerBound
        var start = -1
        while i < range.upperBound {
            let b = p[i]
            let (space, n): (Bool, Int)
            if b < 0x80 {
                (space, n) = (b == 0x20 || (b >= 0x09 && b <= 0x0D), 1)
            } else {
                let (r, length) = decodeRune(p, i, range.upperBound)
                (space, n) = (isSpace(r), length)
            }
            if space {
                if start >= 0 { result.append(start..<i) }
                start = -1
            } else if start < 0 {
                start = i
            }
            i += n
        }
        if start >= 0 { result.append(start..<range.upperBound) }
        return result
    }
}

extension String {
    /// Calls `body` with the string's UTF-8 bytes, without copying a native string.
    @inline(__always)
    func withUTF8Bytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let result = utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return result }
        return Array(utf8).withUnsafeBytes(body)
    }
}
