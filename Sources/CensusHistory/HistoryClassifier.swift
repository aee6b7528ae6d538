import CensusGit
import CensusLanguages

#if canImport(Glibc)
import Glibc
#endif
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

    /// Lines that entered (positive) or left (negative) a language and category without being
    /// added or removed by the diff: a file whose language or category changed (its content made
    /// it generated, say), or that turned binary, an LFS pointer, or back.
    public struct Move: Sendable, Equatable, Hashable {
        public var language: LanguageID?
        public var category: FileCategory
        public var lines: Int
    }

    public var id: GitObjectID
    public var parentCount: Int
    public var author: GitSignature
    public var committer: GitSignature
    /// One row per (language, category) the commit touched, ordered by language then category.
    public var rows: [Row]
    /// Moves, one per (language, category), in the same order; none when nothing moved.
    public var moves: [Move] = []
}

/// Decides each changed file's language and category as the scan decides them.
///
/// With a blob reader and blob ids (``GitHistoryOptions/blobIDs``), by content as well: each
/// blob's first 128 KiB (``LinguistEngine/prefixLimit``) are read once (decisions are cached by
/// blob id and path) and classified by ``LinguistEngine/classify(path:name:data:overrides:basicDetection:)``,
/// as the scan classifies a file; binary blobs (a NUL in the first 8,000 bytes, git's rule), Git
/// LFS pointers, symbolic links and submodules count no lines, as in the scan. When a file's
/// decision changes between its two versions, its lines move with it (``CommitLanguageChanges/moves``),
/// so the running total of added − removed plus moves per language equals the scan's lines at
/// every commit. Without a reader, from the path alone: filename, extension and the documented
/// defaults, and Linguist's vendored, documentation and generated path rules.
///
/// Decisions are cached (up to `cacheLimit` paths and as many blobs, then the cache starts
/// over: memory stays bounded on any history).
public final class HistoryClassifier {
    /// The engine asked for, or nil for ``LinguistEngine/shared``, made on first use: a walk
    /// that counts no lines (`--no-lines`) classifies nothing and never pays for building it.
    private let chosenEngine: LinguistEngine?
    private(set) lazy var engine: LinguistEngine = chosenEngine ?? .shared
    let detector = LanguageDetector()
    private var cache: [[UInt8]: (LanguageID?, FileCategory)] = [:]
    public let cacheLimit: Int
    /// Blob decisions kept (each holds its path): a blob is usually asked twice, as the new side
    /// of one change and the old side of the next change to its file.
    public let blobCacheLimit: Int
    private let reader: GitBlobReader?
    /// One prefix buffer, reused for every blob.
    private let buffer: UnsafeMutableRawBufferPointer
    private var blobs: [GitObjectID: BlobFacts] = [:]
    /// Blobs read (prefixes) and blobs read whole (for their line counts).
    public private(set) var blobsRead = 0
    public private(set) var blobsCounted = 0
    /// Blobs the reader could not give (their decisions fall back on the path).
    public private(set) var unreadableBlobs = 0

    /// What the scan would decide about one blob at one path.
    struct BlobFacts {
        var path: [UInt8]
        var language: LanguageID?
        var category: FileCategory
        /// Lines count (false: binary, an LFS pointer).
        var counted: Bool
        /// git's line count of the whole blob, once asked.
        var lines: Int?

        func sameDecision(_ other: BlobFacts) -> Bool {
            language == other.language && category == other.category && counted == other.counted
        }
    }

    public init(
        engine: LinguistEngine? = nil, cacheLimit: Int = 100_000, blobCacheLimit: Int = 50_000, reader: GitBlobReader? = nil
    ) {
        chosenEngine = engine
        self.cacheLimit = cacheLimit
        self.blobCacheLimit = blobCacheLimit
        self.reader = reader
        buffer = .allocate(byteCount: LinguistEngine.prefixLimit, alignment: 16)
    }

    deinit { buffer.deallocate() }

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

    /// The scan's decision for `blob` at `path`, from its first 128 KiB.
    func facts(_ blob: GitObjectID, _ path: [UInt8]) -> BlobFacts {
        if let known = blobs[blob], known.path == path { return known }
        let decided = read(blob, path)
        if blobs.count >= blobCacheLimit { blobs.removeAll(keepingCapacity: true) }
        blobs[blob] = decided
        return decided
    }

