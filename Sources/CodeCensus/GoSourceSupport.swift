import CensusGit
import CensusGoSource
import CensusScan
import CensusStore
import Synchronization

/// A commit's tree in a git object store as Go source: listed with `git ls-tree`, files read
/// through `git cat-file --batch` (one process per worker thread); no checkout. Symbolic links
/// and submodules are left out.
public struct GoGitSourceTree: GoSourceTree {
    public let displayName: String
    public var rootPath: String? { nil }
    public let importPathPrefix: String?
    let repository: GitRepository
    let directories: [GoDirectoryListing]
    let ids: [String: GitObjectID]

    /// - Parameters:
    ///   - importPathPrefix: the import path of the repository's top when it has no go.mod
    ///     (GOPATH-era code): by default the repository's key (`github.com/owner/name`).
    ///   - subdirectory: read only this directory of the tree (paths relative to it).
    public init(repository: GitRepository, commit: GitObjectID, importPathPrefix: String? = nil, subdirectory: String = "") throws {
        self.repository = repository
        displayName = repository.displayName + "@" + String(commit.description.prefix(12))
        self.importPathPrefix = importPathPrefix
        let listing = try repository.listTree(commit: commit)
        var byDirectory: [String: GoDirectoryListing] = ["": GoDirectoryListing(path: "")]
        var ids: [String: GitObjectID] = [:]
        let below = subdirectory.isEmpty || subdirectory.hasSuffix("/") ? subdirectory : subdirectory + "/"
        for entry in listing.entries where entry.isRegularFile && !entry.isAbsent {
            guard var path = String(validating: entry.path, as: UTF8.self) else { continue }
            if !below.isEmpty {
                guard path.hasPrefix(below) else { continue }
                path.removeFirst(below.count)
            }
            let slash = path.lastIndex(of: "/")
            let directory = slash.map { String(path[..<$0]) } ?? ""
            let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
            let isGo = name.hasSuffix(".go")
            guard isGo || name == "go.mod" else { continue }
            // The go command's ./... skips these subtrees.
            let elements = directory.split(separator: "/")
            if elements.contains(where: { $0.hasPrefix(".") || $0.hasPrefix("_") || $0 == "testdata" }) { continue }
            var d = byDirectory[directory] ?? GoDirectoryListing(path: directory)
            if isGo { d.goFiles.append(name) } else { d.hasGoMod = true }
            byDirectory[directory] = d
            ids[path] = entry.id
            // Parents exist as directories too (vendor lookups ask for them).
            var parent = elements.dropLast()
            while true {
                let p = parent.joined(separator: "/")
                if byDirectory[p] != nil { break }
                byDirectory[p] = GoDirectoryListing(path: p)
                if parent.isEmpty { break }
                parent = parent.dropLast()
            }
        }
        directories = byDirectory.values.map { d in
            var d = d
            d.goFiles.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            return d
        }.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        self.ids = ids
    }

    public func listDirectories() -> (directories: [GoDirectoryListing], problems: [GoSourceProblem]) { (directories, []) }

    public func makeReader() -> any GoSourceFileReader { GitBlobSourceReader(reader: repository.makeBlobReader(), ids: ids) }
}

/// Reads blobs whole into a buffer it keeps.
final class GitBlobSourceReader: GoSourceFileReader {
    let reader: GitBlobReader
    let ids: [String: GitObjectID]
    var buffer: [UInt8] = []

    init(reader: GitBlobReader, ids: [String: GitObjectID]) {
        self.reader = reader
        self.ids = ids
    }

    func withContents(of relativePath: String, _ body: (UnsafeRawBufferPointer) -> Void) -> String? {
        guard let id = ids[relativePath] else { return "not in the tree" }
        do {
            let result = try reader.withObject(id) { stream -> Int in
                if buffer.count < stream.size { buffer = [UInt8](repeating: 0, count: stream.size) }
                var filled = 0
                while filled < stream.size {
                    let n = buffer.withUnsafeMutableBytes { raw in stream.read(into: raw.baseAddress! + filled, count: stream.size - filled) }
                    if n <= 0 { break }
                    filled += n
                }
                return filled
            }
            switch result {
            case .found(let n):
                buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                return nil
            case .missing(let error), .unreadable(let error):
                return error.message
            }
        } catch {
            return "\(error)"
        }
    }
}

