/// A token of go.mod and go.work syntax: where it is, never a copy of its text.
struct ModToken {
    enum Kind: UInt8 {
        case ident, string, leftParen, rightParen
        /// `[`, `]`, `{`, `}` or `,`.
        case punctuation
        case newline
        /// A `//` comment alone on its line (the newline is part of it).
        case lineComment
        /// A `//` comment after something else on its line (the newline is part of it).
        case suffixComment
        case endOfFile

        /// Whether the token ends a line: a newline, a suffix comment (which takes the newline
        /// with it) or the end of the file.
        var endsLine: Bool { self == .newline || self == .suffixComment || self == .endOfFile }
    }

    var kind: Kind
    /// The token's bytes; for comments without the trailing `\n` or `\r\n`.
    var range: Range<Int>
    var line: Int
    /// Offset of the first byte of the token's line, to count its column when one is needed.
    var lineStart: Int
    /// How many lexical errors the file had when the token was read: a statement whose last token
    /// shows more than its first had a lexical error on its line and is dropped.
    var errorCount: Int
    /// For an identifier, whether it contains `"`, `'` or a backquote (which the toolchain rejects).
    var containsQuote = false
}

/// The shared syntax of go.mod and go.work files, read as the Go toolchain reads it
/// (`golang.org/x/mod/modfile`): lines of tokens, `verb (` … `)` blocks, `//` comments attached
/// to the line they precede or end.
///
/// It hands out one statement at a time (`next()`), keeping tokens and comments in buffers reused
/// from line to line, so a file costs no allocation per line. Where the toolchain stops at the first
/// syntax error, this parser reports it, drops the line it is on, and goes on.
///
/// - Complexity: O(n) in the size of the file; one pass over the bytes.
struct ModFileSyntax {
    enum Event {
        /// A statement line: `tokens`, with `beforeComments`, `suffixComment` and `inBlock`.
        case line
        /// `verb (`: `blockHeader` and `blockComments` describe it; its lines follow, then `.blockEnd`.
        case blockStart
        case blockEnd
        case endOfFile
    }

    let bytes: UnsafeRawBufferPointer
    var log: DiagnosticLog

    // Lexer state.
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var tokenOnLine = false
    private var lexicalErrors = 0
    private var deliveredBlockLine = false
    private var lookahead: ModToken

    // Parser state.
    private(set) var inBlock = false
    private var closeEmptyBlock = false
    private var pendingComments: [Range<Int>] = []
    private var blockEntries = 0
    private var blockLastEntryBlank = false
    private var blockLines = 0

    /// The current line's tokens (verb first outside blocks).
    private(set) var tokens: [ModToken] = []
    /// The text ranges (starting at `//`) of the whole-line comments directly above the current line.
    private(set) var beforeComments: [Range<Int>] = []
    /// Whether anything, even only a blank line, separates the current block line from the previous
    /// one or the `(`; the toolchain then takes no comments for it from the block's header.
    private(set) var hasBeforeEntries = false
    /// The current line's end-of-line comment (starting at `//`).
    private(set) var suffixComment: Range<Int>?
    /// The header tokens of the current block (`require`), and the comments directly above it.
    private(set) var blockHeader: [ModToken] = []
    private(set) var blockComments: [Range<Int>] = []

