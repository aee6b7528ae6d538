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

/// One file a commit changed, as `git log --numstat` reports it.
public struct GitFileChange: Sendable, Equatable {
    /// The path after the change (the new path of a rename).
    public var path: [UInt8]
    /// The path before a rename or copy; nil otherwise.
    public var oldPath: [UInt8]?
    /// Lines added and removed; nil for a binary file.
    public var added: Int?
    public var removed: Int?

    public var isBinary: Bool { added == nil }

    public init(path: [UInt8], oldPath: [UInt8]?, added: Int?, removed: Int?) {
        self.path = path
        self.oldPath = oldPath
        self.added = added
        self.removed = removed
    }
}

/// A commit as a history walk delivers it.
public struct GitCommitRecord: Sendable, Equatable {
    public var id: GitObjectID
    public var parents: [GitObjectID]
    public var author: GitSignature
    public var committer: GitSignature
    /// Empty for merges (their changes are counted once, in the commits that made them) unless
    /// the walk follows first parents, where a merge shows what it brought to the branch.
    public var changes: [GitFileChange]

    public init(
        id: GitObjectID, parents: [GitObjectID], author: GitSignature, committer: GitSignature, changes: [GitFileChange]
    ) {
        self.id = id
        self.parents = parents
        self.author = author
        self.committer = committer
        self.changes = changes
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
    /// - Returns: what could not be read (a commit with an unreadable or impossible date is left
    ///   out and named here); the rest of the history was walked.
    /// - Throws: ``GitError`` when git fails (an unknown revision, a corrupt object); what `body`
    ///   throws stops the walk and is rethrown.
    @discardableResult
    public func walkHistory(_ options: GitHistoryOptions, _ body: (GitCommitRecord) throws -> Void) throws -> [String] {
        _ = try resolveCommit(options.revision)
        var arguments = [
            "log", "--numstat", "-z", "--no-color", "--no-ext-diff", "--no-textconv", "--use-mailmap",
            "--format=%x01%H%x00%P%x00%aN%x00%aE%x00%at %ai%x00%cN%x00%cE%x00%ct %ci%x00",
        ]
        if options.firstParent { arguments += ["--first-parent", "-m"] }
        if let since = options.since { arguments.append("--since=" + since) }
        if let until = options.until { arguments.append("--until=" + until) }
        arguments.append(options.revision)
        arguments += options.excluding.map { "^" + $0.description }
        arguments.append("--")
        var settings = ["mailmap.blob=" + options.revision + ":.mailmap"]
        settings.append("mailmap.file=" + (options.mailmapFile ?? "/dev/null"))
        var parser = GitLogParser()
        var failure: Error?
        try runner.stream(arguments, at: location, settings: settings) { chunk in
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
        return parser.problems
    }
}

/// Parses `git log --numstat -z` with census's format, token by token (NUL-terminated), across
/// chunk boundaries.
struct GitLogParser {
    private enum State {
        case header(Int)
        case entry
        case renameFrom
        case renameTo
    }

    private var state = State.entry
    private var token: [UInt8] = []
    private var current: GitCommitRecord?
    private var fields: [[UInt8]] = []
    private var pending: GitFileChange?
    /// What did not parse (the walk reports it; parsing goes on), the first 100.
    private(set) var problems: [String] = []

    mutating func consume(_ chunk: UnsafeRawBufferPointer, _ body: (GitCommitRecord) throws -> Void) throws {
        var start = 0
        while start < chunk.count {
            guard let end = chunk[start...].firstIndex(of: 0) else {
                token.append(contentsOf: chunk[start...])
                return
            }
            token.append(contentsOf: chunk[start ..< end])
            try handle(body)
            token.removeAll(keepingCapacity: true)
            start = end + 1
        }
    }

    mutating func finish(_ body: (GitCommitRecord) throws -> Void) throws {
        if !token.isEmpty, !(token.count == 1 && token[0] == 0x0A) { try handle(body) }
        token.removeAll()
        if let commit = current { try body(commit) }
        current = nil
    }

    private mutating func handle(_ body: (GitCommitRecord) throws -> Void) throws {
        switch state {
        case .header(let index):
            fields.append(token)
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
                if let commit = current { try body(commit) }
                current = nil
                fields.removeAll(keepingCapacity: true)
                fields.append(Array(slice.dropFirst()))
                state = .header(1)
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
        }
    }

    private mutating func finishHeader() {
        guard fields.count == 8, let id = GitObjectID(hex: fields[0]) else {
            note("git log wrote an unreadable commit header; that commit was left out")
            current = nil
            return
        }
        let parents = fields[1].split(separator: 0x20).compactMap { GitObjectID(hex: $0) }
        guard let authored = Self.timestamp(fields[4]), let committed = Self.timestamp(fields[7]) else {
            note("commit \(id) has an unreadable or impossible date; it was left out")
            current = nil
            return
        }
        current = GitCommitRecord(
            id: id, parents: parents, author: GitSignature(name: fields[2], email: fields[3], date: authored),
            committer: GitSignature(name: fields[5], email: fields[6], date: committed), changes: [])
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
        let parts = bytes.split(separator: 0x20)
        guard parts.count >= 2, let offsetText = parts.last, offsetText.count == 5 else { return nil }
        var seconds: Int64 = 0
        var digits = parts[0][...]
        var negative = false
        if digits.first == UInt8(ascii: "-") {
            negative = true
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.count < 19, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        for d in digits { seconds = seconds * 10 + Int64(d - 0x30) }
        if negative { seconds = -seconds }
        let o = Array(offsetText)
        guard o[0] == UInt8(ascii: "+") || o[0] == UInt8(ascii: "-"), o[1...].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return nil
        }
        let minutes = Int(o[1] - 0x30) * 600 + Int(o[2] - 0x30) * 60 + Int(o[3] - 0x30) * 10 + Int(o[4] - 0x30)
        return GitTimestamp(secondsSince1970: seconds, utcOffsetMinutes: o[0] == UInt8(ascii: "-") ? -minutes : minutes)
    }
}
