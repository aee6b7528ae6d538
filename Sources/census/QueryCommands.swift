import ArgumentParser
import CodeCensus

extension RankingGroup: ExpressibleByArgument {}
extension RankingMetric: ExpressibleByArgument {}
extension ShareUnit: ExpressibleByArgument {}
extension ShareGroup: ExpressibleByArgument {}

/// Options every query command shares: which database, which format.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The results database (default $CENSUS_DB, else $XDG_DATA_HOME/census/census.db).", valueName: "db"))
    var db: String?

    @Option(help: "Output format: table, json, csv or markdown.")
    var format: OutputFormat = .table

    @OptionGroup var csv: CSVOptions

    @Option(help: ArgumentHelp("With a ClickHouse --db: the cluster the tables are spread over.", valueName: "name"))
    var cluster: String?

    /// The database named by --db (or the default), read-only.
    func location() throws -> StoreLocation {
        let path = try databasePath(db)
        do {
            return try StoreLocation.parse(path, environment: Environment.variables())
        } catch {
            warn("error: \(error)")
            throw ExitCode(1)
        }
    }

    /// Opens the store (SQLite or ClickHouse) read-only.
    func openAny() throws -> ResultStore {
        let location = try location()
        do {
            return try openStore(location, cluster: cluster, readOnly: true)
        } catch {
            warn("error: \(error)")
            throw ExitCode(1)
        }
    }

    /// Opens the store read-only for history questions.
    func openHistory() throws -> any HistoryStore {
        guard let store = try openAny() as? any HistoryStore else {
            warn("error: this store does not hold history")
            throw ExitCode(1)
        }
        return store
    }

    /// Opens the store read-only for Go module questions.
    func openDependencies() throws -> any DependencyStore {
        guard let store = try openAny() as? any DependencyStore else {
            warn("error: this store does not hold Go modules")
            throw ExitCode(1)
        }
        return store
    }

    var renderer: StoreRenderer { StoreRenderer(format: format, toolVersion: CensusVersion.string) }
}

/// Runs a query, turning a store error into a message and exit status 1.
func query<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        warn("error: \(error)")
        throw ExitCode(1)
    }
}

struct TopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "Rank companies, orgs, repositories or cohorts by how much of a language they write.",
        usage: "census top --language <language> [<options>]",
        discussion: """
            Counts own code only (vendored, generated and documentation files apart), from the \
            repositories stored by `census scan`. --metric share ranks by the language's share of \
            each group's own code.

            Example: census top --language Go --by company
            """)

    @Option(help: "The language, by its Linguist name (Go, C++, TypeScript…).", completion: LanguageArgument.completion, transform: LanguageArgument.canonical)
    var language: String

    @Option(help: "Group by company, org, repository or cohort.")
    var by: RankingGroup = .company

    @Option(help: "Rank by code, bytes, files, repositories or share.")
    var metric: RankingMetric = .code

    @Option(help: "Only repositories in this cohort.")
    var cohort: String?

    @Option(help: "At most this many rows.")
    var limit: Int = 20

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let database = try store.openAny()
        let rows = try query { try database.top(language: language, by: by, metric: metric, cohort: cohort, limit: limit) }
        writeOut(store.renderer.renderTop(rows, language: language, by: by, metric: metric))
    }
}

struct ShareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share",
        abstract: "The penetration of a language: the fraction of units whose own code is at least a threshold in it.",
        usage: "census share --language <language> [<options>]",
        discussion: """
            Units are repositories, orgs or companies; a unit counts when the language's share of \
            its own code is at least --threshold. Also prints the language's share of all own \
            code.

            Example: census share --language Go --by cohort --threshold 10%
            """)

    @Option(help: "The language, by its Linguist name.", completion: LanguageArgument.completion, transform: LanguageArgument.canonical)
    var language: String

    @Option(help: "One row per cohort or per company (default: one row for everything).")
    var by: ShareGroup?

    @Option(help: ArgumentHelp("The least share of a unit's own code, as 10% or 0.1.", valueName: "share"))
    var threshold: String = "10%"

    @Option(help: "Count repositories (repository), orgs (org) or companies (company).")
    var unit: ShareUnit = .repository

    @Option(help: "Only repositories in this cohort.")
    var cohort: String?

    @OptionGroup var store: StoreOptions

    /// `10%` → 0.1, `0.1` → 0.1.
    static func fraction(_ text: String) -> Double? {
        if text.hasSuffix("%") { return Double(text.dropLast()).map { $0 / 100 } }
        return Double(text)
    }

    func validate() throws {
        guard let value = Self.fraction(threshold), value >= 0, value <= 1 else {
            throw ValidationError("--threshold takes a share between 0 and 100%, such as 10% or 0.1, not '\(Escaping.display(threshold))'")
        }
    }

    func run() throws {
        let value = Self.fraction(threshold) ?? 0.1
        let database = try store.openAny()
        let rows = try query { try database.share(language: language, by: by, threshold: value, unit: unit, cohort: cohort) }
        writeOut(store.renderer.renderShare(rows, language: language, threshold: value, unit: unit, by: by))
    }
}

struct BreakdownCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "breakdown",
        abstract: "The language table across every stored repository (or one cohort), with GitHub's bar.",
        usage: "census breakdown [<options>]")

    @Option(help: "Only repositories in this cohort.")
    var cohort: String?

    @OptionGroup var store: StoreOptions

    func run() throws {
        let database = try store.openAny()
        let rows = try query { try database.breakdown(cohort: cohort) }
        writeOut(store.renderer.renderBreakdown(rows))
    }
}

struct ReposCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repos", abstract: "List the stored repositories with their metadata and own code.",
        usage: "census repos [<options>]")

    @Option(help: "Only repositories in this cohort.")
    var cohort: String?

    @OptionGroup var store: StoreOptions

    func run() throws {
        let database = try store.openAny()
        let rows = try query { try database.repositories(cohort: cohort) }
        writeOut(store.renderer.renderRepositories(rows))
    }
}
