import Synchronization

/// A regular expression in Ruby (Onigmo) syntax, matched against bytes with Ruby's semantics.
///
/// `ByteRegex` reproduces what `Regexp.new(pattern).match(data)` does in Ruby 3.1 when `data` is
/// a binary (ASCII-8BIT) string, which is how GitHub Linguist reads file contents: `.` is any
/// byte but `\n`, `\w`, `\s`, `\d`, `\h`, `\b` and POSIX brackets are ASCII, `(?i)` folds ASCII
/// letters, `^`/`$` work at every line. With ``Options-swift.struct/utf8`` the text is read as
/// UTF-8 instead (as Ruby reads a UTF-8 `String`, such as a path): `.` and negated classes
/// consume whole characters. docs/patterns.md lists the syntax and every decision.
///
/// Matching is a backtracking interpreter over a compiled program, with no heap allocation per
/// match in the common case: the backtracking stack lives in a 1 KiB buffer on the caller's stack
/// and moves to the heap only for deep backtracking. Start positions are found with `memchr`
/// (a literal prefix), a first-byte table, or line starts, before the interpreter runs.
///
/// Backtracking is bounded: a search that pushes more than `stepLimit` backtracking entries is
/// abandoned; ``search(_:stepLimit:)`` reports it, and ``firstMatch(in:)`` returns nil.
public struct ByteRegex: Sendable {
    /// Flags that apply to the whole pattern, like Ruby's `Regexp` options.
    public struct Options: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// `i`: ASCII letters match either case.
        public static let caseInsensitive = Options(rawValue: 1)
        /// Ruby's `m`: `.` also matches `\n`.
        public static let multiline = Options(rawValue: 2)
        /// `x`: whitespace and `#` comments outside classes are ignored.
        public static let extended = Options(rawValue: 4)
        /// Read the text as UTF-8 (Ruby on a UTF-8 `String`): `.`, negated classes and `\R`
        /// work on whole characters and matches start and end on character boundaries.
        public static let utf8 = Options(rawValue: 8)
    }

    /// What a search found.
    public enum Outcome: Sendable, Equatable {
        /// The leftmost match: a range of byte offsets into the text.
        case match(Range<Int>)
        /// There is no match.
        case noMatch
        /// The search exceeded its step limit (catastrophic backtracking) and was stopped;
        /// whether there is a match is unknown.
        case abandoned
    }

    /// The pattern as given.
    public var pattern: String { storage.pattern }
    /// The options as given.
    public var options: Options { storage.options }
    /// The number of capturing groups (named groups only, when the pattern has any, as in Ruby).
    public var captureCount: Int { storage.captureCount }
    /// Group numbers by name.
    public var groupNames: [String: [Int]] { storage.groupNames }

    /// Everything else lives in one object, so that copying a `ByteRegex` (into a loop over
    /// many patterns, say) costs one reference count.
    private let storage: Storage

    /// The compiled matcher, for a holder that keeps this value alive and calls it without
    /// reference counting (``DeferredRegex``).
    var matcher: CompiledRegex { storage.compiled }

    private final class Storage: Sendable {
        let pattern: String
        let options: Options
        let captureCount: Int
        let groupNames: [String: [Int]]
        let compiled: CompiledRegex
        let required: [RequiredString]
        /// The program that records groups, compiled on the first ``ByteRegex/captures(in:stepLimit:)``.
        private let recording = Mutex<CompiledRegex?>(nil)

        func recordingProgram(_ make: () -> CompiledRegex?) -> CompiledRegex? {
            recording.withLock { program in
                if program == nil { program = make() }
                return program
            }
        }

        init(
            pattern: String, options: Options, captureCount: Int, groupNames: [String: [Int]], compiled: CompiledRegex,
            required: [RequiredString]
        ) {
            self.pattern = pattern
            self.options = options
            self.captureCount = captureCount
            self.groupNames = groupNames
            self.compiled = compiled
            self.required = required
        }
    }

    var program: RegexProgram { storage.compiled.program }
    private var required: [RequiredString] { storage.required }

    /// The default budget of backtracking entries for one search: generous enough for any
    /// reasonable pattern on a few megabytes, small enough to stop exponential cases in well
    /// under a second.
    public static let defaultStepLimit = 5_000_000

    /// Compiles a pattern in Ruby syntax.
    ///
    /// - Parameters:
    ///   - pattern: The pattern, as Ruby's `Regexp.new` receives it (no surrounding slashes).
    ///   - options: Flags for the whole pattern.
    /// - Throws: ``ByteRegexError`` (the pattern, a byte offset into its UTF-8, a message) for
    ///   malformed syntax and for syntax this engine does not support. It never crashes.
    public init(_ pattern: String, options: Options = []) throws(ByteRegexError) {
        try self.init(pattern, options: options, forShortTexts: false)
    }

    /// Compiles `pattern` for searching short texts (paths, file names): the same matches, with
    /// less work at compile time and more per search (no candidate finders: every position is
    /// tried). For patterns compiled on first use at start-up.
    public init(_ pattern: String, options: Options = [], forShortTexts: Bool) throws(ByteRegexError) {
        let utf8 = options.contains(.utf8)
        let parsed = try Self.parse(pattern, options: options)
        self.storage = Storage(
            pattern: pattern, options: options, captureCount: parsed.captureCount,
            groupNames: Dictionary(parsed.names.map { ($0.name, $0.indices) }, uniquingKeysWith: { $1 }),
            compiled: CompiledRegex(
                try RegexCompiler.compile(parsed, pattern: pattern, utf8: utf8, captures: false, forShortTexts: forShortTexts)),
            required: parsed.root.requiredStrings() ?? [])
    }

    /// The pattern parsed with the flags `options` give.
    static func parse(_ pattern: String, options: Options) throws(ByteRegexError) -> ParsedRegex {
        let flags = RegexFlags(
            fold: options.contains(.caseInsensitive), dotAll: options.contains(.multiline),
            extended: options.contains(.extended))
        return try RegexParser.parse(pattern, flags: flags, utf8Mode: options.contains(.utf8))
    }

    /// Searches `text` for the leftmost match, reporting abandonment.
    ///
    /// - Complexity: Usually O(n) in the text length; backtracking patterns can cost more, up to
    ///   `stepLimit` backtracking entries.
    public func search(_ text: UnsafeRawBufferPointer, stepLimit: Int = ByteRegex.defaultStepLimit) -> Outcome {
        switch storage.compiled.search(text, stepLimit: stepLimit) {
        case .found(let from, let to): return .match(from..<to)
        case .notFound: return .noMatch
        case .abandoned: return .abandoned
        }
    }

    /// Searches `text` for the leftmost match that starts at or after `start`, reporting
    /// abandonment. The bytes before `start` still count as context: `\b`, `^`, `\A` and
    /// lookbehind see them. So successive calls from the end of each match find the
    /// non-overlapping matches a global search (`String#scan`) finds.
    ///
    /// - Complexity: as ``search(_:stepLimit:)`` on the text from `start`.
    public func search(
        _ text: UnsafeRawBufferPointer, from start: Int, stepLimit: Int = ByteRegex.defaultStepLimit
    ) -> Outcome {
        guard start >= 0, start <= text.count else { return .noMatch }
        switch storage.compiled.search(text, stepLimit: stepLimit, from: start) {
        case .found(let from, let to): return .match(from..<to)
        case .notFound: return .noMatch
        case .abandoned: return .abandoned
        }
    }

    /// How many non-overlapping matches `text` holds, leftmost first, as successive calls of
    /// ``search(_:from:stepLimit:)`` from the end of each match would find them (one character
    /// later after an empty match), but in one pass: the literal check runs once and the
    /// candidate positions are kept from match to match.
    ///
    /// - Returns: The count, and whether a search passed `stepLimit` (the count is then of the
    ///   matches before it, and not to be trusted as the total).
    /// - Complexity: Usually O(n) in the text length, however many matches there are.
    public func countMatches(
        in text: UnsafeRawBufferPointer, stepLimit: Int = ByteRegex.defaultStepLimit
    ) -> (count: Int, abandoned: Bool) {
        storage.compiled.countMatches(text, stepLimit: stepLimit)
    }

    /// The byte range of the leftmost match, or nil when there is none or the search was
    /// abandoned (see ``search(_:stepLimit:)``).
    ///
    /// - Complexity: Usually O(n) in the text length; see ``search(_:stepLimit:)``.
    public func firstMatch(in text: UnsafeRawBufferPointer) -> Range<Int>? {
        if case .match(let range) = search(text) { return range }
        return nil
    }

    /// True when the pattern matches somewhere in `text` (false when the search was abandoned).
    ///
    /// - Complexity: Usually O(n) in the text length; see ``search(_:stepLimit:)``.
    /// Whether the regex matches somewhere in `text`, when the caller has already found one of
    /// ``requiredLiteralsIgnoringCase`` in it (for example with one ``LiteralSet`` pass for many
    /// patterns): skips this regex's own literal check.
    ///
    /// - Complexity: as ``matches(_:)`` without the literal pre-check.
    public func matches(_ text: UnsafeRawBufferPointer, literalsAlreadyFound: Bool) -> Bool {
        guard literalsAlreadyFound else { return matches(text) }
        if case .found = storage.compiled.search(text, stepLimit: Self.defaultStepLimit, literalsChecked: true) { return true }
        return false
    }

    public func matches(_ text: UnsafeRawBufferPointer) -> Bool {
        firstMatch(in: text) != nil
    }

    /// The ranges of the match and of each group (index 0 is the whole match; nil for a group
    /// that did not participate), or nil when there is no match.
    ///
    /// The first call compiles a second program that records groups (kept for later calls);
    /// each call allocates the result.
    public func captures(in text: UnsafeRawBufferPointer, stepLimit: Int = ByteRegex.defaultStepLimit) -> [Range<Int>?]? {
        let options = self.options
        let pattern = self.pattern
        guard
            let compiled = storage.recordingProgram({
                guard let parsed = try? Self.parse(pattern, options: options),
                    let recording = try? RegexCompiler.compile(
                        parsed, pattern: pattern, utf8: options.contains(.utf8), captures: true)
                else { return nil }
                return CompiledRegex(recording)
            })
        else { return nil }
        var slots = [Int](repeating: -1, count: compiled.program.captureSlotCount)
        let outcome = slots.withUnsafeMutableBufferPointer { compiled.search(text, stepLimit: stepLimit, captures: $0) }
        guard case .found = outcome else { return nil }
        return (0...captureCount).map { group in
            let from = slots[2 * group]
            let to = slots[2 * group + 1]
            return from >= 0 && to >= from ? from..<to : nil
        }
    }

    /// Literal byte strings of which at least one occurs in every match; empty when none can be
    /// derived, or when one of them has to be compared without case (see
    /// ``requiredLiteralsIgnoringCase``).
    ///
    /// A text that contains none of them cannot match, so a multi-literal scan
    /// (``LiteralSet``) can rule out many patterns at once.
    public var requiredLiterals: [[UInt8]] {
        if required.contains(where: \.fold) { return [] }
        return required.map { $0.bytes }
    }

    /// Like ``requiredLiterals``, with a flag for literals whose ASCII letters match either case
    /// (from `(?i)`); the shape ``LiteralSet/init(_:)`` takes.
    public var requiredLiteralsIgnoringCase: [(bytes: [UInt8], caseInsensitive: Bool)] {
        required.map { ($0.bytes, $0.fold) }
    }
}

