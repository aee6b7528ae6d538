import CensusCounting
import CensusGit
import CensusLanguages
import CensusProgress
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A committed tree to scan: a repository (bare or not) at a revision, without a checkout.
public struct GitScanTarget: Sendable {
    public var repository: GitRepository
    /// What to scan: a commit, branch, tag or any revision git understands (default `HEAD`).
    public var revision: String
    /// A directory of the tree to limit the scan to (`""`: the whole tree), '/'-separated. Rule
    /// files above it still apply, and paths stay relative to the repository's top for Linguist's
    /// rules, as when scanning a checkout's subdirectory.
    public var subdirectory: String
    /// How file paths are shown: this, then `/`, then the path below `subdirectory`.
    public var displayRoot: String

    public init(repository: GitRepository, revision: String = "HEAD", subdirectory: String = "", displayRoot: String? = nil) {
        self.repository = repository
        self.revision = revision
        self.subdirectory = subdirectory.split(separator: "/").joined(separator: "/")
        self.displayRoot = displayRoot ?? repository.path
    }
}

/// One file of a planned git scan.
struct PlannedBlob: Sendable {
    /// Index into the listing's entries.
    var entry: Int
    var attributes: AttributesChain?
}

/// How a git scan shows repository paths: below the scanned subdirectory, as the walk of a
/// checkout's subdirectory would (`displayRoot/rest`); above it (the rule files of its parents),
/// under the repository's own path.
struct GitDisplayPaths: Sendable {
    /// `displayRoot` without trailing `/` (empty for `.`).
    let prefix: [UInt8]
    /// `subdirectory/` (empty for the whole tree).
    let subdirectory: [UInt8]
    let repository: [UInt8]

    init(_ target: GitScanTarget) {
        var prefix = Array(target.displayRoot.utf8)
        while prefix.count > 1 && prefix.last == UInt8(ascii: "/") { prefix.removeLast() }
        self.prefix = prefix == [UInt8(ascii: ".")] ? [] : prefix
        subdirectory = target.subdirectory.isEmpty ? [] : Array(target.subdirectory.utf8) + [UInt8(ascii: "/")]
        repository = Array(target.repository.path.utf8)
    }

    func callAsFunction(_ path: some Collection<UInt8>) -> [UInt8] {
        let (base, rest): ([UInt8], ArraySlice<UInt8>)
        let bytes = Array(path)
        if bytes.starts(with: subdirectory) {
            (base, rest) = (prefix, bytes[subdirectory.count...])
        } else {
            (base, rest) = (repository, bytes[...])
        }
        if base.isEmpty { return Array(rest) }
        var shown = base
        if shown.last != UInt8(ascii: "/") { shown.append(UInt8(ascii: "/")) }
        shown.append(contentsOf: rest)
        return shown
    }
}

/// What a git scan reads: the listing and, per file to count, its attributes. Immutable once made.
final class GitTreePlan: Sendable {
    let target: GitScanTarget
    let listing: GitTreeListing
    let blobs: [PlannedBlob]
    /// The path shown for a repository path.
    let display: GitDisplayPaths

    init(target: GitScanTarget, listing: GitTreeListing, blobs: [PlannedBlob]) {
        self.target = target
        self.listing = listing
        self.blobs = blobs
        display = GitDisplayPaths(target)
    }
}

