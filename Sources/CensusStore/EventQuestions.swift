/// `census events … --metric` (docs/events.md, "Metrics").
public enum EventMetric: String, Sendable, CaseIterable {
    /// Every event.
    case events
    /// `WatchEvent` (GitHub's "star").
    case stars
    /// `ForkEvent`.
    case forks
    /// `CreateEvent` with `ref_type` (2011: `object`) `repository`.
    case newRepos = "new-repos"
    /// `PullRequestEvent` with action `opened`.
    case prsOpened = "prs-opened"
    /// `PullRequestEvent` with action `closed` and `merged` true.
    case prsMerged = "prs-merged"
    /// `IssuesEvent` with action `opened`.
    case issuesOpened = "issues-opened"
    /// `PushEvent`.
    case pushes
    /// Distinct actors (logins).
    case actors
    /// Distinct repositories.
    case repos

    /// Whether the metric counts distinct actors or repositories rather than events.
    public var isDistinct: Bool { self == .actors || self == .repos }
}

/// `census events top --by`.
public enum EventGroup: String, Sendable, CaseIterable {
    case repo, org, language, company, country, region, type
}

/// `census events timeline --by` (UTC periods; a week starts on Monday and is named by that day).
public enum EventPeriod: String, Sendable, CaseIterable {
    case day, week, month, quarter, year

    /// The period holding a UTC time, named as the timeline names it.
    public func label(_ seconds: Int64) -> String {
        let days = Int(seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400))
        return label(days: days)
    }

    func label(days: Int) -> String {
        let (y, m, d) = EventCalendar.civil(days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        func year(_ v: Int) -> String { String(repeating: "0", count: max(0, 4 - String(v).count)) + String(v) }
        switch self {
        case .day: return "\(year(y))-\(two(m))-\(two(d))"
        case .week:
            // 1970-01-01 was a Thursday: (days + 3) mod 7 is 0 on Mondays.
            let monday = days - ((days % 7 + 7 + 3) % 7)
            return EventPeriod.day.label(days: monday)
        case .month: return "\(year(y))-\(two(m))"
        case .quarter: return "\(year(y))-Q\((m + 2) / 3)"
        case .year: return year(y)
        }
    }

    /// The first day (days since 1970) of the period after the one holding `days`.
    func nextStart(after days: Int) -> Int {
        let (y, m, _) = EventCalendar.civil(days)
        switch self {
        case .day: return days + 1
        case .week: return days - ((days % 7 + 7 + 3) % 7) + 7
        case .month: return m == 12 ? EventCalendar.days(y + 1, 1, 1) : EventCalendar.days(y, m + 1, 1)
        case .quarter:
            let next = ((m - 1) / 3 + 1) * 3 + 1
            return next > 12 ? EventCalendar.days(y + 1, 1, 1) : EventCalendar.days(y, next, 1)
        case .year: return EventCalendar.days(y + 1, 1, 1)
        }
    }

    /// Every period from the one holding `from` to the one holding `through` (UTC seconds), in order.
    public func labels(from: Int64, through: Int64) -> [String] {
        guard from <= through else { return [] }
        var day = Int(from >= 0 ? from / 86_400 : -((-from + 86_399) / 86_400))
        let last = label(through)
        var labels: [String] = []
        while true {
            let name = label(days: day)
            labels.append(name)
            if name == last || labels.count > 1_000_000 { break }
            day = nextStart(after: day)
        }
        return labels
    }
}

/// Proleptic Gregorian days since 1970 (H. Hinnant's algorithms).
enum EventCalendar {
    static func days(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        return era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
    }

