import GRDB

// Back doors for the module's tests (`@testable import`), which need to damage a database on purpose
// without depending on GRDB themselves. Nothing else calls them.
extension CensusDatabase {
    /// Runs statements as they are, in one transaction.
    func executeForTesting(_ sql: String) throws {
        try writeTransaction { db in try db.execute(sql: sql) }
    }

    /// The first column of the first row of a query.
    func fetchTextForTesting(_ sql: String) throws -> String? {
        try read { db in try String.fetchOne(db, sql: sql) }
    }

    /// Runs statements on a database file without any of ``open(path:)``'s checks.
    static func executeForTesting(path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: sql) }
        try queue.close()
    }
}

extension CensusDatabase {
    /// Creates a database at `path` with the migrations up to `migration` only, as an older census
    /// left it (for tests of the later migrations), then runs `sql` outside any transaction (so it
    /// may `ATTACH` another database to copy from).
    static func createForTesting(path: String, upTo migration: String, then sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try migrator.migrate(queue, upTo: migration)
        try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
        try queue.close()
    }
}
