/// A manifest, company map or shard that cannot be used at all.
///
/// Bad lines inside a readable file are not errors but ``CorpusDiagnostic``s: the rest of the file
/// is still read. An error is for what leaves nothing to read: a file that cannot be opened, a CSV
/// without a `repo` column, YAML that does not parse, a shard that does not exist. One struct for
/// all of them, told apart by ``code`` (the `ExitCode`/`ValidationError` habit, as ``GitError``).
///
/// ```
/// repos.csv:1: no 'repo' column in the header (found: url, org); name the column of repository URLs 'repo'
/// ```
public struct CorpusError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The file could not be opened or read.
        public static let unreadableFile = Code("unreadable file")
        /// A CSV or TSV manifest has no `repo` column.
        public static let missingColumn = Code("missing column")
        /// A landscape file is not well-formed YAML.
        public static let invalidYAML = Code("invalid YAML")
        /// A YAML file without the landscape's `landscape:` list of categories.
        public static let notALandscape = Code("not a landscape")
        /// A shard specification other than `I/N` with `1 ≤ I ≤ N`.
        public static let invalidShard = Code("invalid shard")
    }

    public var code: Code
    /// The file (path or origin name as given), or the text that could not be used.
    public var input: String
    /// The line in ``input`` the problem was found on, counted from 1, when there is one.
    public var line: Int?
    /// What is wrong and what to do.
    public var message: String

    public init(_ code: Code, input: String, line: Int? = nil, message: String) {
        self.code = code
        self.input = input
        self.line = line
        self.message = message
    }

    /// `input:line: message`, or `input: message` without a line.
    public var description: String {
        if let line { return "\(input):\(line): \(message)" }
        return "\(input): \(message)"
    }
}
