import GRDB

/// A `go.mod` of a repository, as the dependency tables store it (docs/schema.md, "Go modules").
public struct StoredGoModule: Sendable, Equatable {
    /// The file's path in the repository.
    public var path: String
    /// The module path (empty when the file declares none).
    public var module: String
    public var goVersion: String?
    public var category: StoredFileCategory
    public var usesVendor: Bool
    public var requirements: [StoredGoRequirement]
    public var replacements: [StoredGoReplacement]
    public var exclusions: [StoredGoRequirement]

    public init(
        path: String, module: String, goVersion: String?, category: StoredFileCategory, usesVendor: Bool,
        requirements: [StoredGoRequirement], replacements: [StoredGoReplacement] = [], exclusions: [StoredGoRequirement] = []
    ) {
        self.path = path
        self.module = module
        self.goVersion = goVersion
        self.category = category
        self.usesVendor = usesVendor
        self.requirements = requirements
        self.replacements = replacements
        self.exclusions = exclusions
    }
}

public struct StoredGoRequirement: Sendable, Equatable, Hashable {
    public var module: String
    public var version: String
    public var indirect: Bool

    public init(module: String, version: String, indirect: Bool = false) {
        self.module = module
        self.version = version
        self.indirect = indirect
    }
}

public struct StoredGoReplacement: Sendable, Equatable {
    public var oldPath: String
    public var oldVersion: String
    public var newPath: String
    public var newVersion: String

    public init(oldPath: String, oldVersion: String, newPath: String, newVersion: String) {
        self.oldPath = oldPath
        self.oldVersion = oldVersion
        self.newPath = newPath
        self.newVersion = newVersion
    }
}

/// A module depended upon: how many modules and repositories require it, directly or not.
public struct DependencyFanInRow: Sendable, Equatable {
    public var module: String
    public var directModules: Int
    public var indirectModules: Int
    public var directRepositories: Int
    public var indirectRepositories: Int
}

/// One requirement edge, with where it was declared.
public struct DependencyEdgeRow: Sendable, Equatable {
    public var repositoryKey: String
    public var requiring: String
    public var required: String
    public var version: String
    public var indirect: Bool
}

/// A part of all requirements: to modules of the corpus, to golang.org/x, to a host or an org.
public struct DependencyShareRow: Sendable, Equatable {
    /// `corpus`, `golang.org/x`, `host` or `org`.
    public var kind: String
    public var name: String
    public var requirements: Int
    public var total: Int
    public var share: Double { total > 0 ? Double(requirements) / Double(total) : 0 }
}

/// Two repositories' shared dependencies.
public struct DependencyCouplingRow: Sendable, Equatable {
    public var first: String
    public var second: String
    public var shared: Int
    public var union: Int
    public var jaccard: Double { union > 0 ? Double(shared) / Double(union) : 0 }
}

