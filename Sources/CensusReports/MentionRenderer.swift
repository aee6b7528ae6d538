import CensusDocuments

/// Renders `census mentions` results: rows per period and pattern, the per-file detail
/// (`--by-file`) and the summary (docs/mentions.md, docs/json-format.md).
public struct MentionRenderer: Sendable {
    public var format: OutputFormat
    public var toolVersion: String
    /// Adds one row per counted document (path, format, encoding, date and its source, matches).
    public var byFile: Bool

    public init(format: OutputFormat, toolVersion: String, byFile: Bool = false) {
        self.format = format
        self.toolVersion = toolVersion
        self.byFile = byFile
    }

    /// `front-matter 3, mtime 1`: how many of a period's documents each date source dated.
    static func sources(_ counts: [DateMethod: Int]) -> String {
        DateMethod.allCases.compactMap { method in counts[method].map { "\(method.rawValue) \($0)" } }.joined(separator: ", ")
    }

    public func render(_ report: MentionReport) -> String {
        let rows = report.rows
        if format == .json { return json(report, rows: rows) }
        var table = TextTable(
            headers: ["Period", "Pattern", "Documents", "Matches", "Of documents", "Share", "Dated by"],
            numeric: [false, false, true, true, true, true, false])
        for r in rows {
            let share = r.periodDocuments > 0 ? Double(r.documents) / Double(r.periodDocuments) : 0
            table.rows.append([
                cell(r.period), cell(r.pattern), "\(r.documents)", "\(r.matches)", "\(r.periodDocuments)",
                ScanRenderer.fixed(share * 100, decimals: 1) + "%", cell(Self.sources(r.dateSources)),
            ])
        }
        var out = byFile && format == .csv ? "" : render(table)
        if byFile {
            var files = TextTable(
                headers: ["File", "Format", "Encoding", "Date", "Dated by"] + report.patterns.map(\.name),
                numeric: [false, false, false, false, false] + report.patterns.map { _ in true })
            for d in report.documents {
                files.rows.append(
                    [cell(d.path), d.format.rawValue, d.encoding.rawValue, d.date.description, d.dateSource.rawValue]
                        + d.matches.map { "\($0)" })
            }
            // CSV holds one table: with --by-file it is the per-file one.
            out += format == .csv ? render(files) : "\n" + render(files)
        }
        return out
    }

    /// The summary lines for standard error (table, CSV and Markdown put only rows on stdout).
    public func summaryLines(_ report: MentionReport) -> [String] {
        var lines: [String] = []
        let encodings = DocumentEncoding.allCases.compactMap { e in report.encodings[e].map { "\(e.rawValue) \($0)" } }
        lines.append(
            "\(report.documents.count) documents counted" + (encodings.isEmpty ? "" : " (\(encodings.joined(separator: ", ")))")
                + "; \(report.problems.count) not counted; \(report.ignored) other files ignored")
        if !report.problems.isEmpty {
            var kinds: [String: Int] = [:]
            for p in report.problems { kinds[p.kind.rawValue, default: 0] += 1 }
            lines.append("not counted: " + kinds.keys.sorted().map { "\($0) \(kinds[$0]!)" }.joined(separator: ", "))
        }
        return lines
    }

    private func json(_ report: MentionReport, rows: [MentionRow]) -> String {
        func sourcesObject(_ counts: [DateMethod: Int]) -> String {
            "{" + DateMethod.allCases.compactMap { m in counts[m].map { "\"\(m.rawValue)\": \($0)" } }.joined(separator: ", ") + "}"
        }
        var out = "{\n  \"schema_version\": \(ScanRenderer.schemaVersion),\n"
        out += "  \"tool\": {\"name\": \"census\", \"version\": \(Escaping.jsonString(toolVersion))},\n"
        out += "  \"query\": {\"command\": \"mentions\", \"by\": \"\(report.period.rawValue)\", \"date\": ["
        out += report.dateMethods.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") + "], \"patterns\": ["
        out += report.patterns.map { "{\"name\": \(Escaping.jsonString($0.name)), \"regex\": \(Escaping.jsonString($0.source))}" }
            .joined(separator: ", ")
        out += "]},\n"
        let rowTexts = rows.map { r in
            "{\"period\": \(Escaping.jsonString(r.period)), \"pattern\": \(Escaping.jsonString(r.pattern)), "
                + "\"documents\": \(r.documents), \"matches\": \(r.matches), \"period_documents\": \(r.periodDocuments), "
                + "\"date_sources\": \(sourcesObject(r.dateSources))}"
        }
        out += "  \"rows\": [" + (rowTexts.isEmpty ? "" : "\n    " + rowTexts.joined(separator: ",\n    ") + "\n  ") + "],\n"
        var encodings: [String] = []
        for e in DocumentEncoding.allCases { if let n = report.encodings[e] { encodings.append("\"\(e.rawValue)\": \(n)") } }
        var formats: [DocumentFormat: Int] = [:]
        for d in report.documents { formats[d.format, default: 0] += 1 }
        let formatTexts = DocumentFormat.allCases.compactMap { f in formats[f].map { "\"\(f.rawValue)\": \($0)" } }
        var kinds: [String: Int] = [:]
        for p in report.problems { kinds[p.kind.rawValue, default: 0] += 1 }
        out += "  \"summary\": {\"documents\": \(report.documents.count), \"not_counted\": \(report.problems.count), "
        out += "\"ignored\": \(report.ignored), \"encodings\": {\(encodings.joined(separator: ", "))}, "
        out += "\"formats\": {\(formatTexts.joined(separator: ", "))}, "
        out += "\"not_counted_by_reason\": {" + kinds.keys.sorted().map { "\(Escaping.jsonString($0)): \(kinds[$0]!)" }.joined(separator: ", ")
        out += "}},\n"
        let problems = report.problems.map {
            "{\"path\": \(Escaping.jsonString($0.path)), \"kind\": \(Escaping.jsonString($0.kind.rawValue)), \"reason\": \(Escaping.jsonString($0.reason))}"
        }
        out += "  \"problems\": [" + (problems.isEmpty ? "" : "\n    " + problems.joined(separator: ",\n    ") + "\n  ") + "]"
        if byFile {
            let files = report.documents.map { d in
                let matches = zip(report.patterns, d.matches).map { "\(Escaping.jsonString($0.name)): \($1)" }.joined(separator: ", ")
                return "{\"path\": \(Escaping.jsonString(d.path)), \"format\": \"\(d.format.rawValue)\", "
                    + "\"encoding\": \"\(d.encoding.rawValue)\", \"date\": \"\(d.date)\", \"date_source\": \"\(d.dateSource.rawValue)\", "
                    + "\"text_bytes\": \(d.textBytes), \"matches\": {\(matches)}}"
            }
            out += ",\n  \"files\": [" + (files.isEmpty ? "" : "\n    " + files.joined(separator: ",\n    ") + "\n  ") + "]"
        }
        return out + "\n}\n"
    }

    private func render(_ table: TextTable) -> String {
        switch format {
        case .csv: return table.renderCSV()
        case .markdown: return table.renderMarkdown()
        default: return table.renderText()
        }
    }

    private func cell(_ text: String) -> String {
        switch format {
        case .csv: return Escaping.csvField(text)
        case .markdown: return Escaping.markdownCell(text)
        default: return Escaping.display(text)
        }
    }
}
