/// Byte-level helpers shared by the header reader, the tokenizer and the constraint parser.
enum GoBytes {
    @inline(__always) static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0B || c == 0x0C
    }

    static func trimSpace(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var start = s.startIndex
        var end = s.endIndex
        while start < end && isSpace(s[start]) { start += 1 }
        while end > start && isSpace(s[end - 1]) { end -= 1 }
        return s[start..<end]
    }

    /// The index of the first occurrence of `needle` in `haystack`.
    static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var i = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while i <= last {
            if haystack[i] == needle[0] && haystack[i..<i + needle.count].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// One UTF-8 scalar at the start of `s`: the scalar (U+FFFD when invalid), its length in bytes
    /// (1 for an invalid byte) and whether it was valid; as Go's `utf8.DecodeRune`.
    static func decodeScalar(_ s: some Collection<UInt8>) -> (scalar: Unicode.Scalar, length: Int, valid: Bool) {
        var it = s.makeIterator()
        guard let b0 = it.next() else { return ("\u{FFFD}", 0, false) }
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1, true) }
        let invalid: (Unicode.Scalar, Int, Bool) = ("\u{FFFD}", 1, false)
        let need: Int
        var value: UInt32
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: need = 1; value = UInt32(b0 & 0x1F)
        case 0xE0: need = 2; value = 0; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2; value = UInt32(b0 & 0x0F)
        case 0xED: need = 2; value = 0xD; high = 0x9F
        case 0xF0: need = 3; value = 0; low = 0x90
        case 0xF1...0xF3: need = 3; value = UInt32(b0 & 0x07)
        case 0xF4: need = 3; value = 4; high = 0x8F
        default: return invalid
        }
        for k in 0..<need {
            guard let b = it.next() else { return invalid }
            if k == 0 {
                guard b >= low && b <= high else { return invalid }
            } else {
                guard b >= 0x80 && b <= 0xBF else { return invalid }
            }
            value = value << 6 | UInt32(b & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return invalid }
        return (scalar, need + 1, true)
    }

    /// Go's `unicode.IsLetter`.
    static func isLetter(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// Go's `unicode.IsDigit`.
    static func isDigit(_ s: Unicode.Scalar) -> Bool { s.properties.generalCategory == .decimalNumber }

    /// Go's `unicode.IsUpper` on the first scalar: whether an identifier is exported.
    static func isExported(_ name: some Collection<UInt8>) -> Bool {
        guard let first = name.first else { return false }
        if first < 0x80 { return first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z") }
        let (scalar, _, valid) = decodeScalar(name)
        return valid && scalar.properties.generalCategory == .uppercaseLetter
    }

    /// The end of a build tag starting at `from`: letters, digits, `_` and `.`.
    static func tagEnd(_ s: [UInt8], from: Int) -> Int {
        var i = from
        while i < s.count {
            let c = s[i]
            if c < 0x80 {
                if (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2E {
                    i += 1
                    continue
                }
                return i
            }
            let (scalar, length, _) = decodeScalar(s[i...])
            if isLetter(scalar) || isDigit(scalar) {
                i += length
            } else {
                return i
            }
        }
        return i
    }
}
