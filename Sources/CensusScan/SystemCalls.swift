#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over the system calls the walker uses: retried on `EINTR`, errors as `errno`.
enum SystemCalls {
    /// The text of an `errno` value ("Permission denied").
    static func message(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// `openat(2)`, retried on `EINTR`; returns the descriptor or `-errno`.
    static func openAt(_ directory: Int32, _ name: UnsafePointer<CChar>, _ flags: Int32) -> Int32 {
        while true {
            let fd = openat(directory, name, flags | O_CLOEXEC)
            if fd >= 0 { return fd }
            if errno != EINTR { return -errno }
        }
    }

    /// `read(2)`, retried on `EINTR`; returns bytes read, 0 at the end, or `-errno`.
    static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        while true {
            let n = Glibc.read(fd, buffer, count)
            if n >= 0 { return n }
            if errno != EINTR { return -Int(errno) }
        }
    }

    /// Reads a whole small file (ignore files), at most `limit` bytes; returns the bytes, whether it
    /// was cut short, or the `errno` of the failure.
    static func readSmallFile(
        directory: Int32, name: UnsafePointer<CChar>, limit: Int
    ) -> (bytes: [UInt8], truncated: Bool, error: Int32?) {
        let fd = openAt(directory, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW)
        if fd < 0 { return ([], false, -fd) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count < limit {
            let n = chunk.withUnsafeMutableBytes { raw in raw.baseAddress.map { read(fd, $0, raw.count) } ?? 0 }
            if n < 0 { return (bytes, false, Int32(-n)) }
            if n == 0 { return (bytes, false, nil) }
            bytes.append(contentsOf: chunk[0 ..< min(n, limit - bytes.count)])
        }
        return (bytes, true, nil)
    }

    /// The name of a file type from `st_mode`, for messages.
    static func typeName(mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "FIFO"
        case S_IFSOCK: return "socket"
        case S_IFCHR: return "character device"
        case S_IFBLK: return "block device"
        case S_IFDIR: return "directory"
        case S_IFLNK: return "symbolic link"
        case S_IFREG: return "regular file"
        default: return "special file"
        }
    }
}

extension Array where Element == UInt8 {
    /// Calls `body` with these bytes as a NUL-terminated C string (paths need not be UTF-8).
    func withCPath<R>(_ body: (UnsafePointer<CChar>) -> R) -> R {
        var terminated = map { CChar(bitPattern: $0) }
        terminated.append(0)
        return body(terminated)
    }
}
