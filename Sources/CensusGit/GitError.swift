/// A git operation that failed: which repository, which git command, how it ended, and git's own words.
///
/// One struct for every failure, told apart by ``code`` (the `ExitCode`/`ValidationError` habit:
/// small public structs, not one giant enum). ``description`` reads as a few lines:
///
/// ```
/// unknown revision 'nosuch': name a branch, tag or commit of the repository (/tmp/repo)
///   command: git rev-parse --verify nosuch^{commit}
///   exit status: 128
///   git: fatal: Needed a single revision
/// ```
public struct GitError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// No usable `git` executable was found, or it could not be started.
        public static let gitUnavailable = Code("git unavailable")
        /// A git command exited with a failure status not covered by a more specific code.
        public static let commandFailed = Code("command failed")
        /// The path is not the top of a git repository (or git refused it).
        public static let notARepository = Code("not a repository")
        /// The repository has no commits.
        public static let emptyRepository = Code("empty repository")
        /// The revision does not name a commit in the repository.
        public static let unknownRevision = Code("unknown revision")
        /// An object is absent (a partial clone's blob, a damaged repository).
        public static let missingObject = Code("missing object")
        /// An object is present but could not be read (corrupt object or pack).
        public static let unreadableObject = Code("unreadable object")
        /// git's output did not have the expected shape.
        public static let protocolError = Code("unexpected git output")
        /// A git process ran past its time limit and was killed.
        public static let timedOut = Code("timed out")
        /// A remote URL census cannot use.
        public static let invalidURL = Code("invalid URL")
        /// Cloning or fetching from a remote failed.
        public static let fetchFailed = Code("fetch failed")
        /// Offline mode, and the repository is not in the clone cache.
        public static let notCached = Code("not cached")
        /// Offline mode, full history was asked for, and the cached clone is shallow.
        public static let shallowCache = Code("cached clone is shallow")
        /// The clone cache's directories could not be created or changed.
        public static let cacheFailure = Code("cache failure")
    }

    public var code: Code
    /// The repository as the user named it: a path, or a URL (with any password removed).
    public var repository: String
    /// The git command, from its subcommand on (`["ls-tree", "-r", …]`); the hardening options that
    /// precede every command are left out. Empty when no command was involved.
    public var command: [String]
    /// How the git process ended, when one ran to its end.
    public var exitStatus: GitExitStatus?
    /// What git wrote on standard error (or the relevant output line), trimmed.
    public var gitMessage: String
    /// What went wrong and what to do, in census's words.
    public var message: String
    /// Where in census the error was raised.
    public var file: String
    public var line: Int

    public init(
        _ code: Code, repository: String, command: [String] = [], exitStatus: GitExitStatus? = nil,
        gitMessage: String = "", message: String, file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.repository = repository
        self.command = command
        self.exitStatus = exitStatus
        self.gitMessage = gitMessage
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String {
        var text = "\(message) (\(repository))"
        if !command.isEmpty { text += "\n  command: git " + command.map(Self.quoted).joined(separator: " ") }
        if let exitStatus { text += "\n  exit status: \(exitStatus)" }
        if !gitMessage.isEmpty {
            text +=
                "\n  git: "
                + gitMessage.split(separator: "\n", omittingEmptySubsequences: false)
                .joined(separator: "\n       ")
        }
        return text
    }

    /// A command argument as a shell would need it, so the command line can be copied and rerun.
    static func quoted(_ argument: String) -> String {
        let plain =
            !argument.isEmpty
            && argument.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"):
                    return true
                default:
                    return "-_./=:,+@%^{}~".utf8.contains(byte)
                }
            }
        if plain { return argument }
        var text = "'"
        for character in argument {
            text += character == "'" ? "'\\''" : String(character)
        }
        return text + "'"
    }
}

/// How a git process ended.
public enum GitExitStatus: Sendable, Equatable, CustomStringConvertible {
    /// It exited with this status.
    case exited(Int32)
    /// A signal ended it (census kills git with `SIGKILL` when it runs past its time limit).
    case signalled(Int32)

    public var description: String {
        switch self {
        case .exited(let code): return "\(code)"
        case .signalled(let signal): return "killed by signal \(signal)"
        }
    }
}
