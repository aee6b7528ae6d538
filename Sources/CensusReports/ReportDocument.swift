/// A report as data: sections of paragraphs and figures, each figure a chart, the table of its
/// data, and how to get the same numbers again (the census command and the SQL the store ran).
/// ``ReportHTMLWriter``, ``ReportMarkdownWriter`` and ``ReportCSV`` turn it into files.
public struct ReportDocument: Sendable {
    public var title: String
    public var locale: ReportLocale
    /// One line under the title: the language, scope and date.
    public var subtitle: String
    public var sections: [ReportSection]

    public init(title: String, locale: ReportLocale, subtitle: String, sections: [ReportSection]) {
        self.title = title
        self.locale = locale
        self.subtitle = subtitle
        self.sections = sections
    }

    /// Every figure, in order.
    public var figures: [ReportFigure] { sections.flatMap(\.figures) }
}

/// One numbered section. When the store lacks its data, ``missing`` says what to run and the
/// section has no figures.
public struct ReportSection: Sendable {
    /// `corpus`, `composition`, … (anchors and file names).
    public var id: String
    public var title: String
    public var paragraphs: [String]
    public var figures: [ReportFigure]
    /// What to run to fill this section (`census history …`), when it is empty.
    public var missing: [String]

    public init(id: String, title: String, paragraphs: [String] = [], figures: [ReportFigure] = [], missing: [String] = []) {
        self.id = id
        self.title = title
        self.paragraphs = paragraphs
        self.figures = figures
        self.missing = missing
    }
}

/// A chart (or a table alone) with its data and provenance.
public struct ReportFigure: Sendable {
    /// A file stem unique in the report, `[a-z0-9-]` only: `data/<id>.csv`, `<id>.svg`.
    public var id: String
    public var title: String
    /// What the figure shows and how it was computed, in one or two sentences.
    public var caption: String
    public var chart: ReportChart?
    public var table: ReportTable
    /// The census commands that print the same rows.
    public var commands: [String]
    /// The SQL the store ran for this figure, values inlined (SQLite stores only; empty otherwise).
    public var sql: [String]
    /// Remarks on how the rows relate to the SQL (rows left out, values derived after the query).
    public var sqlNotes: [String]

    public init(
        id: String, title: String, caption: String, chart: ReportChart?, table: ReportTable, commands: [String],
        sql: [String] = [], sqlNotes: [String] = []
    ) {
        self.id = id
        self.title = title
        self.caption = caption
        self.chart = chart
        self.table = table
        self.commands = commands
        self.sql = sql
        self.sqlNotes = sqlNotes
    }
}

/// A figure's data: typed cells, shown formatted for readers, written raw to CSV.
public struct ReportTable: Sendable, Equatable {
    public var columns: [ReportColumn]
    public var rows: [[ReportCell]]

    public init(columns: [ReportColumn], rows: [[ReportCell]] = []) {
        self.columns = columns
        self.rows = rows
    }
}

public struct ReportColumn: Sendable, Equatable {
    /// The heading readers see (in the report's language).
    public var title: String
    /// The CSV header: `snake_case`, the same in every language.
    public var field: String

    public init(_ title: String, field: String) {
        self.title = title
        self.field = field
    }
}

public enum ReportCell: Sendable, Equatable {
    case text(String)
    case integer(Int)
    /// A fraction (0…1): a percentage with one decimal for readers, six decimals in CSV.
    case fraction(Double)
    /// A number with this many decimals for readers, full precision in CSV.
    case decimal(Double, Int)
    /// Seconds since 1970: an ISO day for readers and in CSV.
    case day(Int64)
    /// No value.
    case empty

    /// The cell as a reader sees it.
    public var display: String {
        switch self {
        case .text(let text): return text
        case .integer(let value): return ReportFormat.integer(value)
        case .fraction(let value): return ReportFormat.percent(value)
        case .decimal(let value, let digits): return ReportFormat.decimal(value, decimals: digits)
        case .day(let seconds): return ReportFormat.day(seconds)
        case .empty: return ""
        }
    }

    /// The cell in a CSV file: no separators, fractions unrounded to six decimals.
    public var raw: String {
        switch self {
        case .text(let text): return text
        case .integer(let value): return String(value)
        case .fraction(let value): return ReportFormat.plain(value, maxDecimals: 6, trim: false)
        case .decimal(let value, _):
            return value.isFinite ? ReportFormat.plain(value, maxDecimals: 6, trim: false) : ""
        case .day(let seconds): return ReportFormat.day(seconds)
        case .empty: return ""
        }
    }

    /// A date (kept on one line).
    public var isDay: Bool {
        if case .day = self { return true }
        return false
    }

    /// Right-aligned in tables.
    public var isNumeric: Bool {
        switch self {
        case .integer, .fraction, .decimal: return true
        default: return false
        }
    }
}

/// A report's language: every label, heading and sentence census writes.
public enum ReportLocale: String, Sendable, CaseIterable {
    case en, zh

    /// The `lang` attribute of the page.
    public var htmlLanguage: String { self == .zh ? "zh-Hans" : "en" }
}
