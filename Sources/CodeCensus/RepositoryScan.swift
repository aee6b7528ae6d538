import CensusGit
import CensusPeople
import CensusScan
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One repository (or directory) to scan, with the labels a manifest gives it.
public struct ScanTargetSpec: Sendable, Equatable {
    /// A path, or a URL (`https://…`, `git@host:owner/name`, `ssh://…`, `file://…`).
    public var location: String
    public var org: String?
    public var company: String?
    public var cohorts: [String]
    /// Where the project is, as free text (a manifest's location): classified into a country and
    /// a region for the report.
    public var place: String?

    public init(location: String, org: String? = nil, company: String? = nil, cohorts: [String] = [], place: String? = nil) {
        self.location = location
        self.org = org
        self.company = company
        self.cohorts = cohorts
        self.place = place
    }
}

/// What became of one target.
public enum RepositoryScanOutcome: Sendable {
    case scanned(ScanReport)
    /// The store already holds this commit of the repository (rescan with `--force`).
    case unchanged(spec: ScanTargetSpec, key: String, commit: String)
    case failed(RepositoryScanFailure)
}

/// A target that could not be scanned, with the reason (git's own message included).
public struct RepositoryScanFailure: Sendable, Error, CustomStringConvertible {
    public var spec: ScanTargetSpec
    public var message: String
    public var description: String { "\(GitRemoteURL.redacted(spec.location)): \(message)" }

    public init(spec: ScanTargetSpec, message: String) {
        self.spec = spec
        self.message = message
    }
}

/// Scans targets given as paths or URLs: git repositories at a revision from their object store
/// (cloning remote ones into the cache), other directories by walking them.
public struct RepositoryScanner: Sendable {
    public var options: ScanOptions
    /// The revision to scan in git inputs (`HEAD` when nil).
    public var revision: String?
    /// Walk a repository's working tree instead of reading its committed tree.
    public var worktree = false
    /// The clone cache for URLs (nil: URLs fail with a message saying so).
    public var cache: GitCache?
    /// Asked with a repository's key and the commit about to be scanned: true skips the scan
    /// (the store already holds that commit).
    public var isUnchanged: (@Sendable (String, String) -> Bool)?
    /// Asked with a repository's key and a commit: the commit count and first commit computed
    /// before (the store keeps them per repository and commit), so they are not walked again.
    public var knownMetadata: (@Sendable (String, String) -> GitHistoryMetadata?)?
    /// Asked, just before a target's files are read, for the reader to hand whole files to
    /// (``ScanOptions/wholeFiles``: `census scan --go-source`); nil answers: none.
    public var wholeFiles: (@Sendable (ScanTargetSpec) -> (any WholeFileConsumer)?)?

    public init(options: ScanOptions, revision: String? = nil, worktree: Bool = false, cache: GitCache? = nil) {
        self.options = options
        self.revision = revision
        self.worktree = worktree
        self.cache = cache
    }

    /// Whether `location` names a remote repository rather than a path.
    ///
    /// On bytes: Foundation's `contains` on strings would set CoreFoundation up for every scan of
    /// a path (about 0.1 ms of a start).
    public static func isURL(_ location: String) -> Bool {
        let colon = UInt8(ascii: ":")
        let slash = UInt8(ascii: "/")
        // "://" anywhere.
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in location.utf8 {
            if previous == (colon, slash) && byte == slash { return true }
            previous = (previous.1, byte)
        }
        // scp-like `user@host:path`: a ':' before any '/', and an '@' before the ':'.
        var at = false
        for byte in location.utf8 {
            if byte == colon { return at }
            if byte == slash { return false }
            if byte == UInt8(ascii: "@") { at = true }
        }
        return false
    }

    /// Scans one target; every failure (an unreachable URL, a corrupt repository, an unknown
    /// revision) is returned, not thrown.
    public func scan(_ spec: ScanTargetSpec) -> RepositoryScanOutcome {
        do {
            return try scanOrThrow(spec)
        } catch let error as GitError {
            return .failed(RepositoryScanFailure(spec: spec, message: Self.describe(error)))
        } catch let error as RepositoryScanFailure {
            return .failed(error)
        } catch {
            return .failed(RepositoryScanFailure(spec: spec, message: "\(error)"))
        }
    }

    static func describe(_ error: GitError) -> String {
        let git = error.gitMessage.split(separator: "\n").map { $0.trimmingCharacters() }.filter { !$0.isEmpty }
        return git.isEmpty ? error.message : error.message + " (git: " + git.joined(separator: "; ") + ")"
    }

