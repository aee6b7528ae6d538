import CensusGit

/// One repository of a corpus, as a manifest lists it: where it is, who it belongs to, and the
/// cohorts it is counted in.
public struct CorpusEntry: Sendable, Equatable {
    /// The URL or path as the manifest gives it (an `http://` URL included, though ``remote``
    /// holds its `https://` form).
    public var location: String
    /// The parsed URL; nil for a local path.
    public var remote: GitRemoteURL?
    /// The identity of the repository: `host/owner/name` lowercased (no `.git`, no user, no port)
    /// for a URL, so `https://github.com/A/b` and `git@github.com:a/b.git` are one repository;
    /// `path:` and the lexically cleaned path for a local path. Duplicates and shards go by it.
    public var key: String
    /// The organisation: the URL's owner (its first segment for nested GitLab groups) unless the
    /// manifest says otherwise; nil for local paths and `file://` URLs.
    public var org: String?
    /// The company the repository is attributed to: the manifest's, the landscape's crunchbase
    /// organisation, else the org; the directory name for local paths.
    public var company: String?
    /// Normalised cohort tags (see ``CohortTag``), sorted and unique.
    public var cohorts: [String]
    /// The landscape item's name; nil for plain and CSV manifests.
    public var name: String?
    /// The landscape item's `homepage_url`.
    public var homepage: String?
    /// Where the manifest lists the repository: its line, or the line of its `repo_url` in a
    /// landscape (the first place, for a merged duplicate).
    public var source: CorpusSourceLocation
    /// GitHub's figures for the repository from a processed landscape, when it has them.
    public var github: LandscapeGitHubData?
    /// Where the project (or its company) is, as free text: a manifest's `location` column, or a
    /// processed landscape's `crunchbase_data` city, region and country.
    public var place: String?

    public init(
        location: String, remote: GitRemoteURL?, key: String, org: String?, company: String?,
        cohorts: [String], name: String? = nil, homepage: String? = nil, source: CorpusSourceLocation,
        github: LandscapeGitHubData? = nil
    ) {
        self.location = location
        self.remote = remote
        self.key = key
        self.org = org
        self.company = company
        self.cohorts = Array(Set(cohorts)).sorted()
        self.name = name
        self.homepage = homepage
        self.source = source
        self.github = github
    }

    /// Whether the entry names a directory on this machine rather than a remote.
    public var isLocal: Bool { remote == nil }
}

/// What a processed landscape (`processed_landscape.yml`) says GitHub reported for a repository,
/// kept so that census's own figures can be compared with GitHub's.
///
/// Dates are kept as the landscape writes them (ISO 8601 text such as `2014-06-06T22:56:04Z`):
/// the library does not use Foundation, and comparing them needs no parse.
public struct LandscapeGitHubData: Sendable, Equatable {
    /// Bytes per language as GitHub's linguist counted them (`github_data.languages`).
    public var languages: [String: Int]
    /// `github_data.stars`.
    public var stars: Int?
    /// `github_data.contributors_count`.
    public var contributorsCount: Int?
    /// The date of the repository's first commit (`github_start_commit_data.start_date`).
    public var firstCommitDate: String?
    /// `github_data.latest_commit_date`.
    public var latestCommitDate: String?
    /// `github_data.license`, GitHub's name for it (`Apache License 2.0`).
    public var license: String?

    public init(
        languages: [String: Int] = [:], stars: Int? = nil, contributorsCount: Int? = nil,
        firstCommitDate: String? = nil, latestCommitDate: String? = nil, license: String? = nil
    ) {
        self.languages = languages
        self.stars = stars
        self.contributorsCount = contributorsCount
        self.firstCommitDate = firstCommitDate
        self.latestCommitDate = latestCommitDate
        self.license = license
    }
}
