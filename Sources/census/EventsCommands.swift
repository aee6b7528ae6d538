import ArgumentParser
import CensusStore
import CodeCensus
import Foundation

extension EventMetric: ExpressibleByArgument {}
extension EventGroup: ExpressibleByArgument {}
extension EventPeriod: ExpressibleByArgument {}
extension MentionSeriesMeasure: ExpressibleByArgument {}

/// `census events`: GitHub events from GH Archive (docs/events.md).
struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "GitHub events from GH Archive: ingest hour files, then rank, chart and compare them.",
        usage: "census events <subcommand> [<options>]",
        discussion: """
            Example: census events fetch --from 2024-01-01 --to 2024-01-31 --cache gha
                     census events ingest gha --keep-language Go
                     census events timeline --metric new-repos --language Go --by year
            See docs/events.md.
            """,
        subcommands: EventsCommand.subcommandList)

    /// The subcommands, in the order `--help` lists them.
    static var subcommandList: [any ParsableCommand.Type] {
        [
            EventsFetchCommand.self, EventsIngestCommand.self, EventsTopCommand.self, EventsTimelineCommand.self,
            EventsCompareCommand.self,
        ]
    }
}

/// The filters every events question takes.
struct EventFilterOptions: ParsableArguments {
    @Option(help: "Only events of repositories in this language (Linguist's name; see docs/events.md for how it is known).")
    var language: String?

    @Option(help: "Only events of actors in this region (China, India, Asia-Pacific, Europe, North America, Latin America, Middle East, Africa).")
    var region: String?

    @Option(help: "Only events of actors working for this company (as `top --by company` names it).")
    var company: String?

    @Option(help: "Only events on or after this day (YYYY-MM-DD, UTC).")
    var since: String?

    @Option(help: "Only events before this day (YYYY-MM-DD, UTC).")
    var until: String?

    @Flag(help: "Count bots' events too.")
    var includeBots = false

    func filter() throws -> EventFilter {
        var filter = EventFilter(includeBots: includeBots)
        filter.language = language.map { LanguageTable.named($0)?.name ?? $0 }
        if let region {
            guard let known = WorldRegion.allCases.first(where: { $0.rawValue.lowercased() == region.lowercased() }) else {
                throw ValidationError(
                    "--region \(region) is not a region census knows: " + WorldRegion.allCases.map(\.rawValue).joined(separator: ", "))
            }
            filter.region = known.rawValue
        }
        filter.company = company?.trimmingCharacters(in: .whitespaces)
        filter.since = try epochSeconds(since, option: "--since")
        filter.until = try epochSeconds(until, option: "--until")
        return filter
    }
}

extension StoreOptions {
    /// The SQL dialect of the store --db names.
    func dialect() throws -> SQLDialect {
        if case .clickhouse = try location() { return .clickhouse }
        return .sqlite
    }

    /// Opens the store read-only for event questions.
    func openEvents() throws -> any EventStore {
        guard let store = try openAny() as? any EventStore else {
            warn("error: this store does not hold events")
            throw ExitCode(1)
        }
        return store
    }
}

/// Prints a rendered answer: the output on stdout, a note (CSV) on stderr.
func printAnswer(_ answer: (output: String, note: String?)) {
    writeOut(answer.output)
    if let note = answer.note { warn(note) }
}