extension Scanner {
    /// Scans the tree of a commit straight from git's object store: `ls-tree` for the listing,
    /// one `cat-file --batch` per worker for the blobs, no checkout.
    ///
    /// The result is the one a scan of a checkout of the same commit gives: `.gitignore`,
    /// `.ignore` and `.gitattributes` come from the tree (and `info/exclude`, `info/attributes`
    /// from the repository), hidden entries and `--exclude` apply the same way. Symbolic links
    /// are counted and skipped; submodules are counted and not entered; Git LFS pointers are
    /// counted apart; blobs absent from the object store (a partial clone) are errors.
    ///
    /// - Throws: ``GitError`` when the revision cannot be resolved or its tree listed; every
    ///   problem with one file is an issue in the report instead.
    public func run(git target: GitScanTarget) throws -> ScanReport {
        let repository = target.repository
        let commit = try repository.resolveCommit(target.revision)
        let listing = try repository.listTree(commit: commit)
        var planner = GitTreePlanner(scanner: self, target: target, listing: listing)
        let plan = try planner.plan()
        options.progress?.addToTotal(plan.blobs.count)
        let jobs = max(1, options.jobs)
        // Chunks small enough to balance the workers, large enough to keep the queue quiet.
        let chunk = max(1, min(256, plan.blobs.count / (jobs * 8) + 1))
        var items: [WorkItem] = []
        var start = 0
        while start < plan.blobs.count {
            let end = min(plan.blobs.count, start + chunk)
            items.append(.gitBlobs(plan, start ..< end))
            start = end
        }
        let queue = WorkQueue<WorkItem>(items.reversed())
        let results = Mutex<[WorkerResult]>([])
        DispatchQueue.concurrentPerform(iterations: min(jobs, max(1, items.count))) { _ in
            let worker = Worker(scanner: self, queue: queue)
            while let item = queue.next() {
                worker.process(item)
                queue.done()
            }
            let result = worker.result()
            results.withLock { $0.append(result) }
        }
        var planSummary = WorkerResult.empty
        planSummary.issues = planner.issues
        planSummary.summary = planner.summary
        var report = merge(results.withLock { $0 } + [planSummary], rootIssues: [])
        report.roots = [target.displayRoot]
        report.submodules = planner.submodules.map {
            SubmoduleRecord(path: plan.display($0.path[...]), commit: $0.commit.description)
        }
        report.commit = commit.description
        return report
    }
}

extension WorkerResult {
    static var empty: WorkerResult {
        let cells = LanguageTable.count * FileCategory.allCases.count
        return WorkerResult(
            files: Array(repeating: 0, count: cells), counts: Array(repeating: LineCounts(), count: cells),
            bytes: Array(repeating: 0, count: cells), breakdown: Array(repeating: 0, count: LanguageTable.count),
            records: [], issues: [], summary: ScanSummary())
    }
}

/// Decides which entries of a listing a scan counts, applying the rules a directory walk
/// would: hidden names, `--exclude`, ignore files and attributes, from the tree's own files.
struct GitTreePlanner {
    let scanner: Scanner
    let target: GitScanTarget
    let listing: GitTreeListing
    /// How paths are shown (the plan shows them the same way).
    let display: GitDisplayPaths
    var issues: [ScanIssue] = []
    var summary = ScanSummary()
    var submodules: [(path: [UInt8], commit: GitObjectID)] = []

    /// Per directory (repository-relative, no trailing `/`): the rules in force, or nil when the
    /// directory is excluded (hidden or ignored, or outside the scanned subdirectory).
    private var directories: [[UInt8]: DirectoryRules?] = [:]
    /// Rule files by the directory holding them: entry indexes.
    private var ruleFiles: [[UInt8]: (gitignore: Int?, ignore: Int?, gitattributes: Int?)] = [:]
    private var reader: GitBlobReader?

    struct DirectoryRules {
        var ignores: IgnoreChain?
        var attributes: AttributesChain?
    }

    init(scanner: Scanner, target: GitScanTarget, listing: GitTreeListing) {
        self.scanner = scanner
        self.target = target
        self.listing = listing
        display = GitDisplayPaths(target)
    }

