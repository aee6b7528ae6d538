import CensusStore

/// Builds a ``ReportDocument`` from a store: every figure is the answer of the store queries the
/// command line prints (`top`, `share`, `breakdown`, `repos`, `contributors`, `timeline`,
/// `deps …`), with the census commands that print the same rows and, for SQLite, the SQL the store
/// ran (recorded by a ``ReportStatementRecorder``).
///
/// The queries run one after another on the calling thread (they block: call from a thread census
/// owns). Drawing is done later by the writers and costs little next to the queries.
public struct ReportBuilder {
    let store: any ResultStore
    let events: any ReportEventSource
    let options: ReportOptions
    let recorder: ReportStatementRecorder?
    let s: ReportStrings

    public init(store: any ResultStore, events: any ReportEventSource = NoReportEvents(), options: ReportOptions,
                recorder: ReportStatementRecorder? = nil) {
        self.store = store
        self.events = events
        self.options = options
        self.recorder = recorder
        self.s = ReportStrings(options.locale)
    }

    /// A query's answer with the SQL that produced it.
    struct Answer<T> {
        var value: T
        var sql: [String]
    }

    /// Runs `body`, keeping the statements the store ran for it.
    func ask<T>(_ body: () throws -> T) throws -> Answer<T> {
        _ = recorder?.take()
        let value = try body()
        return Answer(value: value, sql: recorder?.take() ?? [])
    }

    /// Everything the sections share, asked once.
    struct Context {
        var repositories: Answer<[StoredRepositoryRow]>
        var breakdown: Answer<[LanguageBreakdownRow]>
        var cohorts: [String]
        var history: (any HistoryStore)?
        var hasHistory: Bool
        /// Commits per company in the report's scope and dates, bots included: whether there is
        /// history, and the corpus section's count of bot commits.
        var allCommits: Answer<[ContributorRow]>?
        var dependencies: (any DependencyStore)?
        var hasModules: Bool
        /// The most depended-on modules, as many as the ranking and the graph need.
        var fanIn: Answer<[DependencyFanInRow]>?
        var events: ReportEventCoverage?
    }

    public func build() throws -> ReportDocument {
        let scope = options.scopeCohort
        let repositories = try ask { try store.repositories(cohort: scope) }
        let breakdown = try ask { try store.breakdown(cohort: scope) }
        var counts: [String: Int] = [:]
        for row in repositories.value { for c in row.repository.cohorts { counts[c, default: 0] += 1 } }
        let cohorts =
            options.cohorts.isEmpty
            ? counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(12).map(\.key) : options.cohorts
        // Each probe is a query a figure needs anyway, so asking costs nothing extra.
        let history = store as? any HistoryStore
        let allCommits = try history.map { history in
            try ask {
                try history.contributors(
                    language: nil, by: .company, metric: .commits, since: options.since, until: options.until, cohort: scope,
                    includeBots: true, limit: Int(Int32.max))
            }
        }
        let dependencies = store as? any DependencyStore
        let fanIn = try dependencies.map { deps in
            try ask { try deps.dependencyFanIn(directOnly: false, cohort: scope, limit: max(options.limit, options.graphModules)) }
        }
        let context = Context(
            repositories: repositories, breakdown: breakdown, cohorts: cohorts, history: history,
            hasHistory: !(allCommits?.value.isEmpty ?? true), allCommits: allCommits, dependencies: dependencies,
            hasModules: !(fanIn?.value.isEmpty ?? true), fanIn: fanIn, events: try events.eventCoverage())
        _ = recorder?.take()

        var sections: [ReportSection] = []
        sections.append(try corpusSection(context))
        sections.append(try compositionSection(context))
        sections.append(try penetrationSection(context))
        sections.append(try companiesSection(context))
        sections.append(try timeSection(context))
        sections.append(try modulesSection(context))
        sections.append(methodSection(context, figures: sections.flatMap(\.figures)))

        let title = options.title ?? s.fill(.defaultTitle, options.language)
        var subtitle = s.fill(.subtitle, options.language, scope ?? s[.allRepositories], ReportFormat.day(options.generatedAt))
        if let since = options.since { subtitle += " · " + s[.since] + " " + ReportFormat.day(since) }
        if let until = options.until { subtitle += " · " + s[.until] + " " + ReportFormat.day(until) }
        return ReportDocument(title: title, locale: options.locale, subtitle: subtitle, sections: sections)
    }

    // MARK: - Commands

    /// A census command line with its values quoted for a POSIX shell where needed.
    func cli(_ words: [String?]) -> String {
        (["census"] + words.compactMap { $0 }).map(Self.shellWord).joined(separator: " ")
    }

