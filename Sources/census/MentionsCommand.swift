import ArgumentParser
import CodeCensus

extension MentionPeriod: ExpressibleByArgument {}

/// `census mentions`: how many dated documents name each pattern, per period (docs/mentions.md).
struct MentionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mentions",
        abstract: "Count, per month or year, the documents (and matches) in which each named pattern occurs.",
        discussion: """
            Reads text, Markdown, HTML (tags stripped, script and style dropped, entities decoded) \
            and PDF (through pdftotext) in UTF-8, UTF-8 with BOM, UTF-16 with BOM or GB18030/GBK, \
            detected per file. Patterns are Ruby-syntax regular expressions on UTF-8 text; \\w, \\d, \
            \\s and \\b are ASCII, so \\bGo\\b matches in "用Go开发" but not in "Google"; (?i) ignores \
            ASCII case. Each document is dated by the first of --date's methods that gives a date; \
            the output says which dated each period's documents. Files without a date, unreadable, \
            binary or undecodable are named on standard error and counted in the summary, and the \
            exit status is 1; the rest is counted. See docs/mentions.md.
            """)

    @Argument(help: "Documents and directories (walked for .txt .md .markdown .html .htm .pdf; hidden names skipped).")
    var inputs: [String]

    @Option(name: .customLong("pattern"), help: ArgumentHelp("NAME=REGEX (repeatable), e.g. go='\\bGo\\b|Golang|Go语言'.", valueName: "name=regex"))
    var patterns: [String] = []

    @Option(help: ArgumentHelp("How documents are dated: front-matter, filename or mtime, or several in order of preference, comma-separated.", valueName: "methods"))
    var date: String = "front-matter"

    @Option(help: ArgumentHelp("With --date filename: a regex with named groups (?<year>…) (?<month>…) and optionally (?<day>…), searched in the path below the directory given.", valueName: "regex"))
    var datePattern: String?

    @Option(help: "Group by month or year.")
    var by: MentionPeriod = .month

    @Flag(help: "Also list every counted document: format, encoding, date and its source, matches per pattern.")
    var byFile = false

    @Option(help: ArgumentHelp("Keep the series in the store under this name (replacing one of that name).", valueName: "series"))
    var store: String?

    @Option(help: ArgumentHelp("With --store: the results database (default $CENSUS_DB, else $XDG_DATA_HOME/census/census.db) or clickhouse://user@host:8123/database.", valueName: "db"))
    var db: String?

    @Option(help: ArgumentHelp("With a ClickHouse --db: the cluster the tables are spread over.", valueName: "name"))
    var cluster: String?

    @Option(help: "Output format: table, json, csv or markdown.")
    var format: OutputFormat = .table

    @OptionGroup var csv: CSVOptions

    @Option(help: "Files read at once (default: the number of cores).")
    var jobs: Int?

    @Option(help: ArgumentHelp("Seconds pdftotext may take per file.", valueName: "seconds"))
    var pdfTimeout: Double = 60

    @Option(help: ArgumentHelp("Skip files larger than this many bytes.", valueName: "bytes"))
    var maxSize: Int = 64 << 20

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("name at least one document or directory") }
        if patterns.isEmpty { throw ValidationError("give at least one --pattern NAME=REGEX") }
        if let jobs, jobs < 1 || jobs > 256 { throw ValidationError("--jobs must be between 1 and 256") }
        if pdfTimeout <= 0 { throw ValidationError("--pdf-timeout must be positive") }
        if maxSize < 1 { throw ValidationError("--max-size must be positive") }
        if let store, store.isEmpty { throw ValidationError("--store needs a series name") }
    }

    func run() throws {
        var compiled: [MentionPattern] = []
        for argument in patterns {
            do {
                let pattern = try MentionPattern(argument: argument)
                if compiled.contains(where: { $0.name == pattern.name }) {
                    warn("error: --pattern \(Escaping.display(pattern.name)) is given twice")
                    throw ExitCode(64)
                }
                compiled.append(pattern)
            } catch let error as MentionError {
                warn("error: \(Escaping.display(error.description))")
                throw ExitCode(64)
            }
        }
        var methods: [DateMethod] = []
        for word in date.split(separator: ",") {
            guard let method = DateMethod(rawValue: word.trimmingCharacters(in: .whitespaces)) else {
                warn("error: --date '\(Escaping.display(String(word)))' is not front-matter, filename or mtime")
                throw ExitCode(64)
            }
            if !methods.contains(method) { methods.append(method) }
        }
        if methods.isEmpty {
            warn("error: --date names no method")
            throw ExitCode(64)
        }
        var options = MentionOptions(patterns: compiled)
        options.dateMethods = methods
        options.period = by
        options.pdf = PDFTextExtractor(timeout: pdfTimeout)
        options.maxFileSize = maxSize
        if let jobs { options.jobs = jobs }
        if methods.contains(.filename) || datePattern != nil {
            do {
                options.datePattern = try DatePattern(datePattern ?? DatePattern.defaultPattern)
            } catch {
                warn("error: \(Escaping.display(error.description))")
                throw ExitCode(64)
            }
        }
        if options.pdf.executable == nil {
            warn("note: pdftotext is not installed (apt-get install poppler-utils): PDF files will be named and not counted")
        }

        // Open the store first: a bad --db ends the run before the documents are read.
        var database: (any MentionSeriesStore)?
        if store != nil {
            let path = try databasePath(db)
            do {
                let opened = try openStore(StoreLocation.parse(path, environment: Environment.variables()), cluster: cluster)
                guard let series = opened as? any MentionSeriesStore else {
                    warn("error: \(opened.displayLocation) cannot hold mention series")
                    throw ExitCode(1)
                }
                database = series
            } catch let exit as ExitCode {
                throw exit
            } catch {
                warn("error: \(error)")
                throw ExitCode(1)
            }
        }

        let report = MentionCounter(options: options).run(inputs: inputs)
        for problem in report.problems {
            warn("\(Escaping.display(problem.path)): not counted: \(Escaping.display(problem.reason))")
        }
        let renderer = MentionRenderer(format: format, toolVersion: CensusVersion.string, byFile: byFile)
        writeOut(renderer.render(report))
        for line in renderer.summaryLines(report) { warn(line) }
        var failed = !report.problems.isEmpty
        if let store, let database {
            do {
                try MentionStorage.save(report, as: store, in: database)
                try database.close()
                warn("stored series '\(Escaping.display(store))' (\(MentionStorage.points(report).count) points) in \(Escaping.display(database.displayLocation))")
            } catch {
                warn("error: \(error)")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}
