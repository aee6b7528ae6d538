import CensusStore

/// Renders the answers of `census events top`, `timeline` and `compare` as a table, JSON, CSV or
/// Markdown (docs/json-format.md, "Events").
///
/// JSON is one object with `schema_version`, `tool`, `query` and the rows: `top` rows are
/// `rank`, `name`, `value`; `timeline` rows `period`, `value`. When languages are involved,
/// `unknown_language` says how much of the metric fell on repositories of no known language; in
/// the other formats that count is a line after the table (CSV: on standard error, so the
/// output stays one table).
public struct EventsRenderer: Sendable {
    public var format: OutputFormat
    public var toolVersion: String

    public init(format: OutputFormat, toolVersion: String) {
        self.format = format
        self.toolVersion = toolVersion
    }

    /// What was asked, for the JSON `query` object: (name, JSON value) pairs in order.
    public typealias Query = [(String, String)]

    /// A filter's fields as JSON query pairs.
    public static func query(_ filter: EventFilter) -> Query {
        func string(_ value: String?) -> String { value.map { Escaping.jsonString($0) } ?? "null" }
        func day(_ value: Int64?) -> String {
            value.map { "\"\(EventPeriod.day.label($0))\"" } ?? "null"
        }
        return [
            ("language", string(filter.language)), ("region", string(filter.region)), ("company", string(filter.company)),
            ("since", day(filter.since)), ("until", day(filter.until)), ("include_bots", filter.includeBots ? "true" : "false"),
        ]
    }

    // MARK: - top

    public func renderTop(_ answer: EventAnswer<EventRankingRow>, metric: EventMetric, by group: EventGroup, query: Query)
        -> (output: String, note: String?)
    {
        let note = answer.unknownLanguage.map { "\($0) \(metric.rawValue) had no known repository language" }
        if format == .json {
            var fields = [queryField("events top", [("metric", "\"\(metric.rawValue)\""), ("by", "\"\(group.rawValue)\"")] + query)]
            if let unknown = answer.unknownLanguage { fields.append("\"unknown_language\": \(unknown)") }
            let rows = answer.rows.enumerated().map { index, row in
                "{\"rank\": \(index + 1), \"name\": \(row.name.map { Escaping.jsonString($0) } ?? "null"), \"value\": \(row.value)}"
            }
            return (object(fields, rows: rows), nil)
        }
        var table = TextTable(headers: ["#", group.rawValue.capitalized, metric.rawValue], numeric: [true, false, true])
        for (index, row) in answer.rows.enumerated() {
            table.rows.append(["\(index + 1)", cell(row.name ?? "Unknown"), "\(row.value)"])
        }
        return render(table, note: note)
    }

    // MARK: - timeline

    public func renderTimeline(_ answer: EventAnswer<TimelinePoint>, metric: EventMetric, by period: EventPeriod, query: Query)
        -> (output: String, note: String?)
    {
        let note = answer.unknownLanguage.map { "\($0) \(metric.rawValue) had no known repository language" }
        if format == .json {
            var fields = [queryField("events timeline", [("metric", "\"\(metric.rawValue)\""), ("by", "\"\(period.rawValue)\"")] + query)]
            if let unknown = answer.unknownLanguage { fields.append("\"unknown_language\": \(unknown)") }
            let rows = answer.rows.map { "{\"period\": \(Escaping.jsonString($0.period)), \"value\": \($0.value)}" }
            return (object(fields, rows: rows), nil)
        }
        var table = TextTable(headers: [period.rawValue.capitalized, metric.rawValue], numeric: [false, true])
        table.rows = answer.rows.map { [cell($0.period), "\($0.value)"] }
        return render(table, note: note)
    }

    // MARK: - compare

