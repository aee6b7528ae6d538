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

@Suite("Generated language indexes")
struct GeneratedIndexTests {
    /// The generated layouts are the ones the table itself gives: same entries, same order, same
    /// slots (so also the same lookups).
    @Test func generatedLayoutsEqualLayoutsBuiltFromTheTable() {
        let built = LanguageTable.IndexLayouts(
            languages: LanguageTable.all, extensionDefaults: LanguageTable.extensionDefaults,
            interpreterDefaults: LanguageTable.interpreterDefaults, filenameDefaults: LanguageTable.filenameDefaults)
        let generated = LanguageTable.generatedIndexLayouts
        #expect(built.byName == generated.byName)
        #expect(built.extensions == generated.extensions)
        #expect(built.filenames == generated.filenames)
        #expect(built.interpreters == generated.interpreters)
        #expect(built.longestExtension == generated.longestExtension)
        #expect(built.extensionDefaults == generated.extensionDefaults)
        #expect(built.interpreterDefaults == generated.interpreterDefaults)
        #expect(built.filenameDefaults == generated.filenameDefaults)
        // Linguist 9.6: 829 names; the longest extension is ".sublime-color-scheme".
        #expect(generated.byName.keyCount == 829 && generated.longestExtension == ".sublime-color-scheme".utf8.count)
    }

    /// Lookups in the generated indexes, against the table's own lists.
    @Test func lookupsAgreeWithTheTable() {
        let indexes = LanguageTable.Indexes()
        for language in LanguageTable.all {
            #expect(Array(indexes.byName.lookup(language.name)) == [language.id])
            #expect(LanguageTable.named(language.name)?.id == language.id)
            for e in language.extensions {
                #expect(indexes.extensions.lookup(e).contains(language.id))
                #expect(indexes.extensions.lookup(e.uppercased()).contains(language.id))
            }
            for f in language.filenames { #expect(indexes.filenames.lookup(f).contains(language.id)) }
            for i in language.interpreters { #expect(indexes.interpreters.lookup(i).contains(language.id)) }
        }
        #expect(indexes.extensions.lookup(".go").map { LanguageTable[$0].name } == ["Go"])
        // Data/languages.yml's extension_defaults: ".h" is C (looked up ignoring case).
        #expect(indexes.extensionDefaults.lookup(".H").map { LanguageTable[$0].name } == ["C"])
        #expect(indexes.byName.lookup("go").isEmpty && LanguageTable.named("go")?.name == "Go")
    }
}

@Suite("Prefilter literal numbering")
struct LiteralNumberingTests {
    /// Numbers in order of first appearance, each (bytes, case rule) pair once, through growth,
    /// against a dictionary reference.
    @Test func numbersAgreeWithAReference() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<40 {
            var numbering = LiteralNumbering(capacity: round % 5)
            var reference: [[UInt8]: Int] = [:]
            var order: [(bytes: [UInt8], caseInsensitive: Bool)] = []
            for _ in 0..<Int.random(in: 0...400, using: &generator) {
                let bytes = (0..<Int.random(in: 0...4, using: &generator)).map { _ in UInt8.random(in: 97...99, using: &generator) }
                let fold = Bool.random(using: &generator)
                let key = [fold ? 1 : 0] + bytes
                let expected = reference[key]
                let (number, isNew) = numbering.number(bytes, fold)
                if let expected {
                    #expect(number == expected && !isNew)
                } else {
                    #expect(number == order.count && isNew)
                    reference[key] = order.count
                    order.append((bytes, fold))
                }
            }
            #expect(numbering.literals.map { [$0.caseInsensitive ? 1 : 0] + $0.bytes } == order.map { [$0.caseInsensitive ? 1 : 0] + $0.bytes })
        }
    }
}

@Suite("Language numbers by name")
struct LanguageIDByNameTests {
    /// `id(named:)` is `named(_:)?.id`: exact names, then names and aliases ignoring case.
    @Test func agreesWithNamed() {
        for language in LanguageTable.all {
            #expect(LanguageTable.id(named: language.name) == language.id)
            for alias in language.aliases { #expect(LanguageTable.id(named: alias) == LanguageTable.named(alias)?.id) }
        }
        for name in ["golang", "C++", "c++", "XML", "Roff Manpage", "no such language", ""] {
            #expect(LanguageTable.id(named: name) == LanguageTable.named(name)?.id, "\(name)")
        }
        #expect(LanguageTable.id(named: "golang").map { LanguageTable[$0].name } == "Go")
    }
}
