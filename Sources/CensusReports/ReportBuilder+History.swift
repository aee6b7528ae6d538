import CensusPeople
import CensusStore

extension ReportBuilder {
    // MARK: - 4. Companies

    func companiesSection(_ c: Context) throws -> ReportSection {
        let language = options.language
        var section = ReportSection(id: "companies", title: s[.companiesTitle])
        let limit = String(options.limit)

        // By own code, from the repositories' companies.
        let top = try ask {
            try store.top(language: language, by: .company, metric: .code, cohort: options.scopeCohort, limit: options.limit)
        }
        if top.value.isEmpty {
            section.missing.append("census scan --manifest FILE --org-map ORG_COMPANY.csv")
        } else {
            var table = ReportTable(columns: [
                ReportColumn("#", field: "rank"), ReportColumn(s[.company], field: "company"),
                ReportColumn(s.fill(.languageCode, language), field: "code"), ReportColumn(s[.files], field: "files"),
                ReportColumn(s[.repositories], field: "repositories"), ReportColumn(s.fill(.languageShare, language), field: "share"),
            ])
            for (k, row) in top.value.enumerated() {
                table.rows.append([.integer(k + 1), .text(row.name), .integer(row.code), .integer(row.files), .integer(row.repositories), .fraction(row.share)])
            }
            let chart = BarChart(
                labels: top.value.map(\.name),
                series: [ChartSeries(name: s.fill(.languageCode, language), color: ChartColors.language(language), values: top.value.map { Double($0.code) })])
            section.figures.append(
                ReportFigure(
                    id: "companies-code", title: s.fill(.figCompaniesCode, language), caption: s.fill(.capCompaniesCode, language),
                    chart: .bars(chart), table: table,
                    commands: [cli(["top", "--language", language, "--by", "company", "--metric", "code", "--limit", limit, "--format", "csv"] + cohortArguments)],
                    sql: top.sql))
        }

        // By commits, authors and lines added, from history.
        guard let history = c.history, c.hasHistory else {
            if try historyOutsideScope(c) {
                section.paragraphs.append(s[.noHistoryInScope])
            } else {
                section.missing.append("census history --manifest FILE --affiliations developers_affiliations.txt")
            }
            return section
        }
        let metrics: [ContributorMetric] = [.commits, .authors, .linesAdded]
        var answers: [Answer<[ContributorRow]>] = []
        for metric in metrics {
            answers.append(
                try ask {
                    try history.contributors(
                        language: language, by: .company, metric: metric, since: options.since, until: options.until,
                        cohort: options.scopeCohort, includeBots: false, limit: options.limit)
                })
        }
        if answers.allSatisfy({ $0.value.isEmpty }) {
            section.paragraphs.append(s.fill(.noHistoryForLanguage, language))
        } else {
            var panels: [ChartPanel] = []
            for (metric, answer) in zip(metrics, answers) {
                let values = answer.value.map { row -> Double in
                    switch metric {
                    case .commits: return Double(row.commits)
                    case .authors: return Double(row.authors)
                    case .linesAdded: return Double(row.linesAdded)
                    }
                }
                panels.append(
                    ChartPanel(
                        title: s.contributorMetric(metric),
                        chart: .bars(BarChart(labels: answer.value.map(\.name), series: [ChartSeries(name: s.contributorMetric(metric), color: ChartColors.language(language), values: values)]))))
            }
            var seen = Set<String>()
            var table = ReportTable(columns: [
                ReportColumn(s[.company], field: "company"), ReportColumn(s[.commits], field: "commits"), ReportColumn(s[.authors], field: "authors"),
                ReportColumn(s[.linesAdded], field: "lines_added"), ReportColumn(s[.linesRemoved], field: "lines_removed"),
            ])
            for answer in answers {
                for row in answer.value where seen.insert(row.name).inserted {
                    table.rows.append([.text(row.name), .integer(row.commits), .integer(row.authors), .integer(row.linesAdded), .integer(row.linesRemoved)])
                }
            }
            section.figures.append(
                ReportFigure(
                    id: "companies-history", title: s.fill(.figCompaniesHistory, language), caption: s.fill(.capCompaniesHistory, language),
                    chart: .panels(panels), table: table,
                    commands: metrics.map {
                        cli(["contributors", "--language", language, "--by", "company", "--metric", $0.rawValue, "--limit", limit, "--format", "csv"] + dateArguments + cohortArguments)
                    },
                    sql: answers.flatMap(\.sql), sqlNotes: [s[.noteUnionOfRankings]]))
        }

        // Regions, from the author emails' country-code domains.
        let domains = try ask {
            try history.contributors(
                language: language, by: .domain, metric: .commits, since: options.since, until: options.until, cohort: options.scopeCohort,
                includeBots: false, limit: Int(Int32.max))
        }
        guard !domains.value.isEmpty else { return section }
        var regions: [String: (commits: Int, authors: Int, domains: Int)] = [:]
        for row in domains.value {
            let region = options.regionOfEmailDomain(row.name) ?? s[.unknownRegion]
            var entry = regions[region] ?? (0, 0, 0)
            entry.commits += row.commits
            entry.authors += row.authors
            entry.domains += 1
            regions[region] = entry
        }
        let ordered = regions.sorted { ($0.value.commits, $1.key) > ($1.value.commits, $0.key) }
        var table = ReportTable(columns: [
            ReportColumn(s[.region], field: "region"), ReportColumn(s[.commits], field: "commits"), ReportColumn(s[.authors], field: "authors"),
            ReportColumn(s[.emailDomains], field: "email_domains"),
        ])
        for (region, e) in ordered {
            table.rows.append([.text(region), .integer(e.commits), .integer(e.authors), .integer(e.domains)])
        }
        let chart = BarChart(
            labels: ordered.map(\.key),
            series: [ChartSeries(name: s[.commits], color: ChartColors.series(0), values: ordered.map { Double($0.value.commits) })])
        section.figures.append(
            ReportFigure(
                id: "companies-regions", title: s.fill(.figRegions, language), caption: s[.capRegions], chart: .bars(chart), table: table,
                commands: [cli(["contributors", "--language", language, "--by", "domain", "--limit", "2147483647", "--format", "csv"] + dateArguments + cohortArguments)],
                sql: domains.sql, sqlNotes: [s[.noteRegionsDerived]]))
        return section
    }

