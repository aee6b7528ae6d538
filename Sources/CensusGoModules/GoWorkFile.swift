/// A go.work file, parsed as the Go toolchain parses it: `go`, `toolchain`, `godebug`, `use` and
/// `replace` directives, in line and block form, with the same syntax, versions and diagnostics as
/// `GoModFile`.
///
/// As `go work edit` does, the last `replace` of a module wins (with a warning for the others), and
/// entries with an empty path are dropped.
public struct GoWorkFile: Sendable {
    /// A `use` directive: a directory holding a module of the workspace.
    public struct Use: Sendable, Hashable {
        public var path: String
        public var location: GoSourceLocation
    }

    /// The file name the diagnostics name.
    public var fileName: String
    public var goVersion: String?
    public var toolchain: String?
    public var godebug: [GoDebugSetting] = []
    public var uses: [Use] = []
    public var replacements: [GoModuleReplacement] = []
    /// Errors and warnings, ordered by position; at most 200 of them.
    public var diagnostics: [GoModulesDiagnostic] = []
    public var suppressedDiagnosticCount = 0
    public var errorCount = 0

    /// An empty go.work model, to fill in by hand.
    public init(fileName: String = "go.work") {
        self.fileName = fileName
    }

    /// Parses a go.work file.
    ///
    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - fileName: The name diagnostics give for the file.
    /// - Complexity: O(n) in the size of the file.
    public init(parsing bytes: UnsafeRawBufferPointer, fileName: String = "go.work") {
        self.init(fileName: fileName)
        var reader = ModDirectiveReader(bytes: bytes, fileName: fileName)
        var blockVerb: GoWorkVerb?
        loop: while true {
            switch reader.syntax.next() {
            case .endOfFile:
                break loop
            case .blockStart:
                blockVerb = nil
                let header = reader.syntax.blockHeader
                if header.count == 1, let verb = GoWorkVerb(reader.syntax.bytes, header[0].range), verb.allowsBlock {
                    blockVerb = verb
                } else {
                    reader.unknownBlock(expected: "use, replace or godebug")
                }
            case .blockEnd:
                blockVerb = nil
            case .line:
                if reader.syntax.inBlock {
                    if let blockVerb { add(blockVerb, &reader) }
                } else if let verb = GoWorkVerb(reader.syntax.bytes, reader.lineToken.range) {
                    add(verb, &reader)
                } else {
                    reader.unknownDirective(expected: "go, toolchain, godebug, use or replace")
                }
            }
        }
        finish(&reader.syntax.log)
    }

    /// Parses a go.work file; see `init(parsing:fileName:)`.
    public init(parsing bytes: [UInt8], fileName: String = "go.work") {
        self = bytes.withUnsafeBytes { GoWorkFile(parsing: $0, fileName: fileName) }
    }

    public var hasErrors: Bool { errorCount > 0 }

    private mutating func add(_ verb: GoWorkVerb, _ reader: inout ModDirectiveReader) {
        switch verb {
        case .go: if let v = reader.goVersion(repeated: goVersion != nil) { goVersion = v }
        case .toolchain: if let t = reader.toolchain(repeated: toolchain != nil) { toolchain = t }
        case .godebug: if let g = reader.godebug() { godebug.append(g) }
        case .replace: if let r = reader.replacement() { replacements.append(r) }
        case .use:
            guard reader.argumentCount == 1 else {
                reader.error(at: reader.lineToken, "usage: use local/dir (exactly one directory)")
                return
            }
            if let path = reader.stringValue(reader.argument(0), "the directory of use") {
                uses.append(Use(path: path, location: reader.lineLocation))
            }
        }
    }

    private mutating func finish(_ log: inout DiagnosticLog) {
        var later: [GoModuleVersion: GoSourceLocation] = [:]
        var keep = [Bool](repeating: true, count: replacements.count)
        for (k, r) in replacements.enumerated().reversed() {
            if let next = later[r.old] {
                keep[k] = false
                log.report(.warning, at: r.location, "replace of \(r.old) is overridden by the replace at line \(next.line); the last one applies")
            } else {
                later[r.old] = r.location
            }
        }
        replacements = zip(replacements, keep).filter(\.1).map(\.0)
        let dropped = "is dropped, as the go command drops it"
        replacements.removeAll { r in
            if r.old.path.isEmpty { log.report(.warning, at: r.location, "replace of an empty module path \(dropped)") }
            return r.old.path.isEmpty
        }
        uses.removeAll { u in
            if u.path.isEmpty { log.report(.warning, at: u.location, "use of an empty directory \(dropped)") }
            return u.path.isEmpty
        }
        godebug.removeAll { g in
            if g.key.isEmpty { log.report(.warning, at: g.location, "godebug with an empty key \(dropped)") }
            return g.key.isEmpty
        }
        diagnostics = log.sortedByLocation
        suppressedDiagnosticCount = log.suppressed
        errorCount = log.errorCount
    }
}

/// The directives of go.work, by verb.
private enum GoWorkVerb {
    case go, toolchain, godebug, use, replace

    init?(_ p: UnsafeRawBufferPointer, _ r: Range<Int>) {
        if GoText.equals(p, r, "go") {
            self = .go
        } else if GoText.equals(p, r, "use") {
            self = .use
        } else if GoText.equals(p, r, "replace") {
            self = .replace
        } else if GoText.equals(p, r, "godebug") {
            self = .godebug
        } else if GoText.equals(p, r, "toolchain") {
            self = .toolchain
        } else {
            return nil
        }
    }

    var allowsBlock: Bool { self == .use || self == .replace || self == .godebug }
}
