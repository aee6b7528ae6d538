import CensusStore

/// Renders answers from the store (`census top`, `share`, `breakdown`, `repos`) as a table, JSON,
/// CSV or Markdown. JSON is one object with `schema_version` and the rows (docs/json-format.md).
public struct StoreRenderer: Sendable {
    public var format: OutputFormat
    public var toolVersion: String

    public init(format: OutputFormat, toolVersion: String) {
        self.format = format
        self.toolVersion = toolVersion
    }

    // MARK: - top

    public func renderTop(_ rows: [LanguageRankingRow], language: String, by group: RankingGroup, metric: RankingMetric) -> String {
        if format == .json {
            return object(
                ["\"query\": {\"command\": \"top\", \"language\": \(Escaping.jsonString(language)), \"by\": \"\(group.rawValue)\", \"metric\": \"\(metric.rawValue)\"}"],
                rows: rows.map { r in
                    "{\"name\": \(Escaping.jsonString(r.name)), \"code\": \(r.code), \"bytes\": \(r.bytes), \"files\": \(r.files), "
                        + "\"repositories\": \(r.repositories), \"own_code\": \(r.ownCode), \"share\": \(Self.number(r.share, 6))}"
                })
        }
        var table = TextTable(
            headers: ["#", group.rawValue.capitalized, "\(language) code", "Bytes", "Files", "Repos", "Share of own code"],
            numeric: [true, false, true, true, true, true, true])
        for (k, r) in rows.enumerated() {
            table.rows.append([
                "\(k + 1)", cell(r.name), "\(r.code)", "\(r.bytes)", "\(r.files)", "\(r.repositories)", Self.percent(r.share),
            ])
        }
        return render(table)
    }

    // MARK: - share

