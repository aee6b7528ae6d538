import CensusProgress

/// What to scan and how.
public struct ScanOptions: Sendable {
    /// Files and directories to scan, as the user gave them.
    public var roots: [String]
    /// Extra exclusions in gitignore syntax, applied at each root before any ignore file.
    public var excludes: [String] = []
    /// Whether `.gitignore`, `.ignore` and `.git/info/exclude` files are honoured.
    public var useIgnoreFiles = true
    /// Whether `.gitignore` and `.git/info/exclude` apply only inside a git repository (a directory
    /// with `.git` at or above it), as ripgrep and fd do; `.ignore` files apply everywhere. A tree
    /// unpacked from a tarball is not a repository: its `.gitignore` describes build outputs of a
    /// checkout, and Debian's kernel source even ignores everything at its top level.
    public var gitignoreRequiresRepository = true
    /// Whether entries whose names start with `.` are scanned (`.git` never is).
    public var includeHidden = false
    /// Whether symbolic links are followed (with loop detection). When `false` they are counted in
    /// the summary and skipped, as GitHub Linguist does.
    public var followSymlinks = false
    /// Worker threads; defaults to the number of online processors.
    public var jobs: Int = ScanOptions.onlineProcessors
    /// Whether the report lists every counted file.
    public var collectFiles = false
    /// Bytes per worker read buffer (at least Linguist's 128 KiB detection prefix).
    public var bufferSize = 256 * 1024
    /// How languages are detected and files excluded.
    public var detection: DetectionMode = .linguist
    /// Files counted so far, added to per batch of files (and the files a git tree lists, added to
    /// its total), for a status line; nil: nobody watches.
    public var progress: ProgressCounter?
    /// Another reader of some files (`census scan --go-source`), fed from the scan's own reads
    /// (``WholeFileConsumer``); nil: none.
    public var wholeFiles: (any WholeFileConsumer)?

    /// How much of Linguist's strategy a scan applies.
    public enum DetectionMode: String, Sendable, CaseIterable {
        /// Everything: modelines, names, shebangs, extensions, XML, man pages, content heuristics,
        /// and the vendored, documentation and generated exclusions with `.gitattributes`.
        case linguist
        /// File names, shebangs and extensions only, and no exclusions: the counting-only baseline.
        case names
    }

    public init(roots: [String]) {
        self.roots = roots.isEmpty ? ["."] : roots
    }

    /// The number of processors online, at least 1.
    public static var onlineProcessors: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
