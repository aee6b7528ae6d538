import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failure to talk HTTP with a server: it could not be reached, timed out, closed the connection,
/// or answered something that is not HTTP. (A server that answers with an error status is not a
/// failure here: the caller reads the status.)
struct HTTPTransportError: Error, Sendable, CustomStringConvertible {
    enum Kind: Sendable {
        /// No connection was made (name lookup, refused, connect timeout).
        case connect
        /// The connection broke or timed out after it was made.
        case exchange
        /// The answer is not HTTP/1.x as expected.
        case malformed
    }

    var kind: Kind
    var message: String
    var description: String { message }
}

/// An HTTP response, its body already read (and de-chunked).
struct HTTPResponse: Sendable {
    var status: Int
    var reason: String
    /// Header names in lowercase, in the order received.
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name == lowered }?.value
    }
}

/// A small blocking HTTP/1.1 client over a TCP socket: one connection per request
/// (`Connection: close`), a body sent with `Content-Length`, the answer read by `Content-Length`,
/// chunked transfer encoding, or to the end of the connection.
///
/// It is what census needs to talk to ClickHouse's HTTP interface and nothing more: no TLS, no
/// redirects, no keep-alive. Calls block the calling thread (census calls from threads it owns);
/// system calls are retried on `EINTR`.
struct HTTPClient: Sendable, CustomStringConvertible, CustomReflectable {
    var host: String
    var port: Int
    /// Sent as HTTP Basic authentication when set.
    var credentials: (user: String, password: String)?
    /// How long to wait for a connection.
    var connectTimeout: Double = 10
    /// How long any one read or write may wait (a long query waits this long for its answer).
    var ioTimeout: Double = 600

    /// The server, without the credentials.
    var description: String { "HTTPClient(\(hostHeader), user: \(credentials?.user ?? "none"))" }

    /// Shows no password to `dump` or a debugger's summary.
    var customMirror: Mirror {
        Mirror(self, children: ["host": host, "port": port, "user": credentials?.user ?? "none"])
    }

    /// The `Host` header's value.
    var hostHeader: String {
        (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
    }

    /// Sends one request and reads the whole response.
    ///
    /// - Parameters:
    ///   - method: `GET` or `POST`.
    ///   - target: The path and query, percent-encoded (`/?database=census`).
    ///   - body: Sent with `Content-Length` (also for an empty `POST`).
    ///   - headers: Extra headers (the values must not contain line breaks).
    /// - Throws: ``HTTPTransportError``.
    func send(method: String, target: String, body: [UInt8] = [], headers: [(String, String)] = []) throws
        -> HTTPResponse
    {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(hostHeader)\r\nUser-Agent: census\r\n"
        if let credentials {
            let token = Data("\(credentials.user):\(credentials.password)".utf8).base64EncodedString()
            head += "Authorization: Basic \(token)\r\n"
        }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if method != "GET" || !body.isEmpty { head += "Content-Length: \(body.count)\r\n" }
        head += "Connection: close\r\n\r\n"

        let socket = try TCPConnection(host: host, port: port, connectTimeout: connectTimeout, ioTimeout: ioTimeout)
        defer { socket.close() }
        try socket.write(Array(head.utf8))
        if !body.isEmpty { try socket.write(body) }
        var reader = BufferedReader(connection: socket)
        return try Self.readResponse(&reader, method: method)
    }

    /// Reads a status line, headers and a body framed by `Transfer-Encoding: chunked`,
    /// `Content-Length`, or the end of the connection.
    static func readResponse(_ reader: inout BufferedReader, method: String) throws -> HTTPResponse {
        func malformed(_ message: String) -> HTTPTransportError {
            HTTPTransportError(kind: .malformed, message: message)
        }
        var statusLine = try reader.readLine()
        // A 100 Continue may precede the real answer.
        var status = 0
        var reason = ""
        var headers: [(name: String, value: String)] = []
        while true {
            let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let code = Int(parts[1]), (100...599).contains(code)
            else {
                throw malformed("the answer does not start with an HTTP/1.x status line: '\(statusLine.prefix(80))'")
            }
            status = code
            reason = parts.count > 2 ? String(parts[2]) : ""
            headers = []
            while true {
                let line = try reader.readLine()
                if line.isEmpty { break }
                guard let colon = line.firstIndex(of: ":") else { throw malformed("a header line has no ':'") }
                let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                headers.append((name, value))
            }
            if status == 100 {
                statusLine = try reader.readLine()
                continue
            }
            break
        }
        var response = HTTPResponse(status: status, reason: reason, headers: headers, body: [])
        if method == "HEAD" || status == 204 || status == 304 { return response }
        if let encoding = response.header("transfer-encoding"), encoding.lowercased().contains("chunked") {
            while true {
                let sizeLine = try reader.readLine()
                let sizeText = sizeLine.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
                    throw malformed("a chunk size '\(sizeLine.prefix(20))' is not hexadecimal")
                }
                if size == 0 {
                    // Trailers, up to an empty line.
                    while try !reader.readLine().isEmpty {}
                    break
                }
                response.body += try reader.read(exactly: size)
                guard try reader.readLine().isEmpty else { throw malformed("a chunk is not followed by CRLF") }
            }
        } else if let lengthText = response.header("content-length") {
            guard let length = Int(lengthText), length >= 0 else {
                throw malformed("Content-Length '\(lengthText)' is not a number")
            }
            response.body = try reader.read(exactly: length)
        } else {
            response.body = try reader.readToEnd()
        }
        return response
    }
}

