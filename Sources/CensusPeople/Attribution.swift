/// Which rule gave an address its company on a day: for `census explain`-style output and for
/// checking the rule files.
public enum AttributionRule: Hashable, Sendable, CustomStringConvertible {
    /// The address's own history, in an affiliation file, CSV row or an address line of a
    /// domain map: the company line that holds on the day.
    case affiliation(PeopleSourceLine)
    /// A domain rule: the matched domain (the address's domain or the domain it is under, the
    /// longest that has a rule for the day) and the line of the rule.
    case domain(String, PeopleSourceLine)
    /// The address is at this free-mail domain, which never maps to a company by domain.
    case freeMail(String)
    /// No rule knows the address on that day.
    case unknown

    /// `affiliation developers_affiliations5.txt:12`, `domain google.com (domain-map:320)`,
    /// `free-mail gmail.com`, `unknown`.
    public var description: String {
        switch self {
        case .affiliation(let line): return "affiliation \(line)"
        case .domain(let domain, let line): return "domain \(domain) (\(line))"
        case .freeMail(let domain): return "free-mail \(domain)"
        case .unknown: return "unknown"
        }
    }
}

/// The company of a commit's author on the commit's day, and why.
public struct Attribution: Hashable, Sendable, CustomStringConvertible {
    /// The address the rules were applied to: normalised (lowercase, gitdm's `!` read as `@`) and
    /// after the email aliases.
    public var email: String
    /// The address as given (normalised), when an alias replaced it.
    public var aliasedFrom: String?
    /// The company; ``Company/unknown`` when no rule applies or a rule says `NotFound`.
    public var company: Company
    /// The rule that decided.
    public var rule: AttributionRule

    public init(email: String, aliasedFrom: String? = nil, company: Company, rule: AttributionRule) {
        self.email = email
        self.aliasedFrom = aliasedFrom
        self.company = company
        self.rule = rule
    }

    /// `alice@example.com: Example (domain example.com (domain-map:3))`.
    public var description: String {
        let alias = aliasedFrom.map { " (alias of \($0))" } ?? ""
        return "\(email)\(alias): \(company.name) (\(rule))"
    }
}

/// One company line of an address's history.
public struct AffiliationRecord: Hashable, Sendable, CustomStringConvertible {
    public var company: Company
    public var range: DayRange
    /// The line the record was read from.
    public var source: PeopleSourceLine

    public init(company: Company, range: DayRange, source: PeopleSourceLine) {
        self.company = company
        self.range = range
        self.source = source
    }

    /// `Google from 2018-03-01 (developers_affiliations5.txt:22)`.
    public var description: String {
        range == .always ? "\(company.name) (\(source))" : "\(company.name) \(range) (\(source))"
    }
}
