import Foundation
import Testing

@testable import CensusStore

/// The Go source tables (schema version 7): what is saved is read back whole, a rescan replaces
/// a repository's rows, one repository can be asked for alone; ClickHouse answers as SQLite.
@Suite struct GoSourceStoreTests {
    static func source(_ prefix: String, calls: Int) -> StoredGoSource {
        StoredGoSource(
            packages: [
                StoredGoPackage(
                    importPath: prefix + "/app", module: prefix, name: "app", directory: "app", isVendored: false,
                    isStandard: false, goFiles: 2, cgoFiles: 1, testFiles: 1, ignoredFiles: 3, invalidFiles: 0,
                    generatedFiles: 1, totalImports: 2, problems: 1),
                StoredGoPackage(
                    importPath: prefix + "/lib", module: prefix, name: "lib", directory: "lib", isVendored: true,
                    isStandard: false, goFiles: 1, cgoFiles: 0, testFiles: 0, ignoredFiles: 0, invalidFiles: 1,
                    generatedFiles: 0, totalImports: 0, problems: 0),
            ],
            imports: [
                StoredGoImport(importer: prefix + "/app", imported: prefix + "/lib", kind: .import, position: 0),
                StoredGoImport(importer: prefix + "/app", imported: "fmt", kind: .import, position: 1),
                StoredGoImport(importer: prefix + "/app", imported: "testing", kind: .test, position: 0),
            ],
            exports: [
                // In the order the stores return them: by kind, then name.
                StoredGoExport(importPath: prefix + "/lib", name: "New", kind: .func),
                StoredGoExport(importPath: prefix + "/lib", name: "Client.Close", kind: .method),
                StoredGoExport(importPath: prefix + "/lib", name: "Client", kind: .type),
            ],
            references: [
                StoredGoReference(importer: prefix + "/app", imported: prefix + "/lib", name: "Client", calls: 0, literals: 2, others: 1),
                StoredGoReference(importer: prefix + "/app", imported: prefix + "/lib", name: "New", calls: calls, literals: 0, others: 0),
            ])
    }

    func exercise(_ store: any GoSourceStore) throws {
        try store.saveGoSource(repositoryKey: "github.com/a/one", source: Self.source("example.com/one", calls: 1))
        try store.saveGoSource(repositoryKey: "github.com/a/two", source: Self.source("example.com/two", calls: 2))
        // A rescan of one replaces its rows.
        try store.saveGoSource(repositoryKey: "github.com/a/one", source: Self.source("example.com/one", calls: 5))
        let all = try store.goSource(repository: nil)
        #expect(all.keys.sorted() == ["github.com/a/one", "github.com/a/two"])
        #expect(all["github.com/a/one"] == Self.source("example.com/one", calls: 5))
        #expect(all["github.com/a/two"] == Self.source("example.com/two", calls: 2))
        let one = try store.goSource(repository: "github.com/a/two")
        #expect(one.keys.sorted() == ["github.com/a/two"])
        // A repository rescanned with no Go packages has none.
        try store.saveGoSource(repositoryKey: "github.com/a/two", source: StoredGoSource())
        #expect(try store.goSource(repository: "github.com/a/two").isEmpty)
    }

    @Test func sqliteRoundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let sqlite = try CensusDatabase.open(path: directory.file("go.sqlite"))
        try exercise(sqlite)
        try sqlite.close()
    }

    @Test(.enabled(if: TestServers.hasClickHouse, TestServers.noClickHouse))
    func clickHouseRoundTrip() throws {
        let server = try ClickHouseServer()
        defer { server.stop() }
        let clickhouse = try ClickHouseStore.open(server.endpoint(database: "census"))
        try exercise(clickhouse)
        // Rows of earlier saves stay in ClickHouse; only the latest save of each key is current.
        #expect(try server.run("SELECT count() FROM census.go_source_scans") == "4\n")
        try clickhouse.close()
    }
}
