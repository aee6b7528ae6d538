import CensusLanguages

/// Which copy of the counting loop runs (see ``LineCounter/consume(_:from:limit:end:isFinal:)``).
protocol CountingRules {
    /// Whether the loop checks for the rules only some languages use (Python statements,
    /// interpolation holes, runs of closing quotes).
    static var extended: Bool { get }
}

enum PlainRules: CountingRules {
    static var extended: Bool { false }
}

enum ExtendedRules: CountingRules {
    static var extended: Bool { true }
}

/// Counts code, comment and blank lines, streaming over a file's bytes.
///
/// One counter per thread, reused for every file: it owns small scratch buffers and allocates
/// nothing while counting. The rules are in docs/counting.md:
/// - a line is blank when it holds only whitespace, comment when it holds comment text (or comment
///   markers) and nothing else, code otherwise;
/// - `\n`, `\r\n` and a lone `\r` end lines; a last line without a line ending counts; a UTF-8 BOM
///   at the start is skipped; bytes need not be UTF-8.
///
/// Feed it in chunks with ``consume(_:from:limit:end:isFinal:)`` and read the result with
/// ``finish()``, or count a whole buffer with ``count(_:program:)``.
public final class LineCounter {
    // Lexical modes.
    private static let code: UInt8 = 0
    private static let lineComment: UInt8 = 1
    private static let block: UInt8 = 2
    private static let string: UInt8 = 3
    private static let raw: UInt8 = 4
    private static let heredoc: UInt8 = 5

    struct State {
        var mode: UInt8 = 0
        var kind = 0
        var depth = 0
        var hasCode = false
        var hasComment = false
        var lineStarted = false
        var doc = false
        var continued = false
        var pendingHeredoc = false
        var heredocStrip = false
        var closeCount = 0
        var terminatorCount = 0
        var atFileStart = true
        var counts = LineCounts()
    }

    /// State only a few languages use, kept out of ``State`` so the byte loops every language
    /// runs keep their registers.
    struct Extra {
        // Documentation-string rules (Python, Julia): open brackets, whether the current statement
        // goes on from an earlier line (brackets or a backslash), whether it began with `def`,
        // `class` or `async`, and whether a documentation string may stand next (at the top of the
        // module or of a body).
        var brackets = 0
        var continuing = false
        var headerKeyword = false
        var docAllowed = true
        // Interpolation holes: how many are open (their strings are on `holes`), and the brackets
        // open inside the innermost one.
        var holeCount = 0
        var holeDepth = 0
        // Whether `p[0]` of the buffer is the file's first byte (until the caller drops bytes from
        // the buffer's front): a look back that reaches it has reached the file's start.
        var fileStartInBuffer = true
    }

    private var state = State()
    private var extra = Extra()
    private var program: CountingProgram = .plainText
    /// The dynamic closing delimiter of the current raw string.
    private let close: UnsafeMutablePointer<UInt8>
    /// The terminator of the pending or current heredoc.
    private let terminator: UnsafeMutablePointer<UInt8>
    /// The strings around the open interpolation holes, innermost last: the string form's index,
    /// whether it was a documentation string, the brackets open in the enclosing hole.
    private let holes: UnsafeMutablePointer<(kind: Int32, doc: Bool, depth: Int32)>
    private static let scratchSize = 256
    private static let maximumTerminator = 64
    /// Holes nest at most this deep; deeper `${` are taken as string text.
    private static let maximumHoles = 32

    public init() {
        close = .allocate(capacity: Self.scratchSize)
        terminator = .allocate(capacity: Self.scratchSize)
        holes = .allocate(capacity: Self.maximumHoles)
    }

    deinit {
        close.deallocate()
        terminator.deallocate()
        holes.deallocate()
    }

    /// Starts counting a new file with `program`.
    public func begin(_ program: CountingProgram) {
        self.program = program
        state = State()
        extra = Extra()
    }

    /// Tells the counter that the buffer's first byte is no longer the file's first byte (the caller
    /// moved later bytes to the front). Until then, a look back that reaches `p[0]` has reached the
    /// file's start (Clojure: a `(defn` with only blanks before it starts its line).
    public func forgetFileStart() {
        extra.fileStartInBuffer = false
    }

    /// Ends the file: counts a last line that has no line ending, and returns the totals.
    public func finish() -> LineCounts {
        if state.lineStarted { Self.endLine(&state, stringEnds: true) }
        let counts = state.counts
        state = State()
        return counts
    }

    /// Counts a whole in-memory file.
    public func count(_ bytes: UnsafeRawBufferPointer, program: CountingProgram) -> LineCounts {
        begin(program)
        if let base = bytes.baseAddress, bytes.count > 0 {
            let p = base.assumingMemoryBound(to: UInt8.self)
            _ = consume(p, from: 0, limit: bytes.count, end: bytes.count, isFinal: true)
        }
        return finish()
    }

    /// Counts `[UInt8]` (tests, small blobs).
    public func count(_ bytes: [UInt8], program: CountingProgram) -> LineCounts {
        bytes.withUnsafeBytes { count($0, program: program) }
    }

    @inline(__always)
    private static func endLine(_ s: inout State, stringEnds: Bool) {
        if s.hasCode {
            s.counts.code += 1
        } else if s.hasComment {
            s.counts.comments += 1
        } else {
            s.counts.blanks += 1
        }
        s.hasCode = false
        s.hasComment = false
        s.lineStarted = false
        if s.mode == lineComment || (s.mode == string && stringEnds && !s.continued) { s.mode = code }
        s.continued = false
        if s.pendingHeredoc && s.mode == code {
            s.mode = heredoc
            s.pendingHeredoc = false
        }
    }

