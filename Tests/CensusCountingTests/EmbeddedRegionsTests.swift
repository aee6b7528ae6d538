import CensusCounting
import CensusLanguages
import Foundation
import Testing

/// Embedded languages (docs/counting.md): which parts of an HTML-family file are counted with
/// which language's rules. Expected counts worked out by hand, line by line (comments in each case).
@Suite("Embedded languages")
struct EmbeddedRegionsTests {
    static func id(_ name: String) -> LanguageID { LanguageTable.named(name)!.id }

    static func count(_ text: String, _ language: String) -> (LineCounts, [String: LineCounts]) {
        let l = id(language)
        let rule = LanguageTable[l].syntax.embedding!
        let (counts, parts) = Array(text.utf8).withUnsafeBytes {
            EmbeddedRegions.count($0, language: l, rule: rule, counter: LineCounter())
        }
        var byName: [String: LineCounts] = [:]
        for p in parts { byName[LanguageTable[p.language].name] = p.counts }
        return (counts, byName)
    }

    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: FixtureTests.directory.appendingPathComponent(name), encoding: .utf8)
    }

    // page2.html: JavaScript lines 4–7 (1 code, 3 comments) and 19 (comment); CSS lines 11–12;
    // JSON line 15. The tag lines stay HTML.
    @Test func htmlFixtureParts() throws {
        let (_, parts) = Self.count(try Self.fixture("page2.html"), "HTML")
        #expect(parts == [
            "JavaScript": LineCounts(code: 1, comments: 4, blanks: 0), "CSS": LineCounts(code: 1, comments: 1, blanks: 0),
            "JSON": LineCounts(code: 1, comments: 0, blanks: 0),
        ])
    }

    // component.vue: TypeScript lines 7–8, SCSS lines 11–14; the template is the file's own.
    @Test func vueFixtureParts() throws {
        let (_, parts) = Self.count(try Self.fixture("component.vue"), "Vue")
        #expect(parts == ["TypeScript": LineCounts(code: 1, comments: 1, blanks: 0), "SCSS": LineCounts(code: 2, comments: 2, blanks: 0)])
    }

    // page.php: the HTML around the PHP blocks is embedded HTML: lines 1, 3, 7, 8, 9, 10 code,
    // line 2 a comment; PHP's own lines (4–6, 11–12) are the file's language.
    @Test func phpFixtureParts() throws {
        let (counts, parts) = Self.count(try Self.fixture("page.php"), "PHP")
        #expect(counts == LineCounts(code: 8, comments: 4, blanks: 0))
        #expect(parts == ["HTML": LineCounts(code: 6, comments: 1, blanks: 0)])
    }

    // view.html.erb: Ruby lines 4–5 (a comment, then code).
    @Test func erbFixtureParts() throws {
        let (_, parts) = Self.count(try Self.fixture("view.html.erb"), "HTML+ERB")
        #expect(parts == ["Ruby": LineCounts(code: 1, comments: 1, blanks: 0)])
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var language: String
        var text: String
        var counts: LineCounts
        var parts: [String: LineCounts]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // `</script` ends the script even inside a JavaScript string (as browsers read it): line 2
        // holds the end tag (HTML, code); "// c" is then HTML text (code); the last line code.
        Case(
            name: "end tag inside a string", language: "HTML", text: "<script>\nvar s = \"</script>\";\n// c\n</script>\n",
            counts: LineCounts(code: 4, comments: 0, blanks: 0), parts: [:]),
        // A template script is HTML: "// c" is text, code.
        Case(
            name: "text/x-template stays HTML", language: "HTML",
            text: "<script type=\"text/x-template\">\n// c\n</script>\n", counts: LineCounts(code: 3, comments: 0, blanks: 0), parts: [:]),
        // Unquoted and single-quoted attributes; the language from `lang` before `type`.
        Case(
            name: "unquoted type", language: "HTML", text: "<script type=module>\n// c\n</script>\n",
            counts: LineCounts(code: 2, comments: 1, blanks: 0), parts: ["JavaScript": LineCounts(code: 0, comments: 1, blanks: 0)]),
        Case(
            name: "lang before type", language: "Svelte", text: "<script type='text/javascript' lang='ts'>\n// c\nlet x: number\n</script>\n",
            counts: LineCounts(code: 3, comments: 1, blanks: 0), parts: ["TypeScript": LineCounts(code: 1, comments: 1, blanks: 0)]),
        // Comment-like text inside an attribute value is not a comment, and `>` inside it does not
        // end the tag: the tag spans lines 1–2; line 3 is JavaScript.
        Case(
            name: "attribute values", language: "HTML", text: "<script data-x=\"a > b /* c\"\n  src=\"x.js\">\n// c\n</script>\n",
            counts: LineCounts(code: 3, comments: 1, blanks: 0), parts: ["JavaScript": LineCounts(code: 0, comments: 1, blanks: 0)]),
        // A tag inside an HTML comment is no tag: "// c" is HTML text inside the comment.
        Case(
            name: "tag inside an HTML comment", language: "HTML", text: "<!--\n<script>\n// c\n</script>\n-->\n",
            counts: LineCounts(code: 0, comments: 5, blanks: 0), parts: [:]),
        // `<scripts>` is not a script tag.
        Case(
            name: "not a script tag", language: "HTML", text: "<scripts>\n// c\n</scripts>\n",
            counts: LineCounts(code: 3, comments: 0, blanks: 0), parts: [:]),
        // A script with no end tag runs to the end of the file.
        Case(
            name: "unclosed script", language: "HTML", text: "<script>\n// c\nx()\n",
            counts: LineCounts(code: 2, comments: 1, blanks: 0), parts: ["JavaScript": LineCounts(code: 1, comments: 1, blanks: 0)]),
        // Content on the tag lines stays with them (code); blank lines inside the script are blank.
        Case(
            name: "content on tag lines", language: "HTML", text: "<script>var a;\n\n// c\nb(); </script>\n",
            counts: LineCounts(code: 2, comments: 1, blanks: 1), parts: ["JavaScript": LineCounts(code: 0, comments: 1, blanks: 1)]),
        // PHP: a `?>` on the same line as `<?php` leaves no PHP lines; `#` in HTML text is code.
        Case(
            name: "one-line PHP block", language: "PHP", text: "<p><?php echo 1; ?></p>\n# text\n",
            counts: LineCounts(code: 2, comments: 0, blanks: 0), parts: ["HTML": LineCounts(code: 2, comments: 0, blanks: 0)]),
        // A PHP file that never leaves PHP: only its first line is HTML.
        Case(
            name: "pure PHP", language: "PHP", text: "<?php\n// c\n$x = 1;\n",
            counts: LineCounts(code: 2, comments: 1, blanks: 0), parts: ["HTML": LineCounts(code: 1, comments: 0, blanks: 0)]),
        // EEX: `<%#` is a comment of the file's own; a multi-line `<% %>` block is Elixir.
        Case(
            name: "EEX block", language: "HTML+EEX", text: "<%# note %>\n<%\n  # c\n  x = 1\n%>\n",
            counts: LineCounts(code: 3, comments: 2, blanks: 0), parts: ["Elixir": LineCounts(code: 1, comments: 1, blanks: 0)]),
    ]

    @Test(arguments: cases)
    func counts(_ c: Case) {
        let (counts, parts) = Self.count(c.text, c.language)
        #expect(counts == c.counts)
        #expect(parts == c.parts)
    }
}
