/// A list of repositories to count, read from a manifest file: plain, CSV, TSV or a CNCF landscape.
///
/// Reading never stops at a bad line: each becomes a ``CorpusDiagnostic`` with its file and line,
/// and the rest is read. Only a file that leaves nothing to read (unreadable, a CSV without a `repo`
/// column, YAML that does not parse) is a thrown ``CorpusError``.
///
/// Repositories listed twice (the same ``CorpusEntry/key``) are merged into the first: cohorts are
/// unioned, the first org, company, name and source are kept, and a warning names both places.
///
/// The formats, columns and mappings are described in docs/manifests.md.
public struct CorpusManifest: Sendable, Equatable {
    /// A manifest's format.
    public enum Format: String, Sendable, CaseIterable, CustomStringConvertible {
        /// One URL or path per line; `#` comments and blank lines ignored.
        case plain
        /// Comma-separated values with a header row naming a `repo` column.
        case csv
        /// Tab-separated values with a header row naming a `repo` column.
        case tsv
        /// The CNCF landscape's `landscape.yml` or `processed_landscape.yml`.
        case landscape

        public var description: String { rawValue }

        /// The format a file name's extension announces: `.txt`, `.csv`, `.tsv`, `.yml`/`.yaml`
        /// (case-insensitive); nil for any other.
        public init?(path: String) {
            let name = path.split(separator: "/").last ?? ""
            guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
            switch name[name.index(after: dot)...].lowercased() {
            case "txt": self = .plain
            case "csv": self = .csv
            case "tsv": self = .tsv
            case "yml", "yaml": self = .landscape
            default: return nil
            }
        }

        /// The format of `bytes` judged from their content: a line `landscape:` makes a landscape; otherwise the first line that is neither blank nor a `#` comment decides: a
        /// tab makes TSV, a comma CSV, anything else a plain list.
        public init(detecting bytes: [UInt8]) {
            let body = CorpusManifest.droppingByteOrderMark(bytes)
            var firstLine: ArraySlice<UInt8>? = nil
            for line in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
                if line.starts(with: "landscape:".utf8),
                    line.dropFirst(10).allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") })
                {
                    self = .landscape
                    return
                }
                if firstLine == nil {
                    let content = line.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
                    if !content.isEmpty && content.first != UInt8(ascii: "#") { firstLine = line }
                }
            }
            if let firstLine, firstLine.contains(UInt8(ascii: "\t")) {
                self = .tsv
            } else if let firstLine, firstLine.contains(UInt8(ascii: ",")) {
                self = .csv
            } else {
                self = .plain
            }
        }
    }

    /// The repositories, in the order the manifest first lists them, duplicates merged.
    public var entries: [CorpusEntry]
    /// What was skipped or changed, with file and line.
    public var diagnostics: [CorpusDiagnostic]
    /// Landscape items that list no repository at all (products, members, services): expected in a
    /// landscape, so counted here rather than reported one by one.
    public var itemsWithoutRepository: Int

    /// A manifest of `entries`, duplicates merged into the first (with a warning each).
    public init(entries: [CorpusEntry], diagnostics: [CorpusDiagnostic] = [], itemsWithoutRepository: Int = 0) {
        self.entries = []
        self.diagnostics = diagnostics
        self.itemsWithoutRepository = itemsWithoutRepository
        var merger = EntryMerger()
        for entry in entries { merger.add(entry) }
        self.entries = merger.entries
        self.diagnostics += merger.warnings
    }

    /// Whether any line or item was skipped.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Reads the manifest at `path`.
    ///
    /// - Parameters:
    ///   - path: the manifest file; diagnostics name it as given.
    ///   - format: the format, or nil to judge it from the extension and then the content.
    /// - Returns: the repositories and the diagnostics.
    /// - Throws: ``CorpusError`` when the file cannot be read, or has nothing readable (see
    ///   ``parse(bytes:origin:format:)``).
    public static func load(path: String, format: Format? = nil) throws(CorpusError) -> CorpusManifest {
        let bytes = try CorpusFileReader.read(path)
        return try parse(bytes: bytes, origin: path, format: format ?? Format(path: path))
    }

    /// Reads a manifest from its bytes.
    ///
    /// - Parameters:
    ///   - bytes: the file's content; a UTF-8 byte-order mark is skipped.
    ///   - origin: the name diagnostics and errors give the file (its path).
    ///   - format: the format, or nil to judge it from the content (``Format/init(detecting:)``).
    /// - Throws: ``CorpusError`` with ``CorpusError/Code/missingColumn`` for a CSV or TSV file
    ///   without a `repo` column, ``CorpusError/Code/invalidYAML`` or
    ///   ``CorpusError/Code/notALandscape`` for a landscape that cannot be read.
    public static func parse(bytes: [UInt8], origin: String, format: Format? = nil) throws(CorpusError)
        -> CorpusManifest
    {
        let body = droppingByteOrderMark(bytes)
        var reading = ManifestReading(file: origin)
        switch format ?? Format(detecting: bytes) {
        case .plain: reading.readPlain(body)
        case .csv: try reading.readDelimited(body, delimiter: UInt8(ascii: ","))
        case .tsv: try reading.readDelimited(body, delimiter: UInt8(ascii: "\t"))
        case .landscape: try reading.readLandscape(body)
        }
        var manifest = CorpusManifest(
            entries: reading.entries, diagnostics: reading.diagnostics,
            itemsWithoutRepository: reading.itemsWithoutRepository)
        // One file: diagnostics in line order (stable), merge warnings among the others.
        manifest.diagnostics = manifest.diagnostics.enumerated()
            .sorted { ($0.element.location.line, $0.offset) < ($1.element.location.line, $1.offset) }
            .map(\.element)
        return manifest
    }

    /// Several manifests as one: entries in order, duplicates across them merged into the first.
    public static func combining(_ manifests: [CorpusManifest]) -> CorpusManifest {
        CorpusManifest(
            entries: manifests.flatMap(\.entries), diagnostics: manifests.flatMap(\.diagnostics),
            itemsWithoutRepository: manifests.reduce(0) { $0 + $1.itemsWithoutRepository })
    }

    /// The entries of one shard (diagnostics are kept whole: they belong to no shard).
    public func sharded(_ shard: CorpusShard) -> CorpusManifest {
        var copy = self
        copy.entries = entries.filter { shard.contains($0) }
        return copy
    }

    /// Replaces the company of every entry whose org `map` knows (org matched case-insensitively).
    ///
    /// - Returns: how many entries changed company.
    @discardableResult
    public mutating func overrideCompanies(with map: CompanyMap) -> Int {
        var changed = 0
        for index in entries.indices {
            guard let org = entries[index].org, let company = map.company(forOrg: org) else { continue }
            if entries[index].company != company {
                entries[index].company = company
                changed += 1
            }
        }
        return changed
    }

    static func droppingByteOrderMark(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
    }
}

