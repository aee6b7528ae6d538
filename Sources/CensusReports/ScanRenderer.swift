import CensusCounting
import CensusLanguages
import CensusScan

/// What to order rows by.
public enum ScanSortKey: String, CaseIterable, Sendable {
    case code, lines, files, bytes, name
}

/// Renders a ``ScanReport`` as a table, JSON (docs/json-format.md), CSV or Markdown.
public struct ScanRenderer: Sendable {
    /// The JSON schema version this renderer writes.
    public static let schemaVersion = 1

    public var format: OutputFormat
    public var sort: ScanSortKey
    public var byFile: Bool
    public var toolVersion: String

    public init(format: OutputFormat, sort: ScanSortKey = .code, byFile: Bool = false, toolVersion: String) {
        self.format = format
        self.sort = sort
        self.byFile = byFile
        self.toolVersion = toolVersion
    }

    public func render(_ report: ScanReport) -> String {
        switch format {
        case .json: return renderJSON(report)
        case .table: return (byFile ? fileTable(report).renderText() + "\n" : "") + languageTable(report).renderText()
        case .markdown:
            return (byFile ? fileTable(report).renderMarkdown() + "\n" : "") + languageTable(report).renderMarkdown()
        case .csv: return byFile ? fileTable(report).renderCSV() : languageTable(report).renderCSV()
        }
    }

    // MARK: - Ordering

    func sortedLanguages(_ report: ScanReport) -> [LanguageTotals] {
        report.languages.sorted { a, b in
            let (ka, kb) = (key(a.files, a.counts, a.bytes), key(b.files, b.counts, b.bytes))
            if sort != .name && ka != kb { return ka > kb }
            return LanguageTable[a.language].name < LanguageTable[b.language].name
        }
    }

    func sortedFiles(_ report: ScanReport) -> [FileRecord] {
        guard sort != .name else { return report.files }
        // Stable: equal keys keep path order.
        return report.files.enumerated().sorted { a, b in
            let (ka, kb) = (key(1, a.element.counts, a.element.bytes), key(1, b.element.counts, b.element.bytes))
            return ka != kb ? ka > kb : a.offset < b.offset
        }.map(\.element)
    }

    private func key(_ files: Int, _ counts: LineCounts, _ bytes: Int) -> Int {
        switch sort {
        case .code: return counts.code
        case .lines: return counts.lines
        case .files: return files
        case .bytes: return bytes
        case .name: return 0
        }
    }

    // MARK: - Tables

    func languageTable(_ report: ScanReport) -> TextTable {
        let csv = format == .csv
        var table = TextTable(
            headers: csv
                ? ["name", "type", "files", "lines", "code", "comments", "blanks", "bytes"]
                : ["Language", "Files", "Lines", "Code", "Comments", "Blanks", "Bytes"],
            numeric: csv ? [false, false, true, true, true, true, true, true] : [false, true, true, true, true, true, true])
        for l in sortedLanguages(report) {
            let language = LanguageTable[l.language]
            let numbers = [l.files, l.counts.lines, l.counts.code, l.counts.comments, l.counts.blanks, l.bytes].map(String.init)
            if csv {
                table.rows.append([Escaping.csvField(language.name), language.type.rawValue] + numbers)
            } else {
                table.rows.append([cell(Array(language.name.utf8))] + numbers)
            }
        }
        let t = report.total
        table.footer = [[format == .markdown ? "**Total**" : "Total"] + [t.files, t.counts.lines, t.counts.code, t.counts.comments, t.counts.blanks, t.bytes].map(String.init)]
        return table
    }

