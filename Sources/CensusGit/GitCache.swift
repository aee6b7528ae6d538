#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bare clones of remote repositories, kept between runs at `<root>/<host>/<owner>/<name>.git`.
///
/// The first request clones with `--depth 1` (enough to scan `HEAD`) unless full history is asked
/// for; asking for full history later deepens the clone (`fetch --unshallow`). Later requests
/// fetch the remote's default branch again and point `HEAD` at it, so a new commit, or a renamed
/// default branch, is picked up. In ``offline`` mode nothing is fetched: a cached clone is used as
/// it is, and anything else fails with ``GitError/Code/notCached``.
///
/// Clones are `--bare --single-branch --no-tags` with an empty template (`--template=`: no sample
/// hooks, no `info/exclude`), made in a temporary directory beside their final place and renamed
/// into it, so an interrupted clone never looks cached; when two processes clone the same URL at
/// once, the first rename wins and the other's copy is discarded. Every git command runs through
/// ``GitRunner``: only the clone and the fetches may use a transport, and only https, ssh and file.
public struct GitCache: Sendable {
    /// How much history a scan needs.
    public enum History: Sendable {
        /// The tip of the default branch (`--depth 1`).
        case shallow
        /// Everything reachable from it.
        case full
        /// Every commit and tree reachable from it, no blobs (`--filter=blob:none`): enough for
        /// attribution-only history (`census history --no-lines`). Kept at ``path(for:history:)``,
        /// beside the ordinary clone; a full clone already cached is used instead.
        case blobless
        /// Every commit reachable from it, no trees or blobs (`--filter=tree:0`): enough for the
        /// commit count and the first commit of a shallow scan's repository. A full or blobless
        /// clone already cached is used instead.
        case commits

        /// `git clone`/`fetch` arguments for this kind.
        var cloneArguments: [String] {
            switch self {
            case .shallow: return ["--depth=1"]
            case .full: return []
            case .blobless: return ["--filter=blob:none"]
            case .commits: return ["--filter=tree:0"]
            }
        }

        /// The cache path's suffix (partial clones live beside the ordinary one, so a scan never
        /// meets absent blobs).
        var pathSuffix: String {
            switch self {
            case .shallow, .full: return ""
            case .blobless: return ".blobless"
            case .commits: return ".commits"
            }
        }
    }

    /// The directory holding the cache.
    public let root: String
    /// Use cached clones as they are; never touch the network.
    public var offline: Bool
    public let runner: GitRunner

    /// A cache at `root`, or at ``defaultRoot(environment:)`` for this process's environment.
    ///
    /// - Throws: ``GitError`` when no root can be found (no `XDG_CACHE_HOME` and no `HOME`), or
    ///   there is no git.
    public init(root: String? = nil, offline: Bool = false, runner: GitRunner? = nil) throws {
        var environment: [String: String] = [:]
        for name in ["XDG_CACHE_HOME", "HOME"] {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        guard let chosen = root ?? Self.defaultRoot(environment: environment) else {
            throw GitError(
                .cacheFailure, repository: "-",
                message: "no place for the clone cache: set XDG_CACHE_HOME or HOME, or name a cache directory")
        }
        self.root = chosen
        self.offline = offline
        self.runner = try runner ?? GitRunner()
    }

    /// `$XDG_CACHE_HOME/census/repos`, or `$HOME/.cache/census/repos` when `XDG_CACHE_HOME` is
    /// unset, empty or relative (the XDG base directory rules); `nil` without either.
    public static func defaultRoot(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return trimmed(xdg) + "/census/repos" }
        if let home = environment["HOME"], home.hasPrefix("/") { return trimmed(home) + "/.cache/census/repos" }
        return nil
    }

    private static func trimmed(_ path: String) -> String {
        var path = Substring(path)
        while path.count > 1 && path.hasSuffix("/") { path = path.dropLast() }
        return path == "/" ? "" : String(path)
    }

    /// Where `url`'s clone lives (or would live).
    public func path(for url: GitRemoteURL) -> String {
        root + "/" + url.cacheRelativePath
    }

    /// Where `url`'s clone of this kind lives: partial clones at `<name>.git.blobless` and
    /// `<name>.git.commits` (no other clone's path ends so: every other one ends in `.git`).
    public func path(for url: GitRemoteURL, history: History) -> String {
        path(for: url) + history.pathSuffix
    }

