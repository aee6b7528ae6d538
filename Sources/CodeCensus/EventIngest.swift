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
    /// Why its events could not be stored (nothing of this read was stored: `saved` is nil).
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
/// about 150 bytes an event): each worker holds the chunk it fills; at most `jobs` finished chunks
/// of files read ahead, and ``OrderedChunks/waitingPerFile`` of the file being stored, wait; nothing
/// grows with the length of a file or the number of files (only the actors' dimensions, one entry
/// per distinct login). A file's chunks are stored as one whole (``EventStore/saveEventFile(named:_:)``:
/// one SQLite transaction), so the store takes files one at a time, in the order of the inputs,
/// while the workers read ahead. A file already stored complete with the same size and filters is
/// skipped.
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
            // One job: read a file, store it, read the next, all on the calling thread; the store
            // holds the file's transaction open while it is read.
            guard let reader = EventFileReader(people: people, filters: filters) else {
                return results + [Self.workerFailure("out of memory for a gzip decoder")]
            }
            for input in pending {
                var report = EventFileReport(input: input.path)
                let outcome = Result {
                    try store.saveEventFile(named: input.name) { save in
                        var chunkError: (any Error)?
                        // The reader keeps the chunk callback only while `read` runs.
                        let (rest, whole) = withoutActuallyEscaping(save) { save in
                            reader.read(input.path, chunkEvents: self.chunkEvents) { chunk, _ in
                                guard chunkError == nil else { return }
                                do { try save(chunk) } catch { chunkError = error }
                            }
                        }
                        report = whole
                        if let chunkError { throw chunkError }
                        try save(rest)
                        return Self.record(whole, input, signature: signature)
                    }
                }
                let result = Self.result(input, report, outcome)
                results.append(result)
                progress(result)
            }
            return results
        }

        let queue = OrderedChunks(capacity: jobs)
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
        // Workers claim files in order, so the file the store waits for is always being read.
        fileLoop: for index in work.indices {
            guard var item = queue.take(index) else { break }
            let input = work[index]
            let outcome = Result {
                try store.saveEventFile(named: input.name) { save in
                    while true {
                        try save(item.batch)
                        if item.isLast { return Self.record(item.report, input, signature: signature) }
                        guard let following = queue.take(index) else { throw IngestStopped() }
                        item = following
                    }
                }
            }
            // After a store error, the file's remaining chunks are taken (and dropped) so that its
            // worker goes on.
            while !item.isLast {
                guard let following = queue.take(index) else { break fileLoop }
                item = following
            }
            let result = Self.result(input, item.report, outcome)
            results.append(result)
            progress(result)
        }
        for problem in queue.problems { results.append(Self.workerFailure(problem)) }
        return results
    }

    /// What the read and the store of one input did.
    static func result(
        _ input: EventInput, _ report: EventFileReport, _ outcome: Result<EventSaveResult, any Error>
    ) -> EventIngestResult {
        var result = EventIngestResult(input: input, report: report)
        switch outcome {
        case .success(let saved): result.saved = saved
        case .failure(let error): result.storeError = "\(error)"
        }
        return result
    }

    /// A file's row as read (`stored` and `duplicates` are the store's to fill in).
    static func record(_ report: EventFileReport, _ input: EventInput, signature: String) -> StoredEventFile {
        StoredEventFile(
            name: input.name, path: input.path, size: input.size, status: report.isComplete ? .complete : .partial,
            options: signature, lines: report.lines, events: report.events, stored: 0, duplicates: 0,
            filtered: report.filtered, malformed: report.malformed, error: report.failure?.description,
            ingestedAt: Int64(Date().timeIntervalSince1970))
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

/// The workers stopped before handing over a file's last chunk (they all failed to start).
struct IngestStopped: Error, CustomStringConvertible {
    var description: String { "the readers stopped before the end of the file" }
}

/// The chunks between the workers and the store, handed to the store one file at a time, in the
/// order of the inputs: a worker puts its file's chunks in order and blocks while
/// ``waitingPerFile`` of them wait, or, for a file other than the one being stored, while
/// `capacity` chunks wait in all; the store takes the chunks of the file it is storing.
/// `NSCondition` because the workers are threads, not tasks.
///
/// No deadlock: workers claim files in increasing order, so the file the store waits for has been
/// claimed by a worker that is reading it, and that worker waits only for its own chunks to be
/// taken (never for room left by other files).
final class OrderedChunks: @unchecked Sendable {
    /// Finished chunks of one file that may wait for the store.
    static let waitingPerFile = 2
    private let condition = NSCondition()
    private var items: [FinishedInput] = []
    private let capacity: Int
    /// The file the store is taking chunks of.
    private var current = 0
    private var running = 0
    private(set) var problems: [String] = []

    /// - Parameter capacity: chunks of files not yet being stored that may wait in all.
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
        while items.lazy.filter({ $0.index == item.index }).count >= Self.waitingPerFile
            || (item.index != current && items.lazy.filter({ $0.index != self.current }).count >= capacity)
        {
            condition.wait()
        }
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

    /// The next chunk of file `index`, or nil when every worker is done and none waits.
    func take(_ index: Int) -> FinishedInput? {
        condition.lock()
        defer { condition.unlock() }
        if current != index {
            current = index
            condition.broadcast()  // its worker may wait for room it no longer needs
        }
        while true {
            if let position = items.firstIndex(where: { $0.index == index }) {
                let item = items.remove(at: position)
                condition.broadcast()
                return item
            }
            if running == 0 { return nil }
            condition.wait()
        }
    }
}
