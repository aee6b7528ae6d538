import GRDB

/// One commit as the history tables store it (docs/schema.md, "History").
public struct StoredCommit: Sendable, Equatable {
    public var commit: String
    public var authorName: String
    public var authorEmail: String
    /// Seconds since 1970 (UTC) and the author's offset from UTC in minutes.
    public var authorTime: Int64
    public var authorOffset: Int
    public var committerName: String
    public var committerEmail: String
    public var committerTime: Int64
    public var committerOffset: Int
    public var parentCount: Int
    /// The company the author's email and the commit's date are attributed to ("Unknown" when none).
    public var company: String
    /// The author email's domain (lowercase; empty when the email has none).
    public var emailDomain: String
    public var isBot: Bool
    /// Per language (empty for files no strategy recognises) and category.
    public var changes: [StoredCommitChange]
    /// Why the commit's line changes are unknown (a blob git could not read, or a walk without
    /// lines: ``StoredCommit/notCounted``); nil when ``changes`` are complete. See
    /// docs/history.md, "Unknown changes".
    public var unknownChanges: String? = nil

    /// The reason of every commit of an attribution-only walk (`--no-lines`). SQLite keeps it as
    /// `history_commits.lines_known = 0` alone, without a row of its own.
    public static let notCounted = "lines not counted (census history --no-lines)"
    /// Lines that moved between languages or categories because a file's classification changed
    /// (its content made it generated, say): per language and category, in (+) or out (−).
    public var moves: [StoredCommitMove] = []

    public init(
        commit: String, authorName: String, authorEmail: String, authorTime: Int64, authorOffset: Int, committerName: String,
        committerEmail: String, committerTime: Int64, committerOffset: Int, parentCount: Int, company: String,
        emailDomain: String, isBot: Bool, changes: [StoredCommitChange]
    ) {
        self.commit = commit
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.authorTime = authorTime
        self.authorOffset = authorOffset
        self.committerName = committerName
        self.committerEmail = committerEmail
        self.committerTime = committerTime
        self.committerOffset = committerOffset
        self.parentCount = parentCount
        self.company = company
        self.emailDomain = emailDomain
        self.isBot = isBot
        self.changes = changes
    }
}

/// Lines a commit added and removed in one language and category.
public struct StoredCommitChange: Sendable, Equatable {
    public var language: String
    public var category: StoredFileCategory
    public var added: Int
    public var removed: Int
    public var files: Int
    public var binaryFiles: Int

    public init(language: String, category: StoredFileCategory, added: Int, removed: Int, files: Int, binaryFiles: Int) {
        self.language = language
        self.category = category
        self.added = added
        self.removed = removed
        self.files = files
        self.binaryFiles = binaryFiles
    }
}

/// Where a repository's stored history ends.
public struct StoredHistoryWalk: Sendable, Equatable {
    public var repositoryKey: String
    public var revision: String
    /// The newest commit walked: the next walk stops there.
    public var tip: String
    public var firstParent: Bool
    public var isShallow: Bool
    public var walkedAt: Int64

    public init(repositoryKey: String, revision: String, tip: String, firstParent: Bool, isShallow: Bool, walkedAt: Int64) {
        self.repositoryKey = repositoryKey
        self.revision = revision
        self.tip = tip
        self.firstParent = firstParent
        self.isShallow = isShallow
        self.walkedAt = walkedAt
    }
}

/// `census contributors --by`.
public enum ContributorGroup: String, Sendable, CaseIterable {
    case company, author, domain
}

/// `census contributors --metric`.
public enum ContributorMetric: String, Sendable, CaseIterable {
    case commits, authors
    case linesAdded = "lines-added"
}

extension ContributorMetric {
    /// The result column both stores' contributor queries order by.
    package var orderColumn: String {
        switch self {
        case .commits: return "commit_count"
        case .authors: return "author_count"
        case .linesAdded: return "lines_added"
        }
    }
}

/// `census timeline --by`.
public enum TimelinePeriod: String, Sendable, CaseIterable {
    case year, quarter, month
}

/// `census timeline --metric`.
public enum TimelineMetric: String, Sendable, CaseIterable {
    /// Own lines of the language at the end of each period: cumulative added − removed.
    case code
    case commits, authors
    /// Repositories whose root commit falls in the period (repositories with own code in the language).
    case newRepos = "new-repos"
}

