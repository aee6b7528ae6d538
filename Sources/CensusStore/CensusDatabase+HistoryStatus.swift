import GRDB

/// Lines that moved into (positive) or out of (negative) a language and category in one commit,
/// because a file's classification changed there (docs/history.md, "Language and category").
public struct StoredCommitMove: Sendable, Equatable {
    public var language: String
    public var category: StoredFileCategory
    public var lines: Int

    public init(language: String, category: StoredFileCategory, lines: Int) {
        self.language = language
        self.category = category
        self.lines = lines
    }
}

/// Where a repository's walk stands: complete, or partial with the reason, and where an
/// interrupted walk goes on (docs/history.md, "Partial walks").
public struct StoredWalkState: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// The stored history is whole up to ``target``.
        case complete
        /// The walk stopped before its end (git failed, or the walk was interrupted): its commits
        /// are stored, the rest are not, and every answer over the repository says so.
        case partial
    }

    public var repositoryKey: String
    public var status: Status
    /// Why the walk is partial (empty when complete).
    public var reason: String
    /// The tip being walked.
    public var target: String
    /// The tip of the earlier complete walk this one goes on from (empty: from the start).
    public var base: String
    /// The last commit stored, in the walk's order (an interrupted walk resumes after it).
    public var resumeAfter: String
    /// Whether the walk counts lines (false: `--no-lines`).
    public var countsLines: Bool
    public var firstParent: Bool
    /// Commits stored by this walk (so far).
    public var commits: Int
    /// Of them, commits whose line changes are unknown.
    public var unknownChangeCommits: Int
    public var updatedAt: Int64

    public init(
        repositoryKey: String, status: Status, reason: String, target: String, base: String, resumeAfter: String,
        countsLines: Bool, firstParent: Bool, commits: Int, unknownChangeCommits: Int, updatedAt: Int64
    ) {
        self.repositoryKey = repositoryKey
        self.status = status
        self.reason = reason
        self.target = target
        self.base = base
        self.resumeAfter = resumeAfter
        self.countsLines = countsLines
        self.firstParent = firstParent
        self.commits = commits
        self.unknownChangeCommits = unknownChangeCommits
        self.updatedAt = updatedAt
    }
}

/// What an answer over stored histories could not see: commits whose lines are unknown, and
/// repositories whose walk is partial. Every history answer prints it.
public struct HistoryCoverage: Sendable, Equatable {
    public struct PartialWalk: Sendable, Equatable {
        public var repositoryKey: String
        public var reason: String
        /// Commits stored for the repository.
        public var commits: Int

        public init(repositoryKey: String, reason: String, commits: Int) {
            self.repositoryKey = repositoryKey
            self.reason = reason
            self.commits = commits
        }
    }

    /// Commits in the answer's scope (period, cohort, bots), every language.
    public var commits = 0
    /// Of them, commits whose line changes are unknown: questions about lines could not count them.
    public var unknownChangeCommits = 0
    /// Repositories in scope whose walk is partial.
    public var partialWalks: [PartialWalk] = []

    public init(commits: Int = 0, unknownChangeCommits: Int = 0, partialWalks: [PartialWalk] = []) {
        self.commits = commits
        self.unknownChangeCommits = unknownChangeCommits
        self.partialWalks = partialWalks
    }
}

/// `census contributors --commits`: which commits count.
public enum ContributorCommits: String, Sendable, CaseIterable {
    /// Every commit (merges and commits that changed no own code included), as gitdm and devstats
    /// count: a company's people's commits.
    case all
    /// Commits that changed own code (in `--language`, when given).
    case code
}

/// A repository's commit count and first commit at one of its commits, as computed once and kept
/// (docs/git.md, "Metadata decisions").
public struct StoredGitMetadata: Sendable, Equatable {
    public var repositoryKey: String
    public var commit: String
    public var commitCount: Int
    public var rootCommit: String
    public var rootCommitTime: Int64
    public var rootCommitOffset: Int
    public var rootCount: Int
    /// How it was computed (`rev-list`, `commit-graph`, `history walk`).
    public var source: String

    public init(
        repositoryKey: String, commit: String, commitCount: Int, rootCommit: String, rootCommitTime: Int64,
        rootCommitOffset: Int, rootCount: Int, source: String
    ) {
        self.repositoryKey = repositoryKey
        self.commit = commit
        self.commitCount = commitCount
        self.rootCommit = rootCommit
        self.rootCommitTime = rootCommitTime
        self.rootCommitOffset = rootCommitOffset
        self.rootCount = rootCount
        self.source = source
    }
}

