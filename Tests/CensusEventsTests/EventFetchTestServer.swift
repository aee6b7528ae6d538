import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A real HTTP/1.1 server on 127.0.0.1 (a free port), on threads it owns, that answers each path
/// as told: a file, a status, a body cut short, a stall, a reset, or failures before a success.
/// It counts requests per path and the most connections open at once.
final class EventFetchTestServer: @unchecked Sendable {
    indirect enum Answer: Sendable {
        /// 200 with the bytes and their true Content-Length.
        case file([UInt8], holdSeconds: Double = 0)
        /// The status with an empty body.
        case status(Int)
        /// 200 declaring `declared` bytes, sending only `bytes`, then closing.
        case truncated([UInt8], declared: Int)
        /// 200 declaring `declared` bytes, sending `bytes`, then silent for `seconds` (or until
        /// the server stops), then closing.
        case stall([UInt8], declared: Int, seconds: Double)
        /// The connection closed (with a reset) before any answer.
        case reset
        /// The first `count` requests get `first`, the later ones `then`.
        case failFirst(Int, first: Answer, then: Answer)
    }

    let port: Int
    private let listener: Int32
    private let state = Mutex<(answers: [String: Answer], counts: [String: Int], open: Int, maxOpen: Int, stopped: Bool)>(
        ([:], [:], 0, 0, false))

    init(answers: [String: Answer]) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        state.withLock { $0.answers = answers }
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var baseURL: String { "http://127.0.0.1:\(port)/" }

    /// Requests seen for a path (`/2024-01-01-0.json.gz`).
    func requests(_ path: String) -> Int { state.withLock { $0.counts[path, default: 0] } }
    var totalRequests: Int { state.withLock { $0.counts.values.reduce(0, +) } }
    var mostOpenAtOnce: Int { state.withLock { $0.maxOpen } }

    /// Stops accepting, once: `deinit` calls it again after a test's own call, and a second
    /// `close` of the listener's number closed whatever the process had opened under that number
    /// since (another test's pipe or socket: "Bad file descriptor", SIGPIPE and lost connections in
    /// three CI runs of 2026-12-06).
    func stop() {
        let first = state.withLock { current -> Bool in
            defer { current.stopped = true }
            return !current.stopped
        }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    deinit { stop() }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let thread = Thread { [self] in handle(client) }
            thread.start()
        }
    }

    private func handle(_ client: Int32) {
        state.withLock {
            $0.open += 1
            $0.maxOpen = max($0.maxOpen, $0.open)
        }
        defer {
            state.withLock { $0.open -= 1 }
            close(client)
        }
        // The request head, up to its blank line.
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !head.ends(with: Array("\r\n\r\n".utf8)) {
            let n = read(client, &buffer, buffer.count)
            if n <= 0 { return }
            head += buffer[0..<n]
            if head.count > 65536 { return }
        }
        let line = String(decoding: head.prefix { $0 != 0x0D }, as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count == 3 else { return }
        let path = String(parts[1])
        let (answer, count) = state.withLock { s -> (Answer?, Int) in
            s.counts[path, default: 0] += 1
            return (s.answers[path], s.counts[path]!)
        }
        respond(client, answer ?? .status(404), request: count)
    }

    private func respond(_ client: Int32, _ answer: Answer, request: Int) {
        switch answer {
        case .file(let bytes, let hold):
            if hold > 0 { Thread.sleep(forTimeInterval: hold) }
            transmit(client, head(200, length: bytes.count) + bytes)
        case .status(let code):
            transmit(client, head(code, length: 0))
        case .truncated(let bytes, let declared):
            transmit(client, head(200, length: declared) + bytes)
        case .stall(let bytes, let declared, let seconds):
            transmit(client, head(200, length: declared) + bytes)
            let until = Date().addingTimeInterval(seconds)
            while Date() < until, !state.withLock({ $0.stopped }) { Thread.sleep(forTimeInterval: 0.05) }
        case .reset:
            var linger = linger(l_onoff: 1, l_linger: 0)
            setsockopt(client, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
        case .failFirst(let count, let first, let then):
            respond(client, request <= count ? first : then, request: request)
        }
    }

    private func head(_ status: Int, length: Int) -> [UInt8] {
        let reason = status == 200 ? "OK" : status == 404 ? "Not Found" : "Status"
        return Array(
            "HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/gzip\r\nContent-Length: \(length)\r\nConnection: close\r\n\r\n"
                .utf8)
    }

    private func transmit(_ client: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}