    /// The first index in `p[i ..< limit]` whose class in `table` is above ``CountingProgram/space``
    /// (a line end or a special byte), or `limit`: the run of plain and blank bytes every loop
    /// skips. Eight bytes at a time while eight remain: the classes are 0 (plain), 1 (space) and
    /// 2 or more, so the eight classes OR-ed together exceed 1 exactly when one of them does, and
    /// a block takes one test and one branch instead of eight.
    @inline(__always)
    private static func skipRun(_ p: UnsafePointer<UInt8>, from i: Int, limit: Int, _ table: UnsafePointer<UInt8>) -> Int {
        var q = p + i
        let stop = p + limit
        while stop - q >= 8 {
            let any = table[Int(q[0])] | table[Int(q[1])] | table[Int(q[2])] | table[Int(q[3])]
                | table[Int(q[4])] | table[Int(q[5])] | table[Int(q[6])] | table[Int(q[7])]
            if any > CountingProgram.space {
                // Which of the eight: the classes as the bytes of one word, the first byte
                // above 1 found without a branch per byte (whose exit the CPU would mispredict).
                var classes: UInt64 = 0
                for k in 0 ..< 8 { classes |= UInt64(table[Int(q[k])]) &<< UInt64(8 * k) }
                return q - p + (classes & 0xFEFE_FEFE_FEFE_FEFE).trailingZeroBitCount &>> 3
            }
            q += 8
        }
        while q < stop && table[Int(q.pointee)] <= CountingProgram.space { q += 1 }
        return q - p
    }

    @inline(__always)
    private static func isIdentifier(_ b: UInt8) -> Bool {
        (b | 0x20) &- 0x61 < 26 || b &- 0x30 < 10 || b == 0x5F || b >= 0x80
    }

    @inline(__always)
    private static func isBoundary(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x3B || b == 0x26 || b == 0x7C || b == 0x28 || b == 0x29 || b == 0x0C
            || b == 0x0B
    }

    /// Processes `p[from ..< limit]`, looking ahead at most up to `end` and back to `p[0]`.
    ///
    /// - Parameters:
    ///   - p: the buffer. Bytes before `from` (up to ``CountingProgram/lookbehind`` of them) must be
    ///     the file's bytes before `from`; `p[0]` is the file's first byte unless
    ///     ``forgetFileStart()`` was called since ``begin(_:)``.
    ///   - from: the first byte not yet processed.
    ///   - limit: process tokens that start before this index. Unless `isFinal`, `end - limit` must be
    ///     at least ``CountingProgram/lookahead``.
    ///   - end: the end of valid bytes.
    ///   - isFinal: whether `end` is the end of the file.
    /// - Returns: where processing stopped, at or after `limit` (a token that began before `limit`
    ///   may extend past it); resume there.
    /// - Complexity: O(`limit - from`), no allocation.
    public func consume(
        _ p: UnsafePointer<UInt8>, from: Int, limit: Int, end: Int, isFinal: Bool
    ) -> Int {
        // Two copies of the loop: most languages (C, Go, assembly…) need none of the rules of
        // issue 14 that cost a check per line or per string byte, and their copy has those checks
        // compiled out. The type parameter is a compile-time constant; nothing generic remains at
        // run time.
        program.usesExtendedRules
            ? consume(ExtendedRules.self, p, from: from, limit: limit, end: end, isFinal: isFinal)
            : consume(PlainRules.self, p, from: from, limit: limit, end: end, isFinal: isFinal)
    }

