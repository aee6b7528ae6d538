import ArgumentParser
import CodeCensus

/// Rows as a table, CSV, Markdown or JSON (`{"schema_version": 1, "rows": [...]}`), cells escaped.
struct RowPrinter {
    var format: OutputFormat
    var headers: [String]
    var numeric: [Bool]
    /// JSON field names, one per column; numeric columns are written as numbers.
    var fields: [String]
    var rows: [[String]] = []
    /// What the answer could not see (unknown changes, partial walks, unknown metadata): a
    /// `notes` array in JSON; other formats print them to standard error.
    var notes: [String] = []

    func render() -> String {
        if format != .json { for note in notes { warn("note: " + note) } }
        if format == .json {
            let items = rows.map { row in
                "{" + zip(fields, zip(row, numeric)).map { field, cell in
                    "\"\(field)\": " + (cell.1 ? cell.0 : Escaping.jsonString(cell.0))
                }.joined(separator: ", ") + "}"
            }
            let noted = notes.isEmpty ? "" : ",\n  \"notes\": [" + notes.map(Escaping.jsonString).joined(separator: ", ") + "]"
            return "{\n  \"schema_version\": 1,\n  \"rows\": [" + (items.isEmpty ? "" : "\n    " + items.joined(separator: ",\n    ") + "\n  ")
                + "]" + noted + "\n}\n"
        }
        var table = TextTable(headers: headers, numeric: numeric)
        table.rows = rows.map { row in
            // Numbers are never formulas: a negative one stays a number in CSV.
            zip(row, numeric).map { cell, isNumber in
                isNumber ? cell : format == .csv ? Escaping.csvField(cell) : format == .markdown ? Escaping.markdownCell(cell) : Escaping.display(cell)
            }
        }
        switch format {
        case .csv: return table.renderCSV()
        case .markdown: return table.renderMarkdown()
        default: return table.renderText()
        }
    }
}

struct DepsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deps",
        abstract: "Go module dependencies across the stored corpus: fan-in, users, shares, coupling, centrality.",
        discussion: "From the go.mod files `census scan` stored (own go.mod files; vendored copies are left out).",
        subcommands: [
            DepsTopCommand.self, DepsWhoUsesCommand.self, DepsOfCommand.self, DepsShareCommand.self, DepsCouplingCommand.self,
            DepsRankCommand.self, DepsExportCommand.self,
        ])
}

struct DepsTopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top", abstract: "The most depended-upon modules: requiring modules and repositories, direct and indirect apart.",
        usage: "census deps top [<options>]")

    @Flag(help: "Count direct requirements only.")
    var direct = false

    @Option(help: "Only repositories in this cohort.")
    var cohort: String?

    @Option(help: "At most this many rows.")
    var limit: Int = 20

    @OptionGroup var store: StoreOptions

    func run() throws {
        let database = try store.openDependencies()
        let rows = try query { try database.dependencyFanIn(directOnly: direct, cohort: cohort, limit: limit) }
        var printer = RowPrinter(
            format: store.format, headers: ["#", "Module", "Direct modules", "Indirect modules", "Direct repos", "Indirect repos"],
            numeric: [true, false, true, true, true, true],
            fields: ["rank", "module", "direct_modules", "indirect_modules", "direct_repositories", "indirect_repositories"])
        for (k, r) in rows.enumerated() {
            printer.rows.append([
                "\(k + 1)", r.module, "\(r.directModules)", "\(r.indirectModules)", "\(r.directRepositories)", "\(r.indirectRepositories)",
            ])
        }
        writeOut(printer.render())
    }
}

struct DepsWhoUsesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "who-uses", abstract: "Which modules and repositories require MODULE.",
        usage: "census deps who-uses <module> [<options>]")

    @Argument(help: "A module path.")
    var module: String

    @Option(help: "Only requirements of this version.")
    var version: String?

    @OptionGroup var store: StoreOptions

    func run() throws {
        let database = try store.openDependencies()
        let rows = try query { try database.dependencyUsers(of: module, version: version) }
        writeOut(edges(rows, store.format))
    }
}

struct DepsOfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "of", abstract: "What a module (by path) or a repository (by key) requires.",
        usage: "census deps of <name> [<options>]")

    @Argument(help: "A module path or a repository key (census repos lists keys).")
    var name: String

    @OptionGroup var store: StoreOptions

    func run() throws {
        let database = try store.openDependencies()
        let rows = try query { try database.dependencies(of: name) }
        writeOut(edges(rows, store.format))
    }
}

func edges(_ rows: [DependencyEdgeRow], _ format: OutputFormat) -> String {
    var printer = RowPrinter(
        format: format, headers: ["Repository", "Module", "Requires", "Version", "Indirect"],
        numeric: [false, false, false, false, true], fields: ["repository", "module", "required", "version", "indirect"])
    printer.rows = rows.map { [$0.repositoryKey, $0.requiring, $0.required, $0.version, "\($0.indirect)"] }
    return printer.render()
}

