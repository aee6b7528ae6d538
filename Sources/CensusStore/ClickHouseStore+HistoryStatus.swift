/// Unknown changes, moves, walk states and cached repository metadata in ClickHouse: SQLite's
/// schema version 6 tables plus `saved_at`, and the same answers. As with the other history
/// tables, a row counts only when it belongs to the copy of its commit (or walk state, or
/// metadata) saved last.
extension ClickHouseStore {
    static let historyUnknownChangesTable = Table(
        name: "history_unknown_changes",
        columns: [("repository_key", "String"), ("commit_id", "String"), ("reason", "String"), ("saved_at", "Int64")],
        orderBy: "(repository_key, commit_id, saved_at)", shardingKey: "cityHash64(repository_key)")

    static let historyMovesTable = Table(
        name: "history_moves",
        columns: [
            ("repository_key", "String"), ("commit_id", "String"), ("language", "String"), ("category", "String"),
            ("lines", "Int64"), ("saved_at", "Int64"),
        ],
        orderBy: "(language, category, repository_key, commit_id, saved_at)", shardingKey: "cityHash64(repository_key)")

    static let historyWalkStatesTable = Table(
        name: "history_walk_states",
        columns: [
            ("repository_key", "String"), ("status", "String"), ("reason", "String"), ("target", "String"),
            ("base", "String"), ("resume_after", "String"), ("counts_lines", "UInt8"), ("first_parent", "UInt8"),
            ("commits", "Int64"), ("unknown_change_commits", "Int64"), ("updated_at", "Int64"), ("saved_at", "Int64"),
        ],
        orderBy: "(repository_key, saved_at)", shardingKey: "cityHash64(repository_key)")

    static let gitMetadataTable = Table(
        name: "git_metadata",
        columns: [
            ("repository_key", "String"), ("commit_id", "String"), ("commit_count", "Int64"), ("root_commit_id", "String"),
            ("root_commit_time", "Int64"), ("root_commit_offset", "Int64"), ("root_count", "Int64"), ("source", "String"),
            ("saved_at", "Int64"),
        ],
        orderBy: "(repository_key, commit_id, saved_at)", shardingKey: "cityHash64(repository_key)")

    static let historyStatusTables = [historyUnknownChangesTable, historyMovesTable, historyWalkStatesTable, gitMetadataTable]

    // MARK: - Writing

    public func saveWalkState(_ state: StoredWalkState) throws {
        try checkOpen()
        if isReadOnly {
            throw CensusStoreError(
                .readOnly, path: displayLocation, repository: state.repositoryKey,
                message: "the store was opened for queries only")
        }
        let savedAt = pending.withLock { $0.reserveSavedAt(1) }
        var rows = ClickHouseSQL.RowWriter()
        rows.field(state.repositoryKey)
        rows.field(state.status.rawValue)
        rows.field(state.reason)
        rows.field(state.target)
        rows.field(state.base)
        rows.field(state.resumeAfter)
        rows.field(state.countsLines ? 1 : 0)
        rows.field(state.firstParent ? 1 : 0)
        rows.field(state.commits)
        rows.field(state.unknownChangeCommits)
        rows.field(state.updatedAt)
        rows.field(savedAt)
        rows.endRow()
        try insert(
            into: Self.historyWalkStatesTable, rows, repository: state.repositoryKey,
            doing: "record the walk of \(state.repositoryKey)")
    }

    public func walkState(repositoryKey: String) throws -> StoredWalkState? {
        let action = "read the walk state of \(repositoryKey)"
        let columns = Self.historyWalkStatesTable.columns.map(\.name).filter { $0 != "repository_key" && $0 != "saved_at" }
        let selected = columns.map { "argMax(\($0), saved_at) AS latest_\($0)" }.joined(separator: ", ")
        let found = try answer(
            """
            SELECT \(SQLText(stringLiteral: selected)) FROM history_walk_states \
            WHERE repository_key = \(bind: repositoryKey) GROUP BY repository_key
            """, doing: action)
        return try reading(action) {
            try found.rows.first.map { row in
                StoredWalkState(
                    repositoryKey: repositoryKey,
                    status: StoredWalkState.Status(rawValue: try found.string(row, "latest_status")) ?? .partial,
                    reason: try found.string(row, "latest_reason"), target: try found.string(row, "latest_target"),
                    base: try found.string(row, "latest_base"), resumeAfter: try found.string(row, "latest_resume_after"),
                    countsLines: try found.int(row, "latest_counts_lines") != 0,
                    firstParent: try found.int(row, "latest_first_parent") != 0,
                    commits: try found.int(row, "latest_commits"),
                    unknownChangeCommits: try found.int(row, "latest_unknown_change_commits"),
                    updatedAt: Int64(try found.int(row, "latest_updated_at")))
            }
        }
    }

