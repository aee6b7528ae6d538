import ArgumentParser
import CodeCensus
import Synchronization

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Count files, lines of code, comments and blanks, and bytes per language.",
        discussion: """
            A PATH inside a git repository (a working tree or a bare repository) is scanned at a \
            revision (--rev, default HEAD) straight from git's object store, as GitHub does: the \
            committed files, not the working tree (--worktree walks the files on disk instead).

            A URL (https://…, git@host:owner/name, ssh://…, file://…) is cloned into the cache \
            ($XDG_CACHE_HOME/census/repos, bare, shallow for HEAD) and updated on later runs.

            Other directories are walked in parallel, honouring .ignore files, and .gitignore \
            files inside git repositories; hidden entries are skipped and symbolic links are not \
            followed unless asked.

            With several targets, each is scanned on its own (--jobs at a time) and a table per \
            repository precedes the languages of all of them; repositories that failed are listed \
            at the end.

            Binary files (a NUL byte in the first 8,000 bytes) are counted apart, not as lines. \
            Languages are detected as GitHub Linguist does; vendored, generated and documentation \
            files (Linguist's rules and .gitattributes) are counted apart from the repository's \
            own code.

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

    @OptionGroup var csv: CSVOptions

    @Flag(help: "List every file with its language and counts.")
    var byFile = false

    @Flag(help: "Under each language, show the languages its files embed (HTML's <script> and <style>, PHP's HTML…).")
    var embedded = false

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

    @Option(help: ArgumentHelp("The results database: a SQLite file (default $CENSUS_DB, else $XDG_DATA_HOME/census/census.db) or clickhouse://user@host:8123/database.", valueName: "db"))
    var db: String?

    @Flag(help: "Only print: store nothing.")
    var noDb = false

    @Option(help: ArgumentHelp("With a ClickHouse --db: tables on every shard of this cluster, and a Distributed table over them.", valueName: "name"))
    var cluster: String?

    @Flag(name: .customLong("files"), help: "Store every counted file too, not only the totals per language.")
    var storeFiles = false

    @Flag(help: "Rescan repositories whose commit is already stored (with several targets they are skipped).")
    var force = false

    @Flag(help: "Also store the Go packages (imports, exports, references) for census go … --db (docs/go-source.md).")
    var goSource = false

    @Option(help: "Repositories scanned at once (default 1; a single target uses every thread).")
    var jobs: Int?

    @Option(help: "File worker threads per repository (default: the processors divided among --jobs).")
    var threads: Int?

    @OptionGroup var output: ProgressOptions

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if worktree && rev != nil { throw ValidationError("--worktree and --rev exclude each other") }
    }

    /// The values parsed, as plain data (what `run` and the fast path share).
    var settings: ScanSettings {
        ScanSettings(
            paths: paths, rev: rev, worktree: worktree, offline: offline, cacheDir: cacheDir, manifests: manifests,
            orgMap: orgMap, shard: shard, format: format, csvFormulas: csv.csvFormulas, byFile: byFile,
            embedded: embedded, breakdown: breakdown, detection: detection, sort: sort, excludes: excludes,
            noIgnore: noIgnore, noRequireGit: noRequireGit, hidden: hidden, followSymlinks: followSymlinks, db: db,
            noDb: noDb, cluster: cluster, storeFiles: storeFiles, force: force, goSource: goSource, jobs: jobs,
            threads: threads, output: output.settings)
    }

    func run() throws { try settings.run() }
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
