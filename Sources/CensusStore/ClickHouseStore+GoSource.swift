/// Go source tables in ClickHouse: SQLite's columns plus `saved_at`, and a `go_source_scans` row
/// per save, written last; only the rows of each repository's latest save are current (as the Go
/// module tables do it).
extension ClickHouseStore {
    static let goSourceScansTable = Table(
        name: "go_source_scans", columns: [("repository_key", "String"), ("saved_at", "Int64")],
        orderBy: "(repository_key, saved_at)", shardingKey: "cityHash64(repository_key)")

    static let goPackagesTable = Table(
        name: "go_packages",
        columns: [
            ("repository_key", "String"), ("import_path", "String"), ("module", "String"), ("name", "String"),
            ("directory", "String"), ("vendored", "UInt8"), ("standard", "UInt8"), ("go_files", "Int64"),
            ("cgo_files", "Int64"), ("test_files", "Int64"), ("ignored_files", "Int64"), ("invalid_files", "Int64"),
            ("generated_files", "Int64"), ("total_imports", "Int64"), ("problems", "Int64"), ("saved_at", "Int64"),
        ],
        orderBy: "(repository_key, import_path, saved_at)", shardingKey: "cityHash64(repository_key)")

    static let goPackageImportsTable = Table(
        name: "go_package_imports",
        columns: [
            ("repository_key", "String"), ("importer", "String"), ("imported", "String"), ("kind", "String"),
            ("position", "Int64"), ("saved_at", "Int64"),
        ],
        orderBy: "(repository_key, importer, kind, saved_at)", shardingKey: "cityHash64(repository_key)")

    static let goExportsTable = Table(
        name: "go_exports",
        columns: [
            ("repository_key", "String"), ("import_path", "String"), ("name", "String"), ("kind", "String"),
            ("saved_at", "Int64"),
        ],
        orderBy: "(repository_key, import_path, kind, saved_at)", shardingKey: "cityHash64(repository_key)")

    static let goReferencesTable = Table(
        name: "go_references",
        columns: [
            ("repository_key", "String"), ("importer", "String"), ("imported", "String"), ("name", "String"),
            ("calls", "Int64"), ("literals", "Int64"), ("others", "Int64"), ("saved_at", "Int64"),
        ],
        orderBy: "(repository_key, importer, imported, saved_at)", shardingKey: "cityHash64(repository_key)")

    static let goSourceTables = [
        goSourceScansTable, goPackagesTable, goPackageImportsTable, goExportsTable, goReferencesTable,
    ]

    /// Replaces a repository's Go source rows: new rows under a new `saved_at`, then the
    /// `go_source_scans` row that makes them current.
    ///
    /// - Throws: ``CensusStoreError`` naming the repository: `readOnly`, or a failed insert (the
    ///   earlier rows stay current; rerun the scan).
    public func saveGoSource(repositoryKey: String, source: StoredGoSource) throws {
        try checkOpen()
        if isReadOnly {
            throw CensusStoreError(
                .readOnly, path: displayLocation, repository: repositoryKey, message: "the store was opened for queries only")
        }
        let savedAt = pending.withLock { $0.reserveSavedAt(1) }
        var packages = ClickHouseSQL.RowWriter()
        for p in source.packages {
            packages.field(repositoryKey)
            packages.field(p.importPath)
            packages.field(p.module)
            packages.field(p.name)
            packages.field(p.directory)
            packages.field(p.isVendored ? 1 : 0)
            packages.field(p.isStandard ? 1 : 0)
            for n in [p.goFiles, p.cgoFiles, p.testFiles, p.ignoredFiles, p.invalidFiles, p.generatedFiles, p.totalImports, p.problems] {
                packages.field(n)
            }
            packages.field(savedAt)
            packages.endRow()
        }
        var imports = ClickHouseSQL.RowWriter()
        for i in source.imports {
            imports.field(repositoryKey)
            imports.field(i.importer)
            imports.field(i.imported)
            imports.field(i.kind.rawValue)
            imports.field(i.position)
            imports.field(savedAt)
            imports.endRow()
        }
        var exports = ClickHouseSQL.RowWriter()
        for e in source.exports {
            exports.field(repositoryKey)
            exports.field(e.importPath)
            exports.field(e.name)
            exports.field(e.kind.rawValue)
            exports.field(savedAt)
            exports.endRow()
        }
        var references = ClickHouseSQL.RowWriter()
        for r in source.references {
            references.field(repositoryKey)
            references.field(r.importer)
            references.field(r.imported)
            references.field(r.name)
            references.field(r.calls)
            references.field(r.literals)
            references.field(r.others)
            references.field(savedAt)
            references.endRow()
        }
        var scan = ClickHouseSQL.RowWriter()
        scan.field(repositoryKey)
        scan.field(savedAt)
        scan.endRow()
        let action = "store the Go packages of \(repositoryKey)"
        try insert(into: Self.goPackagesTable, packages, repository: repositoryKey, doing: action)
        try insert(into: Self.goPackageImportsTable, imports, repository: repositoryKey, doing: action)
        try insert(into: Self.goExportsTable, exports, repository: repositoryKey, doing: action)
        try insert(into: Self.goReferencesTable, references, repository: repositoryKey, doing: action)
        try insert(into: Self.goSourceScansTable, scan, repository: repositoryKey, doing: action)
    }

