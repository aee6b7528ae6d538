#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few file-system operations the clone cache needs, on paths as strings; errors as `errno`.
enum FileSystem {
    /// Whether `path` is a directory (following symbolic links).
    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether anything exists at `path` (following symbolic links).
    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Creates `path` and any missing parents (`mkdir -p`).
    static func makeDirectories(_ path: String) throws {
        if isDirectory(path) { return }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try makeDirectories(String(path[..<slash]))
        }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw SystemCallError(code: errno, operation: "mkdir \(path)")
        }
    }

    /// A new, empty directory beside `path` (same file system, so it can be renamed into place).
    static func makeTemporaryDirectory(beside path: String) throws -> String {
        var template = Array((path + ".tmp-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { mkdtemp($0) != nil } ?? false
        }
        guard made else { throw SystemCallError(code: errno, operation: "mkdtemp \(path).tmp-XXXXXX") }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Renames `source` to `destination`; `false` when `destination` already exists (another
    /// process got there first).
    static func renameIfAbsent(_ source: String, to destination: String) throws -> Bool {
        if rename(source, destination) == 0 { return true }
        let code = errno
        if code == EEXIST || code == ENOTEMPTY { return false }
        throw SystemCallError(code: code, operation: "rename \(source) to \(destination)")
    }

    /// Removes `path` and everything below it, never following symbolic links (`rm -rf`).
    static func removeTree(_ path: String) {
        path.withCString { removeTree(in: AT_FDCWD, $0) }
    }

    /// Where `d_name` starts in a `dirent` (read through a raw pointer: a record is only
    /// `d_reclen` bytes long, so copying the 256-byte field could read past it).
    private static let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 19

    private static func removeTree(in parent: Int32, _ name: UnsafePointer<CChar>) {
        if unlinkat(parent, name, 0) == 0 { return }  // anything but a directory is gone now
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 { return }
        guard let directory = fdopendir(fd) else {
            close(fd)
            return
        }
        var names: [[CChar]] = []
        while let entry = readdir(directory) {
            let start = UnsafeRawPointer(entry).advanced(by: nameOffset).assumingMemoryBound(to: CChar.self)
            let entryName = UnsafeBufferPointer(start: start, count: strlen(start) + 1)
            if entryName.count == 2 && entryName[0] == 0x2e { continue }  // "."
            if entryName.count == 3 && entryName[0] == 0x2e && entryName[1] == 0x2e { continue }  // ".."
            names.append(Array(entryName))
        }
        let descriptor = dirfd(directory)
        for entryName in names {
            entryName.withUnsafeBufferPointer { buffer in
                if let base = buffer.baseAddress { removeTree(in: descriptor, base) }
            }
        }
        closedir(directory)
        _ = unlinkat(parent, name, AT_REMOVEDIR)
    }
}