    @inline(__always)
    private func consume<Rules: CountingRules>(
        _: Rules.Type, _ p: UnsafePointer<UInt8>, from: Int, limit: Int, end: Int, isFinal: Bool
    ) -> Int {
        let prog = program
        let tables = prog.tables
        let codeTable = tables
        let eolTable = tables + 256
        let rawTable = tables + 512
        let tokens = prog.tokenBytes
        let actions = prog.actions
        let actionRanges = prog.actionRanges
        let blocks = prog.blocks
        let strings = prog.strings
        let lineComments = prog.lineComments
        let close = self.close
        let terminator = self.terminator
        var s = state
        var i = from

        @inline(__always) func matches(_ t: CountingProgram.Token, at i: Int) -> Bool {
            let n = Int(t.count)
            if i + n > end { return false }
            let start = Int(t.start)
            var k = 0
            while k < n {
                if p[i + k] != tokens[start + k] { return false }
                k += 1
            }
            return true
        }

        if s.atFileStart {
            s.atFileStart = false
            if end - i >= 3 && p[i] == 0xEF && p[i + 1] == 0xBB && p[i + 2] == 0xBF { i += 3 }
            // A `#!` first line tells the system how to run the file: code, not a comment.
            if end - i >= 2 && p[i] == UInt8(ascii: "#") && p[i + 1] == UInt8(ascii: "!") { s.hasCode = true }
        }

        while i < limit {
            switch s.mode {
            case Self.code:
                // Plain text and whitespace are dismissed here; anything else breaks out.
                while i < limit {
                    let c = codeTable[Int(p[i])]
                    if c == CountingProgram.plain {
                        s.hasCode = true
                        s.lineStarted = true
                        i += 1
                        i = Self.skipRun(p, from: i, limit: limit, codeTable)
                    } else if c == CountingProgram.space {
                        s.lineStarted = true
                        i += 1
                    } else {
                        break
                    }
                }
                if i >= limit { break }
                let b = p[i]
                let c = codeTable[Int(b)]
                if c == CountingProgram.lineFeed {
                    if Rules.extended && prog.tracksStatements { Self.endPythonLine(hasCode: s.hasCode, &extra, p, before: i) }
                    Self.endLine(&s, stringEnds: true)
                    i += 1
                    continue
                }
                if c == CountingProgram.carriageReturn {
                    if Rules.extended && prog.tracksStatements { Self.endPythonLine(hasCode: s.hasCode, &extra, p, before: i) }
                    Self.endLine(&s, stringEnds: true)
                    i += 1
                    if i < end && p[i] == 0x0A { i += 1 }
                    continue
                }
                // A special byte: try the tokens that start with it, longest first.
                var matched = false
                actionLoop: for a in actionRanges[Int(b)] {
                    let action = actions[a]
                    let k = Int(action.index)
                    switch action.kind {
                    case .lineComment:
                        let c = lineComments[k]
                        let t = c.token
                        if matches(t, at: i)
                            && (!c.atLineStart || (!s.hasCode && !s.hasComment))
                            && (!c.atColumnOne || !s.lineStarted)
                            && (!c.isWord || Self.isWord(p, at: i, count: Int(t.count), end: end))
                            && (!prog.commentNeedsBoundary || !s.lineStarted || i == 0 || Self.isBoundary(p[i - 1]))
                            && (c.notBefore.isEmpty || !Self.followedBy(c.notBefore, p, at: i + Int(t.count), end: end, matches))
                        {
                            if Rules.extended && prog.tracksStatements { Self.endPythonLine(hasCode: s.hasCode, &extra, p, before: i) }
                            s.hasComment = true
                            s.lineStarted = true
                            s.mode = Self.lineComment
                            i += Int(t.count)
                            matched = true
                            break actionLoop
                        }
                    case .blockOpen:
                        let bl = blocks[k]
                        if (!bl.anchored || !s.lineStarted) && matches(bl.open, at: i) {
                            s.hasComment = true
                            s.lineStarted = true
                            s.mode = Self.block
                            s.kind = k
                            s.depth = 1
                            i += Int(bl.open.count)
                            matched = true
                            break actionLoop
                        }
                    case .stringOpen:
                        let form = strings[k]
                        if matches(form.open, at: i) {
                            // (The state is passed by value: a helper that took it `inout` would keep
                            // it out of registers in every language's loops.)
                            let doc = form.doc ? Self.opensDocString(prog.docRule, hasCode: s.hasCode, &extra, p, at: i) : .no
                            if doc == .clearingCode { s.hasCode = false }
                            if doc != .no {
                                s.doc = true
                                s.hasComment = true
                            } else {
                                s.doc = false
                                s.hasCode = true
                            }
                            s.lineStarted = true
                            s.mode = Self.string
                            s.kind = k
                            s.continued = false
                            i += Int(form.open.count)
                            matched = true
                            break actionLoop
                        }
                    case .heredoc:
                        if let next = parseHeredoc(p, at: i, end: end, state: &s) {
                            s.hasCode = true
                            s.lineStarted = true
                            i = next
                            matched = true
                            break actionLoop
                        }
                    case .codeEscape:
                        s.hasCode = true
                        s.lineStarted = true
                        i += 1
                        if i < end && p[i] != 0x0A && p[i] != 0x0D { i += 1 }
                        matched = true
                        break actionLoop
                    case .rawCpp, .rawRust, .rawSwift:
                        if let next = parseRawString(action.kind, p, at: i, end: end, state: &s) {
                            s.hasCode = true
                            s.lineStarted = true
                            s.mode = Self.raw
                            i = next
                            matched = true
                            break actionLoop
                        }
                    case .charLiteral:
                        if let next = Self.charLiteralEnd(p, at: i, end: end) {
                            s.hasCode = true
                            s.lineStarted = true
                            i = next
                            matched = true
                            break actionLoop
                        }
                    case .statementWord, .bracketOpen, .bracketClose:
                        // Rare bytes of a few languages (Python's `def`, brackets in languages with
                        // holes or docstring rules), handled out of line to keep this loop small.
                        rareByte(action.kind, b, p, at: i, end: end, state: &s)
                        i += 1
                        matched = true
                        break actionLoop
                    case .regex:
                        if let next = Self.regexLiteralEnd(p, at: i, end: min(end, i + CountingProgram.lookahead)) {
                            s.hasCode = true
                            s.lineStarted = true
                            i = next
                            matched = true
                            break actionLoop
                        }
                    }
                }
                if !matched {
                    if !(b == 0x20 || b == 0x09 || b == 0x0B || b == 0x0C) { s.hasCode = true }
                    s.lineStarted = true
                    i += 1
                }

            case Self.lineComment:
                if !s.hasComment {
                    // A line spliced onto a `//` comment: comment if it holds anything but blanks.
                    while i < limit && eolTable[Int(p[i])] < CountingProgram.lineFeed {
                        if eolTable[Int(p[i])] == CountingProgram.plain { s.hasComment = true }
                        s.lineStarted = true
                        i += 1
                    }
                }
                i = Self.skipRun(p, from: i, limit: limit, eolTable)
                if i >= limit { break }
                let crlf = p[i] == 0x0D
                // C and C++ splice a line ending in a backslash to the next before comments are
                // seen: `// a \` comments out the next line too.
                let spliced = prog.lineSplices && i > 0 && p[i - 1] == 0x5C
                Self.endLine(&s, stringEnds: true)
                if spliced { s.mode = Self.lineComment }
                i += 1
                if crlf && i < end && p[i] == 0x0A { i += 1 }

            case Self.block:
                let bl = blocks[s.kind]
                let table = tables + bl.table * 256
                // A moving pointer rather than `p[i]`: fewer values live in this loop, which the
                // compiler otherwise ran with the buffer pointer reloaded from the stack per byte.
                var q = p + i
                let stop = p + limit
                while q < stop {
                    let c = table[Int(q.pointee)]
                    if c == CountingProgram.plain {
                        s.hasComment = true
                        s.lineStarted = true
                        q += 1
                        q = p + Self.skipRun(p, from: q - p, limit: limit, table)
                    } else if c == CountingProgram.space {
                        s.lineStarted = true
                        q += 1
                    } else {
                        break
                    }
                }
                i = q - p
                if i >= limit { break }
                let c = table[Int(p[i])]
                if c == CountingProgram.lineFeed || c == CountingProgram.carriageReturn {
                    Self.endLine(&s, stringEnds: true)
                    i += 1
                    if c == CountingProgram.carriageReturn && i < end && p[i] == 0x0A { i += 1 }
                    continue
                }
                if !bl.toEndOfFile && (!bl.anchored || !s.lineStarted) && matches(bl.close, at: i) {
                    s.hasComment = true
                    s.lineStarted = true
                    i += Int(bl.close.count)
                    s.depth -= 1
                    if s.depth == 0 { s.mode = bl.anchored ? Self.lineComment : Self.code }
                    continue
                }
                if bl.nested && matches(bl.open, at: i) {
                    s.hasComment = true
                    s.lineStarted = true
                    i += Int(bl.open.count)
                    s.depth += 1
                    continue
                }
                let b = p[i]
                if !(b == 0x20 || b == 0x09 || b == 0x0B || b == 0x0C) { s.hasComment = true }
                s.lineStarted = true
                i += 1

            case Self.string:
                let form = strings[s.kind]
                let table = tables + form.table * 256
                let doc = s.doc
                while i < limit {
                    let c = table[Int(p[i])]
                    if c == CountingProgram.plain {
                        if doc { s.hasComment = true } else { s.hasCode = true }
                        s.lineStarted = true
                        i += 1
                        i = Self.skipRun(p, from: i, limit: limit, table)
                    } else if c == CountingProgram.space {
                        s.lineStarted = true
                        i += 1
                    } else {
                        break
                    }
                }
                if i >= limit { break }
                let b = p[i]
                let c = table[Int(b)]
                if c == CountingProgram.lineFeed || c == CountingProgram.carriageReturn {
                    Self.endLine(&s, stringEnds: !form.multiline)
                    i += 1
                    if c == CountingProgram.carriageReturn && i < end && p[i] == 0x0A { i += 1 }
                    continue
                }
                if Rules.extended && form.hole.count > 0, let next = openHole(form, p, at: i, end: end, state: &s) {
                    i = next
                    continue
                }
                if doc { s.hasComment = true } else { s.hasCode = true }
                s.lineStarted = true
                if Int16(b) == form.escape {
                    i += 1
                    if i < end {
                        if p[i] == 0x0A || p[i] == 0x0D { s.continued = true } else { i += 1 }
                    }
                    continue
                }
                if matches(form.close, at: i) {
                    if form.doubledCloseEscapes && matches(form.close, at: i + 1) {
                        i += 2
                        continue
                    }
                    if Rules.extended && form.closesOnLastQuotes {
                        i = Self.lastQuotes(form, p, at: i, end: end)
                        // The run of quotes reaches the end of what is read: more may follow, and the
                        // string closes on the last three of the whole run. The quotes so far are
                        // its content; the close is looked for again once more is read.
                        if i + Int(form.close.count) >= end && !isFinal { continue }
                    }
                    i += Int(form.close.count)
                    s.mode = Self.code
                    continue
                }
                i += 1

            case Self.raw:
                while i < limit {
                    let c = rawTable[Int(p[i])]
                    if c == CountingProgram.plain {
                        s.hasCode = true
                        s.lineStarted = true
                        i += 1
                        i = Self.skipRun(p, from: i, limit: limit, rawTable)
                    } else if c == CountingProgram.space {
                        s.lineStarted = true
                        i += 1
                    } else {
                        break
                    }
                }
                if i >= limit { break }
                let c = rawTable[Int(p[i])]
                if c == CountingProgram.lineFeed || c == CountingProgram.carriageReturn {
                    Self.endLine(&s, stringEnds: false)
                    i += 1
                    if c == CountingProgram.carriageReturn && i < end && p[i] == 0x0A { i += 1 }
                    continue
                }
                s.hasCode = true
                s.lineStarted = true
                let n = s.closeCount
                if i + n <= end && (0 ..< n).allSatisfy({ p[i + $0] == close[$0] }) {
                    i += n
                    s.mode = Self.code
                } else {
                    i += 1
                }

            case Self.heredoc:
                if !s.lineStarted {
                    // Is this line the terminator?
                    var j = i
                    if s.heredocStrip { while j < end && (p[j] == 0x20 || p[j] == 0x09) { j += 1 } }
                    let n = s.terminatorCount
                    if j + n <= end && (0 ..< n).allSatisfy({ p[j + $0] == terminator[$0] }) {
                        let k = j + n
                        // Shells, Perl and Ruby end a heredoc on a line holding only the word;
                        // PHP (`<<<`) also allows code after it (`EOT;`).
                        let terminates =
                            (k == end && isFinal)
                            || (k < end
                                && (p[k] == 0x0A || p[k] == 0x0D
                                    || (prog.heredocAllowsTripleAngle && !Self.isIdentifier(p[k]))))
                        if terminates {
                            s.hasCode = true
                            s.lineStarted = true
                            s.mode = Self.code
                            i = k
                            continue
                        }
                    }
                }
                while i < limit {
                    let c = eolTable[Int(p[i])]
                    if c == CountingProgram.plain {
                        s.hasCode = true
                        s.lineStarted = true
                        i += 1
                    } else if c == CountingProgram.space {
                        s.lineStarted = true
                        i += 1
                    } else {
                        break
                    }
                }
                if i >= limit { break }
                let crlf = p[i] == 0x0D
                Self.endLine(&s, stringEnds: false)
                i += 1
                if crlf && i < end && p[i] == 0x0A { i += 1 }

            default:
                i = limit
            }
        }
        state = s
        return i
    }

