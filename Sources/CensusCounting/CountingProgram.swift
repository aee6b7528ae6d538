import CensusLanguages
import Synchronization

/// A language's syntax compiled for the line counter: byte-class tables for each lexical mode and,
/// for every byte that can start a token, the tokens to try.
///
/// Each table maps a byte to one of five classes, so most bytes are dismissed with one load and one
/// comparison: plain text, whitespace, `\n`, `\r`, or *special* (the first byte of some token that
/// matters in that mode).
public final class CountingProgram: @unchecked Sendable {
    // Byte classes.
    static let plain: UInt8 = 0
    static let space: UInt8 = 1
    static let lineFeed: UInt8 = 2
    static let carriageReturn: UInt8 = 3
    static let special: UInt8 = 4

    /// How far past a position the counter may look to match a token (bytes).
    public static let lookahead = 128
    /// How far before a position the counter may look (raw string prefixes, comment boundaries).
    public static let lookbehind = 128

    struct Token {
        var start: Int32
        var count: Int32
    }

    enum ActionKind: UInt8 {
        case lineComment, blockOpen, stringOpen, heredoc, codeEscape, rawCpp, rawRust, rawSwift, charLiteral
        /// An opening or closing bracket, tracked for documentation-string rules.
        case bracketOpen, bracketClose
        /// A `/` that may open a regular-expression literal.
        case regex
        /// Python: `d`, `c` or `a`, which may begin `def`, `class` or `async`.
        case statementWord
    }

    struct Action {
        var kind: ActionKind
        var index: UInt16
    }

    struct Block {
        var open: Token
        var close: Token
        var nested: Bool
        var anchored: Bool
        var toEndOfFile: Bool
        var table: Int
    }

    struct StringForm {
        var open: Token
        var close: Token
        var escape: Int16  // -1 for none
        var multiline: Bool
        var doc: Bool
        /// A doubled close is an escaped quote (C#'s `@"a ""b"" c"`): for forms without escapes
        /// whose open differs from their close. (Where open equals close, closing and reopening
        /// classify the same, so nothing is needed.)
        var doubledCloseEscapes: Bool
        /// A close of three or more copies of one quote that also opens (`"""`): a run of more
        /// quotes closes on its last three (`"""He said "hi""""`).
        var closesOnLastQuotes: Bool
        /// The bytes that open an interpolation hole, if any (count 0 for none).
        var hole: Token
        /// The byte that closes the hole (`}` or `)`).
        var holeClose: UInt8
        /// A lone `{` opens the hole, so `{{` is a literal brace.
        var holeDoubles: Bool
        var table: Int
    }

    let syntax: LanguageSyntax
    /// All tables, 256 bytes each: code, end-of-line, raw, then one per block form and string form.
    let tables: UnsafeMutablePointer<UInt8>
    let tableCount: Int
    static let codeTable = 0
    static let endOfLineTable = 1
    static let rawTable = 2
    let tokenBytes: UnsafeMutablePointer<UInt8>
    struct LineComment {
        var token: Token
        var atLineStart: Bool
        var notBefore: [Token]
        var isWord: Bool
        var atColumnOne: Bool
    }

    let lineComments: [LineComment]
    let blocks: [Block]
    let strings: [StringForm]
    /// For each byte, the range of `actions` to try when that byte is special in code mode.
    let actionRanges: [Range<Int>]
    let actions: [Action]
    let heredocOperator: Token?
    let heredocAllowsTripleAngle: Bool
    let heredocAllowsSpace: Bool
    let commentNeedsBoundary: Bool
    let codeEscape: Int16
    /// Backslash-newline splices lines (C, C++): a `//` comment continues past one.
    let lineSplices: Bool
    /// Where documentation strings count as comments.
    let docRule: DocStringRule
    /// Python's rule needs the first word of each statement (`def`, `class`, `async`).
    let tracksStatements: Bool
    /// Some string form has interpolation holes: brackets are tracked in code to find a hole's end.
    let hasHoles: Bool
    /// Whether counting needs the checks of the rules few languages use (Python statements, holes,
    /// runs of closing quotes); the others run a loop without them.
    let usesExtendedRules: Bool
    /// True when no token can ever start: every non-blank line is code.
    let isTrivial: Bool