    // MARK: - 5. Over time

    /// Whether a period (`2020`, `2020-Q3`, `2020-07`) overlaps `since ..< until`.
    func periodOverlaps(_ period: String) -> Bool {
        guard options.since != nil || options.until != nil, let (start, end) = Self.periodBounds(period) else { return true }
        if let since = options.since, end <= since { return false }
        if let until = options.until, start >= until { return false }
        return true
    }

    /// The first second of a period and of the next one.
    static func periodBounds(_ period: String) -> (Int64, Int64)? {
        let parts = period.split(separator: "-")
        guard let year = parts.first.flatMap({ Int($0) }) else { return nil }
        func start(_ y: Int, _ m: Int) -> Int64 {
            Int64(Day.daysFromCivil(year: y + (m - 1) / 12, month: (m - 1) % 12 + 1, day: 1)) * 86_400
        }
        if parts.count == 1 { return (start(year, 1), start(year + 1, 1)) }
        if parts[1].hasPrefix("Q"), let q = Int(parts[1].dropFirst()), (1 ... 4).contains(q) {
            return (start(year, 3 * q - 2), start(year, 3 * q + 1))
        }
        if let m = Int(parts[1]), (1 ... 12).contains(m) { return (start(year, m), start(year, m + 1)) }
        return nil
    }

