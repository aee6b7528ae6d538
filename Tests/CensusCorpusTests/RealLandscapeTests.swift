import CensusCorpus
import Testing

/// The real CNCF landscape files in ../shared (or $CENSUS_SHARED). Every expected figure was
/// computed independently with Ruby's own YAML parser (Psych), by a script that applies the rules of
/// docs/manifests.md (key = lowercased host/owner/name without .git, http read as https, one-segment
/// URLs refused; first listing wins; cohorts from category, subcategory, second_path, project;
/// FNV-1a 64 with the high-bits reduction for shards):
///
/// ```
/// ruby figures.rb landscape-2026-08.yml processed_landscape_2020-11-24.yml
/// ```
///
/// (the script is quoted in docs/manifests.md, "How the landscape figures were checked").
@Suite("Real CNCF landscapes", .enabled(if: SharedLandscape.isAvailable, Comment(rawValue: SharedLandscape.missing)))
struct RealLandscapeTests {
    /// Loads a landscape. (Load times are measured in docs/manifests.md, never asserted here.)
    static func load(_ name: String) throws -> CorpusManifest {
        try CorpusManifest.load(path: SharedLandscape.path(name))
    }

    static func count(_ manifest: CorpusManifest, cohort: String) -> Int {
        manifest.entries.count { $0.cohorts.contains(cohort) }
    }

    @Test func current() throws {
        let manifest = try Self.load(SharedLandscape.current)
        #expect(manifest.entries.count == 1016)
        #expect(manifest.itemsWithoutRepository == 1420)
        // 1050 repo URLs (993 repo_url + 57 additional_repos): 5 owner-only URLs refused, 29 duplicates.
        #expect(manifest.diagnostics.count { $0.severity == .error } == 5)
        #expect(manifest.diagnostics.count { $0.severity == .warning } == 30)  // 29 duplicates + 1 http://
        #expect(Self.count(manifest, cohort: "cncf-graduated") == 41)
        #expect(Self.count(manifest, cohort: "cncf-incubating") == 55)
        #expect(Self.count(manifest, cohort: "cncf-sandbox") == 166)
        #expect(Self.count(manifest, cohort: "cncf-archived") == 27)
        #expect(manifest.entries.first?.key == "github.com/airshipit/treasuremap")
        #expect(manifest.entries.last?.key == "github.com/tensorflow/tfx")

        let kubernetes = try #require(manifest.entry("github.com/kubernetes/kubernetes"))
        #expect(kubernetes.name == "Kubernetes")
        #expect(kubernetes.company == "cloud-native-computing-foundation")
        #expect(
            kubernetes.cohorts == [
                "ai-native-infra", "cncf-graduated", "orchestration-and-scheduling", "orchestration-management",
                "scheduling-orchestration", "wasm",
            ])
        #expect(kubernetes.github == nil)
        let helm = try #require(manifest.entry("github.com/helm/helm"))
        #expect(helm.cohorts == ["app-definition-and-development", "application-definition-image-build", "cncf-graduated"])

