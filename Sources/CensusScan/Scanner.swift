import CensusCounting
import CensusLanguages
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scans directory trees: walks them in parallel, detects each file's language, counts its lines.
///
/// The pipeline is walk → read → detect → count → aggregate, run by `jobs` worker threads that
/// share one queue of directories (and of batches of files from large directories). Each worker
/// reads with `read(2)` into its own buffer, counts into flat per-language arrays, and the arrays
/// are merged once at the end.
///
/// Bad input never stops a scan: unreadable files and directories are reported as errors,
/// FIFOs, sockets, devices and symbolic-link loops as skipped entries, each with its path and the
/// reason; the rest of the tree is scanned.
public final class Scanner: Sendable {
    public let options: ScanOptions
    let excludes: IgnoreFile?

    public init(options: ScanOptions) {
        self.options = options
        self.excludes = options.excludes.isEmpty ? nil : IgnoreFile(patterns: options.excludes, origin: "--exclude")
    }

    /// Runs the scan on the calling thread and `jobs - 1` others.
    public func run() -> ScanReport {
        var initial: [WorkItem] = []
        var rootIssues: [ScanIssue] = (excludes?.diagnostics ?? []).map {
            ScanIssue(path: Array("--exclude".utf8), kind: .skipped, reason: "pattern \($0.line): \($0.message)")
        }
        for root in options.roots {
            switch Self.classifyRoot(root) {
            case .directory(let identity):
                let context = RootContext.find(root, isFile: false, options: options)
                rootIssues += context.issues
                let inRepository = context.inRepository || !options.gitignoreRequiresRepository
                initial.append(.directory(DirectoryNode(root: root, identity: identity, inRepository: inRepository, context: context)))
            case .file:
                let context = RootContext.find(root, isFile: true, options: options)
                rootIssues += context.issues
                initial.append(.rootFile(root, context))
            case .failure(let issue):
                rootIssues.append(issue)
            }
        }
        let queue = WorkQueue<WorkItem>(initial)
        let jobs = max(1, options.jobs)
        let results = Mutex<[WorkerResult]>([])
        DispatchQueue.concurrentPerform(iterations: jobs) { index in
            let worker = Worker(scanner: self, queue: queue)
            worker.spreadIndex = jobs > 1 ? index : nil
            while let item = queue.next() {
                worker.process(item)
                queue.done()
            }
            let result = worker.result()
            results.withLock { $0.append(result) }
        }
        return merge(results.withLock { $0 }, rootIssues: rootIssues)
    }

    func merge(_ results: [WorkerResult], rootIssues: [ScanIssue]) -> ScanReport {
        let count = LanguageTable.count
        var totals = (0 ..< count).map { LanguageTotals(language: LanguageID(rawValue: UInt16($0))) }
        var breakdownBytes = Array(repeating: 0, count: count)
        var files: [FileRecord] = []
        var issues = rootIssues
        var summary = ScanSummary()
        var embeddedTotals: [Int: CountTotals] = [:]
        for r in results {
            for (c, category) in FileCategory.allCases.enumerated() {
                for k in 0 ..< count where r.files[c * count + k] > 0 {
                    let part = CountTotals(files: r.files[c * count + k], counts: r.counts[c * count + k], bytes: r.bytes[c * count + k])
                    totals[k].files += part.files
                    totals[k].counts += part.counts
                    totals[k].bytes += part.bytes
                    totals[k].categories[category, default: CountTotals()] += part
                }
            }
            for k in 0 ..< count { breakdownBytes[k] += r.breakdown[k] }
            files.append(contentsOf: r.records)
            issues.append(contentsOf: r.issues)
            summary.add(r.summary)
            for (key, part) in r.embedded { embeddedTotals[key, default: CountTotals()] += part }
        }
        files.sort { $0.path.lexicographicallyPrecedes($1.path) }
        var goModules = results.flatMap(\.goModules)
        let vendored = Set(results.flatMap(\.vendorManifests))
        for k in goModules.indices {
            let directory = goModules[k].relativePath.dropLast(6)  // "go.mod"
            goModules[k].usesVendor = vendored.contains(Array(directory))
        }
        goModules.sort { $0.path.lexicographicallyPrecedes($1.path) }
        issues.sort { $0.path.lexicographicallyPrecedes($1.path) }
        let all = breakdownBytes.reduce(0, +)
        let breakdown = breakdownBytes.enumerated().filter { $0.element > 0 }.map {
            BreakdownEntry(
                language: LanguageID(rawValue: UInt16($0.offset)), bytes: $0.element,
                percentage: 100 * Double($0.element) / Double(all))
        }.sorted { $0.bytes != $1.bytes ? $0.bytes > $1.bytes : LanguageTable[$0.language].name < LanguageTable[$1.language].name }
        var report = ScanReport(
            roots: options.roots, languages: totals.filter { $0.files > 0 }, files: files, issues: issues,
            summary: summary, breakdown: breakdown)
        report.goModules = goModules
        report.embedded = embeddedTotals.map { key, part in
            EmbeddedTotal(
                host: LanguageID(rawValue: UInt16(key / count)), language: LanguageID(rawValue: UInt16(key % count)), totals: part)
        }.sorted { ($0.host, $0.language) < ($1.host, $1.language) }
        return report
    }

    enum RootKind {
        case directory(FileIdentity)
        case file
        case failure(ScanIssue)
    }

