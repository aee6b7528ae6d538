/// Go modules in ClickHouse: the SQLite Go module tables plus `saved_at`, a `go_module_scans` row
/// per save, and the same answers.
///
/// A save never replaces rows in place: it writes the repository's rows under a new `saved_at`,
/// then one `go_module_scans` row (last, so a reader sees the new rows whole or not at all; a save
/// of no modules still writes it). Only the rows of each key's latest save are current.
extension ClickHouseStore {
    static let goModuleScansTable = Table(
        name: "go_module_scans", columns: [("repository_key", "String"), ("saved_at", "Int64")],
        orderBy: "(repository_key, saved_at)", shardingKey: "cityHash64(repository_key)")

    static let goModulesTable = Table(
        name: "go_modules",
        columns: [
            ("repository_key", "String"), ("path", "String"), ("module", "String"),
            ("go_version", "Nullable(String)"), ("category", "String"), ("uses_vendor", "UInt8"), ("saved_at", "Int64"),
        ],
        orderBy: "(module, repository_key, saved_at)", shardingKey: "cityHash64(repository_key)")

    static let goRequirementsTable = Table(
        name: "go_requirements",
        columns: [
            ("repository_key", "String"), ("path", "String"), ("module", "String"), ("required", "String"),
            ("version", "String"), ("indirect", "UInt8"), ("category", "String"), ("saved_at", "Int64"),
        ],
        orderBy: "(required, indirect, repository_key, saved_at)", shardingKey: "cityHash64(repository_key)")

    static let goReplacementsTable = Table(
        name: "go_replacements",
        columns: [
            ("repository_key", "String"), ("path", "String"), ("old_path", "String"), ("old_version", "String"),
            ("new_path", "String"), ("new_version", "String"), ("saved_at", "Int64"),
        ],
        orderBy: "(repository_key, path, saved_at)", shardingKey: "cityHash64(repository_key)")

    static let goExclusionsTable = Table(
        name: "go_exclusions",
        columns: [
            ("repository_key", "String"), ("path", "String"), ("excluded", "String"), ("version", "String"),
            ("saved_at", "Int64"),
        ],
        orderBy: "(repository_key, path, saved_at)", shardingKey: "cityHash64(repository_key)")

    static let goModuleTables = [
        goModuleScansTable, goModulesTable, goRequirementsTable, goReplacementsTable, goExclusionsTable,
    ]

