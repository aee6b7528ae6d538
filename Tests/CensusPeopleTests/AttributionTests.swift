import CensusPeople
import Testing

/// Each attribution rule on the fixtures (Tests/CensusPeopleTests/Fixtures), whose lines are in
/// the shapes of gitdm's real files. Expected companies and lines were read off the fixtures by
/// hand.
@Suite("Attribution on the fixtures")
struct AttributionTests {
    let database: AffiliationDatabase

    init() throws {
        database = try Fixtures.database()
    }

    private func line(_ file: String, _ number: Int) -> PeopleSourceLine {
        PeopleSourceLine(file: Fixtures.path(file), line: number)
    }

    @Test func counts() {
        let counts = database.counts
        #expect(counts.developerLines == 11)
        #expect(counts.developers == 10)  // carol twice
        // 12 addresses of the affiliation file, erin's (again) in the CSV, someone@special.example
        // from the domain map.
        #expect(counts.emails == 13)
        // 8 domains of the domain map (gmail.com ignored) and csv.example.
        #expect(counts.domains == 9)
        #expect(counts.aliases == 6)
        #expect(counts.nameMappings == 13)
    }

    @Test func diagnosticsNameFileAndLine() {
        #expect(
            database.diagnostics.summary == [
                "aliases:9 error", "aliases:10 warning", "aliases:11 error",
                "developers_affiliations.txt:14 warning", "developers_affiliations.txt:23 warning",
                "domain-map:12 warning", "domain-map:14 warning",
                "affiliations.csv:5 warning", "affiliations.csv:6 error", "affiliations.csv:7 error",
                "affiliations.csv:8 error", "affiliations.csv:9 error", "affiliations.csv:10 error",
                "company-names-mapping:14 error", "company-names-mapping:15 error", "company-map:4 error",
                "company-names-mapping:10 warning", "company-names-mapping:8 warning",
            ])
        let shared = database.diagnostics.first { $0.location.line == 23 && $0.message.contains("shared@example.net") }
        #expect(shared?.message.contains("developers_affiliations.txt:20") == true)
    }

    /// alice: Independent until 2015-03-01, Example from then until 2018-07-01, Acme from then.
    @Test func affiliationRangesAreHalfOpen() {
        let cases: [(String, String, Int)] = [
            ("1999-01-01", "Independent", 4), ("2015-02-28", "Independent", 4), ("2015-03-01", "Example", 5),
            ("2018-06-30", "Example", 5), ("2018-07-01", "Acme", 6), ("2030-01-01", "Acme", 6),
        ]
        for (date, company, number) in cases {
            let attribution = database.company(email: "alice@example.com", date: .test(date))
            #expect(attribution.company.name == company, "\(date)")
            #expect(attribution.rule == .affiliation(line("developers_affiliations.txt", number)), "\(date)")
        }
        // gitdm's '!' form and any case reach the same history.
        #expect(database.name("ALICE!Example.com", "2016-01-01") == "Example")
        #expect(database.name("Alice@Users.Noreply.GitHub.com", "2016-01-01") == "Example")
    }

    @Test func listedAddressBeatsFreeMail() {
        let attribution = database.company(email: "bob.builder@gmail.com", date: .test("2020-01-01"))
        #expect(attribution.company == Company(key: "acme", name: "Acme"))
        #expect(attribution.rule == .affiliation(line("developers_affiliations.txt", 8)))
    }

    @Test func namesMappingAppliesToAffiliations() {
        #expect(database.company(email: "carol@oldco.com", date: .test("2015-06-01")).company == Company(key: "independent", name: "Independent"))
        #expect(database.company(email: "carol@newco.com", date: .test("2015-06-01")).company == Company(key: "newco", name: "NewCo"))
        #expect(database.name("dave@example.org", "2018-12-31") == "Red Hat")
        // Zeta Labs -> Omega Holdings -> Omega Group.
        #expect(database.company(email: "shared@example.net", date: .test("2017-01-01")).company == Company(key: "omegagroup", name: "Omega Group"))
        // company-map: `Lab One` `University Lab`.
        #expect(database.name("erin@lab.example.edu", "2019-01-01") == "University Lab")
    }

    @Test func notFoundIsUnknownButExplained() {
        let attribution = database.company(email: "dave@example.org", date: .test("2019-01-01"))
        #expect(attribution.company == .unknown)
        #expect(attribution.rule == .affiliation(line("developers_affiliations.txt", 16)))
    }

    /// When several ranges hold the day, the latest start wins, then the earliest end.
    @Test func mostSpecificRangeWins() {
        // erin: "Lab One" (always) and "Lab Two from 2100-01-01" (the CDGCC/HUST shape), and the
        // CSV's "Lab Three" from 2020-01-01 until 2021-01-01.
        #expect(database.name("erin@lab.example.edu", "2099-12-31") == "University Lab")
        #expect(database.name("erin@lab.example.edu", "2100-01-01") == "Lab Two")
        let csv = database.company(email: "erin@lab.example.edu", date: .test("2020-06-01"))
        #expect(csv.company.name == "Lab Three")
        #expect(csv.rule == .affiliation(line("affiliations.csv", 2)))
        // shared@example.net: frank's "Frank Co until 2016-01-01" and grace's "Grace Consulting Ltd."
        // (always, indented with spaces) both hold in 2015; the earlier end is more specific.
        #expect(database.name("shared@example.net", "2015-06-01") == "Frank Co")
        #expect(database.name("grace@example.net", "2015-06-01") == "Grace Consulting Ltd.")
        // The same history twice (ivan, ivan-alt) is kept once: the first line decides.
        #expect(database.company(email: "ivan@twice.example", date: .test("2020-01-01")).rule == .affiliation(line("developers_affiliations.txt", 28)))
        #expect(database.history(email: "ivan@twice.example").count == 1)
    }

    @Test func companyNamedFromHomeKeepsItsName() {
        #expect(database.name("heidi@example.com", "2020-01-01") == "Far from Home")
    }

    @Test func aliasesApplyFirst() {
        let attribution = database.company(email: "alice!old-laptop", date: .test("2016-01-01"))
        #expect(attribution.email == "alice@example.com")
        #expect(attribution.aliasedFrom == "alice@old-laptop")
        #expect(attribution.company.name == "Example")
        // Two hops: chain@one.example -> chain@two.example -> alice@example.com.
        #expect(database.canonicalEmail("chain@one.example") == "alice@example.com")
        #expect(database.name("chain@one.example", "2019-01-01") == "Acme")
        // A cycle stops before an address repeats.
        #expect(database.canonicalEmail("loop@a.example") == "loop@b.example")
        #expect(database.company(email: "loop@a.example", date: .test("2019-01-01")).rule == .unknown)
        // Mixed case in the aliases file.
        #expect(database.name("bob@home.example", "2019-01-01") == "Acme")
    }

    @Test func domainRulesWithDates() {
        // oldco.com: OldCo < 2014-06-01, then NewCo.
        #expect(database.company(email: "x@oldco.com", date: .test("2014-05-31")).rule == .domain("oldco.com", line("domain-map", 6)))
        #expect(database.name("x@oldco.com", "2014-05-31") == "OldCo")
        #expect(database.name("x@oldco.com", "2014-06-01") == "NewCo")
        // merger.net: three names, two '<' ends, listed out of order.
        #expect(database.name("x@merger.net", "2009-12-31") == "First Name")
        #expect(database.name("x@merger.net", "2010-01-01") == "Second Name")
        #expect(database.name("x@merger.net", "2014-12-31") == "Second Name")
        #expect(database.name("x@merger.net", "2015-01-01") == "Third Name")
        #expect(database.domainRules("merger.net").map(\.range.description) == ["until 2010-01-01", "from 2010-01-01 until 2015-01-01", "from 2015-01-01"])
    }

    @Test func longestDomainSuffix() {
        let attribution = database.company(email: "someone@mail.example.com", date: .test("2020-01-01"))
        #expect(attribution.company == Company(key: "example", name: "Example"))
        #expect(attribution.rule == .domain("example.com", line("domain-map", 2)))
        #expect(database.name("student@cs.example.edu", "2020-01-01") == "Independent")
        // A subdomain rule under a free-mail domain is more specific than the free-mail entry.
        #expect(database.company(email: "x@corp.yandex.ru", date: .test("2020-01-01")).rule == .domain("corp.yandex.ru", line("domain-map", 11)))
        // An address line in the domain map is a rule for that address.
        #expect(database.company(email: "someone@special.example", date: .test("2020-01-01")).rule == .affiliation(line("domain-map", 15)))
        // Two undated lines for one domain: the first is used.
        #expect(database.name("x@twice.example", "2020-01-01") == "Twice Co")
    }

    @Test(arguments: [
        ("x@gmail.com", "gmail.com"), ("x@googlemail.com", "googlemail.com"), ("x@vip.qq.com", "vip.qq.com"),
        ("x@163.com", "163.com"), ("x@yandex.ru", "yandex.ru"), ("x@yandex.com.tr", "yandex.com.tr"), ("x@gmx.de", "gmx.de"),
        ("x@gmx.co.uk", "gmx.co.uk"), ("x@web.de", "web.de"), ("1234+x@users.noreply.github.com", "users.noreply.github.com"),
        ("x@protonmail.com", "protonmail.com"), ("x@foxmail.com", "foxmail.com"), ("x@hotmail.fr", "hotmail.fr"),
    ])
    func freeMailNeverMapsByDomain(email: String, domain: String) {
        let attribution = database.company(email: email, date: .test("2020-01-01"))
        #expect(attribution.company == .unknown)
        #expect(attribution.rule == .freeMail(domain))
    }

    @Test func unknownIsCountedNotHidden() {
        for email in ["x@nowhere.example", "no-at-sign", "", "x@gmx.nowhere.example"] {
            let attribution = database.company(email: email, date: .test("2020-01-01"))
            #expect(attribution.company == .unknown, "\(email)")
            #expect(attribution.rule == .unknown, "\(email)")
        }
    }

    @Test func csvRows() {
        #expect(database.company(email: "x@csv.example", date: .test("2019-05-31")).company == Company(key: "comma", name: "Comma, Inc."))
        #expect(database.name("x@csv.example", "2019-06-01") == "Later Co")
        #expect(database.name("x@bad.example", "2019-06-01") == "Unknown")
    }

    @Test func historyAndExplanation() {
        #expect(
            database.history(email: "alice@example.com").map(\.description) == [
                "Independent until 2015-03-01 (\(Fixtures.path("developers_affiliations.txt")):4)",
                "Example from 2015-03-01 until 2018-07-01 (\(Fixtures.path("developers_affiliations.txt")):5)",
                "Acme from 2018-07-01 (\(Fixtures.path("developers_affiliations.txt")):6)",
            ])
        let attribution = database.company(email: "x@oldco.com", date: .test("2020-01-01"))
        #expect(attribution.description == "x@oldco.com: NewCo (domain oldco.com (\(Fixtures.path("domain-map")):5))")
    }

    /// Without a names mapping the display name is the most used spelling (ties: the first read).
    @Test func displayNameIsMostUsedSpelling() {
        var database = AffiliationDatabase()
        database.parse(
            text: "a: a!x.example\n\tAcme Corp\nb: b!x.example\n\tACME Inc.\nc: c!x.example\n\tACME Inc.\nd: d!x.example\n\tBeta\ne: e!x.example\n\tBETA LLC\n",
            format: .affiliations, origin: "inline")
        #expect(database.company(email: "a@x.example", date: .test("2020-01-01")).company == Company(key: "acme", name: "ACME Inc."))
        #expect(database.name("e@x.example", "2020-01-01") == "Beta")
        #expect(database.company(named: "acme, inc").name == "ACME Inc.")
        // A mapping read later wins over the spellings.
        database.parse(text: "Acme -> Acme Worldwide\n", format: .namesMapping, origin: "mapping")
        #expect(database.name("b@x.example", "2020-01-01") == "Acme Worldwide")
    }
}
