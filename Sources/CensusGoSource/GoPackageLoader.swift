import CensusGoModules
import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How packages are loaded: for which targets, with which import-path layout, on how many threads.
public struct GoLoadOptions: Sendable {
    /// Where import paths come from.
    public enum Layout: String, Sendable, CaseIterable {
        /// `module` when a go.mod is at or above the root, else `gopath` when a directory named
        /// `src` is at or above it, else `module` (import paths `_/abs/dir`).
        case auto
        /// GOPATH mode (`GO111MODULE=off`): the path below the nearest `src`; `vendor/` directories
        /// resolve imports as the go command resolves them in GOPATH mode.
        case gopath
        /// Module mode: the nearest go.mod's module path plus the directory below it; nested
        /// modules start their own paths; `vendor/x` is package `x`.
        case module
    }

    /// One target, or several whose results are unioned (`--all-platforms`).
    public var targets: [GoBuildTarget]
    public var layout: Layout
    /// Worker threads.
    public var jobs: Int
    /// Whether to read whole files for exports and references (else only headers matter).
    public var analyzeSource: Bool
    /// More names that may name an import (the real names of imported packages, on a second read).
    var extraLocals: Set<String> = []

    public init(
        targets: [GoBuildTarget] = [GoBuildTarget()], layout: Layout = .auto, jobs: Int = GoLoadOptions.defaultJobs,
        analyzeSource: Bool = true
    ) {
        self.targets = targets.isEmpty ? [GoBuildTarget()] : targets
        self.layout = layout
        self.jobs = max(1, jobs)
        self.analyzeSource = analyzeSource
    }

    /// The number of online processors.
    public static var defaultJobs: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

/// The packages of a tree.
public struct GoPackageSet: Sendable {
    /// Packages sorted by import path.
    public var packages: [GoPackage]
    /// Problems outside any one package's files (unreadable directories, import cycles).
    public var problems: [GoSourceProblem]
    /// The layout used (never `auto`).
    public var layout: GoLoadOptions.Layout
    /// `.go` files read and their bytes.
    public var filesRead = 0
    public var bytesRead = 0
    /// Of `filesRead`, those analysed from another reader's read (``GoPreparedFiles``), not
    /// read again.
    public var filesPrepared = 0
    /// Imports whose package name was not among the names guessed while reading (their references
    /// are not counted); see docs/go-source.md.
    public var unguessedImportNames = 0

    public init(packages: [GoPackage], problems: [GoSourceProblem], layout: GoLoadOptions.Layout) {
        self.packages = packages
        self.problems = problems
        self.layout = layout
    }

