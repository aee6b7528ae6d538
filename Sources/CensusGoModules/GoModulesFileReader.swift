#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that could not be read: its path and the system's reason.
public struct GoModulesReadError: Error, Sendable, CustomStringConvertible {
    public var path: String
    /// The `errno` of the failed call.
    public var code: Int32
    public var description: String { "\(path): cannot read: \(String(cString: strerror(code)))" }
}

/// Reads module files whole with `open` and `read(2)`, retrying on `EINTR`.
public enum GoModulesFileReader {
    /// The bytes of the file at `path`.
    ///
    /// - Throws: `GoModulesReadError` naming the path and the reason.
    public static func read(_ path: String) throws(GoModulesReadError) -> [UInt8] {
        var fd: Int32
        repeat { fd = open(path, O_RDONLY | O_CLOEXEC) } while fd < 0 && errno == EINTR
        guard fd >= 0 else { throw GoModulesReadError(path: path, code: errno) }
        defer { close(fd) }
        var info = stat()
        var capacity = 64 * 1024
        if fstat(fd, &info) == 0 && info.st_size > 0 { capacity = Int(info.st_size) + 1 }
        var bytes = [UInt8](repeating: 0, count: capacity)
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
            let n = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return systemRead(fd, base + count, buffer.count - count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw GoModulesReadError(path: path, code: errno)
            }
            if n == 0 { break }
            count += n
        }
        bytes.removeSubrange(count...)
        return bytes
    }
}

/// `read(2)`, named apart from `GoModulesFileReader.read`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