extension CensusDatabase {
    /// Schema version 3: the Go module tables.
    static let schemaV3 = [
        """
        CREATE TABLE go_modules (
            repository_key TEXT NOT NULL,
            path TEXT NOT NULL,
            module TEXT NOT NULL,
            go_version TEXT,
            category TEXT NOT NULL CHECK (category IN ('own', 'vendored', 'generated', 'documentation')),
            uses_vendor INTEGER NOT NULL,
            PRIMARY KEY (repository_key, path)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX go_modules_by_module ON go_modules (module)",
        """
        CREATE TABLE go_requirements (
            repository_key TEXT NOT NULL,
            path TEXT NOT NULL,
            module TEXT NOT NULL,
            required TEXT NOT NULL,
            version TEXT NOT NULL,
            indirect INTEGER NOT NULL,
            category TEXT NOT NULL,
            PRIMARY KEY (repository_key, path, required)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX go_requirements_by_required ON go_requirements (required, indirect)",
        """
        CREATE TABLE go_replacements (
            repository_key TEXT NOT NULL,
            path TEXT NOT NULL,
            old_path TEXT NOT NULL,
            old_version TEXT NOT NULL,
            new_path TEXT NOT NULL,
            new_version TEXT NOT NULL
        )
        """,
        "CREATE INDEX go_replacements_by_repository ON go_replacements (repository_key, path)",
        """
        CREATE TABLE go_exclusions (
            repository_key TEXT NOT NULL,
            path TEXT NOT NULL,
            excluded TEXT NOT NULL,
            version TEXT NOT NULL
        )
        """,
        "CREATE INDEX go_exclusions_by_repository ON go_exclusions (repository_key, path)",
    ]

    /// Replaces a repository's Go modules in one transaction. Call it before saving the
    /// repository itself: a run killed between the two leaves the repository not up to date, so
    /// the next run scans it again and replaces these rows.
    public func saveGoModules(repositoryKey: String, modules: [StoredGoModule]) throws {
        try writeTransaction(repository: repositoryKey) { db in
            for table in ["go_modules", "go_requirements", "go_replacements", "go_exclusions"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE repository_key = ?", arguments: [repositoryKey])
            }
            let moduleStatement = try db.makeStatement(
                sql: "INSERT OR REPLACE INTO go_modules (repository_key, path, module, go_version, category, uses_vendor) VALUES (?, ?, ?, ?, ?, ?)")
            let requirement = try db.makeStatement(
                sql: """
                    INSERT OR REPLACE INTO go_requirements (repository_key, path, module, required, version, indirect, category) \
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
            let replacement = try db.makeStatement(
                sql: "INSERT INTO go_replacements (repository_key, path, old_path, old_version, new_path, new_version) VALUES (?, ?, ?, ?, ?, ?)")
            let exclusion = try db.makeStatement(
                sql: "INSERT INTO go_exclusions (repository_key, path, excluded, version) VALUES (?, ?, ?, ?)")
            for m in modules {
                try moduleStatement.execute(arguments: [
                    repositoryKey, m.path, m.module, m.goVersion, m.category.rawValue, m.usesVendor,
                ])
                for r in m.requirements {
                    try requirement.execute(arguments: [
                        repositoryKey, m.path, m.module, r.module, r.version, r.indirect, m.category.rawValue,
                    ])
                }
                for r in m.replacements {
                    try replacement.execute(arguments: [repositoryKey, m.path, r.oldPath, r.oldVersion, r.newPath, r.newVersion])
                }
                for e in m.exclusions {
                    try exclusion.execute(arguments: [repositoryKey, m.path, e.module, e.version])
                }
            }
        }
    }

    /// Requirements of own go.mod files (not vendored copies), optionally of one cohort's
    /// repositories: the condition for `go_requirements AS q`.
    private func requirementFilter(cohort: String?) -> (String, StatementArguments) {
        var condition = "q.category = 'own'"
        var arguments: StatementArguments = []
        if let cohort {
            condition += """
                 AND q.repository_key IN (SELECT r.repository_key FROM repositories AS r JOIN repository_cohorts AS rc \
                USING (repository_id) WHERE rc.cohort = ?)
                """
            _ = arguments.append(contentsOf: [cohort])
        }
        return (condition, arguments)
    }

    /// The most depended-upon modules: distinct requiring modules and repositories, direct and
    /// indirect apart, ordered by direct (or, with `directOnly` false, all) requiring modules.
    public func dependencyFanIn(directOnly: Bool = false, cohort: String? = nil, limit: Int = 20) throws -> [DependencyFanInRow] {
        let (condition, arguments) = requirementFilter(cohort: cohort)
        var all = arguments
        _ = all.append(contentsOf: [max(0, limit)])
        let order = directOnly ? "direct_modules DESC, direct_repositories DESC" : "(direct_modules + indirect_modules) DESC, direct_modules DESC"
        let sql = """
            SELECT q.required AS required, \
            COUNT(DISTINCT CASE WHEN q.indirect = 0 THEN q.module END) AS direct_modules, \
            COUNT(DISTINCT CASE WHEN q.indirect = 1 THEN q.module END) AS indirect_modules, \
            COUNT(DISTINCT CASE WHEN q.indirect = 0 THEN q.repository_key END) AS direct_repositories, \
            COUNT(DISTINCT CASE WHEN q.indirect = 1 THEN q.repository_key END) AS indirect_repositories \
            FROM go_requirements AS q WHERE \(condition)\(directOnly ? " AND q.indirect = 0" : "") \
            GROUP BY q.required ORDER BY \(order), required ASC LIMIT ?
            """
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: all).map { row in
                DependencyFanInRow(
                    module: row["required"], directModules: row["direct_modules"], indirectModules: row["indirect_modules"],
                    directRepositories: row["direct_repositories"], indirectRepositories: row["indirect_repositories"])
            }
        }
    }

    /// Who requires `module` (at `version`, when given).
    public func dependencyUsers(of module: String, version: String? = nil) throws -> [DependencyEdgeRow] {
        var sql = """
            SELECT repository_key, module, required, version, indirect FROM go_requirements AS q \
            WHERE q.category = 'own' AND q.required = ?
            """
        var arguments: StatementArguments = [module]
        if let version {
            sql += " AND q.version = ?"
            _ = arguments.append(contentsOf: [version])
        }
        sql += " ORDER BY repository_key, module"
        return try edges(sql, arguments)
    }

    /// What a module (by module path) or a repository (by key) requires.
    public func dependencies(of name: String) throws -> [DependencyEdgeRow] {
        try edges(
            """
            SELECT repository_key, module, required, version, indirect FROM go_requirements AS q \
            WHERE q.category = 'own' AND (q.module = ? OR q.repository_key = ?) ORDER BY repository_key, module, required
            """, [name, name])
    }

    /// Every own requirement edge (for graph metrics and exports).
    public func dependencyEdges(cohort: String? = nil) throws -> [DependencyEdgeRow] {
        let (condition, arguments) = requirementFilter(cohort: cohort)
        return try edges(
            "SELECT repository_key, module, required, version, indirect FROM go_requirements AS q WHERE \(condition) ORDER BY module, required",
            arguments)
    }

    private func edges(_ sql: String, _ arguments: StatementArguments) throws -> [DependencyEdgeRow] {
        try read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                DependencyEdgeRow(
                    repositoryKey: row["repository_key"], requiring: row["module"], required: row["required"],
                    version: row["version"], indirect: row["indirect"])
            }
        }
    }

    /// Which part of all own requirements points inside the corpus (to a module some stored
    /// repository declares), to golang.org/x, and to each host and org (`host/first-element`).
    public func dependencyShare(cohort: String? = nil, limit: Int = 20) throws -> [DependencyShareRow] {
        let (condition, arguments) = requirementFilter(cohort: cohort)
        // host = text before the first '/', org = text before the second '/'.
        let host = "CASE WHEN instr(q.required, '/') > 0 THEN substr(q.required, 1, instr(q.required, '/') - 1) ELSE q.required END"
        let rest = "substr(q.required, instr(q.required, '/') + 1)"
        let org =
            "CASE WHEN instr(q.required, '/') > 0 AND instr(\(rest), '/') > 0 THEN substr(q.required, 1, instr(q.required, '/') + instr(\(rest), '/') - 1) ELSE q.required END"
        return try read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM go_requirements AS q WHERE \(condition)", arguments: arguments) ?? 0
            var rows: [DependencyShareRow] = []
            let corpus = try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM go_requirements AS q WHERE \(condition) \
                    AND q.required IN (SELECT module FROM go_modules WHERE category = 'own' AND module <> '')
                    """, arguments: arguments) ?? 0
            rows.append(DependencyShareRow(kind: "corpus", name: "modules in the corpus", requirements: corpus, total: total))
            let x = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM go_requirements AS q WHERE \(condition) AND q.required LIKE 'golang.org/x/%'",
                arguments: arguments) ?? 0
            rows.append(DependencyShareRow(kind: "golang.org/x", name: "golang.org/x", requirements: x, total: total))
            var limited = arguments
            _ = limited.append(contentsOf: [max(0, limit)])
            for (kind, expression) in [("host", host), ("org", org)] {
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(expression) AS name, COUNT(*) AS requirements FROM go_requirements AS q WHERE \(condition) \
                        GROUP BY name ORDER BY requirements DESC, name ASC LIMIT ?
                        """, arguments: limited)
                {
                    rows.append(DependencyShareRow(kind: kind, name: row["name"], requirements: row["requirements"], total: total))
                }
            }
            return rows
        }
    }

    /// Shared own dependencies (distinct required module paths) of two repositories, or of every
    /// pair (the `limit` most coupled by Jaccard index, then shared count, then names).
    public func dependencyCoupling(_ first: String? = nil, _ second: String? = nil, limit: Int = 20) throws -> [DependencyCouplingRow] {
        let perRepository = "SELECT DISTINCT repository_key, required FROM go_requirements WHERE category = 'own'"
        let sizes = "SELECT repository_key, COUNT(*) AS n FROM (\(perRepository)) GROUP BY repository_key"
        var sql = """
            SELECT a.repository_key AS first, b.repository_key AS second, COUNT(*) AS shared, sa.n + sb.n - COUNT(*) AS union_size \
            FROM (\(perRepository)) AS a JOIN (\(perRepository)) AS b ON a.required = b.required AND a.repository_key < b.repository_key \
            JOIN (\(sizes)) AS sa ON sa.repository_key = a.repository_key \
            JOIN (\(sizes)) AS sb ON sb.repository_key = b.repository_key
            """
        var arguments: StatementArguments = []
        if let first, let second {
            let (x, y) = first < second ? (first, second) : (second, first)
            sql += " WHERE a.repository_key = ? AND b.repository_key = ?"
            arguments = [x, y]
        }
        sql += """
             GROUP BY a.repository_key, b.repository_key \
            ORDER BY CAST(COUNT(*) AS REAL) / (sa.n + sb.n - COUNT(*)) DESC, shared DESC, first, second LIMIT ?
            """
        _ = arguments.append(contentsOf: [max(0, limit)])
        let rows = try read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                DependencyCouplingRow(first: row["first"], second: row["second"], shared: row["shared"], union: row["union_size"])
            }
        }
        if let first, let second, rows.isEmpty {
            // No shared dependency: still say how many each has.
            let counts = try read { db in
                try Row.fetchAll(
                    db, sql: "SELECT repository_key, COUNT(*) AS n FROM (\(perRepository)) WHERE repository_key IN (?, ?) GROUP BY repository_key",
                    arguments: [first, second])
            }
            let union = counts.reduce(0) { $0 + ($1["n"] as Int) }
            return [DependencyCouplingRow(first: min(first, second), second: max(first, second), shared: 0, union: union)]
        }
        return rows
    }
}

/// PageRank over the requirement graph (module → required module), computed in memory from the
/// edges (memory in proportion to the graph): damping 0.85, dangling modules' rank spread evenly,
/// iterated until the total change is below `tolerance` or `maxIterations`.
public struct DependencyRank: Sendable {
    public var scores: [(module: String, score: Double)]
    public var iterations: Int

    public init(edges: [(from: String, to: String)], damping: Double = 0.85, tolerance: Double = 1e-10, maxIterations: Int = 100) {
        var index: [String: Int] = [:]
        var names: [String] = []
        func id(_ name: String) -> Int {
            if let k = index[name] { return k }
            index[name] = names.count
            names.append(name)
            return names.count - 1
        }
        var pairs: [(Int, Int)] = []
        pairs.reserveCapacity(edges.count)
        for e in edges where e.from != e.to { pairs.append((id(e.from), id(e.to))) }
        let n = names.count
        guard n > 0 else {
            scores = []
            iterations = 0
            return
        }
        // Unique edges, grouped by source (compressed rows).
        pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var unique: [(Int, Int)] = []
        unique.reserveCapacity(pairs.count)
        for p in pairs where unique.last.map({ $0 != p }) ?? true { unique.append(p) }
        var outDegree = [Int](repeating: 0, count: n)
        for (from, _) in unique { outDegree[from] += 1 }
        var rank = [Double](repeating: 1 / Double(n), count: n)
        var next = [Double](repeating: 0, count: n)
        var iteration = 0
        while iteration < maxIterations {
            iteration += 1
            var dangling = 0.0
            for k in 0 ..< n where outDegree[k] == 0 { dangling += rank[k] }
            let base = (1 - damping) / Double(n) + damping * dangling / Double(n)
            for k in 0 ..< n { next[k] = base }
            for (from, to) in unique { next[to] += damping * rank[from] / Double(outDegree[from]) }
            var change = 0.0
            for k in 0 ..< n { change += abs(next[k] - rank[k]) }
            swap(&rank, &next)
            if change < tolerance { break }
        }
        iterations = iteration
        scores = zip(names, rank).map { (module: $0.0, score: $0.1) }.sorted {
            $0.score != $1.score ? $0.score > $1.score : $0.module < $1.module
        }
    }
}
