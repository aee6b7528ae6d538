import CensusStore
import Foundation
import Testing

@testable import CensusReports

@Suite("Report primitives: numbers, SVG charts, graph layout, before/after")
struct ChartTests {
    @Test("numbers and days as readers see them")
    func formatting() {
        #expect(ReportFormat.integer(0) == "0")
        #expect(ReportFormat.integer(999) == "999")
        #expect(ReportFormat.integer(1000) == "1,000")
        #expect(ReportFormat.integer(1_234_567) == "1,234,567")
        #expect(ReportFormat.integer(-1234) == "-1,234")
        #expect(ReportFormat.percent(0.683) == "68.3%")
        #expect(ReportFormat.percent(1) == "100.0%")
        #expect(ReportFormat.percent(2.0 / 3) == "66.7%")
        #expect(ReportFormat.decimal(12345.678, decimals: 2) == "12,345.68")
        #expect(ReportFormat.decimal(-0.04, decimals: 1) == "0.0")
        #expect(ReportFormat.decimal(-1.25, decimals: 1) == "-1.3")
        #expect(ReportFormat.plain(0.5, maxDecimals: 6, trim: false) == "0.500000")
        #expect(ReportFormat.plain(12.5, maxDecimals: 4) == "12.5")
        #expect(ReportFormat.growth(0.25) == "+25.0%")
        #expect(ReportFormat.growth(-0.1) == "-10.0%")
        #expect(ReportFormat.growth(nil) == "n/a")
        // 2000-02-29 is day 11,016 since 1970 (30 years with 7 leap days, then 31 + 28 days).
        #expect(ReportFormat.day(0) == "1970-01-01")
        #expect(ReportFormat.day(11_016 * 86_400) == "2000-02-29")
        #expect(ReportFormat.day(-1) == "1969-12-31")
        #expect(ReportFormat.seconds(ofDay: "2000-02-29") == Int64(11_016) * 86_400)
        #expect(ReportFormat.seconds(ofDay: "2023-02-29") == nil)
        #expect(ReportFormat.seconds(ofDay: "2023-2-1") == nil)
        #expect(ReportFormat.month(1_600_000_000) == "2020-09")
    }

    @Test("round ticks: steps of 1, 2 or 5 × 10ⁿ covering the data")
    func ticks() {
        #expect(ChartSVG.niceTicks(maximum: 7) == [0, 2, 4, 6, 8])
        #expect(ChartSVG.niceTicks(maximum: 100) == [0, 20, 40, 60, 80, 100])
        #expect(ChartSVG.niceTicks(maximum: 1, integral: true) == [0, 1])
        #expect(ChartSVG.niceTicks(maximum: 0.37) == [0, 0.1, 0.2, 0.30000000000000004, 0.4])
        #expect(ChartSVG.niceTicks(maximum: 10, minimum: -4) == [-5, 0, 5, 10])
    }