    /// Compiles `syntax`.
    public init(syntax: LanguageSyntax) {
        self.syntax = syntax
        var bytes: [UInt8] = []
        func token(_ s: String) -> Token {
            let t = Token(start: Int32(bytes.count), count: Int32(s.utf8.count))
            bytes.append(contentsOf: s.utf8)
            return t
        }
        lineComments = syntax.lineComments.map {
            LineComment(
                token: token($0.token), atLineStart: $0.atLineStart, notBefore: $0.notBefore.map(token),
                isWord: $0.isWord, atColumnOne: $0.atColumnOne)
        }
        var tableIndex = 3
        var blocks: [Block] = []
        for b in syntax.blockComments {
            blocks.append(
                Block(
                    open: token(b.open), close: token(b.close), nested: b.nested, anchored: b.anchored,
                    toEndOfFile: b.close.isEmpty, table: tableIndex))
            tableIndex += 1
        }
        var strings: [StringForm] = []
        for s in syntax.strings {
            strings.append(
                StringForm(
                    open: token(s.open), close: token(s.close), escape: s.escape.map { Int16($0) } ?? -1,
                    multiline: s.multiline, doc: s.isDocString,
                    doubledCloseEscapes: s.escape == nil && s.open != s.close && s.close.utf8.count == 1,
                    closesOnLastQuotes: s.open == s.close && s.close.utf8.count >= 3 && Set(s.close.utf8).count == 1,
                    hole: s.interpolation.map(token) ?? Token(start: 0, count: 0),
                    holeClose: s.interpolation?.utf8.last == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "}"),
                    holeDoubles: s.interpolation == "{",
                    table: tableIndex))
            tableIndex += 1
        }
        heredocOperator = syntax.heredoc.map(token)
        heredocAllowsTripleAngle = syntax.heredoc == "<<<"
        heredocAllowsSpace = syntax.heredocAllowsSpace
        commentNeedsBoundary = syntax.lineCommentNeedsBoundary
        codeEscape = syntax.codeEscape.map { Int16($0) } ?? -1
        lineSplices = syntax.lineSplices
        docRule = syntax.docStrings
        tracksStatements = syntax.docStrings == .python
        hasHoles = syntax.strings.contains { $0.interpolation != nil }
        usesExtendedRules =
            syntax.docStrings == .python || hasHoles
            || syntax.strings.contains { $0.open == $0.close && $0.close.utf8.count >= 3 && Set($0.close.utf8).count == 1 }
        self.blocks = blocks
        self.strings = strings
        tableCount = tableIndex

