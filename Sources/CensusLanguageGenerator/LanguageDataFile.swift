import Yams

/// An error in `Data/languages.yml`, naming the language and key at fault.
public struct LanguageDataError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "languages.yml: \(message)" }
}

/// The parsed, validated contents of `Data/languages.yml`.
///
/// The format is documented in docs/languages-data.md.
public struct LanguageDataFile: Sendable {
    public struct StringForm: Sendable, Equatable {
        public var open: String
        public var close: String
        public var escape: String
        public var multiline: Bool
        public var doc: Bool
    }

    public struct LineComment: Sendable, Equatable {
        public var token: String
        public var atLineStart = false
        public var notBefore: [String] = []
    }

    public struct BlockComment: Sendable, Equatable {
        public var open: String
        public var close: String
        public var nested: Bool
        public var anchored: Bool
    }

    public struct Entry: Sendable {
        public var name: String
        public var type: String
        public var color: String?
        public var linguistID: Int?
        public var group: String?
        public var aliases: [String] = []
        public var extensions: [String] = []
        public var filenames: [String] = []
        public var interpreters: [String] = []
        public var lineComments: [LineComment] = []
        public var blockComments: [BlockComment] = []
        public var strings: [StringForm] = []
        public var rawStrings: [String] = []
        public var heredoc: String?
        public var heredocSpaced = false
        public var commentBoundary = false
        public var codeEscape: String?
        public var charLiterals = false
    }

    /// Languages sorted by the bytes of their names (Linguist's order: capitals first).
    public var languages: [Entry]
    /// Lowercased extension → language name.
    public var extensionDefaults: [String: String]
    /// Interpreter → language name.
    public var interpreterDefaults: [String: String]
    /// The GitHub Linguist release the facts were imported from (`linguist_version`), if given.
    public var linguistVersion: String?

    static let languageKeys: Set<String> = [
        "type", "color", "linguist_id", "group", "aliases", "extensions", "filenames", "interpreters",
        "line_comments", "block_comments", "nested_comments", "strings", "raw_strings", "heredoc",
        "heredoc_spaced", "comment_boundary", "code_escape", "char_literals",
    ]
    static let types: Set<String> = ["programming", "markup", "data", "prose"]
    static let rawForms: Set<String> = ["cpp", "rust", "swift"]

