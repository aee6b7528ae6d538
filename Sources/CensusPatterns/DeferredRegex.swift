import Synchronization

/// A pattern whose syntax is checked and whose required literals are known at once, and which is
/// compiled (program, automata) on its first search.
///
/// Linguist's rules hold a few hundred path and content patterns, and a scan of a small tree meets
/// only a few of them: the others are ruled out by a ``LiteralSet`` prefilter built from their
/// literals, which parsing alone gives. Compiling every pattern at start cost more than scanning
/// the 400 files of a small repository (issue 18); a `DeferredRegex` compiles the ones a run needs.
///
/// A pattern that is a plain literal with line anchors (``ByteRegex/plainLiteral(_:)``:
/// `(^|/)testdata/`, `^// Code generated .*`) is never compiled for searching: its searches compare
/// bytes.
///
/// Parsing reports malformed syntax at once (the initializer throws); the few errors that only the
/// compiler finds (a pattern nested too deeply or too large, a backreference in a look-behind) are
/// found on the first search, when the pattern then never matches, or by ``compile()``.
public final class DeferredRegex: @unchecked Sendable {
    public let pattern: String
    public let options: ByteRegex.Options
    /// Compiled for short texts (``ByteRegex/init(_:options:forShortTexts:)``): paths, names.
    public let forShortTexts: Bool
    /// As ``ByteRegex/requiredLiteralsIgnoringCase``, from the parse alone.
    public let requiredLiteralsIgnoringCase: [(bytes: [UInt8], caseInsensitive: Bool)]

    private let ready = Atomic<Bool>(false)
    private let lock = Mutex<Void>(())
    /// Written once under `lock` before `ready` is released; read only after `ready` is acquired.
    private nonisolated(unsafe) var compiled: ByteRegex?
    /// `compiled`'s matcher, set with it and never changed after: ``matches(_:)`` calls it
    /// without retaining it (on many threads at once, each retain and release of one shared
    /// object is a contended atomic write; a scan calls this for each of a file's first lines).
    private nonisolated(unsafe) var matcher: Unmanaged<CompiledRegex>?
    private nonisolated(unsafe) var failure: ByteRegexError?
    /// The pattern as a plain literal, when it is one (``ByteRegex/plainLiteral(_:)``): searches
    /// then compare bytes and never compile. Its bytes are kept in memory of this object's own
    /// (`literalBytes`, freed in `deinit`; empty when the pattern is not a plain literal) so that
    /// a search counts no references. Set under `lock` before `literalChecked` is released.
    private nonisolated(unsafe) var literalBytes = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    private nonisolated(unsafe) var literalStart = ByteRegex.PlainLiteral.Start.anywhere
    private nonisolated(unsafe) var literalAtLineEnd = false
    /// Whether the pattern was checked for being a plain literal.
    private let literalChecked = Atomic<Bool>(false)

    deinit {
        literalBytes.deallocate()
    }

    @inline(__always)
    private func literalMatches(_ text: UnsafeRawBufferPointer) -> Bool {
        ByteRegex.PlainLiteral.matches(
            text, literal: UnsafeRawBufferPointer(literalBytes), start: literalStart, atLineEnd: literalAtLineEnd)
    }

    /// Parses `pattern`.
    ///
    /// - Throws: ``ByteRegexError`` for malformed or unsupported syntax, as ``ByteRegex/init(_:options:)`` does.
    public init(_ pattern: String, options: ByteRegex.Options = []) throws(ByteRegexError) {
        self.pattern = pattern
        self.options = options
        forShortTexts = false
        let parsed = try ByteRegex.parse(pattern, options: options)
        requiredLiteralsIgnoringCase = (parsed.root.requiredStrings() ?? []).map { ($0.bytes, $0.fold) }
    }

    /// Takes `pattern` unparsed, with its required literals as computed earlier (by a generator
    /// that parsed it with ``init(_:options:)``): no work at all until the first search. Malformed
    /// syntax is then found by ``compile()``, and such a pattern never matches.
    ///
    /// - Parameter requiredLiterals: exactly what ``requiredLiteralsIgnoringCase`` of the parsed
    ///   pattern would be (a prefilter built from anything else would rule out paths the pattern
    ///   matches).
    ///   - forShortTexts: the pattern searches paths or names, never long texts: compile it
    ///     with less work (``ByteRegex/init(_:options:forShortTexts:)``).
    public init(
        unparsed pattern: String, options: ByteRegex.Options = [],
        requiredLiterals: [(bytes: [UInt8], caseInsensitive: Bool)], forShortTexts: Bool = false
    ) {
        self.pattern = pattern
        self.options = options
        self.forShortTexts = forShortTexts
        requiredLiteralsIgnoringCase = requiredLiterals
    }

    /// Compiles the pattern if it was not yet.
    ///
    /// - Returns: the compiled regex, or the error the compiler found.
    @discardableResult
    public func compile() -> Result<ByteRegex, ByteRegexError> {
        if ready.load(ordering: .acquiring) { return result }
        return lock.withLock { _ in
            if !ready.load(ordering: .relaxed) {
                do throws(ByteRegexError) {
                    let regex = try ByteRegex(pattern, options: options, forShortTexts: forShortTexts)
                    compiled = regex
                    matcher = Unmanaged.passUnretained(regex.matcher)
                } catch {
                    failure = error
                }
                ready.store(true, ordering: .releasing)
            }
            return result
        }
    }

    private var result: Result<ByteRegex, ByteRegexError> {
        if let compiled { return .success(compiled) }
        return .failure(failure ?? ByteRegexError(pattern: pattern, offset: 0, message: "not compiled"))
    }

    /// Whether the pattern matches somewhere in `text` (compiling it on the first call, unless it
    /// is a plain literal; false for a pattern that does not compile, and for an abandoned search).
    public func matches(_ text: UnsafeRawBufferPointer) -> Bool {
        if literalChecked.load(ordering: .acquiring), literalBytes.count > 0 { return literalMatches(text) }
        if ready.load(ordering: .acquiring) {
            // `compiled` owns the matcher for as long as this object lives.
            guard let matcher else { return false }
            return matcher._withUnsafeGuaranteedRef { matcher in
                if case .found = matcher.search(text, stepLimit: ByteRegex.defaultStepLimit) { return true }
                return false
            }
        }
        if !literalChecked.load(ordering: .acquiring) {
            lock.withLock { _ in
                if !literalChecked.load(ordering: .relaxed) {
                    // Default options only: `i`, `m` and `x` change what a literal means.
                    if options.isEmpty, let literal = ByteRegex.plainLiteral(pattern) {
                        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: literal.bytes.count, alignment: 1)
                        literal.bytes.withUnsafeBytes { bytes.copyMemory(from: $0) }
                        literalBytes = bytes
                        literalStart = literal.start
                        literalAtLineEnd = literal.atLineEnd
                    }
                    literalChecked.store(true, ordering: .releasing)
                }
            }
            if literalBytes.count > 0 { return literalMatches(text) }
        }
        if case .success(let regex) = compile() { return regex.matches(text) }
        return false
    }
}
