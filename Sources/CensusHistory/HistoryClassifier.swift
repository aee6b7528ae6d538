import CensusGit
import CensusLanguages

/// What a history walk records of one commit: who and when, and per language and category the
/// lines added and removed and the files touched.
public struct CommitLanguageChanges: Sendable, Equatable {
    public struct Row: Sendable, Equatable, Hashable {
        /// nil for files no strategy recognises from their path.
        public var language: LanguageID?
        public var category: FileCategory
        public var added = 0
        public var removed = 0
        /// Files changed (binary ones included).
        public var files = 0
        /// Binary files changed (their lines are not counted).
        public var binaryFiles = 0
    }

    public var id: GitObjectID
    public var parentCount: Int
    public var author: GitSignature
    public var committer: GitSignature
    /// One row per (language, category) the commit touched, ordered by language then category.
    public var rows: [Row]
}

/// Decides a changed path's language and category from the path alone, as the scan would for a
/// file with that name: filename, extension and the documented defaults (no content: history
/// diffs do not carry it), and Linguist's vendored, documentation and generated path rules.
///
/// Paths recur across commits, so decisions are cached (up to `cacheLimit` distinct paths, then
/// the cache starts over: memory stays bounded on any history).
public final class HistoryClassifier {
    let engine: LinguistEngine
    let detector = LanguageDetector()
    private var cache: [[UInt8]: (LanguageID?, FileCategory)] = [:]
    public let cacheLimit: Int

    public init(engine: LinguistEngine = .shared, cacheLimit: Int = 500_000) {
        self.engine = engine
        self.cacheLimit = cacheLimit
    }

    /// The language (nil when unknown) and category of a repository-relative path.
    public func classify(_ path: [UInt8]) -> (language: LanguageID?, category: FileCategory) {
        if let known = cache[path] { return known }
        let decided = decide(path)
        if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[path] = decided
        return decided
    }

    private func decide(_ path: [UInt8]) -> (LanguageID?, FileCategory) {
        let nameStart = (path.lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 }) ?? 0
        let language: LanguageID? = path[nameStart...].withContiguousStorageIfAvailable { name in
            detector.detect(fileName: name, prefix: UnsafeRawBufferPointer(start: nil, count: 0))?.language
        } ?? nil
        let category = path.withUnsafeBytes { engine.pathCategory($0) }
        return (language, category)
    }

    /// A commit's changes summed per language and category.
    public func summarize(_ commit: GitCommitRecord) -> CommitLanguageChanges {
        var rows: [CommitLanguageChanges.Row] = []
        for change in commit.changes {
            let (language, category) = classify(change.path)
            let index: Int
            if let found = rows.firstIndex(where: { $0.language == language && $0.category == category }) {
                index = found
            } else {
                rows.append(CommitLanguageChanges.Row(language: language, category: category))
                index = rows.count - 1
            }
            rows[index].files += 1
            if let added = change.added, let removed = change.removed {
                rows[index].added += added
                rows[index].removed += removed
            } else {
                rows[index].binaryFiles += 1
            }
        }
        rows.sort {
            let a = $0.language.map { Int($0.rawValue) } ?? -1
            let b = $1.language.map { Int($0.rawValue) } ?? -1
            if a != b { return a < b }
            return (FileCategory.allCases.firstIndex(of: $0.category) ?? 0) < (FileCategory.allCases.firstIndex(of: $1.category) ?? 0)
        }
        return CommitLanguageChanges(
            id: commit.id, parentCount: commit.parents.count, author: commit.author, committer: commit.committer, rows: rows)
    }
}
