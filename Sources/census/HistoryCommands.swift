import ArgumentParser
import CodeCensus

extension ContributorGroup: ExpressibleByArgument {}
extension ContributorMetric: ExpressibleByArgument {}
extension TimelinePeriod: ExpressibleByArgument {}
extension TimelineMetric: ExpressibleByArgument {}
extension ContributorCommits: ExpressibleByArgument {}

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

    @Flag(help: "Attribution only: commits, authors, companies and dates, no line counts (no trees or blobs are read, so a blobless clone is enough).")
    var noLines = false

    @Option(help: ArgumentHelp("Store at most this many commits per repository in this run; the walk is recorded as partial and the next run resumes after them.", valueName: "n"))
    var maxCommits: Int?

    @Option(help: ArgumentHelp("For URLs: clone for history as 'full' (default), or as a blobless partial clone, 'blob:none' (needs --no-lines to be of use: line changes need blobs).", valueName: "kind"))
    var cloneFilter: String = "full"

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
        runner.countLines = !noLines
        runner.maxCommits = maxCommits
        switch cloneFilter {
        case "full": runner.cloneHistory = .full
        case "blob:none": runner.cloneHistory = .blobless
        default: throw ValidationError("--clone-filter takes 'full' or 'blob:none', not '\(cloneFilter)'")
        }
        runner.affiliations = try people.load()
        if !bots.isEmpty { runner.bots = BotClassifier(patterns: bots) }
        runner.cache = try? GitCache(offline: offline)
        let commitsWalked = ProgressCounter()
        let repositoriesDone = ProgressCounter(total: specs.count)
        runner.progress = commitsWalked
        let line = ProgressLine.start(
            output, "Walking histories", [.init(repositoriesDone, "repositories"), .init(commitsWalked, "commits", rate: true)])
        var failed = 0
        var damaged = 0
        var table = TextTable(
            headers: ["Repository", "New commits", "Unknown changes", "Bot commits", "Unknown company", "Tip", "Note"],
            numeric: [false, true, true, true, true, false, false])
        for spec in specs {
            line.setDetail(GitRemoteURL.redacted(spec.location))
            defer { repositoriesDone.add() }
            switch runner.run(spec, into: store) {
            case .success(let result):
                var notes: [String] = []
                if result.isShallow { notes.append("shallow clone: history stops at the cut") }
                if !result.countsLines { notes.append("no lines counted (--no-lines)") }
                if result.resumedAfter > 0 { notes.append("resumed after \(result.resumedAfter) commits stored before") }
                if result.stoppedEarly { notes.append("stopped at --max-commits: partial, run again to go on") }
                table.rows.append([
                    Escaping.display(result.key), "\(result.newCommits)", "\(result.unknownChangeCommits)", "\(result.botCommits)",
                    "\(result.unknownCompanyCommits)", String(result.tip.prefix(12)), notes.joined(separator: "; "),
                ])
                if result.isShallow { warn("\(result.key): a shallow clone: its history stops where the clone was cut") }
                for problem in result.problems { warn("skipped: \(result.key): \(problem)") }
                if result.countsLines {
                    for (commit, reason) in result.unknownChanges {
                        warn("unknown changes: \(Escaping.display(result.key)) \(commit): \(Escaping.display(reason))")
                    }
                    if result.unknownChangeCommits > result.unknownChanges.count {
                        warn("unknown changes: \(Escaping.display(result.key)): and \(result.unknownChangeCommits - result.unknownChanges.count) more commits")
                    }
                    if result.unknownChangeCommits > 0 {
                        warn("\(Escaping.display(result.key)): \(result.unknownChangeCommits) of \(result.newCommits) commits stored with unknown line changes (their authors, dates and companies are stored; line answers leave them out and say so)")
                    }
                    if result.damagedCommits > 0 {
                        damaged += 1
                        warn("error: \(Escaping.display(result.key)): objects are missing from the repository (damaged, not a partial clone): \(result.damagedCommits) commits could not be diffed")
                    }
                }
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
        let damage = damaged > 0 ? ", \(damaged) with missing objects" : ""
        if !output.quiet {
            warn("\(specs.count - failed) of \(specs.count) histories walked, \(failed) failed\(damage); stored in \(store.displayLocation)")
        }
        if failed > 0 || damaged > 0 { throw ExitCode(1) }
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

    @Option(help: ArgumentHelp("Which commits count: 'code' (default), those that changed own code (in --language); 'all', every commit, merges and documentation-only ones included, as gitdm and devstats count.", valueName: "all|code"))
    var commits: ContributorCommits = .code

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
        if commits == .all, language != nil {
            throw ValidationError("--commits all counts every commit, whatever it changed: drop --language, or use --commits code")
        }
        let database = try store.openHistory()
        let rows = try query {
            commits == .all
                ? try database.contributorsOfAllCommits(
                    by: by, metric: metric, since: from, until: to, cohort: cohort, includeBots: includeBots, limit: limit)
                : try database.contributors(
                    language: language, by: by, metric: metric, since: from, until: to, cohort: cohort, includeBots: includeBots,
                    limit: limit)
        }
        let coverage = try query { try database.historyCoverage(since: from, until: to, cohort: cohort, includeBots: includeBots) }
        let header = commits == .all ? "Commits (all)" : "Commits (own code)"
        var printer = RowPrinter(
            format: store.format, headers: ["#", by.rawValue.capitalized, header, "Authors", "Own lines added", "Own lines removed"],
            numeric: [true, false, true, true, true, true], fields: ["rank", "name", "commits", "authors", "lines_added", "lines_removed"])
        printer.notes = historyNotes(coverage, countsCommitsWithoutChanges: commits == .all)
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
        printer.notes = try timelineNotes(database, language: language, metric: metric, cohort: cohort)
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
        var notes = try timelineNotes(database, language: language, metric: metric, cohort: cohort)
        for note in try timelineNotes(database, language: withLanguage ?? language, metric: withMetric, cohort: cohort)
        where !notes.contains(note) {
            notes.append(note)
        }
        if store.format == .json {
            let noted = notes.isEmpty ? "" : ",\n  \"notes\": [" + notes.map(Escaping.jsonString).joined(separator: ", ") + "]"
            writeOut("{\n  \"schema_version\": 1,\n  \"r\": \(r ?? "null"),\n  \"points\": \(correlation.points)\(noted)\n}\n")
            return
        }
        for note in notes { warn("note: " + note) }
        var table = TextTable(headers: ["r", "Points"], numeric: [true, true])
        table.rows.append([r ?? "n/a", "\(correlation.points)"])
        writeOut(store.format == .csv ? table.renderCSV() : store.format == .markdown ? table.renderMarkdown() : table.renderText())
    }
}