/// The prepared statements that store a commit's unknown changes and moves beside its changes.
struct HistoryStatusStatements {
    let clearUnknown: Statement
    let insertUnknown: Statement
    let clearMoves: Statement
    let insertMove: Statement

    init(_ db: Database) throws {
        clearUnknown = try db.makeStatement(sql: "DELETE FROM history_unknown_changes WHERE commit_row = ?")
        insertUnknown = try db.makeStatement(sql: "INSERT INTO history_unknown_changes (commit_row, reason) VALUES (?, ?)")
        clearMoves = try db.makeStatement(sql: "DELETE FROM history_moves WHERE commit_row = ?")
        insertMove = try db.makeStatement(
            sql: "INSERT INTO history_moves (commit_row, language, category, lines) VALUES (?, ?, ?, ?)")
    }

    /// - Parameters:
    ///   - row: the commit's `commit_row`.
    ///   - replacing: the commit may have rows already (stored before): clear them first.
    func save(_ row: Int64, _ commit: StoredCommit, replacing: Bool) throws {
        if replacing { try clearUnknown.execute(arguments: [row]) }
        if let reason = commit.unknownChanges, reason != StoredCommit.notCounted {
            try insertUnknown.execute(arguments: [row, reason])
        }
        if replacing { try clearMoves.execute(arguments: [row]) }
        for move in commit.moves {
            try insertMove.execute(arguments: [row, move.language, move.category.rawValue, move.lines])
        }
    }
}

extension CensusDatabase {
    /// Schema version 6: unknown changes, moves, walk states and cached repository metadata.
    static let schemaV6 = [
        // 0 when the commit's line changes are unknown (history_unknown_changes says why, except
        // for attribution-only walks, whose reason is always StoredCommit.notCounted).
        "ALTER TABLE history_commits ADD COLUMN lines_known INTEGER NOT NULL DEFAULT 1",
        """
        CREATE TABLE history_unknown_changes (
            repository_key TEXT NOT NULL,
            commit_id TEXT NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (repository_key, commit_id)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE history_moves (
            repository_key TEXT NOT NULL,
            commit_id TEXT NOT NULL,
            language TEXT NOT NULL,
            category TEXT NOT NULL CHECK (category IN ('own', 'vendored', 'generated', 'documentation')),
            lines INTEGER NOT NULL,
            PRIMARY KEY (repository_key, commit_id, language, category)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE history_walk_states (
            repository_key TEXT NOT NULL PRIMARY KEY,
            status TEXT NOT NULL CHECK (status IN ('complete', 'partial')),
            reason TEXT NOT NULL,
            target TEXT NOT NULL,
            base TEXT NOT NULL,
            resume_after TEXT NOT NULL,
            counts_lines INTEGER NOT NULL,
            first_parent INTEGER NOT NULL,
            commits INTEGER NOT NULL,
            unknown_change_commits INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        )
        """,
        """
        CREATE TABLE git_metadata (
            repository_key TEXT NOT NULL,
            commit_id TEXT NOT NULL,
            commit_count INTEGER NOT NULL,
            root_commit_id TEXT NOT NULL,
            root_commit_time INTEGER NOT NULL,
            root_commit_offset INTEGER NOT NULL,
            root_count INTEGER NOT NULL,
            source TEXT NOT NULL,
            PRIMARY KEY (repository_key, commit_id)
        ) WITHOUT ROWID
        """,
    ]

    // MARK: - Walk states