        let tokenStorage = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        tokenStorage.initialize(from: bytes, count: bytes.count)
        tokenBytes = tokenStorage

        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: tableIndex * 256)
        for t in 0 ..< tableIndex {
            for b in 0 ..< 256 { storage[t * 256 + b] = Self.baseClass(UInt8(b)) }
        }
        tables = storage
        func mark(_ table: Int, _ byte: UInt8) { storage[table * 256 + Int(byte)] = Self.special }
        func first(_ t: Token) -> UInt8 { bytes[Int(t.start)] }

        // Code mode: the first byte of every token that opens something.
        var perByte: [[(Action, Int)]] = Array(repeating: [], count: 256)  // action, token length
        for (k, c) in lineComments.enumerated() {
            perByte[Int(first(c.token))].append((Action(kind: .lineComment, index: UInt16(k)), Int(c.token.count)))
        }
        for (k, b) in blocks.enumerated() {
            perByte[Int(first(b.open))].append((Action(kind: .blockOpen, index: UInt16(k)), Int(b.open.count)))
        }
        for (k, s) in strings.enumerated() {
            perByte[Int(first(s.open))].append((Action(kind: .stringOpen, index: UInt16(k)), Int(s.open.count)))
        }
        // Raw string forms are recognised at their quote, looking back for the prefix; they are
        // tried before the plain string forms that open with the same quote.
        let quote = Int(UInt8(ascii: "\""))
        for form in syntax.rawStrings {
            let kind: ActionKind
            switch form {
            case .cpp: kind = .rawCpp
            case .rust: kind = .rawRust
            case .swift: kind = .rawSwift
            }
            perByte[quote].append((Action(kind: kind, index: 0), Int.max))
        }
        if let h = heredocOperator {
            perByte[Int(first(h))].append((Action(kind: .heredoc, index: 0), 0))
        }
        if codeEscape >= 0 {
            perByte[Int(codeEscape)].append((Action(kind: .codeEscape, index: 0), 0))
        }
        if syntax.charLiterals {
            perByte[Int(UInt8(ascii: "'"))].append((Action(kind: .charLiteral, index: 0), 0))
        }
        if syntax.docStrings == .python || syntax.docStrings == .statement || syntax.strings.contains(where: { $0.interpolation != nil }) {
            for b in "([{".utf8 { perByte[Int(b)].append((Action(kind: .bracketOpen, index: 0), 0)) }
            for b in ")]}".utf8 { perByte[Int(b)].append((Action(kind: .bracketClose, index: 0), 0)) }
        }
        if syntax.docStrings == .python {
            for b in "dca".utf8 { perByte[Int(b)].append((Action(kind: .statementWord, index: 0), 0)) }
        }
        if syntax.regexLiterals != nil {
            perByte[Int(UInt8(ascii: "/"))].append((Action(kind: .regex, index: 0), 1))
        }
        var ranges: [Range<Int>] = []
        var actions: [Action] = []
        for b in 0 ..< 256 {
            // Longest token first, so `"""` wins over `"` and `--[[` over `--`; stable otherwise.
            let sorted = perByte[b].enumerated().sorted {
                $0.element.1 != $1.element.1 ? $0.element.1 > $1.element.1 : $0.offset < $1.offset
            }.map(\.element.0)
            ranges.append(actions.count ..< actions.count + sorted.count)
            actions.append(contentsOf: sorted)
            if !sorted.isEmpty { mark(Self.codeTable, UInt8(b)) }
        }
        actionRanges = ranges
        self.actions = actions
        isTrivial = actions.isEmpty

        // Raw strings close on `)` (C++) or `"` (Rust, Swift).
        mark(Self.rawTable, UInt8(ascii: ")"))
        mark(Self.rawTable, UInt8(ascii: "\""))
        for b in blocks {
            if !b.toEndOfFile { mark(b.table, first(b.close)) }
            if b.nested { mark(b.table, first(b.open)) }
        }
        for s in strings {
            mark(s.table, first(s.close))
            if s.escape >= 0 { mark(s.table, UInt8(s.escape)) }
            if s.hole.count > 0 { mark(s.table, first(s.hole)) }
        }
    }

    deinit {
        tables.deallocate()
        tokenBytes.deallocate()
    }

    private static func baseClass(_ b: UInt8) -> UInt8 {
        switch b {
        case 0x0A: return lineFeed
        case 0x0D: return carriageReturn
        case 0x20, 0x09, 0x0B, 0x0C: return space
        default: return plain
        }
    }

    // MARK: - One program per language, compiled on first use

    private static let cache = Mutex<[CountingProgram?]>(Array(repeating: nil, count: LanguageTable.count))

    /// The compiled program for a language, built on first use and shared by all threads.
    public static func forLanguage(_ id: LanguageID) -> CountingProgram {
        cache.withLock { programs in
            if let p = programs[id.index] { return p }
            let p = CountingProgram(syntax: LanguageTable[id].syntax)
            programs[id.index] = p
            return p
        }
    }

    /// A program for languages without comments or strings: every non-blank line is code.
    public static let plainText = CountingProgram(syntax: LanguageSyntax())
}
