import Foundation
import Testing

@testable import CensusDocuments

/// Decoding, HTML text and dates on bytes written out by hand (code points and their UTF-8,
/// UTF-16 and GB18030 bytes from the Unicode and GB18030 tables).
@Suite struct DocumentTextTests {
    // 中文 is U+4E2D U+6587: UTF-8 E4 B8 AD E6 96 87; GB18030 D6 D0 CE C4.
    let zhongwen: [UInt8] = [0xE4, 0xB8, 0xAD, 0xE6, 0x96, 0x87]

    @Test func encodingsAreDetectedAndDecodedToUTF8() throws {
        #expect(try DocumentDecoder.decode(Array("Go".utf8)) == (Array("Go".utf8), .utf8))
        #expect(try DocumentDecoder.decode([0xEF, 0xBB, 0xBF] + zhongwen) == (zhongwen, .utf8BOM))
        #expect(try DocumentDecoder.decode([0xFF, 0xFE, 0x2D, 0x4E, 0x87, 0x65]) == (zhongwen, .utf16LE))
        #expect(try DocumentDecoder.decode([0xFE, 0xFF, 0x4E, 0x2D, 0x65, 0x87]) == (zhongwen, .utf16BE))
        #expect(try DocumentDecoder.decode([0xD6, 0xD0, 0xCE, 0xC4]) == (zhongwen, .gb18030))
        // U+1F600 as a UTF-16LE surrogate pair D83D DE00 → F0 9F 98 80.
        #expect(try DocumentDecoder.decode([0xFF, 0xFE, 0x3D, 0xD8, 0x00, 0xDE]) == ([0xF0, 0x9F, 0x98, 0x80], .utf16LE))
        // A GB18030 four-byte sequence: 0x81 0x30 0x81 0x30 is U+0080 (C2 80).
        #expect(try DocumentDecoder.decode(Array("a".utf8) + [0x81, 0x30, 0x81, 0x30]) == ([0x61, 0xC2, 0x80], .gb18030))
    }

    @Test(arguments: [
        ([0xFF, 0xFE, 0x00, 0x00, 0x41, 0x00, 0x00, 0x00], "UTF-32"),
        ([0xFF, 0xFE, 0x41], "odd number of bytes"),
        ([0xFF, 0xFE, 0x00, 0xDC, 0x41, 0x00], "lone low surrogate at byte 2"),
        ([0xFE, 0xFF, 0xD8, 0x3D, 0x00, 0x41], "without its low half at byte 2"),
        ([0xEF, 0xBB, 0xBF, 0x41, 0xC0, 0x80], "invalid UTF-8 at byte 4"),
        ([0x47, 0x6F, 0x00, 0x00], "binary (a NUL byte at offset 2"),
        ([0x43, 0x61, 0x66, 0xE9, 0x20, 0xFF], "neither UTF-8 (invalid byte 0xE9 at offset 3) nor GB18030"),
    ] as [([UInt8], String)])
    func badBytesAreNamedWithTheReason(_ bytes: [UInt8], _ reason: String) {
        do {
            _ = try DocumentDecoder.decode(bytes)
            Issue.record("decoded \(bytes)")
        } catch {
            #expect(error.reason.contains(reason), "\(error.reason)")
        }
    }

    @Test func utf8ValidationFindsTheFirstBadByte() {
        #expect(DocumentDecoder.firstInvalidUTF8(Array("ok 中文".utf8)) == nil)
        #expect(DocumentDecoder.firstInvalidUTF8([0x41, 0xC0, 0x80]) == 1)  // overlong
        #expect(DocumentDecoder.firstInvalidUTF8([0xED, 0xA0, 0x80]) == 0)  // a surrogate
        #expect(DocumentDecoder.firstInvalidUTF8([0xF4, 0x90, 0x80, 0x80]) == 0)  // above U+10FFFF
        #expect(DocumentDecoder.firstInvalidUTF8([0x41, 0xE4, 0xB8]) == 1)  // cut short
    }

    func text(_ html: String) -> String { String(decoding: HTMLText(html: Array(html.utf8)).text, as: UTF8.self) }

    @Test func htmlTextIsWhatAReaderSees() {
        #expect(text("<p>We use <b>Go</b>lang</p><p>Java</p>") == "\nWe use Golang\nJava\n")
        #expect(text("a<script type=x>Go</script >b<STYLE>Go</style>c") == "a\nb\nc")
        // A script ends at the first `</script`, whatever the script's own quotes say.
        #expect(text("<script>if (a < b && c > d) { \"</scr\" + \"ipt>\" }</script>x") == "\nx")
        #expect(text("x<!-- Go <p> -->y") == "xy")
        #expect(text("<a title=\"a > b\">Go</a>") == "Go")
        #expect(text("1 < 2 and 3 > 2") == "1 < 2 and 3 > 2")
        #expect(text("<textarea>Go</textarea><template>Java</template>") == "Go\n")
    }

