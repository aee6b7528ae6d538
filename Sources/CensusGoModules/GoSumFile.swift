/// A go.sum file: one `module version[/go.mod] hash` line per checksum, as the go command reads it.
///
/// A line with other than three fields is an error (the go command refuses the file); blank lines
/// are skipped; the hash of an empty go.mod that old toolchains wrote by mistake is dropped, as the
/// go command drops it. A hash that is not `h1:` and 44 base64 characters, or a version that is not
/// a semantic version, is kept with a warning: the go command would accept the line and then fail
/// to match it.
public struct GoSumFile: Sendable {
    /// One checksum line.
    public struct Entry: Sendable, Hashable {
        public var path: String
        /// The module version, without the `/go.mod` suffix.
        public var version: String
        /// Whether the hash is of the module's go.mod file alone (`version/go.mod`) rather than of
        /// its whole content.
        public var isGoModHash: Bool
        /// The hash with its algorithm prefix, `h1:` followed by base64 SHA-256.
        public var hash: String
        public var line: Int
    }

    /// The file name the diagnostics name.
    public var fileName: String
    public var entries: [Entry] = []
    /// Errors and warnings, ordered by position; at most 200 of them (the first found).
    public var diagnostics: [GoModulesDiagnostic] = []
    /// How many more diagnostics there were beyond those kept.
    public var suppressedDiagnosticCount = 0
    public var errorCount = 0

    /// The hash of an empty go.mod file, which an old toolchain bug wrote to go.sum.
    static let emptyGoModHash = "h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY="

    /// Parses a go.sum file.
    ///
    /// - Complexity: O(n) in the size of the file.
    public init(parsing bytes: UnsafeRawBufferPointer, fileName: String = "go.sum") {
        self.fileName = fileName
        var log = DiagnosticLog(fileName: fileName)
        var lineStart = 0
        var lineNumber = 0
        while lineStart < bytes.count {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            let fields = GoText.fields(bytes, lineStart..<lineEnd)
            if fields.isEmpty { continue }
            func at(_ field: Range<Int>) -> GoSourceLocation {
                var column = 1
                var i = lineStart
                while i < field.lowerBound {
                    i += GoText.decodeRune(bytes, i, bytes.count).length
                    column += 1
                }
                return GoSourceLocation(line: lineNumber, column: column)
            }
            guard fields.count == 3 else {
                log.report(
                    .error, at: at(fields[0]),
                    "malformed go.sum line: \(fields.count) fields; expected 3: module path, version (or version/go.mod) and hash")
                continue
            }
            var versionRange = fields[1]
            let isGoModHash = versionRange.count >= 7 && GoText.equals(bytes, (versionRange.upperBound - 7)..<versionRange.upperBound, "/go.mod")
            if isGoModHash { versionRange = versionRange.lowerBound..<(versionRange.upperBound - 7) }
            let path = GoText.string(UnsafeRawBufferPointer(rebasing: bytes[fields[0]])).value
            let version = GoText.string(UnsafeRawBufferPointer(rebasing: bytes[versionRange])).value
            let hash = GoText.string(UnsafeRawBufferPointer(rebasing: bytes[fields[2]])).value
            if hash == Self.emptyGoModHash {
                log.report(.warning, at: at(fields[2]), "hash of an empty go.mod file (an old go command bug) is dropped, as the go command drops it")
                continue
            }
            if !GoVersionSyntax.isSemver(version) {
                log.report(.warning, at: at(fields[1]), "version \(GoText.quoted(version)) of \(GoText.quoted(path)) is not a semantic version (v1.2.3); the go command will never match this line")
            }
            if !Self.isH1Hash(hash) {
                log.report(.warning, at: at(fields[2]), "hash \(GoText.quoted(hash)) is not h1: followed by a base64 SHA-256 (44 characters); the go command will never match this line")
            }
            entries.append(Entry(path: path, version: version, isGoModHash: isGoModHash, hash: hash, line: lineNumber))
        }
        diagnostics = log.sortedByLocation
        suppressedDiagnosticCount = log.suppressed
        errorCount = log.errorCount
    }

    /// Parses a go.sum file; see `init(parsing:fileName:)`.
    public init(parsing bytes: [UInt8], fileName: String = "go.sum") {
        self = bytes.withUnsafeBytes { GoSumFile(parsing: $0, fileName: fileName) }
    }

    public var hasErrors: Bool { errorCount > 0 }

    /// `h1:` and the base64 of 32 bytes: 43 characters of the alphabet and one `=`.
    static func isH1Hash(_ hash: String) -> Bool {
        let u = Array(hash.utf8)
        guard u.count == 47, u.starts(with: "h1:".utf8), u[46] == UInt8(ascii: "=") else { return false }
        return u[3..<46].allSatisfy { c in
            (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "+") || c == UInt8(ascii: "/")
        }
    }
}
