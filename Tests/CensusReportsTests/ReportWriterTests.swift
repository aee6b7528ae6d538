import Foundation
import Testing

@testable import CensusReports

/// Names a repository, company or commit author can carry: markup, quotes, a right-to-left
/// override, line breaks, a table pipe, a spreadsheet formula and a 5,000-character name.
let hostileNames = [
    "<script>alert('x')</script>", "\"quoted\" & 'single'", "evil\u{202E}gnp.exe", "line\nbreak | pipe",
    "<img src=x onerror=alert(1)>", "=HYPERLINK(\"http://evil.example\")", String(repeating: "A", count: 5000),
]

/// A document whose every text slot holds the hostile names.
func hostileDocument() -> ReportDocument {
    let chart = BarChart(
        labels: hostileNames,
        series: hostileNames.prefix(2).map { ChartSeries(name: $0, color: "#00add8", values: hostileNames.map { _ in 1 }) })
    var table = ReportTable(columns: [ReportColumn("<b>Name</b>", field: "name"), ReportColumn("Code", field: "code")])
    table.rows = hostileNames.map { [.text($0), .integer(1234)] }
    let lines = LineChart(periods: ["2020", "2021"], series: [ChartSeries(name: hostileNames[0], color: "#00add8", values: [1, 2])], marks: [ChartMark(period: "2021", label: hostileNames[4])])
    let graph = GraphDrawing(
        names: Array(hostileNames.prefix(3)), tooltips: Array(hostileNames.prefix(3)), corpus: [0],
        edges: [(from: 0, to: 1, indirect: false), (from: 0, to: 2, indirect: true)])
    let figures = [
        ReportFigure(id: "bars", title: hostileNames[0], caption: hostileNames[1], chart: .bars(chart), table: table, commands: ["census top --cohort '\(hostileNames[0])'"], sql: ["SELECT '<script>'"]),
        ReportFigure(id: "lines", title: "Lines", caption: hostileNames[2], chart: .panels([ChartPanel(title: hostileNames[3], chart: .lines(lines)), ChartPanel(title: "b", chart: .lines(lines))]), table: table, commands: []),
        ReportFigure(id: "graph", title: "Graph", caption: "", chart: .graph(graph), table: table, commands: []),
    ]
    return ReportDocument(
        title: hostileNames[0], locale: .en, subtitle: hostileNames[2],
        sections: [
            ReportSection(id: "one", title: hostileNames[4], paragraphs: hostileNames, figures: figures),
            ReportSection(id: "two", title: "Empty", missing: ["census history --cohort '\(hostileNames[0])'"]),
        ])
}

@Suite("Report writers: untrusted names stay text; Markdown tables hold; CSV round-trips")
struct ReportWriterTests {
    @Test("HTML and SVG: no markup, attribute or bidi override gets through; nothing is fetched")
    func htmlEscaping() throws {
        let html = ReportHTMLWriter().render(hostileDocument())
        let lower = html.lowercased()
        #expect(!lower.contains("<script"))
        #expect(!lower.contains("<img"))
        #expect(!html.contains("\u{202E}"))
        #expect(html.contains("evil\\u{202E}gnp.exe"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(html.contains("&quot;quoted&quot; &amp; &#39;single&#39;"))
        #expect(html.contains("line\\nbreak | pipe"))
        // The long name is all there, breakable every 24 characters.
        #expect(html.replacingOccurrences(of: "<wbr>", with: "").contains(String(repeating: "A", count: 5000)))
        #expect(html.contains(String(repeating: "A", count: 24) + "<wbr>"))
        // Nothing to fetch: the only links are anchors, no url(), @import, link or script elements.
        let attribute = try NSRegularExpression(pattern: #"(?:src|href|xlink:href|action|poster|srcset)\s*=\s*"([^"]*)""#, options: [.caseInsensitive])
        for match in attribute.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            let value = String(html[Range(match.range(at: 1), in: html)!])
            #expect(value.hasPrefix("#"), "\(value)")
        }
        // url() only for the graph's arrow marker, an element of the page itself.
        #expect(lower.components(separatedBy: "url(").count == lower.components(separatedBy: "url(#").count)
        #expect(!lower.contains("@import"))
        #expect(!lower.contains("<link"))
        #expect(!lower.contains("<iframe"))
        #expect(html.contains("Content-Security-Policy"))
        // Every chart is an accessible image inside a figure with a caption.
        #expect(html.components(separatedBy: "<figure ").count - 1 == 3)
        #expect(html.components(separatedBy: "<svg class=\"chart\" role=\"img\"").count - 1 == 4)  // two panels
        #expect(html.components(separatedBy: "<figcaption").count - 1 == 3)

        // Standalone SVG files: the same escaping.
        for file in ReportFiles.files(for: hostileDocument()) where file.path.hasSuffix(".svg") {
            #expect(!file.contents.lowercased().contains("<script"), "\(file.path)")
            #expect(!file.contents.contains("\u{202E}"), "\(file.path)")
            #expect(file.contents.contains("xmlns=\"http://www.w3.org/2000/svg\""))
        }
    }

