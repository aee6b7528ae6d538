/// Commit history in ClickHouse: the SQLite history tables plus `saved_at`, and the same answers.
///
/// ClickHouse neither replaces nor deletes in place, so a commit stored again (a walk rerun after an
/// interruption) is a second row: every query keeps, per `(repository_key, commit_id)`, the copy
/// saved last (`saved_at`), its change rows only, as SQLite's `INSERT OR REPLACE` would.
extension ClickHouseStore {
    static let historyCommitsTable = Table(
        name: "history_commits",
        columns: [
            ("repository_key", "String"), ("commit_id", "String"), ("author_name", "String"),
            ("author_email", "String"), ("author_time", "Int64"), ("author_offset", "Int64"),
            ("committer_name", "String"), ("committer_email", "String"), ("committer_time", "Int64"),
            ("committer_offset", "Int64"), ("parent_count", "Int64"), ("company", "String"),
            ("email_domain", "String"), ("is_bot", "UInt8"), ("saved_at", "Int64"),
        ],
        orderBy: "(repository_key, commit_id, saved_at)", shardingKey: "cityHash64(repository_key)")

    static let historyChangesTable = Table(
        name: "history_changes",
        columns: [
            ("repository_key", "String"), ("commit_id", "String"), ("language", "String"), ("category", "String"),
            ("added", "Int64"), ("removed", "Int64"), ("files", "Int64"), ("binary_files", "Int64"),
            ("saved_at", "Int64"),
        ],
        orderBy: "(language, category, repository_key, commit_id, saved_at)",
        shardingKey: "cityHash64(repository_key)")

    static let historyWalksTable = Table(
        name: "history_walks",
        columns: [
            ("repository_key", "String"), ("revision", "String"), ("tip", "String"), ("first_parent", "UInt8"),
            ("is_shallow", "UInt8"), ("walked_at", "Int64"), ("saved_at", "Int64"),
        ],
        orderBy: "(repository_key, saved_at)", shardingKey: "cityHash64(repository_key)")

    static let historyTables = [historyCommitsTable, historyChangesTable, historyWalksTable] + historyStatusTables

    // MARK: - Writing

    /// Stores a batch of one repository's commits at once (not held like scans): change rows first,
    /// then the commit rows, which make them current, then the walk. A commit stored again replaces
    /// the earlier copy in every answer; within one batch, the later occurrence wins.
    ///
    /// - Throws: ``CensusStoreError`` naming the repository: `readOnly`, or a failed insert (rerun
    ///   the walk: commits already written are simply written again).
    public func saveHistory(
        repositoryKey: String, commits: [StoredCommit], walk: StoredHistoryWalk? = nil, state: StoredWalkState? = nil
    ) throws {
        try checkOpen()
        if isReadOnly {
            throw CensusStoreError(
                .readOnly, path: displayLocation, repository: repositoryKey,
                message: "the store was opened for queries only")
        }
        // One saved_at per commit, increasing in batch order, so a commit listed twice keeps its
        // later copy, as SQLite's INSERT OR REPLACE does.
        let first = pending.withLock { $0.reserveSavedAt(max(1, commits.count)) }
        var commitRows = ClickHouseSQL.RowWriter()
        var changeRows = ClickHouseSQL.RowWriter()
        var statusRows = HistoryStatusRows()
        for (offset, c) in commits.enumerated() {
            let savedAt = first + Int64(offset)
            statusRows.add(repositoryKey, c, savedAt: savedAt)
            for change in c.changes {
                changeRows.field(repositoryKey)
                changeRows.field(c.commit)
                changeRows.field(change.language)
                changeRows.field(change.category.rawValue)
                changeRows.field(change.added)
                changeRows.field(change.removed)
                changeRows.field(change.files)
                changeRows.field(change.binaryFiles)
                changeRows.field(savedAt)
                changeRows.endRow()
            }
            commitRows.field(repositoryKey)
            commitRows.field(c.commit)
            commitRows.field(c.authorName)
            commitRows.field(c.authorEmail)
            commitRows.field(c.authorTime)
            commitRows.field(c.authorOffset)
            commitRows.field(c.committerName)
            commitRows.field(c.committerEmail)
            commitRows.field(c.committerTime)
            commitRows.field(c.committerOffset)
            commitRows.field(c.parentCount)
            commitRows.field(c.company)
            commitRows.field(c.emailDomain)
            commitRows.field(c.isBot ? 1 : 0)
            commitRows.field(savedAt)
            commitRows.endRow()
        }
        let action = "store the history of \(repositoryKey)"
        try insert(into: Self.historyChangesTable, changeRows, repository: repositoryKey, doing: action)
        try insert(into: Self.historyUnknownChangesTable, statusRows.unknown, repository: repositoryKey, doing: action)
        try insert(into: Self.historyMovesTable, statusRows.moves, repository: repositoryKey, doing: action)
        try insert(into: Self.historyCommitsTable, commitRows, repository: repositoryKey, doing: action)
        if let walk {
            var walkRows = ClickHouseSQL.RowWriter()
            walkRows.field(walk.repositoryKey)
            walkRows.field(walk.revision)
            walkRows.field(walk.tip)
            walkRows.field(walk.firstParent ? 1 : 0)
            walkRows.field(walk.isShallow ? 1 : 0)
            walkRows.field(walk.walkedAt)
            walkRows.field(first + Int64(max(1, commits.count)) - 1)
            walkRows.endRow()
            try insert(into: Self.historyWalksTable, walkRows, repository: repositoryKey, doing: action)
        }
        if let state { try saveWalkState(state) }
    }

