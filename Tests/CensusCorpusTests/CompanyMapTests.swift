import CensusCorpus
import Testing

@Suite("Company map")
struct CompanyMapTests {
    @Test func fixture() throws {
        let path = Fixtures.path("companies.csv")
        let map = try CompanyMap.load(path: path)
        #expect(map.companies == ["kubernetes": "Google", "etcd-io": "Red Hat"])
        #expect(map.company(forOrg: "KUBERNETES") == "Google")
        #expect(map.company(forOrg: "etcd-io") == "Red Hat")
        #expect(map.company(forOrg: "nobody") == nil)
        try #require(map.diagnostics.map(\.location.line) == [5, 6])
        #expect(map.diagnostics.map(\.severity) == [.error, .warning])
        #expect(map.diagnostics[1].message.contains("already mapped on line 3"))
    }

    @Test func overridesCompanyByOrgWithoutCase() throws {
        var manifest = try CorpusManifest.parse(
            """
            repo,org,company
            https://github.com/Kubernetes/kubernetes,,
            https://github.com/etcd-io/etcd,,CoreOS
            https://github.com/other/thing,,
            /local/checkout,,
            """, format: .csv)
        let changed = manifest.overrideCompanies(with: try CompanyMap.load(path: Fixtures.path("companies.csv")))
        #expect(changed == 2)
        #expect(manifest.entries.map(\.company) == ["Google", "Red Hat", "other", "checkout"])
        #expect(manifest.entries.map(\.org) == ["Kubernetes", "etcd-io", "other", nil])
    }

    @Test func tabSeparatedWithoutHeader() {
        let map = CompanyMap.parse(bytes: Array("cncf\tCNCF\n\ngoogle\tGoogle\textra\n".utf8), origin: "map.tsv")
        #expect(map.companies == ["cncf": "CNCF", "google": "Google"])
        #expect(map.diagnostics.map(\.description) == ["map.tsv:3: warning: more than two values; only org and company are read"])
    }

    @Test func initialiserLowercasesOrgs() {
        let map = CompanyMap(["CNCF": "Cloud Native Computing Foundation"])
        #expect(map.company(forOrg: "cncf") == "Cloud Native Computing Foundation")
    }

    @Test func unreadable() {
        let error = #expect(throws: CorpusError.self) { try CompanyMap.load(path: "/nonexistent/map.csv") }
        #expect(error?.description == "/nonexistent/map.csv: cannot open the file: No such file or directory")
    }
}
