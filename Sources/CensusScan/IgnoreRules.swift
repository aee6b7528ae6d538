/// How one ignore file judges one path.
package enum IgnoreMatch: Sendable, Equatable {
    /// No pattern of the file matches the path; another level (or nothing) decides.
    case unmatched
    /// The last matching pattern is an ordinary one: the path is ignored.
    case ignored
    /// The last matching pattern starts with `!`: the path is explicitly not ignored.
    case included
}

/// A pattern that was dropped because it can never match, and where it came from.
package struct IgnoreDiagnostic: Sendable, Equatable, CustomStringConvertible {
    /// The `origin` of the ignore file.
    package var origin: String
    /// The 1-based line of the pattern (for command-line globs, its 1-based position in the list).
    package var line: Int
    /// What is wrong with the pattern.
    package var message: String

    package var description: String { "\(origin):\(line): \(message)" }
}

/// One parsed ignore file (`.gitignore` or `.ignore`, same syntax), or a list of `--exclude` globs.
///
/// The syntax and matching rules are gitignore(5) as git 2.39 implements them, byte for byte: file
/// names are raw bytes, `*`, `?` and bracket expressions follow git's wildmatch, and a pattern that git
/// can never match (an unterminated `[`, an unknown `[:class:]`, a trailing lone `\`) is dropped and
/// reported in ``diagnostics``.
///
/// Matching is dispatched so that a lookup does not try every pattern: exact names (`Makefile.bak`,
/// `node_modules/`), `*.ext` patterns and exact anchored paths (`/build`) are found through hash
/// tables; only the remaining patterns are tried one by one, newest first, and only while they could
/// still beat the best match found so far.
package struct IgnoreFile: Sendable {
    /// Names this file in diagnostics (a path).
    package let origin: String
    /// Patterns that were dropped because they can never match.
    package let diagnostics: [IgnoreDiagnostic]

    /// Every pattern that can match, in file order; a later index takes precedence.
    private let rules: [IgnoreRule]
    /// What the rules' compiled globs point into.
    private let storage: IgnoreGlobStorage
    /// Unanchored patterns without wildcards, by the basename they match.
    private let basenames: IgnoreLiteralTable
    /// Unanchored `*.ext` patterns (a star, then a literal starting with `.`), by that literal.
    private let suffixes: IgnoreLiteralTable
    /// Anchored patterns without wildcards, by the path they match.
    private let paths: IgnoreLiteralTable
    /// Indices into `rules` of every other pattern, ascending.
    private let others: [Int]

    /// Parses the bytes of an ignore file. `origin` names it in diagnostics (a path).
    package init(contents: [UInt8], origin: String) {
        var builder = IgnoreRuleBuilder()
        contents.withUnsafeBufferPointer { buffer in
            var start = 0
            // git skips a UTF-8 byte order mark at the start of the file.
            if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
                start = 3
            }
            var lineStart = start
            var lineNumber = 1
            var index = start
            while index < buffer.count {
                if buffer[index] == IgnoreByte.newline {
                    builder.addLine(UnsafeBufferPointer(rebasing: buffer[lineStart..<index]), line: lineNumber)
                    lineNumber += 1
                    lineStart = index + 1
                }
                index += 1
            }
            if lineStart < buffer.count {
                builder.addLine(UnsafeBufferPointer(rebasing: buffer[lineStart...]), line: lineNumber)
            }
        }
        self.init(origin: origin, builder: builder)
    }

    /// Builds rules from command-line globs (gitignore syntax, one per element).
    ///
    /// Each element is read exactly like one line of an ignore file, so `#x` is a comment, `!x`
    /// re-includes and trailing spaces are dropped unless escaped.
    package init(patterns: [String], origin: String) {
        var builder = IgnoreRuleBuilder()
        for (position, pattern) in patterns.enumerated() {
            Array(pattern.utf8).withUnsafeBufferPointer { buffer in
                builder.addLine(buffer, line: position + 1)
            }
        }
        self.init(origin: origin, builder: builder)
    }

    /// Sorts the parsed rules into the lookup tables.
    private init(origin: String, builder: IgnoreRuleBuilder) {
        self.origin = origin
        self.diagnostics = builder.problems.map {
            IgnoreDiagnostic(origin: origin, line: $0.line, message: $0.message)
        }
        self.rules = builder.rules
        self.storage = builder.storage
        var basenameEntries = IgnoreLiteralTable.Builder()
        var suffixEntries = IgnoreLiteralTable.Builder()
        var pathEntries = IgnoreLiteralTable.Builder()
        var others: [Int] = []
        for (index, rule) in builder.rules.enumerated() {
            if let span = rule.glob.literal {
                let literal = Array(builder.storage.bytes[span.start..<span.end])
                if rule.isAnchored {
                    pathEntries.add(literal, rule: index, directoryOnly: rule.isDirectoryOnly)
                } else {
                    basenameEntries.add(literal, rule: index, directoryOnly: rule.isDirectoryOnly)
                }
            } else if !rule.isAnchored, let span = rule.glob.extensionSuffix {
                let suffix = Array(builder.storage.bytes[span.start..<span.end])
                suffixEntries.add(suffix, rule: index, directoryOnly: rule.isDirectoryOnly)
            } else {
                others.append(index)
            }
        }
        self.basenames = IgnoreLiteralTable(basenameEntries)
        self.suffixes = IgnoreLiteralTable(suffixEntries)
        self.paths = IgnoreLiteralTable(pathEntries)
        self.others = others
    }

    /// Whether the file holds no pattern that can match anything.
    package var isEmpty: Bool { rules.isEmpty }

    /// Judges one path against this file's patterns.
    ///
    /// - Parameters:
    ///   - path: the candidate's path relative to the directory holding this ignore file,
    ///     `/`-separated, no leading or trailing slash, raw bytes (file names need not be UTF-8).
    ///   - isDirectory: whether the candidate is a directory.
    /// - Returns: `.ignored` or `.included` when a pattern matches (the last matching pattern
    ///   decides; `.included` means a `!` pattern matched), `.unmatched` when none does.
    /// - Complexity: does not allocate. Exact names, `*.ext` patterns and exact anchored paths cost
    ///   one hash lookup each (one per `.` of the basename for `*.ext`); other patterns are tried
    ///   newest first and only while they could still decide.
    package func match(_ path: UnsafeBufferPointer<UInt8>, isDirectory: Bool) -> IgnoreMatch {
        let index = decidingRule(path, isDirectory: isDirectory)
        guard index >= 0 else { return .unmatched }
        return rules[index].isNegated ? .included : .ignored
    }

    /// The line of the pattern that decides ``match(_:isDirectory:)`` for this path, or `nil`.
    ///
    /// Lines are 1-based and count every line of the file (comments and blank lines included), as
    /// `git check-ignore -v` does; for command-line globs the "line" is the 1-based position.
    package func matchingLine(_ path: UnsafeBufferPointer<UInt8>, isDirectory: Bool) -> Int? {
        let index = decidingRule(path, isDirectory: isDirectory)
        return index >= 0 ? rules[index].line : nil
    }

    /// The index in `rules` of the last pattern matching `path`, or -1.
    private func decidingRule(_ path: UnsafeBufferPointer<UInt8>, isDirectory: Bool) -> Int {
        if rules.isEmpty { return -1 }
        var nameStart = path.count
        while nameStart > 0 && path[nameStart - 1] != IgnoreByte.slash {
            nameStart -= 1
        }
        let name = UnsafeBufferPointer(rebasing: path[nameStart...])

        var best = basenames.lookup(name, isDirectory: isDirectory)
        if !suffixes.isEmpty {
            var dot = max(0, name.count - suffixes.longestKey)
            while dot < name.count {
                if name[dot] == IgnoreByte.dot {
                    let found = suffixes.lookup(
                        UnsafeBufferPointer(rebasing: name[dot...]), isDirectory: isDirectory)
                    if found > best { best = found }
                }
                dot += 1
            }
        }
        let anchored = paths.lookup(path, isDirectory: isDirectory)
        if anchored > best { best = anchored }

        guard let last = others.last, last > best else { return best }
        return storage.withBuffers { storage in
            var position = others.count - 1
            while position >= 0 {
                let index = others[position]
                if index <= best { break }
                let rule = rules[index]
                if !rule.isDirectoryOnly || isDirectory {
                    if rule.glob.matches(rule.isAnchored ? path : name, in: storage) { return index }
                }
                position -= 1
            }
            return best
        }
    }
}

