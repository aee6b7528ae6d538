/// What go.mod and go.work directives share: turning tokens into paths and versions as the
/// toolchain's `modfile` package does, and the `go`, `toolchain`, `godebug` and `replace` directives.
///
/// Each check reports its error at the token it concerns and returns nil; the caller then drops
/// the directive, as the toolchain would have dropped the whole file.
struct ModDirectiveReader {
    var syntax: ModFileSyntax
    private var scratch: [UInt8] = []
    /// Values whose source bytes were not valid UTF-8: the decoded `String` (with U+FFFD) and the
    /// original bytes, so that the JSON output can escape them as Go does.
    private(set) var lossyText: [String: [UInt8]] = [:]

    init(bytes: UnsafeRawBufferPointer, fileName: String) {
        syntax = ModFileSyntax(bytes: bytes, fileName: fileName)
        scratch.reserveCapacity(64)
    }

    // MARK: Tokens of the current line

    /// Index of the first argument in `syntax.tokens`: 0 inside a block, 1 after the verb.
    var firstArgument: Int { syntax.inBlock ? 0 : 1 }
    var argumentCount: Int { syntax.tokens.count - firstArgument }
    func argument(_ k: Int) -> ModToken { syntax.tokens[firstArgument + k] }
    /// The token the toolchain reports a line's errors at: its first.
    var lineToken: ModToken { syntax.tokens[0] }
    var lineLocation: GoSourceLocation { syntax.location(of: lineToken) }

    func isText(_ token: ModToken, _ word: StaticString) -> Bool {
        GoText.equals(syntax.bytes, token.range, word)
    }

    mutating func error(at token: ModToken, _ message: @autoclosure () -> String) {
        syntax.report(.error, at: token, message())
    }

    // MARK: Values

    mutating func makeString(_ bytes: UnsafeRawBufferPointer) -> String {
        let (value, lossy) = GoText.string(bytes)
        if lossy { lossyText[value] = Array(bytes) }
        return value
    }

    /// The raw text of a token (for `go`, `toolchain` and `godebug`, which the toolchain does not unquote).
    mutating func rawString(_ token: ModToken) -> String {
        makeString(syntax.text(token))
    }

    /// The value of a path or version token, unquoted as the toolchain's `parseString` does: an
    /// identifier as is, an interpreted string through Go's unquoting; other quotes are errors.
    ///
    /// A raw (backquoted) string is an error too, since the go command rejects it ("unquoted string
    /// cannot contain quote"), but its value is unambiguous (the reference defines it as the text
    /// between the backquotes), so it is still returned and the directive kept.
    mutating func stringValue(_ token: ModToken, _ what: @autoclosure () -> String) -> String? {
        let text = syntax.text(token)
        if token.kind == .string && text[0] == UInt8(ascii: "\"") {
            scratch.removeAll(keepingCapacity: true)
            guard GoText.unquoteInterpreted(syntax.bytes, token.range, into: &scratch) else {
                error(at: token, "invalid quoted string \(GoText.quoted(text)) for \(what()): expected a Go string literal (escapes such as \\\" \\\\ \\n \\u00e9)")
                return nil
            }
            return scratch.withUnsafeBytes { makeString($0) }
        }
        if token.kind == .string {
            let inner = UnsafeRawBufferPointer(rebasing: syntax.bytes[(token.range.lowerBound + 1)..<(token.range.upperBound - 1)])
            error(at: token, "raw string \(GoText.quoted(text)) for \(what()): the go command rejects backquoted strings (\"unquoted string cannot contain quote\"); write it with double quotes")
            return makeString(inner)
        }
        if token.containsQuote {
            error(at: token, "unquoted string \(GoText.quoted(text)) for \(what()) contains a quote; expected a path or version without quotes, or a whole \"…\" string")
            return nil
        }
        return makeString(text)
    }

    /// A module version, canonical as `module.CanonicalVersion` makes it (`v1.2` → `v1.2.0`,
    /// `v1.2.3+meta` → `v1.2.3`, `+incompatible` kept).
    mutating func moduleVersion(_ token: ModToken, verb: String, path: String) -> String? {
        guard let value = stringValue(token, "the version of \(verb) \(path)") else { return nil }
        switch value.withUTF8Bytes({ GoVersionSyntax.canonicalModuleVersion($0) }) {
        case .unchanged:
            return value
        case .changed(let canonical):
            return canonical
        case .invalid:
            error(at: token, "\(verb) \(path): version \(GoText.quoted(value)) invalid: must be of the form v1.2.3 (a semantic version with a leading v)")
            return nil
        }
    }

    /// The major-version suffix of `path`, or nil (and an error) when it is malformed.
    mutating func pathMajor(_ path: String, at token: ModToken, verb: String) -> String? {
        guard let major = GoVersionSyntax.pathMajor(path) else {
            error(at: token, "\(verb) \(GoText.quoted(path)): invalid module path: a major version suffix must be /vN with N ≥ 2 and no leading zero or dot (or .vN for gopkg.in)")
            return nil
        }
        return major
    }

    /// Checks that `version` suits the major-version suffix of `path`.
    mutating func checkMajor(_ version: String, pathMajor: String, path: String, at token: ModToken, verb: String) -> Bool {
        guard let mismatch = GoVersionSyntax.pathMajorMismatch(version: version, pathMajor: pathMajor) else { return true }
        error(at: token, "\(verb) \(path): version \(GoText.quoted(version)) invalid: \(mismatch)")
        return false
    }

