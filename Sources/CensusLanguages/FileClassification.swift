/// Where a file stands in GitHub's view of a repository.
public enum FileCategory: String, Sendable, CaseIterable, Codable {
    /// The repository's own code.
    case own
    /// Third-party code (vendor.yml, or `linguist-vendored`).
    case vendored
    /// Documentation (documentation.yml, or `linguist-documentation`).
    case documentation
    /// Generated code (generated.rb's checks, or `linguist-generated`).
    case generated
}

/// A `.gitattributes` setting that decided something, for explanations.
public struct AttributeSource: Sendable, Equatable {
    /// `linguist-vendored`, `linguist-language=Go`, `-linguist-generated`…
    public var setting: String
    /// The attributes file and line.
    public var file: String
    public var line: Int

    public init(setting: String, file: String, line: Int) {
        self.setting = setting
        self.file = file
        self.line = line
    }

    public var description: String { "\(setting) (\(file):\(line))" }
}

/// What `.gitattributes` says about one file (each `nil` when no line decides).
public struct LinguistOverrides: Sendable, Equatable {
    public var language: (name: String, source: AttributeSource)?
    public var vendored: (value: Bool, source: AttributeSource)?
    public var generated: (value: Bool, source: AttributeSource)?
    public var documentation: (value: Bool, source: AttributeSource)?
    public var detectable: (value: Bool, source: AttributeSource)?

    public init() {}

    public static func == (a: LinguistOverrides, b: LinguistOverrides) -> Bool {
        a.language?.name == b.language?.name && a.language?.source == b.language?.source
            && a.vendored?.value == b.vendored?.value && a.vendored?.source == b.vendored?.source
            && a.generated?.value == b.generated?.value && a.generated?.source == b.generated?.source
            && a.documentation?.value == b.documentation?.value && a.documentation?.source == b.documentation?.source
            && a.detectable?.value == b.detectable?.value && a.detectable?.source == b.detectable?.source
    }
}

/// One file as GitHub's language bar sees it: its language and how it was decided, whether it is
/// excluded and by which rule, and whether its bytes count toward the breakdown.
public struct FileClassification: Sendable, Equatable {
    public var detection: LanguageDetection
    public var category: FileCategory
    /// Why the file is excluded: the rule or attribute (`nil` for own code).
    public var exclusionReason: String?
    /// Whether the file's bytes count toward the language breakdown: own code in a programming or
    /// markup language, or `linguist-detectable`.
    public var inBreakdown: Bool
    /// Why not, when not (`"data language"`, `"vendored"`, `"-linguist-detectable (…)"`).
    public var breakdownReason: String?

    public init(
        detection: LanguageDetection, category: FileCategory, exclusionReason: String?, inBreakdown: Bool,
        breakdownReason: String?
    ) {
        self.detection = detection
        self.category = category
        self.exclusionReason = exclusionReason
        self.inBreakdown = inBreakdown
        self.breakdownReason = breakdownReason
    }
}

extension LinguistEngine {
    /// Classifies one file as Linguist would.
    ///
    /// - Parameters:
    ///   - path: the path relative to the repository (scan) top, `/`-separated.
    ///   - name: the base name.
    ///   - data: the file's first bytes (at most ``prefixLimit`` are read).
    ///   - overrides: what `.gitattributes` says.
    ///   - basicDetection: use only file names, shebangs and extensions (issue 2's strategy) and no
    ///     exclusions — the counting-only baseline for benchmarks.
    /// - Returns: `nil` when no strategy knows the file's language.
    public func classify(
        path: UnsafeRawBufferPointer, name: UnsafeBufferPointer<UInt8>, data: UnsafeRawBufferPointer,
        overrides: LinguistOverrides = LinguistOverrides(), basicDetection: Bool = false
    ) -> FileClassification? {
        let detection: LanguageDetection
        if let attribute = overrides.language {
            // Linguist's find_by_alias: an unknown name leaves the file without a language.
            guard let language = LanguageTable.named(attribute.name) else { return nil }
            detection = LanguageDetection(language: language.id, strategy: .attribute)
        } else if basicDetection {
            guard let d = LanguageDetector().detect(fileName: name, prefix: data) else { return nil }
            return FileClassification(
                detection: d, category: .own, exclusionReason: nil,
                inBreakdown: countsByType[d.language.index] && !data.isEmpty, breakdownReason: nil)
        } else {
            guard let d = detect(name: name, data: data) else { return nil }
            detection = d
        }

        var category = FileCategory.own
        var reason: String? = nil
        // The vendored, documentation and generated path patterns: one prefilter pass for all three.
        let (vendoredMatch, documentationMatch, generatedMatch) = pathRules.firstMatches(path) { m in
            (m[0] >= 0 ? m[0] : nil, m[1] >= 0 ? m[1] : nil, m[2] >= 0 ? m[2] : nil)
        }
        if let v = overrides.vendored {
            if v.value { (category, reason) = (.vendored, v.source.description) }
        } else if let k = vendoredMatch {
            (category, reason) = (.vendored, "vendor.yml pattern \(LinguistRules.vendoredPatterns[k])")
        }
        if category == .own {
            if let d = overrides.documentation {
                if d.value { (category, reason) = (.documentation, d.source.description) }
            } else if let k = documentationMatch {
                (category, reason) = (.documentation, "documentation.yml pattern \(LinguistRules.documentationPatterns[k])")
            }
        }
        if category == .own {
            if let g = overrides.generated {
                if g.value { (category, reason) = (.generated, g.source.description) }
            } else if let rule = generatedRule(path: path, data: data, pathRule: generatedMatch) {
                (category, reason) = (.generated, "generated: \(rule)")
            }
        }

        var inBreakdown = false
        var why: String? = nil
        if category != .own {
            why = category.rawValue
        } else if data.isEmpty {
            // Linguist gives an empty file no language, so it never reaches the breakdown.
            why = "empty file"
        } else if let detectable = overrides.detectable {
            inBreakdown = detectable.value
            if !inBreakdown { why = detectable.source.description }
        } else {
            inBreakdown = countsByType[detection.language.index]
            if !inBreakdown { why = "\(LanguageTable[detection.language].type.rawValue) language" }
        }
        return FileClassification(
            detection: detection, category: category, exclusionReason: reason, inBreakdown: inBreakdown,
            breakdownReason: why)
    }

    /// Only programming and markup languages count toward the breakdown by default.
    static func breakdownType(_ type: LanguageType) -> Bool { type == .programming || type == .markup }

    /// The language a file counts as in the breakdown: its group's (Unix Assembly → Assembly).
    public func breakdownLanguage(_ id: LanguageID) -> LanguageID { breakdownGroups[id.index] }
}
