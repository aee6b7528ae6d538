import GRDB
import GRDBSQLite

/// SQLite copies what is bound with it (the bound string need not outlive the call).
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// Binds and steps the history inserts straight through SQLite (no boxed arguments per row), for
/// ``CensusDatabase/saveHistory(repositoryKey:commits:walk:state:)``.
///
/// A commit is first inserted with `ON CONFLICT DO NOTHING`: the insert itself says whether the
/// commit was stored before (no row changed), so no lookup precedes it; only then is the row
/// replaced and its earlier changes, unknown reason and moves cleared.
struct HistoryRowWriter {
    private let connection: OpaquePointer
    private let repositoryKey: String
    private let insertCommit: Statement
    private let replaceCommit: Statement
    private let clearChanges: Statement
    private let insertChange: Statement
    private let status: HistoryStatusStatements

    private static let commitColumns = """
        history_commits (repository_key, commit_id, author_name, author_email, author_time, \
        author_offset, committer_name, committer_email, committer_time, committer_offset, parent_count, company, \
        email_domain, is_bot, lines_known) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    init(_ db: Database, repositoryKey: String) throws {
        guard let connection = db.sqliteConnection else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the database connection is closed")
        }
        self.connection = connection
        self.repositoryKey = repositoryKey
        insertCommit = try db.makeStatement(
            sql: "INSERT INTO " + Self.commitColumns + " ON CONFLICT (repository_key, commit_id) DO NOTHING")
        replaceCommit = try db.makeStatement(sql: "INSERT OR REPLACE INTO " + Self.commitColumns)
        clearChanges = try db.makeStatement(sql: "DELETE FROM history_changes WHERE repository_key = ? AND commit_id = ?")
        insertChange = try db.makeStatement(
            sql: """
                INSERT INTO history_changes (repository_key, commit_id, language, category, added, removed, files, \
                binary_files) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        status = try HistoryStatusStatements(db)
    }

    /// Stores one commit with its changes, unknown reason and moves (replacing an earlier copy).
    func save(_ c: StoredCommit) throws {
        let fresh = try bindCommit(insertCommit, c)
        let replacing = !fresh
        if replacing {
            _ = try bindCommit(replaceCommit, c)
            try clearChanges.execute(arguments: [repositoryKey, c.commit])
        }
        if !c.changes.isEmpty {
            let handle = insertChange.sqliteStatement
            for change in c.changes {
                bind(handle, 1, repositoryKey)
                bind(handle, 2, c.commit)
                bind(handle, 3, change.language)
                bind(handle, 4, change.category.rawValue)
                sqlite3_bind_int64(handle, 5, Int64(change.added))
                sqlite3_bind_int64(handle, 6, Int64(change.removed))
                sqlite3_bind_int64(handle, 7, Int64(change.files))
                sqlite3_bind_int64(handle, 8, Int64(change.binaryFiles))
                _ = try step(handle)
            }
        }
        try status.save(repositoryKey, c, replacing: replacing)
    }

    /// Binds the commit's row and steps `statement`; true when a row was written.
    private func bindCommit(_ statement: Statement, _ c: StoredCommit) throws -> Bool {
        let handle = statement.sqliteStatement
        bind(handle, 1, repositoryKey)
        bind(handle, 2, c.commit)
        bind(handle, 3, c.authorName)
        bind(handle, 4, c.authorEmail)
        sqlite3_bind_int64(handle, 5, c.authorTime)
        sqlite3_bind_int64(handle, 6, Int64(c.authorOffset))
        bind(handle, 7, c.committerName)
        bind(handle, 8, c.committerEmail)
        sqlite3_bind_int64(handle, 9, c.committerTime)
        sqlite3_bind_int64(handle, 10, Int64(c.committerOffset))
        sqlite3_bind_int64(handle, 11, Int64(c.parentCount))
        bind(handle, 12, c.company)
        bind(handle, 13, c.emailDomain)
        sqlite3_bind_int64(handle, 14, c.isBot ? 1 : 0)
        sqlite3_bind_int64(handle, 15, c.unknownChanges == nil ? 1 : 0)
        return try step(handle)
    }

    private func bind(_ handle: OpaquePointer, _ index: Int32, _ text: String) {
        var text = text
        _ = text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, transient) }
            return sqlite3_bind_text(
                handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count), transient)
        }
    }

    /// Steps an insert once and resets it; true when it changed a row.
    private func step(_ handle: OpaquePointer) throws -> Bool {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(connection))
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
        }
        let changed = sqlite3_changes(connection) > 0
        sqlite3_reset(handle)
        return changed
    }
}
