import Foundation
import Testing

/// `census scan --embedded` and the `embedded` list of `--by-file` JSON (docs/counting.md).
@Suite("Embedded languages on the command line")
struct EmbeddedCLITests {
    // index.html: line 1 `<script>` (HTML, code), 2 `// c` (JavaScript, comment), 3 `go()`
    // (JavaScript, code), 4 `</script>` (HTML, code).
    static let page = "<script>\n// c\ngo()\n</script>\n"

    @Test func byFileJSONListsTheParts() throws {
        let tree = PublicTree()
        tree.write("index.html", Self.page)
        let run = try CLI.run(["scan", tree.path, "--by-file", "--format", "json", "--no-db"])
        #expect(run.status == 0, "\(run.stderr)")
        let files = try #require(try run.json()["files"] as? [[String: Any]])
        let file = try #require(files.first)
        #expect(file["language"] as? String == "HTML")
        #expect(file["code"] as? Int == 3 && file["comments"] as? Int == 1)
        let parts = try #require(file["embedded"] as? [[String: Any]])
        #expect(parts.count == 1)
        #expect(parts.first?["language"] as? String == "JavaScript")
        #expect(parts.first?["code"] as? Int == 1 && parts.first?["comments"] as? Int == 1 && parts.first?["blanks"] as? Int == 0)
    }

    @Test func tableShowsChildrenOnlyWhenAsked() throws {
        let tree = PublicTree()
        tree.write("index.html", Self.page)
        let plain = try CLI.run(["scan", tree.path, "--no-db"])
        #expect(!plain.text.contains("|- JavaScript"))
        let run = try CLI.run(["scan", tree.path, "--embedded", "--no-db"])
        #expect(run.status == 0, "\(run.stderr)")
        // " |- JavaScript  1  2  1  1  0": one file, two lines, one code, one comment, no blank.
        let row = try #require(run.text.split(separator: "\n").first { $0.contains("|- JavaScript") })
        #expect(row.split(separator: " ").filter { !$0.isEmpty }.suffix(5) == ["1", "2", "1", "1", "0"])
    }
}
