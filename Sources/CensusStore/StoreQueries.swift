/// The SQL engines the store's queries are written for.
///
/// Every query keeps to what SQLite and ClickHouse 18.16 both run: no window functions, no JSON
/// functions, at most one join per `SELECT` (ClickHouse 18.16 joins two tables at a time), joins by
/// `USING (repository_id)`, unqualified column names that are unique across the joined sides, and no
/// result alias equal to a column it aggregates (ClickHouse would substitute the alias into itself).
/// What still differs (join keywords, conditional aggregates) goes through the helpers below, so
/// adding `.clickhouse` means adding a case to each of them, not rewriting the queries.
///
/// `.clickhouse` fills each helper with ClickHouse's words, makes every subquery and join `GLOBAL`
/// (so a query over Distributed tables evaluates them once, on the server it was sent to), and keeps
/// only the current scan of each repository (``StoreQueries/currentScans``).
package enum SQLDialect: Sendable, Equatable {
    case sqlite
    /// ClickHouse 18.16 and later, on one server or through Distributed tables.
    case clickhouse
}

/// A value bound to a `?` placeholder.
package enum StoreValue: Sendable, Equatable {
    case integer(Int64)
    case real(Double)
    case text(String)
}

/// SQL text whose values are bound, never spliced: interpolating a value writes `?` and records the
/// value in ``arguments``; only ``SQLText`` fragments (themselves built from literals) are spliced.
/// (ClickHouse 18.16 has no parameters: its client replaces each `?` by the escaped literal,
/// ``ClickHouseSQL/inline(_:)``.)
///
/// ```swift
/// let query: SQLText = "SELECT code FROM repository_languages WHERE language = \(bind: "Go")"
/// // query.sql == "SELECT code FROM repository_languages WHERE language = ?", arguments == [.text("Go")]
/// ```
package struct SQLText: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
    package var sql: String
    package var arguments: [StoreValue]

    package init(stringLiteral value: String) {
        sql = value
        arguments = []
    }

    package init(stringInterpolation: StringInterpolation) {
        sql = stringInterpolation.sql
        arguments = stringInterpolation.arguments
    }

    package var description: String { sql }

    package struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var arguments: [StoreValue] = []

        package init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        package mutating func appendLiteral(_ literal: String) { sql += literal }

        /// Splices a fragment, keeping its arguments in order.
        package mutating func appendInterpolation(_ fragment: SQLText) {
            sql += fragment.sql
            arguments += fragment.arguments
        }

        package mutating func appendInterpolation(bind value: String) {
            sql += "?"
            arguments.append(.text(value))
        }

        package mutating func appendInterpolation(bind value: Int) {
            sql += "?"
            arguments.append(.integer(Int64(value)))
        }

        package mutating func appendInterpolation(bind value: Int64) {
            sql += "?"
            arguments.append(.integer(value))
        }
    }
}

