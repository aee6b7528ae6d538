import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One input of an ingest: a file, or `-` for standard input.
public struct EventInput: Sendable, Equatable {
    public var path: String
    /// The name the store keeps it under: the file's name without directories (`-` for stdin).
    public var name: String
    /// Bytes, -1 for standard input.
    public var size: Int64

    public init(path: String, name: String, size: Int64) {
        self.path = path
        self.name = name
        self.size = size
    }

    /// The inputs of the arguments: files as given, directories' `*.json.gz` and `*.json` files
    /// (not recursive, sorted by name), `-` as is.
    ///
    /// - Returns: The inputs, and a message for each argument that could not be used.
    public static func expand(_ arguments: [String]) -> (inputs: [EventInput], problems: [String]) {
        var inputs: [EventInput] = []
        var problems: [String] = []
        for argument in arguments {
            if argument == "-" {
                inputs.append(EventInput(path: "-", name: "-", size: -1))
                continue
            }
            var info = stat()
            guard stat(argument, &info) == 0 else {
                problems.append("\(argument): cannot read: \(String(cString: strerror(errno)))")
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                guard let directory = opendir(argument) else {
                    problems.append("\(argument): cannot list the directory: \(String(cString: strerror(errno)))")
                    continue
                }
                var names: [String] = []
                while let entry = readdir(directory) {
                    let name = withUnsafePointer(to: entry.pointee.d_name) {
                        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                    }
                    if name.hasSuffix(".json.gz") || name.hasSuffix(".json") { names.append(name) }
                }
                closedir(directory)
                if names.isEmpty { problems.append("\(argument): no .json.gz or .json files in the directory") }
                for name in names.sorted() {
                    let path = argument.hasSuffix("/") ? argument + name : argument + "/" + name
                    var fileInfo = stat()
                    guard stat(path, &fileInfo) == 0, (fileInfo.st_mode & S_IFMT) == S_IFREG else { continue }
                    inputs.append(EventInput(path: path, name: name, size: Int64(fileInfo.st_size)))
                }
            } else {
                let name = argument.split(separator: "/").last.map(String.init) ?? argument
                inputs.append(EventInput(path: argument, name: name, size: Int64(info.st_size)))
            }
        }
        return (inputs, problems)
    }
}

/// What happened to one input.
public struct EventIngestResult: Sendable {
    public var input: EventInput
    /// Already stored complete, with the same size and filters: not read again.
    public var skipped = false
    public var report: EventFileReport
    public var saved: EventSaveResult?
    /// Why its events could not be stored (nothing of it was stored but the chunks before the
    /// error, counted in `saved`).
    public var storeError: String?

    /// Whether the input counts as a failure for the exit status.
    public var failed: Bool { storeError != nil || report.failure != nil }
}

/// `census events ingest`: reads inputs on `jobs` threads census owns (one gzip decoder and one
/// batch per thread) and stores each file's events in the store on the calling thread, one file at
/// a time (docs/events.md, "Ingest"). With one job there is no other thread: each file is read,
/// then stored, on the calling thread.
///
/// Memory: a file is read and stored in chunks of `chunkEvents` events (the kept fields only,
/// about 150 bytes an event): each worker holds the chunk it fills and at most `jobs` finished
/// chunks wait for the store; nothing grows with the length of a file or the number of files
/// (only the actors' dimensions, one entry per distinct login). Each chunk is stored with the
/// file's row marked partial; the last one marks it complete. A file already stored complete with
/// the same size and filters is skipped.
public struct EventIngest: Sendable {
    public var jobs: Int
    public var people: EventPeople
    public var filters: EventFilters
    /// Events per chunk stored (``EventFileReader/defaultChunkEvents``).
    public var chunkEvents: Int

    public init(
        jobs: Int = 1, people: EventPeople = EventPeople(), filters: EventFilters = EventFilters(),
        chunkEvents: Int = EventFileReader.defaultChunkEvents
    ) {
        self.jobs = max(1, jobs)
        self.people = people
        self.filters = filters
        self.chunkEvents = max(1, chunkEvents)
    }

