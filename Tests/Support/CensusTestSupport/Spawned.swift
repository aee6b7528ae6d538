// Test support shared by the test targets: running a program and reading its output without
// Foundation's Process and Pipe, which crash a test process that runs many at once
// (`readDataToEndOfFile` on a descriptor closed under it: "Bad file descriptor", CI of
// 2026-12-06; swiftlang/swift#57827).
import CensusFiles
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A program run to its end with `posix_spawn` (census's `ChildSpawn`), its output read with
/// `read(2)` on threads of its own.
public enum Spawned {
    /// Runs `argv` (`argv[0]` the executable's path) with `environment`, `input` on its standard
    /// input (none: the test process's own), killed after `timeout` seconds.
    public static func run(
        _ argv: [String], environment: [String: String], input: [UInt8]? = nil, timeout: Double? = nil
    ) throws -> (status: Int32, stdout: [UInt8], stderr: [UInt8]) {
        var out: [Int32] = [-1, -1]
        var err: [Int32] = [-1, -1]
        var inp: [Int32] = [-1, -1]
        func closeAll() { for fd in out + err + inp where fd >= 0 { close(fd) } }
        // Socket pairs made close-on-exec atomically (pipe2 is not exported to Swift), as census's
        // own runners make them: no other test's child can inherit them.
        func pair(_ fds: inout [Int32]) -> Bool {
            socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0
        }
        guard pair(&out), pair(&err), input == nil || pair(&inp) else {
            let reason = String(cString: strerror(errno))
            closeAll()
            throw SpawnError(message: "socketpair: \(reason)")
        }
        let started = ChildSpawn.start(
            argv[0], arguments: argv, environment: environment.map { "\($0.key)=\($0.value)" },
            input: input == nil ? 0 : inp[0], output: out[1], error: err[1])
        // The child's ends, in the child only from here.
        for fd in [out[1], err[1], inp[0]] where fd >= 0 { close(fd) }
        (out[1], err[1], inp[0]) = (-1, -1, -1)
        let child: pid_t
        switch started {
        case .success(let pid): child = pid
        case .failure(let failure):
            closeAll()
            throw SpawnError(message: "\(argv[0]): \(failure)")
        }
        let errData = ReadAll(err[0])
        let outData = ReadAll(out[0])
        if let input {
            let fd = inp[1]
            Thread.detachNewThread {
                var offset = 0
                while offset < input.count {
                    let n = input[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                    if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { break }
                }
                close(fd)
            }
        }
        var status: Int32 = 0
        if let timeout {
            let deadline = Date().addingTimeInterval(timeout)
            while true {
                let r = waitpid(child, &status, WNOHANG)
                if r == child || (r < 0 && errno != EINTR) { break }
                if Date() >= deadline {
                    kill(child, SIGTERM)
                    while waitpid(child, &status, 0) < 0 && errno == EINTR {}
                    break
                }
                usleep(20_000)
            }
        } else {
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        }
        // Exited: its code; killed by a signal: 128 + the signal, as a shell reports it.
        let code = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return (code, try outData.wait(), try errData.wait())
    }
}

/// Why census could not be started or its output read.
public struct SpawnError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Reads a pipe to its end on its own thread, then closes it.
final class ReadAll: @unchecked Sendable {
    private var data: [UInt8] = []
    private var failure: Int32 = 0
    private let done = DispatchSemaphore(value: 0)
    init(_ fd: Int32) {
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    data.append(contentsOf: buffer[0 ..< n])
                } else if n == 0 {
                    break
                } else if errno != EINTR {
                    failure = errno
                    break
                }
            }
            // A descriptor someone else closed is not ours to close again.
            if failure != EBADF { close(fd) }
            done.signal()
        }
    }
    func wait() throws -> [UInt8] {
        done.wait()
        if failure != 0 { throw SpawnError(message: "reading census's output: \(String(cString: strerror(failure)))") }
        return data
    }
}
