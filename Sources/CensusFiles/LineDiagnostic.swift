/// A line of an input file: where an entry (or a problem) was found.
public struct SourceLine: Sendable, Hashable, CustomStringConvertible {
    /// The path or origin name the file was read under.
    public var file: String
    /// The line, counted from 1. For a record spanning lines (a CSV field holding a line break, a
    /// landscape item), the line it starts on.
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    /// `file:line`.
    public var description: String { "\(file):\(line)" }
}

/// A problem in one line of an input file (a manifest, a company map, a gitdm file); the rest of
/// the file was still read.
///
/// An error means the line was skipped, and says why (an unparsable URL, a date that does not
/// exist, a developer line without a colon). A warning means something was kept but changed or is
/// worth a look (a duplicate repository merged into the first, an `http://` URL read as
/// `https://`, a domain-map line for a free-mail domain, which is never used).
public struct LineDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How serious a diagnostic is.
    public enum Severity: String, Sendable, Hashable {
        /// The line was skipped.
        case error
        /// The line was kept, changed, merged or ignored on purpose, as the message says.
        case warning
    }

    public var severity: Severity
    public var location: SourceLine
    /// What was found and what was expected, in one line.
    public var message: String

    public init(severity: Severity, location: SourceLine, message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// `file:line: error: message`, as compilers print it.
    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}
