import CensusPeople

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which events an ingest keeps (`--keep-language`, `--keep-org`, `--keep-manifest`); with none
/// set, every event is kept. An event must pass every filter that is set.
public struct EventFilters: Sendable {
    /// Lowercased language names; an event is kept when its repository's language, as known when
    /// the event is read, is one of them (docs/events.md, "Filters").
    public var languages: Set<String> = []
    /// Lowercased owners (users or organisations).
    public var orgs: Set<String> = []
    /// Lowercased `owner/name`s (from a manifest).
    public var repositories: Set<String>?
    /// Languages already known by lowercased `owner/name` (census's scans, the store's sightings,
    /// `--repo-languages`), for events that carry none.
    public var knownLanguages: [String: String] = [:]

    public init() {}

    public var isEmpty: Bool { languages.isEmpty && orgs.isEmpty && repositories == nil }

    /// A short text naming the filters, stored with each file so a file read again with other
    /// filters is read again.
    public var signature: String {
        var parts: [String] = []
        if !languages.isEmpty { parts.append("language=" + languages.sorted().joined(separator: ",")) }
        if !orgs.isEmpty { parts.append("org=" + orgs.sorted().joined(separator: ",")) }
        if let repositories {
            var hasher = EventKey.Hasher()
            for name in repositories.sorted() {
                for byte in name.utf8 { hasher.add(byte) }
                hasher.add(UInt8(0xFF))
            }
            parts.append("manifest=\(repositories.count):\(String(hasher.value, radix: 16))")
        }
        return parts.joined(separator: ";")
    }
}

/// What reading one input found.
public struct EventFileReport: Sendable {
    /// The input as named (a path, or `-`).
    public var input: String
    /// Lines read (a last line without a line feed counts).
    public var lines = 0
    /// Events read (lines that parsed).
    public var events = 0
    /// Events left out by the filters.
    public var filtered = 0
    /// Lines that are not events census can keep (blank lines are not counted).
    public var malformed = 0
    /// The first few malformed lines: line number and problem.
    public var malformedSamples: [(line: Int, problem: MalformedLine)] = []
    /// Why the input could not be read to its end (its events before that are in the batch).
    public var failure: GzipStreamError?
    /// A last line cut short by the failure, not counted as malformed.
    public var cutLine = false
    public var compressedBytes: Int64 = 0
    public var decompressedBytes: Int64 = 0

    public static let sampleLimit = 5

    public init(input: String) {
        self.input = input
    }

    /// Whether the input was read to its end.
    public var isComplete: Bool { failure == nil }
}

/// Reads GH Archive inputs into ``EventBatch``es: gzip (or plain JSON lines) decoded through fixed
/// buffers, split into lines, each line parsed in place, the kept fields and the actor's
/// dimensions copied into the batch. One reader per worker; it is reused from file to file.
///
/// Lines longer than ``maximumLineLength`` are counted as malformed and skipped without being
/// held, so memory stays bounded by the buffers, the longest accepted line and the batch.
public final class EventFileReader {
    public static let maximumLineLength = 128 << 20
    /// Events per chunk handed to `read`'s `chunk` callback: about 15 MB of batch, so a file of
    /// millions of lines is stored a chunk at a time instead of held whole.
    public static let defaultChunkEvents = 100_000

    let gzip: GzipStream
    let parser = EventLineParser()
    let filters: EventFilters
    let dimensions: EventDimensionCache
    /// A line that straddles two decoded pieces is gathered here.
    private var carry: [UInt8] = []
    private var skippingLongLine = false
    private var scratch: [UInt8] = []
    private var lineNumber = 0
    private var report = EventFileReport(input: "")
    private var batch = EventBatch()
    /// While a `read` with a `chunk` callback runs: the callback, and the events per chunk.
    private var chunk: ((EventBatch, EventFileReport) -> Void)?
    private var chunkEvents = EventFileReader.defaultChunkEvents

    public init?(people: EventPeople, filters: EventFilters = EventFilters()) {
        guard let gzip = GzipStream() else { return nil }
        self.gzip = gzip
        self.filters = filters
        self.dimensions = EventDimensionCache(people: people)
    }

