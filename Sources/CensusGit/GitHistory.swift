#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A commit's author or committer: name and email as bytes (after `.mailmap`), and when.
public struct GitSignature: Sendable, Equatable {
    public var name: [UInt8]
    public var email: [UInt8]
    public var date: GitTimestamp

    public init(name: [UInt8], email: [UInt8], date: GitTimestamp) {
        self.name = name
        self.email = email
        self.date = date
    }
}

/// One file a commit changed, as `git log --numstat` (and, when asked, `--raw`) reports it.
public struct GitFileChange: Sendable, Equatable {
    /// The path after the change (the new path of a rename).
    public var path: [UInt8]
    /// The path before a rename or copy; nil otherwise.
    public var oldPath: [UInt8]?
    /// Lines added and removed; nil for a binary file.
    public var added: Int?
    public var removed: Int?
    /// The blob before and after the change (``GitHistoryOptions/blobIDs``): nil for the side that
    /// does not exist (an added file has no old blob, a deleted one no new blob), or when not asked.
    public var oldBlob: GitObjectID?
    public var newBlob: GitObjectID?
    /// A submodule (mode 160000): its "blobs" are commits of another repository.
    public var isSubmodule = false
    /// A symbolic link (mode 120000) on either side: its blob is the link's target, not content.
    public var isSymlink = false

    public var isBinary: Bool { added == nil }

    public init(
        path: [UInt8], oldPath: [UInt8]?, added: Int?, removed: Int?, oldBlob: GitObjectID? = nil,
        newBlob: GitObjectID? = nil, isSubmodule: Bool = false
    ) {
        self.path = path
        self.oldPath = oldPath
        self.added = added
        self.removed = removed
        self.oldBlob = oldBlob
        self.newBlob = newBlob
        self.isSubmodule = isSubmodule
    }
}

/// A commit as a history walk delivers it.
public struct GitCommitRecord: Sendable, Equatable {
    public var id: GitObjectID
    public var parents: [GitObjectID]
    public var author: GitSignature
    public var committer: GitSignature
    /// Empty for merges (their changes are counted once, in the commits that made them) unless
    /// the walk follows first parents, where a merge shows what it brought to the branch; empty
    /// too when ``unknownChanges`` is set, or the walk does not count lines.
    public var changes: [GitFileChange]
    /// Why git could not compute this commit's line changes (a blob missing from the object
    /// store, or absent from a partial clone), naming the object; nil when ``changes`` are complete.
    public var unknownChanges: String?

    public init(
        id: GitObjectID, parents: [GitObjectID], author: GitSignature, committer: GitSignature, changes: [GitFileChange],
        unknownChanges: String? = nil
    ) {
        self.id = id
        self.parents = parents
        self.author = author
        self.committer = committer
        self.changes = changes
        self.unknownChanges = unknownChanges
    }
}

/// How to walk a history.
public struct GitHistoryOptions: Sendable {
    /// Where the walk starts (default `HEAD`: the default branch of a clone or mirror).
    public var revision = "HEAD"
    /// Commits already walked: the walk stops at them (an incremental rerun).
    public var excluding: [GitObjectID] = []
    /// Only commits committed after / before these dates (anything `git log --since` reads).
    public var since: String?
    public var until: String?
    /// Follow only first parents; a merge then shows its diff against its first parent.
    public var firstParent = false
    /// A `.mailmap` of the user's, on top of the repository's own (read from the revision's tree).
    public var mailmapFile: String?
    /// Count lines per file (`--numstat`). Without, only commits are read: no trees, no blobs, so a
    /// blobless (`--filter=blob:none`) or treeless partial clone is enough.
    public var lines = true
    /// Also give each change's blob ids (`--raw`), for deciding languages by content.
    public var blobIDs = false
    /// Resume an interrupted walk: the commits up to and including this one (in the walk's order)
    /// were delivered before; the walk goes on after it, without recomputing them. Ignored (the
    /// walk starts over) when the commit is not in the walk.
    public var resumeAfter: GitObjectID?
    /// Commits handed to git at once when the walk has to go carefully (after a failure, in a
    /// partial clone, or resuming).
    public var carefulChunk = 1000

    public init() {}
}