/// A buffered reader over a connection: lines ending in CRLF (or LF), exact byte counts, or the rest.
struct BufferedReader {
    /// Where bytes come from: a connection, or (in tests) a fixed array.
    let source: (inout [UInt8]) throws -> Int
    var buffer: [UInt8] = []
    var position = 0
    /// Lines longer than this are refused (a status line or header is never this long).
    static let maximumLine = 64 * 1024

    init(connection: TCPConnection) {
        source = { chunk in try connection.read(into: &chunk) }
    }

    init(bytes: [UInt8]) {
        var remaining = bytes[...]
        source = { chunk in
            let count = min(chunk.count, remaining.count)
            chunk.replaceSubrange(0..<count, with: remaining.prefix(count))
            remaining = remaining.dropFirst(count)
            return count
        }
    }

    /// Reads more bytes into the buffer; false at the end of the connection.
    mutating func fill() throws -> Bool {
        if position > 0 && position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let count = try source(&chunk)
        if count == 0 { return false }
        buffer += chunk[0..<count]
        return true
    }

    mutating func readLine() throws -> String {
        var searchFrom = position
        while true {
            if let newline = buffer[searchFrom...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > position && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = String(decoding: buffer[position..<end], as: UTF8.self)
                position = newline + 1
                return line
            }
            // fill() may move the unread bytes to the front: remember how far was searched.
            let searched = buffer.count - position
            if searched > Self.maximumLine {
                throw HTTPTransportError(kind: .malformed, message: "a line of the answer is longer than 64 KiB")
            }
            guard try fill() else {
                throw HTTPTransportError(kind: .exchange, message: "the server closed the connection mid-answer")
            }
            searchFrom = position + searched
        }
    }

    mutating func read(exactly count: Int) throws -> [UInt8] {
        while buffer.count - position < count {
            guard try fill() else {
                throw HTTPTransportError(
                    kind: .exchange,
                    message: "the server closed the connection after \(buffer.count - position) of \(count) bytes")
            }
        }
        let bytes = Array(buffer[position..<(position + count)])
        position += count
        return bytes
    }

    mutating func readToEnd() throws -> [UInt8] {
        while try fill() {}
        let bytes = Array(buffer[position...])
        position = buffer.count
        return bytes
    }
}

/// A connected, blocking TCP socket with read and write timeouts.
final class TCPConnection {
    private var descriptor: Int32
    let host: String
    let port: Int

    /// Connects to the first address of `host` that accepts, waiting at most `connectTimeout`
    /// seconds for each.
    init(host: String, port: Int, connectTimeout: Double, ioTimeout: Double) throws {
        self.host = host
        self.port = port
        descriptor = -1

        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            let reason = status == 0 ? "no addresses" : String(cString: gai_strerror(status))
            throw HTTPTransportError(kind: .connect, message: "cannot look up host \(host): \(reason)")
        }
        defer { freeaddrinfo(list) }

