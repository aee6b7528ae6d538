/// A place scan results are stored and queried: an SQLite file (``CensusDatabase``) or a ClickHouse
/// database (``ClickHouseStore``). Both hold the same tables and give the same answers.
///
/// The methods block: call them from threads census owns, not the Swift concurrency pool. Both
/// stores may be shared by threads.
///
/// ```swift
/// let store = try openStore(try StoreLocation.parse(db), cluster: cluster)
/// defer { try? store.close() }
/// if try !store.isUpToDate(key: key, commit: commit) {
///     try store.save(repository: repository, languages: totals, files: [])
/// }
/// ```
public protocol ResultStore: AnyObject, Sendable {
    /// Where the results are, for messages: the database path, or the ClickHouse URL without its
    /// password.
    var displayLocation: String { get }

    /// Stores one repository's results, replacing whatever was stored under its key. A ClickHouse
    /// store may hold them in memory until ``flush()`` (or the next query, or ``close()``).
    func save(repository: StoredRepository, languages: [StoredLanguageTotal], files: [StoredFile]) throws

    /// Whether the repository is stored at `commit` (always false for `nil`, a plain directory).
    func isUpToDate(key: String, commit: String?) throws -> Bool

    /// The groups with the most own code of a language; see
    /// ``CensusDatabase/top(language:by:metric:cohort:limit:)``.
    func top(
        language: String, by group: RankingGroup, metric: RankingMetric, cohort: String?, limit: Int
    ) throws -> [LanguageRankingRow]

    /// A language's penetration; see ``CensusDatabase/share(language:by:threshold:unit:cohort:)``.
    func share(
        language: String, by group: ShareGroup?, threshold: Double, unit: ShareUnit, cohort: String?
    ) throws -> [LanguageShareRow]

    /// The language table across the stored corpus; see ``CensusDatabase/breakdown(cohort:)``.
    func breakdown(cohort: String?) throws -> [LanguageBreakdownRow]

    /// The stored repositories, ordered by key; see ``CensusDatabase/repositories(cohort:)``.
    func repositories(cohort: String?) throws -> [StoredRepositoryRow]

    /// How many rows each table holds (for ClickHouse, rows of current scans).
    func rowCounts() throws -> StoreRowCounts

    /// Writes whatever is held in memory (nothing for SQLite, which writes each save at once).
    func flush() throws

    /// Flushes and closes; later calls fail.
    func close() throws
}

extension CensusDatabase: ResultStore {
    /// The database file.
    public var displayLocation: String { path }

    /// Nothing to do: every save is its own committed transaction.
    public func flush() throws {}
}

/// Opens the store `location` names: an SQLite file (created if needed) or a ClickHouse database
/// (its database and tables created if needed).
///
/// - Parameters:
///   - location: From ``StoreLocation/parse(_:environment:)`` (`--db`).
///   - cluster: ClickHouse only (`--cluster`): the cluster, as the servers' `remote_servers` names
///     it, whose shards hold the tables; see ``ClickHouseStore/open(_:cluster:readOnly:)``.
///   - readOnly: Open for queries only: nothing is created or written.
/// - Throws: ``CensusStoreError``, naming the path or the URL (never the password): `invalidLocation`
///   for a cluster with an SQLite file, and whatever ``CensusDatabase/open(path:readOnly:)`` or
///   ``ClickHouseStore/open(_:cluster:readOnly:)`` throws.
public func openStore(_ location: StoreLocation, cluster: String? = nil, readOnly: Bool = false) throws
    -> any ResultStore
{
    switch location {
    case .sqlite(let path):
        if let cluster {
            throw CensusStoreError(
                .invalidLocation, path: path,
                message:
                    "--cluster \(cluster) needs a ClickHouse database (--db clickhouse://user@host:8123/database), not an SQLite file"
            )
        }
        return try CensusDatabase.open(path: path, readOnly: readOnly)
    case .clickhouse(let endpoint):
        return try ClickHouseStore.open(endpoint, cluster: cluster, readOnly: readOnly)
    }
}