    public func renderShare(_ rows: [LanguageShareRow], language: String, threshold: Double, unit: ShareUnit, by group: ShareGroup?) -> String {
        if format == .json {
            var query = "\"query\": {\"command\": \"share\", \"language\": \(Escaping.jsonString(language)), "
            query += "\"threshold\": \(Self.number(threshold, 6)), \"unit\": \"\(unit.rawValue)\", "
            query += "\"by\": \(group.map { "\"\($0.rawValue)\"" } ?? "null")}"
            return object(
                [query],
                rows: rows.map { r in
                    "{\"group\": \(r.group.map { Escaping.jsonString($0) } ?? "null"), \"units_matching\": \(r.unitsMatching), "
                        + "\"units_total\": \(r.unitsTotal), \"fraction\": \(Self.number(r.fraction, 6)), "
                        + "\"language_code\": \(r.languageCode), \"own_code\": \(r.ownCode), \"language_share\": \(Self.number(r.languageShare, 6))}"
                })
        }
        let units = unit == .repository ? "repos" : unit.rawValue == "company" ? "companies" : "\(unit.rawValue)s"
        var table = TextTable(
            headers: [
                group.map { $0.rawValue.capitalized } ?? "Scope", "\(units.capitalized) ≥ \(Self.percent(threshold)) \(language)",
                "Of", "Penetration", "\(language) code", "Own code", "\(language) share",
            ],
            numeric: [false, true, true, true, true, true, true])
        for r in rows {
            table.rows.append([
                cell(r.group ?? "all"), "\(r.unitsMatching)", "\(r.unitsTotal)", Self.percent(r.fraction), "\(r.languageCode)",
                "\(r.ownCode)", Self.percent(r.languageShare),
            ])
        }
        return render(table)
    }

    // MARK: - breakdown

    public func renderBreakdown(_ rows: [LanguageBreakdownRow]) -> String {
        if format == .json {
            return object(
                [],
                rows: rows.map { r in
                    "{\"name\": \(Escaping.jsonString(r.language)), \"type\": \"\(r.type.rawValue)\", \"repositories\": \(r.repositories), "
                        + "\"own_repositories\": \(r.ownRepositories), \"own\": \(counts(r.own)), \"excluded\": \(counts(r.excluded)), "
                        + "\"breakdown_bytes\": \(r.breakdownBytes), \"percentage\": \(Self.number(r.percentage, 2))}"
                })
        }
        var table = TextTable(
            headers: ["Language", "Repos", "Files", "Code", "Comments", "Blanks", "Bytes", "Excluded code", "Bar %"],
            numeric: [false, true, true, true, true, true, true, true, true])
        for r in rows {
            table.rows.append([
                cell(r.language), "\(r.repositories)", "\(r.own.files)", "\(r.own.code)", "\(r.own.comment)", "\(r.own.blank)",
                "\(r.own.bytes)", "\(r.excluded.code)", r.breakdownBytes > 0 ? ScanRenderer.fixed(r.percentage, decimals: 2) : "",
            ])
        }
        return render(table)
    }

    // MARK: - repos

    public func renderRepositories(_ rows: [StoredRepositoryRow]) -> String {
        func string(_ value: String?) -> String { value.map { Escaping.jsonString($0) } ?? "null" }
        func integer<T: BinaryInteger>(_ value: T?) -> String { value.map { "\($0)" } ?? "null" }
        if format == .json {
            return object(
                [],
                rows: rows.map { row in
                    let r = row.repository
                    var o = "{\"key\": \(Escaping.jsonString(r.key)), \"location\": \(Escaping.jsonString(r.location)), "
                    o += "\"org\": \(Escaping.jsonString(r.org)), \"company\": \(string(r.company)), "
                    o += "\"cohorts\": [" + r.cohorts.map { Escaping.jsonString($0) }.joined(separator: ", ") + "], "
                    o += "\"revision\": \(Escaping.jsonString(r.revision)), \"commit\": \(string(r.commit)), "
                    o += "\"commit_date\": \(integer(r.commitDate)), \"root_commit_date\": \(integer(r.rootCommitDate)), "
                    o += "\"commit_count\": \(integer(r.commitCount)), \"default_branch\": \(string(r.defaultBranch)), "
                    o += "\"remote_url\": \(string(r.remoteURL)), \"scanned_at\": \(r.scannedAt), "
                    return o + "\"own\": \(counts(row.own)), \"breakdown_bytes\": \(row.breakdownBytes)}"
                })
        }
        var table = TextTable(
            headers: ["Repository", "Org", "Company", "Cohorts", "Commit", "Files", "Code", "Bytes"],
            numeric: [false, false, false, false, false, true, true, true])
        for row in rows {
            let r = row.repository
            table.rows.append([
                cell(r.key), cell(r.org), cell(r.company ?? ""), cell(r.cohorts.joined(separator: ";")),
                String((r.commit ?? "").prefix(12)), "\(row.own.files)", "\(row.own.code)", "\(row.own.bytes)",
            ])
        }
        return render(table)
    }

    // MARK: - Helpers

    private func counts(_ c: StoredCounts) -> String {
        "{\"files\": \(c.files), \"code\": \(c.code), \"comments\": \(c.comment), \"blanks\": \(c.blank), \"bytes\": \(c.bytes)}"
    }

    private func object(_ fields: [String], rows: [String]) -> String {
        var out = "{\n  \"schema_version\": \(ScanRenderer.schemaVersion),\n"
        out += "  \"tool\": {\"name\": \"census\", \"version\": \(Escaping.jsonString(toolVersion))},\n"
        for field in fields { out += "  " + field + ",\n" }
        out += "  \"rows\": [" + (rows.isEmpty ? "" : "\n    " + rows.joined(separator: ",\n    ") + "\n  ") + "]\n}\n"
        return out
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

    static func percent(_ fraction: Double) -> String { ScanRenderer.fixed(fraction * 100, decimals: 1) + "%" }

    static func number(_ value: Double, _ decimals: Int) -> String { ScanRenderer.fixed(value, decimals: decimals) }
}
