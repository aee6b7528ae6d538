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
    /// Show GitHub's language bar instead of the line tables (JSON always includes it).
    public var breakdown: Bool
    public var toolVersion: String
    /// At most this many rows in the table of excluded languages (table and Markdown), then a line
    /// saying how many more there are; nil shows them all. The corpus view shows 10.
    public var excludedRowLimit: Int?

    public init(
        format: OutputFormat, sort: ScanSortKey = .code, byFile: Bool = false, breakdown: Bool = false,
        toolVersion: String
    ) {
        self.format = format
        self.sort = sort
        self.byFile = byFile
        self.breakdown = breakdown
        self.toolVersion = toolVersion
    }

    public func render(_ report: ScanReport) -> String {
        if format == .json { return renderJSON(report) }
        if breakdown {
            let table = breakdownTable(report)
            switch format {
            case .csv: return table.renderCSV()
            case .markdown: return table.renderMarkdown()
            default: return table.renderText()
            }
        }
        let excluded = report.languages.contains { $0.excluded.files > 0 }
        switch format {
        case .table:
            var out = byFile ? fileTable(report).renderText() + "\n" : ""
            out += languageTable(report).renderText()
            if excluded {
                out += "\nExcluded from GitHub's language statistics (vendored, generated, documentation):\n"
                let (table, omitted) = excludedTable(report)
                out += table.renderText() + Self.omittedLine(omitted)
            }
            return out
        case .markdown:
            var out = byFile ? fileTable(report).renderMarkdown() + "\n" : ""
            out += languageTable(report).renderMarkdown()
            if excluded {
                out += "\nExcluded from GitHub's language statistics (vendored, generated, documentation):\n\n"
                let (table, omitted) = excludedTable(report)
                out += table.renderMarkdown() + (omitted > 0 ? "\n" + Self.omittedLine(omitted) : "")
            }
            return out
        default:
            return byFile ? fileTable(report).renderCSV() : languageTable(report).renderCSV()
        }
    }

    // MARK: - Ordering

    /// Languages ordered by `sort` over the chosen totals (all files, by default).
    func sortedLanguages(_ report: ScanReport, by part: (LanguageTotals) -> CountTotals = {
        CountTotals(files: $0.files, counts: $0.counts, bytes: $0.bytes)
    }) -> [LanguageTotals] {
        report.languages.sorted { a, b in
            let (pa, pb) = (part(a), part(b))
            let (ka, kb) = (key(pa.files, pa.counts, pa.bytes), key(pb.files, pb.counts, pb.bytes))
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

    /// The per-language table. Table and Markdown show the repository's own code (excluded code
    /// has its own table); CSV shows every file's totals, then own and excluded columns.
    func languageTable(_ report: ScanReport) -> TextTable {
        let csv = format == .csv
        var table = TextTable(
            headers: csv
                ? [
                    "name", "type", "files", "lines", "code", "comments", "blanks", "bytes", "own_files", "own_code",
                    "own_bytes", "excluded_files", "excluded_code", "excluded_bytes",
                ]
                : ["Language", "Files", "Lines", "Code", "Comments", "Blanks", "Bytes"],
            numeric: csv ? [false, false] + Array(repeating: true, count: 12) : [false] + Array(repeating: true, count: 6))
        var total = CountTotals()
        for l in sortedLanguages(report, by: csv ? { CountTotals(files: $0.files, counts: $0.counts, bytes: $0.bytes) } : { $0.own }) {
            let language = LanguageTable[l.language]
            if csv {
                let numbers = [l.files, l.counts.lines, l.counts.code, l.counts.comments, l.counts.blanks, l.bytes]
                let parts = [l.own.files, l.own.counts.code, l.own.bytes, l.excluded.files, l.excluded.counts.code, l.excluded.bytes]
                table.rows.append([Escaping.csvField(language.name), language.type.rawValue] + (numbers + parts).map(String.init))
            } else {
                let own = l.own
                guard own.files > 0 else { continue }
                total += own
                table.rows.append([cell(Array(language.name.utf8))] + Self.numbers(own))
            }
        }
        table.footer = [[format == .markdown ? "**Total**" : "Total"] + Self.numbers(total)]
        return table
    }

    /// "and N more (--format json for all)", or nothing when no row was left out.
    static func omittedLine(_ omitted: Int) -> String {
        omitted > 0 ? "and \(omitted) more (--format json for all)\n" : ""
    }

    /// Excluded code per language, with how many files each kind of exclusion took: the first
    /// `excludedRowLimit` rows, and how many were left out (the total counts them all).
    func excludedTable(_ report: ScanReport) -> (table: TextTable, omitted: Int) {
        var table = TextTable(
            headers: ["Language", "Files", "Lines", "Code", "Comments", "Blanks", "Bytes", "Excluded as"],
            numeric: [false, true, true, true, true, true, true, false])
        var total = CountTotals()
        for l in sortedLanguages(report, by: { $0.excluded }) where l.excluded.files > 0 {
            let kinds = [FileCategory.vendored, .generated, .documentation].compactMap { c -> String? in
                guard let n = l.categories[c]?.files, n > 0 else { return nil }
                return "\(c.rawValue) \(n)"
            }
            total += l.excluded
            table.rows.append([cell(Array(LanguageTable[l.language].name.utf8))] + Self.numbers(l.excluded) + [kinds.joined(separator: ", ")])
        }
        table.footer = [[format == .markdown ? "**Total**" : "Total"] + Self.numbers(total) + [""]]
        var omitted = 0
        if let limit = excludedRowLimit, table.rows.count > limit {
            omitted = table.rows.count - limit
            table.rows.removeLast(omitted)
        }
        return (table, omitted)
    }

    /// GitHub's language bar: share of bytes per language, one decimal as GitHub shows it.
    func breakdownTable(_ report: ScanReport) -> TextTable {
        let csv = format == .csv
        var table = TextTable(
            headers: csv ? ["name", "bytes", "percentage"] : ["Language", "Bytes", "Share"], numeric: [false, true, true])
        for entry in report.breakdown {
            let name = LanguageTable[entry.language].name
            table.rows.append([
                csv ? Escaping.csvField(name) : cell(Array(name.utf8)), String(entry.bytes),
                csv ? Self.fixed(entry.percentage, decimals: 2) : Self.fixed(entry.percentage, decimals: 1) + "%",
            ])
        }
        return table
    }

    static func numbers(_ t: CountTotals) -> [String] {
        [t.files, t.counts.lines, t.counts.code, t.counts.comments, t.counts.blanks, t.bytes].map(String.init)
    }

    /// `value` with exactly `decimals` decimals, rounded half away from zero (like `%.Nf` on
    /// non-tie values).
    /// `value` with exactly `decimals` decimals, rounded half away from zero, sign kept.
    public static func fixedDecimal(_ value: Double, decimals: Int) -> String {
        value < 0 ? "-" + fixed(-value, decimals: decimals) : fixed(value, decimals: decimals)
    }

    static func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0 ..< decimals { scale *= 10 }
        let scaled = (value * scale).rounded(.toNearestOrAwayFromZero)
        let integer = Int(scaled)
        let whole = integer / Int(scale)
        let fraction = abs(integer % Int(scale))
        let digits = String(fraction)
        return "\(whole)." + String(repeating: "0", count: max(0, decimals - digits.count)) + digits
    }

    func fileTable(_ report: ScanReport) -> TextTable {
        let csv = format == .csv
        var table = TextTable(
            headers: csv
                ? ["path", "language", "lines", "code", "comments", "blanks", "bytes"]
                : ["File", "Language", "Lines", "Code", "Comments", "Blanks", "Bytes"],
            numeric: [false, false, true, true, true, true, true])
        if csv {
            table.headers.append("category")
            table.numeric.append(false)
        }
        for f in sortedFiles(report) {
            let name = LanguageTable[f.language].name
            let numbers = [f.counts.lines, f.counts.code, f.counts.comments, f.counts.blanks, f.bytes].map(String.init)
            var row = [cell(f.path), cell(Array(name.utf8)) + (!csv && f.classification.category != .own ? " (\(f.classification.category.rawValue))" : "")] + numbers
            if csv { row.append(f.classification.category.rawValue) }
            table.rows.append(row)
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
        if let repository = report.repository { out += "  \"repository\": " + Self.repositoryJSON(repository) + ",\n" }
        if !report.goModules.isEmpty {
            out += "  \"go_modules\": [\n" + report.goModules.map { m in
                let f = m.file
                var o = "    {\"path\": \(Escaping.jsonString(m.path)), \"category\": \"\(m.category.rawValue)\", "
                o += "\"module\": \(f.module.map { Escaping.jsonString($0.path) } ?? "null"), "
                o += "\"go\": \(f.goVersion.map { Escaping.jsonString($0) } ?? "null"), "
                o += "\"requires\": \(f.requirements.count), \"direct\": \(f.requirements.filter { !$0.isIndirect }.count), "
                o += "\"replaces\": \(f.replacements.count), \"excludes\": \(f.exclusions.count), \"uses_vendor\": \(m.usesVendor), "
                o += "\"errors\": \(f.errorCount)}"
                return o
            }.joined(separator: ",\n") + "\n  ],\n"
        }
        if !report.submodules.isEmpty {
            out += "  \"submodules\": [" + report.submodules.map {
                "{\"path\": \(Escaping.jsonString($0.path)), \"commit\": \"\($0.commit)\"}"
            }.joined(separator: ", ") + "],\n"
        }
        out += "  \"languages\": [\n"
        out += sortedLanguages(report).map { l in
            let language = LanguageTable[l.language]
            var o = "    {\"name\": \(Escaping.jsonString(language.name)), \"type\": \"\(language.type.rawValue)\", "
            o += counts(files: l.files, l.counts, bytes: l.bytes)
            for c in FileCategory.allCases {
                let t = l.categories[c] ?? CountTotals()
                o += ", \"\(c.rawValue)\": {" + counts(files: t.files, t.counts, bytes: t.bytes) + "}"
            }
            return o + "}"
        }.joined(separator: ",\n")
        out += "\n  ],\n"
        let t = report.total
        out += "  \"total\": {" + counts(files: t.files, t.counts, bytes: t.bytes)
        for c in FileCategory.allCases {
            let part = t.categories[c] ?? CountTotals()
            out += ", \"\(c.rawValue)\": {" + counts(files: part.files, part.counts, bytes: part.bytes) + "}"
        }
        out += "},\n"
        out += "  \"breakdown\": [\n"
        out += report.breakdown.map { e in
            "    {\"name\": \(Escaping.jsonString(LanguageTable[e.language].name)), \"bytes\": \(e.bytes), \"percentage\": \(Self.fixed(e.percentage, decimals: 2))}"
        }.joined(separator: ",\n")
        out += "\n  ],\n"
        if byFile {
            out += "  \"files\": [\n"
            out += sortedFiles(report).map { f in
                var o = "    {\"path\": \(Escaping.jsonString(f.path)), "
                if !Escaping.isValidUTF8(f.path) { o += "\"path_base64\": \"\(Escaping.base64(f.path))\", " }
                o += "\"language\": \(Escaping.jsonString(LanguageTable[f.language].name)), "
                o += "\"lines\": \(f.counts.lines), \"code\": \(f.counts.code), \"comments\": \(f.counts.comments), "
                o += "\"blanks\": \(f.counts.blanks), \"bytes\": \(f.bytes), \"strategy\": \"\(f.strategy.rawValue)\", "
                let c = f.classification
                o += "\"category\": \"\(c.category.rawValue)\", "
                if let reason = c.exclusionReason { o += "\"excluded_by\": \(Escaping.jsonString(reason)), " }
                o += "\"in_breakdown\": \(c.inBreakdown)}"
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
        out += "\"lfs_pointers\": \(s.lfsPointers), \"submodules\": \(s.submodules), "
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

    /// The repository object of docs/json-format.md.
    static func repositoryJSON(_ r: ScannedRepository) -> String {
        func string(_ value: String?) -> String { value.map { Escaping.jsonString($0) } ?? "null" }
        var o = "{\"key\": \(Escaping.jsonString(r.key)), \"location\": \(Escaping.jsonString(r.location)), "
        o += "\"org\": \(string(r.org)), \"company\": \(string(r.company)), "
        o += "\"cohorts\": [" + r.cohorts.map { Escaping.jsonString($0) }.joined(separator: ", ") + "], "
        o += "\"revision\": \(string(r.revision))"
        if r.place != nil {
            o += ", \"place\": \(string(r.place)), \"country\": \(string(r.country)), \"region\": \(string(r.region))"
        }
        if let git = r.git {
            o += ", \"commit\": \"\(git.commit.id)\", \"commit_date\": \"\(git.commit.committed.utcISO8601)\", "
            o += "\"root_commit\": \(git.rootCommit.map { "\"\($0.id)\"" } ?? "null"), "
            o += "\"root_commit_date\": \(git.rootCommit.map { "\"\($0.committed.utcISO8601)\"" } ?? "null"), "
            o += "\"commit_count\": \(git.commitCount.map(String.init) ?? "null"), \"shallow\": \(git.isShallow), "
            o += "\"default_branch\": \(string(git.defaultBranch)), \"remote_url\": \(string(git.remoteURL)), "
            o += "\"host\": \(string(git.remote?.host)), \"owner\": \(string(git.remote?.owner)), \"name\": \(string(git.remote?.name))"
        }
        return o + "}"
    }

    private func counts(files: Int, _ c: LineCounts, bytes: Int) -> String {
        "\"files\": \(files), \"lines\": \(c.lines), \"code\": \(c.code), \"comments\": \(c.comments), \"blanks\": \(c.blanks), \"bytes\": \(bytes)"
    }
}
