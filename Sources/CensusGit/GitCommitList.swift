#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A list of commit ids kept in an unnamed temporary file, one hexadecimal id and a newline each
/// (what `git log --stdin` reads), so that a walk's order costs no memory however long the
/// history: a resumed walk of the Linux kernel's 1.3 million commits would otherwise hold some
/// 90 MB of ids. Written once, in order, through a small buffer; then given to git as its
/// standard input (``descriptor``), or read back a range at a time.
///
/// Every id has the same length (one repository, one hash algorithm), so the line of id `i`
/// starts at `i × lineLength`.
final class GitCommitList {
    /// The file (unlinked at creation: it goes away with the descriptor).
    let descriptor: Int32
    private(set) var count = 0
    /// Bytes per line: the first id's hexadecimal digits and a newline.
    private(set) var lineLength = 0
    private var buffer: [UInt8] = []
    private static let bufferSize = 64 * 1024

    /// - Throws: ``SystemCallError`` when no temporary file can be made.
    init() throws {
        let directory = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((directory + "/census-commits-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw SystemCallError(code: errno, operation: "create a temporary file in \(directory)") }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        descriptor = fd
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { close(descriptor) }

    /// Appends `id` (of the same length as the first).
    func append(_ id: GitObjectID) throws {
        let digits = id.hexDigits
        if count == 0 { lineLength = digits.count + 1 }
        guard digits.count + 1 == lineLength else {
            throw SystemCallError(code: EINVAL, operation: "list commit \(id) among ids of another length")
        }
        buffer += digits
        buffer.append(0x0A)
        count += 1
        if buffer.count >= Self.bufferSize { try flush() }
    }

    /// Writes what is buffered; call before handing ``descriptor`` to git or reading back.
    func flush() throws {
        var written = 0
        while written < buffer.count {
            let n = buffer.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemCallError(code: errno, operation: "write the list of commits to a temporary file")
            }
            written += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Sets the file's offset to its start, where git reads it from.
    func rewind() throws {
        try flush()
        if lseek(descriptor, 0, SEEK_SET) < 0 { throw SystemCallError(code: errno, operation: "rewind the list of commits") }
    }

    /// The ids `range` (of `0 ..< count`), read back from the file.
    func ids(_ range: Range<Int>) throws -> [GitObjectID] {
        try flush()
        guard !range.isEmpty else { return [] }
        var bytes = [UInt8](repeating: 0, count: range.count * lineLength)
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress! + filled, $0.count - filled, off_t((range.lowerBound * lineLength) + filled))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw SystemCallError(code: n < 0 ? errno : EIO, operation: "read the list of commits back") }
            filled += n
        }
        var ids: [GitObjectID] = []
        ids.reserveCapacity(range.count)
        for line in 0..<range.count {
            let start = line * lineLength
            guard let id = GitObjectID(hex: bytes[start ..< start + lineLength - 1]) else {
                throw SystemCallError(code: EIO, operation: "read the list of commits back (line \(range.lowerBound + line))")
            }
            ids.append(id)
        }
        return ids
    }

    /// The position of `id` in the list, read back a block at a time.
    func firstIndex(of id: GitObjectID) throws -> Int? {
        var start = 0
        while start < count {
            let block = try ids(start ..< min(count, start + 4096))
            if let found = block.firstIndex(of: id) { return start + found }
            start += block.count
        }
        return nil
    }
}