/// What an answer over stored histories could not see, as notes: commits with unknown line
/// changes and partial walks in its scope.
func historyNotes(_ coverage: HistoryCoverage, countsCommitsWithoutChanges: Bool) -> [String] {
    var notes: [String] = []
    if coverage.unknownChangeCommits > 0 {
        let what =
            countsCommitsWithoutChanges
            ? "commit counts include them; line counts leave them out"
            : "they are left out of every figure here (whether they changed own code is unknown)"
        notes.append(
            "\(coverage.unknownChangeCommits) of \(coverage.commits) commits have unknown line changes (missing or absent blobs, or walked with --no-lines): \(what)"
        )
    }
    for walk in coverage.partialWalks {
        notes.append(
            "the history of \(walk.repositoryKey) is partial (\(walk.commits) commits stored): \(walk.reason)")
    }
    return notes
}

/// The notes of a timeline: unknown changes and partial walks for history metrics; repositories
/// whose first commit is unknown for `new-repos`.
func timelineNotes(_ database: any HistoryStore, language: String, metric: TimelineMetric, cohort: String?) throws -> [String] {
    if metric == .newRepos {
        let unknown = try query { try database.repositoriesWithUnknownFirstCommit(language: language, cohort: cohort) }
        return unknown == 0
            ? []
            : [
                "\(unknown) stored repositories are left out: their first commit's date is unknown (scanned from a shallow clone without a commits-only fetch)"
            ]
    }
    let coverage = try query { try database.historyCoverage(since: nil, until: nil, cohort: cohort, includeBots: false) }
    return historyNotes(coverage, countsCommitsWithoutChanges: false)
}