    /// The cached clone of `url`: cloned, updated, or (offline) as it is.
    ///
    /// - Parameters:
    ///   - url: `https://…`, `git@host:owner/name.git`, `ssh://…` or `file://…`.
    ///   - history: ``History/shallow`` for a scan of the tip; ``History/full`` for history.
    /// - Throws: ``GitError``: ``GitError/Code/invalidURL``; ``GitError/Code/fetchFailed`` with
    ///   git's message when the remote cannot be reached or read; offline,
    ///   ``GitError/Code/notCached`` or ``GitError/Code/shallowCache``.
    public func repository(for url: String, history: History = .shallow) throws -> GitRepository {
        try repository(for: GitRemoteURL(parsing: url), history: history)
    }

    /// The cached clone of `url`, fetched on a thread of its own (clones can take minutes).
    public func repository(for url: String, history: History = .shallow) async throws -> GitRepository {
        try await runOnOwnThread { try repository(for: url, history: history) }
    }

    /// The cached clone of `remote`: cloned, updated, or (offline) as it is.
    public func repository(for remote: GitRemoteURL, history: History = .shallow) throws -> GitRepository {
        // A partial clone is asked for only where a more complete clone would do as well.
        if history == .blobless || history == .commits {
            let main = path(for: remote)
            if FileSystem.isDirectory(main),
                let full = try? GitRepository(path: main, displayName: remote.description, runner: runner),
                try !full.isShallow()
            {
                if !offline { try update(full, from: remote, history: .full) }
                return full
            }
            if history == .commits, FileSystem.isDirectory(path(for: remote, history: .blobless)) {
                return try repository(for: remote, history: .blobless)
            }
        }
        let path = path(for: remote, history: history)
        let display = remote.description
        if FileSystem.isDirectory(path) {
            let repository = try GitRepository(path: path, displayName: display, runner: runner)
            if offline {
                if history == .full, try repository.isShallow() {
                    throw GitError(
                        .shallowCache, repository: display,
                        message: "the cached clone at \(path) is shallow; full history needs a fetch: run online once")
                }
                return repository
            }
            try update(repository, from: remote, history: history)
            repository.writeCommitGraph()
            if history == .blobless { fetchMailmap(repository) }
            return repository
        }
        if offline {
            throw GitError(
                .notCached, repository: display,
                message:
                    "not in the clone cache (\(path)) and offline mode forbids fetching: run once without offline mode")
        }
        try clone(remote, into: path, history: history)
        let repository = try GitRepository(path: path, displayName: display, runner: runner)
        repository.writeCommitGraph()
        if history == .blobless { fetchMailmap(repository) }
        return repository
    }

    /// A blobless clone has no `.mailmap` blob, and history needs it to map authors: fetch that one
    /// blob by id from the promisor remote (a failure leaves it absent; the walk then says so).
    private func fetchMailmap(_ repository: GitRepository) {
        guard let named = try? runner.run(["rev-parse", "--verify", "-q", "HEAD:.mailmap"], at: repository.location, accepting: [0, 1]),
            named.exitCode == 0, let id = GitObjectID(named.text),
            let present = try? repository.presentObjects([id]), !present.contains(id)
        else { return }
        _ = try? runner.run(
            ["fetch", "--no-tags", "--filter=blob:none", "--no-write-fetch-head", "--", "origin", id.description],
            at: repository.location, network: true)
    }

    // MARK: - Cloning and fetching

    private func clone(_ remote: GitRemoteURL, into path: String, history: History) throws {
        let parent = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        let temporary: String
        do {
            try FileSystem.makeDirectories(parent)
            temporary = try FileSystem.makeTemporaryDirectory(beside: path)
        } catch let error as SystemCallError {
            throw GitError(
                .cacheFailure, repository: remote.description, message: "cannot create the clone cache: \(error)")
        }
        var arguments = ["clone", "--bare", "--single-branch", "--no-tags", "--template="]
        arguments += history.cloneArguments
        arguments += ["--", remote.url, temporary]
        let location = GitLocation(display: remote.description, workingDirectory: parent)
        do {
            _ = try runner.run(arguments, at: location, network: true)
        } catch var error as GitError {
            FileSystem.removeTree(temporary)
            if error.code == .commandFailed {
                error.code = .fetchFailed
                error.message = "could not clone the repository: check the URL and that it is reachable"
            }
            error.command = error.command.map { $0 == remote.url ? remote.description : $0 }
            throw error
        }
        do {
            if try !FileSystem.renameIfAbsent(temporary, to: path) { FileSystem.removeTree(temporary) }
        } catch let error as SystemCallError {
            FileSystem.removeTree(temporary)
            throw GitError(
                .cacheFailure, repository: remote.description,
                message: "cannot move the new clone into the cache: \(error)")
        }
    }

