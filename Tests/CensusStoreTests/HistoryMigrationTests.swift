import Testing

@testable import CensusStore

/// Schema v8 converts the history rows of a store written by an earlier census (v7: rows keyed by
/// repository path and commit id) to numbered rows, and every history question then gets the
/// answers it got before: those worked by hand for `HistoryCorpus`, and the same rows as a store
/// that was v8 from the start, for every question `HistoryComparison` asks.
@Suite("Schema v8 converts stored history")
struct HistoryMigrationTests {
    /// SQL literal of a text.
    static func text(_ value: String) -> String { "'" + value.replacingOccurrences(of: "'", with: "''") + "'" }

    /// The history rows of `HistoryCorpus` as census up to schema v7 stored them.
    static func version7Rows() -> [String] {
        var statements: [String] = []
        for (key, commits) in HistoryCorpus.history {
            for c in commits {
                let id = "\(text(key)), \(text(c.commit))"
                statements.append(
                    """
                    INSERT INTO history_commits (repository_key, commit_id, author_name, author_email, author_time, \
                    author_offset, committer_name, committer_email, committer_time, committer_offset, parent_count, company, \
                    email_domain, is_bot, lines_known) VALUES (\(id), \(text(c.authorName)), \(text(c.authorEmail)), \
                    \(c.authorTime), \(c.authorOffset), \(text(c.committerName)), \(text(c.committerEmail)), \(c.committerTime), \
                    \(c.committerOffset), \(c.parentCount), \(text(c.company)), \(text(c.emailDomain)), \(c.isBot ? 1 : 0), \
                    \(c.unknownChanges == nil ? 1 : 0))
                    """)
                for h in c.changes {
                    statements.append(
                        """
                        INSERT INTO history_changes (repository_key, commit_id, language, category, added, removed, files, \
                        binary_files) VALUES (\(id), \(text(h.language)), \(text(h.category.rawValue)), \(h.added), \(h.removed), \
                        \(h.files), \(h.binaryFiles))
                        """)
                }
                for m in c.moves {
                    statements.append(
                        """
                        INSERT INTO history_moves (repository_key, commit_id, language, category, lines) VALUES (\(id), \
                        \(text(m.language)), \(text(m.category.rawValue)), \(m.lines))
                        """)
                }
                if let reason = c.unknownChanges {
                    statements.append("INSERT INTO history_unknown_changes (repository_key, commit_id, reason) VALUES (\(id), \(text(reason)))")
                }
            }
        }
        // A change row whose commit is not stored (no answer ever saw it): not carried over.
        statements.append(
            """
            INSERT INTO history_changes (repository_key, commit_id, language, category, added, removed, files, binary_files) \
            VALUES (\(text(Corpus.api)), \(text(String(repeating: "f", count: 40))), 'Go', 'own', 999, 0, 1, 0)
            """)
        return statements
    }

    @Test func aVersion7StoreAnswersAsBeforeOnceConverted() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let reference = try CensusDatabase.open(path: directory.file("v8.sqlite"))
        try HistoryCorpus.load(into: reference)
        try HistoryCorpus.loadModules(into: reference)

        // The same store written by a census at schema v7: the tables v8 leaves alone copied from
        // the reference, the history rows as v7 wrote them.
        let oldPath = directory.file("v7.sqlite")
        let history: Set<String> = ["history_commits", "history_changes", "history_moves", "history_unknown_changes"]
        let copied = try #require(
            try reference.fetchTextForTesting(
                """
                SELECT group_concat(name, ' ') FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' \
                AND name NOT IN ('census_meta', 'grdb_migrations', 'history_repositories')
                """)
        ).split(separator: " ").map(String.init).filter { !history.contains($0) }
        #expect(copied.contains("repositories") && copied.contains("history_walk_states") && copied.contains("git_metadata"))
        var statements = ["ATTACH DATABASE \(Self.text(directory.file("v8.sqlite"))) AS reference"]
        statements += copied.map { "INSERT INTO main.\($0) SELECT * FROM reference.\($0)" }
        try CensusDatabase.createForTesting(
            path: oldPath, upTo: "v7", then: (statements + Self.version7Rows()).joined(separator: ";\n"))

        let converted = try CensusDatabase.open(path: oldPath)
        #expect(try converted.fetchTextForTesting("SELECT value FROM census_meta WHERE key = 'schema_version'") == "8")
        #expect(try converted.fetchTextForTesting("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE '%_v7'") == "0")
        #expect(try converted.fetchTextForTesting("SELECT COUNT(*) FROM history_commits") == "9")
        #expect(try converted.fetchTextForTesting("SELECT COUNT(*) FROM history_changes") == "11")
        #expect(try converted.fetchTextForTesting("SELECT group_concat(repository_key, ' ') FROM history_repositories")
            == [Corpus.api, Corpus.core, Corpus.web].sorted().joined(separator: " "))
        try ClickHouseHistoryTests().expectHandWorked(converted)
        var comparison = HistoryComparison(reference: reference, other: converted)
        try comparison.compareEverything()
        #expect(comparison.queries > 300)

        // Stored again after the conversion: each commit replaced in place, the same answers.
        for store in [reference, converted] {
            try HistoryCorpus.rerun(into: store)
            try ClickHouseHistoryTests().expectHandWorked(store)
        }
        #expect(try converted.fetchTextForTesting("SELECT COUNT(*) FROM history_commits") == "9")
        #expect(try converted.fetchTextForTesting("SELECT MAX(commit_row) FROM history_commits") == "9")
        var again = HistoryComparison(reference: reference, other: converted)
        try again.compareEverything()
        try converted.close()
        try reference.close()
    }
}