struct EventsIngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Store GH Archive hour files (.json.gz), directories of them, or - (gzip on standard input).",
        usage: "census events ingest <file-or-dir>... [<options>]",
        discussion: """
            Files are read in parallel (--jobs), each stored in one transaction with its record, so \
            a rerun skips files already stored and an interrupted run resumes at the next file. A \
            truncated or corrupt file is named with the byte offset reached; its events before the \
            damage are stored and it is marked partial (a rerun reads it again, storing only what is \
            new); the run goes on and exits 1. Malformed lines are counted per file, the first line \
            numbers shown. See docs/events.md.
            """)

    @Argument(help: "Hour files (.json.gz, or .json), directories of them, or - for gzip on standard input.")
    var inputs: [String]

    @Option(name: .customLong("keep-language"), help: ArgumentHelp("Keep only events of repositories in this language (repeatable).", valueName: "language"))
    var keepLanguages: [String] = []

    @Option(name: .customLong("keep-manifest"), help: ArgumentHelp("Keep only events of the GitHub repositories of this census manifest.", valueName: "file"))
    var keepManifest: String?

    @Option(name: .customLong("keep-org"), help: ArgumentHelp("Keep only events of repositories of this owner (repeatable).", valueName: "org"))
    var keepOrgs: [String] = []

    @Option(help: ArgumentHelp("login,company,location rows: companies and places of actors.", valueName: "file.csv"))
    var users: String?

    @Option(name: .customLong("repo-languages"), help: ArgumentHelp("owner/name,language rows: languages of repositories events do not tell.", valueName: "file.csv"))
    var repoLanguages: String?

    @OptionGroup var people: AffiliationOptions

    @Option(help: "Files read at once (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(
        name: .customLong("chunk-events"),
        help: ArgumentHelp("Events a reader holds before it hands them on (its memory).", valueName: "n"))
    var chunkEvents: Int = EventFileReader.defaultChunkEvents

    @Option(help: ArgumentHelp("The results database (default $CENSUS_DB, else $XDG_DATA_HOME/census/census.db) or clickhouse://user@host:8123/database.", valueName: "db"))
    var db: String?

    @Option(help: ArgumentHelp("With a ClickHouse --db: the cluster the tables are spread over.", valueName: "name"))
    var cluster: String?

    @Option(help: "Output format of the summary: table, json, csv or markdown.")
    var format: OutputFormat = .table

    @OptionGroup var csv: CSVOptions

    @OptionGroup var output: ProgressOptions

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if chunkEvents < 1 { throw ValidationError("--chunk-events must be at least 1") }
        if inputs.filter({ $0 == "-" }).count > 1 { throw ValidationError("- (standard input) can be given once") }
    }

    func run() throws {
        var failures = 0
        let (expanded, problems) = EventInput.expand(inputs)
        for problem in problems {
            warn("error: \(problem)")
            failures += 1
        }
        // The side files.
        var people = EventPeople(affiliations: try self.people.load())
        if let users {
            do {
                let loaded = try EventSideFiles.users(users)
                for d in loaded.diagnostics { warn("\(d)") }
                people.users = loaded.users
            } catch {
                warn("error: \(error)")
                throw ExitCode(1)
            }
        }
        var filters = EventFilters()
        filters.languages = Set(keepLanguages.map { (LanguageTable.named($0)?.name ?? $0).lowercased() })
        filters.orgs = Set(keepOrgs.map { $0.lowercased() })
        if let keepManifest {
            do {
                let loaded = try EventSideFiles.manifestRepositories(keepManifest)
                for d in loaded.diagnostics { warn(d) }
                filters.repositories = loaded.repositories
            } catch {
                warn("error: \(error)")
                throw ExitCode(1)
            }
        }
        let path = try databasePath(db)
        let store: any EventStore
        do {
            let opened = try openStore(StoreLocation.parse(path, environment: Environment.variables()), cluster: cluster)
            guard let events = opened as? any EventStore else {
                warn("error: \(opened.displayLocation) cannot hold events")
                throw ExitCode(1)
            }
            store = events
        } catch let exit as ExitCode {
            throw exit
        } catch {
            warn("error: \(error)")
            throw ExitCode(1)
        }
        if let repoLanguages {
            do {
                let loaded = try EventSideFiles.repositoryLanguages(repoLanguages)
                for d in loaded.diagnostics { warn("\(d)") }
                try store.saveRepositoryLanguages(loaded.languages, at: Int64(Date().timeIntervalSince1970))
            } catch {
                warn("error: \(error)")
                throw ExitCode(1)
            }
        }
        if !filters.languages.isEmpty {
            filters.knownLanguages = try query { try store.repositoryLanguages() }
        }
        let ingest = EventIngest(jobs: jobs, people: people, filters: filters, chunkEvents: chunkEvents)
        // Progress per file stored (the callback runs on this thread, after each input).
        let filesDone = ProgressCounter(total: expanded.count)
        let eventsRead = ProgressCounter()
        let line = ProgressLine.start(
            output, "Ingesting events", [.init(filesDone, "files"), .init(eventsRead, "events", rate: true)])
        let results = ingest.run(expanded, into: store) { result in
            Self.report(result)
            line.setDetail(result.input.name)
            if !result.skipped { eventsRead.add(result.report.events) }
            filesDone.add()
        }
        line.finish()
        do {
            try store.close()
        } catch {
            warn("error: \(error)")
            failures += 1
        }
        failures += results.filter(\.failed).count
        writeOut(Self.summary(results, format: format))
        let read = results.filter { !$0.skipped }
        let stored = read.reduce(0) { $0 + ($1.saved?.stored ?? 0) }
        if !output.quiet {
            warn(
                "\(read.count) file\(read.count == 1 ? "" : "s") read, \(results.count - read.count) already stored; "
                    + "\(stored) new events stored in \(store.displayLocation); \(results.filter(\.failed).count) failed")
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// The per-file messages on standard error.
    static func report(_ r: EventIngestResult) {
        let name = Escaping.display(r.input.path)
        if r.skipped {
            warn("\(name): already stored (same size and filters); skipped")
            return
        }
        if let failure = r.report.failure {
            let kept = r.storeError == nil ? "; its \(r.report.events) events before that are stored, the file marked partial (a rerun reads it again)" : ""
            warn("error: \(Escaping.display(failure.description))\(kept)")
        }
        if r.report.malformed > 0 {
            let samples = r.report.malformedSamples.map { "line \($0.line): \($0.problem)" }.joined(separator: "; ")
            warn("\(name): \(r.report.malformed) malformed line\(r.report.malformed == 1 ? "" : "s") skipped (\(samples)\(r.report.malformed > r.report.malformedSamples.count ? "; …" : ""))")
        }
        if let error = r.storeError {
            let earlier = r.saved.map { $0.stored + $0.duplicates } ?? 0
            if earlier > 0 {
                warn("error: \(name): stored only in part (its first \(earlier) events; the file is marked partial and a rerun reads it again): \(error)")
            } else {
                warn("error: \(name): not stored: \(error)")
            }
        }
    }

    static func summary(_ results: [EventIngestResult], format: OutputFormat) -> String {
        let headers = ["File", "Status", "Lines", "Events", "Stored", "Duplicates", "Filtered", "Malformed"]
        let fields = ["file", "status", "lines", "events", "stored", "duplicates", "filtered", "malformed"]
        var printer = RowPrinter(
            format: format, headers: headers, numeric: [false, false, true, true, true, true, true, true], fields: fields)
        for r in results {
            let status = r.skipped ? "skipped" : r.storeError != nil ? "not stored" : r.report.isComplete ? "complete" : "partial"
            printer.rows.append([
                r.input.path, status, "\(r.report.lines)", "\(r.report.events)", "\(r.saved?.stored ?? 0)",
                "\(r.saved?.duplicates ?? 0)", "\(r.report.filtered)", "\(r.report.malformed)",
            ])
        }
        return printer.render()
    }
}

struct EventsTopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "Rank repositories, orgs, languages, companies, countries, regions or event types by a metric.",
        usage: "census events top --metric <metric> --by <dimension> [<options>]",
        discussion: """
            Metrics: events, stars, forks, new-repos, prs-opened, prs-merged, issues-opened, \
            pushes, actors (distinct), repos (distinct). Bots are left out unless --include-bots.

            Example: census events top --metric prs-opened --by region --language Go
            """)

    @Option(help: "What to count.")
    var metric: EventMetric = .events

    @Option(help: "Group by repo, org, language, company, country, region or type.")
    var by: EventGroup = .repo

    @OptionGroup var filters: EventFilterOptions

    @Option(help: "At most this many rows.")
    var limit: Int = 20

    @Flag(help: "Print the SQL statements the store would run (values written in) instead of running them.")
    var showSql = false

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let filter = try filters.filter()
        if showSql {
            let queries = try EventQueries(dialect: store.dialect())
            var statements = [queries.top(metric, by: by, filter, limit: limit)]
            if by == .language || filter.language != nil { statements.append(queries.total(metric, filter, unknownLanguageOnly: true)) }
            writeOut(try statements.map { try queries.inlined($0) + ";\n" }.joined())
            return
        }
        let database = try store.openEvents()
        let answer = try query { try database.eventTop(metric, by: by, filter: filter, limit: limit) }
        let renderer = EventsRenderer(format: store.format, toolVersion: CensusVersion.string)
        printAnswer(renderer.renderTop(answer, metric: metric, by: by, query: EventsRenderer.query(filter) + [("limit", "\(limit)")]))
    }
}

