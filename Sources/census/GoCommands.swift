import ArgumentParser
import CodeCensus

#if canImport(Glibc)
    import Glibc
#endif

/// `census go …`: Go packages below go.mod (docs/go-source.md).
struct GoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "go",
        abstract: "Go packages below go.mod: build constraints, imports, exported API, references and coupling.",
        discussion: "Read from the bytes of the source, without the Go toolchain. Rules and limits: docs/go-source.md.",
        subcommands: [GoPackagesCommand.self, GoGraphCommand.self, GoCouplingCommand.self, GoEvolutionCommand.self])
}

/// Target selection shared by the `go` subcommands.
struct GoTargetOptions: ParsableArguments {
    @Option(help: "The target operating system (GOOS).")
    var goos = "linux"

    @Option(help: "The target architecture (GOARCH).")
    var goarch = "amd64"

    @Flag(help: "The union over every platform of Go 1.19 (go tool dist list).")
    var allPlatforms = false

    @Option(help: ArgumentHelp("Extra build tags, comma-separated.", valueName: "a,b"))
    var tags: String?

    @Option(help: ArgumentHelp("Whether files that import \"C\" are built (default: as Go 1.19 defaults for the target).", valueName: "0|1"))
    var cgo: Int?

    @Option(help: "Import paths from: auto, gopath (the path below src/) or module (go.mod).")
    var layout: GoLoadOptions.Layout = .auto

    @Option(help: "Worker threads (default: the number of processors).")
    var jobs: Int?

    var tagList: [String] { (tags ?? "").split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty } }

    func validate() throws {
        if cgo != nil && cgo != 0 && cgo != 1 { throw ValidationError("--cgo takes 0 or 1") }
        if !allPlatforms && !GoBuildTarget(goos: goos, goarch: goarch).isKnownPlatform {
            throw ValidationError("\(goos)/\(goarch) is not a platform of Go 1.19 (go tool dist list)")
        }
    }

    func loadOptions(analyze: Bool = true) -> GoLoadOptions {
        let cgoEnabled = cgo.map { $0 == 1 }
        let targets =
            allPlatforms
            ? GoBuildTarget.allPlatforms(tags: tagList).map { t in
                var t = t
                if let cgoEnabled { t.cgoEnabled = cgoEnabled }
                return t
            }
            : [GoBuildTarget(goos: goos, goarch: goarch, cgoEnabled: cgoEnabled, tags: tagList)]
        return GoLoadOptions(targets: targets, layout: layout, jobs: jobs ?? GoLoadOptions.defaultJobs, analyzeSource: analyze)
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}

extension GoLoadOptions.Layout: ExpressibleByArgument {}

struct GoPackagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "packages",
        abstract: "The packages of a tree: files by role, imports as go list -json reports them, exports per kind.",
        discussion: """
            PATH is a directory of Go source: a GOPATH tree (import paths below src/), a module \
            (go.mod) or the Go distribution's src/. Problems (syntax errors with line and column, \
            bad build constraints, conflicting package clauses, import cycles) go to standard \
            error; the exit status is 1 when there were any.
            """)

    @Argument(help: "A directory of Go source, or a git repository (read at --rev from its object store).")
    var path: String

    @Option(help: ArgumentHelp("Read a git repository's tree at this revision, without a checkout.", valueName: "rev"))
    var rev: String?

    @OptionGroup var target: GoTargetOptions

    @Flag(help: "Include test files and their imports.")
    var tests = false

    @Flag(help: "Read whole files for the exported API (exports per kind); without it only headers are read, as go list reads them.")
    var api = false

    @Flag(help: "With --format json: each package's qualified references (imported path, name, calls, literals, other uses); implies --api.")
    var references = false

    @Option(help: "Output format: table, json, csv or markdown.")
    var format: OutputFormat = .table

    @OptionGroup var csv: CSVOptions

    func run() throws {
        let options = target.loadOptions(analyze: api || references)
        let set = GoPackageLoader.load(try makeGoTree(path, revision: rev), options: options)
        if format == .json {
            writeOut(GoPackageJSON.render(set, targets: options.targets, includeTests: tests, includeAPI: api || references, includeReferences: references))
        } else {
            var printer = RowPrinter(
                format: format, headers: ["Import path", "Name", "Files", "Imports"] + (api ? ["Exports"] : []) + (tests ? ["Test imports"] : []),
                numeric: [false, false, true, true] + (api ? [true] : []) + (tests ? [true] : []),
                fields: ["import_path", "name", "files", "imports"] + (api ? ["exports"] : []) + (tests ? ["test_imports"] : []))
            for p in set.packages {
                var row = [p.importPath, p.name, "\(p.goFiles.count + p.cgoFiles.count)", "\(p.imports.count)"]
                if api { row.append("\(p.totalExports)") }
                if tests { row.append("\(Set(p.testImports + p.xTestImports).count)") }
                printer.rows.append(row)
            }
            writeOut(printer.render())
        }
        reportProblems(set)
        if set.problems.count + set.packages.reduce(0, { $0 + $1.problems.count }) > 0 { throw ExitCode(1) }
    }
}