    public func renderCompare(
        _ c: EventComparison, metric: EventMetric, withMetric: EventMetric?, withSeries: String?, window: EventWindow,
        query: Query, seriesMeasure: String? = nil
    ) -> (output: String, note: String?) {
        let day = EventPeriod.day
        func relative(_ value: Double?) -> String { value.map { ScanRenderer.fixedDecimal($0, decimals: 6) } ?? "null" }
        func side(_ g: EventGrowth) -> String {
            var text = "{\"before\": \(g.before), \"after\": \(g.after), \"absolute_growth\": \(g.absolute), "
            text += "\"relative_growth\": \(relative(g.relative))"
            if let b = g.unknownLanguageBefore, let a = g.unknownLanguageAfter {
                text += ", \"unknown_language_before\": \(b), \"unknown_language_after\": \(a)"
            }
            return text + "}"
        }
        if format == .json {
            var pairs: Query = [("metric", "\"\(metric.rawValue)\""), ("date", "\"\(day.label(c.date))\""), ("window", "\"\(window)\""), ("by", "\"\(c.period.rawValue)\"")]
            pairs += query
            pairs.append(("with_metric", withMetric.map { "\"\($0.rawValue)\"" } ?? "null"))
            pairs.append(("with_series", withSeries.map { Escaping.jsonString($0) } ?? "null"))
            if withSeries != nil, let seriesMeasure { pairs.append(("series_measure", Escaping.jsonString(seriesMeasure))) }
            var fields = [queryField("events compare", pairs)]
            fields.append(
                "\"before\": {\"since\": \"\(day.label(c.beforeStart))\", \"until\": \"\(day.label(c.date))\", \"value\": \(c.growth.before)}")
            fields.append(
                "\"after\": {\"since\": \"\(day.label(c.date))\", \"until\": \"\(day.label(c.afterEnd))\", \"value\": \(c.growth.after)}")
            fields.append("\"absolute_growth\": \(c.growth.absolute)")
            fields.append("\"relative_growth\": \(relative(c.growth.relative))")
            if let b = c.growth.unknownLanguageBefore, let a = c.growth.unknownLanguageAfter {
                fields.append("\"unknown_language\": {\"before\": \(b), \"after\": \(a)}")
            }
            fields.append("\"with\": \(c.withGrowth.map(side) ?? "null")")
            fields.append(
                "\"correlation\": "
                    + (c.correlation.map { "{\"r\": \($0.r.map { ScanRenderer.fixedDecimal($0, decimals: 6) } ?? "null"), \"periods\": \($0.points)}" } ?? "null"))
            let other = Dictionary((c.withSeries ?? []).map { ($0.period, $0.value) }, uniquingKeysWith: { a, _ in a })
            let rows = c.series.map { point in
                var row = "{\"period\": \(Escaping.jsonString(point.period)), \"value\": \(point.value)"
                if c.withSeries != nil { row += ", \"with_value\": \(other[point.period].map { Self.number($0) } ?? "null")" }
                return row + "}"
            }
            return (object(fields, rows: rows), nil)
        }
        var table = TextTable(headers: ["", "Since", "Until", metric.rawValue], numeric: [false, false, false, true])
        table.rows.append(["before", day.label(c.beforeStart), day.label(c.date), "\(c.growth.before)"])
        table.rows.append(["after", day.label(c.date), day.label(c.afterEnd), "\(c.growth.after)"])
        table.rows.append(["growth", "", "", "\(c.growth.absolute)"])
        table.rows.append(["growth %", "", "", c.growth.relative.map { ScanRenderer.fixedDecimal($0 * 100, decimals: 2) + "%" } ?? "n/a"])
        if let w = c.withGrowth, let withMetric {
            table.rows.append(["with \(withMetric.rawValue) before", day.label(c.beforeStart), day.label(c.date), "\(w.before)"])
            table.rows.append(["with \(withMetric.rawValue) after", day.label(c.date), day.label(c.afterEnd), "\(w.after)"])
            table.rows.append(["with growth %", "", "", w.relative.map { ScanRenderer.fixedDecimal($0 * 100, decimals: 2) + "%" } ?? "n/a"])
        }
        if let r = c.correlation {
            table.rows.append(["Pearson r", "", "\(r.points) \(c.period.rawValue)s", r.r.map { ScanRenderer.fixedDecimal($0, decimals: 4) } ?? "n/a"])
        }
        var note: String?
        if let b = c.growth.unknownLanguageBefore, let a = c.growth.unknownLanguageAfter {
            note = "\(b) before and \(a) after had no known repository language"
        }
        // The last column holds numbers (a growth may be negative): escaped as text, a CSV `-3`
        // would become `'-3`.
        table.rows = table.rows.map { row in row.enumerated().map { $0.offset == row.count - 1 ? $0.element : cell($0.element) } }
        return render(table, note: note)
    }

    // MARK: - Helpers

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : ScanRenderer.fixedDecimal(value, decimals: 6)
    }

    private func queryField(_ command: String, _ pairs: Query) -> String {
        "\"query\": {\"command\": \"\(command)\"" + pairs.map { ", \"\($0.0)\": \($0.1)" }.joined() + "}"
    }

    private func object(_ fields: [String], rows: [String]) -> String {
        var out = "{\n  \"schema_version\": \(ScanRenderer.schemaVersion),\n"
        out += "  \"tool\": {\"name\": \"census\", \"version\": \(Escaping.jsonString(toolVersion))},\n"
        for field in fields { out += "  " + field + ",\n" }
        out += "  \"rows\": [" + (rows.isEmpty ? "" : "\n    " + rows.joined(separator: ",\n    ") + "\n  ") + "]\n}\n"
        return out
    }

    /// The table, and the note: after the table for text and Markdown, apart for CSV.
    private func render(_ table: TextTable, note: String?) -> (output: String, note: String?) {
        switch format {
        case .csv: return (table.renderCSV(), note)
        case .markdown: return (table.renderMarkdown() + (note.map { "\n\($0)\n" } ?? ""), nil)
        default: return (table.renderText() + (note.map { "\($0)\n" } ?? ""), nil)
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
