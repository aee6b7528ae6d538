extension ClickHouseStore {
    /// Stores one repository's results; they replace whatever was stored under its key once written.
    ///
    /// The save is checked at once (as ``CensusDatabase`` checks it) and held in memory; the batch is
    /// written when it reaches ``batchLimits``, and by ``flush()``, any query, and ``close()``. A
    /// crash loses the held saves, and a rerun scans those repositories again.
    ///
    /// - Throws: ``CensusStoreError``: `invalidInput` (nothing held) naming the repository and the bad
    ///   field, or a failure to write the batch this save completed (the batch stays held).
    public func save(
        repository: StoredRepository, languages: [StoredLanguageTotal], files: [StoredFile] = []
    ) throws {
        try checkOpen()
        if isReadOnly {
            throw CensusStoreError(
                .readOnly, path: displayLocation, repository: repository.key,
                message: "the store was opened for queries only")
        }
        try StoredRecordsValidation.validate(
            repository: repository, languages: languages, files: files, location: displayLocation)
        let (own, breakdownBytes) = StoredRecordsValidation.ownTotals(languages)
        var stored = repository
        stored.commit = repository.commit?.lowercased()
        let due = pending.withLock { state in
            state.add(
                PendingScan(
                    id: PendingScan.newID(), savedAt: state.nextSavedAt(), repository: stored,
                    cohorts: Set(repository.cohorts).sorted(), languages: languages, files: files, own: own,
                    breakdownBytes: breakdownBytes))
            return state.isDue(batchLimits)
        }
        if due { try flush() }
    }

    /// Whether the repository is stored at `commit`, so a rerun may skip it; a save still held in
    /// memory counts.
    public func isUpToDate(key: String, commit: String?) throws -> Bool {
        try checkOpen()
        guard let commit = commit?.lowercased() else { return false }
        let held = pending.withLock { state in state.scans.last { $0.repository.key == key } }
        if let held { return held.repository.commit == commit }
        let query = queries.isUpToDate(key: key, commit: commit)
        let found = try select(query, doing: "check whether \(key) is stored")
        return try found.rows.first.map { try found.int($0, "up_to_date") } ?? 0 > 0
    }

    /// Writes a batch: file, language and cohort rows first, then the `repositories` rows, which
    /// make the scans current.
    func write(_ batch: [PendingScan]) throws {
        let only = batch.count == 1 ? batch[0].repository.key : nil
        let action = batch.count == 1 ? "store \(batch[0].repository.key)" : "store \(batch.count) repositories"
        let rows = Self.rows(of: batch)
        try insert(into: Self.filesTable, rows.files, repository: only, doing: action)
        try insert(into: Self.languagesTable, rows.languages, repository: only, doing: action)
        try insert(into: Self.cohortsTable, rows.cohorts, repository: only, doing: action)
        // Last, in one insert (one block, so all or none, even cut short: see `execute`): the
        // scans become current together.
        try insert(into: Self.repositoriesTable, rows.repositories, repository: only, doing: action)
    }

    /// The TabSeparated rows of a batch, table by table.
    static func rows(of batch: [PendingScan]) -> (
        files: ClickHouseSQL.RowWriter, languages: ClickHouseSQL.RowWriter, cohorts: ClickHouseSQL.RowWriter,
        repositories: ClickHouseSQL.RowWriter
    ) {
        var files = ClickHouseSQL.RowWriter()
        var languages = ClickHouseSQL.RowWriter()
        var cohorts = ClickHouseSQL.RowWriter()
        var repositories = ClickHouseSQL.RowWriter()
        for scan in batch {
            for file in scan.files {
                files.field(scan.id)
                files.field(file.path)
                files.field(file.language)
                files.field(file.category.rawValue)
                files.field(file.code)
                files.field(file.comment)
                files.field(file.blank)
                files.field(file.bytes)
                files.field(file.strategy)
                files.endRow()
            }
            for total in scan.languages {
                languages.field(scan.id)
                languages.field(total.language)
                languages.field(total.type.rawValue)
                languages.field(total.category.rawValue)
                languages.field(total.files)
                languages.field(total.code)
                languages.field(total.comment)
                languages.field(total.blank)
                languages.field(total.bytes)
                languages.field(total.breakdownBytes)
                languages.endRow()
            }
            for cohort in scan.cohorts {
                cohorts.field(scan.id)
                cohorts.field(cohort)
                cohorts.endRow()
            }
            let repository = scan.repository
            repositories.field(scan.id)
            repositories.field(repository.key)
            repositories.field(repository.location)
            repositories.field(repository.host)
            repositories.field(repository.owner)
            repositories.field(repository.name)
            repositories.field(repository.org)
            repositories.field(repository.company)
            repositories.field(repository.revision)
            repositories.field(repository.commit)
            repositories.field(repository.commitDate)
            repositories.field(repository.rootCommitDate)
            repositories.field(repository.commitCount)
            repositories.field(repository.isShallow ? 1 : 0)
            repositories.field(repository.defaultBranch)
            repositories.field(repository.remoteURL)
            repositories.field(repository.scannedAt)
            repositories.field(repository.censusVersion)
            repositories.field(scan.own.files)
            repositories.field(scan.own.code)
            repositories.field(scan.own.comment)
            repositories.field(scan.own.blank)
            repositories.field(scan.own.bytes)
            repositories.field(scan.breakdownBytes)
            repositories.field(scan.savedAt)
            repositories.endRow()
        }
        return (files, languages, cohorts, repositories)
    }
}
