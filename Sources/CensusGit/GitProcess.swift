import CensusFiles

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A system call that failed: its `errno` and what was being done.
struct SystemCallError: Error, CustomStringConvertible {
    var code: Int32
    var operation: String
    var description: String { "\(operation): \(SystemCallError.message(code))" }

    /// The text of an `errno` value ("No such file or directory").
    static func message(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

/// A running git process whose standard input, output and error are sockets held by us.
///
/// Started with `posix_spawn` (no `fork` of a threaded process, no Foundation): the environment
/// is exactly the one given, standard input is `/dev/null` unless the caller writes to it, every
/// other descriptor is closed in the child, and signal dispositions and mask are reset to the
/// defaults. Our ends are non-blocking; reads and writes go through ``poll(_:timeout:)`` so both
/// output streams are drained together and a child can never block us on a full pipe. Writes use
/// `send(MSG_NOSIGNAL)`, so a git that exits early gives `EPIPE` here instead of killing census
/// with `SIGPIPE`.
///
/// Not thread-safe: one owner at a time.
final class GitProcess {
    let pid: pid_t
    /// Our end of the child's standard input, or -1 (never opened, or closed).
    private(set) var input: Int32
    /// Our end of the child's standard output, or -1 once it reached its end.
    private(set) var output: Int32
    /// Our end of the child's standard error, or -1 once it reached its end.
    private(set) var errors: Int32
    private var status: GitExitStatus?

    /// Starts `executable` with `arguments` (the first being its name) and `environment`
    /// (`NAME=value` strings).
    ///
    /// - Parameter writesInput: whether the caller will write to the child's standard input;
    ///   otherwise it reads `/dev/null`.
    /// - Throws: ``SystemCallError`` when the sockets cannot be made or the process not started.
    /// - Parameter inputFile: when not -1, a file the child reads as its standard input, from the
    ///   file's current offset (the caller keeps its descriptor).
    init(executable: String, arguments: [String], environment: [String], writesInput: Bool, inputFile: Int32 = -1) throws {
        var opened: [Int32] = []
        func closeAll() { for fd in opened { _ = Glibc.close(fd) } }

        var childInput: Int32
        var ourInput: Int32 = -1
        if inputFile >= 0 {
            childInput = fcntl(inputFile, F_DUPFD_CLOEXEC, 3)
            if childInput < 0 {
                throw SystemCallError(code: errno, operation: "duplicate the input file's descriptor")
            }
            opened.append(childInput)
        } else if writesInput {
            let pair = try Self.socketPair()
            opened += [pair.ours, pair.theirs]
            ourInput = pair.ours
            childInput = pair.theirs
        } else {
            childInput = open("/dev/null", O_RDONLY | O_CLOEXEC)
            if childInput < 0 {
                throw SystemCallError(code: errno, operation: "open /dev/null")
            }
            opened.append(childInput)
        }
        let outputPair: (ours: Int32, theirs: Int32)
        let errorPair: (ours: Int32, theirs: Int32)
        do {
            outputPair = try Self.socketPair()
            opened += [outputPair.ours, outputPair.theirs]
            errorPair = try Self.socketPair()
            opened += [errorPair.ours, errorPair.theirs]
        } catch {
            closeAll()
            throw error
        }

        let spawned = ChildSpawn.start(
            executable, arguments: arguments, environment: environment, input: childInput, output: outputPair.theirs,
            error: errorPair.theirs)
        // The child has its copies now (or never will); ours of its ends go.
        _ = Glibc.close(childInput)
        _ = Glibc.close(outputPair.theirs)
        _ = Glibc.close(errorPair.theirs)
        let child: pid_t
        switch spawned {
        case .success(let started):
            child = started
        case .failure(let failure):
            if ourInput >= 0 { _ = Glibc.close(ourInput) }
            _ = Glibc.close(outputPair.ours)
            _ = Glibc.close(errorPair.ours)
            throw SystemCallError(code: failure.code, operation: "posix_spawn \(executable)")
        }
        pid = child
        input = ourInput
        output = outputPair.ours
        errors = errorPair.ours
        for fd in [input, output, errors] where fd >= 0 { Self.setNonBlocking(fd) }
    }

    deinit {
        closeInput()
        closeOutput()
        closeErrors()
        if status == nil {
            // Closing our ends makes a well-behaved git exit (end of input, or EPIPE); give it a
            // moment, then make sure.
            for _ in 0..<100 {
                if reap(blocking: false) != nil { return }
                usleep(1000)
            }
            kill()
            _ = wait()
        }
    }

    func closeInput() {
        if input >= 0 { _ = Glibc.close(input) }
        input = -1
    }

    func closeOutput() {
        if output >= 0 { _ = Glibc.close(output) }
        output = -1
    }

    func closeErrors() {
        if errors >= 0 { _ = Glibc.close(errors) }
        errors = -1
    }

    /// Sends `SIGKILL` (git is read-only here or works in a temporary directory; nothing to save).
    func kill() {
        if status == nil { _ = Glibc.kill(pid, SIGKILL) }
    }

    /// Waits for the process to end (retrying `EINTR`) and returns how it ended.
    func wait() -> GitExitStatus {
        if let status { return status }
        return reap(blocking: true) ?? .exited(-1)
    }

    private func reap(blocking: Bool) -> GitExitStatus? {
        if let status { return status }
        var raw: Int32 = 0
        while true {
            let r = waitpid(pid, &raw, blocking ? 0 : WNOHANG)
            if r == pid { break }
            if r == 0 { return nil }
            if errno == EINTR { continue }
            // ECHILD: someone else reaped it; we cannot know how it ended.
            status = .exited(-1)
            return status
        }
        // The WIFEXITED/WEXITSTATUS macros are not imported into Swift.
        let signal = raw & 0x7f
        status = signal == 0 ? .exited((raw >> 8) & 0xff) : .signalled(signal)
        return status
    }

    // MARK: - Reading and writing

    /// Reads what is available from `fd` into `buffer`; returns the count, 0 at the end, or
    /// `-errno` (`-EAGAIN` when nothing is available yet). Retries `EINTR`.
    static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        while true {
            let n = Glibc.read(fd, buffer, count)
            if n >= 0 { return n }
            if errno != EINTR { return -Int(errno) }
        }
    }

    /// Sends to `fd` without raising `SIGPIPE`; returns the count or `-errno`. Retries `EINTR`.
    static func send(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        while true {
            let n = Glibc.send(fd, buffer, count, Int32(MSG_NOSIGNAL))
            if n >= 0 { return n }
            if errno != EINTR { return -Int(errno) }
        }
    }

    /// `poll(2)` on `fds`, retried on `EINTR` (with the time left); returns how many are ready
    /// (0 on timeout) or `-errno`.
    static func poll(_ fds: inout [pollfd], until deadline: ContinuousClock.Instant) -> Int {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            let milliseconds = left <= .zero ? 0 : Self.milliseconds(left)
            let n = Glibc.poll(&fds, nfds_t(fds.count), milliseconds)
            if n >= 0 { return Int(n) }
            if errno != EINTR { return -Int(errno) }
        }
    }