    private func read(_ blob: GitObjectID, _ path: [UInt8]) -> BlobFacts {
        let (pathLanguage, pathCategory) = classify(path)
        let fallback = BlobFacts(path: path, language: pathLanguage, category: pathCategory, counted: true)
        guard let reader, let base = buffer.baseAddress else { return fallback }
        let capacity = buffer.count
        let found = try? reader.withObject(blob) { stream -> (Int, Int) in
            var filled = 0
            while filled < capacity {
                let n = stream.read(into: base + filled, count: capacity - filled)
                if n <= 0 { break }
                filled += n
            }
            return (filled, stream.size)
        }
        guard case .found(let (filled, size))? = found else {
            unreadableBlobs += 1
            return fallback
        }
        return decide(path, UnsafeRawBufferPointer(start: base, count: filled), size: size)
    }

    /// Reads the blobs `commits` will ask for and are not decided yet, all at once (one request
    /// to git for up to 256 blobs, see ``GitBlobReader/readPrefixes(_:limit:into:_:)``), and
    /// decides them: ``summarize(_:)`` then finds every decision made.
    public func prefetch(_ commits: some Collection<GitCommitRecord>) {
        guard let reader, let base = buffer.baseAddress else { return }
        var wanted: [(GitObjectID, [UInt8])] = []
        var asked = Set<GitObjectID>()
        for commit in commits {
            for change in commit.changes where !change.isSubmodule && !change.isSymlink {
                for (blob, path) in [(change.newBlob, change.path), (change.oldBlob, change.oldPath ?? change.path)] {
                    guard let blob, blobs[blob]?.path != path, asked.insert(blob).inserted else { continue }
                    wanted.append((blob, path))
                }
            }
        }
        if wanted.isEmpty { return }
        if blobs.count + wanted.count >= blobCacheLimit { blobs.removeAll(keepingCapacity: true) }
        let capacity = buffer.count
        try? reader.readPrefixes(wanted.map(\.0), limit: capacity, into: base) { index, result in
            let (blob, path) = wanted[index]
            guard case .found(let (size, filled)) = result else {
                unreadableBlobs += 1
                return
            }
            blobs[blob] = decide(path, UnsafeRawBufferPointer(start: base, count: filled), size: size)
        }
    }

