/// A store operation that failed: which database, which repository if one was being saved, what went
/// wrong and what to do, and SQLite's own words.
///
/// ```
/// the database was written by census schema version 3, newer than version 1 that this census knows:
/// use a newer census, or another database (/data/census.sqlite)
/// ```
public struct CensusStoreError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The database's directory could not be created.
        public static let cannotCreateDirectory = Code("cannot create directory")
        /// The database (or its `-wal`/`-shm` files) could not be opened or created.
        public static let cannotOpen = Code("cannot open")
        /// The database, or its directory, is read-only.
        public static let readOnly = Code("read-only")
        /// The file is not an SQLite database, or is damaged.
        public static let notADatabase = Code("not a database")
        /// An SQLite database, but not one census wrote.
        public static let notACensusDatabase = Code("not a census database")
        /// Written by a newer census schema than this build knows.
        public static let newerSchema = Code("newer schema")
        /// Other processes held the database locked past the busy timeout.
        public static let busy = Code("busy")
        /// The disk is full.
        public static let diskFull = Code("disk full")
        /// A record given to the store is invalid (nothing was written).
        public static let invalidInput = Code("invalid input")
        /// The database holds a value the store did not expect.
        public static let unexpectedData = Code("unexpected data")
        /// Any other SQLite failure.
        public static let sqliteFailure = Code("SQLite failure")
    }

    public var code: Code
    /// The database file.
    public var path: String
    /// The repository key, when the error concerns one repository.
    public var repository: String?
    /// What went wrong and what to do, in census's words.
    public var message: String
    /// The underlying failure in its own words: SQLite's message and result code, or the system's.
    public var cause: String?
    /// Where in census the error was raised.
    public var file: String
    public var line: Int

    public init(
        _ code: Code, path: String, repository: String? = nil, message: String, cause: String? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.path = path
        self.repository = repository
        self.message = message
        self.cause = cause
        self.file = file
        self.line = line
    }

    public var description: String {
        var text = "\(message) (\(path))"
        if let repository { text += "\n  repository: \(repository)" }
        if let cause { text += "\n  cause: \(cause)" }
        return text
    }
}
