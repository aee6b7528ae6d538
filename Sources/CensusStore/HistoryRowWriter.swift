import GRDB
import GRDBSQLite

/// SQLite copies what is bound with it (the bound string need not outlive the call).
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// A commit's texts, copied into one buffer the writer keeps and bound from there without SQLite
/// copying them again (`SQLITE_STATIC`: no allocation per bound text). What was bound stays valid
/// until the next ``reset(for:)``: every statement binding from it is stepped before the buffer is
/// refilled, and rebound before it is stepped again.
private final class TextScratch {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var used = 0

    init() {
        capacity = 4096
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    /// Empties the buffer, making room for `bytes` bytes of text (pointers handed out before are void).
    func reset(for bytes: Int) {
        used = 0
        if bytes > capacity {
            storage.deallocate()
            capacity = max(bytes, capacity * 2)
            storage = .allocate(capacity: capacity)
        }
    }

    /// Copies `text` in and binds it to parameter `index` of `handle`; ``reset(for:)`` made room.
    func bind(_ handle: OpaquePointer, _ index: Int32, _ text: String) {
        var text = text
        let start = storage + used
        let count = text.withUTF8 { bytes -> Int in
            precondition(used + bytes.count <= capacity, "TextScratch.reset(for:) made too little room")
            if let base = bytes.baseAddress { start.update(from: base, count: bytes.count) }
            return bytes.count
        }
        used += count
        sqlite3_bind_text(handle, index, UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self), Int32(count), nil)
    }
}

/// Binds and steps the history inserts straight through SQLite (no boxed arguments per row), for
/// ``CensusDatabase/saveHistory(repositoryKey:commits:walk:state:)``.
///
/// A commit is first inserted with `ON CONFLICT DO NOTHING`: the insert itself says whether the
/// commit was stored before (no row changed), so no lookup precedes it and a new commit is
/// appended (its `commit_row` is the new row's). Only a commit stored before is looked up, its
/// row updated in place (it keeps its number) and its earlier changes, unknown reason and moves
/// cleared.
struct HistoryRowWriter {
    private let connection: OpaquePointer
    /// The repository's number in `history_repositories`.
    private let repository: Int64
    private let insertCommit: Statement
    /// ``rowsPerInsert`` commits in one statement.
    private let insertCommits: Statement
    private let findCommit: Statement
    private let updateCommit: Statement
    private let clearChanges: Statement
    private let insertChange: Statement
    private let status: HistoryStatusStatements
    private let scratch = TextScratch()

    /// The commit's columns after `repository, commit_id`, in the order ``bindCommit(_:_:from:)`` binds them.
    /// Commits inserted by one statement of ``saveAll(_:)`` (each a statement's run less: SQLite's
    /// per-statement work, the start, the halt and the reset, is shared by these rows).
    static let rowsPerInsert = 32

    private static let commitColumns = [
        "author_name", "author_email", "author_time", "author_offset", "committer_name", "committer_email",
        "committer_time", "committer_offset", "parent_count", "company", "email_domain", "is_bot", "lines_known",
    ]

