/// What every store checks before writing a repository, and the totals it derives from the language
/// rows: shared by ``CensusDatabase`` and ``ClickHouseStore`` so both accept and store the same.
enum StoredRecordsValidation {
    /// Checks what the tables' constraints would reject late, and what they cannot see.
    ///
    /// - Parameter location: The store, named in the error (a path, or a ClickHouse URL).
    /// - Throws: ``CensusStoreError`` `invalidInput`, naming the repository and the bad field.
    static func validate(
        repository: StoredRepository, languages: [StoredLanguageTotal], files: [StoredFile], location: String
    ) throws {
        func invalid(_ message: String) -> CensusStoreError {
            CensusStoreError(.invalidInput, path: location, repository: repository.key, message: message)
        }
        if repository.key.isEmpty { throw invalid("the repository key is empty: give host/owner/name or a path") }
        if repository.org.isEmpty { throw invalid("the organisation is empty: give the owner, or the key") }
        if let commit = repository.commit {
            let hex = commit.utf8.allSatisfy { byte in
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
            }
            if !hex || (commit.utf8.count != 40 && commit.utf8.count != 64) {
                throw invalid("commit '\(commit)' is not 40 or 64 hexadecimal digits")
            }
        }
        var seen = Set<String>()
        for total in languages {
            if total.language.isEmpty { throw invalid("a language total has an empty language name") }
            if !seen.insert(total.category.rawValue + "\u{0}" + total.language).inserted {
                throw invalid("language \(total.language) appears twice in category \(total.category.rawValue)")
            }
            let counts = [total.files, total.code, total.comment, total.blank, total.bytes, total.breakdownBytes]
            if counts.contains(where: { $0 < 0 }) {
                throw invalid("language \(total.language) (\(total.category.rawValue)) has a negative count")
            }
        }
        for file in files where file.code < 0 || file.comment < 0 || file.blank < 0 || file.bytes < 0 {
            throw invalid("file \(file.path) has a negative count")
        }
    }

    /// The repository's own totals (sums of its `own` rows) and its bar bytes (all rows).
    static func ownTotals(_ languages: [StoredLanguageTotal]) -> (own: StoredCounts, breakdownBytes: Int) {
        var own = StoredCounts()
        var breakdownBytes = 0
        for total in languages {
            breakdownBytes += total.breakdownBytes
            guard total.category == .own else { continue }
            own.files += total.files
            own.code += total.code
            own.comment += total.comment
            own.blank += total.blank
            own.bytes += total.bytes
        }
        return (own, breakdownBytes)
    }
}
