import CensusPeople
import Testing

/// gitdm's real rule files in ../shared/data/gitdm (or $CENSUS_SHARED/data/gitdm). Every expected
/// figure was worked out apart from this code: counts with a short Python script over the files
/// (quoted in docs/people.md, "How the real-data figures were checked"), companies and line
/// numbers by reading the files with `grep -n`.
@Suite("Real gitdm files", .enabled(if: SharedGitdm.isAvailable, SharedGitdm.missing))
struct RealGitdmTests {
    static let affiliations = SharedGitdm.path("developers_affiliations5.txt")
    static let domainMap = SharedGitdm.path("domain-map")

    static func loadAll() throws -> AffiliationDatabase {
        try AffiliationDatabase.load(
            affiliations: [affiliations], domainMap: [domainMap], aliases: [SharedGitdm.path("aliases")],
            namesMapping: [SharedGitdm.path("company-names-mapping")], companyMap: [SharedGitdm.path("company-map")])
    }

    /// Every real file loads (load times are measured in docs/people.md, never asserted here).
    @Test func loadsEveryFile() throws {
        let affiliationsOnly = try AffiliationDatabase.load(affiliations: [Self.affiliations])
        let all = try Self.loadAll()
        #expect(affiliationsOnly.counts.developers > 0)
        #expect(all.counts.developers == affiliationsOnly.counts.developers)
    }

    @Test func counts() throws {
        let database = try Self.loadAll()
        let counts = database.counts
        #expect(counts.developerLines == 4901)  // lines not indented and not comments
        #expect(counts.developers == 4880)  // 21 logins appear twice
        #expect(counts.emails == 8592)  // distinct lowercased addresses, the 4 non-addresses left out
        #expect(counts.domains == 766)  // 770 distinct domains, 4 free-mail ones ignored
        #expect(counts.aliases == 197)  // 203 lines, 6 map an address onto itself
        #expect(counts.nameMappings == 1490)  // company-map: every line is a comment
    }

