#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads small input files (manifests, company maps, gitdm files, go.mod) whole, with `open` and
/// `read(2)` into one buffer sized from `fstat`, retrying on `EINTR`. Nothing here is on a hot path;
/// scans read file contents through their own reused buffers.
public enum WholeFile {
    /// Why a file could not be read: its path, the call that failed, and the system's reason.
    public struct Failure: Error, Sendable, Hashable {
        /// The path as given.
        public var path: String
        /// `open`, `stat` or `read`.
        public var operation: String
        /// The `errno` of the failed call (`EISDIR` for a directory).
        public var code: Int32

        /// The system's text for ``code``.
        public var reason: String { String(cString: strerror(code)) }
    }

    /// The bytes of the file at `path`.
    ///
    /// - Throws: ``Failure`` naming the path, the call and the reason.
    public static func read(_ path: String) throws(Failure) -> [UInt8] {
        func failure(_ operation: String, _ code: Int32) -> Failure { Failure(path: path, operation: operation, code: code) }
        var fd: Int32
        repeat { fd = open(path, O_RDONLY | O_CLOEXEC) } while fd < 0 && errno == EINTR
        guard fd >= 0 else { throw failure("open", errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("stat", errno) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw failure("read", EISDIR) }
        var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size) + 1, 4096))
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
            let n = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return systemRead(fd, base + count, buffer.count - count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("read", errno)
            }
            if n == 0 { break }
            count += n
        }
        bytes.removeSubrange(count...)
        return bytes
    }
}

/// `read(2)`, named apart from `WholeFile.read`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