    /// Rows of each repository's latest Go source save.
    private func currentGoSource(_ repository: String?) -> SQLText {
        let only: SQLText = repository.map { " AND repository_key = \(bind: $0)" } ?? ""
        return """
            (repository_key, saved_at) GLOBAL IN \
            (SELECT repository_key, max(saved_at) AS latest FROM go_source_scans GROUP BY repository_key)\(only)
            """
    }

    /// Every repository's Go source rows (or one repository's), as SQLite returns them.
    public func goSource(repository: String? = nil) throws -> [String: StoredGoSource] {
        let action = "read the Go packages"
        let current = currentGoSource(repository)
        var out: [String: StoredGoSource] = [:]
        let packages = try answer(
            """
            SELECT repository_key, import_path, module, name, directory, vendored, standard, go_files, cgo_files, test_files, \
            ignored_files, invalid_files, generated_files, total_imports, problems FROM go_packages WHERE \(current) \
            ORDER BY repository_key, import_path
            """, doing: action)
        // `answer`, not `select`: a literal given to `select` would be read as a String and lose its binds.
        let imports = try answer(
            """
            SELECT repository_key, importer, imported, kind, position FROM go_package_imports WHERE \(current) \
            ORDER BY repository_key, importer, kind, position
            """, doing: action)
        let exports = try answer(
            """
            SELECT repository_key, import_path, name, kind FROM go_exports WHERE \(current) \
            ORDER BY repository_key, import_path, kind, name
            """, doing: action)
        let references = try answer(
            """
            SELECT repository_key, importer, imported, name, calls, literals, others FROM go_references WHERE \(current) \
            ORDER BY repository_key, importer, imported, name
            """, doing: action)
        try reading(action) {
            for row in packages.rows {
                out[try packages.string(row, "repository_key"), default: StoredGoSource()].packages.append(
                    StoredGoPackage(
                        importPath: try packages.string(row, "import_path"), module: try packages.string(row, "module"),
                        name: try packages.string(row, "name"), directory: try packages.string(row, "directory"),
                        isVendored: try packages.int(row, "vendored") != 0, isStandard: try packages.int(row, "standard") != 0,
                        goFiles: try packages.int(row, "go_files"), cgoFiles: try packages.int(row, "cgo_files"),
                        testFiles: try packages.int(row, "test_files"), ignoredFiles: try packages.int(row, "ignored_files"),
                        invalidFiles: try packages.int(row, "invalid_files"),
                        generatedFiles: try packages.int(row, "generated_files"),
                        totalImports: try packages.int(row, "total_imports"), problems: try packages.int(row, "problems")))
            }
            for row in imports.rows {
                out[try imports.string(row, "repository_key"), default: StoredGoSource()].imports.append(
                    StoredGoImport(
                        importer: try imports.string(row, "importer"), imported: try imports.string(row, "imported"),
                        kind: StoredGoImport.Kind(rawValue: try imports.string(row, "kind")) ?? .import,
                        position: try imports.int(row, "position")))
            }
            for row in exports.rows {
                out[try exports.string(row, "repository_key"), default: StoredGoSource()].exports.append(
                    StoredGoExport(
                        importPath: try exports.string(row, "import_path"), name: try exports.string(row, "name"),
                        kind: StoredGoExport.Kind(rawValue: try exports.string(row, "kind")) ?? .type))
            }
            for row in references.rows {
                out[try references.string(row, "repository_key"), default: StoredGoSource()].references.append(
                    StoredGoReference(
                        importer: try references.string(row, "importer"), imported: try references.string(row, "imported"),
                        name: try references.string(row, "name"), calls: try references.int(row, "calls"),
                        literals: try references.int(row, "literals"), others: try references.int(row, "others")))
            }
        }
        return out
    }
}

extension ClickHouseStore: GoSourceStore {}
