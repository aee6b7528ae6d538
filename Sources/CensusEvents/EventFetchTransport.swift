import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How one HTTP GET ended.
enum EventFetchAnswer: Sendable {
    /// A 200 whose body was written to the file descriptor to its end, as far as HTTP could tell.
    case body(bytes: Int64)
    /// Any other status (the body was not written).
    case status(Int)
    /// The exchange failed: no connection, reset, stalled past the timeout, or closed early.
    case transport(String)
    /// Writing the body to the local file failed (the disk, not the network).
    case local(String)
}

/// GETs one URL at a time into a file descriptor through `URLSession` (FoundationNetworking,
/// which is libcurl on Linux: HTTP and HTTPS alike), streaming the body as it arrives, so memory
/// does not grow with the file. Blocks the calling thread (a fetch worker's own); one per worker.
///
/// `stallTimeout` is URLSession's `timeoutIntervalForRequest`: the longest wait for the next
/// bytes (connecting included), not a limit on the whole download.
final class EventFetchTransport: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// What the delegate callbacks, which run on the session's queue, learn about the current
    /// request.
    private struct Current {
        var fd: Int32 = -1
        var status = 0
        var written: Int64 = 0
        var writeError: String?
        var error: Error?
    }

    private let state = Mutex(Current())
    private let finished = DispatchSemaphore(value: 0)
    private var session: URLSession!
    private let userAgent: String

    init(stallTimeout: Double, userAgent: String) {
        self.userAgent = userAgent
        super.init()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = stallTimeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpMaximumConnectionsPerHost = 1
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        session = URLSession(configuration: configuration, delegate: self, delegateQueue: queue)
    }

    /// Ends the session (its delegate is released with it).
    func close() { session.invalidateAndCancel() }

    /// GETs `url`, writing a 200's body to `fd` (from its current offset).
    func get(_ url: URL, into fd: Int32) -> EventFetchAnswer {
        state.withLock { $0 = Current(fd: fd) }
        var request = URLRequest(url: url)
        request.setValue(userAgent, forHTTPHeaderField: "User-Agent")
        session.dataTask(with: request).resume()
        finished.wait()
        let current = state.withLock { $0 }
        if let message = current.writeError { return .local(message) }
        if let error = current.error { return .transport(Self.describe(error)) }
        if current.status != 200 { return .status(current.status) }
        return .body(bytes: current.written)
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        state.withLock { $0.status = status }
        // Other statuses' bodies (an error page) are not wanted.
        completionHandler(status == 200 ? .allow : .cancel)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let failed: Bool = state.withLock { current in
            guard current.writeError == nil, current.status == 200 else { return false }
            let error = data.withUnsafeBytes { Self.writeAll(current.fd, $0) }
            if let error {
                current.writeError = error
                return true
            }
            current.written += Int64(data.count)
            return false
        }
        if failed { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        state.withLock { current in
            // A task cancelled on purpose (another status than 200, a write error) did not fail.
            let cancelledOnPurpose = (current.status != 0 && current.status != 200) || current.writeError != nil
            if let error, !cancelledOnPurpose { current.error = error }
        }
        finished.signal()
    }

    /// Writes all of `bytes`, retrying on `EINTR` and short writes; the failure's words, or nil.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> String? {
        guard let base = bytes.baseAddress else { return nil }
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return "write failed: \(String(cString: strerror(errno)))"
            }
            offset += n
        }
        return nil
    }

    /// URLSession's error in words: libcurl's message where it gave one (for example "transfer
    /// closed with 90 bytes remaining to read"), else the kind of failure.
    static func describe(_ error: Error) -> String {
        let ns = error as NSError
        let curl = ns.userInfo[NSLocalizedDescriptionKey] as? String
        if let urlError = error as? URLError {
            let kind: String? =
                switch urlError.code {
                case .timedOut: "timed out: no data within the stall timeout"
                case .cannotConnectToHost: "cannot connect to the host"
                case .cannotFindHost: "host not found"
                case .dnsLookupFailed: "name lookup failed"
                case .networkConnectionLost: "the connection was lost"
                case .notConnectedToInternet: "no network"
                case .secureConnectionFailed: "TLS handshake failed"
                case .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateHasUnknownRoot,
                    .serverCertificateNotYetValid:
                    "the server's TLS certificate is not trusted"
                case .badServerResponse: "the server's answer is not valid HTTP"
                default: nil
                }
            if let kind, let curl, !curl.isEmpty, curl != "(null)" { return "\(kind) (\(curl))" }
            if let kind { return kind }
        }
        if let curl, !curl.isEmpty { return curl }
        return "URL error \(ns.code)"
    }
}
