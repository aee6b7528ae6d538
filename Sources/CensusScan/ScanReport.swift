import CensusGit
import CensusGoModules
import CensusCounting
import CensusLanguages

/// Files, lines and bytes.
public struct CountTotals: Sendable, Equatable {
    public var files = 0
    public var counts = LineCounts()
    public var bytes = 0

    public init(files: Int = 0, counts: LineCounts = LineCounts(), bytes: Int = 0) {
        self.files = files
        self.counts = counts
        self.bytes = bytes
    }

    public static func += (lhs: inout CountTotals, rhs: CountTotals) {
        lhs.files += rhs.files
        lhs.counts += rhs.counts
        lhs.bytes += rhs.bytes
    }
}

/// Totals for one language: over every file, and apart for the repository's own code and each
/// kind of excluded code (vendored, generated, documentation).
public struct LanguageTotals: Sendable, Equatable {
    public var language: LanguageID
    public var files: Int
    public var counts: LineCounts
    public var bytes: Int
    /// Indexed by `FileCategory` (own, vendored, documentation, generated).
    public var categories: [FileCategory: CountTotals]

    public init(
        language: LanguageID, files: Int = 0, counts: LineCounts = LineCounts(), bytes: Int = 0,
        categories: [FileCategory: CountTotals] = [:]
    ) {
        self.language = language
        self.files = files
        self.counts = counts
        self.bytes = bytes
        self.categories = categories
    }

    /// The repository's own code.
    public var own: CountTotals { categories[.own] ?? CountTotals() }

    /// Vendored, generated and documentation files together.
    public var excluded: CountTotals {
        var t = CountTotals()
        for (c, v) in categories where c != .own { t += v }
        return t
    }
}

/// One language's share of GitHub's language bar.
public struct BreakdownEntry: Sendable, Equatable {
    /// The language counted (a group's parent: Unix Assembly counts as Assembly).
    public var language: LanguageID
    public var bytes: Int
    /// Share of all counted bytes, 0…100, unrounded.
    public var percentage: Double
}

/// One counted file (with `--by-file`).
public struct FileRecord: Sendable, Equatable {
    /// The path as census shows it: the root as given joined with the path below it, raw bytes.
    public var path: [UInt8]
    public var language: LanguageID
    public var counts: LineCounts
    public var bytes: Int
    /// How the language was decided, whether the file is excluded, and whether it counts toward
    /// the breakdown.
    public var classification: FileClassification

    public var strategy: DetectionStrategy { classification.detection.strategy }
}

/// An entry the scan could not read or chose not to enter, named with the reason.
public struct ScanIssue: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Reading failed (permissions, I/O errors, a root that does not exist): the run failed.
        case error
        /// Deliberately not read (FIFOs, sockets, devices, symbolic-link loops, dangling links).
        case skipped
    }

    public var path: [UInt8]
    public var kind: Kind
    /// Why, in words: "Permission denied (open)", "FIFO: not a regular file".
    public var reason: String

    public init(path: [UInt8], kind: Kind, reason: String) {
        self.path = path
        self.kind = kind
        self.reason = reason
    }
}

/// Counts of what was seen but not counted as code.
public struct ScanSummary: Sendable, Equatable {
    /// Regular files counted toward a language.
    public var countedFiles = 0
    /// Files with a NUL byte in their first 8,000 bytes (git's rule), and their bytes.
    public var binaryFiles = 0
    public var binaryBytes = 0
    /// Text files no strategy recognised, and their bytes.
    public var unrecognisedFiles = 0
    public var unrecognisedBytes = 0
    /// Entries excluded by ignore files or `--exclude`.
    public var ignoredEntries = 0
    /// Hidden entries not entered (without `--hidden`).
    public var hiddenEntries = 0
    /// Symbolic links not followed (without `--follow-symlinks`).
    public var symlinksSkipped = 0
    /// Directories read.
    public var directories = 0
    /// Git LFS pointer files (their content lives outside the repository).
    public var lfsPointers = 0
    /// Submodules (listed, not entered).
    public var submodules = 0

    public init() {}

    mutating func add(_ other: ScanSummary) {
        countedFiles += other.countedFiles
        binaryFiles += other.binaryFiles
        binaryBytes += other.binaryBytes
        unrecognisedFiles += other.unrecognisedFiles
        unrecognisedBytes += other.unrecognisedBytes
        ignoredEntries += other.ignoredEntries
        hiddenEntries += other.hiddenEntries
        symlinksSkipped += other.symlinksSkipped
        directories += other.directories
        lfsPointers += other.lfsPointers
        submodules += other.submodules
    }
}

/// A submodule of a scanned tree: where it sits and the commit the tree records for it.
public struct SubmoduleRecord: Sendable, Equatable {
    public var path: [UInt8]
    public var commit: String

    public init(path: [UInt8], commit: String) {
        self.path = path
        self.commit = commit
    }
}

