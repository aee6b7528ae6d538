/// The state of one attribute for one path, as `git check-attr` reports it.
package enum AttributeValue: Sendable, Equatable {
    /// `attr` or `attr=true`… : set.
    case set
    /// `-attr`: unset.
    case unset
    /// `attr=value`.
    case value(String)

    /// Linguist's reading of a boolean attribute: anything but unset and the value `false` is true.
    package var linguistBoolean: Bool {
        switch self {
        case .set: return true
        case .unset: return false
        case .value(let v): return v != "false"
        }
    }
}

/// Where an attribute's value came from, for `census explain`.
package struct AttributeOrigin: Sendable, Equatable {
    package var file: String
    package var line: Int
}

/// The attributes Linguist reads.
package enum LinguistAttribute: Int, CaseIterable, Sendable {
    case language, vendored, generated, documentation, detectable

    package var name: String {
        switch self {
        case .language: return "linguist-language"
        case .vendored: return "linguist-vendored"
        case .generated: return "linguist-generated"
        case .documentation: return "linguist-documentation"
        case .detectable: return "linguist-detectable"
        }
    }

    static func named(_ bytes: ArraySlice<UInt8>) -> LinguistAttribute? {
        allCases.first { Array($0.name.utf8)[...] == bytes }
    }
}

