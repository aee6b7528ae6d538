#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The type of a git object.
public enum GitObjectKind: String, Sendable {
    case blob, tree, commit, tag
}

/// The outcome of asking for one object: found (with what the caller made of it), missing, or
/// unreadable. Missing and unreadable objects carry an error naming the repository, the command
/// and git's message; the reader goes on to the next object either way.
public enum GitObjectResult<Value> {
    case found(Value)
    /// Absent from the repository (a partial clone's blob, a damaged repository).
    case missing(GitError)
    /// Present but git could not deliver it (a corrupt object or pack; git failed part-way).
    case unreadable(GitError)

    /// The value, or `nil` when the object was missing or unreadable.
    public var value: Value? {
        if case .found(let value) = self { return value }
        return nil
    }

    /// The error, when the object was missing or unreadable.
    public var error: GitError? {
        switch self {
        case .found: return nil
        case .missing(let error), .unreadable(let error): return error
        }
    }
}

extension GitObjectResult: Sendable where Value: Sendable {}

/// A small object read whole.
public struct GitObjectContents: Sendable, Equatable {
    public var kind: GitObjectKind
    /// The object's full size (more than `bytes.count` when it was cut at the limit).
    public var size: Int
    public var bytes: [UInt8]
    public var isTruncated: Bool { bytes.count < size }
}

/// One object being read: its type, size, and a `read` that fills the caller's memory.
///
/// Valid only inside the closure given to ``GitBlobReader/withObject(_:_:)``.
public struct GitObjectStream {
    let reader: GitBlobReader
    let request: Int
    public let kind: GitObjectKind
    /// The object's size in bytes.
    public let size: Int

    /// Bytes not yet read.
    public var remaining: Int { reader.request == request ? reader.remaining : 0 }

    /// Reads up to `count` bytes of the object into `destination`.
    ///
    /// Returns the number of bytes read, 0 at the end of the object, or `-EIO` when git failed
    /// part-way (the ``GitBlobReader/withObject(_:_:)`` result then says why). The signature is
    /// `LineCounter.countStream`'s `read` closure's, so a blob can be counted like a file.
    public func read(into destination: UnsafeMutableRawPointer, count: Int) -> Int {
        guard reader.request == request else { return -Int(EBADF) }
        return reader.readContent(destination, count)
    }
}

/// Reads objects through one long-lived `git cat-file --batch` process: write an object id, read
/// `<id> <type> <size>\n<content>\n`.
///
/// Content goes straight from git's output into memory the caller provides, so a blob of any size
/// is read through a fixed buffer and never held whole. A missing object (`<id> missing`) or one
/// git cannot read is reported for that object, and the reader goes on; if git exits (a partial
/// clone's absent blob makes git 2.39 die rather than say "missing"), the next request starts a
/// new process. An object abandoned part-way is skipped by reading on, or, when more than 1 MiB
/// is left, by ending the process (cheaper than piping the rest through).
///
/// Not thread-safe: one reader per thread. Calls block (reads wait in `poll(2)`, which also
/// drains git's standard error); call them from threads you own.
public final class GitBlobReader {
    let runner: GitRunner
    let location: GitLocation
    private var process: GitProcess?
    /// Git's standard output, buffered: bytes `start ..< end` of `capacity` are unread.
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity = 64 * 1024
    /// Scratch space for git's standard error.
    private let errorChunk: UnsafeMutableRawPointer
    private let errorChunkSize = 4096
    private var start = 0
    private var end = 0
    /// What git wrote on standard error since the current request began.
    private var errorText: [UInt8] = []
    /// The current object: its id, content bytes not yet delivered, whether its closing newline
    /// is still to be read, and the failure that ended it early.
    private var current: GitObjectID?
    fileprivate(set) var remaining = 0
    private var newlinePending = false
    private var failure: GitError?
    /// Counts requests, so a stream used after its closure returned reads nothing.
    fileprivate(set) var request = 0
    /// How many `git cat-file` processes this reader has started (tests check it stays at 1).
    package private(set) var processStarts = 0
    /// Objects asked for ahead (``prefetch(_:)``) whose answers are not read yet: `pending[pendingHead...]`.
    private var pending: [GitObjectID] = []
    private var pendingHead = 0
    /// Where the requests of a ``prefetch(_:)`` are written before they are sent.
    private let requestLines: UnsafeMutablePointer<UInt8>
    /// Objects asked for ahead at most: their requests (65 bytes at most each) stay far below a
    /// pipe's or socket's buffer, so sending them never waits for git, which may itself be
    /// waiting for us to read its answers.
    public static let aheadLimit = 64