/// Go packages to and from the store's Go source tables.
public enum GoSourceStorage {
    /// The rows `census scan --go-source` stores for a loaded tree.
    public static func stored(_ set: GoPackageSet) -> StoredGoSource {
        var source = StoredGoSource()
        for p in set.packages {
            source.packages.append(
                StoredGoPackage(
                    importPath: p.importPath, module: p.module, name: p.name, directory: p.directory, isVendored: p.isVendored,
                    isStandard: p.isStandard, goFiles: p.goFiles.count, cgoFiles: p.cgoFiles.count,
                    testFiles: p.testGoFiles.count + p.xTestGoFiles.count, ignoredFiles: p.ignoredGoFiles.count,
                    invalidFiles: p.invalidGoFiles.count, generatedFiles: p.generatedGoFiles.count, totalImports: p.totalImports,
                    problems: p.problems.count))
            for (k, i) in p.imports.enumerated() {
                source.imports.append(StoredGoImport(importer: p.importPath, imported: i, kind: .import, position: k))
            }
            for (k, i) in p.testImports.enumerated() {
                source.imports.append(StoredGoImport(importer: p.importPath, imported: i, kind: .test, position: k))
            }
            for (k, i) in p.xTestImports.enumerated() {
                source.imports.append(StoredGoImport(importer: p.importPath, imported: i, kind: .xtest, position: k))
            }
            let kinds: [(Set<String>, StoredGoExport.Kind)] = [
                (p.api.types, .type), (p.api.functions, .func), (p.api.variables, .var), (p.api.constants, .const),
                (p.api.methods, .method),
            ]
            for (names, kind) in kinds {
                for name in names.sorted() { source.exports.append(StoredGoExport(importPath: p.importPath, name: name, kind: kind)) }
            }
            for r in p.references {
                source.references.append(
                    StoredGoReference(
                        importer: p.importPath, imported: r.importPath, name: r.name, calls: r.calls, literals: r.literals,
                        others: r.others))
            }
        }
        return source
    }

    /// One package set from stored repositories, references classified against the exports of
    /// every stored package, so coupling spans repositories. An import path stored by several
    /// repositories is taken from the first repository key in order.
    public static func packageSet(_ stored: [String: StoredGoSource]) -> GoPackageSet {
        var packages: [String: GoPackage] = [:]
        for key in stored.keys.sorted() {
            guard let source = stored[key] else { continue }
            var local: [String: GoPackage] = [:]
            for p in source.packages where packages[p.importPath] == nil {
                local[p.importPath] = GoPackage(
                    importPath: p.importPath, directory: p.directory, name: p.name, module: p.module, isVendored: p.isVendored,
                    isStandard: p.isStandard)
            }
            for i in source.imports where local[i.importer] != nil {
                switch i.kind {
                case .import: local[i.importer]?.imports.append(i.imported)
                case .test: local[i.importer]?.testImports.append(i.imported)
                case .xtest: local[i.importer]?.xTestImports.append(i.imported)
                }
            }
            for e in source.exports where local[e.importPath] != nil {
                switch e.kind {
                case .type: local[e.importPath]?.api.types.insert(e.name)
                case .func: local[e.importPath]?.api.functions.insert(e.name)
                case .var: local[e.importPath]?.api.variables.insert(e.name)
                case .const: local[e.importPath]?.api.constants.insert(e.name)
                case .method: local[e.importPath]?.api.methods.insert(e.name)
                }
            }
            for r in source.references where local[r.importer] != nil {
                local[r.importer]?.references.append(
                    GoReference(importPath: r.imported, name: r.name, calls: r.calls, literals: r.literals, others: r.others))
            }
            for (path, p) in local { packages[path] = p }
        }
        var list = packages.values.sorted { $0.importPath.utf8.lexicographicallyPrecedes($1.importPath.utf8) }
        GoReferenceResolver.computeUses(&list)
        return GoPackageSet(packages: list, problems: [], layout: .module)
    }
}

/// One point of `census go evolution`: the tree at the last commit before a date.
public struct GoEvolutionPoint: Sendable {
    /// The date asked for, UTC seconds.
    public var date: Int64
    /// The commit found (nil: the repository has no commit before the date).
    public var commit: String?
    public var commitDate: Int64?
    public var packages = 0
    public var modules = 0
    /// Coupling rows at the level asked for, and their mean C.
    public var rows = 0
    public var meanCoupling = 0.0
    /// Go's own code lines and all own code lines at that commit (census scan's counts).
    public var goCode = 0
    public var ownCode = 0
    public var goShare: Double { ownCode > 0 ? Double(goCode) / Double(ownCode) : 0 }
    public var problems = 0
}

/// The evolution of a repository's Go packages: coupling and Go's share of own code at dates.
public enum GoEvolution {
    /// The import path of a repository without go.mod: its key (`host/owner/name`) from its
    /// `origin` remote, when it has one census understands.
    /// For a subdirectory: the path below its last `src` element when it has one (a GOPATH kept
    /// in a repository), else the repository's key joined with the subdirectory.
    public static func importPathPrefix(_ repository: GitRepository, subdirectory: String = "") -> String? {
        let elements = subdirectory.split(separator: "/")
        if let k = elements.lastIndex(of: "src") { return elements[(k + 1)...].joined(separator: "/") }
        guard let url = try? repository.remoteURL(), let remote = try? GitRemoteURL(parsing: url) else { return nil }
        return ([RepositoryScanner.key(remote)] + elements.map(String.init)).joined(separator: "/")
    }

