import CensusGit
import CensusHistory
import CensusLanguages
import CensusPeople
import CensusProgress
import CensusStore

/// What one history walk did.
public struct HistoryRunResult: Sendable {
    public var spec: ScanTargetSpec
    public var key: String
    /// Commits walked and stored by this run (only the new ones on a rerun).
    public var newCommits: Int
    public var botCommits: Int
    public var unknownCompanyCommits: Int
    /// The history is cut off (a shallow clone): it stops at the cut, said in the summary.
    public var isShallow: Bool
    public var tip: String
    /// Commits git could not describe (an impossible date, say): left out, named here.
    public var problems: [String] = []
    /// Of the new commits, those whose line changes are unknown (a missing or absent blob, or
    /// `--no-lines`): stored with their metadata, left out of line answers.
    public var unknownChangeCommits = 0
    /// The first of them, each with why (at most ``HistoryRunner/namedLimit``).
    public var unknownChanges: [(commit: String, reason: String)] = []
    /// Of ``unknownChangeCommits``, those whose objects are missing from a repository that should
    /// have them (damage, not a partial clone's absent blobs): the run reports them as errors.
    public var damagedCommits = 0
    /// Commits an interrupted earlier run had stored, not walked again (0 when not resumed).
    public var resumedAfter = 0
    /// Whether the walk counted lines.
    public var countsLines = true
    /// The walk stopped at ``HistoryRunner/maxCommits``: stored as partial, a rerun goes on.
    public var stoppedEarly = false
}

/// Stops a walk at ``HistoryRunner/maxCommits``.
private struct WalkBudgetReached: Error {}

/// Walks repositories' histories into the store, incrementally: per commit its signatures, the
/// company its author is attributed to, whether it is a bot's, and per language and category
/// the lines added and removed (docs/history.md).
public struct HistoryRunner: Sendable {
    public var revision = "HEAD"
    public var since: String?
    public var until: String?
    public var firstParent = false
    public var mailmapFile: String?
    public var affiliations: AffiliationDatabase?
    public var bots = BotClassifier.standard
    public var cache: GitCache?
    /// Commits per transaction.
    public var batchSize = 2000
    /// Count lines (false: `--no-lines`, attribution only: commits, authors, companies, dates; no
    /// trees or blobs are read, so a blobless or treeless partial clone is enough).
    public var countLines = true
    /// How a URL is cloned for history (`.full`, or a partial clone for attribution-only runs).
    public var cloneHistory: GitCache.History = .full
    /// Store at most this many commits per repository in one run, then stop (the walk is partial;
    /// the next run resumes after them, without walking them again). nil: no limit.
    public var maxCommits: Int?
    /// Commits classified together (their blobs read from git in one request).
    static let classificationGroup = 128
    /// Unknown-change commits named in a result.
    public static let namedLimit = 20
    /// Commits walked so far (one added per commit), for a status line; nil: nobody watches.
    public var progress: ProgressCounter?

    public init() {}

    /// Walks one target into `store`; failures are returned with the reason.
    public func run(_ spec: ScanTargetSpec, into store: any HistoryStore) -> Result<HistoryRunResult, RepositoryScanFailure> {
        do {
            return .success(try runOrThrow(spec, store))
        } catch let error as GitError {
            return .failure(RepositoryScanFailure(spec: spec, message: RepositoryScanner.describe(error)))
        } catch let error as RepositoryScanFailure {
            return .failure(error)
        } catch {
            return .failure(RepositoryScanFailure(spec: spec, message: "\(error)"))
        }
    }

    private func repository(_ spec: ScanTargetSpec) throws -> GitRepository {
        if RepositoryScanner.isURL(spec.location) {
            guard let cache else {
                throw RepositoryScanFailure(spec: spec, message: "a URL needs the clone cache (no cache directory is set)")
            }
            return try cache.repository(for: spec.location, history: cloneHistory)
        }
        guard let (top, _) = RepositoryScanner.repositoryTop(of: spec.location) else {
            throw RepositoryScanFailure(spec: spec, message: "not a git repository")
        }
        return try GitRepository(path: top)
    }