        var failures: [String] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            do {
                descriptor = try Self.connect(address.pointee, timeout: connectTimeout)
                break
            } catch let error as HTTPTransportError {
                failures.append(error.message)
            }
        }
        guard descriptor >= 0 else {
            let reasons = Array(Set(failures)).sorted().joined(separator: "; ")
            throw HTTPTransportError(kind: .connect, message: "cannot connect to \(host) port \(port): \(reasons)")
        }
        var timeout = timeval(
            tv_sec: Int(ioTimeout), tv_usec: Int((ioTimeout - ioTimeout.rounded(.down)) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var noDelay: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close() }

    /// A non-blocking connect, waited for with `poll`, then back to blocking mode.
    private static func connect(_ address: addrinfo, timeout: Double) throws -> Int32 {
        func failure(_ what: String, _ code: Int32) -> HTTPTransportError {
            HTTPTransportError(kind: .connect, message: "\(what) (\(String(cString: strerror(code))))")
        }
        #if canImport(Glibc)
            let type = address.ai_socktype | Int32(SOCK_CLOEXEC.rawValue)
        #else
            let type = address.ai_socktype
        #endif
        let descriptor = socket(address.ai_family, type, address.ai_protocol)
        guard descriptor >= 0 else { throw failure("cannot create a socket", errno) }
        var connected = false
        defer { if !connected { closeDescriptor(descriptor) } }

        let flags = fcntl(descriptor, F_GETFL, 0)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
        var result: Int32
        repeat {
            result = connectSocket(descriptor, address.ai_addr, address.ai_addrlen)
        } while result != 0
            && errno == EINTR
        if result != 0 {
            guard errno == EINPROGRESS else { throw failure("connection failed", errno) }
            var pending = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            let deadline = Date().addingTimeInterval(timeout)
            while true {
                let remaining = Int32(max(0, deadline.timeIntervalSinceNow * 1000).rounded(.up))
                let ready = poll(&pending, 1, remaining)
                if ready > 0 { break }
                if ready == 0 {
                    throw HTTPTransportError(
                        kind: .connect, message: "no answer within \(Self.seconds(timeout)) (connect timed out)")
                }
                if errno != EINTR { throw failure("waiting for the connection failed", errno) }
            }
            var socketError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &socketError, &length)
            if socketError != 0 { throw failure("connection failed", socketError) }
        }
        _ = fcntl(descriptor, F_SETFL, flags)
        connected = true
        return descriptor
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                sendBytes(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if sent < 0 {
                if errno == EINTR { continue }
                throw exchangeFailure("sending the request failed", errno)
            }
            offset += sent
        }
    }

    /// Reads what is available (blocking until something is); 0 at the end of the connection.
    func read(into chunk: inout [UInt8]) throws -> Int {
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                recv(descriptor, buffer.baseAddress, buffer.count, 0)
            }
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw exchangeFailure("reading the answer failed", errno)
        }
    }

    private func exchangeFailure(_ what: String, _ code: Int32) -> HTTPTransportError {
        if code == EAGAIN || code == EWOULDBLOCK {
            return HTTPTransportError(kind: .exchange, message: "\(what): no data for the whole I/O timeout")
        }
        return HTTPTransportError(kind: .exchange, message: "\(what) (\(String(cString: strerror(code))))")
    }

    /// Ends the sending side (`shutdown(SHUT_WR)`): the server reads the end of the request
    /// while the answer can still be read, as when the sender died mid-request (tests).
    func shutdownWrite() {
        if descriptor >= 0 { _ = shutdown(descriptor, Int32(SHUT_WR)) }
    }

    func close() {
        if descriptor >= 0 {
            closeDescriptor(descriptor)
            descriptor = -1
        }
    }
}

// The system calls under names the connection's own methods do not shadow.

private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}

private func connectSocket(_ descriptor: Int32, _ address: UnsafePointer<sockaddr>?, _ length: socklen_t) -> Int32 {
    connect(descriptor, address, length)
}

/// `send` without `SIGPIPE` when the server has gone.
private func sendBytes(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        return send(descriptor, bytes, count, Int32(MSG_NOSIGNAL))
    #else
        return send(descriptor, bytes, count, 0)
    #endif
}

extension String {
    /// Percent-encoded for a URL query value: everything but unreserved characters.
    var urlQueryEncoded: String {
        var encoded = ""
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                encoded.unicodeScalars.append(UnicodeScalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                encoded.unicodeScalars.append("%")
                encoded.unicodeScalars.append(UnicodeScalar(hex[Int(byte >> 4)]))
                encoded.unicodeScalars.append(UnicodeScalar(hex[Int(byte & 0x0F)]))
            }
        }
        return encoded
    }
}
