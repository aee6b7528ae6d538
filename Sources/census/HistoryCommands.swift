import ArgumentParser
import CodeCensus

extension ContributorGroup: ExpressibleByArgument {}
extension ContributorMetric: ExpressibleByArgument {}
extension TimelinePeriod: ExpressibleByArgument {}
extension TimelineMetric: ExpressibleByArgument {}

/// Affiliation files in gitdm's formats.
struct AffiliationOptions: ParsableArguments {
    @Option(name: .customLong("affiliations"), help: ArgumentHelp("A gitdm developers_affiliations file (repeatable).", valueName: "file"))
    var affiliations: [String] = []

    @Option(name: .customLong("domain-map"), help: ArgumentHelp("A gitdm domain-map file (repeatable).", valueName: "file"))
    var domainMaps: [String] = []

    @Option(name: .customLong("aliases"), help: ArgumentHelp("A gitdm email aliases file (repeatable).", valueName: "file"))
    var aliases: [String] = []

    @Option(name: .customLong("company-names"), help: ArgumentHelp("A gitdm company-names-mapping file (repeatable).", valueName: "file"))
    var namesMappings: [String] = []

    @Option(name: .customLong("affiliations-csv"), help: ArgumentHelp("email_or_domain,company,from,until rows (repeatable).", valueName: "file"))
    var csv: [String] = []

    var isEmpty: Bool { affiliations.isEmpty && domainMaps.isEmpty && aliases.isEmpty && namesMappings.isEmpty && csv.isEmpty }

    /// Loads them (nil when none is given); malformed lines are reported and skipped.
    func load() throws -> AffiliationDatabase? {
        if isEmpty { return nil }
        do {
            let database = try AffiliationDatabase.load(
                affiliations: affiliations, domainMap: domainMaps, aliases: aliases, namesMapping: namesMappings, csv: csv)
            for d in database.diagnostics { warn("\(d)") }
            return database
        } catch {
            warn("error: \(error)")
            throw ExitCode(1)
        }
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Walk repositories' histories into the store: who changed which language, for which company, when.",
        discussion: """
            Walks the default branch (or --rev) with git log --numstat, honouring the \
            repository's .mailmap (and --mailmap), and stores per commit the author and \
            committer, dates (UTC and the original offset), the company the author is attributed \
            to (gitdm affiliation files), whether it is a bot, and per language the lines added \
            and removed (vendored, generated and documentation paths apart).

            Merges are counted once. Reruns walk only new commits. See docs/history.md.
            """)

    @Argument(help: "Repositories (paths or URLs).")
    var targets: [String] = []

    @Option(name: .customLong("manifest"), help: ArgumentHelp("Repositories from a manifest (repeatable).", valueName: "file"))
    var manifests: [String] = []

    @Option(help: "The revision whose history is walked (default HEAD).")
    var rev: String = "HEAD"

    @Option(help: "Only commits after this date (anything git log --since reads).")
    var since: String?

    @Option(help: "Only commits before this date.")
    var until: String?

    @Flag(help: "Follow first parents only: merges then carry what they brought.")
    var firstParent = false

    @Option(help: ArgumentHelp("A .mailmap of your own, applied with the repository's.", valueName: "file"))
    var mailmap: String?

    @OptionGroup var people: AffiliationOptions

    @Option(name: .customLong("bot"), help: ArgumentHelp("Also a bot: a name, email or login, exact or a glob such as '*-ci-bot' (repeatable; dependabot, renovate, k8s-ci-robot and [bot] are built in).", valueName: "pattern"))
    var bots: [String] = []

    @Flag(help: "Use only the clone cache: never fetch or clone.")
    var offline = false

    @Option(help: ArgumentHelp("The results database (default $CENSUS_DB, else $XDG_DATA_HOME/census/census.db) or clickhouse://user@host:8123/database.", valueName: "db"))
    var db: String?

    @Option(help: ArgumentHelp("With a ClickHouse --db: the cluster the tables are spread over.", valueName: "name"))
    var cluster: String?

