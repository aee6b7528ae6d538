import Foundation
import GRDB

/// A census results database: SQLite through GRDB, in WAL mode, shared safely by several census
/// processes (each waits up to ``busyTimeout`` for the others' writes).
///
/// Every write is one `IMMEDIATE` transaction per repository, so a reader, or a process that is
/// killed, never sees half a repository. Every query runs inside SQLite; nothing loads the corpus.
/// The methods block: call them from a thread census owns, not the Swift concurrency pool.
///
/// ```swift
/// let database = try CensusDatabase.open(path: "census.sqlite")
/// if try !database.isUpToDate(key: key, commit: commit) {
///     try database.save(repository: repository, languages: totals)
/// }
/// let leaders = try database.top(language: "Go", by: .company, metric: .code)
/// ```
public final class CensusDatabase: Sendable {
    /// The database file, absolute.
    public let path: String
    let pool: DatabasePool
    let queries = StoreQueries(dialect: .sqlite)

    /// How long a write waits for other processes' transactions before giving up.
    public static let busyTimeout: TimeInterval = 30

    /// Whether it was opened for queries only.
    public let isReadOnly: Bool

    private init(path: String, pool: DatabasePool, isReadOnly: Bool) {
        self.path = path
        self.pool = pool
        self.isReadOnly = isReadOnly
    }

    /// Opens the database at `path`, creating it (and its parent directories) if needed, and brings
    /// its schema up to ``schemaVersion``.
    ///
    /// - Parameters:
    ///   - path: The database file; relative paths are taken from the current directory.
    ///   - readOnly: Open an existing database for queries only: nothing is created, migrated or
    ///     written, so a read-only file (a published result) can be queried.
    /// - Returns: The open database.
    /// - Throws: ``CensusStoreError``, naming the path: `cannotCreateDirectory`, `cannotOpen`,
    ///   `readOnly` (the file, its `-wal`/`-shm` files or its directory cannot be written; checked
    ///   before SQLite touches anything), `notADatabase`, `notACensusDatabase`, `newerSchema` (a newer
    ///   census wrote it; it is left as it is), `busy`.
    public static func open(path: String, readOnly: Bool = false) throws -> CensusDatabase {
        try open(path: path, readOnly: readOnly, statementTrace: nil)
    }