struct DepsShareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share",
        abstract: "Which part of all requirements points inside the corpus, to golang.org/x, to each host and org.",
        usage: "census deps share [<options>]")

    @Option(help: "Only repositories in this cohort.")
    var cohort: String?

    @Option(help: "At most this many hosts and orgs.")
    var limit: Int = 20

    @OptionGroup var store: StoreOptions

    func run() throws {
        let database = try store.openDependencies()
        let rows = try query { try database.dependencyShare(cohort: cohort, limit: limit) }
        var printer = RowPrinter(
            format: store.format, headers: ["Kind", "Target", "Requirements", "Of", "Share"],
            numeric: [false, false, true, true, true], fields: ["kind", "name", "requirements", "total", "share"])
        printer.rows = rows.map {
            [$0.kind, $0.name, "\($0.requirements)", "\($0.total)",
             store.format == .json ? ScanRenderer.fixedDecimal($0.share, decimals: 6) : ScanRenderer.fixedDecimal($0.share * 100, decimals: 1) + "%"]
        }
        writeOut(printer.render())
    }
}

struct DepsCouplingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coupling",
        abstract: "Shared dependencies of two repositories (Jaccard index), or the most coupled pairs (--top N).",
        usage: "census deps coupling [<options>] [<repository> <repository>]")

    @Argument(help: "Two repository keys (none: the most coupled pairs).")
    var repositories: [String] = []

    @Option(help: "How many pairs.")
    var top: Int = 20

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if !(repositories.isEmpty || repositories.count == 2) { throw ValidationError("give two repository keys, or none with --top") }
    }

    func run() throws {
        let database = try store.openDependencies()
        let rows = try query {
            try repositories.count == 2
                ? database.dependencyCoupling(repositories[0], repositories[1], limit: 1) : database.dependencyCoupling(nil, nil, limit: top)
        }
        var printer = RowPrinter(
            format: store.format, headers: ["Repository", "Repository", "Shared", "Union", "Jaccard"],
            numeric: [false, false, true, true, true], fields: ["first", "second", "shared", "union", "jaccard"])
        printer.rows = rows.map { [$0.first, $0.second, "\($0.shared)", "\($0.union)", ScanRenderer.fixedDecimal($0.jaccard, decimals: 4)] }
        writeOut(printer.render())
    }
}

struct DepsRankCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rank", abstract: "PageRank centrality of modules in the requirement graph (module → required module).",
        usage: "census deps rank [<options>]")

    @Option(help: "Only repositories in this cohort.")
    var cohort: String?

    @Option(help: "At most this many rows.")
    var limit: Int = 20

    @OptionGroup var store: StoreOptions

    func run() throws {
        let database = try store.openDependencies()
        let edges = try query { try database.dependencyEdges(cohort: cohort) }
        let rank = DependencyRank(edges: edges.filter { !$0.requiring.isEmpty }.map { (from: $0.requiring, to: $0.required) })
        var printer = RowPrinter(
            format: store.format, headers: ["#", "Module", "PageRank"], numeric: [true, false, true], fields: ["rank", "module", "pagerank"])
        for (k, s) in rank.scores.prefix(limit).enumerated() {
            printer.rows.append(["\(k + 1)", s.module, ScanRenderer.fixedDecimal(s.score, decimals: 6)])
        }
        writeOut(printer.render())
    }
}

struct DepsExportCommand: ParsableCommand {
    enum GraphFormat: String, ExpressibleByArgument, CaseIterable { case dot, json }

    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "The requirement graph as Graphviz DOT or JSON (nodes and edges).")

    @Option(help: "dot or json.")
    var graph: GraphFormat = .dot

    @Option(help: "Only repositories in this cohort.")
    var cohort: String?

    @Option(help: ArgumentHelp("The results database (default $CENSUS_DB, else $XDG_DATA_HOME/census/census.db).", valueName: "db"))
    var db: String?

    func run() throws {
        var options = try StoreOptions.parse(db.map { ["--db", $0] } ?? [])
        options.format = .json
        let database = try options.openDependencies()
        let rows = try query { try database.dependencyEdges(cohort: cohort) }.filter { !$0.requiring.isEmpty }
        var seen = Set<String>()
        var unique: [DependencyEdgeRow] = []
        for r in rows where seen.insert(r.requiring + "\u{0}" + r.required).inserted { unique.append(r) }
        if graph == .dot {
            // DOT IDs are double-quoted strings: escape backslashes and quotes, drop control characters.
            func id(_ s: String) -> String {
                "\"" + String(s.unicodeScalars.filter { $0.value >= 0x20 }.map(Character.init))
                    .replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
            }
            var out = "digraph go_modules {\n"
            for e in unique { out += "  \(id(e.requiring)) -> \(id(e.required))\(e.indirect ? " [style=dashed]" : "");\n" }
            writeOut(out + "}\n")
        } else {
            var nodes = Set<String>()
            for e in unique {
                nodes.insert(e.requiring)
                nodes.insert(e.required)
            }
            var out = "{\n  \"schema_version\": 1,\n  \"nodes\": [" + nodes.sorted().map { Escaping.jsonString($0) }.joined(separator: ", ") + "],\n"
            out += "  \"edges\": [\n" + unique.map {
                "    {\"from\": \(Escaping.jsonString($0.requiring)), \"to\": \(Escaping.jsonString($0.required)), \"version\": \(Escaping.jsonString($0.version)), \"indirect\": \($0.indirect)}"
            }.joined(separator: ",\n") + "\n  ]\n}\n"
            writeOut(out)
        }
    }
}
