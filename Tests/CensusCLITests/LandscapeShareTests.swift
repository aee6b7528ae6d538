import CodeCensus
import Foundation
import Testing

/// The real-data example: the 2020 CNCF landscape's `github_data` (GitHub's bytes per
/// language) stored for every graduated project, and the Go share among them asked of the store.
/// The expected figures come from an independent Ruby script over the same file (Psych): 12
/// graduated repositories with GitHub data; Go 90,095,712 of 142,527,534 bytes (63.21%); 8 of
/// the 12 have at least 10% Go. GitHub's figures are bytes, so the test stores them as the
/// counted unit of each language row (code = bytes): the check is of the store's SQL, on real data.
@Suite("The 2020 landscape's Go share among graduated projects")
struct LandscapeShareTests {
    static var landscape: String? {
        let base = ProcessInfo.processInfo.environment["CENSUS_SHARED"] ?? URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared").path
        let path = base + "/data/landscape/processed_landscape_2020-11-24.yml"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    @Test(.enabled(if: landscape != nil, "../shared/data/landscape is absent: the real-data check is skipped"))
    func goShareAmongGraduated() throws {
        let manifest = try CorpusManifest.load(path: try #require(Self.landscape))
        let tree = PublicTree()
        let database = try CensusDatabase.open(path: tree.path + "/census.db")
        var stored = 0
        for entry in manifest.entries where entry.cohorts.contains("cncf-graduated") {
            guard let github = entry.github, !github.languages.isEmpty else { continue }
            let repository = StoredRepository(
                key: entry.key, location: entry.location, org: entry.org ?? entry.key, company: entry.company,
                cohorts: entry.cohorts, scannedAt: 0, censusVersion: CensusVersion.string)
            let languages = github.languages.map { name, bytes in
                StoredLanguageTotal(language: name, type: .programming, files: 1, code: bytes, comment: 0, blank: 0, bytes: bytes)
            }
            try database.save(repository: repository, languages: languages)
            stored += 1
        }
        #expect(stored == 12)
        let share = try #require(
            try database.share(language: "Go", threshold: 0.1, unit: .repository, cohort: "cncf-graduated").first)
        #expect(share.languageCode == 90_095_712)
        #expect(share.ownCode == 142_527_534)
        #expect(abs(share.languageShare - 0.632_128_469_997_944_4) < 1e-12)
        #expect(share.unitsTotal == 12)
        #expect(share.unitsMatching == 8)
        // Places come from crunchbase_data (city, region, country), classified by the region table.
        let kubernetes = try #require(manifest.entries.first { $0.key.hasSuffix("kubernetes/kubernetes") })
        #expect(kubernetes.place == "San Francisco, California, United States")
        let found = try #require(RegionClassifier.standard.classify(kubernetes.place ?? ""))
        #expect(found.country == "US")
        #expect(found.region == .northAmerica)
    }
}
