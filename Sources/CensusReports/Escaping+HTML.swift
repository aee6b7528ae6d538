extension Escaping {
    /// Text for HTML and SVG, in element content or a quoted attribute: first made displayable as
    /// for a terminal (controls, bidi overrides such as U+202E and invalid UTF-8 become visible
    /// escapes, so a name cannot reorder or hide what follows it), then `&`, `<`, `>`, `"` and `'`
    /// as character references.
    public static func html(_ text: String) -> String {
        let shown = display(text)
        var out = ""
        out.reserveCapacity(shown.utf8.count + 8)
        for scalar in shown.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Markdown running text (not a table cell): as ``markdownCell(_:)``, which also keeps `|`
    /// from opening a table and line breaks from ending the paragraph.
    public static func markdownText(_ text: String) -> String { markdownCell(text) }

    /// At most `limit` characters, the rest replaced by `…` (for labels inside charts; tables and
    /// hover titles keep the whole text).
    public static func truncated(_ text: String, limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(max(1, limit - 1))) + "…"
    }
}
