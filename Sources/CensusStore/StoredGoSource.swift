/// The Go packages of one repository as the Go source tables store them (docs/schema.md, "Go
/// source"): packages with their counts, import edges, exported names and qualified references.
public struct StoredGoSource: Sendable, Equatable {
    public var packages: [StoredGoPackage]
    public var imports: [StoredGoImport]
    public var exports: [StoredGoExport]
    public var references: [StoredGoReference]

    public init(
        packages: [StoredGoPackage] = [], imports: [StoredGoImport] = [], exports: [StoredGoExport] = [],
        references: [StoredGoReference] = []
    ) {
        self.packages = packages
        self.imports = imports
        self.exports = exports
        self.references = references
    }
}

public struct StoredGoPackage: Sendable, Equatable {
    public var importPath: String
    public var module: String
    public var name: String
    public var directory: String
    public var isVendored: Bool
    public var isStandard: Bool
    public var goFiles: Int
    public var cgoFiles: Int
    public var testFiles: Int
    public var ignoredFiles: Int
    public var invalidFiles: Int
    public var generatedFiles: Int
    /// Distinct non-test imports, `C` and `unsafe` left out.
    public var totalImports: Int
    public var problems: Int

    public init(
        importPath: String, module: String, name: String, directory: String, isVendored: Bool, isStandard: Bool,
        goFiles: Int, cgoFiles: Int, testFiles: Int, ignoredFiles: Int, invalidFiles: Int, generatedFiles: Int,
        totalImports: Int, problems: Int
    ) {
        self.importPath = importPath
        self.module = module
        self.name = name
        self.directory = directory
        self.isVendored = isVendored
        self.isStandard = isStandard
        self.goFiles = goFiles
        self.cgoFiles = cgoFiles
        self.testFiles = testFiles
        self.ignoredFiles = ignoredFiles
        self.invalidFiles = invalidFiles
        self.generatedFiles = generatedFiles
        self.totalImports = totalImports
        self.problems = problems
    }
}

/// An import edge; `position` keeps go list's order of `Imports`.
public struct StoredGoImport: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case `import`, test, xtest
    }
    public var importer: String
    public var imported: String
    public var kind: Kind
    public var position: Int

    public init(importer: String, imported: String, kind: Kind, position: Int) {
        self.importer = importer
        self.imported = imported
        self.kind = kind
        self.position = position
    }
}

/// An exported name of a package.
public struct StoredGoExport: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case type, `func`, `var`, const, method
    }
    public var importPath: String
    /// The name (`Type.Method` for methods).
    public var name: String
    public var kind: Kind

    public init(importPath: String, name: String, kind: Kind) {
        self.importPath = importPath
        self.name = name
        self.kind = kind
    }
}

/// `pkg.Name` references from one package to one imported package: followed by `(`, by `{`, or
/// by anything else.
public struct StoredGoReference: Sendable, Equatable {
    public var importer: String
    public var imported: String
    public var name: String
    public var calls: Int
    public var literals: Int
    public var others: Int

    public init(importer: String, imported: String, name: String, calls: Int, literals: Int, others: Int) {
        self.importer = importer
        self.imported = imported
        self.name = name
        self.calls = calls
        self.literals = literals
        self.others = others
    }
}

/// A store that keeps Go source tables (`census scan --go-source`).
public protocol GoSourceStore: ResultStore {
    /// Replaces a repository's Go source rows; call it before saving the repository itself.
    func saveGoSource(repositoryKey: String, source: StoredGoSource) throws
    /// Every repository's Go source rows (or one repository's), by repository key.
    func goSource(repository: String?) throws -> [String: StoredGoSource]
}
