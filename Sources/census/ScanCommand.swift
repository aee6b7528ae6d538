import ArgumentParser
import CodeCensus

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Count files, lines of code, comments and blanks, and bytes per language.",
        discussion: """
            Walks each PATH (default: the current directory) in parallel, honouring .ignore files,
            and .gitignore files inside git repositories; skipping hidden entries and not following
            symbolic links unless asked.
            Binary files (a NUL byte in the first 8,000 bytes) are counted apart, not as lines.
            Languages are detected as GitHub Linguist does; vendored, generated and documentation
            files (Linguist's rules and .gitattributes) are counted apart from the repository's own
            code.
            Counting rules: docs/counting.md. JSON schema: docs/json-format.md.
            """)

    @Argument(help: "Files and directories to scan.")
    var paths: [String] = []

    @Option(help: "Output format: table, json, csv or markdown.")
    var format: OutputFormat = .table

    @Flag(help: "List every file with its language and counts.")
    var byFile = false

    @Flag(help: "Show GitHub's language bar: each language's share of the bytes of own code in programming and markup languages.")
    var breakdown = false

    @Option(help: ArgumentHelp("linguist: GitHub Linguist's full strategy and exclusions; names: file names, shebangs and extensions only.", valueName: "mode"))
    var detection: ScanOptions.DetectionMode = .linguist

    @Option(help: "Order rows by code, lines, files, bytes (descending) or name.")
    var sort: ScanSortKey = .code

    @Option(name: .customLong("exclude"), help: ArgumentHelp("Skip entries matching a gitignore-style glob (repeatable).", valueName: "glob"))
    var excludes: [String] = []

    @Flag(help: "Do not honour .gitignore, .ignore and .git/info/exclude files.")
    var noIgnore = false

    @Flag(help: "Honour .gitignore files outside git repositories too (by default only .ignore files apply there).")
    var noRequireGit = false

    @Flag(help: "Scan hidden files and directories (names starting with '.'); .git is never scanned.")
    var hidden = false

    @Flag(help: "Follow symbolic links (loops are detected and skipped).")
    var followSymlinks = false

    @Option(help: "Worker threads (default: the number of processors).")
    var jobs: Int?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        var options = ScanOptions(roots: paths)
        options.excludes = excludes
        options.useIgnoreFiles = !noIgnore
        options.gitignoreRequiresRepository = !noRequireGit
        options.includeHidden = hidden
        options.followSymlinks = followSymlinks
        options.collectFiles = byFile
        options.detection = detection
        if let jobs { options.jobs = jobs }
        let report = Scanner(options: options).run()
        writeOut(
            ScanRenderer(format: format, sort: sort, byFile: byFile, breakdown: breakdown, toolVersion: CensusVersion.string)
                .render(report))
        reportIssues(report)
        if report.hasErrors { throw ExitCode(1) }
    }

    /// Names every error and skipped entry on standard error (the first 50; JSON lists them all),
    /// then one summary line.
    private func reportIssues(_ report: ScanReport) {
        let shown = 50
        for issue in report.issues.prefix(shown) {
            warn("\(issue.kind == .error ? "error" : "skipped"): \(Escaping.display(issue.path)): \(issue.reason)")
        }
        if report.issues.count > shown {
            warn("... and \(report.issues.count - shown) more (--format json lists them all)")
        }
        let errors = report.issues.filter { $0.kind == .error }.count
        let skipped = report.issues.count - errors
        if errors > 0 || skipped > 0 {
            warn("\(errors) error\(errors == 1 ? "" : "s"), \(skipped) skipped entr\(skipped == 1 ? "y" : "ies"); everything else was counted")
        }
    }
}

struct LanguagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "languages",
        abstract: "List every supported language: type, extensions, file names, interpreters, comment syntax.")

    @Option(help: "Output format: table, json, csv or markdown.")
    var format: OutputFormat = .table

    func run() throws {
        writeOut(LanguageListRenderer(format: format).render())
    }
}
