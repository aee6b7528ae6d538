import ArgumentParser
import CodeCensus

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Say, for each file, how its language was decided and whether GitHub's language bar counts it.",
        usage: "census explain <paths> ... [<options>]",
        discussion: """
            For every file given (or below every directory given): the language, the strategy \
            that decided it and the candidates it chose among, whether it is vendored, \
            documentation or generated and by which rule (a Linguist pattern, or the \
            .gitattributes file and line), and whether its bytes count toward the breakdown.

            Paths inside a git repository are judged from the repository's top, as GitHub does.
            """)

    @Argument(help: "Files and directories to explain.")
    var paths: [String]

    @Option(help: "Output format: table, json, csv or markdown.")
    var format: OutputFormat = .table

    @OptionGroup var csv: CSVOptions

    @Flag(help: "Include hidden files and directories below directories given.")
    var hidden = false

    func run() throws {
        var options = ScanOptions(roots: paths)
        options.collectFiles = true
        options.includeHidden = hidden
        let report = Scanner(options: options).run()
        writeOut(ExplainRenderer(format: format).render(report))
        for issue in report.issues.prefix(50) {
            warn("\(issue.kind == .error ? "error" : "skipped"): \(Escaping.display(issue.path)): \(issue.reason)")
        }
        if report.hasErrors { throw ExitCode(1) }
    }
}
