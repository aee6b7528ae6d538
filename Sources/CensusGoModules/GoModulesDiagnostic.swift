/// A line and a column in a parsed file, both counted from 1.
///
/// The column counts Unicode scalars from the start of the line, each byte of invalid UTF-8 counting
/// as one, which is how the Go toolchain counts the columns it prints.
public struct GoSourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }

    public static func < (a: GoSourceLocation, b: GoSourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// A problem found in a go.mod, go.work, go.sum or vendor/modules.txt file.
///
/// It names the file, the line and column, and what was found and what was expected. An error is
/// something the Go toolchain would refuse (`go mod edit -json` fails on the file); the parser reports
/// it and goes on with the rest of the file, so one bad line costs only that line. A warning is
/// something the toolchain accepts but that changes or drops what the file says (a duplicate that is
/// ignored, an entry with an empty path).
public struct GoModulesDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// How serious a diagnostic is.
    public enum Severity: String, Sendable, Hashable {
        /// The Go toolchain rejects the file because of this.
        case error
        /// The Go toolchain accepts the file, but this changes or drops something it says.
        case warning
    }

    public var severity: Severity
    /// The file name given to the parser.
    public var file: String
    public var location: GoSourceLocation
    /// What was found and what was expected, in one line.
    public var message: String

    public init(severity: Severity, file: String, location: GoSourceLocation, message: String) {
        self.severity = severity
        self.file = file
        self.location = location
        self.message = message
    }

    /// `file:line:column: error: message`, as compilers print it.
    public var description: String {
        "\(file):\(location.line):\(location.column): \(severity.rawValue): \(message)"
    }
}

/// The diagnostics of one parse: kept in order up to a limit, so that a file of junk cannot grow
/// them without bound; the rest are counted.
struct DiagnosticLog {
    /// At most this many diagnostics are kept per file.
    static let limit = 200

    let fileName: String
    private(set) var kept: [GoModulesDiagnostic] = []
    private(set) var suppressed = 0
    private(set) var errorCount = 0

    init(fileName: String) {
        self.fileName = fileName
    }

    /// The kept diagnostics ordered by line and column (stable), as a reader of the file expects them.
    var sortedByLocation: [GoModulesDiagnostic] {
        kept.enumerated().sorted { ($0.element.location, $0.offset) < ($1.element.location, $1.offset) }.map(\.element)
    }

    mutating func report(_ severity: GoModulesDiagnostic.Severity, at location: GoSourceLocation, _ message: @autoclosure () -> String) {
        if severity == .error { errorCount += 1 }
        guard kept.count < Self.limit else {
            suppressed += 1
            return
        }
        kept.append(GoModulesDiagnostic(severity: severity, file: fileName, location: location, message: message()))
    }
}
