/// A company as attribution reports it: a normalised key that says which company it is, and the
/// name to show.
///
/// Two spellings are the same company when their keys are equal: `Red Hat, Inc.`, `RedHat` and
/// `red hat` all have the key `redhat` (see ``CompanyNames/key(_:)``). ``name`` is the canonical
/// display name chosen by the rule of docs/people.md ("Display names").
public struct Company: Hashable, Sendable, CustomStringConvertible {
    /// The normalised name: lowercase letters and digits of the name without legal suffixes,
    /// after the names mapping. Compare companies by this.
    public var key: String
    /// The name to show.
    public var name: String

    public init(key: String, name: String) {
        self.key = key
        self.name = name
    }

    /// No company is known: an address at a free-mail or unlisted domain, or a file that says
    /// `NotFound`. Counted and shown like any company, never hidden.
    public static let unknown = Company(key: "unknown", name: "Unknown")

    /// Whether this is ``unknown``.
    public var isUnknown: Bool { key == Company.unknown.key }

    /// Whether this is the independent (self-employed) company of the affiliation files:
    /// a company in its own right, distinct from ``unknown``.
    public var isIndependent: Bool { key == "independent" }

    /// The display name.
    public var description: String { name }
}