    public func saveGitMetadata(_ metadata: StoredGitMetadata) throws {
        try checkOpen()
        if isReadOnly {
            throw CensusStoreError(
                .readOnly, path: displayLocation, repository: metadata.repositoryKey,
                message: "the store was opened for queries only")
        }
        let savedAt = pending.withLock { $0.reserveSavedAt(1) }
        var rows = ClickHouseSQL.RowWriter()
        rows.field(metadata.repositoryKey)
        rows.field(metadata.commit)
        rows.field(metadata.commitCount)
        rows.field(metadata.rootCommit)
        rows.field(metadata.rootCommitTime)
        rows.field(metadata.rootCommitOffset)
        rows.field(metadata.rootCount)
        rows.field(metadata.source)
        rows.field(savedAt)
        rows.endRow()
        try insert(
            into: Self.gitMetadataTable, rows, repository: metadata.repositoryKey,
            doing: "keep the metadata of \(metadata.repositoryKey)")
    }

    public func gitMetadata(repositoryKey: String, commit: String) throws -> StoredGitMetadata? {
        let action = "read the metadata of \(repositoryKey)"
        let found = try answer(
            """
            SELECT argMax(commit_count, saved_at) AS latest_count, argMax(root_commit_id, saved_at) AS latest_root, \
            argMax(root_commit_time, saved_at) AS latest_time, argMax(root_commit_offset, saved_at) AS latest_offset, \
            argMax(root_count, saved_at) AS latest_roots, argMax(source, saved_at) AS latest_source FROM git_metadata \
            WHERE repository_key = \(bind: repositoryKey) AND commit_id = \(bind: commit) GROUP BY repository_key, commit_id
            """, doing: action)
        return try reading(action) {
            try found.rows.first.map { row in
                StoredGitMetadata(
                    repositoryKey: repositoryKey, commit: commit, commitCount: try found.int(row, "latest_count"),
                    rootCommit: try found.string(row, "latest_root"), rootCommitTime: Int64(try found.int(row, "latest_time")),
                    rootCommitOffset: try found.int(row, "latest_offset"), rootCount: try found.int(row, "latest_roots"),
                    source: try found.string(row, "latest_source"))
            }
        }
    }

    public func repositoriesWithUnknownFirstCommit(language: String, cohort: String? = nil) throws -> Int {
        var conditions: [SQLText] = []
        if let current = queries.currentScans { conditions.append(current) }
        conditions.append("isNotNull(commit_id) AND isNull(root_commit_date)")
        conditions.append(
            """
            repository_id GLOBAL IN (SELECT repository_id FROM repository_languages \
            WHERE language = \(bind: language) AND category = 'own' AND files > 0)
            """)
        if let cohort { conditions.append(queries.inCohort(cohort)) }
        let action = "count the repositories whose first commit is unknown"
        let found = try answer(
            "SELECT count() AS unknown_count FROM repositories WHERE \(StoreQueries.and(conditions))", doing: action)
        return try reading(action) { try found.rows.first.map { try found.int($0, "unknown_count") } ?? 0 }
    }

    // MARK: - Questions

    /// The own change rows of each commit's latest copy, and its moves as rows whose `added` is
    /// the lines moved (negative when out) and `removed` 0.
    func currentChangesAndMoves(language: String) -> SQLText {
        """
        SELECT repository_key, commit_id, added, removed FROM (\(currentChanges(language: language)) \
        UNION ALL SELECT repository_key, commit_id, lines AS added, toInt64(0) AS removed FROM history_moves \
        WHERE language = \(bind: language) AND category = 'own' AND (repository_key, commit_id, saved_at) GLOBAL IN \
        (SELECT repository_key, commit_id, max(saved_at) AS latest FROM history_commits GROUP BY repository_key, commit_id))
        """
    }

