import CensusStore

/// Every word a report writes, in English and Chinese (`--lang en|zh`). Placeholders `{0}`, `{1}`…
/// are filled by ``fill(_:_:)``; the values filled in are escaped by the writers like any text.
public struct ReportStrings: Sendable {
    public var locale: ReportLocale

    public init(_ locale: ReportLocale) {
        self.locale = locale
    }

    public enum Key: String, Sendable, CaseIterable {
        case afterColumn, allRegions, allRepositories, authors, barBytes, barColumn, barShare, beforeColumn, blanks, botCommits
        case byHost, byOrg, capCohorts, capCompaniesCode, capCompaniesHistory, capCompare, capCoupling, capEvents, capExcluded
        case capFanIn, capGraph, capLanguageBar, capMarks, capMethod, capPenetration, capPenetrationCohorts, capRegions, capShare
        case capTimeHistory, capTopLanguages, cohort, commandsColumn, comments, commits, companies, companiesMatching
        case companiesTitle, company, compositionTitle, contents, corpusTitle, countColumn, dataColumn, dataFile, dateColumn
        case defaultTitle, directModules, directRepositories, emailDomains, eventsCoverage, excludedCode, excludedCodeSeries
        case excludedFiles, figCohorts, figCompaniesCode, figCompaniesHistory, figCompare, figCoupling, figEvents, figExcluded
        case figFanIn, figGraph, figLanguageBar, figMarks, figMethod, figPenetrationCohorts, figPenetrationUnits, figRegions
        case figShare, figTimeHistory, figTopLanguages, figureColumn, files, footer, graphTooltip, growthColumn, historyCommits
        case historySpan, indirectColumn, indirectModules, indirectRepositories, jaccard, kindColumn, language, languageCode
        case languageShare, linesAdded, linesRemoved, markColumn, matchingColumn, methodAttribution, methodCounting
        case methodEvents, methodLanguages, methodPenetration, methodReproduce, methodSources, methodTitle, methodWritten
        case metric, missingData, module, modulesTitle, month, monthsAfter, monthsBefore, monthsInCommon, no, noCompany
        case noEventsYet, noHistoryForLanguage, noHistoryYet, noModules, noRows, noteCohortsCounted, noteCohortsShown
        case noteCompare, noteCouplingCorpus, noteGraph, noteMarks, noteMonthsWithoutEvents, notePeriodsFiltered
        case noteRegionsDerived, noteSortedByCode, noteUnionOfRankings, ofColumn, orgs, otherLanguages, ownCode, ownCodeLines
        case ownFiles, pearson, penetrationColumn, penetrationRule, penetrationTitle, plainDirectories, region, reposMatching
        case repositories, repository, reproduce, requiredModule, requirements, requiringModule, scannedBetween, seriesA
        case seriesB, seriesColumn, shallowClones, shareColumn, shared, since, subtitle, targetColumn, timeTitle, typeColumn
        case union, unitColumn, unknownCompanyCommits, unknownRegion, until, value, whatColumn, whyBots, whyColumn
        case whyExcludedFiles, whyNoCompany, whyPlain, whyShallow, whyUnknown, xOfY, yes
        case unitRepositories, unitOrgs, unitCompanies, periodYear, periodQuarter, periodMonth, corpusSummary, partialData, notePeriodsFilled, noHistoryInScope, noteFanInLimit, noteOtherLanguages
        case metricCode, metricCommits, metricAuthors, metricNewRepos, eventStars, eventNewRepos, eventPullRequests
        case figMarksEvents, capMarksEvents, noteMarksEvents, beforeSince, afterUntil, totalBefore, totalAfter, changeColumn, relativeGrowth
    }

    public subscript(key: Key) -> String {
        let pair = Self.table(key)
        return locale == .zh ? pair.1 : pair.0
    }

    /// The text of `key` with `{0}`, `{1}`… replaced by `values`.
    public func fill(_ key: Key, _ values: String...) -> String {
        var text = self[key]
        for (k, value) in values.enumerated() { text = text.replacing("{\(k)}", with: value) }
        return text
    }

    public func figure(_ number: Int) -> String { locale == .zh ? "图 \(number)." : "Figure \(number)." }

    public func dataOf(_ title: String) -> String { locale == .zh ? "数据：\(title)" : "Data: \(title)" }

