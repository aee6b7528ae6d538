import CensusLanguages
import CensusScan

/// A repository that could not be scanned, as reports show it.
public struct CorpusFailureRow: Sendable {
    public var location: String
    public var message: String

    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }
}

/// Renders the scan of several repositories: one row per repository, then the languages of all
/// of them together; JSON holds every repository's full report (docs/json-format.md).
public struct CorpusRenderer: Sendable {
    public var scan: ScanRenderer

    public init(scan: ScanRenderer) {
        self.scan = scan
    }

    public func render(_ reports: [ScanReport], failures: [CorpusFailureRow]) -> String {
        let combined = ScanReport.combining(reports)
        if scan.format == .json {
            var out = "{\n  \"schema_version\": \(ScanRenderer.schemaVersion),\n"
            out += "  \"tool\": {\"name\": \"census\", \"version\": \(Escaping.jsonString(scan.toolVersion))},\n"
            out += "  \"repositories\": [\n"
            out += reports.map { indent(scan.renderJSON($0)) }.joined(separator: ",\n")
            out += "\n  ],\n  \"failures\": ["
            out += failures.map {
                "\n    {\"location\": \(Escaping.jsonString($0.location)), \"message\": \(Escaping.jsonString($0.message))}"
            }.joined(separator: ",")
            out += failures.isEmpty ? "],\n" : "\n  ],\n"
            out += "  \"total\": " + indent(scan.renderJSON(combined)).dropFirst(4) + "\n}\n"
            return out
        }
        let table = repositoryTable(reports)
        var languagesRenderer = scan
        languagesRenderer.excludedRowLimit = scan.excludedRowLimit ?? 10
        let languages = languagesRenderer.render(combined)
        switch scan.format {
        case .csv: return table.renderCSV()
        case .markdown: return table.renderMarkdown() + "\n" + languages
        default: return table.renderText() + "\n" + languages
        }
    }

    /// One row per repository: identity, labels, commit, counts, and its top language by
    /// GitHub's bar.
    func repositoryTable(_ reports: [ScanReport]) -> TextTable {
        var table = TextTable(
            headers: ["Repository", "Org", "Company", "Commit", "Files", "Code", "Bytes", "Top language", "Share"],
            numeric: [false, false, false, false, true, true, true, false, true])
        for report in reports {
            let repository = report.repository
            let total = report.total
            let top = report.breakdown.first
            table.rows.append([
                cell(repository?.key ?? report.roots.joined(separator: " ")), cell(repository?.org ?? ""),
                cell(repository?.company ?? ""), repository?.git.map { String($0.commit.id.description.prefix(12)) } ?? "",
                "\(total.files)", "\(total.counts.code)", "\(total.bytes)",
                top.map { LanguageTable[$0.language].name } ?? "", top.map { ScanRenderer.fixed($0.percentage, decimals: 1) + "%" } ?? "",
            ])
        }
        return table
    }

    private func cell(_ text: String) -> String {
        switch scan.format {
        case .markdown: return Escaping.markdownCell(Array(text.utf8))
        case .csv: return Escaping.csvField(Array(text.utf8))
        default: return Escaping.display(Array(text.utf8))
        }
    }

    private func indent(_ json: String) -> String {
        var lines = json.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        return lines.map { "    " + $0 }.joined(separator: "\n")
    }
}