    /// Ingests `inputs` into `store`, calling `progress` on the calling thread after each input.
    public func run(
        _ inputs: [EventInput], into store: any EventStore, progress: (EventIngestResult) -> Void
    ) -> [EventIngestResult] {
        var results: [EventIngestResult] = []
        var pending: [EventInput] = []
        let signature = filters.signature
        for input in inputs {
            if input.path != "-", let stored = try? store.eventFile(named: input.name), stored.status == .complete,
                stored.size == input.size, stored.options == signature
            {
                var report = EventFileReport(input: input.path)
                report.lines = stored.lines
                report.events = stored.events
                let result = EventIngestResult(input: input, skipped: true, report: report)
                results.append(result)
                progress(result)
                continue
            }
            pending.append(input)
        }
        if pending.isEmpty { return results }
        if jobs == 1 {
            // One job: read a file, store it, read the next, all on the calling thread.
            guard let reader = EventFileReader(people: people, filters: filters) else {
                return results + [Self.workerFailure("out of memory for a gzip decoder")]
            }
            for input in pending {
                var chunks = StoredChunks()
                let (batch, report) = reader.read(input.path, chunkEvents: chunkEvents) { chunk, soFar in
                    self.storeChunk(chunk, soFar, input, into: store, signature: signature, &chunks)
                }
                let result = self.store(batch, report, input, into: store, signature: signature, after: chunks)
                results.append(result)
                progress(result)
            }
            return results
        }

        let queue = BatchQueue(capacity: jobs)
        let next = Atomic<Int>(0)
        let workers = min(jobs, pending.count)
        let people = self.people
        let filters = self.filters
        let work = pending
        let chunkEvents = self.chunkEvents
        queue.setWorkers(workers)
        var threads: [Thread] = []
        for _ in 0..<workers {
            let thread = Thread {
                guard let reader = EventFileReader(people: people, filters: filters) else {
                    queue.workerFailed("out of memory for a gzip decoder")
                    return
                }
                while true {
                    let index = next.add(1, ordering: .relaxed).oldValue
                    if index >= work.count { break }
                    let (batch, report) = reader.read(work[index].path, chunkEvents: chunkEvents) { chunk, soFar in
                        queue.put(FinishedInput(index: index, batch: chunk, report: soFar, isLast: false))
                    }
                    queue.put(FinishedInput(index: index, batch: batch, report: report, isLast: true))
                }
                queue.workerDone()
            }
            thread.stackSize = 8 << 20
            threads.append(thread)
            thread.start()
        }
        // A worker puts a file's chunks in order, and the queue keeps it: its last comes last.
        var chunks: [Int: StoredChunks] = [:]
        while let finished = queue.take() {
            let input = work[finished.index]
            if !finished.isLast {
                storeChunk(finished.batch, finished.report, input, into: store, signature: signature, &chunks[finished.index, default: StoredChunks()])
                continue
            }
            let result = self.store(
                finished.batch, finished.report, input, into: store, signature: signature,
                after: chunks.removeValue(forKey: finished.index) ?? StoredChunks())
            results.append(result)
            progress(result)
        }
        for problem in queue.problems { results.append(Self.workerFailure(problem)) }
        return results
    }

    /// Stores a chunk of a file (not its last) with the file's record so far, marked partial; after
    /// a store error the file's later chunks are not stored.
    func storeChunk(
        _ batch: EventBatch, _ report: EventFileReport, _ input: EventInput, into store: any EventStore, signature: String,
        _ chunks: inout StoredChunks
    ) {
        guard chunks.storeError == nil else { return }
        let record = Self.record(report, input, signature: signature, status: .partial, duplicates: chunks.saved.duplicates)
        do {
            let saved = try store.saveEvents(batch, file: record)
            chunks.saved.stored += saved.stored
            chunks.saved.duplicates += saved.duplicates
        } catch {
            chunks.storeError = "\(error)"
        }
    }

    /// Stores one file's batch (its last chunk) with its record.
    func store(
        _ batch: EventBatch, _ report: EventFileReport, _ input: EventInput, into store: any EventStore, signature: String,
        after chunks: StoredChunks = StoredChunks()
    ) -> EventIngestResult {
        var result = EventIngestResult(input: input, report: report)
        if let error = chunks.storeError {
            result.saved = chunks.saved
            result.storeError = error
            return result
        }
        let record = Self.record(
            report, input, signature: signature, status: report.isComplete ? .complete : .partial,
            duplicates: chunks.saved.duplicates)
        do {
            let saved = try store.saveEvents(batch, file: record)
            result.saved = EventSaveResult(
                stored: chunks.saved.stored + saved.stored, duplicates: chunks.saved.duplicates + saved.duplicates)
        } catch {
            result.saved = chunks.saved
            result.storeError = "\(error)"
        }
        return result
    }

    /// A file's row: `duplicates` is what the earlier chunks of this read found (the store adds the
    /// batch's own).
    static func record(
        _ report: EventFileReport, _ input: EventInput, signature: String, status: StoredEventFile.Status, duplicates: Int
    ) -> StoredEventFile {
        StoredEventFile(
            name: input.name, path: input.path, size: input.size, status: status, options: signature, lines: report.lines,
            events: report.events, stored: 0, duplicates: duplicates, filtered: report.filtered,
            malformed: report.malformed, error: report.failure?.description, ingestedAt: Int64(Date().timeIntervalSince1970))
    }

    static func workerFailure(_ message: String) -> EventIngestResult {
        var report = EventFileReport(input: "-")
        report.failure = GzipStreamError(
            kind: .noMemory, input: "(worker)", compressedOffset: 0, decompressedOffset: 0, reason: message)
        return EventIngestResult(input: EventInput(path: "-", name: "-", size: -1), report: report)
    }
}

/// A chunk of a file read by a worker, waiting for the store.
struct FinishedInput: @unchecked Sendable {
    var index: Int
    var batch: EventBatch
    var report: EventFileReport
    /// The file's last chunk (its report is the whole file's).
    var isLast: Bool
}

/// What the earlier chunks of a file stored.
struct StoredChunks {
    var saved = EventSaveResult(stored: 0, duplicates: 0)
    var storeError: String?
}

/// The finished batches between the workers and the store: at most `capacity` wait; a worker
/// blocks until there is room. `NSCondition` because the workers are threads, not tasks.
final class BatchQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [FinishedInput] = []
    private let capacity: Int
    private var running = 0
    private(set) var problems: [String] = []

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    func setWorkers(_ count: Int) {
        condition.lock()
        running = count
        condition.unlock()
    }

    func put(_ item: FinishedInput) {
        condition.lock()
        while items.count >= capacity { condition.wait() }
        items.append(item)
        condition.broadcast()
        condition.unlock()
    }

    func workerDone() {
        condition.lock()
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    func workerFailed(_ message: String) {
        condition.lock()
        problems.append(message)
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// The next finished batch, or nil when every worker is done and nothing waits.
    func take() -> FinishedInput? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && running != 0 { condition.wait() }
        if items.isEmpty { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }
}
