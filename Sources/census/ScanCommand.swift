import ArgumentParser
import CodeCensus

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Count files, lines of code, comments and blanks, and bytes per language.",
        discussion: """
            A PATH inside a git repository (a working tree or a bare repository) is scanned at a
            revision (--rev, default HEAD) straight from git's object store, as GitHub does: the
            committed files, not the working tree (--worktree walks the files on disk instead).
            A URL (https://…, git@host:owner/name, ssh://…, file://…) is cloned into the cache
            ($XDG_CACHE_HOME/census/repos, bare, shallow for HEAD) and updated on later runs.
            Other directories are walked in parallel, honouring .ignore files, and .gitignore
            files inside git repositories; skipping hidden entries and not following symbolic
            links unless asked. With several targets, each is scanned on its own (--jobs at a
            time) and a table per repository precedes the languages of all of them.
            Binary files (a NUL byte in the first 8,000 bytes) are counted apart, not as lines.
            Languages are detected as GitHub Linguist does; vendored, generated and documentation
            files (Linguist's rules and .gitattributes) are counted apart from the repository's own
            code.
            Counting rules: docs/counting.md. JSON schema: docs/json-format.md.
            """)

    @Argument(help: "Files, directories, repositories and repository URLs to scan.")
    var paths: [String] = []

    @Option(help: ArgumentHelp("The revision to scan in git repositories (default HEAD).", valueName: "rev"))
    var rev: String?

    @Flag(help: "Walk a repository's working tree on disk instead of reading its committed tree.")
    var worktree = false

    @Flag(help: "Use only the clone cache: never fetch or clone.")
    var offline = false

    @Option(help: ArgumentHelp("The clone cache (default $XDG_CACHE_HOME/census/repos).", valueName: "dir"))
    var cacheDir: String?

    @Option(
        name: .customLong("manifest"),
        help: ArgumentHelp(
            "Repositories to scan: a list (one URL or path per line), CSV/TSV (repo, org, company, cohorts) or a CNCF landscape.yml / processed_landscape.yml (repeatable).",
            valueName: "file"))
    var manifests: [String] = []

    @Option(help: ArgumentHelp("An org,company CSV: the company of every repository of an org.", valueName: "file"))
    var orgMap: String?

    @Option(help: ArgumentHelp("Scan only shard I of N of the targets (by a stable hash of each repository URL), e.g. 2/4.", valueName: "I/N"))
    var shard: String?

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

    @Option(help: "Repositories scanned at once (default 1; a single target uses every thread).")
    var jobs: Int?

    @Option(help: "File worker threads per repository (default: the processors divided among --jobs).")
    var threads: Int?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if worktree && rev != nil { throw ValidationError("--worktree and --rev exclude each other") }
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
        var specs = (paths.isEmpty && manifests.isEmpty ? ["."] : paths).map { ScanTargetSpec(location: $0) }
        var manifestErrors = 0
        if !manifests.isEmpty || orgMap != nil || shard != nil {
            var combined = CorpusManifest(entries: [])
            do {
                if !paths.isEmpty {
                    combined = try CorpusManifest.parse(
                        bytes: Array(paths.joined(separator: "\n").utf8), origin: "command line", format: .plain)
                }
                for path in manifests { combined = CorpusManifest.combining([combined, try CorpusManifest.load(path: path)]) }
                if let orgMap {
                    let map = try CompanyMap.load(path: orgMap)
                    for d in map.diagnostics { warn("\(d)") }
                    _ = combined.overrideCompanies(with: map)
                }
                if let shard { combined = combined.sharded(try CorpusShard(parsing: shard)) }
            } catch {
                warn("error: \(error)")
                throw ExitCode(1)
            }
            for d in combined.diagnostics {
                warn("\(d)")
                if d.severity == .error { manifestErrors += 1 }
            }
            specs = combined.entries.map {
                ScanTargetSpec(location: $0.location, org: $0.org, company: $0.company, cohorts: $0.cohorts)
            }
        }
        // One target: every thread on its files (--jobs keeps its old meaning there). Several:
        // --jobs repositories at once, the processors shared among them.
        let repositoryJobs = specs.count == 1 ? 1 : (jobs ?? 1)
        options.jobs = threads ?? (specs.count == 1 ? (jobs ?? ScanOptions.onlineProcessors) : max(1, ScanOptions.onlineProcessors / repositoryJobs))
        let cache: GitCache? = try? GitCache(root: cacheDir, offline: offline)
        let scanner = RepositoryScanner(options: options, revision: rev, worktree: worktree, cache: cache)
        let renderer = ScanRenderer(format: format, sort: sort, byFile: byFile, breakdown: breakdown, toolVersion: CensusVersion.string)
        if specs.count == 1 && manifests.isEmpty {
            switch scanner.scan(specs[0]) {
            case .success(let report):
                writeOut(renderer.render(report))
                reportIssues(report)
                if report.hasErrors { throw ExitCode(1) }
            case .failure(let failure):
                warn("error: \(failure)")
                throw ExitCode(1)
            }
            return
        }
        let results = scanner.scanAll(specs, jobs: repositoryJobs)
        var reports: [ScanReport] = []
        var failures: [CorpusFailureRow] = []
        for result in results {
            switch result {
            case .success(let report): reports.append(report)
            case .failure(let failure):
                failures.append(CorpusFailureRow(location: GitRemoteURL.redacted(failure.spec.location), message: failure.message))
            }
        }
        writeOut(CorpusRenderer(scan: renderer).render(reports, failures: failures))
        let combined = ScanReport.combining(reports)
        reportIssues(combined)
        for failure in failures { warn("error: \(Escaping.display(failure.location)): \(failure.message)") }
        warn("\(reports.count) of \(specs.count) repositor\(specs.count == 1 ? "y" : "ies") scanned, \(failures.count) failed")
        if combined.hasErrors || !failures.isEmpty || manifestErrors > 0 { throw ExitCode(1) }
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