/// What a walk did besides delivering commits.
public struct GitHistoryWalkReport: Sendable, Equatable {
    /// Commits delivered.
    public var commits = 0
    /// Of them, commits delivered with ``GitCommitRecord/unknownChanges``.
    public var unknownChangeCommits = 0
    /// Commits git wrote but could not be read (an impossible date, say), the first 100: left out.
    public var problems: [String] = []
    /// Whether the walk went on after ``GitHistoryOptions/resumeAfter``.
    public var resumed = false
    /// Commits skipped because an earlier run had delivered them (when resumed).
    public var skipped = 0
    /// Whether the `.mailmap` of the revision could be applied (false: it is absent from a
    /// partial clone; authors are then not mapped, said in ``problems``).
    public var mailmapApplied = true

    public init() {}
}

extension GitRepository {
    /// Walks the history from `options.revision` (newest first), calling `body` once per commit
    /// with its signatures and per-file line counts (`git log --numstat -z`), parsed as git
    /// writes them: memory stays bounded by the largest commit, whatever the history's length.
    ///
    /// `.mailmap` is honoured: the repository's own, read from the revision's tree
    /// (`mailmap.blob`), and `options.mailmapFile`. Renames are detected (git's default), so a
    /// moved file counts its changed lines, not all of them.
    ///
    /// A commit whose line changes git cannot compute (a blob missing from a damaged object store,
    /// or absent from a partial clone) is still delivered, with its metadata and
    /// ``GitCommitRecord/unknownChanges`` saying why, and the walk goes on (docs/git.md, "History").
    ///
    /// - Returns: the commits delivered, how many with unknown changes, and what could not be read.
    /// - Throws: ``GitError`` when git cannot walk the history itself (an unknown revision, a
    ///   missing commit object); the commits delivered before stay delivered. What `body` throws
    ///   stops the walk and is rethrown.
    @discardableResult
    public func walkHistory(_ options: GitHistoryOptions, _ body: (GitCommitRecord) throws -> Void) throws
        -> GitHistoryWalkReport
    {
        _ = try resolveCommit(options.revision)
        var report = GitHistoryWalkReport()
        let settings = try mailmapSettings(options, &report)
        return try withoutActuallyEscaping(body) { body in
            try walk(options, settings, &report, body)
            return report
        }
    }

    private func walk(
        _ options: GitHistoryOptions, _ settings: [String], _ report: inout GitHistoryWalkReport,
        _ body: @escaping (GitCommitRecord) throws -> Void
    ) throws {
        var delivered = 0
        var unknown = 0
        var last: GitObjectID?
        let deliver: (GitCommitRecord) throws -> Void = { commit in
            delivered += 1
            if commit.unknownChanges != nil { unknown += 1 }
            try body(commit)
            last = commit.id
        }
        defer {
            report.commits += delivered
            report.unknownChangeCommits += unknown
        }
        if let resume = options.resumeAfter {
            let (position, rest) = try walkOrder(options, after: resume)
            if let position {
                report.resumed = true
                report.skipped = position + 1
                if rest.count > 0 { try walkListed(rest, options, settings, &report, deliver) }
                return
            }
        }
        var parser = GitLogParser()
        do {
            try streamLog(logArguments(options, listed: false), settings: settings, input: [], &parser, deliver)
            report.problems += parser.problems
        } catch let error as GitError where options.lines {
            // git stopped on an object it could not read. Every commit delivered is complete; the
            // rest is walked carefully, commit by commit where it must (docs/git.md, "History").
            report.problems += parser.problems
            let position: Int?
            let rest: GitCommitList
            do {
                (position, rest) = try walkOrder(options, after: last)
            } catch {
                // git cannot walk the history itself (a missing commit): the commit it was
                // showing when it stopped may still be read, then the walk fails.
                if let pending = parser.pendingCommit, let one = try? GitCommitList() {
                    try? one.append(pending)
                    try? walkListed(one, options, settings, &report, deliver)
                }
                throw error
            }
            if last != nil && position == nil { throw error }
            if rest.count > 0 { try walkListed(rest, options, settings, &report, deliver) }
        }
    }

