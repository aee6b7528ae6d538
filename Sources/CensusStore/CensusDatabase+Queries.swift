import GRDB

extension SQLText {
    /// The bound values as GRDB arguments.
    var statementArguments: StatementArguments {
        StatementArguments(
            arguments.map { value -> DatabaseValue in
                switch value {
                case .integer(let number): return number.databaseValue
                case .real(let number): return number.databaseValue
                case .text(let text): return text.databaseValue
                }
            })
    }
}

extension CensusDatabase {
    /// The groups that write the most of a language: own code only (vendored, generated and
    /// documentation files do not count).
    ///
    /// "Which company writes the most Go" is `top(language: "Go", by: .company, metric: .code)`.
    /// Only groups with own files in the language appear; repositories without a company are left
    /// out when ranking companies.
    ///
    /// - Parameters:
    ///   - language: The language's canonical name, matched exactly (`Go`, not `go`).
    ///   - group: What to rank: companies, organisations, repositories or cohorts.
    ///   - metric: What to order by (descending; ties by name, ascending). `share` is the language's
    ///     own code over all own code of the group.
    ///   - cohort: Only repositories of this cohort; `nil` for all.
    ///   - limit: At most this many rows.
    /// - Returns: The rows, with every metric filled whichever one orders them.
    public func top(
        language: String, by group: RankingGroup, metric: RankingMetric = .code, cohort: String? = nil,
        limit: Int = 20
    ) throws -> [LanguageRankingRow] {
        let query = queries.top(language: language, by: group, metric: metric, cohort: cohort, limit: max(0, limit))
        return try read { db in
            try Row.fetchAll(db, sql: query.sql, arguments: query.statementArguments).map { row in
                LanguageRankingRow(
                    name: row["unit_name"], code: row["code_lines"], bytes: row["byte_count"],
                    files: row["file_count"], repositories: row["repository_count"], ownCode: row["own_code_lines"],
                    share: row["code_share"])
            }
        }
    }

    /// A language's penetration: among units (repositories, organisations or companies) with own
    /// code, how many have at least `threshold` of it in the language, and the language's share of
    /// all their own code.
    ///
    /// A unit matches when its own code in the language is not zero and at least `threshold` ×
    /// its own code (compared exactly, with the threshold in parts per million).
    ///
    /// - Parameters:
    ///   - language: The language's canonical name, matched exactly.
    ///   - group: `nil` for one row over the whole selection; `.cohort` or `.company` for one row per
    ///     cohort or company, ordered by name (a unit then counts within each group it has
    ///     repositories in, with only those repositories' code).
    ///   - threshold: 0…1 (`0.10` for 10 %).
    ///   - unit: What is counted.
    ///   - cohort: Only repositories of this cohort; `nil` for all.
    /// - Throws: ``CensusStoreError`` (`invalidInput` for a threshold outside 0…1).
    public func share(
        language: String, by group: ShareGroup? = nil, threshold: Double, unit: ShareUnit = .repository,
        cohort: String? = nil
    ) throws -> [LanguageShareRow] {
        guard threshold >= 0, threshold <= 1 else {
            throw CensusStoreError(
                .invalidInput, path: path, message: "threshold \(threshold) is outside 0…1 (0.1 means 10 %)")
        }
        let ppm = Int((threshold * Double(StoreQueries.thresholdScale)).rounded())
        let query = queries.share(language: language, by: group, thresholdPPM: ppm, unit: unit, cohort: cohort)
        return try read { db in
            try Row.fetchAll(db, sql: query.sql, arguments: query.statementArguments).map { row in
                LanguageShareRow(
                    group: group == nil ? nil : row["group_name"] as String?,
                    unitsMatching: row["units_matching"] ?? 0, unitsTotal: row["units_total"] ?? 0,
                    languageCode: row["language_code_lines"] ?? 0, ownCode: row["own_code_lines"] ?? 0)
            }
        }
    }

