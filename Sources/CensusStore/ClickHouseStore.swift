import Foundation
import Synchronization

/// Census results in a ClickHouse database, over ClickHouse's HTTP interface: the same tables as
/// ``CensusDatabase`` (MergeTree tables, or Distributed tables over a cluster's shards) and the same
/// answers to the same queries.
///
/// ClickHouse has no transactions and deletes asynchronously, so a save never replaces rows in
/// place: each save writes its rows under a new `repository_id`, the `repositories` row last, and
/// every query keeps only each key's latest scan (docs/schema.md, "ClickHouse"). Saves are held in
/// memory and written in large batches (``BatchLimits``); queries, ``flush()`` and ``close()``
/// write what is held first.
///
/// The methods block: call them from threads census owns. A `ClickHouseStore` may be shared by
/// threads, and any number of census processes on any number of machines may write to one database.
///
/// ```swift
/// let endpoint = ClickHouseEndpoint(host: "ch1", user: "census", password: secret, database: "census")
/// let store = try ClickHouseStore.open(endpoint, cluster: "census_cluster")
/// try store.save(repository: repository, languages: totals)
/// try store.close()
/// ```
public final class ClickHouseStore: Sendable {
    /// When held saves are written: whichever limit is reached first, checked at each save.
    public struct BatchLimits: Sendable, Equatable {
        /// Repositories held.
        public var repositories: Int
        /// Rows held, over all tables (file rows dominate with `--files`).
        public var rows: Int
        /// Seconds since the oldest held save.
        public var seconds: Double

        public init(repositories: Int = 1_000, rows: Int = 200_000, seconds: Double = 10) {
            self.repositories = repositories
            self.rows = rows
            self.seconds = seconds
        }

        /// Every save written at once (one set of inserts per repository).
        public static let immediate = BatchLimits(repositories: 1, rows: 1, seconds: 0)
    }

    /// The server and database (``ClickHouseEndpoint/description`` never shows the password).
    public let endpoint: ClickHouseEndpoint
    /// The cluster the tables were created on (`--cluster`), if any.
    public let cluster: String?
    /// Whether it was opened for queries only.
    public let isReadOnly: Bool
    /// The server's version (`18.16.1`).
    public let serverVersion: String
    public let batchLimits: BatchLimits

    let client: HTTPClient
    let queries = StoreQueries(dialect: .clickhouse)
    let pending = Mutex(PendingWrites())
    /// Held while writing a batch, so batches are written one at a time and a query waits for one
    /// in flight.
    let flushing = Mutex(())

    init(
        endpoint: ClickHouseEndpoint, cluster: String?, isReadOnly: Bool, serverVersion: String,
        batchLimits: BatchLimits, client: HTTPClient
    ) {
        self.endpoint = endpoint
        self.cluster = cluster
        self.isReadOnly = isReadOnly
        self.serverVersion = serverVersion
        self.batchLimits = batchLimits
        self.client = client
    }

    deinit {
        // A store dropped without close() still writes what it holds; errors have nobody to go to.
        try? flush()
    }

    /// Connects, checks the user and password, creates the database and tables if needed
    /// (`readOnly`: checks that they exist), and checks the schema version.
    ///
    /// - Parameters:
    ///   - endpoint: The server and database.
    ///   - cluster: A cluster from the servers' `remote_servers`: the tables are created on every
    ///     shard with `ON CLUSTER` (which needs the servers' `distributed_ddl` and ZooKeeper), as
    ///     MergeTree tables named `<table>_local` with a Distributed table `<table>` over them.
    ///     Without it, a database that already holds Distributed tables is used through them.
    ///   - readOnly: Create and write nothing.
    ///   - batchLimits: When held saves are written.
    ///   - connectTimeout: Seconds to wait for a connection.
    /// - Throws: ``CensusStoreError`` naming the URL (never the password): `unreachable`,
    ///   `authenticationFailed`, `clickhouseFailure` (with the server's message), `badResponse`,
    ///   `notACensusDatabase` (tables of another shape, or a single-server store where a cluster
    ///   was asked for), `newerSchema`.
    public static func open(
        _ endpoint: ClickHouseEndpoint, cluster: String? = nil, readOnly: Bool = false,
        batchLimits: BatchLimits = BatchLimits(), connectTimeout: Double = 10
    ) throws -> ClickHouseStore {
        var client = HTTPClient(
            host: endpoint.host, port: endpoint.port, credentials: (endpoint.user, endpoint.password))
        client.connectTimeout = connectTimeout
        if endpoint.database.isEmpty {
            throw CensusStoreError(.invalidLocation, path: endpoint.description, message: "the database name is empty")
        }
        // The first question waits no longer than a connection may: a server that accepts the
        // connection but never answers is reported in seconds, not after a long query's timeout.
        var probeClient = client
        probeClient.ioTimeout = connectTimeout
        let probe = ClickHouseStore(
            endpoint: endpoint, cluster: cluster, isReadOnly: readOnly, serverVersion: "", batchLimits: batchLimits,
            client: probeClient)
        let versionRows = try probe.select("SELECT version() AS server_version", useDatabase: false, doing: "connect")
        let version = try versionRows.rows.first.map { try versionRows.string($0, "server_version") } ?? "unknown"
        let store = ClickHouseStore(
            endpoint: endpoint, cluster: cluster, isReadOnly: readOnly, serverVersion: version,
            batchLimits: batchLimits, client: client)
        try store.prepareSchema()
        return store
    }

