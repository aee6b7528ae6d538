import CensusStore

/// What `census report` was asked for.
public struct ReportOptions: Sendable {
    /// The language the penetration, company, time and mark figures are about.
    public var language = "Go"
    /// The cohorts per-cohort figures show (all stored cohorts, the largest first, when empty).
    /// Exactly one cohort also limits every other figure to it, as `--cohort` does for the CLI.
    public var cohorts: [String] = []
    /// History figures count commits authored at or after `since` and before `until` (seconds
    /// since 1970, UTC); time charts show the periods that overlap them.
    public var since: Int64?
    public var until: Int64?
    public var title: String?
    public var locale: ReportLocale = .en
    public var marks: [ReportMark] = []
    /// Pairs of series to correlate (`--compare A,B`).
    public var comparisons: [(ReportSeriesSpec, ReportSeriesSpec)] = []
    public var period: TimelinePeriod = .year
    /// The least share of a unit's own code in the language for the unit to count as using it.
    public var threshold = 0.1
    /// Rows in rankings.
    public var limit = 15
    /// Modules drawn in the dependency graph (the most depended-on).
    public var graphModules = 10
    /// Months on each side of a marked date.
    public var window = 6
    /// The census version, for the method section.
    public var toolVersion = ""
    /// The command as it was run, for the method section.
    public var commandLine = ""
    /// Seconds since 1970 when the report was written.
    public var generatedAt: Int64 = 0
    /// The region (`China`, `Europe`, …) of an email domain, from its country-code top-level
    /// domain; nil for generic domains (`.com`). Supplied by the caller (CensusPeople's regions).
    public var regionOfEmailDomain: @Sendable (String) -> String? = { _ in nil }

    public init() {}

    /// The one cohort every figure is limited to, if exactly one was asked for.
    public var scopeCohort: String? { cohorts.count == 1 ? cohorts[0] : nil }
}
