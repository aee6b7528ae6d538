import GRDB

extension CensusDatabase {
    /// Schema version 7: the Go source tables (packages, imports, exports, references).
    static let schemaV7 = [
        """
        CREATE TABLE go_packages (
            repository_key TEXT NOT NULL,
            import_path TEXT NOT NULL,
            module TEXT NOT NULL,
            name TEXT NOT NULL,
            directory TEXT NOT NULL,
            vendored INTEGER NOT NULL,
            standard INTEGER NOT NULL,
            go_files INTEGER NOT NULL,
            cgo_files INTEGER NOT NULL,
            test_files INTEGER NOT NULL,
            ignored_files INTEGER NOT NULL,
            invalid_files INTEGER NOT NULL,
            generated_files INTEGER NOT NULL,
            total_imports INTEGER NOT NULL,
            problems INTEGER NOT NULL,
            PRIMARY KEY (repository_key, import_path)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX go_packages_by_module ON go_packages (module)",
        """
        CREATE TABLE go_package_imports (
            repository_key TEXT NOT NULL,
            importer TEXT NOT NULL,
            imported TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('import', 'test', 'xtest')),
            position INTEGER NOT NULL,
            PRIMARY KEY (repository_key, importer, kind, imported)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX go_package_imports_by_imported ON go_package_imports (imported)",
        """
        CREATE TABLE go_exports (
            repository_key TEXT NOT NULL,
            import_path TEXT NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('type', 'func', 'var', 'const', 'method')),
            PRIMARY KEY (repository_key, import_path, kind, name)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE go_references (
            repository_key TEXT NOT NULL,
            importer TEXT NOT NULL,
            imported TEXT NOT NULL,
            name TEXT NOT NULL,
            calls INTEGER NOT NULL,
            literals INTEGER NOT NULL,
            others INTEGER NOT NULL,
            PRIMARY KEY (repository_key, importer, imported, name)
        ) WITHOUT ROWID
        """,
    ]

    /// Replaces a repository's Go source rows in one transaction (before the repository itself is
    /// saved, as for Go modules: a run killed between the two scans the repository again).
    public func saveGoSource(repositoryKey: String, source: StoredGoSource) throws {
        try writeTransaction(repository: repositoryKey) { db in
            for table in ["go_packages", "go_package_imports", "go_exports", "go_references"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE repository_key = ?", arguments: [repositoryKey])
            }
            let package = try db.makeStatement(
                sql: """
                    INSERT OR REPLACE INTO go_packages (repository_key, import_path, module, name, directory, vendored, standard, \
                    go_files, cgo_files, test_files, ignored_files, invalid_files, generated_files, total_imports, problems) \
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for p in source.packages {
                try package.execute(arguments: [
                    repositoryKey, p.importPath, p.module, p.name, p.directory, p.isVendored, p.isStandard, p.goFiles,
                    p.cgoFiles, p.testFiles, p.ignoredFiles, p.invalidFiles, p.generatedFiles, p.totalImports, p.problems,
                ])
            }
            let edge = try db.makeStatement(
                sql: "INSERT OR REPLACE INTO go_package_imports (repository_key, importer, imported, kind, position) VALUES (?, ?, ?, ?, ?)")
            for i in source.imports {
                try edge.execute(arguments: [repositoryKey, i.importer, i.imported, i.kind.rawValue, i.position])
            }
            let export = try db.makeStatement(
                sql: "INSERT OR REPLACE INTO go_exports (repository_key, import_path, name, kind) VALUES (?, ?, ?, ?)")
            for e in source.exports { try export.execute(arguments: [repositoryKey, e.importPath, e.name, e.kind.rawValue]) }
            let reference = try db.makeStatement(
                sql: """
                    INSERT OR REPLACE INTO go_references (repository_key, importer, imported, name, calls, literals, others) \
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
            for r in source.references {
                try reference.execute(arguments: [repositoryKey, r.importer, r.imported, r.name, r.calls, r.literals, r.others])
            }
        }
    }

    /// Every repository's Go source rows (or one repository's), by repository key.
    public func goSource(repository: String? = nil) throws -> [String: StoredGoSource] {
        let condition = repository == nil ? "" : " WHERE repository_key = ?"
        let arguments: StatementArguments = repository.map { [$0] } ?? []
        return try read { db in
            var out: [String: StoredGoSource] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM go_packages\(condition) ORDER BY repository_key, import_path", arguments: arguments) {
                out[row["repository_key"], default: StoredGoSource()].packages.append(
                    StoredGoPackage(
                        importPath: row["import_path"], module: row["module"], name: row["name"], directory: row["directory"],
                        isVendored: row["vendored"], isStandard: row["standard"], goFiles: row["go_files"],
                        cgoFiles: row["cgo_files"], testFiles: row["test_files"], ignoredFiles: row["ignored_files"],
                        invalidFiles: row["invalid_files"], generatedFiles: row["generated_files"],
                        totalImports: row["total_imports"], problems: row["problems"]))
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT * FROM go_package_imports\(condition) ORDER BY repository_key, importer, kind, position", arguments: arguments)
            {
                let kind = StoredGoImport.Kind(rawValue: row["kind"]) ?? .import
                out[row["repository_key"], default: StoredGoSource()].imports.append(
                    StoredGoImport(importer: row["importer"], imported: row["imported"], kind: kind, position: row["position"]))
            }
            for row in try Row.fetchAll(db, sql: "SELECT * FROM go_exports\(condition) ORDER BY repository_key, import_path, kind, name", arguments: arguments) {
                let kind = StoredGoExport.Kind(rawValue: row["kind"]) ?? .type
                out[row["repository_key"], default: StoredGoSource()].exports.append(
                    StoredGoExport(importPath: row["import_path"], name: row["name"], kind: kind))
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT * FROM go_references\(condition) ORDER BY repository_key, importer, imported, name", arguments: arguments)
            {
                out[row["repository_key"], default: StoredGoSource()].references.append(
                    StoredGoReference(
                        importer: row["importer"], imported: row["imported"], name: row["name"], calls: row["calls"],
                        literals: row["literals"], others: row["others"]))
            }
            return out
        }
    }
}

extension CensusDatabase: GoSourceStore {}