    /// The scan's decision for a blob at `path` from its first bytes (`prefix`) and whole size.
    private func decide(_ path: [UInt8], _ prefix: UnsafeRawBufferPointer, size: Int) -> BlobFacts {
        let (pathLanguage, pathCategory) = classify(path)
        blobsRead += 1
        let filled = prefix.count
        if let base = prefix.baseAddress, filled > 0, memchr(base, 0, min(filled, 8000)) != nil {
            return BlobFacts(path: path, language: pathLanguage, category: pathCategory, counted: false, lines: 0)
        }
        if filled <= GitLFSPointer.maximumSize, filled > 0, size == filled, GitLFSPointer(parsing: prefix) != nil {
            return BlobFacts(path: path, language: pathLanguage, category: pathCategory, counted: false, lines: 0)
        }
        let nameStart = (path.lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 }) ?? 0
        let classification: FileClassification? = path.withUnsafeBytes { relative in
            path[nameStart...].withContiguousStorageIfAvailable { name in
                engine.classify(path: relative, name: name, data: prefix)
            } ?? nil
        }
        let lines = size == filled ? Self.gitLineCount(prefix) : nil
        guard let classification else {
            return BlobFacts(path: path, language: nil, category: pathCategory, counted: true, lines: lines)
        }
        return BlobFacts(
            path: path, language: classification.detection.language, category: classification.category, counted: true,
            lines: lines)
    }

    /// git's count of a blob's lines (`--numstat` of its addition): newlines, plus one for a last
    /// line without one. Reads the blob whole through the prefix buffer when it is larger.
    func lineCount(_ blob: GitObjectID, _ facts: BlobFacts) -> Int {
        if !facts.counted { return 0 }
        if let lines = facts.lines { return lines }
        guard let reader, let base = buffer.baseAddress else { return 0 }
        var count = 0
        var last: UInt8 = 0x0A
        var total = 0
        let result = try? reader.withObject(blob) { stream -> Void in
            while true {
                let n = stream.read(into: base, count: buffer.count)
                if n <= 0 { break }
                let chunk = UnsafeRawBufferPointer(start: base, count: n)
                count += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                last = chunk[n - 1]
                total += n
            }
        }
        guard case .found? = result else {
            unreadableBlobs += 1
            return 0
        }
        blobsCounted += 1
        let lines = total == 0 ? 0 : count + (last == 0x0A ? 0 : 1)
        var known = facts
        known.lines = lines
        blobs[blob] = known
        return lines
    }

    static func gitLineCount(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let last = bytes.last else { return 0 }
        var count = 0
        for byte in bytes where byte == 0x0A { count += 1 }
        return count + (last == 0x0A ? 0 : 1)
    }

    /// A commit's changes summed per language and category, with the lines that moved.
    public func summarize(_ commit: GitCommitRecord) -> CommitLanguageChanges {
        var rows: [CommitLanguageChanges.Row] = []
        var moves: [CommitLanguageChanges.Move] = []
        func row(_ language: LanguageID?, _ category: FileCategory) -> Int {
            if let found = rows.firstIndex(where: { $0.language == language && $0.category == category }) { return found }
            rows.append(CommitLanguageChanges.Row(language: language, category: category))
            return rows.count - 1
        }
        func move(_ language: LanguageID?, _ category: FileCategory, _ lines: Int) {
            if lines == 0 { return }
            if let found = moves.firstIndex(where: { $0.language == language && $0.category == category }) {
                moves[found].lines += lines
            } else {
                moves.append(CommitLanguageChanges.Move(language: language, category: category, lines: lines))
            }
        }
        for change in commit.changes {
            // The scan counts neither: a link's blob is its target, a submodule is another repository.
            if reader != nil, change.isSubmodule || change.isSymlink { continue }
            guard reader != nil, change.oldBlob != nil || change.newBlob != nil else {
                let (language, category) = classify(change.path)
                let index = row(language, category)
                rows[index].files += 1
                if let added = change.added, let removed = change.removed {
                    rows[index].added += added
                    rows[index].removed += removed
                } else {
                    rows[index].binaryFiles += 1
                }
                continue
            }
            let new = change.newBlob.map { facts($0, change.path) }
            let old = change.oldBlob.map { facts($0, change.oldPath ?? change.path) }
            guard let target = new ?? old else { continue }
            let index = row(target.language, target.category)
            rows[index].files += 1
            let bothCounted = (new?.counted ?? true) && (old?.counted ?? true)
            if let added = change.added, let removed = change.removed, bothCounted {
                rows[index].added += added
                rows[index].removed += removed
                if let old, let new, let oldBlob = change.oldBlob, !old.sameDecision(new) {
                    // The file changed language or category: its earlier lines move with it.
                    let lines = lineCount(oldBlob, old)
                    move(old.language, old.category, -lines)
                    move(new.language, new.category, lines)
                }
            } else {
                // Binary on a side (git gives no counts), or an LFS pointer: what each side
                // counted in the scan leaves and enters.
                if change.added == nil { rows[index].binaryFiles += 1 }
                if let old, let oldBlob = change.oldBlob { move(old.language, old.category, -lineCount(oldBlob, old)) }
                if let new, let newBlob = change.newBlob { move(new.language, new.category, lineCount(newBlob, new)) }
            }
        }
        func order(_ language: LanguageID?, _ category: FileCategory) -> (Int, Int) {
            (language.map { Int($0.rawValue) } ?? -1, FileCategory.allCases.firstIndex(of: category) ?? 0)
        }
        rows.sort { order($0.language, $0.category) < order($1.language, $1.category) }
        moves.removeAll { $0.lines == 0 }
        moves.sort { order($0.language, $0.category) < order($1.language, $1.category) }
        return CommitLanguageChanges(
            id: commit.id, parentCount: commit.parents.count, author: commit.author, committer: commit.committer, rows: rows,
            moves: moves)
    }
}
