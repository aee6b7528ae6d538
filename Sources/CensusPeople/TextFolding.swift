/// Folding free text for comparison: lowercase, Latin accents removed, full-width ASCII read as
/// ASCII; and splitting it into words. Shared by company names and locations.
///
/// `"Dassault Systèmes"` and `"DASSAULT SYSTEMES"` fold alike; `"ＩＢＭ"` folds to `"ibm"`.
enum TextFolding {
    /// Accented Latin letters (lowercase) and what they fold to.
    private static let latin: [UInt32: String] = {
        let groups = [
            "àáâãäåāăą": "a", "æ": "ae", "çćĉċč": "c", "ďđð": "d", "èéêëēĕėęě": "e", "ĝğġģ": "g", "ĥħ": "h",
            "ìíîïĩīĭįı": "i", "ĳ": "ij", "ĵ": "j", "ķ": "k", "ĺļľŀł": "l", "ñńņňŉ": "n", "òóôõöøōŏő": "o",
            "œ": "oe", "ŕŗř": "r", "śŝşšș": "s", "ß": "ss", "ţťŧț": "t", "ùúûüũūŭůűų": "u", "ŵ": "w",
            "ýÿŷ": "y", "źżž": "z", "þ": "th",
        ]
        var table: [UInt32: String] = [:]
        for (letters, folded) in groups {
            for scalar in letters.unicodeScalars { table[scalar.value] = folded }
        }
        return table
    }()

    /// The folded scalars of `text`, in order.
    ///
    /// - Complexity: O(n); ASCII takes a table-free path.
    static func fold(_ text: String) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            var value = scalar.value
            if value < 0x80 {
                if value >= 0x41 && value <= 0x5A { value |= 0x20 }
                result.append(Unicode.Scalar(UInt8(value)))
                continue
            }
            // Full-width ASCII and the ideographic space.
            if value >= 0xFF01 && value <= 0xFF5E { value -= 0xFEE0 }
            if value == 0x3000 { value = 0x20 }
            // Combining accents of decomposed Latin text.
            if value >= 0x0300 && value <= 0x036F { continue }
            guard let folded = Unicode.Scalar(value) else { continue }
            if folded.value < 0x80 {
                result.append(contentsOf: String(folded).lowercased().unicodeScalars)
                continue
            }
            for lower in folded.properties.lowercaseMapping.unicodeScalars {
                if let replacement = latin[lower.value] {
                    result.append(contentsOf: replacement.unicodeScalars)
                } else {
                    result.append(lower)
                }
            }
        }
        return result
    }

    /// Whether a folded scalar belongs to a word: ASCII letters and digits, and beyond ASCII every
    /// letter, digit and combining mark (Devanagari vowel signs are marks).
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return (value >= 0x61 && value <= 0x7A) || (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A)
        }
        let properties = scalar.properties
        if properties.isAlphabetic || properties.numericType != nil { return true }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// Whether a scalar is written without spaces between words: Han, kana, Hangul.
    static func isUnspacedScript(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xAC00...0xD7AF, 0x1100...0x11FF,
            0x20000...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// The words of folded text (maximal runs of word scalars), as strings.
    static func words(_ scalars: [Unicode.Scalar]) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in scalars {
            if isWordScalar(scalar) {
                current.append(scalar)
            } else if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }
}
