/// Draws a ``ReportChart`` as SVG: axes with ticks and labels, legends, a `<title>` on every mark
/// (its value on hover), `role="img"` with a title and description for screen readers.
///
/// The drawing scales with its container (`viewBox`, `width="100%"`). Text, axes and grid take
/// their colours from the classes `c-text`, `c-muted`, `c-axis`, `c-grid` and `c-mark`: the page's
/// style sheet sets them for light and dark schemes; a standalone `.svg` file carries its own.
public struct ChartSVG: Sendable {
    /// An `.svg` file of its own (an XML namespace and a style sheet) rather than SVG inside the page.
    public var standalone: Bool

    /// A drawing for narrow screens: 360 units wide instead of 720, so its text keeps its size
    /// on a phone (the page shows it below 40 rem and the wide one above).
    public var narrow: Bool

    public init(standalone: Bool = false, narrow: Bool = false) {
        self.standalone = standalone
        self.narrow = narrow
    }

    static let width = 720.0
    static let fontSize = 12.0

    /// The style a standalone file carries (the page's style sheet has the same rules).
    public static let styleRules = """
        .c-text{fill:#24292f}.c-muted{fill:#57606a}.c-axis{stroke:#57606a}.c-grid{stroke:#d0d7de}\
        .c-mark{stroke:#cf222e}.c-marktext{fill:#cf222e}.c-node{fill:#f6f8fa;stroke:#57606a}.c-edge{stroke:#8c959f;fill:none}\
        @media (prefers-color-scheme:dark){.c-text{fill:#e6edf3}.c-muted{fill:#9198a1}.c-axis{stroke:#9198a1}\
        .c-grid{stroke:#30363d}.c-mark{stroke:#ff7b72}.c-marktext{fill:#ff7b72}.c-node{fill:#161b22;stroke:#9198a1}\
        .c-edge{stroke:#6e7681}}
        """

    /// The drawings for `chart`: one SVG, or one per panel of small multiples (a page lays panels
    /// out side by side or stacked; each scales to its own box). `id` must be unique in the page
    /// (it prefixes the title, description and marker ids; panels add `-1`, `-2`…); `title` and
    /// `description` are what a screen reader announces.
    public func render(_ chart: ReportChart, id: String, title: String, description: String) -> [String] {
        let id = ReportHTMLWriter.safeID(id)
        if case .panels(let panels) = chart {
            let width = panels.count > 1 ? Self.panelWidth : Self.width
            return panels.enumerated().map { k, panel in
                let canvas = draw(panel.chart, id: "\(id)-\(k + 1)", width: width, heading: panel.title)
                return wrap(canvas, id: "\(id)-\(k + 1)", width: width, title: title + " — " + panel.title, description: description)
            }
        }
        let width = narrow ? Self.panelWidth : Self.width
        return [wrap(draw(chart, id: id, width: width, heading: nil), id: id, width: width, title: title, description: description)]
    }

    /// The width of one panel of small multiples: two fit a desktop column, one a phone.
    static let panelWidth = 360.0

    func draw(_ chart: ReportChart, id: String, width: Double, heading: String?) -> SVGCanvas {
        var top = 0.0
        var headingCanvas = SVGCanvas()
        if let heading {
            headingCanvas.text(0, 14, Escaping.truncated(heading, limit: Int(width / 8)), anchor: "start", cls: "c-text", bold: true, title: heading)
            top = 24
        }
        var canvas: SVGCanvas
        switch chart {
        case .bars(let bars): canvas = drawBars(bars, width: width)
        case .lines(let lines): canvas = drawLines(lines, width: width, height: width > 400 ? 300 : 230)
        case .graph(let graph): canvas = drawGraph(graph, id: id)
        case .panels(let panels):
            // Not nested: draw the first panel (the model never nests panels).
            canvas = panels.first.map { draw($0.chart, id: id, width: width, heading: $0.title) } ?? SVGCanvas()
        }
        if top > 0 {
            headingCanvas.body += "<g transform=\"translate(0 \(SVGCanvas.number(top)))\">" + canvas.body + "</g>"
            headingCanvas.height = top + canvas.height
            return headingCanvas
        }
        return canvas
    }