    @OptionGroup var output: ProgressOptions

    func run() throws {
        // Manifest errors are reported; the histories of the readable entries are walked.
        let specs = try loadTargets(paths: targets, manifests: manifests).specs
        let path = try databasePath(db)
        let store: any HistoryStore
        do {
            let opened = try openStore(StoreLocation.parse(path, environment: Environment.variables()), cluster: cluster)
            guard let history = opened as? any HistoryStore else {
                warn("error: \(opened.displayLocation) cannot hold history")
                throw ExitCode(1)
            }
            store = history
        } catch let exit as ExitCode {
            throw exit
        } catch {
            warn("error: \(error)")
            throw ExitCode(1)
        }
        var runner = HistoryRunner()
        runner.revision = rev
        runner.since = since
        runner.until = until
        runner.firstParent = firstParent
        runner.mailmapFile = mailmap
        runner.affiliations = try people.load()
        if !bots.isEmpty { runner.bots = BotClassifier(patterns: bots) }
        runner.cache = try? GitCache(offline: offline)
        let commitsWalked = ProgressCounter()
        let repositoriesDone = ProgressCounter(total: specs.count)
        runner.progress = commitsWalked
        let line = ProgressLine.start(
            output, "Walking histories", [.init(repositoriesDone, "repositories"), .init(commitsWalked, "commits", rate: true)])
        var failed = 0
        var table = TextTable(
            headers: ["Repository", "New commits", "Bot commits", "Unknown company", "Tip", "Note"],
            numeric: [false, true, true, true, false, false])
        for spec in specs {
            line.setDetail(GitRemoteURL.redacted(spec.location))
            defer { repositoriesDone.add() }
            switch runner.run(spec, into: store) {
            case .success(let result):
                table.rows.append([
                    Escaping.display(result.key), "\(result.newCommits)", "\(result.botCommits)", "\(result.unknownCompanyCommits)",
                    String(result.tip.prefix(12)), result.isShallow ? "shallow clone: history stops at the cut" : "",
                ])
                if result.isShallow { warn("\(result.key): a shallow clone: its history stops where the clone was cut") }
                for problem in result.problems { warn("skipped: \(result.key): \(problem)") }
            case .failure(let failure):
                failed += 1
                warn("error: \(failure)")
            }
        }
        line.finish()
        do {
            try store.close()
        } catch {
            warn("error: \(error)")
            failed += 1
        }
        writeOut(table.renderText())
        if !output.quiet {
            warn("\(specs.count - failed) of \(specs.count) histories walked, \(failed) failed; stored in \(store.displayLocation)")
        }
        if failed > 0 { throw ExitCode(1) }
    }
}

/// A date option: `YYYY-MM-DD` → seconds since 1970 (UTC midnight).
func epochSeconds(_ text: String?, option: String) throws -> Int64? {
    guard let text else { return nil }
    guard let day = Day(text) else { throw ValidationError("\(option) takes a date as YYYY-MM-DD, not \(text)") }
    return Int64(day.daysSinceEpoch) * 86_400
}

