import CensusLanguages

/// A series of values drawn in one colour: a language, a metric, a segment of a stacked bar.
public struct ChartSeries: Sendable, Equatable {
    public var name: String
    /// `#RRGGBB`.
    public var color: String
    /// One value per label (bars) or period (lines); `nil` where the series has no value.
    public var values: [Double?]
    /// A colour per value, overriding ``color`` (a bar per language, each in its language's colour).
    public var colors: [String]?

    public init(name: String, color: String, values: [Double?], colors: [String]? = nil) {
        self.name = name
        self.color = color
        self.values = values
        self.colors = colors
    }

    /// The colour of the `index`-th value.
    public func color(at index: Int) -> String {
        if let colors, index < colors.count { return colors[index] }
        return color
    }
}

/// How a chart's values read: counts (thousands separators) or fractions (percentages).
public enum ChartValueKind: Sendable, Equatable {
    case count
    /// Values are fractions (0…1), shown as percentages.
    case fraction
    /// Plain numbers with this many decimals.
    case decimal(Int)

    /// A value as the chart's labels and hover titles show it.
    public func format(_ value: Double) -> String {
        switch self {
        case .count: return ReportFormat.integer(Int(value.rounded()))
        case .fraction: return ReportFormat.percent(value)
        case .decimal(let digits): return ReportFormat.decimal(value, decimals: digits)
        }
    }
}

/// Horizontal bars, one per label, top to bottom; with several series, stacked segments.
public struct BarChart: Sendable, Equatable {
    public var labels: [String]
    public var series: [ChartSeries]
    public var valueKind: ChartValueKind
    /// Each bar scaled to the full width (segments as parts of 100%): GitHub's language bar.
    public var normalized: Bool
    /// Text after each bar (e.g. "12 of 40"); by default the bar's total.
    public var notes: [String]?
    /// A vertical rule at this value (e.g. a threshold), with its label.
    public var rule: (value: Double, label: String)?

    public init(
        labels: [String], series: [ChartSeries], valueKind: ChartValueKind = .count, normalized: Bool = false,
        notes: [String]? = nil, rule: (value: Double, label: String)? = nil
    ) {
        self.labels = labels
        self.series = series
        self.valueKind = valueKind
        self.normalized = normalized
        self.notes = notes
        self.rule = rule
    }

    /// The sum of a bar's segments.
    public func total(_ index: Int) -> Double { series.reduce(0) { $0 + ($1.values[index] ?? 0) } }

    public static func == (a: BarChart, b: BarChart) -> Bool {
        a.labels == b.labels && a.series == b.series && a.valueKind == b.valueKind && a.normalized == b.normalized
            && a.notes == b.notes && a.rule?.value == b.rule?.value && a.rule?.label == b.rule?.label
    }
}

/// A marked date on a time axis (`--mark DAY=LABEL`): drawn at the period it falls in.
public struct ChartMark: Sendable, Equatable {
    public var period: String
    public var label: String

    public init(period: String, label: String) {
        self.period = period
        self.label = label
    }
}

/// Lines over periods (`2019`, `2020-Q3`, `2024-01`), left to right.
public struct LineChart: Sendable, Equatable {
    public var periods: [String]
    public var series: [ChartSeries]
    public var valueKind: ChartValueKind
    public var marks: [ChartMark]

    public init(periods: [String], series: [ChartSeries], valueKind: ChartValueKind = .count, marks: [ChartMark] = []) {
        self.periods = periods
        self.series = series
        self.valueKind = valueKind
        self.marks = marks
    }
}

/// What a report draws.
public enum ReportChart: Sendable, Equatable {
    case bars(BarChart)
    case lines(LineChart)
    /// Small multiples: panels side by side on a wide screen, stacked on a phone, each with its
    /// own title and scale (bars or lines; a panel is never itself a set of panels).
    case panels([ChartPanel])
    case graph(GraphDrawing)
}

/// One panel of small multiples.
public struct ChartPanel: Sendable, Equatable {
    public var title: String
    public var chart: ReportChart

    public init(title: String, chart: ReportChart) {
        self.title = title
        self.chart = chart
    }
}

/// Colours: Linguist's for languages, a fixed palette for everything else.
public enum ChartColors {
    /// Grey for languages without a colour of their own, and for "other".
    public static let neutral = "#8b8b8b"
    /// A palette distinguishable in light and dark schemes and by most colour-blind readers
    /// (Okabe and Ito's eight colours, black replaced by grey).
    public static let palette = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#8b8b8b"]

    /// Linguist's colour for a language (`languages.yml`), or ``neutral``.
    public static func language(_ name: String) -> String {
        if let color = LanguageTable.named(name)?.color, isHexColor(color) { return color.lowercased() }
        return neutral
    }

    /// The palette's `index`-th colour, wrapping.
    public static func series(_ index: Int) -> String { palette[index % palette.count] }

    /// `#RRGGBB` and nothing else (colours go into attributes unescaped).
    static func isHexColor(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[0] == UInt8(ascii: "#") else { return false }
        return bytes.dropFirst().allSatisfy { (48 ... 57).contains($0) || (65 ... 70).contains($0) || (97 ... 102).contains($0) }
    }
}
