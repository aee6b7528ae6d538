/// ASCII case folding on bytes.
enum ByteCase {
    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 { b &- 65 < 26 ? b | 0x20 : b }
}

/// An immutable hash table from byte strings to short lists of values (languages, rule indices).
///
/// Lookups take raw bytes, optionally folding ASCII case, and never allocate: file names come
/// straight from `readdir` buffers and need not be UTF-8.
struct ByteKeyTable<Value: Hashable & Sendable>: Sendable {
    private var slots: [Int32]
    private var keyBytes: [UInt8] = []
    private var keyRanges: [Range<Int>] = []
    private var valueRanges: [Range<Int>] = []
    private var values: [Value] = []
    private let mask: Int
    /// Whether lookups fold ASCII letters to lower case (keys are stored lowercased).
    let foldsCase: Bool

    /// - Parameters:
    ///   - entries: keys and their languages; duplicate keys merge their lists in order.
    ///   - foldsCase: whether keys are matched case-insensitively (ASCII).
    init(_ entries: [(String, Value)], foldsCase: Bool) {
        self.foldsCase = foldsCase
        // Built at every start (the language table's six tables hold ~2,500 keys), so built
        // straight into the open-addressing table: one reused key buffer, no dictionary of arrays.
        var capacity = 16
        while capacity < entries.count * 2 { capacity <<= 1 }
        mask = capacity - 1
        var slots = [Int32](repeating: -1, count: capacity)
        var keyBytes: [UInt8] = []
        keyBytes.reserveCapacity(entries.count * 8)
        var keyRanges: [Range<Int>] = []
        keyRanges.reserveCapacity(entries.count)
        // Each entry's key number; values are then laid out key by key (no array per key: the
        // ~2,500 keys of the language table's six tables are built at every start).
        var keyOf = [Int32](repeating: 0, count: entries.count)
        var key: [UInt8] = []
        for (index, (name, _)) in entries.enumerated() {
            key.removeAll(keepingCapacity: true)
            key.append(contentsOf: name.utf8)
            if foldsCase { for i in key.indices { key[i] = ByteCase.lower(key[i]) } }
            var slot = key.withUnsafeBufferPointer { Self.hash($0, fold: false) } & mask
            var found = -1
            while slots[slot] >= 0 {
                let entry = Int(slots[slot])
                if keyBytes[keyRanges[entry]].elementsEqual(key) {
                    found = entry
                    break
                }
                slot = (slot + 1) & mask
            }
            if found < 0 {
                found = keyRanges.count
                slots[slot] = Int32(found)
                keyRanges.append(keyBytes.count ..< keyBytes.count + key.count)
                keyBytes.append(contentsOf: key)
            }
            keyOf[index] = Int32(found)
        }
        // Room for every entry's value under its key, in entry order; duplicate keys merge their
        // lists in order, each value once (a key's room may then keep unused places).
        var start = [Int](repeating: 0, count: keyRanges.count + 1)
        for k in keyOf { start[Int(k) + 1] += 1 }
        for k in 0 ..< keyRanges.count { start[k + 1] += start[k] }
        var end = Array(start.dropLast())
        var values: [Value] = []
        if let first = entries.first?.1 {
            values = Array(repeating: first, count: entries.count)
            for (index, (_, value)) in entries.enumerated() {
                let k = Int(keyOf[index])
                if !values[start[k] ..< end[k]].contains(value) {
                    values[end[k]] = value
                    end[k] += 1
                }
            }
        }
        self.valueRanges = (0 ..< keyRanges.count).map { start[$0] ..< end[$0] }
        self.values = values
        self.slots = slots
        self.keyBytes = keyBytes
        self.keyRanges = keyRanges
    }

    @inline(__always)
    private static func hash(_ key: UnsafeBufferPointer<UInt8>, fold: Bool) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key {
            h = (h ^ UInt64(fold ? ByteCase.lower(b) : b)) &* 0x0000_0100_0000_01b3
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// The languages listed under `key`, or an empty slice.
    ///
    /// - Complexity: O(`key.count`) expected; no allocation.
    func lookup(_ key: UnsafeBufferPointer<UInt8>) -> ArraySlice<Value> {
        values[range(key)]
    }

    /// Where the values listed under `key` are (``value(at:)``); empty when there are none.
    /// Unlike ``lookup(_:)-(UnsafeBufferPointer<UInt8>)`` it hands out no slice of the shared
    /// storage, so it does no reference counting (which, on two threads, costs more than the lookup).
    func range(_ key: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var slot = Self.hash(key, fold: foldsCase) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { return 0 ..< 0 }
            let range = keyRanges[entry]
            if range.count == key.count && keysEqual(range, key) {
                return valueRanges[entry]
            }
            slot = (slot + 1) & mask
        }
    }

    func value(at index: Int) -> Value { values[index] }

    func lookup(_ key: String) -> ArraySlice<Value> {
        var key = key
        return key.withUTF8 { lookup($0) }
    }

    @inline(__always)
    private func keysEqual(_ range: Range<Int>, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = range.lowerBound
        for b in key {
            let c = foldsCase ? ByteCase.lower(b) : b
            if keyBytes[i] != c { return false }
            i += 1
        }
        return true
    }
}
