/// A language's index in ``LanguageTable/all``: stable within one build of census.
///
/// Identifiers are dense (0 ..< `LanguageTable.all.count`), so per-language counters can live in
/// flat arrays indexed by `rawValue`. They are not stable across versions of the data file; store
/// language names, not identifiers.
public struct LanguageID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16

    @inlinable
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    @inlinable
    public var index: Int { Int(rawValue) }

    public static func < (lhs: LanguageID, rhs: LanguageID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { LanguageTable.all[index].name }
}

/// Linguist's four kinds of language. Only `programming` and `markup` count toward GitHub's
/// language bar.
public enum LanguageType: String, Sendable, CaseIterable, Codable {
    case programming
    case markup
    case data
    case prose
}

/// A string literal form: what opens it, what closes it, and how it escapes.
public struct StringSyntax: Hashable, Sendable {
    /// The bytes that open the literal, for example `"`, `'''` or `@"`.
    public var open: String
    /// The bytes that close it.
    public var close: String
    /// The escape byte (`\`), or `nil` when the literal has no escapes (Go's backquotes, C#'s `@"…"`).
    public var escape: UInt8?
    /// Whether the literal may span lines. A single-line literal that reaches the end of its line
    /// without being closed ends there, which keeps a misread quote from swallowing a whole file.
    public var multiline: Bool
    /// Whether the literal is a documentation string when it is the first thing on its line
    /// (Python's `"""`): its lines then count as comments.
    public var isDocString: Bool
    /// The bytes that open an interpolation hole inside the literal (`${`, `#{`, `\(`, `{`), or
    /// `nil`. A hole is code up to its matching `}` or `)` and may hold strings with the same
    /// quote, comments and further holes. A hole opened by a lone `{` is not opened by `{{`, which
    /// stands for a brace (C#'s `$"…"`, Python's f-strings).
    public var interpolation: String?

    public init(open: String, close: String, escape: UInt8?, multiline: Bool, isDocString: Bool, interpolation: String? = nil) {
        self.open = open
        self.close = close
        self.escape = escape
        self.multiline = multiline
        self.isDocString = isDocString
        self.interpolation = interpolation
    }
}

/// A line comment form: a token that starts a comment running to the end of the line.
public struct LineCommentSyntax: Hashable, Sendable, ExpressibleByStringLiteral {
    public var token: String
    /// Whether the token starts a comment only as the first thing on its line (after whitespace):
    /// m68k assembly's `|`, an operator elsewhere on the line.
    public var atLineStart: Bool
    /// What must not follow the token (after optional blanks) for it to start a comment: in
    /// preprocessed assembly `#include` and `# define` are directives while `#`, `# text` and
    /// `#----` are comments; PHP's `#[Attribute]` is code.
    public var notBefore: [String]
    /// Whether the token is a word: it starts a comment only when no identifier byte touches it on
    /// either side (Batch's `REM`, BASIC's `REM`; `REMOVE` and `xREM` are code).
    public var isWord: Bool
    /// Whether the token starts a comment only in the first column, with nothing before it
    /// (fixed-form Fortran's `C` and `*`).
    public var atColumnOne: Bool

    public init(
        _ token: String, atLineStart: Bool = false, notBefore: [String] = [], isWord: Bool = false,
        atColumnOne: Bool = false
    ) {
        self.token = token
        self.atLineStart = atLineStart
        self.notBefore = notBefore
        self.isWord = isWord
        self.atColumnOne = atColumnOne
    }

    public init(stringLiteral token: String) { self.init(token) }
}

/// A block comment form such as `/* … */`.
public struct BlockCommentSyntax: Hashable, Sendable {
    public var open: String
    /// The closing bytes; empty means the comment runs to the end of the file (Perl's `__END__`).
    public var close: String
    /// Whether an `open` inside the comment opens a nested comment (Rust, Swift, Haskell, OCaml).
    public var nested: Bool
    /// Whether `open` and `close` count only at the start of a line (Ruby's `=begin`/`=end`,
    /// Perl's POD). The rest of the closing line is comment too.
    public var anchored: Bool

    public init(open: String, close: String, nested: Bool, anchored: Bool) {
        self.open = open
        self.close = close
        self.nested = nested
        self.anchored = anchored
    }
}

/// Raw string forms whose closing delimiter depends on the opening one.
public enum RawStringForm: String, Hashable, Sendable, CaseIterable {
    /// C++ `R"delim( … )delim"`, also with the `u8`, `u`, `U` and `L` prefixes.
    case cpp
    /// Rust `r"…"`, `r#"…"#` (any number of `#`), also `br` and `cr`.
    case rust
    /// Swift `#"…"#` and `#"""…"""#` (any number of `#`).
    case swift
}

/// Where a documentation-string form (``StringSyntax/isDocString``) counts as a comment.
public enum DocStringRule: String, Hashable, Sendable, CaseIterable {
    /// When it is the first thing on its line (the rule for languages without a finer one).
    case lineStart = "line_start"
    /// Python: only as the first statement of the module or of a `def`/`class` body; a
    /// triple-quoted string assigned, passed or returned is code.
    case python
    /// Julia: a string standing as a statement of its own (first on its line, outside brackets),
    /// which documents the definition after it.
    case statement
    /// Elixir: the string of a `@doc`, `@moduledoc` or `@typedoc` attribute (the attribute's line
    /// included).
    case elixir
    /// Clojure: the string right after the name in `(defn name`, `(defn- name`, `(defmacro name`,
    /// `(defmulti name`, `(defprotocol name` or `(ns name`, on the same line or first on the next.
    case clojure
}

