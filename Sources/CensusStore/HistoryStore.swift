/// A result store that also keeps commit history: ``CensusDatabase`` (SQLite) or
/// ``ClickHouseStore``. Both give the same answers over the same saves (docs/schema.md, "History
/// tables" and "ClickHouse: history and Go modules").
///
/// The methods block: call them from threads census owns.
public protocol HistoryStore: ResultStore {
    /// Stores a batch of one repository's commits; a commit stored again replaces the earlier copy.
    /// With `walk`, the repository's tip moves too: pass it with the last batch of a walk.
    /// See ``CensusDatabase/saveHistory(repositoryKey:commits:walk:)``.
    func saveHistory(repositoryKey: String, commits: [StoredCommit], walk: StoredHistoryWalk?, state: StoredWalkState?) throws

    /// Records where a walk stands on its own (its start, or its failure).
    func saveWalkState(_ state: StoredWalkState) throws

    /// Where the last walk of a repository stands (complete, or partial with why).
    func walkState(repositoryKey: String) throws -> StoredWalkState?

    /// What answers over a scope could not see; see ``CensusDatabase/historyCoverage(since:until:cohort:includeBots:)``.
    func historyCoverage(since: Int64?, until: Int64?, cohort: String?, includeBots: Bool) throws -> HistoryCoverage

    /// Who contributed counting every commit (`--commits all`); see
    /// ``CensusDatabase/contributorsOfAllCommits(by:metric:since:until:cohort:includeBots:limit:)``.
    func contributorsOfAllCommits(
        by group: ContributorGroup, metric: ContributorMetric, since: Int64?, until: Int64?, cohort: String?,
        includeBots: Bool, limit: Int
    ) throws -> [ContributorRow]

    /// A repository's commit count and first commit at `commit`, if computed before.
    func gitMetadata(repositoryKey: String, commit: String) throws -> StoredGitMetadata?

    /// Keeps a repository's commit count and first commit at a commit.
    func saveGitMetadata(_ metadata: StoredGitMetadata) throws

    /// Stored git repositories with own code in `language` whose first commit's date is unknown
    /// (scanned from a shallow clone alone): what `timeline --metric new-repos` leaves out.
    func repositoriesWithUnknownFirstCommit(language: String, cohort: String?) throws -> Int

    /// Where the stored history of a repository ends, if it has any.
    func historyWalk(repositoryKey: String) throws -> StoredHistoryWalk?

    /// Who contributed; see ``CensusDatabase/contributors(language:by:metric:since:until:cohort:includeBots:limit:)``.
    func contributors(
        language: String?, by group: ContributorGroup, metric: ContributorMetric, since: Int64?, until: Int64?,
        cohort: String?, includeBots: Bool, limit: Int
    ) throws -> [ContributorRow]

    /// A language over time; see ``CensusDatabase/timeline(language:by:metric:cohort:includeBots:)``.
    func timeline(
        language: String, by period: TimelinePeriod, metric: TimelineMetric, cohort: String?, includeBots: Bool
    ) throws -> [TimelinePoint]
}

/// A result store that also keeps the repositories' Go modules: ``CensusDatabase`` (SQLite) or
/// ``ClickHouseStore``, with the same answers over the same saves.
public protocol DependencyStore: ResultStore {
    /// Replaces a repository's Go modules; call it before saving the repository itself.
    func saveGoModules(repositoryKey: String, modules: [StoredGoModule]) throws

    /// The most depended-upon modules; see ``CensusDatabase/dependencyFanIn(directOnly:cohort:limit:)``.
    func dependencyFanIn(directOnly: Bool, cohort: String?, limit: Int) throws -> [DependencyFanInRow]

    /// Who requires `module` (at `version`, when given).
    func dependencyUsers(of module: String, version: String?) throws -> [DependencyEdgeRow]

    /// What a module (by module path) or a repository (by key) requires.
    func dependencies(of name: String) throws -> [DependencyEdgeRow]

    /// Every own requirement edge.
    func dependencyEdges(cohort: String?) throws -> [DependencyEdgeRow]

    /// Where own requirements point; see ``CensusDatabase/dependencyShare(cohort:limit:)``.
    func dependencyShare(cohort: String?, limit: Int) throws -> [DependencyShareRow]

    /// Shared dependencies of two repositories, or of the most coupled pairs.
    func dependencyCoupling(_ first: String?, _ second: String?, limit: Int) throws -> [DependencyCouplingRow]
}

extension CensusDatabase: HistoryStore, DependencyStore {}

extension HistoryStore {
    /// Stores a batch without touching the walk's state.
    public func saveHistory(repositoryKey: String, commits: [StoredCommit], walk: StoredHistoryWalk?) throws {
        try saveHistory(repositoryKey: repositoryKey, commits: commits, walk: walk, state: nil)
    }
}
