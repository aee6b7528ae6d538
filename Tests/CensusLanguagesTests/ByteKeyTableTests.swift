@testable import CensusLanguages
import Testing

@Suite("Byte-keyed tables")
struct ByteKeyTableTests {
    func values(_ table: ByteKeyTable<Int>, _ key: String) -> [Int] { Array(table.lookup(key)) }

    @Test func duplicateKeysMergeInOrderEachValueOnce() {
        let table = ByteKeyTable([("a", 1), ("b", 2), ("a", 3), ("a", 1), ("A", 4), ("b", 2), ("c", 5)], foldsCase: false)
        #expect(values(table, "a") == [1, 3])
        #expect(values(table, "A") == [4])
        #expect(values(table, "b") == [2])
        #expect(values(table, "c") == [5])
        #expect(values(table, "d") == [])
        #expect(values(table, "") == [])
    }

    @Test func foldingCase() {
        let table = ByteKeyTable([(".Go", 1), (".go", 2), (".GO", 1)], foldsCase: true)
        #expect(values(table, ".gO") == [1, 2])
        #expect(values(table, ".g") == [])
    }

    @Test func emptyTable() {
        let table = ByteKeyTable<Int>([], foldsCase: false)
        #expect(values(table, "a") == [])
    }

    /// Against a reference built with a dictionary of arrays, on random keys with many repeats.
    @Test func agreesWithAReference() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<50 {
            let fold = round % 2 == 0
            var entries: [(String, Int)] = []
            for _ in 0..<Int.random(in: 0...300, using: &generator) {
                let key = String((0..<Int.random(in: 0...3, using: &generator)).map { _ in "aAbB.".randomElement(using: &generator)! })
                entries.append((key, Int.random(in: 0...5, using: &generator)))
            }
            var reference: [String: [Int]] = [:]
            for (key, value) in entries {
                let k = fold ? key.lowercased() : key
                if !(reference[k]?.contains(value) ?? false) { reference[k, default: []].append(value) }
            }
            let table = ByteKeyTable(entries, foldsCase: fold)
            for key in ["", "a", "A", "ab", "aB", "b.", ".", "B.A", "zz"] {
                #expect(values(table, key) == reference[fold ? key.lowercased() : key] ?? [], "\(key) in \(entries)")
            }
        }
    }
}