    /// `mailmap.blob` and `mailmap.file`: the revision's `.mailmap` when its blob is here (in a
    /// partial clone it may be absent, and git would stop rather than walk without it).
    private func mailmapSettings(_ options: GitHistoryOptions, _ report: inout GitHistoryWalkReport) throws -> [String] {
        var blob = options.revision + ":.mailmap"
        if try isPartialClone() {
            let named = try runner.run(["rev-parse", "--verify", "-q", blob], at: location, accepting: [0, 1, 128])
            if named.exitCode != 0 {
                if named.exitCode != 1 {
                    report.mailmapApplied = false
                    report.problems.append(
                        "the tree of \(options.revision) is absent from this partial clone: its .mailmap (if any) was not applied")
                }
                blob = ""
            } else if let id = GitObjectID(named.text), try !presentObjects([id]).contains(id) {
                report.mailmapApplied = false
                report.problems.append(
                    "the .mailmap blob \(id) is absent from this partial clone: authors were not mapped by it")
                blob = ""
            }
        }
        return ["mailmap.blob=" + blob, "mailmap.file=" + (options.mailmapFile ?? "/dev/null")]
    }

    /// The `git log` arguments of a walk (`listed`: the commits come on standard input, in order).
    func logArguments(_ options: GitHistoryOptions, listed: Bool, lines: Bool? = nil) -> [String] {
        var arguments = ["log", "-z", "--no-color", "--use-mailmap", "--format=" + GitLogParser.format]
        if lines ?? options.lines {
            arguments += ["--numstat", "--no-ext-diff", "--no-textconv"]
            if options.blobIDs { arguments += ["--raw", "--no-abbrev"] }
        } else if lines == false && options.lines {
            // The careful walk's first look: which blobs each change needs (no blob is read).
            arguments += ["--raw", "--no-abbrev", "--no-renames"]
        }
        if options.firstParent { arguments += ["--first-parent", "-m"] }
        if listed {
            arguments += ["--no-walk=unsorted", "--stdin"]
        } else {
            if let since = options.since { arguments.append("--since=" + since) }
            if let until = options.until { arguments.append("--until=" + until) }
            arguments.append(options.revision)
            arguments += options.excluding.map { "^" + $0.description }
        }
        arguments.append("--")
        return arguments
    }

    /// The walk's commits in the order `git log` gives them (`git rev-list` with the same options),
    /// streamed into a temporary file: those after `after` when it is given (with its position in
    /// the order, nil when it is not in the walk), else all of them.
    func walkOrder(_ options: GitHistoryOptions, after: GitObjectID? = nil) throws -> (position: Int?, rest: GitCommitList) {
        var arguments = ["rev-list"]
        if options.firstParent { arguments.append("--first-parent") }
        if let since = options.since { arguments.append("--since=" + since) }
        if let until = options.until { arguments.append("--until=" + until) }
        arguments.append(options.revision)
        arguments += options.excluding.map { "^" + $0.description }
        arguments.append("--")
        let rest: GitCommitList
        do {
            rest = try GitCommitList()
        } catch {
            throw GitError(.protocolError, repository: location.display, command: arguments, message: "\(error)")
        }
        var position: Int? = after == nil ? -1 : nil
        var index = 0
        var pending: [UInt8] = []
        var failure: Error?
        try runner.stream(arguments, at: location) { chunk in
            for byte in chunk {
                if byte == 0x0A {
                    if let id = GitObjectID(hex: pending) {
                        if position != nil {
                            do { try rest.append(id) } catch {
                                failure = error
                                return false
                            }
                        } else if id == after {
                            position = index
                        }
                        index += 1
                    }
                    pending.removeAll(keepingCapacity: true)
                } else {
                    pending.append(byte)
                }
            }
            return true
        }
        if let failure {
            throw GitError(.protocolError, repository: location.display, command: arguments, message: "\(failure)")
        }
        return (after == nil ? nil : position, rest)
    }