    /// `d`, `c`, `a` (Python) and brackets (languages with holes or docstring rules): the byte at
    /// `i` is code; it may begin a `def`/`class` header, close an interpolation hole (back into its
    /// string), or change the bracket depth.
    @inline(never)
    private func rareByte(
        _ kind: CountingProgram.ActionKind, _ b: UInt8, _ p: UnsafePointer<UInt8>, at i: Int, end: Int, state s: inout State
    ) {
        let hadCode = s.hasCode
        s.hasCode = true
        s.lineStarted = true
        if kind == .statementWord {
            if !hadCode && !extra.continuing { extra.headerKeyword = Self.isHeaderWord(p, at: i, end: end) }
            return
        }
        if extra.holeCount > 0 {
            if kind == .bracketOpen {
                extra.holeDepth += 1
            } else if extra.holeDepth > 0 {
                extra.holeDepth -= 1
            } else if b == program.strings[Int(holes[extra.holeCount - 1].kind)].holeClose {
                // The hole ends: back into its string.
                extra.holeCount -= 1
                let outer = holes[extra.holeCount]
                s.mode = Self.string
                s.kind = Int(outer.kind)
                s.doc = outer.doc
                extra.holeDepth = Int(outer.depth)
                return
            }
        }
        extra.brackets = kind == .bracketOpen ? extra.brackets + 1 : max(0, extra.brackets - 1)
    }

