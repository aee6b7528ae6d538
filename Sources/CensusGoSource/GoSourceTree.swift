#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One directory of a tree: its `.go` files (sorted by bytes, as the go command lists them) and
/// whether it holds a go.mod.
public struct GoDirectoryListing: Sendable {
    /// The path relative to the tree's root (`""` for the root itself).
    public var path: String
    public var goFiles: [String] = []
    public var hasGoMod = false
    /// Whether the go command's `./...` walks it (names starting with `.` or `_`, and `testdata`,
    /// are skipped together with everything below them).
    public var isWalked = true

    public init(path: String, goFiles: [String] = [], hasGoMod: Bool = false, isWalked: Bool = true) {
        self.path = path
        self.goFiles = goFiles
        self.hasGoMod = hasGoMod
        self.isWalked = isWalked
    }
}

/// A tree of Go source: a directory on disk, or a commit's tree in a git object store.
public protocol GoSourceTree: Sendable {
    /// How messages name the tree.
    var displayName: String { get }
    /// The tree's root on disk (resolved), when it is a directory; used to find a GOPATH `src`
    /// above it and go.mod files above it.
    var rootPath: String? { get }
    /// Every directory, with its `.go` files; problems found on the way (unreadable
    /// directories) as messages.
    func listDirectories() -> (directories: [GoDirectoryListing], problems: [GoSourceProblem])
    /// A reader for one worker thread.
    func makeReader() -> any GoSourceFileReader
    /// The import path of the root when no go.mod gives one (a repository of GOPATH-era code).
    var importPathPrefix: String? { get }
}

extension GoSourceTree {
    public var importPathPrefix: String? { nil }
}

/// Reads files of a tree; one per thread.
public protocol GoSourceFileReader: AnyObject {
    /// Calls `body` with the file's whole content; returns the reason when the file cannot be read.
    func withContents(of relativePath: String, _ body: (UnsafeRawBufferPointer) -> Void) -> String?
    /// Calls `body` with the first `limit` bytes at most (the whole file when it is shorter).
    func withPrefix(of relativePath: String, limit: Int, _ body: (UnsafeRawBufferPointer) -> Void) -> String?
}

extension GoSourceFileReader {
    public func withPrefix(of relativePath: String, limit: Int, _ body: (UnsafeRawBufferPointer) -> Void) -> String? {
        withContents(of: relativePath) { bytes in body(UnsafeRawBufferPointer(rebasing: bytes.prefix(limit))) }
    }
}