    /// The same answer as ``CensusDatabase/historyCoverage(since:until:cohort:includeBots:)``.
    public func historyCoverage(since: Int64? = nil, until: Int64? = nil, cohort: String? = nil, includeBots: Bool = false)
        throws -> HistoryCoverage
    {
        let commits = currentCommits(since: since, until: until, cohort: cohort, includeBots: includeBots)
        let action = "count what the history answers could not see"
        let counted = try answer(
            """
            SELECT count() AS commit_count, sum(unknown) AS unknown_count FROM (\(commits)) \
            GLOBAL ALL LEFT JOIN (SELECT repository_key, commit_id, toUInt64(1) AS unknown FROM history_unknown_changes \
            WHERE (repository_key, commit_id, saved_at) GLOBAL IN \
            (SELECT repository_key, commit_id, max(saved_at) AS latest FROM history_commits GROUP BY repository_key, commit_id)) \
            USING (repository_key, commit_id)
            """, doing: action)
        let cohortCondition: SQLText = cohort.map { " AND \(repositoryKeyInCohort($0))" } ?? ""
        let walks = try answer(
            """
            SELECT repository_key, latest_reason, stored FROM (SELECT repository_key, argMax(status, saved_at) AS latest_status, \
            argMax(reason, saved_at) AS latest_reason FROM history_walk_states GROUP BY repository_key) \
            GLOBAL ALL LEFT JOIN (SELECT repository_key, uniqExact(commit_id) AS stored FROM history_commits GROUP BY repository_key) \
            USING (repository_key) WHERE latest_status = 'partial'\(cohortCondition) ORDER BY repository_key
            """, doing: action)
        return try reading(action) {
            let row = counted.rows.first
            let partial = try walks.rows.map { row in
                HistoryCoverage.PartialWalk(
                    repositoryKey: try walks.string(row, "repository_key"), reason: try walks.string(row, "latest_reason"),
                    commits: try walks.int(row, "stored"))
            }
            return HistoryCoverage(
                commits: try row.map { try counted.int($0, "commit_count") } ?? 0,
                unknownChangeCommits: try row.map { try counted.optionalInt($0, "unknown_count") ?? 0 } ?? 0,
                partialWalks: partial)
        }
    }

    /// The same answer as
    /// ``CensusDatabase/contributorsOfAllCommits(by:metric:since:until:cohort:includeBots:limit:)``.
    public func contributorsOfAllCommits(
        by group: ContributorGroup, metric: ContributorMetric, since: Int64?, until: Int64?, cohort: String?,
        includeBots: Bool, limit: Int
    ) throws -> [ContributorRow] {
        let unit: SQLText
        switch group {
        case .company: unit = "firm"
        case .author: unit = "email"
        case .domain: unit = "domain"
        }
        let commits = currentCommits(since: since, until: until, cohort: cohort, includeBots: includeBots)
        let own: SQLText = """
            SELECT repository_key, commit_id, sum(added) AS own_added, sum(removed) AS own_removed \
            FROM (\(currentChanges(language: nil))) GROUP BY repository_key, commit_id
            """
        let query: SQLText = """
            SELECT \(unit) AS unit_name, count() AS commit_count, uniqExact(email) AS author_count, \
            sum(own_added) AS lines_added, sum(own_removed) AS lines_removed \
            FROM (\(commits)) GLOBAL ALL LEFT JOIN (\(own)) USING (repository_key, commit_id) \
            GROUP BY unit_name ORDER BY \(SQLText(stringLiteral: metric.orderColumn)) DESC, unit_name ASC \
            LIMIT \(bind: max(0, limit))
            """
        let action = "rank the contributors"
        let found = try answer(query, doing: action)
        return try reading(action) {
            try found.rows.map { row in
                ContributorRow(
                    name: try found.string(row, "unit_name"), commits: try found.int(row, "commit_count"),
                    authors: try found.int(row, "author_count"), linesAdded: try found.int(row, "lines_added"),
                    linesRemoved: try found.int(row, "lines_removed"))
            }
        }
    }
}

/// The unknown-change and move rows of a batch of commits.
struct HistoryStatusRows {
    var unknown = ClickHouseSQL.RowWriter()
    var moves = ClickHouseSQL.RowWriter()

    mutating func add(_ repositoryKey: String, _ commit: StoredCommit, savedAt: Int64) {
        if let reason = commit.unknownChanges {
            unknown.field(repositoryKey)
            unknown.field(commit.commit)
            unknown.field(reason)
            unknown.field(savedAt)
            unknown.endRow()
        }
        for move in commit.moves {
            moves.field(repositoryKey)
            moves.field(commit.commit)
            moves.field(move.language)
            moves.field(move.category.rawValue)
            moves.field(move.lines)
            moves.field(savedAt)
            moves.endRow()
        }
    }
}
