import CensusLanguages
import CensusScan
import CensusStore

#if canImport(Glibc)
import Glibc
#endif

/// Turns a scan's report into the store's records (docs/schema.md).
public enum ScanStorage {
    /// The default database: `$CENSUS_DB`, else `$XDG_DATA_HOME/census/census.db`, else
    /// `~/.local/share/census/census.db`; nil when none can be named.
    public static func defaultDatabasePath(environment: [String: String]) -> String? {
        if let path = environment["CENSUS_DB"], !path.isEmpty { return path }
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/census/census.db" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.local/share/census/census.db" }
        return nil
    }

    /// The repository row: the scan's `repository` labels and git metadata.
    public static func repository(_ report: ScanReport, scannedAt: Int64, version: String) -> StoredRepository {
        let r = report.repository
        let git = r?.git
        let key = r?.key ?? report.roots.joined(separator: " ")
        let lastComponent = key.split(separator: "/").last.map(String.init) ?? key
        var name = git?.remote?.name
        if let n = name, n.hasSuffix(".git") { name = String(n.dropLast(4)) }
        return StoredRepository(
            key: key, location: r?.location ?? key, host: git?.remote?.host, owner: git?.remote?.owner, name: name ?? lastComponent,
            org: r?.org ?? r?.company ?? lastComponent, company: r?.company, cohorts: r?.cohorts ?? [],
            revision: r?.revision ?? "", commit: git?.commit.id.description,
            commitDate: git?.commit.committed.secondsSince1970, rootCommitDate: git?.rootCommit?.committed.secondsSince1970,
            commitCount: git?.commitCount, isShallow: git?.isShallow ?? false, defaultBranch: git?.defaultBranch,
            remoteURL: git?.remoteURL, scannedAt: scannedAt, censusVersion: version)
    }

    /// One row per language and category with files; GitHub's bar bytes on the group language's
    /// own row (a row with no files when the group language has none of its own).
    public static func languages(_ report: ScanReport) -> [StoredLanguageTotal] {
        var rows: [StoredLanguageTotal] = []
        var ownRow: [LanguageID: Int] = [:]
        for l in report.languages {
            let language = LanguageTable[l.language]
            for category in FileCategory.allCases {
                guard let t = l.categories[category], t.files > 0 else { continue }
                if category == .own { ownRow[l.language] = rows.count }
                rows.append(
                    StoredLanguageTotal(
                        language: language.name, type: storedType(language.type), category: storedCategory(category),
                        files: t.files, code: t.counts.code, comment: t.counts.comments, blank: t.counts.blanks, bytes: t.bytes))
            }
        }
        for entry in report.breakdown {
            if let index = ownRow[entry.language] {
                rows[index].breakdownBytes = entry.bytes
            } else {
                let language = LanguageTable[entry.language]
                rows.append(
                    StoredLanguageTotal(
                        language: language.name, type: storedType(language.type), category: .own, files: 0, code: 0,
                        comment: 0, blank: 0, bytes: 0, breakdownBytes: entry.bytes))
            }
        }
        return rows
    }

    /// Every counted file (when the scan collected them).
    public static func files(_ report: ScanReport) -> [StoredFile] {
        report.files.map { f in
            StoredFile(
                path: String(decoding: f.path, as: UTF8.self), language: LanguageTable[f.language].name,
                category: storedCategory(f.classification.category), code: f.counts.code, comment: f.counts.comments,
                blank: f.counts.blanks, bytes: f.bytes, strategy: f.strategy.rawValue)
        }
    }

    /// Every go.mod of the scan (relative paths), with requirements, replacements and exclusions.
    public static func goModules(_ report: ScanReport) -> [StoredGoModule] {
        report.goModules.map { m in
            let f = m.file
            return StoredGoModule(
                path: String(decoding: m.relativePath, as: UTF8.self), module: f.module?.path ?? "", goVersion: f.goVersion,
                category: storedCategory(m.category), usesVendor: m.usesVendor,
                requirements: f.requirements.map { StoredGoRequirement(module: $0.path, version: $0.version, indirect: $0.isIndirect) },
                replacements: f.replacements.map {
                    StoredGoReplacement(
                        oldPath: $0.old.path, oldVersion: $0.old.version ?? "", newPath: $0.new.path, newVersion: $0.new.version ?? "")
                },
                exclusions: f.exclusions.map { StoredGoRequirement(module: $0.path, version: $0.version) })
        }
    }

    static func storedType(_ type: LanguageType) -> StoredLanguageType {
        StoredLanguageType(rawValue: type.rawValue) ?? .data
    }

    static func storedCategory(_ category: FileCategory) -> StoredFileCategory {
        StoredFileCategory(rawValue: category.rawValue) ?? .own
    }

    /// Seconds since 1970, now.
    public static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec)
    }

    /// The metadata the store kept, as git's (its source says it came from the store).
    public static func metadata(_ stored: StoredGitMetadata) -> GitHistoryMetadata? {
        guard let commit = GitObjectID(stored.commit), let root = GitObjectID(stored.rootCommit) else { return nil }
        return GitHistoryMetadata(
            commit: commit, commitCount: stored.commitCount,
            rootCommit: GitCommitStamp(
                id: root, committed: GitTimestamp(secondsSince1970: stored.rootCommitTime, utcOffsetMinutes: stored.rootCommitOffset)),
            rootCommitCount: stored.rootCount, source: "store")
    }

    /// What to keep of a scan's metadata (nil when it came from the store, or is unknown). The key
    /// is the repository's, without a scanned subdirectory.
    public static func storedMetadata(_ report: ScanReport) -> StoredGitMetadata? {
        guard let repository = report.repository, let git = repository.git, let count = git.commitCount,
            let root = git.rootCommit, let rootCount = git.rootCommitCount, let source = git.metadataSource, source != "store"
        else { return nil }
        return StoredGitMetadata(
            repositoryKey: repository.repositoryKey ?? repository.key, commit: git.commit.id.description,
            commitCount: count, rootCommit: root.id.description, rootCommitTime: root.committed.secondsSince1970,
            rootCommitOffset: root.committed.utcOffsetMinutes, rootCount: rootCount, source: source)
    }
}
