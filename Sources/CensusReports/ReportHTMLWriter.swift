/// Writes a ``ReportDocument`` as one self-contained HTML page: inline CSS and SVG, no script, no
/// font, image or style fetched (a Content-Security-Policy forbids it too), readable from a
/// `file://` URL on a phone or a desktop, in light and dark schemes, and printable.
///
/// Every text that came from the data (repository, company, author and module names) goes through
/// ``Escaping/html(_:)``; the only links are to anchors in the page.
public struct ReportHTMLWriter: Sendable {
    public init() {}

    public func render(_ document: ReportDocument) -> String {
        let strings = ReportStrings(document.locale)
        let svg = ChartSVG(standalone: false)
        var out = "<!DOCTYPE html>\n<html lang=\"\(document.locale.htmlLanguage)\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        out += "<meta name=\"color-scheme\" content=\"light dark\">\n"
        out += "<meta name=\"generator\" content=\"census report\">\n"
        out += "<title>\(Escaping.html(document.title))</title>\n<style>\n\(Self.style)\n</style>\n</head>\n<body>\n"
        out += "<header>\n<h1>\(Escaping.html(document.title))</h1>\n<p class=\"subtitle\">\(Escaping.html(document.subtitle))</p>\n"
        out += "<nav aria-label=\"\(Escaping.html(strings[.contents]))\"><ol>"
        for section in document.sections {
            out += "<li><a href=\"#s-\(section.id)\">\(Escaping.html(section.title))</a></li>"
        }
        out += "</ol></nav>\n</header>\n<main>\n"
        var figureNumber = 0
        for (k, section) in document.sections.enumerated() {
            out += "<section id=\"s-\(section.id)\" aria-labelledby=\"h-\(section.id)\">\n"
            out += "<h2 id=\"h-\(section.id)\">\(k + 1). \(Escaping.html(section.title))</h2>\n"
            for paragraph in section.paragraphs { out += "<p>\(Self.breakable(paragraph))</p>\n" }
            if !section.missing.isEmpty {
                let words = section.figures.isEmpty ? strings[.missingData] : strings[.partialData]
                out += "<p class=\"missing\">\(Escaping.html(words)) "
                out += section.missing.map { "<code>\(Escaping.html($0))</code>" }.joined(separator: " ")
                out += "</p>\n"
            }
            for figure in section.figures {
                figureNumber += 1
                out += renderFigure(figure, number: figureNumber, strings: strings, svg: svg)
            }
            out += "</section>\n"
        }
        out += "</main>\n<footer><p>\(Escaping.html(strings[.footer]))</p></footer>\n</body>\n</html>\n"
        return out
    }

