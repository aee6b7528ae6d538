// Fuzz target: repository manifests (plain, CSV, TSV, CNCF landscape YAML through Yams) and
// org→company maps.
//
// Input: one selector byte (0: detect the format from the content, 1-4: plain, csv, tsv,
// landscape, 5: a company map), then the file. Checks that the parse either succeeds or throws a
// `CorpusError`, that every entry and diagnostic names a line of the file, and that sharding the
// manifest into 3 shards partitions its entries.
import CensusCorpus
import CensusFuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifests(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let selector = Int(input.byte() % 6)
    let bytes = [UInt8](input.rest())
    var breaks = 1
    for b in bytes where b == 0x0A || b == 0x0D { breaks += 1 }
    if selector == 5 {
        _ = CompanyMap.parse(bytes: bytes, origin: "fuzz/companies.csv")
        return 0
    }
    let format: CorpusManifest.Format? = selector == 0 ? nil : CorpusManifest.Format.allCases[selector - 1]
    let manifest: CorpusManifest
    do {
        manifest = try CorpusManifest.parse(bytes: bytes, origin: "fuzz/manifest", format: format)
    } catch {
        _ = "\(error)"
        return 0
    }
    for entry in manifest.entries {
        fuzzCheck(entry.source.line >= 1 && entry.source.line <= breaks, "entry on line \(entry.source.line) of \(breaks)")
    }
    for d in manifest.diagnostics {
        fuzzCheck(d.location.line >= 0 && d.location.line <= breaks, "diagnostic on line \(d.location.line) of \(breaks): \(d)")
    }
    var sharded = 0
    for index in 1...3 {
        if let shard = try? CorpusShard(index: index, count: 3) { sharded += manifest.sharded(shard).entries.count }
    }
    fuzzCheck(sharded == manifest.entries.count, "3 shards hold \(sharded) of \(manifest.entries.count) entries")
    return 0
}

@main enum Main {
    static func main() {
        FuzzMain.run(
            FuzzTarget(
                name: "FuzzManifests",
                fixtureDirectories: ["Tests/CensusCorpusTests/Fixtures"]
            ) { path, bytes in
                if path.hasSuffix("companies.csv") { return [[5] + bytes] }
                let format = CorpusManifest.Format(path: path)
                let index = format.flatMap { CorpusManifest.Format.allCases.firstIndex(of: $0) }.map { UInt8($0 + 1) } ?? 0
                return [[index] + bytes, [0] + bytes]
            },
            fuzzManifests)
    }
}