    /// Where the stored history of a repository ends (its latest walk), if it has any.
    public func historyWalk(repositoryKey: String) throws -> StoredHistoryWalk? {
        let action = "read the history walk of \(repositoryKey)"
        let found = try answer(
            """
            SELECT argMax(revision, saved_at) AS walk_revision, argMax(tip, saved_at) AS walk_tip, \
            argMax(first_parent, saved_at) AS walk_first_parent, argMax(is_shallow, saved_at) AS walk_shallow, \
            argMax(walked_at, saved_at) AS walk_time FROM history_walks \
            WHERE repository_key = \(bind: repositoryKey) GROUP BY repository_key
            """, doing: action)
        return try reading(action) {
            try found.rows.first.map { row in
                StoredHistoryWalk(
                    repositoryKey: repositoryKey, revision: try found.string(row, "walk_revision"),
                    tip: try found.string(row, "walk_tip"), firstParent: try found.int(row, "walk_first_parent") != 0,
                    isShallow: try found.int(row, "walk_shallow") != 0,
                    walkedAt: Int64(try found.int(row, "walk_time")))
            }
        }
    }

    // MARK: - Questions

    /// Each stored commit once (its latest copy), filtered by period, bots and cohort: columns
    /// `repository_key, commit_id, email, moment, firm, domain`.
    func currentCommits(since: Int64?, until: Int64?, cohort: String?, includeBots: Bool) -> SQLText {
        var conditions: [SQLText] = []
        if !includeBots { conditions.append("bot = 0") }
        if let since { conditions.append("moment >= \(bind: since)") }
        if let until { conditions.append("moment < \(bind: until)") }
        let cohortCondition: SQLText = cohort.map { " WHERE \(repositoryKeyInCohort($0))" } ?? ""
        let having: SQLText = conditions.isEmpty ? "" : " HAVING \(StoreQueries.and(conditions))"
        return """
            SELECT repository_key, commit_id, argMax(author_email, saved_at) AS email, \
            argMax(author_time, saved_at) AS moment, argMax(company, saved_at) AS firm, \
            argMax(email_domain, saved_at) AS domain, argMax(is_bot, saved_at) AS bot \
            FROM history_commits\(cohortCondition) GROUP BY repository_key, commit_id\(having)
            """
    }

    /// The own change rows of each commit's latest copy (of `language`, when given): columns
    /// `repository_key, commit_id, added, removed`.
    func currentChanges(language: String?) -> SQLText {
        let languageCondition: SQLText = language.map { "language = \(bind: $0) AND " } ?? ""
        return """
            SELECT repository_key, commit_id, added, removed FROM history_changes \
            WHERE \(languageCondition)category = 'own' AND (repository_key, commit_id, saved_at) GLOBAL IN \
            (SELECT repository_key, commit_id, max(saved_at) AS latest FROM history_commits GROUP BY repository_key, commit_id)
            """
    }

    /// `repository_key IN (…)`: keys whose current scan is in the cohort (as SQLite's `repositories`
    /// holds only current scans).
    func repositoryKeyInCohort(_ cohort: String) -> SQLText {
        var conditions: [SQLText] = []
        if let current = queries.currentScans { conditions.append(current) }
        conditions.append(queries.inCohort(cohort))
        return "repository_key GLOBAL IN (SELECT repository_key FROM repositories WHERE \(StoreQueries.and(conditions)))"
    }