    mutating func plan() throws -> GitTreePlan {
        // A first pass indexes the rule files, so each directory's rules are known before its files.
        for (index, entry) in listing.entries.enumerated() where entry.isRegularFile {
            let (directory, name) = Self.split(entry.path)
            let kind: Int
            if name.elementsEqual(".gitignore".utf8) { kind = 0 }
            else if name.elementsEqual(".ignore".utf8) { kind = 1 }
            else if name.elementsEqual(".gitattributes".utf8) { kind = 2 }
            else { continue }
            var files = ruleFiles[Array(directory), default: (nil, nil, nil)]
            switch kind {
            case 0: files.gitignore = index
            case 1: files.ignore = index
            default: files.gitattributes = index
            }
            ruleFiles[Array(directory)] = files
        }
        let subdirectory = Array(target.subdirectory.utf8)
        var blobs: [PlannedBlob] = []
        blobs.reserveCapacity(listing.entries.count)
        for (index, entry) in listing.entries.enumerated() {
            let path = entry.path
            if !subdirectory.isEmpty {
                guard path.count > subdirectory.count, path.starts(with: subdirectory),
                    path[path.startIndex + subdirectory.count] == UInt8(ascii: "/")
                else { continue }
            }
            let (directory, name) = Self.split(path)
            guard let rules = try rules(for: Array(directory)) else { continue }
            if !scanner.options.includeHidden && name.first == UInt8(ascii: ".") {
                summary.hiddenEntries += 1
                continue
            }
            if isIgnored(path, isDirectory: entry.kind == .submodule, rules.ignores) {
                summary.ignoredEntries += 1
                continue
            }
            switch entry.kind {
            case .symlink:
                summary.symlinksSkipped += 1
            case .submodule:
                summary.submodules += 1
                submodules.append((Array(path), entry.id))
            case .file, .executable:
                if entry.isAbsent {
                    issues.append(
                        ScanIssue(
                            path: display(path), kind: .error,
                            reason: "blob \(entry.id) is not in the object store (a partial clone); not fetched"))
                    continue
                }
                blobs.append(PlannedBlob(entry: index, attributes: rules.attributes))
            }
        }
        return GitTreePlan(target: target, listing: listing, blobs: blobs)
    }


    /// A path's directory (empty at the top) and last component.
    static func split(_ path: ArraySlice<UInt8>) -> (ArraySlice<UInt8>, ArraySlice<UInt8>) {
        guard let slash = path.lastIndex(of: UInt8(ascii: "/")) else { return (path[path.startIndex ..< path.startIndex], path) }
        return (path[..<slash], path[(slash + 1)...])
    }

    private func isIgnored(_ path: some Collection<UInt8>, isDirectory: Bool, _ chain: IgnoreChain?) -> Bool {
        Array(path).withUnsafeBufferPointer { Worker.isIgnored($0, isDirectory: isDirectory, excludes: scanner.excludes, chain) }
    }

    /// The rules in force in `directory`, computed from its parent's; nil when it is excluded.
    private mutating func rules(for directory: [UInt8]) throws -> DirectoryRules? {
        if let known = directories[directory] { return known }
        let result: DirectoryRules?
        if directory.isEmpty {
            result = try topRules()
        } else {
            let (parent, name) = Self.split(directory[...])
            let subdirectory = Array(target.subdirectory.utf8)
            // Directories above the scanned subdirectory give rules but are never judged.
            let above = !subdirectory.isEmpty && (subdirectory == directory || subdirectory.starts(with: directory + [UInt8(ascii: "/")]))
            if let parentRules = try rules(for: Array(parent)) {
                if !above && !scanner.options.includeHidden && name.first == UInt8(ascii: ".") {
                    summary.hiddenEntries += 1
                    result = nil
                } else if !above && isIgnored(directory, isDirectory: true, parentRules.ignores) {
                    summary.ignoredEntries += 1
                    result = nil
                } else {
                    if !above || subdirectory == directory { summary.directories += 1 }
                    result = try load(directory, on: parentRules, isTop: false)
                }
            } else {
                result = nil
            }
        }
        directories[directory] = .some(result)
        return result
    }