/// Regular-expression literals: where a `/` opens one instead of dividing.
public enum RegexLiteralRule: String, Hashable, Sendable, CaseIterable {
    /// `/…/flags` where the token before allows an expression to start (an operator, an opening
    /// bracket, a comma, a keyword such as `return`, or the start of the line); not after an
    /// identifier, a number or a closing bracket. The literal ends on its line; `[/]` and `\/`
    /// do not end it. JavaScript, TypeScript, Ruby, Perl, AWK.
    case slash
}

/// Parts of a file in other languages (docs/counting.md, "Embedded languages").
public enum EmbeddingRule: String, Hashable, Sendable, CaseIterable {
    /// `<script>` and `<style>` contents by their `type`/`lang` (HTML, Vue, Svelte).
    case html
    /// HTML with `<?php … ?>` and `<?= … ?>` blocks (PHP files are HTML around PHP).
    case php
    /// HTML with `<% … %>` blocks in Ruby.
    case erb
    /// HTML with `<% … %>` blocks in Elixir.
    case eex
}

/// Everything the line counter needs to know about a language's lexical syntax.
public struct LanguageSyntax: Hashable, Sendable {
    public var lineComments: [LineCommentSyntax]
    public var blockComments: [BlockCommentSyntax]
    public var strings: [StringSyntax]
    public var rawStrings: [RawStringForm]
    /// The heredoc operator (`<<` for shells, Perl and Ruby; `<<<` for PHP), or `nil`.
    public var heredoc: String?
    /// Whether blanks may separate the heredoc operator from a bare word (`cat << EOF`), as in
    /// shells. The word must then be upper case, so `x << y` stays a shift.
    public var heredocAllowsSpace: Bool
    /// Whether a line comment starts only at the start of a word: after whitespace, the start of
    /// the line, or one of `;&|()`. Shell's `$#` and `${#x}` are not comments.
    public var lineCommentNeedsBoundary: Bool
    /// A byte that escapes the next byte outside strings (Shell's `\`), or `nil`.
    public var codeEscape: UInt8?
    /// Whether `'x'`, `'\n'`, `'\u{1F600}'` are character literals while any other `'` is plain
    /// code (Rust lifetimes, OCaml type variables, Haskell primes).
    public var charLiterals: Bool
    /// Whether a backslash before a line ending splices the two lines (C and C++'s translation
    /// phase 2): a `//` comment that ends in one continues on the next line.
    public var lineSplices: Bool
    /// Where documentation strings count as comments (``DocStringRule/lineStart`` by default).
    public var docStrings: DocStringRule
    /// Regular-expression literals, or `nil` for languages without them.
    public var regexLiterals: RegexLiteralRule?
    /// Parts in other languages (`<script>`, PHP blocks…), or `nil`.
    public var embedding: EmbeddingRule?

    public init(
        lineComments: [LineCommentSyntax] = [], blockComments: [BlockCommentSyntax] = [],
        strings: [StringSyntax] = [], rawStrings: [RawStringForm] = [], heredoc: String? = nil, heredocAllowsSpace: Bool = false,
        lineCommentNeedsBoundary: Bool = false, codeEscape: UInt8? = nil, charLiterals: Bool = false,
        lineSplices: Bool = false, docStrings: DocStringRule = .lineStart, regexLiterals: RegexLiteralRule? = nil,
        embedding: EmbeddingRule? = nil
    ) {
        self.embedding = embedding
        self.lineSplices = lineSplices
        self.docStrings = docStrings
        self.regexLiterals = regexLiterals
        self.lineComments = lineComments
        self.blockComments = blockComments
        self.strings = strings
        self.rawStrings = rawStrings
        self.heredoc = heredoc
        self.heredocAllowsSpace = heredocAllowsSpace
        self.lineCommentNeedsBoundary = lineCommentNeedsBoundary
        self.codeEscape = codeEscape
        self.charLiterals = charLiterals
    }

    /// Whether the language has any comment syntax at all.
    public var hasComments: Bool { !lineComments.isEmpty || !blockComments.isEmpty }
}

/// One language, as defined in `Data/languages.yml`.
public struct Language: Hashable, Sendable {
    public let id: LanguageID
    /// GitHub Linguist's exact name ("C++", "Shell", "Vim Script").
    public let name: String
    public let type: LanguageType
    /// Linguist's colour for the language bar, `#RRGGBB`, or `nil`.
    public let color: String?
    /// Linguist's `language_id`, or `nil` for languages Linguist does not know.
    public let linguistID: Int?
    /// The parent language this one is counted as in GitHub's statistics, or `nil`.
    public let group: String?
    public let aliases: [String]
    /// Extensions with their leading dot, as Linguist lists them (matched case-insensitively).
    public let extensions: [String]
    /// Exact file names (matched case-sensitively).
    public let filenames: [String]
    /// Interpreter names found in shebang lines.
    public let interpreters: [String]
    public let syntax: LanguageSyntax

    public init(
        id: LanguageID, name: String, type: LanguageType, color: String?, linguistID: Int?,
        group: String?, aliases: [String], extensions: [String], filenames: [String],
        interpreters: [String], syntax: LanguageSyntax
    ) {
        self.id = id
        self.name = name
        self.type = type
        self.color = color
        self.linguistID = linguistID
        self.group = group
        self.aliases = aliases
        self.extensions = extensions
        self.filenames = filenames
        self.interpreters = interpreters
        self.syntax = syntax
    }
}