    @Test("Markdown: pipes and line breaks stay inside their cell; a CommonMark renderer keeps every table whole")
    func markdownTables() throws {
        let markdown = ReportMarkdownWriter().render(hostileDocument())
        // Markup only inside code spans (commands), where Markdown shows it as text.
        let outsideCode = markdown.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 0 }.map(\.element).joined()
        #expect(!outsideCode.lowercased().contains("<script"))
        #expect(markdown.contains("line\\\\nbreak \\| pipe"))
        #expect(markdown.contains("![&lt;script&gt;alert('x')&lt;/script&gt;](bars.svg)"))
        #expect(markdown.contains("![Lines](lines-1.svg)"))
        // Each table row has as many unescaped pipes as the header.
        for line in markdown.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count
            #expect(cells == 3, "\(line.prefix(80))")
        }

        let renderer: (String, [String])?
        if let gfm = toolPath("cmark-gfm") {
            renderer = (gfm, ["-e", "table"])
        } else if FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"),
            (try? run("/usr/bin/python3", ["-c", "import markdown"]).status) == 0
        {
            renderer = ("/usr/bin/python3", ["-m", "markdown", "-x", "tables"])
        } else {
            renderer = nil
        }
        guard let (tool, arguments) = renderer else {
            print("skipped: no CommonMark renderer with tables (apt-get install cmark-gfm or python3-markdown)")
            return
        }
        let rendered = try run(tool, arguments, input: markdown)
        #expect(rendered.status == 0, "\(rendered.err)")
        let html = rendered.out
        #expect(!html.lowercased().contains("<script"))
        // Three figure tables, each with a header of 2 cells and 7 rows of 2.
        let tables = html.components(separatedBy: "<table>").dropFirst()
        #expect(tables.count == 3)
        for table in tables {
            let body = table.components(separatedBy: "</table>")[0]
            let rows = body.components(separatedBy: "<tr>").dropFirst()
            #expect(rows.count == 8)
            for row in rows {
                let cells = row.components(separatedBy: "<td").count - 1 + row.components(separatedBy: "<th").count - 1
                #expect(cells == 2, "\(row.prefix(120))")
            }
            #expect(body.contains("line\\nbreak | pipe"))
        }
    }

    @Test("CSV: quotes, commas and line breaks round-trip; formulas are defused")
    func csv() {
        var table = ReportTable(columns: [ReportColumn("Name", field: "name"), ReportColumn("Share", field: "share"), ReportColumn("Day", field: "day")])
        table.rows = [[.text("a, \"b\"\nc"), .fraction(2.0 / 3), .day(0)], [.text("=1+1"), .fraction(1), .day(86_400)]]
        #expect(ReportCSV.render(table) == "name,share,day\r\n\"a, \"\"b\"\"\nc\",0.666667,1970-01-01\r\n'=1+1,1.000000,1970-01-02\r\n")
    }

    @Test("the report's files: one SVG per chart or panel, a CSV per figure, SQL where recorded")
    func files() {
        let paths = ReportFiles.files(for: hostileDocument()).map(\.path)
        #expect(paths.sorted() == [
            "bars.svg", "data/bars.csv", "data/graph.csv", "data/lines.csv", "graph.svg", "index.html", "lines-1.svg", "lines-2.svg",
            "queries.sql", "report.md", "sql/bars.sql",
        ])
    }

    func toolPath(_ name: String) -> String? {
        for dir in ["/usr/bin", "/usr/local/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        return nil
    }

    func run(_ executable: String, _ arguments: [String], input: String? = nil) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let files = FileManager.default.temporaryDirectory.appendingPathComponent("report-writer-\(UUID().uuidString)")
        let outURL = files.appendingPathExtension("out")
        let errURL = files.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        let pipe = Pipe()
        process.standardInput = pipe
        try process.run()
        pipe.fileHandleForWriting.write(Data((input ?? "").utf8))
        try pipe.fileHandleForWriting.close()
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOf: outURL, encoding: .utf8), try String(contentsOf: errURL, encoding: .utf8))
    }
}
