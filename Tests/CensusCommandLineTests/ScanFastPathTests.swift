import ArgumentParser
import CodeCensus
import Testing

@testable import census

/// `census scan`'s fast path (ScanFastPath.swift) must read every command line it accepts exactly
/// as ArgumentParser does, and leave every other to ArgumentParser.
@Suite struct ScanFastPathTests {
    /// What ArgumentParser makes of `scan ARGS` (without the program's name and `scan`).
    private func parsed(_ arguments: [String]) throws -> ScanSettings {
        try ScanCommand.parse(Array(arguments.dropFirst())).settings
    }

    @Test func theDefaultsAreScanCommandsDefaults() throws {
        let fast = try #require(ScanSettings(fastParsing: ["scan"]))
        #expect(fast == (try parsed(["scan"])))
        // And what the help promises, stated here independently.
        #expect(fast.paths.isEmpty && fast.rev == nil && fast.format == .table && fast.sort == .code)
        #expect(fast.detection == .linguist && fast.csvFormulas == .escape && fast.output == ProgressSettings())
        #expect(!fast.noDb && !fast.worktree && !fast.byFile && fast.jobs == nil && fast.threads == nil)
    }

    @Test(arguments: [
        ["scan", "."],
        ["scan", "/usr/share/gocode/src/github.com/prometheus", "--no-db"],
        ["scan", "a", "b c", "--format", "json", "d"],
        ["scan", "--format=csv", "--quiet", "x"],
        ["scan", "repo.git", "--rev", "v1.2.3", "--db", "/tmp/c.db", "--files", "--force"],
        ["scan", "--rev=HEAD~3", "--sort", "name", "--detection", "names", "--by-file", "--embedded", "--breakdown"],
        ["scan", "--worktree", "--hidden", "--follow-symlinks", "--no-ignore", "--no-require-git", "."],
        ["scan", "--exclude", "vendor/**", "--exclude=*.pb.go", "--manifest", "m.txt", "--manifest=l.yml"],
        ["scan", "--cache-dir", "/tmp/cache", "--offline", "--org-map", "orgs.csv", "--shard", "2/4"],
        ["scan", "--db", "clickhouse://default@127.0.0.1:8123/census", "--cluster", "c2", "--go-source"],
        ["scan", "--progress", "never", "--format", "markdown", "--csv-formulas", "escape", "."],
        ["scan", "--progress=always", "--format", "table"],
    ])
    func acceptedCommandLinesParseAsArgumentParserParsesThem(_ arguments: [String]) throws {
        let fast = try #require(ScanSettings(fastParsing: arguments))
        #expect(fast == (try parsed(arguments)))
    }

    @Test func someValuesAreReadAsGiven() throws {
        let fast = try #require(ScanSettings(fastParsing: ["scan", "a", "--rev", "v1", "--exclude", "x", "b", "--exclude=y", "--quiet"]))
        #expect(fast.paths == ["a", "b"])
        #expect(fast.rev == "v1")
        #expect(fast.excludes == ["x", "y"])
        #expect(fast.output.quiet)
    }

    @Test(arguments: [
        [], ["top"], ["scanner", "."], ["scan", "--help"], ["scan", "-h"], ["scan", "help"], ["scan", "--version"],
        ["scan", "--generate-completion-script", "bash"], ["scan", "--jobs", "2"], ["scan", "--threads=4"],
        ["scan", "--quiet", "--quiet"], ["scan", "--rev", "a", "--rev", "b"], ["scan", "--rev"], ["scan", "--rev", "-x"],
        ["scan", "--rev="], ["scan", "--format", "yaml"], ["scan", "--sort", "size"], ["scan", "--progress", "sometimes"],
        ["scan", "--worktree", "--rev", "HEAD"], ["scan", "--", "-x"], ["scan", "--no-db=true"], ["scan", "-"],
        ["scan", "--unknown"], ["scan", "--format"],
    ])
    func everythingElseIsLeftToArgumentParser(_ arguments: [String]) {
        #expect(ScanSettings(fastParsing: arguments) == nil)
    }

    /// Every long option `scan --help` lists: given a value (or none), the fast path either
    /// declines or agrees with ArgumentParser, so an option added to ScanCommand later can never
    /// be read differently here.
    @Test func everyOptionOfScanEitherAgreesOrIsDeclined() throws {
        let help = ScanCommand.helpMessage(columns: 200)
        var names = Set<String>()
        var rest = help[...]
        while let start = rest.range(of: "--") {
            let tail = rest[start.upperBound...]
            let name = tail.prefix { $0.isLetter || $0.isNumber || $0 == "-" }
            if !name.isEmpty { names.insert("--" + name) }
            rest = tail
        }
        #expect(names.count >= 30, "options found in the help: \(names.sorted())")
        var accepted = 0
        for name in names.sorted() {
            for value in [nil, "json", "HEAD", "2/4", "3", "never", "names"] as [String?] {
                let arguments = ["scan", "p", name] + (value.map { [$0] } ?? [])
                guard let fast = ScanSettings(fastParsing: arguments) else { continue }
                accepted += 1
                #expect(fast == (try parsed(arguments)), "\(arguments)")
            }
        }
        #expect(accepted > 30)
    }
}