    /// `git cat-file --batch-command --buffer` (git 2.36 and later): requests are `contents <id>`
    /// lines followed by `flush`, and git writes its answers in large pieces rather than one
    /// write per object, so a run of small objects asked for ahead costs few wake-ups on either
    /// side. Older git: `--batch`, one id per line, each answer written at once.
    let command: [String]
    /// Whether requests are `--batch-command` lines.
    private let batchCommand: Bool
    static let command = ["cat-file", "--batch"]
    static let bufferedCommand = ["cat-file", "--batch-command", "--buffer"]

    /// Whether git `version` ("2.39.5") knows `cat-file --batch-command` (2.36).
    static func knowsBatchCommand(_ version: String) -> Bool {
        let parts = version.split(separator: ".").prefix(2).map { Int($0.prefix(while: \.isNumber)) ?? 0 }
        guard parts.count == 2 else { return false }
        return parts[0] > 2 || (parts[0] == 2 && parts[1] >= 36)
    }
    /// Left-over content larger than this is not drained; the process is ended instead.
    static let drainLimit = 1 << 20

    init(runner: GitRunner, location: GitLocation) {
        self.runner = runner
        self.location = location
        buffer = .allocate(capacity: capacity)
        errorChunk = .allocate(byteCount: errorChunkSize, alignment: 16)
        requestLines = .allocate(capacity: Self.aheadLimit * 74 + 6)
        batchCommand = Self.knowsBatchCommand(runner.version)
        command = batchCommand ? Self.bufferedCommand : Self.command
    }

    deinit {
        process = nil
        buffer.deallocate()
        errorChunk.deallocate()
        requestLines.deallocate()
    }

    // MARK: - Public reading

    /// Asks git for `ids` now, ahead of the ``withObject(_:_:)`` calls that will read them (in
    /// this order), so that git inflates the next objects while the caller reads the current
    /// one, and a run of small objects costs no round trip each. At most ``aheadLimit`` requests
    /// are outstanding; ids beyond that are asked for when their turn comes. Asking for an object
    /// out of the announced order is allowed (the answers in between are read and dropped).
    public func prefetch(_ ids: some Sequence<GitObjectID>) throws {
        if process == nil {
            process = try runner.spawn(command, at: location)
            processStarts += 1
            start = 0
            end = 0
        }
        var count = 0
        for id in ids {
            if pending.count - pendingHead >= Self.aheadLimit { break }
            count = writeRequest(id, at: count)
            if pendingHead > 0 && pendingHead == pending.count {
                pending.removeAll(keepingCapacity: true)
                pendingHead = 0
            }
            pending.append(id)
        }
        if count > 0 && !send(requestLines, writeFlush(at: count)) { endProcess() }
    }

    /// Looks `id` up and, when git has it, calls `body` with a stream of its content.
    ///
    /// Whatever `body` leaves unread is skipped. If git fails part-way through the object, the
    /// stream's `read` returns `-EIO` and the result is ``GitObjectResult/unreadable(_:)``.
    ///
    /// - Throws: ``GitError`` (``GitError/Code/gitUnavailable``) when git cannot be started, and
    ///   whatever `body` throws.
    public func withObject<R>(_ id: GitObjectID, _ body: (GitObjectStream) throws -> R) throws -> GitObjectResult<R> {
        switch try begin(id) {
        case .missing(let error): return .missing(error)
        case .unreadable(let error): return .unreadable(error)
        case .found(let header):
            let value = try body(GitObjectStream(reader: self, request: request, kind: header.kind, size: header.size))
            if let failure { return .unreadable(failure) }
            return .found(value)
        }
    }

