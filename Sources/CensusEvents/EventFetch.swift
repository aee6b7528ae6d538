import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `census events fetch` is asked to do (docs/events-fetch.md).
public struct EventFetchOptions: Sendable {
    /// The GH Archive's address; hour files are fetched from `baseURL` + file name.
    public static let defaultBaseURL = "https://data.gharchive.org/"

    /// Where hour files are fetched from (http or https; a trailing `/` is added when missing).
    public var baseURL: String = Self.defaultBaseURL
    /// The cache directory; created when missing.
    public var cacheDirectory: String
    /// Downloads at once.
    public var jobs: Int = 4
    /// Tries per hour file for transient failures (connection refused or reset, stalled, 5xx,
    /// 408, 429, a body that ends early or arrives damaged).
    public var attempts: Int = 4
    /// Seconds before the first retry; doubled before each next one.
    public var retryDelay: Double = 1
    /// Seconds without a byte from the server after which a request is given up (connecting
    /// included). Not a limit on a whole download.
    public var stallTimeout: Double = 60
    /// Whether a file already in the cache is decompressed to its end before it is trusted
    /// (otherwise any file under its final name counts: census only renames verified files there).
    public var verifyCached: Bool = true
    /// Sent as `User-Agent`.
    public var userAgent: String = "census"

    public init(cacheDirectory: String) {
        self.cacheDirectory = cacheDirectory
    }
}

/// How one hour ended.
public enum EventFetchOutcome: Sendable, Equatable {
    /// Downloaded and verified now: its compressed size, and how many requests it took.
    case fetched(bytes: Int64, attempts: Int)
    /// A valid copy was already in the cache.
    case cached(bytes: Int64)
    /// The server answered 404: GH Archive has no such hour (it has gaps).
    case gap
    /// Given up: why, after how many requests.
    case failed(reason: String, attempts: Int)
}

/// One hour's outcome.
public struct EventFetchResult: Sendable, Equatable {
    public var hour: HourFile
    public var outcome: EventFetchOutcome
    /// Set when the cache held this hour under its final name but it did not verify: what was
    /// wrong with it. It is moved to `.NAME.invalid` at once, and removed when the hour is fetched.
    public var invalidCachedCopy: String?
    /// Failed attempts that were retried, in order (empty when the first try settled it).
    public var retried: [String] = []
}

/// Every hour's outcome, in hour order, and the totals.
public struct EventFetchReport: Sendable {
    public var results: [EventFetchResult]

    public var fetched: [EventFetchResult] { results.filter { if case .fetched = $0.outcome { true } else { false } } }
    public var cached: [EventFetchResult] { results.filter { if case .cached = $0.outcome { true } else { false } } }
    public var gaps: [EventFetchResult] { results.filter { $0.outcome == .gap } }
    public var failed: [EventFetchResult] { results.filter { if case .failed = $0.outcome { true } else { false } } }

    /// Compressed bytes downloaded in this run.
    public var bytesFetched: Int64 {
        results.reduce(0) { total, result in
            if case .fetched(let bytes, _) = result.outcome { return total + bytes }
            return total
        }
    }
}

/// A fatal problem before any hour could be tried (the cache directory cannot be made, the base
/// URL is not http or https).
public struct EventFetchError: Error, Sendable, CustomStringConvertible {
    public var input: String
    public var reason: String
    public var description: String { "\(input): \(reason)" }
}

/// Downloads GH Archive hour files into a cache, in parallel, with resume and verification
/// (docs/events-fetch.md).
///
/// Each hour: a file under its final name in the cache that decompresses to its end is kept (one
/// that does not is moved to `.NAME.invalid`). Otherwise the body is written to `.NAME.partial` in the cache (locked with `flock`, so two
/// census processes never write one file at once), checked to be one complete gzip stream, synced
/// and renamed to `NAME`. So a name in the cache is only ever a complete file; a killed run leaves
/// at most a partial file, which the next run starts over. 404 is a gap; transient failures are
/// retried with doubling delays; others fail the hour with the reason.
public struct EventFetcher: Sendable {
    public var options: EventFetchOptions

    public init(options: EventFetchOptions) {
        self.options = options
    }