    func wrap(_ canvas: SVGCanvas, id: String, width: Double, title: String, description: String) -> String {
        let h = SVGCanvas.number(max(canvas.height, 20))
        var out = "<svg"
        if standalone { out += " xmlns=\"http://www.w3.org/2000/svg\"" }
        out += narrow ? " class=\"chart narrow\" role=\"img\"" : " class=\"chart\" role=\"img\""
        out += " aria-labelledby=\"\(id)-t \(id)-d\" viewBox=\"0 0 \(SVGCanvas.number(width)) \(h)\""
        out += " width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" font-size=\"\(SVGCanvas.number(Self.fontSize))\">"
        out += "<title id=\"\(id)-t\">\(Escaping.html(title))</title><desc id=\"\(id)-d\">\(Escaping.html(description))</desc>"
        if standalone {
            out += "<style>svg{font-family:system-ui,-apple-system,'Segoe UI','Noto Sans','Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif}"
            out += Self.styleRules + "</style>"
        }
        out += canvas.body
        out += "</svg>"
        return out
    }

    // MARK: - Bars

    func drawBars(_ chart: BarChart, width: Double) -> SVGCanvas {
        var c = SVGCanvas()
        let n = chart.labels.count
        let labels = chart.labels.map { Escaping.truncated($0, limit: width > 400 ? 34 : 20) }
        let labelWidth = min(width * 0.33, (labels.map(SVGCanvas.textWidth).max() ?? 0) + 8)
        let totals = (0 ..< n).map { chart.total($0) }
        let notes = chart.notes ?? totals.map { chart.normalized ? "" : chart.valueKind.format($0) }
        let noteWidth = max(24, min(width * 0.22, (notes.map(SVGCanvas.textWidth).max() ?? 0) + 8))
        let left = labelWidth + 8
        let plotWidth = max(80, width - left - noteWidth - 8)
        let top = chart.rule == nil ? 8.0 : 22.0
        let rowHeight = 24.0
        let plotHeight = Double(max(n, 1)) * rowHeight
        let maximum = chart.normalized ? 1 : max(totals.max() ?? 0, chart.rule?.value ?? 0)
        let tickCount = max(2, min(5, Int(plotWidth / 70)))
        let ticks = chart.normalized ? [0, 0.25, 0.5, 0.75, 1] : Self.niceTicks(maximum: maximum, count: tickCount, integral: chart.valueKind == .count)
        let scaleMax = chart.normalized ? 1 : (ticks.last ?? 1)
        func x(_ value: Double) -> Double { left + (scaleMax > 0 ? value / scaleMax * plotWidth : 0) }
        let tickKind: ChartValueKind = chart.normalized ? .fraction : chart.valueKind

        for tick in ticks {
            c.line(x(tick), top, x(tick), top + plotHeight, cls: "c-grid")
            c.text(x(tick), top + plotHeight + 14, Self.tickLabel(tick, tickKind), anchor: "middle", cls: "c-muted")
        }
        c.line(left, top, left, top + plotHeight, cls: "c-axis")
        for i in 0 ..< n {
            let y = top + Double(i) * rowHeight
            c.text(left - 6, y + rowHeight / 2 + 4, labels[i], anchor: "end", cls: "c-text", title: chart.labels[i])
            let total = totals[i]
            var offset = 0.0
            for s in chart.series {
                guard let raw = s.values[i], raw > 0 else { continue }
                let value = chart.normalized ? (total > 0 ? raw / total : 0) : raw
                let w = x(offset + value) - x(offset)
                var tip = chart.labels[i]
                if chart.series.count > 1 { tip += " — " + s.name }
                tip += ": " + chart.valueKind.format(raw)
                if chart.normalized { tip += " (" + ReportFormat.percent(value) + ")" }
                c.rect(x(offset), y + 4, max(w, 0.5), rowHeight - 8, fill: s.color(at: i), title: tip)
                offset += value
            }
            if !notes[i].isEmpty {
                c.text(x(offset) + 4, y + rowHeight / 2 + 4, notes[i], anchor: "start", cls: "c-muted")
            }
        }
        if let rule = chart.rule {
            c.line(x(rule.value), top - 4, x(rule.value), top + plotHeight, cls: "c-mark", dashed: true)
            c.text(x(rule.value), top - 8, rule.label, anchor: "middle", cls: "c-marktext")
        }
        var height = top + plotHeight + 24
        if chart.series.count > 1 { height = c.legend(chart.series, top: height + 4, left: left, width: width - left) }
        c.height = height + 4
        return c
    }

