/// A go.mod file, parsed from its bytes as the Go toolchain parses it for `go mod edit -json`.
///
/// Every directive of the current Go modules reference is read, in line and block form: `module`
/// (with its `// Deprecated:` comment), `go`, `toolchain`, `godebug`, `require` (with `// indirect`),
/// `exclude`, `replace`, `retract` (single versions and `[low, high]` intervals, with the rationale
/// from their comments), `tool` and `ignore`. Versions in `require`, `exclude` and `replace` are
/// canonical as the toolchain makes them (`v1.2` is `v1.2.0`; build metadata other than
/// `+incompatible` is dropped); `retract` keeps the file's text, as the toolchain does.
///
/// Parsing never fails and never stops early: whatever the toolchain would reject is reported in
/// `diagnostics` with its line and column, the offending line is dropped, and the rest is read.
/// Duplicates are resolved as `go mod edit` resolves them (the first `exclude` and `tool` of a kind
/// win, the last `replace` of a module wins), each with a warning.
///
/// ```swift
/// let file = GoModFile(parsing: Array(text.utf8), fileName: "go.mod")
/// for requirement in file.requirements where !requirement.isIndirect { print(requirement.path) }
/// print(file.goModEditJSON())
/// ```
public struct GoModFile: Sendable {
    /// The `module` directive.
    public struct Module: Sendable, Hashable {
        public var path: String
        /// The message of a `// Deprecated:` paragraph in the comments above or after the directive.
        public var deprecated: String?
        public var location: GoSourceLocation
    }

    /// A `require` directive.
    public struct Requirement: Sendable, Hashable {
        public var path: String
        /// The canonical version.
        public var version: String
        /// Whether the line ends in an `// indirect` comment as the toolchain recognises it.
        public var isIndirect: Bool
        public var location: GoSourceLocation
    }

    /// An `exclude` directive.
    public struct Exclusion: Sendable, Hashable {
        public var path: String
        /// The canonical version.
        public var version: String
        public var location: GoSourceLocation
    }

    /// A `retract` directive: one version (`low == high`) or a closed interval.
    public struct Retraction: Sendable, Hashable {
        /// The versions as written (the toolchain does not canonicalise them).
        public var low: String
        public var high: String
        /// The comments on the directive (or on its block), one per line, without `//`.
        public var rationale: String?
        public var location: GoSourceLocation
    }

    /// A `tool` directive: a package path that `go tool` runs.
    public struct Tool: Sendable, Hashable {
        public var path: String
        public var location: GoSourceLocation
    }

    /// An `ignore` directive: a directory (relative, or any directory of that name) the go command skips.
    public struct IgnoredPath: Sendable, Hashable {
        public var path: String
        public var location: GoSourceLocation
    }

    /// The file name the diagnostics name.
    public var fileName: String
    public var module: Module?
    /// The `go` directive's version (`1.21`, `1.23.0`, `1.21rc1`).
    public var goVersion: String?
    /// The `toolchain` directive's name (`go1.23.0`, `default`).
    public var toolchain: String?
    public var godebug: [GoDebugSetting] = []
    public var requirements: [Requirement] = []
    public var exclusions: [Exclusion] = []
    public var replacements: [GoModuleReplacement] = []
    public var retractions: [Retraction] = []
    public var tools: [Tool] = []
    public var ignoredPaths: [IgnoredPath] = []
    /// Errors and warnings, ordered by position; at most 200 of them (the first found).
    public var diagnostics: [GoModulesDiagnostic] = []
    /// How many more diagnostics there were beyond those kept.
    public var suppressedDiagnosticCount = 0
    /// How many errors were found (kept or not); zero when the toolchain would accept the file.
    public var errorCount = 0

    /// Raw bytes of values whose source was not valid UTF-8, for Go-exact JSON.
    var lossyText: [String: [UInt8]] = [:]

    /// An empty go.mod model, to fill in by hand.
    public init(fileName: String = "go.mod") {
        self.fileName = fileName
    }

    /// Parses a go.mod file.
    ///
    /// - Parameters:
    ///   - bytes: The whole file. A UTF-8 byte order mark, CRLF line ends, invalid UTF-8 and binary
    ///     data are all handled; what the toolchain rejects becomes a diagnostic.
    ///   - fileName: The name diagnostics give for the file.
    /// - Complexity: O(n) in the size of the file.
    public init(parsing bytes: UnsafeRawBufferPointer, fileName: String = "go.mod") {
        var parser = GoModParser(reader: ModDirectiveReader(bytes: bytes, fileName: fileName))
        self = parser.run()
    }

