import Synchronization

/// Making untrusted text (file names, language data) safe for each output.
///
/// File names are bytes: they may hold newlines, escape sequences that would drive a terminal, bidi
/// overrides that reorder what is shown, or bytes that are not UTF-8 at all.
public enum Escaping {
    /// What CSV output does with a cell that starts like a spreadsheet formula (`=`, `+`, `-`, `@`,
    /// tab or carriage return).
    public enum CSVFormulaPolicy: String, Sendable, CaseIterable {
        /// Prefix the cell with `'`, so spreadsheets show it as text instead of running it (the default).
        case escape
        /// Keep the cell exactly as it is.
        case raw
    }

    private static let keepsFormulas = Atomic<Bool>(false)

    /// The process-wide policy for ``csvField(_:)-([UInt8])``; the command line sets it from
    /// `--csv-formulas`.
    public static var csvFormulas: CSVFormulaPolicy {
        get { keepsFormulas.load(ordering: .relaxed) ? .raw : .escape }
        set { keepsFormulas.store(newValue == .raw, ordering: .relaxed) }
    }

    /// A message for standard error: like ``display(_:)-([UInt8])`` (so a name inside it cannot
    /// drive the terminal), but line feeds are kept, as multi-line messages need them.
    public static func terminalMessage(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { display(Array($0.utf8)) }
            .joined(separator: "\n")
    }

    /// For terminals, tables and Markdown: C0 and C1 controls, DEL, bidi controls and invalid UTF-8
    /// become visible escapes (`\n`, `\t`, `\x1B`, `\u{202E}`); everything else is shown as is.
    public static func display(_ bytes: [UInt8]) -> String {
        var out = ""
        out.reserveCapacity(bytes.count)
        forEachScalar(bytes) { scalar, invalidByte in
            if let b = invalidByte {
                out += "\\x" + hex(b)
                return
            }
            guard let s = scalar else { return }
            switch s.value {
            case 0x0A: out += "\\n"
            case 0x09: out += "\\t"
            case 0x0D: out += "\\r"
            case 0x00 ..< 0x20, 0x7F: out += "\\x" + hex(UInt8(s.value))
            case 0x80 ..< 0xA0, 0x200E, 0x200F, 0x202A ... 0x202E, 0x2066 ... 0x2069:
                out += "\\u{" + String(s.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(s)
            }
        }
        return out
    }

    public static func display(_ text: String) -> String { display(Array(text.utf8)) }

    /// The bytes as UTF-8 text, each invalid byte replaced by U+FFFD.
    public static func lossyText(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Whether the bytes are valid UTF-8.
    public static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var valid = true
        forEachScalar(bytes) { _, invalid in if invalid != nil { valid = false } }
        return valid
    }

    /// A Markdown table cell: displayable text with `|` and `\` escaped.
    public static func markdownCell(_ bytes: [UInt8]) -> String {
        var out = ""
        for ch in display(bytes) {
            switch ch {
            case "|": out += "\\|"
            case "\\": out += "\\\\"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "*", "_", "`", "[", "]": out += "\\" + String(ch)
            default: out.append(ch)
            }
        }
        return out
    }

    public static func markdownCell(_ text: String) -> String { markdownCell(Array(text.utf8)) }

    /// One RFC 4180 CSV field for text: quoted when it holds a comma, quote, CR or LF, with quotes
    /// doubled; invalid UTF-8 replaced by U+FFFD; and, unless ``csvFormulas`` is `.raw`, a leading
    /// `=`, `+`, `-`, `@`, tab or CR (which spreadsheets run as formulas) prefixed with `'`.
    public static func csvField(_ bytes: [UInt8]) -> String {
        var text = lossyText(bytes)
        if csvFormulas == .escape, let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            text = "'" + text
        }
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard needsQuotes else { return text }
        var quoted = "\""
        for ch in text { quoted += ch == "\"" ? "\"\"" : String(ch) }
        return quoted + "\""
    }

    public static func csvField(_ text: String) -> String { csvField(Array(text.utf8)) }

    /// One word for a POSIX shell, to show in a command a user may paste: left bare when it holds
    /// only letters, digits and `/._-+:@,=%`, otherwise in single quotes (each `'` as `'\''`);
    /// controls and invalid UTF-8 made visible first, as ``display(_:)`` does.
    public static func shellWord(_ text: String) -> String {
        let shown = display(text)
        let bare = !shown.isEmpty
            && shown.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                        || "/._-+:@,=%".unicodeScalars.contains(scalar))
            }
        if bare { return shown }
        var quoted = "'"
        for ch in shown { quoted += ch == "'" ? "'\\''" : String(ch) }
        return quoted + "'"
    }

    /// A JSON string literal (with quotes): `"`, `\`, controls and bidi controls escaped, invalid
    /// UTF-8 as U+FFFD.
    public static func jsonString(_ bytes: [UInt8]) -> String {
        var out = "\""
        forEachScalar(bytes) { scalar, invalid in
            if invalid != nil {
                out += "\u{FFFD}"
                return
            }
            guard let s = scalar else { return }
            switch s.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            // Controls (C0, DEL, C1), the line separators and the bidi controls as \u escapes: exact for
            // a JSON reader, inert when the JSON itself is shown on a terminal.
            case 0x00 ..< 0x20, 0x7F, 0x80 ..< 0xA0, 0x2028, 0x2029, 0x200E, 0x200F, 0x202A ... 0x202E, 0x2066 ... 0x2069:
                out += "\\u" + String(repeating: "0", count: 4 - String(s.value, radix: 16).count)
                    + String(s.value, radix: 16, uppercase: true)
            default: out.unicodeScalars.append(s)
            }
        }
        return out + "\""
    }

    public static func jsonString(_ text: String) -> String { jsonString(Array(text.utf8)) }

    /// Standard base64 of raw bytes (for file names that are not UTF-8, in JSON).
    public static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var i = 0
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(n >> 18)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [alphabet[Int(n >> 18)], alphabet[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(n >> 18)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String(digits[Int(b >> 4)]) + String(digits[Int(b & 15)])
    }

    /// Decodes UTF-8 strictly, calling `body` with each scalar, or with each byte that is not part
    /// of a valid sequence.
    static func forEachScalar(_ bytes: [UInt8], _ body: (Unicode.Scalar?, UInt8?) -> Void) {
        var i = 0
        let n = bytes.count
        while i < n {
            let b0 = bytes[i]
            if b0 < 0x80 {
                body(Unicode.Scalar(b0), nil)
                i += 1
                continue
            }
            var length = 0
            var value: UInt32 = 0
            var minimum: UInt32 = 0
            switch b0 {
            case 0xC2 ... 0xDF: length = 2; value = UInt32(b0 & 0x1F); minimum = 0x80
            case 0xE0 ... 0xEF: length = 3; value = UInt32(b0 & 0x0F); minimum = 0x800
            case 0xF0 ... 0xF4: length = 4; value = UInt32(b0 & 0x07); minimum = 0x10000
            default: length = 0
            }
            var ok = length > 0 && i + length <= n
            if ok {
                for k in 1 ..< length {
                    let b = bytes[i + k]
                    if b & 0xC0 != 0x80 { ok = false; break }
                    value = value << 6 | UInt32(b & 0x3F)
                }
            }
            if ok, value >= minimum, value <= 0x10FFFF, let scalar = Unicode.Scalar(value) {
                body(scalar, nil)
                i += length
            } else {
                body(nil, b0)
                i += 1
            }
        }
    }
}