    /// The period of `options.period` a day falls in.
    func period(of day: Int64) -> String {
        let text = ReportFormat.day(day)
        let year = String(text.prefix(4))
        let month = Int(text.dropFirst(5).prefix(2)) ?? 1
        switch options.period {
        case .year: return year
        case .quarter: return year + "-Q\((month + 2) / 3)"
        case .month: return String(text.prefix(7))
        }
    }

    func timeSection(_ c: Context) throws -> ReportSection {
        let language = options.language
        var section = ReportSection(id: "time", title: s[.timeTitle])
        let period = options.period

        // History (and new repositories, which come from the scans).
        var metrics: [TimelineMetric] = [.newRepos]
        if c.hasHistory { metrics = [.code, .commits, .authors, .newRepos] }
        var series: [(TimelineMetric, Answer<[TimelinePoint]>)] = []
        for metric in metrics {
            let answer: Answer<[TimelinePoint]>
            if metric == .newRepos, c.history == nil {
                answer = Answer(value: [], sql: [])
            } else if let history = c.history {
                answer = try ask { try history.timeline(language: language, by: period, metric: metric, cohort: options.scopeCohort, includeBots: false) }
            } else {
                continue
            }
            series.append((metric, Answer(value: answer.value.filter { periodOverlaps($0.period) }, sql: answer.sql)))
        }
        let periods = Array(Set(series.flatMap { $0.1.value.map(\.period) })).sorted()
        if !c.hasHistory, try !historyOutsideScope(c) { section.missing.append("census history --manifest FILE") }
        if !periods.isEmpty {
            let marks = options.marks.map { ChartMark(period: self.period(of: $0.day), label: $0.label) }
            // Periods without rows: 0 for counts; a running total (code) keeps its last value.
            var filled: [(TimelineMetric, [Int?])] = []
            for (metric, answer) in series {
                let byPeriod = Dictionary(answer.value.map { ($0.period, $0.value) }, uniquingKeysWith: { a, _ in a })
                var carried: Int? = nil
                filled.append((metric, periods.map { p -> Int? in
                    if metric == .code {
                        if let v = byPeriod[p] { carried = v }
                        return carried
                    }
                    return answer.value.isEmpty ? nil : byPeriod[p] ?? 0
                }))
            }
            var panels: [ChartPanel] = []
            for (metric, values) in filled where values.contains(where: { $0 != nil }) {
                panels.append(
                    ChartPanel(
                        title: s.timelineMetric(metric, language),
                        chart: .lines(LineChart(periods: periods, series: [ChartSeries(name: s.timelineMetric(metric, language), color: ChartColors.language(language), values: values.map { $0.map(Double.init) })], marks: marks))))
            }
            var table = ReportTable(columns: [ReportColumn(s.periodName(period), field: "period")] + series.map { metric, _ in
                ReportColumn(s.timelineMetric(metric, language), field: metric.rawValue.replacing("-", with: "_"))
            })
            for (k, p) in periods.enumerated() {
                table.rows.append([.text(p)] + filled.map { _, values in values[k].map { .integer($0) } ?? .empty })
            }
            var notes = [s[.notePeriodsFilled]]
            if options.since != nil || options.until != nil { notes.append(s[.notePeriodsFiltered]) }
            section.figures.append(
                ReportFigure(
                    id: "time-history", title: s.fill(.figTimeHistory, language, options.locale == .en ? s.periodName(period).lowercased() : s.periodName(period)), caption: s.fill(.capTimeHistory, language),
                    chart: .panels(panels), table: table,
                    commands: series.map { metric, _ in
                        cli(["timeline", "--language", language, "--by", period.rawValue, "--metric", metric.rawValue, "--format", "csv"] + cohortArguments)
                    },
                    sql: series.flatMap { $0.1.sql }, sqlNotes: notes))
        }

        // GitHub events: stars, new repositories, pull requests per month, by region.
        if let coverage = c.events {
            section.figures.append(try eventsFigure(coverage))
        } else {
            section.missing.append("census events ingest FILE.json.gz …")
        }

        // Marked dates: before and after (events as `census events compare` windows them).
        if !options.marks.isEmpty {
            if let figure = try marksFigure(c) { section.figures.append(figure) }
            if c.events != nil { section.figures.append(try eventMarksFigure()) }
        }
        if !options.comparisons.isEmpty {
            section.figures.append(try comparisonFigure(c))
        }
        return section
    }

