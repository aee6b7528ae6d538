import CensusCorpus
import Testing

/// Small landscapes written for these tests; the expected values are read off the fixtures by hand
/// (line numbers included).
@Suite("Landscape fixtures")
struct LandscapeFixtureTests {
    @Test func landscapeShape() throws {
        let path = Fixtures.path("landscape-small.yml")
        let manifest = try CorpusManifest.load(path: path)
        #expect(
            manifest.entries.map(\.key) == [
                "github.com/vitessio/vitess", "github.com/strimzi/strimzi-kafka-operator", "github.com/strimzi/strimzi-kafka-bridge",
                "github.com/noitem/noitem", "gitlab.com/owner-default/tool",
            ])
        #expect(manifest.itemsWithoutRepository == 1)
        try #require(manifest.diagnosticLines == ["22: error", "33: error", "39: warning", "51: error", "55: warning"])

        let vitess = try #require(manifest.entry("github.com/vitessio/vitess"))
        #expect(vitess.name == "Vitess")
        #expect(vitess.homepage == "https://vitess.io/")
        #expect(vitess.org == "vitessio")
        #expect(vitess.company == "cloud-native-computing-foundation")  // from the crunchbase URL; the duplicate's planetscale is ignored
        #expect(vitess.cohorts == ["app-definition-and-development", "cncf-graduated", "database", "observability", "observability-and-analysis"])
        #expect(vitess.source == CorpusSourceLocation(file: path, line: 13))
        #expect(vitess.github == nil)

        let strimzi = try #require(manifest.entry("github.com/strimzi/strimzi-kafka-operator"))
        let bridge = try #require(manifest.entry("github.com/strimzi/strimzi-kafka-bridge"))
        let strimziCohorts = ["app-definition-and-development", "cncf-incubating", "observability", "observability-and-analysis", "streaming-messaging"]
        #expect(strimzi.cohorts == strimziCohorts)
        #expect(bridge.cohorts == strimziCohorts)
        #expect(bridge.name == "Strimzi")
        #expect(bridge.company == "cloud-native-computing-foundation")
        #expect(bridge.source.line == 32)

        let noItemKey = try #require(manifest.entry("github.com/noitem/noitem"))
        #expect(noItemKey.company == "NoItem Inc")
        #expect(noItemKey.location == "http://github.com/noitem/noitem")
        #expect(noItemKey.cohorts == ["app-definition-and-development", "streaming-messaging"])

        let ownerDefault = try #require(manifest.entry("gitlab.com/owner-default/tool"))
        #expect(ownerDefault.company == "owner-default")
        #expect(ownerDefault.org == "owner-default")

        #expect(manifest.diagnostics[0].message == "item 'Null Repo': repo_url is empty or not a string; skipped")
        #expect(manifest.diagnostics[1].message == "item 'Strimzi': an additional_repos entry without repo_url; skipped")
        #expect(manifest.diagnostics[3].message.hasPrefix("item 'Org Only': https://github.com/orgonly names an owner"))
        #expect(manifest.diagnostics[4].message.contains("first listed at \(path):13"))
    }

    @Test func processedShape() throws {
        let manifest = try CorpusManifest.load(path: Fixtures.path("processed-small.yml"))
        #expect(manifest.diagnostics == [])
        #expect(manifest.entries.map(\.key) == ["github.com/containerd/containerd", "gitlab.com/nogh/runtime"])
        let containerd = manifest.entries[0]
        #expect(containerd.company == "Cloud Native Computing Foundation (CNCF)")
        #expect(containerd.cohorts == ["cncf-graduated", "container-runtime", "runtime"])
        #expect(containerd.homepage == "https://containerd.io/")
        #expect(
            containerd.github
                == LandscapeGitHubData(
                    languages: ["Go": 3_720_531, "Shell": 79992], stars: 6183, contributorsCount: 353,
                    firstCommitDate: "2015-11-12T19:55:36Z", latestCommitDate: "2020-11-23T22:30:17Z", license: "Apache License 2.0"))
        // crunchbase_data.name null: the crunchbase URL's last segment.
        #expect(manifest.entries[1].company == "nogh-labs")
        #expect(manifest.entries[1].github == nil)
    }

    @Test func brokenYAMLIsThrownWithItsLine() {
        let error = #expect(throws: CorpusError.self) { try CorpusManifest.load(path: Fixtures.path("broken.yml")) }
        #expect(error?.code == .invalidYAML)
        #expect(error?.input == Fixtures.path("broken.yml"))
        // Ruby's Psych (libyaml too) says: did not find expected '-' indicator while parsing a block
        // collection at line 3 column 3 (it reports where the collection starts).
        #expect(error?.line == 5)
        #expect(error?.message == "invalid YAML: did not find expected '-' indicator at column 4, while parsing a block collection that starts on line 3")
    }

    @Test func otherYAMLIsNotALandscape() {
        let error = #expect(throws: CorpusError.self) { try CorpusManifest.load(path: Fixtures.path("other.yml")) }
        #expect(error?.code == .notALandscape)
        #expect(error?.description.hasPrefix(Fixtures.path("other.yml") + ": not a CNCF landscape") == true)
    }

    @Test func oddShapesAreReportedNotFatal() throws {
        let text = """
            landscape:
              - just a string
              - category:
                name: Runtime
                subcategories:
                  - 42
                  - subcategory:
                    name: Empty
                  - subcategory:
                    name: Things
                    items:
                      - [not, a, mapping]
                      - name: Fine
                        repo_url: https://github.com/fine/fine
                        additional_repos:
                          - repo_url: [1, 2]
            """
        let manifest = try CorpusManifest.parse(text, origin: "odd.yml")
        #expect(manifest.entries.map(\.key) == ["github.com/fine/fine"])
        #expect(manifest.entries[0].cohorts == ["runtime", "things"])
        #expect(manifest.diagnosticLines == ["2: error", "6: error", "12: error", "16: error"])
    }
}