        let refused = manifest.diagnostics.filter { $0.severity == .error }.map(\.message)
        for url in ["https://github.com/OpenSDN-io", "https://github.com/CoHDI", "https://github.com/tensorflow", "https://gitcode.com/cann", "https://github.com/opea-project"] {
            #expect(refused.contains { $0.contains(url + " names an owner") }, "\(url)")
        }
    }

    @Test func processed() throws {
        let manifest = try Self.load(SharedLandscape.processed)
        #expect(manifest.entries.count == 402)
        #expect(manifest.itemsWithoutRepository == 1110)
        #expect(manifest.diagnosticLines.filter { $0.hasSuffix("error") } == ["62820: error"])  // repo_url: null
        #expect(manifest.diagnostics.count { $0.severity == .warning } == 1)  // kubernetes listed twice
        #expect(Self.count(manifest, cohort: "cncf-graduated") == 12)
        #expect(Self.count(manifest, cohort: "cncf-incubating") == 21)
        #expect(Self.count(manifest, cohort: "cncf-sandbox") == 37)
        #expect(
            manifest.entries.filter { $0.cohorts.contains("cncf-graduated") }.map(\.key).sorted() == [
                "github.com/containerd/containerd", "github.com/coredns/coredns", "github.com/envoyproxy/envoy",
                "github.com/fluent/fluentd", "github.com/goharbor/harbor", "github.com/helm/helm",
                "github.com/jaegertracing/jaeger", "github.com/kubernetes/kubernetes", "github.com/prometheus/prometheus",
                "github.com/theupdateframework/tuf", "github.com/tikv/tikv", "github.com/vitessio/vitess",
            ])

        let withGitHub = manifest.entries.compactMap(\.github)
        #expect(withGitHub.count == 402)
        #expect(withGitHub.reduce(0) { $0 + ($1.stars ?? 0) } == 2_384_697)
        #expect(withGitHub.reduce(0) { $0 + ($1.contributorsCount ?? 0) } == 100_806)
        #expect(withGitHub.reduce(0) { $0 + ($1.languages["Go"] ?? 0) } == 685_833_275)
        #expect(withGitHub.count { $0.languages["Go"] != nil } == 226)

        let kubernetes = try #require(manifest.entry("github.com/kubernetes/kubernetes"))
        #expect(kubernetes.company == "Cloud Native Computing Foundation (CNCF)")
        #expect(
            kubernetes.cohorts == [
                "certified-kubernetes-installer", "cncf-graduated", "orchestration-management", "platform", "scheduling-orchestration",
            ])
        let github = try #require(kubernetes.github)
        #expect(github.stars == 71052)
        #expect(github.contributorsCount == 3599)
        #expect(github.languages.count == 12)
        #expect(github.languages["Go"] == 52_822_722)
        #expect(github.languages["Starlark"] == 3_948_973)
        #expect(github.firstCommitDate == "2014-06-06T23:40:48Z")
        #expect(github.latestCommitDate == "2020-10-23T23:47:00Z")
        #expect(github.license == "Apache License 2.0")
        let prometheus = try #require(manifest.entry("github.com/prometheus/prometheus"))
        #expect(prometheus.github?.stars == 33475)
        #expect(prometheus.github?.contributorsCount == 588)
        #expect(prometheus.cohorts == ["cncf-graduated", "monitoring", "observability-and-analysis"])
    }

    @Test(arguments: [
        (SharedLandscape.current, 3, [331, 341, 344]),
        (SharedLandscape.current, 4, [261, 258, 250, 247]),
        (SharedLandscape.current, 7, [154, 141, 141, 156, 133, 147, 144]),
        (SharedLandscape.processed, 4, [92, 113, 102, 95]),
    ])
    func shards(_ name: String, _ count: Int, _ sizes: [Int]) throws {
        let manifest = try CorpusManifest.load(path: SharedLandscape.path(name))
        let measured = try (1...count).map { try manifest.sharded(CorpusShard(index: $0, count: count)).entries.count }
        #expect(measured == sizes)
        // Roughly balanced: every shard within 15% of an even split.
        let even = Double(manifest.entries.count) / Double(count)
        #expect(measured.allSatisfy { abs(Double($0) - even) < 0.15 * even })
        try ShardTests.expectPartition(manifest, counts: [count])
    }

    @Test func companyMapOverridesTheLandscape() throws {
        var manifest = try CorpusManifest.load(path: SharedLandscape.path(SharedLandscape.current))
        let map = CompanyMap.parse(bytes: Array("org,company\nKubernetes,Kubernetes Project\n".utf8), origin: "map.csv")
        let changed = manifest.overrideCompanies(with: map)
        // Ruby: entries whose URL owner is kubernetes (case-insensitively).
        #expect(changed == 3)
        #expect(manifest.entry("github.com/kubernetes/kubernetes")?.company == "Kubernetes Project")
    }
}
