/// Domains anyone can get an address at (gmail.com, qq.com, users.noreply.github.com, ...): an
/// address there never maps to a company by its domain.
///
/// An entry is a domain, matching itself and its subdomains (`qq.com` matches `vip.qq.com`), or
/// `name.*`, matching `name.` followed by a top-level domain or a country's second level: at most
/// two labels of at most three letters each (`gmx.*` matches `gmx.de`, `gmx.net`, `gmx.co.uk`,
/// not `gmx.example.org`). The shipped list is Data/people/free-mail.txt.
public struct FreeMailDomains: Sendable {
    private var exact: Set<String> = []
    private var anySuffix: Set<String> = []

    /// The shipped list, Data/people/free-mail.txt.
    public static let standard = FreeMailDomains(lines: PeopleData.freeMail)

    /// A list of entries (`gmail.com`, `gmx.*`); case does not matter.
    public init(_ entries: [String]) {
        for entry in entries { insert(entry) }
    }

    /// The entries of a table with one a line and `#` comments.
    init(lines table: String) {
        for line in table.split(separator: "\n") {
            let text = line.trimmingBlanks()
            if text.isEmpty || text.hasPrefix("#") { continue }
            insert(String(text))
        }
    }

    /// Adds an entry.
    public mutating func insert(_ entry: String) {
        let entry = ByteText.domainKey(entry)
        if entry.hasSuffix(".*") {
            anySuffix.insert(String(entry.dropLast(2)))
        } else if !entry.isEmpty {
            exact.insert(entry)
        }
    }

    /// How many entries the list has.
    public var count: Int { exact.count + anySuffix.count }

    /// The part of `domain` that is a free-mail domain (`gmail.com` for `gmail.com`, `qq.com` for
    /// `vip.qq.com`), or nil when no entry matches.
    public func match(domain: String) -> String? {
        let domain = ByteText.domainKey(domain)
        var start = domain.startIndex
        while true {
            let suffix = String(domain[start...])
            if matches(suffix: suffix) { return suffix }
            guard let dot = domain[start...].firstIndex(of: ".") else { return nil }
            start = domain.index(after: dot)
        }
    }

    /// Whether `domain` (or a domain it is under) is on the list.
    public func contains(domain: String) -> Bool { match(domain: domain) != nil }

    /// Whether `domain` itself, not only a domain it is under, is on the list (`vip.qq.com` is
    /// not, though it is under `qq.com`).
    func matchesWhole(domain: String) -> Bool {
        matches(suffix: ByteText.domainKey(domain))
    }

    /// Whether an entry matches this whole domain (lowercased).
    func matches(suffix: String) -> Bool {
        if exact.contains(suffix) { return true }
        guard !anySuffix.isEmpty, let dot = suffix.firstIndex(of: "."), anySuffix.contains(String(suffix[..<dot])) else {
            return false
        }
        let rest = suffix[suffix.index(after: dot)...].split(separator: ".", omittingEmptySubsequences: false)
        return (1...2).contains(rest.count) && rest.allSatisfy { (1...3).contains($0.count) }
    }
}