    func renderFigure(_ figure: ReportFigure, number: Int, strings: ReportStrings, svg: ChartSVG) -> String {
        let id = Self.safeID(figure.id)
        var out = "<figure id=\"f-\(id)\" aria-labelledby=\"c-\(id)\">\n"
        out += "<figcaption id=\"c-\(id)\"><span class=\"figno\">\(Escaping.html(strings.figure(number)))</span> "
        out += "<strong>\(Escaping.html(figure.title))</strong> \(Escaping.html(figure.caption))</figcaption>\n"
        if let chart = figure.chart {
            let drawings = svg.render(chart, id: "g-" + id, title: figure.title, description: figure.caption)
            switch chart {
            case .panels where drawings.count > 1:
                out += "<div class=\"panels\">" + drawings.map { "<div class=\"chart\">" + $0 + "</div>" }.joined() + "</div>\n"
            case .graph:
                // Too dense to halve: a phone scrolls it sideways.
                out += "<div class=\"chart scroll\">" + drawings.joined() + "</div>\n"
            case .bars, .lines:
                // Drawn twice: 720 units for wide screens, 360 for phones, so text keeps its size.
                let narrow = ChartSVG(standalone: false, narrow: true).render(
                    chart, id: "n-" + id, title: figure.title, description: figure.caption)
                out += "<div class=\"chart\"><div class=\"wide\">" + drawings.joined() + "</div><div class=\"narrow-only\">"
                out += narrow.joined() + "</div></div>\n"
            default:
                out += "<div class=\"chart\">" + drawings.joined() + "</div>\n"
            }
        }
        out += "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"\(Escaping.html(strings.dataOf(figure.title)))\">"
        out += "<table><caption>\(Escaping.html(strings.dataOf(figure.title)))</caption><thead><tr>"
        let numeric = figure.table.columns.indices.map { column in
            figure.table.rows.contains { $0.count > column && $0[column].isNumeric }
        }
        for (k, column) in figure.table.columns.enumerated() {
            out += "<th scope=\"col\"\(numeric[k] ? " class=\"n\"" : "")>\(Escaping.html(column.title))</th>"
        }
        out += "</tr></thead><tbody>"
        for row in figure.table.rows {
            out += "<tr>"
            for (k, cell) in row.enumerated() {
                let tag = k == 0 && !cell.isNumeric ? "th scope=\"row\"" : "td"
                let close = k == 0 && !cell.isNumeric ? "th" : "td"
                let cls = cell.isNumeric ? " class=\"n\"" : cell.isDay ? " class=\"d\"" : ""
                out += "<\(tag)\(cls)>\(Self.breakable(cell.display))</\(close)>"
            }
            out += "</tr>"
        }
        if figure.table.rows.isEmpty {
            out += "<tr><td colspan=\"\(max(1, figure.table.columns.count))\">\(Escaping.html(strings[.noRows]))</td></tr>"
        }
        out += "</tbody></table></div>\n"
        out += "<details class=\"reproduce\"><summary>\(Escaping.html(strings[.reproduce]))</summary>"
        out += "<p>\(Escaping.html(strings[.dataFile])) <code>data/\(id).csv</code>"
        if !figure.sql.isEmpty { out += " · SQL <code>sql/\(id).sql</code>" }
        out += "</p>"
        if !figure.commands.isEmpty {
            out += "<pre><code>" + figure.commands.map { Escaping.html($0) }.joined(separator: "\n") + "</code></pre>"
        }
        for note in figure.sqlNotes { out += "<p>\(Escaping.html(note))</p>" }
        out += "</details>\n</figure>\n"
        return out
    }

    /// Escaped text in which a long run without spaces (a module path, a hostile 10,000-character
    /// name) may break: `<wbr>` after `/`, `.`, `-`, `_` and every 24 characters of a run, so a
    /// table column never has to be wider than the screen and short words never break.
    static func breakable(_ text: String) -> String {
        let shown = Escaping.display(text)
        guard shown.count > 24 else { return Escaping.html(shown) }
        var out = ""
        var chunk = ""
        var run = 0
        for ch in shown {
            chunk.append(ch)
            run = ch == " " ? 0 : run + 1
            if run >= 24 || (run >= 8 && "/.-_".contains(ch)) {
                out += Escaping.html(chunk) + "<wbr>"
                chunk = ""
                run = 0
            }
        }
        return out + Escaping.html(chunk)
    }

    /// `[a-z0-9-]` only: ids go into attributes.
    static func safeID(_ id: String) -> String {
        String(id.lowercased().unicodeScalars.filter { ("a" ... "z").contains($0) || ("0" ... "9").contains($0) || $0 == "-" })
    }

    static let style = """
        :root{color-scheme:light dark;--fg:#24292f;--muted:#57606a;--bg:#ffffff;--panel:#f6f8fa;--line:#d0d7de;--accent:#0969da;--warn:#9a6700}
        @media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--panel:#161b22;--line:#30363d;--accent:#4493f8;--warn:#d29922}}
        *{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%}
        body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.55 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Hiragino Sans GB","Microsoft YaHei",sans-serif}
        header,main,footer{max-width:58rem;margin:0 auto;padding:0 1rem}
        h1{font-size:1.7rem;line-height:1.25;margin:1.5rem 0 .25rem}
        h2{font-size:1.3rem;margin:2.2rem 0 .6rem;padding-bottom:.3rem;border-bottom:1px solid var(--line)}
        .subtitle{color:var(--muted);margin:0 0 1rem}
        nav ol{margin:0;padding-left:1.4rem;columns:2 14rem}
        a{color:var(--accent)}
        p,figcaption,td,th{overflow-wrap:break-word}
        .d{white-space:nowrap}
        .missing{border-left:4px solid var(--warn);background:var(--panel);padding:.5rem .75rem}
        figure{margin:1.5rem 0;padding:0}
        figcaption{margin-bottom:.5rem}
        .figno{color:var(--muted)}
        .chart{width:100%;overflow:hidden}
        .chart svg{display:block;max-width:100%;height:auto}
        .narrow-only{display:none}
        .scroll{overflow-x:auto}.scroll svg{min-width:640px}
        .panels{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,20rem),1fr));gap:1rem 1.5rem}
        .table-wrap{overflow-x:auto;margin:.5rem 0;border:1px solid var(--line);border-radius:6px}
        table{border-collapse:collapse;width:100%;font-size:.85rem}
        caption{text-align:left;color:var(--muted);padding:.35rem .5rem;font-size:.8rem}
        th,td{padding:.3rem .5rem;border-top:1px solid var(--line);text-align:left;vertical-align:top}
        thead th{background:var(--panel);border-top:0;white-space:nowrap}
        tbody th{font-weight:normal}
        .n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        code,pre{font-family:ui-monospace,"SFMono-Regular","DejaVu Sans Mono","Noto Sans Mono CJK SC",monospace;font-size:.85em}
        pre{background:var(--panel);padding:.5rem;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere}
        details{font-size:.85rem;color:var(--muted)}
        footer{color:var(--muted);font-size:.8rem;margin-top:3rem;padding-bottom:2rem}
        .c-text{fill:var(--fg)}.c-muted{fill:var(--muted)}.c-axis{stroke:var(--muted)}.c-grid{stroke:var(--line)}
        .c-mark{stroke:#cf222e}.c-marktext{fill:#cf222e}.c-node{fill:var(--panel);stroke:var(--muted)}.c-edge{stroke:var(--muted);fill:none}
        @media (max-width:40rem){body{font-size:15px}h1{font-size:1.4rem}nav ol{columns:1}.wide{display:none}.narrow-only{display:block}}
        @media print{:root{--fg:#000;--muted:#444;--bg:#fff;--panel:#f3f3f3;--line:#bbb}body{font-size:10.5pt}
        header,main,footer{max-width:none;padding:0}nav{display:none}h2{break-after:avoid}
        figure,.table-wrap,tr{break-inside:avoid}.wide{display:block}.narrow-only{display:none}.table-wrap{overflow:visible;border:0}details{display:none}a{color:inherit;text-decoration:none}}
        """
}