    private mutating func topRules() throws -> DirectoryRules {
        var rules = DirectoryRules()
        let options = scanner.options
        let gitDirectory = target.repository.gitDirectory
        if options.useIgnoreFiles, let exclude = readRepositoryFile(gitDirectory + "/info/exclude", shown: ".git/info/exclude") {
            let parsed = IgnoreFile(contents: exclude, origin: String(decoding: display(".git/info/exclude".utf8), as: UTF8.self))
            report(parsed.diagnostics.map { ($0.line, $0.message) }, ".git/info/exclude".utf8)
            if !parsed.isEmpty { rules.ignores = IgnoreChain(file: parsed, baseLength: 0, parent: nil) }
        }
        var info: GitAttributesFile? = nil
        if let attributes = readRepositoryFile(gitDirectory + "/info/attributes", shown: ".git/info/attributes") {
            let parsed = GitAttributesFile(
                contents: attributes, origin: String(decoding: display(".git/info/attributes".utf8), as: UTF8.self),
                macros: [:], isTopLevel: true)
            report(parsed.diagnostics.map { ($0.line, $0.message) }, ".git/info/attributes".utf8)
            info = parsed
        }
        if target.subdirectory.isEmpty { summary.directories += 1 }
        var top = try load([], on: rules, isTop: true, info: info)
        if top.attributes == nil, let info, !info.isEmpty {
            top.attributes = AttributesChain(file: GitAttributesFile(contents: [], origin: ""), baseLength: 0, parent: nil, info: info)
        }
        return top
    }

    /// A file of the repository's git directory (`info/exclude`), or nil when absent.
    private mutating func readRepositoryFile(_ path: String, shown: String) -> [UInt8]? {
        let read = path.withCString { SystemCalls.readSmallFile(directory: AT_FDCWD, name: $0, limit: Worker.ignoreFileLimit) }
        if let error = read.error {
            if error != ENOENT && error != ENOTDIR {
                issues.append(ScanIssue(path: display(shown.utf8), kind: .error, reason: "\(SystemCalls.message(error)) (read)"))
            }
            return nil
        }
        return read.bytes
    }

    private mutating func report(_ diagnostics: [(Int, String)], _ path: some Collection<UInt8>) {
        for (line, message) in diagnostics {
            issues.append(ScanIssue(path: display(path), kind: .skipped, reason: "line \(line): \(message)"))
        }
    }

    /// The directory's `.gitignore`, `.ignore` and `.gitattributes` on top of `parent`.
    private mutating func load(
        _ directory: [UInt8], on parent: DirectoryRules, isTop: Bool, info: GitAttributesFile? = nil
    ) throws -> DirectoryRules {
        guard let files = ruleFiles[directory] else { return parent }
        var rules = parent
        let base = directory.isEmpty ? 0 : directory.count + 1
        let options = scanner.options
        for index in [options.useIgnoreFiles ? files.gitignore : nil, options.useIgnoreFiles ? files.ignore : nil] {
            guard let index, let bytes = try readBlob(index) else { continue }
            let path = listing.entries[index].path
            let parsed = IgnoreFile(contents: bytes, origin: String(decoding: display(path), as: UTF8.self))
            report(parsed.diagnostics.map { ($0.line, $0.message) }, path)
            if !parsed.isEmpty { rules.ignores = IgnoreChain(file: parsed, baseLength: base, parent: rules.ignores) }
        }
        if let index = files.gitattributes, let bytes = try readBlob(index) {
            let path = listing.entries[index].path
            let parsed = GitAttributesFile(
                contents: bytes, origin: String(decoding: display(path), as: UTF8.self),
                macros: parent.attributes?.macros ?? [:], isTopLevel: isTop)
            report(parsed.diagnostics.map { ($0.line, $0.message) }, path)
            if !parsed.isEmpty || isTop {
                rules.attributes = AttributesChain(
                    file: parsed, baseLength: base, parent: parent.attributes, info: info ?? parent.attributes?.info,
                    macros: isTop ? parsed.definedMacros : (parent.attributes?.macros ?? [:]))
            }
        }
        return rules
    }