    /// The URL of an hour's file.
    public func url(for hour: HourFile) throws(EventFetchError) -> URL {
        var base = options.baseURL
        if !base.hasSuffix("/") { base += "/" }
        guard let url = URL(string: base + hour.fileName), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", url.host != nil
        else {
            throw EventFetchError(input: options.baseURL, reason: "not an http:// or https:// URL: give --base-url as http(s)://host/path/")
        }
        return url
    }

    /// Fetches every hour, `options.jobs` at a time, calling `progress` (from worker threads,
    /// one call at a time) as each hour ends.
    ///
    /// - Throws: ``EventFetchError`` only when nothing can be tried (bad base URL, no cache
    ///   directory); each hour's own failure is in the report.
    public func run(
        hours: [HourFile], progress: @escaping @Sendable (EventFetchResult) -> Void = { _ in }
    ) throws(EventFetchError) -> EventFetchReport {
        if let first = hours.first { _ = try url(for: first) }
        try Self.makeDirectory(options.cacheDirectory)
        let jobs = max(1, min(options.jobs, hours.count))
        let shared = FetchShared(count: hours.count)
        let done = DispatchGroup()
        let fetcher = self
        for _ in 0..<jobs {
            done.enter()
            // Downloads block on the network: each runs on a thread of its own, not on Dispatch's
            // pool (sized for the cores, it would run only that many at once).
            let thread = Thread {
                defer { done.leave() }
                let worker = FetchWorker(options: fetcher.options)
                defer { worker.close() }
                while true {
                    let index = shared.next.add(1, ordering: .relaxed).oldValue
                    if index >= hours.count { break }
                    let result = worker.fetch(hours[index], url: try? fetcher.url(for: hours[index]))
                    shared.results.withLock { $0[index] = result }
                    shared.progressLock.withLock { _ in progress(result) }
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        done.wait()
        return EventFetchReport(results: shared.results.withLock { $0.compactMap { $0 } })
    }

    static func makeDirectory(_ path: String) throws(EventFetchError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return }
            throw EventFetchError(input: path, reason: "the cache path exists and is not a directory")
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw EventFetchError(input: path, reason: "cannot create the cache directory: \(error.localizedDescription)")
        }
    }
}

/// What the download threads share: the next hour to take, the results, one progress call at a time.
private final class FetchShared: Sendable {
    let next = Atomic<Int>(0)
    let results: Mutex<[EventFetchResult?]>
    let progressLock = Mutex(())
    init(count: Int) { results = Mutex([EventFetchResult?](repeating: nil, count: count)) }
}

/// `close(2)` under a name the worker's own `close()` does not shadow.
private func closeDescriptor(_ fd: Int32) { _ = close(fd) }

/// One download thread's transport and gzip decoder, reused for each hour it takes.
final class FetchWorker {
    let options: EventFetchOptions
    let transport: EventFetchTransport
    let decoder: GzipStream?

    init(options: EventFetchOptions) {
        self.options = options
        transport = EventFetchTransport(stallTimeout: options.stallTimeout, userAgent: options.userAgent)
        decoder = GzipStream()
    }

    func close() { transport.close() }