/// One parsed `.gitattributes` file (or `.git/info/attributes`), keeping only the attributes
/// Linguist reads (also when a macro sets them).
///
/// Syntax and matching follow gitattributes(5) as git 2.39 implements them: one pattern (which may
/// be C-quoted) followed by attributes `attr`, `-attr`, `!attr`, `attr=value`; patterns match as in
/// gitignore, except that negative patterns are refused and a pattern naming a directory does not
/// apply to the files inside it. Later lines override earlier ones, attribute by attribute.
package struct GitAttributesFile: Sendable {
    struct Rule: Sendable {
        let line: Int
        let isAnchored: Bool
        let isDirectoryOnly: Bool
        let glob: IgnoreGlob
        /// (attribute, value); `nil` value means `!attr` (unspecified).
        let assignments: [(LinguistAttribute, AttributeValue?)]
    }

    package let origin: String
    package let diagnostics: [IgnoreDiagnostic]
    let rules: [Rule]
    let storage: IgnoreGlobStorage

    /// Parses a file.
    ///
    /// - Parameters:
    ///   - contents: the file's bytes.
    ///   - origin: its path, for messages.
    ///   - macros: macros defined by the top-level file (`[attr]name …`); a non-top-level file passes
    ///     the top level's macros and may not define its own.
    ///   - isTopLevel: whether macro definitions are allowed here.
    package init(contents: [UInt8], origin: String, macros: [String: [(LinguistAttribute, AttributeValue?)]] = [:], isTopLevel: Bool = false) {
        self.origin = origin
        var rules: [Rule] = []
        var storage = IgnoreGlobStorage()
        var problems: [IgnoreDiagnostic] = []
        var macros = macros
        // git's built-in macro: `binary` is `-diff -merge -text`, which Linguist does not read.
        macros["binary"] = macros["binary"] ?? []
        var lineNumber = 0
        var start = contents.count >= 3 && contents[0] == 0xEF && contents[1] == 0xBB && contents[2] == 0xBF ? 3 : 0
        while start < contents.count {
            lineNumber += 1
            var end = start
            while end < contents.count && contents[end] != 0x0A { end += 1 }
            var line = contents[start ..< end]
            start = end + 1
            if line.last == 0x0D { line = line.dropLast() }
            func problem(_ message: String) { problems.append(IgnoreDiagnostic(origin: origin, line: lineNumber, message: message)) }
            var i = line.startIndex
            func skipBlanks() { while i < line.endIndex && (line[i] == 0x20 || line[i] == 0x09) { i += 1 } }
            skipBlanks()
            guard i < line.endIndex, line[i] != UInt8(ascii: "#") else { continue }

            // The pattern: C-quoted, or up to the first blank.
            var pattern: [UInt8] = []
            if line[i] == UInt8(ascii: "\"") {
                guard let (unquoted, next) = Self.unquote(line, from: i) else {
                    problem("unterminated or malformed quoted pattern; line ignored")
                    continue
                }
                pattern = unquoted
                i = next
            } else {
                while i < line.endIndex && line[i] != 0x20 && line[i] != 0x09 {
                    pattern.append(line[i])
                    i += 1
                }
            }
            // The attributes.
            var assignments: [(LinguistAttribute, AttributeValue?)] = []
            var bad = false
            while true {
                skipBlanks()
                guard i < line.endIndex else { break }
                let tokenStart = i
                while i < line.endIndex && line[i] != 0x20 && line[i] != 0x09 { i += 1 }
                let token = line[tokenStart ..< i]
                var nameStart = token.startIndex
                var value: AttributeValue? = .set
                if token.first == UInt8(ascii: "-") {
                    value = .unset
                    nameStart += 1
                } else if token.first == UInt8(ascii: "!") {
                    value = nil
                    nameStart += 1
                }
                var nameEnd = token.endIndex
                if let eq = token[nameStart...].firstIndex(of: UInt8(ascii: "=")) {
                    nameEnd = eq
                    if value == .set {
                        value = .value(String(decoding: token[(eq + 1)...], as: UTF8.self))
                    }
                }
                let name = token[nameStart ..< nameEnd]
                guard Self.isValidName(name) else {
                    problem("\"\(String(decoding: token, as: UTF8.self))\" is not a valid attribute name; line ignored")
                    bad = true
                    break
                }
                if let attribute = LinguistAttribute.named(name) {
                    assignments.append((attribute, value))
                } else if value == .set, let expansion = macros[String(decoding: name, as: UTF8.self)] {
                    assignments.append(contentsOf: expansion)
                }
            }
            if bad { continue }

            if pattern.starts(with: Array("[attr]".utf8)) {
                let name = String(decoding: pattern.dropFirst(6), as: UTF8.self)
                if isTopLevel {
                    macros[name] = assignments
                } else {
                    problem("macro \"\(name)\" may only be defined in the top-level .gitattributes; ignored")
                }
                continue
            }
            if pattern.first == UInt8(ascii: "!") {
                problem("negative patterns are ignored in git attributes; use \"\\!\" for a literal \"!\"")
                continue
            }
            if assignments.isEmpty || pattern.isEmpty { continue }
            var p = pattern[...]
            let directoryOnly = p.last == UInt8(ascii: "/")
            if directoryOnly { p = p.dropLast() }
            let anchored = p.contains(UInt8(ascii: "/"))
            if anchored && p.first == UInt8(ascii: "/") { p = p.dropFirst() }
            if p.isEmpty { continue }
            let compiled: Result<IgnoreGlob, IgnoreGlobError> = Array(p).withUnsafeBufferPointer { buffer in
                do throws(IgnoreGlobError) {
                    return .success(try IgnoreGlob(pattern: buffer, storage: &storage))
                } catch {
                    return .failure(error)
                }
            }
            switch compiled {
            case .success(let glob):
                rules.append(
                    Rule(line: lineNumber, isAnchored: anchored, isDirectoryOnly: directoryOnly, glob: glob, assignments: assignments))
            case .failure(let error):
                problem("pattern can never match: \(error.explanation)")
            }
        }
        self.rules = rules
        self.storage = storage
        self.diagnostics = problems
        self.definedMacros = macros
    }

    /// Macros defined so far (for the files below a top-level one).
    package let definedMacros: [String: [(LinguistAttribute, AttributeValue?)]]

    package var isEmpty: Bool { rules.isEmpty }

    /// The value this file gives `attribute` for a file at `path` (relative to this file's
    /// directory), decided by the last matching line that mentions it.
    ///
    /// - Returns: `nil` when no line decides; otherwise the value (`.some(nil)` for `!attr`, which
    ///   makes the attribute unspecified and stops the search) and the line.
    package func lookup(_ attribute: LinguistAttribute, path: UnsafeBufferPointer<UInt8>) -> (value: AttributeValue?, line: Int)? {
        var nameStart = path.count
        while nameStart > 0 && path[nameStart - 1] != UInt8(ascii: "/") { nameStart -= 1 }
        let name = UnsafeBufferPointer(rebasing: path[nameStart...])
        return storage.withBuffers { buffers in
            for rule in rules.reversed() where !rule.isDirectoryOnly {
                guard let assignment = rule.assignments.last(where: { $0.0 == attribute }) else { continue }
                if rule.glob.matches(rule.isAnchored ? path : name, in: buffers) {
                    return (assignment.1, rule.line)
                }
            }
            return nil
        }
    }

    private static func isValidName(_ name: ArraySlice<UInt8>) -> Bool {
        guard let first = name.first, first != UInt8(ascii: "-") else { return false }
        return name.allSatisfy { b in
            (b | 0x20) &- 0x61 < 26 || b &- 0x30 < 10 || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
                || b == UInt8(ascii: ".")
        }
    }

    /// Reads a C-quoted string starting at `from` (the opening quote): `\"`, `\\`, `\t`, `\n`, octal
    /// `\NNN`…; returns the bytes and the index after the closing quote.
    private static func unquote(_ line: ArraySlice<UInt8>, from: Int) -> ([UInt8], Int)? {
        var out: [UInt8] = []
        var i = from + 1
        while i < line.endIndex {
            let b = line[i]
            if b == UInt8(ascii: "\"") { return (out, i + 1) }
            if b == UInt8(ascii: "\\") {
                i += 1
                guard i < line.endIndex else { return nil }
                let e = line[i]
                switch e {
                case UInt8(ascii: "a"): out.append(0x07)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "v"): out.append(0x0B)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(e)
                case UInt8(ascii: "0") ... UInt8(ascii: "3"):
                    guard i + 2 < line.endIndex else { return nil }
                    let d1 = line[i + 1] &- 0x30
                    let d2 = line[i + 2] &- 0x30
                    guard d1 < 8, d2 < 8 else { return nil }
                    out.append((e - 0x30) << 6 | d1 << 3 | d2)
                    i += 2
                default: return nil
                }
                i += 1
                continue
            }
            out.append(b)
            i += 1
        }
        return nil
    }
}

