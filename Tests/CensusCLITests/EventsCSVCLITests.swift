import CodeCensus
import Foundation
import Testing

/// `--csv-formulas` on `census events top|timeline|compare`: repository, org and company names
/// that start like spreadsheet formulas are prefixed with `'` in CSV unless `--csv-formulas raw`,
/// and numbers (a negative growth) stay numbers.
@Suite struct EventsCSVCLITests {
    static let formula = #"=HYPERLINK("http://x.example","y")"#

    /// 15 Events API events of January 2024 (=evil/widget 5, -minus/y 4, @at/z 2, +plus/x 1, and
    /// 3 of acme/tool) and 3 Timeline events of 2013 in =tl/repo, two by people of the company
    /// `formula`, one of Acme.
    static func store() throws -> String {
        var lines: [String] = []
        var id = 0
        for (repo, count) in [("=evil/widget", 5), ("-minus/y", 4), ("acme/tool", 3), ("@at/z", 2), ("+plus/x", 1)] {
            for _ in 0..<count {
                id += 1
                lines.append(
                    #"{"id":"\#(id)","type":"WatchEvent","actor":{"id":\#(id),"login":"user\#(id)"},"repo":{"id":\#(id),"#
                        + #""name":"\#(repo)"},"payload":{"action":"started"},"public":true,"#
                        + #""created_at":"2024-01-\#(10 + id)T10:00:00Z"}"#)
            }
        }
        let companyJSON = #"=HYPERLINK(\"http://x.example\",\"y\")"#
        for (index, company) in [companyJSON, companyJSON, "Acme"].enumerated() {
            lines.append(
                #"{"created_at":"2013-02-15T00:00:3\#(index)-08:00","payload":{"action":"started"},"public":true,"#
                    + #""type":"WatchEvent","url":"https://github.com/=tl/repo","actor":"tl\#(index)","#
                    + #""actor_attributes":{"login":"tl\#(index)","company":"\#(company)"},"#
                    + #""repository":{"id":99,"name":"repo","owner":"=tl","language":"Go"}}"#)
        }
        let directory = NSTemporaryDirectory() + "census-events-csv-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let file = directory + "/events.json"
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let database = directory + "/census.db"
        let ingest = try CLI.run(["events", "ingest", file, "--db", database])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        return database
    }

    static func remove(_ database: String) {
        try? FileManager.default.removeItem(atPath: (database as NSString).deletingLastPathComponent)
    }

    @Test func repositoryAndOrgNamesAreNeutralisedInCSV() throws {
        let database = try Self.store()
        defer { Self.remove(database) }
        let repos = try CLI.run(["events", "top", "--by", "repo", "--format", "csv", "--db", database])
        #expect(repos.status == 0, "\(repos.stderr)")
        #expect(
            repos.text == """
                #,Repo,events
                1,'=evil/widget,5
                2,'-minus/y,4
                3,'=tl/repo,3
                4,acme/tool,3
                5,'@at/z,2
                6,'+plus/x,1

                """)
        let orgs = try CLI.run(["events", "top", "--by", "org", "--format", "csv", "--db", database])
        #expect(orgs.status == 0, "\(orgs.stderr)")
        #expect(
            orgs.text == """
                #,Org,events
                1,'=evil,5
                2,'-minus,4
                3,'=tl,3
                4,acme,3
                5,'@at,2
                6,'+plus,1

                """)
        let raw = try CLI.run(["events", "top", "--by", "org", "--format", "csv", "--csv-formulas", "raw", "--db", database])
        #expect(raw.status == 0, "\(raw.stderr)")
        #expect(
            raw.text == """
                #,Org,events
                1,=evil,5
                2,-minus,4
                3,=tl,3
                4,acme,3
                5,@at,2
                6,+plus,1

                """)
    }

    @Test func companyNamesAreNeutralisedInCSV() throws {
        let database = try Self.store()
        defer { Self.remove(database) }
        // The 15 Events API events have no company (their actors are unknown): "Unknown" first.
        let escaped = try CLI.run(["events", "top", "--by", "company", "--format", "csv", "--db", database])
        #expect(escaped.status == 0, "\(escaped.stderr)")
        #expect(
            escaped.text == """
                #,Company,events
                1,Unknown,15
                2,"'=HYPERLINK(""http://x.example"",""y"")",2
                3,Acme,1

                """)
        let raw = try CLI.run(
            ["events", "top", "--by", "company", "--format", "csv", "--csv-formulas", "raw", "--db", database])
        #expect(raw.text.contains("\n2,\"=HYPERLINK(\"\"http://x.example\"\",\"\"y\"\")\",2\n"), "\(raw.text)")
        // JSON is exact either way.
        let json = try CLI.run(["events", "top", "--by", "company", "--format", "json", "--db", database]).json()
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.compactMap { $0["name"] as? String } == [Self.formula, "Acme"])
    }

    @Test func timelineAndCompareTakeTheOptionAndKeepNumbers() throws {
        let database = try Self.store()
        defer { Self.remove(database) }
        let timeline = try CLI.run([
            "events", "timeline", "--by", "month", "--since", "2024-01-01", "--format", "csv", "--csv-formulas", "raw",
            "--db", database,
        ])
        #expect(timeline.status == 0, "\(timeline.stderr)")
        #expect(timeline.text == "Month,events\n2024-01,15\n")
        // Before 2024-02-01: the 15 events of January; after: none. A negative growth is a number.
        for policy in ["escape", "raw"] {
            let compare = try CLI.run([
                "events", "compare", "--date", "2024-02-01", "--window", "1m", "--format", "csv", "--csv-formulas", policy,
                "--db", database,
            ])
            #expect(compare.status == 0, "\(compare.stderr)")
            #expect(
                compare.text == """
                    ,Since,Until,events
                    before,2024-01-01,2024-02-01,15
                    after,2024-02-01,2024-03-01,0
                    growth,,,-15
                    growth %,,,-100.00%

                    """)
        }
    }
}
