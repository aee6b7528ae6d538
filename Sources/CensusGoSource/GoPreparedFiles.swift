import Synchronization

/// `.go` files read by someone else (the line-counting pass of `census scan --go-source`),
/// analysed as they were read and kept until ``GoPackageLoader/load(_:options:prepared:)`` asks
/// for them, so each file is read once for both.
///
/// Each file is analysed exactly as the loader would analyse it (file-name targets, header,
/// build constraints and, with `analyzeSource`, the whole file's declarations and references);
/// the loader assembles packages from these in its own order, so the packages are the same as
/// from reading the files itself. Files never added (ignored by the other reader, unreadable
/// there, a package read a second time for import names the guesses missed) the loader reads.
///
/// Thread-safe: files are added from any thread. Memory: one analysis per file (its imports,
/// exported names and references) until the loader takes it.
public final class GoPreparedFiles: Sendable {
    let targets: [GoBuildTarget]
    let analyzeSource: Bool
    private let files = Mutex<[String: (outcome: GoPackageLoader.FileOutcome, bytes: Int)]>([:])

    /// Files will be analysed for `options`' targets and `analyzeSource`; the loader uses them
    /// only when it loads with the same.
    public init(options: GoLoadOptions) {
        targets = options.targets
        analyzeSource = options.analyzeSource
    }

    /// Whether the loader would read the file at `path` (relative to the tree's root): a `.go`
    /// file whose name does not start with `.` or `_`, in a directory `./...` walks (no element
    /// starting with `.` or `_`, none named `testdata`), kept by some target's file-name rules.
    public func wants(path: UnsafeBufferPointer<UInt8>) -> Bool {
        guard path.count > 3, path[path.count - 3] == UInt8(ascii: "."), path[path.count - 2] == UInt8(ascii: "g"),
            path[path.count - 1] == UInt8(ascii: "o")
        else { return false }
        var start = 0
        for k in 0...path.count {
            guard k == path.count || path[k] == UInt8(ascii: "/") else { continue }
            let element = UnsafeBufferPointer(rebasing: path[start..<k])
            guard let first = element.first, first != UInt8(ascii: "."), first != UInt8(ascii: "_") else { return false }
            if k < path.count && element.elementsEqual("testdata".utf8) { return false }
            if k == path.count { return targets.contains { $0.admits(fileName: element) } }
            start = k + 1
        }
        return false
    }

    /// Analyses one wanted file's content (bytes valid only during the call).
    public func add(path: UnsafeBufferPointer<UInt8>, content: UnsafeRawBufferPointer) {
        guard let relative = String(validating: path, as: UTF8.self) else { return }
        let name = relative.lastIndex(of: "/").map { String(relative[relative.index(after: $0)...]) } ?? relative
        let nameTargets = targets.filter { $0.admits(fileName: name.utf8) }
        guard !nameTargets.isEmpty else { return }
        let outcome = GoPackageLoader.FileOutcome(content, targets: nameTargets, analyze: analyzeSource, fileName: name, extraLocals: [])
        files.withLock { $0[relative] = (outcome, content.count) }
    }

    /// Files held (added and not yet taken).
    public var count: Int { files.withLock { $0.count } }

    /// The analysis of the file at `relativePath` and its size in bytes, removed from the set.
    func take(_ relativePath: String) -> (outcome: GoPackageLoader.FileOutcome, bytes: Int)? {
        files.withLock { $0.removeValue(forKey: relativePath) }
    }

    /// Whether files were analysed as `options` asks.
    func matches(_ options: GoLoadOptions) -> Bool {
        targets == options.targets && analyzeSource == options.analyzeSource && options.extraLocals.isEmpty
    }
}
