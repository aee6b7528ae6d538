import CensusPeople
import Foundation
import Testing

/// The rule tables of Data/people are embedded in the library by Data/people/generate.sh; these
/// tests prove the embedded copy is fresh and that every line of every table is understood.
@Suite("Rule data")
struct RuleDataTests {
    @Test(
        "Embedded tables match Data/people",
        arguments: [
            ("company-names.txt", PeopleData.companyNames), ("free-mail.txt", PeopleData.freeMail), ("bots.txt", PeopleData.bots),
            ("regions.txt", PeopleData.regions),
        ])
    func embeddedTablesAreFresh(file: String, embedded: String) throws {
        let path = Package.root.appendingPathComponent("Data/people").appendingPathComponent(file).path
        var text = try String(contentsOfFile: path, encoding: .utf8)
        if text.hasSuffix("\n") { text.removeLast() }
        #expect(text == embedded, "Data/people/\(file) changed: run sh Data/people/generate.sh")
    }

    @Test func tablesParseCleanly() {
        #expect(CompanyNames.ruleTableProblems.isEmpty, "\(CompanyNames.ruleTableProblems)")
        #expect(RegionClassifier.standard.problems.isEmpty, "\(RegionClassifier.standard.problems)")
        #expect(FreeMailDomains.standard.count > 100)
    }

    /// The free-mail providers the issue names, each checked against the shipped list.
    @Test(arguments: [
        "gmail.com", "googlemail.com", "qq.com", "163.com", "126.com", "yahoo.com", "yahoo.co.jp", "hotmail.com", "outlook.com",
        "users.noreply.github.com", "protonmail.com", "protonmail.ch", "foxmail.com", "icloud.com", "me.com", "yandex.ru",
        "mail.ru", "gmx.de", "gmx.net", "web.de",
    ])
    func freeMailList(domain: String) {
        #expect(FreeMailDomains.standard.contains(domain: domain))
    }

    @Test(arguments: ["google.com", "redhat.com", "yahoo-inc.com", "github.com", "example.com", "gmx.example.org"])
    func notFreeMail(domain: String) {
        #expect(!FreeMailDomains.standard.contains(domain: domain))
    }

    @Test func customFreeMailList() {
        let list = FreeMailDomains(["Example.COM", "mailbox.*"])
        #expect(list.match(domain: "staff.example.com") == "example.com")
        #expect(list.match(domain: "mailbox.co.nz") == "mailbox.co.nz")
        #expect(list.match(domain: "gmail.com") == nil)
        var database = AffiliationDatabase(freeMail: list)
        database.parse(text: "example.com Example\ngmail.com Google\n", format: .domainMap, origin: "map")
        #expect(database.name("x@gmail.com", "2020-01-01") == "Google")
        #expect(database.company(email: "x@example.com", date: .test("2020-01-01")).rule == .freeMail("example.com"))
    }
}