    /// Parses a go.mod file; see `init(parsing:fileName:)`.
    public init(parsing bytes: [UInt8], fileName: String = "go.mod") {
        self = bytes.withUnsafeBytes { GoModFile(parsing: $0, fileName: fileName) }
    }

    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { errorCount > 0 }
}

/// The directives of go.mod, by verb.
private enum GoModVerb {
    case module, go, toolchain, godebug, require, exclude, replace, retract, tool, ignore

    static let expected = "module, go, toolchain, godebug, require, exclude, replace, retract, tool or ignore"
    static let expectedBlocks = "module, godebug, require, exclude, replace, retract, tool or ignore"

    init?(_ p: UnsafeRawBufferPointer, _ r: Range<Int>) {
        switch r.count {
        case 2 where GoText.equals(p, r, "go"): self = .go
        case 4 where GoText.equals(p, r, "tool"): self = .tool
        case 6 where GoText.equals(p, r, "module"): self = .module
        case 6 where GoText.equals(p, r, "ignore"): self = .ignore
        case 7 where GoText.equals(p, r, "require"): self = .require
        case 7 where GoText.equals(p, r, "exclude"): self = .exclude
        case 7 where GoText.equals(p, r, "replace"): self = .replace
        case 7 where GoText.equals(p, r, "retract"): self = .retract
        case 7 where GoText.equals(p, r, "godebug"): self = .godebug
        case 9 where GoText.equals(p, r, "toolchain"): self = .toolchain
        default: return nil
        }
    }

    var allowsBlock: Bool {
        switch self {
        case .go, .toolchain: return false
        default: return true
        }
    }
}

/// Reads the statements of a go.mod file into a `GoModFile`.
private struct GoModParser {
    var reader: ModDirectiveReader
    var file: GoModFile

    init(reader: ModDirectiveReader) {
        self.reader = reader
        self.file = GoModFile(fileName: reader.syntax.log.fileName)
    }

    mutating func run() -> GoModFile {
        var blockVerb: GoModVerb?
        loop: while true {
            switch reader.syntax.next() {
            case .endOfFile:
                break loop
            case .blockStart:
                blockVerb = nil
                let header = reader.syntax.blockHeader
                if header.count == 1, let verb = GoModVerb(reader.syntax.bytes, header[0].range), verb.allowsBlock {
                    blockVerb = verb
                } else {
                    reader.unknownBlock(expected: GoModVerb.expectedBlocks)
                }
            case .blockEnd:
                blockVerb = nil
            case .line:
                if reader.syntax.inBlock {
                    if let blockVerb { add(blockVerb) }
                } else if let verb = GoModVerb(reader.syntax.bytes, reader.lineToken.range) {
                    add(verb)
                } else {
                    reader.unknownDirective(expected: GoModVerb.expected)
                }
            }
        }
        finish()
        return file
    }

    private mutating func add(_ verb: GoModVerb) {
        switch verb {
        case .module: addModule()
        case .go: if let v = reader.goVersion(repeated: file.goVersion != nil) { file.goVersion = v }
        case .toolchain: if let t = reader.toolchain(repeated: file.toolchain != nil) { file.toolchain = t }
        case .godebug: if let g = reader.godebug() { file.godebug.append(g) }
        case .require, .exclude: addRequirementOrExclusion(verb == .require)
        case .replace: if let r = reader.replacement() { file.replacements.append(r) }
        case .retract: addRetraction()
        case .tool, .ignore: addPath(tool: verb == .tool)
        }
    }

    private mutating func addModule() {
        guard file.module == nil else {
            reader.error(at: reader.lineToken, "repeated module statement: a go.mod has one module directive (the first, at line \(file.module?.location.line ?? 0), applies)")
            return
        }
        let comments = reader.syntax.directiveCommentText()
        let deprecated: String? = comments.withUnsafeBytes { text in Self.deprecation(in: text).map { reader.makeString($0) } }
        file.module = GoModFile.Module(path: "", deprecated: deprecated, location: reader.lineLocation)
        guard reader.argumentCount == 1 else {
            reader.error(at: reader.lineToken, "usage: module module/path (exactly one path)")
            return
        }
        if let path = reader.stringValue(reader.argument(0), "the module path") { file.module?.path = path }
    }