/// Writes a package set's problems to standard error, each naming its file (and line and column).
func reportProblems(_ set: GoPackageSet) {
    var count = 0
    for p in set.packages {
        for problem in p.problems {
            count += 1
            if count <= 200 { warn(problem.description) }
        }
    }
    for problem in set.problems {
        count += 1
        if count <= 200 { warn(problem.description) }
    }
    if count > 200 { warn("… and \(count - 200) more problems") }
    if count > 0 { warn("\(set.packages.count) packages; \(count) problems") }
}

/// Where a `go graph`/`go coupling` question reads from: a tree (PATH) or the store (--db).
struct GoSourceInput: ParsableArguments {
    @Argument(help: "A directory of Go source or a git repository (leave out with --db).")
    var path: String?

    @Option(help: ArgumentHelp("Answer from the results database instead (what census scan --go-source stored).", valueName: "db"))
    var db: String?

    @Option(help: ArgumentHelp("With a ClickHouse --db: the cluster the tables are spread over.", valueName: "name"))
    var cluster: String?

    @Option(help: ArgumentHelp("With --db: only this repository (a key, as census repos lists them).", valueName: "key"))
    var repository: String?

    @Option(help: ArgumentHelp("Read a git repository's tree at this revision, without a checkout.", valueName: "rev"))
    var rev: String?

    @OptionGroup var target: GoTargetOptions

    func validate() throws {
        if (path == nil) == (db == nil) { throw ValidationError("name a directory, or --db") }
    }

    /// The loaded tree, problems reported to standard error.
    func load() throws -> GoPackageSet {
        if let db {
            let store = try openGoSourceStore(db: db, cluster: cluster)
            let stored = try query { try store.goSource(repository: repository) }
            if stored.isEmpty { warn("the store holds no Go packages\(repository.map { " of \($0)" } ?? ""): scan with census scan --go-source") }
            return GoSourceStorage.packageSet(stored)
        }
        let set = GoPackageLoader.load(try makeGoTree(path ?? ".", revision: rev), options: target.loadOptions())
        reportProblems(set)
        return set
    }
}

extension GoCouplingRow.Level: ExpressibleByArgument {}

struct GoGraphCommand: ParsableCommand {
    enum GraphFormat: String, ExpressibleByArgument, CaseIterable { case json, csv, dot }

    static let configuration = CommandConfiguration(
        commandName: "graph", abstract: "The import graph of packages or modules as JSON, CSV or Graphviz DOT.",
        discussion: "Edges are non-test imports; at module level one edge per pair of modules, weighted by the package imports behind it.")

    @OptionGroup var input: GoSourceInput

    @Option(help: "package or module.")
    var level: GoCouplingRow.Level = .package

    @Option(help: "json, csv or dot.")
    var format: GraphFormat = .json

    func run() throws {
        let edges = try graphEdges()
        writeOut(GoGraphRenderer.render(edges, format: format.rawValue))
    }

    func graphEdges() throws -> [GoGraphEdge] {
        GoGraphEdge.edges(try input.load(), level: level)
    }
}

struct GoCouplingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coupling",
        abstract: "C_ij = (shared_types + cross_pkg_calls) / (total_exports_i × total_imports_j) per importer j and imported i.",
        discussion: "Only edges whose imported side was loaded (or stored) have a row. Definitions and open choices: docs/go-source.md.")

    @OptionGroup var input: GoSourceInput

    @Option(help: "package or module.")
    var level: GoCouplingRow.Level = .module

    @Option(help: ArgumentHelp("Only rows whose importer is in this module (or is this module).", valueName: "M"))
    var from: String?

    @Option(help: ArgumentHelp("Only rows whose imported side is in this module.", valueName: "M"))
    var to: String?

    @Option(help: "The N most coupled rows (default: all, by importer).")
    var top: Int?

    @Option(help: "Output format: table, json, csv or markdown.")
    var format: OutputFormat = .table

    @OptionGroup var csv: CSVOptions

    func run() throws {
        let set = try input.load()
        var rows = level == .package ? GoCoupling.packageRows(set) : GoCoupling.moduleRows(set)
        var modules: [String: String] = [:]
        for p in set.packages { modules[p.importPath] = p.module }
        let moduleOf: (String) -> String = level == .package ? { modules[$0] ?? $0 } : { $0 }
        if let from { rows = rows.filter { moduleOf($0.importer) == from } }
        if let to { rows = rows.filter { moduleOf($0.imported) == to } }
        if let top { rows = Array(rows.sorted { ($0.coupling, $1.importer) > ($1.coupling, $0.importer) }.prefix(top)) }
        var printer = RowPrinter(
            format: format,
            headers: ["Importer", "Imported", "Shared types", "Calls", "Exports", "Imports", "Edges", "C"],
            numeric: [false, false, true, true, true, true, true, true],
            fields: ["importer", "imported", "shared_types", "cross_pkg_calls", "total_exports", "total_imports", "edges", "coupling"])
        printer.rows = rows.map {
            [$0.importer, $0.imported, "\($0.sharedTypes)", "\($0.crossPackageCalls)", "\($0.totalExports)", "\($0.totalImports)",
             "\($0.edges)", ScanRenderer.fixedDecimal($0.coupling, decimals: 6)]
        }
        writeOut(printer.render())
        if !rows.isEmpty && format == .table {
            warn("\(rows.count) rows; mean C = \(ScanRenderer.fixedDecimal(GoCoupling.mean(rows), decimals: 6))")
        }
    }
}

