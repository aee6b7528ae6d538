/// A build constraint expression: `//go:build` lines and legacy `// +build` lines, parsed as
/// `go/build/constraint` parses them.
public indirect enum GoBuildConstraint: Sendable, Hashable, CustomStringConvertible {
    case tag(String)
    case not(GoBuildConstraint)
    case and(GoBuildConstraint, GoBuildConstraint)
    case or(GoBuildConstraint, GoBuildConstraint)

    /// Whether `target` satisfies the expression.
    public func isSatisfied(by target: GoBuildTarget) -> Bool {
        switch self {
        case .tag(let name): return target.matches(tag: name)
        case .not(let x): return !x.isSatisfied(by: target)
        case .and(let x, let y): return x.isSatisfied(by: target) && y.isSatisfied(by: target)
        case .or(let x, let y): return x.isSatisfied(by: target) || y.isSatisfied(by: target)
        }
    }

    public var description: String {
        switch self {
        case .tag(let name): return name
        case .not(let x): return "!" + x.description
        case .and(let x, let y): return "(\(x) && \(y))"
        case .or(let x, let y): return "(\(x) || \(y))"
        }
    }

    /// A `//go:build` expression that does not parse: where (byte offset in the expression) and why.
    public struct SyntaxError: Error, Sendable, Hashable {
        public var offset: Int
        public var message: String
    }

    // MARK: - //go:build

    /// Whether a trimmed line is a `//go:build` comment (`go/build.isGoBuildComment`): the prefix
    /// followed by nothing or by white space.
    static func isGoBuildComment(_ line: ArraySlice<UInt8>) -> Bool {
        let prefix = Array("//go:build".utf8)
        guard line.count >= prefix.count, line.prefix(prefix.count).elementsEqual(prefix) else { return false }
        let rest = line.dropFirst(prefix.count)
        return rest.isEmpty || GoBytes.trimSpace(rest).count < rest.count
    }

    /// Parses the expression of a `//go:build` line (`line` is the whole trimmed comment).
    public static func parseGoBuild(line: ArraySlice<UInt8>) throws(SyntaxError) -> GoBuildConstraint {
        let text = Array(GoBytes.trimSpace(line.dropFirst("//go:build".utf8.count)))
        var parser = ExpressionParser(s: text)
        return try parser.parse()
    }

    struct ExpressionParser {
        let s: [UInt8]
        var i = 0
        var token: [UInt8] = []
        var isTag = false
        var position = 0

        mutating func parse() throws(SyntaxError) -> GoBuildConstraint {
            let x = try or()
            if !token.isEmpty { throw SyntaxError(offset: position, message: "unexpected token " + text(token)) }
            return x
        }

        func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

        mutating func or() throws(SyntaxError) -> GoBuildConstraint {
            var x = try and()
            while token == Array("||".utf8) { x = .or(x, try and()) }
            return x
        }

        mutating func and() throws(SyntaxError) -> GoBuildConstraint {
            var x = try not()
            while token == Array("&&".utf8) { x = .and(x, try not()) }
            return x
        }

        mutating func not() throws(SyntaxError) -> GoBuildConstraint {
            try lex()
            if token == [UInt8(ascii: "!")] {
                try lex()
                if token == [UInt8(ascii: "!")] { throw SyntaxError(offset: position, message: "double negation not allowed") }
                return .not(try atom())
            }
            return try atom()
        }

        mutating func atom() throws(SyntaxError) -> GoBuildConstraint {
            if token == [UInt8(ascii: "(")] {
                let open = position
                let x: GoBuildConstraint
                do {
                    x = try or()
                } catch {
                    if error.message == "unexpected end of expression" {
                        throw SyntaxError(offset: error.offset, message: "missing close paren")
                    }
                    throw error
                }
                if token != [UInt8(ascii: ")")] { throw SyntaxError(offset: open, message: "missing close paren") }
                try lex()
                return x
            }
            if !isTag {
                if token.isEmpty { throw SyntaxError(offset: position, message: "unexpected end of expression") }
                throw SyntaxError(offset: position, message: "unexpected token " + text(token))
            }
            let name = text(token)
            try lex()
            return .tag(name)
        }

        mutating func lex() throws(SyntaxError) {
            isTag = false
            while i < s.count && (s[i] == UInt8(ascii: " ") || s[i] == UInt8(ascii: "\t")) { i += 1 }
            if i >= s.count {
                token = []
                position = i
                return
            }
            switch s[i] {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "!"):
                position = i
                token = [s[i]]
                i += 1
                return
            case UInt8(ascii: "&"), UInt8(ascii: "|"):
                if i + 1 >= s.count || s[i + 1] != s[i] {
                    throw SyntaxError(offset: i, message: "invalid syntax at " + text([s[i]]))
                }
                position = i
                token = Array(s[i..<i + 2])
                i += 2
                return
            default: break
            }
            let end = GoBytes.tagEnd(s, from: i)
            if end == i {
                let scalar = GoBytes.decodeScalar(s[i...]).scalar
                throw SyntaxError(offset: i, message: "invalid syntax at " + String(Character(scalar)))
            }
            position = i
            token = Array(s[i..<end])
            i = end
            isTag = true
        }
    }

    // MARK: - // +build

    /// The text after `+build` when a trimmed comment line is a `// +build` line
    /// (`constraint.splitPlusBuild`), else `nil`.
    static func plusBuildText(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        guard line.count >= 2, line.first == UInt8(ascii: "/"), line.dropFirst().first == UInt8(ascii: "/") else {
            return nil
        }
        let body = GoBytes.trimSpace(line.dropFirst(2))
        let plus = Array("+build".utf8)
        guard body.count >= plus.count, body.prefix(plus.count).elementsEqual(plus) else { return nil }
        let rest = body.dropFirst(plus.count)
        let trimmed = GoBytes.trimSpace(rest)
        if rest.count == trimmed.count && !rest.isEmpty { return nil }
        return trimmed
    }

    /// A `// +build` line's options: space-separated options OR, comma-separated terms AND, `!`
    /// negates; an invalid term (`!!x`, `!`, a tag with other characters) becomes `ignore`.
    static func parsePlusBuild(_ text: ArraySlice<UInt8>) -> GoBuildConstraint {
        var x: GoBuildConstraint?
        let space: (UInt8) -> Bool = { GoBytes.isSpace($0) }
        for clause in text.split(whereSeparator: space) {
            var y: GoBuildConstraint?
            for literal in clause.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
                var z: GoBuildConstraint
                if literal.starts(with: "!!".utf8) || literal.elementsEqual("!".utf8) {
                    z = .tag("ignore")
                } else {
                    var name = literal
                    let negated = name.first == UInt8(ascii: "!")
                    if negated { name = name.dropFirst() }
                    let valid = !name.isEmpty && GoBytes.tagEnd(Array(name), from: 0) == name.count
                    z = valid ? .tag(String(decoding: name, as: UTF8.self)) : .tag("ignore")
                    if negated { z = .not(z) }
                }
                y = y.map { .and($0, z) } ?? z
            }
            if let y { x = x.map { .or($0, y) } ?? y }
        }
        return x ?? .tag("ignore")
    }
}