    /// In a string with holes, at the hole's first byte: where counting goes on, in code inside the
    /// hole, or `nil` when no hole opens (`{{` is a brace and is skipped).
    @inline(never)
    private func openHole(_ form: CountingProgram.StringForm, _ p: UnsafePointer<UInt8>, at i: Int, end: Int, state s: inout State) -> Int? {
        let n = Int(form.hole.count)
        guard i + n <= end else { return nil }
        for k in 0 ..< n where p[i + k] != program.tokenBytes[Int(form.hole.start) + k] { return nil }
        if s.doc { s.hasComment = true } else { s.hasCode = true }
        s.lineStarted = true
        if form.holeDoubles && i + 1 < end && p[i + 1] == p[i] { return i + 2 }
        guard extra.holeCount < Self.maximumHoles else { return nil }
        holes[extra.holeCount] = (kind: Int32(s.kind), doc: s.doc, depth: Int32(extra.holeDepth))
        extra.holeCount += 1
        extra.holeDepth = 0
        s.hasCode = true
        s.mode = Self.code
        return i + n
    }

    /// At a close of repeated quotes followed by more of them: the position of the last full close.
    @inline(never)
    private static func lastQuotes(_ form: CountingProgram.StringForm, _ p: UnsafePointer<UInt8>, at i: Int, end: Int) -> Int {
        var i = i
        let n = Int(form.close.count)
        while i + n < end && p[i + n] == p[i] { i += 1 }
        return i
    }

    /// Whether the token at `i` stands as a word: no identifier byte right before or after it.
    @inline(__always)
    private static func isWord(_ p: UnsafePointer<UInt8>, at i: Int, count: Int, end: Int) -> Bool {
        (i == 0 || !isIdentifier(p[i - 1])) && (i + count >= end || !isIdentifier(p[i + count]))
    }

    /// The last byte before `i` on its line that is not a blank, or 0 when there is none (looking
    /// back at most ``CountingProgram/lookbehind`` bytes).
    private static func lastCodeByte(_ p: UnsafePointer<UInt8>, before i: Int) -> UInt8 {
        var j = i - 1
        let stop = max(0, i - CountingProgram.lookbehind)
        while j >= stop {
            let b = p[j]
            if b == 0x0A || b == 0x0D { return 0 }
            if !(b == 0x20 || b == 0x09 || b == 0x0B || b == 0x0C) { return b }
            j -= 1
        }
        return 0
    }

    /// Python: whether the word at `i` is `def`, `class` or `async`.
    @inline(never)
    private static func isHeaderWord(_ p: UnsafePointer<UInt8>, at i: Int, end: Int) -> Bool {
        var j = i
        while j < end && j - i < 6 && isIdentifier(p[j]) { j += 1 }
        return wordIndex(headerKeywords, p, from: i, count: j - i) != nil
    }

    private static let headerKeywords: [StaticString] = ["def", "class", "async"]
    private static let elixirDocAttributes: [StaticString] = ["@doc", "@moduledoc", "@typedoc"]

    /// Python: at the end of a line's code (its line ending, or where a comment starts). A line
    /// without code changes nothing; inside brackets or after a backslash the statement goes on;
    /// otherwise it ends, and a documentation string may stand next only after a `def`, `class`
    /// or `async def` header that ends in `:`.
    @inline(never)
    private static func endPythonLine(hasCode: Bool, _ x: inout Extra, _ p: UnsafePointer<UInt8>, before i: Int) {
        guard hasCode else { return }
        let last = lastCodeByte(p, before: i)
        // A `#!` line is code with nothing before its `#`: it starts no statement.
        if last == 0 && !x.continuing && x.brackets == 0 { return }
        if x.brackets > 0 || last == 0x5C {
            x.continuing = true
            return
        }
        x.docAllowed = x.headerKeyword && last == UInt8(ascii: ":")
        x.headerKeyword = false
        x.continuing = false
    }