    // MARK: - Lines

    func drawLines(_ chart: LineChart, width: Double, height: Double) -> SVGCanvas {
        var c = SVGCanvas()
        var top = 12.0
        if !chart.marks.isEmpty { top += 14 }
        let values = chart.series.flatMap { $0.values.compactMap { $0 } }
        let low = min(0, values.min() ?? 0)
        let high = max(values.max() ?? 0, low + 1)
        let ticks = Self.niceTicks(maximum: high, minimum: low, integral: chart.valueKind == .count)
        let yMin = ticks.first ?? 0
        let yMax = ticks.last ?? 1
        let tickLabels = ticks.map { Self.tickLabel($0, chart.valueKind) }
        let firstLabel = chart.periods.first.map(SVGCanvas.textWidth) ?? 0
        let lastLabel = chart.periods.last.map(SVGCanvas.textWidth) ?? 0
        let left = max((tickLabels.map(SVGCanvas.textWidth).max() ?? 20) + 10, firstLabel / 2 + 4)
        let right = max(14, lastLabel / 2 + 4)
        let plotWidth = width - left - right
        let legendRows = chart.series.count > 1 ? c.legendHeight(chart.series, width: width - left) : 0
        let bottom = 34.0 + legendRows
        let plotHeight = max(60, height - top - bottom)
        let n = chart.periods.count
        func x(_ i: Int) -> Double { n <= 1 ? left + plotWidth / 2 : left + Double(i) * plotWidth / Double(n - 1) }
        func y(_ v: Double) -> Double { top + plotHeight - (v - yMin) / (yMax - yMin) * plotHeight }

        for (k, tick) in ticks.enumerated() {
            c.line(left, y(tick), left + plotWidth, y(tick), cls: "c-grid")
            c.text(left - 6, y(tick) + 4, tickLabels[k], anchor: "end", cls: "c-muted")
        }
        c.line(left, top + plotHeight, left + plotWidth, top + plotHeight, cls: "c-axis")
        c.line(left, top, left, top + plotHeight, cls: "c-axis")
        let labelWidth = chart.periods.map(SVGCanvas.textWidth).max() ?? 30
        let step = max(1, Int((Double(n) * (labelWidth + 8) / plotWidth).rounded(.up)))
        for i in stride(from: 0, to: n, by: step) {
            c.line(x(i), top + plotHeight, x(i), top + plotHeight + 4, cls: "c-axis")
            c.text(x(i), top + plotHeight + 16, chart.periods[i], anchor: "middle", cls: "c-muted")
        }
        for mark in chart.marks {
            guard let i = chart.periods.firstIndex(of: mark.period) else { continue }
            c.line(x(i), top - 2, x(i), top + plotHeight, cls: "c-mark", dashed: true)
            c.text(x(i), top - 6, Escaping.truncated(mark.label, limit: 24), anchor: "middle", cls: "c-marktext", title: mark.label)
        }
        for s in chart.series {
            var run: [(Double, Double)] = []
            func flush() {
                if run.count > 1 { c.polyline(run, stroke: s.color) }
                run = []
            }
            for (i, value) in s.values.enumerated() {
                guard let value, i < n else {
                    flush()
                    continue
                }
                run.append((x(i), y(value)))
            }
            flush()
            for (i, value) in s.values.enumerated() where i < n {
                guard let value else { continue }
                let tip = (chart.series.count > 1 ? s.name + ", " : "") + chart.periods[i] + ": " + chart.valueKind.format(value)
                c.circle(x(i), y(value), n > 60 ? 1.5 : 3, fill: s.color, title: tip)
            }
        }
        var total = top + plotHeight + 24
        if chart.series.count > 1 { total = c.legend(chart.series, top: total + 4, left: left, width: width - left) }
        c.height = max(height, total + 4)
        return c
    }

