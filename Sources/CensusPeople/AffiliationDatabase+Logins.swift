extension AffiliationDatabase {
    /// The company of the GitHub user `login` on `date`, from the developer lines of the
    /// affiliation files (`login: addresses` then dated company lines): the most specific range
    /// holding the day, as for addresses. Logins are compared without case.
    ///
    /// - Returns: nil when no developer line names the login, or none of its ranges holds the day.
    public func company(login: String, date: Day) -> Attribution? {
        guard let history = loginHistories[login.lowercased()], let stint = Self.mostSpecific(history, on: date) else {
            return nil
        }
        return Attribution(email: login.lowercased(), company: companies[Int(stint.spelling)], rule: .affiliation(source(of: stint)))
    }

    /// The company lines of a login, ordered by start then line (empty when no developer line names it).
    public func history(login: String) -> [AffiliationRecord] {
        loginHistories[login.lowercased()].map { stints in
            stints.sorted { a, b in
                let (fromA, fromB) = (a.range.from?.daysSinceEpoch ?? .min, b.range.from?.daysSinceEpoch ?? .min)
                return fromA != fromB ? fromA < fromB : (a.origin, a.line) < (b.origin, b.line)
            }.map { AffiliationRecord(company: companies[Int($0.spelling)], range: $0.range, source: source(of: $0)) }
        } ?? []
    }

    /// How many distinct logins have a company history.
    public var loginCount: Int { loginHistories.count }
}
