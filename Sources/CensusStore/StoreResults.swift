/// What ``CensusDatabase/top(language:by:metric:cohort:limit:)`` ranks.
public enum RankingGroup: String, Sendable, CaseIterable {
    case company, org, repository, cohort
}

/// The figure ``CensusDatabase/top(language:by:metric:cohort:limit:)`` orders by.
public enum RankingMetric: String, Sendable, CaseIterable {
    /// The language's own lines of code.
    case code
    /// The language's own bytes.
    case bytes
    /// The language's own files.
    case files
    /// Repositories with own files in the language.
    case repositories
    /// The language's own code over all own code of the group.
    case share
}

/// What ``CensusDatabase/share(language:by:threshold:unit:cohort:)`` counts.
public enum ShareUnit: String, Sendable, CaseIterable {
    case repository, org, company
}

/// How ``CensusDatabase/share(language:by:threshold:unit:cohort:)`` splits its answer into rows.
public enum ShareGroup: String, Sendable, CaseIterable {
    case cohort, company
}

/// One group in a language ranking: how much of the language's own code it has.
public struct LanguageRankingRow: Sendable, Equatable {
    /// The company, organisation, repository key or cohort.
    public var name: String
    /// The language's own lines of code in the group.
    public var code: Int
    /// The language's own bytes in the group.
    public var bytes: Int
    /// The language's own files in the group.
    public var files: Int
    /// Repositories of the group with own files in the language.
    public var repositories: Int
    /// All own code of the group, every language.
    public var ownCode: Int
    /// ``code`` / ``ownCode``.
    public var share: Double

    public init(name: String, code: Int, bytes: Int, files: Int, repositories: Int, ownCode: Int, share: Double) {
        self.name = name
        self.code = code
        self.bytes = bytes
        self.files = files
        self.repositories = repositories
        self.ownCode = ownCode
        self.share = share
    }
}

/// A language's penetration: how many units use it for at least a threshold of their own code.
public struct LanguageShareRow: Sendable, Equatable {
    /// The cohort or company this row describes; `nil` when the answer was not grouped.
    public var group: String?
    /// Units whose own code is at least the threshold in the language (and not zero).
    public var unitsMatching: Int
    /// Units with any own code.
    public var unitsTotal: Int
    /// The language's own code over all units.
    public var languageCode: Int
    /// All own code over all units.
    public var ownCode: Int

    public init(group: String?, unitsMatching: Int, unitsTotal: Int, languageCode: Int, ownCode: Int) {
        self.group = group
        self.unitsMatching = unitsMatching
        self.unitsTotal = unitsTotal
        self.languageCode = languageCode
        self.ownCode = ownCode
    }

    /// ``unitsMatching`` / ``unitsTotal`` (0 when there are no units).
    public var fraction: Double { unitsTotal > 0 ? Double(unitsMatching) / Double(unitsTotal) : 0 }
    /// ``languageCode`` / ``ownCode`` (0 when there is no own code).
    public var languageShare: Double { ownCode > 0 ? Double(languageCode) / Double(ownCode) : 0 }
}

/// One language across the stored corpus, as census's language table and GitHub's bar show it.
public struct LanguageBreakdownRow: Sendable, Equatable {
    public var language: String
    public var type: StoredLanguageType
    /// Repositories with files in the language, in any category.
    public var repositories: Int
    /// Repositories with own files in the language.
    public var ownRepositories: Int
    /// The repositories' own code.
    public var own: StoredCounts
    /// Vendored, generated and documentation files together.
    public var excluded: StoredCounts
    /// Bytes counted toward GitHub's language bar.
    public var breakdownBytes: Int
    /// ``breakdownBytes`` as a percentage (0…100, unrounded) of all breakdown bytes of the answer.
    public var percentage: Double

    public init(
        language: String, type: StoredLanguageType, repositories: Int, ownRepositories: Int, own: StoredCounts,
        excluded: StoredCounts, breakdownBytes: Int, percentage: Double
    ) {
        self.language = language
        self.type = type
        self.repositories = repositories
        self.ownRepositories = ownRepositories
        self.own = own
        self.excluded = excluded
        self.breakdownBytes = breakdownBytes
        self.percentage = percentage
    }
}

/// A stored repository with its own-code totals.
public struct StoredRepositoryRow: Sendable, Equatable {
    /// The repository as saved; ``StoredRepository/cohorts`` sorted.
    public var repository: StoredRepository
    /// Own code over all its languages.
    public var own: StoredCounts
    /// Bytes counted toward GitHub's language bar.
    public var breakdownBytes: Int

    public init(repository: StoredRepository, own: StoredCounts, breakdownBytes: Int) {
        self.repository = repository
        self.own = own
        self.breakdownBytes = breakdownBytes
    }
}

/// How many rows the store holds.
public struct StoreRowCounts: Sendable, Equatable {
    public var repositories: Int
    public var cohortMemberships: Int
    public var languageRows: Int
    public var fileRows: Int

    public init(repositories: Int, cohortMemberships: Int, languageRows: Int, fileRows: Int) {
        self.repositories = repositories
        self.cohortMemberships = cohortMemberships
        self.languageRows = languageRows
        self.fileRows = fileRows
    }
}