    init(_ db: Database, repositoryKey: String) throws {
        guard let connection = db.sqliteConnection else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the database connection is closed")
        }
        self.connection = connection
        try db.execute(
            sql: "INSERT INTO history_repositories (repository_key) VALUES (?) ON CONFLICT (repository_key) DO NOTHING",
            arguments: [repositoryKey])
        guard
            let repository = try Int64.fetchOne(
                db, sql: "SELECT repository FROM history_repositories WHERE repository_key = ?", arguments: [repositoryKey])
        else {
            throw DatabaseError(resultCode: .SQLITE_INTERNAL, message: "history_repositories has no row for \(repositoryKey)")
        }
        self.repository = repository
        let columns = Self.commitColumns
        let insert = "INSERT INTO history_commits (repository, commit_id, " + columns.joined(separator: ", ") + ") VALUES "
        let values = "(?, ?, " + columns.map { _ in "?" }.joined(separator: ", ") + ")"
        let conflict = " ON CONFLICT (author_time, repository, commit_id) DO NOTHING"
        insertCommit = try db.makeStatement(sql: insert + values + conflict)
        insertCommits = try db.makeStatement(
            sql: insert + Array(repeating: values, count: Self.rowsPerInsert).joined(separator: ", ") + conflict)
        findCommit = try db.makeStatement(
            sql: "SELECT commit_row FROM history_commits WHERE author_time = ? AND repository = ? AND commit_id = ?")
        updateCommit = try db.makeStatement(
            sql: "UPDATE history_commits SET " + columns.map { $0 + " = ?" }.joined(separator: ", ") + " WHERE commit_row = ?")
        clearChanges = try db.makeStatement(sql: "DELETE FROM history_changes WHERE commit_row = ?")
        insertChange = try db.makeStatement(
            sql: """
                INSERT INTO history_changes (commit_row, language, category, added, removed, files, binary_files) \
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
        status = try HistoryStatusStatements(db)
    }

    /// Stores commits in order, as ``save(_:)`` one by one would: ``rowsPerInsert`` at a time by one
    /// statement when none of them was stored before (the rows then have consecutive numbers);
    /// otherwise (some inserted rows already there, or a commit twice in the group) the group goes
    /// through ``save(_:)`` commit by commit, which finds what was just inserted and replaces it
    /// with the same values, in order, so the last copy of a commit wins.
    func saveAll(_ commits: [StoredCommit]) throws {
        let group = Self.rowsPerInsert
        var start = commits.startIndex
        while commits.endIndex - start >= group {
            let chunk = commits[start..<start + group]
            if let first = try insertGroup(chunk) {
                for (offset, c) in chunk.enumerated() { try saveDetails(c, row: first + Int64(offset), replacing: false) }
            } else {
                for c in chunk { try save(c) }
            }
            start += group
        }
        for c in commits[start...] { try save(c) }
    }

    /// Inserts a group of commits by one statement; the first's number when all were new, else nil.
    private func insertGroup(_ chunk: ArraySlice<StoredCommit>) throws -> Int64? {
        let handle = insertCommits.sqliteStatement
        scratch.reset(for: chunk.reduce(0) { $0 + Self.textBytes($1) })
        let parameters = Int32(2 + Self.commitColumns.count)
        for (offset, c) in chunk.enumerated() {
            let base = Int32(offset) * parameters
            sqlite3_bind_int64(handle, base + 1, repository)
            bindCommit(handle, c, from: base + 3, id: base + 2, refill: false)
        }
        let inserted = try step(handle)
        // Rows appended by one statement get consecutive numbers, the last one's reported.
        guard inserted, sqlite3_changes(connection) == Int32(chunk.count) else { return nil }
        return sqlite3_last_insert_rowid(connection) - Int64(chunk.count) + 1
    }

    /// Stores one commit with its changes, unknown reason and moves (replacing an earlier copy).
    func save(_ c: StoredCommit) throws {
        let insert = insertCommit.sqliteStatement
        sqlite3_bind_int64(insert, 1, repository)
        bindCommit(insert, c, from: 3, id: 2)
        if try step(insert) {
            try saveDetails(c, row: sqlite3_last_insert_rowid(connection), replacing: false)
        } else {
            let row = try storedRow(c)
            let update = updateCommit.sqliteStatement
            bindCommit(update, c, from: 1)
            sqlite3_bind_int64(update, Int32(Self.commitColumns.count + 1), row)
            _ = try step(update)
            try clearChanges.execute(arguments: [row])
            try saveDetails(c, row: row, replacing: true)
        }
    }

    /// The commit's changes, unknown reason and moves, for its row `row`.
    private func saveDetails(_ c: StoredCommit, row: Int64, replacing: Bool) throws {
        if !c.changes.isEmpty {
            let handle = insertChange.sqliteStatement
            for change in c.changes {
                sqlite3_bind_int64(handle, 1, row)
                bind(handle, 2, change.language)
                bind(handle, 3, change.category.rawValue)
                sqlite3_bind_int64(handle, 4, Int64(change.added))
                sqlite3_bind_int64(handle, 5, Int64(change.removed))
                sqlite3_bind_int64(handle, 6, Int64(change.files))
                sqlite3_bind_int64(handle, 7, Int64(change.binaryFiles))
                _ = try step(handle)
            }
        }
        try status.save(row, c, replacing: replacing)
    }

    /// The number of the stored copy of a commit the insert found.
    private func storedRow(_ c: StoredCommit) throws -> Int64 {
        let handle = findCommit.sqliteStatement
        sqlite3_bind_int64(handle, 1, c.authorTime)
        sqlite3_bind_int64(handle, 2, repository)
        bind(handle, 3, c.commit)
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_ROW else {
            let message =
                code == SQLITE_DONE ? "commit \(c.commit) was neither inserted nor found" : String(cString: sqlite3_errmsg(connection))
            throw DatabaseError(resultCode: ResultCode(rawValue: code == SQLITE_DONE ? SQLITE_INTERNAL : code), message: message)
        }
        return sqlite3_column_int64(handle, 0)
    }

    /// Binds the commit's columns (``commitColumns``) from parameter `first` on, its texts from
    /// ``scratch`` (refilled: the statement must be stepped before the next commit is bound).
    /// With `id`, the commit's id too, to that parameter. `refill: false` appends to what
    /// ``scratch`` holds (its caller made room for the group).
    private func bindCommit(_ handle: OpaquePointer, _ c: StoredCommit, from first: Int32, id: Int32? = nil, refill: Bool = true) {
        if refill { scratch.reset(for: Self.textBytes(c)) }
        let bind = scratch.bind
        if let id { bind(handle, id, c.commit) }
        bind(handle, first, c.authorName)
        bind(handle, first + 1, c.authorEmail)
        sqlite3_bind_int64(handle, first + 2, c.authorTime)
        sqlite3_bind_int64(handle, first + 3, Int64(c.authorOffset))
        bind(handle, first + 4, c.committerName)
        bind(handle, first + 5, c.committerEmail)
        sqlite3_bind_int64(handle, first + 6, c.committerTime)
        sqlite3_bind_int64(handle, first + 7, Int64(c.committerOffset))
        sqlite3_bind_int64(handle, first + 8, Int64(c.parentCount))
        bind(handle, first + 9, c.company)
        bind(handle, first + 10, c.emailDomain)
        sqlite3_bind_int64(handle, first + 11, c.isBot ? 1 : 0)
        sqlite3_bind_int64(handle, first + 12, c.unknownChanges == nil ? 1 : 0)
    }

    /// The bytes of the texts ``bindCommit(_:_:from:id:refill:)`` binds from ``scratch``.
    private static func textBytes(_ c: StoredCommit) -> Int {
        c.commit.utf8.count + c.authorName.utf8.count + c.authorEmail.utf8.count + c.committerName.utf8.count
            + c.committerEmail.utf8.count + c.company.utf8.count + c.emailDomain.utf8.count
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