/// Byte values the parser and matcher look for.
enum IgnoreByte {
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let hash = UInt8(ascii: "#")
    static let bang = UInt8(ascii: "!")
    static let slash = UInt8(ascii: "/")
    static let backslash = UInt8(ascii: "\\")
    static let dot = UInt8(ascii: ".")
    static let star = UInt8(ascii: "*")
    static let question = UInt8(ascii: "?")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let caret = UInt8(ascii: "^")
    static let dash = UInt8(ascii: "-")
    static let colon = UInt8(ascii: ":")

    /// Whether git's wildmatch treats the byte as special outside brackets (`*`, `?`, `[`, `\`).
    @inline(__always)
    static func isGlobSpecial(_ byte: UInt8) -> Bool {
        byte == star || byte == question || byte == openBracket || byte == backslash
    }
}

/// One pattern of an ignore file, parsed.
struct IgnoreRule: Sendable {
    /// The 1-based line the pattern came from.
    let line: Int
    /// Whether the pattern started with `!`.
    let isNegated: Bool
    /// Whether the pattern ended with `/`: it matches directories only.
    let isDirectoryOnly: Bool
    /// Whether the pattern contains a `/` before its end: it matches the whole relative path
    /// rather than the basename.
    let isAnchored: Bool
    /// The compiled pattern (without `!`, the trailing `/` or an anchoring leading `/`).
    let glob: IgnoreGlob
}

