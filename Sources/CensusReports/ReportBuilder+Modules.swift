import CensusStore

extension ReportBuilder {
    // MARK: - 6. Go modules

    func modulesSection(_ c: Context) throws -> ReportSection {
        var section = ReportSection(id: "modules", title: s[.modulesTitle])
        guard let deps = c.dependencies, let ranked = c.fanIn, c.hasModules else {
            section.missing = ["census scan --manifest FILE"]
            section.paragraphs.append(s[.noModules])
            return section
        }
        let scope = options.scopeCohort
        let limit = String(options.limit)

        // Fan-in.
        let fanIn = Answer(value: Array(ranked.value.prefix(options.limit)), sql: ranked.sql)
        var table = ReportTable(columns: [
            ReportColumn("#", field: "rank"), ReportColumn(s[.module], field: "module"),
            ReportColumn(s[.directModules], field: "direct_modules"), ReportColumn(s[.indirectModules], field: "indirect_modules"),
            ReportColumn(s[.directRepositories], field: "direct_repositories"), ReportColumn(s[.indirectRepositories], field: "indirect_repositories"),
        ])
        for (k, row) in fanIn.value.enumerated() {
            table.rows.append([
                .integer(k + 1), .text(row.module), .integer(row.directModules), .integer(row.indirectModules), .integer(row.directRepositories),
                .integer(row.indirectRepositories),
            ])
        }
        let fanChart = BarChart(
            labels: fanIn.value.map(\.module),
            series: [
                ChartSeries(name: s[.directModules], color: ChartColors.language("Go"), values: fanIn.value.map { Double($0.directModules) }),
                ChartSeries(name: s[.indirectModules], color: ChartColors.neutral, values: fanIn.value.map { Double($0.indirectModules) }),
            ])
        section.figures.append(
            ReportFigure(
                id: "modules-fan-in", title: s[.figFanIn], caption: s[.capFanIn], chart: .bars(fanChart), table: table,
                commands: [cli(["deps", "top", "--limit", limit, "--format", "csv"] + cohortArguments)], sql: fanIn.sql,
                sqlNotes: [s.fill(.noteFanInLimit, limit, String(options.graphModules))]))

        // Shares by host and org.
        let share = try ask { try deps.dependencyShare(cohort: scope, limit: 10) }
        var shareTable = ReportTable(columns: [
            ReportColumn(s[.kindColumn], field: "kind"), ReportColumn(s[.targetColumn], field: "name"),
            ReportColumn(s[.requirements], field: "requirements"), ReportColumn(s[.ofColumn], field: "total"), ReportColumn(s[.shareColumn], field: "share"),
        ])
        for row in share.value {
            shareTable.rows.append([.text(row.kind), .text(row.name), .integer(row.requirements), .integer(row.total), .fraction(row.share)])
        }
        var panels: [ChartPanel] = []
        for kind in ["host", "org"] {
            let rows = share.value.filter { $0.kind == kind }
            guard !rows.isEmpty else { continue }
            panels.append(
                ChartPanel(
                    title: kind == "host" ? s[.byHost] : s[.byOrg],
                    chart: .bars(BarChart(labels: rows.map(\.name), series: [ChartSeries(name: s[.shareColumn], color: ChartColors.series(kind == "host" ? 0 : 2), values: rows.map(\.share))], valueKind: .fraction))))
        }
        section.figures.append(
            ReportFigure(
                id: "modules-share", title: s[.figShare], caption: s[.capShare], chart: panels.isEmpty ? nil : .panels(panels), table: shareTable,
                commands: [cli(["deps", "share", "--limit", "10", "--format", "csv"] + cohortArguments)], sql: share.sql))

        // Coupling.
        let coupling = try ask { try deps.dependencyCoupling(nil, nil, limit: 10) }
        if !coupling.value.isEmpty {
            var couplingTable = ReportTable(columns: [
                ReportColumn(s[.repository], field: "first"), ReportColumn(s[.repository], field: "second"),
                ReportColumn(s[.shared], field: "shared"), ReportColumn(s[.union], field: "union"), ReportColumn(s[.jaccard], field: "jaccard"),
            ])
            for row in coupling.value {
                couplingTable.rows.append([.text(row.first), .text(row.second), .integer(row.shared), .integer(row.union), .decimal(row.jaccard, 3)])
            }
            let chart = BarChart(
                labels: coupling.value.map { $0.first + " ↔ " + $0.second },
                series: [ChartSeries(name: s[.jaccard], color: ChartColors.series(3), values: coupling.value.map(\.jaccard))], valueKind: .decimal(3),
                notes: coupling.value.map { "\(ReportFormat.integer($0.shared)) / \(ReportFormat.integer($0.union))" })
            section.figures.append(
                ReportFigure(
                    id: "modules-coupling", title: s[.figCoupling], caption: s[.capCoupling], chart: .bars(chart), table: couplingTable,
                    commands: [cli(["deps", "coupling", "--top", "10", "--format", "csv"])], sql: coupling.sql, sqlNotes: [s[.noteCouplingCorpus]]))
        }

        // The graph of the most depended-on modules and the corpus modules requiring them.
        let top = Answer(value: Array(ranked.value.prefix(options.graphModules)), sql: ranked.sql)
        let edges = try ask { try deps.dependencyEdges(cohort: scope) }
        let required = Set(top.value.map(\.module))
        let relevant = edges.value.filter { !$0.requiring.isEmpty && required.contains($0.required) }
        var reach: [String: Set<String>] = [:]
        for e in relevant { reach[e.requiring, default: []].insert(e.required) }
        let requirers = reach.sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }.prefix(options.graphModules).map(\.key)
        var names = top.value.map(\.module)
        for r in requirers where !required.contains(r) { names.append(r) }
        let index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        // One edge per pair of modules, indirect only when every requirement of it is.
        var graphEdges: [(from: Int, to: Int, indirect: Bool)] = []
        var position: [String: Int] = [:]
        for e in relevant {
            guard let from = index[e.requiring], let to = index[e.required] else { continue }
            let key = e.requiring + "\u{0}" + e.required
            if let k = position[key] {
                graphEdges[k].indirect = graphEdges[k].indirect && e.indirect
            } else {
                position[key] = graphEdges.count
                graphEdges.append((from: from, to: to, indirect: e.indirect))
            }
        }
        let declared = Set(edges.value.map(\.requiring))
        let fanByModule = Dictionary(top.value.map { ($0.module, $0) }, uniquingKeysWith: { a, _ in a })
        let tooltips = names.map { name -> String in
            if let f = fanByModule[name] {
                return s.fill(.graphTooltip, name, ReportFormat.integer(f.directModules), ReportFormat.integer(f.indirectModules))
            }
            return name
        }
        let graph = GraphDrawing(
            names: names, tooltips: tooltips, corpus: Set(names.indices.filter { declared.contains(names[$0]) }), edges: graphEdges)
        var edgeTable = ReportTable(columns: [
            ReportColumn(s[.requiringModule], field: "from"), ReportColumn(s[.requiredModule], field: "to"), ReportColumn(s[.indirectColumn], field: "indirect"),
        ])
        for e in graphEdges { edgeTable.rows.append([.text(names[e.from]), .text(names[e.to]), .text(e.indirect ? s[.yes] : s[.no])]) }
        section.figures.append(
            ReportFigure(
                id: "modules-graph", title: s.fill(.figGraph, String(options.graphModules)), caption: s[.capGraph], chart: .graph(graph),
                table: edgeTable,
                commands: [
                    cli(["deps", "top", "--limit", String(options.graphModules), "--format", "csv"] + cohortArguments),
                    cli(["deps", "export", "--graph", "json"] + cohortArguments),
                ],
                sql: top.sql + edges.sql, sqlNotes: [s.fill(.noteGraph, String(options.graphModules)), s.fill(.noteFanInLimit, limit, String(options.graphModules))]))
        return section
    }

    // MARK: - 7. Method

    func methodSection(_ c: Context, figures: [ReportFigure]) -> ReportSection {
        var section = ReportSection(id: "method", title: s[.methodTitle])
        section.paragraphs.append(s.fill(.methodWritten, options.toolVersion, ReportFormat.day(options.generatedAt), options.commandLine))
        section.paragraphs.append(s[.methodLanguages])
        section.paragraphs.append(s[.methodCounting])
        section.paragraphs.append(s.fill(.methodPenetration, ReportFormat.percent(options.threshold)))
        section.paragraphs.append(s[.methodAttribution])
        let rows = c.repositories.value
        if let lo = rows.map(\.repository.scannedAt).min(), let hi = rows.map(\.repository.scannedAt).max() {
            let versions = Set(rows.map(\.repository.censusVersion)).sorted().joined(separator: ", ")
            section.paragraphs.append(s.fill(.methodSources, ReportFormat.integer(rows.count), ReportFormat.day(lo), ReportFormat.day(hi), versions))
        }
        if let events = c.events {
            section.paragraphs.append(s.fill(.methodEvents, ReportFormat.integer(events.events), ReportFormat.day(events.first), ReportFormat.day(events.last)))
        }
        section.paragraphs.append(s[.methodReproduce])
        var table = ReportTable(columns: [
            ReportColumn("#", field: "figure"), ReportColumn(s[.figureColumn], field: "title"), ReportColumn(s[.dataColumn], field: "data"),
            ReportColumn(s[.commandsColumn], field: "commands"),
        ])
        for (k, figure) in figures.enumerated() {
            table.rows.append([
                .integer(k + 1), .text(figure.title), .text("data/\(figure.id).csv"), .text(figure.commands.joined(separator: " ; ")),
            ])
        }
        section.figures.append(
            ReportFigure(id: "method-figures", title: s[.figMethod], caption: s[.capMethod], chart: nil, table: table, commands: []))
        return section
    }
}