    private func update(_ repository: GitRepository, from remote: GitRemoteURL, history: History) throws {
        let location = repository.location
        func network(_ arguments: [String]) throws -> GitOutput {
            do {
                return try runner.run(arguments, at: location, network: true)
            } catch var error as GitError {
                if error.code == .commandFailed {
                    error.code = .fetchFailed
                    error.message = "could not update the cached clone at \(repository.path) from the remote"
                }
                error.command = error.command.map { $0 == remote.url ? remote.description : $0 }
                throw error
            }
        }
        // Which branch is the remote's default now (it may have been renamed since the clone).
        let advertised = try network(["ls-remote", "--symref", "--", remote.url, "HEAD"])
        guard let branch = Self.symbolicHead(advertised.output) else {
            throw GitError(
                .fetchFailed, repository: remote.description,
                command: ["ls-remote", "--symref", "--", remote.description, "HEAD"],
                gitMessage: advertised.text,
                message: "the remote's HEAD names no branch: census follows the default branch")
        }
        var arguments = ["fetch", "--no-tags", "--update-head-ok"]
        if history == .blobless || history == .commits {
            // A partial clone fetches from its promisor remote by name (our own configuration,
            // pointed at the URL below), so the new pack is a promisor pack too.
            if try repository.configValue("remote.origin.url") != remote.url {
                _ = try runner.run(["config", "remote.origin.url", remote.url], at: location)
            }
            arguments += history.cloneArguments + ["--", "origin", "+\(branch):\(branch)"]
        } else {
            if try repository.isShallow() { arguments.append(history == .shallow ? "--depth=1" : "--unshallow") }
            arguments += ["--", remote.url, "+\(branch):\(branch)"]
        }
        _ = try network(arguments)
        if try repository.symbolicTarget("HEAD") != branch {
            _ = try runner.run(["symbolic-ref", "HEAD", branch], at: location)
        }
        if try repository.configValue("remote.origin.url") != remote.url {
            _ = try runner.run(["config", "remote.origin.url", remote.url], at: location)
        }
    }

    /// The branch in `ref: refs/heads/<name>\tHEAD` from `git ls-remote --symref`, if it is a
    /// well-formed branch name (the remote is not trusted to send one).
    static func symbolicHead(_ output: [UInt8]) -> String? {
        for line in output.split(separator: UInt8(ascii: "\n")) {
            let text = String(decoding: line, as: UTF8.self)
            guard text.hasPrefix("ref: "), text.hasSuffix("\tHEAD") else { continue }
            let reference = String(text.dropFirst(5).dropLast(5))
            guard reference.hasPrefix("refs/heads/"), isSafeReference(reference) else { return nil }
            return reference
        }
        return nil
    }

    /// A subset of `git check-ref-format`: no control characters, spaces, `~^:?*[\`, `..`, `@{`,
    /// empty or dot-led components, `.lock` endings.
    static func isSafeReference(_ name: String) -> Bool {
        if name.contains("..") || name.contains("@{") || name.hasSuffix("/") || name.hasSuffix(".") { return false }
        for byte in name.utf8 {
            if byte <= 0x20 || byte == 0x7f || "~^:?*[\\".utf8.contains(byte) { return false }
        }
        return name.split(separator: "/", omittingEmptySubsequences: false).allSatisfy {
            !$0.isEmpty && !$0.hasPrefix(".") && !$0.hasSuffix(".lock")
        }
    }
}

/// Runs blocking `work` on a new thread (not one of the Swift concurrency pool's) and resumes the
/// caller with its result.
func runOnOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        let job = Unmanaged.passRetained(ThreadJob { continuation.resume(with: Result(catching: work)) })
        var thread = pthread_t()
        let started = pthread_create(
            &thread, nil,
            { context in
                guard let context else { return nil }
                let job = Unmanaged<ThreadJob>.fromOpaque(context).takeRetainedValue()
                job.body()
                return nil
            }, job.toOpaque())
        if started == 0 {
            pthread_detach(thread)
        } else {
            job.release()
            continuation.resume(throwing: SystemCallError(code: started, operation: "pthread_create"))
        }
    }
}

private final class ThreadJob: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

extension GitRepository {
    /// Writes (or rewrites) the commit-graph of every commit reachable from the refs, so counting
    /// commits and finding the root read one file instead of every commit. Only for repositories
    /// census owns (the clone cache); a failure is harmless (git then reads the commits).
    func writeCommitGraph() {
        _ = try? runner.run(["commit-graph", "write", "--reachable"], at: location)
    }
}
