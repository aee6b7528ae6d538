/// Writes a ``ReportDocument`` as a Markdown article (CommonMark with GitHub's tables): a heading
/// per section, per figure its title, an image link to `<id>.svg` written beside it, and its data
/// as a table whose cells escape `|`, line breaks and Markdown's own characters.
public struct ReportMarkdownWriter: Sendable {
    public init() {}

    public func render(_ document: ReportDocument) -> String {
        let strings = ReportStrings(document.locale)
        var out = "# \(Escaping.markdownText(document.title))\n\n\(Escaping.markdownText(document.subtitle))\n\n"
        var figureNumber = 0
        for (k, section) in document.sections.enumerated() {
            out += "## \(k + 1). \(Escaping.markdownText(section.title))\n\n"
            for paragraph in section.paragraphs { out += Escaping.markdownText(paragraph) + "\n\n" }
            if !section.missing.isEmpty {
                out += "> " + Escaping.markdownText(section.figures.isEmpty ? strings[.missingData] : strings[.partialData]) + " "
                out += section.missing.map(Self.code).joined(separator: " ") + "\n\n"
            }
            for figure in section.figures {
                figureNumber += 1
                let id = ReportHTMLWriter.safeID(figure.id)
                out += "**\(Escaping.markdownText(strings.figure(figureNumber))) \(Escaping.markdownText(figure.title))** "
                out += Escaping.markdownText(figure.caption) + "\n\n"
                for file in Self.imageFiles(figure) {
                    out += "![\(Escaping.markdownText(figure.title))](\(file))\n\n"
                }
                out += Self.table(figure.table, empty: strings[.noRows]) + "\n"
                var source = Escaping.markdownText(strings[.dataFile]) + " `data/\(id).csv`"
                if !figure.sql.isEmpty { source += " · SQL `sql/\(id).sql`" }
                if !figure.commands.isEmpty { source += " · " + figure.commands.map(Self.code).joined(separator: " · ") }
                out += source + "\n\n"
                for note in figure.sqlNotes { out += "_" + Escaping.markdownText(note) + "_\n\n" }
            }
        }
        return out
    }

    /// The SVG files of a figure: `<id>.svg`, or `<id>-1.svg`, `<id>-2.svg`… for small multiples.
    public static func imageFiles(_ figure: ReportFigure) -> [String] {
        let id = ReportHTMLWriter.safeID(figure.id)
        switch figure.chart {
        case nil: return []
        case .panels(let panels)?: return panels.count > 1 ? (1 ... panels.count).map { "\(id)-\($0).svg" } : ["\(id).svg"]
        default: return ["\(id).svg"]
        }
    }

    /// A GitHub-flavoured table: every cell on one line (line breaks shown as `\n`), `|` escaped.
    static func table(_ table: ReportTable, empty: String) -> String {
        guard !table.columns.isEmpty else { return "" }
        let numeric = table.columns.indices.map { column in table.rows.contains { $0.count > column && $0[column].isNumeric } }
        var out = "| " + table.columns.map { Escaping.markdownCell($0.title) }.joined(separator: " | ") + " |\n"
        out += "|" + numeric.map { $0 ? " ---: |" : " --- |" }.joined() + "\n"
        for row in table.rows {
            var cells = row.map { Escaping.markdownCell($0.display) }
            while cells.count < table.columns.count { cells.append("") }
            out += "| " + cells.prefix(table.columns.count).joined(separator: " | ") + " |\n"
        }
        if table.rows.isEmpty {
            out += "| " + ([Escaping.markdownCell(empty)] + Array(repeating: "", count: table.columns.count - 1)).joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// An inline code span that holds any text: displayable (no line breaks or controls), fenced
    /// by more backticks than it contains.
    static func code(_ text: String) -> String {
        let shown = Escaping.display(text)
        var longest = 0
        var run = 0
        for ch in shown {
            run = ch == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = shown.hasPrefix("`") || shown.hasSuffix("`") || longest > 0 ? " " : ""
        return fence + pad + shown + pad + fence
    }
}

/// The data of a figure as CSV (RFC 4180, a header of field names, raw values) and its SQL.
public enum ReportCSV {
    public static func render(_ table: ReportTable) -> String {
        var out = table.columns.map { Escaping.csvField($0.field) }.joined(separator: ",") + "\r\n"
        for row in table.rows {
            out += row.map { Escaping.csvField($0.raw) }.joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// The statements of one figure as an SQL script for `sqlite3`, headed by comments naming it.
    public static func sqlScript(_ figure: ReportFigure, number: Int) -> String {
        var out = "-- Figure \(number): \(commentLine(figure.title))\n"
        out += "-- data/\(ReportHTMLWriter.safeID(figure.id)).csv\n"
        for command in figure.commands { out += "-- same rows: \(commentLine(command))\n" }
        for note in figure.sqlNotes { out += "-- note: \(commentLine(note))\n" }
        for statement in figure.sql { out += statement + ";\n" }
        return out
    }

    /// Text inside an SQL `--` comment: one line.
    static func commentLine(_ text: String) -> String { Escaping.display(text) }
}