struct ContributorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contributors",
        abstract: "Who contributed: commits, authors or lines added per company, author or email domain.",
        usage: "census contributors [<options>]",
        discussion: "From the histories stored by `census history`; bots are left out unless --include-bots.")

    @Option(help: "Only changes to this language's own code.", completion: LanguageArgument.completion, transform: LanguageArgument.canonical)
    var language: String?

    @Option(help: "Group by company, author or domain.")
    var by: ContributorGroup = .company

    @Option(help: "Rank by commits, authors or lines-added.")
    var metric: ContributorMetric = .commits

    @Option(help: "Only commits authored on or after this day (YYYY-MM-DD, UTC).", transform: DayArgument.checked)
    var since: String?

    @Option(help: "Only commits authored before this day (YYYY-MM-DD, UTC).", transform: DayArgument.checked)
    var until: String?

    @Option(help: "Only repositories in this cohort.")
    var cohort: String?

    @Flag(help: "Count bots' commits too.")
    var includeBots = false

    @Option(help: "At most this many rows.")
    var limit: Int = 20

    @OptionGroup var store: StoreOptions

    func run() throws {
        let from = try epochSeconds(since, option: "--since")
        let to = try epochSeconds(until, option: "--until")
        let database = try store.openHistory()
        let rows = try query {
            try database.contributors(
                language: language, by: by, metric: metric, since: from, until: to, cohort: cohort, includeBots: includeBots,
                limit: limit)
        }
        var printer = RowPrinter(
            format: store.format, headers: ["#", by.rawValue.capitalized, "Commits", "Authors", "Lines added", "Lines removed"],
            numeric: [true, false, true, true, true, true], fields: ["rank", "name", "commits", "authors", "lines_added", "lines_removed"])
        for (k, r) in rows.enumerated() {
            printer.rows.append(["\(k + 1)", r.name, "\(r.commits)", "\(r.authors)", "\(r.linesAdded)", "\(r.linesRemoved)"])
        }
        writeOut(printer.render())
    }
}

struct TimelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "A language over time: code (cumulative added − removed), commits, authors or new repositories per period.",
        usage: "census timeline --language <language> [<options>]")

    @Option(help: "The language.", completion: LanguageArgument.completion, transform: LanguageArgument.canonical)
    var language: String

    @Option(help: "Periods: year, quarter or month (UTC).")
    var by: TimelinePeriod = .year

    @Option(help: "code, commits, authors or new-repos.")
    var metric: TimelineMetric = .commits

    @Option(help: "Only repositories in this cohort.")
    var cohort: String?

    @OptionGroup var store: StoreOptions

    func run() throws {
        let database = try store.openHistory()
        let points = try query { try database.timeline(language: language, by: by, metric: metric, cohort: cohort, includeBots: false) }
        var printer = RowPrinter(
            format: store.format, headers: [by.rawValue.capitalized, "\(language) \(metric.rawValue)"], numeric: [false, true],
            fields: ["period", "value"])
        printer.rows = points.map { [$0.period, "\($0.value)"] }
        writeOut(printer.render())
    }
}

struct CorrelateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correlate",
        abstract: "Pearson's r between two timelines over the periods both have.",
        usage: "census correlate --language <language> [<options>]",
        discussion: "Example: census correlate --language Go --metric commits --with-language Rust --with-metric commits")

    @Option(help: "The first timeline's language.", completion: LanguageArgument.completion, transform: LanguageArgument.canonical)
    var language: String

    @Option(help: "The first timeline's metric.")
    var metric: TimelineMetric = .commits

    @Option(help: "The second timeline's language (default: the first's).", completion: LanguageArgument.completion, transform: LanguageArgument.canonical)
    var withLanguage: String?

    @Option(help: "The second timeline's metric.")
    var withMetric: TimelineMetric = .authors

    @Option(help: "Periods: year, quarter or month.")
    var by: TimelinePeriod = .year

    @Option(help: "Only repositories in this cohort.")
    var cohort: String?

    @OptionGroup var store: StoreOptions

    func run() throws {
        let database = try store.openHistory()
        let a = try query { try database.timeline(language: language, by: by, metric: metric, cohort: cohort, includeBots: false) }
        let b = try query { try database.timeline(language: withLanguage ?? language, by: by, metric: withMetric, cohort: cohort, includeBots: false) }
        let correlation = TimelineCorrelation(a, b)
        let r = correlation.r.map { ScanRenderer.fixedDecimal($0, decimals: 4) }
        if store.format == .json {
            writeOut("{\n  \"schema_version\": 1,\n  \"r\": \(r ?? "null"),\n  \"points\": \(correlation.points)\n}\n")
            return
        }
        var table = TextTable(headers: ["r", "Points"], numeric: [true, true])
        table.rows.append([r ?? "n/a", "\(correlation.points)"])
        writeOut(store.format == .csv ? table.renderCSV() : store.format == .markdown ? table.renderMarkdown() : table.renderText())
    }
}
