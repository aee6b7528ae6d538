import ArgumentParser
import CodeCensus

/// `census events fetch`: GH Archive hour files into a local cache (docs/events-fetch.md).
struct EventsFetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download GH Archive hour files into a cache, in parallel, with resume.",
        usage: "census events fetch --from <day> --to <day> [<options>]",
        discussion: """
            Fetches every hour (YYYY-MM-DD-H.json.gz) from --from to --to, both days included, \
            into the cache directory. An hour already in the cache is kept when it decompresses to \
            its end; a download is written under a temporary name, checked to be one complete gzip \
            stream, then renamed, so a name in the cache is always a complete file. 404 is a gap \
            (GH Archive has gaps) and is reported; connection failures, stalls, 5xx, 408, 429 and \
            damaged bodies are retried with doubling delays. Exit status 1 when any hour failed. \
            See docs/events-fetch.md.
            """)

    @Option(help: ArgumentHelp("The first day (YYYY-MM-DD, from hour 0) or hour (YYYY-MM-DD-H).", valueName: "day"))
    var from: String

    @Option(help: ArgumentHelp("The last day (YYYY-MM-DD, through hour 23) or hour (YYYY-MM-DD-H).", valueName: "day"))
    var to: String

    @Option(help: ArgumentHelp("Where hour files are fetched from.", valueName: "url"))
    var baseURL: String = EventFetchOptions.defaultBaseURL

    @Option(help: ArgumentHelp("The cache directory (default $XDG_CACHE_HOME/census/gharchive, else ~/.cache/census/gharchive).", valueName: "dir"))
    var cache: String?

    @Option(help: "Downloads at once.")
    var jobs: Int = 4

    @Option(help: "Tries per hour for transient failures.")
    var attempts: Int = 4

    @Option(help: ArgumentHelp("Seconds before the first retry (doubled before each next one).", valueName: "seconds"))
    var retryDelay: Double = 1

    @Option(help: ArgumentHelp("Give a request up after this many seconds without a byte.", valueName: "seconds"))
    var timeout: Double = 60

    @Flag(help: "Trust files already in the cache without decompressing them (census only ever renames verified files there).")
    var trustCache = false

    @Option(help: "Output format: table, json, csv or markdown.")
    var format: OutputFormat = .table

    @OptionGroup var csv: CSVOptions

    func validate() throws {
        guard HourFile.parse(from) != nil else { throw ValidationError("--from '\(from)' is not a day YYYY-MM-DD or an hour YYYY-MM-DD-H") }
        guard HourFile.parse(to) != nil else { throw ValidationError("--to '\(to)' is not a day YYYY-MM-DD or an hour YYYY-MM-DD-H") }
        guard jobs >= 1, jobs <= 64 else { throw ValidationError("--jobs must be between 1 and 64") }
        guard attempts >= 1, attempts <= 20 else { throw ValidationError("--attempts must be between 1 and 20") }
        guard retryDelay >= 0, retryDelay <= 600 else { throw ValidationError("--retry-delay must be between 0 and 600 seconds") }
        guard timeout > 0, timeout <= 3600 else { throw ValidationError("--timeout must be between 0 and 3600 seconds") }
    }

    func run() throws {
        guard let first = HourFile.parse(from), let last = HourFile.parse(to, endOfDay: true) else { throw ExitCode(64) }
        let hours = HourFile.range(from: first, through: last)
        if hours.isEmpty {
            warn("error: --to \(to) is before --from \(from)")
            throw ExitCode(64)
        }
        let directory = try cacheDirectory()
        var options = EventFetchOptions(cacheDirectory: directory)
        options.baseURL = baseURL
        options.jobs = jobs
        options.attempts = attempts
        options.retryDelay = retryDelay
        options.stallTimeout = timeout
        options.verifyCached = !trustCache
        options.userAgent = "census/\(CensusVersion.string)"
        warn("fetching \(hours.count) hour \(hours.count == 1 ? "file" : "files") (\(first) to \(last)) into \(Escaping.display(directory))")
        let report: EventFetchReport
        do {
            report = try EventFetcher(options: options).run(hours: hours) { result in
                if let invalid = result.invalidCachedCopy {
                    warn("\(result.hour.fileName): the cached copy does not verify (\(Escaping.display(invalid)))")
                }
                switch result.outcome {
                case .gap: warn("\(result.hour.fileName): gap (404)")
                case .failed(let reason, _): warn("\(result.hour.fileName): failed: \(Escaping.display(reason))")
                default: break
                }
            }
        } catch {
            warn("error: \(error)")
            throw ExitCode(1)
        }
        writeOut(render(report, directory: directory))
        if !report.failed.isEmpty {
            warn("\(report.failed.count) of \(hours.count) hour \(hours.count == 1 ? "file" : "files") failed; run again to retry them")
            throw ExitCode(1)
        }
    }

    func cacheDirectory() throws -> String {
        if let cache { return cache }
        let environment = Environment.variables()
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/census/gharchive" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.cache/census/gharchive" }
        warn("error: no place for the cache: give --cache, or set XDG_CACHE_HOME or HOME")
        throw ExitCode(1)
    }

    func render(_ report: EventFetchReport, directory: String) -> String {
        let fetched = report.fetched.count
        let cached = report.cached.count
        let cachedBytes = report.cached.reduce(Int64(0)) { total, r in
            if case .cached(let bytes) = r.outcome { return total + bytes }
            return total
        }
        switch format {
        case .json:
            // One object, as every census JSON answer (docs/json-format.md, "events fetch").
            var out = "{\n  \"schema_version\": \(ScanRenderer.schemaVersion),\n"
            out += "  \"tool\": {\"name\": \"census\", \"version\": \(Escaping.jsonString(CensusVersion.string))},\n"
            out += "  \"query\": {\"command\": \"events fetch\", \"from\": \(Escaping.jsonString(from)), \"to\": \(Escaping.jsonString(to)), "
            out += "\"base_url\": \(Escaping.jsonString(baseURL)), \"cache\": \(Escaping.jsonString(directory))},\n"
            out += "  \"hours\": \(report.results.count),\n  \"fetched\": \(fetched),\n  \"bytes_fetched\": \(report.bytesFetched),\n"
            out += "  \"cached\": \(cached),\n  \"cached_bytes\": \(cachedBytes),\n"
            out += "  \"gaps\": [" + report.gaps.map { Escaping.jsonString($0.hour.description) }.joined(separator: ", ") + "],\n"
            let failures = report.failed.map { r -> String in
                guard case .failed(let reason, let tries) = r.outcome else { return "" }
                return "{\"hour\": \(Escaping.jsonString(r.hour.description)), \"file\": \(Escaping.jsonString(r.hour.fileName)), "
                    + "\"reason\": \(Escaping.jsonString(reason)), \"requests\": \(tries)}"
            }
            out += "  \"failed\": [" + (failures.isEmpty ? "" : "\n    " + failures.joined(separator: ",\n    ") + "\n  ") + "],\n"
            let replaced = report.results.compactMap { r in
                r.invalidCachedCopy.map { "{\"hour\": \(Escaping.jsonString(r.hour.description)), \"reason\": \(Escaping.jsonString($0))}" }
            }
            out += "  \"invalid_cached\": [" + replaced.joined(separator: ", ") + "]\n}\n"
            return out
        case .table, .csv, .markdown:
            func cell(_ text: String) -> String {
                switch format {
                case .csv: Escaping.csvField(text)
                case .markdown: Escaping.markdownCell(text)
                default: Escaping.display(text)
                }
            }
            var table = TextTable(headers: ["Outcome", "Hours", "Bytes", "Detail"], numeric: [false, true, true, false])
            table.rows.append(["fetched", "\(fetched)", "\(report.bytesFetched)", ""])
            table.rows.append(["already cached", "\(cached)", "\(cachedBytes)", ""])
            table.rows.append(["gap (404)", "\(report.gaps.count)", "", cell(report.gaps.map(\.hour.description).joined(separator: " "))])
            table.rows.append(["failed", "\(report.failed.count)", "", ""])
            for r in report.failed {
                guard case .failed(let reason, _) = r.outcome else { continue }
                table.rows.append(["failed " + r.hour.description, "1", "", cell(reason)])
            }
            switch format {
            case .csv: return table.renderCSV()
            case .markdown: return table.renderMarkdown()
            default: return table.renderText()
            }
        }
    }
}