    private func streamLog(
        _ arguments: [String], settings: [String], input: [UInt8], inputFile: Int32 = -1, _ parser: inout GitLogParser,
        _ body: (GitCommitRecord) throws -> Void
    ) throws {
        var failure: Error?
        try runner.stream(arguments, at: location, settings: settings, input: input, inputFile: inputFile) { chunk in
            do {
                try parser.consume(chunk, body)
                return true
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        try parser.finish(body)
    }

    /// Walks the listed commits in their order, a chunk at a time: first their metadata and the
    /// blobs each change needs (`--raw --no-renames`, which reads no blob), then which of those
    /// blobs are absent, then `--numstat` for the commits whose blobs are all here. A commit git
    /// still cannot diff is delivered with unknown changes and git's reason, and the rest of the
    /// chunk goes on.
    private func walkListed(
        _ commits: GitCommitList, _ options: GitHistoryOptions, _ settings: [String],
        _ report: inout GitHistoryWalkReport, _ deliver: (GitCommitRecord) throws -> Void
    ) throws {
        // First as one listed walk (a resumed walk of a whole repository is one git log, as fast
        // as the walk it resumes, reading the list from its file); where git stops, carefully from
        // the commit after the last one it delivered.
        var start = 0
        var last: GitObjectID?
        func listError(_ error: Error) -> GitError {
            GitError(.protocolError, repository: location.display, command: ["log", "--stdin"], message: "\(error)")
        }
        do {
            var parser = GitLogParser()
            do { try commits.rewind() } catch { throw listError(error) }
            try streamLog(
                logArguments(options, listed: true), settings: settings, input: [], inputFile: commits.descriptor, &parser
            ) { commit in
                try deliver(commit)
                last = commit.id
            }
            report.problems += parser.problems
            return
        } catch let error as GitError where options.lines {
            if let last {
                let position: Int?
                do { position = try commits.firstIndex(of: last) } catch { throw listError(error) }
                guard let position else { throw error }
                start = position + 1
            }
            if start >= commits.count { return }
        }
        let presence = try ObjectPresence(self)
        while start < commits.count {
            let end = min(commits.count, start + max(1, options.carefulChunk))
            let chunk: [GitObjectID]
            do { chunk = try commits.ids(start ..< end) } catch { throw listError(error) }
            start = end
            // 1. Metadata and the blobs each change needs.
            var looks: [GitCommitRecord] = []
            var parser = GitLogParser()
            let input = chunk.reduce(into: [UInt8]()) { $0 += $1.hexDigits + [0x0A] }
            try streamLog(
                logArguments(options, listed: true, lines: false), settings: settings, input: input, &parser
            ) { looks.append($0) }
            report.problems += parser.problems
            // 2. Which are absent.
            var needed: [GitObjectID] = []
            for commit in looks {
                for change in commit.changes where !change.isSubmodule {
                    if let id = change.oldBlob { needed.append(id) }
                    if let id = change.newBlob { needed.append(id) }
                }
            }
            let absent = try presence.absent(needed)
            var unknown: [GitObjectID: String] = [:]
            for commit in looks {
                let missing = commit.changes.lazy.filter { !$0.isSubmodule }.flatMap { [$0.oldBlob, $0.newBlob] }
                    .compactMap { $0 }.first { absent.contains($0) }
                if let missing {
                    let path = commit.changes.first { $0.oldBlob == missing || $0.newBlob == missing }?.path ?? []
                    unknown[commit.id] =
                        "blob \(missing) (\(String(decoding: path, as: UTF8.self))) is \(presence.isPartial ? "absent from this partial clone" : "missing from the object store")"
                }
            }
            // 3. Line counts for the rest; a commit git still cannot diff is unknown, named by git.
            var counted: [GitObjectID: GitCommitRecord] = [:]
            var todo = looks.filter { unknown[$0.id] == nil }.map(\.id)
            while !todo.isEmpty {
                var parser = GitLogParser()
                var done = 0
                let input = todo.reduce(into: [UInt8]()) { $0 += $1.hexDigits + [0x0A] }
                do {
                    try streamLog(logArguments(options, listed: true), settings: settings, input: input, &parser) {
                        counted[$0.id] = $0
                        done += 1
                    }
                    report.problems += parser.problems
                    todo = []
                } catch let error as GitError {
                    // The commit after the last complete one is the one git could not diff.
                    guard done < todo.count else { throw error }
                    let message = error.gitMessage.split(separator: "\n").last { $0.hasPrefix("fatal:") || $0.hasPrefix("error:") }
                        .map(String.init) ?? error.message
                    unknown[todo[done]] = "git could not diff it: " + message
                    todo.removeFirst(done + 1)
                }
            }
            for commit in looks {
                if let reason = unknown[commit.id] {
                    var record = commit
                    record.changes = []
                    record.unknownChanges = reason
                    try deliver(record)
                } else if let record = counted[commit.id] {
                    try deliver(record)
                } else {
                    var record = commit
                    record.changes = []
                    record.unknownChanges = "git gave no line counts for it"
                    try deliver(record)
                }
            }
        }
    }

    /// Which of `ids` are in the object store, asked without fetching (see ``ObjectPresence``).
    func presentObjects(_ ids: [GitObjectID]) throws -> Set<GitObjectID> {
        let presence = try ObjectPresence(self)
        return Set(ids).subtracting(try presence.absent(ids))
    }
}

/// Which objects a repository lacks, asked without fetching anything. In a complete repository,
/// `git cat-file --batch-check` says `missing`; in a partial clone it would stop instead (git 2.39
/// tries the promisor remote and dies when fetching is off), so there the present blobs are listed
/// once (`--batch-all-objects`, which never fetches) and looked up.
final class ObjectPresence {
    let repository: GitRepository
    let isPartial: Bool
    private var present: Set<GitObjectID>?

    init(_ repository: GitRepository) throws {
        self.repository = repository
        isPartial = try repository.isPartialClone()
    }

    func absent(_ ids: [GitObjectID]) throws -> Set<GitObjectID> {
        if ids.isEmpty { return [] }
        if isPartial {
            if present == nil {
                var found = Set<GitObjectID>()
                var pending: [UInt8] = []
                try repository.runner.stream(
                    ["cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(objecttype)"],
                    at: repository.location
                ) { chunk in
                    for byte in chunk {
                        if byte == 0x0A {
                            if pending.count > 5, pending.suffix(5).elementsEqual(" blob".utf8),
                                let id = GitObjectID(hex: pending.dropLast(5))
                            {
                                found.insert(id)
                            }
                            pending.removeAll(keepingCapacity: true)
                        } else {
                            pending.append(byte)
                        }
                    }
                    return true
                }
                present = found
            }
            return Set(ids.filter { !(present?.contains($0) ?? false) })
        }
        var request: [UInt8] = []
        for id in Set(ids) { request += id.hexDigits + [0x0A] }
        let output = try repository.runner.run(["cat-file", "--batch-check"], at: repository.location, input: request)
        var absent = Set<GitObjectID>()
        for line in output.output.split(separator: 0x0A) where line.hasSuffix(" missing".utf8) {
            if let id = GitObjectID(hex: line.dropLast(8)) { absent.insert(id) }
        }
        return absent
    }
}

extension ArraySlice where Element == UInt8 {
    fileprivate func hasSuffix(_ suffix: String.UTF8View) -> Bool {
        count >= suffix.count && self.suffix(suffix.count).elementsEqual(suffix)
    }
}

/// Parses `git log --numstat -z` (and `--raw`) with census's format, token by token
/// (NUL-terminated), across chunk boundaries.
struct GitLogParser {
    /// Each commit's header: `\u{1}` then eight NUL-terminated fields.
    static let format = "%x01%H%x00%P%x00%aN%x00%aE%x00%at %ai%x00%cN%x00%cE%x00%ct %ci%x00"

    private enum State {
        case header(Int)
        case entry
        case renameFrom
        case renameTo
        case rawPath
        case rawRenameFrom
        case rawRenameTo
    }

    /// A commit header's eight fields as they are read: the id, parents and dates parsed in place
    /// (no copy of their bytes), names and emails kept.
    private struct HeaderFields {
        var read = 0
        var id: GitObjectID?
        var parents: [GitObjectID] = []
        var parentsReadable = true
        var authorName: [UInt8] = []
        var authorEmail: [UInt8] = []
        var authored: GitTimestamp?
        var committerName: [UInt8] = []
        var committerEmail: [UInt8] = []
        var committed: GitTimestamp?
    }

    /// One `--raw` entry: `:oldmode newmode oldid newid status` and its path(s).
    private struct RawEntry {
        var oldMode: ArraySlice<UInt8> = []
        var newMode: ArraySlice<UInt8> = []
        var oldID: GitObjectID?
        var newID: GitObjectID?
        var path: [UInt8] = []
        var oldPath: [UInt8]?
    }

    private var state = State.entry
    private var token: [UInt8] = []
    private var current: GitCommitRecord?
    private var fields = HeaderFields()
    private var pending: GitFileChange?
    private var raw: [RawEntry] = []
    private var pendingRaw = RawEntry()
    /// What did not parse (the walk reports it; parsing goes on), the first 100.
    private(set) var problems: [String] = []

    /// The commit whose header was read and that was not delivered yet (git may have stopped in
    /// the middle of it).
    var pendingCommit: GitObjectID? { current?.id }

    mutating func consume(_ chunk: UnsafeRawBufferPointer, _ body: (GitCommitRecord) throws -> Void) throws {
        guard let base = chunk.baseAddress else { return }
        var start = 0
        while start < chunk.count {
            guard let found = memchr(base + start, 0, chunk.count - start) else {
                token.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start...]))
                return
            }
            let end = UnsafeRawPointer(found) - base
            token.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start ..< end]))
            try handle(body)
            token.removeAll(keepingCapacity: true)
            start = end + 1
        }
    }

    mutating func finish(_ body: (GitCommitRecord) throws -> Void) throws {
        if !token.isEmpty, !(token.count == 1 && token[0] == 0x0A) { try handle(body) }
        token.removeAll()
        if let commit = completed() { try body(commit) }
        current = nil
    }

    /// The current commit with its `--raw` blob ids joined to its `--numstat` entries (both list
    /// the same file pairs in the same order); raw entries alone become changes without counts.
    private mutating func completed() -> GitCommitRecord? {
        defer { raw.removeAll(keepingCapacity: true) }
        guard var commit = current else { return nil }
        if raw.isEmpty { return commit }
        func apply(_ entry: RawEntry, to change: inout GitFileChange) {
            change.oldBlob = entry.oldID
            change.newBlob = entry.newID
            change.isSubmodule = entry.oldMode.elementsEqual("160000".utf8) || entry.newMode.elementsEqual("160000".utf8)
            change.isSymlink = entry.oldMode.elementsEqual("120000".utf8) || entry.newMode.elementsEqual("120000".utf8)
        }
        if commit.changes.isEmpty {
            commit.changes = raw.map { entry in
                var change = GitFileChange(path: entry.path, oldPath: entry.oldPath, added: nil, removed: nil)
                apply(entry, to: &change)
                return change
            }
        } else {
            for index in commit.changes.indices {
                if index < raw.count, raw[index].path == commit.changes[index].path {
                    apply(raw[index], to: &commit.changes[index])
                } else if let entry = raw.first(where: { $0.path == commit.changes[index].path }) {
                    apply(entry, to: &commit.changes[index])
                }
            }
        }
        return commit
    }

    private mutating func handle(_ body: (GitCommitRecord) throws -> Void) throws {
        switch state {
        case .header(let index):
            header(index, token[...])
            if index == 7 {
                finishHeader()
                state = .entry
            } else {
                state = .header(index + 1)
            }
        case .entry:
            var slice = token[...]
            while slice.first == 0x0A { slice = slice.dropFirst() }
            if slice.isEmpty { return }
            if slice.first == 0x01 {
                if let commit = completed() { try body(commit) }
                current = nil
                fields = HeaderFields()
                header(0, slice.dropFirst())
                state = .header(1)
                return
            }
            if slice.first == UInt8(ascii: ":") {
                // `:100644 100644 <old id> <new id> M`, then the path (two for renames and copies).
                let parts = slice.dropFirst().split(separator: 0x20)
                guard parts.count == 5 else {
                    note("git log wrote an unreadable --raw line; it was left out")
                    state = .rawPath
                    pendingRaw = RawEntry()
                    return
                }
                pendingRaw = RawEntry(
                    oldMode: ArraySlice(parts[0]), newMode: ArraySlice(parts[1]), oldID: Self.blobID(parts[2]),
                    newID: Self.blobID(parts[3]))
                let status = parts[4].first
                state = status == UInt8(ascii: "R") || status == UInt8(ascii: "C") ? .rawRenameFrom : .rawPath
                return
            }
            // `added\tremoved\tpath`, or `added\tremoved\t` before a rename's two paths.
            let parts = slice.split(separator: 0x09, maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else {
                note("git log wrote an unreadable --numstat line; it was left out")
                return
            }
            let change = GitFileChange(
                path: Array(parts[2]), oldPath: nil, added: Self.number(parts[0]), removed: Self.number(parts[1]))
            if parts[2].isEmpty {
                pending = change
                state = .renameFrom
            } else {
                current?.changes.append(change)
            }
        case .renameFrom:
            pending?.oldPath = token
            state = .renameTo
        case .renameTo:
            if var change = pending {
                change.path = token
                current?.changes.append(change)
            }
            pending = nil
            state = .entry
        case .rawPath:
            pendingRaw.path = token
            if current != nil, !pendingRaw.newMode.isEmpty { raw.append(pendingRaw) }
            state = .entry
        case .rawRenameFrom:
            pendingRaw.oldPath = token
            state = .rawRenameTo
        case .rawRenameTo:
            pendingRaw.path = token
            if current != nil, !pendingRaw.newMode.isEmpty { raw.append(pendingRaw) }
            state = .entry
        }
    }

    /// A `--raw` object id; nil for git's all-zero id (the side that does not exist).
    static func blobID(_ hex: some Collection<UInt8>) -> GitObjectID? {
        if hex.allSatisfy({ $0 == UInt8(ascii: "0") }) { return nil }
        return GitObjectID(hex: hex)
    }

    /// Field `index` of a commit header (`format`): `%H`, `%P`, `%aN`, `%aE`, `%at %ai`, `%cN`, `%cE`, `%ct %ci`.
    private mutating func header(_ index: Int, _ bytes: ArraySlice<UInt8>) {
        fields.read += 1
        switch index {
        case 0: fields.id = GitObjectID(hex: bytes)
        case 1:
            // Space-separated ids, read in place (no array of parts); unreadable ones are left
            // out, as before (git writes none).
            var start = bytes.startIndex
            while start < bytes.endIndex {
                var end = start
                while end < bytes.endIndex, bytes[end] != 0x20 { end += 1 }
                if end > start, let parent = GitObjectID(hex: bytes[start..<end]) { fields.parents.append(parent) }
                start = end + 1
            }
        case 2: fields.authorName = Array(bytes)
        case 3: fields.authorEmail = Array(bytes)
        case 4: fields.authored = Self.timestamp(bytes)
        case 5: fields.committerName = Array(bytes)
        case 6: fields.committerEmail = Array(bytes)
        default: fields.committed = Self.timestamp(bytes)
        }
    }

    private mutating func finishHeader() {
        guard fields.read == 8, let id = fields.id else {
            note("git log wrote an unreadable commit header; that commit was left out")
            current = nil
            return
        }
        guard let authored = fields.authored, let committed = fields.committed else {
            note("commit \(id) has an unreadable or impossible date; it was left out")
            current = nil
            return
        }
        current = GitCommitRecord(
            id: id, parents: fields.parents,
            author: GitSignature(name: fields.authorName, email: fields.authorEmail, date: authored),
            committer: GitSignature(name: fields.committerName, email: fields.committerEmail, date: committed), changes: [])
    }

    private mutating func note(_ message: String) {
        if problems.count < 100 { problems.append(message) }
    }

    /// A `--numstat` count: digits, or `-` for a binary file (nil).
    static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), bytes.count < 19 else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    /// `%at %ai`: `1600000000 2020-09-13 14:26:40 +0200` → the instant and the offset in minutes.
    static func timestamp(_ bytes: [UInt8]) -> GitTimestamp? {
        timestamp(bytes[...])
    }

    static func timestamp(_ bytes: ArraySlice<UInt8>) -> GitTimestamp? {
        // The first and the last of the space-separated parts (runs of spaces count as one).
        var start = bytes.startIndex
        while start < bytes.endIndex, bytes[start] == 0x20 { start += 1 }
        guard let firstEnd = bytes[start...].firstIndex(of: 0x20) else { return nil }
        var end = bytes.endIndex
        while end > start, bytes[end - 1] == 0x20 { end -= 1 }
        var lastStart = end
        while lastStart > start, bytes[lastStart - 1] != 0x20 { lastStart -= 1 }
        guard lastStart > firstEnd else { return nil }
        let offsetText = bytes[lastStart ..< end]
        guard offsetText.count == 5 else { return nil }
        var seconds: Int64 = 0
        var digits = bytes[start ..< firstEnd]
        var negative = false
        if digits.first == UInt8(ascii: "-") {
            negative = true
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.count < 19, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        for d in digits { seconds = seconds * 10 + Int64(d - 0x30) }
        if negative { seconds = -seconds }
        let o = offsetText.startIndex
        guard offsetText[o] == UInt8(ascii: "+") || offsetText[o] == UInt8(ascii: "-"),
            offsetText[(o + 1)...].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        else {
            return nil
        }
        let minutes = Int(offsetText[o + 1] - 0x30) * 600 + Int(offsetText[o + 2] - 0x30) * 60
            + Int(offsetText[o + 3] - 0x30) * 10 + Int(offsetText[o + 4] - 0x30)
        return GitTimestamp(
            secondsSince1970: seconds, utcOffsetMinutes: offsetText[o] == UInt8(ascii: "-") ? -minutes : minutes)
    }
}