    /// - Throws: ``GitError`` when the repository cannot be opened or its history read.
    public static func measure(
        repositoryPath: String, dates: [Int64], level: GoCouplingRow.Level, options: GoLoadOptions, revision: String = "HEAD"
    ) throws -> [GoEvolutionPoint] {
        let repository = try GitRepository(path: repositoryPath)
        var points: [GoEvolutionPoint] = []
        for date in dates {
            var point = GoEvolutionPoint(date: date)
            guard let commit = try repository.lastCommit(before: date, from: revision) else {
                points.append(point)
                continue
            }
            point.commit = commit.description
            let tree = try GoGitSourceTree(repository: repository, commit: commit, importPathPrefix: importPathPrefix(repository))
            let set = GoPackageLoader.load(tree, options: options)
            point.packages = set.packages.count
            point.modules = Set(set.packages.map(\.module)).count
            let rows = level == .package ? GoCoupling.packageRows(set) : GoCoupling.moduleRows(set)
            point.rows = rows.count
            point.meanCoupling = GoCoupling.mean(rows)
            point.problems = set.problems.count + set.packages.reduce(0) { $0 + $1.problems.count }
            var scanOptions = ScanOptions(roots: [repositoryPath])
            scanOptions.jobs = options.jobs
            let scanner = RepositoryScanner(options: scanOptions, revision: commit.description)
            if case .scanned(let report) = scanner.scan(ScanTargetSpec(location: repositoryPath)) {
                point.commitDate = report.repository?.git?.commit.committed.secondsSince1970
                for l in report.languages {
                    point.ownCode += l.own.counts.code
                    if l.language.description == "Go" { point.goCode += l.own.counts.code }
                }
            }
            points.append(point)
        }
        return points
    }
}

extension GoSourceStorage {
    /// The Go packages of what a scan just read: the same commit of the same repository (from the
    /// object store, or the clone cache for a URL), or the same directory. `nil` when the source
    /// cannot be found again (a problem is returned instead).
    ///
    /// - Parameter prepared: the files the scan itself handed over as it read them
    ///   (``GoSourceScan``); only the others are read again.
    public static func load(
        for report: ScanReport, cache: GitCache?, options: GoLoadOptions, prepared: GoPreparedFiles? = nil
    ) -> (GoPackageSet?, String?) {
        guard let scanned = report.repository else { return (nil, "no repository in the report") }
        do {
            if let git = scanned.git {
                let repository: GitRepository
                if RepositoryScanner.isURL(scanned.location) {
                    guard let cache else { return (nil, "a URL needs the clone cache") }
                    repository = try GitRepository(path: cache.path(for: try GitRemoteURL(parsing: scanned.location)))
                } else if let (top, below) = RepositoryScanner.repositoryTop(of: scanned.location) {
                    repository = try GitRepository(path: top)
                    let tree = try GoGitSourceTree(
                        repository: repository, commit: git.commit.id,
                        importPathPrefix: GoEvolution.importPathPrefix(repository, subdirectory: below), subdirectory: below)
                    return (GoPackageLoader.load(tree, options: options, prepared: prepared), nil)
                } else {
                    return (nil, "the repository of \(scanned.location) is gone")
                }
                let prefix = GoEvolution.importPathPrefix(repository)
                let tree = try GoGitSourceTree(repository: repository, commit: git.commit.id, importPathPrefix: prefix)
                return (GoPackageLoader.load(tree, options: options, prepared: prepared), nil)
            }
            return (GoPackageLoader.load(try GoDirectoryTree(path: scanned.location), options: options, prepared: prepared), nil)
        } catch {
            return (nil, "\(error)")
        }
    }
}

/// `census scan --go-source` with one read of each `.go` file: the scan hands every file the Go
/// loader would read to a ``GoPreparedFiles`` of its target as it counts it
/// (``WholeFileConsumer``), and the loader then reads only what the scan did not (ignored or
/// unreadable files, packages read again for import names).
public final class GoSourceScan: Sendable {
    let options: GoLoadOptions
    private let prepared = Mutex<[String: GoPreparedFiles]>([:])

    /// Files are analysed for `options` (the loader must load with the same).
    public init(options: GoLoadOptions = GoLoadOptions()) {
        self.options = options
    }

    /// For ``RepositoryScanner/wholeFiles``: a consumer for one target's scan, or nil when a
    /// scan of the same location is already collecting (its loader then reads every file).
    public func consumer(for spec: ScanTargetSpec) -> (any WholeFileConsumer)? {
        let files = GoPreparedFiles(options: options)
        let added = prepared.withLock { all -> Bool in
            guard all[spec.location] == nil else { return false }
            all[spec.location] = files
            return true
        }
        return added ? Consumer(files: files) : nil
    }

    /// The files collected while scanning `location`, handed over once (nil when none were).
    public func take(_ location: String) -> GoPreparedFiles? {
        prepared.withLock { $0.removeValue(forKey: location) }
    }

    struct Consumer: WholeFileConsumer {
        let files: GoPreparedFiles
        func wants(path: UnsafeBufferPointer<UInt8>) -> Bool { files.wants(path: path) }
        func consume(path: UnsafeBufferPointer<UInt8>, content: UnsafeRawBufferPointer) { files.add(path: path, content: content) }
    }
}
