extension ClickHouseStore {
    /// The schema version of census's tables in ClickHouse, kept in `census_meta.schema_version`. A
    /// database with a higher one was written by a newer census and is refused.
    ///
    /// Version 1 holds the scan results: SQLite's schema version 1 tables, and (added later, as new
    /// tables only) the history and Go module tables of SQLite's versions 2 and 3.
    public static let schemaVersion = 1

    /// One of census's tables in ClickHouse: its columns, the MergeTree sorting key, and the sharding
    /// key of its Distributed table on a cluster.
    struct Table: Sendable {
        var name: String
        var columns: [(name: String, type: String)]
        var orderBy: String
        var shardingKey: String

        var columnList: String { columns.map(\.name).joined(separator: ", ") }
        var columnDefinitions: String { columns.map { "\($0.name) \($0.type)" }.joined(separator: ", ") }
    }

    /// The tables of schema version 1 (docs/schema.md): SQLite's, with `INTEGER` as `Int64`, `TEXT`
    /// as `String`, a nullable column as `Nullable(…)`, and `saved_at` on `repositories`.
    ///
    /// Data tables are sharded by `repository_id`, so all rows of one scan live on one shard.
    /// The history and Go module tables (ClickHouseStore+History.swift, +GoModules.swift) are added
    /// to version 1 (new tables only, created on open, nothing existing changed).
    static let tables: [Table] =
        [metaTable, repositoriesTable, cohortsTable, languagesTable, filesTable] + historyTables + goModuleTables
        + eventTables
        + mentionTables
        + goSourceTables

    static let metaTable = Table(
        name: "census_meta", columns: [("key", "String"), ("value", "String")], orderBy: "key",
        shardingKey: "cityHash64(key)")

    static let repositoriesTable = Table(
        name: "repositories",
        columns: [
            ("repository_id", "Int64"), ("repository_key", "String"), ("location", "String"),
            ("host", "Nullable(String)"), ("owner", "Nullable(String)"), ("name", "Nullable(String)"),
            ("org", "String"), ("company", "Nullable(String)"), ("revision", "String"),
            ("commit_id", "Nullable(String)"), ("commit_date", "Nullable(Int64)"),
            ("root_commit_date", "Nullable(Int64)"), ("commit_count", "Nullable(Int64)"), ("is_shallow", "UInt8"),
            ("default_branch", "Nullable(String)"), ("remote_url", "Nullable(String)"), ("scanned_at", "Int64"),
            ("census_version", "String"), ("own_files", "Int64"), ("own_code", "Int64"), ("own_comment", "Int64"),
            ("own_blank", "Int64"), ("own_bytes", "Int64"), ("breakdown_bytes", "Int64"), ("saved_at", "Int64"),
        ],
        orderBy: "(repository_key, saved_at, repository_id)", shardingKey: "repository_id")

    static let cohortsTable = Table(
        name: "repository_cohorts", columns: [("repository_id", "Int64"), ("cohort", "String")],
        orderBy: "(cohort, repository_id)", shardingKey: "repository_id")

    static let languagesTable = Table(
        name: "repository_languages",
        columns: [
            ("repository_id", "Int64"), ("language", "String"), ("language_type", "String"),
            ("category", "String"), ("files", "Int64"), ("code", "Int64"), ("comment", "Int64"),
            ("blank", "Int64"), ("bytes", "Int64"), ("breakdown_bytes", "Int64"),
        ],
        orderBy: "(language, category, repository_id)", shardingKey: "repository_id")

    static let filesTable = Table(
        name: "repository_files",
        columns: [
            ("repository_id", "Int64"), ("path", "String"), ("language", "String"), ("category", "String"),
            ("code", "Int64"), ("comment", "Int64"), ("blank", "Int64"), ("bytes", "Int64"),
            ("strategy", "String"),
        ],
        orderBy: "(repository_id, path)", shardingKey: "repository_id")

    /// The statements that create the database and tables, each `IF NOT EXISTS`: on one server,
    /// MergeTree tables; on a cluster, `ON CLUSTER` MergeTree tables `<name>_local` on every shard
    /// and Distributed tables `<name>` over them.
    func schemaStatements() -> [String] {
        let database = ClickHouseSQL.identifier(endpoint.database)
        let onCluster = cluster.map { " ON CLUSTER \(ClickHouseSQL.identifier($0))" } ?? ""
        var statements = ["CREATE DATABASE IF NOT EXISTS \(database)\(onCluster)"]
        for table in Self.tables {
            let local = cluster == nil ? table.name : table.name + "_local"
            statements.append(
                "CREATE TABLE IF NOT EXISTS \(qualified(local))\(onCluster) (\(table.columnDefinitions)) "
                    + "ENGINE = MergeTree ORDER BY \(table.orderBy)")
            if let cluster {
                statements.append(
                    "CREATE TABLE IF NOT EXISTS \(qualified(table.name))\(onCluster) (\(table.columnDefinitions)) "
                        + "ENGINE = Distributed(\(ClickHouseSQL.literal(cluster)), \(ClickHouseSQL.literal(endpoint.database)), "
                        + "\(ClickHouseSQL.literal(local)), \(table.shardingKey))")
            }
        }
        return statements
    }

