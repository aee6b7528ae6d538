import Testing

@testable import CensusLanguages

@Suite struct LanguageSuggestionTests {
    @Test func editDistanceCountsInsertionsDeletionsSubstitutionsAndSwaps() {
        func d(_ a: String, _ b: String) -> Int {
            LanguageTable.editDistance(Array(a.unicodeScalars), Array(b.unicodeScalars))
        }
        #expect(d("", "") == 0)
        #expect(d("go", "") == 2)
        #expect(d("pyhton", "python") == 1)  // h and t swapped
        #expect(d("rust", "rusty") == 1)
        #expect(d("kotlin", "kotlni") == 1)
        #expect(d("kitten", "sitting") == 3)  // k→s, e→i, +g
        #expect(d("cobol", "cobol") == 0)
    }

    @Test func closestNamesPutTheNearestFirst() {
        // golang2 is one insertion from Go's alias golang.
        #expect(LanguageTable.closestNames(to: "golang2").first == "Go")
        #expect(LanguageTable.closestNames(to: "Typscript").first == "TypeScript")  // one insertion
        #expect(LanguageTable.closestNames(to: "Javscript").first == "JavaScript")
        #expect(LanguageTable.closestNames(to: "HASKEL").first == "Haskell")
        // "Pyhton": Python (1 swap) before the two at distance 2, in name order.
        #expect(LanguageTable.closestNames(to: "Pyhton") == ["Python", "Cython", "Python console"])
    }

    @Test func nothingCloseGivesNoSuggestion() {
        #expect(LanguageTable.closestNames(to: "qqqqqqqqqq").isEmpty)
        #expect(LanguageTable.closestNames(to: "").isEmpty)
    }

    @Test func suggestionsAreKnownCanonicalNames() {
        for name in LanguageTable.closestNames(to: "Rubby", limit: 10) {
            #expect(LanguageTable.named(name)?.name == name)
        }
        #expect(LanguageTable.closestNames(to: "Rubby", limit: 2).count <= 2)
    }
}