    @Test func characterReferencesAreDecoded() {
        #expect(text("&lt;Go&gt; &amp; &quot;Java&quot; &apos;") == "<Go> & \"Java\" '")
        #expect(text("&#71;o &#x47;o &#X6a;ava") == "Go Go java")
        #expect(text("a&nbsp;b") == "a b")
        #expect(text("&mdash;&hellip;&euro;") == "\u{2014}\u{2026}\u{20AC}")
        // Not characters → U+FFFD; unknown names and a missing ';' stay as written.
        #expect(text("&#0;&#xD800;&#x110000;") == "\u{FFFD}\u{FFFD}\u{FFFD}")
        #expect(text("&bogus; &amp &#x;") == "&bogus; &amp &#x;")
    }

    @Test func theMetaDateIsRead() {
        #expect(HTMLText(html: Array("<meta name=\"date\" content=\"2024-03-15\">".utf8)).metaDate == "2024-03-15")
        #expect(HTMLText(html: Array("<META NAME='DC.Date' CONTENT='2023-1-2'>".utf8)).metaDate == "2023-1-2")
        #expect(HTMLText(html: Array("<meta property=\"article:published_time\" content=\"2022-05-06T10:00\">".utf8)).metaDate == "2022-05-06T10:00")
        #expect(HTMLText(html: Array("<meta name=\"author\" content=\"2024-03-15\">".utf8)).metaDate == nil)
    }

    @Test func datesAreReadInTheFormsDocumented() {
        #expect(DocumentDate.parse("2024-03-05")?.description == "2024-03-05")
        #expect(DocumentDate.parse("\"2024/3/5\"")?.description == "2024-03-05")
        #expect(DocumentDate.parse("2024.12.31 10:00")?.description == "2024-12-31")
        #expect(DocumentDate.parse("2024-03-05T23:30:00-08:00")?.description == "2024-03-05")
        #expect(DocumentDate.parse("2024-03")?.description == "2024-03")
        #expect(DocumentDate.parse("2024年3月1日")?.description == "2024-03-01")
        #expect(DocumentDate.parse("2024年12月")?.description == "2024-12")
        for bad in ["2024-13-01", "2024-02-30", "24-03-05", "March 2024", "2024", "2024-03-123", ""] {
            #expect(DocumentDate.parse(bad) == nil, "\(bad)")
        }
        #expect(DocumentDate.utc(secondsSince1970: 1_700_000_000)?.description == "2023-11-14")
    }

    @Test func frontMatterIsALeadingBlock() throws {
        let block = try #require(FrontMatter.parse(Array("---\ntitle: x\ndate: '2024-01-15' # posted\n---\nbody".utf8)))
        #expect(block.date == "2024-01-15")
        #expect(block.bodyOffset == 45)
        // CRLF lines, `...` closing, an indented date (not top level) ignored.
        let crlf = try #require(FrontMatter.parse(Array("---\r\nmeta:\r\n  date: 2020-01-01\r\n...\r\nx".utf8)))
        #expect(crlf.date == nil)
        #expect(FrontMatter.parse(Array("---\ndate: 2024-01-01\nno end".utf8)) == nil)
        #expect(FrontMatter.parse(Array("title\n---\ndate: 2024-01-01\n---\n".utf8)) == nil)
    }

    @Test func dateFromPaths() throws {
        let pattern = try DatePattern(DatePattern.defaultPattern)
        #expect(pattern.date(in: "2024-03-tender.pdf")?.description == "2024-03")
        #expect(pattern.date(in: "ads/2023/11/07/post.md")?.description == "2023-11-07")
        #expect(pattern.date(in: "20240105-notice.txt")?.description == "2024-01-05")
        #expect(pattern.date(in: "2024-13-x.md") == nil)
        #expect(pattern.date(in: "notes.md") == nil)
        let custom = try DatePattern(#"_(?<month>\d\d)(?<year>\d{4})\."#)
        #expect(custom.date(in: "tender_032021.html")?.description == "2021-03")
        #expect(throws: MentionError.self) { _ = try DatePattern(#"(?<y>\d{4})"#) }
        #expect(throws: MentionError.self) { _ = try DatePattern("(") }
    }
}
