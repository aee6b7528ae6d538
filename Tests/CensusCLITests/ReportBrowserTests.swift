import CodeCensus
import Foundation
import Testing

/// Headless Chromium (Debian's `chromium`): loads a page from file://, dumps its DOM, takes
/// screenshots, and logs what it fetched (`--log-net-log`).
struct HeadlessChromium {
    let executable: String
    let scratch: String

    static func find() -> HeadlessChromium? {
        guard let executable = findTool(["chromium", "chromium-browser", "google-chrome", "/usr/lib/chromium/chromium"]) else { return nil }
        let scratch = NSTemporaryDirectory() + "census-chromium-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        return HeadlessChromium(executable: executable, scratch: scratch)
    }

    /// Flags that keep the browser's own services (updates, sync, spelling) quiet, send every name
    /// lookup nowhere, and log the network.
    func arguments(netLog: String, extra: [String]) -> [String] {
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
            "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--force-device-scale-factor=1",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=\(scratch)/profile-\(UUID().uuidString.prefix(8))",
            "--log-net-log=\(netLog)", "--net-log-capture-mode=Everything",
        ] + extra
    }

    /// The DOM after loading `page`, and the URLs the page itself asked the network for.
    func dumpDOM(_ page: String) throws -> (dom: String, requests: [String]) {
        let log = scratch + "/net-\(UUID().uuidString.prefix(8)).json"
        let run = try runTool(executable, arguments(netLog: log, extra: ["--dump-dom", "file://" + page]), timeout: 90)
        #expect(run.status == 0, "\(run.err.suffix(2000))")
        return (run.out, try Self.pageRequests(log))
    }

    func printToPDF(_ page: String, to file: String) throws {
        let log = scratch + "/net-\(UUID().uuidString.prefix(8)).json"
        let run = try runTool(executable, arguments(netLog: log, extra: ["--no-pdf-header-footer", "--print-to-pdf=\(file)", "file://" + page]), timeout: 90)
        #expect(run.status == 0, "\(run.err.suffix(2000))")
    }

    func screenshot(_ page: String, width: Int, height: Int, to file: String) throws {
        let log = scratch + "/net-\(UUID().uuidString.prefix(8)).json"
        let run = try runTool(
            executable, arguments(netLog: log, extra: ["--window-size=\(width),\(height)", "--screenshot=\(file)", "file://" + page]),
            timeout: 90)
        #expect(run.status == 0, "\(run.err.suffix(2000))")
    }

    /// Requests a page started: `URL_REQUEST_START_JOB` events whose initiator is an origin (a
    /// file:// page's is `null`); the browser's own requests have none ("not an origin").
    static func pageRequests(_ netLog: String) throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: netLog))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let constants = try #require(object["constants"] as? [String: Any])
        let types = try #require(constants["logEventTypes"] as? [String: Int])
        let start = try #require(types["URL_REQUEST_START_JOB"])
        let events = object["events"] as? [[String: Any]] ?? []
        return events.compactMap { event in
            guard event["type"] as? Int == start, let params = event["params"] as? [String: Any],
                let url = params["url"] as? String, params["initiator"] as? String != "not an origin"
            else { return nil }
            return url
        }
    }
}