    /// The package with this import path.
    public func package(_ importPath: String) -> GoPackage? {
        var low = 0
        var high = packages.count
        while low < high {
            let mid = (low + high) / 2
            if packages[mid].importPath.utf8.lexicographicallyPrecedes(importPath.utf8) { low = mid + 1 } else { high = mid }
        }
        return low < packages.count && packages[low].importPath == importPath ? packages[low] : nil
    }
}

/// Loads the Go packages of a tree without the Go toolchain: files by role and build constraints,
/// imports as `go list -json` reports them, exported API and references (docs/go-source.md).
public enum GoPackageLoader {
    /// Loads every package of `tree`.
    ///
    /// - Parameter prepared: files of the tree already read and analysed (by `census scan
    ///   --go-source`'s counting pass), used instead of reading them when they were analysed
    ///   for the same targets.
    /// - Complexity: one read of every `.go` file of a walked directory not in `prepared`, on
    ///   `options.jobs` threads; memory grows with the number of packages and their exported
    ///   names, plus one buffer per thread as large as the largest file.
    public static func load(
        _ tree: some GoSourceTree, options: GoLoadOptions = GoLoadOptions(), prepared: GoPreparedFiles? = nil
    ) -> GoPackageSet {
        let prepared = prepared.flatMap { $0.matches(options) ? $0 : nil }
        let (directories, listProblems) = tree.listDirectories()
        var index: [String: Int] = [:]
        for (k, d) in directories.enumerated() { index[d.path] = k }
        let layout = Layout(tree: tree, directories: directories, index: index, requested: options.layout)

        let candidates = directories.indices.filter { directories[$0].isWalked && !directories[$0].goFiles.isEmpty }
        let results = Mutex<[Int: DirectoryResult]>([:])
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(options.jobs, max(1, candidates.count))) { _ in
            let reader = tree.makeReader()
            var local: [(Int, DirectoryResult)] = []
            while true {
                let k = next.add(1, ordering: .relaxed).oldValue
                if k >= candidates.count { break }
                let d = directories[candidates[k]]
                local.append((candidates[k], loadDirectory(d, layout: layout, reader: reader, options: options, prepared: prepared)))
            }
            results.withLock { all in for (k, r) in local { all[k] = r } }
        }
        var set = GoPackageSet(packages: [], problems: listProblems, layout: layout.kind)
        let loaded = results.withLock { $0 }
        for k in candidates {
            guard let result = loaded[k] else { continue }
            set.filesRead += result.filesRead
            set.bytesRead += result.bytesRead
            set.filesPrepared += result.filesPrepared
            if let package = result.package { set.packages.append(package) }
        }
        set.packages.sort { $0.importPath.utf8.lexicographicallyPrecedes($1.importPath.utf8) }
        if layout.kind == .module {
            // Module mode's `./...` leaves out GOROOT's pseudo-package builtin (GOPATH mode lists it).
            set.packages.removeAll { $0.isStandard && $0.importPath == "builtin" }
        }
        var resolver = ImportResolver(layout: layout, tree: tree, directories: directories, index: index)
        for k in set.packages.indices { resolver.resolve(&set.packages[k]) }
        // Imports whose package name the guesses missed (`github.com/json-iterator/go` is package
        // jsoniter): those packages are read again with the real names, known now.
        if options.analyzeSource {
            var names: [String: String] = [:]
            for p in set.packages { names[p.importPath] = p.name }
            for k in set.packages.indices {
                var extra = Set<String>()
                var resolvedFor: [String: String] = [:]
                for (raw, path) in zip(set.packages[k].rawImports, set.packages[k].imports) { resolvedFor[raw] = path }
                for specs in set.packages[k].fileImports {
                    for spec in specs where spec.name == nil {
                        let resolved = resolvedFor[spec.path] ?? spec.path
                        if let real = names[resolved], !real.isEmpty, !GoImportNames.guesses(spec.path).contains(real) { extra.insert(real) }
                    }
                }
                guard !extra.isEmpty, let d = index[set.packages[k].directory] else { continue }
                set.unguessedImportNames += extra.count
                var again = options
                again.extraLocals = extra
                let reader = tree.makeReader()
                if var reloaded = loadDirectory(directories[d], layout: layout, reader: reader, options: again, prepared: nil).package {
                    resolver.resolve(&reloaded)
                    set.packages[k] = reloaded
                }
            }
        }
        GoReferenceResolver.resolve(&set)
        set.problems += GoImportCycles.find(set.packages)
        return set
    }

    /// What loading one directory gave: its package (nil when it has none) and what was read.
    struct DirectoryResult {
        var package: GoPackage?
        var filesRead = 0
        var bytesRead = 0
        var filesPrepared = 0
    }