    // MARK: - Graph

    func drawGraph(_ graph: GraphDrawing, id: String) -> SVGCanvas {
        var c = SVGCanvas()
        let marker = "\(id)-arrow"
        c.body += "<defs><marker id=\"\(marker)\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
        c.body += "<path d=\"M0 0L10 5L0 10z\" class=\"c-muted\"/></marker></defs>"
        for edge in graph.edges {
            let a = graph.nodes[edge.from]
            let b = graph.nodes[edge.to]
            let x1 = a.x + a.width
            let x2 = b.x
            let y1 = a.y + GraphDrawing.nodeHeight / 2
            let y2 = b.y + GraphDrawing.nodeHeight / 2
            let bend = max(30, (x2 - x1) / 2)
            let d = "M\(SVGCanvas.number(x1)) \(SVGCanvas.number(y1))C\(SVGCanvas.number(x1 + bend)) \(SVGCanvas.number(y1)) "
                + "\(SVGCanvas.number(x2 - bend)) \(SVGCanvas.number(y2)) \(SVGCanvas.number(x2)) \(SVGCanvas.number(y2))"
            var tip = a.name + " → " + b.name
            if edge.indirect { tip += " (indirect)" }
            c.body += "<path d=\"\(d)\" class=\"c-edge\" stroke-width=\"1.2\"\(edge.indirect ? " stroke-dasharray=\"4 3\"" : "") marker-end=\"url(#\(marker))\">"
            c.body += "<title>\(Escaping.html(tip))</title></path>"
        }
        for node in graph.nodes {
            c.body += "<g><title>\(Escaping.html(node.tooltip))</title>"
            c.body += "<rect x=\"\(SVGCanvas.number(node.x))\" y=\"\(SVGCanvas.number(node.y))\" width=\"\(SVGCanvas.number(node.width))\" height=\"\(SVGCanvas.number(GraphDrawing.nodeHeight))\" rx=\"4\""
            c.body += node.isCorpus ? " class=\"c-node\" stroke-dasharray=\"3 2\"" : " class=\"c-node\""
            c.body += "/>"
            c.body += "<text x=\"\(SVGCanvas.number(node.x + 6))\" y=\"\(SVGCanvas.number(node.y + GraphDrawing.nodeHeight / 2 + 4))\" class=\"c-text\">"
            c.body += Escaping.html(node.label) + "</text></g>"
        }
        c.height = graph.height
        return c
    }

    // MARK: - Scales

    /// A tick's label: percentages without decimals when the tick is a whole percent.
    static func tickLabel(_ value: Double, _ kind: ChartValueKind) -> String {
        if kind == .fraction {
            let percent = value * 100
            return ReportFormat.percent(value, decimals: abs(percent - percent.rounded()) < 1e-9 ? 0 : 1)
        }
        return kind.format(value)
    }

    /// Round ticks from `minimum` (≤ 0) to at least `maximum`: steps of 1, 2 or 5 × 10ⁿ, about
    /// `count` of them; whole numbers for counts.
    static func niceTicks(maximum: Double, minimum: Double = 0, count: Int = 5, integral: Bool = false) -> [Double] {
        let span = max(maximum - minimum, 1e-12)
        let raw = span / Double(count)
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        var step = magnitude
        for factor in [1.0, 2.0, 5.0, 10.0] where magnitude * factor >= raw {
            step = magnitude * factor
            break
        }
        if integral { step = max(step, 1) }
        let first = (minimum / step).rounded(.down) * step
        var ticks: [Double] = []
        var value = first
        while ticks.count < 50 {
            ticks.append(value)
            if value >= maximum - step * 1e-9 { break }
            value = first + Double(ticks.count) * step
        }
        if ticks.count < 2 { ticks.append(first + step) }
        return ticks
    }
}

