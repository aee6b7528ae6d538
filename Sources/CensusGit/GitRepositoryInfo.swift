/// A moment as git records it: seconds since 1970 (UTC) and the committer's offset from UTC.
public struct GitTimestamp: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var secondsSince1970: Int64
    /// The offset the committer's clock had from UTC, in minutes (`+0530` is 330).
    public var utcOffsetMinutes: Int

    public init(secondsSince1970: Int64, utcOffsetMinutes: Int) {
        self.secondsSince1970 = secondsSince1970
        self.utcOffsetMinutes = utcOffsetMinutes
    }

    /// ISO 8601 in UTC: `2023-11-14T22:13:20Z`.
    public var utcISO8601: String { Self.format(secondsSince1970, offset: nil) }
    /// ISO 8601 in the committer's own offset: `2023-11-15T00:13:20+02:00`.
    public var originalISO8601: String { Self.format(secondsSince1970, offset: utcOffsetMinutes) }
    public var description: String { originalISO8601 }

    public static func < (a: GitTimestamp, b: GitTimestamp) -> Bool { a.secondsSince1970 < b.secondsSince1970 }

    static func format(_ seconds: Int64, offset: Int?) -> String {
        let local = seconds + Int64(offset ?? 0) * 60
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - days * 86_400
        // Howard Hinnant's civil-from-days, on the proleptic Gregorian calendar.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let time = two(secondOfDay / 3600) + ":" + two(secondOfDay / 60 % 60) + ":" + two(secondOfDay % 60)
        var text = "\(year)-\(two(month))-\(two(day))T" + time
        if let offset {
            let magnitude = Int64(abs(offset))
            text += (offset < 0 ? "-" : "+") + two(magnitude / 60) + ":" + two(magnitude % 60)
        } else {
            text += "Z"
        }
        return text
    }
}

/// A commit and when it was committed.
public struct GitCommitStamp: Sendable, Equatable {
    public var id: GitObjectID
    /// The committer date (not the author date: it says when the commit entered the history).
    public var committed: GitTimestamp

    public init(id: GitObjectID, committed: GitTimestamp) {
        self.id = id
        self.committed = committed
    }

    /// Reads the `committer` line of a raw commit object:
    /// `committer Name <email> 1700000000 +0200`.
    static func parse(_ id: GitObjectID, commit bytes: [UInt8]) -> GitCommitStamp? {
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if line.isEmpty { break }  // the header ends at the first blank line
            guard line.starts(with: "committer ".utf8), let close = line.lastIndex(of: UInt8(ascii: ">")) else {
                continue
            }
            let fields = line[(close + 1)...].split(separator: UInt8(ascii: " "))
            guard let secondsField = fields.first, let seconds = Int64(String(decoding: secondsField, as: UTF8.self))
            else { return nil }
            var offset = 0
            if fields.count > 1 {
                // git reads the zone as a signed decimal HHMM ("+0530"), however many digits it has.
                var zone = fields[1][...]
                let negative = zone.first == UInt8(ascii: "-")
                if zone.first == UInt8(ascii: "-") || zone.first == UInt8(ascii: "+") { zone = zone.dropFirst() }
                if let value = Int(String(decoding: zone, as: UTF8.self)), value < 10_000 {
                    offset = (value / 100 * 60 + value % 100) * (negative ? -1 : 1)
                }
            }
            return GitCommitStamp(id: id, committed: GitTimestamp(secondsSince1970: seconds, utcOffsetMinutes: offset))
        }
        return nil
    }
}

extension GitRepositoryInfo {
    /// Takes the exact count and root from `metadata`.
    public mutating func apply(_ metadata: GitHistoryMetadata) {
        commitCount = metadata.commitCount
        rootCommit = metadata.rootCommit
        rootCommitCount = metadata.rootCommitCount
        metadataSource = metadata.source
    }
}

/// What census records about a repository at the revision it scanned.
public struct GitRepositoryInfo: Sendable {
    /// The scanned commit.
    public var commit: GitCommitStamp
    /// The earliest-committed root (parentless) commit reachable from ``commit``; nil when it
    /// cannot be known (a shallow clone with no commits-only clone beside it).
    public var rootCommit: GitCommitStamp?
    /// How many root commits are reachable (several when histories were merged); nil when unknown.
    public var rootCommitCount: Int?
    /// Commits reachable from ``commit``; nil when unknown (a shallow clone alone cannot say).
    public var commitCount: Int?
    /// Where ``commitCount`` and ``rootCommit`` came from (``GitHistoryMetadata/source``); nil
    /// when unknown.
    public var metadataSource: String?
    /// Whether history is cut off (a `--depth` clone): counts and the root describe what is present.
    public var isShallow: Bool
    /// Whether objects may be absent by design (a `--filter` clone; see ``GitRepository/isPartialClone()``).
    public var isPartialClone: Bool
    /// The default branch's short name: `origin`'s `HEAD` when the repository has one (a clone),
    /// otherwise the branch `HEAD` points to (a bare mirror or the clone cache); `nil` if `HEAD`
    /// is detached.
    public var defaultBranch: String?
    /// `remote.origin.url` (or the only remote's URL), any password removed.
    public var remoteURL: String?
    /// ``remoteURL`` parsed into host, owner and name, when it is a URL census understands.
    public var remote: GitRemoteURL?
}