    @Test func diagnostics() throws {
        let database = try Self.loadAll()
        let affiliationFile = database.diagnostics.filter { $0.location.file == Self.affiliations }
        // Line 4708, "Vector from 2017-08-01 until 2017-08-01", holds no day: the one error (awk:
        // the only "from D until E" line with E <= D). Then warnings: the four words that are not
        // addresses (tjbenton21, Kovalenko, http://www.yssk22.info/, "meａｔzhang.su"), and
        // 3502082+wtip listed for williamh (line 10580) and for wtip (11205).
        #expect(affiliationFile.summary == [
            "developers_affiliations5.txt:4708 error", "developers_affiliations5.txt:5087 warning",
            "developers_affiliations5.txt:8068 warning", "developers_affiliations5.txt:11205 warning",
            "developers_affiliations5.txt:13258 warning", "developers_affiliations5.txt:14158 warning",
        ])
        #expect(affiliationFile[3].message.contains("3502082+wtip@users.noreply.github.com"))
        #expect(affiliationFile[3].message.contains("developers_affiliations5.txt:10580"))
        // The rest of the entry survives: Chorus NZ before, Breakpoint from 2017-08-01.
        #expect(database.name("tilln@users.noreply.github.com", "2017-08-01") == "Breakpoint")
        // 163.com, earthlink.net, fastmail.fm and sina.com are free mail; corp.mail.ru (161) and
        // firma.seznam.cz (241) are company subdomains under free-mail domains and kept.
        let domainFile = database.diagnostics.filter { $0.location.file == Self.domainMap }
        #expect(domainFile.map(\.location.line) == [3, 207, 238, 597])
        #expect(database.diagnostics.count { $0.severity == .error } == 1)
        // "Red  Hat -> NotFound" disagrees with the other spellings of Red Hat.
        #expect(database.diagnostics.contains { $0.location.file.hasSuffix("company-names-mapping") && $0.location.line == 750 })
    }

    @Test func affiliationHistories() throws {
        let database = try Self.loadAll()
        // spiffxp (lines 44-49): ... HP Inc. 2011-04-01..2012-12-01, Samsung SDS 2015-06-01..2018-05-11, Google LLC since.
        #expect(database.name("spiffxp@google.com", "2011-04-01") == "HP")
        #expect(database.name("spiffxp@google.com", "2018-05-10") == "Samsung SDS")
        let google = database.company(email: "spiffxp!google.com", date: .test("2018-05-11"))
        #expect(google.company == Company(key: "google", name: "Google"))
        #expect(google.rule == .affiliation(PeopleSourceLine(file: Self.affiliations, line: 49)))
        // sperrenotcantin (lines 8-17): Sietel for one month of 2017.
        #expect(database.name("sperrenotcantin@users.noreply.github.com", "2017-01-15") == "Sietel")
        #expect(database.name("sperrenotcantin@users.noreply.github.com", "2017-02-01") == "Independent")
        // spew (lines 20-22): Amazon until 2018-03-01, Google LLC from then.
        #expect(database.name("rleidle@google.com", "2018-02-28") == "Amazon")
        #expect(database.name("rleidle@google.com", "2018-03-01") == "Google")
        // vstinner (lines 9470-9474): eNovance until 2014-06-24, Red Hat Inc. from then.
        #expect(database.name("vstinner@redhat.com", "2014-06-23") == "eNovance")
        #expect(database.name("vstinner@redhat.com", "2014-06-24") == "Red Hat")
        // wgtdkp (lines 10328-10330): CDGCC, and HUST from 2100-01-01.
        #expect(database.name("dkp@hust.edu.cn", "2020-01-01") == "CDGCC")
        #expect(database.name("dkp@hust.edu.cn", "2100-01-01") == "HUST")
        // 3502082+wtip: williamh's "Independent" against wtip's two ranges; the narrower wins.
        #expect(database.name("3502082+wtip@users.noreply.github.com", "2015-01-01") == "Inspiring Digital Enterprise Award CIC")
        #expect(database.name("3502082+wtip@users.noreply.github.com", "2017-01-01") == "IP.com / Textwise")
        // The two space-indented company lines (12062, 14477).
        #expect(database.name("xiawei.xu@daocloud.io", "2020-01-01") == "DaoCloud Network Technology Co. Ltd.")
    }

    @Test func aliasesThenAffiliations() throws {
        let database = try Self.loadAll()
        // aliases:196 vishvananda!yahoo.com -> vishvananda!gmail.com, listed at 8845 with Nebula.
        let attribution = database.company(email: "vishvananda@yahoo.com", date: .test("2013-01-01"))
        #expect(attribution.email == "vishvananda@gmail.com")
        #expect(attribution.company.name == "Nebula")
        #expect(attribution.rule == .affiliation(PeopleSourceLine(file: Self.affiliations, line: 8846)))
        // aliases:197 wchrisjohnson!hp.com -> wchrisjohnson!gmail.com: "HP Inc. Inc. until
        // 2015-10-31" (10010), then "HP Inc. Inc. from 2015-10-31" (10011).
        let before = database.company(email: "wchrisjohnson@hp.com", date: .test("2015-10-30"))
        let after = database.company(email: "wchrisjohnson@hp.com", date: .test("2015-10-31"))
        #expect(before.company == Company(key: "hp", name: "HP"))
        #expect(before.rule == .affiliation(PeopleSourceLine(file: Self.affiliations, line: 10010)))
        #expect(after.rule == .affiliation(PeopleSourceLine(file: Self.affiliations, line: 10011)))
        // aliases:70-71, two hops to a free-mail address.
        #expect(database.canonicalEmail("ghe.rivero@stackops.com") == "ghe.rivero@gmail.com")
        #expect(database.company(email: "ghe.rivero@stackops.com", date: .test("2013-01-01")).rule == .freeMail("gmail.com"))
    }

    @Test func domainRules() throws {
        let database = try Self.loadAll()
        func rule(_ email: String, _ date: String) -> AttributionRule? { database.company(email: email, date: date)?.rule }
        // ansolabs.com: "Rackspace < 2012-07-20" (45), then Nebula (44).
        #expect(database.name("someone@ansolabs.com", "2012-07-19") == "Rackspace")
        #expect(rule("someone@ansolabs.com", "2012-07-20") == .domain("ansolabs.com", PeopleSourceLine(file: Self.domainMap, line: 44)))
        #expect(rule("nobody.in.the.file@mail.google.com", "2020-01-01") == .domain("google.com", PeopleSourceLine(file: Self.domainMap, line: 260)))
        #expect(rule("nobody.in.the.file@linux.vnet.ibm.com", "2020-01-01") == .domain("linux.vnet.ibm.com", PeopleSourceLine(file: Self.domainMap, line: 374)))
        #expect(database.name("nobody.in.the.file@redhat.com", "2020-01-01") == "Red Hat")
        #expect(rule("nobody.in.the.file@163.com", "2020-01-01") == .freeMail("163.com"))
        #expect(rule("nobody.in.the.file@corp.mail.ru", "2020-01-01") == .domain("corp.mail.ru", PeopleSourceLine(file: Self.domainMap, line: 161)))
        #expect(rule("nobody.in.the.file@mail.ru", "2020-01-01") == .freeMail("mail.ru"))
    }

    @Test func companyNamesAcrossFiles() throws {
        let database = try Self.loadAll()
        for spelling in ["Red Hat, Inc.", "redhat", "Red Hat Inc.", "RED HAT"] {
            #expect(database.company(named: spelling) == Company(key: "redhat", name: "Red Hat"), "\(spelling)")
        }
        #expect(database.company(named: "Google LLC LLC") == Company(key: "google", name: "Google"))
        #expect(database.company(named: "Self") == Company(key: "independent", name: "Independent"))
        #expect(database.company(named: "NotFound") == .unknown)
    }
}
