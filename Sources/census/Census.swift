import ArgumentParser
import CCensusBytes
import CodeCensus

#if canImport(Glibc)
import Glibc
#endif

@main
struct Census: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "census",
        abstract: "Count code by language, as GitHub Linguist detects it, fast.",
        discussion: """
            Machine output goes to standard output; progress, warnings and errors to standard \
            error.

            Exit status: 0 when everything was read, 1 when some input could not be read (the \
            results for the rest are still printed), 64 for usage errors.
            """,
        version: VersionText.text,
        subcommands: [
            ScanCommand.self, TopCommand.self, ShareCommand.self, BreakdownCommand.self, ReposCommand.self,
            HistoryCommand.self, ContributorsCommand.self, TimelineCommand.self, CorrelateCommand.self, DepsCommand.self,
            ExplainCommand.self,
            LanguagesCommand.self, GoModCommand.self, GoCommand.self,
            MentionsCommand.self,
            EventsCommand.self,
            ReportCommand.self,
        ])
}

extension Census {
    /// ArgumentParser's entry point, after starting the detection engine's build on another core
    /// when the command is `scan` (the first word after the program's name; not for `--help`):
    /// parsing the command line and building the engine take about as long each, and a small
    /// tree's scan is mostly those two.
    ///
    /// A `scan` command line of paths and common options skips ArgumentParser
    /// (``ScanSettings/init(fastParsing:)``); every other goes through it.
    static func main() {
        MallocTuning.apply()
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.first == "scan" && !arguments.contains(where: { $0 == "--help" || $0 == "-h" || $0 == "help" }) {
            // While the process has one thread (see census_prefault_writable_data).
            census_prefault_writable_data()
            Scanner.prepareDetection()
        }
        if let settings = ScanSettings(fastParsing: arguments) {
            // What CSVOptions.validate does when ArgumentParser parses.
            Escaping.csvFormulas = settings.csvFormulas
            do {
                try settings.run()
            } catch {
                exit(withError: error)
            }
            return
        }
        main(nil)
    }
}

/// glibc's allocator, set for a program that starts several threads at once.
///
/// A thread's first allocation gives it an arena of its own, whose heap glibc then grows one
/// `mprotect` at a time, by exactly what the allocation needs (the top pad applies only to a new
/// heap): a small scan made about 100 such calls, each one a flush of the other processors' TLB
/// while the engine's build and the scan run there. With a 16 MB top pad a new arena starts with
/// room to spare (address space only: pages become memory when written); setting it fixes the
/// threshold for `mmap` at its default of 128 KB, so that is set too (4 MB: read buffers and
/// per-language tables stay in the heap), and the trim threshold (32 MB: freed memory is returned
/// to the system past that). Measured: 104 → 10 `mprotect` calls per prometheus scan, 0.1–0.2 ms
/// (docs/benchmarks.md, "Seventh pass").
enum MallocTuning {
    static func apply() {
        census_tune_malloc()
    }
}

extension OutputFormat: ExpressibleByArgument {}
extension ScanSortKey: ExpressibleByArgument {}
extension ScanOptions.DetectionMode: ExpressibleByArgument {}

/// Writes all of `text` to a file descriptor, retrying on `EINTR` and short writes.
func writeAll(_ fd: Int32, _ text: String) {
    var text = text
    text.withUTF8 { bytes in
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
    }
}

/// Machine output, to standard output.
func writeOut(_ text: String) { writeAll(1, text) }

/// One line to standard error, prefixed with `census: `; control characters, bidi controls and
/// invalid UTF-8 in it (a name from a scanned repository, a manifest, a commit) are shown escaped.
func warn(_ text: String) { StatusLine.write("census: " + Escaping.terminalMessage(text) + "\n") }

/// The process's environment, read once.
enum Environment {
    static func variables() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}