    static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let total = seconds.multipliedReportingOverflow(by: 1000)
        if total.overflow || total.partialValue >= Int64(Int32.max) { return Int32.max }
        return Int32(total.partialValue + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    // MARK: - Running to the end

    /// What a process wrote before it ended, and how it ended.
    struct Collected {
        var output: [UInt8] = []
        var errors: [UInt8] = []
        var status: GitExitStatus = .exited(-1)
        var timedOut = false
        var outputTooLarge = false
        /// The caller's `deliver` asked to stop.
        var stopped = false
    }

    /// Writes `input` to the process (then closes its standard input), reads its output and error
    /// streams together until both end, and waits for it.
    ///
    /// The process is killed if it runs past `deadline` or writes more than `outputLimit` bytes.
    /// At most `errorLimit` bytes of its standard error are kept (the start, where git says why).
    ///
    /// With `deliver`, standard output is handed over chunk by chunk instead of kept (memory
    /// stays bounded whatever git writes); `deliver` returning false stops git.
    func collect(
        input bytes: [UInt8], deadline: ContinuousClock.Instant, outputLimit: Int, errorLimit: Int,
        deliver: ((UnsafeRawBufferPointer) -> Bool)? = nil
    ) -> Collected {
        var result = Collected()
        var sent = 0
        if bytes.isEmpty { closeInput() }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { chunk.deallocate() }
        guard let base = chunk.baseAddress else { return result }
        var fds: [pollfd] = []
        running: while input >= 0 || output >= 0 || errors >= 0 {
            fds.removeAll(keepingCapacity: true)
            if input >= 0 { fds.append(pollfd(fd: input, events: Int16(POLLOUT), revents: 0)) }
            if output >= 0 { fds.append(pollfd(fd: output, events: Int16(POLLIN), revents: 0)) }
            if errors >= 0 { fds.append(pollfd(fd: errors, events: Int16(POLLIN), revents: 0)) }
            let ready = Self.poll(&fds, until: deadline)
            if ready == 0 {
                result.timedOut = true
                kill()
                break
            }
            if ready < 0 {
                kill()
                break
            }
            for entry in fds where entry.revents != 0 {
                if entry.fd == input {
                    let n = bytes.withUnsafeBytes { raw in
                        raw.baseAddress.map { Self.send(entry.fd, $0 + sent, raw.count - sent) } ?? 0
                    }
                    if n >= 0 {
                        sent += n
                        if sent == bytes.count { closeInput() }
                    } else if n != -Int(EAGAIN) {
                        closeInput()  // EPIPE: git stopped reading; its status will say why
                    }
                } else if entry.fd == output {
                    let n = Self.read(entry.fd, base, chunk.count)
                    if n > 0, let deliver {
                        if !deliver(UnsafeRawBufferPointer(start: base, count: n)) {
                            result.stopped = true
                            kill()
                            break running
                        }
                    } else if n > 0 {
                        result.output.append(contentsOf: UnsafeRawBufferPointer(start: base, count: n))
                        if result.output.count > outputLimit {
                            result.outputTooLarge = true
                            kill()
                            break running
                        }
                    } else if n != -Int(EAGAIN) {
                        closeOutput()
                    }
                } else if entry.fd == errors {
                    let n = Self.read(entry.fd, base, chunk.count)
                    if n > 0 {
                        let keep = min(n, max(0, errorLimit - result.errors.count))
                        result.errors.append(contentsOf: UnsafeRawBufferPointer(start: base, count: keep))
                    } else if n != -Int(EAGAIN) {
                        closeErrors()
                    }
                }
            }
        }
        closeInput()
        closeOutput()
        closeErrors()
        result.status = wait()
        return result
    }

    // MARK: - Set-up helpers

    /// A connected pair of Unix stream sockets, both close-on-exec from the start (no window in
    /// which another thread's spawn could inherit them).
    static func socketPair() throws -> (ours: Int32, theirs: Int32) {
        var fds: [Int32] = [-1, -1]
        #if os(Linux)
            let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
            guard socketpair(AF_UNIX, type, 0, &fds) == 0 else {
                throw SystemCallError(code: errno, operation: "socketpair")
            }
        #else
            guard socketpair(AF_UNIX, SOCK_STREAM, 0, &fds) == 0 else {
                throw SystemCallError(code: errno, operation: "socketpair")
            }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        #endif
        return (fds[0], fds[1])
    }

    static func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
    }
}
