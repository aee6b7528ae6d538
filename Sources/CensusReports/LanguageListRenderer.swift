import CensusLanguages

/// Renders the list of supported languages (`census languages`), like tokei's and scc's
/// `--languages`, with the syntax the counter uses.
public struct LanguageListRenderer: Sendable {
    public var format: OutputFormat

    public init(format: OutputFormat) { self.format = format }

    public func render(_ languages: [Language] = LanguageTable.all) -> String {
        switch format {
        case .json: return renderJSON(languages)
        case .table: return table(languages).renderText()
        case .markdown: return table(languages).renderMarkdown()
        case .csv: return table(languages).renderCSV()
        }
    }

    private func table(_ languages: [Language]) -> TextTable {
        let csv = format == .csv
        var t = TextTable(
            headers: csv
                ? ["name", "type", "extensions", "filenames", "interpreters", "line_comments", "block_comments"]
                : ["Language", "Type", "Extensions", "Filenames", "Interpreters", "Line comments", "Block comments"],
            numeric: Array(repeating: false, count: 7))
        for l in languages {
            let blocks = l.syntax.blockComments.map { b in
                b.open + " " + (b.close.isEmpty ? "(end of file)" : b.close) + (b.nested ? " (nested)" : "")
            }
            let cells = [
                l.name, l.type.rawValue, short(l.extensions), short(l.filenames), short(l.interpreters),
                short(l.syntax.lineComments.map { ($0.atLineStart ? "^" : "") + $0.token }),
                short(blocks, separator: ", "),
            ]
            t.rows.append(cells.map(cell))
        }
        return t
    }

    /// Every item for CSV; for tables as many as fit in about 48 columns and a count of the rest,
    /// so rows stay readable.
    private func short(_ items: [String], separator: String = " ") -> String {
        if format == .csv { return items.joined(separator: separator) }
        var shown: [String] = []
        var width = 0
        for item in items {
            if !shown.isEmpty && width + 1 + item.count > 48 { break }
            shown.append(item)
            width += item.count + 1
        }
        let rest = items.count - shown.count
        return shown.joined(separator: separator) + (rest > 0 ? " (+\(rest) more)" : "")
    }

    private func cell(_ text: String) -> String {
        switch format {
        case .csv: return Escaping.csvField(text)
        case .markdown: return Escaping.markdownCell(text)
        default: return Escaping.display(text)
        }
    }

    private func renderJSON(_ languages: [Language]) -> String {
        func list(_ items: [String]) -> String { "[" + items.map { Escaping.jsonString($0) }.joined(separator: ", ") + "]" }
        var out = "{\n  \"schema_version\": \(ScanRenderer.schemaVersion),\n  \"languages\": [\n"
        out += languages.map { l in
            let s = l.syntax
            var o = "    {\"name\": \(Escaping.jsonString(l.name)), \"type\": \"\(l.type.rawValue)\""
            o += ", \"color\": " + (l.color.map { Escaping.jsonString($0) } ?? "null")
            o += ", \"group\": " + (l.group.map { Escaping.jsonString($0) } ?? "null")
            o += ", \"aliases\": \(list(l.aliases)), \"extensions\": \(list(l.extensions))"
            o += ", \"filenames\": \(list(l.filenames)), \"interpreters\": \(list(l.interpreters))"
            o += ", \"line_comments\": [" + s.lineComments.map { c in
                "{\"token\": \(Escaping.jsonString(c.token)), \"at_line_start\": \(c.atLineStart), \"not_before\": \(list(c.notBefore))}"
            }.joined(separator: ", ") + "]"
            o += ", \"block_comments\": [" + s.blockComments.map { b in
                "{\"open\": \(Escaping.jsonString(b.open)), \"close\": \(Escaping.jsonString(b.close)), \"nested\": \(b.nested), \"anchored\": \(b.anchored)}"
            }.joined(separator: ", ") + "]"
            o += ", \"strings\": [" + s.strings.map { q in
                let escape = q.escape.map { Escaping.jsonString([$0]) } ?? "null"
                return "{\"open\": \(Escaping.jsonString(q.open)), \"close\": \(Escaping.jsonString(q.close)), \"escape\": \(escape), \"multiline\": \(q.multiline), \"doc\": \(q.isDocString)}"
            }.joined(separator: ", ") + "]"
            o += ", \"raw_strings\": \(list(s.rawStrings.map(\.rawValue)))"
            o += ", \"heredoc\": " + (s.heredoc.map { Escaping.jsonString($0) } ?? "null") + "}"
            return o
        }.joined(separator: ",\n")
        out += "\n  ]\n}\n"
        return out
    }
}
