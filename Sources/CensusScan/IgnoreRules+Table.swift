/// A hash table from byte strings to the last rule with that literal, looked up without allocating.
///
/// Open addressing with linear probing over a power-of-two slot array, at most half full; keys live
/// back to back in one byte array. Each key keeps two rule indices: the last rule that applies to
/// files and directories alike, and the last one that applies to directories only (a pattern with a
/// trailing `/`).
struct IgnoreLiteralTable: Sendable {
    /// Collects keys before the table is laid out.
    struct Builder {
        fileprivate var entries: [[UInt8]: (any: Int, directoryOnly: Int)] = [:]

        /// Records that rule `rule` matches exactly `key`. Rules must be added in file order.
        mutating func add(_ key: [UInt8], rule: Int, directoryOnly: Bool) {
            var entry = entries[key] ?? (any: -1, directoryOnly: -1)
            if directoryOnly {
                entry.directoryOnly = rule
            } else {
                entry.any = rule
            }
            entries[key] = entry
        }
    }

    private struct Slot: Sendable {
        var start: Int32 = 0
        /// The key's length, or -1 for an empty slot.
        var length: Int32 = -1
        var hash: UInt32 = 0
        var anyRule: Int32 = -1
        var directoryRule: Int32 = -1
    }

    private let keys: [UInt8]
    private let slots: [Slot]
    /// The length of the longest key (0 when empty).
    let longestKey: Int

    /// An empty table.
    init() {
        keys = []
        slots = []
        longestKey = 0
    }

    /// Lays out the collected keys.
    init(_ builder: Builder) {
        var capacity = builder.entries.isEmpty ? 0 : 4
        while capacity < builder.entries.count * 2 { capacity <<= 1 }
        var slots: [Slot] = Array(repeating: Slot(), count: capacity)
        var keys: [UInt8] = []
        var longest = 0
        for (key, entry) in builder.entries {
            let hash = key.withUnsafeBufferPointer { Self.hash($0) }
            var index = Int(truncatingIfNeeded: hash) & (capacity - 1)
            while slots[index].length >= 0 { index = (index + 1) & (capacity - 1) }
            slots[index] = Slot(
                start: Int32(truncatingIfNeeded: keys.count), length: Int32(truncatingIfNeeded: key.count),
                hash: UInt32(truncatingIfNeeded: hash),
                anyRule: Int32(truncatingIfNeeded: entry.any),
                directoryRule: Int32(truncatingIfNeeded: entry.directoryOnly))
            keys.append(contentsOf: key)
            longest = max(longest, key.count)
        }
        self.keys = keys
        self.slots = slots
        self.longestKey = longest
    }

    /// Whether the table has no keys.
    var isEmpty: Bool { slots.isEmpty }

    /// The last rule whose literal is `key` and that applies to this kind of entry, or -1.
    @inline(__always)
    func lookup(_ key: UnsafeBufferPointer<UInt8>, isDirectory: Bool) -> Int {
        guard !slots.isEmpty, key.count <= longestKey else { return -1 }
        let hash = Self.hash(key)
        return slots.withUnsafeBufferPointer { slots in
            keys.withUnsafeBufferPointer { keys in
                let mask = slots.count - 1
                var index = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let slot = slots[index]
                    if slot.length < 0 { return -1 }
                    if slot.hash == UInt32(truncatingIfNeeded: hash) && Int(slot.length) == key.count
                        && Self.equal(keys, from: Int(slot.start), key)
                    {
                        let any = Int(slot.anyRule)
                        return isDirectory ? max(any, Int(slot.directoryRule)) : any
                    }
                    index = (index + 1) & mask
                }
            }
        }
    }

    /// Whether `keys[start...]` begins with `key`.
    @inline(__always)
    private static func equal(_ keys: UnsafeBufferPointer<UInt8>, from start: Int, _ key: UnsafeBufferPointer<UInt8>)
        -> Bool
    {
        guard start >= 0, start + key.count <= keys.count else { return false }
        var index = 0
        while index < key.count {
            if keys[start + index] != key[index] { return false }
            index += 1
        }
        return true
    }

    /// FNV-1a, 64-bit.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }
}
