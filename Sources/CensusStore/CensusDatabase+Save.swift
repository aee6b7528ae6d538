import GRDB

extension CensusDatabase {
    /// Stores one repository's results, replacing whatever was stored under its key.
    ///
    /// Everything happens in one transaction: the old rows go, the new ones arrive, and another
    /// reader, or a rerun after the process was killed, sees either the old repository or the new
    /// one, never a mixture or a part. File rows go through one prepared statement reused for every
    /// row.
    ///
    /// - Parameters:
    ///   - repository: The repository and its metadata; its key decides what is replaced.
    ///   - languages: One row per language and category; a language and category may appear once.
    ///   - files: Per-file rows (`--files`), or none.
    /// - Throws: ``CensusStoreError``: `invalidInput` (nothing written) naming the repository and the
    ///   bad field, or a database failure (nothing written).
    /// - Complexity: O(*l* + *f*) statement executions for *l* language and *f* file rows.
    public func save(
        repository: StoredRepository, languages: [StoredLanguageTotal], files: [StoredFile] = []
    ) throws {
        try save(repository: repository, languages: languages, files: files, afterFileRow: nil)
    }

    /// ``save(repository:languages:files:)``, calling `afterFileRow` with the number of file rows
    /// inserted so far, inside the transaction (tests throw from it to interrupt a save).
    func save(
        repository: StoredRepository, languages: [StoredLanguageTotal], files: [StoredFile],
        afterFileRow: ((Int) throws -> Void)?
    ) throws {
        try validate(repository: repository, languages: languages, files: files)
        let (own, breakdownBytes) = StoredRecordsValidation.ownTotals(languages)
        let cohorts = Set(repository.cohorts).sorted()

        try writeTransaction(repository: repository.key) { db in
            try Self.deleteRepository(db, key: repository.key)
            try db.execute(
                sql: """
                    INSERT INTO repositories (
                        repository_key, location, host, owner, name, org, company, revision, commit_id,
                        commit_date, root_commit_date, commit_count, is_shallow, default_branch, remote_url,
                        scanned_at, census_version, own_files, own_code, own_comment, own_blank, own_bytes,
                        breakdown_bytes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    repository.key, repository.location, repository.host, repository.owner, repository.name,
                    repository.org, repository.company, repository.revision, repository.commit?.lowercased(),
                    repository.commitDate, repository.rootCommitDate, repository.commitCount,
                    repository.isShallow, repository.defaultBranch, repository.remoteURL, repository.scannedAt,
                    repository.censusVersion, own.files, own.code, own.comment, own.blank, own.bytes,
                    breakdownBytes,
                ])
            let id = db.lastInsertedRowID

            let cohortStatement = try db.cachedStatement(
                sql: "INSERT INTO repository_cohorts (repository_id, cohort) VALUES (?, ?)")
            for cohort in cohorts {
                try cohortStatement.execute(arguments: [id, cohort])
            }

            let languageStatement = try db.cachedStatement(
                sql: """
                    INSERT INTO repository_languages (
                        repository_id, language, language_type, category, files, code, comment, blank, bytes,
                        breakdown_bytes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for total in languages {
                try languageStatement.execute(arguments: [
                    id, total.language, total.type.rawValue, total.category.rawValue, total.files, total.code,
                    total.comment, total.blank, total.bytes, total.breakdownBytes,
                ])
            }

            let fileStatement = try db.cachedStatement(
                sql: """
                    INSERT INTO repository_files (
                        repository_id, path, language, category, code, comment, blank, bytes, strategy)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for (index, file) in files.enumerated() {
                // The arguments' count and types are fixed by this code, so GRDB's per-row check is skipped.
                fileStatement.setUncheckedArguments([
                    id, file.path, file.language, file.category.rawValue, file.code, file.comment, file.blank,
                    file.bytes, file.strategy,
                ])
                try fileStatement.execute()
                try afterFileRow?(index + 1)
            }
        }
    }

    /// Removes a repository and all its rows.
    ///
    /// - Returns: Whether it was stored.
    @discardableResult
    public func remove(key: String) throws -> Bool {
        var removed = false
        try writeTransaction(repository: key) { db in
            removed = try Self.deleteRepository(db, key: key)
        }
        return removed
    }

    /// Whether the repository is stored at `commit`, so a rerun may skip it (unless forced).
    ///
    /// A plain directory has no commit and is never up to date.
    ///
    /// - Parameters:
    ///   - key: The repository's key (``StoredRepository/key``).
    ///   - commit: The commit the revision resolves to now; `nil` for a plain directory.
    public func isUpToDate(key: String, commit: String?) throws -> Bool {
        guard let commit else { return false }
        let query = queries.isUpToDate(key: key, commit: commit.lowercased())
        return try read { db in
            try Int.fetchOne(db, sql: query.sql, arguments: query.statementArguments) ?? 0 > 0
        }
    }

    /// Deletes a repository's rows, children first (explicitly, so it does not depend on
    /// `PRAGMA foreign_keys`).
    @discardableResult
    static func deleteRepository(_ db: Database, key: String) throws -> Bool {
        guard
            let id = try Int64.fetchOne(
                db, sql: "SELECT repository_id FROM repositories WHERE repository_key = ?", arguments: [key])
        else { return false }
        for sql in [
            "DELETE FROM repository_files WHERE repository_id = ?",
            "DELETE FROM repository_languages WHERE repository_id = ?",
            "DELETE FROM repository_cohorts WHERE repository_id = ?",
            "DELETE FROM repositories WHERE repository_id = ?",
        ] {
            try db.cachedStatement(sql: sql).execute(arguments: [id])
        }
        return true
    }

    /// Checks what SQLite's constraints would reject late, and what they cannot see, before writing.
    func validate(repository: StoredRepository, languages: [StoredLanguageTotal], files: [StoredFile]) throws {
        try StoredRecordsValidation.validate(
            repository: repository, languages: languages, files: files, location: path)
    }
}