struct EventsTimelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "A metric per day, week (from Monday), month, quarter or year (UTC), periods without events as 0.",
        usage: "census events timeline --metric <metric> --by <period> [<options>]",
        discussion: "Example: census events timeline --metric new-repos --language Go --by year")

    @Option(help: "What to count.")
    var metric: EventMetric = .events

    @Option(help: "Periods: day, week, month, quarter or year.")
    var by: EventPeriod = .month

    @OptionGroup var filters: EventFilterOptions

    @Flag(help: "Print the SQL statements the store would run (values written in) instead of running them.")
    var showSql = false

    @OptionGroup var store: StoreOptions

    func run() throws {
        let filter = try filters.filter()
        if showSql {
            let queries = try EventQueries(dialect: store.dialect())
            var statements = [queries.timeline(metric, by: by, filter)]
            if filter.language != nil { statements.append(queries.total(metric, filter, unknownLanguageOnly: true)) }
            writeOut(try statements.map { try queries.inlined($0) + ";\n" }.joined())
            return
        }
        let database = try store.openEvents()
        let answer = try query { try database.eventTimeline(metric, by: by, filter: filter) }
        let renderer = EventsRenderer(format: store.format, toolVersion: CensusVersion.string)
        printAnswer(renderer.renderTimeline(answer, metric: metric, by: by, query: EventsRenderer.query(filter)))
    }
}