    /// One hour: the cache checked, then up to `attempts` requests.
    func fetch(_ hour: HourFile, url: URL?) -> EventFetchResult {
        var result = EventFetchResult(hour: hour, outcome: .gap)
        guard let decoder else {
            result.outcome = .failed(reason: "out of memory for the gzip decoder", attempts: 0)
            return result
        }
        guard let url else {
            result.outcome = .failed(reason: "no URL for this hour", attempts: 0)
            return result
        }
        let directory = options.cacheDirectory
        let final = directory + "/" + hour.fileName
        let partial = directory + "/." + hour.fileName + ".partial"
        let invalid = directory + "/." + hour.fileName + ".invalid"

        // Already cached?
        var info = stat()
        if stat(final, &info) == 0 {
            if (info.st_mode & S_IFMT) != S_IFREG {
                result.outcome = .failed(reason: "\(final) is in the way and is not a regular file", attempts: 0)
                return result
            }
            if !options.verifyCached {
                result.outcome = .cached(bytes: Int64(info.st_size))
                return result
            }
            do {
                let sizes = try HourFile.verify(path: final, decoder: decoder)
                result.outcome = .cached(bytes: sizes.compressed)
                return result
            } catch {
                // Moved aside at once, so the name never stands for a damaged file, whatever
                // happens next; kept as .NAME.invalid for inspection until a fetch succeeds.
                result.invalidCachedCopy = Self.gzipReason(error)
                if rename(final, invalid) != 0 {
                    result.outcome = .failed(
                        reason: "the cached copy does not verify and cannot be moved aside: \(String(cString: strerror(errno)))",
                        attempts: 0)
                    return result
                }
            }
        }

        // Not cached, and nothing to download with: no retries (libcurl missing stays missing).
        if let reason = EventFetchTransport.unavailable {
            result.outcome = .failed(reason: reason, attempts: 0)
            return result
        }

        // The partial file, locked for this process: another census fetching the same hour into
        // the same cache holds the lock, and this hour fails rather than race it.
        var fd: Int32
        repeat { fd = open(partial, O_RDWR | O_CREAT | O_CLOEXEC, 0o644) } while fd < 0 && errno == EINTR
        guard fd >= 0 else {
            result.outcome = .failed(reason: "cannot create \(partial): \(String(cString: strerror(errno)))", attempts: 0)
            return result
        }
        defer { closeDescriptor(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            result.outcome = .failed(reason: "another process is fetching it into \(partial)", attempts: 0)
            return result
        }

        var attempt = 0
        while true {
            attempt += 1
            let transient: String
            // Start the partial file over (a leftover from a killed run, or the last attempt's).
            if ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0 {
                result.outcome = .failed(reason: "cannot truncate \(partial): \(String(cString: strerror(errno)))", attempts: attempt - 1)
                return result
            }
            switch transport.get(url, into: fd) {
            case .status(404):
                unlink(partial)
                result.outcome = .gap
                return result
            case .status(let code) where code >= 500 || code == 408 || code == 429:
                transient = "HTTP \(code)"
            case .status(let code):
                unlink(partial)
                result.outcome = .failed(reason: "HTTP \(code) from \(url.absoluteString)", attempts: attempt)
                return result
            case .local(let message):
                unlink(partial)
                result.outcome = .failed(reason: "\(partial): \(message)", attempts: attempt)
                return result
            case .transport(let message):
                transient = message
            case .body(let bytes):
                do {
                    _ = lseek(fd, 0, SEEK_SET)
                    try decoder.decode(fileDescriptor: fd, name: url.absoluteString) { _ in }
                    guard fsync(fd) == 0 else {
                        let message = "cannot sync \(partial): \(String(cString: strerror(errno)))"
                        unlink(partial)
                        result.outcome = .failed(reason: message, attempts: attempt)
                        return result
                    }
                    guard rename(partial, final) == 0 else {
                        let message = "cannot rename \(partial) to \(final): \(String(cString: strerror(errno)))"
                        unlink(partial)
                        result.outcome = .failed(reason: message, attempts: attempt)
                        return result
                    }
                    if result.invalidCachedCopy != nil { unlink(invalid) }
                    result.outcome = .fetched(bytes: bytes, attempts: attempt)
                    return result
                } catch let error as GzipStreamError where error.kind == .truncated || error.kind == .corrupt {
                    // Damaged on the way (or by a proxy): worth another try.
                    transient = "the download does not verify: \(Self.gzipReason(error))"
                } catch let error as GzipStreamError {
                    unlink(partial)
                    result.outcome = .failed(reason: "the server sent \(bytes) bytes that are \(Self.gzipReason(error))", attempts: attempt)
                    return result
                } catch {
                    unlink(partial)
                    result.outcome = .failed(reason: "\(error)", attempts: attempt)
                    return result
                }
            }
            if attempt >= options.attempts {
                unlink(partial)
                result.outcome = .failed(reason: "\(transient) (after \(attempt) \(attempt == 1 ? "try" : "tries"))", attempts: attempt)
                return result
            }
            result.retried.append(transient)
            let delay = options.retryDelay * Double(1 << min(attempt - 1, 16))
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        }
    }

    /// The gzip failure in words without the (temporary) input name.
    static func gzipReason(_ error: GzipStreamError) -> String {
        switch error.kind {
        case .notGzip: "not gzip (\(error.reason))"
        case .truncated: "a truncated gzip stream (it ends at byte \(error.compressedOffset) inside a member)"
        case .corrupt: "corrupt gzip data (\(error.reason)) near byte \(error.compressedOffset)"
        case .unreadable: "unreadable (\(error.reason))"
        case .noMemory: "not checkable: out of memory"
        }
    }
}