/// SVG elements in a string, with rough text metrics for layout.
struct SVGCanvas {
    var body = ""
    var height = 0.0

    /// Coordinates with at most one decimal, no trailing `.0`.
    static func number(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        if tenths.truncatingRemainder(dividingBy: 10) == 0 { return String(Int(tenths / 10)) }
        return ReportFormat.plain(value, maxDecimals: 1)
    }

    /// A colour goes into an attribute unescaped: anything but `#RRGGBB` becomes the neutral grey.
    static func safe(_ color: String) -> String { ChartColors.isHexColor(color) ? color : ChartColors.neutral }

    /// An estimate of the width of a label at 12 px: wide for CJK and other full-width scripts.
    static func textWidth(_ text: String) -> Double {
        var width = 0.0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x1100 ... 0x115F, 0x2E80 ... 0xA4CF, 0xAC00 ... 0xD7A3, 0xF900 ... 0xFAFF, 0xFE30 ... 0xFE4F, 0xFF00 ... 0xFF60,
                0x20000 ... 0x3FFFD:
                width += 12
            case 0x20 ... 0x7E where "ilIj.,:;'|!".unicodeScalars.contains(scalar): width += 3.5
            case 0x41 ... 0x5A, 0x4D, 0x57, 0x6D, 0x77: width += 8.5
            default: width += 7.3
            }
        }
        return width
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, cls: String, dashed: Bool = false) {
        body += "<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\" class=\"\(cls)\""
        body += dashed ? " stroke-dasharray=\"4 3\"/>" : "/>"
    }

    mutating func text(
        _ x: Double, _ y: Double, _ text: String, anchor: String, cls: String, bold: Bool = false, title: String? = nil
    ) {
        body += "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" text-anchor=\"\(anchor)\" class=\"\(cls)\""
        if bold { body += " font-weight=\"600\"" }
        body += ">"
        if let title, title != text { body += "<title>\(Escaping.html(title))</title>" }
        body += Escaping.html(text) + "</text>"
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, title: String) {
        body += "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(w))\" height=\"\(Self.number(h))\" fill=\"\(Self.safe(fill))\">"
        body += "<title>\(Escaping.html(title))</title></rect>"
    }

    mutating func circle(_ x: Double, _ y: Double, _ r: Double, fill: String, title: String) {
        body += "<circle cx=\"\(Self.number(x))\" cy=\"\(Self.number(y))\" r=\"\(Self.number(r))\" fill=\"\(Self.safe(fill))\">"
        body += "<title>\(Escaping.html(title))</title></circle>"
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String) {
        let list = points.map { Self.number($0.0) + "," + Self.number($0.1) }.joined(separator: " ")
        body += "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(Self.safe(stroke))\" stroke-width=\"2\"/>"
    }

    /// Legend entries laid out in rows; returns the y below the legend.
    mutating func legend(_ series: [ChartSeries], top: Double, left: Double, width: Double = ChartSVG.width) -> Double {
        var x = left
        var y = top
        for s in series {
            let name = Escaping.truncated(s.name, limit: 40)
            let w = 16 + Self.textWidth(name) + 14
            if x + w > left + width - 8, x > left {
                x = left
                y += 18
            }
            body += "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"10\" height=\"10\" fill=\"\(Self.safe(s.color))\"/>"
            text(x + 14, y + 9, name, anchor: "start", cls: "c-text", title: s.name)
            x += w
        }
        return y + 16
    }

    /// The height a legend of `series` takes in `width`.
    func legendHeight(_ series: [ChartSeries], width: Double) -> Double {
        var copy = SVGCanvas()
        return copy.legend(series, top: 0, left: 0, width: width) + 6
    }
}