    /// One directory: its files classified as the go command classifies them (`go/build.Import`).
    static func loadDirectory(
        _ directory: GoDirectoryListing, layout: Layout, reader: any GoSourceFileReader, options: GoLoadOptions,
        prepared: GoPreparedFiles?
    ) -> DirectoryResult {
        let placement = layout.place(directory.path)
        var package = GoPackage(
            importPath: placement.importPath, directory: directory.path, name: "", module: placement.module,
            isVendored: placement.isVendored, isStandard: placement.isStandard)
        var imports = Set<String>()
        var testImports = Set<String>()
        var xTestImports = Set<String>()
        var firstFile = ""
        var hasBadFile = false
        var filesRead = 0
        var bytesRead = 0
        var filesPrepared = 0
        var dot = Set<String>()
        var blank = Set<String>()
        let targets = options.targets
        for name in directory.goFiles {
            if name.hasPrefix("_") || name.hasPrefix(".") { continue }
            let relative = directory.path.isEmpty ? name : directory.path + "/" + name
            let nameTargets = targets.filter { $0.admits(fileName: name.utf8) }
            if nameTargets.isEmpty {
                package.ignoredGoFiles.append(name)
                continue
            }
            func bad(_ message: String, line: Int? = nil, column: Int? = nil) {
                hasBadFile = true
                if !package.invalidGoFiles.contains(name) { package.invalidGoFiles.append(name) }
                package.problems.append(GoSourceProblem(path: relative, line: line, column: column, message: message))
            }
            var outcome: FileOutcome?
            var failure: String?
            if let prepared, let file = prepared.take(relative) {
                filesRead += 1
                filesPrepared += 1
                bytesRead += file.bytes
                outcome = file.outcome
            } else if !options.analyzeSource {
                // Only the header matters: the first 64 KiB, unless the header runs past them.
                let limit = 64 << 10
                var complete = false
                failure = reader.withPrefix(of: relative, limit: limit) { bytes in
                    let file = FileOutcome(bytes, targets: nameTargets, analyze: false, fileName: name, extraLocals: [])
                    if bytes.count < limit || file.header.headerRange.upperBound < bytes.count - 1 {
                        filesRead += 1
                        bytesRead += bytes.count
                        outcome = file
                        complete = true
                    }
                }
                if complete || failure != nil {
                    if let failure {
                        bad("read \(relative): \(failure)")
                        continue
                    }
                }
            }
            if outcome == nil {
                failure = reader.withContents(of: relative) { bytes in
                    filesRead += 1
                    bytesRead += bytes.count
                    outcome = FileOutcome(
                        bytes, targets: nameTargets, analyze: options.analyzeSource, fileName: name, extraLocals: options.extraLocals)
                }
            }
            if let failure {
                bad("read \(relative): \(failure)")
                continue
            }
            guard let file = outcome else { continue }
            if file.header.hasNUL {
                bad("read \(relative): unexpected NUL in input")
                continue
            }
            if let error = file.constraints.error {
                bad("\(name): \(error)")
                continue
            }
            let isCgo = file.header.imports.contains { $0.path == "C" }
            let isTest = name.hasSuffix("_test.go")
            let built = nameTargets.filter { file.constraints.admits($0) }
            if built.isEmpty {
                package.ignoredGoFiles.append(name)
                continue
            }
            if let error = file.header.error {
                bad(error.message, line: error.line, column: error.column)
            }
            if let error = file.bodyError, error.line != file.header.error?.line || error.column != file.header.error?.column {
                package.problems.append(GoSourceProblem(path: relative, line: error.line, column: error.column, message: error.message))
            }
            var pkg = file.header.packageName
            if pkg == "documentation" {
                package.ignoredGoFiles.append(name)
                continue
            }
            var isXTest = false
            if isTest && pkg.hasSuffix("_test") && package.name != pkg {
                isXTest = true
                pkg.removeLast(5)
            }
            if package.name.isEmpty {
                package.name = pkg
                firstFile = name
            } else if pkg != package.name {
                bad("found packages \(package.name) (\(firstFile)) and \(pkg) (\(name)) in \(directory.path.isEmpty ? "." : directory.path)")
            }
            if isCgo && isTest { bad("use of cgo in test \(name) not supported") }
            if file.constraints.isGenerated { package.generatedGoFiles.append(name) }
            let cgoFile = isCgo && !isTest
            if cgoFile && !built.contains(where: { $0.cgoEnabled }) {
                package.ignoredGoFiles.append(name)
                continue
            }
            let paths = file.header.imports.map(\.path)
            if cgoFile {
                package.cgoFiles.append(name)
            } else if isXTest {
                package.xTestGoFiles.append(name)
                xTestImports.formUnion(paths)
            } else if isTest {
                package.testGoFiles.append(name)
                testImports.formUnion(paths)
            } else {
                package.goFiles.append(name)
            }
            if cgoFile || (!isTest && !isXTest) {
                imports.formUnion(paths)
                for spec in file.header.imports {
                    if spec.name == "." { dot.insert(spec.path) } else if spec.name == "_" { blank.insert(spec.path) }
                }
                if let summary = file.summary {
                    package.absorb(summary, imports: file.header.imports)
                }
            }
        }
        let total = package.goFiles.count + package.cgoFiles.count + package.testGoFiles.count + package.xTestGoFiles.count
        if total == 0 && !hasBadFile {
            return DirectoryResult(package: nil, filesRead: filesRead, bytesRead: bytesRead, filesPrepared: filesPrepared)
        }
        package.rawImports = sortedBytes(imports)
        package.rawTestImports = sortedBytes(testImports)
        package.rawXTestImports = sortedBytes(xTestImports)
        package.dotImports = sortedBytes(dot)
        package.blankImports = sortedBytes(blank)
        return DirectoryResult(package: package, filesRead: filesRead, bytesRead: bytesRead, filesPrepared: filesPrepared)
    }

