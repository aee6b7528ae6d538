import CensusFiles

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Text from PDF files through poppler's `pdftotext`, run hardened: found by absolute path in the
/// system directories (never through a shell or the caller's `PATH`), with a clean environment,
/// standard input from `/dev/null`, no other descriptors, both outputs drained together, and a
/// time limit after which it is killed.
public struct PDFTextExtractor: Sendable {
    /// The executable, or nil when pdftotext is not installed.
    public let executable: String?
    /// Seconds one file may take.
    public var timeout: Double
    /// Bytes of text kept at most (more is an error: the PDF is not a document we can count).
    public var maxOutput: Int = 256 << 20

    /// Looks for `pdftotext` in /usr/bin, /bin, /usr/local/bin (in that order).
    public init(timeout: Double = 60, searchPaths: [String] = ["/usr/bin", "/bin", "/usr/local/bin"]) {
        self.timeout = timeout
        executable = searchPaths.lazy.map { $0 + "/pdftotext" }.first { access($0, X_OK) == 0 }
    }

    public init(executable: String?, timeout: Double) {
        self.executable = executable
        self.timeout = timeout
    }

    /// The text of the PDF at `path`, UTF-8.
    ///
    /// - Throws: ``DocumentDecodingError`` naming the reason: pdftotext not installed, its
    ///   message and exit status, killed at the time limit, or not startable.
    public func text(of path: String) throws(DocumentDecodingError) -> [UInt8] {
        guard let executable else {
            throw DocumentDecodingError(reason: "a PDF, and pdftotext is not installed (apt-get install poppler-utils)")
        }
        // `--` so a path that starts with '-' is never read as an option.
        let arguments = ["pdftotext", "-enc", "UTF-8", "-q", "--", path, "-"]
        let run: DocumentProcess.Outcome
        do {
            run = try DocumentProcess.run(
                executable: executable, arguments: arguments, environment: ["LC_ALL=C.UTF-8", "PATH=/usr/bin:/bin"],
                timeout: timeout, maxOutput: maxOutput)
        } catch {
            throw DocumentDecodingError(reason: "cannot run pdftotext: \(error)")
        }
        if run.timedOut {
            throw DocumentDecodingError(reason: "pdftotext took longer than \(Int(timeout)) s and was stopped")
        }
        if run.outputTooLarge {
            throw DocumentDecodingError(reason: "pdftotext gave more than \(maxOutput) bytes of text; not read")
        }
        guard run.status == 0 else {
            let message = String(decoding: run.errors.prefix(300), as: UTF8.self)
                .split(whereSeparator: { $0 == "\n" }).joined(separator: "; ")
            // pdftotext's exit codes: 1 opening the file, 2 output, 3 permissions, 99 other.
            let meaning = run.status == 1 ? "cannot open it as a PDF" : run.status == 3 ? "the PDF forbids copying its text" : "failed"
            throw DocumentDecodingError(
                reason: "pdftotext \(meaning) (exit status \(run.status))\(message.isEmpty ? "" : ": \(message)")")
        }
        if let bad = DocumentDecoder.firstInvalidUTF8(run.output) {
            throw DocumentDecodingError(reason: "pdftotext's output is not UTF-8 at byte \(bad)")
        }
        return run.output
    }
}

/// A child process started with `posix_spawn` and read to its end with a deadline.
enum DocumentProcess {
    struct Outcome {
        var output: [UInt8]
        var errors: [UInt8]
        /// The exit status, or 128 + signal when it was killed by one.
        var status: Int32
        var timedOut: Bool
        var outputTooLarge: Bool
    }

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    static func run(
        executable: String, arguments: [String], environment: [String], timeout: Double, maxOutput: Int
    ) throws(SpawnError) -> Outcome {
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        // Socket pairs made close-on-exec atomically (pipe2 is not exported to Swift): no other
        // thread's child can inherit them.
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, type, 0, &outPipe) == 0 else { throw SpawnError(description: "socketpair: \(String(cString: strerror(errno)))") }
        guard socketpair(AF_UNIX, type, 0, &errPipe) == 0 else {
            close(outPipe[0])
            close(outPipe[1])
            throw SpawnError(description: "socketpair: \(String(cString: strerror(errno)))")
        }
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        guard devNull >= 0 else {
            let reason = String(cString: strerror(errno))
            for fd in outPipe + errPipe { close(fd) }
            throw SpawnError(description: "open /dev/null: \(reason)")
        }
        let spawned = ChildSpawn.start(
            executable, arguments: arguments, environment: environment, input: devNull, output: outPipe[1], error: errPipe[1])
        close(outPipe[1])
        close(errPipe[1])
        close(devNull)
        let pid: pid_t
        switch spawned {
        case .success(let started):
            pid = started
        case .failure(let failure):
            close(outPipe[0])
            close(errPipe[0])
            throw SpawnError(description: "posix_spawn \(executable): \(failure)")
        }
        var outcome = Outcome(output: [], errors: [], status: 0, timedOut: false, outputTooLarge: false)
        var fds = [pollfd(fd: outPipe[0], events: Int16(POLLIN), revents: 0), pollfd(fd: errPipe[0], events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let end = Double(deadline.tv_sec) + Double(deadline.tv_nsec) / 1e9 + timeout
        var open = 2
        while open > 0 {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let left = end - (Double(now.tv_sec) + Double(now.tv_nsec) / 1e9)
            if left <= 0 {
                outcome.timedOut = true
                break
            }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(left * 1000, 1000)) + 1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            for k in 0..<fds.count where fds[k].fd >= 0 && fds[k].revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(fds[k].fd, $0.baseAddress, $0.count) }
                if n < 0, errno == EINTR || errno == EAGAIN { continue }
                if n <= 0 {
                    close(fds[k].fd)
                    fds[k].fd = -1
                    open -= 1
                    continue
                }
                if k == 0 {
                    outcome.output += buffer[0..<n]
                    if outcome.output.count > maxOutput {
                        outcome.outputTooLarge = true
                        open = 0
                        break
                    }
                } else if outcome.errors.count < 64 << 10 {
                    outcome.errors += buffer[0..<n]
                }
            }
        }
        for k in 0..<fds.count where fds[k].fd >= 0 { close(fds[k].fd) }
        if outcome.timedOut || outcome.outputTooLarge { kill(pid, SIGKILL) }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        let signal = raw & 0x7f
        outcome.status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
        return outcome
    }
}