    /// The message of the first `Deprecated:` paragraph of `text`, as the toolchain finds it with
    /// `(?s)(?:^|\n\n)Deprecated: *(.*?)(?:$|\n\n)`.
    static func deprecation(in text: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        let marker: StaticString = "Deprecated:"
        let m = marker.utf8CodeUnitCount
        let n = text.count
        var i = 0
        while i + m <= n {
            let atParagraph = i == 0 || (i >= 2 && text[i - 1] == UInt8(ascii: "\n") && text[i - 2] == UInt8(ascii: "\n"))
            if atParagraph && GoText.equals(text, i..<(i + m), marker) {
                var start = i + m
                while start < n && text[start] == UInt8(ascii: " ") { start += 1 }
                var end = start
                while end < n && !(text[end] == UInt8(ascii: "\n") && end + 1 < n && text[end + 1] == UInt8(ascii: "\n")) { end += 1 }
                return UnsafeRawBufferPointer(rebasing: text[start..<end])
            }
            i += 1
        }
        return nil
    }

    private mutating func addRequirementOrExclusion(_ isRequire: Bool) {
        let verb = isRequire ? "require" : "exclude"
        guard reader.argumentCount == 2 else {
            reader.error(at: reader.lineToken, "usage: \(verb) module/path v1.2.3 (a path and a version)")
            return
        }
        let pathToken = reader.argument(0), versionToken = reader.argument(1)
        guard let path = reader.stringValue(pathToken, "the module path of \(verb)"),
            let version = reader.moduleVersion(versionToken, verb: verb, path: path),
            let major = reader.pathMajor(path, at: pathToken, verb: verb),
            reader.checkMajor(version, pathMajor: major, path: path, at: versionToken, verb: verb)
        else { return }
        if isRequire {
            file.requirements.append(
                GoModFile.Requirement(path: path, version: version, isIndirect: reader.syntax.isIndirect(), location: reader.lineLocation))
        } else {
            file.exclusions.append(GoModFile.Exclusion(path: path, version: version, location: reader.lineLocation))
        }
    }

    private mutating func addRetraction() {
        let comments = reader.syntax.directiveCommentText()
        let count = reader.argumentCount
        var k = 0
        func expectation(_ message: String, at token: ModToken) -> Bool {
            reader.error(at: token, "retract: \(message) (expected retract v1.2.3 or retract [v1.0.0, v1.1.0])")
            return false
        }
        guard count > 0, !reader.isText(reader.argument(0), "(") else {
            _ = expectation("expected '[' or version", at: count > 0 ? reader.argument(0) : reader.lineToken)
            return
        }
        let low: String, high: String
        if !reader.isText(reader.argument(0), "[") {
            guard let v = reader.stringValue(reader.argument(0), "the retracted version") else { return }
            low = v
            high = v
            k = 1
        } else {
            guard count > 1 else { _ = expectation("expected version after '['", at: reader.argument(0)); return }
            guard let l = reader.stringValue(reader.argument(1), "the low end of the retracted interval") else { return }
            guard count > 2, reader.isText(reader.argument(2), ",") else {
                _ = expectation("expected ',' after version", at: reader.argument(count > 2 ? 2 : 1))
                return
            }
            guard count > 3 else { _ = expectation("expected version after ','", at: reader.argument(2)); return }
            guard let h = reader.stringValue(reader.argument(3), "the high end of the retracted interval") else { return }
            guard count > 4, reader.isText(reader.argument(4), "]") else {
                _ = expectation("expected ']' after version", at: reader.argument(count > 4 ? 4 : 3))
                return
            }
            low = l
            high = h
            k = 5
        }
        if k < count {
            let extra = reader.argument(k)
            let shown = GoText.quoted(reader.syntax.text(extra))
            reader.error(at: extra, "retract: unexpected token after version: \(shown)")
            return
        }
        let rationale = comments.isEmpty ? nil : comments.withUnsafeBytes { reader.makeString($0) }
        file.retractions.append(GoModFile.Retraction(low: low, high: high, rationale: rationale, location: reader.lineLocation))
    }

