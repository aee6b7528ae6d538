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

    /// Batches longer than `HistoryRowWriter.rowsPerInsert` go in groups by one statement each;
    /// a group holding a commit stored before (or one commit twice) falls back to one commit at a
    /// time, with the same result.
    @Test func groupsOfCommitsAreStoredAsOneByOne() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try CensusDatabase.open(path: directory.file("groups.sqlite"))
        let group = HistoryRowWriter.rowsPerInsert
        let count = 2 * group + 5
        func id(_ n: Int) -> String { String(repeating: String(format: "%02x", n % 256), count: 20) }
        func commit(_ n: Int, added: Int) -> StoredCommit {
            var c = Self.commit(
                id(n), author: "Dev\(n)", changes: [StoredCommitChange(language: "Go", category: .own, added: added, removed: 0, files: 1, binaryFiles: 0)],
                unknown: n % 7 == 0 ? "blob \(n) is missing" : nil)
            c.authorTime = 1_600_000_000 - Int64(n) * 60
            return c
        }
        // First walk: all new, two whole groups and a tail of five.
        try database.saveHistory(repositoryKey: Self.key, commits: (0..<count).map { commit($0, added: $0) })
        #expect(try rows(database, "SELECT COUNT(*) || ' ' || MIN(commit_row) || ' ' || MAX(commit_row) FROM history_commits") == "\(count) 1 \(count)")
        // Rows numbered in the batch's order, each with its own changes and reason.
        #expect(try rows(database, "SELECT COUNT(*) FROM history_commits WHERE author_name <> 'Dev' || (commit_row - 1)") == "0")
        #expect(
            try rows(
                database,
                "SELECT COUNT(*) FROM history_changes JOIN history_commits USING (commit_row) WHERE added = commit_row - 1")
                == "\(count)")
        #expect(try rows(database, "SELECT COUNT(*) FROM history_unknown_changes") == "\((0..<count).filter { $0 % 7 == 0 }.count)")

        // Again: a new commit first (its group then falls back after inserting it), the old ones with
        // new counts, except commit 34, whose place holds a copy of commit 40; commit 40 comes three
        // times in the second group, the last copy (9 lines) winning. Rows keep their numbers.
        var again = [commit(count, added: 1_000)] + (0..<count).map { commit($0, added: 100 + $0) }
        again[group + 3] = commit(40, added: 7)
        again.insert(commit(40, added: 9), at: group + 10)
        try database.saveHistory(repositoryKey: Self.key, commits: again)
        #expect(try rows(database, "SELECT COUNT(*) || ' ' || MAX(commit_row) FROM history_commits") == "\(count + 1) \(count + 1)")
        #expect(try rows(database, "SELECT COUNT(*) FROM history_changes") == "\(count + 1)")
        #expect(
            try rows(
                database,
                "SELECT COUNT(*) FROM history_changes JOIN history_commits USING (commit_row) WHERE commit_row <= \(count) AND added = 100 + commit_row - 1 AND commit_row <> 41")
                == "\(count - 2)")  // all but commit 40 (row 41: 9 lines) and commit 34 (row 35: left as it was)
        #expect(try rows(database, "SELECT added FROM history_changes WHERE commit_row = 35") == "34")
        #expect(try rows(database, "SELECT added FROM history_changes WHERE commit_row = 41") == "9")
        #expect(try rows(database, "SELECT added FROM history_changes JOIN history_commits USING (commit_row) WHERE author_name = 'Dev\(count)'") == "1000")
        try database.close()
    }
}
