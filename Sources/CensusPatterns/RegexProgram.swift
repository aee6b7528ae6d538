/// An instruction's operation. Operands are in ``Instruction``'s fields as noted.
enum Opcode: UInt8, Sendable {
    /// Success: the match ends at the current position.
    case match
    /// Backtrack.
    case fail
    /// One byte equal to `a`.
    case byte
    /// Bytes `literals[a..<a+b]`.
    case literal
    /// Bytes `literals[a..<a+b]` (stored lowercase), ignoring ASCII case.
    case literalFold
    /// One byte in set `a`.
    case set
    /// One UTF-8 character in class `b` (its ASCII members are set `a`).
    case charClass
    /// `\R`; `flag` 1 in UTF-8 mode.
    case lineBreak
    /// A zero-width ``Assertion`` with raw value `flag`.
    case assert
    /// Continue at `a`.
    case jump
    /// Continue at `a`; on failure, at `b`.
    case split
    /// When the next byte is in set `c`: continue at `a`, on failure at `b`; otherwise at `b`.
    case splitGuard
    /// Fail unless the next byte is in set `c`.
    case guardByte
    /// Try the branches dispatch table `a` lists for the next byte, in order.
    case dispatch
    /// Register `a` = position (undone on backtracking).
    case save
    /// Group `a` ends here: its capture becomes (register `b`, position), both undone on
    /// backtracking. A backreference sees a group's last completed capture, as in Onigmo.
    case commitCapture
    /// When the position equals register `a` (an empty iteration), continue at `b`.
    case emptyExit
    /// Repeat one byte of set `a`, `b` to `c` times (`c` -1: unbounded); `flag` is 0 greedy,
    /// 1 lazy, 2 possessive; `d` is the set the continuation must start with, or -1.
    case repeatSet
    /// Start an atomic group: barrier index in register `a`.
    case atomicStart
    /// End an atomic group: drop the alternatives since its start.
    case atomicEnd
    /// Start a positive lookaround: barrier index in register `a`, position in `a + 1`.
    case lookStart
    /// End a positive lookaround: drop the body's alternatives, restore the position.
    case lookEnd
    /// Start a negative lookaround that continues at `b` when its body fails.
    case negativeLookStart
    /// The body of a negative lookaround matched: the lookaround fails.
    case negativeLookEnd
    /// Move back `a` units (bytes, or characters when `flag` is 1); fail before the start.
    case stepBack
    /// Fail unless the position equals register `a + 1` (the end of a lookbehind body).
    case assertAt
    /// The text of group `a` again; `flag` 1 ignores ASCII case.
    case backreference
}

/// One instruction: an opcode and up to four operands.
struct Instruction: Sendable {
    var op: Opcode
    var flag: UInt8 = 0
    var a: Int32 = 0
    var b: Int32 = 0
    var c: Int32 = 0
    var d: Int32 = 0
}

/// A source of positions where a match may start; the search merges several.
enum CandidateFinder: Sendable {
    /// Line starts (after a `\n` that is not the last byte) that pass one of the filters
    /// `lineFilters[first..<first+count]`.
    case lineStarts(first: Int32, count: Int32)
    /// Positions of a byte from set `set` (`memchr` when there is a single one).
    case bytes(set: Int32, single: UInt8?)
    /// Occurrences of `literalPool[offset..<offset+length]`, found with `memchr` on the byte at
    /// `rare` (the least common one).
    case literal(offset: Int, length: Int, rare: Int)
    /// For a branch `X* R`: positions after a byte not in `X` (set `stop`), since a match of the
    /// branch at `p` where `text[p - 1]` is in `X` means one at `p - 1` too.
    case afterRun(stop: Int32)
    /// For a branch `C X* R` or `C+ R` with `C` inside `X`: positions of a byte of set `set`
    /// that does not follow one, since a match of the branch at `p` where `text[p - 1]` is in `C`
    /// means one at `p - 1` too.
    case runStarts(set: Int32)
}

/// A quick test of a line start for the branches `^ W* R` of a pattern: after the bytes of `W`,
/// the next byte must be one `R` can start with.
struct LineFilter: Sendable {
    var skip: Int32
    var accept: Int32
    /// The rest can match the empty string: every line start qualifies.
    var always: Bool
    /// When `prefixCount` is not 0, the rest starts with one of the line prefixes
    /// `prefixes[prefixStart..<prefixStart+prefixCount]`, so the bytes after `skip` must too.
    var prefixStart: Int32 = 0
    var prefixCount: Int32 = 0
}

/// A literal in `literalPool`.
struct PooledLiteral: Sendable {
    var offset: Int32
    var length: Int32
}

/// What a line's bytes after the skipped ones must start with: a literal, then optionally a
/// run of bytes of set `gap` (index into the set table, -1 for none) and a second literal,
/// as in `#\s*include <`.
struct LinePrefix: Sendable, Hashable {
    var offset: Int32
    var length: Int32
    var gap: Int32 = -1
    var tailOffset: Int32 = 0
    var tailLength: Int32 = 0
}

/// How the search finds positions where a match may start.
enum StartStrategy: Sendable {
    /// Only at 0 (`\A`).
    case textStartOnly
    /// At every position.
    case everywhere
    /// At the positions the finders report, plus 0 when `atZero`.
    case finders([CandidateFinder], atZero: Bool)
}

/// A literal the text must contain for a match, checked before searching.
struct RequiredLiteralCheck: Sendable {
    var offset: Int
    var length: Int
    var rare: Int
}

/// A compiled pattern.
struct RegexProgram: Sendable {
    var code: [Instruction] = []
    /// Membership tables, 256 bytes each.
    var setTable: [UInt8] = []
    var literalPool: [UInt8] = []
    /// UTF-8 mode classes.
    var classes: [CodeSet] = []
    /// For each `dispatch` table, 257 entries (each byte, then the end of the text): the range
    /// of `dispatchTargets` to try, in order.
    var dispatchRanges: [Int32] = []
    var dispatchTargets: [Int32] = []
    /// Capture slots (2 per group, group 0 included) followed by registers.
    var slotCount = 2
    var captureSlotCount = 2
    /// True when the program writes capture slots (so they are reset for each attempt).
    var savesCaptures = false
    var utf8 = false
    var strategy = StartStrategy.everywhere
    /// Literals of which one must occur in the text (empty: no check).
    var requiredChecks: [RequiredLiteralCheck] = []
    /// The filters of `lineStarts` finders, and their prefix literals.
    var lineFilters: [LineFilter] = []
    var prefixes: [LinePrefix] = []
}
