/// Where a repository (or a problem) was found: a manifest file and a line in it.
public struct CorpusSourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The manifest's path or origin name, as given to the reader.
    public var file: String
    /// The line, counted from 1. For a CSV record spanning lines (a quoted field holding a line
    /// break), the line it starts on; for a landscape item, the line of its first key.
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    /// `file:line`.
    public var description: String { "\(file):\(line)" }
}

/// A problem in one line or item of a manifest, company map: the rest of the file was still read.
///
/// An error means the line gave no repository (or mapping), and says why: an unparsable URL, a
/// CSV record with an unterminated quote, a landscape item whose `repo_url` is not a usable URL. A
/// warning means something was kept but changed: a duplicate repository merged into the first, an
/// `http://` URL read as `https://`.
public struct CorpusDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How serious a diagnostic is.
    public enum Severity: String, Sendable, Hashable {
        /// The line or item was skipped.
        case error
        /// The line or item was kept, changed or merged as the message says.
        case warning
    }

    public var severity: Severity
    public var location: CorpusSourceLocation
    /// What was found and what was expected, in one line.
    public var message: String

    public init(severity: Severity, location: CorpusSourceLocation, message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// `file:line: error: message`, as compilers print it.
    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}
