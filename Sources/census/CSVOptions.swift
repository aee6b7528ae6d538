import ArgumentParser
import CodeCensus

extension Escaping.CSVFormulaPolicy: ExpressibleByArgument {}

/// `--csv-formulas`: what CSV output does with cells that spreadsheets would run as formulas.
struct CSVOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "CSV cells starting with =, +, -, @, tab or CR: 'escape' prefixes them with ' so spreadsheets show them as text (default); 'raw' keeps them exact.",
            valueName: "escape|raw"))
    var csvFormulas: Escaping.CSVFormulaPolicy = .escape

    func validate() throws {
        Escaping.csvFormulas = csvFormulas
    }
}
