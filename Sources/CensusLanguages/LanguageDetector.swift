/// How a file's language was decided.
public enum DetectionStrategy: String, Sendable, CaseIterable {
    /// A `.gitattributes` `linguist-language` attribute.
    case attribute
    /// A Vim or Emacs modeline.
    case modeline
    /// The file's exact name (`Makefile`, `go.mod`).
    case filename
    /// The interpreter in its `#!` line.
    case shebang
    /// Its extension, claimed by one language only.
    case `extension`
    /// An `xml version=` header.
    case xml
    /// A man-page extension (`.1` … `.9`, `.man`).
    case manpage
    /// Linguist's content heuristics.
    case heuristics
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

    /// Detects the language of a file from its name and shebang (the first strategies of
    /// Linguist's order, without content heuristics; ``LinguistEngine`` runs them all).
    ///
    /// - Parameters:
    ///   - fileName: the file's base name (no directory), raw bytes.
    ///   - prefix: the file's first bytes (at least its first line for shebangs; may be empty).
    /// - Returns: the detection, or `nil` when no strategy knows the file.
    /// - Complexity: O(name length + first line length); allocates only for ambiguous files.
    public func detect(fileName: UnsafeBufferPointer<UInt8>, prefix: UnsafeRawBufferPointer) -> LanguageDetection? {
        choose(narrow(fileName: fileName, prefix: prefix, skipGenericExtensions: nil), fileName: fileName)
    }

    /// The state between strategies: decided, or the candidates so far and what narrowed them.
    enum Narrowing {
        case decided(LanguageDetection)
        case undecided(candidates: [LanguageID], narrowedBy: DetectionStrategy?, extensionStart: Int?, interpreter: [UInt8]?)
    }

    /// Filename, shebang and extension strategies, each narrowing the candidates of the one before.
    ///
    /// - Parameter skipGenericExtensions: extensions too common to decide (Linguist's generic.yml):
    ///   when the name ends with one, the extension strategy leaves the candidates as they are.
    func narrow(fileName: UnsafeBufferPointer<UInt8>, prefix: UnsafeRawBufferPointer, skipGenericExtensions generic: ByteKeyTable<LanguageID>?)
        -> Narrowing
    {
        let index = LanguageTable.indexes
        let byName = index.filenames.lookup(fileName)
        if byName.count == 1, let only = byName.first {
            return .decided(LanguageDetection(language: only, strategy: .filename))
        }
        var candidates: [LanguageID] = Array(byName)
        var narrowedBy: DetectionStrategy? = candidates.isEmpty ? nil : .filename
        var interpreter: [UInt8]? = nil

        if prefix.count >= 2, let interp = Shebang.interpreter(in: prefix) {
            let languages = interp.withUnsafeBufferPointer { index.interpreters.lookup($0) }
            let narrowed = candidates.isEmpty ? Array(languages) : candidates.filter(languages.contains)
            if narrowed.count == 1 { return .decided(LanguageDetection(language: narrowed[0], strategy: .shebang)) }
            if narrowed.count > 1 {
                candidates = narrowed
                narrowedBy = .shebang
                interpreter = interp
            }
        }

        var extensionStart: Int? = nil
        if !(generic.map { Self.endsWithGeneric(fileName, $0) } ?? false) {
            let languages = extensionLanguages(fileName, start: &extensionStart)
            if !languages.isEmpty {
                let narrowed = candidates.isEmpty ? Array(languages) : candidates.filter(languages.contains)
                if narrowed.count == 1 { return .decided(LanguageDetection(language: narrowed[0], strategy: .extension)) }
                if narrowed.count > 1 {
                    candidates = narrowed
                    narrowedBy = .extension
                }
            }
        }
        return .undecided(candidates: candidates, narrowedBy: narrowedBy, extensionStart: extensionStart, interpreter: interpreter)
    }

    /// The final choice among the remaining candidates: the documented default for the file name,
    /// extension or interpreter that left them, else the first.
    func choose(_ narrowing: Narrowing, fileName: UnsafeBufferPointer<UInt8>) -> LanguageDetection? {
        let index = LanguageTable.indexes
        switch narrowing {
        case .decided(let d): return d
        case .undecided(let candidates, let narrowedBy, let extensionStart, let interpreter):
            guard let first = candidates.first else { return nil }
            if candidates.count == 1 { return LanguageDetection(language: first, strategy: narrowedBy ?? .defaultChoice) }
            var choice: LanguageID? = nil
            if narrowedBy == .filename {
                choice = index.filenameDefaults.lookup(fileName).first.flatMap { candidates.contains($0) ? $0 : nil }
            }
            if choice == nil, let start = extensionStart {
                choice = index.extensionDefaults.lookup(UnsafeBufferPointer(rebasing: fileName[start...])).first
                    .flatMap { candidates.contains($0) ? $0 : nil }
            }
            if choice == nil, let interpreter {
                choice = interpreter.withUnsafeBufferPointer { index.interpreterDefaults.lookup($0) }.first
                    .flatMap { candidates.contains($0) ? $0 : nil }
            }
            if choice == nil {
                // Generic and man-page extensions: the default for the name's last extension.
                var dot = fileName.count - 1
                while dot > 0 && fileName[dot] != UInt8(ascii: ".") { dot -= 1 }
                if dot >= 0, fileName.count > 0, fileName[dot] == UInt8(ascii: ".") {
                    choice = index.extensionDefaults.lookup(UnsafeBufferPointer(rebasing: fileName[dot...])).first
                        .flatMap { candidates.contains($0) ? $0 : nil }
                }
            }
            return LanguageDetection(language: choice ?? first, strategy: .defaultChoice, candidates: candidates)
        }
    }

    static func endsWithGeneric(_ name: UnsafeBufferPointer<UInt8>, _ generic: ByteKeyTable<LanguageID>) -> Bool {
        // Linguist: `filename.downcase.end_with?(ext)` for each generic extension; they are short.
        var dot = name.count - 1
        while dot >= 0 && name.count - dot <= 8 {
            if name[dot] == UInt8(ascii: "."), !generic.range(UnsafeBufferPointer(rebasing: name[dot...])).isEmpty { return true }
            dot -= 1
        }
        return false
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