/// The entries and diagnostics of one file as it is read, before duplicates are merged.
struct ManifestReading {
    let file: String
    var entries: [CorpusEntry] = []
    var diagnostics: [CorpusDiagnostic] = []
    var itemsWithoutRepository = 0

    init(file: String) {
        self.file = file
    }

    func location(_ line: Int) -> CorpusSourceLocation {
        CorpusSourceLocation(file: file, line: line)
    }

    mutating func report(_ severity: CorpusDiagnostic.Severity, line: Int, _ message: String) {
        diagnostics.append(CorpusDiagnostic(severity: severity, location: location(line), message: message))
    }

    /// The entry for `text` at `line`, with the manifest's own attribution over the defaults;
    /// nil (and an error reported) when `text` is not a usable location.
    mutating func entry(
        _ text: String, line: Int, org: String? = nil, company: String? = nil, cohorts: [String] = [],
        context: String = ""
    ) -> CorpusEntry? {
        let reference: RepositoryReference
        do {
            reference = try RepositoryReference(text)
        } catch {
            report(.error, line: line, context + error.message + "; skipped")
            return nil
        }
        if let warning = reference.warning { report(.warning, line: line, context + warning) }
        return CorpusEntry(
            location: reference.location, remote: reference.remote, key: reference.key,
            org: org ?? reference.org, company: company ?? org ?? reference.company, cohorts: cohorts,
            source: location(line))
    }
}

/// Merges entries with the same key into the first, with a warning for each duplicate.
struct EntryMerger {
    private(set) var entries: [CorpusEntry] = []
    private(set) var warnings: [CorpusDiagnostic] = []
    private var indexByKey: [String: Int] = [:]

    mutating func add(_ entry: CorpusEntry) {
        guard let index = indexByKey[entry.key] else {
            indexByKey[entry.key] = entries.count
            entries.append(entry)
            return
        }
        var first = entries[index]
        let added = Set(entry.cohorts).subtracting(first.cohorts)
        first.cohorts = (first.cohorts + added).sorted()
        if first.github == nil { first.github = entry.github }
        if first.name == nil { first.name = entry.name }
        if first.homepage == nil { first.homepage = entry.homepage }
        entries[index] = first
        var message = entry.name.map { "item '\($0)': " } ?? ""
        message += "\(entry.location) is \(first.key) again, first listed at \(first.source)"
        message += added.isEmpty ? "; merged" : "; merged, adding cohorts \(added.sorted().joined(separator: ", "))"
        if entry.company != first.company, let company = entry.company {
            message += " (company '\(company)' ignored: the first listing's '\(first.company ?? "none")' is kept)"
        }
        warnings.append(CorpusDiagnostic(severity: .warning, location: entry.source, message: message))
    }
}
