import Yams

/// The parsed, validated contents of `Data/linguist-rules.yml` (format: docs/linguist-rules.md).
public struct LinguistRulesFile: Sendable {
    public struct LineTest: Sendable, Equatable {
        public enum Lines: Sendable, Equatable {
            case first(Int), last(Int), index(Int)
        }
        public enum Check: String, Sendable, Equatable {
            case contains, startsWith = "starts_with", pattern
        }
        public var lines: Lines
        public var check: Check
        public var needles: [String]
    }

    public struct ContentRule: Sendable, Equatable {
        public var name: String
        public var extensions: [String] = []
        public var extensionsIgnoringCase: [String] = []
        public var pathPattern: String?
        public var minimumLines = 0
        public var all: [LineTest] = []
        public var any: [LineTest] = []
    }

    public indirect enum Condition: Sendable, Equatable {
        case always
        case pattern([String])
        case negativePattern([String])
        case named(String)
        case and([Condition])
    }

    public struct Rule: Sendable, Equatable {
        public var languages: [String]
        public var condition: Condition
    }

    public struct Disambiguation: Sendable, Equatable {
        public var extensions: [String]
        public var rules: [Rule]
    }

    public var vendored: [String]
    public var documentation: [String]
    public var genericExtensions: [String]
    public var generatedPaths: [(name: String, pattern: String)]
    public var generatedExtensions: [(name: String, extensions: [String])]
    public var generatedContent: [ContentRule]
    public var generatedComputed: [String]
    /// Named patterns, each a list of alternatives.
    public var namedPatterns: [(name: String, patterns: [String])]
    public var disambiguations: [Disambiguation]

    /// The checks implemented in code, which the data file must name.
    public static let knownComputedChecks: Set<String> = [
        "minified", "compiled_coffeescript_closure", "peg_parser", "postscript", "html_generator_meta",
    ]

    /// Parses and validates the YAML text.
    ///
    /// - Parameter languageNames: every language name in `Data/languages.yml`; heuristics must name
    ///   only these.
    /// - Throws: ``LanguageDataError`` naming the first problem.
    public init(yaml: String, languageNames: Set<String>) throws {
        guard let root = try Yams.compose(yaml: yaml), let top = root.mapping else {
            throw LanguageDataError("linguist-rules.yml: the top level must be a mapping")
        }
        guard top["version"]?.int == 1 else {
            throw LanguageDataError("linguist-rules.yml: `version: 1` is required")
        }
        for (k, _) in top
        where !["version", "vendored", "documentation", "generic_extensions", "generated", "heuristics"].contains(k.string ?? "") {
            throw LanguageDataError("linguist-rules.yml: unknown key `\(k.string ?? "?")`")
        }
        vendored = try Self.stringList(top["vendored"], "vendored")
        documentation = try Self.stringList(top["documentation"], "documentation")
        genericExtensions = try Self.stringList(top["generic_extensions"], "generic_extensions")

        guard let generated = top["generated"]?.mapping else {
            throw LanguageDataError("linguist-rules.yml: `generated` must be a mapping")
        }
        generatedPaths = try (generated["path_patterns"]?.sequence ?? Node.Sequence()).map { node in
            guard let m = node.mapping, let name = m["name"]?.string, let pattern = m["pattern"]?.string else {
                throw LanguageDataError("generated.path_patterns: each entry needs `name` and `pattern`")
            }
            return (name, pattern)
        }
        generatedExtensions = try (generated["extensions"]?.sequence ?? Node.Sequence()).map { node in
            guard let m = node.mapping, let name = m["name"]?.string else {
                throw LanguageDataError("generated.extensions: each entry needs `name` and `extensions`")
            }
            return (name, try Self.stringList(m["extensions"], "generated.extensions.\(name)"))
        }
        generatedContent = try (generated["content"]?.sequence ?? Node.Sequence()).map(Self.contentRule)
        generatedComputed = try Self.stringList(generated["computed"], "generated.computed")
        for name in generatedComputed where !Self.knownComputedChecks.contains(name) {
            throw LanguageDataError("generated.computed: `\(name)` is not implemented in code")
        }
        for name in Self.knownComputedChecks where !generatedComputed.contains(name) {
            throw LanguageDataError("generated.computed: the code implements `\(name)`; list it")
        }

        guard let heuristics = top["heuristics"]?.mapping, let named = heuristics["named_patterns"]?.mapping,
            let disambiguations = heuristics["disambiguations"]?.sequence
        else {
            throw LanguageDataError("heuristics: needs `named_patterns` and `disambiguations`")
        }
        namedPatterns = try named.map { k, v in
            guard let name = k.string else { throw LanguageDataError("heuristics.named_patterns: a name is not a string") }
            return (name, try Self.oneOrMany(v, "heuristics.named_patterns.\(name)"))
        }.sorted { $0.name < $1.name }
        let names = Set(namedPatterns.map(\.name))
        self.disambiguations = try disambiguations.map { node in
            guard let m = node.mapping, let rules = m["rules"]?.sequence else {
                throw LanguageDataError("heuristics.disambiguations: each entry needs `extensions` and `rules`")
            }
            let extensions = try Self.stringList(m["extensions"], "heuristics.disambiguations.extensions")
            let place = "heuristics for \(extensions.joined(separator: " "))"
            return Disambiguation(
                extensions: extensions,
                rules: try rules.map { r in
                    guard let rm = r.mapping, let language = rm["language"] else {
                        throw LanguageDataError("\(place): a rule needs `language`")
                    }
                    let languages = try Self.oneOrMany(language, "\(place).language")
                    for l in languages where !languageNames.contains(l) {
                        throw LanguageDataError("\(place): unknown language `\(l)`")
                    }
                    return Rule(languages: languages, condition: try Self.condition(rm, names, place))
                })
        }
    }