    /// Whether a documentation-string form opening at `i` is documentation under `rule`.
    @inline(never)
    private static func opensDocString(
        _ rule: DocStringRule, hasCode: Bool, _ x: inout Extra, _ p: UnsafePointer<UInt8>, at i: Int
    ) -> DocStringStart {
        switch rule {
        case .lineStart:
            return hasCode ? .no : .yes
        case .python:
            let doc = !hasCode && !x.continuing && x.brackets == 0 && x.docAllowed
            if doc { x.docAllowed = false }
            return doc ? .yes : .no
        case .statement:
            return !hasCode && x.brackets == 0 ? .yes : .no
        case .elixir:
            // `@doc """`, `@moduledoc ~S"""`, `@typedoc """` with nothing else before on the line.
            var j = i - 1
            let stop = max(0, i - CountingProgram.lookbehind)
            if j - 1 >= stop && p[j - 1] == UInt8(ascii: "~") && (p[j] | 0x20) == UInt8(ascii: "s") { j -= 2 }
            var blanks = 0
            while j >= stop && (p[j] == 0x20 || p[j] == 0x09) { j -= 1; blanks += 1 }
            guard blanks > 0 else { return .no }
            var found = false
            for word in elixirDocAttributes {
                let n = word.utf8CodeUnitCount
                let start = j - n + 1
                guard start >= stop else { continue }
                var same = true
                for k in 0 ..< n where p[start + k] != word.utf8Start[k] { same = false }
                if same {
                    var b = start - 1
                    while b >= stop && (p[b] == 0x20 || p[b] == 0x09) { b -= 1 }
                    if b < stop || p[b] == 0x0A || p[b] == 0x0D { found = true }
                }
            }
            return found ? .clearingCode : .no
        case .clojure:
            return clojureDocString(p, at: i, fileStartInBuffer: x.fileStartInBuffer) ? .yes : .no
        }
    }

    /// Whether a documentation string opens, and whether the code before it on its line (Elixir's
    /// `@doc`) is part of it.
    enum DocStringStart { case no, yes, clearingCode }

    private static let clojureDefiners: [StaticString] = ["(defn", "(defn-", "(defmacro", "(defmulti", "(defprotocol", "(ns"]

    /// Whether a Clojure symbol can hold this byte.
    @inline(__always)
    private static func isSymbolByte(_ b: UInt8) -> Bool {
        !(b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x28 || b == 0x29 || b == 0x5B || b == 0x5D
            || b == 0x7B || b == 0x7D || b == 0x22 || b == 0x3B || b == 0x2C)
    }

    /// Clojure: whether the string at `i` follows `(defn name` (on its line, or alone on the line
    /// before, with the string first on its own line). Looks back at most
    /// ``CountingProgram/lookbehind`` bytes; reaching `p[0]` is reaching the file's start only while
    /// the buffer still holds it (a streamed count whose window starts at `p[0]` after dropping
    /// history counted such strings as documentation where the whole count did not: found by
    /// fuzzing).
    private static func clojureDocString(_ p: UnsafePointer<UInt8>, at i: Int, fileStartInBuffer: Bool) -> Bool {
        let stop = max(0, i - CountingProgram.lookbehind)
        var j = i - 1
        while j >= stop && (p[j] == 0x20 || p[j] == 0x09 || p[j] == 0x2C) { j -= 1 }
        if j < stop { return false }
        if p[j] == 0x0A || p[j] == 0x0D {
            // First on its line: the line before must be exactly `(defn name`.
            if p[j] == 0x0A && j - 1 >= stop && p[j - 1] == 0x0D { j -= 1 }
            j -= 1
            while j >= stop && (p[j] == 0x20 || p[j] == 0x09 || p[j] == 0x2C) { j -= 1 }
            guard j >= stop, p[j] != 0x0A, p[j] != 0x0D else { return false }
            guard let start = definerBefore(p, symbolEnd: j, stop: stop) else { return false }
            var b = start - 1
            while b >= stop && (p[b] == 0x20 || p[b] == 0x09) { b -= 1 }
            return b < stop ? (stop == 0 && fileStartInBuffer) : (p[b] == 0x0A || p[b] == 0x0D)
        }
        return definerBefore(p, symbolEnd: j, stop: stop) != nil
    }

    /// With a symbol ending at `symbolEnd`: the position of the `(defn`-like word before it, if any.
    private static func definerBefore(_ p: UnsafePointer<UInt8>, symbolEnd: Int, stop: Int) -> Int? {
        var j = symbolEnd
        guard isSymbolByte(p[j]) else { return nil }
        while j >= stop && isSymbolByte(p[j]) { j -= 1 }
        guard j >= stop, p[j] == 0x20 || p[j] == 0x09 else { return nil }
        while j >= stop && (p[j] == 0x20 || p[j] == 0x09) { j -= 1 }
        guard j >= stop else { return nil }
        let wordEnd = j
        while j >= stop && p[j] != 0x28 && isSymbolByte(p[j]) { j -= 1 }
        guard j >= stop, p[j] == 0x28 else { return nil }
        return wordIndex(clojureDefiners, p, from: j, count: wordEnd - j + 1) != nil ? j : nil
    }

    /// Words after which a `/` starts an expression (so a regular expression) rather than dividing.
    private static let regexKeywords: [StaticString] = [
        "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else",
        "yield", "await", "and", "or", "not", "if", "unless", "while", "until", "when", "split", "grep",
        "map", "m", "qr", "s", "tr", "y",
    ]
    /// The last words of ``regexKeywords``: Perl's quote-like operators (the last three substitute).
    private static let perlQuoteOperators = 5