/// Something the loader could not read or understand, named by path (and line and column when
/// it is inside a file).
public struct GoSourceProblem: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(path: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    /// `path:line:column: message`.
    public var description: String {
        var s = path
        if let line { s += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        return s + ": " + message
    }
}

/// A directory tree on disk, walked with `opendir`/`readdir` and read with `open`/`read(2)`.
/// Symbolic links to directories are not followed (the go command ignores them); links to files are.
public struct GoDirectoryTree: GoSourceTree {
    public let displayName: String
    public let rootPath: String?
    let root: String

    /// - Throws: ``GoSourceError`` when `path` is not a readable directory.
    public init(path: String) throws(GoSourceError) {
        guard let resolved = realpath(path, nil) else {
            throw GoSourceError(input: path, reason: String(cString: strerror(errno)), remedy: "name an existing directory")
        }
        defer { free(resolved) }
        root = String(cString: resolved)
        var st = stat()
        guard stat(root, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw GoSourceError(input: path, reason: "not a directory", remedy: "name a directory of Go source")
        }
        displayName = path
        rootPath = root
    }

    public func listDirectories() -> (directories: [GoDirectoryListing], problems: [GoSourceProblem]) {
        var directories: [GoDirectoryListing] = []
        var problems: [GoSourceProblem] = []
        var stack: [(String, Bool)] = [("", true)]
        while let (relative, walked) = stack.popLast() {
            let absolute = relative.isEmpty ? root : root + "/" + relative
            guard let dir = opendir(absolute) else {
                problems.append(GoSourceProblem(path: absolute, message: "cannot open directory: " + String(cString: strerror(errno))))
                continue
            }
            var listing = GoDirectoryListing(path: relative, isWalked: walked)
            var subdirectories: [(String, Bool)] = []
            while let entry = readdir(dir) {
                let namePointer = UnsafeRawPointer(entry).advanced(by: MemoryLayout<dirent>.offset(of: \dirent.d_name)!)
                    .assumingMemoryBound(to: CChar.self)
                let n = strlen(namePointer)
                let nameBytes = UnsafeRawBufferPointer(start: namePointer, count: n)
                if n == 1 && nameBytes[0] == UInt8(ascii: ".") || n == 2 && nameBytes[0] == UInt8(ascii: ".") && nameBytes[1] == UInt8(ascii: ".") {
                    continue
                }
                guard let name = String(validating: nameBytes, as: UTF8.self) else {
                    problems.append(
                        GoSourceProblem(path: absolute + "/" + String(decoding: nameBytes, as: UTF8.self), message: "name is not UTF-8; skipped"))
                    continue
                }
                var type = entry.pointee.d_type
                let isGo = name.hasSuffix(".go")
                if type == UInt8(DT_UNKNOWN) || (type == UInt8(DT_LNK) && (isGo || name == "go.mod")) {
                    var st = stat()
                    let path = absolute + "/" + name
                    let rc = type == UInt8(DT_LNK) ? stat(path, &st) : lstat(path, &st)
                    if rc != 0 { continue }  // a dangling link: the go command skips it too
                    switch st.st_mode & S_IFMT {
                    case S_IFDIR: type = type == UInt8(DT_LNK) ? UInt8(DT_LNK) : UInt8(DT_DIR)
                    case S_IFREG: type = UInt8(DT_REG)
                    default: type = UInt8(DT_LNK)
                    }
                }
                if type == UInt8(DT_DIR) {
                    // The go command's `./...` skips these subtrees; vendor lookups into them go to the disk.
                    let skip = name.hasPrefix(".") || name.hasPrefix("_") || name == "testdata"
                    if !skip { subdirectories.append((relative.isEmpty ? name : relative + "/" + name, walked)) }
                } else if type == UInt8(DT_REG) {
                    if isGo { listing.goFiles.append(name) } else if name == "go.mod" { listing.hasGoMod = true }
                }
            }
            closedir(dir)
            listing.goFiles.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            directories.append(listing)
            for sub in subdirectories.sorted(by: { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }).reversed() {
                stack.append(sub)
            }
        }
        return (directories, problems)
    }

    public func makeReader() -> any GoSourceFileReader { GoFileSystemReader(root: root) }

    /// Whether a path relative to the root (it may climb above it with `..`) is a directory, and
    /// whether it holds a `.go` file.
    func directoryInfo(_ absolute: String) -> (isDirectory: Bool, hasGoFiles: Bool) {
        guard let dir = opendir(absolute) else { return (false, false) }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let namePointer = UnsafeRawPointer(entry).advanced(by: MemoryLayout<dirent>.offset(of: \dirent.d_name)!)
                .assumingMemoryBound(to: CChar.self)
            let n = strlen(namePointer)
            if n > 3 && namePointer[n - 3] == 0x2E && namePointer[n - 2] == 0x67 && namePointer[n - 1] == 0x6F {
                let type = entry.pointee.d_type
                if type == UInt8(DT_REG) || type == UInt8(DT_LNK) || type == UInt8(DT_UNKNOWN) { return (true, true) }
            }
        }
        return (true, false)
    }
}

/// Reads whole files into one buffer it keeps (grown to the largest file read).
final class GoFileSystemReader: GoSourceFileReader {
    let root: String
    var buffer: UnsafeMutableRawBufferPointer

    init(root: String) {
        self.root = root
        buffer = .allocate(byteCount: 1 << 20, alignment: 16)
    }

    deinit { buffer.deallocate() }

    func withContents(of relativePath: String, _ body: (UnsafeRawBufferPointer) -> Void) -> String? {
        read(relativePath, limit: Int.max, body)
    }

    func withPrefix(of relativePath: String, limit: Int, _ body: (UnsafeRawBufferPointer) -> Void) -> String? {
        read(relativePath, limit: limit, body)
    }

    func read(_ relativePath: String, limit: Int, _ body: (UnsafeRawBufferPointer) -> Void) -> String? {
        let path = relativePath.isEmpty ? root : root + "/" + relativePath
        var fd: Int32
        repeat { fd = open(path, O_RDONLY | O_CLOEXEC) } while fd < 0 && errno == EINTR
        if fd < 0 { return "cannot open: " + String(cString: strerror(errno)) }
        defer { close(fd) }
        var st = stat()
        if limit == Int.max, fstat(fd, &st) == 0 && Int(st.st_size) + 1 > buffer.count {
            buffer.deallocate()
            buffer = .allocate(byteCount: Int(st.st_size) + 4096, alignment: 16)
        }
        var filled = 0
        while filled < limit {
            if filled == buffer.count {
                let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 16)
                bigger.copyMemory(from: UnsafeRawBufferPointer(buffer))
                buffer.deallocate()
                buffer = bigger
            }
            let n = Glibc.read(fd, buffer.baseAddress! + filled, min(buffer.count, limit) - filled)
            if n < 0 {
                if errno == EINTR { continue }
                return "cannot read: " + String(cString: strerror(errno))
            }
            if n == 0 { break }
            filled += n
        }
        body(UnsafeRawBufferPointer(rebasing: buffer[0..<filled]))
        return nil
    }
}

/// An input census cannot load: which, why, and what to do.
public struct GoSourceError: Error, Sendable, CustomStringConvertible {
    public var input: String
    public var reason: String
    public var remedy: String

    public init(input: String, reason: String, remedy: String) {
        self.input = input
        self.reason = reason
        self.remedy = remedy
    }

    public var description: String { "\(input): \(reason); \(remedy)" }
}