    /// Who contributed; the same answer as
    /// ``CensusDatabase/contributors(language:by:metric:since:until:cohort:includeBots:limit:)`` over
    /// the same saves.
    public func contributors(
        language: String? = nil, by group: ContributorGroup, metric: ContributorMetric = .commits, since: Int64? = nil,
        until: Int64? = nil, cohort: String? = nil, includeBots: Bool = false, limit: Int = 20
    ) throws -> [ContributorRow] {
        let unit: SQLText
        switch group {
        case .company: unit = "firm"
        case .author: unit = "email"
        case .domain: unit = "domain"
        }
        let order = SQLText(stringLiteral: metric.orderColumn)
        let commits = currentCommits(since: since, until: until, cohort: cohort, includeBots: includeBots)
        let query: SQLText = """
            SELECT \(unit) AS unit_name, uniqExact(repository_key, commit_id) AS commit_count, \
            uniqExact(email) AS author_count, sum(added) AS lines_added, sum(removed) AS lines_removed \
            FROM (\(commits)) GLOBAL ALL INNER JOIN (\(currentChanges(language: language))) USING (repository_key, commit_id) \
            GROUP BY unit_name ORDER BY \(order) DESC, unit_name ASC LIMIT \(bind: max(0, limit))
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

    /// A language over time; the same answer as
    /// ``CensusDatabase/timeline(language:by:metric:cohort:includeBots:)`` over the same saves. The
    /// running total of `code` is added up here from the per-period sums (ClickHouse 18.16 has no
    /// window functions).
    public func timeline(
        language: String, by period: TimelinePeriod, metric: TimelineMetric, cohort: String? = nil, includeBots: Bool = false
    ) throws -> [TimelinePoint] {
        func periodExpression(_ seconds: SQLText) -> SQLText {
            let time: SQLText = "toDateTime(\(seconds), 'UTC')"
            switch period {
            case .year: return "toString(toYear(\(time)))"
            case .month:
                return "concat(substring(toString(toYYYYMM(\(time))), 1, 4), '-', substring(toString(toYYYYMM(\(time))), 5, 2))"
            case .quarter: return "concat(toString(toYear(\(time))), '-Q', toString(toQuarter(\(time))))"
            }
        }
        let query: SQLText
        if metric == .newRepos {
            var conditions: [SQLText] = []
            if let current = queries.currentScans { conditions.append(current) }
            conditions.append("isNotNull(root_commit_date)")
            conditions.append(
                """
                repository_id GLOBAL IN (SELECT repository_id FROM repository_languages \
                WHERE language = \(bind: language) AND category = 'own' AND files > 0)
                """)
            if let cohort { conditions.append(queries.inCohort(cohort)) }
            query = """
                SELECT \(periodExpression("assumeNotNull(root_commit_date)")) AS period_name, count() AS period_value \
                FROM repositories WHERE \(StoreQueries.and(conditions)) GROUP BY period_name ORDER BY period_name
                """
        } else {
            let value: SQLText
            switch metric {
            case .code: value = "sum(added) - sum(removed)"
            case .commits: value = "uniqExact(repository_key, commit_id)"
            case .authors: value = "uniqExact(email)"
            case .newRepos: value = "0"
            }
            let commits = currentCommits(since: nil, until: nil, cohort: cohort, includeBots: includeBots)
            let changes = metric == .code ? currentChangesAndMoves(language: language) : currentChanges(language: language)
            query = """
                SELECT \(periodExpression("moment")) AS period_name, \(value) AS period_value \
                FROM (\(commits)) GLOBAL ALL INNER JOIN (\(changes)) \
                USING (repository_key, commit_id) GROUP BY period_name ORDER BY period_name
                """
        }
        let action = "draw the timeline of \(language)"
        let found = try answer(query, doing: action)
        var points = try reading(action) {
            try found.rows.map { row in
                TimelinePoint(period: try found.string(row, "period_name"), value: try found.int(row, "period_value"))
            }
        }
        if metric == .code {
            var total = 0
            for index in points.indices {
                total += points[index].value
                points[index].value = total
            }
        }
        return points
    }
}

extension PendingWrites {
    /// `count` consecutive `saved_at` values later than every earlier one; returns the first.
    mutating func reserveSavedAt(_ count: Int) -> Int64 {
        let first = nextSavedAt()
        lastSavedAt = first + Int64(max(1, count)) - 1
        return first
    }
}

extension ClickHouseStore: HistoryStore {}