    /// The language table across the stored corpus: per language, the repositories it appears in,
    /// own and excluded counts apart, and its share of GitHub's language bar.
    ///
    /// - Parameter cohort: Only repositories of this cohort; `nil` for all.
    /// - Returns: One row per language, by bar bytes, then own code (descending), then name.
    public func breakdown(cohort: String? = nil) throws -> [LanguageBreakdownRow] {
        let query = queries.breakdown(cohort: cohort)
        var rows = try read { db in
            try Row.fetchAll(db, sql: query.sql, arguments: query.statementArguments).map { row in
                let typeName: String = row["type_name"]
                guard let type = StoredLanguageType(rawValue: typeName) else {
                    throw CensusStoreError(
                        .unexpectedData, path: path,
                        message: "language \(row["language"] as String) has unknown type '\(typeName)'")
                }
                return LanguageBreakdownRow(
                    language: row["language"], type: type, repositories: row["repository_count"],
                    ownRepositories: row["own_repository_count"],
                    own: StoredCounts(
                        files: row["own_files"], code: row["own_code"], comment: row["own_comment"],
                        blank: row["own_blank"], bytes: row["own_bytes"]),
                    excluded: StoredCounts(
                        files: row["excluded_files"], code: row["excluded_code"], comment: row["excluded_comment"],
                        blank: row["excluded_blank"], bytes: row["excluded_bytes"]),
                    breakdownBytes: row["bar_bytes"], percentage: 0)
            }
        }
        // The bar's total is the sum of the (few, already aggregated) rows.
        let total = rows.reduce(0) { $0 + $1.breakdownBytes }
        if total > 0 {
            for index in rows.indices {
                rows[index].percentage = 100 * Double(rows[index].breakdownBytes) / Double(total)
            }
        }
        return rows
    }

    /// The stored repositories with their metadata and own totals, ordered by key.
    ///
    /// - Parameter cohort: Only repositories of this cohort; `nil` for all.
    public func repositories(cohort: String? = nil) throws -> [StoredRepositoryRow] {
        let repositoriesQuery = queries.repositories(cohort: cohort)
        let cohortsQuery = queries.cohortMemberships(cohort: cohort)
        return try read { db in
            var cohorts: [Int64: [String]] = [:]
            let memberships = try Row.fetchCursor(
                db, sql: cohortsQuery.sql, arguments: cohortsQuery.statementArguments)
            while let row = try memberships.next() {
                cohorts[row["repository_id"], default: []].append(row["cohort"])
            }
            return try Row.fetchAll(
                db, sql: repositoriesQuery.sql, arguments: repositoriesQuery.statementArguments
            ).map { row in
                let id: Int64 = row["repository_id"]
                let repository = StoredRepository(
                    key: row["repository_key"], location: row["location"], host: row["host"], owner: row["owner"],
                    name: row["name"], org: row["org"], company: row["company"], cohorts: cohorts[id] ?? [],
                    revision: row["revision"], commit: row["commit_id"], commitDate: row["commit_date"],
                    rootCommitDate: row["root_commit_date"], commitCount: row["commit_count"],
                    isShallow: row["is_shallow"], defaultBranch: row["default_branch"], remoteURL: row["remote_url"],
                    scannedAt: row["scanned_at"], censusVersion: row["census_version"])
                return StoredRepositoryRow(
                    repository: repository,
                    own: StoredCounts(
                        files: row["own_files"], code: row["own_code"], comment: row["own_comment"],
                        blank: row["own_blank"], bytes: row["own_bytes"]),
                    breakdownBytes: row["breakdown_bytes"])
            }
        }
    }

    /// How many rows each table holds.
    public func rowCounts() throws -> StoreRowCounts {
        let query = queries.rowCounts()
        return try read { db in
            guard let row = try Row.fetchOne(db, sql: query.sql, arguments: query.statementArguments) else {
                return StoreRowCounts(repositories: 0, cohortMemberships: 0, languageRows: 0, fileRows: 0)
            }
            return StoreRowCounts(
                repositories: row["repositories"], cohortMemberships: row["cohort_memberships"],
                languageRows: row["language_rows"], fileRows: row["file_rows"])
        }
    }
}