    /// Replaces a repository's Go modules (once written: at once, not held like scans). As in
    /// SQLite, a go.mod path listed twice keeps its later module row, and a requirement listed twice
    /// for one path its later version.
    ///
    /// - Throws: ``CensusStoreError`` naming the repository: `readOnly`, or a failed insert (the
    ///   earlier modules stay current; rerun the scan).
    public func saveGoModules(repositoryKey: String, modules: [StoredGoModule]) throws {
        try checkOpen()
        if isReadOnly {
            throw CensusStoreError(
                .readOnly, path: displayLocation, repository: repositoryKey,
                message: "the store was opened for queries only")
        }
        let savedAt = pending.withLock { $0.reserveSavedAt(1) }
        // SQLite's primary keys, (path) and (path, required), with INSERT OR REPLACE: the last wins.
        var moduleIndex: [String: Int] = [:]
        var moduleRows: [StoredGoModule] = []
        struct RequirementKey: Hashable {
            var path: String
            var required: String
        }
        var requirementIndex: [RequirementKey: Int] = [:]
        var requirementRows: [(module: StoredGoModule, requirement: StoredGoRequirement)] = []
        var replacements = ClickHouseSQL.RowWriter()
        var exclusions = ClickHouseSQL.RowWriter()
        for m in modules {
            if let index = moduleIndex[m.path] {
                moduleRows[index] = m
            } else {
                moduleIndex[m.path] = moduleRows.count
                moduleRows.append(m)
            }
            for r in m.requirements {
                let key = RequirementKey(path: m.path, required: r.module)
                if let index = requirementIndex[key] {
                    requirementRows[index] = (m, r)
                } else {
                    requirementIndex[key] = requirementRows.count
                    requirementRows.append((m, r))
                }
            }
            for r in m.replacements {
                replacements.field(repositoryKey)
                replacements.field(m.path)
                replacements.field(r.oldPath)
                replacements.field(r.oldVersion)
                replacements.field(r.newPath)
                replacements.field(r.newVersion)
                replacements.field(savedAt)
                replacements.endRow()
            }
            for e in m.exclusions {
                exclusions.field(repositoryKey)
                exclusions.field(m.path)
                exclusions.field(e.module)
                exclusions.field(e.version)
                exclusions.field(savedAt)
                exclusions.endRow()
            }
        }
        var moduleWriter = ClickHouseSQL.RowWriter()
        for m in moduleRows {
            moduleWriter.field(repositoryKey)
            moduleWriter.field(m.path)
            moduleWriter.field(m.module)
            moduleWriter.field(m.goVersion)
            moduleWriter.field(m.category.rawValue)
            moduleWriter.field(m.usesVendor ? 1 : 0)
            moduleWriter.field(savedAt)
            moduleWriter.endRow()
        }
        var requirements = ClickHouseSQL.RowWriter()
        for (m, r) in requirementRows {
            requirements.field(repositoryKey)
            requirements.field(m.path)
            requirements.field(m.module)
            requirements.field(r.module)
            requirements.field(r.version)
            requirements.field(r.indirect ? 1 : 0)
            requirements.field(m.category.rawValue)
            requirements.field(savedAt)
            requirements.endRow()
        }
        var scan = ClickHouseSQL.RowWriter()
        scan.field(repositoryKey)
        scan.field(savedAt)
        scan.endRow()
        let action = "store the Go modules of \(repositoryKey)"
        try insert(into: Self.goModulesTable, moduleWriter, repository: repositoryKey, doing: action)
        try insert(into: Self.goRequirementsTable, requirements, repository: repositoryKey, doing: action)
        try insert(into: Self.goReplacementsTable, replacements, repository: repositoryKey, doing: action)
        try insert(into: Self.goExclusionsTable, exclusions, repository: repositoryKey, doing: action)
        // Last: makes the rows above current.
        try insert(into: Self.goModuleScansTable, scan, repository: repositoryKey, doing: action)
    }

    // MARK: - Questions

    /// Rows of each repository's latest Go module save.
    private var currentGoModules: SQLText {
        """
        (repository_key, saved_at) GLOBAL IN \
        (SELECT repository_key, max(saved_at) AS latest FROM go_module_scans GROUP BY repository_key)
        """
    }

    /// Current requirements of own go.mod files, optionally of one cohort's repositories.
    private func requirementFilter(cohort: String?) -> SQLText {
        var conditions: [SQLText] = ["category = 'own'", currentGoModules]
        if let cohort { conditions.append(repositoryKeyInCohort(cohort)) }
        return StoreQueries.and(conditions)
    }

    /// The most depended-upon modules; the same answer as
    /// ``CensusDatabase/dependencyFanIn(directOnly:cohort:limit:)`` over the same saves.
    public func dependencyFanIn(directOnly: Bool = false, cohort: String? = nil, limit: Int = 20) throws
        -> [DependencyFanInRow]
    {
        let order: SQLText =
            directOnly
            ? "direct_modules DESC, direct_repositories DESC"
            : "(direct_modules + indirect_modules) DESC, direct_modules DESC"
        let query: SQLText = """
            SELECT required, uniqExactIf(module, indirect = 0) AS direct_modules, \
            uniqExactIf(module, indirect = 1) AS indirect_modules, \
            uniqExactIf(repository_key, indirect = 0) AS direct_repositories, \
            uniqExactIf(repository_key, indirect = 1) AS indirect_repositories \
            FROM go_requirements WHERE \(requirementFilter(cohort: cohort))\(directOnly ? " AND indirect = 0" : "") \
            GROUP BY required ORDER BY \(order), required ASC LIMIT \(bind: max(0, limit))
            """
        let action = "rank the Go dependencies"
        let found = try answer(query, doing: action)
        return try reading(action) {
            try found.rows.map { row in
                DependencyFanInRow(
                    module: try found.string(row, "required"), directModules: try found.int(row, "direct_modules"),
                    indirectModules: try found.int(row, "indirect_modules"),
                    directRepositories: try found.int(row, "direct_repositories"),
                    indirectRepositories: try found.int(row, "indirect_repositories"))
            }
        }
    }