    /// `--cohort X` for the scope, when there is one.
    var cohortArguments: [String?] { options.scopeCohort.map { ["--cohort", $0] } ?? [] }

    static func shellWord(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { scalar in
            ("a" ... "z").contains(scalar) || ("A" ... "Z").contains(scalar) || ("0" ... "9").contains(scalar)
                || "_-./:=%+,@".unicodeScalars.contains(scalar)
        }
        if plain { return word }
        return "'" + word.replacing("'", with: "'\\''") + "'"
    }

    /// The figure id, `[a-z0-9-]`.
    static func slug(_ text: String) -> String {
        var out = ""
        for scalar in text.lowercased().unicodeScalars {
            if ("a" ... "z").contains(scalar) || ("0" ... "9").contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if !out.hasSuffix("-") {
                out += "-"
            }
        }
        return out
    }

    // MARK: - 1. Corpus

    func corpusSection(_ c: Context) throws -> ReportSection {
        var section = ReportSection(id: "corpus", title: s[.corpusTitle])
        let rows = c.repositories.value
        guard !rows.isEmpty else {
            section.missing = ["census scan --manifest FILE"]
            return section
        }
        let orgs = Set(rows.map(\.repository.org)).count
        let companies = Set(rows.compactMap(\.repository.company)).count
        let allCohorts = Set(rows.flatMap(\.repository.cohorts)).count
        let scanned = rows.map(\.repository.scannedAt)
        let first = rows.compactMap(\.repository.rootCommitDate).min()
        let last = rows.compactMap(\.repository.commitDate).max()
        let commits = rows.reduce(0) { $0 + ($1.repository.commitCount ?? 0) }
        section.paragraphs.append(
            s.fill(
                .corpusSummary, ReportFormat.integer(rows.count), ReportFormat.integer(allCohorts), ReportFormat.integer(orgs),
                ReportFormat.integer(companies), ReportFormat.integer(commits)))
        if let lo = scanned.min(), let hi = scanned.max() {
            var dates = s.fill(.scannedBetween, ReportFormat.day(lo), ReportFormat.day(hi))
            if let first, let last { dates += " " + s.fill(.historySpan, ReportFormat.day(first), ReportFormat.day(last)) }
            section.paragraphs.append(dates)
        }

        var historyCommits: Answer<[ContributorRow]>?
        let withBots = c.allCommits
        if let history = c.history, c.hasHistory {
            let answer = try ask {
                try history.contributors(
                    language: nil, by: .company, metric: .commits, since: options.since, until: options.until,
                    cohort: options.scopeCohort, includeBots: false, limit: Int(Int32.max))
            }
            historyCommits = answer
            section.paragraphs.append(s.fill(.historyCommits, ReportFormat.integer(answer.value.reduce(0) { $0 + $1.commits })))
        } else {
            section.paragraphs.append(try historyOutsideScope(c) ? s[.noHistoryInScope] : s[.noHistoryYet])
        }
        if let coverage = c.events {
            section.paragraphs.append(
                s.fill(.eventsCoverage, ReportFormat.integer(coverage.events), ReportFormat.day(coverage.first), ReportFormat.day(coverage.last)))
        } else {
            section.paragraphs.append(s[.noEventsYet])
        }

        // Repositories per cohort.
        var perCohort: [String: (repositories: Int, orgs: Set<String>, companies: Set<String>, code: Int)] = [:]
        for row in rows {
            for cohort in row.repository.cohorts {
                var entry = perCohort[cohort] ?? (0, [], [], 0)
                entry.repositories += 1
                entry.orgs.insert(row.repository.org)
                if let company = row.repository.company { entry.companies.insert(company) }
                entry.code += row.own.code
                perCohort[cohort] = entry
            }
        }
        if !perCohort.isEmpty {
            let ordered = perCohort.sorted { ($0.value.repositories, $1.key) > ($1.value.repositories, $0.key) }
            let shown = Array(ordered.prefix(20))
            var table = ReportTable(columns: [
                ReportColumn(s[.cohort], field: "cohort"), ReportColumn(s[.repositories], field: "repositories"),
                ReportColumn(s[.orgs], field: "orgs"), ReportColumn(s[.companies], field: "companies"),
                ReportColumn(s[.ownCodeLines], field: "own_code"),
            ])
            for (cohort, e) in ordered {
                table.rows.append([.text(cohort), .integer(e.repositories), .integer(e.orgs.count), .integer(e.companies.count), .integer(e.code)])
            }
            let chart = BarChart(
                labels: shown.map(\.key),
                series: [ChartSeries(name: s[.repositories], color: ChartColors.series(0), values: shown.map { Double($0.value.repositories) })])
            section.figures.append(
                ReportFigure(
                    id: "corpus-cohorts", title: s[.figCohorts], caption: s[.capCohorts], chart: .bars(chart), table: table,
                    commands: [cli(["repos", "--format", "csv"] + cohortArguments)], sql: c.repositories.sql,
                    sqlNotes: [s[.noteCohortsCounted]]))
        }

        // What was left out, and why.
        var table = ReportTable(columns: [
            ReportColumn(s[.whatColumn], field: "what"), ReportColumn(s[.countColumn], field: "count"), ReportColumn(s[.whyColumn], field: "why"),
        ])
        let excluded = c.breakdown.value.reduce(StoredCounts()) { sum, row in
            StoredCounts(files: sum.files + row.excluded.files, code: sum.code + row.excluded.code, bytes: sum.bytes + row.excluded.bytes)
        }
        table.rows.append([.text(s[.excludedFiles]), .integer(excluded.files), .text(s[.whyExcludedFiles])])
        table.rows.append([.text(s[.excludedCode]), .integer(excluded.code), .text(s[.whyExcludedFiles])])
        table.rows.append([.text(s[.noCompany]), .integer(rows.filter { $0.repository.company == nil }.count), .text(s[.whyNoCompany])])
        table.rows.append([.text(s[.plainDirectories]), .integer(rows.filter { $0.repository.commit == nil }.count), .text(s[.whyPlain])])
        table.rows.append([.text(s[.shallowClones]), .integer(rows.filter { $0.repository.isShallow }.count), .text(s[.whyShallow])])
        var sql = c.repositories.sql + c.breakdown.sql
        var commands = [cli(["repos", "--format", "csv"] + cohortArguments), cli(["breakdown", "--format", "csv"] + cohortArguments)]
        if let historyCommits, let withBots {
            let kept = historyCommits.value.reduce(0) { $0 + $1.commits }
            let all = withBots.value.reduce(0) { $0 + $1.commits }
            table.rows.append([.text(s[.botCommits]), .integer(all - kept), .text(s[.whyBots])])
            let unknown = historyCommits.value.first { $0.name == "Unknown" }?.commits ?? 0
            table.rows.append([.text(s[.unknownCompanyCommits]), .integer(unknown), .text(s[.whyUnknown])])
            sql += historyCommits.sql + withBots.sql
            commands.append(cli(["contributors", "--by", "company", "--limit", "2147483647"] + dateArguments + cohortArguments))
            commands.append(cli(["contributors", "--by", "company", "--include-bots", "--limit", "2147483647"] + dateArguments + cohortArguments))
        }
        section.figures.append(
            ReportFigure(id: "corpus-excluded", title: s[.figExcluded], caption: s[.capExcluded], chart: nil, table: table, commands: commands, sql: sql))
        return section
    }