    public func unitName(_ unit: ShareUnit) -> String {
        switch unit {
        case .repository: return self[.unitRepositories]
        case .org: return self[.unitOrgs]
        case .company: return self[.unitCompanies]
        }
    }

    public func periodName(_ period: TimelinePeriod) -> String {
        switch period {
        case .year: return self[.periodYear]
        case .quarter: return self[.periodQuarter]
        case .month: return self[.periodMonth]
        }
    }

    public func contributorMetric(_ metric: ContributorMetric) -> String {
        switch metric {
        case .commits: return self[.commits]
        case .authors: return self[.authors]
        case .linesAdded: return self[.linesAdded]
        }
    }

    public func timelineMetric(_ metric: TimelineMetric, _ language: String) -> String {
        switch metric {
        case .code: return fill(.metricCode, language)
        case .commits: return fill(.metricCommits, language)
        case .authors: return fill(.metricAuthors, language)
        case .newRepos: return fill(.metricNewRepos, language)
        }
    }

    public func eventMetric(_ metric: String) -> String {
        switch metric {
        case "stars": return self[.eventStars]
        case "new-repos": return self[.eventNewRepos]
        case "prs-opened": return self[.eventPullRequests]
        default: return metric
        }
    }

    // swiftlint:disable function_body_length
    static func table(_ key: Key) -> (String, String) {
        switch key {
        case .defaultTitle: return ("{0} in the census", "{0} 语言普查报告")
        case .subtitle: return ("Language: {0} · Scope: {1} · Written {2}", "语言：{0} · 范围：{1} · 生成于 {2}")
        case .since: return ("from", "起")
        case .until: return ("until", "止")
        case .contents: return ("Contents", "目录")
        case .missingData: return ("The store holds no data for this section yet. Run:", "数据库中尚无本节所需的数据。请先运行：")
        case .footer:
            return (
                "Written by census report. Every figure comes from the store's queries; the data behind each is in data/, the SQL in sql/ and queries.sql.",
                "由 census report 生成。每个图表都来自数据库查询；数据见 data/ 目录，SQL 见 sql/ 目录与 queries.sql。"
            )
        case .partialData: return ("More figures appear here once the store holds their data. Run:", "数据库中有更多数据后，这里会出现更多图表。请运行：")
        case .notePeriodsFilled:
            return (
                "The query returns only periods with rows; periods between them are 0 here (code: the total so far).",
                "查询只返回有记录的周期；其间的周期在此计为 0（代码量：取此前的累计值）。"
            )
        case .noRows: return ("No rows.", "无数据。")
        case .reproduce: return ("How to reproduce", "如何复现")
        case .dataFile: return ("Data:", "数据：")
        case .allRepositories: return ("All repositories", "全部仓库")
        case .allRegions: return ("All regions", "所有地区")

        // 1. Corpus
        case .corpusTitle: return ("Corpus", "语料库")
        case .corpusSummary:
            return (
                "{0} repositories in {1} cohorts, from {2} organisations and {3} companies; {4} commits in their scanned histories.",
                "共 {0} 个仓库，分属 {1} 个群组，来自 {2} 个组织和 {3} 家公司；扫描到的历史中共有 {4} 次提交。"
            )
        case .scannedBetween: return ("Scanned between {0} and {1}.", "扫描时间为 {0} 至 {1}。")
        case .historySpan: return ("Their histories run from {0} to {1}.", "其历史跨度为 {0} 至 {1}。")
        case .historyCommits:
            return (
                "History: {0} commits that changed own code (bots left out).",
                "提交历史：{0} 次修改了自有代码的提交（不含机器人）。"
            )
        case .noHistoryInScope:
            return ("The stored history has no commits in the report's dates and cohort.", "已存储的历史在报告所选日期和群组内没有提交。")
        case .noteFanInLimit:
            return ("One query ranks the modules; the chart shows its first {0} rows, the graph its first {1}.", "同一个查询给出模块排名；图表显示前 {0} 行，依赖图使用前 {1} 行。")
        case .noteOtherLanguages:
            return (
                "Each bar is one breakdown query; the eight largest languages of the first bar are drawn, the others added up as Other; shares are of the bar's total.",
                "每个语言条对应一个 breakdown 查询；绘制第一个语言条中最大的八种语言，其余相加为“其他”；占比以该语言条的总量为分母。"
            )
        case .noHistoryYet: return ("No commit history is stored yet (census history).", "尚未存储提交历史（census history）。")
        case .eventsCoverage: return ("GitHub events: {0} events from {1} to {2}.", "GitHub 事件：{0} 个，时间 {1} 至 {2}。")
        case .noEventsYet: return ("No GitHub events are stored yet (census events ingest).", "尚未存储 GitHub 事件（census events ingest）。")
        case .figCohorts: return ("Repositories per cohort", "各群组的仓库数")
        case .capCohorts:
            return (
                "Repositories in each cohort (a repository may belong to several), with their organisations, companies and own code.",
                "每个群组中的仓库数（一个仓库可属于多个群组），以及其组织数、公司数和自有代码行数。"
            )
        case .noteCohortsCounted:
            return (
                "Rows are counted from the repositories the query returns, by their cohorts; the chart shows the 20 largest cohorts.",
                "各行由查询返回的仓库按群组计数得出；图中显示最大的 20 个群组。"
            )
        case .figExcluded: return ("What was left out, and why", "排除的内容及原因")
        case .capExcluded:
            return (
                "Code and commits the other figures do not count, with the rule that leaves them out.",
                "其他图表未计入的代码和提交，以及排除它们的规则。"
            )
        case .whatColumn: return ("What", "内容")
        case .countColumn: return ("Count", "数量")
        case .whyColumn: return ("Why", "原因")
        case .excludedFiles: return ("Vendored, generated and documentation files", "第三方、生成和文档文件")
        case .excludedCode: return ("Lines of code in them", "其中的代码行数")
        case .whyExcludedFiles:
            return (
                "Linguist's vendor, generated and documentation rules and .gitattributes: not the repositories' own code",
                "依据 Linguist 的 vendor、generated、documentation 规则和 .gitattributes：不属于仓库自有代码"
            )
        case .noCompany: return ("Repositories without a company", "没有所属公司的仓库")
        case .whyNoCompany:
            return ("Left out of per-company rankings (no company in the manifest or org map)", "不计入按公司的排名（清单或组织映射中没有公司）")
        case .plainDirectories: return ("Plain directories (no git commit)", "普通目录（无 git 提交）")
        case .whyPlain: return ("No dates: left out of every figure over time", "没有日期：不计入任何时间趋势图")
        case .shallowClones: return ("Shallow clones", "浅克隆")
        case .whyShallow: return ("History cut off: commit counts and first dates are lower bounds", "历史被截断：提交数和最早日期只是下限")
        case .botCommits: return ("Commits by bots", "机器人提交")
        case .whyBots: return ("Left out of history figures (dependabot, renovate, [bot] and --bot patterns)", "不计入历史类图表（dependabot、renovate、[bot] 及 --bot 规则）")
        case .unknownCompanyCommits: return ("Commits attributed to no company", "无法归属公司的提交")
        case .whyUnknown:
            return ("Counted as \"Unknown\": no affiliation matched the author's email on that day", "计为 \"Unknown\"：作者邮箱在当日没有匹配的隶属关系")

        // 2. Composition
        case .compositionTitle: return ("Language composition", "语言构成")
        case .figLanguageBar: return ("GitHub's language bar, for the corpus and each cohort", "语料库及各群组的 GitHub 语言条")
        case .capLanguageBar:
            return (
                "Bytes of own code in programming and markup languages, as GitHub's repository bar counts them; the eight largest languages of the corpus, the rest as Other.",
                "按 GitHub 仓库语言条的口径统计编程语言和标记语言的自有代码字节数；显示语料库中最大的八种语言，其余归为“其他”。"
            )
        case .barColumn: return ("Bar", "语言条")
        case .barBytes: return ("Bytes", "字节数")
        case .barShare: return ("Share of the bar", "在语言条中的占比")
        case .otherLanguages: return ("Other", "其他")
        case .figTopLanguages: return ("Top languages by own code", "自有代码最多的语言")
        case .capTopLanguages:
            return (
                "Lines of own code per language; vendored, generated and documentation code shown apart in grey.",
                "各语言的自有代码行数；第三方、生成和文档代码以灰色单独显示。"
            )
        case .noteSortedByCode:
            return (
                "The query orders languages by bar bytes; the report orders them by own code and shows the first {0}.",
                "查询按语言条字节数排序；报告改按自有代码行数排序，并显示前 {0} 种。"
            )
        case .language: return ("Language", "语言")
        case .typeColumn: return ("Type", "类型")
        case .ownFiles: return ("Own files", "自有文件")
        case .ownCode: return ("Own code", "自有代码")
        case .ownCodeLines: return ("Own code (lines)", "自有代码（行）")
        case .comments: return ("Comments", "注释")
        case .blanks: return ("Blanks", "空行")
        case .excludedCodeSeries: return ("Vendored, generated, documentation", "第三方、生成、文档")

        // 3. Penetration
        case .penetrationTitle: return ("Penetration of {0}", "{0} 的渗透率")
        case .penetrationRule:
            return (
                "A repository, organisation or company counts as using {0} when at least {1} of its own code is {0}. The denominator is every unit with any own code.",
                "若一个仓库、组织或公司的自有代码中至少 {1} 是 {0}，则计为使用 {0}。分母为所有拥有自有代码的单位。"
            )
        case .figPenetrationUnits: return ("Share of repositories, organisations and companies with ≥ {1} {0}", "{0} 占比 ≥ {1} 的仓库、组织和公司比例")
        case .capPenetration:
            return (
                "Each bar is the units with at least {1} of their own code in {0}, over all units with own code (the numbers beside the bars).",
                "每个条形为自有代码中 {0} 至少占 {1} 的单位数除以所有拥有自有代码的单位数（条形旁为具体数字）。"
            )
        case .figPenetrationCohorts: return ("Repositories with ≥ {1} {0}, per cohort", "各群组中 {0} 占比 ≥ {1} 的仓库比例")
        case .capPenetrationCohorts:
            return (
                "Per cohort, the repositories with at least {1} of their own code in {0}; the table adds the same for companies.",
                "各群组中自有代码里 {0} 至少占 {1} 的仓库比例；表格中同时给出公司口径。"
            )
        case .noteCohortsShown: return ("The query answers every cohort; the report shows the cohorts asked for.", "查询返回所有群组；报告只显示所选群组。")
        case .unitColumn: return ("Unit", "单位")
        case .matchingColumn: return ("With ≥ {0} {1}", "{1} ≥ {0}")
        case .reposMatching: return ("Repositories with ≥ {0} {1}", "{1} ≥ {0} 的仓库")
        case .companiesMatching: return ("Companies with ≥ {0} {1}", "{1} ≥ {0} 的公司")
        case .ofColumn: return ("Of", "总数")
        case .penetrationColumn: return ("Penetration", "渗透率")
        case .languageCode: return ("{0} code", "{0} 代码")
        case .languageShare: return ("{0} share of own code", "{0} 占自有代码比例")
        case .xOfY: return ("{0} of {1}", "{1} 中的 {0}")
        case .unitRepositories: return ("Repositories", "仓库")
        case .unitOrgs: return ("Organisations", "组织")
        case .unitCompanies: return ("Companies", "公司")

        // 4. Companies
        case .companiesTitle: return ("Companies", "公司")
        case .figCompaniesCode: return ("Companies with the most own {0} code", "{0} 自有代码最多的公司")
        case .capCompaniesCode:
            return (
                "Lines of own {0} code in the repositories each company owns (companies from the manifests and org maps).",
                "各公司所属仓库中的 {0} 自有代码行数（公司来自清单和组织映射）。"
            )
        case .figCompaniesHistory: return ("Companies by commits, authors and lines added to {0}", "按提交数、作者数和新增行数排名的 {0} 贡献公司")
        case .capCompaniesHistory:
            return (
                "From the commit history: commits that changed own {0} code, distinct authors and lines added, per company the author worked for on the commit's day (gitdm affiliations); bots left out.",
                "来自提交历史：修改 {0} 自有代码的提交数、不同作者数和新增行数，按作者在提交当日所属的公司统计（gitdm 隶属数据）；不含机器人。"
            )
        case .noteUnionOfRankings:
            return (
                "Three queries, one per ranking (each panel); the table lists every company that appears in any of them.",
                "三个查询分别对应三个排名（各子图）；表格列出出现在任一排名中的公司。"
            )
        case .noHistoryForLanguage: return ("The stored history has no commits to own {0} code.", "已存储的历史中没有修改 {0} 自有代码的提交。")
        case .company: return ("Company", "公司")
        case .companies: return ("Companies", "公司")
        case .files: return ("Files", "文件")
        case .repositories: return ("Repositories", "仓库")
        case .repository: return ("Repository", "仓库")
        case .orgs: return ("Organisations", "组织")
        case .cohort: return ("Cohort", "群组")
        case .commits: return ("Commits", "提交")
        case .authors: return ("Authors", "作者")
        case .linesAdded: return ("Lines added", "新增行数")
        case .linesRemoved: return ("Lines removed", "删除行数")
        case .figRegions: return ("Contributors to {0} by region", "{0} 贡献者的地区分布")
        case .capRegions:
            return (
                "Commits and authors by the region of the country-code domain of the author's email (.cn → China, .de → Europe); generic domains such as .com say nothing about a region and are counted as Unknown.",
                "按作者邮箱国家代码顶级域名所属地区统计提交数和作者数（.cn → 中国，.de → 欧洲）；.com 等通用域名无法判断地区，计为“未知”。"
            )
        case .noteRegionsDerived:
            return (
                "The query counts per email domain; the report adds domains up by region (an author has one email, so authors add up).",
                "查询按邮箱域名计数；报告再按地区汇总（每位作者只有一个邮箱，因此作者数可直接相加）。"
            )
        case .region: return ("Region", "地区")
        case .unknownRegion: return ("Unknown", "未知")
        case .emailDomains: return ("Email domains", "邮箱域名数")

        // 5. Over time
        case .timeTitle: return ("Over time", "时间趋势")
        case .figTimeHistory: return ("{0} code, commits, authors and new repositories per {1}", "每{1}的 {0} 代码量、提交数、作者数和新仓库数")
        case .capTimeHistory:
            return (
                "Own {0} code at the end of each period (lines added minus removed, summed), commits and distinct authors changing it (bots left out), and repositories with {0} whose first commit falls in the period.",
                "每个周期末的 {0} 自有代码量（新增减删除的累计值）、修改它的提交数和不同作者数（不含机器人），以及首次提交落在该周期且含 {0} 的仓库数。"
            )
        case .notePeriodsFiltered:
            return ("The query answers every period; the report shows the periods that overlap --since and --until.", "查询返回所有周期；报告只显示与 --since、--until 重叠的周期。")
        case .metricCode: return ("{0} code (lines)", "{0} 代码（行）")
        case .metricCommits: return ("Commits", "提交")
        case .metricAuthors: return ("Authors", "作者")
        case .metricNewRepos: return ("New repositories", "新仓库")
        case .periodYear: return ("Year", "年")
        case .periodQuarter: return ("Quarter", "季度")
        case .periodMonth: return ("Month", "月")
        case .figEvents: return ("GitHub events for {0}: stars, new repositories and pull requests per month, by region", "{0} 的 GitHub 事件：按地区每月的星标、新仓库和拉取请求")
        case .capEvents:
            return (
                "From {0} GitHub events ({1} to {2}); one line for all regions and one for each of the four largest.",
                "来自 {0} 个 GitHub 事件（{1} 至 {2}）；一条线代表所有地区，其余为最大的四个地区。"
            )
        case .noteMonthsWithoutEvents: return ("Months without events are drawn as 0.", "没有事件的月份按 0 绘制。")
        case .eventStars: return ("Stars", "星标")
        case .eventNewRepos: return ("New repositories", "新仓库")
        case .eventPullRequests: return ("Pull requests opened", "新建拉取请求")
        case .month: return ("Month", "月份")
        case .metric: return ("Metric", "指标")
        case .value: return ("Value", "数值")
        case .figMarks: return ("Before and after the marked dates", "标记日期前后对比")
        case .capMarks:
            return (
                "Each series per month, the {0} months before the marked month against the marked month and the ones after it: the mean per month (a running total such as code: its level at the end of each window), and the change.",
                "各序列按月统计，比较标记月份之前 {0} 个月与标记月份及之后的月份：每月平均值（代码量等累计值取各窗口末的水平）及其变化。"
            )
        case .noteMarks:
            return (
                "Monthly series from the queries; months inside the data's span without a row count as 0; windows are cut at the span's ends.",
                "月度序列来自查询；数据跨度内没有记录的月份计为 0；窗口在数据跨度的两端截断。"
            )
        case .markColumn: return ("Mark", "标记")
        case .dateColumn: return ("Date", "日期")
        case .seriesColumn: return ("Series", "序列")
        case .beforeColumn: return ("Before (per month)", "之前（每月）")
        case .afterColumn: return ("After (per month)", "之后（每月）")
        case .growthColumn: return ("Change", "变化")
        case .monthsBefore: return ("Months before", "之前月数")
        case .monthsAfter: return ("Months after", "之后月数")
        case .figMarksEvents: return ("GitHub events before and after the marked dates", "标记日期前后的 GitHub 事件")
        case .capMarksEvents:
            return (
                "Each events metric over the {0} before the marked day against the {0} from it, as census events compare counts them: totals, the change and the growth.",
                "各事件指标在标记日期之前 {0} 与自该日起 {0} 的对比，与 census events compare 的计算相同：总数、变化量和增长率。"
            )
        case .noteMarksEvents:
            return (
                "Windows [day − window, day) and [day, day + window) in UTC days, months moving the calendar date; --since and --until do not apply.",
                "窗口为 [日期 − 窗口, 日期) 与 [日期, 日期 + 窗口)，按 UTC 日计算，月份按日历日期移动；--since 与 --until 不适用。"
            )
        case .beforeSince: return ("Before from", "之前窗口起点")
        case .afterUntil: return ("After until", "之后窗口终点")
        case .totalBefore: return ("Before", "之前")
        case .totalAfter: return ("After", "之后")
        case .changeColumn: return ("Change", "变化量")
        case .relativeGrowth: return ("Growth", "增长率")
        case .figCompare: return ("Correlation between series", "序列相关性")
        case .capCompare:
            return (
                "Pearson's r between two monthly series over the months both have, as census correlate computes it.",
                "两个月度序列在共同月份上的皮尔逊相关系数 r，与 census correlate 的算法相同。"
            )
        case .noteCompare: return ("r is computed from the monthly rows of both queries, over the months both return.", "r 由两个查询返回的月度数据在共同月份上计算。")
        case .seriesA: return ("Series", "序列")
        case .seriesB: return ("Against", "对比序列")
        case .monthsInCommon: return ("Months in common", "共同月数")
        case .pearson: return ("Pearson's r", "皮尔逊 r")

        // 6. Go modules
        case .modulesTitle: return ("Go modules", "Go 模块")
        case .noModules: return ("No go.mod files are stored (census scan stores them with each repository).", "尚未存储 go.mod 文件（census scan 会随仓库一并存储）。")
        case .figFanIn: return ("The most depended-on modules", "被依赖最多的模块")
        case .capFanIn:
            return (
                "Modules of the corpus requiring each module in their own go.mod files, directly or indirectly (vendored copies left out).",
                "在自有 go.mod 文件中直接或间接依赖该模块的语料库模块数（不含 vendor 副本）。"
            )
        case .module: return ("Module", "模块")
        case .directModules: return ("Direct", "直接依赖")
        case .indirectModules: return ("Indirect", "间接依赖")
        case .directRepositories: return ("Repositories (direct)", "仓库（直接）")
        case .indirectRepositories: return ("Repositories (indirect)", "仓库（间接）")
        case .figShare: return ("Where requirements point", "依赖指向")
        case .capShare:
            return (
                "Each host's and organisation's part of all own requirements; the table adds modules of the corpus and golang.org/x.",
                "各主机和组织在全部自有依赖中的占比；表格另列出语料库内模块和 golang.org/x。"
            )
        case .byHost: return ("By host", "按主机")
        case .byOrg: return ("By organisation", "按组织")
        case .kindColumn: return ("Kind", "类别")
        case .targetColumn: return ("Target", "目标")
        case .requirements: return ("Requirements", "依赖数")
        case .shareColumn: return ("Share", "占比")
        case .figCoupling: return ("The most coupled repositories", "耦合度最高的仓库对")
        case .capCoupling:
            return (
                "Pairs of repositories by the Jaccard index of the module paths they require (shared / all, beside each bar).",
                "按所依赖模块路径的 Jaccard 指数排列的仓库对（条形旁为共同依赖数/依赖总数）。"
            )
        case .noteCouplingCorpus: return ("Coupling is computed over the whole stored corpus (the query takes no cohort).", "耦合度基于整个已存储的语料库计算（该查询不按群组筛选）。")
        case .shared: return ("Shared", "共同依赖")
        case .union: return ("All", "依赖总数")
        case .jaccard: return ("Jaccard", "Jaccard 指数")
        case .figGraph: return ("Dependency graph of the {0} most depended-on modules", "被依赖最多的 {0} 个模块的依赖图")
        case .capGraph:
            return (
                "Arrows go from a module to what it requires (dashed: only indirectly); boxes with dashed borders are modules of the corpus. Laid out by census in layers.",
                "箭头从模块指向其依赖（虚线：仅间接依赖）；虚线边框为语料库中的模块。由 census 分层布局。"
            )
        case .noteGraph:
            return (
                "Nodes: the {0} modules with the most fan-in and the corpus modules requiring most of them; edges: their own requirements.",
                "节点：被依赖最多的 {0} 个模块，以及依赖它们最多的语料库模块；边：它们的自有依赖关系。"
            )
        case .graphTooltip: return ("{0}: required by {1} modules directly, {2} indirectly", "{0}：被 {1} 个模块直接依赖，{2} 个间接依赖")
        case .requiringModule: return ("Module", "模块")
        case .requiredModule: return ("Requires", "依赖")
        case .indirectColumn: return ("Indirect only", "仅间接")
        case .yes: return ("yes", "是")
        case .no: return ("no", "否")

        // 7. Method
        case .methodTitle: return ("Method", "方法")
        case .methodWritten: return ("Written by census {0} on {1} with: {2}", "由 census {0} 于 {1} 生成，命令：{2}")
        case .methodLanguages:
            return (
                "Languages are detected as GitHub Linguist 7.22.1 does (modeline, file name, shebang, extension, heuristics), from Linguist's own data; vendored, generated and documentation files follow Linguist's rules and the repositories' .gitattributes and are kept apart from own code. The language bar counts bytes of own code in programming and markup languages, as GitHub does.",
                "语言识别方式与 GitHub Linguist 7.22.1 相同（modeline、文件名、shebang、扩展名、启发式规则），使用 Linguist 自身的数据；第三方、生成和文档文件依据 Linguist 规则和仓库的 .gitattributes 与自有代码分开统计。语言条与 GitHub 一样统计编程语言和标记语言自有代码的字节数。"
            )
        case .methodCounting:
            return (
                "Lines are counted as code, comment or blank by each language's syntax (docs/counting.md in census); shares are of own code, every language type included.",
                "代码行按各语言的语法分为代码、注释和空行（见 census 的 docs/counting.md）；占比以全部自有代码为分母，包含所有语言类型。"
            )
        case .methodPenetration:
            return (
                "Penetration: a unit matches when its language code is not zero and at least {0} of its own code, compared in integers (parts per million), so a unit exactly at the threshold matches.",
                "渗透率：当单位的该语言代码不为零且至少占其自有代码的 {0} 时计为匹配，按整数（百万分之一）比较，恰好等于阈值的单位也计为匹配。"
            )
        case .methodAttribution:
            return (
                "Companies of repositories come from the manifests and org maps; companies of commits from gitdm affiliation files, by the author's email and the commit's day (\"Unknown\" when none matches); bots are left out of history figures. Regions of contributors come from the country-code domain of their email.",
                "仓库所属公司来自清单和组织映射；提交所属公司来自 gitdm 隶属数据，按作者邮箱和提交日期确定（无匹配时为 \"Unknown\"）；历史类图表不含机器人。贡献者地区来自其邮箱的国家代码域名。"
            )
        case .methodSources:
            return ("Data: {0} repositories scanned between {1} and {2} by census {3}.", "数据：{0} 个仓库，扫描于 {1} 至 {2}，census 版本 {3}。")
        case .methodEvents: return ("GitHub events from GH Archive: {0} events, {1} to {2}.", "GitHub 事件来自 GH Archive：{0} 个，{1} 至 {2}。")
        case .methodReproduce:
            return (
                "To check a figure: run its census commands with --db pointing at the same store, or its SQL with sqlite3 (sqlite3 -header -csv census.db < sql/FIGURE.sql); data/FIGURE.csv holds the rows shown.",
                "核对图表：用 --db 指向同一数据库运行对应的 census 命令，或用 sqlite3 运行其 SQL（sqlite3 -header -csv census.db < sql/FIGURE.sql）；data/FIGURE.csv 为图表所示的数据。"
            )
        case .figMethod: return ("Figures and the commands behind them", "图表及其对应命令")
        case .capMethod: return ("Every figure of this report, its data file and the census commands that print the same rows.", "本报告的所有图表、数据文件，以及输出相同数据的 census 命令。")
        case .figureColumn: return ("Figure", "图表")
        case .dataColumn: return ("Data", "数据")
        case .commandsColumn: return ("Commands", "命令")
        }
    }
    // swiftlint:enable function_body_length
}
