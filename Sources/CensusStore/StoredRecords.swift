/// What census stores about one repository: its identity, where it was found, and the revision scanned.
///
/// The store does not depend on the scanner: the caller fills this from a scan's results. Times are
/// seconds since 1970 in UTC (git's own unit, and ClickHouse's `DateTime`), so they sort and compare
/// as integers in SQL.
public struct StoredRepository: Sendable, Equatable {
    /// The repository's stable identity, and what a rerun replaces: a normalised `host/owner/name`
    /// (`github.com/kubernetes/kubernetes`) or, for a plain directory, its absolute path.
    public var key: String
    /// The URL or path as the user gave it.
    public var location: String
    /// The hosting service (`github.com`), when the repository has a remote census understands.
    public var host: String?
    /// The account that owns it on ``host`` (`kubernetes`).
    public var owner: String?
    /// The repository's name on ``host`` (`kubernetes`).
    public var name: String?
    /// The organisation it counts under (often ``owner``; a manifest may say otherwise). Required:
    /// every repository belongs to exactly one organisation, so per-organisation totals add up.
    public var org: String
    /// The company behind it, when known; repositories without one are left out of per-company results.
    public var company: String?
    /// The cohorts it belongs to (`cncf-graduated`, `top-1000-go`); order and duplicates do not matter.
    public var cohorts: [String]
    /// The revision asked for (`HEAD`, a branch, a tag).
    public var revision: String
    /// The commit scanned: 40 hexadecimal digits (64 for a SHA-256 repository); `nil` for a plain directory.
    public var commit: String?
    /// The scanned commit's committer date, in seconds since 1970 (UTC).
    public var commitDate: Int64?
    /// The earliest root commit's committer date, in seconds since 1970 (UTC).
    public var rootCommitDate: Int64?
    /// Commits reachable from ``commit`` (a lower bound when ``isShallow``).
    public var commitCount: Int?
    /// Whether history was cut off (a `--depth` clone): then ``commitCount`` and ``rootCommitDate``
    /// describe only what was present.
    public var isShallow: Bool
    /// The default branch's short name.
    public var defaultBranch: String?
    /// The remote URL, without any password.
    public var remoteURL: String?
    /// When the scan finished, in seconds since 1970 (UTC).
    public var scannedAt: Int64
    /// The census version that scanned it (`0.4.0`).
    public var censusVersion: String

    public init(
        key: String, location: String, host: String? = nil, owner: String? = nil, name: String? = nil,
        org: String, company: String? = nil, cohorts: [String] = [], revision: String = "HEAD",
        commit: String? = nil, commitDate: Int64? = nil, rootCommitDate: Int64? = nil, commitCount: Int? = nil,
        isShallow: Bool = false, defaultBranch: String? = nil, remoteURL: String? = nil, scannedAt: Int64,
        censusVersion: String
    ) {
        self.key = key
        self.location = location
        self.host = host
        self.owner = owner
        self.name = name
        self.org = org
        self.company = company
        self.cohorts = cohorts
        self.revision = revision
        self.commit = commit
        self.commitDate = commitDate
        self.rootCommitDate = rootCommitDate
        self.commitCount = commitCount
        self.isShallow = isShallow
        self.defaultBranch = defaultBranch
        self.remoteURL = remoteURL
        self.scannedAt = scannedAt
        self.censusVersion = censusVersion
    }
}

/// A language's kind, as Linguist's `languages.yml` gives it.
public enum StoredLanguageType: String, Sendable, CaseIterable {
    case programming, markup, data, prose
}

/// Whether counted code is the repository's own or one of the kinds Linguist excludes.
public enum StoredFileCategory: String, Sendable, CaseIterable {
    case own, vendored, generated, documentation
}

/// One language's totals in one category of one repository.
public struct StoredLanguageTotal: Sendable, Equatable {
    /// The language's canonical name (`Go`, `C++`); queries match it exactly.
    public var language: String
    public var type: StoredLanguageType
    public var category: StoredFileCategory
    public var files: Int
    public var code: Int
    public var comment: Int
    public var blank: Int
    public var bytes: Int
    /// Bytes this language contributes to GitHub's language bar: the own files of programming and
    /// markup languages, credited to the name the bar shows (a group's parent: Unix Assembly's bytes
    /// go to Assembly). A parent with no files of its own is stored as an `own` row with zero files
    /// and counts, carrying only these bytes; such rows do not count as the language being present.
    public var breakdownBytes: Int

    public init(
        language: String, type: StoredLanguageType, category: StoredFileCategory = .own, files: Int, code: Int,
        comment: Int, blank: Int, bytes: Int, breakdownBytes: Int = 0
    ) {
        self.language = language
        self.type = type
        self.category = category
        self.files = files
        self.code = code
        self.comment = comment
        self.blank = blank
        self.bytes = bytes
        self.breakdownBytes = breakdownBytes
    }
}

/// One counted file (stored only when asked for, `--files`).
public struct StoredFile: Sendable, Equatable {
    /// The path below the repository's top, `/`-separated. Names that are not UTF-8 are stored as the
    /// caller converted them.
    public var path: String
    public var language: String
    public var category: StoredFileCategory
    public var code: Int
    public var comment: Int
    public var blank: Int
    public var bytes: Int
    /// How the language was decided (`extension`, `filename`, `heuristics`…).
    public var strategy: String

    public init(
        path: String, language: String, category: StoredFileCategory = .own, code: Int, comment: Int, blank: Int,
        bytes: Int, strategy: String
    ) {
        self.path = path
        self.language = language
        self.category = category
        self.code = code
        self.comment = comment
        self.blank = blank
        self.bytes = bytes
        self.strategy = strategy
    }
}

/// Files, lines and bytes.
public struct StoredCounts: Sendable, Equatable {
    public var files: Int
    public var code: Int
    public var comment: Int
    public var blank: Int
    public var bytes: Int

    public init(files: Int = 0, code: Int = 0, comment: Int = 0, blank: Int = 0, bytes: Int = 0) {
        self.files = files
        self.code = code
        self.comment = comment
        self.blank = blank
        self.bytes = bytes
    }
}
