import ArgumentParser
import CodeCensus

struct GoModCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gomod",
        abstract: "Print a go.mod file as JSON, exactly as `go mod edit -json` prints it.",
        discussion: """
            Parses FILE without the Go toolchain and prints the JSON `go mod edit -json` prints for \
            it. Errors (what the toolchain would reject) and warnings go to standard error as \
            file:line:column; the rest of the file is still read and printed, and the exit status \
            is then 1. JSON shape and decisions: docs/gomod.md.
            """)

    @Argument(help: ArgumentHelp("The go.mod file (several with --repeat).", valueName: "FILE"))
    var files: [String]

    /// `--repeat N`: parse the files N times and report the rate (see `benchmark`).
    @Option(name: .customLong("repeat"), help: .hidden)
    var rounds: Int?

    func validate() throws {
        if files.isEmpty { throw ValidationError("missing FILE") }
        if let rounds {
            if rounds < 1 { throw ValidationError("--repeat must be at least 1") }
        } else if files.count > 1 {
            throw ValidationError("give one FILE (several only with --repeat)")
        }
    }

    func run() throws {
        if let rounds { return try benchmark(rounds) }
        let path = files[0]
        let bytes: [UInt8]
        do {
            bytes = try GoModulesFileReader.read(path)
        } catch {
            warn("error: \(error)")
            throw ExitCode(1)
        }
        let file = GoModFile(parsing: bytes, fileName: path)
        writeOut(file.goModEditJSON())
        for diagnostic in file.diagnostics { warn(diagnostic.description) }
        if file.suppressedDiagnosticCount > 0 {
            warn("\(path): ... and \(file.suppressedDiagnosticCount) more diagnostics")
        }
        if file.hasErrors { throw ExitCode(1) }
    }

    /// `--repeat N FILE...` (hidden, for bench/gomod-bench.sh): reads the files once, parses them
    /// all N times on this thread, and prints files/s and MB/s to standard error.
    private func benchmark(_ rounds: Int) throws {
        var inputs: [[UInt8]] = []
        for path in files {
            do {
                inputs.append(try GoModulesFileReader.read(path))
            } catch {
                warn("error: \(error)")
                throw ExitCode(1)
            }
        }
        let totalBytes = inputs.reduce(0) { $0 + $1.count }
        var requirements = 0
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<rounds {
            for input in inputs {
                requirements &+= GoModFile(parsing: input).requirements.count
            }
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let parsed = Double(inputs.count * rounds)
        warn(
            "parsed \(inputs.count) files (\(totalBytes) bytes) \(rounds) times in \(format(seconds)) s: "
                + "\(format(parsed / seconds)) files/s, \(format(Double(totalBytes) * Double(rounds) / seconds / 1e6)) MB/s "
                + "(\(requirements / rounds) requirements per round)")
    }

    private func format(_ x: Double) -> String {
        let rounded = (x * 100).rounded() / 100
        return "\(rounded)"
    }
}
