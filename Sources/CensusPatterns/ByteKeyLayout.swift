/// The storage of an immutable open-addressing hash table from byte strings to short lists of
/// integers, as plain integer arrays: built at run time from entries, or written out as Swift
/// literals by a generator and read back without building anything.
///
/// CensusLanguages' `ByteKeyTable` looks language names, extensions, file names and interpreters
/// up in such tables; the language table's are generated beside it (`census-generate-languages`),
/// so that a start of the program builds none of them. The build is here, apart from the table
/// that uses it, so that the generator (which must not depend on the generated module) runs
/// exactly the same code.
public struct ByteKeyLayout: Equatable, Sendable {
    /// Whether keys are stored lowercased and lookups fold ASCII letters.
    public let foldsCase: Bool
    /// Open addressing, linear probing: a key's number, or -1 for an empty slot. The count is a
    /// power of two, at least twice the keys.
    public let slots: [Int32]
    /// The keys' bytes, key after key (key `k` is `keyStarts[k]..<keyStarts[k + 1]`).
    public let keyBytes: [UInt8]
    public let keyStarts: [Int32]
    /// Key `k`'s values are `values[valueStarts[k]..<valueEnds[k]]`.
    public let valueStarts: [Int32]
    public let valueEnds: [Int32]
    public let values: [Int32]

    /// A layout as written out by ``swiftLiteral()``.
    public init(
        foldsCase: Bool, slots: [Int32], keyBytes: String, keyStarts: [Int32], valueStarts: [Int32],
        valueEnds: [Int32], values: [Int32]
    ) {
        self.foldsCase = foldsCase
        self.slots = slots
        self.keyBytes = Array(keyBytes.utf8)
        self.keyStarts = keyStarts
        self.valueStarts = valueStarts
        self.valueEnds = valueEnds
        self.values = values
    }

    /// Builds the table.
    ///
    /// - Parameters:
    ///   - entries: keys and their values; a key listed again adds its value to the key's list
    ///     (in order, each value once).
    ///   - foldsCase: whether keys are matched ignoring ASCII case.
    public init(_ entries: [(String, Int32)], foldsCase: Bool) {
        self.foldsCase = foldsCase
        var capacity = 16
        while capacity < entries.count * 2 { capacity <<= 1 }
        let mask = capacity - 1
        var slots = [Int32](repeating: -1, count: capacity)
        var keyBytes: [UInt8] = []
        keyBytes.reserveCapacity(entries.count * 8)
        var keyStarts: [Int32] = [0]
        keyStarts.reserveCapacity(entries.count + 1)
        // Each entry's key number; values are then laid out key by key.
        var keyOf = [Int32](repeating: 0, count: entries.count)
        var key: [UInt8] = []
        for (index, (name, _)) in entries.enumerated() {
            key.removeAll(keepingCapacity: true)
            key.append(contentsOf: name.utf8)
            if foldsCase { for i in key.indices { key[i] = Self.lower(key[i]) } }
            var slot = key.withUnsafeBufferPointer { Self.hash($0, fold: false) } & mask
            var found = -1
            while slots[slot] >= 0 {
                let entry = Int(slots[slot])
                if keyBytes[Int(keyStarts[entry])..<Int(keyStarts[entry + 1])].elementsEqual(key) {
                    found = entry
                    break
                }
                slot = (slot + 1) & mask
            }
            if found < 0 {
                found = keyStarts.count - 1
                slots[slot] = Int32(found)
                keyBytes.append(contentsOf: key)
                keyStarts.append(Int32(keyBytes.count))
            }
            keyOf[index] = Int32(found)
        }
        let keyCount = keyStarts.count - 1
        // Room for every entry's value under its key, in entry order; a key's room may keep
        // unused places when it was listed twice with the same value.
        var start = [Int32](repeating: 0, count: keyCount + 1)
        for k in keyOf { start[Int(k) + 1] += 1 }
        for k in 0..<keyCount { start[k + 1] += start[k] }
        var end = Array(start.dropLast())
        var values = [Int32](repeating: 0, count: entries.count)
        for (index, (_, value)) in entries.enumerated() {
            let k = Int(keyOf[index])
            if !values[Int(start[k])..<Int(end[k])].contains(value) {
                values[Int(end[k])] = value
                end[k] += 1
            }
        }
        self.slots = slots
        self.keyBytes = keyBytes
        self.keyStarts = keyStarts
        self.valueStarts = Array(start.dropLast())
        self.valueEnds = end
        self.values = values
    }

    /// The number of distinct keys.
    public var keyCount: Int { keyStarts.count - 1 }

    @inline(__always)
    public static func lower(_ b: UInt8) -> UInt8 { b &- 65 < 26 ? b | 0x20 : b }

    /// FNV-1a over the bytes (folded when `fold`), with a final mix of the high bits.
    @inline(__always)
    public static func hash(_ key: UnsafeBufferPointer<UInt8>, fold: Bool) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key {
            h = (h ^ UInt64(fold ? lower(b) : b)) &* 0x0000_0100_0000_01b3
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// Where the values of `key` are in ``values`` (empty when there are none). No allocation.
    @inline(__always)
    public func range(_ key: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let mask = slots.count - 1
        var slot = Self.hash(key, fold: foldsCase) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { return 0..<0 }
            let start = Int(keyStarts[entry])
            if Int(keyStarts[entry + 1]) - start == key.count && keyEqual(start, key) {
                return Int(valueStarts[entry])..<Int(valueEnds[entry])
            }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    private func keyEqual(_ start: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = start
        for b in key {
            if keyBytes[i] != (foldsCase ? Self.lower(b) : b) { return false }
            i += 1
        }
        return true
    }

    /// The Swift expression that recreates this layout (``init(foldsCase:slots:keyBytes:keyStarts:valueStarts:valueEnds:values:)``),
    /// `indent` spaces before each continuation line. The key bytes are a string literal (keys
    /// are UTF-8: they come from strings, and lowercasing ASCII letters keeps them so).
    public func swiftLiteral(indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        func ints(_ values: [Int32]) -> String {
            var out = "["
            for (i, v) in values.enumerated() {
                if i > 0 { out += i % 24 == 0 ? ",\n\(pad)    " : ", " }
                out += String(v)
            }
            return out + "]"
        }
        var text = ""
        for scalar in String(decoding: keyBytes, as: UTF8.self).unicodeScalars {
            switch scalar {
            case "\\": text += "\\\\"
            case "\"": text += "\\\""
            case " "..."~": text.unicodeScalars.append(scalar)
            default: text += "\\u{\(String(scalar.value, radix: 16))}"
            }
        }
        return """
            ByteKeyLayout(
            \(pad)    foldsCase: \(foldsCase),
            \(pad)    slots: \(ints(slots)),
            \(pad)    keyBytes: "\(text)",
            \(pad)    keyStarts: \(ints(keyStarts)),
            \(pad)    valueStarts: \(ints(valueStarts)),
            \(pad)    valueEnds: \(ints(valueEnds)),
            \(pad)    values: \(ints(values)))
            """
    }
}