    init(bytes: UnsafeRawBufferPointer, fileName: String) {
        self.bytes = bytes
        self.log = DiagnosticLog(fileName: fileName)
        self.lookahead = ModToken(kind: .endOfFile, range: 0..<0, line: 1, lineStart: 0, errorCount: 0)
        tokens.reserveCapacity(8)
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            report(.error, at: 0, lineStart: 0, line: 1, "unexpected byte order mark (U+FEFF) at the start of the file; the go command rejects it, remove it")
            index = 3
        }
        lookahead = scan()
    }

    // MARK: Positions and reports

    /// The location of byte `offset` on a line that starts at `lineStart`.
    func location(line: Int, lineStart: Int, offset: Int) -> GoSourceLocation {
        var column = 1
        var i = lineStart
        while i < offset {
            i += GoText.decodeRune(bytes, i, bytes.count).length
            column += 1
        }
        return GoSourceLocation(line: line, column: column)
    }

    func location(of token: ModToken) -> GoSourceLocation {
        location(line: token.line, lineStart: token.lineStart, offset: token.range.lowerBound)
    }

    mutating func report(_ severity: GoModulesDiagnostic.Severity, at token: ModToken, _ message: @autoclosure () -> String) {
        log.report(severity, at: location(of: token), message())
    }

    private mutating func report(_ severity: GoModulesDiagnostic.Severity, at offset: Int, lineStart: Int, line: Int, _ message: @autoclosure () -> String) {
        log.report(severity, at: location(line: line, lineStart: lineStart, offset: offset), message())
    }

    /// The bytes of a token.
    func text(_ token: ModToken) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[token.range])
    }

    // MARK: Lexer

    /// Skips the rest of the current line after a lexical error, so the newline ends the statement.
    private mutating func skipRestOfLine() {
        lexicalErrors += 1
        while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
    }

    private mutating func lexicalError(at offset: Int, _ message: String) {
        report(.error, at: offset, lineStart: lineStart, line: line, message)
        skipRestOfLine()
    }

    private func token(_ kind: ModToken.Kind, _ range: Range<Int>) -> ModToken {
        ModToken(kind: kind, range: range, line: line, lineStart: lineStart, errorCount: lexicalErrors)
    }

    private mutating func scan() -> ModToken {
        let n = bytes.count
        while true {
            while index < n {
                let b = bytes[index]
                guard b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") else { break }
                index += 1
            }
            if index == n { return token(.endOfFile, n..<n) }
            let start = index
            let b = bytes[index]
            if b == UInt8(ascii: "/") && index + 1 < n {
                if bytes[index + 1] == UInt8(ascii: "/") { return scanComment() }
                if bytes[index + 1] == UInt8(ascii: "*") {
                    lexicalError(at: start, "/* */ comment: go.mod and go.work files allow only // comments")
                    continue
                }
            }
            switch b {
            case UInt8(ascii: "\n"):
                let t = token(.newline, start..<start + 1)
                index += 1
                line += 1
                lineStart = index
                tokenOnLine = false
                return t
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"),
                UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: ","):
                index += 1
                tokenOnLine = true
                let kind: ModToken.Kind = b == UInt8(ascii: "(") ? .leftParen : b == UInt8(ascii: ")") ? .rightParen : .punctuation
                return token(kind, start..<index)
            case UInt8(ascii: "\""), UInt8(ascii: "`"):
                if let t = scanString(quote: b) { return t }
                continue
            default:
                if let t = scanIdent() { return t }
                continue
            }
        }
    }

    private mutating func scanComment() -> ModToken {
        let start = index
        let kind: ModToken.Kind = tokenOnLine ? .suffixComment : .lineComment
        let n = bytes.count
        var end = n
        var i = index + 2
        while i < n && bytes[i] != UInt8(ascii: "\n") { i += 1 }
        if i < n {
            end = i > start && bytes[i - 1] == UInt8(ascii: "\r") ? i - 1 : i
        }
        let t = token(kind, start..<end)
        if i < n {
            index = i + 1
            line += 1
            lineStart = index
        } else {
            index = n
        }
        tokenOnLine = false
        return t
    }

    /// A quoted string, `"…"` (with `\` escapes) or `` `…` `` (raw); nil after a reported error.
    private mutating func scanString(quote: UInt8) -> ModToken? {
        let start = index
        let startLine = line, startLineStart = lineStart
        let n = bytes.count
        index += 1
        while true {
            if index == n {
                report(.error, at: start, lineStart: startLineStart, line: startLine, "unterminated string: the file ends before its closing \(quote == UInt8(ascii: "`") ? "`" : "\"")")
                lexicalErrors += 1
                return nil
            }
            let c = bytes[index]
            if c == UInt8(ascii: "\n") {
                lexicalError(at: index, "unexpected newline in string: a string must close on the line it starts")
                return nil
            }
            index += 1
            if c == quote { break }
            if c == UInt8(ascii: "\\") && quote == UInt8(ascii: "\"") {
                if index == n {
                    report(.error, at: start, lineStart: startLineStart, line: startLine, "unterminated string: the file ends before its closing \"")
                    lexicalErrors += 1
                    return nil
                }
                // The escaped character is taken whatever it is, even a newline (strconv.Unquote
                // rejects that string later, as the toolchain does).
                if bytes[index] == UInt8(ascii: "\n") {
                    line += 1
                    lineStart = index + 1
                }
                index += 1
            }
        }
        tokenOnLine = true
        return ModToken(kind: .string, range: start..<index, line: startLine, lineStart: startLineStart, errorCount: lexicalErrors)
    }

    /// An identifier: a run of printable runes other than spaces and `( ) [ ] { } ,`, ending before
    /// `//`; nil after a reported error.
    private mutating func scanIdent() -> ModToken? {
        let start = index
        let n = bytes.count
        var quote = false
        while index < n {
            let c = bytes[index]
            if c < 0x80 {
                guard GoText.isIdentByte(c) else { break }
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "`") { quote = true }
                if c == UInt8(ascii: "/") && index + 1 < n {
                    let next = bytes[index + 1]
                    if next == UInt8(ascii: "/") { break }
                    if next == UInt8(ascii: "*") {
                        lexicalError(at: index, "/* */ comment: go.mod and go.work files allow only // comments")
                        return nil
                    }
                }
                index += 1
            } else {
                let (r, length) = GoText.decodeRune(bytes, index, n)
                guard GoText.isIdentNonASCII(r) else { break }
                index += length
            }
        }
        if index == start {
            let (r, _) = GoText.decodeRune(bytes, index, n)
            let hex = String(r, radix: 16, uppercase: true)
            let name = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            let what = r == 0xFEFF ? "\(name) (a byte order mark)" : r == GoText.replacementScalar ? "\(name)" : name
            lexicalError(at: index, "unexpected input character \(what); expected a directive, a module path, a version or a comment")
            return nil
        }
        tokenOnLine = true
        var t = token(.ident, start..<index)
        t.containsQuote = quote
        return t
    }

    @inline(__always)
    private mutating func take() -> ModToken {
        let t = lookahead
        if t.kind != .endOfFile { lookahead = scan() }
        return t
    }

    // MARK: Statements

    /// The next statement of the file.
    mutating func next() -> Event {
        if deliveredBlockLine {
            deliveredBlockLine = false
            beforeComments.removeAll(keepingCapacity: true)
        }
        while true {
            if closeEmptyBlock {
                closeEmptyBlock = false
                inBlock = false
                return .blockEnd
            }
            if inBlock {
                if let event = nextInBlock() { return event }
                continue
            }
            switch lookahead.kind {
            case .newline:
                _ = take()
                pendingComments.removeAll(keepingCapacity: true)
            case .lineComment, .suffixComment:
                pendingComments.append(take().range)
            case .endOfFile:
                return .endOfFile
            default:
                if let event = statement() { return event }
            }
        }
    }

    /// A top-level statement: a line, or the start of a block. Nil when the line was dropped.
    private mutating func statement() -> Event? {
        tokens.removeAll(keepingCapacity: true)
        let first = take()
        tokens.append(first)
        while true {
            let t = take()
            if t.kind.endsLine {
                suffixComment = t.kind == .suffixComment ? t.range : nil
                if t.errorCount != first.errorCount {
                    pendingComments.removeAll(keepingCapacity: true)
                    return nil
                }
                swap(&beforeComments, &pendingComments)
                pendingComments.removeAll(keepingCapacity: true)
                hasBeforeEntries = !beforeComments.isEmpty
                return .line
            }
            if t.kind == .leftParen {
                if lookahead.kind.endsLine {
                    // `verb (` and the end of the line: a block. A comment after the `(` belongs to
                    // the parenthesis, not to a directive.
                    if lookahead.kind != .endOfFile { _ = take() }
                    openBlock()
                    return .blockStart
                }
                if lookahead.kind == .rightParen {
                    let right = take()
                    if lookahead.kind.endsLine {
                        if lookahead.kind != .endOfFile { _ = take() }
                        openBlock()
                        closeEmptyBlock = true
                        return .blockStart
                    }
                    tokens.append(t)
                    tokens.append(right)
                    continue
                }
            }
            tokens.append(t)
        }
    }

    private mutating func openBlock() {
        swap(&blockHeader, &tokens)
        swap(&blockComments, &pendingComments)
        pendingComments.removeAll(keepingCapacity: true)
        beforeComments.removeAll(keepingCapacity: true)
        inBlock = true
        blockEntries = 0
        blockLastEntryBlank = false
        blockLines = 0
    }

    /// The next event inside a block; nil when a token was consumed without producing one.
    private mutating func nextInBlock() -> Event? {
        switch lookahead.kind {
        case .suffixComment:
            _ = take()
        case .newline:
            _ = take()
            if (blockEntries == 0 && blockLines > 0) || (blockEntries > 0 && !blockLastEntryBlank) {
                blockEntries += 1
                blockLastEntryBlank = true
            }
        case .lineComment:
            beforeComments.append(take().range)
            blockEntries += 1
            blockLastEntryBlank = false
        case .endOfFile:
            if let header = blockHeader.first {
                let opened = location(of: header)
                let verb = String(decoding: text(header), as: UTF8.self)
                report(.error, at: lookahead, "unterminated block: the file ends before the ')' that closes the \(GoText.quoted(verb)) block opened at \(opened)")
            }
            inBlock = false
            return .blockEnd
        case .rightParen:
            _ = take()
            if !lookahead.kind.endsLine {
                report(.error, at: lookahead, "unexpected text after ')': a block's closing parenthesis must end its line")
                while !lookahead.kind.endsLine { _ = take() }
            }
            if lookahead.kind != .endOfFile { _ = take() }
            inBlock = false
            beforeComments.removeAll(keepingCapacity: true)
            return .blockEnd
        default:
            tokens.removeAll(keepingCapacity: true)
            let first = take()
            tokens.append(first)
            while !lookahead.kind.endsLine { tokens.append(take()) }
            let end = take()
            suffixComment = end.kind == .suffixComment ? end.range : nil
            hasBeforeEntries = blockEntries > 0
            blockEntries = 0
            blockLastEntryBlank = false
            blockLines += 1
            if end.errorCount != first.errorCount {
                beforeComments.removeAll(keepingCapacity: true)
                return nil
            }
            deliveredBlockLine = true
            return .line
        }
        return nil
    }

    // MARK: Comment text

    /// The text of directive comments as the toolchain joins them for a `module` deprecation or a
    /// `retract` rationale: each comment without `//` and trimmed, one per line; the block's
    /// comments stand in when the line has none of its own.
    func directiveCommentText() -> [UInt8] {
        var ranges: [Range<Int>] = []
        if inBlock && !hasBeforeEntries && suffixComment == nil {
            ranges = blockComments
        } else {
            ranges = beforeComments
            if let suffixComment { ranges.append(suffixComment) }
        }
        var out: [UInt8] = []
        for (k, range) in ranges.enumerated() {
            if k > 0 { out.append(UInt8(ascii: "\n")) }
            let body = GoText.trimSpace(bytes, (range.lowerBound + 2)..<range.upperBound)
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[body]))
        }
        return out
    }

    /// Whether the current line ends in an `// indirect` comment as the toolchain recognises it:
    /// the comment's first word is `indirect` and it is the only word, or its first word is
    /// `indirect;` and more follows (`// indirect; for tests`). `// indirect;` alone, `//indirect x`
    /// or `// Indirect` are not.
    func isIndirect() -> Bool {
        guard let comment = suffixComment,
            let (field, more) = GoText.firstField(bytes, (comment.lowerBound + 2)..<comment.upperBound)
        else { return false }
        return more ? GoText.equals(bytes, field, "indirect;") : GoText.equals(bytes, field, "indirect")
    }
}
