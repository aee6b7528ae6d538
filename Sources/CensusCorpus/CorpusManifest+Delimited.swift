extension ManifestReading {
    /// The columns a CSV or TSV manifest may have; others are ignored.
    enum Column {
        static let repo = "repo"
        static let org = "org"
        static let company = "company"
        static let cohorts = "cohorts"
        static let location = "location"
    }

    /// A header row, then one repository per record: `repo` (required), `org`, `company`, `cohorts`
    /// (`;`-separated). Column names are matched without case and surrounding spaces; an empty cell
    /// is as good as an absent column.
    ///
    /// - Throws: ``CorpusError/Code/missingColumn`` when the header has no `repo` column (or the
    ///   file has no header at all).
    mutating func readDelimited(_ body: ArraySlice<UInt8>, delimiter: UInt8) throws(CorpusError) {
        let kind = delimiter == UInt8(ascii: "\t") ? "TSV" : "CSV"
        var header: [String: Int]? = nil
        var headerNames: [String] = []
        var headerLine = 1
        for item in DelimitedRecords.read(body, delimiter: delimiter) {
            let record: DelimitedRecords.Record
            switch item {
            case .malformed(let malformed):
                report(.error, line: malformed.line, malformed.message)
                continue
            case .record(let read):
                record = read
            }
            guard let columns = header else {
                headerNames = record.fields.map { $0.trimmingPadding().lowercased() }
                headerLine = record.line
                var indexByName: [String: Int] = [:]
                for (index, name) in headerNames.enumerated() where indexByName[name] == nil {
                    indexByName[name] = index
                }
                guard indexByName[Column.repo] != nil else {
                    let found = headerNames.filter { !$0.isEmpty }.joined(separator: ", ")
                    throw CorpusError(
                        .missingColumn, input: file, line: headerLine,
                        message:
                            "no 'repo' column in the \(kind) header (found: \(found.isEmpty ? "nothing" : found)); the first row must name the columns, one of them 'repo' (optional: org, company, cohorts, location)"
                    )
                }
                header = indexByName
                continue
            }
            func cell(_ name: String) -> String? {
                guard let index = columns[name], index < record.fields.count else { return nil }
                let value = record.fields[index].trimmingPadding()
                return value.isEmpty ? nil : value
            }
            guard let repo = cell(Column.repo) else {
                report(.error, line: record.line, "no repository in the 'repo' column; row skipped")
                continue
            }
            let cohorts = (cell(Column.cohorts) ?? "").split(separator: ";").compactMap { CohortTag.normalized($0) }
            if var entry = entry(repo, line: record.line, org: cell(Column.org), company: cell(Column.company), cohorts: cohorts) {
                entry.place = cell(Column.location)
                entries.append(entry)
            }
        }
        if header == nil {
            throw CorpusError(
                .missingColumn, input: file, line: nil,
                message: "the \(kind) file has no header row; the first row must name the columns, one of them 'repo'")
        }
    }
}