    private static func condition(_ m: Node.Mapping, _ names: Set<String>, _ place: String) throws -> Condition {
        for (k, _) in m where !["language", "pattern", "negative_pattern", "named_pattern", "and"].contains(k.string ?? "") {
            throw LanguageDataError("\(place): unknown key `\(k.string ?? "?")`")
        }
        if let and = m["and"] {
            guard let seq = and.sequence else { throw LanguageDataError("\(place): `and` must be a list") }
            return .and(try seq.map {
                guard let sub = $0.mapping else { throw LanguageDataError("\(place): `and` entries are mappings") }
                return try condition(sub, names, place)
            })
        }
        if let p = m["pattern"] { return .pattern(try oneOrMany(p, "\(place).pattern")) }
        if let p = m["negative_pattern"] { return .negativePattern(try oneOrMany(p, "\(place).negative_pattern")) }
        if let n = m["named_pattern"]?.string {
            guard names.contains(n) else { throw LanguageDataError("\(place): unknown named pattern `\(n)`") }
            return .named(n)
        }
        return .always
    }

    private static func contentRule(_ node: Node) throws -> ContentRule {
        guard let m = node.mapping, let name = m["name"]?.string else {
            throw LanguageDataError("generated.content: each rule needs a `name`")
        }
        let place = "generated.content.\(name)"
        for (k, _) in m
        where !["name", "extensions", "extensions_ignoring_case", "path_pattern", "min_lines", "all", "any"].contains(k.string ?? "") {
            throw LanguageDataError("\(place): unknown key `\(k.string ?? "?")`")
        }
        var rule = ContentRule(name: name)
        rule.extensions = try stringList(m["extensions"], "\(place).extensions")
        rule.extensionsIgnoringCase = try stringList(m["extensions_ignoring_case"], "\(place).extensions_ignoring_case")
        rule.pathPattern = m["path_pattern"]?.string
        if let n = m["min_lines"] {
            guard let value = n.int, value >= 0 else { throw LanguageDataError("\(place).min_lines must be a number") }
            rule.minimumLines = value
        }
        rule.all = try (m["all"]?.sequence ?? Node.Sequence()).map { try lineTest($0, place) }
        rule.any = try (m["any"]?.sequence ?? Node.Sequence()).map { try lineTest($0, place) }
        if rule.extensions.isEmpty && rule.extensionsIgnoringCase.isEmpty && rule.pathPattern == nil {
            throw LanguageDataError("\(place): needs extensions or a path_pattern")
        }
        return rule
    }

    private static func lineTest(_ node: Node, _ place: String) throws -> LineTest {
        guard let m = node.mapping, let spec = m["lines"]?.string else {
            throw LanguageDataError("\(place): a test needs `lines`")
        }
        let words = spec.split(separator: " ")
        let lines: LineTest.Lines
        if words.count == 2, let n = Int(words[1]), n > 0, words[0] == "first" || words[0] == "last" {
            lines = words[0] == "first" ? .first(n) : .last(n)
        } else if words.count == 1, let k = Int(words[0]) {
            lines = .index(k)
        } else {
            throw LanguageDataError("\(place): `lines` is \"first N\", \"last N\" or an index, not \"\(spec)\"")
        }
        let checks = LineTest.Check.allCases.filter { m[$0.rawValue] != nil }
        guard checks.count == 1, let check = checks.first, let value = m[check.rawValue] else {
            throw LanguageDataError("\(place): a test needs exactly one of contains, starts_with, pattern")
        }
        return LineTest(lines: lines, check: check, needles: try oneOrMany(value, "\(place).\(check.rawValue)"))
    }

    private static func stringList(_ node: Node?, _ place: String) throws -> [String] {
        guard let node else { return [] }
        guard let seq = node.sequence else { throw LanguageDataError("\(place) must be a list") }
        return try seq.map {
            guard let s = $0.string else { throw LanguageDataError("\(place): every element must be a string") }
            return s
        }
    }

    private static func oneOrMany(_ node: Node, _ place: String) throws -> [String] {
        if node.sequence != nil { return try stringList(node, place) }
        guard let s = node.string else { throw LanguageDataError("\(place) must be a string or a list") }
        return [s]
    }

    /// Every regular expression in the file, with where it is used (to validate them all).
    public var allPatterns: [(place: String, pattern: String)] {
        var out: [(String, String)] = []
        out += vendored.map { ("vendored", $0) }
        out += documentation.map { ("documentation", $0) }
        out += generatedPaths.map { ("generated.path_patterns.\($0.name)", $0.pattern) }
        for r in generatedContent {
            if let p = r.pathPattern { out.append(("generated.content.\(r.name).path_pattern", p)) }
            for t in r.all + r.any where t.check == .pattern { out += t.needles.map { ("generated.content.\(r.name)", $0) } }
        }
        for (name, patterns) in namedPatterns { out += patterns.map { ("heuristics.named_patterns.\(name)", $0) } }
        func walk(_ c: Condition, _ place: String) {
            switch c {
            case .always, .named: break
            case .pattern(let ps), .negativePattern(let ps): out += ps.map { (place, $0) }
            case .and(let cs): cs.forEach { walk($0, place) }
            }
        }
        for d in disambiguations { for r in d.rules { walk(r.condition, "heuristics for \(d.extensions.joined(separator: " "))") } }
        return out
    }
}

extension LinguistRulesFile.LineTest.Check: CaseIterable {}