    func eventsFigure(_ coverage: ReportEventCoverage) throws -> ReportFigure {
        let language = options.language
        var panels: [ChartPanel] = []
        var table = ReportTable(columns: [
            ReportColumn(s[.month], field: "month"), ReportColumn(s[.metric], field: "metric"), ReportColumn(s[.region], field: "region"),
            ReportColumn(s[.value], field: "value"),
        ])
        var sql: [String] = []
        var commands: [String] = []
        let marks = options.marks.map { ChartMark(period: $0.month, label: $0.label) }
        for metric in ReportEventMetrics.drawn {
            let regions = try ask { try events.topRegions(metric: metric, language: language, since: options.since, until: options.until, limit: 4) }
            sql += regions.sql
            var lines: [(String, [TimelinePoint])] = []
            let all = try ask { try events.monthly(metric: metric, language: language, region: nil, since: options.since, until: options.until) }
            sql += all.sql
            lines.append((s[.allRegions], all.value))
            for region in regions.value {
                let answer = try ask { try events.monthly(metric: metric, language: language, region: region.name, since: options.since, until: options.until) }
                sql += answer.sql
                lines.append((region.name, answer.value))
            }
            commands.append(cli(["events", "timeline", "--metric", metric, "--by", "month", "--language", language] + dateArguments))
            commands.append(cli(["events", "top", "--metric", metric, "--by", "region", "--language", language, "--limit", "4"] + dateArguments))
            for region in regions.value {
                commands.append(cli(["events", "timeline", "--metric", metric, "--by", "month", "--language", language, "--region", region.name] + dateArguments))
            }
            let months = Array(Set(lines.flatMap { $0.1.map(\.period) })).sorted()
            let chartSeries = lines.enumerated().map { k, line in
                let values = Dictionary(line.1.map { ($0.period, Double($0.value)) }, uniquingKeysWith: { a, _ in a })
                return ChartSeries(name: line.0, color: k == 0 ? ChartColors.language(language) : ChartColors.series(k), values: months.map { values[$0] ?? 0 })
            }
            for (name, points) in lines {
                for point in points { table.rows.append([.text(point.period), .text(metric), .text(name), .integer(point.value)]) }
            }
            panels.append(ChartPanel(title: s.eventMetric(metric), chart: .lines(LineChart(periods: months, series: chartSeries, marks: marks))))
        }
        return ReportFigure(
            id: "time-events", title: s.fill(.figEvents, language), caption: s.fill(.capEvents, ReportFormat.integer(coverage.events), ReportFormat.day(coverage.first), ReportFormat.day(coverage.last)),
            chart: .panels(panels), table: table, commands: commands, sql: sql, sqlNotes: [s[.noteMonthsWithoutEvents]])
    }