    func fileTable(_ report: ScanReport) -> TextTable {
        let csv = format == .csv
        var table = TextTable(
            headers: csv
                ? ["path", "language", "lines", "code", "comments", "blanks", "bytes"]
                : ["File", "Language", "Lines", "Code", "Comments", "Blanks", "Bytes"],
            numeric: [false, false, true, true, true, true, true])
        for f in sortedFiles(report) {
            let name = LanguageTable[f.language].name
            let numbers = [f.counts.lines, f.counts.code, f.counts.comments, f.counts.blanks, f.bytes].map(String.init)
            table.rows.append([cell(f.path), cell(Array(name.utf8))] + numbers)
        }
        return table
    }

    private func cell(_ bytes: [UInt8]) -> String {
        switch format {
        case .csv: return Escaping.csvField(bytes)
        case .markdown: return Escaping.markdownCell(bytes)
        default: return Escaping.display(bytes)
        }
    }

    // MARK: - JSON

    func renderJSON(_ report: ScanReport) -> String {
        var out = "{\n"
        out += "  \"schema_version\": \(Self.schemaVersion),\n"
        out += "  \"tool\": {\"name\": \"census\", \"version\": \(Escaping.jsonString(toolVersion))},\n"
        out += "  \"roots\": [" + report.roots.map { Escaping.jsonString($0) }.joined(separator: ", ") + "],\n"
        out += "  \"languages\": [\n"
        out += sortedLanguages(report).map { l in
            let language = LanguageTable[l.language]
            return "    {\"name\": \(Escaping.jsonString(language.name)), \"type\": \"\(language.type.rawValue)\", "
                + counts(files: l.files, l.counts, bytes: l.bytes) + "}"
        }.joined(separator: ",\n")
        out += "\n  ],\n"
        let t = report.total
        out += "  \"total\": {" + counts(files: t.files, t.counts, bytes: t.bytes) + "},\n"
        if byFile {
            out += "  \"files\": [\n"
            out += sortedFiles(report).map { f in
                var o = "    {\"path\": \(Escaping.jsonString(f.path)), "
                if !Escaping.isValidUTF8(f.path) { o += "\"path_base64\": \"\(Escaping.base64(f.path))\", " }
                o += "\"language\": \(Escaping.jsonString(LanguageTable[f.language].name)), "
                o += "\"lines\": \(f.counts.lines), \"code\": \(f.counts.code), \"comments\": \(f.counts.comments), "
                o += "\"blanks\": \(f.counts.blanks), \"bytes\": \(f.bytes), \"strategy\": \"\(f.strategy.rawValue)\"}"
                return o
            }.joined(separator: ",\n")
            out += "\n  ],\n"
        }
        let s = report.summary
        let errors = report.issues.filter { $0.kind == .error }.count
        out += "  \"summary\": {"
        out += "\"counted_files\": \(s.countedFiles), \"binary_files\": \(s.binaryFiles), \"binary_bytes\": \(s.binaryBytes), "
        out += "\"unrecognised_files\": \(s.unrecognisedFiles), \"unrecognised_bytes\": \(s.unrecognisedBytes), "
        out += "\"ignored_entries\": \(s.ignoredEntries), \"hidden_entries\": \(s.hiddenEntries), "
        out += "\"symlinks_skipped\": \(s.symlinksSkipped), \"directories\": \(s.directories), "
        out += "\"errors\": \(errors), \"skipped\": \(report.issues.count - errors)},\n"
        out += "  \"issues\": [\n"
        out += report.issues.map { i in
            var o = "    {\"path\": \(Escaping.jsonString(i.path)), "
            if !Escaping.isValidUTF8(i.path) { o += "\"path_base64\": \"\(Escaping.base64(i.path))\", " }
            return o + "\"kind\": \"\(i.kind.rawValue)\", \"reason\": \(Escaping.jsonString(i.reason))}"
        }.joined(separator: ",\n")
        out += "\n  ]\n}\n"
        return out
    }

    private func counts(files: Int, _ c: LineCounts, bytes: Int) -> String {
        "\"files\": \(files), \"lines\": \(c.lines), \"code\": \(c.code), \"comments\": \(c.comments), \"blanks\": \(c.blanks), \"bytes\": \(bytes)"
    }
}