struct EventsCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "A metric in the window before a day against the window from it: totals, growth, and Pearson's r with a second series.",
        usage: "census events compare --date <day> --metric <metric> [<options>]",
        discussion: """
            Before is [DAY − window, DAY), after is [DAY, DAY + window), UTC days; months move the \
            calendar date. Absolute growth is after − before, relative growth (after − before) / \
            before (none when before is 0). With --with-metric (its filters default to the first \
            metric's) or --with-series (a series stored by census mentions --store), Pearson's r of \
            the two series per --by period over both windows, on the periods both have. See \
            docs/events.md.

            Example: census events compare --date 2024-06-01 --metric prs-opened --language Go
            """)

    @Option(help: "The day compared around (YYYY-MM-DD, UTC).")
    var date: String

    @Option(help: "The length of each window: 30d, 8w, 6m, 1y.")
    var window: String = "6m"

    @Option(help: "What to count.")
    var metric: EventMetric = .events

    @Option(help: "Periods of the series correlated: day, week, month, quarter or year.")
    var by: EventPeriod = .month

    @OptionGroup var filters: EventFilterOptions

    @Option(help: "A second metric to compare and correlate.")
    var withMetric: EventMetric?

    @Option(help: "The second metric's language (default: the first's).")
    var withLanguage: String?

    @Option(help: "The second metric's region (default: the first's).")
    var withRegion: String?

    @Option(help: "The second metric's company (default: the first's).")
    var withCompany: String?

    @Option(help: ArgumentHelp("A series stored by census mentions --store (NAME or NAME/PATTERN) to correlate with.", valueName: "name"))
    var withSeries: String?

    @Option(help: "What the stored series counts: documents, matches or share (of the period's documents).")
    var seriesMeasure: MentionSeriesMeasure = .documents

    @Flag(help: "Print the SQL statements the store would run (values written in) instead of running them.")
    var showSql = false

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if EventWindow(window) == nil { throw ValidationError("--window takes a length such as 30d, 8w, 6m or 1y, not \(window)") }
        if withMetric != nil && withSeries != nil { throw ValidationError("give --with-metric or --with-series, not both") }
        if withMetric == nil && (withLanguage != nil || withRegion != nil || withCompany != nil) {
            throw ValidationError("--with-language, --with-region and --with-company need --with-metric")
        }
    }

    func run() throws {
        guard let windowLength = EventWindow(window) else { throw ValidationError("bad --window") }
        guard let day = try epochSeconds(date, option: "--date") else { throw ValidationError("--date is required") }
        var filter = try filters.filter()
        if filter.since != nil || filter.until != nil {
            warn("--since and --until are ignored by compare: the windows around --date decide the days")
            filter.since = nil
            filter.until = nil
        }
        var second: EventComparisonSubject?
        if let withMetric {
            var other = filter
            if let withLanguage { other.language = LanguageTable.named(withLanguage)?.name ?? withLanguage }
            if let withRegion {
                guard let known = WorldRegion.allCases.first(where: { $0.rawValue.lowercased() == withRegion.lowercased() }) else {
                    throw ValidationError("--with-region \(withRegion) is not a region census knows")
                }
                other.region = known.rawValue
            }
            if let withCompany { other.company = withCompany }
            second = EventComparisonSubject(metric: withMetric, filter: other)
        }
        let first = EventComparisonSubject(metric: metric, filter: filter)
        if showSql {
            let queries = try EventQueries(dialect: store.dialect())
            let statements = queries.compare([first] + (second.map { [$0] } ?? []), date: day, window: windowLength, period: by)
            writeOut(try statements.map { try queries.inlined($0) + ";\n" }.joined())
            return
        }
        let database = try store.openEvents()
        var series: [SeriesPoint]?
        if let withSeries {
            series = try query { try EventsCompareCommand.storedSeries(named: withSeries, measure: seriesMeasure, in: database, by: by) }
        }
        let comparison = try query {
            try database.eventCompare(
                first, date: day, window: windowLength, period: by,
                with: second, secondSeries: series)
        }
        let renderer = EventsRenderer(format: store.format, toolVersion: CensusVersion.string)
        printAnswer(
            renderer.renderCompare(
                comparison, metric: metric, withMetric: withMetric, withSeries: withSeries, window: windowLength,
                query: EventsRenderer.query(filter), seriesMeasure: seriesMeasure.rawValue))
    }

    /// `--with-series`: a series stored by `census mentions --store NAME` (`NAME` or
    /// `NAME/PATTERN`), read through the store's ``MentionSeriesStore``. Its periods (`YYYY-MM` or
    /// `YYYY`) must be the `--by` periods, or no period would pair.
    static func storedSeries(
        named name: String, measure: MentionSeriesMeasure, in store: any EventStore, by period: EventPeriod
    ) throws -> [SeriesPoint] {
        guard let mentions = store as? any MentionSeriesStore else {
            throw CensusStoreError(
                .invalidInput, path: store.displayLocation, message: "this store does not keep mention series")
        }
        let points = try mentions.mentionSeries(name, measure: measure)
        let width: Int? =
            switch period {
            case .month: 7
            case .year: 4
            default: nil
            }
        if let first = points.first, first.period.count != width {
            let unit = first.period.count == 4 ? "year" : "month"
            throw ValidationError(
                "series '\(name)' is per \(unit) (\(first.period), …): compare it with --by \(unit), not --by \(period.rawValue)")
        }
        return points
    }
}