    /// A monthly series for a spec, with the months its source covers.
    func monthlySeries(_ spec: ReportSeriesSpec, _ c: Context) throws -> (Answer<[TimelinePoint]>, (first: String, last: String)?, String) {
        switch spec.source {
        case .history:
            guard let history = c.history, let metric = TimelineMetric(rawValue: spec.metric) else { return (Answer(value: [], sql: []), nil, "") }
            let language = spec.language ?? options.language
            let cohort = spec.cohort ?? options.scopeCohort
            let answer = try ask { try history.timeline(language: language, by: .month, metric: metric, cohort: cohort, includeBots: false) }
            let filtered = answer.value.filter { point in
                guard let (start, end) = Self.periodBounds(point.period) else { return true }
                return (options.since.map { end > $0 } ?? true) && (options.until.map { start < $0 } ?? true)
            }
            var covered: (first: String, last: String)?
            if let first = filtered.first, let last = filtered.last { covered = (first.period, last.period) }
            let command = cli(["timeline", "--language", language, "--by", "month", "--metric", metric.rawValue, "--format", "csv"] + (cohort.map { ["--cohort", $0] } ?? []))
            return (Answer(value: filtered, sql: answer.sql), covered, command)
        case .events:
            guard let coverage = c.events else { return (Answer(value: [], sql: []), nil, "") }
            let language = spec.language ?? options.language
            let answer = try ask { try events.monthly(metric: spec.metric, language: language, region: spec.region, since: options.since, until: options.until) }
            let first = max(coverage.first, options.since ?? coverage.first)
            let last = min(coverage.last, (options.until ?? coverage.last + 1) - 1)
            let command = cli(["events", "timeline", "--metric", spec.metric, "--by", "month", "--language", language] + (spec.region.map { ["--region", $0] } ?? []) + dateArguments)
            return (answer, (ReportFormat.month(first), ReportFormat.month(last)), command)
        }
    }

    func marksFigure(_ c: Context) throws -> ReportFigure? {
        var specs: [ReportSeriesSpec] = []
        if c.hasHistory {
            specs += [TimelineMetric.commits, .authors, .code].map { ReportSeriesSpec(source: .history, metric: $0.rawValue, language: options.language) }
        }
        if c.history != nil { specs.append(ReportSeriesSpec(source: .history, metric: TimelineMetric.newRepos.rawValue, language: options.language)) }
        guard !specs.isEmpty else { return nil }
        var table = ReportTable(columns: [
            ReportColumn(s[.markColumn], field: "mark"), ReportColumn(s[.dateColumn], field: "date"), ReportColumn(s[.seriesColumn], field: "series"),
            ReportColumn(s[.beforeColumn], field: "before"), ReportColumn(s[.afterColumn], field: "after"), ReportColumn(s[.growthColumn], field: "growth"),
            ReportColumn(s[.monthsBefore], field: "months_before"), ReportColumn(s[.monthsAfter], field: "months_after"),
        ])
        var sql: [String] = []
        var commands: [String] = []
        for spec in specs {
            let (answer, covered, command) = try monthlySeries(spec, c)
            sql += answer.sql
            if !command.isEmpty { commands.append(command) }
            for mark in options.marks {
                let cumulative = spec.source == .history && spec.metric == TimelineMetric.code.rawValue
                let result = BeforeAfter(series: answer.value, month: mark.month, window: options.window, covered: covered, cumulative: cumulative)
                table.rows.append([
                    .text(mark.label), .day(mark.day), .text(spec.description),
                    result.before.map { .decimal($0, 1) } ?? .empty, result.after.map { .decimal($0, 1) } ?? .empty,
                    result.growth.map { .fraction($0) } ?? .empty, .integer(result.monthsBefore), .integer(result.monthsAfter),
                ])
            }
        }
        return ReportFigure(
            id: "time-marks", title: s[.figMarks], caption: s.fill(.capMarks, String(options.window)), chart: nil, table: table,
            commands: commands, sql: sql, sqlNotes: [s[.noteMarks]])
    }