    /// The index of the word `p[from ..< from + count]` in `words`, if it is one of them.
    private static func wordIndex(_ words: [StaticString], _ p: UnsafePointer<UInt8>, from: Int, count: Int) -> Int? {
        for (index, word) in words.enumerated() where word.utf8CodeUnitCount == count {
            var same = true
            for x in 0 ..< count where p[from + x] != word.utf8Start[x] { same = false }
            if same { return index }
        }
        return nil
    }

    /// At a `/` that is not a comment: the end of a regular-expression literal opening there, or
    /// `nil` when the `/` divides (after an identifier, a number, a closing bracket or a string)
    /// or no closing `/` follows on the line within `end`. Perl's `s/…/…/`, `tr/…/…/` and
    /// `y/…/…/` take two parts.
    @inline(never)
    private static func regexLiteralEnd(_ p: UnsafePointer<UInt8>, at i: Int, end: Int) -> Int? {
        var j = i - 1
        let stop = max(0, i - CountingProgram.lookbehind)
        while j >= stop && (p[j] == 0x20 || p[j] == 0x09) { j -= 1 }
        var parts = 1
        if j >= stop && p[j] != 0x0A && p[j] != 0x0D {
            let b = p[j]
            if isIdentifier(b) {
                var w = j
                while w - 1 >= stop && isIdentifier(p[w - 1]) { w -= 1 }
                if w - 1 >= stop && (p[w - 1] == UInt8(ascii: "$") || p[w - 1] == UInt8(ascii: "@") || p[w - 1] == UInt8(ascii: ".")) { return nil }
                guard let k = Self.wordIndex(regexKeywords, p, from: w, count: j - w + 1) else { return nil }
                if k >= regexKeywords.count - perlQuoteOperators {
                    // Perl's quote-like operators touch their delimiter: `s/a/b/`, not `s /a/`;
                    // `s`, `tr` and `y` take two parts.
                    guard j == i - 1 else { return nil }
                    if k >= regexKeywords.count - 3 { parts = 2 }
                }
            } else if b == UInt8(ascii: ")") || b == UInt8(ascii: "]") || b == UInt8(ascii: "}")
                || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") || b == UInt8(ascii: "`") || b == UInt8(ascii: "<")
            {
                return nil
            }
        }
        var k = i + 1
        var inClass = false
        while k < end {
            let b = p[k]
            if b == 0x0A || b == 0x0D { return nil }
            if b == 0x5C {
                // An escaped line end does not continue the literal onto the next line: `/\` LF `/`
                // is two lines (found by fuzzing).
                if k + 1 < end && (p[k + 1] == 0x0A || p[k + 1] == 0x0D) { return nil }
                k += 2
                continue
            }
            if inClass {
                if b == UInt8(ascii: "]") { inClass = false }
            } else if b == UInt8(ascii: "[") {
                inClass = true
            } else if b == UInt8(ascii: "/") {
                parts -= 1
                if parts == 0 {
                    k += 1
                    while k < end && (p[k] | 0x20) &- 0x61 < 26 { k += 1 }
                    return k
                }
            }
            k += 1
        }
        return nil
    }

    /// Whether one of `tokens` follows position `i`, after optional blanks (`#  define`).
    @inline(__always)
    private static func followedBy(
        _ tokens: [CountingProgram.Token], _ p: UnsafePointer<UInt8>, at i: Int, end: Int,
        _ matches: (CountingProgram.Token, Int) -> Bool
    ) -> Bool {
        var j = i
        while j < end && (p[j] == 0x20 || p[j] == 0x09) { j += 1 }
        return tokens.contains { matches($0, j) }
    }

    /// After a `'`: the end of a character literal (`'x'`, `'\n'`, `'\u{1F600}'`, Rust's `b'x'`),
    /// or `nil` when the quote is a lifetime, a type variable or a prime.
    @inline(__always)
    private static func charLiteralEnd(_ p: UnsafePointer<UInt8>, at i: Int, end: Int) -> Int? {
        if i > 0 && isIdentifier(p[i - 1]) {
            // Only Rust's byte literal prefix `b'` may touch an identifier character.
            guard p[i - 1] == UInt8(ascii: "b"), i < 2 || !isIdentifier(p[i - 2]) else { return nil }
        }
        guard i + 2 < end else { return nil }
        let first = p[i + 1]
        if first == 0x5C {  // backslash: an escape sequence up to a closing quote on this line
            // The escaped byte itself may not be a line end either: `'\` CR `x'` is two lines (found by fuzzing).
            if p[i + 2] == 0x0A || p[i + 2] == 0x0D { return nil }
            var j = i + 3
            let stop = min(end, i + 16)
            while j < stop {
                if p[j] == 0x27 { return j + 1 }
                if p[j] == 0x0A || p[j] == 0x0D { return nil }
                j += 1
            }
            return nil
        }
        if first == 0x27 || first == 0x0A || first == 0x0D { return nil }
        let length: Int
        switch first {
        case 0xC0 ... 0xDF: length = 2
        case 0xE0 ... 0xEF: length = 3
        case 0xF0 ... 0xF7: length = 4
        default: length = 1
        }
        let closing = i + 1 + length
        guard closing < end && p[closing] == 0x27 else { return nil }
        // A multi-byte character only when its continuation bytes are continuation bytes: `'\xEC'\r'`
        // is a quote, a stray byte, a quote and a line end, not a 3-byte character (found by fuzzing).
        var k = i + 2
        while k < closing {
            if p[k] & 0xC0 != 0x80 { return nil }
            k += 1
        }
        return closing + 1
    }

    /// At a `"`: whether a raw string opens here (looking back for its prefix), and if so, where its
    /// content starts; stores its closing delimiter.
    private func parseRawString(
        _ kind: CountingProgram.ActionKind, _ p: UnsafePointer<UInt8>, at i: Int, end: Int, state s: inout State
    ) -> Int? {
        let lowest = 0
        switch kind {
        case .rawCpp:
            // R"delim( … )delim", with an optional u8, u, U or L before the R.
            guard i - 1 >= lowest, p[i - 1] == UInt8(ascii: "R") else { return nil }
            var k = i - 1
            if k - 2 >= lowest && p[k - 2] == UInt8(ascii: "u") && p[k - 1] == UInt8(ascii: "8") {
                k -= 2
            } else if k - 1 >= lowest && (p[k - 1] == UInt8(ascii: "u") || p[k - 1] == UInt8(ascii: "U") || p[k - 1] == UInt8(ascii: "L")) {
                k -= 1
            }
            if k > lowest && Self.isIdentifier(p[k - 1]) { return nil }
            var j = i + 1
            while j < end && j - (i + 1) <= 16 {
                let b = p[j]
                if b == UInt8(ascii: "(") {
                    let delimiter = j - (i + 1)
                    close[0] = UInt8(ascii: ")")
                    for d in 0 ..< delimiter { close[1 + d] = p[i + 1 + d] }
                    close[1 + delimiter] = UInt8(ascii: "\"")
                    s.closeCount = delimiter + 2
                    return j + 1
                }
                if b == 0x20 || b == UInt8(ascii: ")") || b == 0x5C || b < 0x20 || b == UInt8(ascii: "\"") { return nil }
                j += 1
            }
            return nil
        case .rawRust:
            // r"…", r#"…"#, br"…", cr#"…"#
            var k = i - 1
            var hashes = 0
            while k >= lowest && p[k] == UInt8(ascii: "#") && hashes < 100 {
                hashes += 1
                k -= 1
            }
            guard k >= lowest, p[k] == UInt8(ascii: "r") else { return nil }
            if k - 1 >= lowest && (p[k - 1] == UInt8(ascii: "b") || p[k - 1] == UInt8(ascii: "c")) { k -= 1 }
            if k > lowest && Self.isIdentifier(p[k - 1]) { return nil }
            close[0] = UInt8(ascii: "\"")
            for h in 0 ..< hashes { close[1 + h] = UInt8(ascii: "#") }
            s.closeCount = 1 + hashes
            return i + 1
        case .rawSwift:
            // #"…"#, ##"…"##, #"""…"""#
            var k = i - 1
            var hashes = 0
            while k >= lowest && p[k] == UInt8(ascii: "#") && hashes < 100 {
                hashes += 1
                k -= 1
            }
            guard hashes > 0 else { return nil }
            if k >= lowest && Self.isIdentifier(p[k]) { return nil }
            let triple = i + 2 < end && p[i + 1] == UInt8(ascii: "\"") && p[i + 2] == UInt8(ascii: "\"")
            let quotes = triple ? 3 : 1
            for q in 0 ..< quotes { close[q] = UInt8(ascii: "\"") }
            for h in 0 ..< hashes { close[quotes + h] = UInt8(ascii: "#") }
            s.closeCount = quotes + hashes
            return i + quotes
        default:
            return nil
        }
    }

    /// At a heredoc operator: parses `<<WORD`, `<<-WORD`, `<<~WORD`, `<<'WORD'`, `<<"WORD"` (and
    /// `<<<` for PHP). The heredoc's body starts on the next line.
    private func parseHeredoc(_ p: UnsafePointer<UInt8>, at i: Int, end: Int, state s: inout State) -> Int? {
        guard let op = program.heredocOperator else { return nil }
        let opCount = Int(op.count)
        guard i + opCount < end else { return nil }
        for k in 0 ..< opCount where p[i + k] != program.tokenBytes[Int(op.start) + k] { return nil }
        // `<<<` is a here-string in shells, not a heredoc; PHP's operator is `<<<` itself.
        if !program.heredocAllowsTripleAngle {
            if p[i + 2] == UInt8(ascii: "<") || (i > 0 && p[i - 1] == UInt8(ascii: "<")) { return nil }
        }
        var j = i + opCount
        var strip = false
        if p[j] == UInt8(ascii: "-") || p[j] == UInt8(ascii: "~") {
            strip = true
            j += 1
        }
        var spaced = false
        while j < end && (p[j] == 0x20 || p[j] == 0x09) && j - i < 16 {
            spaced = true
            j += 1
        }
        guard j < end else { return nil }
        var quote: UInt8 = 0
        if p[j] == UInt8(ascii: "'") || p[j] == UInt8(ascii: "\"") || p[j] == UInt8(ascii: "`") {
            quote = p[j]
            j += 1
        }
        let wordStart = j
        guard j < end, (p[j] | 0x20) &- 0x61 < 26 || p[j] == 0x5F else { return nil }
        var upper = true
        while j < end && Self.isIdentifier(p[j]) && p[j] < 0x80 && j - wordStart < Self.maximumTerminator {
            if p[j] &- 0x61 < 26 { upper = false }
            j += 1
        }
        let wordCount = j - wordStart
        if quote != 0 {
            guard j < end, p[j] == quote else { return nil }
        }
        // A space between the operator and a bare word is a shell form only, and then the word
        // must look like a terminator (upper case), so `x << y` stays a shift.
        if spaced && quote == 0 && !(program.heredocAllowsSpace && upper) { return nil }
        for k in 0 ..< wordCount { terminator[k] = p[wordStart + k] }
        s.terminatorCount = wordCount
        s.heredocStrip = strip
        s.pendingHeredoc = true
        return quote != 0 ? j + 1 : j
    }
}
