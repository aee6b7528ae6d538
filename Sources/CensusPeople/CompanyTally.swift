/// Commits and authors by company for a stream of commits: bots counted apart (and left out of
/// the companies unless asked), ``Company/unknown`` kept as a row like any other.
///
/// ```swift
/// var tally = CompanyTally(database: database)
/// for commit in commits { tally.add(email: commit.email, name: commit.name, date: commit.day) }
/// for row in tally.rows { print(row.company.name, row.commits, row.authors) }
/// print("bots:", tally.botCommits)
/// ```
public struct CompanyTally: Sendable {
    /// One company's figures.
    public struct Row: Hashable, Sendable {
        public var company: Company
        public var commits: Int
        /// Distinct authors (canonical addresses).
        public var authors: Int

        public init(company: Company, commits: Int, authors: Int) {
            self.company = company
            self.commits = commits
            self.authors = authors
        }
    }

    public let database: AffiliationDatabase
    public let bots: BotClassifier
    /// Whether bots are counted under their companies as well as apart.
    public let includeBots: Bool

    private var commitsByKey: [String: Int] = [:]
    private var companyByKey: [String: Company] = [:]
    private var authorsByKey: [String: Set<String>] = [:]
    /// Commits by bots.
    public private(set) var botCommits = 0
    private var botIdentities: Set<String> = []

    public init(database: AffiliationDatabase, bots: BotClassifier = .standard, includeBots: Bool = false) {
        self.database = database
        self.bots = bots
        self.includeBots = includeBots
    }

    /// Counts `commits` commits by one author on `date`.
    ///
    /// - Returns: the attribution, or nil for a bot that was left out.
    @discardableResult
    public mutating func add(email: String, name: String? = nil, login: String? = nil, date: Day, commits: Int = 1)
        -> Attribution?
    {
        if bots.isBot(name: name, email: email, login: login) {
            botCommits += commits
            botIdentities.insert(ByteText.emailKey(email).isEmpty ? (name ?? login ?? "") : ByteText.emailKey(email))
            if !includeBots { return nil }
        }
        let attribution = database.company(email: email, date: date)
        let key = attribution.company.key
        commitsByKey[key, default: 0] += commits
        companyByKey[key] = attribution.company
        authorsByKey[key, default: []].insert(attribution.email)
        return attribution
    }

    /// Distinct bot identities (addresses, or names without an address).
    public var botAuthors: Int { botIdentities.count }

    /// Commits attributed to ``Company/unknown``.
    public var unknownCommits: Int { commitsByKey[Company.unknown.key] ?? 0 }

    /// Every company with its figures, most commits first (ties by name), Unknown included.
    public var rows: [Row] {
        companyByKey.map { key, company in
            Row(company: company, commits: commitsByKey[key] ?? 0, authors: authorsByKey[key]?.count ?? 0)
        }.sorted { ($0.commits, $1.company.name) > ($1.commits, $0.company.name) }
    }
}