    /// Opens the database as ``open(path:readOnly:)`` does, calling `statementTrace` with every
    /// statement SQLite runs on its connections, bound values inlined (`sqlite3_expanded_sql`):
    /// `census report` records the SQL behind each figure this way.
    package static func open(
        path: String, readOnly: Bool, statementTrace: (@Sendable (String) -> Void)?
    ) throws -> CensusDatabase {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let absolute = url.path
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory)
        if exists, isDirectory.boolValue {
            throw CensusStoreError(
                .cannotOpen, path: absolute, message: "the database path is a directory: give a file path")
        }
        if readOnly {
            if !exists {
                throw CensusStoreError(
                    .cannotOpen, path: absolute,
                    message:
                        "there is no database here to read: check the path (--db or $CENSUS_DB), or create it with `census scan`")
            }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw CensusStoreError(
                    .cannotCreateDirectory, path: absolute,
                    message:
                        "cannot create the database's directory \(directory): check that its parents are writable",
                    cause: (error as NSError).localizedDescription)
            }
            try checkWritable(absolute, directory: directory)
        }

        // Connections opening the same new database at once (threads of one run, or several runs)
        // race to switch it to WAL and to create the schema; SQLite answers some of them
        // SQLITE_BUSY at once, without waiting in the busy handler (a reader meeting the switch to
        // WAL, a read transaction that cannot be upgraded). Such an open is tried again, from
        // the start, until the busy timeout has passed: found by the test of six simultaneous first
        // opens, which failed in about half of its runs alone on an idle machine.
        // A plain I/O error while opening was seen once in CI, in the same race (six connections
        // creating one database): it is tried again twice, never more, so that a failing disk is
        // still reported at once.
        let deadline = Date().addingTimeInterval(busyTimeout)
        var attempt = 0
        var ioRetries = 0
        while true {
            do {
                return try openConnections(absolute, readOnly: readOnly, statementTrace: statementTrace)
            } catch let failure as OpenFailure {
                let code = (failure.underlying as? DatabaseError)?.resultCode
                let busy = code == .SQLITE_BUSY || code == .SQLITE_LOCKED
                    || (failure.underlying as? CensusStoreError)?.code == .busy
                let transientIO = code == .SQLITE_IOERR && ioRetries < 2
                guard (busy && Date() < deadline) || transientIO else {
                    throw storeError(failure.underlying, path: absolute, doing: failure.doing)
                }
                if transientIO { ioRetries += 1 }
                attempt += 1
                // 1 to 64 ms, growing, jittered so that the racers spread out.
                let ceiling = UInt32(1_000 << min(attempt, 6))
                usleep(1_000 + UInt32.random(in: 0 ..< ceiling))
            }
        }
    }

    /// An error of ``openConnections(_:readOnly:statementTrace:)``, with what it was doing.
    private struct OpenFailure: Error {
        var underlying: any Error
        var doing: String
    }

    /// The SQLite part of ``open(path:readOnly:statementTrace:)``: the pool, the compatibility
    /// check and the migrations, every connection closed again when one of them fails.
    ///
    /// - Throws: ``OpenFailure``.
    private static func openConnections(
        _ absolute: String, readOnly: Bool, statementTrace: (@Sendable (String) -> Void)?
    ) throws -> CensusDatabase {
        var configuration = Configuration()
        configuration.label = "CensusStore"
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            // In WAL mode NORMAL keeps the database consistent across crashes; only the last commits
            // before a power loss may be lost, and a rerun rescans those repositories.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // 32 MiB of page cache (SQLite's default is 2 MiB): history batches insert commits at
            // random places of the commit index (ids are hashes), and with the default cache most
            // of those pages were read again from the file for every batch.
            try db.execute(sql: "PRAGMA cache_size = -32768")
            if let statementTrace {
                db.trace(options: .statement) { event in
                    if case .statement(let statement) = event { statementTrace(statement.expandedSQL) }
                }
            }
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: absolute, configuration: configuration)
        } catch {
            throw OpenFailure(underlying: error, doing: "open")
        }
        do {
            try pool.read { db in try checkCompatibility(db, path: absolute) }
            if readOnly {
                let complete = try pool.read { db in try migrator.hasCompletedMigrations(db) }
                if !complete {
                    throw CensusStoreError(
                        .notACensusDatabase, path: absolute,
                        message:
                            "the database is empty or has an older schema than version \(schemaVersion): open it for writing once to bring it up to date"
                    )
                }
            } else {
                try migrate(pool, path: absolute)
                // Another process may have migrated further while this one waited.
                try pool.read { db in try checkCompatibility(db, path: absolute) }
            }
        } catch {
            try? pool.close()
            throw OpenFailure(underlying: error, doing: "prepare")
        }
        return CensusDatabase(path: absolute, pool: pool, isReadOnly: readOnly)
    }

    /// Refuses, before SQLite opens anything, a database census could read but not write: SQLite
    /// would silently open a read-only file read-only (and leave `-wal`/`-shm` files beside it), and
    /// in WAL mode it needs to create those files in the directory.
    static func checkWritable(_ path: String, directory: String) throws {
        func refuse(_ what: String, _ target: String) -> CensusStoreError {
            let reason = String(cString: strerror(errno))
            return CensusStoreError(
                .readOnly, path: path,
                message:
                    "\(what) \(target) is not writable: census writes results there; make it writable, choose another path, or open the database read-only to query it",
                cause: reason)
        }
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            if access(file, R_OK | W_OK) != 0 { throw refuse("the file", file) }
        }
        if access(directory, W_OK | X_OK) != 0 {
            throw refuse("the directory", directory)
        }
    }

    /// Copies what it can of the write-ahead log into the database file and closes the connections;
    /// later calls fail. Connections close anyway when the last reference goes.
    ///
    /// The `-wal` and `-shm` files stay (GRDB closes the writer before its readers). The checkpoint
    /// is `PASSIVE`, so it never waits for other processes; when no other process is using the
    /// database, the `.sqlite` file alone then holds everything.
    public func close() throws {
        do {
            if !isReadOnly {
                try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
            }
            try pool.close()
        } catch {
            throw Self.storeError(error, path: path, doing: "close")
        }
    }

    // MARK: - Access

    func read<T>(_ operation: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(operation)
        } catch {
            throw Self.storeError(error, path: path, doing: "read")
        }
    }

    /// Runs `operation` in one `IMMEDIATE` transaction (it takes the write lock at once, so two
    /// processes never deadlock upgrading a read), committing if it returns, rolling back if it throws.
    /// SQLite's errors become ``CensusStoreError``s naming the database and `repository`.
    func writeTransaction(repository: String? = nil, _ operation: (Database) throws -> Void) throws {
        do {
            try pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try operation(db)
                    return .commit
                }
            }
        } catch let error as DatabaseError {
            throw Self.storeError(error, path: path, repository: repository, doing: "write")
        }  // Anything else was thrown by `operation` itself and goes back to its caller unchanged.
    }

    // MARK: - Errors

    /// A ``CensusStoreError`` for any error, explaining SQLite's result codes.
    static func storeError(
        _ error: any Error, path: String, repository: String? = nil, doing action: String
    ) -> CensusStoreError {
        if var error = error as? CensusStoreError {
            if error.repository == nil { error.repository = repository }
            return error
        }
        guard let error = error as? DatabaseError else {
            return CensusStoreError(
                .sqliteFailure, path: path, repository: repository, message: "cannot \(action) the database",
                cause: "\(error)")
        }
        let cause = "\(error.message ?? "no message") (code \(error.extendedResultCode.rawValue))"
        let code: CensusStoreError.Code
        let message: String
        switch error.resultCode {
        case .SQLITE_READONLY, .SQLITE_PERM:
            code = .readOnly
            message =
                "the database or its directory is read-only: census needs to write the file and create -wal and -shm files beside it"
        case .SQLITE_CANTOPEN:
            code = .cannotOpen
            message =
                "cannot open or create the database: check that the file and its directory exist and are writable"
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            code = .notADatabase
            message = "the file is not an SQLite database, or is damaged: give census a new path"
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            code = .busy
            message =
                "other processes held the database locked for more than \(Int(busyTimeout)) s: retry, or use fewer writers"
        case .SQLITE_FULL:
            code = .diskFull
            message = "the disk is full: free space and rerun (the last repository was not saved)"
        default:
            code = .sqliteFailure
            message = "cannot \(action) the database"
        }
        return CensusStoreError(code, path: path, repository: repository, message: message, cause: cause)
    }
}
