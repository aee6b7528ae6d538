import CodeCensus
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `census mentions` end to end: the fixture corpus of CensusDocumentsTests (expected counts worked
/// out by hand in its Fixtures/README.md), unreadable files, bad arguments, and the stored series.
@Suite struct MentionsCLITests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CensusDocumentsTests/Fixtures/corpus").path
    static var hasPDFToText: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") }
    static let patterns = ["--pattern", #"go=\bGo\b|Golang|Go语言"#, "--pattern", #"java=\bJava\b"#]

    @Test(.enabled(if: hasPDFToText, "pdftotext is not installed (apt-get install poppler-utils)"))
    func theCorpusIsCountedStoredAndTheBadFilesNamed() throws {
        let database = NSTemporaryDirectory() + "census-mentions-\(UUID().uuidString).db"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) } }
        let run = try CLI.run(
            ["mentions", Self.corpus] + Self.patterns + ["--date", "front-matter,filename", "--format", "json", "--by-file", "--store", "tenders"],
            environment: ["CENSUS_DB": database])
        #expect(run.status == 1)  // three files not counted
        let json = try run.json()
        let rows = try #require(json["rows"] as? [[String: Any]])
        let flat = rows.map { "\($0["period"]!) \($0["pattern"]!) \($0["documents"]!) \($0["matches"]!) \($0["period_documents"]!)" }
        #expect(flat == [
            "2024-01 go 2 5 2", "2024-01 java 1 2 2", "2024-02 go 2 4 2", "2024-02 java 2 3 2", "2024-03 go 3 7 3", "2024-03 java 3 5 3",
        ])
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["documents"] as? Int == 7)
        #expect(summary["not_counted"] as? Int == 3)
        #expect((summary["encodings"] as? [String: Int]) == ["utf-8": 2, "utf-8-bom": 1, "utf-16le": 1, "utf-16be": 1, "gb18030": 1, "pdf-text": 1])
        let files = try #require(json["files"] as? [[String: Any]])
        #expect(files.count == 7)
        #expect(run.stderr.contains("binary.txt: not counted: binary"))
        #expect(run.stderr.contains("broken-latin1.txt: not counted: undecodable"))
        #expect(run.stderr.contains("nodate.md: not counted: no date"))
        #expect(run.stderr.contains("stored series 'tenders' (6 points)"))

        let store = try CensusDatabase.open(path: database, readOnly: true)
        defer { try? store.close() }
        #expect(try store.mentionSeries("tenders/go").map(\.value) == [2, 2, 3])
        #expect(try store.mentionSeries("tenders/java", measure: .matches) == [
            SeriesPoint(period: "2024-01", value: 2), SeriesPoint(period: "2024-02", value: 3), SeriesPoint(period: "2024-03", value: 5),
        ])
    }

    @Test func anUnreadableFileIsNamedAndTheRestCounted() throws {
        let tree = PublicTree()
        tree.write("docs/2024-05-a.md", "---\ndate: 2024-05-02\n---\nGo and Java\n")
        tree.write("docs/2024-05-b.md", "---\ndate: 2024-05-03\n---\nGo\n", mode: 0o000)
        let run = try CLI.run(["mentions", tree.path + "/docs"] + Self.patterns + ["--format", "csv"], asNobody: true)
        #expect(run.status == 1)
        #expect(run.text == "Period,Pattern,Documents,Matches,Of documents,Share,Dated by\n2024-05,go,1,1,1,100.0%,front-matter 1\n2024-05,java,1,1,1,100.0%,front-matter 1\n")
        #expect(run.stderr.contains("2024-05-b.md: not counted: cannot open: Permission denied"), "\(run.stderr)")
    }

    @Test func badArgumentsAreUsageErrors() throws {
        let bad = try CLI.run(["mentions", Self.corpus, "--pattern", "go=("])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--pattern 'go=('"))
        let empty = try CLI.run(["mentions", Self.corpus, "--pattern", "go=x*"])
        #expect(empty.status == 64)
        #expect(empty.stderr.contains("matches the empty string"))
        let twice = try CLI.run(["mentions", Self.corpus, "--pattern", "go=Go", "--pattern", "go=Golang"])
        #expect(twice.status == 64)
        let method = try CLI.run(["mentions", Self.corpus, "--pattern", "go=Go", "--date", "front-matter,ctime"])
        #expect(method.status == 64)
        #expect(method.stderr.contains("'ctime' is not front-matter, filename or mtime"))
    }
}