    static func sortedBytes(_ s: Set<String>) -> [String] { s.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }

    /// What one read of a file yields.
    struct FileOutcome {
        var header: GoFileHeader
        var constraints: GoFileConstraints
        var summary: GoFileSummary?
        var bodyError: (line: Int, column: Int, message: String)?

        init(_ bytes: UnsafeRawBufferPointer, targets: [GoBuildTarget], analyze: Bool, fileName: String, extraLocals: Set<String>) {
            header = GoFileHeader(bytes)
            constraints = GoFileConstraints(header: UnsafeRawBufferPointer(rebasing: bytes[header.headerRange]))
            guard analyze, !header.hasNUL, constraints.error == nil,
                targets.contains(where: { constraints.admits($0) }), !fileName.hasSuffix("_test.go")
            else { return }
            var locals = extraLocals
            for spec in header.imports {
                if let name = spec.name {
                    if name != "_" && name != "." { locals.insert(name) }
                } else {
                    locals.formUnion(GoImportNames.guesses(spec.path))
                }
            }
            let s = GoSourceAnalyzer.analyze(bytes, locals: locals)
            bodyError = s.error
            summary = s
        }
    }
}

extension GoPackage {
    /// Adds one non-test file's declarations and references.
    mutating func absorb(_ summary: GoFileSummary, imports: [GoImportSpec]) {
        api.types.formUnion(summary.types)
        api.functions.formUnion(summary.functions)
        api.variables.formUnion(summary.variables)
        api.constants.formUnion(summary.constants)
        for (receiver, method) in summary.methods where GoBytes.isExported(receiver.utf8) {
            api.methods.insert(receiver + "." + method)
        }
        let file = fileImports.count
        fileImports.append(imports)
        for (key, counts) in summary.references {
            pendingReferences.append(
                GoPendingReference(
                    file: file, local: key.local, name: key.name, calls: counts.calls, literals: counts.literals,
                    others: counts.others))
        }
    }
}

/// Package names guessed from import paths, for imports without a name: the last element, the
/// one before a `/vN` element, each also without a `.vN`/`-vN` suffix, a `go-`/`go.` prefix or
/// a `-go`/`.go` suffix, and with `-` and `.` removed. The guess is checked against the imported
/// package's real name after loading when that package is in the tree.
enum GoImportNames {
    static func guesses(_ path: String) -> [String] {
        let elements = path.split(separator: "/")
        guard var last = elements.last.map(String.init) else { return [] }
        var bases = [last]
        if elements.count >= 2, isVersion(last) { bases.append(String(elements[elements.count - 2])) }
        var out: [String] = []
        for base in bases {
            last = base
            var forms = [last]
            if let dot = last.lastIndex(where: { $0 == "." || $0 == "-" }), isVersion(String(last[last.index(after: dot)...])) {
                forms.append(String(last[..<dot]))
            }
            for f in forms {
                out.append(f)
                for prefix in ["go-", "go."] where f.hasPrefix(prefix) { out.append(String(f.dropFirst(prefix.count))) }
                for suffix in ["-go", ".go", "_go"] where f.hasSuffix(suffix) { out.append(String(f.dropLast(suffix.count))) }
                if f.contains("-") || f.contains(".") { out.append(f.filter { $0 != "-" && $0 != "." }) }
                if let dash = f.lastIndex(of: "-") { out.append(String(f[f.index(after: dash)...])) }
            }
        }
        return out
    }

    static func isVersion(_ s: String) -> Bool {
        let u = Array(s.utf8)
        return u.count >= 2 && u[0] == UInt8(ascii: "v") && u.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