/// The attribute files that apply in a directory, highest precedence first (deepest directory,
/// then its parents; `.git/info/attributes` above all, kept at the root of the chain's lookups).
final class AttributesChain: @unchecked Sendable {  // immutable after init; the tuples are Sendable values
    let file: GitAttributesFile
    /// Bytes of the root-relative path of the directory holding `file`, with its trailing `/`.
    let baseLength: Int
    let parent: AttributesChain?
    /// `.git/info/attributes`, consulted before every file of the chain.
    let info: GitAttributesFile?

    /// Macros defined at the top level, for the files below.
    let macros: [String: [(LinguistAttribute, AttributeValue?)]]

    /// Whether any file of the chain sets a Linguist attribute at all (most repositories'
    /// `.gitattributes` only set `text`, `diff` or `eol`): when not, lookups are skipped.
    let hasRules: Bool

    init(
        file: GitAttributesFile, baseLength: Int, parent: AttributesChain?, info: GitAttributesFile?,
        macros: [String: [(LinguistAttribute, AttributeValue?)]] = [:]
    ) {
        self.file = file
        self.baseLength = baseLength
        self.parent = parent
        self.info = info
        self.macros = macros
        hasRules = !file.isEmpty || !(info?.isEmpty ?? true) || (parent?.hasRules ?? false)
    }

    /// The effective value of `attribute` for the file at root-relative `path`, and where it was set.
    func value(_ attribute: LinguistAttribute, path: UnsafeBufferPointer<UInt8>) -> (AttributeValue, AttributeOrigin)? {
        if let info, let found = info.lookup(attribute, path: path) {
            return found.value.map { ($0, AttributeOrigin(file: info.origin, line: found.line)) }
        }
        var level: AttributesChain? = self
        while let l = level {
            let sub = UnsafeBufferPointer(rebasing: path[min(l.baseLength, path.count)...])
            if let found = l.file.lookup(attribute, path: sub) {
                return found.value.map { ($0, AttributeOrigin(file: l.file.origin, line: found.line)) }
            }
            level = l.parent
        }
        return nil
    }
}
