#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads manifests and maps whole, with `open` and `read(2)`, retrying on `EINTR`.
///
/// Manifests are small (the CNCF landscape, the largest, is 4 MB), so one read into one buffer
/// sized from `fstat` is enough; nothing here is on a hot path.
enum CorpusFileReader {
    /// The bytes of the file at `path`.
    ///
    /// - Throws: ``CorpusError`` with ``CorpusError/Code/unreadableFile`` naming the path and the
    ///   system's reason.
    static func read(_ path: String) throws(CorpusError) -> [UInt8] {
        func failure(_ code: Int32, _ operation: String) -> CorpusError {
            CorpusError(
                .unreadableFile, input: path,
                message: "cannot \(operation) the file: \(String(cString: strerror(code)))")
        }
        var fd: Int32
        repeat { fd = open(path, O_RDONLY | O_CLOEXEC) } while fd < 0 && errno == EINTR
        guard fd >= 0 else { throw failure(errno, "open") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure(errno, "stat") }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw failure(EISDIR, "read") }
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
                throw failure(errno, "read")
            }
            if n == 0 { break }
            count += n
        }
        bytes.removeSubrange(count...)
        return bytes
    }
}

/// `read(2)`, named apart from `CorpusFileReader.read`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