/// What a file's leading comments say about building it (`go/build.parseFileHeader` and
/// `shouldBuild`): its `//go:build` expression, or else its `// +build` lines, and whether it is
/// marked generated.
public struct GoFileConstraints: Sendable {
    /// The `//go:build` expression, when the file has one (it then decides alone).
    public var goBuild: GoBuildConstraint?
    /// The `// +build` lines before the last blank line above the package clause (each must hold).
    public var plusBuild: [GoBuildConstraint] = []
    /// Why the file cannot be built at all: two `//go:build` lines, or one that does not parse.
    public var error: String?
    /// Whether a `// Code generated … DO NOT EDIT.` line comes before the package clause.
    public var isGenerated = false

    /// Whether the file is built for `target`.
    public func admits(_ target: GoBuildTarget) -> Bool {
        if let goBuild { return goBuild.isSatisfied(by: target) }
        return plusBuild.allSatisfy { $0.isSatisfied(by: target) }
    }

    /// Reads the constraints of a file's header (the bytes through its imports).
    init(header: UnsafeRawBufferPointer) {
        var end = 0
        var position = 0
        var ended = false
        var inSlashStar = false
        var goBuildLine: ArraySlice<UInt8>?
        let bytes = header
        let count = bytes.count
        lines: while position < count {
            var lineEnd = position
            while lineEnd < count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            let next = lineEnd < count ? lineEnd + 1 : count
            var start = position
            var stop = lineEnd
            while start < stop && GoBytes.isSpace(bytes[start]) { start += 1 }
            while stop > start && GoBytes.isSpace(bytes[stop - 1]) { stop -= 1 }
            position = next
            if start == stop && !ended {
                end = next
                continue
            }
            let line = ArraySlice(UnsafeRawBufferPointer(rebasing: bytes[start..<stop]))
            if !(line.count >= 2 && line[line.startIndex] == UInt8(ascii: "/") && line[line.startIndex + 1] == UInt8(ascii: "/")) {
                ended = true
            }
            if !inSlashStar && GoBuildConstraint.isGoBuildComment(line) {
                if goBuildLine != nil {
                    error = "multiple //go:build comments"
                    return
                }
                goBuildLine = line
            }
            if !inSlashStar && !ended && Self.isGeneratedMarker(line) { isGenerated = true }
            var rest = line
            while !rest.isEmpty {
                if inSlashStar {
                    if let close = GoBytes.find(Array("*/".utf8), in: rest) {
                        inSlashStar = false
                        rest = GoBytes.trimSpace(rest[(close + 2)...])
                        continue
                    }
                    continue lines
                }
                if rest.starts(with: "//".utf8) { continue lines }
                if rest.starts(with: "/*".utf8) {
                    inSlashStar = true
                    rest = GoBytes.trimSpace(rest.dropFirst(2))
                    continue
                }
                break lines
            }
        }
        if let goBuildLine {
            do {
                goBuild = try GoBuildConstraint.parseGoBuild(line: goBuildLine)
            } catch {
                self.error = "parsing //go:build line: \(error.message)"
            }
            return
        }
        var p = 0
        while p < end {
            var lineEnd = p
            while lineEnd < end && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            var start = p
            var stop = lineEnd
            p = lineEnd + 1
            while start < stop && GoBytes.isSpace(bytes[start]) { start += 1 }
            while stop > start && GoBytes.isSpace(bytes[stop - 1]) { stop -= 1 }
            let line = ArraySlice(UnsafeRawBufferPointer(rebasing: bytes[start..<stop]))
            guard line.starts(with: "//".utf8), GoBytes.find(Array("+build".utf8), in: line) != nil,
                let text = GoBuildConstraint.plusBuildText(line)
            else { continue }
            plusBuild.append(GoBuildConstraint.parsePlusBuild(text))
        }
    }

    /// `// Code generated … DO NOT EDIT.` (the convention `go generate` documents).
    static func isGeneratedMarker(_ line: ArraySlice<UInt8>) -> Bool {
        line.starts(with: "// Code generated ".utf8) && line.count >= 31 && line.suffix(13).elementsEqual(" DO NOT EDIT.".utf8)
    }
}