    /// Whether the store holds history that the report's dates or cohort leave out entirely.
    func historyOutsideScope(_ c: Context) throws -> Bool {
        guard let history = c.history, !c.hasHistory, options.since != nil || options.until != nil || options.scopeCohort != nil else { return false }
        return try !history.contributors(language: nil, by: .company, metric: .commits, since: nil, until: nil, cohort: nil, includeBots: true, limit: 1).isEmpty
    }

    var dateArguments: [String?] {
        var words: [String?] = []
        if let since = options.since { words += ["--since", ReportFormat.day(since)] }
        if let until = options.until { words += ["--until", ReportFormat.day(until)] }
        return words
    }

    // MARK: - 2. Language composition

    func compositionSection(_ c: Context) throws -> ReportSection {
        var section = ReportSection(id: "composition", title: s[.compositionTitle])
        let corpus = c.breakdown.value
        guard corpus.contains(where: { $0.own.files > 0 || $0.breakdownBytes > 0 }) else {
            section.missing = ["census scan --manifest FILE"]
            return section
        }

        // GitHub's bar, for the corpus and each cohort.
        var bars: [(label: String, rows: [LanguageBreakdownRow], command: String)] = [
            (options.scopeCohort ?? s[.allRepositories], corpus, cli(["breakdown", "--format", "csv"] + cohortArguments))
        ]
        var sql = c.breakdown.sql
        if options.scopeCohort == nil {
            for cohort in c.cohorts {
                let answer = try ask { try store.breakdown(cohort: cohort) }
                sql += answer.sql
                bars.append((cohort, answer.value, cli(["breakdown", "--cohort", cohort, "--format", "csv"])))
            }
        }
        let leaders = Array(corpus.filter { $0.breakdownBytes > 0 }.prefix(8).map(\.language))
        var series = leaders.map { language in
            ChartSeries(
                name: language, color: ChartColors.language(language),
                values: bars.map { bar in Double(bar.rows.first { $0.language == language }?.breakdownBytes ?? 0) })
        }
        let other = bars.map { bar in Double(bar.rows.filter { !leaders.contains($0.language) }.reduce(0) { $0 + $1.breakdownBytes }) }
        if other.contains(where: { $0 > 0 }) { series.append(ChartSeries(name: s[.otherLanguages], color: ChartColors.neutral, values: other)) }
        var table = ReportTable(columns: [
            ReportColumn(s[.barColumn], field: "bar"), ReportColumn(s[.language], field: "language"),
            ReportColumn(s[.barBytes], field: "breakdown_bytes"), ReportColumn(s[.barShare], field: "share"),
        ])
        // The rows the chart draws: the leaders, then Other, per bar.
        for (k, bar) in bars.enumerated() {
            let total = bar.rows.reduce(0) { $0 + $1.breakdownBytes }
            for segment in series {
                guard let bytes = segment.values[k], bytes > 0 else { continue }
                table.rows.append([.text(bar.label), .text(segment.name), .integer(Int(bytes)), .fraction(bytes / Double(total))])
            }
        }
        section.figures.append(
            ReportFigure(
                id: "composition-bar", title: s[.figLanguageBar], caption: s[.capLanguageBar],
                chart: .bars(BarChart(labels: bars.map(\.label), series: series, normalized: true)), table: table,
                commands: bars.map(\.command), sql: sql, sqlNotes: [s[.noteOtherLanguages]]))

        // Top languages by own code, excluded code apart.
        let top = Array(corpus.filter { $0.own.files > 0 }.sorted { ($0.own.code, $1.language) > ($1.own.code, $0.language) }.prefix(options.limit))
        let chart = BarChart(
            labels: top.map(\.language),
            series: [
                ChartSeries(
                    name: s[.ownCode], color: ChartColors.series(0), values: top.map { Double($0.own.code) },
                    colors: top.map { ChartColors.language($0.language) }),
                ChartSeries(name: s[.excludedCodeSeries], color: ChartColors.neutral, values: top.map { Double($0.excluded.code) }),
            ],
            notes: top.map { ReportFormat.integer($0.own.code) })
        var languages = ReportTable(columns: [
            ReportColumn(s[.language], field: "language"), ReportColumn(s[.typeColumn], field: "type"),
            ReportColumn(s[.repositories], field: "repositories"), ReportColumn(s[.ownFiles], field: "own_files"),
            ReportColumn(s[.ownCode], field: "own_code"), ReportColumn(s[.comments], field: "own_comments"),
            ReportColumn(s[.blanks], field: "own_blanks"), ReportColumn(s[.excludedCodeSeries], field: "excluded_code"),
            ReportColumn(s[.barShare], field: "bar_share"),
        ])
        for row in top {
            languages.rows.append([
                .text(row.language), .text(row.type.rawValue), .integer(row.ownRepositories), .integer(row.own.files), .integer(row.own.code),
                .integer(row.own.comment), .integer(row.own.blank), .integer(row.excluded.code),
                row.breakdownBytes > 0 ? .fraction(row.percentage / 100) : .empty,
            ])
        }
        section.figures.append(
            ReportFigure(
                id: "composition-languages", title: s[.figTopLanguages], caption: s[.capTopLanguages], chart: .bars(chart),
                table: languages, commands: [cli(["breakdown", "--format", "csv"] + cohortArguments)], sql: c.breakdown.sql,
                sqlNotes: [s.fill(.noteSortedByCode, ReportFormat.integer(options.limit))]))
        return section
    }

