import CCensusBytes
import CensusCounting
import CensusGit
import CensusGoModules
import CensusLanguages
import CensusProgress

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One scanning thread's state: its read buffer, counter, program cache and running totals.
/// Never shared between threads.
final class Worker {
    /// Files in a directory beyond this many are shared with other workers in batches this size.
    static let batchSize = 64
    /// Git's rule: a NUL byte in the first 8,000 bytes makes a file binary.
    static let binaryProbe = 8000
    /// Ignore files larger than this are read only this far (and reported).
    static let ignoreFileLimit = 4 << 20

    /// Where `d_name` starts in a `dirent`.
    static let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 19

    let scanner: Scanner
    let options: ScanOptions
    let queue: WorkQueue<WorkItem>
    /// Linguist's engine, taken when the first file is classified: a walk that meets no file never
    /// builds it (building compiles Linguist's ~250 path patterns, four fifths of an empty scan's
    /// instructions; docs/benchmarks.md). Unretained: `shared` lives as long as the process, and
    /// the hot path must not count references to an object both threads use.
    private var engineReference: Unmanaged<LinguistEngine>?
    let counter = LineCounter()
    let buffer: UnsafeMutableBufferPointer<UInt8>
    var programs: [CountingProgram?]
    /// The relative path of the entry being looked at, rebuilt in place for every entry.
    var scratch: [UInt8] = []
    /// The root-relative path of the file being counted, rebuilt in place for every file.
    var filePath: [UInt8] = []
    /// Where the path below the scanned root starts in `filePath`; -1 for a root that is a file
    /// (nothing is offered to `options.wholeFiles` then).
    var rootLength = -1
    /// Files wanted whole (`options.wholeFiles`) that are larger than `buffer` are read into this,
    /// grown to the largest such file and kept.
    var wholeBuffer = UnsafeMutableBufferPointer<UInt8>(start: nil, count: 0)

    /// Indexed by `category * languageCount + language`.
    var files: [Int]
    var counts: [LineCounts]
    var bytes: [Int]
    var breakdown: [Int]
    var records: [FileRecord] = []
    var goModules: [GoModuleRecord] = []
    /// Own files' parts in other languages: `host * languageCount + part` → totals.
    var embedded: [Int: CountTotals] = [:]
    /// Per language: how its files hold other languages (`nil` for most), read on first use (by
    /// then the language table is built: a worker is made before it may be).
    lazy var embeddingRules: [EmbeddingRule?] = LanguageTable.all.map { $0.syntax.embedding }
    /// Directories (relative) holding `vendor/modules.txt`.
    var vendorManifests: [[UInt8]] = []
    var issues: [ScanIssue] = []
    var summary = ScanSummary()
    /// This worker's `git cat-file --batch`, for the plan it was made for.
    var gitReader: GitBlobReader?
    var gitReaderPlan: GitTreePlan?

    /// This worker's place among the scan's workers, when there are several: it moves to a
    /// processor of its own when it first needs the engine.
    var spreadIndex: Int?

    init(scanner: Scanner, queue: WorkQueue<WorkItem>) {
        self.scanner = scanner
        self.options = scanner.options
        self.queue = queue
        buffer = .allocate(capacity: max(options.bufferSize, 4096))
        programs = Array(repeating: nil, count: LanguageTable.count)
        let cells = LanguageTable.count * FileCategory.allCases.count
        files = Array(repeating: 0, count: cells)
        counts = Array(repeating: LineCounts(), count: cells)
        bytes = Array(repeating: 0, count: cells)
        breakdown = Array(repeating: 0, count: LanguageTable.count)
        scratch.reserveCapacity(4096)
        filePath.reserveCapacity(4096)
    }

    deinit {
        buffer.deallocate()
        wholeBuffer.deallocate()
    }

    /// Runs `body` with the engine (built on first use).
    @inline(__always)
    func withEngine<R>(_ body: (LinguistEngine) -> R) -> R {
        let reference: Unmanaged<LinguistEngine>
        if let known = engineReference {
            reference = known
        } else {
            // Asleep while another thread builds it (see EngineWarmUp).
            reference = Unmanaged.passUnretained(EngineWarmUp.engineWhenReady())
            // The builder wakes every waiting worker onto its own processor; spread them over
            // the processors once, now that there is work for all (see census_spread_to_cpu).
            if let spreadIndex { _ = census_spread_to_cpu(Int32(spreadIndex)) }
            engineReference = reference
        }
        return reference._withUnsafeGuaranteedRef(body)
    }

