import GRDB

extension CensusDatabase {
    /// The schema version this build writes and reads. A database whose `census_meta.schema_version`
    /// is higher was written by a newer census and is refused.
    ///
    /// Each schema change is a new migration registered in ``migrator`` that also raises this number
    /// and updates `census_meta.schema_version`; migrations never edit an earlier one.
    public static let schemaVersion = 8

    /// The migrations, in order (docs/schema.md lists them).
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            for statement in schemaV1 { try db.execute(sql: statement) }
            try db.execute(
                sql: "INSERT INTO census_meta (key, value) VALUES ('schema_version', ?)", arguments: ["1"])
        }
        migrator.registerMigration("v2") { db in
            for statement in schemaV2 { try db.execute(sql: statement) }
            try db.execute(sql: "UPDATE census_meta SET value = '2' WHERE key = 'schema_version'")
        }
        migrator.registerMigration("v3") { db in
            for statement in schemaV3 { try db.execute(sql: statement) }
            try db.execute(sql: "UPDATE census_meta SET value = '3' WHERE key = 'schema_version'")
        }
        migrator.registerMigration("v4") { db in
            for statement in schemaV4 { try db.execute(sql: statement) }
            // Registered after v3 but merged after v5 and v7: a database already at a higher
            // version gets the event tables without its version going down.
            try db.execute(
                sql: "UPDATE census_meta SET value = '4' WHERE key = 'schema_version' AND CAST(value AS INTEGER) < 4")
        }
        migrator.registerMigration("v5") { db in
            for statement in schemaV5 { try db.execute(sql: statement) }
            try db.execute(sql: "UPDATE census_meta SET value = '5' WHERE key = 'schema_version'")
        }
        migrator.registerMigration("v6") { db in
            for statement in schemaV6 { try db.execute(sql: statement) }
            // A store made before v6 was registered may already be at 7: never lower its number.
            try db.execute(sql: """
                UPDATE census_meta SET value = '6'
                WHERE key = 'schema_version' AND CAST(value AS INTEGER) < 6
                """)
        }
        migrator.registerMigration("v7") { db in
            for statement in schemaV7 { try db.execute(sql: statement) }
            try db.execute(sql: "UPDATE census_meta SET value = '7' WHERE key = 'schema_version'")
        }
        migrator.registerMigration("v8") { db in
            for statement in schemaV8 { try db.execute(sql: statement) }
            try db.execute(sql: "UPDATE census_meta SET value = '8' WHERE key = 'schema_version'")
        }
        return migrator
    }

    /// Schema version 1. Counts are `INTEGER` (64-bit), times seconds since 1970 (UTC), names `TEXT`.
    static let schemaV1 = [
        """
        CREATE TABLE census_meta (
            key TEXT NOT NULL PRIMARY KEY,
            value TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE repositories (
            repository_id INTEGER PRIMARY KEY,
            repository_key TEXT NOT NULL UNIQUE,
            location TEXT NOT NULL,
            host TEXT,
            owner TEXT,
            name TEXT,
            org TEXT NOT NULL,
            company TEXT,
            revision TEXT NOT NULL,
            commit_id TEXT,
            commit_date INTEGER,
            root_commit_date INTEGER,
            commit_count INTEGER,
            is_shallow INTEGER NOT NULL DEFAULT 0,
            default_branch TEXT,
            remote_url TEXT,
            scanned_at INTEGER NOT NULL,
            census_version TEXT NOT NULL,
            own_files INTEGER NOT NULL,
            own_code INTEGER NOT NULL,
            own_comment INTEGER NOT NULL,
            own_blank INTEGER NOT NULL,
            own_bytes INTEGER NOT NULL,
            breakdown_bytes INTEGER NOT NULL
        )
        """,
        """
        CREATE TABLE repository_cohorts (
            repository_id INTEGER NOT NULL REFERENCES repositories (repository_id) ON DELETE CASCADE,
            cohort TEXT NOT NULL,
            PRIMARY KEY (repository_id, cohort)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX repository_cohorts_by_cohort ON repository_cohorts (cohort, repository_id)",
        """
        CREATE TABLE repository_languages (
            repository_id INTEGER NOT NULL REFERENCES repositories (repository_id) ON DELETE CASCADE,
            language TEXT NOT NULL,
            language_type TEXT NOT NULL CHECK (language_type IN ('programming', 'markup', 'data', 'prose')),
            category TEXT NOT NULL CHECK (category IN ('own', 'vendored', 'generated', 'documentation')),
            files INTEGER NOT NULL,
            code INTEGER NOT NULL,
            comment INTEGER NOT NULL,
            blank INTEGER NOT NULL,
            bytes INTEGER NOT NULL,
            breakdown_bytes INTEGER NOT NULL,
            PRIMARY KEY (repository_id, language, category)
        ) WITHOUT ROWID
        """,
        """
        CREATE INDEX repository_languages_by_language
            ON repository_languages (language, category, repository_id)
        """,
        """
        CREATE TABLE repository_files (
            repository_id INTEGER NOT NULL REFERENCES repositories (repository_id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            language TEXT NOT NULL,
            category TEXT NOT NULL CHECK (category IN ('own', 'vendored', 'generated', 'documentation')),
            code INTEGER NOT NULL,
            comment INTEGER NOT NULL,
            blank INTEGER NOT NULL,
            bytes INTEGER NOT NULL,
            strategy TEXT NOT NULL
        )
        """,
        "CREATE INDEX repository_files_by_repository ON repository_files (repository_id)",
    ]

    /// Refuses a database census cannot use: another application's, or a newer census's.
    ///
    /// A database with no tables, or only GRDB's `grdb_migrations` (which GRDB creates outside the
    /// migrations' transactions, so another process may be seen between the two), is new.
    static func checkCompatibility(_ db: Database, path: String) throws {
        let tables = try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
        if tables.allSatisfy({ $0 == "grdb_migrations" }) { return }
        guard tables.contains("census_meta") else {
            let shown = tables.sorted().prefix(5).joined(separator: ", ")
            throw CensusStoreError(
                .notACensusDatabase, path: path,
                message:
                    "an SQLite database census did not write (it has tables \(shown)): give census a new path or one of its own databases"
            )
        }
        let stored = try String.fetchOne(db, sql: "SELECT value FROM census_meta WHERE key = 'schema_version'")
        guard let stored, let version = Int(stored) else {
            throw CensusStoreError(
                .unexpectedData, path: path,
                message:
                    "census_meta has no readable schema_version (\(stored.map { "'\($0)'" } ?? "none")): the database is damaged or was edited; use another path"
            )
        }
        let unknown = try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
        if version > schemaVersion || !unknown.isEmpty {
            let migrations = unknown.isEmpty ? "" : " (migrations \(unknown.sorted().joined(separator: ", ")))"
            throw CensusStoreError(
                .newerSchema, path: path,
                message:
                    "the database was written by census schema version \(version)\(migrations), newer than version \(schemaVersion) that this census knows: use a newer census, or another database"
            )
        }
    }

    /// Applies missing migrations.
    ///
    /// Several census processes may open a new database at once. GRDB reads which migrations are
    /// applied before it takes the write lock, so a process that loses the race fails inside its
    /// migration's transaction (a table already exists) and rolls back; it then finds the schema
    /// complete and carries on.
    static func migrate(_ pool: DatabasePool, path: String) throws {
        let migrator = Self.migrator
        var attempt = 1
        while true {
            do {
                try migrator.migrate(pool)
                return
            } catch {
                if (try? pool.read({ try migrator.hasCompletedMigrations($0) })) == true { return }
                if attempt == 3 { throw error }
                attempt += 1
            }
        }
    }
}