    static func civil(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysIn(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// Which events a question counts. Times are UTC seconds: `since` inclusive, `until` exclusive.
public struct EventFilter: Sendable, Equatable {
    /// The repository language (docs/events.md, "Repository language"), exactly as stored
    /// (Linguist's names: `Go`, `C++`).
    public var language: String?
    /// A region as ``CensusPeople/WorldRegion`` names it (`China`, `Europe`, `Asia-Pacific`).
    public var region: String?
    /// A company as `top --by company` shows it (compared without case).
    public var company: String?
    public var since: Int64?
    public var until: Int64?
    /// Count bots' events too (left out by default, as in history).
    public var includeBots = false

    public init(
        language: String? = nil, region: String? = nil, company: String? = nil, since: Int64? = nil, until: Int64? = nil,
        includeBots: Bool = false
    ) {
        self.language = language
        self.region = region
        self.company = company
        self.since = since
        self.until = until
        self.includeBots = includeBots
    }
}

/// A group and its value; `name` is nil for the events whose company, country or region is unknown.
public struct EventRankingRow: Sendable, Equatable {
    public var name: String?
    public var value: Int

    public init(name: String?, value: Int) {
        self.name = name
        self.value = value
    }
}

/// An answer with, when it involves languages (`--by language` or `--language`), how much of the
/// metric belongs to events whose repository has no known language.
public struct EventAnswer<Row: Sendable & Equatable>: Sendable, Equatable {
    public var rows: [Row]
    public var unknownLanguage: Int?

    public init(rows: [Row], unknownLanguage: Int?) {
        self.rows = rows
        self.unknownLanguage = unknownLanguage
    }
}

/// A file's ingest, as `github_event_files` keeps it.
public struct StoredEventFile: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// Read to its end.
        case complete
        /// Truncated or corrupt: the events before the damage are stored; a rerun reads it again.
        case partial
    }

    /// The file's name without directories (`2015-01-01-3.json.gz`), or `-`.
    public var name: String
    public var path: String
    public var size: Int64
    public var status: Status
    /// The ingest filters' signature (a file read again with other filters is read again).
    public var options: String
    public var lines: Int
    public var events: Int
    /// Events new to the store.
    public var stored: Int
    /// Events already stored (the same id, or the same Timeline key).
    public var duplicates: Int
    public var filtered: Int
    public var malformed: Int
    /// Why it is partial, with the byte offset reached.
    public var error: String?
    public var ingestedAt: Int64

    public init(
        name: String, path: String, size: Int64, status: Status, options: String, lines: Int, events: Int, stored: Int,
        duplicates: Int, filtered: Int, malformed: Int, error: String?, ingestedAt: Int64
    ) {
        self.name = name
        self.path = path
        self.size = size
        self.status = status
        self.options = options
        self.lines = lines
        self.events = events
        self.stored = stored
        self.duplicates = duplicates
        self.filtered = filtered
        self.malformed = malformed
        self.error = error
        self.ingestedAt = ingestedAt
    }
}

/// The SQL of the event questions, for SQLite and ClickHouse (docs/schema.md, "Events").
///
/// Both stores answer from the same statements; what differs goes through ``dialect``: in
/// ClickHouse an absent text is `''` (SQLite: NULL), events are counted once per dedupe key with
/// `uniqExact(event_id)` (SQLite's primary key already holds each once), and only events of a
/// recorded file are seen (a file's rows are written before its `github_event_files` row).
package struct EventQueries: Sendable {
    package let dialect: SQLDialect

    package init(dialect: SQLDialect) {
        self.dialect = dialect
    }

    var isClickHouse: Bool { dialect == .clickhouse }
    var global: String { isClickHouse ? "GLOBAL " : "" }

    func present(_ column: String) -> String { isClickHouse ? "\(column) != ''" : "\(column) IS NOT NULL" }
    func absent(_ column: String) -> String { isClickHouse ? "\(column) = ''" : "\(column) IS NULL" }

    /// The resolved language of each repository (columns `repo`, `repo_language`; in SQLite the
    /// scans' `repo` is cast to `TEXT` so that the column has the events' affinity and the join can
    /// use an automatic index: without it SQLite compares every event with every repository): a census scan
    /// of it (the language with the most bytes in GitHub's bar), else the Timeline's
    /// `repository.language`, else a pull request's base repository language, else
    /// `--repo-languages`; within a source the latest sighting.
    func repositoryLanguages() -> SQLText {
        if isClickHouse {
            return """
                SELECT repo, argMin(language_name, language_rank) AS repo_language FROM (\
                SELECT lower(concat(assumeNotNull(owner), '/', assumeNotNull(name))) AS repo, toUInt8(0) AS language_rank, \
                scan_language AS language_name FROM repositories \
                GLOBAL ANY INNER JOIN (SELECT repository_id, argMax(language, tuple(breakdown_bytes, language)) AS scan_language \
                FROM repository_languages WHERE breakdown_bytes > 0 GROUP BY repository_id) USING (repository_id) \
                WHERE isNotNull(owner) AND isNotNull(name) AND lower(assumeNotNull(host)) = 'github.com' \
                AND repository_id GLOBAL IN (SELECT argMax(repository_id, tuple(saved_at, repository_id)) FROM repositories GROUP BY repository_key) \
                UNION ALL \
                SELECT repo, toUInt8(multiIf(source = 'timeline', 1, source = 'pull-request', 2, 3)) AS language_rank, \
                argMax(language, tuple(seen_at, language)) AS language_name FROM github_repo_languages GROUP BY repo, source\
                ) GROUP BY repo
                """
        }
        return """
            SELECT repo, language_name AS repo_language FROM (\
            SELECT repo, language_name, MIN(language_rank) AS best_rank FROM (\
            SELECT CAST(lower(r.owner || '/' || r.name) AS TEXT) AS repo, 0 AS language_rank, \
            (SELECT l.language FROM repository_languages AS l WHERE l.repository_id = r.repository_id AND l.breakdown_bytes > 0 \
            ORDER BY l.breakdown_bytes DESC, l.language DESC LIMIT 1) AS language_name \
            FROM repositories AS r WHERE lower(r.host) = 'github.com' AND r.owner IS NOT NULL AND r.name IS NOT NULL \
            UNION ALL \
            SELECT repo, CASE source WHEN 'timeline' THEN 1 WHEN 'pull-request' THEN 2 ELSE 3 END, language \
            FROM github_repo_languages\
            ) WHERE language_name IS NOT NULL GROUP BY repo)
            """
    }

    /// The metric's event condition, if any.
    func metricCondition(_ metric: EventMetric) -> String? {
        switch metric {
        case .events: return nil
        case .stars: return "type = 'WatchEvent'"
        case .forks: return "type = 'ForkEvent'"
        case .newRepos: return "type = 'CreateEvent' AND ref_type = 'repository'"
        case .prsOpened: return "type = 'PullRequestEvent' AND action = 'opened'"
        case .prsMerged: return "type = 'PullRequestEvent' AND action = 'closed' AND merged = 1"
        case .issuesOpened: return "type = 'IssuesEvent' AND action = 'opened'"
        case .pushes: return "type = 'PushEvent'"
        case .actors: return present("actor")
        case .repos: return present("repo")
        }
    }

    /// The aggregate.
    func value(_ metric: EventMetric) -> String {
        switch metric {
        case .actors: return isClickHouse ? "uniqExact(actor)" : "COUNT(DISTINCT actor)"
        case .repos: return isClickHouse ? "uniqExact(repo)" : "COUNT(DISTINCT repo)"
        default: return isClickHouse ? "uniqExact(event_id)" : "COUNT(*)"
        }
    }

    /// `FROM … WHERE …` for a metric and filter; `languageJoin` joins the resolved languages
    /// (inner with a language filter, left otherwise); `unknownLanguageOnly` keeps only events
    /// without one.
    ///
    /// `languageRequired` (events without a known language are left out anyway, as `top --by
    /// language` does) makes the join inner, so that SQLite keeps `github_events` the outer loop:
    /// with `LEFT JOIN … WHERE repo_language IS NOT NULL` it turned the join inner itself and put
    /// the languages outside, scanning every event once per repository (GH Archive's five sample
    /// hours: 25,632 events, 6,383 language rows, 49 s in sqlite3 instead of 0.05 s).
    func source(
        _ metric: EventMetric, _ filter: EventFilter, languageJoin: Bool, languageRequired: Bool = false,
        unknownLanguageOnly: Bool = false, extra: [SQLText] = []
    ) -> SQLText {
        var conditions: [SQLText] = extra
        if let condition = metricCondition(metric) { conditions.append(SQLText(stringLiteral: condition)) }
        if !filter.includeBots { conditions.append("is_bot = 0") }
        if let since = filter.since { conditions.append("created_at >= \(bind: since)") }
        if let until = filter.until { conditions.append("created_at < \(bind: until)") }
        if let region = filter.region {
            conditions.append(isClickHouse ? "lower(region) = lower(\(bind: region))" : "region = \(bind: region) COLLATE NOCASE")
        }
        if let company = filter.company {
            conditions.append(
                isClickHouse ? "lower(company) = lower(\(bind: company))" : "company = \(bind: company) COLLATE NOCASE")
        }
        if isClickHouse { conditions.append("file_id GLOBAL IN (SELECT file_id FROM github_event_files)") }
        let joinsLanguage = languageJoin || filter.language != nil || unknownLanguageOnly
        var from: SQLText = "github_events"
        if joinsLanguage {
            let inner = (filter.language != nil || languageRequired) && !unknownLanguageOnly
            // SQLite: CROSS JOIN keeps github_events the outer loop, so the languages are searched
            // through an automatic index; with a plain JOIN and a corpus in `repositories` the planner
            // put the languages outside and scanned every event once per repository (5 million events
            // and 20,000 repositories: over 10 minutes instead of 2 s of CPU, bench/report-bench.sh).
            let kind = isClickHouse ? (inner ? "ANY INNER JOIN" : "ANY LEFT JOIN") : (inner ? "CROSS JOIN" : "LEFT JOIN")
            from = "github_events \(SQLText(stringLiteral: global + kind)) (\(repositoryLanguages())) USING (repo)"
            if let language = filter.language, !unknownLanguageOnly {
                conditions.append("repo_language = \(bind: language)")
            }
            if unknownLanguageOnly {
                conditions.append(SQLText(stringLiteral: isClickHouse ? "repo_language = ''" : "repo_language IS NULL"))
            }
        }
        let clause: SQLText = conditions.isEmpty ? "" : " WHERE \(StoreQueries.and(conditions))"
        return "FROM \(from)\(clause)"
    }

    func groupColumn(_ group: EventGroup) -> String {
        switch group {
        case .repo: return "repo"
        case .org: return "org"
        case .language: return "repo_language"
        case .company: return "company"
        case .country: return "country"
        case .region: return "region"
        case .type: return "type"
        }
    }

    /// The groups with the most of a metric; events without a repository are left out of
    /// `repo` and `org`, events without a known language out of `language` (counted apart).
    package func top(_ metric: EventMetric, by group: EventGroup, _ filter: EventFilter, limit: Int) -> SQLText {
        let column = groupColumn(group)
        var extra: [SQLText] = []
        switch group {
        case .repo, .org: extra.append(SQLText(stringLiteral: present(column)))
        case .language: extra.append(SQLText(stringLiteral: isClickHouse ? "repo_language != ''" : "repo_language IS NOT NULL"))
        default: break
        }
        let from = source(metric, filter, languageJoin: group == .language, languageRequired: group == .language, extra: extra)
        let nullsLast = isClickHouse ? "group_name = '', " : "group_name IS NULL, "
        return """
            SELECT \(SQLText(stringLiteral: column)) AS group_name, \(SQLText(stringLiteral: value(metric))) AS group_value \
            \(from) GROUP BY group_name ORDER BY group_value DESC, \(SQLText(stringLiteral: nullsLast))group_name ASC \
            LIMIT \(bind: max(0, limit))
            """
    }

    /// The metric per UTC period (periods without events are absent; the store fills them).
    package func timeline(_ metric: EventMetric, by period: EventPeriod, _ filter: EventFilter) -> SQLText {
        """
        SELECT \(SQLText(stringLiteral: periodExpression(period))) AS period_name, \(SQLText(stringLiteral: value(metric))) AS period_value \
        \(source(metric, filter, languageJoin: false)) GROUP BY period_name ORDER BY period_name
        """
    }

    /// The metric over everything the filter lets through.
    package func total(_ metric: EventMetric, _ filter: EventFilter, unknownLanguageOnly: Bool = false) -> SQLText {
        """
        SELECT \(SQLText(stringLiteral: value(metric))) AS total_value \
        \(source(metric, filter, languageJoin: false, unknownLanguageOnly: unknownLanguageOnly))
        """
    }

    func periodExpression(_ period: EventPeriod) -> String {
        if isClickHouse {
            let time = "toDateTime(created_at, 'UTC')"
            switch period {
            case .day: return "toString(toDate(\(time)))"
            case .week: return "toString(toMonday(\(time)))"
            case .month:
                return "concat(substring(toString(toYYYYMM(\(time))), 1, 4), '-', substring(toString(toYYYYMM(\(time))), 5, 2))"
            case .quarter: return "concat(toString(toYear(\(time))), '-Q', toString(toQuarter(\(time))))"
            case .year: return "toString(toYear(\(time)))"
            }
        }
        switch period {
        case .day: return "strftime('%Y-%m-%d', created_at, 'unixepoch')"
        case .week: return "date(created_at, 'unixepoch', 'weekday 0', '-6 days')"
        case .month: return "strftime('%Y-%m', created_at, 'unixepoch')"
        case .quarter:
            return "strftime('%Y', created_at, 'unixepoch') || '-Q' || ((CAST(strftime('%m', created_at, 'unixepoch') AS INTEGER) + 2) / 3)"
        case .year: return "strftime('%Y', created_at, 'unixepoch')"
        }
    }
}

extension EventQueries {
    /// The statement with its values written in, for `sqlite3` or `clickhouse-client`
    /// (`census events top --show-sql`): the very SQL the store runs.
    package func inlined(_ query: SQLText) throws -> String {
        if isClickHouse { return try ClickHouseSQL.inline(query) }
        var out = ""
        var arguments = query.arguments.makeIterator()
        var quote: Character?
        for character in query.sql {
            if let open = quote {
                out.append(character)
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "'", "\"":
                quote = character
                out.append(character)
            case "?":
                switch arguments.next() {
                case .integer(let value)?: out += String(value)
                case .real(let value)?: out += "\(value)"
                case .text(let value)?: out += "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
                case nil: out.append(character)
                }
            default:
                out.append(character)
            }
        }
        return out
    }
}
