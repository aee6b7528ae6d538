import Testing

@testable import CensusStore

/// `saveHistory` inserts a commit once and replaces it whole when it is stored again (a rerun of
/// an interrupted walk, or the same commit twice in one batch): its row, changes, unknown reason
/// and moves are the last copy's, and nothing of the earlier copy is left.
@Suite("Storing history rows again replaces them")
struct HistoryRowWriterTests {
    static let key = "/repos/example.git"

    static func commit(
        _ id: String, author: String, changes: [StoredCommitChange], unknown: String? = nil, moves: [StoredCommitMove] = []
    ) -> StoredCommit {
        var commit = StoredCommit(
            commit: id, authorName: author, authorEmail: author.lowercased() + "@example.com", authorTime: 1_600_000_000,
            authorOffset: 120, committerName: "C", committerEmail: "c@example.com", committerTime: 1_600_000_100,
            committerOffset: -300, parentCount: 1, company: "Unknown", emailDomain: "example.com", isBot: false,
            changes: changes)
        commit.unknownChanges = unknown
        commit.moves = moves
        return commit
    }

    func rows(_ database: CensusDatabase, _ sql: String) throws -> String {
        try database.fetchTextForTesting(sql) ?? "(none)"
    }

    @Test func aCommitStoredAgainIsReplacedWhole() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try CensusDatabase.open(path: directory.file("history.sqlite"))
        let a = String(repeating: "a", count: 40)
        let b = String(repeating: "b", count: 40)
        let go = StoredCommitChange(language: "Go", category: .own, added: 10, removed: 2, files: 1, binaryFiles: 0)
        let python = StoredCommitChange(language: "Python", category: .own, added: 3, removed: 0, files: 1, binaryFiles: 0)
        let move = StoredCommitMove(language: "Go", category: .generated, lines: 7)
        // First walk: a with Go and a move, b unknown.
        try database.saveHistory(
            repositoryKey: Self.key,
            commits: [
                Self.commit(a, author: "Ann", changes: [go], moves: [move]),
                Self.commit(b, author: "Bob", changes: [], unknown: "blob 1234 is missing"),
            ])
        #expect(try rows(database, "SELECT group_concat(commit_id || ':' || language, ',') FROM history_changes JOIN history_commits USING (commit_row)") == a + ":Go")
        #expect(try rows(database, "SELECT COUNT(*) FROM history_moves") == "1")
        #expect(try rows(database, "SELECT group_concat(reason) FROM history_unknown_changes") == "blob 1234 is missing")
        #expect(try rows(database, "SELECT SUM(lines_known) FROM history_commits") == "1")

        // Stored again: a now with Python and no move, b now known with Go; b also twice in the
        // batch, the last copy (author Bea) winning.
        try database.saveHistory(
            repositoryKey: Self.key,
            commits: [
                Self.commit(a, author: "Ann", changes: [python]),
                Self.commit(b, author: "Bob", changes: [go]),
                Self.commit(b, author: "Bea", changes: [go]),
            ])
        #expect(try rows(database, "SELECT COUNT(*) FROM history_commits") == "2")
        // Replaced in place: the rows keep the numbers they were appended with.
        #expect(try rows(database, "SELECT group_concat(commit_row || ':' || author_name, ',') FROM history_commits") == "1:Ann,2:Bea")
        #expect(
            try rows(
                database,
                "SELECT group_concat(commit_id || ':' || language || ':' || added, ',') FROM (SELECT * FROM history_changes JOIN history_commits USING (commit_row) ORDER BY commit_id)")
                == a + ":Python:3," + b + ":Go:10")
        #expect(try rows(database, "SELECT COUNT(*) FROM history_moves") == "0")
        #expect(try rows(database, "SELECT COUNT(*) FROM history_unknown_changes") == "0")
        #expect(try rows(database, "SELECT SUM(lines_known) FROM history_commits") == "2")
        #expect(try rows(database, "SELECT author_name FROM history_commits WHERE commit_id = '\(b)'") == "Bea")
        #expect(try rows(database, "SELECT author_offset || ' ' || committer_offset FROM history_commits WHERE commit_id = '\(a)'") == "120 -300")
        try database.close()
    }
}
