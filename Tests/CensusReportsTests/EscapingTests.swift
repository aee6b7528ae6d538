import CensusReports
import Foundation
import Testing

/// Hostile names (terminal escape sequences, OSC 8 links, bidi overrides, NUL, invalid UTF-8, very
/// long names) in every output. The expected strings are written out by hand from the rules in
/// docs/reliability.md ("Untrusted text in every output").
@Suite("escaping untrusted text", .serialized)
struct EscapingTests {
    static let clear: [UInt8] = Array("evil\u{1B}[2J.c".utf8)  // ESC [ 2 J: clear the screen
    // OSC 8 hyperlink: ESC ] 8 ; ; URL ESC \ text ESC ] 8 ; ; ESC \
    static let link: [UInt8] = Array("\u{1B}]8;;https://evil.example/\u{1B}\\safe.c\u{1B}]8;;\u{1B}\\".utf8)
    static let bidi: [UInt8] = Array("invoice\u{202E}cod.exe".utf8)  // shows as "invoiceexe.doc"
    static let nul: [UInt8] = [0x61, 0x00, 0x62]
    static let latin1: [UInt8] = [0x63, 0x61, 0x66, 0xE9, 0x2E, 0x63]  // "caf\xE9.c"
    static let csi: [UInt8] = [0x61, 0xC2, 0x9B, 0x32, 0x4A]  // U+009B, the one-character CSI, then "2J"

    @Test func tablesShowControlsBidiAndInvalidBytesAsEscapes() {
        #expect(Escaping.display(Self.clear) == "evil\\x1B[2J.c")
        #expect(Escaping.display(Self.link) == "\\x1B]8;;https://evil.example/\\x1B\\safe.c\\x1B]8;;\\x1B\\")
        #expect(Escaping.display(Self.bidi) == "invoice\\u{202E}cod.exe")
        #expect(Escaping.display(Self.nul) == "a\\x00b")
        #expect(Escaping.display(Self.latin1) == "caf\\xE9.c")
        #expect(Escaping.display(Self.csi) == "a\\u{9B}2J")
        #expect(Escaping.display([0x07, 0x08, 0x7F, 0x0A, 0x0D, 0x09]) == "\\x07\\x08\\x7F\\n\\r\\t")
        // Every bidi control: LRM, RLM, LRE…RLO, LRI…PDI.
        for scalar: UInt32 in [0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069] {
            let text = String(UnicodeScalar(scalar)!)
            #expect(Escaping.display(text) == "\\u{\(String(scalar, radix: 16, uppercase: true))}")
        }
        // Nothing that reaches a terminal holds ESC, the C1 CSI, BEL, NUL or a bidi override.
        for name in [Self.clear, Self.link, Self.bidi, Self.nul, Self.latin1, Self.csi] {
            let shown = Array(Escaping.display(name).utf8)
            #expect(!shown.contains(0x1B) && !shown.contains(0x07) && !shown.contains(0x00))
            #expect(!Escaping.display(name).unicodeScalars.contains { $0.value == 0x9B || $0.value == 0x202E })
        }
        // Printable text, CJK and emoji included, is shown as it is.
        #expect(Escaping.display("src/日本語/🙂 ok.swift") == "src/日本語/🙂 ok.swift")
    }

    @Test func veryLongNamesAreShownWholeAndAligned() {
        let long = String(repeating: "a/", count: 2_000) + "x\u{1B}.c"  // 4,004 bytes with an ESC at the end
        let shown = Escaping.display(long)
        #expect(shown.utf8.count == 4_000 + 1 + 4 + 2)  // "x", "\x1B", ".c"
        var table = TextTable(headers: ["Path", "Code"], numeric: [false, true])
        table.rows = [[shown, "1"], ["b.c", "22"]]
        let lines = table.renderText().split(separator: "\n")
        // Rule, header, rule, the long row, the short one (padded to the long one), rule.
        #expect(lines.count == 6)
        #expect(lines[3] == " " + Substring(shown) + "     1")
        #expect(lines[4].hasPrefix(" b.c ") && lines[4].hasSuffix("    22"))
        #expect(lines[3].count == lines[4].count)
    }

    @Test func shellWordsAreBareOnlyWhenSafeAndQuotedOtherwise() {
        #expect(Escaping.shellWord("/srv/git/etcd.git") == "/srv/git/etcd.git")
        #expect(Escaping.shellWord("repos/a-b_c+1@x:y,z=%") == "repos/a-b_c+1@x:y,z=%")
        #expect(Escaping.shellWord("my repo") == "'my repo'")
        #expect(Escaping.shellWord("it's") == "'it'\\''s'")
        #expect(Escaping.shellWord("$(rm -rf ~)") == "'$(rm -rf ~)'")
        #expect(Escaping.shellWord("") == "''")
        #expect(Escaping.shellWord("caf\u{E9}") == "'caf\u{E9}'")
        // Controls are made visible before quoting, never passed to the terminal.
        #expect(Escaping.shellWord("a\u{1B}[2Jb") == "'a\\x1B[2Jb'")
    }

