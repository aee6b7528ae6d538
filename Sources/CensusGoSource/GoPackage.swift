/// A Go package as the go command sees it for one target (or the union of several): its files by
/// role, its imports as `go list -json` reports them, and, when the source was analysed, its
/// exported API and its uses of the packages it imports.
public struct GoPackage: Sendable {
    /// The import path (`go list`'s `ImportPath`).
    public var importPath: String
    /// The directory relative to the loaded root (`""` for the root).
    public var directory: String
    /// The package clause's name (`Name`).
    public var name: String
    /// The module the package belongs to: the nearest go.mod's module path, else a path guessed
    /// from the import path (see docs/go-source.md).
    public var module: String
    /// Whether the package is inside a `vendor` directory.
    public var isVendored: Bool
    /// Whether the package belongs to the Go distribution (a GOROOT tree, or modules `std`/`cmd`).
    public var isStandard: Bool
    public var goFiles: [String] = []
    public var cgoFiles: [String] = []
    public var testGoFiles: [String] = []
    public var xTestGoFiles: [String] = []
    /// `.go` files left out by build constraints or file-name suffixes (or cgo files without cgo).
    public var ignoredGoFiles: [String] = []
    /// Files the go command cannot use: a NUL byte, a bad `//go:build` line, a syntax error in the
    /// package clause or imports, another package's clause.
    public var invalidGoFiles: [String] = []
    /// Files marked `// Code generated … DO NOT EDIT.`
    public var generatedGoFiles: [String] = []
    /// `Imports`: the non-test files' imports, sorted as written, each then replaced by what it
    /// resolves to (vendor directories), so the list may be out of order, as go list prints it.
    public var imports: [String] = []
    public var testImports: [String] = []
    public var xTestImports: [String] = []
    /// Dot imports of the non-test files (their names are used unqualified).
    public var dotImports: [String] = []
    /// Blank (`_`) imports of the non-test files.
    public var blankImports: [String] = []
    /// Problems with the package's files: syntax errors with line and column, bad constraints,
    /// conflicting package clauses, disallowed internal imports.
    public var problems: [GoSourceProblem] = []
    /// The exported API of the non-test files (when the source was analysed).
    public var api = GoPackageAPI()
    /// Qualified references from the non-test files to imported packages, resolved.
    public var uses: [GoPackageUse] = []
    /// The references behind ``uses``, per imported package and selected name (what the store keeps).
    public var references: [GoReference] = []

    /// How many exported names the package has (``GoPackageAPI/total``).
    public var totalExports: Int { api.total }
    /// How many distinct packages its non-test files import, `C` and `unsafe` left out.
    public var totalImports: Int { imports.filter { $0 != "C" && $0 != "unsafe" }.count }

    /// Raw imports by file role before resolution (sorted, unique).
    var rawImports: [String] = []
    var rawTestImports: [String] = []
    var rawXTestImports: [String] = []
    /// Per non-test file: its imports (path as written and local name), to resolve references.
    var fileImports: [[GoImportSpec]] = []
    /// Qualified references by local name, before the import's package name is known.
    var pendingReferences: [GoPendingReference] = []

    public init(
        importPath: String, directory: String, name: String, module: String, isVendored: Bool = false, isStandard: Bool = false
    ) {
        self.importPath = importPath
        self.directory = directory
        self.name = name
        self.module = module
        self.isVendored = isVendored
        self.isStandard = isStandard
    }
}

/// The exported top-level names of a package, by kind.
public struct GoPackageAPI: Sendable, Hashable {
    public var types: Set<String> = []
    public var functions: Set<String> = []
    public var variables: Set<String> = []
    public var constants: Set<String> = []
    /// Exported methods of exported types, as `Type.Method`.
    public var methods: Set<String> = []

    public init() {}

    /// All exported names: types, functions, variables, constants and methods.
    public var total: Int { types.count + functions.count + variables.count + constants.count + methods.count }
}

/// How one package uses one imported package: the distinct exported types it names, its call
/// sites of the imported package's exported functions, composite literals of its types, and the
/// other references.
public struct GoPackageUse: Sendable, Hashable {
    /// The resolved import path.
    public var importPath: String
    /// Distinct exported types of the imported package named anywhere (type names, conversions,
    /// composite literals).
    public var typesNamed: Set<String> = []
    /// Call sites `pkg.F(…)` of exported functions.
    public var calls = 0
    /// Composite literals `pkg.T{…}`.
    public var compositeLiterals = 0
    /// Conversions `pkg.T(x)`.
    public var conversions = 0
    /// References to types outside literals and conversions.
    public var typeReferences = 0
    /// References to exported variables and constants, and to functions not called (`f := pkg.F`).
    public var valueReferences = 0
    /// `pkg.Name` where the imported package (when known) declares no such exported name: a field
    /// or method through a variable that shadows the import, or a name from a file left out.
    public var unresolved = 0
}

/// `pkg.Name` references of one package to one imported package, by syntactic position: followed by
/// `(` (a call or a conversion), by `{` (a composite literal), or by anything else.
public struct GoReference: Sendable, Hashable {
    /// The resolved import path.
    public var importPath: String
    public var name: String
    public var calls: Int
    public var literals: Int
    public var others: Int

    public init(importPath: String, name: String, calls: Int, literals: Int, others: Int) {
        self.importPath = importPath
        self.name = name
        self.calls = calls
        self.literals = literals
        self.others = others
    }
}

/// A qualified reference waiting for the import's package name: `local.name` seen `count` times
/// in each syntactic position.
struct GoPendingReference: Hashable {
    var file: Int
    var local: String
    var name: String
    var calls: Int = 0
    var literals: Int = 0
    var others: Int = 0
}
