import CensusPeople
import Testing

@Suite("Bots")
struct BotClassifierTests {
    let bots = BotClassifier.standard

    @Test(arguments: [
        ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", nil),
        ("Renovate Bot", "bot@renovateapp.com", "renovate-bot"),
        ("Kubernetes Prow Robot", "k8s-ci-robot@users.noreply.github.com", nil),
        ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com", nil),
        ("GitHub Actions", "actions@github.com", nil),
        ("someone", "someone@example.com", "k8s-ci-robot"),
        ("dependabot-preview[bot]", nil, nil),
        (nil, "renovate@whitesourcesoftware.com", nil),
        ("openshift-merge-robot", nil, nil),
        ("Cloud Build Bot", "build-bot@example.com", nil),
        (nil, nil, "codecov-io[bot]"),
    ] as [(String?, String?, String?)])
    func bots(name: String?, email: String?, login: String?) {
        #expect(bots.isBot(name: name, email: email, login: login))
    }

    @Test(arguments: [
        ("Abbot Robotham", "abbot@example.com", "abbot"),
        ("Bob Builder", "bob@botany.example", "bob-builder"),
        ("Robot Wars Fan", "123+robotfan@users.noreply.github.com", "robotfan"),
        ("Stalemate", "stalemate@example.com", nil),
        ("Dependable Person", "dependable@example.com", nil),
    ] as [(String?, String?, String?)])
    func people(name: String?, email: String?, login: String?) {
        #expect(!bots.isBot(name: name, email: email, login: login))
    }

    @Test func explainsWhichPattern() {
        #expect(bots.matchingPattern(email: "49699333+dependabot[bot]@users.noreply.github.com") == "*[bot]")
        #expect(bots.matchingPattern(login: "Dependabot") == "dependabot")
        #expect(bots.matchingPattern(name: "Alice") == nil)
    }

    @Test func extraPatterns() {
        let custom = BotClassifier(patterns: ["ci-*@example.com", "Release Manager"], substrings: ["automation"])
        #expect(custom.isBot(email: "ci-nightly@example.com"))
        #expect(custom.isBot(name: "release manager"))
        #expect(custom.isBot(login: "infra-AUTOMATION-account"))
        #expect(custom.isBot(login: "dependabot"))
        #expect(!custom.isBot(email: "ci@example.com"))
        let onlyCustom = BotClassifier(patterns: ["*-ci"], includeStandard: false)
        #expect(onlyCustom.isBot(login: "team-ci"))
        #expect(!onlyCustom.isBot(login: "dependabot[bot]"))
    }
}
