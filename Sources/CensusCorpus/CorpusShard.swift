/// One of `count` stable parts of a manifest, chosen by a hash of each repository's key, for
/// spreading a corpus over machines (`--shard 2/4`).
///
/// A repository's shard depends only on its ``CorpusEntry/key`` and the shard count: not on the
/// manifest's order, its other entries, the machine or the release. `https://github.com/a/b` and
/// `git@github.com:a/b.git` have one key and so one shard. The `count` shards of a manifest are
/// disjoint and together hold every entry.
///
/// The hash is FNV-1a 64 over the key's UTF-8 bytes; the shard is `⌊hash × count / 2⁶⁴⌋ + 1`, which
/// reads the hash's high bits. (Not `hash % count`: FNV-1a's low bits mix poorly, bit k depending
/// only on bits 0…k of the input, and on the 2026 landscape `% 4` gave shards of 185, 361, 204 and
/// 266 repositories where the high bits give 261, 258, 250 and 247.)
public struct CorpusShard: Sendable, Hashable, CustomStringConvertible {
    /// The shard, from 1 to ``count``.
    public let index: Int
    /// How many shards the manifest is split into.
    public let count: Int

    /// The shard `index` of `count` (1-based, as in `1/4` … `4/4`).
    ///
    /// - Throws: ``CorpusError`` with ``CorpusError/Code/invalidShard`` unless `1 ≤ index ≤ count`.
    public init(index: Int, count: Int) throws(CorpusError) {
        let text = "\(index)/\(count)"
        guard count >= 1 else {
            throw CorpusError(.invalidShard, input: text, message: "the shard count must be at least 1")
        }
        guard (1...count).contains(index) else {
            throw CorpusError(
                .invalidShard, input: text,
                message: "no shard \(index) of \(count): shards are numbered from 1, use 1/\(count) through \(count)/\(count)")
        }
        self.index = index
        self.count = count
    }

    /// Parses `I/N`, such as `2/4` (spaces around the numbers allowed).
    ///
    /// - Throws: ``CorpusError`` with ``CorpusError/Code/invalidShard`` saying what is wrong.
    public init(parsing text: String) throws(CorpusError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        func number(_ part: Substring) -> Int? {
            let digits = part.trimmingPadding()
            guard !digits.isEmpty, digits.utf8.count <= 9, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                return nil
            }
            return Int(digits)
        }
        guard parts.count == 2, let index = number(parts[0]), let count = number(parts[1]) else {
            throw CorpusError(
                .invalidShard, input: text,
                message: "expected a shard as I/N, the I-th of N shards counted from 1 (such as 1/4 through 4/4)")
        }
        try self.init(index: index, count: count)
    }

    /// `I/N`.
    public var description: String { "\(index)/\(count)" }

    /// Whether `entry` belongs to this shard.
    public func contains(_ entry: CorpusEntry) -> Bool {
        contains(key: entry.key)
    }

    /// Whether the repository with this ``CorpusEntry/key`` belongs to this shard.
    public func contains(key: String) -> Bool {
        Self.index(forKey: key, count: count) == index
    }

    /// The shard (from 1) a key falls in when a manifest is split into `count` shards.
    public static func index(forKey key: String, count: Int) -> Int {
        guard count > 1 else { return 1 }
        return Int(UInt64(count).multipliedFullWidth(by: hash(key)).high) + 1
    }

    /// FNV-1a 64 of the key's UTF-8 bytes: offset basis `0xcbf29ce484222325`, prime
    /// `0x100000001b3`. Fixed forever: changing it would move repositories between shards.
    public static func hash(_ key: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
