import CCensusCurl
import Foundation
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

/// GETs one URL at a time into a file descriptor through libcurl's easy interface (HTTP and HTTPS),
/// streaming the body as it arrives, so memory does not grow with the file. Blocks the calling
/// thread (a fetch worker's own); one per worker.
///
/// Not `URLSession`: one easy handle per transfer, performed on this thread, owns its socket from
/// the transfer's start to its end; no event loop, no Dispatch sources watching descriptors (the
/// kind of machinery behind swiftlang/swift-corelibs-foundation#3286 and #4791), and
/// FoundationNetworking is not linked (docs/events-fetch.md).
///
/// `stallTimeout`: the longest wait for the next bytes (connecting included), not a limit on the
/// whole download.
final class EventFetchTransport: @unchecked Sendable {
    /// What the body callback learns about the current request.
    private final class Sink {
        let fd: Int32
        var written: Int64 = 0
        var writeError: String?
        init(fd: Int32) { self.fd = fd }
    }

    private let stallSeconds: Int
    private let userAgent: String

    /// libcurl loaded and set up for the process, once before the first transfer; nil when ready,
    /// else why not (the library missing, for one).
    static let unavailable: String? =
        census_curl_global_init() == 0 ? nil : String(cString: census_curl_load_failure())

    init(stallTimeout: Double, userAgent: String) {
        self.userAgent = userAgent
        stallSeconds = max(1, Int(stallTimeout.rounded(.up)))
    }

    /// Nothing to end: each transfer's handle ends with it.
    func close() {}

    /// GETs `url`, writing a 200's body to `fd` (from its current offset).
    func get(_ url: URL, into fd: Int32) -> EventFetchAnswer {
        if let reason = Self.unavailable { return .transport(reason) }
        let sink = Sink(fd: fd)
        let body: census_curl_body = { data, size, count, context in
            guard let data, let context else { return 0 }
            let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
            if let error = EventFetchTransport.writeAll(sink.fd, bytes) {
                sink.writeError = error
                return 0
            }
            sink.written += Int64(bytes.count)
            return size * count
        }
        let result = withExtendedLifetime(sink) {
            census_curl_get(url.absoluteString, userAgent, stallSeconds, body, Unmanaged.passUnretained(sink).toOpaque())
        }
        if let message = sink.writeError { return .local(message) }
        if result.code != 0 {
            let message = withUnsafeBytes(of: result.message) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            return .transport(Self.describe(code: result.code, message: message))
        }
        if result.status != 200 { return .status(result.status) }
        return .body(bytes: sink.written)
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

    /// libcurl's result in words: the kind of failure, with libcurl's own message where it gave
    /// one (for example "transfer closed with 90 bytes remaining to read").
    static func describe(code: Int32, message: String) -> String {
        // CURLcode values (curl/curl.h).
        let kind: String? =
            switch code {
            case 28: "timed out: no data within the stall timeout"
            case 7: "cannot connect to the host"
            case 6: "host not found"
            case 5: "proxy not found"
            case 35: "TLS handshake failed"
            case 51, 58, 60, 77, 83, 90, 91: "the server's TLS certificate is not trusted"
            case 52, 55, 56: "the connection was lost"
            case 8, 1, 3: "the server's answer is not valid HTTP"
            case 47: "too many redirects"
            default: nil
            }
        if let kind { return message.isEmpty ? kind : "\(kind) (\(message))" }
        return message.isEmpty ? "libcurl error \(code)" : message
    }
}