    private func runOrThrow(_ spec: ScanTargetSpec, _ store: any HistoryStore) throws -> HistoryRunResult {
        let repository = try repository(spec)
        let remote = try repository.remoteURL().flatMap { try? GitRemoteURL(parsing: $0) }
            ?? (RepositoryScanner.isURL(spec.location) ? try? GitRemoteURL(parsing: spec.location) : nil)
        let key = remote.map(RepositoryScanner.key) ?? repository.resolvedPath
        let tip = try repository.resolveCommit(revision)
        var options = GitHistoryOptions()
        options.revision = tip.description
        options.since = since
        options.until = until
        options.firstParent = firstParent
        options.mailmapFile = mailmapFile
        options.lines = countLines
        // Languages and categories are decided by content, as the scan decides them.
        options.blobIDs = countLines
        let previous = try store.historyWalk(repositoryKey: key)
        let state = try store.walkState(repositoryKey: key)
        var base = ""
        // An earlier walk that counted no lines cannot be the base of one that does: walk whole.
        let baseHasLines = state?.countsLines ?? true
        if let previous, previous.firstParent == firstParent, let id = GitObjectID(previous.tip), baseHasLines || !countLines {
            // Only what is new since the last walk (a rewritten history is walked whole again).
            if (try? repository.resolveCommit(previous.tip)) != nil {
                options.excluding = [id]
                base = previous.tip
            }
        }
        var stored = 0
        var unknownStored = 0
        // An interrupted walk of the same tip, from the same base, goes on where it stopped.
        if let state, state.status == .partial, state.target == tip.description, state.base == base,
            state.countsLines == countLines, state.firstParent == firstParent, since == nil, until == nil,
            let after = GitObjectID(state.resumeAfter)
        {
            options.resumeAfter = after
            stored = state.commits
            unknownStored = state.unknownChangeCommits
        }
        var result = HistoryRunResult(
            spec: spec, key: key, newCommits: 0, botCommits: 0, unknownCompanyCommits: 0, isShallow: try repository.isShallow(),
            tip: tip.description)
        result.countsLines = countLines
        let isPartialClone = try repository.isPartialClone()
        func walkState(_ status: StoredWalkState.Status, _ reason: String, after: String) -> StoredWalkState {
            StoredWalkState(
                repositoryKey: key, status: status, reason: reason, target: tip.description, base: base,
                resumeAfter: after, countsLines: countLines, firstParent: firstParent, commits: stored,
                unknownChangeCommits: unknownStored, updatedAt: ScanStorage.now())
        }
        let interrupted = "interrupted: the walk did not finish (run census history again to resume it)"
        var lastStored = options.resumeAfter?.description ?? ""
        try store.saveWalkState(walkState(.partial, interrupted, after: lastStored))

        let classifier = HistoryClassifier(reader: countLines ? repository.makeBlobReader() : nil)
        let identities = IdentityCache()
        var batch: [StoredCommit] = []
        batch.reserveCapacity(batchSize)
        // Batches are stored on a thread of their own while the walk goes on (HistorySaver).
        let saver = HistorySaver(store: store, repositoryKey: key)
        // The whole history walked in one go gives the commit count and the first commit exactly.
        let wholeHistory = options.excluding.isEmpty && options.resumeAfter == nil && since == nil && until == nil
            && !firstParent && !result.isShallow
        var root: GitCommitRecord?
        var roots = 0
        func flush(_ walk: StoredHistoryWalk?, _ status: StoredWalkState.Status, _ reason: String) throws {
            if let last = batch.last { lastStored = last.commit }
            stored += batch.count
            unknownStored += batch.lazy.filter { $0.unknownChanges != nil }.count
            try saver.save(batch, walk: walk, state: walkState(status, reason, after: lastStored))
            batch = []
            batch.reserveCapacity(batchSize)
        }
        func process(_ commit: GitCommitRecord) throws {
            var record = storedCommit(classifier.summarize(commit), identities)
            if !countLines {
                record.unknownChanges = StoredCommit.notCounted
            } else if let reason = commit.unknownChanges {
                record.unknownChanges = reason
                result.unknownChangeCommits += 1
                if !isPartialClone { result.damagedCommits += 1 }
                if result.unknownChanges.count < Self.namedLimit {
                    result.unknownChanges.append((commit.id.description, reason))
                }
            }
            if wholeHistory, commit.parents.isEmpty {
                roots += 1
                if let earliest = root, earliest.committer.date <= commit.committer.date {
                    // an earlier (or equal) root is kept
                } else {
                    root = commit
                }
            }
            result.newCommits += 1
            progress?.add()
            if record.isBot { result.botCommits += 1 }
            if record.company == Company.unknown.name { result.unknownCompanyCommits += 1 }
            batch.append(record)
            if let maxCommits, result.newCommits >= maxCommits {
                try flush(nil, .partial, "stopped after \(maxCommits) commits (--max-commits): run census history again to go on")
                throw WalkBudgetReached()
            }
            if batch.count >= batchSize { try flush(nil, .partial, interrupted) }
        }
        // Commits are classified a group at a time: the blobs a group needs are read from git in
        // one request (HistoryClassifier.prefetch).
        var pending: [GitCommitRecord] = []
        pending.reserveCapacity(Self.classificationGroup)
        func drain() throws {
            classifier.prefetch(pending)
            defer { pending.removeAll(keepingCapacity: true) }
            for commit in pending { try process(commit) }
        }
        let report: GitHistoryWalkReport
        do {
            report = try repository.walkHistory(options) { commit in
                pending.append(commit)
                if pending.count >= Self.classificationGroup { try drain() }
            }
            try drain()
        } catch is WalkBudgetReached {
            try saver.finish()
            result.stoppedEarly = true
            return result
        } catch {
            // What was walked stays, recorded as partial with the reason; a rerun resumes it.
            let reason: String
            if let error = error as? GitError {
                reason = "git failed: " + RepositoryScanner.describe(error)
            } else {
                reason = "\(error)"
            }
            do { try drain() } catch {}
            try? flush(nil, .partial, reason)
            try? saver.finish()
            throw error
        }
        result.problems = report.problems
        result.resumedAfter = report.skipped
        if !countLines { result.unknownChangeCommits = result.newCommits }
        // The tip moves only with the last batch: an interrupted walk is resumed, never half-remembered.
        let walk = StoredHistoryWalk(
            repositoryKey: key, revision: revision, tip: tip.description, firstParent: firstParent,
            isShallow: result.isShallow, walkedAt: ScanStorage.now())
        try flush(walk, .complete, "")
        try saver.finish()
        if wholeHistory, report.problems.isEmpty, let root {
            try? store.saveGitMetadata(
                StoredGitMetadata(
                    repositoryKey: key, commit: tip.description, commitCount: result.newCommits,
                    rootCommit: root.id.description, rootCommitTime: root.committer.date.secondsSince1970,
                    rootCommitOffset: root.committer.date.utcOffsetMinutes, rootCount: roots, source: "history walk"))
        }
        return result
    }