    // MARK: Shared directives

    /// `go 1.23`: the version, or nil after an error.
    mutating func goVersion(repeated: Bool) -> String? {
        guard !repeated else {
            error(at: lineToken, "repeated go statement: a file may have only one go directive")
            return nil
        }
        guard argumentCount == 1 else {
            error(at: lineToken, "go directive expects exactly one argument, a Go version such as 1.23.0")
            return nil
        }
        let token = argument(0)
        guard GoVersionSyntax.isValidGoVersion(syntax.text(token)) else {
            let shown = GoText.quoted(syntax.text(token))
            error(at: token, "invalid go version \(shown): must match format 1.23.0 (or 1.23, 1.21rc1)")
            return nil
        }
        return rawString(token)
    }

    /// `toolchain go1.23.0`: the name, or nil after an error.
    mutating func toolchain(repeated: Bool) -> String? {
        guard !repeated else {
            error(at: lineToken, "repeated toolchain statement: a file may have only one toolchain directive")
            return nil
        }
        guard argumentCount == 1 else {
            error(at: lineToken, "toolchain directive expects exactly one argument, a toolchain name such as go1.23.0")
            return nil
        }
        let token = argument(0)
        guard GoVersionSyntax.isValidToolchain(syntax.text(token)) else {
            let shown = GoText.quoted(syntax.text(token))
            error(at: token, "invalid toolchain version \(shown): must match format go1.23.0 or default")
            return nil
        }
        return rawString(token)
    }

    /// `godebug key=value`: the setting, or nil after an error.
    mutating func godebug() -> GoDebugSetting? {
        guard argumentCount == 1, !GoText.containsQuote(syntax.bytes, argument(0).range), !syntax.text(argument(0)).contains(UInt8(ascii: ",")) else {
            error(at: lineToken, "usage: godebug key=value (one word, without quotes or commas)")
            return nil
        }
        let token = argument(0)
        let text = syntax.text(token)
        guard let equals = text.firstIndex(of: UInt8(ascii: "=")) else {
            error(at: token, "usage: godebug key=value; \(GoText.quoted(text)) has no '='")
            return nil
        }
        let key = makeString(UnsafeRawBufferPointer(rebasing: text[0..<equals]))
        let value = makeString(UnsafeRawBufferPointer(rebasing: text[(equals + 1)...]))
        return GoDebugSetting(key: key, value: value, location: lineLocation)
    }

    /// `replace old [v] => new [v]`: the replacement, or nil after an error.
    mutating func replacement() -> GoModuleReplacement? {
        let verb = "replace"
        let count = argumentCount
        let arrow = count >= 2 && isText(argument(1), "=>") ? 1 : 2
        guard count >= arrow + 2, count <= arrow + 3, isText(argument(arrow), "=>") else {
            error(at: lineToken, "usage: replace module/path [v1.2.3] => other/module v1.4 or replace module/path [v1.2.3] => ../local/directory")
            return nil
        }
        guard let oldPath = stringValue(argument(0), "the module path of replace") else { return nil }
        guard let major = pathMajor(oldPath, at: argument(0), verb: verb) else { return nil }
        var oldVersion: String?
        if arrow == 2 {
            guard let version = moduleVersion(argument(1), verb: verb, path: oldPath),
                checkMajor(version, pathMajor: major, path: oldPath, at: argument(1), verb: verb)
            else { return nil }
            oldVersion = version
        }
        let newToken = argument(arrow + 1)
        guard let newPath = stringValue(newToken, "the replacement of \(oldPath)") else { return nil }
        var newVersion: String?
        if count == arrow + 2 {
            guard GoVersionSyntax.isDirectoryPath(newPath) else {
                if newPath.utf8.contains(UInt8(ascii: "@")) {
                    error(at: newToken, "replacement module must match format 'path version', not 'path@version'")
                } else {
                    error(at: newToken, "replacement module without version must be directory path (rooted or starting with . or ..)")
                }
                return nil
            }
            if newPath.utf8.contains(UInt8(ascii: "\\")) {
                error(at: newToken, "replacement directory appears to be Windows path (on a non-windows system); write it with '/'")
                return nil
            }
        } else {
            guard let version = moduleVersion(argument(arrow + 2), verb: verb, path: newPath) else { return nil }
            if GoVersionSyntax.isDirectoryPath(newPath) {
                error(at: newToken, "replacement module directory path \(GoText.quoted(newPath)) cannot have version")
                return nil
            }
            newVersion = version
        }
        return GoModuleReplacement(
            old: GoModuleVersion(path: oldPath, version: oldVersion), new: GoModuleVersion(path: newPath, version: newVersion),
            location: lineLocation)
    }

    /// The unknown-directive error, naming what was expected.
    mutating func unknownDirective(expected: String) {
        let shown = GoText.quoted(syntax.text(lineToken))
        error(at: lineToken, "unknown directive \(shown); expected \(expected)")
    }

    /// The unknown-block error for a `verb (` header.
    mutating func unknownBlock(expected: String) {
        guard let first = syntax.blockHeader.first else { return }
        var words: [String] = []
        for t in syntax.blockHeader { words.append(String(decoding: syntax.text(t), as: UTF8.self)) }
        error(at: first, "unknown block type: \(GoText.quoted(words.joined(separator: " "))); expected a block of \(expected)")
    }
}