/// Turns lines of gitignore syntax into rules, as git's `add_patterns_from_buffer` and
/// `parse_path_pattern` do.
struct IgnoreRuleBuilder {
    /// The rules so far, in file order.
    var rules: [IgnoreRule] = []
    /// What the rules' globs point into.
    var storage = IgnoreGlobStorage()
    /// Patterns dropped because they can never match.
    var problems: [(line: Int, message: String)] = []

    /// Adds one line, given without its `\n`.
    mutating func addLine(_ raw: UnsafeBufferPointer<UInt8>, line: Int) {
        // Blank lines and comments. git tests the raw line, before removing `\r` and spaces.
        guard let first = raw.first, first != IgnoreByte.hash else { return }
        var end = raw.count
        if raw[end - 1] == IgnoreByte.carriageReturn { end -= 1 }
        // git handles each line as a C string: a NUL byte ends the pattern.
        var nul = 0
        while nul < end && raw[nul] != 0 { nul += 1 }
        end = nul
        end = Self.trimmedLength(UnsafeBufferPointer(rebasing: raw[..<end]))
        addPattern(UnsafeBufferPointer(rebasing: raw[..<end]), line: line)
    }

    /// The length of the line without its trailing spaces; a space escaped with `\` is kept, and a
    /// line ending in a lone `\` keeps all of them (git's `trim_trailing_spaces`).
    static func trimmedLength(_ line: UnsafeBufferPointer<UInt8>) -> Int {
        var firstTrailingSpace = -1
        var index = 0
        while index < line.count {
            switch line[index] {
            case IgnoreByte.space:
                if firstTrailingSpace < 0 { firstTrailingSpace = index }
            case IgnoreByte.backslash:
                index += 1
                if index >= line.count { return line.count }
                firstTrailingSpace = -1
            default:
                firstTrailingSpace = -1
            }
            index += 1
        }
        return firstTrailingSpace >= 0 ? firstTrailingSpace : line.count
    }

    /// Parses one pattern (comments, `\r` and trailing spaces already removed).
    private mutating func addPattern(_ pattern: UnsafeBufferPointer<UInt8>, line: Int) {
        var start = 0
        var end = pattern.count
        let isNegated = end > 0 && pattern[0] == IgnoreByte.bang
        if isNegated { start = 1 }
        let isDirectoryOnly = end > start && pattern[end - 1] == IgnoreByte.slash
        if isDirectoryOnly { end -= 1 }
        var isAnchored = false
        for index in start..<end where pattern[index] == IgnoreByte.slash {
            isAnchored = true
            break
        }
        // git drops one leading `/` of an anchored pattern before matching.
        if isAnchored && pattern[start] == IgnoreByte.slash { start += 1 }
        if start >= end { return }  // empty: git keeps it, but it can never match

        do {
            let glob = try IgnoreGlob(pattern: UnsafeBufferPointer(rebasing: pattern[start..<end]), storage: &storage)
            rules.append(
                IgnoreRule(
                    line: line, isNegated: isNegated, isDirectoryOnly: isDirectoryOnly,
                    isAnchored: isAnchored, glob: glob))
        } catch {
            let text = String(
                decoding: UnsafeBufferPointer(rebasing: pattern[..<min(pattern.count, 200)]), as: UTF8.self)
            let shown = pattern.count > 200 ? text + "…" : text
            problems.append((line, "pattern \"\(shown)\" can never match: \(error.explanation)"))
        }
    }
}