extension ByteRegex {
    /// The leftmost match in `bytes`.
    public func firstMatch(in bytes: [UInt8]) -> Range<Int>? {
        bytes.withUnsafeBytes { firstMatch(in: $0) }
    }

    /// The leftmost match in the UTF-8 of `string`, as byte offsets.
    public func firstMatch(in string: String) -> Range<Int>? {
        var copy = string
        return copy.withUTF8 { firstMatch(in: UnsafeRawBufferPointer($0)) }
    }

    /// True when the pattern matches somewhere in `bytes`.
    public func matches(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { matches($0) }
    }

    /// True when the pattern matches somewhere in the UTF-8 of `string`.
    public func matches(_ string: String) -> Bool {
        var copy = string
        return copy.withUTF8 { matches(UnsafeRawBufferPointer($0)) }
    }

    /// Searches `bytes`, reporting abandonment.
    public func search(_ bytes: [UInt8], stepLimit: Int = ByteRegex.defaultStepLimit) -> Outcome {
        bytes.withUnsafeBytes { search($0, stepLimit: stepLimit) }
    }

    /// Group ranges in `bytes` (see ``captures(in:stepLimit:)-(UnsafeRawBufferPointer,_)``).
    public func captures(in bytes: [UInt8]) -> [Range<Int>?]? {
        bytes.withUnsafeBytes { captures(in: $0) }
    }
}

/// A pattern that could not be compiled: malformed, or using syntax this engine does not support.
public struct ByteRegexError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The pattern as given.
    public var pattern: String
    /// The byte offset in the pattern's UTF-8 where the problem was found.
    public var offset: Int
    /// What is wrong.
    public var message: String

    public init(pattern: String, offset: Int, message: String) {
        self.pattern = pattern
        self.offset = offset
        self.message = message
    }

    public var description: String {
        "invalid pattern /\(pattern)/ at byte \(offset): \(message)"
    }
}