    /// Streams a blob's content to `chunk` through `buffer`, refilled for each call.
    ///
    /// - Returns: the number of bytes delivered (the object's size when found).
    /// - Complexity: O(size) time, no memory beyond `buffer`.
    public func stream(
        _ id: GitObjectID, through buffer: UnsafeMutableRawBufferPointer,
        _ chunk: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> GitObjectResult<Int> {
        guard let base = buffer.baseAddress, buffer.count > 0 else {
            throw GitError(.protocolError, repository: location.display, message: "the read buffer is empty")
        }
        return try withObject(id) { stream in
            var delivered = 0
            while true {
                let n = stream.read(into: base, count: buffer.count)
                if n <= 0 { break }
                delivered += n
                try chunk(UnsafeRawBufferPointer(start: base, count: n))
            }
            return delivered
        }
    }

    /// Reads a small object whole (a `.gitattributes`, a commit), at most `limit` bytes of it.
    public func read(_ id: GitObjectID, limit: Int = 4 << 20) throws -> GitObjectResult<GitObjectContents> {
        try withObject(id) { stream in
            let wanted = min(stream.size, max(0, limit))
            var bytes = [UInt8](repeating: 0, count: wanted)
            var filled = 0
            while filled < wanted {
                let n = bytes.withUnsafeMutableBytes { raw in
                    raw.baseAddress.map { stream.read(into: $0 + filled, count: wanted - filled) } ?? 0
                }
                if n <= 0 { break }
                filled += n
            }
            bytes.removeLast(wanted - filled)
            return GitObjectContents(kind: stream.kind, size: stream.size, bytes: bytes)
        }
    }

    // MARK: - The protocol

    struct Header {
        var kind: GitObjectKind
        var size: Int
    }

    /// Finishes the previous object, sends `id`, reads the answer's header line.
    private func begin(_ id: GitObjectID) throws -> GitObjectResult<Header> {
        finishCurrent()
        if pendingHead < pending.count {
            // Answers asked for ahead: drop those before `id`, then read its own.
            while pendingHead < pending.count, pending[pendingHead] != id, process != nil { skipAnswer() }
            if pendingHead < pending.count, process != nil {
                pendingHead += 1
                request += 1
                current = id
                failure = nil
                errorText.removeAll(keepingCapacity: true)
                return readHeader(id)
            }
            forgetPending()
        }
        if start != end { endProcess() }  // git said more than it was asked: out of step, start afresh
        start = 0
        end = 0
        if process == nil {
            process = try runner.spawn(command, at: location)
            processStarts += 1
        }
        request += 1
        current = id
        failure = nil
        errorText.removeAll(keepingCapacity: true)
        guard send(id) else { return processEnded(id) }
        return readHeader(id)
    }

    /// Reads the header line of git's answer for `id` (already sent).
    private func readHeader(_ id: GitObjectID) -> GitObjectResult<Header> {
        guard let line = readLine() else { return processEnded(id) }
        let fields = line.split(separator: UInt8(ascii: " "))
        guard let answered = fields.first, answered.elementsEqual(id.hexDigits) else {
            let error = GitError(
                .protocolError, repository: location.display, command: command, gitMessage: GitRunner.text(line),
                message: "git cat-file answered for another object than \(id)")
            endProcess()
            return .unreadable(error)
        }
        if fields.count == 2 && fields[1].elementsEqual("missing".utf8) {
            drainErrors()
            let said = GitRunner.text(errorText)
            return .missing(
                GitError(
                    .missingObject, repository: location.display, command: command,
                    gitMessage: said.isEmpty ? GitRunner.text(line) : said + "\n" + GitRunner.text(line),
                    message: "object \(id) is missing from the repository"))
        }
        guard fields.count == 3, let kind = GitObjectKind(rawValue: String(decoding: fields[1], as: UTF8.self)),
            fields[2].count <= 18, fields[2].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else {
            let error = GitError(
                .protocolError, repository: location.display, command: command, gitMessage: GitRunner.text(line),
                message: "unexpected answer from git cat-file for \(id)")
            endProcess()
            return .unreadable(error)
        }
        let size = fields[2].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        remaining = size
        newlinePending = true
        return .found(Header(kind: kind, size: size))
    }

    /// Reads the first `limit` bytes of each of `ids` into `destination`, asking git for all of
    /// them at once (one write; answers read in large chunks), and calls `body` with each one's
    /// index, whole size and the bytes read (or why it could not be read), in order. The rest of
    /// each object is read through and dropped. Saves a round trip to git per object: for many
    /// small objects (history's blobs) several times faster than ``withObject(_:_:)`` one by one.
    ///
    /// - Parameter ids: at most ``prefixBatchLimit`` (the requests must fit git's input buffer
    ///   while git answers; more are asked in turn).
    public func readPrefixes(
        _ ids: [GitObjectID], limit: Int, into destination: UnsafeMutableRawPointer,
        _ body: (Int, GitObjectResult<(size: Int, count: Int)>) throws -> Void
    ) throws {
        var offset = 0
        while offset < ids.count {
            let batch = ids[offset ..< min(ids.count, offset + Self.prefixBatchLimit)]
            try readPrefixBatch(batch, limit: limit, into: destination) { try body(offset + $0, $1) }
            offset += batch.count
        }
    }

    /// Requests asked at once by ``readPrefixes(_:limit:into:_:)`` (41 bytes each: far below a
    /// socket's buffer, so writing them never waits for git to be read).
    public static let prefixBatchLimit = 256

    private func readPrefixBatch(
        _ ids: ArraySlice<GitObjectID>, limit: Int, into destination: UnsafeMutableRawPointer,
        _ body: (Int, GitObjectResult<(size: Int, count: Int)>) throws -> Void
    ) throws {
        finishCurrent()
        if pendingHead < pending.count { endProcess() }  // answers asked for ahead are not read here
        if start != end { endProcess() }
        start = 0
        end = 0
        if process == nil {
            process = try runner.spawn(command, at: location)
            processStarts += 1
        }
        var sent = 0
        for id in ids {
            guard send(id) else { break }
            sent += 1
        }
        for (index, id) in ids.enumerated() {
            guard index < sent, process != nil else {
                // git ended (an absent object in a partial clone): the rest one by one.
                let result = try withObject(id) { stream -> (size: Int, count: Int) in
                    var filled = 0
                    while filled < limit {
                        let n = stream.read(into: destination + filled, count: limit - filled)
                        if n <= 0 { break }
                        filled += n
                    }
                    return (stream.size, filled)
                }
                try body(index, result)
                continue
            }
            request += 1
            current = id
            failure = nil
            errorText.removeAll(keepingCapacity: true)
            switch readHeader(id) {
            case .missing(let error):
                try body(index, .missing(error))
            case .unreadable(let error):
                try body(index, .unreadable(error))
            case .found(let header):
                var filled = 0
                while filled < min(limit, header.size) {
                    let n = readContent(destination + filled, min(limit, header.size) - filled)
                    if n <= 0 { break }
                    filled += n
                }
                // The rest is read through: later answers follow it.
                while remaining > 0 && failure == nil {
                    if start == end && !fill() {
                        failure = contentFailure()
                        break
                    }
                    let n = min(remaining, end - start)
                    start += n
                    remaining -= n
                }
                if let failure {
                    try body(index, .unreadable(failure))
                    continue
                }
                if start == end && !fill() {
                    endProcess()
                } else if buffer[start] != UInt8(ascii: "\n") {
                    endProcess()
                } else {
                    start += 1
                    newlinePending = false
                }
                try body(index, .found((header.size, filled)))
            }
        }
    }

    /// Reads and drops the answer to the next object asked for ahead.
    private func skipAnswer() {
        let id = pending[pendingHead]
        pendingHead += 1
        request += 1
        current = id
        failure = nil
        errorText.removeAll(keepingCapacity: true)
        if case .found = readHeader(id) { finishCurrent() }
    }

    private func forgetPending() {
        pending.removeAll(keepingCapacity: true)
        pendingHead = 0
    }

    /// Skips what is left of the current object, or ends the process when that is a lot.
    private func finishCurrent() {
        guard process != nil, remaining > 0 || newlinePending else { return }
        if failure != nil || remaining > Self.drainLimit {
            endProcess()
            return
        }
        while remaining > 0 {
            if start == end && !fill() {
                endProcess()
                return
            }
            let n = min(remaining, end - start)
            start += n
            remaining -= n
        }
        if start == end && !fill() {
            endProcess()
            return
        }
        if buffer[start] != UInt8(ascii: "\n") {
            endProcess()  // out of step with git: start afresh
            return
        }
        start += 1
        newlinePending = false
    }

    /// Delivers content of the current object.
    fileprivate func readContent(_ destination: UnsafeMutableRawPointer, _ count: Int) -> Int {
        if failure != nil { return -Int(EIO) }
        if remaining == 0 || count <= 0 { return 0 }
        let wanted = min(count, remaining)
        if start < end {
            let n = min(wanted, end - start)
            destination.copyMemory(from: buffer + start, byteCount: n)
            start += n
            remaining -= n
            return n
        }
        // Nothing buffered: large requests go straight from the socket to the caller's memory.
        if wanted >= capacity / 2 {
            let n = readOutput(into: destination, count: wanted)
            if n > 0 {
                remaining -= n
                return n
            }
        } else if fill() {
            return readContent(destination, count)
        }
        failure = contentFailure()
        return -Int(EIO)
    }

    // MARK: - The process

    private func send(_ id: GitObjectID) -> Bool {
        send(requestLines, writeFlush(at: writeRequest(id, at: 0)))
    }

    /// Writes the request for `id` at `offset` of the request space; returns the offset after it.
    private func writeRequest(_ id: GitObjectID, at offset: Int) -> Int {
        var at = offset
        if batchCommand {
            for byte in "contents ".utf8 {
                requestLines[at] = byte
                at += 1
            }
        }
        id.writeHex(into: requestLines + at)
        at += id.byteCount * 2
        requestLines[at] = UInt8(ascii: "\n")
        return at + 1
    }

    /// With `--batch-command --buffer`, the `flush` that makes git write its answers.
    private func writeFlush(at offset: Int) -> Int {
        guard batchCommand else { return offset }
        var at = offset
        for byte in "flush\n".utf8 {
            requestLines[at] = byte
            at += 1
        }
        return at
    }

    /// Writes `count` bytes of requests to git's standard input.
    private func send(_ line: UnsafeMutablePointer<UInt8>, _ count: Int) -> Bool {
        guard let process, process.input >= 0 else { return false }
        var sent = 0
        let deadline = ContinuousClock.now + runner.readerIdleTimeout
        while sent < count {
            let n = GitProcess.send(process.input, line + sent, count - sent)
            if n >= 0 {
                sent += n
            } else if n == -Int(EAGAIN) {
                var fds = [pollfd(fd: process.input, events: Int16(POLLOUT), revents: 0)]
                if GitProcess.poll(&fds, until: deadline) <= 0 { return false }
            } else {
                return false
            }
        }
        return true
    }

    /// The next line of git's output (without its newline), or `nil` if git ended first.
    private func readLine() -> [UInt8]? {
        var scanned = 0  // bytes after `start` already searched; compaction in `fill` keeps this valid
        while true {
            if let newline = (start + scanned..<end).first(where: { buffer[$0] == UInt8(ascii: "\n") }) {
                let line = Array(UnsafeBufferPointer(start: buffer + start, count: newline - start))
                start = newline + 1
                return line
            }
            scanned = end - start
            if scanned >= 4096 { return nil }  // no header line is this long
            guard fill() else { return nil }
        }
    }

    /// Reads more of git's output into the buffer; `false` at its end (or on failure or timeout).
    private func fill() -> Bool {
        if start == end {
            start = 0
            end = 0
        } else if end == capacity {
            let kept = end - start
            memmove(buffer, buffer + start, kept)
            start = 0
            end = kept
        }
        let n = readOutput(into: UnsafeMutableRawPointer(buffer + end), count: capacity - end)
        if n <= 0 { return false }
        end += n
        return true
    }

    /// Reads from git's standard output, waiting (and draining its standard error) as needed;
    /// returns the count, or 0 at its end, on failure or after the idle timeout.
    private func readOutput(into destination: UnsafeMutableRawPointer, count: Int) -> Int {
        guard let process, process.output >= 0 else { return 0 }
        let deadline = ContinuousClock.now + runner.readerIdleTimeout
        while true {
            let n = GitProcess.read(process.output, destination, count)
            if n > 0 { return n }
            if n != -Int(EAGAIN) { return 0 }
            var fds = [pollfd(fd: process.output, events: Int16(POLLIN), revents: 0)]
            if process.errors >= 0 { fds.append(pollfd(fd: process.errors, events: Int16(POLLIN), revents: 0)) }
            let ready = GitProcess.poll(&fds, until: deadline)
            if ready <= 0 {
                if ready == 0 { appendError("census: no output from git for \(runner.readerIdleTimeout); stopped it") }
                process.kill()
                return 0
            }
            if fds.count > 1 && fds[1].revents != 0 { drainErrors() }
        }
    }

    /// Reads whatever git has written to standard error, without waiting.
    private func drainErrors() {
        guard let process, process.errors >= 0 else { return }
        while true {
            let n = GitProcess.read(process.errors, errorChunk, errorChunkSize)
            if n > 0 {
                appendError(UnsafeRawBufferPointer(start: errorChunk, count: n))
            } else {
                if n != -Int(EAGAIN) { process.closeErrors() }
                return
            }
        }
    }

    private func appendError(_ bytes: some Collection<UInt8>) {
        let room = 64 * 1024 - errorText.count
        if room > 0 { errorText.append(contentsOf: bytes.prefix(room)) }
    }

    private func appendError(_ text: String) {
        if !errorText.isEmpty { appendError([UInt8(ascii: "\n")]) }
        appendError(Array(text.utf8))
    }

    /// Ends the process (it is restarted by the next request) and forgets its buffered output.
    private func endProcess() {
        process = nil  // its deinit closes our ends, waits briefly, then kills
        forgetPending()
        start = 0
        end = 0
        remaining = 0
        newlinePending = false
    }

    /// Collects git's last words and exit status after it ended mid-request.
    private func finishProcess() -> GitExitStatus? {
        guard let process else { return nil }
        process.closeInput()
        // Read standard error to its end (git has exited or is exiting), briefly.
        let deadline = ContinuousClock.now + .seconds(5)
        while process.errors >= 0 {
            var fds = [pollfd(fd: process.errors, events: Int16(POLLIN), revents: 0)]
            if GitProcess.poll(&fds, until: deadline) <= 0 { break }
            let n = GitProcess.read(process.errors, errorChunk, errorChunkSize)
            if n > 0 {
                appendError(UnsafeRawBufferPointer(start: errorChunk, count: n))
            } else if n != -Int(EAGAIN) {
                process.closeErrors()
            }
        }
        process.kill()
        let status = process.wait()
        endProcess()
        return status
    }

    /// The result for a request git did not answer: it exited (or was stopped) first.
    private func processEnded(_ id: GitObjectID) -> GitObjectResult<Header> {
        let status = finishProcess()
        let said = GitRunner.text(errorText)
        // git 2.39 dies on an absent blob in a partial clone ("could not fetch … from promisor remote").
        let isMissing =
            said.contains("could not fetch") || said.contains("missing") || said.contains("lazy fetching disabled")
        let error = GitError(
            isMissing ? .missingObject : .unreadableObject, repository: location.display, command: command,
            exitStatus: status, gitMessage: said,
            message: isMissing ? "object \(id) is missing from the repository" : "git could not read object \(id)")
        return isMissing ? .missing(error) : .unreadable(error)
    }

    /// The error for an object git stopped delivering part-way.
    private func contentFailure() -> GitError {
        let id = current.map { "\($0)" } ?? "?"
        let left = remaining
        let status = finishProcess()
        return GitError(
            .unreadableObject, repository: location.display, command: command, exitStatus: status,
            gitMessage: GitRunner.text(errorText),
            message: "git stopped part-way through object \(id) (\(left) bytes unread)")
    }
}
