/// Output formats every command offers.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table
    case json
    case csv
    case markdown
}

/// A table of already-escaped cells, rendered as aligned text, Markdown or CSV.
///
/// Cells must be escaped for their format by the caller (``Escaping``); numbers are right-aligned.
public struct TextTable: Sendable {
    public var headers: [String]
    /// Which columns hold numbers (right-aligned).
    public var numeric: [Bool]
    public var rows: [[String]] = []
    /// Rows shown under a rule at the end (totals).
    public var footer: [[String]] = []

    public init(headers: [String], numeric: [Bool]) {
        self.headers = headers
        self.numeric = numeric
    }

    /// Aligned plain text with rules above and below the header and above the footer.
    public func renderText() -> String {
        var widths = headers.map(Self.width)
        for row in rows + footer {
            for (k, cell) in row.enumerated() where k < widths.count { widths[k] = max(widths[k], Self.width(cell)) }
        }
        let ruleWidth = widths.reduce(0, +) + 2 * widths.count + 1
        let rule = String(repeating: "-", count: ruleWidth)
        func line(_ cells: [String]) -> String {
            var out = ""
            for (k, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: max(0, widths[k] - Self.width(cell)))
                out += k == 0 ? " " : "  "
                out += numeric[k] ? pad + cell : cell + pad
            }
            while out.last == " " { out.removeLast() }
            return out
        }
        var out = rule + "\n" + line(headers) + "\n" + rule + "\n"
        for row in rows { out += line(row) + "\n" }
        if !footer.isEmpty {
            out += rule + "\n"
            for row in footer { out += line(row) + "\n" }
        }
        out += rule + "\n"
        return out
    }

    /// A GitHub-flavoured Markdown table; footer rows follow the body.
    public func renderMarkdown() -> String {
        var out = "| " + headers.joined(separator: " | ") + " |\n"
        out += "|" + numeric.map { $0 ? " ---: |" : " --- |" }.joined() + "\n"
        for row in rows + footer { out += "| " + row.joined(separator: " | ") + " |\n" }
        return out
    }

    /// RFC 4180 CSV (CRLF-free: rows end with `\n`); the footer is left out, since totals are
    /// derivable and a spreadsheet would add them twice.
    public func renderCSV() -> String {
        var out = headers.joined(separator: ",") + "\n"
        for row in rows { out += row.joined(separator: ",") + "\n" }
        return out
    }

    /// Display width in terminal columns: one per scalar, two for wide East Asian scalars.
    static func width(_ s: String) -> Int {
        var w = 0
        for scalar in s.unicodeScalars {
            let v = scalar.value
            if (0x1100 ... 0x115F).contains(v) || (0x2E80 ... 0xA4CF).contains(v) || (0xAC00 ... 0xD7A3).contains(v)
                || (0xF900 ... 0xFAFF).contains(v) || (0xFE30 ... 0xFE4F).contains(v) || (0xFF00 ... 0xFF60).contains(v)
                || (0xFFE0 ... 0xFFE6).contains(v) || (0x1F300 ... 0x1FAFF).contains(v) || (0x20000 ... 0x3FFFD).contains(v)
            {
                w += 2
            } else if (0x0300 ... 0x036F).contains(v) || v == 0x200B || (0xFE00 ... 0xFE0F).contains(v) {
                // combining marks and zero-width characters take no column
            } else {
                w += 1
            }
        }
        return w
    }
}