/// A directory tree, or a git repository's tree at `revision` (also when `path` is a bare repository).
func makeGoTree(_ path: String, revision: String?) throws -> any GoSourceTree {
    do {
        if revision != nil || isBareRepository(path) {
            let repository = try GitRepository(path: path)
            let commit = try repository.resolveCommit(revision ?? "HEAD")
            return try GoGitSourceTree(repository: repository, commit: commit, importPathPrefix: GoEvolution.importPathPrefix(repository))
        }
        return try GoDirectoryTree(path: path)
    } catch {
        warn("error: \(error)")
        throw ExitCode(1)
    }
}

/// Whether `path` is a bare git repository (a `HEAD` and `objects/` and no `.git`).
func isBareRepository(_ path: String) -> Bool {
    var st = stat()
    return stat(path + "/HEAD", &st) == 0 && stat(path + "/objects", &st) == 0 && stat(path + "/.git", &st) != 0
}

/// The store named by --db, read-only, as a Go source store.
func openGoSourceStore(db: String, cluster: String?) throws -> any GoSourceStore {
    let store: ResultStore
    do {
        store = try openStore(StoreLocation.parse(try databasePath(db), environment: Environment.variables()), cluster: cluster, readOnly: true)
    } catch {
        warn("error: \(error)")
        throw ExitCode(1)
    }
    guard let go = store as? any GoSourceStore else {
        warn("error: this store does not hold Go packages")
        throw ExitCode(1)
    }
    return go
}

struct GoEvolutionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evolution",
        abstract: "Mean coupling and Go's share of own code at the last commit before each date.",
        usage: "census go evolution <repository> --at <dates> [<options>]",
        discussion: """
            Each tree is read from the git object store (no checkout), along the first parents of \
            --rev. Go's share is Go's own code lines over all own code lines, as census scan counts \
            them at that commit.
            """)

    @Argument(help: "A git repository (work tree or bare).")
    var repository: String

    @Option(help: ArgumentHelp("Dates, comma-separated (YYYY-MM-DD, midnight UTC).", valueName: "dates"))
    var at: String

    @Option(help: "package or module.")
    var level: GoCouplingRow.Level = .module

    @Option(help: ArgumentHelp("Where to walk back from (default HEAD).", valueName: "rev"))
    var rev = "HEAD"

    @OptionGroup var target: GoTargetOptions

    @Option(help: "Output format: table, json, csv or markdown.")
    var format: OutputFormat = .table

    @OptionGroup var csv: CSVOptions

    func parsedDates() throws -> [Int64] {
        try at.split(separator: ",").map { (text: Substring) throws -> Int64 in
            guard let day = Day(String(text).trimmingSpaces()), day.daysSinceEpoch >= 0 else {
                throw ValidationError("--at: '\(text)' is not a day from 1970 on: give days as YYYY-MM-DD, such as 2024-01-31 (midnight UTC)")
            }
            return Int64(day.daysSinceEpoch) * 86_400
        }
    }

    func validate() throws { _ = try parsedDates() }

    func run() throws {
        let points: [GoEvolutionPoint]
        do {
            points = try GoEvolution.measure(
                repositoryPath: repository, dates: try parsedDates(), level: level, options: target.loadOptions(), revision: rev)
        } catch {
            warn("error: \(error)")
            throw ExitCode(1)
        }
        var printer = RowPrinter(
            format: format,
            headers: ["Date", "Commit", "Packages", "Modules", "Rows", "Mean C", "Go code", "Own code", "Go share"],
            numeric: [false, false, true, true, true, true, true, true, true],
            fields: ["date", "commit", "packages", "modules", "rows", "mean_coupling", "go_code", "own_code", "go_share"])
        for p in points {
            printer.rows.append([
                GitTimestamp(secondsSince1970: p.date, utcOffsetMinutes: 0).utcISO8601.prefix(10).description,
                p.commit.map { String($0.prefix(12)) } ?? "", "\(p.packages)", "\(p.modules)", "\(p.rows)",
                ScanRenderer.fixedDecimal(p.meanCoupling, decimals: 6), "\(p.goCode)", "\(p.ownCode)",
                ScanRenderer.fixedDecimal(p.goShare, decimals: 4),
            ])
            if p.commit == nil { warn("no commit before \(printer.rows.last?.first ?? "")") }
        }
        writeOut(printer.render())
    }
}