    /// Writes every held save.
    ///
    /// Each batch writes the file, language and cohort rows of its repositories, then their
    /// `repositories` rows in one insert: a reader sees a repository's new scan whole or not at all.
    /// If a write fails, the batch stays held under new ids (rows already written under the old ids
    /// are never current) and the next save, flush or close writes it again.
    ///
    /// - Throws: ``CensusStoreError`` naming the URL and, for one repository, its key.
    public func flush() throws {
        try flushing.withLock { _ in
            let batch = pending.withLock { state in state.takeAll() }
            guard !batch.isEmpty else { return }
            do {
                try write(batch)
            } catch var error as CensusStoreError {
                let held = pending.withLock { state in
                    state.putBack(batch.map { $0.rekeyed() })
                    return state.scans.count
                }
                error.message +=
                    "; \(held) saved repositor\(held == 1 ? "y is" : "ies are") held and written again at the next save, flush or close"
                throw error
            }
        }
    }

    /// Writes what is held; later calls fail.
    public func close() throws {
        try flush()
        pending.withLock { $0.isClosed = true }
    }

    /// The URL without the password.
    public var displayLocation: String { endpoint.description }

    // MARK: - Talking to the server

    /// The table census's queries name, qualified with the database.
    func qualified(_ table: String) -> String {
        "\(ClickHouseSQL.identifier(endpoint.database)).\(ClickHouseSQL.identifier(table))"
    }

    /// Runs a query and reads its rows (`TabSeparatedWithNames`).
    func select(_ query: SQLText, doing action: String) throws -> ClickHouseRows {
        try select(try ClickHouseSQL.inline(query), useDatabase: true, doing: action)
    }

    func select(_ sql: String, useDatabase: Bool = true, doing action: String) throws -> ClickHouseRows {
        let body = try execute(sql + " FORMAT TabSeparatedWithNames", useDatabase: useDatabase, doing: action)
        do {
            return try ClickHouseSQL.parseTabSeparatedWithNames(body)
        } catch {
            throw CensusStoreError(
                .badResponse, path: displayLocation,
                message: "ClickHouse's answer to \(action) is not the tab-separated text census asked for",
                cause: "\(error)")
        }
    }

    /// Sends one statement, with `data` (for an `INSERT … FORMAT`) as the body, gzip-compressed
    /// (``GzipBody``), and the statement in the URL, or the statement as the body.
    ///
    /// Every request asks for `wait_end_of_query=1`: the server holds the answer until the query has
    /// finished, so an error arrives as an error status rather than after a `200` and half the rows.
    /// `join_use_nulls=0` makes left joins fill zeros, as the queries expect.
    ///
    /// - Returns: The answer's body.
    @discardableResult
    func execute(
        _ sql: String, data: [UInt8]? = nil, useDatabase: Bool = true, settings: [(String, String)] = [],
        repository: String? = nil, doing action: String
    ) throws -> [UInt8] {
        var parameters: [(String, String)] = []
        if useDatabase { parameters.append(("database", endpoint.database)) }
        parameters += [("wait_end_of_query", "1"), ("join_use_nulls", "0")]
        parameters += settings
        let body: [UInt8]
        var headers: [(String, String)] = []
        if let data {
            parameters.append(("query", sql))
            // Compressed, so that a body cut short is refused whole rather than stored in part
            // (GzipBody); sent as is only if zlib has no memory.
            if let compressed = GzipBody.compress(data) {
                body = compressed
                headers.append(("Content-Encoding", "gzip"))
            } else {
                body = data
            }
        } else {
            body = Array(sql.utf8)
        }
        let target = "/?" + parameters.map { "\($0.0.urlQueryEncoded)=\($0.1.urlQueryEncoded)" }.joined(separator: "&")
        let response: HTTPResponse
        do {
            response = try client.send(method: "POST", target: target, body: body, headers: headers)
        } catch let error as HTTPTransportError {
            throw transportError(error, repository: repository, doing: action)
        }
        guard response.status == 200 else {
            throw serverError(response, repository: repository, doing: action)
        }
        return response.body
    }

