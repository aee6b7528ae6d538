import ArgumentParser
import CodeCensus

#if canImport(Glibc)
import Glibc
#endif

extension ReportLocale: ExpressibleByArgument {}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an HTML page and a Markdown article with charts of everything the store knows.",
        discussion: """
            Writes into --out: index.html (one self-contained page: inline CSS and SVG, nothing \
            fetched), report.md (with an SVG file per chart beside it), data/FIGURE.csv behind every \
            chart and table, and sql/FIGURE.sql and queries.sql, the SQL each figure came from, to \
            rerun with sqlite3. Sections: corpus, language composition, penetration, companies, over \
            time, Go modules, method; a section the store has no data for says what to run. See \
            docs/report.md.

            Example: census report --language Go --cohort cncf-graduated --mark 2016-06-01=GopherChina --out report/
            """)

    @Option(help: "The language the penetration, company and time figures are about.")
    var language: String = "Go"

    @Option(name: .customLong("cohort"), parsing: .upToNextOption, help: ArgumentHelp("Cohorts to show (default: the largest stored); exactly one also limits every figure to it.", valueName: "tag"))
    var cohorts: [String] = []

    @Option(help: "History figures count commits from this day (YYYY-MM-DD, UTC).")
    var since: String?

    @Option(help: "History figures count commits before this day (YYYY-MM-DD, UTC).")
    var until: String?

    @Option(help: "Periods of the time charts: year, quarter or month.")
    var period: TimelinePeriod = .year

    @Option(help: ArgumentHelp("The least share of a unit's own code for it to count as using the language, as 10% or 0.1.", valueName: "share"))
    var threshold: String = "10%"

    @Option(help: "The report's title.")
    var title: String?

    @Option(help: "The report's language: en or zh.")
    var lang: ReportLocale = .en

    @Option(name: .customLong("mark"), help: ArgumentHelp("A date to mark on the time charts and compare before and after (repeatable).", valueName: "DAY=LABEL"))
    var marks: [String] = []

    @Option(help: "Months on each side of a marked date.")
    var window: Int = 6

    @Option(name: .customLong("compare"), help: ArgumentHelp("Two series to correlate, e.g. commits:language=Go,events.stars:region=China (repeatable).", valueName: "A,B"))
    var comparisons: [String] = []

    @Option(help: "Rows in rankings.")
    var limit: Int = 15

    @Option(help: "Modules drawn in the dependency graph.")
    var graphModules: Int = 10

    @Option(help: ArgumentHelp("The directory to write into (created if needed).", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("The results database (default $CENSUS_DB, else $XDG_DATA_HOME/census/census.db) or clickhouse://user@host:8123/database.", valueName: "db"))
    var db: String?

    @Option(help: ArgumentHelp("With a ClickHouse --db: the cluster the tables are spread over.", valueName: "name"))
    var cluster: String?

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
        if graphModules < 1 { throw ValidationError("--graph-modules must be at least 1") }
        if window < 1 { throw ValidationError("--window must be at least 1 month") }
        guard let value = ShareCommand.fraction(threshold), value >= 0, value <= 1 else {
            throw ValidationError("--threshold takes a share such as 10% or 0.1, between 0 and 100%")
        }
        for mark in marks where ReportMark.parse(mark) == nil {
            throw ValidationError("--mark takes DAY=LABEL with the day as YYYY-MM-DD, not \(mark)")
        }
        for pair in comparisons {
            let parts = pair.split(separator: ",", omittingEmptySubsequences: false)
            if parts.count != 2 { throw ValidationError("--compare takes two series separated by a comma, not \(pair)") }
            for part in parts {
                if case .failure(let error) = ReportSeriesSpec.parse(String(part)) { throw ValidationError("\(error)") }
            }
        }
        _ = try epochSeconds(since, option: "--since")
        _ = try epochSeconds(until, option: "--until")
    }

    func run() throws {
        var options = ReportOptions()
        options.language = language
        options.cohorts = cohorts
        options.since = try epochSeconds(since, option: "--since")
        options.until = try epochSeconds(until, option: "--until")
        options.period = period
        options.threshold = ShareCommand.fraction(threshold) ?? 0.1
        options.title = title
        options.locale = lang
        options.marks = marks.compactMap(ReportMark.parse)
        options.window = window
        options.limit = limit
        options.graphModules = graphModules
        options.comparisons = comparisons.compactMap { pair in
            let parts = pair.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, case .success(let a) = ReportSeriesSpec.parse(parts[0]), case .success(let b) = ReportSeriesSpec.parse(parts[1])
            else { return nil }
            return (a, b)
        }
        options.toolVersion = CensusVersion.string
        options.commandLine = (["census"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        options.generatedAt = Int64(time(nil))
        let path = try databasePath(db)
        let location: StoreLocation
        do {
            location = try StoreLocation.parse(path, environment: Environment.variables())
        } catch {
            warn("error: \(error)")
            throw ExitCode(1)
        }
        let summary: ReportRun.Summary
        do {
            summary = try ReportRun(location: location, cluster: cluster, options: options).run(into: out)
        } catch {
            warn("error: \(error)")
            throw ExitCode(1)
        }
        warn(
            "wrote \(summary.files.count) files (\(summary.figures) figures; index.html \(summary.htmlBytes / 1024) KiB) into \(out): "
                + "queries \(ReportFormat.decimal(summary.querySeconds, decimals: 3)) s, drawing and writing \(ReportFormat.decimal(summary.writeSeconds, decimals: 3)) s")
    }
}
