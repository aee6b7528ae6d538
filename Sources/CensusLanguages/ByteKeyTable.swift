import CensusPatterns

/// What a ``ByteKeyTable`` maps keys to: a small integer in its layout.
protocol ByteKeyTableValue: Hashable, Sendable {
    init(tableValue: Int32)
    var tableValue: Int32 { get }
}

extension LanguageID: ByteKeyTableValue {
    init(tableValue: Int32) { self.init(rawValue: UInt16(tableValue)) }
    var tableValue: Int32 { Int32(rawValue) }
}

extension Int: ByteKeyTableValue {
    init(tableValue: Int32) { self = Int(tableValue) }
    var tableValue: Int32 { Int32(self) }
}

/// An immutable hash table from byte strings to short lists of values (languages, rule indices).
///
/// Lookups take raw bytes, optionally folding ASCII case, and never allocate: file names come
/// straight from `readdir` buffers and need not be UTF-8. The storage is a ``ByteKeyLayout``:
/// built from entries, or generated ahead (the language table's, `LanguageIndexes+Generated.swift`).
struct ByteKeyTable<Value: ByteKeyTableValue>: Sendable {
    let layout: ByteKeyLayout
    private let values: [Value]
    /// Whether lookups fold ASCII letters to lower case (keys are stored lowercased).
    var foldsCase: Bool { layout.foldsCase }

    /// - Parameters:
    ///   - entries: keys and their values; duplicate keys merge their lists in order.
    ///   - foldsCase: whether keys are matched case-insensitively (ASCII).
    init(_ entries: [(String, Value)], foldsCase: Bool) {
        self.init(ByteKeyLayout(entries.map { ($0.0, $0.1.tableValue) }, foldsCase: foldsCase))
    }

    /// A table over a layout built or generated earlier.
    init(_ layout: ByteKeyLayout) {
        self.layout = layout
        values = layout.values.map(Value.init(tableValue:))
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
    @inline(__always)
    func range(_ key: UnsafeBufferPointer<UInt8>) -> Range<Int> { layout.range(key) }

    func value(at index: Int) -> Value { values[index] }

    func lookup(_ key: String) -> ArraySlice<Value> {
        var key = key
        return key.withUTF8 { lookup($0) }
    }
}
