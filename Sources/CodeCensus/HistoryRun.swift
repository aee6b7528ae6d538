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
}

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
            return try cache.repository(for: spec.location, history: .full)
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
        let previous = try store.historyWalk(repositoryKey: key)
        if let previous, previous.firstParent == firstParent, let id = GitObjectID(previous.tip) {
            // Only what is new since the last walk (a rewritten history is walked whole again).
            if (try? repository.resolveCommit(previous.tip)) != nil { options.excluding = [id] }
        }
        let classifier = HistoryClassifier()
        var batch: [StoredCommit] = []
        batch.reserveCapacity(batchSize)
        var result = HistoryRunResult(
            spec: spec, key: key, newCommits: 0, botCommits: 0, unknownCompanyCommits: 0, isShallow: try repository.isShallow(),
            tip: tip.description)
        result.problems = try repository.walkHistory(options) { commit in
            let stored = storedCommit(classifier.summarize(commit))
            result.newCommits += 1
            progress?.add()
            if stored.isBot { result.botCommits += 1 }
            if stored.company == Company.unknown.name { result.unknownCompanyCommits += 1 }
            batch.append(stored)
            if batch.count >= batchSize {
                try store.saveHistory(repositoryKey: key, commits: batch, walk: nil)
                batch.removeAll(keepingCapacity: true)
            }
        }
        // The tip moves only with the last batch: an interrupted walk is redone, never half-remembered.
        let walk = StoredHistoryWalk(
            repositoryKey: key, revision: revision, tip: tip.description, firstParent: firstParent,
            isShallow: result.isShallow, walkedAt: ScanStorage.now())
        try store.saveHistory(repositoryKey: key, commits: batch, walk: walk)
        return result
    }

    func storedCommit(_ summary: CommitLanguageChanges) -> StoredCommit {
        let email = String(decoding: summary.author.email, as: UTF8.self)
        let name = String(decoding: summary.author.name, as: UTF8.self)
        let day = Day(unixTime: summary.author.date.secondsSince1970)
        let company = affiliations?.company(email: email, date: day).company ?? Company.unknown
        let domain = email.split(separator: "@").last.map { $0.lowercased() } ?? ""
        return StoredCommit(
            commit: summary.id.description, authorName: name, authorEmail: email.lowercased(),
            authorTime: summary.author.date.secondsSince1970, authorOffset: summary.author.date.utcOffsetMinutes,
            committerName: String(decoding: summary.committer.name, as: UTF8.self),
            committerEmail: String(decoding: summary.committer.email, as: UTF8.self).lowercased(),
            committerTime: summary.committer.date.secondsSince1970, committerOffset: summary.committer.date.utcOffsetMinutes,
            parentCount: summary.parentCount, company: company.name, emailDomain: email.contains("@") ? domain : "",
            isBot: bots.isBot(name: name, email: email),
            changes: summary.rows.map { row in
                StoredCommitChange(
                    language: row.language.map { LanguageTable[$0].name } ?? "",
                    category: StoredFileCategory(rawValue: row.category.rawValue) ?? .own, added: row.added,
                    removed: row.removed, files: row.files, binaryFiles: row.binaryFiles)
            })
    }
}
