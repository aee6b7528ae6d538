import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Names that try to drive the terminal or a spreadsheet, through every output of the command line.
@Suite("untrusted text in census's output")
struct UntrustedTextCLITests {
    // ESC [ 2 J (clear screen), an OSC 8 hyperlink, and a right-to-left override.
    static let evilCompany = "Evil\u{1B}[2J\u{1B}]8;;https://x.example/\u{1B}\\Corp\u{202E}moc"
    static let evilShown = "Evil\\x1B[2J\\x1B]8;;https://x.example/\\x1B\\Corp\\u{202E}moc"
    static let formula = "=HYPERLINK(\"http://x.example\",\"y\")"

    static func makeCorpus(_ tree: PublicTree) throws -> String {
        for name in ["a/x", "b/y"] {
            tree.write(name + "/main.go", "package main\n")  // 1 line of Go each
            try fixtureGit(["init", "-q", "-b", "main"], in: tree.path + "/" + name)
            try fixtureGit(["add", "-A"], in: tree.path + "/" + name)
            try fixtureGit(["commit", "-q", "-m", "one"], in: tree.path + "/" + name)
        }
        func csv(_ field: String) -> String { "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let manifest = """
            repo,org,company,cohorts
            \(tree.path)/a/x,acme,\(csv(evilCompany)),c1
            \(tree.path)/b/y,beta,\(csv(formula)),c2

            """
        return tree.write("manifest.csv", manifest)
    }

    static func isInert(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        return !bytes.contains(0x1B) && !bytes.contains(0x07)
            && !text.unicodeScalars.contains { $0.value == 0x202E || (0x80..<0xA0).contains($0.value) }
    }

    @Test("company names with escape sequences and formulas: escaped in tables, exact in JSON and CSV, formulas neutralised")
    func storeOutputs() throws {
        let tree = PublicTree()
        let manifest = try Self.makeCorpus(tree)
        let environment = ["CENSUS_DB": tree.path + "/census.db"]
        let scan = try CLI.run(["scan", "--manifest", manifest], environment: environment)
        #expect(scan.status == 0, "\(scan.stderr)")
        #expect(Self.isInert(Array(scan.stderr.utf8)))

        let table = try CLI.run(["top", "--language", "Go", "--by", "company"], environment: environment)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(Self.isInert(table.stdout), "\(table.text)")
        #expect(table.text.contains(Self.evilShown), "\(table.text)")
        #expect(table.text.contains(Self.formula), "\(table.text)")

        let markdown = try CLI.run(["top", "--language", "Go", "--by", "company", "--format", "markdown"], environment: environment)
        #expect(Self.isInert(markdown.stdout), "\(markdown.text)")

        let json = try CLI.run(["top", "--language", "Go", "--by", "company", "--format", "json"], environment: environment)
        let names = Set((try json.json()["rows"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
        #expect(names == [Self.evilCompany, Self.formula])
        #expect(Self.isInert(json.stdout), "JSON escapes controls and bidi controls as \\u")

        let csv = try CLI.run(["top", "--language", "Go", "--by", "company", "--format", "csv"], environment: environment)
        // Rows are rank, company, figures.
        #expect(csv.text.contains(",\"'=HYPERLINK(\"\"http://x.example\"\",\"\"y\"\")\","), "\(csv.text)")
        #expect(csv.text.contains("," + Self.evilCompany + ","), "\(csv.text)")
        let raw = try CLI.run(
            ["top", "--language", "Go", "--by", "company", "--format", "csv", "--csv-formulas", "raw"], environment: environment)
        #expect(raw.text.contains(",\"=HYPERLINK(\"\"http://x.example\"\",\"\"y\"\")\","), "\(raw.text)")

        let repos = try CLI.run(["repos"], environment: environment)
        #expect(repos.status == 0, "\(repos.stderr)")
        #expect(Self.isInert(repos.stdout), "\(repos.text)")
        #expect(repos.text.contains(Self.evilShown), "\(repos.text)")
    }

    @Test("file names with escape sequences, OSC 8 links and bidi overrides: escaped in scan and explain tables and in warnings")
    func fileNames() throws {
        let tree = PublicTree()
        // (No `/` in a file name: the link's URL has none.)
        tree.rawFile(Array("\u{1B}]8;;https:x.example\u{1B}\\link\u{1B}]8;;\u{1B}\\a.c".utf8), "int a;\n")
        tree.rawFile(Array("b\u{202E}c.c".utf8), "int b;\n")
        tree.rawFile(Array("=cmd|' -C calc'!A0.c".utf8), "int c;\n")
        tree.rawFile(Array("\u{1B}[2J.c".utf8), "int d;\n")
        chmod(tree.path + "/\u{1B}[2J.c", 0)  // unreadable as nobody: named in a warning
        for format in ["table", "markdown"] {
            let scan = try CLI.run(["scan", "--by-file", "--format", format], in: tree.path, asNobody: true)
            #expect(Self.isInert(scan.stdout), "\(format): \(scan.text)")
            #expect(Self.isInert(Array(scan.stderr.utf8)), "\(format): \(scan.stderr)")
            #expect(scan.text.contains("b\\u{202E}c.c") || scan.text.contains("b\\\\u{202E}c.c"), "\(scan.text)")
            let explain = try CLI.run(["explain", ".", "--format", format], in: tree.path, asNobody: true)
            #expect(Self.isInert(explain.stdout), "\(format): \(explain.text)")
            #expect(Self.isInert(Array(explain.stderr.utf8)), "\(format): \(explain.stderr)")
        }
        if geteuid() == 0 {
            let scan = try CLI.run(["scan", "--by-file"], in: tree.path, asNobody: true)
            #expect(scan.stderr.contains("\\x1B[2J.c"), "\(scan.stderr)")
        }
        let csv = try CLI.run(["scan", "--by-file", "--format", "csv"], in: tree.path)
        #expect(csv.text.contains("\n'=cmd|' -C calc'!A0.c,C,"), "\(csv.text)")
        let json = try CLI.run(["scan", "--by-file", "--format", "json"], in: tree.path)
        let paths = Set((try json.json()["files"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String })
        #expect(paths == [
            "\u{1B}]8;;https:x.example\u{1B}\\link\u{1B}]8;;\u{1B}\\a.c", "b\u{202E}c.c", "=cmd|' -C calc'!A0.c", "\u{1B}[2J.c",
        ])
        #expect(Self.isInert(json.stdout))
    }
}
