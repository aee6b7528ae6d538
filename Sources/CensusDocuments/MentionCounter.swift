import CensusFiles
import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What kind of document a file is, from its extension (and `%PDF-` at its start).
public enum DocumentFormat: String, Sendable, CaseIterable {
    case text
    case markdown
    case html
    case pdf

    /// Extensions read when a directory is walked; other files there are left out (counted as
    /// ignored). A file named on the command line is read whatever its extension (as text).
    public static func from(fileName: String) -> DocumentFormat? {
        guard let dot = fileName.lastIndex(of: "."), dot != fileName.startIndex else { return nil }
        switch fileName[fileName.index(after: dot)...].lowercased() {
        case "txt", "text": return .text
        case "md", "markdown", "mdown", "mkd": return .markdown
        case "html", "htm", "xhtml": return .html
        case "pdf": return .pdf
        default: return nil
        }
    }
}

/// How `census mentions` reads and dates documents.
public struct MentionOptions: Sendable {
    public var patterns: [MentionPattern]
    /// Tried in order; the first that gives a date is used (and named in the output).
    public var dateMethods: [DateMethod] = [.frontMatter]
    public var datePattern: DatePattern?
    public var period: MentionPeriod = .month
    public var pdf = PDFTextExtractor()
    /// Files read at once.
    public var jobs: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    /// Larger files are skipped with a reason (documents are small; a 2 GB log is not one).
    public var maxFileSize: Int = 64 << 20

    public init(patterns: [MentionPattern]) {
        self.patterns = patterns
    }
}

/// One counted document.
public struct MentionDocument: Sendable, Equatable {
    public var path: String
    public var format: DocumentFormat
    public var encoding: DocumentEncoding
    public var date: DocumentDate
    public var dateSource: DateMethod
    /// Matches per pattern, in the options' order.
    public var matches: [Int]
    /// Bytes of text the patterns were run on (UTF-8, after markup and front matter were removed).
    public var textBytes: Int
}

/// A file that was not counted, and why.
public struct MentionProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case unreadable, binary, undecodable, tooLarge = "too large", pdf, noDate = "no date", patternAbandoned = "pattern gave up"
    }
    public var path: String
    public var kind: Kind
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Per period and pattern: the documents in which the pattern occurs and its matches, beside
/// the documents of the period.
public struct MentionRow: Sendable, Equatable {
    public var period: String
    public var pattern: String
    public var documents: Int
    public var matches: Int
    /// All documents counted in the period (the denominator of a share).
    public var periodDocuments: Int
    /// How many of the period's documents got their date from each method.
    public var dateSources: [DateMethod: Int]
}

/// Everything `census mentions` found.
public struct MentionReport: Sendable {
    public var patterns: [MentionPattern]
    public var period: MentionPeriod
    public var dateMethods: [DateMethod]
    /// Counted documents, by path.
    public var documents: [MentionDocument]
    /// Files not counted, by path.
    public var problems: [MentionProblem]
    /// Files in the walked directories whose extension is not a document's.
    public var ignored: Int

    /// Rows by period, then pattern in the options' order; every pattern has a row in every
    /// period that has documents (zeros included), so series line up.
    public var rows: [MentionRow] {
        var byPeriod: [String: (documents: Int, sources: [DateMethod: Int], counts: [(documents: Int, matches: Int)])] = [:]
        for document in documents {
            let key = document.date.period(period)
            var entry = byPeriod[key] ?? (0, [:], Array(repeating: (0, 0), count: patterns.count))
            entry.documents += 1
            entry.sources[document.dateSource, default: 0] += 1
            for (index, matches) in document.matches.enumerated() where matches > 0 {
                entry.counts[index].documents += 1
                entry.counts[index].matches += matches
            }
            byPeriod[key] = entry
        }
        return byPeriod.keys.sorted().flatMap { key -> [MentionRow] in
            let entry = byPeriod[key]!
            return patterns.indices.map { index in
                MentionRow(
                    period: key, pattern: patterns[index].name, documents: entry.counts[index].documents,
                    matches: entry.counts[index].matches, periodDocuments: entry.documents, dateSources: entry.sources)
            }
        }
    }