    private func scanOrThrow(_ spec: ScanTargetSpec) throws -> RepositoryScanOutcome {
        let location = spec.location
        var options = self.options
        if Self.isURL(location) {
            guard let cache else {
                throw RepositoryScanFailure(spec: spec, message: "a URL needs the clone cache (no cache directory is set)")
            }
            let remote = try GitRemoteURL(parsing: location)
            let history: GitCache.History = (revision ?? "HEAD") == "HEAD" ? .shallow : .full
            let repository = try cache.repository(for: remote, history: history)
            options.roots = [remote.description]
            // A shallow clone cannot count its history: a commits-only clone beside it can
            // (fetched while the tree is scanned; docs/git.md, "Clone cache").
            var metadata: (@Sendable () throws -> GitRepository)? = nil
            if history == .shallow {
                metadata = { @Sendable in try cache.repository(for: remote, history: .commits) }
            }
            return try scanGit(
                spec, GitScanTarget(repository: repository, revision: revision ?? "HEAD", displayRoot: ""), options,
                metadataRepository: metadata)
        }
        var notes: [ScanIssue] = []
        if !worktree, let (top, below) = Self.repositoryTop(of: location) {
            do {
                let repository = try GitRepository(path: top)
                options.roots = [location]
                let target = GitScanTarget(
                    repository: repository, revision: revision ?? "HEAD", subdirectory: below, displayRoot: location)
                return try scanGit(spec, target, options)
            } catch let error as GitError where error.code == .notARepository && revision == nil {
                // A `.git` that git will not read (an empty directory, a broken gitdir link):
                // the files on disk are still there to count.
                notes.append(
                    ScanIssue(
                        path: Array(top.utf8), kind: .skipped,
                        reason: "not a git repository git can read (\(Self.describe(error))): scanned the files on disk"))
            }
        }
        if revision != nil && !worktree {
            throw RepositoryScanFailure(spec: spec, message: "--rev needs a git repository, and this is not in one")
        }
        var st = stat()
        if stat(location, &st) != 0 {
            throw RepositoryScanFailure(spec: spec, message: String(cString: strerror(errno)))
        }
        options.roots = [location]
        var report = Scanner(options: consuming(options, spec)).run()
        report.issues = notes + report.issues
        let absolute = Self.absolute(location) ?? location
        report.repository = ScannedRepository(
            key: absolute, location: location, org: spec.org, company: spec.company, cohorts: spec.cohorts, revision: nil,
            git: nil)
        Self.place(&report, spec)
        return .scanned(report)
    }

    private func scanGit(
        _ spec: ScanTargetSpec, _ target: GitScanTarget, _ options: ScanOptions,
        metadataRepository: (@Sendable () throws -> GitRepository)? = nil
    ) throws -> RepositoryScanOutcome {
        var info = try target.repository.commitInfo(revision: target.revision)
        let remote = info.remote ?? (Self.isURL(spec.location) ? try? GitRemoteURL(parsing: spec.location) : nil)
        let repositoryKey = remote.map(Self.key) ?? target.repository.resolvedPath
        var key = repositoryKey
        // A subdirectory is a repository of its own in the store: it must not replace the whole.
        if !target.subdirectory.isEmpty { key += ":" + target.subdirectory }
        let commit = info.commit.id.description
        if let isUnchanged, isUnchanged(key, commit) {
            return .unchanged(spec: spec, key: key, commit: commit)
        }
        // The commit count and first commit: from the store when computed before, else walked by
        // git while the tree is scanned (they need no blob, the scan needs no commit).
        var notes: [ScanIssue] = []
        if let known = knownMetadata?(repositoryKey, commit) {
            info.apply(known)
        } else {
            let found = Mutex<Result<GitHistoryMetadata?, any Error>?>(nil)
            let group = DispatchGroup()
            let repository = target.repository
            let shallowInfo = info
            DispatchQueue.global().async(group: group) {
                let result = Result { () throws -> GitHistoryMetadata? in
                    var source: GitRepository? = nil
                    if shallowInfo.isShallow, let metadataRepository { source = try metadataRepository() }
                    return try repository.historyMetadata(for: shallowInfo, from: source)
                }
                found.withLock { $0 = result }
            }
            var report: ScanReport
            do {
                report = try Scanner(options: consuming(options, spec)).run(git: target)
            } catch {
                group.wait()
                throw error
            }
            group.wait()
            switch found.withLock({ $0 }) {
            case .success(let metadata?)?:
                info.apply(metadata)
            case .failure(let error as GitError)? where info.isShallow:
                notes.append(
                    ScanIssue(
                        path: Array(spec.location.utf8), kind: .skipped,
                        reason: "commit count and first commit unknown (a shallow clone; the commits-only clone failed: \(Self.describe(error)))"))
            case .failure(let error)?:
                throw error
            default:
                if info.isShallow {
                    notes.append(
                        ScanIssue(
                            path: Array(spec.location.utf8), kind: .skipped,
                            reason: "commit count and first commit unknown: a shallow clone, and no clone with the whole history"))
                }
            }
            return finish(report, spec, key: key, repositoryKey, remote: remote, revision: target.revision, info: info, options, notes)
        }
        let report = try Scanner(options: consuming(options, spec)).run(git: target)
        return finish(report, spec, key: key, repositoryKey, remote: remote, revision: target.revision, info: info, options, notes)
    }

