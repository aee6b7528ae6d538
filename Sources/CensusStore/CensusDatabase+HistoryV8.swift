import GRDB

extension CensusDatabase {
    /// Schema version 8: leaner history rows (docs/schema.md, "History tables").
    ///
    /// Up to v7 a commit was a row of a `WITHOUT ROWID` table keyed by (repository path, commit id):
    /// ids are hashes, so every commit was inserted at a random place of the whole table, and the
    /// changes, moves and unknown reasons repeated both texts in their keys. From v8:
    ///
    /// - a repository's path is stored once, in `history_repositories`, and rows name it by number;
    /// - commits are rows of an ordinary table, numbered (`commit_row`) in the order they were
    ///   stored, so a walk appends them; changes, moves and unknown reasons refer to that number;
    /// - one unique index, (author time, repository, commit id), both answers the questions by date
    ///   and keeps a commit stored once per repository. A commit's id determines its author date, so
    ///   the key is as unique as (repository, commit id), and a walk, which goes through history in
    ///   date order, inserts into it near one place instead of everywhere.
    ///
    /// Existing rows are converted in place; every answer over them stays the same.
    static let schemaV8 = [
        """
        CREATE TABLE history_repositories (
            repository INTEGER PRIMARY KEY,
            repository_key TEXT NOT NULL UNIQUE
        )
        """,
        """
        INSERT INTO history_repositories (repository_key)
            SELECT repository_key FROM history_commits GROUP BY repository_key ORDER BY repository_key
        """,
        "DROP INDEX history_commits_by_time",
        "DROP INDEX history_changes_by_language",
        "ALTER TABLE history_commits RENAME TO history_commits_v7",
        "ALTER TABLE history_changes RENAME TO history_changes_v7",
        "ALTER TABLE history_moves RENAME TO history_moves_v7",
        "ALTER TABLE history_unknown_changes RENAME TO history_unknown_changes_v7",
        """
        CREATE TABLE history_commits (
            commit_row INTEGER PRIMARY KEY,
            repository INTEGER NOT NULL,
            commit_id TEXT NOT NULL,
            author_name TEXT NOT NULL,
            author_email TEXT NOT NULL,
            author_time INTEGER NOT NULL,
            author_offset INTEGER NOT NULL,
            committer_name TEXT NOT NULL,
            committer_email TEXT NOT NULL,
            committer_time INTEGER NOT NULL,
            committer_offset INTEGER NOT NULL,
            parent_count INTEGER NOT NULL,
            company TEXT NOT NULL,
            email_domain TEXT NOT NULL,
            is_bot INTEGER NOT NULL,
            lines_known INTEGER NOT NULL DEFAULT 1
        )
        """,
        "CREATE UNIQUE INDEX history_commits_by_time ON history_commits (author_time, repository, commit_id)",
        """
        CREATE TABLE history_changes (
            commit_row INTEGER NOT NULL,
            language TEXT NOT NULL,
            category TEXT NOT NULL CHECK (category IN ('own', 'vendored', 'generated', 'documentation')),
            added INTEGER NOT NULL,
            removed INTEGER NOT NULL,
            files INTEGER NOT NULL,
            binary_files INTEGER NOT NULL,
            PRIMARY KEY (commit_row, language, category)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX history_changes_by_language ON history_changes (language, category, commit_row)",
        """
        CREATE TABLE history_moves (
            commit_row INTEGER NOT NULL,
            language TEXT NOT NULL,
            category TEXT NOT NULL CHECK (category IN ('own', 'vendored', 'generated', 'documentation')),
            lines INTEGER NOT NULL,
            PRIMARY KEY (commit_row, language, category)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE history_unknown_changes (
            commit_row INTEGER NOT NULL PRIMARY KEY,
            reason TEXT NOT NULL
        )
        """,
        // The old rows, each repository's newest first (the order a walk stores them in).
        """
        INSERT INTO history_commits (repository, commit_id, author_name, author_email, author_time, author_offset, \
        committer_name, committer_email, committer_time, committer_offset, parent_count, company, email_domain, is_bot, \
        lines_known)
        SELECT r.repository, o.commit_id, o.author_name, o.author_email, o.author_time, o.author_offset, o.committer_name, \
        o.committer_email, o.committer_time, o.committer_offset, o.parent_count, o.company, o.email_domain, o.is_bot, \
        o.lines_known
        FROM history_commits_v7 AS o JOIN history_repositories AS r USING (repository_key)
        ORDER BY r.repository, o.committer_time DESC, o.commit_id
        """,
        // Rows of commits that are not stored (no answer could see them) are not carried over.
        """
        INSERT INTO history_changes (commit_row, language, category, added, removed, files, binary_files)
        SELECT n.commit_row, h.language, h.category, h.added, h.removed, h.files, h.binary_files
        FROM history_changes_v7 AS h JOIN history_commits_v7 AS o USING (repository_key, commit_id)
        JOIN history_repositories AS r USING (repository_key)
        JOIN history_commits AS n ON n.author_time = o.author_time AND n.repository = r.repository AND n.commit_id = o.commit_id
        """,
        """
        INSERT INTO history_moves (commit_row, language, category, lines)
        SELECT n.commit_row, m.language, m.category, m.lines
        FROM history_moves_v7 AS m JOIN history_commits_v7 AS o USING (repository_key, commit_id)
        JOIN history_repositories AS r USING (repository_key)
        JOIN history_commits AS n ON n.author_time = o.author_time AND n.repository = r.repository AND n.commit_id = o.commit_id
        """,
        """
        INSERT INTO history_unknown_changes (commit_row, reason)
        SELECT n.commit_row, u.reason
        FROM history_unknown_changes_v7 AS u JOIN history_commits_v7 AS o USING (repository_key, commit_id)
        JOIN history_repositories AS r USING (repository_key)
        JOIN history_commits AS n ON n.author_time = o.author_time AND n.repository = r.repository AND n.commit_id = o.commit_id
        """,
        "DROP TABLE history_commits_v7",
        "DROP TABLE history_changes_v7",
        "DROP TABLE history_moves_v7",
        "DROP TABLE history_unknown_changes_v7",
    ]
}