/// The text of every query the store answers, for one SQL dialect: each query's SQL lives here and
/// nowhere else. The builders return ``SQLText`` with `?` placeholders and the values to bind.
///
/// Result columns are named (not positional) and documented per query in docs/schema.md.
package struct StoreQueries: Sendable {
    package var dialect: SQLDialect

    package init(dialect: SQLDialect) {
        self.dialect = dialect
    }

    /// Parts per million: thresholds are compared as integers, `code * 1000000 >= ppm * own`, so a
    /// unit at exactly the threshold matches on every engine.
    package static let thresholdScale = 1_000_000

    // MARK: - Dialect helpers

    /// An inner join. ClickHouse: `GLOBAL` reads the right side once, on the server the query was
    /// sent to, and ships it to the shards (a plain join over Distributed tables would have every
    /// shard read every shard, which 18.16 refuses); `ALL` keeps every matching row, as SQL does.
    var join: SQLText {
        switch dialect {
        case .sqlite: return "JOIN"
        case .clickhouse: return "GLOBAL ALL INNER JOIN"
        }
    }

    /// A left join. ClickHouse fills the unmatched right side with zeros, not `NULL`s (the client
    /// sets `join_use_nulls = 0`).
    var leftJoin: SQLText {
        switch dialect {
        case .sqlite: return "LEFT JOIN"
        case .clickhouse: return "GLOBAL ALL LEFT JOIN"
        }
    }

    /// `IN` before a subquery; ClickHouse's `GLOBAL IN` evaluates the subquery once and ships the set.
    var inSubquery: SQLText {
        switch dialect {
        case .sqlite: return "IN"
        case .clickhouse: return "GLOBAL IN"
        }
    }

    /// `SUM(value)`, 0 when there are no rows or only `NULL`s (the unmatched side of a left join).
    func sumOrZero(_ value: SQLText) -> SQLText {
        switch dialect {
        case .sqlite: return "COALESCE(SUM(\(value)), 0)"
        // ClickHouse's sum over no rows is 0, and its left join fills zeros.
        case .clickhouse: return "SUM(\(value))"
        }
    }

    /// The sum of `value` over rows where `condition` holds.
    func sum(_ value: SQLText, where condition: SQLText) -> SQLText {
        switch dialect {
        case .sqlite: return "SUM(CASE WHEN \(condition) THEN \(value) ELSE 0 END)"
        case .clickhouse: return "sumIf(\(value), \(condition))"
        }
    }

    /// The number of distinct `value`s over rows where `condition` holds.
    func countDistinct(_ value: SQLText, where condition: SQLText) -> SQLText {
        switch dialect {
        case .sqlite: return "COUNT(DISTINCT CASE WHEN \(condition) THEN \(value) END)"
        case .clickhouse: return "uniqExactIf(\(value), \(condition))"
        }
    }

    /// `numerator / denominator` as a floating-point number, 0 when the denominator is 0.
    ///
    /// Both engines divide the same two integers converted to 64-bit floats, so the results are the
    /// same doubles. (ClickHouse evaluates both branches; a zero denominator makes an unused
    /// infinity there, not an error, since `/` is floating-point division.)
    func ratio(_ numerator: SQLText, _ denominator: SQLText) -> SQLText {
        switch dialect {
        case .sqlite, .clickhouse:
            return "CASE WHEN \(denominator) > 0 THEN 1.0 * \(numerator) / \(denominator) ELSE 0.0 END"
        }
    }

    /// The condition that keeps only rows of each repository's current scan; `nil` where a save
    /// replaces the rows in place (SQLite).
    ///
    /// ClickHouse keeps every scan: each save writes its rows under a new random `repository_id`,
    /// the `repositories` row last, and the current scan of a key is the one saved last (`saved_at`,
    /// then `repository_id` on a tie). Rows of older scans, and the rows of a save that never wrote
    /// its `repositories` row, are never current. The grouping merges across shards, so the answer is
    /// the same on one server and through Distributed tables.
    var currentScans: SQLText? {
        switch dialect {
        case .sqlite: return nil
        case .clickhouse:
            return """
                repository_id GLOBAL IN (SELECT argMax(repository_id, tuple(saved_at, repository_id)) AS current_id \
                FROM repositories GROUP BY repository_key)
                """
        }
    }

    /// ` WHERE a AND b …`, or nothing without conditions.
    static func whereClause(_ conditions: [SQLText]) -> SQLText {
        conditions.isEmpty ? "" : " WHERE \(and(conditions))"
    }

    /// The conditions for rows of a selection: current scans (ClickHouse), then the cohort filter.
    func selection(cohort: String?) -> [SQLText] {
        var conditions: [SQLText] = []
        if let currentScans { conditions.append(currentScans) }
        if let cohort { conditions.append(inCohort(cohort)) }
        return conditions
    }

    // MARK: - Building blocks

    /// `repository_id IN (…)`: the repositories of a cohort.
    func inCohort(_ cohort: String) -> SQLText {
        "repository_id \(inSubquery) (SELECT repository_id FROM repository_cohorts WHERE cohort = \(bind: cohort))"
    }

    /// The column of `repositories` (or `repository_cohorts`) that names a unit.
    static func column(_ group: RankingGroup) -> SQLText {
        switch group {
        case .company: return "company"
        case .org: return "org"
        case .repository: return "repository_key"
        case .cohort: return "cohort"
        }
    }

    /// One row per repository of the selection: `repository_id, unit_name, [group_name,] own_code`.
    ///
    /// Repositories without a unit (or group) name, such as those without a company, are left out.
    /// With a cohort filter, a cohort column keeps only that cohort's rows; otherwise repositories
    /// are filtered by membership.
    func units(unit: RankingGroup, group: RankingGroup?, cohort: String?) -> SQLText {
        let unitColumn = Self.column(unit)
        var select: SQLText = "SELECT repository_id, \(unitColumn) AS unit_name, "
        var conditions: [SQLText] = ["\(unitColumn) IS NOT NULL"]
        if let group {
            let groupColumn = Self.column(group)
            select = "\(select)\(groupColumn) AS group_name, "
            conditions.append("\(groupColumn) IS NOT NULL")
        }
        let needsCohorts = unit == .cohort || group == .cohort
        var from: SQLText = "repositories"
        if needsCohorts { from = "repositories \(join) repository_cohorts USING (repository_id)" }
        if let cohort {
            conditions.append(needsCohorts ? "cohort = \(bind: cohort)" : inCohort(cohort))
        }
        if let currentScans { conditions.append(currentScans) }
        return "\(select)own_code FROM \(from) WHERE \(Self.and(conditions))"
    }

    /// One row per repository with own files (or bar bytes) in the language:
    /// `repository_id, language_code, language_bytes, language_files`.
    func languageRows(_ language: String) -> SQLText {
        var conditions: [SQLText] = [
            "language = \(bind: language)", "category = \(bind: StoredFileCategory.own.rawValue)",
        ]
        // Not needed for the answer (the units are current), but it keeps older scans out of the
        // right side of the join, which ClickHouse holds in memory.
        if let currentScans { conditions.append(currentScans) }
        return """
            SELECT repository_id, code AS language_code, bytes AS language_bytes, files AS language_files \
            FROM repository_languages\(Self.whereClause(conditions))
            """
    }

    static func and(_ conditions: [SQLText]) -> SQLText {
        var text = conditions[0]
        for condition in conditions.dropFirst() { text = "\(text) AND \(condition)" }
        return text
    }

    // MARK: - Queries

    /// The groups with the most own code in a language.
    ///
    /// Columns: `unit_name, code_lines, byte_count, file_count, repository_count, own_code_lines,
    /// code_share`; only groups with own files in the language; `limit` rows, ordered by the metric
    /// (descending), then by name.
    package func top(
        language: String, by group: RankingGroup, metric: RankingMetric, cohort: String?, limit: Int
    ) -> SQLText {
        let order: SQLText
        switch metric {
        case .code: order = "code_lines"
        case .bytes: order = "byte_count"
        case .files: order = "file_count"
        case .repositories: order = "repository_count"
        case .share: order = "code_share"
        }
        return """
            SELECT unit_name, \
            \(sumOrZero("language_code")) AS code_lines, \
            \(sumOrZero("language_bytes")) AS byte_count, \
            \(sumOrZero("language_files")) AS file_count, \
            \(sum("1", where: "language_files > 0")) AS repository_count, \
            SUM(own_code) AS own_code_lines, \
            \(ratio(sumOrZero("language_code"), "SUM(own_code)")) AS code_share \
            FROM (\(units(unit: group, group: nil, cohort: cohort))) AS units \
            \(leftJoin) (\(languageRows(language))) AS language_rows USING (repository_id) \
            GROUP BY unit_name \
            HAVING \(sumOrZero("language_files")) > 0 \
            ORDER BY \(order) DESC, unit_name ASC \
            LIMIT \(bind: limit)
            """
    }

    /// Penetration: among units with own code, how many have at least `thresholdPPM` parts per
    /// million of it in the language.
    ///
    /// Columns: `[group_name,] units_total, units_matching, language_code_lines, own_code_lines`.
    /// Without a group, exactly one row (zeros and `NULL`s on an empty selection); with one, a row per
    /// group, ordered by name.
    package func share(
        language: String, by group: ShareGroup?, thresholdPPM: Int, unit: ShareUnit, cohort: String?
    ) -> SQLText {
        let unitGroup: RankingGroup
        switch unit {
        case .repository: unitGroup = .repository
        case .org: unitGroup = .org
        case .company: unitGroup = .company
        }
        let groupColumn: RankingGroup?
        switch group {
        case nil: groupColumn = nil
        case .cohort: groupColumn = .cohort
        case .company: groupColumn = .company
        }
        let grouped: SQLText = groupColumn == nil ? "" : "group_name, "
        let perUnit: SQLText = """
            SELECT \(grouped)unit_name, \
            \(sumOrZero("language_code")) AS unit_language_code, \
            SUM(own_code) AS unit_own_code \
            FROM (\(units(unit: unitGroup, group: groupColumn, cohort: cohort))) AS units \
            \(leftJoin) (\(languageRows(language))) AS language_rows USING (repository_id) \
            GROUP BY \(grouped)unit_name \
            HAVING SUM(own_code) > 0
            """
        let matching: SQLText = """
            unit_language_code > 0 \
            AND unit_language_code * \(bind: Self.thresholdScale) >= \(bind: thresholdPPM) * unit_own_code
            """
        let tail: SQLText = groupColumn == nil ? "" : " GROUP BY group_name ORDER BY group_name ASC"
        return """
            SELECT \(grouped)COUNT(*) AS units_total, \
            \(sum("1", where: matching)) AS units_matching, \
            SUM(unit_language_code) AS language_code_lines, \
            SUM(unit_own_code) AS own_code_lines \
            FROM (\(perUnit)) AS per_unit\(tail)
            """
    }

    /// The language table over the stored corpus (or one cohort).
    ///
    /// Columns: `language, type_name, repository_count, own_repository_count, own_files, own_code,
    /// own_comment, own_blank, own_bytes, excluded_files, excluded_code, excluded_comment,
    /// excluded_blank, excluded_bytes, bar_bytes`; ordered by bar bytes, then own code (descending),
    /// then name.
    package func breakdown(cohort: String?) -> SQLText {
        let own = StoredFileCategory.own.rawValue
        var columns: [SQLText] = [
            "language", "MAX(language_type) AS type_name",
            "\(countDistinct("repository_id", where: "files > 0")) AS repository_count",
            "\(sum("1", where: "category = \(bind: own) AND files > 0")) AS own_repository_count",
        ]
        let measures: [(SQLText, SQLText)] = [
            ("files", "files"), ("code", "code"), ("comment", "comment"), ("blank", "blank"), ("bytes", "bytes"),
        ]
        for (column, name) in measures {
            columns.append("\(sum(column, where: "category = \(bind: own)")) AS own_\(name)")
        }
        for (column, name) in measures {
            columns.append("\(sum(column, where: "category <> \(bind: own)")) AS excluded_\(name)")
        }
        columns.append("SUM(breakdown_bytes) AS bar_bytes")
        var list = columns[0]
        for column in columns.dropFirst() { list = "\(list), \(column)" }
        let filter = Self.whereClause(selection(cohort: cohort))
        return """
            SELECT \(list) FROM repository_languages\(filter) \
            GROUP BY language \
            ORDER BY bar_bytes DESC, own_code DESC, language ASC
            """
    }

    /// The columns ``repositories(cohort:)`` returns, in order.
    package static let repositoryColumns: SQLText = """
        repository_id, repository_key, location, host, owner, name, org, company, revision, commit_id, \
        commit_date, root_commit_date, commit_count, is_shallow, default_branch, remote_url, scanned_at, \
        census_version, own_files, own_code, own_comment, own_blank, own_bytes, breakdown_bytes
        """

    /// Stored repositories, ordered by key: ``repositoryColumns``.
    package func repositories(cohort: String?) -> SQLText {
        let filter = Self.whereClause(selection(cohort: cohort))
        return "SELECT \(Self.repositoryColumns) FROM repositories\(filter) ORDER BY repository_key ASC"
    }

    /// Cohort memberships of the repositories ``repositories(cohort:)`` returns:
    /// `repository_id, cohort`, ordered.
    package func cohortMemberships(cohort: String?) -> SQLText {
        let filter = Self.whereClause(selection(cohort: cohort))
        return
            "SELECT repository_id, cohort FROM repository_cohorts\(filter) ORDER BY repository_id ASC, cohort ASC"
    }

    /// `1` if the repository is stored at that commit: column `up_to_date`.
    package func isUpToDate(key: String, commit: String) -> SQLText {
        var conditions: [SQLText] = ["repository_key = \(bind: key)", "commit_id = \(bind: commit)"]
        if let currentScans { conditions.append(currentScans) }
        return "SELECT COUNT(*) AS up_to_date FROM repositories\(Self.whereClause(conditions))"
    }

    /// Row counts of the four data tables (current scans only): one row, `repositories,
    /// cohort_memberships, language_rows, file_rows`.
    package func rowCounts() -> SQLText {
        let filter = Self.whereClause(selection(cohort: nil))
        return """
            SELECT (SELECT COUNT(*) FROM repositories\(filter)) AS repositories, \
            (SELECT COUNT(*) FROM repository_cohorts\(filter)) AS cohort_memberships, \
            (SELECT COUNT(*) FROM repository_languages\(filter)) AS language_rows, \
            (SELECT COUNT(*) FROM repository_files\(filter)) AS file_rows
            """
    }
}