    /// The events metrics before and after each mark, exactly as `census events compare --date DAY
    /// --window Nm` counts them: totals over `[DAY − N months, DAY)` and `[DAY, DAY + N months)`,
    /// the windows of ``CensusStore/EventComparison/windows(date:window:)`` (months move the
    /// calendar date), whatever `--since` and `--until` say.
    func eventMarksFigure() throws -> ReportFigure {
        let language = options.language
        let window = EventWindow(amount: max(1, options.window), unit: .month)
        var table = ReportTable(columns: [
            ReportColumn(s[.markColumn], field: "mark"), ReportColumn(s[.dateColumn], field: "date"), ReportColumn(s[.seriesColumn], field: "series"),
            ReportColumn(s[.beforeSince], field: "before_since"), ReportColumn(s[.totalBefore], field: "before"),
            ReportColumn(s[.totalAfter], field: "after"), ReportColumn(s[.afterUntil], field: "after_until"),
            ReportColumn(s[.changeColumn], field: "absolute_growth"), ReportColumn(s[.relativeGrowth], field: "relative_growth"),
        ])
        var sql: [String] = []
        var commands: [String] = []
        for mark in options.marks {
            let (start, midnight, end) = EventComparison.windows(date: mark.day, window: window)
            for metric in ReportEventMetrics.drawn {
                let before = try ask { try events.total(metric: metric, language: language, region: nil, since: start, until: midnight) }
                let after = try ask { try events.total(metric: metric, language: language, region: nil, since: midnight, until: end) }
                sql += before.sql + after.sql
                let growth = before.value == 0 ? nil : Double(after.value - before.value) / Double(before.value)
                table.rows.append([
                    .text(mark.label), .day(midnight), .text(ReportSeriesSpec(source: .events, metric: metric, language: language).description),
                    .day(start), .integer(before.value), .integer(after.value), .day(end), .integer(after.value - before.value),
                    growth.map { .fraction($0) } ?? .empty,
                ])
                commands.append(
                    cli(["events", "compare", "--date", ReportFormat.day(midnight), "--window", window.description, "--metric", metric, "--language", language]))
            }
        }
        return ReportFigure(
            id: "time-marks-events", title: s[.figMarksEvents], caption: s.fill(.capMarksEvents, window.description), chart: nil, table: table,
            commands: commands, sql: sql, sqlNotes: [s[.noteMarksEvents]])
    }

    func comparisonFigure(_ c: Context) throws -> ReportFigure {
        var table = ReportTable(columns: [
            ReportColumn(s[.seriesA], field: "series_a"), ReportColumn(s[.seriesB], field: "series_b"),
            ReportColumn(s[.monthsInCommon], field: "months"), ReportColumn(s[.pearson], field: "r"),
        ])
        var sql: [String] = []
        var commands: [String] = []
        var panels: [ChartPanel] = []
        for (a, b) in options.comparisons {
            let (first, _, commandA) = try monthlySeries(a, c)
            let (second, _, commandB) = try monthlySeries(b, c)
            sql += first.sql + second.sql
            commands += [commandA, commandB].filter { !$0.isEmpty }
            let correlation = TimelineCorrelation(first.value, second.value)
            table.rows.append([
                .text(a.description), .text(b.description), .integer(correlation.points), correlation.r.map { .decimal($0, 3) } ?? .empty,
            ])
            let months = Array(Set(first.value.map(\.period)).intersection(second.value.map(\.period))).sorted()
            if months.count >= 2 {
                let x = Dictionary(first.value.map { ($0.period, Double($0.value)) }, uniquingKeysWith: { p, _ in p })
                let y = Dictionary(second.value.map { ($0.period, Double($0.value)) }, uniquingKeysWith: { p, _ in p })
                panels.append(ChartPanel(title: a.description, chart: .lines(LineChart(periods: months, series: [ChartSeries(name: a.description, color: ChartColors.series(0), values: months.map { x[$0] })]))))
                panels.append(ChartPanel(title: b.description, chart: .lines(LineChart(periods: months, series: [ChartSeries(name: b.description, color: ChartColors.series(1), values: months.map { y[$0] })]))))
            }
        }
        return ReportFigure(
            id: "time-compare", title: s[.figCompare], caption: s[.capCompare], chart: panels.isEmpty ? nil : .panels(panels), table: table,
            commands: commands, sql: sql, sqlNotes: [s[.noteCompare]])
    }
}
