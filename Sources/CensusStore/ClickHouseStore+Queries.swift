extension ClickHouseStore {
    /// Runs a query of ``StoreQueries`` after writing whatever saves are held, so an answer includes
    /// every save made through this store.
    func answer(_ query: SQLText, doing action: String) throws -> ClickHouseRows {
        try checkOpen()
        try flush()
        return try select(query, doing: action)
    }

    /// A ``ClickHouseRows/FormatError`` as a store error.
    func reading<T>(_ action: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ClickHouseRows.FormatError {
            throw CensusStoreError(
                .badResponse, path: displayLocation,
                message: "ClickHouse's answer to \(action) is not what census expects",
                cause: error.message)
        }
    }

    /// The groups that write the most of a language; the same answer as
    /// ``CensusDatabase/top(language:by:metric:cohort:limit:)`` over the same saves.
    public func top(
        language: String, by group: RankingGroup, metric: RankingMetric = .code, cohort: String? = nil,
        limit: Int = 20
    ) throws -> [LanguageRankingRow] {
        let action = "rank by \(language)"
        let query = queries.top(language: language, by: group, metric: metric, cohort: cohort, limit: max(0, limit))
        let found = try answer(query, doing: action)
        return try reading(action) {
            try found.rows.map { row in
                LanguageRankingRow(
                    name: try found.string(row, "unit_name"), code: try found.int(row, "code_lines"),
                    bytes: try found.int(row, "byte_count"), files: try found.int(row, "file_count"),
                    repositories: try found.int(row, "repository_count"),
                    ownCode: try found.int(row, "own_code_lines"), share: try found.double(row, "code_share"))
            }
        }
    }

    /// A language's penetration; the same answer as
    /// ``CensusDatabase/share(language:by:threshold:unit:cohort:)`` over the same saves.
    ///
    /// - Throws: ``CensusStoreError`` (`invalidInput` for a threshold outside 0…1).
    public func share(
        language: String, by group: ShareGroup? = nil, threshold: Double, unit: ShareUnit = .repository,
        cohort: String? = nil
    ) throws -> [LanguageShareRow] {
        guard threshold >= 0, threshold <= 1 else {
            throw CensusStoreError(
                .invalidInput, path: displayLocation, message: "threshold \(threshold) is outside 0…1 (0.1 means 10 %)")
        }
        let ppm = Int((threshold * Double(StoreQueries.thresholdScale)).rounded())
        let action = "measure the share of \(language)"
        let query = queries.share(language: language, by: group, thresholdPPM: ppm, unit: unit, cohort: cohort)
        let found = try answer(query, doing: action)
        return try reading(action) {
            try found.rows.map { row in
                LanguageShareRow(
                    group: group == nil ? nil : try found.text(row, "group_name"),
                    unitsMatching: try found.optionalInt(row, "units_matching") ?? 0,
                    unitsTotal: try found.optionalInt(row, "units_total") ?? 0,
                    languageCode: try found.optionalInt(row, "language_code_lines") ?? 0,
                    ownCode: try found.optionalInt(row, "own_code_lines") ?? 0)
            }
        }
    }

    /// The language table across the stored corpus; the same answer as
    /// ``CensusDatabase/breakdown(cohort:)`` over the same saves.
    public func breakdown(cohort: String? = nil) throws -> [LanguageBreakdownRow] {
        let action = "tabulate the languages"
        let found = try answer(queries.breakdown(cohort: cohort), doing: action)
        var rows = try reading(action) {
            try found.rows.map { row in
                let language = try found.string(row, "language")
                let typeName = try found.string(row, "type_name")
                guard let type = StoredLanguageType(rawValue: typeName) else {
                    throw CensusStoreError(
                        .unexpectedData, path: displayLocation,
                        message: "language \(language) has unknown type '\(typeName)'")
                }
                return LanguageBreakdownRow(
                    language: language, type: type, repositories: try found.int(row, "repository_count"),
                    ownRepositories: try found.int(row, "own_repository_count"),
                    own: StoredCounts(
                        files: try found.int(row, "own_files"), code: try found.int(row, "own_code"),
                        comment: try found.int(row, "own_comment"), blank: try found.int(row, "own_blank"),
                        bytes: try found.int(row, "own_bytes")),
                    excluded: StoredCounts(
                        files: try found.int(row, "excluded_files"), code: try found.int(row, "excluded_code"),
                        comment: try found.int(row, "excluded_comment"), blank: try found.int(row, "excluded_blank"),
                        bytes: try found.int(row, "excluded_bytes")),
                    breakdownBytes: try found.int(row, "bar_bytes"), percentage: 0)
            }
        }
        // As for SQLite: the bar's total is the sum of the (few, already aggregated) rows.
        let total = rows.reduce(0) { $0 + $1.breakdownBytes }
        if total > 0 {
            for index in rows.indices {
                rows[index].percentage = 100 * Double(rows[index].breakdownBytes) / Double(total)
            }
        }
        return rows
    }

    /// The stored repositories (current scans) with their metadata and own totals, ordered by key.
    public func repositories(cohort: String? = nil) throws -> [StoredRepositoryRow] {
        let action = "list the repositories"
        let memberships = try answer(queries.cohortMemberships(cohort: cohort), doing: action)
        let found = try select(queries.repositories(cohort: cohort), doing: action)
        return try reading(action) {
            var cohorts: [Int: [String]] = [:]
            for row in memberships.rows {
                cohorts[try memberships.int(row, "repository_id"), default: []].append(
                    try memberships.string(row, "cohort"))
            }
            return try found.rows.map { row in
                let id = try found.int(row, "repository_id")
                let repository = StoredRepository(
                    key: try found.string(row, "repository_key"), location: try found.string(row, "location"),
                    host: try found.text(row, "host"), owner: try found.text(row, "owner"),
                    name: try found.text(row, "name"), org: try found.string(row, "org"),
                    company: try found.text(row, "company"), cohorts: cohorts[id] ?? [],
                    revision: try found.string(row, "revision"), commit: try found.text(row, "commit_id"),
                    commitDate: try found.optionalInt(row, "commit_date").map(Int64.init),
                    rootCommitDate: try found.optionalInt(row, "root_commit_date").map(Int64.init),
                    commitCount: try found.optionalInt(row, "commit_count"),
                    isShallow: try found.int(row, "is_shallow") != 0,
                    defaultBranch: try found.text(row, "default_branch"),
                    remoteURL: try found.text(row, "remote_url"),
                    scannedAt: Int64(try found.int(row, "scanned_at")),
                    censusVersion: try found.string(row, "census_version"))
                return StoredRepositoryRow(
                    repository: repository,
                    own: StoredCounts(
                        files: try found.int(row, "own_files"), code: try found.int(row, "own_code"),
                        comment: try found.int(row, "own_comment"), blank: try found.int(row, "own_blank"),
                        bytes: try found.int(row, "own_bytes")),
                    breakdownBytes: try found.int(row, "breakdown_bytes"))
            }
        }
    }

    /// How many rows of current scans each table holds.
    public func rowCounts() throws -> StoreRowCounts {
        let action = "count rows"
        let found = try answer(queries.rowCounts(), doing: action)
        return try reading(action) {
            guard let row = found.rows.first else {
                return StoreRowCounts(repositories: 0, cohortMemberships: 0, languageRows: 0, fileRows: 0)
            }
            return StoreRowCounts(
                repositories: try found.int(row, "repositories"),
                cohortMemberships: try found.int(row, "cohort_memberships"),
                languageRows: try found.int(row, "language_rows"), fileRows: try found.int(row, "file_rows"))
        }
    }
}
