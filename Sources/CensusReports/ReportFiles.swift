/// The files of a report directory, as relative paths and contents: `index.html`, `report.md`,
/// one SVG per chart (`<figure>.svg`, or `<figure>-1.svg`… for small multiples), `data/<figure>.csv`
/// for every figure, `sql/<figure>.sql` where the store's SQL was recorded, and `queries.sql`
/// with all of them.
public enum ReportFiles {
    public struct File: Sendable, Equatable {
        public var path: String
        public var contents: String
    }

    public static func files(for document: ReportDocument, databaseHint: String = "census.db") -> [File] {
        var files: [File] = [
            File(path: "index.html", contents: ReportHTMLWriter().render(document)),
            File(path: "report.md", contents: ReportMarkdownWriter().render(document)),
        ]
        let svg = ChartSVG(standalone: true)
        var queries = "-- census report: the SQL behind each figure, as the store ran it (values inlined).\n"
        queries += "-- Run it with: sqlite3 -header -csv \(ReportCSV.commentLine(databaseHint)) < queries.sql\n"
        queries += "-- Figures computed after the query (sums, re-ordering) say so in a note.\n\n"
        var anySQL = false
        for (k, figure) in document.figures.enumerated() {
            let id = ReportHTMLWriter.safeID(figure.id)
            files.append(File(path: "data/\(id).csv", contents: ReportCSV.render(figure.table)))
            if let chart = figure.chart {
                let drawings = svg.render(chart, id: id, title: figure.title, description: figure.caption)
                let names = ReportMarkdownWriter.imageFiles(figure)
                for (name, drawing) in zip(names, drawings) {
                    files.append(File(path: name, contents: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + drawing + "\n"))
                }
            }
            if !figure.sql.isEmpty {
                anySQL = true
                let script = ReportCSV.sqlScript(figure, number: k + 1)
                files.append(File(path: "sql/\(id).sql", contents: script))
                queries += script + "\n"
            }
        }
        if !anySQL {
            queries += "-- No SQL was recorded: the store is not an SQLite file (ClickHouse runs its own dialect of the same queries).\n"
        }
        files.append(File(path: "queries.sql", contents: queries))
        return files
    }
}