    /// Counted documents per encoding.
    public var encodings: [DocumentEncoding: Int] {
        documents.reduce(into: [:]) { $0[$1.encoding, default: 0] += 1 }
    }
}

/// Counts the documents (and matches) in which each pattern occurs, per period
/// (docs/mentions.md). Files are read, decoded, stripped and counted on `jobs` threads; one bad
/// file is a ``MentionProblem`` and never stops the rest.
public struct MentionCounter: Sendable {
    public var options: MentionOptions

    public init(options: MentionOptions) {
        self.options = options
    }

    /// A file to read: its path, the path the date pattern sees, and its format (nil: unknown).
    struct Candidate: Sendable {
        var path: String
        var relative: String
        var format: DocumentFormat?
    }

    /// Walks `inputs` (files and directories) and counts every document found.
    public func run(inputs: [String]) -> MentionReport {
        var candidates: [Candidate] = []
        var problems: [MentionProblem] = []
        var ignored = 0
        for input in inputs {
            Self.collect(input, into: &candidates, problems: &problems, ignored: &ignored)
        }
        let results = Mutex([(MentionDocument?, MentionProblem?)?](repeating: nil, count: candidates.count))
        let next = Atomic<Int>(0)
        let jobs = max(1, min(options.jobs, candidates.count))
        let counter = self
        let list = candidates
        DispatchQueue.concurrentPerform(iterations: jobs) { _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                if index >= list.count { return }
                let outcome = counter.read(list[index])
                results.withLock { $0[index] = outcome }
            }
        }
        var documents: [MentionDocument] = []
        for entry in results.withLock({ $0 }) {
            guard let entry else { continue }
            if let document = entry.0 { documents.append(document) }
            if let problem = entry.1 { problems.append(problem) }
        }
        documents.sort { $0.path < $1.path }
        problems.sort { $0.path < $1.path }
        return MentionReport(
            patterns: options.patterns, period: options.period, dateMethods: options.dateMethods, documents: documents,
            problems: problems, ignored: ignored)
    }

    /// Adds the file, or the documents under the directory (hidden names and symbolic links to
    /// directories are not entered), to `candidates`.
    static func collect(_ input: String, into candidates: inout [Candidate], problems: inout [MentionProblem], ignored: inout Int) {
        var info = stat()
        guard stat(input, &info) == 0 else {
            problems.append(MentionProblem(path: input, kind: .unreadable, reason: "cannot read: \(String(cString: strerror(errno)))"))
            return
        }
        if (info.st_mode & S_IFMT) != S_IFDIR {
            let name = input.split(separator: "/").last.map(String.init) ?? input
            candidates.append(Candidate(path: input, relative: input, format: DocumentFormat.from(fileName: name)))
            return
        }
        var stack: [(path: String, relative: String)] = [(input, "")]
        while let (directory, relative) = stack.popLast() {
            guard let handle = opendir(directory) else {
                problems.append(
                    MentionProblem(path: directory, kind: .unreadable, reason: "cannot list: \(String(cString: strerror(errno)))"))
                continue
            }
            var entries: [(name: String, type: UInt8)] = []
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name.hasPrefix(".") { continue }
                entries.append((name, entry.pointee.d_type))
            }
            closedir(handle)
            for (name, type) in entries.sorted(by: { $0.name < $1.name }) {
                let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
                let rel = relative.isEmpty ? name : relative + "/" + name
                var kind = type
                if kind == UInt8(DT_UNKNOWN) || kind == UInt8(DT_LNK) {
                    var s = stat()
                    // A link to a directory is not followed (no cycles); a link to a file is read.
                    if lstat(path, &s) == 0, (s.st_mode & S_IFMT) == S_IFLNK {
                        guard stat(path, &s) == 0, (s.st_mode & S_IFMT) == S_IFREG else { continue }
                        kind = UInt8(DT_REG)
                    } else if stat(path, &s) == 0 {
                        kind = (s.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR) : (s.st_mode & S_IFMT) == S_IFREG ? UInt8(DT_REG) : 0
                    }
                }
                if kind == UInt8(DT_DIR) {
                    stack.append((path, rel))
                } else if kind == UInt8(DT_REG) {
                    if let format = DocumentFormat.from(fileName: name) {
                        candidates.append(Candidate(path: path, relative: rel, format: format))
                    } else {
                        ignored += 1
                    }
                }
            }
        }
    }

    /// Reads one file: its text, date and counts, or the reason it is not counted.
    func read(_ candidate: Candidate) -> (MentionDocument?, MentionProblem?) {
        let path = candidate.path
        func problem(_ kind: MentionProblem.Kind, _ reason: String) -> (MentionDocument?, MentionProblem?) {
            (nil, MentionProblem(path: path, kind: kind, reason: reason))
        }
        var info = stat()
        guard stat(path, &info) == 0 else { return problem(.unreadable, "cannot read: \(String(cString: strerror(errno)))") }
        if (info.st_mode & S_IFMT) != S_IFREG { return problem(.unreadable, "not a regular file") }
        if Int(info.st_size) > options.maxFileSize {
            return problem(.tooLarge, "\(info.st_size) bytes, more than the \(options.maxFileSize)-byte limit for a document")
        }
        let bytes: [UInt8]
        do {
            bytes = try WholeFile.read(path)
        } catch {
            return problem(.unreadable, "cannot \(error.operation): \(error.reason)")
        }
        var format = candidate.format ?? .text
        if bytes.starts(with: Array("%PDF-".utf8)) { format = .pdf }

        var text: [UInt8]
        let encoding: DocumentEncoding
        var frontMatter: FrontMatter?
        var metaDate: String?
        if format == .pdf {
            do {
                text = try options.pdf.text(of: path)
                encoding = .pdfText
            } catch {
                return problem(.pdf, error.reason)
            }
        } else {
            do {
                (text, encoding) = try DocumentDecoder.decode(bytes)
            } catch {
                return problem(error.reason.hasPrefix("binary") ? .binary : .undecodable, error.reason)
            }
            if format == .html {
                let html = HTMLText(html: text)
                text = html.text
                metaDate = html.metaDate
            } else if let block = FrontMatter.parse(text) {
                frontMatter = block
                text = Array(text[block.bodyOffset...])
            }
        }

        // The date: the first method that gives one.
        var date: DocumentDate?
        var source = DateMethod.frontMatter
        var reasons: [String] = []
        for method in options.dateMethods {
            switch method {
            case .frontMatter:
                let written: String?
                if format == .html {
                    written = metaDate
                    if written == nil { reasons.append("no <meta name=\"date\" content=…>") }
                } else if format == .pdf {
                    written = nil
                    reasons.append("a PDF has no front matter")
                } else if let frontMatter {
                    written = frontMatter.date
                    if written == nil { reasons.append("the front matter has no date:") }
                } else {
                    written = nil
                    reasons.append("no front matter (a first line '---')")
                }
                if let written {
                    if let parsed = DocumentDate.parse(written) {
                        date = parsed
                    } else {
                        reasons.append("the front-matter date '\(written.prefix(40))' is not a date (YYYY-MM-DD, YYYY-MM, YYYY年M月D日)")
                    }
                }
            case .filename:
                if let pattern = options.datePattern, let found = pattern.date(in: candidate.relative) {
                    date = found
                } else {
                    reasons.append("the path '\(candidate.relative)' has no date --date-pattern matches")
                }
            case .mtime:
                date = DocumentDate.utc(secondsSince1970: Int(info.st_mtim.tv_sec))
                if date == nil { reasons.append("the modification time is not a date census reads") }
            }
            if date != nil {
                source = method
                break
            }
        }
        guard let date else { return problem(.noDate, "no date: " + reasons.joined(separator: "; ")) }

        var matches: [Int] = []
        matches.reserveCapacity(options.patterns.count)
        for pattern in options.patterns {
            switch pattern.count(in: text) {
            case .matches(let n): matches.append(n)
            case .abandoned:
                return problem(
                    .patternAbandoned,
                    "pattern \(pattern.name) passed the backtracking limit in this document; simplify it (the document is not counted)")
            }
        }
        return (
            MentionDocument(
                path: path, format: format, encoding: encoding, date: date, dateSource: source, matches: matches,
                textBytes: text.count), nil
        )
    }
}