    @Test func markdownCellsEscapeTablesAndHTML() {
        #expect(Escaping.markdownCell(Self.clear) == "evil\\\\x1B\\[2J.c")
        #expect(Escaping.markdownCell("a|b<script>&") == "a\\|b&lt;script&gt;&amp;")
        #expect(Escaping.markdownCell(Self.bidi) == "invoice\\\\u{202E}cod.exe")
    }

    @Test func csvKeepsTextExactAndNeutralisesFormulas() {
        defer { Escaping.csvFormulas = .escape }
        Escaping.csvFormulas = .escape
        // Control characters and bidi controls stay exact in CSV (a spreadsheet shows them inert).
        #expect(Escaping.csvField(Self.clear) == "evil\u{1B}[2J.c")
        #expect(Escaping.csvField(Self.bidi) == "invoice\u{202E}cod.exe")
        #expect(Escaping.csvField("a,b\"c\nd") == "\"a,b\"\"c\nd\"")
        // Invalid UTF-8 cannot be CSV text: U+FFFD (JSON carries path_base64 for the exact bytes).
        #expect(Escaping.csvField(Self.latin1) == "caf\u{FFFD}.c")
        // Formulas: =, +, -, @, tab and CR at the start get a leading quote.
        #expect(Escaping.csvField("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")
        #expect(Escaping.csvField("+1") == "'+1")
        #expect(Escaping.csvField("-2+3") == "'-2+3")
        #expect(Escaping.csvField("@SUM(A1)") == "'@SUM(A1)")
        #expect(Escaping.csvField("\tx") == "'\tx")
        #expect(Escaping.csvField("\r=1") == "\"'\r=1\"")
        #expect(Escaping.csvField("a=1") == "a=1")
        // --csv-formulas raw keeps them exact.
        Escaping.csvFormulas = .raw
        #expect(Escaping.csvField("=1+1") == "=1+1")
        #expect(Escaping.csvField("-2") == "-2")
        #expect(Escaping.csvField("=a,b") == "\"=a,b\"")
    }

    @Test func jsonIsExactForValidUTF8() throws {
        for name in [Self.clear, Self.link, Self.bidi, Self.nul, Self.csi, Array("q\"\\\u{2028}\u{2029}\u{7F}".utf8)] {
            let literal = Escaping.jsonString(name)
            // Controls and bidi controls are \u escapes, so the JSON is inert on a terminal too.
            #expect(!literal.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) || $0.value == 0x202E })
            let decoded = try JSONSerialization.jsonObject(with: Data("[\(literal)]".utf8), options: []) as? [String]
            #expect(decoded == [String(decoding: name, as: UTF8.self)])
        }
        #expect(Escaping.jsonString(Self.nul) == "\"a\\u0000b\"")
        #expect(Escaping.jsonString(Self.clear) == "\"evil\\u001B[2J.c\"")
        #expect(Escaping.jsonString(Self.bidi) == "\"invoice\\u202Ecod.exe\"")
        #expect(Escaping.jsonString(Self.csi) == "\"a\\u009B2J\"")
        // Invalid UTF-8: U+FFFD in the string, the exact bytes in base64 (path_base64).
        #expect(Escaping.jsonString(Self.latin1) == "\"caf\u{FFFD}.c\"")
        #expect(!Escaping.isValidUTF8(Self.latin1) && Escaping.isValidUTF8(Self.clear))
        let samples: [[UInt8]] = [Self.latin1, [0xFF], [0xFF, 0xFE], [0xFF, 0xFE, 0xFD], (0...255).map { UInt8($0) }]
        for bytes in samples {
            #expect(Escaping.base64(bytes) == Data(bytes).base64EncodedString())
        }
    }

    @Test func standardErrorMessagesAreEscapedButKeepLineBreaks() {
        let message = "error: manifest.csv:3: cannot parse \(String(decoding: Self.clear, as: UTF8.self))\nhint: fix it"
        #expect(Escaping.terminalMessage(message) == "error: manifest.csv:3: cannot parse evil\\x1B[2J.c\nhint: fix it")
        #expect(Escaping.terminalMessage("a\u{202E}b\u{1B}]8;;x\u{07}") == "a\\u{202E}b\\x1B]8;;x\\x07")
        // Already-escaped text passes unchanged, so escaping twice is harmless.
        let once = Escaping.display(Self.link)
        #expect(Escaping.terminalMessage(once) == once)
    }
}
