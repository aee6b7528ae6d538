/// Turns each package's pending references (`local.Name`, by file) into uses of resolved import
/// paths, classified by what the imported package declares.
public enum GoReferenceResolver {
    static func resolve(_ set: inout GoPackageSet) {
        var byPath: [String: Int] = [:]
        for (k, p) in set.packages.enumerated() { byPath[p.importPath] = k }
        for k in set.packages.indices {
            var package = set.packages[k]
            // Raw import path → resolved, from the package's own resolution (same order).
            var resolved: [String: String] = [:]
            for (raw, path) in zip(package.rawImports, package.imports) { resolved[raw] = path }
            // Per file: local name → resolved import path.
            var fileNames: [[String: String]] = []
            for specs in package.fileImports {
                var names: [String: String] = [:]
                for spec in specs where spec.path != "C" {
                    let path = resolved[spec.path] ?? spec.path
                    if let name = spec.name {
                        if name != "_" && name != "." { names[name] = path }
                    } else if let target = byPath[path] {
                        names[set.packages[target].name] = path
                    } else {
                        // Not loaded: every guessed name stands for it (the store resolves the
                        // names against the imported package's exports later).
                        for guess in GoImportNames.guesses(spec.path) where names[guess] == nil { names[guess] = path }
                    }
                }
                fileNames.append(names)
            }
            struct Key: Hashable {
                var path: String
                var name: String
            }
            var merged: [Key: GoReference] = [:]
            for ref in package.pendingReferences {
                guard let path = fileNames[ref.file][ref.local] else { continue }
                let key = Key(path: path, name: ref.name)
                var r = merged[key] ?? GoReference(importPath: path, name: ref.name, calls: 0, literals: 0, others: 0)
                r.calls += ref.calls
                r.literals += ref.literals
                r.others += ref.others
                merged[key] = r
            }
            package.references = merged.values.sorted { ($0.importPath, $0.name) < ($1.importPath, $1.name) }
            package.pendingReferences = []
            package.fileImports = []
            set.packages[k] = package
        }
        computeUses(&set.packages)
    }

    /// Classifies every package's references by what the imported package (when among `packages`)
    /// declares: calls of functions, conversions and literals of types, values; the rest unresolved.
    public static func computeUses(_ packages: inout [GoPackage]) {
        var apis: [String: GoPackageAPI] = [:]
        for p in packages { apis[p.importPath] = p.api }
        for k in packages.indices {
            var uses: [String: GoPackageUse] = [:]
            for ref in packages[k].references {
                var use = uses[ref.importPath] ?? GoPackageUse(importPath: ref.importPath)
                let total = ref.calls + ref.literals + ref.others
                if let api = apis[ref.importPath] {
                    if api.functions.contains(ref.name) {
                        use.calls += ref.calls
                        use.valueReferences += ref.literals + ref.others
                    } else if api.types.contains(ref.name) {
                        use.typesNamed.insert(ref.name)
                        use.conversions += ref.calls
                        use.compositeLiterals += ref.literals
                        use.typeReferences += ref.others
                    } else if api.variables.contains(ref.name) || api.constants.contains(ref.name) {
                        use.valueReferences += total
                    } else {
                        use.unresolved += total
                    }
                } else {
                    use.unresolved += total
                }
                uses[ref.importPath] = use
            }
            packages[k].uses = uses.values.sorted { $0.importPath.utf8.lexicographicallyPrecedes($1.importPath.utf8) }
        }
    }
}

/// Import cycles among the loaded packages (non-test imports), found as strongly connected
/// components (Tarjan); each is reported once, as the go command refuses to build them.
enum GoImportCycles {
    static func find(_ packages: [GoPackage]) -> [GoSourceProblem] {
        var indexOf: [String: Int] = [:]
        for (k, p) in packages.enumerated() { indexOf[p.importPath] = k }
        let edges: [[Int]] = packages.map { p in p.imports.compactMap { indexOf[$0] } }
        var index = [Int](repeating: -1, count: packages.count)
        var low = [Int](repeating: 0, count: packages.count)
        var onStack = [Bool](repeating: false, count: packages.count)
        var stack: [Int] = []
        var counter = 0
        var problems: [GoSourceProblem] = []
        // Iterative Tarjan: (node, next edge position).
        for start in packages.indices where index[start] < 0 {
            var work: [(Int, Int)] = [(start, 0)]
            index[start] = counter
            low[start] = counter
            counter += 1
            stack.append(start)
            onStack[start] = true
            while let (v, e) = work.last {
                if e < edges[v].count {
                    work[work.count - 1].1 += 1
                    let w = edges[v][e]
                    if index[w] < 0 {
                        index[w] = counter
                        low[w] = counter
                        counter += 1
                        stack.append(w)
                        onStack[w] = true
                        work.append((w, 0))
                    } else if onStack[w] {
                        low[v] = min(low[v], index[w])
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last { low[parent.0] = min(low[parent.0], low[v]) }
                if low[v] == index[v] {
                    var component: [Int] = []
                    while let w = stack.popLast() {
                        onStack[w] = false
                        component.append(w)
                        if w == v { break }
                    }
                    if component.count > 1 || edges[v].contains(v) {
                        let names = component.map { packages[$0].importPath }.sorted()
                        problems.append(
                            GoSourceProblem(
                                path: names[0],
                                message: "import cycle not allowed: " + names.joined(separator: ", ")))
                    }
                }
            }
        }
        return problems
    }
}
