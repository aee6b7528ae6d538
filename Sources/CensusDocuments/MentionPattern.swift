import CensusPatterns

/// A problem with what `census mentions` was asked (a pattern, an option): named, with what to do.
public struct MentionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var input: String
    public var reason: String
    public init(input: String, reason: String) {
        self.input = input
        self.reason = reason
    }
    public var description: String { "\(input): \(reason)" }
}

/// One named pattern (`--pattern go='\bGo\b|Golang|Go语言'`), compiled by CensusPatterns with
/// Ruby's syntax on UTF-8 text: `.` and classes take whole characters, `\w`, `\d`, `\s` and `\b`
/// are ASCII, so CJK characters are never word characters and `\bGo\b` matches in `用Go开发`
/// but not in `Google` (docs/mentions.md).
public struct MentionPattern: Sendable {
    public let name: String
    public let source: String
    public let regex: ByteRegex

    /// Parses `NAME=REGEX` (the first `=` separates them).
    ///
    /// - Throws: ``MentionError`` for a missing name or `=`, a regex that does not compile, or one
    ///   that matches the empty string (it would count every position).
    public init(argument: String) throws(MentionError) {
        guard let equals = argument.firstIndex(of: "=") else {
            throw MentionError(input: "--pattern '\(argument)'", reason: "expected NAME=REGEX, e.g. go='\\bGo\\b|Golang'")
        }
        let name = String(argument[..<equals])
        let source = String(argument[argument.index(after: equals)...])
        try self.init(name: name, source: source)
    }

    public init(name: String, source: String) throws(MentionError) {
        let input = "--pattern '\(name)=\(source)'"
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0.properties.numericType != nil || "-_.+#".unicodeScalars.contains($0) })
        else {
            throw MentionError(input: input, reason: "the name must be letters, digits, '-', '_', '.', '+' or '#' (e.g. go, c++, c#)")
        }
        guard !source.isEmpty else { throw MentionError(input: input, reason: "the regular expression is empty") }
        do {
            regex = try ByteRegex(source, options: .utf8)
        } catch {
            throw MentionError(input: input, reason: "\(error)")
        }
        if regex.firstMatch(in: [UInt8]()) != nil || regex.firstMatch(in: Array(" x ".utf8)).map({ $0.isEmpty }) == true {
            throw MentionError(input: input, reason: "the pattern matches the empty string, so it would count every position")
        }
        self.name = name
        self.source = source
    }

    /// The outcome of counting in one text.
    public enum Count: Sendable, Equatable {
        case matches(Int)
        /// The backtracking limit was reached: the count would be a guess.
        case abandoned
    }

    /// The number of non-overlapping matches in `text`, each search starting where the last
    /// match ended (as Ruby's `String#scan`): `Go Go` has 2 matches of `Go`, `aaa` has 1 of `aa`.
    ///
    /// - Complexity: Usually O(n) in the text length, however many matches there are.
    public func count(in text: UnsafeRawBufferPointer) -> Count {
        let found = regex.countMatches(in: text)
        return found.abandoned ? .abandoned : .matches(found.count)
    }

    public func count(in text: [UInt8]) -> Count {
        text.withUnsafeBytes { count(in: $0) }
    }
}
