import CensusCorpus
import Testing

@Suite("Shards")
struct ShardTests {
    @Test(arguments: [("1/4", 1, 4), ("4/4", 4, 4), (" 2 / 3 ", 2, 3), ("1/1", 1, 1)])
    func parses(_ text: String, _ index: Int, _ count: Int) throws {
        let shard = try CorpusShard(parsing: text)
        #expect(shard.index == index)
        #expect(shard.count == count)
        #expect(shard.description == "\(index)/\(count)")
    }

    @Test(arguments: [
        ("0/4", "no shard 0 of 4: shards are numbered from 1, use 1/4 through 4/4"),
        ("5/4", "no shard 5 of 4"),
        ("1/0", "the shard count must be at least 1"),
        ("1", "expected a shard as I/N"),
        ("a/b", "expected a shard as I/N"),
        ("-1/4", "expected a shard as I/N"),
        ("1/4/2", "expected a shard as I/N"),
        ("1/99999999999999999999", "expected a shard as I/N"),
        ("", "expected a shard as I/N"),
    ])
    func refuses(_ text: String, _ reason: String) {
        let error = #expect(throws: CorpusError.self) { try CorpusShard(parsing: text) }
        #expect(error?.code == .invalidShard)
        #expect(error?.message.hasPrefix(reason) == true, "\(String(describing: error))")
    }

    /// FNV-1a 64 test vectors from the algorithm's authors (isthe.com/chongo/tech/comp/fnv).
    @Test func hashVectors() {
        #expect(CorpusShard.hash("") == 0xcbf2_9ce4_8422_2325)
        #expect(CorpusShard.hash("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(CorpusShard.hash("foobar") == 0x8594_4171_f739_67e8)
    }

    @Test func equivalentURLsShareAShard() throws {
        let manifest = try CorpusManifest.parse("https://github.com/a/b\n", format: .plain)
        let other = try CorpusManifest.parse("git@github.com:A/b.git\n", format: .plain)
        for count in 1...16 {
            #expect(
                CorpusShard.index(forKey: manifest.entries[0].key, count: count)
                    == CorpusShard.index(forKey: other.entries[0].key, count: count))
        }
    }

    @Test func shardingKeepsDiagnosticsAndFiltersEntries() throws {
        let text = (1...200).map { "https://github.com/org\($0 % 7)/repo\($0)" }.joined(separator: "\n") + "\nftp://host/a/b\n"
        let manifest = try CorpusManifest.parse(text, format: .plain)
        try Self.expectPartition(manifest, counts: [1, 2, 3, 5, 8])
        #expect(manifest.entries.count == 200)
        #expect(manifest.diagnosticLines == ["201: error"])
        let part = manifest.sharded(try CorpusShard(index: 2, count: 3))
        #expect(part.diagnostics == manifest.diagnostics)
        #expect(part.entries.count < 200)
    }

    /// The `count` shards are pairwise disjoint and their union is the manifest, in order.
    static func expectPartition(_ manifest: CorpusManifest, counts: [Int], sourceLocation: SourceLocation = #_sourceLocation) throws {
        for count in counts {
            var seen: [String: Int] = [:]
            for index in 1...count {
                let shard = try CorpusShard(index: index, count: count)
                for entry in manifest.sharded(shard).entries {
                    #expect(seen[entry.key] == nil, "\(entry.key) in shards \(seen[entry.key] ?? 0) and \(index) of \(count)", sourceLocation: sourceLocation)
                    seen[entry.key] = index
                }
            }
            #expect(Set(seen.keys) == Set(manifest.entries.map(\.key)), sourceLocation: sourceLocation)
            #expect(seen.count == manifest.entries.count, sourceLocation: sourceLocation)
        }
    }
}
