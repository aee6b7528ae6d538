import Testing

@testable import CensusGoSource

/// go/parser's `isValidImport` (Go 1.19): every character graphic (unicode.IsGraphic), not white
/// space, and none of !"#$%&'()*,:;<=>?[\]^{|}` or U+FFFD. Each expectation below follows from
/// that rule by hand; the ASCII table is checked character by character against it.
@Suite struct GoImportPathTests {
    @Test func validPaths() {
        for path in ["fmt", "github.com/a/b", "golang.org/x/net/http2", "a-b_c.d~e/f+g@v1", "héllo/世界", "./x", "../y"] {
            #expect(GoStringLiteral.isValidImportPath(path), "\(path)")
        }
    }

    @Test func invalidPaths() {
        for path in ["", "a b", "a\tb", "a:b", "a\"b", "a\\b", "a`b", "a{b}", "a\u{7F}", "a\u{0}", "a\u{FFFD}",
                     "a\u{2028}b", "a\u{00A0}b", "a\u{200B}b", "a\u{E000}"] {
            #expect(!GoStringLiteral.isValidImportPath(path), "\(path.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func everyASCIICharacterAsGoDecidesIt() {
        let illegal = Set("!\"#$%&'()*,:;<=>?[\\]^{|}`".unicodeScalars.map(\.value))
        for value in UInt32(0)..<0x80 {
            let scalar = Unicode.Scalar(value)!
            // Graphic and not space in ASCII: 0x21...0x7E.
            let expected = (0x21...0x7E).contains(value) && !illegal.contains(value)
            #expect(GoStringLiteral.isValidImportPath("a" + String(Character(scalar)) + "b") == expected, "\(value)")
        }
    }
}
