#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a scan root sits: inside a git repository, Linguist judges paths relative to the
/// repository's top (`vendor/…`, `docs/…`) and applies every `.gitattributes` (and `.gitignore`)
/// from the top down; outside one, the root is the top.
struct RootContext: Sendable {
    /// The root's path relative to the top (`""` when the root is the top).
    var relative: [UInt8] = []
    var ignores: IgnoreChain? = nil
    var attributes: AttributesChain? = nil
    var inRepository = false
    /// Problems met reading the rule files above the root.
    var issues: [ScanIssue] = []

    /// Finds the repository top above `root` (a directory, or a file's directory when `isFile`)
    /// and loads the rule files of the directories from the top down to `root` (excluding `root`
    /// itself for directories: the walk reads those).
    static func find(_ root: String, isFile: Bool, options: ScanOptions) -> RootContext {
        var context = RootContext()
        guard let absolute = Self.absolute(root) else { return context }
        var components = absolute.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let fileName = isFile ? components.popLast() : nil
        // The nearest directory (the root's own or above) holding `.git`.
        var topIndex: Int? = nil
        var k = components.count
        while k >= 0 {
            let directory = "/" + PathJoin.join(components.prefix(k))
            var st = stat()
            if stat(directory + (directory == "/" ? "" : "/") + ".git", &st) == 0 {
                topIndex = k
                break
            }
            k -= 1
        }
        guard let top = topIndex else {
            if let fileName { context.relative = Array(fileName.utf8) }
            return context
        }
        context.inRepository = true
        let below = Array(components[top...])
        var pathParts = below
        if let fileName { pathParts.append(fileName) }
        context.relative = Array(PathJoin.join(pathParts).utf8)
        // Directories whose rule files apply: the top, then each one down to the root (for a
        // directory root, excluding the root itself).
        let count = isFile ? below.count + 1 : below.count
        var macros: [String: [(LinguistAttribute, AttributeValue?)]] = [:]
        var info: GitAttributesFile? = nil
        for depth in 0 ..< count {
            let directory = "/" + PathJoin.join(Array(components.prefix(top)) + below.prefix(depth))
            let relativeDirectory = PathJoin.join(below.prefix(depth))
            let base = relativeDirectory.isEmpty ? 0 : relativeDirectory.utf8.count + 1
            func read(_ name: String) -> [UInt8]? {
                let path = directory + (directory == "/" ? "" : "/") + name
                let fd = path.withCString { SystemCalls.openAt(AT_FDCWD, $0, O_RDONLY | O_NONBLOCK) }
                guard fd >= 0 else {
                    if -fd != ENOENT && -fd != ENOTDIR {
                        context.issues.append(ScanIssue(path: Array(path.utf8), kind: .error, reason: "\(SystemCalls.message(-fd)) (read rules file)"))
                    }
                    return nil
                }
                close(fd)
                let result = path.withCString { SystemCalls.readSmallFile(directory: AT_FDCWD, name: $0, limit: Worker.ignoreFileLimit) }
                return result.error == nil ? result.bytes : nil
            }
            if depth == 0, let bytes = read(".git/info/attributes") {
                info = GitAttributesFile(contents: bytes, origin: directory + "/.git/info/attributes", isTopLevel: true)
            }
            if let bytes = read(".gitattributes") {
                let file = GitAttributesFile(
                    contents: bytes, origin: directory + "/.gitattributes", macros: macros, isTopLevel: depth == 0)
                if depth == 0 { macros = file.definedMacros }
                context.attributes = AttributesChain(file: file, baseLength: base, parent: context.attributes, info: info, macros: macros)
            } else if depth == 0, info != nil {
                context.attributes = AttributesChain(
                    file: GitAttributesFile(contents: [], origin: ""), baseLength: 0, parent: nil, info: info)
            }
            if options.useIgnoreFiles {
                var names = [".gitignore", ".ignore"]
                if depth == 0 { names.insert(".git/info/exclude", at: 0) }
                for name in names {
                    guard let bytes = read(name) else { continue }
                    let file = IgnoreFile(contents: bytes, origin: directory + "/" + name)
                    if !file.isEmpty { context.ignores = IgnoreChain(file: file, baseLength: base, parent: context.ignores) }
                }
            }
        }
        return context
    }

    /// `path` made absolute and normalised (`.` and `..` resolved lexically), or `nil`.
    static func absolute(_ path: String) -> String? {
        var full = path
        if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            guard getcwd(&buffer, buffer.count) != nil else { return nil }
            full = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/" + path
        }
        var parts: [Substring] = []
        for part in full.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                _ = parts.popLast()
                continue
            }
            parts.append(part)
        }
        return "/" + PathJoin.join(parts)
    }
}