/// A `go.mod` met by a scan, parsed (docs/gomod.md).
public struct GoModuleRecord: Sendable {
    /// The file's path as the report shows paths.
    public var path: [UInt8]
    /// Its path relative to the repository's top (or the scan root).
    public var relativePath: [UInt8]
    /// Whether it sits in vendored, generated or documentation code (then it is not the
    /// repository's own module).
    public var category: FileCategory
    public var file: GoModFile
    /// Whether `vendor/modules.txt` sits beside it (the module vendors its dependencies).
    public var usesVendor = false

    public init(path: [UInt8], relativePath: [UInt8], category: FileCategory, file: GoModFile) {
        self.path = path
        self.relativePath = relativePath
        self.category = category
        self.file = file
    }
}

/// What a scan of one repository (or directory) records about it besides the counts.
public struct ScannedRepository: Sendable {
    /// A stable identity: `host/owner/name` (lowercase, no `.git`) when the repository has a
    /// remote census understands, else the absolute path.
    public var key: String
    /// The path or URL as given.
    public var location: String
    public var org: String?
    public var company: String?
    public var cohorts: [String]
    /// The revision asked for (`HEAD` by default); nil for a walked directory.
    public var revision: String?
    /// Git's metadata: scanned and root commits with dates, commit count, default branch,
    /// remote; nil for a walked directory.
    public var git: GitRepositoryInfo?
    /// Where the project is, as the manifest says it (free text), and the ISO 3166 country and the
    /// world region that text names, when the region table knows it.
    public var place: String? = nil
    public var country: String? = nil
    public var region: String? = nil
    /// The key of the whole repository (``key`` without a scanned subdirectory): what its commit
    /// count and first commit are kept under.
    public var repositoryKey: String? = nil

    public init(
        key: String, location: String, org: String?, company: String?, cohorts: [String], revision: String?,
        git: GitRepositoryInfo?
    ) {
        self.key = key
        self.location = location
        self.org = org
        self.company = company
        self.cohorts = cohorts
        self.revision = revision
        self.git = git
    }
}

/// The result of a scan.
public struct ScanReport: Sendable {
    /// The roots scanned, as given.
    public var roots: [String]
    /// Languages with at least one file, in no particular order (reports sort them).
    public var languages: [LanguageTotals]
    /// Every counted file, sorted by path, when the scan collected them; otherwise empty.
    public var files: [FileRecord]
    /// Errors and skipped entries, sorted by path.
    public var issues: [ScanIssue]
    public var summary: ScanSummary
    /// GitHub's language bar: bytes of own code in programming and markup languages (or
    /// `linguist-detectable`), per group language, largest first (ties by name).
    public var breakdown: [BreakdownEntry]
    /// For a scan of a git revision: the commit scanned (40 hex digits); nil for directories.
    public var commit: String? = nil
    /// For a scan of a git revision: the submodules met (listed, not entered).
    public var submodules: [SubmoduleRecord] = []
    /// The repository scanned and its labels, when the scan was of one target.
    public var repository: ScannedRepository? = nil
    /// Every `go.mod` of the tree, sorted by path.
    public var goModules: [GoModuleRecord] = []

    /// The sum over all languages.
    public var total: LanguageTotals {
        var t = LanguageTotals(language: LanguageID(rawValue: 0))
        for l in languages {
            t.files += l.files
            t.counts += l.counts
            t.bytes += l.bytes
            for (c, v) in l.categories { t.categories[c, default: CountTotals()] += v }
        }
        return t
    }

    /// Whether any input failed to be read (the exit status says so).
    public var hasErrors: Bool { issues.contains { $0.kind == .error } }
}

extension ScanReport {
    /// Several scans as one: languages, categories, files, issues and summaries added up, and
    /// the breakdown recomputed over the sum (GitHub's bar for the whole corpus).
    public static func combining(_ reports: [ScanReport]) -> ScanReport {
        var byLanguage: [LanguageID: LanguageTotals] = [:]
        var bytes: [LanguageID: Int] = [:]
        var combined = ScanReport(roots: [], languages: [], files: [], issues: [], summary: ScanSummary(), breakdown: [])
        for report in reports {
            combined.roots += report.roots
            for l in report.languages {
                var t = byLanguage[l.language] ?? LanguageTotals(language: l.language)
                t.files += l.files
                t.counts += l.counts
                t.bytes += l.bytes
                for (c, v) in l.categories { t.categories[c, default: CountTotals()] += v }
                byLanguage[l.language] = t
            }
            for e in report.breakdown { bytes[e.language, default: 0] += e.bytes }
            combined.files += report.files
            combined.issues += report.issues
            combined.summary.add(report.summary)
            combined.submodules += report.submodules
        }
        combined.languages = byLanguage.values.sorted { $0.language.rawValue < $1.language.rawValue }
        let all = bytes.values.reduce(0, +)
        combined.breakdown = bytes.map { BreakdownEntry(language: $0.key, bytes: $0.value, percentage: 100 * Double($0.value) / Double(all)) }
            .sorted { $0.bytes != $1.bytes ? $0.bytes > $1.bytes : LanguageTable[$0.language].name < LanguageTable[$1.language].name }
        return combined
    }
}
