import CensusGit
import CensusHistory
import CensusLanguages
import Testing

@Suite("Changes per language and category")
struct HistoryClassifierTests {
    static func change(_ path: String, _ added: Int?, _ removed: Int?) -> GitFileChange {
        GitFileChange(path: Array(path.utf8), oldPath: nil, added: added, removed: removed)
    }

    @Test("paths decide language and category; binary files count as files, not lines")
    func summarize() throws {
        let stamp = GitTimestamp(secondsSince1970: 0, utcOffsetMinutes: 0)
        let person = GitSignature(name: Array("A".utf8), email: Array("a@example.com".utf8), date: stamp)
        let commit = GitCommitRecord(
            id: try #require(GitObjectID(String(repeating: "a", count: 40))), parents: [], author: person, committer: person,
            changes: [
                Self.change("cmd/main.go", 10, 2),  // Go own
                Self.change("pkg/util.go", 5, 5),  // Go own
                Self.change("vendor/github.com/x/y/y.go", 100, 0),  // Go vendored (vendor.yml)
                Self.change("docs/guide.md", 3, 1),  // Markdown documentation
                Self.change("web/package-lock.json", 40, 40),  // JSON generated (npm_lock path rule)
                Self.change("logo.png", nil, nil),  // binary; PNG is no language
                Self.change("Makefile", 1, 0),  // Makefile by file name
            ])
        let summary = HistoryClassifier().summarize(commit)
        func row(_ name: String?, _ category: FileCategory) -> CommitLanguageChanges.Row? {
            summary.rows.first { ($0.language.map { LanguageTable[$0].name }) == name && $0.category == category }
        }
        #expect(row("Go", .own).map { [$0.added, $0.removed, $0.files] } == [15, 7, 2])
        #expect(row("Go", .vendored).map { [$0.added, $0.files] } == [100, 1])
        #expect(row("Markdown", .documentation).map { [$0.added, $0.removed] } == [3, 1])
        #expect(row("JSON", .generated).map { [$0.added, $0.removed] } == [40, 40])
        #expect(row(nil, .own).map { [$0.files, $0.binaryFiles, $0.added] } == [1, 1, 0])
        #expect(row("Makefile", .own)?.added == 1)
        #expect(summary.rows.count == 6)
    }
}