    static func saveWalkState(_ db: Database, _ state: StoredWalkState) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO history_walk_states (repository_key, status, reason, target, base, resume_after, \
                counts_lines, first_parent, commits, unknown_change_commits, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                state.repositoryKey, state.status.rawValue, state.reason, state.target, state.base, state.resumeAfter,
                state.countsLines, state.firstParent, state.commits, state.unknownChangeCommits, state.updatedAt,
            ])
    }

    /// Records where a walk stands, on its own (the start of a walk, or its failure).
    public func saveWalkState(_ state: StoredWalkState) throws {
        try writeTransaction(repository: state.repositoryKey) { db in try Self.saveWalkState(db, state) }
    }

    /// Where the last walk of a repository stands, if it was ever walked.
    public func walkState(repositoryKey: String) throws -> StoredWalkState? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM history_walk_states WHERE repository_key = ?", arguments: [repositoryKey])
                .map { row in
                    StoredWalkState(
                        repositoryKey: row["repository_key"],
                        status: StoredWalkState.Status(rawValue: row["status"]) ?? .partial, reason: row["reason"],
                        target: row["target"], base: row["base"], resumeAfter: row["resume_after"],
                        countsLines: row["counts_lines"], firstParent: row["first_parent"], commits: row["commits"],
                        unknownChangeCommits: row["unknown_change_commits"], updatedAt: row["updated_at"])
                }
        }
    }

    // MARK: - Repository metadata

    public func saveGitMetadata(_ metadata: StoredGitMetadata) throws {
        try writeTransaction(repository: metadata.repositoryKey) { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO git_metadata (repository_key, commit_id, commit_count, root_commit_id, \
                    root_commit_time, root_commit_offset, root_count, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    metadata.repositoryKey, metadata.commit, metadata.commitCount, metadata.rootCommit,
                    metadata.rootCommitTime, metadata.rootCommitOffset, metadata.rootCount, metadata.source,
                ])
        }
    }

    public func gitMetadata(repositoryKey: String, commit: String) throws -> StoredGitMetadata? {
        try read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM git_metadata WHERE repository_key = ? AND commit_id = ?",
                arguments: [repositoryKey, commit]
            ).map { row in
                StoredGitMetadata(
                    repositoryKey: row["repository_key"], commit: row["commit_id"], commitCount: row["commit_count"],
                    rootCommit: row["root_commit_id"], rootCommitTime: row["root_commit_time"],
                    rootCommitOffset: row["root_commit_offset"], rootCount: row["root_count"], source: row["source"])
            }
        }
    }

    public func repositoriesWithUnknownFirstCommit(language: String, cohort: String? = nil) throws -> Int {
        var arguments: StatementArguments = [language]
        var cohortCondition = ""
        if let cohort {
            cohortCondition = " AND r.repository_id IN (SELECT repository_id FROM repository_cohorts WHERE cohort = ?)"
            _ = arguments.append(contentsOf: [cohort])
        }
        return try read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM repositories AS r WHERE r.commit_id IS NOT NULL AND r.root_commit_date IS NULL \
                    AND r.repository_id IN (SELECT repository_id FROM repository_languages WHERE language = ? AND category = 'own' \
                    AND files > 0)\(cohortCondition)
                    """, arguments: arguments) ?? 0
        }
    }

    // MARK: - Questions

    /// Commits filtered by period, cohort and bots (no language): `(condition, arguments)` over
    /// `history_commits AS c`.
    private func commitFilter(since: Int64?, until: Int64?, cohort: String?, includeBots: Bool) -> (String, StatementArguments) {
        var conditions = ["1 = 1"]
        var arguments: StatementArguments = []
        if !includeBots { conditions.append("c.is_bot = 0") }
        if let since {
            conditions.append("c.author_time >= ?")
            _ = arguments.append(contentsOf: [since])
        }
        if let until {
            conditions.append("c.author_time < ?")
            _ = arguments.append(contentsOf: [until])
        }
        if let cohort {
            conditions.append(Self.historyCohortCondition)
            _ = arguments.append(contentsOf: [cohort])
        }
        return (conditions.joined(separator: " AND "), arguments)
    }

    private static func cohortCondition(_ column: String) -> String {
        """
        \(column) IN (SELECT r.repository_key FROM repositories AS r JOIN repository_cohorts AS rc \
        USING (repository_id) WHERE rc.cohort = ?)
        """
    }

    /// The commits (`history_commits AS c`) of the repositories in a cohort (one argument).
    static let historyCohortCondition = """
        c.repository IN (SELECT hr.repository FROM history_repositories AS hr JOIN repositories AS r \
        USING (repository_key) JOIN repository_cohorts AS rc USING (repository_id) WHERE rc.cohort = ?)
        """

    /// What answers over this scope could not see: commits with unknown line changes, and
    /// repositories whose walk is partial.
    public func historyCoverage(since: Int64? = nil, until: Int64? = nil, cohort: String? = nil, includeBots: Bool = false)
        throws -> HistoryCoverage
    {
        let (condition, arguments) = commitFilter(since: since, until: until, cohort: cohort, includeBots: includeBots)
        var walkArguments: StatementArguments = []
        var walkCondition = "w.status = 'partial'"
        if let cohort {
            walkCondition += " AND " + Self.cohortCondition("w.repository_key")
            _ = walkArguments.append(contentsOf: [cohort])
        }
        return try read { db in
            let counts = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) AS commit_count, COALESCE(SUM(c.lines_known = 0), 0) AS unknown_count \
                    FROM history_commits AS c WHERE \(condition)
                    """, arguments: arguments)
            // Stored commits per partial walk's repository: one pass over the commits, and only
            // when a walk is partial (commits are not indexed by repository).
            let walks = try Row.fetchAll(
                db,
                sql: """
                    SELECT w.repository_key AS repository_key, w.reason AS reason \
                    FROM history_walk_states AS w WHERE \(walkCondition) ORDER BY w.repository_key
                    """, arguments: walkArguments)
            var stored: [String: Int] = [:]
            if !walks.isEmpty {
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT hr.repository_key AS repository_key, COUNT(*) AS stored \
                        FROM history_commits AS c JOIN history_repositories AS hr USING (repository) \
                        WHERE hr.repository_key IN (SELECT w.repository_key FROM history_walk_states AS w WHERE \(walkCondition)) \
                        GROUP BY hr.repository_key
                        """, arguments: walkArguments)
                {
                    stored[row["repository_key"]] = row["stored"]
                }
            }
            let partial = walks.map { row in
                let key: String = row["repository_key"]
                return HistoryCoverage.PartialWalk(repositoryKey: key, reason: row["reason"], commits: stored[key] ?? 0)
            }
            return HistoryCoverage(
                commits: counts?["commit_count"] ?? 0, unknownChangeCommits: counts?["unknown_count"] ?? 0,
                partialWalks: partial)
        }
    }

    /// Who contributed, counting every commit (`--commits all`): per company, author or domain,
    /// all commits (merges, documentation-only and unknown-change commits included), distinct
    /// authors, and the own lines those commits added and removed; bots left out unless
    /// `includeBots`.
    public func contributorsOfAllCommits(
        by group: ContributorGroup, metric: ContributorMetric, since: Int64?, until: Int64?, cohort: String?,
        includeBots: Bool, limit: Int
    ) throws -> [ContributorRow] {
        let unit: String
        switch group {
        case .company: unit = "c.company"
        case .author: unit = "c.author_email"
        case .domain: unit = "c.email_domain"
        }
        let (condition, arguments) = commitFilter(since: since, until: until, cohort: cohort, includeBots: includeBots)
        var all = arguments
        _ = all.append(contentsOf: [max(0, limit)])
        let sql = """
            SELECT \(unit) AS unit_name, COUNT(*) AS commit_count, COUNT(DISTINCT c.author_email) AS author_count, \
            COALESCE(SUM(o.added), 0) AS lines_added, COALESCE(SUM(o.removed), 0) AS lines_removed \
            FROM history_commits AS c LEFT JOIN (SELECT commit_row, SUM(added) AS added, SUM(removed) AS removed \
            FROM history_changes WHERE category = 'own' GROUP BY commit_row) AS o USING (commit_row) \
            WHERE \(condition) GROUP BY unit_name ORDER BY \(metric.orderColumn) DESC, unit_name ASC LIMIT ?
            """
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: all).map { row in
                ContributorRow(
                    name: row["unit_name"], commits: row["commit_count"], authors: row["author_count"],
                    linesAdded: row["lines_added"], linesRemoved: row["lines_removed"])
            }
        }
    }

    /// The running total of own lines of `language`: per period, added − removed plus the lines
    /// that moved in or out when files changed classification.
    func codeTimeline(language: String, period: (String) -> String, cohort: String?, includeBots: Bool) throws
        -> [TimelinePoint]
    {
        let (condition, arguments) = commitFilter(since: nil, until: nil, cohort: cohort, includeBots: includeBots)
        var all: StatementArguments = [language]
        _ = all.append(contentsOf: arguments)
        _ = all.append(contentsOf: [language])
        _ = all.append(contentsOf: arguments)
        let sql = """
            SELECT period, SUM(net) AS period_net FROM ( \
            SELECT \(period("c.author_time")) AS period, h.added - h.removed AS net FROM history_commits AS c \
            JOIN history_changes AS h USING (commit_row) \
            WHERE h.language = ? AND h.category = 'own' AND \(condition) \
            UNION ALL \
            SELECT \(period("c.author_time")) AS period, m.lines AS net FROM history_commits AS c \
            JOIN history_moves AS m USING (commit_row) \
            WHERE m.language = ? AND m.category = 'own' AND \(condition)) \
            GROUP BY period ORDER BY period
            """
        var points = try read { db in
            try Row.fetchAll(db, sql: sql, arguments: all).map { TimelinePoint(period: $0["period"], value: $0["period_net"]) }
        }
        var total = 0
        for index in points.indices {
            total += points[index].value
            points[index].value = total
        }
        return points
    }
}
