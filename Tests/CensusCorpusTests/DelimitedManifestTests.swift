import CensusCorpus
import Testing

/// Plain, CSV and TSV manifests: the fixtures (expected values in each file's comments and here,
/// worked out by hand) and byte-exact inline cases for BOM, CRLF and quoting.
@Suite("Plain, CSV and TSV manifests")
struct DelimitedManifestTests {
    @Test func plainFixture() throws {
        let path = Fixtures.path("repos.txt")
        let manifest = try CorpusManifest.load(path: path)
        #expect(
            manifest.entries.map(\.key) == [
                "github.com/kubernetes/kubernetes", "github.com/prometheus/prometheus", "gitlab.com/gitlab-org/cli/glab",
                "github.com/etcd-io/etcd", "path:/srv/repos/linux", "example.org/team/tool",
            ])
        #expect(manifest.entries.map(\.source.line) == [4, 5, 7, 10, 11, 12])
        #expect(manifest.entries.allSatisfy { $0.source.file == path })
        #expect(manifest.entries.map(\.org) == ["kubernetes", "prometheus", "gitlab-org", "etcd-io", nil, "team"])
        #expect(manifest.entries.map(\.company) == ["kubernetes", "prometheus", "gitlab-org", "etcd-io", "linux", "team"])
        #expect(manifest.entries[2].location == "https://gitlab.com/gitlab-org/cli/glab.git")
        try #require(manifest.diagnosticLines == ["9: error", "10: warning", "13: error", "14: warning"])
        #expect(manifest.diagnostics[3].message.contains("first listed at \(path):4"))
        #expect(manifest.hasErrors)
    }

    @Test func csvFixture() throws {
        let manifest = try CorpusManifest.load(path: Fixtures.path("repos.csv"))
        #expect(
            manifest.entries.map(\.key) == [
                "github.com/kubernetes/kubernetes", "github.com/grafana/grafana", "github.com/etcd-io/etcd",
                "github.com/jaegertracing/jaeger",
            ])
        #expect(manifest.entries.map(\.source.line) == [2, 3, 4, 7])
        #expect(manifest.entries.map(\.org) == ["kubernetes", "grafana", "etcd", "jaegertracing"])
        #expect(manifest.entries.map(\.company) == ["Google", "Grafana Labs, Inc.", "etcd", "jaegertracing"])
        #expect(
            manifest.entries.map(\.cohorts) == [
                ["cncf-graduated", "orchestration-management", "wasm"], ["observability"], [], ["cncf-graduated", "observability"],
            ])
        try #require(manifest.diagnosticLines == ["6: error", "9: error", "10: warning"])
        #expect(manifest.diagnostics[2].message.contains("company 'Microsoft' ignored"))
    }

    @Test func tsvFixture() throws {
        let manifest = try CorpusManifest.load(path: Fixtures.path("repos.tsv"))
        #expect(manifest.diagnostics == [])
        #expect(manifest.entries.map(\.key) == ["github.com/cilium/cilium", "path:/home/me/src/census", "github.com/fluxcd/flux2"])
        #expect(manifest.entries.map(\.org) == ["cilium", "me", "weaveworks"])
        #expect(manifest.entries.map(\.company) == ["cilium", "me", "weaveworks"])
        #expect(manifest.entries.map(\.cohorts) == [["sandbox"], [], ["a", "b"]])
    }

    @Test func byteOrderMarkAndCRLF() throws {
        let text = "repo,Org\r\nhttps://github.com/a/one,x\r\n\r\n\"https://github.com/a/two\",\"y, z\"\r\n"
        let manifest = try CorpusManifest.parse(bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8), origin: "bom.csv")
        #expect(manifest.diagnostics == [])
        #expect(manifest.entries.map(\.key) == ["github.com/a/one", "github.com/a/two"])
        #expect(manifest.entries.map(\.org) == ["x", "y, z"])
        #expect(manifest.entries.map(\.source.line) == [2, 4])
    }

    @Test func plainWithByteOrderMarkAndCRLF() throws {
        let text = "# list\r\nhttps://github.com/a/one\r\n  \r\ngit@github.com:a/two.git # two\r\n"
        let manifest = try CorpusManifest.parse(bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8), origin: "bom.txt")
        #expect(manifest.diagnostics == [])
        #expect(manifest.entries.map(\.key) == ["github.com/a/one", "github.com/a/two"])
        #expect(manifest.entries.map(\.source.line) == [2, 4])
    }

    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let text = """
            repo,company,cohorts
            "https://github.com/q/one","Acme ""Labs"", Inc.","a;b"
            https://github.com/q/two,"Multi
            Line",c
            https://github.com/q/three, "Spaced" ,  d
            """
        let manifest = try CorpusManifest.parse(text, format: .csv)
        #expect(manifest.diagnostics == [])
        #expect(manifest.entries.map(\.company) == ["Acme \"Labs\", Inc.", "Multi\nLine", "Spaced"])
        #expect(manifest.entries.map(\.cohorts) == [["a", "b"], ["c"], ["d"]])
        #expect(manifest.entries.map(\.source.line) == [2, 3, 5])
    }

    @Test func unterminatedQuoteCostsOneLine() throws {
        let text = """
            repo,company
            https://github.com/u/one,Good
            https://github.com/u/two,"Never closed
            https://github.com/u/three,Fine
            "https://github.com/u/four
            """
        let manifest = try CorpusManifest.parse(text, origin: "broken.csv")
        #expect(manifest.entries.map(\.key) == ["github.com/u/one", "github.com/u/three"])
        #expect(manifest.entries.map(\.source.line) == [2, 4])
        try #require(manifest.diagnosticLines == ["3: error", "5: error"])
        // Line 3's quote pairs with line 5's, and text follows it: a stray quote.
        #expect(manifest.diagnostics[0].description.hasPrefix("broken.csv:3: error: the quoted field opened on line 3 closes on line 5"))
        #expect(manifest.diagnostics[1].message.hasPrefix("unterminated quoted field: the \" opened on line 5 is never closed"))
    }

    @Test func textAfterAClosingQuoteIsMalformed() throws {
        let manifest = try CorpusManifest.parse("repo,org\n\"https://github.com/t/one\"x,a\nhttps://github.com/t/two,\"b\"  \n", format: .csv)
        #expect(manifest.entries.map(\.key) == ["github.com/t/two"])
        #expect(manifest.entries.map(\.org) == ["b"])
        try #require(manifest.diagnosticLines == ["2: error"])
        #expect(manifest.diagnostics[0].message.hasPrefix("text after a quoted field's closing quote"))
    }

    @Test func unknownColumnsAreIgnoredAndShortRowsPadded() throws {
        let text = "Stars, REPO ,language\n12,https://github.com/x/y\n"
        let manifest = try CorpusManifest.parse(text, format: .csv)
        #expect(manifest.diagnostics == [])
        #expect(manifest.entries.map(\.key) == ["github.com/x/y"])
        #expect(manifest.entries.map(\.company) == ["x"])
    }

    @Test func missingRepoColumnNamesTheFile() throws {
        let error = #expect(throws: CorpusError.self) {
            try CorpusManifest.parse("url,org\nhttps://github.com/a/b,a\n", origin: "repos.csv")
        }
        #expect(error?.code == .missingColumn)
        #expect(error?.input == "repos.csv")
        #expect(error?.line == 1)
        #expect(error?.description.hasPrefix("repos.csv:1: no 'repo' column in the CSV header (found: url, org)") == true)
        let empty = #expect(throws: CorpusError.self) {
            try CorpusManifest.parse("# nothing here\n", origin: "empty.tsv", format: .tsv)
        }
        #expect(empty?.code == .missingColumn)
        #expect(empty?.description.hasPrefix("empty.tsv: the TSV file has no header row") == true)
    }

    @Test(arguments: [
        ("https://github.com/a/b\n", CorpusManifest.Format.plain),
        ("# comment, with a comma\n\nhttps://github.com/a/b\n", .plain),
        ("repo,org\nhttps://github.com/a/b,a\n", .csv),
        ("\u{FEFF}repo\torg\n", .tsv),
        ("# list\nlandscape:\n  - category:\n", .landscape),
        ("", .plain),
    ])
    func formatFromContent(_ text: String, _ format: CorpusManifest.Format) {
        #expect(CorpusManifest.Format(detecting: Array(text.utf8)) == format)
    }

    @Test func formatFromExtension() throws {
        #expect(CorpusManifest.Format(path: "dir.v2/repos.CSV") == .csv)
        #expect(CorpusManifest.Format(path: "repos.tsv") == .tsv)
        #expect(CorpusManifest.Format(path: "repos.txt") == .plain)
        #expect(CorpusManifest.Format(path: "landscape.yml") == .landscape)
        #expect(CorpusManifest.Format(path: "l.yaml") == .landscape)
        #expect(CorpusManifest.Format(path: "dir.v2/repos") == nil)
        #expect(CorpusManifest.Format(path: ".csv") == nil)
        // No extension: the content decides.
        let manifest = try CorpusManifest.load(path: Fixtures.path("manifest-without-extension"))
        #expect(manifest.entries.map(\.org) == ["a"])
        // A format given wins over the name.
        let plain = try CorpusManifest.parse(bytes: Array("x/y\n".utf8), origin: "x.csv", format: .plain)
        #expect(plain.entries.map(\.key) == ["path:x/y"])
    }

    @Test func unreadableFilesAreThrownWithTheirName() {
        let missing = #expect(throws: CorpusError.self) {
            try CorpusManifest.load(path: "/nonexistent/repos.csv")
        }
        #expect(missing?.code == .unreadableFile)
        #expect(missing?.description == "/nonexistent/repos.csv: cannot open the file: No such file or directory")
        let directory = #expect(throws: CorpusError.self) {
            try CorpusManifest.load(path: Fixtures.directory.path)
        }
        #expect(directory?.code == .unreadableFile)
        #expect(directory?.description.hasSuffix("cannot read the file: Is a directory") == true)
    }

    @Test func combiningMergesAcrossManifests() throws {
        let first = try CorpusManifest.parse("repo,cohorts\nhttps://github.com/a/b,one\n", origin: "1.csv")
        let second = try CorpusManifest.parse("git@github.com:A/B.git\nhttps://github.com/c/d\n", origin: "2.txt")
        let combined = CorpusManifest.combining([first, second])
        #expect(combined.entries.map(\.key) == ["github.com/a/b", "github.com/c/d"])
        #expect(combined.entries[0].source == CorpusSourceLocation(file: "1.csv", line: 2))
        #expect(combined.entries[0].cohorts == ["one"])
        #expect(combined.diagnostics.map(\.location) == [CorpusSourceLocation(file: "2.txt", line: 1)])
        #expect(combined.diagnostics.map(\.severity) == [.warning])
    }
}