public struct ContributorRow: Sendable, Equatable {
    public var name: String
    public var commits: Int
    public var authors: Int
    public var linesAdded: Int
    public var linesRemoved: Int
}

public struct TimelinePoint: Sendable, Equatable {
    public var period: String
    public var value: Int

    public init(period: String, value: Int) {
        self.period = period
        self.value = value
    }
}

extension CensusDatabase {
    /// Schema version 2: the history tables.
    static let schemaV2 = [
        """
        CREATE TABLE history_commits (
            repository_key TEXT NOT NULL,
            commit_id TEXT NOT NULL,
            author_name TEXT NOT NULL,
            author_email TEXT NOT NULL,
            author_time INTEGER NOT NULL,
            author_offset INTEGER NOT NULL,
            committer_name TEXT NOT NULL,
            committer_email TEXT NOT NULL,
            committer_time INTEGER NOT NULL,
            committer_offset INTEGER NOT NULL,
            parent_count INTEGER NOT NULL,
            company TEXT NOT NULL,
            email_domain TEXT NOT NULL,
            is_bot INTEGER NOT NULL,
            PRIMARY KEY (repository_key, commit_id)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX history_commits_by_time ON history_commits (author_time)",
        """
        CREATE TABLE history_changes (
            repository_key TEXT NOT NULL,
            commit_id TEXT NOT NULL,
            language TEXT NOT NULL,
            category TEXT NOT NULL CHECK (category IN ('own', 'vendored', 'generated', 'documentation')),
            added INTEGER NOT NULL,
            removed INTEGER NOT NULL,
            files INTEGER NOT NULL,
            binary_files INTEGER NOT NULL,
            PRIMARY KEY (repository_key, commit_id, language, category)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX history_changes_by_language ON history_changes (language, category, repository_key, commit_id)",
        """
        CREATE TABLE history_walks (
            repository_key TEXT NOT NULL PRIMARY KEY,
            revision TEXT NOT NULL,
            tip TEXT NOT NULL,
            first_parent INTEGER NOT NULL,
            is_shallow INTEGER NOT NULL,
            walked_at INTEGER NOT NULL
        )
        """,
    ]

    // MARK: - Writing

    /// Stores a batch of one repository's commits in one transaction (rows already present are
    /// replaced: a walk interrupted and rerun stores each commit once). With `walk`, the
    /// repository's tip moves in the same transaction: pass it with the last batch of a walk.
    public func saveHistory(
        repositoryKey: String, commits: [StoredCommit], walk: StoredHistoryWalk? = nil, state: StoredWalkState? = nil
    ) throws {
        try writeTransaction(repository: repositoryKey) { db in
            // Rows to replace exist only for commits stored before (or twice in this batch): the
            // insert itself tells (HistoryRowWriter), so a first walk's new commits are appended,
            // 32 by one statement.
            let writer = try HistoryRowWriter(db, repositoryKey: repositoryKey)
            try writer.saveAll(commits)
            if let walk {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO history_walks (repository_key, revision, tip, first_parent, is_shallow, walked_at) \
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [walk.repositoryKey, walk.revision, walk.tip, walk.firstParent, walk.isShallow, walk.walkedAt])
            }
            if let state { try Self.saveWalkState(db, state) }
        }
    }

