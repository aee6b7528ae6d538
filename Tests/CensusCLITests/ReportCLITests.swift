import CodeCensus
import Foundation
import Testing

@Suite("census report: every figure is the store's own answer", .serialized)
struct ReportCLITests {
    /// The figures of the fixture against the CLI's JSON answers and against the hand-worked values
    /// in ``ReportFixture``.
    @Test("data files equal the CLI's answers and the hand-worked figures")
    func goldenData() throws {
        let fixture = try ReportFixture()
        let out = try fixture.report([
            "--threshold", "25%", "--mark", "2021-01-01=Launch", "--compare", "commits:language=Go,code:language=Go",
        ])
        func csv(_ id: String) throws -> ReportCSVFile { try ReportCSVFile(path: "\(out)/data/\(id).csv") }

        // 2. GitHub's bar: the corpus and each cohort, exactly `census breakdown [--cohort]`.
        let bar = try csv("composition-bar")
        for (label, cohort) in [("All repositories", nil), ("cncf", "cncf"), ("graduated", "graduated"), ("sandbox", "sandbox")] as [(String, String?)] {
            let expected = try fixture.rows(["breakdown"] + (cohort.map { ["--cohort", $0] } ?? []))
                .filter { ($0["breakdown_bytes"] as? Int ?? 0) > 0 }
            let got = bar.rows.filter { $0["bar"] == label }
            // Fewer than nine languages: every one is drawn, none is Other.
            var bytes: [String: Int] = [:]
            for row in got { bytes[row["language"]!] = Int(row["breakdown_bytes"] ?? "") }
            var expectedBytes: [String: Int] = [:]
            for row in expected { expectedBytes[row["name"] as! String] = row["breakdown_bytes"] as? Int }
            #expect(bytes == expectedBytes, "\(label)")
            for row in got {
                let answer = try #require(expected.first { $0["name"] as? String == row["language"] })
                #expect(abs((Double(row["share"] ?? "") ?? -1) - (answer["percentage"] as? Double ?? 0) / 100) < 0.00006)
            }
        }
        // Hand-worked: the corpus bar holds Go, JavaScript and Python (go.mod is data: not in the bar).
        #expect(Set(bar.rows.filter { $0["bar"] == "All repositories" }.map { $0["language"]! }) == ["Go", "JavaScript", "Python"])

        // Top languages by own code.
        let languages = try csv("composition-languages")
        #expect(languages.column("language") == ["Go Module", "Go", "Python", "JavaScript"])
        #expect(languages.integers("own_code") == [14, 13, 6, 4])
        #expect(languages.integers("excluded_code") == [0, 5, 0, 0])  // vendor/lib/x.go

        // 3. Penetration at 25%: api (9 of 16 = 56%) matches; web (2 of 11) and lib (2 of 10) do not;
        // acme as an org has 11 of 27 = 41% → matches; beta 2 of 10 → does not.
        let units = try csv("penetration-units")
        #expect(units.integers("units_matching") == [1, 1, 1])
        #expect(units.integers("units_total") == [3, 2, 2])
        for (k, unit) in ["repository", "org", "company"].enumerated() {
            let answer = try fixture.rows(["share", "--language", "Go", "--unit", unit, "--threshold", "25%"])[0]
            #expect(units.rows[k]["units_matching"] == "\(answer["units_matching"] as? Int ?? -1)")
            #expect(units.rows[k]["units_total"] == "\(answer["units_total"] as? Int ?? -1)")
            #expect(units.rows[k]["language_code"] == "13")
            #expect(units.rows[k]["own_code"] == "37")
        }
        let cohorts = try csv("penetration-cohorts")
        let byCohort = try fixture.rows(["share", "--language", "Go", "--by", "cohort", "--threshold", "25%"])
        let companiesByCohort = try fixture.rows(["share", "--language", "Go", "--by", "cohort", "--unit", "company", "--threshold", "25%"])
        #expect(cohorts.column("cohort") == ["cncf", "graduated", "sandbox"])
        for row in cohorts.rows {
            let answer = try #require(byCohort.first { $0["group"] as? String == row["cohort"] })
            #expect(row["repositories_matching"] == "\(answer["units_matching"] as? Int ?? -1)")
            #expect(row["repositories_total"] == "\(answer["units_total"] as? Int ?? -1)")
            let company = try #require(companiesByCohort.first { $0["group"] as? String == row["cohort"] })
            #expect(row["companies_matching"] == "\(company["units_matching"] as? Int ?? -1)")
        }
        // Hand-worked: cncf 1 of 3, graduated 1 of 1, sandbox 0 of 1.
        #expect(cohorts.integers("repositories_matching") == [1, 1, 0])
        #expect(cohorts.integers("repositories_total") == [3, 1, 1])

        // 4. Companies by own Go code: Acme 11 (api 9 + web 2), Beta Corp 2.
        let companies = try csv("companies-code")
        let top = try fixture.rows(["top", "--language", "Go", "--by", "company", "--limit", "15"])
        #expect(companies.column("company") == top.map { $0["name"] as? String ?? "" })
        #expect(companies.integers("code") == top.map { $0["code"] as? Int ?? -1 })
        #expect(companies.column("company") == ["Acme", "Beta Corp"])
        #expect(companies.integers("code") == [11, 2])

        // From history: commits, authors and lines added to Go, bots left out.
        let history = try csv("companies-history")
        #expect(history.column("company") == ["Unknown", "Acme Inc.", "Beta Corp"])
        #expect(history.integers("commits") == [3, 1, 1])
        #expect(history.integers("authors") == [2, 1, 1])
        #expect(history.integers("lines_added") == [8, 3, 2])
        for metric in ["commits", "authors", "lines-added"] {
            let answer = try fixture.rows(["contributors", "--language", "Go", "--by", "company", "--metric", metric, "--limit", "15"])
            for row in answer {
                let line = try #require(history.rows.first { $0["company"] == row["name"] as? String })
                #expect(line["commits"] == "\(row["commits"] as? Int ?? -1)")
                #expect(line["lines_added"] == "\(row["lines_added"] as? Int ?? -1)")
            }
        }
        // Regions by the email's country-code domain: .jp (dave, 2 commits), .cn, .de; example.com unknown.
        let regions = try csv("companies-regions")
        #expect(regions.column("region") == ["Asia-Pacific", "China", "Europe", "Unknown"])
        #expect(regions.integers("commits") == [2, 1, 1, 1])
        #expect(regions.integers("authors") == [1, 1, 1, 1])
        let domains = try fixture.rows(["contributors", "--language", "Go", "--by", "domain", "--limit", "100"])
        #expect(domains.reduce(0) { $0 + ($1["commits"] as? Int ?? 0) } == regions.integers("commits").reduce(0, +))

        // 5. Over time, by year: code 3, 5, 13; commits 1, 1, 3; authors 1, 1, 2; the three repositories'
        // root commits are all committed on 2020-09-13.
        let time = try csv("time-history")
        #expect(time.column("period") == ["2019", "2020", "2021"])
        #expect(time.integers("code") == [3, 5, 13])
        #expect(time.integers("commits") == [1, 1, 3])
        #expect(time.integers("authors") == [1, 1, 2])
        #expect(time.integers("new_repos") == [0, 3, 0])
        for metric in ["code", "commits", "authors"] {
            let answer = try fixture.rows(["timeline", "--language", "Go", "--metric", metric])
            let column = metric
            for point in answer {
                let row = try #require(time.rows.first { $0["period"] == point["period"] as? String })
                #expect(row[column] == "\(point["value"] as? Int ?? -1)")
            }
        }

        // The mark: Go commits per month, 2020-07…2020-12 (none) against 2021-01…2021-03 (0, 1, 2:
        // the data ends in March); code's level 5 at the end of 2020 against 13 in March 2021 (+160%).
        let marks = try csv("time-marks")
        let commitsRow = try #require(marks.rows.first { $0["series"] == "commits (language=Go)" })
        #expect(commitsRow["before"] == "0.000000")
        #expect(commitsRow["after"] == "1.000000")
        #expect(commitsRow["growth"] == "")
        #expect(commitsRow["months_before"] == "6")
        #expect(commitsRow["months_after"] == "3")
        let codeRow = try #require(marks.rows.first { $0["series"] == "code (language=Go)" })
        #expect(codeRow["before"] == "5.000000")
        #expect(codeRow["after"] == "13.000000")
        #expect(codeRow["growth"] == "1.600000")

        // Pearson's r of monthly commits [1, 1, 1, 2] and code [3, 5, 7, 13] (2019-03, 2020-06,
        // 2021-02, 2021-03): 6 / √(0.75 × 56) = 0.925820; census correlate says the same.
        let compare = try csv("time-compare")
        #expect(compare.rows.count == 1)
        #expect(compare.rows.first?["months"] == "4")
        #expect(compare.rows.first?["r"] == "0.925820")
        let correlate = try CLI.run(
            ["correlate", "--language", "Go", "--by", "month", "--metric", "commits", "--with-metric", "code", "--format", "json"],
            environment: fixture.environment)
        #expect(abs((try correlate.json()["r"] as? Double ?? 0) - 0.925820) < 1e-4)

        // 6. Go modules.
        let fanIn = try csv("modules-fan-in")
        let depsTop = try fixture.rows(["deps", "top", "--limit", "15"])
        #expect(fanIn.column("module") == depsTop.map { $0["module"] as? String ?? "" })
        #expect(fanIn.column("module") == ["github.com/pkg/errors", "golang.org/x/text", "example.com/lib", "golang.org/x/sys", "github.com/b/c"])
        #expect(fanIn.integers("direct_modules") == [2, 2, 1, 1, 0])
        #expect(fanIn.integers("indirect_modules") == [0, 0, 0, 0, 1])
        let share = try csv("modules-share")
        let depsShare = try fixture.rows(["deps", "share", "--limit", "10"])
        #expect(share.column("name") == depsShare.map { $0["name"] as? String ?? "" })
        #expect(share.integers("requirements") == depsShare.map { $0["requirements"] as? Int ?? -1 })
        #expect(share.rows.first { $0["kind"] == "golang.org/x" }?["requirements"] == "3")
        #expect(Set(share.column("total")) == ["7"])
        let coupling = try csv("modules-coupling")
        #expect(coupling.rows.count == 1)  // only api and web share requirements: 2 of 4
        #expect(coupling.rows.first?["first"] == fixture.repositories["api"])
        #expect(coupling.rows.first?["second"] == fixture.repositories["web"])
        #expect(coupling.rows.first?["jaccard"] == "0.500000")
        let graph = try csv("modules-graph")
        let edges = Set(zip(graph.column("from"), graph.column("to")).map { "\($0) → \($1)" })
        #expect(edges == [
            "example.com/api → github.com/pkg/errors", "example.com/api → golang.org/x/text", "example.com/api → example.com/lib",
            "example.com/api → github.com/b/c", "example.com/web → golang.org/x/text", "example.com/web → github.com/pkg/errors",
            "example.com/lib → golang.org/x/sys",
        ])
        #expect(graph.rows.first { $0["to"] == "github.com/b/c" }?["indirect"] == "yes")

        // 1. Corpus: three repositories in cohorts cncf (3), graduated (1), sandbox (1); the bot's commit is left out.
        let corpus = try csv("corpus-cohorts")
        #expect(corpus.column("cohort") == ["cncf", "graduated", "sandbox"])
        #expect(corpus.integers("repositories") == [3, 1, 1])
        #expect(corpus.integers("own_code") == [37, 16, 10])
        let excluded = try csv("corpus-excluded")
        #expect(excluded.integers("count") == [1, 5, 0, 0, 0, 1, 3])
    }

    /// Each figure's SQL, run by sqlite3 against the same database, gives the figure's rows.
    @Test("sql/FIGURE.sql reruns with sqlite3 and gives the figure's numbers")
    func sqlReproduces() throws {
        guard let sqlite3 = findTool(["sqlite3"]) else {
            print("skipped: sqlite3 is not installed (apt-get install sqlite3)")
            return
        }
        let fixture = try ReportFixture()
        let out = try fixture.report()
        let files = try FileManager.default.contentsOfDirectory(atPath: out + "/sql").sorted()
        #expect(files.count >= 12, "\(files)")
        for file in files {
            let run = try runTool(sqlite3, ["-bail", "-readonly", fixture.database, ".read \(out)/sql/\(file)"])
            #expect(run.status == 0, "\(file): \(run.err)")
        }
        // companies-code: the ranking query's own rows.
        let top = try runTool(sqlite3, ["-header", "-csv", "-readonly", fixture.database, ".read \(out)/sql/companies-code.sql"])
        let rows = ReportCSVFile.parse(top.out)
        let header = try #require(rows.first)
        let name = try #require(header.firstIndex(of: "unit_name"))
        let code = try #require(header.firstIndex(of: "code_lines"))
        #expect(rows.dropFirst().map { [$0[name], $0[code]] } == [["Acme", "11"], ["Beta Corp", "2"]])
        // fan-in: the modules and their direct fan-in.
        let fan = ReportCSVFile.parse(try runTool(sqlite3, ["-header", "-csv", "-readonly", fixture.database, ".read \(out)/sql/modules-fan-in.sql"]).out)
        #expect(fan.dropFirst().map { $0[0] } == ["github.com/pkg/errors", "golang.org/x/text", "example.com/lib", "golang.org/x/sys", "github.com/b/c"])
        // queries.sql holds every figure's statements.
        let all = try String(contentsOfFile: out + "/queries.sql", encoding: .utf8)
        for file in files {
            let one = try String(contentsOfFile: "\(out)/sql/\(file)", encoding: .utf8)
            #expect(all.contains(one), "\(file)")
        }
    }

    /// The chart drawn for each figure holds the store's answers (the document, before drawing).
    @Test("chart series equal the store's query answers")
    func chartSeries() throws {
        let fixture = try ReportFixture()
        let database = try CensusDatabase.open(path: fixture.database, readOnly: true)
        defer { try? database.close() }
        var options = ReportOptions()
        options.generatedAt = 1_700_000_000
        let document = try ReportBuilder(store: database, options: options).build()
        func chart(_ id: String) throws -> ReportChart {
            try #require(document.figures.first { $0.id == id }?.chart, "\(id)")
        }
        func bars(_ chart: ReportChart) -> BarChart? {
            if case .bars(let b) = chart { return b }
            return nil
        }
        let top = try database.top(language: "Go", by: .company, metric: .code, cohort: nil, limit: 15)
        let companies = try #require(bars(try chart("companies-code")))
        #expect(companies.labels == top.map(\.name))
        #expect(companies.series[0].values == top.map { Double($0.code) })

        let breakdown = try database.breakdown(cohort: nil)
        let bar = try #require(bars(try chart("composition-bar")))
        #expect(bar.normalized)
        for series in bar.series where series.name != "Other" {
            #expect(series.values[0] == Double(breakdown.first { $0.language == series.name }?.breakdownBytes ?? -1))
        }
        let cncf = try database.breakdown(cohort: "cncf")
        let cncfIndex = try #require(bar.labels.firstIndex(of: "cncf"))
        for series in bar.series where series.name != "Other" {
            #expect(series.values[cncfIndex] == Double(cncf.first { $0.language == series.name }?.breakdownBytes ?? 0))
        }

        let share = try database.share(language: "Go", by: .cohort, threshold: 0.1, unit: .repository, cohort: nil)
        let penetration = try #require(bars(try chart("penetration-cohorts")))
        #expect(penetration.labels == share.compactMap(\.group))
        #expect(penetration.series[0].values == share.map(\.fraction))

        let fan = try database.dependencyFanIn(directOnly: false, cohort: nil, limit: 15)
        let fanChart = try #require(bars(try chart("modules-fan-in")))
        #expect(fanChart.labels == fan.map(\.module))
        #expect(fanChart.series[0].values == fan.map { Double($0.directModules) })
        #expect(fanChart.series[1].values == fan.map { Double($0.indirectModules) })

        guard case .panels(let panels) = try chart("time-history") else {
            Issue.record("time-history is not panels")
            return
        }
        let commits = try database.timeline(language: "Go", by: .year, metric: .commits, cohort: nil, includeBots: false)
        let commitPanel = try #require(panels.first { $0.title == "Commits" })
        guard case .lines(let lines) = commitPanel.chart else {
            Issue.record("commits panel is not lines")
            return
        }
        #expect(lines.periods == commits.map(\.period))
        #expect(lines.series[0].values == commits.map { Double($0.value) })

        guard case .graph(let graph) = try chart("modules-graph") else {
            Issue.record("modules-graph is not a graph")
            return
        }
        #expect(graph.nodes.count == 7)
        #expect(graph.edges.count == 7)
        // Layers: the requiring modules first; example.com/lib requires x/sys, so it sits between.
        let layer = Dictionary(graph.nodes.map { ($0.name, $0.layer) }, uniquingKeysWith: { a, _ in a })
        #expect(layer["example.com/api"] == 0)
        #expect(layer["example.com/lib"] == 1)
        #expect(layer["golang.org/x/sys"] == 2)
        // api requires both of web's targets, so one crossing is the fewest possible.
        #expect(graph.crossings == 1)
    }

    @Test("a section without data says what to run; --lang zh writes Chinese; --cohort limits the report")
    func sectionsAndLanguages() throws {
        // No history: the companies section keeps its code ranking and asks for census history.
        let scanned = try ReportFixture(history: false)
        let out = try scanned.report()
        let html = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
        #expect(html.contains("census history --manifest FILE --affiliations developers_affiliations.txt"))
        #expect(html.contains("census events ingest"))
        #expect(html.contains("id=\"f-companies-code\""))
        #expect(!html.contains("id=\"f-companies-history\""))
        #expect(!FileManager.default.fileExists(atPath: out + "/data/companies-history.csv"))

        // An empty store: every section but the method says what to run.
        let empty = ReportFixture.empty()
        let emptyOut = try empty.report()
        let emptyHTML = try String(contentsOfFile: emptyOut + "/index.html", encoding: .utf8)
        #expect(emptyHTML.components(separatedBy: "class=\"missing\"").count - 1 == 6)
        #expect(emptyHTML.contains("census scan --manifest FILE"))

        // Chinese: the same numbers under Chinese headings.
        let zh = try scanned.report(["--lang", "zh"])
        let zhHTML = try String(contentsOfFile: zh + "/index.html", encoding: .utf8)
        #expect(zhHTML.contains("<html lang=\"zh-Hans\">"))
        #expect(zhHTML.contains("语言构成"))
        #expect(zhHTML.contains("Noto Sans CJK SC"))
        #expect(try String(contentsOfFile: zh + "/data/companies-code.csv", encoding: .utf8)
            == String(contentsOfFile: out + "/data/companies-code.csv", encoding: .utf8))

        // One cohort: every figure is limited to it (graduated holds only acme/api).
        let one = try scanned.report(["--cohort", "graduated"])
        let top = try ReportCSVFile(path: one + "/data/companies-code.csv")
        #expect(top.column("company") == ["Acme"])
        #expect(top.integers("code") == [9])
        let commands = try String(contentsOfFile: one + "/index.html", encoding: .utf8)
        #expect(commands.contains("census top --language Go --by company --metric code --limit 15 --format csv --cohort graduated"))
    }

    @Test("report.md renders in cmark-gfm with every table whole and every chart's SVG beside it")
    func markdownRenders() throws {
        let fixture = try ReportFixture()
        let out = try fixture.report(["--mark", "2021-01-01=Launch"])
        let markdown = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        // Every image link names a file that exists.
        let links = try NSRegularExpression(pattern: #"!\[[^\]]*\]\(([a-z0-9-]+\.svg)\)"#)
        let files = links.matches(in: markdown, range: NSRange(markdown.startIndex..., in: markdown)).map {
            String(markdown[Range($0.range(at: 1), in: markdown)!])
        }
        #expect(!files.isEmpty)
        for file in files { #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file)") }
        guard let gfm = findTool(["cmark-gfm"]) else {
            print("skipped: cmark-gfm is not installed (apt-get install cmark-gfm); report.md was not rendered")
            return
        }
        let rendered = try runTool(gfm, ["-e", "table", out + "/report.md"])
        #expect(rendered.status == 0)
        let figures = try FileManager.default.contentsOfDirectory(atPath: out + "/data").count
        let tables = rendered.out.components(separatedBy: "<table>").dropFirst()
        #expect(tables.count == figures)
        for table in tables {
            let body = table.components(separatedBy: "</table>")[0]
            let rows = body.components(separatedBy: "<tr>").dropFirst()
            let header = rows.first.map { $0.components(separatedBy: "<th").count - 1 } ?? 0
            #expect(header > 0)
            for row in rows.dropFirst() { #expect(row.components(separatedBy: "<td").count - 1 == header) }
        }
    }

    @Test("bad options are refused with the reason; an unwritable --out names the file")
    func badOptions() throws {
        let fixture = try ReportFixture(history: false)
        for arguments in [
            ["--mark", "2021-02-30=x"], ["--compare", "commits"], ["--compare", "stars,commits"], ["--threshold", "150%"],
            ["--compare", "commits:region=China,authors"],
        ] {
            let run = try CLI.run(["report", "--out", fixture.tree.path + "/x"] + arguments, environment: fixture.environment)
            #expect(run.status == 64, "\(arguments): \(run.stderr)")
        }
        fixture.tree.write("blocked", "a file where the directory should be")
        let run = try CLI.run(["report", "--out", fixture.tree.path + "/blocked/report"], environment: fixture.environment)
        #expect(run.status == 1)
        #expect(run.stderr.contains("blocked"), "\(run.stderr)")
    }
}

extension ReportFixture {
    /// A store with nothing in it.
    static func empty() -> ReportFixture {
        var fixture = try! ReportFixture(history: false, scan: false)
        _ = try? CensusDatabase.open(path: fixture.database).close()
        fixture.repositories = [:]
        return fixture
    }
}