    func storedCommit(_ summary: CommitLanguageChanges, _ identities: IdentityCache = IdentityCache()) -> StoredCommit {
        // Authors and committers recur across a history: each identity's strings, domain and bot
        // decision are made once (IdentityCache); only the company depends on the commit's date.
        let author = identities.identity(summary.author, bots)
        let committer = identities.identity(summary.committer, bots)
        let email = author.email
        let name = author.name
        let company: Company
        if let affiliations {
            company = affiliations.company(email: email, date: Day(unixTime: summary.author.date.secondsSince1970)).company
        } else {
            company = Company.unknown
        }
        var stored = StoredCommit(
            commit: summary.id.description, authorName: name, authorEmail: author.lowercasedEmail,
            authorTime: summary.author.date.secondsSince1970, authorOffset: summary.author.date.utcOffsetMinutes,
            committerName: committer.name, committerEmail: committer.lowercasedEmail,
            committerTime: summary.committer.date.secondsSince1970, committerOffset: summary.committer.date.utcOffsetMinutes,
            parentCount: summary.parentCount, company: company.name, emailDomain: author.domain, isBot: author.isBot,
            changes: summary.rows.map { row in
                StoredCommitChange(
                    language: row.language.map { LanguageTable[$0].name } ?? "",
                    category: StoredFileCategory(rawValue: row.category.rawValue) ?? .own, added: row.added,
                    removed: row.removed, files: row.files, binaryFiles: row.binaryFiles)
            })
        stored.moves = summary.moves.map { move in
            StoredCommitMove(
                language: move.language.map { LanguageTable[$0].name } ?? "",
                category: StoredFileCategory(rawValue: move.category.rawValue) ?? .own, lines: move.lines)
        }
        return stored
    }
}

/// A signature's name and email as stored, decided once per (name, email) as git wrote them:
/// authors and committers recur across a history, so a walk of 500,000 commits by a few thousand
/// people decodes, lowercases and asks the bot patterns a few thousand times, not a million.
final class IdentityCache {
    struct Identity {
        var name: String
        /// As git wrote it (after `.mailmap`): what affiliations are looked up by.
        var email: String
        var lowercasedEmail: String
        /// The lowercased part after the last `@`; empty when the email has none.
        var domain: String
        var isBot: Bool
    }

    private struct Key: Hashable {
        var name: [UInt8]
        var email: [UInt8]

        /// The bytes at once (an array of bytes hashes each element on its own).
        func hash(into hasher: inout Hasher) {
            name.withUnsafeBytes { hasher.combine(bytes: $0) }
            hasher.combine(name.count)
            email.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    private var known: [Key: Identity] = [:]
    /// Identities kept; past it the cache starts over (memory stays bounded on any history).
    let limit: Int

    init(limit: Int = 100_000) {
        self.limit = limit
    }

    func identity(_ signature: GitSignature, _ bots: BotClassifier) -> Identity {
        let key = Key(name: signature.name, email: signature.email)
        if let found = known[key] { return found }
        let name = String(decoding: signature.name, as: UTF8.self)
        let email = String(decoding: signature.email, as: UTF8.self)
        let domain = email.contains("@") ? (email.split(separator: "@").last.map { $0.lowercased() } ?? "") : ""
        let identity = Identity(
            name: name, email: email, lowercasedEmail: email.lowercased(), domain: domain,
            isBot: bots.isBot(name: name, email: email))
        if known.count >= limit { known.removeAll(keepingCapacity: true) }
        known[key] = identity
        return identity
    }
}