    // MARK: - 3. Penetration

    func penetrationSection(_ c: Context) throws -> ReportSection {
        let language = options.language
        let threshold = ReportFormat.percent(options.threshold)
        var section = ReportSection(id: "penetration", title: s.fill(.penetrationTitle, language))
        guard !c.repositories.value.isEmpty else {
            section.missing = ["census scan --manifest FILE"]
            return section
        }
        section.paragraphs.append(s.fill(.penetrationRule, language, threshold))
        let thresholdArgument = ReportFormat.plain(options.threshold * 100, maxDecimals: 4) + "%"

        // Per unit over the whole selection.
        var labels: [String] = []
        var values: [Double] = []
        var notes: [String] = []
        var sql: [String] = []
        var commands: [String] = []
        var table = ReportTable(columns: [
            ReportColumn(s[.unitColumn], field: "unit"), ReportColumn(s.fill(.matchingColumn, threshold, language), field: "units_matching"),
            ReportColumn(s[.ofColumn], field: "units_total"), ReportColumn(s[.penetrationColumn], field: "fraction"),
            ReportColumn(s.fill(.languageCode, language), field: "language_code"), ReportColumn(s[.ownCode], field: "own_code"),
            ReportColumn(s.fill(.languageShare, language), field: "language_share"),
        ])
        for unit in ShareUnit.allCases {
            let answer = try ask {
                try store.share(language: language, by: nil, threshold: options.threshold, unit: unit, cohort: options.scopeCohort)
            }
            sql += answer.sql
            commands.append(cli(["share", "--language", language, "--unit", unit.rawValue, "--threshold", thresholdArgument, "--format", "csv"] + cohortArguments))
            guard let row = answer.value.first, row.unitsTotal > 0 else { continue }
            labels.append(s.unitName(unit))
            values.append(row.fraction)
            notes.append(s.fill(.xOfY, ReportFormat.integer(row.unitsMatching), ReportFormat.integer(row.unitsTotal)))
            table.rows.append([
                .text(s.unitName(unit)), .integer(row.unitsMatching), .integer(row.unitsTotal), .fraction(row.fraction), .integer(row.languageCode),
                .integer(row.ownCode), .fraction(row.languageShare),
            ])
        }
        section.figures.append(
            ReportFigure(
                id: "penetration-units", title: s.fill(.figPenetrationUnits, language, threshold),
                caption: s.fill(.capPenetration, language, threshold),
                chart: .bars(BarChart(labels: labels, series: [ChartSeries(name: s[.penetrationColumn], color: ChartColors.language(language), values: values)], valueKind: .fraction, notes: notes)),
                table: table, commands: commands, sql: sql))

        // Per cohort: repositories and companies.
        guard !c.cohorts.isEmpty else { return section }
        let repositories = try ask {
            try store.share(language: language, by: .cohort, threshold: options.threshold, unit: .repository, cohort: nil)
        }
        let companies = try ask {
            try store.share(language: language, by: .cohort, threshold: options.threshold, unit: .company, cohort: nil)
        }
        let shown = c.cohorts.compactMap { cohort in repositories.value.first { $0.group == cohort } }
        var cohortTable = ReportTable(columns: [
            ReportColumn(s[.cohort], field: "cohort"), ReportColumn(s.fill(.reposMatching, threshold, language), field: "repositories_matching"),
            ReportColumn(s[.ofColumn], field: "repositories_total"), ReportColumn(s[.penetrationColumn], field: "repositories_fraction"),
            ReportColumn(s.fill(.companiesMatching, threshold, language), field: "companies_matching"),
            ReportColumn(s[.ofColumn], field: "companies_total"), ReportColumn(s[.penetrationColumn], field: "companies_fraction"),
        ])
        for row in shown {
            let company = companies.value.first { $0.group == row.group }
            cohortTable.rows.append([
                .text(row.group ?? ""), .integer(row.unitsMatching), .integer(row.unitsTotal), .fraction(row.fraction),
                company.map { .integer($0.unitsMatching) } ?? .empty, company.map { .integer($0.unitsTotal) } ?? .empty,
                company.map { $0.unitsTotal > 0 ? .fraction($0.fraction) : .empty } ?? .empty,
            ])
        }
        let chart = BarChart(
            labels: shown.map { $0.group ?? "" },
            series: [ChartSeries(name: s[.penetrationColumn], color: ChartColors.language(language), values: shown.map(\.fraction))],
            valueKind: .fraction,
            notes: shown.map { s.fill(.xOfY, ReportFormat.integer($0.unitsMatching), ReportFormat.integer($0.unitsTotal)) })
        section.figures.append(
            ReportFigure(
                id: "penetration-cohorts", title: s.fill(.figPenetrationCohorts, language, threshold),
                caption: s.fill(.capPenetrationCohorts, language, threshold), chart: .bars(chart), table: cohortTable,
                commands: [
                    cli(["share", "--language", language, "--by", "cohort", "--unit", "repository", "--threshold", thresholdArgument, "--format", "csv"]),
                    cli(["share", "--language", language, "--by", "cohort", "--unit", "company", "--threshold", thresholdArgument, "--format", "csv"]),
                ],
                sql: repositories.sql + companies.sql, sqlNotes: [s[.noteCohortsShown]]))
        return section
    }
}