    /// What a root is; roots are followed when they are symbolic links, since the user named them.
    static func classifyRoot(_ root: String) -> RootKind {
        var st = stat()
        if stat(root, &st) != 0 {
            let code = errno
            return .failure(ScanIssue(path: Array(root.utf8), kind: .error, reason: "\(SystemCalls.message(code)) (stat)"))
        }
        switch st.st_mode & S_IFMT {
        case S_IFDIR: return .directory(FileIdentity(st))
        case S_IFREG: return .file
        default:
            return .failure(
                ScanIssue(
                    path: Array(root.utf8), kind: .skipped,
                    reason: "\(SystemCalls.typeName(mode: st.st_mode)): not a regular file"))
        }
    }
}

/// A file's device and inode, to recognise a directory reached twice through symbolic links.
struct FileIdentity: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64
    init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }
}

/// The ignore files that apply in a directory, deepest first.
final class IgnoreChain: Sendable {
    let file: IgnoreFile
    /// Bytes of the relative path (from the scan root, with its trailing `/`) of the directory that
    /// holds `file`: patterns match the rest of the path.
    let baseLength: Int
    let parent: IgnoreChain?

    init(file: IgnoreFile, baseLength: Int, parent: IgnoreChain?) {
        self.file = file
        self.baseLength = baseLength
        self.parent = parent
    }
}

/// A directory waiting to be read.
final class DirectoryNode: Sendable {
    /// The path to open: the root as given joined with `relative`.
    let path: [UInt8]
    /// The path below the root (`""` for the root itself), '/'-separated.
    let relative: [UInt8]
    /// How many leading bytes of `path` to drop when showing it (2 for a root of `.`: `./a` → `a`).
    let displayDrop: Int
    let ignores: IgnoreChain?
    /// The `.gitattributes` files that apply here, deepest first.
    let attributes: AttributesChain?
    let identity: FileIdentity?
    let parent: DirectoryNode?
    /// Whether this directory is inside a git repository, where `.gitignore` files apply.
    let inRepository: Bool
    /// Bytes of `relative` that lead to the scanned root (the root's path below the repository
    /// top and its `/`; 0 when the root is the top or in no repository).
    let rootLength: Int

    init(root: String, identity: FileIdentity, inRepository: Bool, context: RootContext = RootContext()) {
        var path = Array(root.utf8)
        while path.count > 1 && path.last == UInt8(ascii: "/") { path.removeLast() }
        self.path = path
        relative = context.relative
        displayDrop = path == [UInt8(ascii: ".")] ? 2 : 0
        ignores = context.ignores
        attributes = context.attributes
        self.identity = identity
        parent = nil
        self.inRepository = inRepository
        rootLength = context.relative.isEmpty ? 0 : context.relative.count + 1
    }

    init(
        parent: DirectoryNode, name: UnsafeBufferPointer<UInt8>, relative: [UInt8], ignores: IgnoreChain?,
        attributes: AttributesChain?, identity: FileIdentity?, inRepository: Bool
    ) {
        path = DirectoryNode.join(parent.path, name)
        self.relative = relative
        displayDrop = parent.displayDrop
        self.ignores = ignores
        self.attributes = attributes
        self.identity = identity
        self.parent = parent
        self.inRepository = inRepository
        rootLength = parent.rootLength
    }

    static func join(_ directory: [UInt8], _ name: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var p = directory
        p.reserveCapacity(directory.count + 1 + name.count)
        if p.last != UInt8(ascii: "/") { p.append(UInt8(ascii: "/")) }
        p.append(contentsOf: name)
        return p
    }

    /// The path of an entry in this directory, as shown to users.
    func displayPath(_ name: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let full = DirectoryNode.join(path, name)
        return Array(full[min(displayDrop, full.count)...])
    }

    var displayPath: [UInt8] {
        displayDrop > 0 ? (path.count > displayDrop ? Array(path[displayDrop...]) : Array(".".utf8)) : path
    }
}

/// Regular files of one directory, NUL-terminated names back to back.
struct FileBatch: Sendable {
    /// The `.gitattributes` chain in force in the directory, its own file included.
    var attributes: AttributesChain?
    var names: [UInt8] = []
    /// Start of each name in `names`.
    var starts: [Int32] = []
    /// Whether each entry was reached through a symbolic link (then it is opened following it).
    var followed: [Bool] = []

    var count: Int { starts.count }

    mutating func append(_ name: UnsafeBufferPointer<UInt8>, followed: Bool) {
        starts.append(Int32(names.count))
        names.append(contentsOf: name)
        names.append(0)
        self.followed.append(followed)
    }
}

enum WorkItem: Sendable {
    case directory(DirectoryNode)
    case files(DirectoryNode, FileBatch)
    case rootFile(String, RootContext)
    /// Blobs `range` of a git scan's plan.
    case gitBlobs(GitTreePlan, Range<Int>)
}

struct WorkerResult: Sendable {
    /// Indexed by `category * languageCount + language`.
    var files: [Int]
    var counts: [LineCounts]
    var bytes: [Int]
    /// Breakdown bytes per (group) language.
    var breakdown: [Int]
    var records: [FileRecord]
    var issues: [ScanIssue]
    var summary: ScanSummary
    var goModules: [GoModuleRecord] = []
    var vendorManifests: [[UInt8]] = []
    /// Own files' parts in other languages: `host * languageCount + part` → totals.
    var embedded: [Int: CountTotals] = [:]
}