/// A repository's commit count and first commit at one commit: exact, whatever the history's
/// length (docs/git.md, "Metadata decisions").
public struct GitHistoryMetadata: Sendable, Equatable {
    public var commit: GitObjectID
    public var commitCount: Int
    /// The earliest-committed root commit reachable from ``commit``.
    public var rootCommit: GitCommitStamp
    public var rootCommitCount: Int
    /// `commit-graph` (git answered from the repository's commit-graph), `rev-list` (from the
    /// commit objects), or what gave it otherwise (`store`, `history walk`, `commits-only clone`).
    public var source: String

    public init(commit: GitObjectID, commitCount: Int, rootCommit: GitCommitStamp, rootCommitCount: Int, source: String) {
        self.commit = commit
        self.commitCount = commitCount
        self.rootCommit = rootCommit
        self.rootCommitCount = rootCommitCount
        self.source = source
    }
}

extension GitRepositoryInfo {
    /// Commits from which a walk without a commit-graph is worth a word: about 0.15 s of git's
    /// time (it inflates and parses each commit object, about 7 µs each; `rev-list --parents`
    /// reading a commit-graph instead, about 1 µs).
    public static let commitGraphAdviceThreshold = 20_000

    /// Advice for a repository whose commits git counted by reading every commit object (it has
    /// no commit-graph) when there were at least `minimumCommits` of them: the command that writes
    /// one, which census does not run itself in a repository it does not own. Nil otherwise
    /// (a commit-graph was used, the figures came from the store or a commits-only clone, or the
    /// history is short).
    public func commitGraphAdvice(location: String, minimumCommits: Int = commitGraphAdviceThreshold) -> String? {
        guard metadataSource == "rev-list", let commitCount, commitCount >= minimumCommits else { return nil }
        return "git read all \(commitCount) commit objects to count them, as the repository has no commit-graph; "
            + "`git -C \(location) commit-graph write --reachable` (what `git gc` does by default) makes that "
            + "about 5 times faster for later scans"
    }
}

extension GitRepository {
    /// The scanned commit and its date, the root commit and its date, the commit count, whether
    /// history is shallow, the default branch and the remote.
    ///
    /// In a shallow repository the count and the root are unknown (nil) unless `metadata` is given:
    /// a repository holding every commit of the same history (the clone cache's commits-only
    /// clone), asked instead.
    ///
    /// - Throws: ``GitError`` as ``resolveCommit(_:)`` does, or when git cannot read the history.
    public func info(revision: String = "HEAD", metadata: GitRepository? = nil) throws -> GitRepositoryInfo {
        var info = try commitInfo(revision: revision)
        if let found = try historyMetadata(for: info, from: metadata) { info.apply(found) }
        return info
    }

    /// ``info(revision:metadata:)`` without the commit count and the root commit (the part that
    /// walks the history): everything else, cheaply.
    public func commitInfo(revision: String = "HEAD") throws -> GitRepositoryInfo {
        let id = try resolveCommit(revision)
        let reader = makeBlobReader()
        let commit = try commitStamp(id, reader: reader)
        let remoteURL = try self.remoteURL().map(GitRemoteURL.redacted)
        return GitRepositoryInfo(
            commit: commit, rootCommit: nil, rootCommitCount: nil, commitCount: nil, metadataSource: nil,
            isShallow: try isShallow(), isPartialClone: try isPartialClone(),
            defaultBranch: try defaultBranch(), remoteURL: remoteURL,
            remote: remoteURL.flatMap { try? GitRemoteURL(parsing: $0) })
    }

    /// The exact count and root for `info`'s commit: from this repository unless it is shallow,
    /// else from `metadata` when that holds the commit; nil when neither can say.
    public func historyMetadata(for info: GitRepositoryInfo, from metadata: GitRepository?) throws -> GitHistoryMetadata? {
        if !info.isShallow { return try historyMetadata(commit: info.commit.id) }
        guard let metadata, try !metadata.isShallow(),
            (try? metadata.resolveCommit(info.commit.id.description)) != nil
        else { return nil }
        var found = try metadata.historyMetadata(commit: info.commit.id)
        found.source = "commits-only clone (" + found.source + ")"
        return found
    }