    /// Reads one input: a `.gz` file (or `-`, standard input) as gzip, any other file as plain JSON
    /// lines.
    ///
    /// - Parameters:
    ///   - chunkEvents: With `chunk`, the events per chunk.
    ///   - chunk: Called, when given, each time `chunkEvents` events have been kept, with those
    ///     events and the report so far; the batch returned then holds only the events after the
    ///     last chunk. Memory then stays bounded by a chunk whatever the file's length.
    /// - Returns: The events kept (since the last chunk), and what was found in the whole input. A
    ///   file that cannot be read to its end returns the events before the failure, with
    ///   ``EventFileReport/failure`` set.
    public func read(
        _ input: String, chunkEvents: Int = EventFileReader.defaultChunkEvents,
        chunk: ((EventBatch, EventFileReport) -> Void)? = nil
    ) -> (EventBatch, EventFileReport) {
        self.chunk = chunk
        self.chunkEvents = max(1, chunkEvents)
        defer { self.chunk = nil }
        start(input)
        if input == "-" || input.hasSuffix(".gz") {
            do {
                let sizes = try gzip.decode(path: input) { piece in consume(piece) }
                report.compressedBytes = sizes.compressed
                report.decompressedBytes = sizes.decompressed
                finish(complete: true)
            } catch let error as GzipStreamError {
                report.failure = error
                report.compressedBytes = error.compressedOffset
                report.decompressedBytes = error.decompressedOffset
                finish(complete: false)
            } catch {
                report.failure = GzipStreamError(
                    kind: .unreadable, input: input, compressedOffset: 0, decompressedOffset: 0, reason: "\(error)")
                finish(complete: false)
            }
        } else {
            readPlain(input)
        }
        let result = (batch, report)
        batch = EventBatch()
        return result
    }

    /// Reads lines from bytes already in memory (tests, and the plain reader's pieces).
    public func read(bytes: [UInt8], name: String) -> (EventBatch, EventFileReport) {
        start(name)
        bytes.withUnsafeBytes { consume($0) }
        report.decompressedBytes = Int64(bytes.count)
        finish(complete: true)
        let result = (batch, report)
        batch = EventBatch()
        return result
    }

    private func start(_ input: String) {
        report = EventFileReport(input: input)
        batch = EventBatch()
        carry.removeAll(keepingCapacity: true)
        if carry.capacity > 4 << 20 { carry = [] }
        skippingLongLine = false
        lineNumber = 0
    }