    /// `options` with the whole-file reader of `spec`, asked for only now: a target found
    /// unchanged reads nothing.
    private func consuming(_ options: ScanOptions, _ spec: ScanTargetSpec) -> ScanOptions {
        guard let wholeFiles else { return options }
        var options = options
        options.wholeFiles = wholeFiles(spec)
        return options
    }

    private func finish(
        _ scanned: ScanReport, _ spec: ScanTargetSpec, key: String, _ repositoryKey: String, remote: GitRemoteURL?, revision: String,
        info: GitRepositoryInfo, _ options: ScanOptions, _ notes: [ScanIssue]
    ) -> RepositoryScanOutcome {
        var report = scanned
        report.roots = options.roots
        report.issues = notes + report.issues
        report.repository = ScannedRepository(
            key: key, location: spec.location, org: spec.org ?? remote?.owner, company: spec.company ?? remote?.owner,
            cohorts: spec.cohorts, revision: revision, git: info)
        report.repository?.repositoryKey = repositoryKey
        Self.place(&report, spec)
        return .scanned(report)
    }

    /// The manifest's free-text location, with the country and region it names (data-driven:
    /// CensusPeople's RegionClassifier).
    static func place(_ report: inout ScanReport, _ spec: ScanTargetSpec) {
        guard let place = spec.place else { return }
        report.repository?.place = place
        if let found = RegionClassifier.standard.classify(place) {
            report.repository?.country = found.country
            report.repository?.region = found.region.rawValue
        }
    }

    /// `host/owner/name`, lowercase, without `.git`.
    public static func key(_ remote: GitRemoteURL) -> String {
        var name = remote.name
        if name.hasSuffix(".git") { name.removeLast(4) }
        return "\(remote.host)/\(remote.owner)/\(name)".lowercased()
    }

    /// The top of the git repository holding `path` (a directory) and `path` relative to it;
    /// nil when `path` is a file or is in no repository. A bare repository is its own top.
    static func repositoryTop(of path: String) -> (String, String)? {
        guard let absolute = absolute(path), isDirectory(absolute) else { return nil }
        if isDirectory(absolute + "/objects"), isDirectory(absolute + "/refs"), exists(absolute + "/HEAD") {
            return (absolute, "")
        }
        var components = absolute.split(separator: "/").map(String.init)
        var below: [String] = []
        while true {
            let directory = "/" + PathJoin.join(components)
            if exists(directory + (directory == "/" ? "" : "/") + ".git") {
                below.reverse()
                return (directory, PathJoin.join(below))
            }
            guard let last = components.popLast() else { return nil }
            below.append(last)
        }
    }

    static func absolute(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Scans every target, `jobs` repositories at a time, each with `options.jobs` file workers;
    /// results come back in the targets' order. `progress` is called (from any thread) as each
    /// target finishes.
    public func scanAll(
        _ specs: [ScanTargetSpec], jobs: Int,
        progress: @Sendable (Int, RepositoryScanOutcome) -> Void = { _, _ in }
    ) -> [RepositoryScanOutcome] {
        let next = Atomic<Int>(0)
        let results = Mutex<[RepositoryScanOutcome?]>(Array(repeating: nil, count: specs.count))
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, specs.count))) { _ in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                if index >= specs.count { break }
                let result = scan(specs[index])
                progress(index, result)
                results.withLock { $0[index] = result }
            }
        }
        return results.withLock { $0 }.compactMap { $0 }
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> String {
        var s = self
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