@Suite("census report in a real browser", .serialized)
struct ReportBrowserTests {
    @Test("the page loads from file:// with no request leaving it, shows every figure, and its screenshots are not blank")
    func rendersOffline() throws {
        guard let chromium = HeadlessChromium.find() else {
            print("skipped: chromium is not installed (apt-get install chromium fonts-noto-cjk); the report was not rendered")
            return
        }
        defer { try? FileManager.default.removeItem(atPath: chromium.scratch) }
        let fixture = try ReportFixture()
        let out = try fixture.report(["--mark", "2021-01-01=Launch"])
        let figures = try FileManager.default.contentsOfDirectory(atPath: out + "/data").filter { $0.hasSuffix(".csv") }
        let charts = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".svg") }

        // The control: a page that does fetch something is seen doing it.
        let probe = chromium.scratch + "/probe.html"
        try "<!DOCTYPE html><p>probe</p><img src=\"http://127.0.0.1:9/probe.png\">".write(toFile: probe, atomically: true, encoding: .utf8)
        let control = try chromium.dumpDOM(probe)
        #expect(control.requests.contains("http://127.0.0.1:9/probe.png"), "the network log did not see the probe: \(control.requests)")

        let page = try chromium.dumpDOM(out + "/index.html")
        #expect(page.requests.isEmpty, "the report fetched: \(page.requests)")
        let dom = page.dom
        #expect(dom.components(separatedBy: "<figure ").count - 1 == figures.count)
        #expect(dom.components(separatedBy: "<svg class=\"chart\"").count - 1 == charts.count)
        for figure in figures {
            let id = figure.replacingOccurrences(of: ".csv", with: "")
            #expect(dom.contains("id=\"f-\(id)\""), "\(id)")
        }
        #expect(!dom.lowercased().contains("<script"))

        // Screenshots at a phone's and a desktop's width, each against a blank page of the same size.
        for (width, height) in [(390, 1600), (1280, 1200)] {
            let shot = chromium.scratch + "/report-\(width).png"
            let blank = chromium.scratch + "/blank-\(width).png"
            try "<!DOCTYPE html><title>blank</title>".write(toFile: chromium.scratch + "/blank.html", atomically: true, encoding: .utf8)
            try chromium.screenshot(out + "/index.html", width: width, height: height, to: shot)
            try chromium.screenshot(chromium.scratch + "/blank.html", width: width, height: height, to: blank)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: shot))
            let blankBytes = try Data(contentsOf: URL(fileURLWithPath: blank))
            #expect(bytes.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            // A blank page compresses to almost nothing; text and charts do not.
            #expect(bytes.count > 8 * blankBytes.count, "\(width) px: \(bytes.count) bytes against \(blankBytes.count) for a blank page")
        }
    }

    @Test("the page prints: every section in the PDF, the reproduction details left out")
    func prints() throws {
        guard let chromium = HeadlessChromium.find(), let pdftotext = findTool(["pdftotext"]) else {
            print("skipped: chromium or pdftotext (poppler-utils) is not installed; printing was not checked")
            return
        }
        defer { try? FileManager.default.removeItem(atPath: chromium.scratch) }
        let fixture = try ReportFixture()
        let out = try fixture.report()
        let pdf = chromium.scratch + "/report.pdf"
        try chromium.printToPDF(out + "/index.html", to: pdf)
        let text = try runTool(pdftotext, [pdf, "-"]).out
        for title in ["Corpus", "Language composition", "Penetration of Go", "Companies", "Over time", "Go modules", "Method"] {
            #expect(text.contains(title), "\(title)")
        }
        #expect(text.contains("Acme"))
        #expect(!text.contains("How to reproduce"))
    }

    @Test("hostile company, repository and author names render as text in the browser")
    func hostileNames() throws {
        let evil = "<script>alert('x')</script>\"q\" \u{202E}cod.exe " + String(repeating: "W", count: 3000)
        let evilRepository = "acme/<svg onload=alert(1)>\"web'\u{202E}"
        let evilAffiliation = "<iframe src=//evil.example> & Co"
        let fixture = try ReportFixture(companyOfAPI: evil, webDirectory: evilRepository, companyOfAlice: evilAffiliation)
        let out = try fixture.report()
        // The repository key (its path) is in the coupling table; the gitdm company in the history ranking.
        let coupling = try ReportCSVFile(path: out + "/data/modules-coupling.csv")
        #expect(Set(coupling.column("first") + coupling.column("second")) == [fixture.tree.path + "/" + evilRepository, fixture.repositories["api"]!])
        let history = try ReportCSVFile(path: out + "/data/companies-history.csv")
        #expect(history.column("company").contains(evilAffiliation))
        let html = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.lowercased().contains("<svg onload"))
        #expect(!html.lowercased().contains("<iframe"))
        #expect(html.contains("&lt;iframe src=//evil.example&gt; &amp; Co"))
        #expect(!html.contains("\u{202E}"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;q&quot; \\u{202E}cod.exe"))
        for file in try FileManager.default.contentsOfDirectory(atPath: out) where file.hasSuffix(".svg") || file.hasSuffix(".md") {
            let text = try String(contentsOfFile: out + "/" + file, encoding: .utf8)
            #expect(!text.contains("\u{202E}"), "\(file)")
            if file.hasSuffix(".svg") { #expect(!text.lowercased().contains("<script"), "\(file)") }
        }
        // The CSV keeps the name itself (data, quoted as RFC 4180 says).
        let companies = try ReportCSVFile(path: out + "/data/companies-code.csv")
        #expect(companies.column("company").contains(evil))

        guard let chromium = HeadlessChromium.find() else {
            print("skipped: chromium is not installed; the hostile names were checked in the HTML only")
            return
        }
        defer { try? FileManager.default.removeItem(atPath: chromium.scratch) }
        let page = try chromium.dumpDOM(out + "/index.html")
        #expect(page.requests.isEmpty)
        #expect(!page.dom.lowercased().contains("<script"))
        #expect(!page.dom.lowercased().contains("<iframe"))
        #expect(!page.dom.lowercased().contains("<svg onload"))
        #expect(page.dom.contains("&lt;svg onload=alert(1)&gt;"))
        #expect(page.dom.contains("&lt;script&gt;alert('x')&lt;/script&gt;"))
    }
}
