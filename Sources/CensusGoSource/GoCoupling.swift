/// Code-level coupling between an importer j and an imported package or module i:
///
///     C_ij = (shared_types + cross_pkg_calls) / (total_exports_i × total_imports_j)
///
/// - `shared_types`: distinct exported types of i that j names (type names, conversions,
///   composite literals);
/// - `cross_pkg_calls`: call sites in j of i's exported top-level functions;
/// - `total_exports_i`: i's exported types, functions, variables, constants and methods of
///   exported types;
/// - `total_imports_j`: the distinct packages j imports (`C` and `unsafe` left out, the standard
///   library included).
///
/// Only non-test files count on both sides. At module level each count is the sum of its
/// package-level counts over the module's packages (pairs inside one module left out). The
/// choices the formula leaves open are listed in docs/go-source.md.
public struct GoCouplingRow: Sendable, Hashable {
    public enum Level: String, Sendable, CaseIterable {
        case package
        case module
    }

    /// The importer (package import path or module path).
    public var importer: String
    /// The imported package or module.
    public var imported: String
    public var sharedTypes: Int
    public var crossPackageCalls: Int
    /// Exports of the imported side.
    public var totalExports: Int
    /// Imports of the importing side.
    public var totalImports: Int
    /// Package import edges behind the row (1 at package level).
    public var edges: Int

    public init(
        importer: String, imported: String, sharedTypes: Int, crossPackageCalls: Int, totalExports: Int, totalImports: Int,
        edges: Int = 1
    ) {
        self.importer = importer
        self.imported = imported
        self.sharedTypes = sharedTypes
        self.crossPackageCalls = crossPackageCalls
        self.totalExports = totalExports
        self.totalImports = totalImports
        self.edges = edges
    }

    /// `C_ij`; 0 when either total is 0 (a package with no exports, or that imports nothing).
    public var coupling: Double {
        let denominator = Double(totalExports) * Double(totalImports)
        return denominator > 0 ? Double(sharedTypes + crossPackageCalls) / denominator : 0
    }
}

/// Coupling rows from a loaded package set.
public enum GoCoupling {
    /// One row per import edge j → i whose target i was loaded (test imports left out).
    public static func packageRows(_ set: GoPackageSet) -> [GoCouplingRow] {
        var rows: [GoCouplingRow] = []
        for j in set.packages {
            var uses: [String: GoPackageUse] = [:]
            for u in j.uses { uses[u.importPath] = u }
            for path in j.imports where path != "C" && path != "unsafe" && path != j.importPath {
                guard let i = set.package(path) else { continue }
                let u = uses[path]
                rows.append(
                    GoCouplingRow(
                        importer: j.importPath, imported: path, sharedTypes: u?.typesNamed.count ?? 0,
                        crossPackageCalls: u?.calls ?? 0, totalExports: i.totalExports, totalImports: j.totalImports))
            }
        }
        return rows
    }

    /// Package rows summed per pair of modules (importer module ≠ imported module).
    /// `totalExports` is the sum over the imported module's packages and `totalImports` the sum
    /// over the importing module's packages, whichever of them take part in the pair.
    public static func moduleRows(_ set: GoPackageSet) -> [GoCouplingRow] {
        var moduleOf: [String: String] = [:]
        var exportsOf: [String: Int] = [:]
        var importsOf: [String: Int] = [:]
        for p in set.packages {
            moduleOf[p.importPath] = p.module
            exportsOf[p.module, default: 0] += p.totalExports
            importsOf[p.module, default: 0] += p.totalImports
        }
        return moduleRows(
            packageRows: packageRows(set), moduleOf: { moduleOf[$0] ?? $0 }, exports: { exportsOf[$0] ?? 0 },
            imports: { importsOf[$0] ?? 0 })
    }

    /// Module rows from package rows and the modules' totals (what the stores compute too).
    public static func moduleRows(
        packageRows: [GoCouplingRow], moduleOf: (String) -> String, exports: (String) -> Int, imports: (String) -> Int
    ) -> [GoCouplingRow] {
        struct Key: Hashable {
            var from: String
            var to: String
        }
        var sums: [Key: GoCouplingRow] = [:]
        for r in packageRows {
            let key = Key(from: moduleOf(r.importer), to: moduleOf(r.imported))
            if key.from == key.to { continue }
            var row =
                sums[key]
                ?? GoCouplingRow(
                    importer: key.from, imported: key.to, sharedTypes: 0, crossPackageCalls: 0, totalExports: exports(key.to),
                    totalImports: imports(key.from), edges: 0)
            row.sharedTypes += r.sharedTypes
            row.crossPackageCalls += r.crossPackageCalls
            row.edges += 1
            sums[key] = row
        }
        return sums.values.sorted { ($0.importer, $0.imported) < ($1.importer, $1.imported) }
    }

    /// The mean of `C_ij` over the rows (0 when there are none).
    public static func mean(_ rows: [GoCouplingRow]) -> Double {
        rows.isEmpty ? 0 : rows.reduce(0) { $0 + $1.coupling } / Double(rows.count)
    }
}