    private func readPlain(_ path: String) {
        var fd: Int32
        repeat { fd = open(path, O_RDONLY | O_CLOEXEC) } while fd < 0 && errno == EINTR
        guard fd >= 0 else {
            report.failure = GzipStreamError(
                kind: .unreadable, input: path, compressedOffset: 0, decompressedOffset: 0,
                reason: String(cString: strerror(errno)))
            return
        }
        defer { close(fd) }
        let size = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        while true {
            var n: Int
            repeat { n = Glibc.read(fd, buffer.baseAddress, size) } while n < 0 && errno == EINTR
            if n < 0 {
                report.failure = GzipStreamError(
                    kind: .unreadable, input: path, compressedOffset: total, decompressedOffset: total,
                    reason: String(cString: strerror(errno)))
                finish(complete: false)
                return
            }
            if n == 0 { break }
            total += Int64(n)
            consume(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        report.compressedBytes = total
        report.decompressedBytes = total
        finish(complete: true)
    }

    /// Splits a decoded piece into lines.
    private func consume(_ piece: UnsafeRawBufferPointer) {
        guard let base = piece.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var start = 0
        let end = piece.count
        while start < end {
            guard let found = memchr(base + start, 0x0A, end - start) else {
                hold(base + start, end - start)
                return
            }
            let newline = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
            if carry.isEmpty && !skippingLongLine {
                line(base + start, newline - start)
            } else {
                hold(base + start, newline - start)
                endHeldLine()
            }
            start = newline + 1
        }
    }

    /// Keeps the start of a line that goes on in the next piece.
    private func hold(_ bytes: UnsafePointer<UInt8>, _ count: Int) {
        if skippingLongLine { return }
        if carry.count + count > Self.maximumLineLength {
            skippingLongLine = true
            carry.removeAll()
            return
        }
        carry.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
    }

    private func endHeldLine() {
        if skippingLongLine {
            lineNumber += 1
            report.lines += 1
            malformed(MalformedLine(.tooLong, column: Self.maximumLineLength + 1))
            skippingLongLine = false
            return
        }
        carry.withUnsafeBufferPointer { held in
            if let base = held.baseAddress { line(base, held.count) } else { line(nil, 0) }
        }
        carry.removeAll(keepingCapacity: true)
        if carry.capacity > 4 << 20 { carry = [] }
    }

    private func finish(complete: Bool) {
        if skippingLongLine || !carry.isEmpty {
            if complete {
                endHeldLine()
            } else {
                // The failure cut the last line: it is not malformed, only incomplete.
                report.cutLine = true
                lineNumber += 1
                report.lines += 1
                carry.removeAll()
                skippingLongLine = false
            }
        }
    }

    private func malformed(_ problem: MalformedLine) {
        report.malformed += 1
        if report.malformedSamples.count < EventFileReport.sampleLimit {
            report.malformedSamples.append((lineNumber, problem))
        }
    }

    // MARK: - One line

    private func line(_ base: UnsafePointer<UInt8>?, _ count: Int) {
        lineNumber += 1
        report.lines += 1
        guard let base, count > 0 else { return }
        let event: ParsedEvent
        do {
            guard let parsed = try parser.parse(UnsafeRawBufferPointer(start: base, count: count)) else { return }
            event = parsed
        } catch {
            malformed(error)
            return
        }
        report.events += 1
        keep(event, line: base)
    }

    /// The bytes of a span, escapes decoded (into the scratch buffer when needed).
    private func withDecoded<T>(_ span: LineSpan, _ line: UnsafePointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> T)
        -> T
    {
        if !span.escaped { return body(UnsafeBufferPointer(start: line + span.start, count: span.count)) }
        scratch.removeAll(keepingCapacity: true)
        JSONText.appendUnescaped(line + span.start, count: span.count, to: &scratch)
        return scratch.withUnsafeBufferPointer(body)
    }

    private func keep(_ event: ParsedEvent, line: UnsafePointer<UInt8>) {
        let mark = batch.arena.count
        // The repository: `owner/name`; "/" is the 2011-2012 spelling of no repository.
        var repo = EventText.null
        if event.repoFullName.isPresent {
            repo = batch.append(event.repoFullName, of: line, lowercase: true)
            let bytes = batch.bytes(repo)
            if bytes.isEmpty || bytes.elementsEqual([UInt8(ascii: "/")]) { repo = .null }
        } else if event.repoOwner.isPresent && event.repoOwner.count > 0 {
            repo = batch.appendJoined(event.repoOwner, event.repoName, of: line)
        } else if event.repoName.isPresent, event.repoName.count > 0,
            let owner = Self.ownerFromURL(event.url, name: event.repoName, line: line)
        {
            // Some Timeline events lack `repository.owner` (their repository URL reads
            // `https://github.com//name`); the event's own URL still names it.
            repo = batch.appendJoined(owner, event.repoName, of: line)
        }
        let ownLanguage = event.repositoryLanguage.isPresent ? event.repositoryLanguage : event.pullRequestLanguage
        if !filters.isEmpty && !passes(repo: repo, ownLanguage: ownLanguage, line: line) {
            batch.truncate(arena: mark)
            report.filtered += 1
            return
        }
        let type = batch.append(event.type, of: line)
        let actor = batch.append(event.actor, of: line, lowercase: true)
        let action = batch.append(event.action, of: line)
        let refType = batch.append(event.refType, of: line)

        // The actor's dimensions.
        var isBot = false
        var company: [UInt8]?
        var place: EventDimensionCache.Place?
        var actorIndex: Int?
        if !actor.isNull, actor.length > 0 {
            let index = batch.arena.withUnsafeBufferPointer { arena in
                dimensions.actor(UnsafeBufferPointer(rebasing: arena[Int(actor.offset)..<Int(actor.offset + actor.length)]))
            }
            actorIndex = index
            isBot = dimensions.isBot(index)
            if let gitdm = dimensions.gitdmCompany(index, on: Day(unixTime: event.createdAt)) {
                company = gitdm
            }
        }
        if company == nil, event.company.isPresent, event.company.count > 0 {
            company = withDecoded(event.company, line) { dimensions.company($0) }
        }
        if company == nil, let actorIndex { company = dimensions.userCompany(actorIndex) }
        if event.location.isPresent, event.location.count > 0 {
            place = withDecoded(event.location, line) { dimensions.place($0) }
        }
        if place == nil, let actorIndex { place = dimensions.userPlace(actorIndex) }
        let companyText = company.map { name in name.withUnsafeBufferPointer { batch.append(bytes: $0) } } ?? .null
        let countryText = place?.country.map { code in code.withUnsafeBufferPointer { batch.append(bytes: $0) } } ?? .null
        let regionText = place.map { p in p.region.withUnsafeBufferPointer { batch.append(bytes: $0) } } ?? .null

        var key: Int64
        if let id = event.id, id > 0 {
            key = id
        } else {
            key = EventKey.timeline(
                type: batch.bytes(type), actor: batch.bytes(actor), repo: batch.bytes(repo), time: event.createdAt,
                url: UnsafeBufferPointer(start: line + event.url.start, count: max(0, event.url.count)),
                action: batch.bytes(action))
        }
        batch.appendRow(
            key: key, time: event.createdAt, repoID: event.repoID ?? 0, merged: event.merged, bot: isBot, type: type,
            repo: repo, actor: actor, action: action, refType: refType, company: companyText, country: countryText,
            region: regionText)
        if !repo.isNull {
            if event.repositoryLanguage.isPresent {
                let language = batch.append(event.repositoryLanguage, of: line)
                batch.observe(repo: repo, language: language, source: .timeline, at: event.createdAt)
            }
            if event.pullRequestLanguage.isPresent {
                let language = batch.append(event.pullRequestLanguage, of: line)
                batch.observe(repo: repo, language: language, source: .pullRequest, at: event.createdAt)
            }
        }
        if let chunk, batch.count >= chunkEvents {
            chunk(batch, report)
            batch = EventBatch()
        }
    }

    /// The owner in a URL `https://github.com/OWNER/NAME…` whose NAME is `name`.
    static func ownerFromURL(_ url: LineSpan, name: LineSpan, line: UnsafePointer<UInt8>) -> LineSpan? {
        guard url.isPresent, !url.escaped, !name.escaped else { return nil }
        let prefix = Array("https://github.com/".utf8)
        guard url.count > prefix.count else { return nil }
        for (offset, byte) in prefix.enumerated() where line[url.start + offset] != byte { return nil }
        let ownerStart = url.start + prefix.count
        let end = url.start + url.count
        var slash = ownerStart
        while slash < end, line[slash] != UInt8(ascii: "/") { slash += 1 }
        guard slash > ownerStart, slash + name.count <= end else { return nil }
        for offset in 0..<name.count where line[slash + 1 + offset] != line[name.start + offset] { return nil }
        let after = slash + 1 + name.count
        guard after == end || line[after] == UInt8(ascii: "/") || line[after] == UInt8(ascii: "#") else { return nil }
        return LineSpan(start: ownerStart, count: slash - ownerStart, escaped: false)
    }

    /// Whether an event passes the ingest filters.
    private func passes(repo: EventText, ownLanguage: LineSpan, line: UnsafePointer<UInt8>) -> Bool {
        let name = repo.isNull ? nil : String(decoding: batch.bytes(repo), as: UTF8.self)
        if let repositories = filters.repositories {
            guard let name, repositories.contains(name) else { return false }
        }
        if !filters.orgs.isEmpty {
            guard let name, let slash = name.firstIndex(of: "/"), filters.orgs.contains(String(name[..<slash])) else {
                return false
            }
        }
        if !filters.languages.isEmpty {
            var language: String?
            if ownLanguage.isPresent {
                language = withDecoded(ownLanguage, line) { String(decoding: $0, as: UTF8.self) }
            } else if let name {
                language = filters.knownLanguages[name]
            }
            guard let language, filters.languages.contains(language.lowercased()) else { return false }
        }
        return true
    }
}

extension EventBatch {
    /// Drops arena bytes appended after `count` (an event left out by the filters).
    mutating func truncate(arena count: Int) {
        truncateArena(to: count)
    }
}
