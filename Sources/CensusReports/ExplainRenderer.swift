import CensusLanguages
import CensusScan

/// Renders `census explain`: for every file, its language, how it was decided (and among which
/// candidates), whether and why it is excluded, and whether it counts toward the breakdown.
public struct ExplainRenderer: Sendable {
    public var format: OutputFormat

    public init(format: OutputFormat) { self.format = format }

    public func render(_ report: ScanReport) -> String {
        if format == .json { return renderJSON(report) }
        let csv = format == .csv
        var table = TextTable(
            headers: csv
                ? ["path", "language", "strategy", "candidates", "category", "excluded_by", "in_breakdown", "breakdown_reason"]
                : ["File", "Language", "Decided by", "Candidates", "Category", "Rule", "Breakdown"],
            numeric: Array(repeating: false, count: csv ? 8 : 7))
        for f in report.files {
            let c = f.classification
            let candidates = c.detection.candidates.map { LanguageTable[$0].name }.joined(separator: ", ")
            let language = LanguageTable[c.detection.language].name
            if csv {
                table.rows.append([
                    Escaping.csvField(f.path), Escaping.csvField(language), c.detection.strategy.rawValue,
                    Escaping.csvField(candidates), c.category.rawValue, Escaping.csvField(c.exclusionReason ?? ""),
                    String(c.inBreakdown), Escaping.csvField(c.breakdownReason ?? ""),
                ])
            } else {
                let breakdown = c.inBreakdown ? "counted" : "not counted (\(c.breakdownReason ?? "?"))"
                table.rows.append(
                    [cell(f.path), cell(language), c.detection.strategy.rawValue, cell(candidates), c.category.rawValue,
                     cell(c.exclusionReason ?? "-"), cell(breakdown)])
            }
        }
        switch format {
        case .csv: return table.renderCSV()
        case .markdown: return table.renderMarkdown()
        default: return table.renderText()
        }
    }

    private func cell(_ text: String) -> String { cell(Array(text.utf8)) }

    private func cell(_ bytes: [UInt8]) -> String {
        format == .markdown ? Escaping.markdownCell(bytes) : Escaping.display(bytes)
    }

    private func renderJSON(_ report: ScanReport) -> String {
        var out = "{\n  \"schema_version\": \(ScanRenderer.schemaVersion),\n  \"files\": [\n"
        out += report.files.map { f in
            let c = f.classification
            var o = "    {\"path\": \(Escaping.jsonString(f.path)), "
            if !Escaping.isValidUTF8(f.path) { o += "\"path_base64\": \"\(Escaping.base64(f.path))\", " }
            o += "\"language\": \(Escaping.jsonString(LanguageTable[c.detection.language].name)), "
            o += "\"strategy\": \"\(c.detection.strategy.rawValue)\", "
            o += "\"candidates\": [" + c.detection.candidates.map { Escaping.jsonString(LanguageTable[$0].name) }.joined(separator: ", ") + "], "
            o += "\"category\": \"\(c.category.rawValue)\", "
            o += "\"excluded_by\": " + (c.exclusionReason.map { Escaping.jsonString($0) } ?? "null") + ", "
            o += "\"in_breakdown\": \(c.inBreakdown), "
            o += "\"breakdown_reason\": " + (c.breakdownReason.map { Escaping.jsonString($0) } ?? "null") + ", "
            o += "\"lines\": \(f.counts.lines), \"code\": \(f.counts.code), \"bytes\": \(f.bytes)}"
            return o
        }.joined(separator: ",\n")
        out += "\n  ],\n  \"issues\": [\n"
        out += report.issues.map {
            "    {\"path\": \(Escaping.jsonString($0.path)), \"kind\": \"\($0.kind.rawValue)\", \"reason\": \(Escaping.jsonString($0.reason))}"
        }.joined(separator: ",\n")
        out += "\n  ]\n}\n"
        return out
    }
}
