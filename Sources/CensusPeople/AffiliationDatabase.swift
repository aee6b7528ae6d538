/// Who worked for which company, and when: gitdm's rule files (developer affiliations, domain
/// map, email aliases, company-names mapping, company map) and a simple CSV, loaded together and
/// asked one question, ``company(email:date:)``.
///
/// ```swift
/// let database = try AffiliationDatabase.load(
///     affiliations: ["gitdm/developers_affiliations1.txt"], domainMap: ["gitdm/domain-map"],
///     aliases: ["gitdm/aliases"], namesMapping: ["gitdm/company-names-mapping"])
/// for problem in database.diagnostics { print(problem) }
/// if let attribution = database.company(email: "alice@example.com", date: "2019-06-01") {
///     print(attribution.company.name, attribution.rule)   // Example  domain example.com (domain-map:2)
/// }
/// ```
///
/// The order of the rules (docs/people.md, "Attribution"):
/// 1. the email aliases turn the address into its canonical address;
/// 2. the address's own history (affiliation files, CSV rows with an address): the company of
///    the range holding the day; when several ranges hold it, the most specific wins (latest
///    start, then earliest end, then the first loaded line);
/// 3. the domain rules (domain map, CSV rows with a domain), longest matching domain first
///    (`mail.google.com` falls back to `google.com`), where a free-mail domain
///    (``FreeMailDomains``) stops the search: its addresses have no company by domain;
/// 4. otherwise ``Company/unknown``.
///
/// Files can be parsed in any order; company names are resolved again after each one, so a names
/// mapping read last still applies to everything read before.
public struct AffiliationDatabase: Sendable {
    /// The formats this database reads.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// gitdm's `developers_affiliations*.txt`: `login: email!domain, ...` then tab-indented
        /// `Company [from YYYY-MM-DD] [until YYYY-MM-DD]` lines.
        case affiliations
        /// gitdm's `domain-map`: `domain Company [< YYYY-MM-DD]`.
        case domainMap
        /// gitdm's `aliases`: `secondary!domain canonical!domain`.
        case aliases
        /// gitdm's `company-names-mapping`: `Variant -> Canonical`.
        case namesMapping
        /// gitdm's `company-map`: `` `Old name` `New name` ``.
        case companyMap
        /// `email_or_domain,company,from,until`, header optional, dates optional.
        case csv
    }

    /// One company line: a range of days in the history of an address or domain.
    struct Stint: Sendable, Equatable {
        var spelling: Int32
        var range: DayRange
        var origin: Int32
        var line: Int32
    }

    /// The lists of free-mail domains used for domain rules.
    public private(set) var freeMail: FreeMailDomains
    /// The company names, with the names mappings read so far.
    public private(set) var names: CompanyNames

    var ownDiagnostics: [PeopleDiagnostic] = []
    /// The file names, indexed by ``Stint/origin``.
    var origins: [String] = []
    /// Company names exactly as the files spell them (trimmed), indexed by ``Stint/spelling``.
    var spellings: [String] = []
    var spellingIDs: [String: Int32] = [:]
    /// How many lines spell each name.
    var spellingUses: [Int] = []
    /// The company of each spelling, recomputed by ``refreshCompanies()``.
    var companies: [Company] = []
    /// The display name by company key for names the mapping does not name.
    var displayNames: [String: String] = [:]

    /// Histories by normalised address.
    var emailHistories: [String: [Stint]] = [:]
    /// For each address from an affiliation file, the developer entry it was listed in.
    var emailEntry: [String: Int32] = [:]
    /// The histories of the developer entries, as read (for telling duplicates from conflicts).
    var entryHistories: [[Stint]] = []
    var entrySources: [PeopleSourceLine] = []
    /// Histories by lowercased domain.
    var domainHistories: [String: [Stint]] = [:]
    /// Canonical address by secondary address.
    var aliases: [String: String] = [:]
    var aliasSources: [String: PeopleSourceLine] = [:]
    /// Developer lines read, and the distinct logins among them.
    var developerLines = 0
    var logins: Set<String> = []
    /// Histories by lowercased GitHub login (the developer lines' logins), for events.
    var loginHistories: [String: [Stint]] = [:]

    /// An empty database; `freeMail` is the list of domains that never map to a company.
    public init(freeMail: FreeMailDomains = .standard) {
        self.freeMail = freeMail
        self.names = CompanyNames()
    }

    /// Reads rule files from paths: every file of every kind, names mappings first.
    ///
    /// - Throws: ``PeopleFileError`` for the first file that cannot be read. Bad lines inside a
    ///   readable file are ``diagnostics``, not errors.
    public static func load(
        affiliations: [String] = [], domainMap: [String] = [], aliases: [String] = [], namesMapping: [String] = [],
        companyMap: [String] = [], csv: [String] = [], freeMail: FreeMailDomains = .standard
    ) throws(PeopleFileError) -> AffiliationDatabase {
        var database = AffiliationDatabase(freeMail: freeMail)
        let plan: [(Format, [String])] = [
            (.namesMapping, namesMapping), (.companyMap, companyMap), (.aliases, aliases),
            (.affiliations, affiliations), (.domainMap, domainMap), (.csv, csv),
        ]
        var contents: [(Format, String, [UInt8])] = []
        for (format, paths) in plan {
            for path in paths { contents.append((format, path, try PeopleFileReader.read(path))) }
        }
        for (format, path, bytes) in contents { database.parse(bytes: bytes, format: format, origin: path, refresh: false) }
        database.refreshCompanies()
        return database
    }

    /// Reads one rule file from a path.
    ///
    /// - Throws: ``PeopleFileError`` naming the path when it cannot be read.
    public mutating func load(path: String, format: Format) throws(PeopleFileError) {
        parse(bytes: try PeopleFileReader.read(path), format: format, origin: path)
    }

    /// Reads one rule file from its bytes; `origin` names it in diagnostics and rules.
    public mutating func parse(bytes: [UInt8], format: Format, origin: String) {
        parse(bytes: bytes, format: format, origin: origin, refresh: true)
    }

    /// Reads one rule file from text.
    public mutating func parse(text: String, format: Format, origin: String) {
        parse(bytes: Array(text.utf8), format: format, origin: origin)
    }

    private mutating func parse(bytes: [UInt8], format: Format, origin: String, refresh: Bool) {
        switch format {
        case .namesMapping: names.parseNamesMapping(bytes: bytes, origin: origin)
        case .companyMap: names.parseCompanyMap(bytes: bytes, origin: origin)
        case .aliases: bytes.withUnsafeBufferPointer { parseAliases($0, origin: origin) }
        case .affiliations: bytes.withUnsafeBufferPointer { parseAffiliations($0, origin: origin) }
        case .domainMap: bytes.withUnsafeBufferPointer { parseDomainMap($0, origin: origin) }
        case .csv: bytes.withUnsafeBufferPointer { parseCSV($0, origin: origin) }
        }
        if refresh { refreshCompanies() }
    }

    /// The problems found in every file read: lines skipped (errors) and lines kept or ignored
    /// on purpose (warnings), each with its file and line.
    public var diagnostics: [PeopleDiagnostic] { ownDiagnostics + names.diagnostics }

    /// What the files held.
    public struct Counts: Sendable, Hashable {
        /// Developer (login) lines read from affiliation files.
        public var developerLines: Int
        /// Distinct logins among them.
        public var developers: Int
        /// Distinct addresses with a history of their own.
        public var emails: Int
        /// Distinct domains with domain rules.
        public var domains: Int
        /// Secondary addresses with an alias.
        public var aliases: Int
        /// Lines of names mappings.
        public var nameMappings: Int
        /// Distinct companies (keys) named by the rules, Unknown excepted.
        public var companies: Int
    }

    /// What the files held.
    public var counts: Counts {
        Counts(
            developerLines: developerLines, developers: logins.count, emails: emailHistories.count,
            domains: domainHistories.count, aliases: aliases.count, nameMappings: names.mappingCount,
            companies: Set(companies.lazy.filter { !$0.isUnknown }.map(\.key)).count)
    }

    // MARK: Loading helpers

    mutating func originID(_ origin: String) -> Int32 {
        origins.append(origin)
        return Int32(origins.count - 1)
    }

    mutating func spellingID(_ name: String) -> Int32 {
        if let id = spellingIDs[name] {
            spellingUses[Int(id)] += 1
            return id
        }
        let id = Int32(spellings.count)
        spellings.append(name)
        spellingUses.append(1)
        spellingIDs[name] = id
        return id
    }

    mutating func report(_ log: DiagnosticLog) {
        ownDiagnostics += log.all
    }

    /// Recomputes the company of every spelling, and the display name of companies the names
    /// mapping does not name: their most used spelling (ties: the first read).
    ///
    /// - Complexity: O(s) for s distinct spellings.
    mutating func refreshCompanies() {
        var resolved: [Company] = []
        resolved.reserveCapacity(spellings.count)
        var uses: [String: [String: Int]] = [:]
        var firstSeen: [String: [String]] = [:]
        for (index, spelling) in spellings.enumerated() {
            let company = names.resolve(spelling)
            resolved.append(company)
            guard !company.isUnknown, names.canonicalName(forKey: company.key) == nil else { continue }
            let written = ByteText.collapsingWhitespace(spelling)
            if uses[company.key]?[written] == nil { firstSeen[company.key, default: []].append(written) }
            uses[company.key, default: [:]][written, default: 0] += spellingUses[index]
        }
        var displayNames: [String: String] = [:]
        for (key, order) in firstSeen {
            guard let counts = uses[key] else { continue }
            let best = counts.values.max() ?? 0
            if let name = order.first(where: { counts[$0] == best }) { displayNames[key] = name }
        }
        for index in resolved.indices {
            if let name = displayNames[resolved[index].key] { resolved[index].name = name }
        }
        self.companies = resolved
        self.displayNames = displayNames
    }

    // MARK: Questions

    /// The company of a name as this database shows it: the names mapping applied, and the
    /// display name of the files when the mapping does not name the company.
    public func company(named name: String) -> Company {
        var company = names.resolve(name)
        if let display = displayNames[company.key] { company.name = display }
        return company
    }

    /// The canonical address of an address: the aliases followed to their end (a cycle stops
    /// at the last address before it repeats). Normalised: lowercase, `!` read as `@`.
    public func canonicalEmail(_ email: String) -> String {
        canonical(ofKey: ByteText.emailKey(email))
    }

    private func canonical(ofKey key: String) -> String {
        guard !aliases.isEmpty, aliases[key] != nil else { return key }
        var current = key
        var seen: [String] = [current]
        while let next = aliases[current], !seen.contains(next) {
            seen.append(next)
            current = next
        }
        return current
    }

    /// The company of the author of a commit with address `email` made on `date`, and the rule
    /// that decided (see the type's discussion for the order of the rules).
    ///
    /// - Complexity: O(h + l) for an address with h history lines and a domain of l labels.
    public func company(email: String, date: Day) -> Attribution {
        let given = ByteText.emailKey(email)
        let canonical = canonical(ofKey: given)
        let aliasedFrom = canonical == given ? nil : given
        if let history = emailHistories[canonical], let stint = Self.mostSpecific(history, on: date) {
            return Attribution(
                email: canonical, aliasedFrom: aliasedFrom, company: companies[Int(stint.spelling)],
                rule: .affiliation(source(of: stint)))
        }
        guard let at = canonical.lastIndex(of: "@") else {
            return Attribution(email: canonical, aliasedFrom: aliasedFrom, company: .unknown, rule: .unknown)
        }
        // The domain and each domain it is under, longest first: a.b.example.com, b.example.com, ...
        var start = canonical.index(after: at)
        while start < canonical.endIndex {
            let domain = String(canonical[start...])
            if freeMail.matches(suffix: domain) {
                return Attribution(email: canonical, aliasedFrom: aliasedFrom, company: .unknown, rule: .freeMail(domain))
            }
            if let history = domainHistories[domain], let stint = Self.mostSpecific(history, on: date) {
                return Attribution(
                    email: canonical, aliasedFrom: aliasedFrom, company: companies[Int(stint.spelling)],
                    rule: .domain(domain, source(of: stint)))
            }
            guard let dot = canonical[start...].firstIndex(of: ".") else { break }
            start = canonical.index(after: dot)
        }
        return Attribution(email: canonical, aliasedFrom: aliasedFrom, company: .unknown, rule: .unknown)
    }

    /// The company of `email` on the day `date` (`YYYY-MM-DD`), or nil when `date` is not a day.
    public func company(email: String, date: String) -> Attribution? {
        Day(date).map { company(email: email, date: $0) }
    }

    /// The history of an address of its own (after aliases), ordered by start then line: what
    /// the affiliation files and CSV rows say about it. Empty when it has none.
    public func history(email: String) -> [AffiliationRecord] {
        records(emailHistories[canonicalEmail(email)] ?? [])
    }

    /// The rules of one domain (exactly this domain, lowercased), ordered by start then line.
    public func domainRules(_ domain: String) -> [AffiliationRecord] {
        records(domainHistories[ByteText.domainKey(domain)] ?? [])
    }

    private func records(_ stints: [Stint]) -> [AffiliationRecord] {
        stints.sorted { a, b in
            let (fromA, fromB) = (a.range.from?.daysSinceEpoch ?? .min, b.range.from?.daysSinceEpoch ?? .min)
            return fromA != fromB ? fromA < fromB : (a.origin, a.line) < (b.origin, b.line)
        }.map { AffiliationRecord(company: companies[Int($0.spelling)], range: $0.range, source: source(of: $0)) }
    }

    func source(of stint: Stint) -> PeopleSourceLine {
        PeopleSourceLine(file: origins[Int(stint.origin)], line: Int(stint.line))
    }

    /// The stint holding `day` with the latest start, then the earliest end, then the first read.
    static func mostSpecific(_ stints: [Stint], on day: Day) -> Stint? {
        var best: Stint?
        for stint in stints where stint.range.contains(day) {
            guard let current = best else {
                best = stint
                continue
            }
            let from = stint.range.from?.daysSinceEpoch ?? .min
            let bestFrom = current.range.from?.daysSinceEpoch ?? .min
            if from != bestFrom {
                if from > bestFrom { best = stint }
                continue
            }
            let until = stint.range.until?.daysSinceEpoch ?? .max
            let bestUntil = current.range.until?.daysSinceEpoch ?? .max
            if until != bestUntil {
                if until < bestUntil { best = stint }
                continue
            }
            if (stint.origin, stint.line) < (current.origin, current.line) { best = stint }
        }
        return best
    }
}
