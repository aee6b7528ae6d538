import CensusPeople
import Testing

@Suite("Company tally")
struct CompanyTallyTests {
    @Test func botsApartUnknownShown() throws {
        var tally = CompanyTally(database: try Fixtures.database())
        tally.add(email: "alice@example.com", date: .test("2016-01-01"), commits: 3)  // Example
        tally.add(email: "alice!old-laptop", date: .test("2016-06-01"))  // alias of alice: Example
        tally.add(email: "x@mail.example.com", date: .test("2016-01-01"))  // Example by domain
        tally.add(email: "bob@acme.io", date: .test("2020-01-01"), commits: 2)  // Acme
        tally.add(email: "someone@gmail.com", date: .test("2020-01-01"))  // Unknown (free mail)
        tally.add(email: "x@nowhere.example", date: .test("2020-01-01"), commits: 4)  // Unknown
        let bot = tally.add(
            email: "49699333+dependabot[bot]@users.noreply.github.com", name: "dependabot[bot]", date: .test("2020-01-01"),
            commits: 7)
        #expect(bot == nil)
        tally.add(email: "ci@example.com", login: "k8s-ci-robot", date: .test("2020-01-01"))

        #expect(tally.botCommits == 8)
        #expect(tally.botAuthors == 2)
        #expect(tally.unknownCommits == 5)
        #expect(
            tally.rows == [
                CompanyTally.Row(company: Company(key: "example", name: "Example"), commits: 5, authors: 2),
                CompanyTally.Row(company: .unknown, commits: 5, authors: 2),
                CompanyTally.Row(company: Company(key: "acme", name: "Acme"), commits: 2, authors: 1),
            ])
    }

    @Test func botsCanBeIncluded() throws {
        var tally = CompanyTally(database: try Fixtures.database(), includeBots: true)
        tally.add(email: "ci@example.com", login: "k8s-ci-robot", date: .test("2020-01-01"))
        #expect(tally.botCommits == 1)
        #expect(tally.rows.map(\.company.name) == ["Example"])
    }
}
