import CensusGoModules
import Foundation
import Testing

/// Every go.mod of etcd v3.5.0 and prometheus v2.53.0 in the shared data, beside the JSON the Go
/// toolchain's own `go mod edit -json` printed for it: the output must be equal byte for byte.
@Suite("go.mod golden files (shared data)", .enabled(if: SharedData.root != nil, Comment(rawValue: SharedData.missing)))
struct GoModGoldenTests {
    @Test func allGoldenFilesAreFound() {
        #expect(SharedData.goldenGoMods.count == 14)
    }

    @Test func jsonIsByteEqualToTheToolchains() throws {
        var mismatches: [String] = []
        for url in SharedData.goldenGoMods {
            let file = GoModFile(parsing: Array(try Data(contentsOf: url)), fileName: url.path)
            let expected = Array(try Data(contentsOf: URL(fileURLWithPath: url.path + ".json")))
            if Array(file.goModEditJSON().utf8) != expected { mismatches.append(url.path) }
            #expect(file.diagnostics.isEmpty, "\(file.diagnostics)")
        }
        #expect(mismatches.isEmpty)
    }

    @Test func requirementCountsAreRight() throws {
        let root = try #require(SharedData.root).appendingPathComponent("data/gomod")
        let prometheus = GoModFile(parsing: Array(try Data(contentsOf: root.appendingPathComponent("prometheus-v2.53.0/go.mod"))))
        // Counted in the file with awk: 192 lines in its require blocks, 105 of them "// indirect".
        #expect(prometheus.requirements.count == 192)
        #expect(prometheus.requirements.filter(\.isIndirect).count == 105)
        let etcd = GoModFile(parsing: Array(try Data(contentsOf: root.appendingPathComponent("etcd-v3.5.0/go.mod"))))
        #expect(etcd.module?.path == "go.etcd.io/etcd/v3")
        #expect(etcd.requirements.count == 18)
        #expect(etcd.replacements.count == 10)
    }
}