    /// The `<rect>` elements with a hover title: (x, width, title).
    static func bars(_ svg: String) -> [(x: Double, width: Double, title: String)] {
        let pattern = try! NSRegularExpression(pattern: ##"<rect x="([0-9.]+)" y="[0-9.]+" width="([0-9.]+)" height="[0-9.]+" fill="#[0-9a-f]{6}"><title>([^<]*)</title>"##)
        let range = NSRange(svg.startIndex..., in: svg)
        return pattern.matches(in: svg, range: range).map { m in
            (Double(svg[Range(m.range(at: 1), in: svg)!])!, Double(svg[Range(m.range(at: 2), in: svg)!])!, String(svg[Range(m.range(at: 3), in: svg)!]))
        }
    }

    @Test("bars are as long as their values; stacked segments of a normalised bar fill it")
    func barGeometry() throws {
        let chart = BarChart(labels: ["a", "b"], series: [ChartSeries(name: "n", color: "#00add8", values: [3, 1])])
        let svg = try #require(ChartSVG().render(.bars(chart), id: "t", title: "T", description: "D").first)
        let rects = Self.bars(svg)
        #expect(rects.map(\.title) == ["a: 3", "b: 1"])
        #expect(abs(rects[0].width / rects[1].width - 3) < 0.05)
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("aria-labelledby=\"t-t t-d\""))

        let stacked = BarChart(
            labels: ["all", "one"],
            series: [
                ChartSeries(name: "Go", color: "#00add8", values: [75, 10]),
                ChartSeries(name: "Python", color: "#3572a5", values: [25, 30]),
            ], normalized: true)
        let drawn = Self.bars(try #require(ChartSVG().render(.bars(stacked), id: "s", title: "S", description: "D").first))
        #expect(drawn.map(\.title) == ["all — Go: 75 (75.0%)", "all — Python: 25 (25.0%)", "one — Go: 10 (25.0%)", "one — Python: 30 (75.0%)"])
        let full = drawn[0].width + drawn[1].width
        #expect(abs(drawn[2].width + drawn[3].width - full) < 0.2)
        #expect(abs(drawn[0].width / full - 0.75) < 0.01)
        #expect(abs(drawn[2].x - drawn[0].x) < 0.01)  // every bar starts at the axis
    }

    @Test("lines: one point per value with its hover title, breaks where a value is missing, marks at their period")
    func lineGeometry() throws {
        let chart = LineChart(
            periods: ["2019", "2020", "2021", "2022"],
            series: [ChartSeries(name: "Go", color: "#00add8", values: [1, 4, nil, 2])],
            marks: [ChartMark(period: "2021", label: "GopherChina")])
        let svg = try #require(ChartSVG().render(.lines(chart), id: "l", title: "L", description: "D").first)
        let circles = try NSRegularExpression(pattern: #"<circle cx="([0-9.]+)" cy="([0-9.]+)"[^>]*><title>([^<]*)</title>"#)
        let matches = circles.matches(in: svg, range: NSRange(svg.startIndex..., in: svg))
        let titles = matches.map { String(svg[Range($0.range(at: 3), in: svg)!]) }
        #expect(titles == ["2019: 1", "2020: 4", "2022: 2"])
        let ys = matches.map { Double(svg[Range($0.range(at: 2), in: svg)!])! }
        #expect(ys[1] < ys[2] && ys[2] < ys[0])  // higher values are drawn higher
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 1)  // 2019–2020; 2022 stands alone
        #expect(svg.contains(">GopherChina</text>"))
    }

    @Test("a colour that is not #RRGGBB never reaches an attribute")
    func colours() throws {
        let chart = BarChart(labels: ["x"], series: [ChartSeries(name: "n", color: "red\" onload=\"x", values: [1])])
        let svg = try #require(ChartSVG().render(.bars(chart), id: "c", title: "T", description: "D").first)
        #expect(!svg.contains("onload"))
        #expect(svg.contains("fill=\"#8b8b8b\""))
        #expect(ChartColors.language("Go") == "#00add8")
        #expect(ChartColors.language("No Such Language") == ChartColors.neutral)
    }

    @Test("graph layout: layers by longest path, cycles survive, barycentre sweeps remove avoidable crossings")
    func graphLayout() {
        // a → b → c, and a → c: c goes to layer 2.
        let chain = GraphDrawing(
            names: ["a", "b", "c"], tooltips: ["a", "b", "c"], corpus: [0],
            edges: [(from: 0, to: 1, indirect: false), (from: 1, to: 2, indirect: false), (from: 0, to: 2, indirect: true)])
        #expect(chain.nodes.map(\.layer) == [0, 1, 2])
        #expect(chain.edges.count == 3)
        #expect(chain.nodes[0].isCorpus && !chain.nodes[1].isCorpus)
        // A cycle: one edge is left out of the layering, every edge is still drawn.
        let cycle = GraphDrawing(
            names: ["x", "y"], tooltips: ["x", "y"], corpus: [],
            edges: [(from: 0, to: 1, indirect: false), (from: 1, to: 0, indirect: false)])
        #expect(cycle.nodes.map(\.layer) == [0, 1])
        #expect(cycle.edges.count == 2)
        // a → z and b → y: sorted by name, a and y are on top, so the edges cross; the sweeps
        // put z above y.
        let crossing = GraphDrawing(
            names: ["a", "b", "y", "z"], tooltips: ["", "", "", ""], corpus: [],
            edges: [(from: 0, to: 3, indirect: false), (from: 1, to: 2, indirect: false)])
        #expect(crossing.crossings == 0)
        #expect(crossing.nodes[3].y < crossing.nodes[2].y)
        // Every node inside the drawing.
        for node in crossing.nodes { #expect(node.x >= 0 && node.x + node.width <= 720) }
    }

    @Test("before and after a month: means per month over clipped windows; running totals by level")
    func beforeAfter() {
        let series = [
            TimelinePoint(period: "2020-01", value: 2), TimelinePoint(period: "2020-03", value: 4),
            TimelinePoint(period: "2020-04", value: 6), TimelinePoint(period: "2020-05", value: 8),
        ]
        // Before 2020-04 with a 2-month window: 2020-02 (0) and 2020-03 (4) → 2; after: 04 and 05 → 7.
        let flow = BeforeAfter(series: series, month: "2020-04", window: 2, covered: ("2020-01", "2020-05"), cumulative: false)
        #expect(flow.before == 2)
        #expect(flow.after == 7)
        #expect(flow.growth == 2.5)
        #expect(flow.monthsBefore == 2 && flow.monthsAfter == 2)
        // A window of 6 is clipped to the data: 3 months before, 2 after.
        let clipped = BeforeAfter(series: series, month: "2020-04", window: 6, covered: ("2020-01", "2020-05"), cumulative: false)
        #expect(clipped.monthsBefore == 3 && clipped.monthsAfter == 2)
        #expect(clipped.before == 2)  // (2 + 0 + 4) / 3
        // A running total: its level at the end of each window (carried from the last row).
        let level = BeforeAfter(series: series, month: "2020-04", window: 2, covered: ("2020-01", "2020-05"), cumulative: true)
        #expect(level.before == 4)
        #expect(level.after == 8)
        // Nothing before the data: no growth.
        let none = BeforeAfter(series: series, month: "2020-01", window: 3, covered: ("2020-01", "2020-05"), cumulative: false)
        #expect(none.before == nil && none.growth == nil)
    }

    @Test("--mark and --compare values")
    func specs() throws {
        let mark = try #require(ReportMark.parse("2024-06-01=GopherChina 2024"))
        #expect(mark.day == 1_717_200_000)
        #expect(mark.label == "GopherChina 2024")
        #expect(mark.month == "2024-06")
        #expect(ReportMark.parse("2024-06-01")?.label == "2024-06-01")
        #expect(ReportMark.parse("2024-13-01=x") == nil)
        let spec = try ReportSeriesSpec.parse("events.stars:language=Go&region=China").get()
        #expect(spec == ReportSeriesSpec(source: .events, metric: "stars", language: "Go", region: "China"))
        #expect(spec.description == "events.stars (language=Go, region=China)")
        #expect(try ReportSeriesSpec.parse("commits:cohort=cncf").get().cohort == "cncf")
        #expect((try? ReportSeriesSpec.parse("stars").get()) == nil)
        #expect((try? ReportSeriesSpec.parse("commits:region=China").get()) == nil)
        #expect((try? ReportSeriesSpec.parse("commits:language").get()) == nil)
    }
}