    func result() -> WorkerResult {
        WorkerResult(
            files: files, counts: counts, bytes: bytes, breakdown: breakdown, records: records, issues: issues,
            summary: summary, goModules: goModules, vendorManifests: vendorManifests, embedded: embedded)
    }

    func process(_ item: WorkItem) {
        switch item {
        case .directory(let node): readDirectory(node)
        case .files(let node, let batch):
            let fd = node.path.withCPath { SystemCalls.openAt(AT_FDCWD, $0, O_RDONLY | O_DIRECTORY) }
            if fd < 0 {
                issue(node.displayPath, .error, "\(SystemCalls.message(-fd)) (open directory)")
                return
            }
            countFiles(batch, in: node, directory: fd)
            close(fd)
        case .rootFile(let path, let context):
            countRootFile(path, context)
        case .gitBlobs(let plan, let range):
            countBlobs(plan, range)
        }
    }

    func issue(_ path: [UInt8], _ kind: ScanIssue.Kind, _ reason: String) {
        issues.append(ScanIssue(path: path, kind: kind, reason: reason))
    }

    // MARK: - Directories

    private func readDirectory(_ node: DirectoryNode) {
        let fd = node.path.withCPath { SystemCalls.openAt(AT_FDCWD, $0, O_RDONLY | O_DIRECTORY) }
        if fd < 0 {
            issue(node.displayPath, .error, "\(SystemCalls.message(-fd)) (open directory)")
            return
        }
        guard let dir = fdopendir(fd) else {
            issue(node.displayPath, .error, "\(SystemCalls.message(errno)) (open directory)")
            close(fd)
            return
        }
        defer { closedir(dir) }
        summary.directories += 1

        // Read all entries first: ignore files in this directory apply to its other entries.
        var names: [UInt8] = []
        var entries: [(start: Int, count: Int, type: UInt8)] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { issue(node.displayPath, .error, "\(SystemCalls.message(errno)) (read directory)") }
                break
            }
            let type = entry.pointee.d_type
            // Read the name through a raw pointer: a dirent record is only d_reclen bytes long, so
            // touching d_name as a 256-byte value (which Swift may copy back) would overrun it.
            let namePointer = UnsafeRawPointer(entry).advanced(by: Self.nameOffset).assumingMemoryBound(to: CChar.self)
            let n = strlen(namePointer)
            let name = UnsafeRawBufferPointer(start: namePointer, count: n)
            if n == 1 && name[0] == UInt8(ascii: ".") { continue }
            if n == 2 && name[0] == UInt8(ascii: ".") && name[1] == UInt8(ascii: ".") { continue }
            entries.append((names.count, n, type))
            names.append(contentsOf: name)
            names.append(0)
        }

        var hasGit = false
        names.withUnsafeBufferPointer { all in
            for e in entries where Self.isNamed(UnsafeBufferPointer(rebasing: all[e.start ..< e.start + e.count]), ".git") {
                hasGit = true
            }
        }
        let inRepository = node.inRepository || hasGit
        let ignores = options.useIgnoreFiles ? loadIgnoreFiles(node, fd, names, entries, inRepository: inRepository) : node.ignores
        let attributes = loadAttributes(node, fd, names, entries, isTop: hasGit || node.parent == nil, hasGit: hasGit)
        var children: [WorkItem] = []
        var batch = FileBatch(attributes: attributes)
        names.withUnsafeBufferPointer { all in
            guard let namesBase = all.baseAddress else { return }
            for e in entries {
                let name = UnsafeBufferPointer(rebasing: all[e.start ..< e.start + e.count])
                let cName = UnsafeRawPointer(namesBase + e.start).assumingMemoryBound(to: CChar.self)
                if Self.isNamed(name, ".git") { continue }
                if !options.includeHidden && name.first == UInt8(ascii: ".") {
                    summary.hiddenEntries += 1
                    continue
                }
                var type = e.type
                var followed = false
                var identity: FileIdentity? = nil
                if type == UInt8(DT_UNKNOWN) {
                    var st = stat()
                    if fstatat(fd, cName, &st, AT_SYMLINK_NOFOLLOW) != 0 {
                        issue(node.displayPath(name), .error, "\(SystemCalls.message(errno)) (stat)")
                        continue
                    }
                    type = Self.direntType(st.st_mode)
                    if type == UInt8(DT_DIR) { identity = FileIdentity(st) }
                }
                if type == UInt8(DT_LNK) {
                    if !options.followSymlinks {
                        summary.symlinksSkipped += 1
                        continue
                    }
                    var st = stat()
                    if fstatat(fd, cName, &st, 0) != 0 {
                        let code = errno
                        let reason =
                            code == ELOOP
                            ? "symbolic link loop" : code == ENOENT ? "dangling symbolic link" : "\(SystemCalls.message(code)) (stat)"
                        issue(node.displayPath(name), code == ELOOP || code == ENOENT ? .skipped : .error, reason)
                        continue
                    }
                    type = Self.direntType(st.st_mode)
                    followed = true
                    identity = FileIdentity(st)
                }
                let isDirectory = type == UInt8(DT_DIR)
                setScratch(node.relative, name)
                if isIgnored(isDirectory: isDirectory, ignores) {
                    summary.ignoredEntries += 1
                    continue
                }
                switch Int(type) {
                case Int(DT_DIR):
                    if options.followSymlinks {
                        if identity == nil {
                            var st = stat()
                            if fstatat(fd, cName, &st, AT_SYMLINK_NOFOLLOW) == 0 { identity = FileIdentity(st) }
                        }
                        if let identity, isAncestor(identity, of: node) {
                            issue(node.displayPath(name), .skipped, "symbolic link loop: leads back to a directory being scanned")
                            continue
                        }
                    }
                    children.append(
                        .directory(
                            DirectoryNode(
                                parent: node, name: name, relative: scratch, ignores: ignores, attributes: attributes,
                                identity: identity, inRepository: inRepository)))
                case Int(DT_REG):
                    batch.append(name, followed: followed)
                default:
                    issue(node.displayPath(name), .skipped, "\(Self.typeName(type)): not a regular file")
                }
            }
        }
        queue.push(children)
        guard batch.count > 0 else { return }
        if batch.count > Self.batchSize && options.jobs > 1 {
            var shared: [WorkItem] = []
            var own = FileBatch(attributes: attributes)
            var current = FileBatch(attributes: attributes)
            for k in 0 ..< batch.count {
                let start = Int(batch.starts[k])
                let end = k + 1 < batch.count ? Int(batch.starts[k + 1]) - 1 : batch.names.count - 1
                batch.names.withUnsafeBufferPointer { all in
                    current.append(UnsafeBufferPointer(rebasing: all[start ..< end]), followed: batch.followed[k])
                }
                if current.count == Self.batchSize {
                    if own.count == 0 { own = current } else { shared.append(.files(node, current)) }
                    current = FileBatch(attributes: attributes)
                }
            }
            if current.count > 0 { shared.append(.files(node, current)) }
            queue.push(shared)
            countFiles(own, in: node, directory: fd)
        } else {
            countFiles(batch, in: node, directory: fd)
        }
    }

    private func setScratch(_ relative: [UInt8], _ name: UnsafeBufferPointer<UInt8>) {
        scratch.removeAll(keepingCapacity: true)
        if !relative.isEmpty {
            scratch.append(contentsOf: relative)
            scratch.append(UInt8(ascii: "/"))
        }
        scratch.append(contentsOf: name)
    }

    /// Whether the entry whose root-relative path is in `scratch` is excluded.
    private func isIgnored(isDirectory: Bool, _ chain: IgnoreChain?) -> Bool {
        scratch.withUnsafeBufferPointer { Self.isIgnored($0, isDirectory: isDirectory, excludes: scanner.excludes, chain) }
    }

    private func isAncestor(_ identity: FileIdentity, of node: DirectoryNode) -> Bool {
        var n: DirectoryNode? = node
        while let current = n {
            if current.identity == identity { return true }
            n = current.parent
        }
        return false
    }

    /// Reads `.git/info/exclude` (at a repository's top), `.gitignore` and `.ignore`, in rising
    /// precedence, on top of the chain inherited from the parent directory. The first two only
    /// inside a repository (unless `gitignoreRequiresRepository` is off).
    private func loadIgnoreFiles(
        _ node: DirectoryNode, _ fd: Int32, _ names: [UInt8], _ entries: [(start: Int, count: Int, type: UInt8)],
        inRepository: Bool
    ) -> IgnoreChain? {
        var chain = node.ignores
        let base = node.relative.isEmpty ? 0 : node.relative.count + 1
        var has = (git: false, gitignore: false, ignore: false)
        names.withUnsafeBufferPointer { all in
            for e in entries {
                let name = UnsafeBufferPointer(rebasing: all[e.start ..< e.start + e.count])
                if Self.isNamed(name, ".git") { has.git = true }
                if Self.isNamed(name, ".gitignore") { has.gitignore = true }
                if Self.isNamed(name, ".ignore") { has.ignore = true }
            }
        }
        let git = inRepository || !options.gitignoreRequiresRepository
        for (present, file) in [(has.git && git, ".git/info/exclude"), (has.gitignore && git, ".gitignore"), (has.ignore, ".ignore")]
        where present {
            let read = file.withCString { SystemCalls.readSmallFile(directory: fd, name: $0, limit: Self.ignoreFileLimit) }
            let display = Array(file.utf8).withUnsafeBufferPointer { node.displayPath($0) }
            if let error = read.error {
                // A missing info/exclude is normal; anything else is worth saying.
                if !(file == ".git/info/exclude" && (error == ENOENT || error == ENOTDIR)) {
                    issue(display, .error, "\(SystemCalls.message(error)) (read ignore file)")
                }
                continue
            }
            if read.truncated {
                issue(display, .skipped, "ignore file larger than \(Self.ignoreFileLimit) bytes: only its start was read")
            }
            let origin = String(decoding: display, as: UTF8.self)
            let parsed = IgnoreFile(contents: read.bytes, origin: origin)
            for d in parsed.diagnostics {
                issue(display, .skipped, "line \(d.line): \(d.message)")
            }
            if !parsed.isEmpty { chain = IgnoreChain(file: parsed, baseLength: base, parent: chain) }
        }
        return chain
    }

    /// Reads this directory's `.gitattributes` (and, at a repository top, `.git/info/attributes`)
    /// on top of the chain inherited from the parent. Macros may be defined only at the top.
    private func loadAttributes(
        _ node: DirectoryNode, _ fd: Int32, _ names: [UInt8], _ entries: [(start: Int, count: Int, type: UInt8)],
        isTop: Bool, hasGit: Bool
    ) -> AttributesChain? {
        var present = false
        names.withUnsafeBufferPointer { all in
            for e in entries where Self.isNamed(UnsafeBufferPointer(rebasing: all[e.start ..< e.start + e.count]), ".gitattributes") {
                present = true
            }
        }
        func read(_ file: String) -> GitAttributesFile? {
            let result = file.withCString { SystemCalls.readSmallFile(directory: fd, name: $0, limit: Self.ignoreFileLimit) }
            let display = Array(file.utf8).withUnsafeBufferPointer { node.displayPath($0) }
            if let error = result.error {
                if !(file == ".git/info/attributes" && (error == ENOENT || error == ENOTDIR)) {
                    issue(display, .error, "\(SystemCalls.message(error)) (read attributes file)")
                }
                return nil
            }
            let parsed = GitAttributesFile(
                contents: result.bytes, origin: String(decoding: display, as: UTF8.self),
                macros: node.attributes?.macros ?? [:], isTopLevel: isTop)
            for d in parsed.diagnostics { issue(display, .skipped, "line \(d.line): \(d.message)") }
            return parsed
        }
        let info = hasGit ? read(".git/info/attributes") : nil
        let file = present ? read(".gitattributes") : nil
        // A file without rules still matters at the top, where it may define macros.
        let useful = (file.map { !$0.isEmpty || isTop } ?? false) || (info.map { !$0.isEmpty } ?? false)
        guard useful else { return node.attributes }
        let base = node.relative.isEmpty ? 0 : node.relative.count + 1
        let parsed = file ?? GitAttributesFile(contents: [], origin: "")
        return AttributesChain(
            file: parsed, baseLength: base, parent: node.attributes, info: info ?? node.attributes?.info,
            macros: isTop ? parsed.definedMacros : (node.attributes?.macros ?? [:]))
    }

    static func direntType(_ mode: mode_t) -> UInt8 {
        switch mode & S_IFMT {
        case S_IFDIR: return UInt8(DT_DIR)
        case S_IFREG: return UInt8(DT_REG)
        case S_IFLNK: return UInt8(DT_LNK)
        case S_IFIFO: return UInt8(DT_FIFO)
        case S_IFSOCK: return UInt8(DT_SOCK)
        case S_IFCHR: return UInt8(DT_CHR)
        case S_IFBLK: return UInt8(DT_BLK)
        default: return UInt8(DT_UNKNOWN)
        }
    }

    static func typeName(_ type: UInt8) -> String {
        switch Int(type) {
        case Int(DT_FIFO): return "FIFO"
        case Int(DT_SOCK): return "socket"
        case Int(DT_CHR): return "character device"
        case Int(DT_BLK): return "block device"
        default: return "special file"
        }
    }

    // MARK: - Files

    private func countFiles(_ batch: FileBatch, in node: DirectoryNode, directory fd: Int32) {
        batch.names.withUnsafeBufferPointer { all in
            guard let namesBase = all.baseAddress else { return }
            for k in 0 ..< batch.count {
                let start = Int(batch.starts[k])
                let end = k + 1 < batch.count ? Int(batch.starts[k + 1]) - 1 : all.count - 1
                let name = UnsafeBufferPointer(rebasing: all[start ..< end])
                let cName = UnsafeRawPointer(namesBase + start).assumingMemoryBound(to: CChar.self)
                let flags = O_RDONLY | O_NONBLOCK | (batch.followed[k] ? 0 : O_NOFOLLOW)
                let file = SystemCalls.openAt(fd, cName, flags)
                if file < 0 {
                    issue(node.displayPath(name), .error, "\(SystemCalls.message(-file)) (open)")
                    continue
                }
                filePath.removeAll(keepingCapacity: true)
                rootLength = node.rootLength
                if !node.relative.isEmpty {
                    filePath.append(contentsOf: node.relative)
                    filePath.append(UInt8(ascii: "/"))
                }
                filePath.append(contentsOf: name)
                countFile(file, name: name, attributes: batch.attributes) { node.displayPath(name) }
                close(file)
            }
        }
        options.progress?.add(batch.count)
    }

    private func countRootFile(_ path: String, _ context: RootContext) {
        let fd = path.withCString { SystemCalls.openAt(AT_FDCWD, $0, O_RDONLY | O_NONBLOCK) }
        let bytes = Array(path.utf8)
        if fd < 0 {
            issue(bytes, .error, "\(SystemCalls.message(-fd)) (open)")
            return
        }
        defer { close(fd) }
        let base = bytes.lastIndex(of: UInt8(ascii: "/")).map { bytes.index(after: $0) } ?? 0
        filePath = context.relative.isEmpty ? Array(bytes[base...]) : context.relative
        rootLength = -1
        Array(bytes[base...]).withUnsafeBufferPointer { name in
            countFile(fd, name: name, attributes: context.attributes) { bytes }
        }
        options.progress?.add()
    }

    /// Reads, classifies and counts one open file; `filePath` holds its root-relative path.
    private func countFile(
        _ fd: Int32, name: UnsafeBufferPointer<UInt8>, attributes: AttributesChain?, path: () -> [UInt8]
    ) {
        countContent(name: name, attributes: attributes, path: path, fillFirstBuffer: false, size: { read in
            Self.size(fd, atLeast: read)
        }) { p, n in
            SystemCalls.read(fd, p, n)
        }
    }

    /// Classifies and counts one file's content, delivered by `read` (which returns a byte count,
    /// 0 at the end, or a negative errno); `filePath` holds its root-relative path.
    ///
    /// - Parameters:
    ///   - fillFirstBuffer: read until the buffer is full or the content ends before classifying
    ///     (for streams that deliver short reads; `read(2)` on a regular file does not).
    ///   - size: the content's whole size, given how much the first read delivered (for skipped
    ///     files' byte totals).
    func countContent(
        name: UnsafeBufferPointer<UInt8>, attributes: AttributesChain?, path: () -> [UInt8], fillFirstBuffer: Bool,
        size: (Int) -> Int, read: (UnsafeMutablePointer<UInt8>, Int) -> Int
    ) {
        guard let base = buffer.baseAddress else { return }
        var first = read(base, buffer.count)
        if first < 0 {
            issue(path(), .error, "\(SystemCalls.message(Int32(-first))) (read)")
            return
        }
        var atEnd = first == 0
        if fillFirstBuffer {
            while !atEnd && first < buffer.count {
                let n = read(base + first, buffer.count - first)
                if n < 0 {
                    issue(path(), .error, "\(SystemCalls.message(Int32(-n))) (read)")
                    return
                }
                if n == 0 { atEnd = true } else { first += n }
            }
        }
        // A file another reader wants: read to its end now, so that reader and the counter below
        // share this one read of it.
        var whole: (buffer: UnsafeMutableBufferPointer<UInt8>, count: Int, error: Int32?)? = nil
        if let consumer = options.wholeFiles, isWanted(by: consumer) {
            let read = readWhole(first: first, atEnd: atEnd, size: size, read: read)
            whole = read
            if read.error == nil, let start = read.buffer.baseAddress {
                filePath.withUnsafeBufferPointer { path in
                    consumer.consume(
                        path: UnsafeBufferPointer(rebasing: path[rootLength...]),
                        content: UnsafeRawBufferPointer(start: start, count: read.count))
                }
            }
        }
        let probe = min(first, Self.binaryProbe)
        if probe > 0 && memchr(base, 0, probe) != nil {
            summary.binaryFiles += 1
            summary.binaryBytes += size(first)
            return
        }
        let prefix = UnsafeRawBufferPointer(start: base, count: first)
        if first <= GitLFSPointer.maximumSize, first > 0, GitLFSPointer(parsing: prefix) != nil, size(first) == first {
            // Git LFS keeps the real content elsewhere; the pointer is not code (Linguist skips it).
            summary.lfsPointers += 1
            return
        }
        let classification: FileClassification? = filePath.withUnsafeBytes { relative in
            let overrides = attributes.flatMap { $0.hasRules ? Self.overrides($0, relative) : nil } ?? LinguistOverrides()
            return withEngine {
                $0.classify(
                    path: relative, name: name, data: prefix, overrides: overrides, basicDetection: options.detection == .names)
            }
        }
        if let classification, Self.isNamed(name, "go.mod") {
            recordGoModule(prefix, complete: atEnd || first < buffer.count, category: classification.category, path: path)
        } else if Self.isNamed(name, "modules.txt"), filePath.count >= 18, filePath.suffix(18).elementsEqual("vendor/modules.txt".utf8),
            filePath.count == 18 || filePath[filePath.count - 19] == UInt8(ascii: "/")
        {
            // The directory above vendor/, with its trailing '/' ("" at the top), as go.mod paths give it.
            vendorManifests.append(Array(filePath.dropLast(18)))
        }
        guard let classification else {
            summary.unrecognisedFiles += 1
            summary.unrecognisedBytes += size(first)
            return
        }
        let language = classification.detection.language
        let id = language.index
        let program: CountingProgram
        if let cached = programs[id] {
            program = cached
        } else {
            program = CountingProgram.forLanguage(language)
            programs[id] = program
        }
        var parts: [EmbeddedCount] = []
        let result: StreamCount
        if let rule = embeddingRules[id], first > 0, size(first) == first {
            // The whole file is in the buffer: count it part by part (HTML-family files only).
            let counted = EmbeddedRegions.count(
                UnsafeRawBufferPointer(start: base, count: first), language: language, rule: rule, counter: counter)
            result = StreamCount(counts: counted.counts, bytes: first, readError: nil)
            parts = counted.embedded
            if classification.category == .own {
                for part in parts {
                    let key = id * LanguageTable.count + part.language.index
                    embedded[key, default: CountTotals()] += CountTotals(files: 1, counts: part.counts, bytes: 0)
                }
            }
        } else if let whole {
            // Already read to its end (the same counts as reading it in buffer-sized pieces).
            var counted = counter.countStream(program: program, buffer: whole.buffer, filled: whole.count, atEnd: true) { _, _ in 0 }
            counted.readError = whole.error
            result = counted
        } else {
            result = counter.countStream(program: program, buffer: buffer, filled: first, atEnd: atEnd, read: read)
        }
        if let error = result.readError {
            issue(path(), .error, "\(SystemCalls.message(error)) (read; counted the first \(result.bytes) bytes)")
        }
        let cell = (FileCategory.allCases.firstIndex(of: classification.category) ?? 0) * LanguageTable.count + id
        files[cell] += 1
        counts[cell] += result.counts
        bytes[cell] += result.bytes
        if classification.inBreakdown {
            breakdown[withEngine { $0.breakdownLanguage(language).index }] += result.bytes
        }
        summary.countedFiles += 1
        if options.collectFiles {
            records.append(
                FileRecord(
                    path: path(), language: language, counts: result.counts, bytes: result.bytes, classification: classification,
                    embedded: parts))
        }
    }

    /// Whether `options.wholeFiles` wants the file whose path is in `filePath`.
    private func isWanted(by consumer: any WholeFileConsumer) -> Bool {
        guard rootLength >= 0, filePath.count > rootLength else { return false }
        return filePath.withUnsafeBufferPointer { consumer.wants(path: UnsafeBufferPointer(rebasing: $0[rootLength...])) }
    }

    /// Reads the rest of a file whose first `first` bytes are in `buffer`, to its end: into
    /// `buffer` while it has room, then into `wholeBuffer` (grown to the file's size).
    ///
    /// - Returns: the buffer holding the whole file, its length, and the `errno` of a read that
    ///   failed (the bytes before it are kept).
    private func readWhole(
        first: Int, atEnd: Bool, size: (Int) -> Int, read: (UnsafeMutablePointer<UInt8>, Int) -> Int
    ) -> (buffer: UnsafeMutableBufferPointer<UInt8>, count: Int, error: Int32?) {
        var target = buffer
        var filled = first
        var end = atEnd
        while !end {
            if filled == target.count {
                // Larger than the read buffer: move to the whole-file buffer, grown if needed.
                let needed = max(size(filled) + 1, filled * 2)
                if wholeBuffer.count < needed {
                    let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: needed)
                    if let from = target.baseAddress, let to = bigger.baseAddress { to.update(from: from, count: filled) }
                    wholeBuffer.deallocate()
                    wholeBuffer = bigger
                } else if target.baseAddress != wholeBuffer.baseAddress, let from = target.baseAddress, let to = wholeBuffer.baseAddress {
                    to.update(from: from, count: filled)
                }
                target = wholeBuffer
            }
            guard let base = target.baseAddress else { break }
            let n = read(base + filled, target.count - filled)
            if n < 0 { return (target, filled, Int32(-n)) }
            if n == 0 { end = true } else { filled += n }
        }
        return (target, filled, nil)
    }

    /// Parses a `go.mod` from the bytes read (all of it: go.mod files are small; a larger one is
    /// reported, not parsed).
    private func recordGoModule(_ bytes: UnsafeRawBufferPointer, complete: Bool, category: FileCategory, path: () -> [UInt8]) {
        guard complete else {
            issue(path(), .skipped, "go.mod larger than \(buffer.count) bytes: not parsed")
            return
        }
        let shown = path()
        let file = GoModFile(parsing: bytes, fileName: String(decoding: shown, as: UTF8.self))
        goModules.append(GoModuleRecord(path: shown, relativePath: filePath, category: category, file: file))
    }

    /// Whether a directory entry's name is exactly `literal`.
    static func isNamed(_ name: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        guard name.count == literal.utf8CodeUnitCount, let start = name.baseAddress else { return false }
        return memcmp(start, literal.utf8Start, name.count) == 0
    }

    /// What the `.gitattributes` chain says about the file at `path` (root-relative).
    static func overrides(_ chain: AttributesChain, _ path: UnsafeRawBufferPointer) -> LinguistOverrides {
        var o = LinguistOverrides()
        path.withMemoryRebound(to: UInt8.self) { p in
            func source(_ attribute: LinguistAttribute, _ value: AttributeValue, _ origin: AttributeOrigin) -> AttributeSource {
                let setting: String
                switch value {
                case .set: setting = attribute.name
                case .unset: setting = "-" + attribute.name
                case .value(let v): setting = attribute.name + "=" + v
                }
                return AttributeSource(setting: setting, file: origin.file, line: origin.line)
            }
            if let (v, origin) = chain.value(.language, path: p), case .value(let name) = v {
                o.language = (name, source(.language, v, origin))
            }
            if let (v, origin) = chain.value(.vendored, path: p) { o.vendored = (v.linguistBoolean, source(.vendored, v, origin)) }
            if let (v, origin) = chain.value(.generated, path: p) { o.generated = (v.linguistBoolean, source(.generated, v, origin)) }
            if let (v, origin) = chain.value(.documentation, path: p) {
                o.documentation = (v.linguistBoolean, source(.documentation, v, origin))
            }
            if let (v, origin) = chain.value(.detectable, path: p) { o.detectable = (v.linguistBoolean, source(.detectable, v, origin)) }
        }
        return o
    }

    /// A file's size from `fstat`, or what was read if that fails.
    private static func size(_ fd: Int32, atLeast read: Int) -> Int {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return read }
        return max(Int(st.st_size), read)
    }
}