    /// Who requires `module` (at `version`, when given).
    public func dependencyUsers(of module: String, version: String? = nil) throws -> [DependencyEdgeRow] {
        let versionCondition: SQLText = version.map { " AND version = \(bind: $0)" } ?? ""
        return try edges(
            """
            SELECT repository_key, module, required, version, indirect FROM go_requirements \
            WHERE \(requirementFilter(cohort: nil)) AND required = \(bind: module)\(versionCondition) \
            ORDER BY repository_key, module
            """, doing: "list the users of \(module)")
    }

    /// What a module (by module path) or a repository (by key) requires.
    public func dependencies(of name: String) throws -> [DependencyEdgeRow] {
        try edges(
            """
            SELECT repository_key, module, required, version, indirect FROM go_requirements \
            WHERE \(requirementFilter(cohort: nil)) AND (module = \(bind: name) OR repository_key = \(bind: name)) \
            ORDER BY repository_key, module, required
            """, doing: "list the dependencies of \(name)")
    }

    /// Every own requirement edge (for graph metrics and exports).
    public func dependencyEdges(cohort: String? = nil) throws -> [DependencyEdgeRow] {
        try edges(
            """
            SELECT repository_key, module, required, version, indirect FROM go_requirements \
            WHERE \(requirementFilter(cohort: cohort)) ORDER BY module, required
            """, doing: "list the Go requirements")
    }

    private func edges(_ query: SQLText, doing action: String) throws -> [DependencyEdgeRow] {
        let found = try answer(query, doing: action)
        return try reading(action) {
            try found.rows.map { row in
                DependencyEdgeRow(
                    repositoryKey: try found.string(row, "repository_key"), requiring: try found.string(row, "module"),
                    required: try found.string(row, "required"), version: try found.string(row, "version"),
                    indirect: try found.int(row, "indirect") != 0)
            }
        }
    }

    /// Where own requirements point; the same answer as
    /// ``CensusDatabase/dependencyShare(cohort:limit:)`` over the same saves.
    public func dependencyShare(cohort: String? = nil, limit: Int = 20) throws -> [DependencyShareRow] {
        let condition = requirementFilter(cohort: cohort)
        // host = text before the first '/', org = text before the second '/' (bytes, as SQLite's
        // characters: the same cut in UTF-8).
        let slash: SQLText = "position(required, '/')"
        let restSlash: SQLText = "position(substring(required, \(slash) + 1), '/')"
        let host: SQLText = "if(\(slash) > 0, substring(required, 1, \(slash) - 1), required)"
        let org: SQLText =
            "if(\(slash) > 0 AND \(restSlash) > 0, substring(required, 1, \(slash) + \(restSlash) - 1), required)"
        let action = "measure where Go requirements point"
        let counts = try answer(
            """
            SELECT count() AS total_count, \
            countIf(required GLOBAL IN (SELECT module FROM go_modules WHERE category = 'own' AND module != '' \
            AND \(currentGoModules))) AS corpus_count, \
            countIf(startsWith(required, 'golang.org/x/')) AS x_count \
            FROM go_requirements WHERE \(condition)
            """, doing: action)
        var rows: [DependencyShareRow] = try reading(action) {
            guard let row = counts.rows.first else { return [] }
            let total = try counts.int(row, "total_count")
            return [
                DependencyShareRow(
                    kind: "corpus", name: "modules in the corpus", requirements: try counts.int(row, "corpus_count"),
                    total: total),
                DependencyShareRow(
                    kind: "golang.org/x", name: "golang.org/x", requirements: try counts.int(row, "x_count"),
                    total: total),
            ]
        }
        let total = rows.first?.total ?? 0
        for (kind, expression) in [("host", host), ("org", org)] {
            let found = try select(
                """
                SELECT \(expression) AS part_name, count() AS part_count FROM go_requirements WHERE \(condition) \
                GROUP BY part_name ORDER BY part_count DESC, part_name ASC LIMIT \(bind: max(0, limit))
                """, doing: action)
            rows += try reading(action) {
                try found.rows.map { row in
                    DependencyShareRow(
                        kind: kind, name: try found.string(row, "part_name"),
                        requirements: try found.int(row, "part_count"), total: total)
                }
            }
        }
        return rows
    }