    func transportError(_ error: HTTPTransportError, repository: String?, doing action: String) -> CensusStoreError {
        let cause = endpoint.redacting(error.message)
        switch error.kind {
        case .connect:
            return CensusStoreError(
                .unreachable, path: displayLocation, repository: repository,
                message:
                    "cannot reach ClickHouse to \(action): check the host and port, and that the server is running",
                cause: cause)
        case .exchange:
            return CensusStoreError(
                .unreachable, path: displayLocation, repository: repository,
                message: "the connection to ClickHouse broke while trying to \(action): check the server and retry",
                cause: cause)
        case .malformed:
            return CensusStoreError(
                .badResponse, path: displayLocation, repository: repository,
                message:
                    "the server did not answer in HTTP while trying to \(action): is the port ClickHouse's HTTP port (8123), not its native port (9000)?",
                cause: cause)
        }
    }

    /// An error status: ClickHouse's own message (`Code: 60, … DB::Exception: Table … doesn't
    /// exist`) becomes the cause.
    func serverError(_ response: HTTPResponse, repository: String?, doing action: String) -> CensusStoreError {
        let message = Self.serverMessage(response.body)
        let cause = endpoint.redacting(message.isEmpty ? "HTTP \(response.status) \(response.reason)" : message)
        let code = Self.exceptionCode(message)
        // 192 unknown user, 193 wrong password, 194 password required, 195 address not allowed,
        // 516 authentication failed (newer servers).
        if response.status == 401 || response.status == 403 || [192, 193, 194, 195, 516].contains(code ?? 0) {
            return CensusStoreError(
                .authenticationFailed, path: displayLocation, repository: repository,
                message:
                    "ClickHouse refused user '\(endpoint.user)': check the user in the URL and the password in \(ClickHouseEndpoint.passwordVariable)",
                cause: cause)
        }
        return CensusStoreError(
            .clickhouseFailure, path: displayLocation, repository: repository,
            message: "ClickHouse could not \(action) (HTTP \(response.status))", cause: cause)
    }

    /// The server's message, shortened: `Code: 60, e.displayText() = DB::Exception: Table x doesn't
    /// exist., e.what() = DB::Exception` → `Code: 60, DB::Exception: Table x doesn't exist.`.
    static func serverMessage(_ body: [UInt8]) -> String {
        var text = String(decoding: body.prefix(4_000), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        text = text.replacingOccurrences(of: "e.displayText() = ", with: "")
        text = text.replacingOccurrences(of: ", e.what() = DB::Exception", with: "")
        if body.count > 4_000 { text += " …" }
        return text
    }

    /// `N` of a message starting `Code: N,`.
    static func exceptionCode(_ message: String) -> Int? {
        guard message.hasPrefix("Code: ") else { return nil }
        return Int(message.dropFirst(6).prefix { $0.isNumber })
    }

    /// Refuses calls after ``close()``.
    func checkOpen() throws {
        if pending.withLock({ $0.isClosed }) {
            throw CensusStoreError(.cannotOpen, path: displayLocation, message: "the store was closed: open it again")
        }
    }
}

extension ClickHouseStore: ResultStore {}

/// Saves held until the next batch is written.
struct PendingWrites {
    var scans: [PendingScan] = []
    var rows = 0
    var oldest: ContinuousClock.Instant?
    /// The last `saved_at` given out, so saves of one process are strictly ordered.
    var lastSavedAt: Int64 = 0
    var isClosed = false

    mutating func add(_ scan: PendingScan) {
        if scans.isEmpty { oldest = .now }
        scans.append(scan)
        rows += scan.rowCount
    }

    func isDue(_ limits: ClickHouseStore.BatchLimits) -> Bool {
        guard let oldest else { return false }
        return scans.count >= limits.repositories || rows >= limits.rows
            || ContinuousClock.now - oldest >= .milliseconds(Int64(limits.seconds * 1000))
    }

    mutating func takeAll() -> [PendingScan] {
        defer {
            scans = []
            rows = 0
            oldest = nil
        }
        return scans
    }

    /// Puts a batch that failed back before anything saved since; its clock restarts, so a server
    /// that is down is not retried at every save.
    mutating func putBack(_ batch: [PendingScan]) {
        scans = batch + scans
        rows = scans.reduce(0) { $0 + $1.rowCount }
        oldest = .now
    }

    /// A `saved_at` later than every earlier one of this process: the wall clock in nanoseconds.
    mutating func nextSavedAt() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nanoseconds = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
        lastSavedAt = max(nanoseconds, lastSavedAt + 1)
        return lastSavedAt
    }
}

/// One save, held until written.
struct PendingScan: Sendable {
    /// A random positive 63-bit id, new for every save (and again if a write must be retried).
    var id: Int64
    /// When it was saved, in nanoseconds since 1970: the latest save of a key is its current scan.
    var savedAt: Int64
    var repository: StoredRepository
    /// Sorted, duplicates dropped.
    var cohorts: [String]
    var languages: [StoredLanguageTotal]
    var files: [StoredFile]
    var own: StoredCounts
    var breakdownBytes: Int

    var rowCount: Int { 1 + cohorts.count + languages.count + files.count }

    static func newID() -> Int64 { Int64.random(in: 1...Int64.max) }

    func rekeyed() -> PendingScan {
        var copy = self
        copy.id = Self.newID()
        return copy
    }
}