    /// Parses and validates the YAML text of the data file.
    ///
    /// - Throws: ``LanguageDataError`` naming the first problem found.
    public init(yaml: String) throws {
        guard let root = try Yams.compose(yaml: yaml), let top = root.mapping else {
            throw LanguageDataError("the top level must be a mapping")
        }
        guard top["version"]?.int == 1 else {
            throw LanguageDataError("`version: 1` is required (this generator reads format 1)")
        }
        guard let langs = top["languages"]?.mapping else {
            throw LanguageDataError("`languages` must be a mapping from language name to definition")
        }
        var entries: [Entry] = []
        for (keyNode, valueNode) in langs {
            guard let name = keyNode.string else { throw LanguageDataError("a language name is not a string") }
            entries.append(try Self.parseEntry(name: name, node: valueNode))
        }
        entries.sort { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
        for pair in zip(entries, entries.dropFirst()) where pair.0.name == pair.1.name {
            throw LanguageDataError("\(pair.0.name): defined twice")
        }
        languages = entries
        extensionDefaults = try Self.stringMap(top["extension_defaults"], key: "extension_defaults")
        interpreterDefaults = try Self.stringMap(top["interpreter_defaults"], key: "interpreter_defaults")
        if let node = top["linguist_version"] {
            guard let text = node.string, !text.isEmpty else {
                throw LanguageDataError("`linguist_version` must be a version string such as \"7.22.1\"")
            }
            linguistVersion = text
        }
        try validate()
    }

    private static func stringMap(_ node: Node?, key: String) throws -> [String: String] {
        guard let node else { return [:] }
        guard let mapping = node.mapping else { throw LanguageDataError("`\(key)` must be a mapping") }
        var result: [String: String] = [:]
        for (k, v) in mapping {
            guard let ks = k.string, let vs = v.string else {
                throw LanguageDataError("`\(key)`: keys and values must be strings")
            }
            result[ks] = vs
        }
        return result
    }

    private static func strings(_ node: Node?, _ where_: String) throws -> [String] {
        guard let node else { return [] }
        if node.null != nil { return [] }
        guard let seq = node.sequence else { throw LanguageDataError("\(where_) must be a list") }
        return try seq.map {
            guard let s = $0.string else { throw LanguageDataError("\(where_): every element must be a string") }
            return s
        }
    }

    private static func bool(_ node: Node?, _ where_: String) throws -> Bool {
        guard let node else { return false }
        guard let b = node.bool else { throw LanguageDataError("\(where_) must be true or false") }
        return b
    }

    private static func optionalString(_ node: Node?, _ where_: String) throws -> String? {
        guard let node else { return nil }
        if node.null != nil { return nil }
        guard let s = node.string else { throw LanguageDataError("\(where_) must be a string") }
        return s
    }

    private static func parseEntry(name: String, node: Node) throws -> Entry {
        guard let map = node.mapping else { throw LanguageDataError("\(name): must be a mapping") }
        for (k, _) in map {
            guard let key = k.string, languageKeys.contains(key) else {
                throw LanguageDataError("\(name): unknown key `\(k.string ?? "?")`")
            }
        }
        guard let type = map["type"]?.string, types.contains(type) else {
            throw LanguageDataError("\(name): `type` must be one of \(types.sorted().joined(separator: ", "))")
        }
        var e = Entry(name: name, type: type)
        e.color = try optionalString(map["color"], "\(name).color")
        if let idNode = map["linguist_id"] {
            guard let id = idNode.int else { throw LanguageDataError("\(name).linguist_id must be an integer") }
            e.linguistID = id
        }
        e.group = try optionalString(map["group"], "\(name).group")
        e.aliases = try strings(map["aliases"], "\(name).aliases")
        e.extensions = try strings(map["extensions"], "\(name).extensions")
        e.filenames = try strings(map["filenames"], "\(name).filenames")
        e.interpreters = try strings(map["interpreters"], "\(name).interpreters")
        if let lines = map["line_comments"] {
            guard let seq = lines.sequence else { throw LanguageDataError("\(name).line_comments must be a list") }
            e.lineComments = try seq.map { try parseLineComment($0, name) }
        }
        let nestedDefault = try bool(map["nested_comments"], "\(name).nested_comments")
        if let blocks = map["block_comments"] {
            guard let seq = blocks.sequence else { throw LanguageDataError("\(name).block_comments must be a list") }
            e.blockComments = try seq.map { try parseBlock($0, nestedDefault: nestedDefault, name) }
        }
        if let forms = map["strings"] {
            guard let seq = forms.sequence else { throw LanguageDataError("\(name).strings must be a list") }
            e.strings = try seq.map { try parseString($0, name) }
        }
        e.rawStrings = try strings(map["raw_strings"], "\(name).raw_strings")
        for form in e.rawStrings where !rawForms.contains(form) {
            throw LanguageDataError("\(name).raw_strings: unknown form `\(form)` (known: cpp, rust, swift)")
        }
        e.heredoc = try optionalString(map["heredoc"], "\(name).heredoc")
        if let h = e.heredoc, h != "<<", h != "<<<" {
            throw LanguageDataError("\(name).heredoc must be \"<<\" or \"<<<\"")
        }
        e.heredocSpaced = try bool(map["heredoc_spaced"], "\(name).heredoc_spaced")
        if e.heredocSpaced && e.heredoc == nil {
            throw LanguageDataError("\(name).heredoc_spaced needs a heredoc operator")
        }
        e.commentBoundary = try bool(map["comment_boundary"], "\(name).comment_boundary")
        e.codeEscape = try optionalString(map["code_escape"], "\(name).code_escape")
        if let c = e.codeEscape, c.utf8.count != 1 {
            throw LanguageDataError("\(name).code_escape must be one byte")
        }
        e.charLiterals = try bool(map["char_literals"], "\(name).char_literals")
        return e
    }

    private static func parseLineComment(_ node: Node, _ name: String) throws -> LineComment {
        if let token = node.string, node.mapping == nil {
            guard !token.isEmpty else { throw LanguageDataError("\(name).line_comments: empty token") }
            return LineComment(token: token)
        }
        guard let map = node.mapping, let token = map["token"]?.string, !token.isEmpty else {
            throw LanguageDataError("\(name).line_comments: an entry is a token or a mapping with `token`")
        }
        for (k, _) in map where !["token", "at_line_start", "not_before"].contains(k.string ?? "") {
            throw LanguageDataError("\(name).line_comments: unknown key `\(k.string ?? "?")`")
        }
        let notBefore = try strings(map["not_before"], "\(name).line_comments.not_before")
        if notBefore.contains(where: \.isEmpty) {
            throw LanguageDataError("\(name).line_comments.not_before: empty string")
        }
        return LineComment(
            token: token, atLineStart: try bool(map["at_line_start"], "\(name).line_comments.at_line_start"),
            notBefore: notBefore)
    }

    private static func parseBlock(_ node: Node, nestedDefault: Bool, _ name: String) throws -> BlockComment {
        if let seq = node.sequence {
            guard seq.count == 2, let open = seq[0].string, let close = seq[1].string, !open.isEmpty else {
                throw LanguageDataError("\(name).block_comments: a list entry must be [open, close]")
            }
            return BlockComment(open: open, close: close, nested: nestedDefault, anchored: false)
        }
        guard let map = node.mapping, let open = map["open"]?.string, !open.isEmpty,
            let close = map["close"]?.string
        else {
            throw LanguageDataError("\(name).block_comments: a mapping entry needs `open` and `close`")
        }
        for (k, _) in map where !["open", "close", "nested", "anchored"].contains(k.string ?? "") {
            throw LanguageDataError("\(name).block_comments: unknown key `\(k.string ?? "?")`")
        }
        let nested = map["nested"] == nil ? nestedDefault : try bool(map["nested"], "\(name).block_comments.nested")
        let anchored = try bool(map["anchored"], "\(name).block_comments.anchored")
        if close.isEmpty && !anchored {
            throw LanguageDataError("\(name).block_comments: an empty close (to end of file) must be anchored")
        }
        return BlockComment(open: open, close: close, nested: nested, anchored: anchored)
    }

    private static func parseString(_ node: Node, _ name: String) throws -> StringForm {
        if let s = node.string, node.mapping == nil {
            guard !s.isEmpty else { throw LanguageDataError("\(name).strings: empty delimiter") }
            return StringForm(open: s, close: s, escape: "\\", multiline: false, doc: false)
        }
        guard let map = node.mapping, let open = map["open"]?.string, !open.isEmpty else {
            throw LanguageDataError("\(name).strings: an entry is a delimiter or a mapping with `open`")
        }
        for (k, _) in map where !["open", "close", "escape", "multiline", "doc"].contains(k.string ?? "") {
            throw LanguageDataError("\(name).strings: unknown key `\(k.string ?? "?")`")
        }
        let close = try optionalString(map["close"], "\(name).strings.close") ?? open
        guard !close.isEmpty else { throw LanguageDataError("\(name).strings: empty close") }
        let escape = try optionalString(map["escape"], "\(name).strings.escape") ?? "\\"
        guard escape.utf8.count <= 1 else { throw LanguageDataError("\(name).strings: escape must be one byte") }
        return StringForm(
            open: open, close: close, escape: escape,
            multiline: try bool(map["multiline"], "\(name).strings.multiline"),
            doc: try bool(map["doc"], "\(name).strings.doc"))
    }

    /// Checks cross-language rules: groups name known languages, every ambiguity has a default.
    private mutating func validate() throws {
        // Linguist resolves a group case-insensitively (its own data says `group: prolog`); emit the
        // canonical name.
        var canonical: [String: String] = [:]
        for e in languages { canonical[e.name.lowercased()] = e.name }
        for k in languages.indices {
            guard let g = languages[k].group else { continue }
            guard let name = canonical[g.lowercased()] else {
                throw LanguageDataError("\(languages[k].name).group names unknown language `\(g)`")
            }
            languages[k].group = name
        }
        var byExtension: [String: [String]] = [:]
        var byInterpreter: [String: [String]] = [:]
        var byFilename: [String: [String]] = [:]
        for e in languages {
            for x in Set(e.extensions.map { $0.lowercased() }) { byExtension[x, default: []].append(e.name) }
            for i in Set(e.interpreters) { byInterpreter[i, default: []].append(e.name) }
            for f in Set(e.filenames) { byFilename[f, default: []].append(e.name) }
        }
        for (f, ls) in byFilename where ls.count > 1 {
            throw LanguageDataError("file name `\(f)` is claimed by \(ls.joined(separator: ", ")); give it to one")
        }
        func check(_ index: [String: [String]], _ defaults: [String: String], _ what: String) throws {
            for (key, ls) in index.sorted(by: { $0.key < $1.key }) where ls.count > 1 {
                guard let choice = defaults[key] else {
                    throw LanguageDataError(
                        "\(what) `\(key)` is claimed by \(ls.sorted().joined(separator: ", ")) but has no entry in \(what)_defaults")
                }
                guard ls.contains(choice) else {
                    throw LanguageDataError("\(what)_defaults: `\(key)` → `\(choice)`, which does not claim it")
                }
            }
            for (key, choice) in defaults where (index[key]?.count ?? 0) < 2 {
                throw LanguageDataError("\(what)_defaults: `\(key)` → `\(choice)` is not ambiguous; remove it")
            }
        }
        try check(byExtension, extensionDefaults, "extension")
        try check(byInterpreter, interpreterDefaults, "interpreter")
    }
}
