/// A vendor/modules.txt file, read as the go command reads it when it builds with `-mod=vendor`.
///
/// The file lists each vendored module on a `# path version` line, optionally followed by
/// `=> replacement [version]`; a replacement of all versions of a module is `# path => …`. Lines
/// `## explicit`, `## explicit; go 1.21` (and other `;`-separated markers) describe the module
/// above them, and the lines that follow, one import path each, are its vendored packages.
///
/// As the go command does, lines it does not understand are skipped; each such line gets a warning
/// here, so nothing is dropped silently. The same module listed twice is one entry.
public struct GoVendorManifest: Sendable {
    /// A module line and what follows it.
    public struct Module: Sendable, Hashable {
        public var path: String
        /// Nil for a `# path => …` line that replaces every version of the module.
        public var version: String?
        /// `=> path [version]`: a directory, or a module path with its version.
        public var replacement: GoModuleVersion?
        /// `## explicit`: the main module's go.mod requires this module directly.
        public var isExplicit: Bool
        /// `## go 1.x`: the `go` version of the module's own go.mod.
        public var goVersion: String?
        /// The import paths of the vendored packages of this module.
        public var packages: [String]
        public var line: Int
    }

    /// The file name the diagnostics name.
    public var fileName: String
    public var modules: [Module] = []
    /// Errors and warnings, ordered by position; at most 200 of them (the first found).
    public var diagnostics: [GoModulesDiagnostic] = []
    /// How many more diagnostics there were beyond those kept.
    public var suppressedDiagnosticCount = 0

    /// Parses a vendor/modules.txt file.
    ///
    /// - Complexity: O(n) in the size of the file.
    public init(parsing bytes: UnsafeRawBufferPointer, fileName: String = "vendor/modules.txt") {
        self.fileName = fileName
        var log = DiagnosticLog(fileName: fileName)
        var index: [GoModuleVersion: Int] = [:]
        var current: Int?
        var lineStart = 0
        var lineNumber = 0
        func text(_ r: Range<Int>) -> String { GoText.string(UnsafeRawBufferPointer(rebasing: bytes[r])).value }
        while lineStart < bytes.count {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            let start = GoSourceLocation(line: lineNumber, column: 1)
            let line = lineStart..<lineEnd
            if line.count >= 2 && bytes[lineStart] == UInt8(ascii: "#") && bytes[lineStart + 1] == UInt8(ascii: " ") {
                var f = ArraySlice(GoText.fields(bytes, line))
                guard f.count >= 3 else {
                    log.report(.warning, at: start, "module line with fewer than 3 fields is skipped; expected # path version [=> replacement [version]]")
                    continue
                }
                let path = text(f[f.startIndex + 1])
                let third = text(f[f.startIndex + 2])
                var key: GoModuleVersion
                if GoVersionSyntax.isSemver(third) {
                    key = GoModuleVersion(path: path, version: third)
                    f = f.dropFirst(3)
                } else if third == "=>" {
                    key = GoModuleVersion(path: path)
                    f = f.dropFirst(2)
                } else {
                    current = nil
                    log.report(.warning, at: start, "module line \(GoText.quoted(text(line))) has neither a version nor =>; it and its package lines are skipped")
                    continue
                }
                let k: Int
                if let existing = index[key] {
                    k = existing
                } else {
                    k = modules.count
                    index[key] = k
                    modules.append(Module(path: key.path, version: key.version, replacement: nil, isExplicit: false, goVersion: nil, packages: [], line: lineNumber))
                }
                current = k
                if f.count >= 2 && text(f[f.startIndex]) == "=>" {
                    if f.count == 2 {
                        modules[k].replacement = GoModuleVersion(path: text(f[f.startIndex + 1]))
                    } else if f.count == 3, GoVersionSyntax.isSemver(text(f[f.startIndex + 2])) {
                        modules[k].replacement = GoModuleVersion(path: text(f[f.startIndex + 1]), version: text(f[f.startIndex + 2]))
                    } else {
                        log.report(.warning, at: start, "replacement not understood (expected => path or => path version); it is ignored")
                    }
                } else if !f.isEmpty {
                    log.report(.warning, at: start, "unexpected text after the module version is ignored")
                }
                continue
            }
            guard let k = current else {
                if !GoText.fields(bytes, line).isEmpty && !(line.count >= 2 && bytes[lineStart] == UInt8(ascii: "#") && bytes[lineStart + 1] == UInt8(ascii: "#")) {
                    log.report(.warning, at: start, "line without a module line the go command understands above it is skipped")
                }
                continue
            }
            if line.count >= 3 && GoText.equals(bytes, lineStart..<(lineStart + 3), "## ") {
                var entryStart = lineStart + 3
                var i = entryStart
                while i <= lineEnd {
                    if i == lineEnd || bytes[i] == UInt8(ascii: ";") {
                        let entry = GoText.trimSpace(bytes, entryStart..<i)
                        if GoText.equals(bytes, entry, "explicit") {
                            modules[k].isExplicit = true
                        } else if entry.count > 3 && GoText.equals(bytes, entry.lowerBound..<(entry.lowerBound + 3), "go ") {
                            modules[k].goVersion = text((entry.lowerBound + 3)..<entry.upperBound)
                        }
                        entryStart = i + 1
                    }
                    i += 1
                }
                continue
            }
            let f = GoText.fields(bytes, line)
            if f.isEmpty { continue }
            let package = text(f[0])
            if f.count == 1 && Self.isImportPath(package) {
                modules[k].packages.append(package)
            } else {
                log.report(.warning, at: start, "\(GoText.quoted(text(line))) is not an import path; the go command skips it")
            }
        }
        diagnostics = log.sortedByLocation
        suppressedDiagnosticCount = log.suppressed
    }

    /// Parses a vendor/modules.txt file; see `init(parsing:fileName:)`.
    public init(parsing bytes: [UInt8], fileName: String = "vendor/modules.txt") {
        self = bytes.withUnsafeBytes { GoVendorManifest(parsing: $0, fileName: fileName) }
    }

    /// Whether `path` is a valid import path (`module.CheckImportPath`): slash-separated elements of
    /// ASCII letters, digits and `-._~+`, none empty, all dots, or ending in a dot; no leading dash;
    /// no Windows reserved name (`CON`, `com1`, …) or short name (`EXAMPL~1`) as an element's stem.
    static func isImportPath(_ path: String) -> Bool {
        let u = Array(path.utf8)
        guard let first = u.first, first != UInt8(ascii: "-"), u.last != UInt8(ascii: "/") else { return false }
        for element in u.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            guard !element.isEmpty, element.contains(where: { $0 != UInt8(ascii: ".") }), element.last != UInt8(ascii: ".") else { return false }
            for c in element {
                let ok = (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                    || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
                    || c == UInt8(ascii: "_") || c == UInt8(ascii: "~") || c == UInt8(ascii: "+")
                if !ok { return false }
            }
            let stem = element.prefix { $0 != UInt8(ascii: ".") }
            let upper = String(decoding: stem, as: UTF8.self).uppercased()
            if ["CON", "PRN", "AUX", "NUL"].contains(upper) { return false }
            if upper.count == 4, upper.hasPrefix("COM") || upper.hasPrefix("LPT"), let d = upper.last, d >= "1" && d <= "9" { return false }
            if let tilde = stem.lastIndex(of: UInt8(ascii: "~")), tilde < stem.endIndex - 1,
                stem[(tilde + 1)...].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
            {
                return false
            }
        }
        return true
    }
}
