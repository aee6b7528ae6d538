import CensusPeople
import CensusReports
import CensusStore

#if canImport(Glibc)
import Glibc
#endif

/// `census report`: opens the store read-only (recording the SQL an SQLite store runs), builds the
/// report from its queries, and writes the report's files into a directory.
public struct ReportRun {
    public var location: StoreLocation
    public var cluster: String?
    public var options: ReportOptions
    /// The events the report reads, made from the opened store (so an SQLite store's event
    /// queries are traced with the rest): its own events queries (``StoreReportEvents``), for
    /// SQLite and ClickHouse alike.
    public var events: @Sendable (any ResultStore) throws -> any ReportEventSource = { StoreReportEvents.source(for: $0) }

    public init(location: StoreLocation, cluster: String? = nil, options: ReportOptions) {
        self.location = location
        self.cluster = cluster
        self.options = options
    }

    /// What a run wrote, and how long its parts took.
    public struct Summary: Sendable {
        public var files: [String]
        public var figures: Int
        public var htmlBytes: Int
        /// Seconds spent in the store's queries (building the document) and in drawing and writing.
        public var querySeconds: Double
        public var writeSeconds: Double
    }

    /// Builds the report and writes it into `directory` (created if needed; files already there
    /// with the report's names are replaced, each atomically).
    ///
    /// - Throws: ``CensusStoreError`` from opening or querying the store; ``ReportWriteError``
    ///   naming the file that could not be written.
    public func run(into directory: String) throws -> Summary {
        var options = options
        options.regionOfEmailDomain = { Self.region(ofEmailDomain: $0) }
        let clock = ContinuousClock()
        let start = clock.now
        let recorder = ReportStatementRecorder()
        let store: any ResultStore
        var hint = "census.db"
        switch location {
        case .sqlite(let path):
            store = try CensusDatabase.open(path: path, readOnly: true, statementTrace: { recorder.record($0) })
            hint = path
        case .clickhouse:
            store = try openStore(location, cluster: cluster, readOnly: true)
        }
        defer { try? store.close() }
        let document = try ReportBuilder(store: store, events: try events(store), options: options, recorder: recorder).build()
        let built = clock.now
        let files = ReportFiles.files(for: document, databaseHint: hint)
        try Self.makeDirectory(directory)
        for file in files {
            if let slash = file.path.lastIndex(of: "/") { try Self.makeDirectory(directory + "/" + file.path[..<slash]) }
            try Self.write(file.contents, to: directory + "/" + file.path)
        }
        let done = clock.now
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
        return Summary(
            files: files.map(\.path), figures: document.figures.count,
            htmlBytes: files.first { $0.path == "index.html" }?.contents.utf8.count ?? 0,
            querySeconds: seconds(built - start), writeSeconds: seconds(done - built))
    }

    /// The region of an email domain's country-code top-level domain (`mail.example.cn` → China);
    /// nil for generic domains (`.com`, `.org`, `.io`…) and unknown codes. `.uk` is Great Britain's.
    public static func region(ofEmailDomain domain: String) -> String? {
        guard let dot = domain.lastIndex(of: ".") else { return nil }
        var tld = domain[domain.index(after: dot)...].lowercased()
        guard tld.count == 2 else { return nil }
        if tld == "uk" { tld = "gb" }
        return RegionClassifier.standard.region(ofCountry: tld)?.rawValue
    }

    static func makeDirectory(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0, errno != EEXIST {
                throw ReportWriteError(path: prefix, reason: String(cString: strerror(errno)))
            }
        }
    }

    /// Writes through a temporary file renamed over the target, so a reader never sees half a file.
    static func write(_ text: String, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ReportWriteError(path: path, reason: String(cString: strerror(errno))) }
        var failure: Int32 = 0
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(fd, base + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure == 0, rename(temporary, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw ReportWriteError(path: path, reason: String(cString: strerror(failure)))
        }
    }
}

/// A report file that could not be written: which, and the system's reason.
public struct ReportWriteError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "cannot write \(path): \(reason); check that the --out directory is writable and has space" }
}
