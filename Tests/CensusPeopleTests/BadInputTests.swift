import CensusPeople
import Foundation
import Testing

/// Malformed lines are reported with file and line and skipped; the rest of the file is read.
/// Unreadable files are thrown errors naming the path.
@Suite("Bad input")
struct BadInputTests {
    @Test func badAffiliationLines() throws {
        var database = AffiliationDatabase()
        try database.load(path: Fixtures.path("bad-affiliations.txt"), format: .affiliations)
        #expect(
            database.diagnostics.summary == [
                "bad-affiliations.txt:2 error",  // company line before any developer
                "bad-affiliations.txt:4 error",  // month 13
                "bad-affiliations.txt:5 error",  // February 30
                "bad-affiliations.txt:6 error",  // until before from
                "bad-affiliations.txt:8 error",  // developer line without a colon
                "bad-affiliations.txt:10 error",  // empty login
                "bad-affiliations.txt:13 error",  // 2019-1-1
                "bad-affiliations.txt:15 error",  // no company name
                "bad-affiliations.txt:16 error",  // "until D from D"
                "bad-affiliations.txt:12 warning",  // kim has no valid company line
                "bad-affiliations.txt:17 warning",  // lee has none at all
            ])
        let messages = database.diagnostics.map(\.message)
        #expect(messages[1] == "'from 2017-13-01' is not a date (expected YYYY-MM-DD); line skipped")
        #expect(messages[4].contains("no colon"))
        // The good line of ivan's survives its bad neighbours.
        #expect(database.history(email: "ivan@example.com").map(\.description) == ["Example Inc. from 2016-01-01 (\(Fixtures.path("bad-affiliations.txt")):7)"])
        #expect(database.name("judy@example.com", "2020-01-01") == "Unknown")
        #expect(database.counts.developerLines == 3)  // ivan, kim, lee
    }

    @Test func badDomainMapLines() throws {
        var database = AffiliationDatabase()
        try database.load(path: Fixtures.path("bad-domain-map"), format: .domainMap)
        #expect(database.diagnostics.summary == ["bad-domain-map:2 error", "bad-domain-map:3 error", "bad-domain-map:4 error"])
        #expect(database.name("x@good.example", "2020-01-01") == "Good Co")
        #expect(database.counts.domains == 1)
    }

    @Test func diagnosticsPrintLikeCompilers() throws {
        var database = AffiliationDatabase()
        database.parse(text: "nobody here\n", format: .affiliations, origin: "dev.txt")
        #expect(
            database.diagnostics.map(\.description) == [
                "dev.txt:1: error: expected a developer line 'login: address, address' (no colon found); it and its company lines skipped"
            ])
    }

    @Test func unreadableFileNamesThePath() {
        let path = Fixtures.path("no-such-file.txt")
        #expect(throws: PeopleFileError(path: path, code: ENOENT)) {
            try AffiliationDatabase.load(affiliations: [Fixtures.path("developers_affiliations.txt")], domainMap: [path])
        }
        do {
            _ = try AffiliationDatabase.load(aliases: [path])
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.description == "\(path): cannot read: No such file or directory")
        }
        #expect(throws: PeopleFileError(path: Fixtures.directory.path, code: EISDIR)) {
            var database = AffiliationDatabase()
            try database.load(path: Fixtures.directory.path, format: .csv)
        }
    }

    /// Junk in every format: nothing crashes, every line is accounted for.
    @Test(arguments: AffiliationDatabase.Format.allCases)
    func junkInEveryFormat(format: AffiliationDatabase.Format) {
        var junk: [UInt8] = [0xEF, 0xBB, 0xBF]
        junk += Array("\t\t\n:\n::::\n\u{0}\u{1}\u{FFFD}\n\"\"\"\n`\n``\n-> ->\n< <\n\r\n\r".utf8)
        junk += [0xFF, 0xFE, 0x80, 0x0A, 0xC3]
        var database = AffiliationDatabase()
        database.parse(bytes: junk, format: format, origin: "junk")
        for diagnostic in database.diagnostics { #expect(diagnostic.location.file == "junk") }
        _ = database.company(email: ":", date: .test("2020-01-01"))
    }

    @Test func diagnosticsAreCapped() {
        let text = String(repeating: "no colon\n", count: 2000)
        var database = AffiliationDatabase()
        database.parse(text: text, format: .affiliations, origin: "many")
        #expect(database.diagnostics.count == 501)
        #expect(database.diagnostics.last?.message == "1500 more problems in this file not listed")
    }
}