    /// Creates what is missing (unless read-only), then checks the tables' shape and the schema
    /// version, writing the version into a new database.
    func prepareSchema() throws {
        if let cluster {
            let found = try select(
                "SELECT count() AS clusters FROM system.clusters WHERE cluster = \(ClickHouseSQL.literal(cluster))",
                useDatabase: false, doing: "look up cluster \(cluster)")
            if try found.rows.first.map({ try found.int($0, "clusters") }) ?? 0 == 0 {
                let known = try select(
                    "SELECT DISTINCT cluster FROM system.clusters ORDER BY cluster", useDatabase: false,
                    doing: "list the clusters")
                let names = try known.rows.map { try known.string($0, "cluster") }
                throw CensusStoreError(
                    .invalidLocation, path: displayLocation,
                    message:
                        "the server has no cluster '\(cluster)' in its remote_servers (it has: \(names.isEmpty ? "none" : names.joined(separator: ", ")))"
                )
            }
        }
        // Before creating anything on the other shards: a cluster over a single-server store is refused.
        if cluster != nil {
            let existing = try select(
                """
                SELECT engine AS table_engine FROM system.tables \
                WHERE database = \(ClickHouseSQL.literal(endpoint.database)) AND name = 'repositories'
                """, useDatabase: false, doing: "look for census's tables")
            if let row = existing.rows.first {
                try refuseSingleServerTables(engine: try existing.string(row, "table_engine"))
            }
        }
        if !isReadOnly {
            for statement in schemaStatements() {
                do {
                    try execute(statement, useDatabase: false, doing: "create census's tables")
                } catch let error as CensusStoreError where cluster != nil && error.code == .clickhouseFailure {
                    // Code 49 "DDL background thread is not initialized" and 139 "no DistributedDDL
                    // configuration": ON CLUSTER needs distributed DDL.
                    if let cause = error.cause,
                        cause.contains("DDL background thread") || cause.contains("DistributedDDL")
                    {
                        var explained = error
                        explained.message =
                            "ClickHouse cannot run ON CLUSTER statements: give the servers a <distributed_ddl> section and a <zookeeper> to coordinate them, or create the tables on each shard yourself (docs/schema.md)"
                        throw explained
                    }
                    throw error
                }
            }
        }
        try checkTables()
        try checkSchemaVersion()
    }

    /// Every table must exist with census's columns; with a cluster, as a Distributed table.
    func checkTables() throws {
        let names = Self.tables.map { ClickHouseSQL.literal($0.name) }.joined(separator: ", ")
        let found = try select(
            """
            SELECT name AS table_name, engine AS table_engine FROM system.tables \
            WHERE database = \(ClickHouseSQL.literal(endpoint.database)) AND name IN (\(names))
            """, useDatabase: false, doing: "list census's tables")
        var engines: [String: String] = [:]
        for row in found.rows { engines[try found.string(row, "table_name")] = try found.string(row, "table_engine") }
        let missing = Self.tables.map(\.name).filter { engines[$0] == nil }
        if !missing.isEmpty {
            throw CensusStoreError(
                .notACensusDatabase, path: displayLocation,
                message:
                    "the database lacks census's tables \(missing.joined(separator: ", ")): open it once for writing to create them"
            )
        }
        if let engine = engines["repositories"] { try refuseSingleServerTables(engine: engine) }
        let columns = try select(
            """
            SELECT table AS table_name, name AS column_name, type AS column_type FROM system.columns \
            WHERE database = \(ClickHouseSQL.literal(endpoint.database)) AND table IN (\(names))
            """, useDatabase: false, doing: "read the columns of census's tables")
        var actual: [String: [String: String]] = [:]
        for row in columns.rows {
            actual[try columns.string(row, "table_name"), default: [:]][try columns.string(row, "column_name")] =
                try columns.string(row, "column_type")
        }
        for table in Self.tables {
            for column in table.columns where actual[table.name]?[column.name] != column.type {
                let found = actual[table.name]?[column.name].map { "type \($0)" } ?? "no such column"
                throw CensusStoreError(
                    .notACensusDatabase, path: displayLocation,
                    message:
                        "table \(table.name) is not census's: column \(column.name) should be \(column.type) (found \(found)); use another database"
                )
            }
        }
    }

    /// With a cluster, the tables must be Distributed: a database holding a single-server store is
    /// not silently used as if it spanned the shards.
    func refuseSingleServerTables(engine: String) throws {
        guard let cluster, engine != "Distributed" else { return }
        throw CensusStoreError(
            .notACensusDatabase, path: displayLocation,
            message:
                "the database holds a single-server census store (\(engine) tables), not one over cluster \(cluster): use another database for the cluster"
        )
    }

    /// Refuses a database a newer census wrote; records the version in a new one.
    func checkSchemaVersion() throws {
        let found = try select(
            "SELECT max(toUInt64OrZero(value)) AS schema_version, count() AS version_rows FROM census_meta WHERE key = 'schema_version'",
            doing: "read the schema version")
        guard let row = found.rows.first else { return }
        let version = try found.int(row, "schema_version")
        let rows = try found.int(row, "version_rows")
        if version > Self.schemaVersion {
            throw CensusStoreError(
                .newerSchema, path: displayLocation,
                message:
                    "the database was written by census schema version \(version), newer than version \(Self.schemaVersion) that this census knows: use a newer census, or another database"
            )
        }
        if rows == 0 && !isReadOnly {
            var data = ClickHouseSQL.RowWriter()
            data.field("schema_version")
            data.field(String(Self.schemaVersion))
            data.endRow()
            try insert(into: Self.metaTable, data, doing: "record the schema version")
        }
    }

    /// `INSERT INTO table (columns) FORMAT TabSeparated` with the rows as the body; on a cluster the
    /// insert waits until every shard has its rows (`insert_distributed_sync`).
    func insert(
        into table: Table, _ rows: ClickHouseSQL.RowWriter, repository: String? = nil, doing action: String
    ) throws {
        guard rows.rows > 0 else { return }
        try execute(
            "INSERT INTO \(qualified(table.name)) (\(table.columnList)) FORMAT TabSeparated", data: rows.bytes,
            settings: [("insert_distributed_sync", "1")], repository: repository, doing: action)
    }
}
