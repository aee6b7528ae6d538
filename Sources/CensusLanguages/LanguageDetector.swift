/// How a file's language was decided.
public enum DetectionStrategy: String, Sendable, CaseIterable {
    /// The file's exact name (`Makefile`, `go.mod`).
    case filename
    /// The interpreter in its `#!` line.
    case shebang
    /// Its extension, claimed by one language only.
    case `extension`
    /// Several languages were possible and the documented first choice was taken
    /// (`extension_defaults` / `interpreter_defaults` in Data/languages.yml).
    case defaultChoice = "default"
}

/// The outcome of detecting one file's language.
public struct LanguageDetection: Sendable, Equatable {
    public var language: LanguageID
    public var strategy: DetectionStrategy
    /// The languages that were possible when more than one was (empty otherwise).
    public var candidates: [LanguageID]

    public init(language: LanguageID, strategy: DetectionStrategy, candidates: [LanguageID] = []) {
        self.language = language
        self.strategy = strategy
        self.candidates = candidates
    }
}

/// Detects a file's language from its name and first bytes, following GitHub Linguist's order:
/// exact file name, then shebang, then extension; each strategy narrows the candidates of the one
/// before, and the first that leaves exactly one language decides.
///
/// Linguist's content heuristics and classifier come after these; where a choice remains, this
/// detector takes the data file's documented default.
public struct LanguageDetector: Sendable {
    public init() {}

    /// Detects the language of a file.
    ///
    /// - Parameters:
    ///   - fileName: the file's base name (no directory), raw bytes.
    ///   - prefix: the file's first bytes (at least its first line for shebangs; may be empty).
    /// - Returns: the detection, or `nil` when no strategy knows the file.
    /// - Complexity: O(name length + first line length); allocates only for ambiguous files.
    public func detect(fileName: UnsafeBufferPointer<UInt8>, prefix: UnsafeRawBufferPointer) -> LanguageDetection? {
        let index = LanguageTable.indexes
        let byName = index.filenames.lookup(fileName)
        if byName.count == 1, let only = byName.first {
            return LanguageDetection(language: only, strategy: .filename)
        }
        var candidates: [LanguageID] = Array(byName)
        var narrowedBy: DetectionStrategy? = candidates.isEmpty ? nil : .filename
        var interpreter: [UInt8]? = nil

        if prefix.count >= 2, let interp = Shebang.interpreter(in: prefix) {
            let languages = interp.withUnsafeBufferPointer { index.interpreters.lookup($0) }
            let narrowed = candidates.isEmpty ? Array(languages) : candidates.filter(languages.contains)
            if narrowed.count == 1 { return LanguageDetection(language: narrowed[0], strategy: .shebang) }
            if narrowed.count > 1 {
                candidates = narrowed
                narrowedBy = .shebang
                interpreter = interp
            }
        }

        var extensionStart: Int? = nil
        let languages = extensionLanguages(fileName, start: &extensionStart)
        if !languages.isEmpty {
            let narrowed = candidates.isEmpty ? Array(languages) : candidates.filter(languages.contains)
            if narrowed.count == 1 { return LanguageDetection(language: narrowed[0], strategy: .extension) }
            if narrowed.count > 1 {
                candidates = narrowed
                narrowedBy = .extension
            }
        }

        guard let first = candidates.first else { return nil }
        var choice: LanguageID? = nil
        if narrowedBy == .extension, let start = extensionStart {
            let ext = UnsafeBufferPointer(rebasing: fileName[start...])
            choice = index.extensionDefaults.lookup(ext).first
        } else if narrowedBy == .shebang, let interpreter {
            choice = interpreter.withUnsafeBufferPointer { index.interpreterDefaults.lookup($0) }.first
        }
        let chosen = choice.flatMap { candidates.contains($0) ? $0 : nil } ?? first
        return LanguageDetection(language: chosen, strategy: .defaultChoice, candidates: candidates)
    }

    /// Convenience for names held as `String` (tests, `census explain`).
    public func detect(fileName: String, prefix: [UInt8] = []) -> LanguageDetection? {
        var name = fileName
        return name.withUTF8 { n in prefix.withUnsafeBytes { detect(fileName: n, prefix: $0) } }
    }

    /// The languages of the longest extension of `name` that any language claims, as Linguist's
    /// `find_by_extension` does: for `a.tar.gz` it tries `.tar.gz`, then `.gz`; case is ignored;
    /// a leading dot counts (`.bashrc` has the extension `.bashrc`).
    private func extensionLanguages(_ name: UnsafeBufferPointer<UInt8>, start: inout Int?) -> ArraySlice<LanguageID> {
        let index = LanguageTable.indexes
        var i = 0
        while i < name.count {
            if name[i] == UInt8(ascii: ".") && name.count - i <= index.longestExtension {
                let languages = index.extensions.lookup(UnsafeBufferPointer(rebasing: name[i...]))
                if !languages.isEmpty {
                    start = i
                    return languages
                }
            }
            i += 1
        }
        return []
    }
}
