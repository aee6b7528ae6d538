import ArgumentParser
import CodeCensus

/// `census go …`: Go packages below go.mod (docs/go-source.md).
struct GoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "go",
        abstract: "Go packages below go.mod: build constraints, imports, exported API, references and coupling.",
        discussion: "Read from the bytes of the source, without the Go toolchain. Rules and limits: docs/go-source.md.",
        subcommands: [GoPackagesCommand.self])
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

    @Argument(help: "A directory of Go source.")
    var path: String

    @OptionGroup var target: GoTargetOptions

    @Flag(help: "Include test files and their imports.")
    var tests = false

    @Option(help: "Output format: table, json, csv or markdown.")
    var format: OutputFormat = .table

    func run() throws {
        let tree: GoDirectoryTree
        do {
            tree = try GoDirectoryTree(path: path)
        } catch {
            warn("error: \(error)")
            throw ExitCode(1)
        }
        let options = target.loadOptions()
        let set = GoPackageLoader.load(tree, options: options)
        if format == .json {
            writeOut(GoPackageJSON.render(set, targets: options.targets, includeTests: tests))
        } else {
            var printer = RowPrinter(
                format: format, headers: ["Import path", "Name", "Files", "Imports", "Exports"] + (tests ? ["Test imports"] : []),
                numeric: [false, false, true, true, true] + (tests ? [true] : []),
                fields: ["import_path", "name", "files", "imports", "exports"] + (tests ? ["test_imports"] : []))
            for p in set.packages {
                var row = [p.importPath, p.name, "\(p.goFiles.count + p.cgoFiles.count)", "\(p.imports.count)", "\(p.totalExports)"]
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
