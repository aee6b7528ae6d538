import CensusCorpus
import Testing

/// How one URL or path becomes a key, an org and a company; and the cohort tag rule.
@Suite("Locations and tags")
struct LocationAndTagTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var key: String
        var org: String?
        var company: String?
        var isLocal: Bool
        var testDescription: String { text }
    }

    /// Each expected value written by hand from the rules in docs/manifests.md.
    static let cases: [Case] = [
        Case(text: "https://github.com/apple/swift", key: "github.com/apple/swift", org: "apple", company: "apple", isLocal: false),
        Case(text: "https://github.com/Apple/Swift.git/", key: "github.com/apple/swift", org: "Apple", company: "Apple", isLocal: false),
        Case(text: "git@github.com:apple/swift.git", key: "github.com/apple/swift", org: "apple", company: "apple", isLocal: false),
        Case(text: "ssh://git@GitHub.com:22/apple/swift", key: "github.com/apple/swift", org: "apple", company: "apple", isLocal: false),
        Case(
            text: "https://gitlab.com/gitlab-org/security/gitlab", key: "gitlab.com/gitlab-org/security/gitlab", org: "gitlab-org",
            company: "gitlab-org", isLocal: false),
        Case(text: "file:///srv/git/project.git", key: "path:/srv/git/project", org: nil, company: "project", isLocal: false),
        Case(text: "/srv/git/project.git", key: "path:/srv/git/project", org: nil, company: "project", isLocal: true),
        Case(text: "./work//census/", key: "path:work/census", org: nil, company: "census", isLocal: true),
        Case(text: "../census", key: "path:../census", org: nil, company: "census", isLocal: true),
        Case(text: "/", key: "path:/", org: nil, company: nil, isLocal: true),
        Case(text: "My Projects/Tool", key: "path:My Projects/Tool", org: nil, company: "Tool", isLocal: true),
    ]

    @Test(arguments: cases)
    func location(_ expected: Case) throws {
        let manifest = try CorpusManifest.parse(expected.text + "\n", format: .plain)
        #expect(manifest.diagnostics == [])
        let entry = try #require(manifest.entries.first)
        #expect(entry.location == expected.text)
        #expect(entry.key == expected.key)
        #expect(entry.org == expected.org)
        #expect(entry.company == expected.company)
        #expect(entry.isLocal == expected.isLocal)
        #expect(entry.cohorts == [])
        #expect(entry.source == CorpusSourceLocation(file: "test", line: 1))
    }

    @Test func httpIsReadAsHTTPSWithAWarning() throws {
        let manifest = try CorpusManifest.parse("http://github.com/drasi-project/drasi-platform\n", format: .plain)
        let entry = try #require(manifest.entries.first)
        #expect(entry.location == "http://github.com/drasi-project/drasi-platform")
        #expect(entry.remote?.url == "https://github.com/drasi-project/drasi-platform")
        #expect(entry.key == "github.com/drasi-project/drasi-platform")
        try #require(manifest.diagnosticLines == ["1: warning"])
        #expect(manifest.diagnostics[0].message.contains("https://github.com/drasi-project/drasi-platform"))
    }

    @Test(arguments: [
        ("https://github.com/tensorflow", "names an owner or organisation, not a repository"),
        ("git://github.com/a/b", "not authenticated"),
        ("ftp://example.com/a/b", "unknown scheme 'ftp'"),
        ("https://github.com/a/../b", "'.' and '..' are not allowed"),
        ("ext::sh -c touch% /tmp/pwned", "empty or holds spaces"),
        ("ssh://-oProxyCommand=x/a/b", "bad host"),
    ])
    func unusableURLs(_ text: String, _ reason: String) throws {
        let manifest = try CorpusManifest.parse("# first\n" + text + "\nhttps://github.com/ok/ok\n", origin: "list.txt", format: .plain)
        #expect(manifest.entries.map(\.key) == ["github.com/ok/ok"])
        let diagnostic = try #require(manifest.diagnostics.first)
        #expect(manifest.diagnostics.count == 1)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.location == CorpusSourceLocation(file: "list.txt", line: 2))
        #expect(diagnostic.message.contains(reason), "\(diagnostic)")
        #expect(diagnostic.description.hasPrefix("list.txt:2: error: "))
    }

    @Test func forgeLookingRelativePathWarns() throws {
        let manifest = try CorpusManifest.parse("github.com/a/b\n", format: .plain)
        #expect(manifest.entries.map(\.key) == ["path:github.com/a/b"])
        try #require(manifest.diagnosticLines == ["1: warning"])
        #expect(manifest.diagnostics[0].message.contains("https://github.com/a/b"))
    }

    @Test(arguments: [
        ("App Definition and Development", "app-definition-and-development"),
        ("Automation & Configuration", "automation-configuration"),
        ("PaaS/Container Service", "paas-container-service"),
        ("Certified Kubernetes - AI Platform", "certified-kubernetes-ai-platform"),
        ("Packaging, Registries & Application Delivery", "packaging-registries-application-delivery"),
        ("  CNCF_Graduated ", "cncf-graduated"),
        ("Edge/Bare metal", "edge-bare-metal"),
        ("Ünïcode Straße 2", "ünïcode-straße-2"),
        ("already-a-tag", "already-a-tag"),
    ])
    func tags(_ name: String, _ tag: String) {
        #expect(CohortTag.normalized(name) == tag)
    }

    @Test func tagsOfNothing() {
        #expect(CohortTag.normalized("") == nil)
        #expect(CohortTag.normalized(" & / - ") == nil)
        #expect(CohortTag.maturity("Graduated") == "cncf-graduated")
        #expect(CohortTag.maturity("archived") == "cncf-archived")
    }
}