    /// Shared own dependencies of two repositories, or of every pair; the same answer as
    /// ``CensusDatabase/dependencyCoupling(_:_:limit:)`` over the same saves.
    ///
    /// ClickHouse 18.16 joins only by equality and two sides at a time: pairs come from a self-join
    /// on `required` filtered to `first < second`, then one join per side adds each set's size.
    public func dependencyCoupling(_ first: String? = nil, _ second: String? = nil, limit: Int = 20) throws
        -> [DependencyCouplingRow]
    {
        let perRepository: SQLText =
            "SELECT DISTINCT repository_key, required FROM go_requirements WHERE category = 'own' AND \(currentGoModules)"
        var pairCondition: SQLText = "first_key < second_key"
        if let first, let second {
            let (x, y) = first < second ? (first, second) : (second, first)
            pairCondition = "\(pairCondition) AND first_key = \(bind: x) AND second_key = \(bind: y)"
        }
        let pairs: SQLText = """
            SELECT first_key, second_key, count() AS shared_count FROM \
            (SELECT repository_key AS first_key, required FROM (\(perRepository))) \
            GLOBAL ALL INNER JOIN (SELECT repository_key AS second_key, required FROM (\(perRepository))) USING (required) \
            WHERE \(pairCondition) GROUP BY first_key, second_key
            """
        let withFirst: SQLText = """
            SELECT first_key, second_key, shared_count, first_size FROM (\(pairs)) GLOBAL ALL INNER JOIN \
            (SELECT repository_key AS first_key, count() AS first_size FROM (\(perRepository)) GROUP BY repository_key) \
            USING (first_key)
            """
        let query: SQLText = """
            SELECT first_key, second_key, shared_count, first_size + second_size - shared_count AS union_size \
            FROM (\(withFirst)) GLOBAL ALL INNER JOIN \
            (SELECT repository_key AS second_key, count() AS second_size FROM (\(perRepository)) GROUP BY repository_key) \
            USING (second_key) \
            ORDER BY shared_count / union_size DESC, shared_count DESC, first_key, second_key LIMIT \(bind: max(0, limit))
            """
        let action = "measure the coupling of repositories"
        let found = try answer(query, doing: action)
        let rows = try reading(action) {
            try found.rows.map { row in
                DependencyCouplingRow(
                    first: try found.string(row, "first_key"), second: try found.string(row, "second_key"),
                    shared: try found.int(row, "shared_count"), union: try found.int(row, "union_size"))
            }
        }
        if let first, let second, rows.isEmpty {
            // No shared dependency: still say how many each has.
            let counts = try select(
                """
                SELECT count() AS pair_count FROM (\(perRepository)) \
                WHERE repository_key IN (\(bind: first), \(bind: second))
                """, doing: action)
            let union = try reading(action) { try counts.rows.first.map { try counts.int($0, "pair_count") } ?? 0 }
            return [DependencyCouplingRow(first: min(first, second), second: max(first, second), shared: 0, union: union)]
        }
        return rows
    }
}

extension ClickHouseStore: DependencyStore {}