    /// The commit count and the earliest root commit reachable from `commit`, from one walk:
    /// `git rev-list --parents` (each commit with its parents, so roots are the lines with one
    /// id), counted as it streams. git reads the commit-graph instead of the commits when the
    /// repository has one.
    ///
    /// - Complexity: O(commits) in git (parsing every commit object, about 6 µs each, or reading
    ///   the commit-graph, about 0.6 µs each) and O(commits) bytes streamed (about 45 per commit).
    public func historyMetadata(commit id: GitObjectID) throws -> GitHistoryMetadata {
        let command = ["rev-list", "--parents", id.description]
        var count = 0
        var roots: [GitObjectID] = []
        var line: [UInt8] = []
        line.reserveCapacity(128)
        try runner.stream(command, at: location) { chunk in
            var start = 0
            while start < chunk.count {
                guard let newline = chunk[start...].firstIndex(of: 0x0A) else {
                    line.append(contentsOf: chunk[start...])
                    break
                }
                if line.isEmpty {
                    // The whole line is in this chunk: no copy unless it is a root.
                    if newline - start <= 64, let root = GitObjectID(hex: chunk[start ..< newline]) { roots.append(root) }
                } else {
                    line.append(contentsOf: chunk[start ..< newline])
                    if line.count <= 64, let root = GitObjectID(hex: line) { roots.append(root) }
                    line.removeAll(keepingCapacity: true)
                }
                count += 1
                start = newline + 1
            }
            return true
        }
        let reader = makeBlobReader()
        var root: GitCommitStamp? = nil
        for rootID in roots {
            let stamp = try commitStamp(rootID, reader: reader)
            if let earliest = root, earliest.committed <= stamp.committed { continue }
            root = stamp
        }
        guard let root, count > 0 else {
            throw GitError(
                .protocolError, repository: displayName, command: command,
                message: "git found no root commit or no commit for \(id)")
        }
        return GitHistoryMetadata(
            commit: id, commitCount: count, rootCommit: root, rootCommitCount: roots.count,
            source: hasCommitGraph() ? "commit-graph" : "rev-list")
    }

    /// Whether the object store has a commit-graph (`objects/info/commit-graph`, or a chain in
    /// `objects/info/commit-graphs/`), which git reads instead of parsing every commit.
    public func hasCommitGraph() -> Bool {
        FileSystem.exists(gitDirectory + "/objects/info/commit-graph")
            || FileSystem.exists(gitDirectory + "/objects/info/commit-graphs/commit-graph-chain")
    }

    /// A commit's id and committer date, read from the commit object.
    public func commitStamp(_ id: GitObjectID, reader: GitBlobReader) throws -> GitCommitStamp {
        switch try reader.read(id, limit: 1 << 20) {
        case .missing(let error), .unreadable(let error):
            throw error
        case .found(let contents):
            guard contents.kind == .commit, let stamp = GitCommitStamp.parse(id, commit: contents.bytes) else {
                throw GitError(
                    .protocolError, repository: displayName, command: reader.command,
                    message: "object \(id) is a \(contents.kind), or a commit without a readable committer line")
            }
            return stamp
        }
    }

    /// `origin`'s `HEAD` if set (and its branch exists), else the branch `HEAD` points to.
    public func defaultBranch() throws -> String? {
        if let remote = try symbolicTarget("refs/remotes/origin/HEAD"), remote.hasPrefix("refs/remotes/origin/"),
            try runner.run(["rev-parse", "--verify", "-q", remote], at: location, accepting: [0, 1]).exitCode == 0
        {
            return String(remote.dropFirst("refs/remotes/origin/".count))
        }
        if let head = try symbolicTarget("HEAD"), head.hasPrefix("refs/heads/") {
            return String(head.dropFirst("refs/heads/".count))
        }
        return nil
    }

    /// `remote.origin.url`, or the URL of the only remote; `nil` if there is none.
    public func remoteURL() throws -> String? {
        let output = try runner.run(
            ["config", "-z", "--get-regexp", #"^remote\..*\.url$"#], at: location, accepting: [0, 1])
        var urls: [(name: String, url: String)] = []
        for record in output.output.split(separator: 0) {
            guard let newline = record.firstIndex(of: UInt8(ascii: "\n")) else { continue }
            urls.append(
                (
                    String(decoding: record[..<newline], as: UTF8.self),
                    String(decoding: record[(newline + 1)...], as: UTF8.self)
                ))
        }
        if let origin = urls.first(where: { $0.name == "remote.origin.url" }) { return origin.url }
        return urls.count == 1 ? urls[0].url : nil
    }
}