    /// A rule file's content (its first 4 MiB), or nil with an issue when git cannot give it.
    private mutating func readBlob(_ index: Int) throws -> [UInt8]? {
        let entry = listing.entries[index]
        if entry.isAbsent {
            issues.append(
                ScanIssue(path: display(entry.path), kind: .error, reason: "blob \(entry.id) is not in the object store; rules not read"))
            return nil
        }
        if reader == nil { reader = target.repository.makeBlobReader() }
        guard let reader else { return nil }
        switch try reader.read(entry.id, limit: Worker.ignoreFileLimit) {
        case .found(let contents):
            if contents.isTruncated {
                issues.append(
                    ScanIssue(
                        path: display(entry.path), kind: .skipped,
                        reason: "rule file larger than \(Worker.ignoreFileLimit) bytes: only its start was read"))
            }
            return contents.bytes
        case .missing(let error), .unreadable(let error):
            issues.append(ScanIssue(path: display(entry.path), kind: .error, reason: (error.gitMessage.isEmpty ? error.message : error.gitMessage)))
            return nil
        }
    }
}

extension Worker {
    /// Counts planned blobs `range` through this worker's own `git cat-file --batch`.
    func countBlobs(_ plan: GitTreePlan, _ range: Range<Int>) {
        if gitReader == nil || gitReaderPlan !== plan {
            gitReader = plan.target.repository.makeBlobReader()
            gitReaderPlan = plan
        }
        guard let reader = gitReader else { return }
        // Paths below the scanned subdirectory, for options.wholeFiles.
        let subdirectory = plan.target.subdirectory.utf8.count
        for k in range {
            // Ask for the next blobs ahead: git inflates them while this one is counted.
            if (k - range.lowerBound) % GitBlobReader.aheadLimit == 0 {
                let ahead = k ..< min(range.upperBound, k + GitBlobReader.aheadLimit)
                do {
                    try reader.prefetch(ahead.lazy.map { plan.listing.entries[plan.blobs[$0].entry].id })
                } catch {
                    // git cannot be started: each blob below reports it.
                }
            }
            let planned = plan.blobs[k]
            let entry = plan.listing.entries[planned.entry]
            let (_, name) = GitTreePlanner.split(entry.path)
            filePath.removeAll(keepingCapacity: true)
            filePath.append(contentsOf: entry.path)
            rootLength = subdirectory == 0 ? 0 : subdirectory + 1
            let shown = { plan.display(entry.path) }
            do {
                let outcome = try Array(name).withUnsafeBufferPointer { nameBytes in
                    try reader.withObject(entry.id) { stream in
                        countContent(
                            name: nameBytes, attributes: planned.attributes, path: shown, fillFirstBuffer: true,
                            size: { _ in stream.size }
                        ) { p, n in
                            stream.read(into: p, count: n)
                        }
                    }
                }
                switch outcome {
                case .found: break
                case .missing(let error), .unreadable(let error):
                    issue(shown(), .error, "\((error.gitMessage.isEmpty ? error.message : error.gitMessage)) (git cat-file)")
                }
            } catch {
                issue(shown(), .error, "\(error)")
            }
        }
        options.progress?.add(range.count)
    }

    /// Whether the path (relative to the scan root) is excluded by `--exclude` or the chain.
    static func isIgnored(
        _ path: UnsafeBufferPointer<UInt8>, isDirectory: Bool, excludes: IgnoreFile?, _ chain: IgnoreChain?
    ) -> Bool {
        if let excludes, excludes.match(path, isDirectory: isDirectory) == .ignored { return true }
        var level = chain
        while let l = level {
            let sub = UnsafeBufferPointer(rebasing: path[min(l.baseLength, path.count)...])
            switch l.file.match(sub, isDirectory: isDirectory) {
            case .ignored: return true
            case .included: return false
            case .unmatched: level = l.parent
            }
        }
        return false
    }
}