    /// Where the stored history of a repository ends, if it has any.
    public func historyWalk(repositoryKey: String) throws -> StoredHistoryWalk? {
        try read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM history_walks WHERE repository_key = ?", arguments: [repositoryKey]
            ).map { row in
                StoredHistoryWalk(
                    repositoryKey: row["repository_key"], revision: row["revision"], tip: row["tip"],
                    firstParent: row["first_parent"], isShallow: row["is_shallow"], walkedAt: row["walked_at"])
            }
        }
    }

    // MARK: - Questions

    /// Commits (and the lines they changed) filtered by language (own code), period, cohort and
    /// bots, as `(condition, arguments)` for the `history_commits AS c` / `history_changes AS h` join.
    private func historyFilter(
        language: String?, since: Int64?, until: Int64?, cohort: String?, includeBots: Bool
    ) -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let language {
            conditions.append("h.language = ? AND h.category = 'own'")
            _ = arguments.append(contentsOf: [language])
        } else {
            conditions.append("h.category = 'own'")
        }
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

    /// Who contributed: per company, author (email) or email domain, the commits touching own code
    /// (in `language`, when given), distinct authors, and own lines added and removed; bots left out
    /// unless `includeBots`; ordered by `metric` (descending), then name.
    public func contributors(
        language: String? = nil, by group: ContributorGroup, metric: ContributorMetric = .commits, since: Int64? = nil,
        until: Int64? = nil, cohort: String? = nil, includeBots: Bool = false, limit: Int = 20
    ) throws -> [ContributorRow] {
        let unit: String
        switch group {
        case .company: unit = "c.company"
        case .author: unit = "c.author_email"
        case .domain: unit = "c.email_domain"
        }
        let order = metric.orderColumn
        let (condition, arguments) = historyFilter(
            language: language, since: since, until: until, cohort: cohort, includeBots: includeBots)
        var all = arguments
        _ = all.append(contentsOf: [max(0, limit)])
        let sql = """
            SELECT \(unit) AS unit_name, COUNT(DISTINCT c.commit_row) AS commit_count, \
            COUNT(DISTINCT c.author_email) AS author_count, SUM(h.added) AS lines_added, SUM(h.removed) AS lines_removed \
            FROM history_commits AS c JOIN history_changes AS h USING (commit_row) \
            WHERE \(condition) \
            GROUP BY unit_name ORDER BY \(order) DESC, unit_name ASC LIMIT ?
            """
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: all).map { row in
                ContributorRow(
                    name: row["unit_name"], commits: row["commit_count"], authors: row["author_count"],
                    linesAdded: row["lines_added"], linesRemoved: row["lines_removed"])
            }
        }
    }

    /// A language over time (UTC periods of author dates; of root-commit dates for new repositories).
    public func timeline(
        language: String, by period: TimelinePeriod, metric: TimelineMetric, cohort: String? = nil, includeBots: Bool = false
    ) throws -> [TimelinePoint] {
        func periodExpression(_ time: String) -> String {
            switch period {
            case .year: return "strftime('%Y', \(time), 'unixepoch')"
            case .month: return "strftime('%Y-%m', \(time), 'unixepoch')"
            case .quarter:
                return
                    "strftime('%Y', \(time), 'unixepoch') || '-Q' || ((CAST(strftime('%m', \(time), 'unixepoch') AS INTEGER) + 2) / 3)"
            }
        }
        if metric == .newRepos {
            var arguments: StatementArguments = [language]
            var cohortCondition = ""
            if let cohort {
                cohortCondition = " AND r.repository_id IN (SELECT repository_id FROM repository_cohorts WHERE cohort = ?)"
                _ = arguments.append(contentsOf: [cohort])
            }
            let sql = """
                SELECT \(periodExpression("r.root_commit_date")) AS period, COUNT(*) AS value \
                FROM repositories AS r \
                WHERE r.root_commit_date IS NOT NULL \
                AND r.repository_id IN (SELECT repository_id FROM repository_languages WHERE language = ? AND category = 'own' AND files > 0)\
                \(cohortCondition) \
                GROUP BY period ORDER BY period
                """
            return try read { db in
                try Row.fetchAll(db, sql: sql, arguments: arguments).map { TimelinePoint(period: $0["period"], value: $0["value"]) }
            }
        }
        if metric == .code { return try codeTimeline(language: language, period: periodExpression, cohort: cohort, includeBots: includeBots) }
        let (condition, arguments) = historyFilter(
            language: language, since: nil, until: nil, cohort: cohort, includeBots: includeBots)
        let value: String
        switch metric {
        case .code: value = "SUM(h.added) - SUM(h.removed)"
        case .commits: value = "COUNT(DISTINCT c.commit_row)"
        case .authors: value = "COUNT(DISTINCT c.author_email)"
        case .newRepos: value = "0"
        }
        let perPeriod = """
            SELECT \(periodExpression("c.author_time")) AS period, \(value) AS value \
            FROM history_commits AS c JOIN history_changes AS h USING (commit_row) \
            WHERE \(condition) GROUP BY period
            """
        // Code is a running total: each period's value is the sum of the net changes up to it.
        let sql =
            metric == .code
            ? """
            SELECT p.period AS period, SUM(q.value) AS value FROM (\(perPeriod)) AS p JOIN (\(perPeriod)) AS q \
            ON q.period <= p.period GROUP BY p.period ORDER BY p.period
            """
            : perPeriod + " ORDER BY period"
        var all = arguments
        if metric == .code { _ = all.append(contentsOf: arguments) }
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: all).map { TimelinePoint(period: $0["period"], value: $0["value"]) }
        }
    }
}