    private mutating func addPath(tool: Bool) {
        let verb = tool ? "tool" : "ignore"
        guard reader.argumentCount == 1 else {
            reader.error(at: reader.lineToken, "\(verb) directive expects exactly one argument, a \(tool ? "package path" : "directory path")")
            return
        }
        guard let path = reader.stringValue(reader.argument(0), "the path of \(verb)") else { return }
        if tool {
            file.tools.append(GoModFile.Tool(path: path, location: reader.lineLocation))
        } else {
            file.ignoredPaths.append(GoModFile.IgnoredPath(path: path, location: reader.lineLocation))
        }
    }

    /// What `go mod edit` does before printing: drops duplicate excludes, tools and ignores (the
    /// first wins) and replaces (the last wins), and entries with an empty path; each with a warning.
    private mutating func finish() {
        var log = reader.syntax.log
        func warn(_ location: GoSourceLocation, _ message: String) { log.report(.warning, at: location, message) }

        if file.exclusions.count > 1 {
            var first: [GoModuleVersion: GoSourceLocation] = [:]
            file.exclusions.removeAll { x in
                let key = GoModuleVersion(path: x.path, version: x.version)
                guard let earlier = first[key] else {
                    first[key] = x.location
                    return false
                }
                warn(x.location, "duplicate exclude of \(key) is ignored (first excluded at line \(earlier.line))")
                return true
            }
        }
        if file.replacements.count > 1 {
            var later: [GoModuleVersion: GoSourceLocation] = [:]
            var dropped = Set<Int>()
            for (k, r) in file.replacements.enumerated().reversed() {
                if let next = later[r.old] {
                    dropped.insert(k)
                    warn(r.location, "replace of \(r.old) is overridden by the replace at line \(next.line); go mod edit keeps the last, and builds fail if the two targets differ")
                } else {
                    later[r.old] = r.location
                }
            }
            if !dropped.isEmpty {
                file.replacements = file.replacements.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
            }
        }
        if file.tools.count > 1 {
            var first: [String: GoSourceLocation] = [:]
            file.tools.removeAll { t in
                guard let earlier = first[t.path] else {
                    first[t.path] = t.location
                    return false
                }
                warn(t.location, "duplicate tool \(GoText.quoted(t.path)) is ignored (first at line \(earlier.line))")
                return true
            }
        }
        if file.ignoredPaths.count > 1 {
            var first: [String: GoSourceLocation] = [:]
            file.ignoredPaths.removeAll { i in
                guard let earlier = first[i.path] else {
                    first[i.path] = i.location
                    return false
                }
                warn(i.location, "duplicate ignore \(GoText.quoted(i.path)) is ignored (first at line \(earlier.line))")
                return true
            }
        }

        let dropped = "is dropped, as the go command drops it"
        if file.godebug.contains(where: { $0.key.isEmpty }) {
            file.godebug.removeAll { g in
                if g.key.isEmpty { warn(g.location, "godebug with an empty key \(dropped)") }
                return g.key.isEmpty
            }
        }
        if file.requirements.contains(where: { $0.path.isEmpty }) {
            file.requirements.removeAll { r in
                if r.path.isEmpty { warn(r.location, "require with an empty module path \(dropped)") }
                return r.path.isEmpty
            }
        }
        if file.exclusions.contains(where: { $0.path.isEmpty }) {
            file.exclusions.removeAll { x in
                if x.path.isEmpty { warn(x.location, "exclude with an empty module path \(dropped)") }
                return x.path.isEmpty
            }
        }
        if file.replacements.contains(where: { $0.old.path.isEmpty }) {
            file.replacements.removeAll { r in
                if r.old.path.isEmpty { warn(r.location, "replace of an empty module path \(dropped)") }
                return r.old.path.isEmpty
            }
        }
        if file.retractions.contains(where: { $0.low.isEmpty && $0.high.isEmpty }) {
            file.retractions.removeAll { r in
                if r.low.isEmpty && r.high.isEmpty { warn(r.location, "retract of an empty version \(dropped)") }
                return r.low.isEmpty && r.high.isEmpty
            }
        }
        if file.module == nil {
            warn(GoSourceLocation(line: 1, column: 1), "no module directive: a go.mod file must declare its module path (go mod edit prints an empty Path)")
        }

        file.diagnostics = log.sortedByLocation
        file.suppressedDiagnosticCount = log.suppressed
        file.errorCount = log.errorCount
        file.lossyText = reader.lossyText
    }
}
