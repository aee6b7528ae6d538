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
    /// Why its events could not be stored (nothing of it was stored).
    public var storeError: String?

    /// Whether the input counts as a failure for the exit status.
    public var failed: Bool { storeError != nil || report.failure != nil }
}

/// `census events ingest`: reads inputs on `jobs` threads census owns (one gzip decoder and one
/// batch per thread) and stores each file's events in the store on the calling thread, one file at
/// a time (docs/events.md, "Ingest"). With one job there is no other thread: each file is read,
/// then stored, on the calling thread.
///
/// Memory: each worker holds the batch of the file it reads (the kept fields only, about 100 bytes
/// an event) and at most `jobs` finished batches wait for the store; nothing grows with the number
/// of files. A file already stored complete with the same size and filters is skipped.
public struct EventIngest: Sendable {
    public var jobs: Int
    public var people: EventPeople
    public var filters: EventFilters

    public init(jobs: Int = 1, people: EventPeople = EventPeople(), filters: EventFilters = EventFilters()) {
        self.jobs = max(1, jobs)
        self.people = people
        self.filters = filters
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
                let (batch, report) = reader.read(input.path)
                let result = self.store(batch, report, input, into: store, signature: signature)
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
                    let (batch, report) = reader.read(work[index].path)
                    queue.put(FinishedInput(index: index, batch: batch, report: report))
                }
                queue.workerDone()
            }
            thread.stackSize = 8 << 20
            threads.append(thread)
            thread.start()
        }
        while let finished = queue.take() {
            let result = self.store(finished.batch, finished.report, work[finished.index], into: store, signature: signature)
            results.append(result)
            progress(result)
        }
        for problem in queue.problems { results.append(Self.workerFailure(problem)) }
        return results
    }

    /// Stores one file's batch with its record.
    func store(_ batch: EventBatch, _ report: EventFileReport, _ input: EventInput, into store: any EventStore, signature: String)
        -> EventIngestResult
    {
        var result = EventIngestResult(input: input, report: report)
        let record = StoredEventFile(
            name: input.name, path: input.path, size: input.size, status: report.isComplete ? .complete : .partial,
            options: signature, lines: report.lines, events: report.events, stored: 0, duplicates: 0,
            filtered: report.filtered, malformed: report.malformed, error: report.failure?.description,
            ingestedAt: Int64(Date().timeIntervalSince1970))
        do {
            result.saved = try store.saveEvents(batch, file: record)
        } catch {
            result.storeError = "\(error)"
        }
        return result
    }

    static func workerFailure(_ message: String) -> EventIngestResult {
        var report = EventFileReport(input: "-")
        report.failure = GzipStreamError(
            kind: .noMemory, input: "(worker)", compressedOffset: 0, decompressedOffset: 0, reason: message)
        return EventIngestResult(input: EventInput(path: "-", name: "-", size: -1), report: report)
    }
}

/// A file read by a worker, waiting for the store.
struct FinishedInput: @unchecked Sendable {
    var index: Int
    var batch: EventBatch
    var report: EventFileReport
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
