/// One token of Go source: where it is and what it is. Identifiers, literals and operators keep
/// only their byte range; the text is read from the buffer when needed.
struct GoToken {
    enum Kind: UInt8 {
        case eof, identifier, keyword, string, char, number, op, semicolon
    }
    var kind: Kind
    var start: Int
    var end: Int
    /// For `.op`: the operator's character for one-character operators, else one of the codes below.
    var op: UInt8 = 0
    var line: Int32 = 0
    var column: Int32 = 0

    static let ellipsis: UInt8 = 0xE0
    static let define: UInt8 = 0xE1  // :=
    static let other: UInt8 = 0xFF  // any other multi-character operator
}

/// Go keywords, by identifier bytes.
enum GoKeyword: UInt8 {
    case none, `break`, `case`, chan, const, `continue`, `default`, `defer`, `else`, `fallthrough`, `for`, `func`,
        go, goto, `if`, `import`, interface, map, package, range, `return`, select, `struct`, `switch`, type, `var`

    static let table: [String: GoKeyword] = [
        "break": .break, "case": .case, "chan": .chan, "const": .const, "continue": .continue,
        "default": .default, "defer": .defer, "else": .else, "fallthrough": .fallthrough, "for": .for,
        "func": .func, "go": .go, "goto": .goto, "if": .if, "import": .import, "interface": .interface,
        "map": .map, "package": .package, "range": .range, "return": .return, "select": .select,
        "struct": .struct, "switch": .switch, "type": .type, "var": .var,
    ]

    /// `bytes` packed little-endian into an integer (at most 8 bytes).
    @inline(__always)
    static func pack(_ b: UnsafeRawBufferPointer, _ start: Int, _ count: Int) -> UInt64 {
        var v: UInt64 = 0
        var k = count - 1
        while k >= 0 {
            v = v << 8 | UInt64(b[start + k])
            k -= 1
        }
        return v
    }

    /// The keyword an identifier spells, or `.none`: by length and first byte, then as one
    /// packed integer; nothing is allocated or reference-counted.
    @inline(__always)
    static func of(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> GoKeyword {
        let n = end - start
        guard n >= 2 && n <= 11 else { return .none }
        let c = b[start]
        guard c >= UInt8(ascii: "b") && c <= UInt8(ascii: "v") else { return .none }
        if n == 9 || n == 11 {
            let word: StaticString = n == 9 ? "interface" : "fallthrough"
            let p = word.utf8Start
            for k in 0..<n where p[k] != b[start + k] { return .none }
            return n == 9 ? .interface : .fallthrough
        }
        if n == 10 { return .none }
        return lookup(pack(b, start, n))
    }

    /// The keywords of at most 8 bytes, packed little-endian (generated from their spelling).
    @inline(__always)
    static func lookup(_ v: UInt64) -> GoKeyword {
        switch v {
        case 0x6B61657262: return .`break`
        case 0x65736163: return .`case`
        case 0x6E616863: return .chan
        case 0x74736E6F63: return .const
        case 0x65756E69746E6F63: return .`continue`
        case 0x746C7561666564: return .`default`
        case 0x7265666564: return .`defer`
        case 0x65736C65: return .`else`
        case 0x726F66: return .`for`
        case 0x636E7566: return .`func`
        case 0x6F67: return .go
        case 0x6F746F67: return .goto
        case 0x6669: return .`if`
        case 0x74726F706D69: return .`import`
        case 0x70616D: return .map
        case 0x6567616B636170: return .package
        case 0x65676E6172: return .range
        case 0x6E7275746572: return .`return`
        case 0x7463656C6573: return .select
        case 0x746375727473: return .`struct`
        case 0x686374697773: return .`switch`
        case 0x65707974: return .type
        case 0x726176: return .`var`
        default: return .none
        }
    }

    /// Whether a line ending after this keyword gets a semicolon.
    var endsStatement: Bool { self == .break || self == .continue || self == .fallthrough || self == .return }
}

/// A Go scanner on bytes, as `go/scanner` tokenizes (automatic semicolons included), that records
/// the first lexical error with its line and column (columns in bytes, as Go reports them) and
/// goes on.
struct GoTokenizer {
    let b: UnsafeRawBufferPointer
    var i: Int
    let end: Int
    var line: Int32 = 1
    var lineStart = 0
    var insertSemicolon = false
    var lastKeyword: GoKeyword = .none
    /// The first lexical error: position and message.
    var error: (line: Int32, column: Int32, message: String)?

    init(_ bytes: UnsafeRawBufferPointer, start: Int = 0) {
        b = bytes
        i = start
        end = bytes.count
        lineStart = start
    }

    mutating func fail(_ at: Int, _ message: @autoclosure () -> String) {
        if error == nil { error = (line, Int32(at - lineStart + 1), message()) }
    }

    @inline(__always) mutating func newline(at k: Int) {
        line += 1
        lineStart = k + 1
    }

    mutating func next() -> GoToken {
        while true {
            // White space.
            while i < end {
                let c = b[i]
                if c == 0x20 || c == 0x09 || c == 0x0D {
                    i += 1
                } else if c == 0x0A {
                    if insertSemicolon {
                        insertSemicolon = false
                        let t = GoToken(kind: .semicolon, start: i, end: i, line: line, column: Int32(i - lineStart + 1))
                        newline(at: i)
                        i += 1
                        return t
                    }
                    newline(at: i)
                    i += 1
                } else {
                    break
                }
            }
            if i >= end {
                if insertSemicolon {
                    insertSemicolon = false
                    return GoToken(kind: .semicolon, start: i, end: i, line: line, column: Int32(i - lineStart + 1))
                }
                return GoToken(kind: .eof, start: i, end: i, line: line, column: Int32(i - lineStart + 1))
            }
            let start = i
            let tokenLine = line
            let column = Int32(i - lineStart + 1)
            let c = b[i]
            // Comments.
            if c == UInt8(ascii: "/") && i + 1 < end && (b[i + 1] == UInt8(ascii: "/") || b[i + 1] == UInt8(ascii: "*")) {
                if b[i + 1] == UInt8(ascii: "/") {
                    i += 2
                    while i < end && b[i] != 0x0A {
                        if b[i] >= 0x80 || b[i] == 0 { checkScalar() } else { i += 1 }
                    }
                    // The newline itself is handled by the white-space loop (semicolon there).
                    continue
                }
                i += 2
                var sawNewline = false
                var closed = false
                while i < end {
                    let d = b[i]
                    if d == UInt8(ascii: "*") && i + 1 < end && b[i + 1] == UInt8(ascii: "/") {
                        i += 2
                        closed = true
                        break
                    }
                    if d == 0x0A {
                        sawNewline = true
                        newline(at: i)
                        i += 1
                    } else if d >= 0x80 || d == 0 {
                        checkScalar()
                    } else {
                        i += 1
                    }
                }
                if !closed {
                    if error == nil { error = (tokenLine, column, "comment not terminated") }
                }
                if insertSemicolon && (sawNewline || !closed) {
                    insertSemicolon = false
                    return GoToken(kind: .semicolon, start: start, end: start, line: tokenLine, column: column)
                }
                continue
            }
            var token = GoToken(kind: .op, start: start, end: start + 1, line: tokenLine, column: column)
            if isIdentStart(c) {
                scanIdentifier()
                token.end = i
                let keyword = GoKeyword.of(b, start, i)
                if keyword == .none {
                    token.kind = .identifier
                    insertSemicolon = true
                } else {
                    token.kind = .keyword
                    token.op = keyword.rawValue
                    insertSemicolon = keyword.endsStatement
                }
                return token
            }
            if c >= 0x80 {
                let (scalar, length, valid) = GoBytes.decodeScalar(UnsafeRawBufferPointer(rebasing: b[i..<min(end, i + 4)]))
                if valid && GoBytes.isLetter(scalar) {
                    scanIdentifier()
                    token.kind = .identifier
                    token.end = i
                    insertSemicolon = true
                    return token
                }
                if !valid {
                    fail(i, "illegal UTF-8 encoding")
                } else if scalar == "\u{FEFF}" {
                    fail(i, "illegal byte order mark")
                } else {
                    let message = "illegal character U+" + Self.hexDigits(scalar.value)
                    fail(i, message)
                }
                i += max(1, length)
                continue
            }
            if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")
                || (c == UInt8(ascii: ".") && i + 1 < end && b[i + 1] >= UInt8(ascii: "0") && b[i + 1] <= UInt8(ascii: "9"))
            {
                scanNumber()
                token.kind = .number
                token.end = i
                insertSemicolon = true
                return token
            }
            i += 1
            insertSemicolon = false
            switch c {
            case UInt8(ascii: "\""):
                scanString(start: start, column: column)
                token.kind = .string
                insertSemicolon = true
            case UInt8(ascii: "`"):
                scanRawString(start: start, line: tokenLine, column: column)
                token.kind = .string
                insertSemicolon = true
            case UInt8(ascii: "'"):
                scanRune(start: start, column: column)
                token.kind = .char
                insertSemicolon = true
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ","):
                token.op = c
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                token.op = c
                insertSemicolon = true
            case UInt8(ascii: ";"):
                token.kind = .semicolon
            case UInt8(ascii: "."):
                if i + 1 < end && b[i] == UInt8(ascii: ".") && b[i + 1] == UInt8(ascii: ".") {
                    i += 2
                    token.op = GoToken.ellipsis
                } else {
                    token.op = c
                }
            case UInt8(ascii: ":"):
                if i < end && b[i] == UInt8(ascii: "=") {
                    i += 1
                    token.op = GoToken.define
                } else {
                    token.op = c
                }
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                if i < end && b[i] == c {
                    i += 1
                    token.op = GoToken.other
                    insertSemicolon = true
                } else {
                    if i < end && b[i] == UInt8(ascii: "=") { i += 1; token.op = GoToken.other } else { token.op = c }
                }
            case UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "%"), UInt8(ascii: "^"), UInt8(ascii: "="),
                UInt8(ascii: "!"):
                if i < end && b[i] == UInt8(ascii: "=") {
                    i += 1
                    token.op = GoToken.other
                } else {
                    token.op = c
                }
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), UInt8(ascii: "|"):
                token.op = c
                if i < end && (b[i] == c || b[i] == UInt8(ascii: "=") || (c == UInt8(ascii: "<") && b[i] == UInt8(ascii: "-"))
                    || (c == UInt8(ascii: "&") && b[i] == UInt8(ascii: "^")))
                {
                    i += 1
                    token.op = GoToken.other
                    if i < end && b[i] == UInt8(ascii: "=") && b[i - 1] != UInt8(ascii: "=") && b[i - 1] != UInt8(ascii: "-") {
                        i += 1  // <<=, >>=, &^=, &&= is not Go but harmless
                    }
                }
                if c == UInt8(ascii: "~") { token.op = c }
            case UInt8(ascii: "~"):
                token.op = c
            case 0:
                fail(start, "illegal character NUL")
                continue
            default:
                let message = "illegal character U+" + Self.hexDigits(UInt32(c)) + " '\(Character(Unicode.Scalar(c)))'"
                fail(start, message)
                continue
            }
            token.end = i
            return token
        }
    }

    @inline(__always) func isIdentStart(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || c == UInt8(ascii: "_")
    }

    mutating func scanIdentifier() {
        while i < end {
            let c = b[i]
            if (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_")
            {
                i += 1
            } else if c >= 0x80 {
                let (scalar, length, valid) = GoBytes.decodeScalar(UnsafeRawBufferPointer(rebasing: b[i..<min(end, i + 4)]))
                if valid && (GoBytes.isLetter(scalar) || GoBytes.isDigit(scalar)) { i += length } else { return }
            } else {
                return
            }
        }
    }

    /// Checks one byte ≥ 0x80 (or NUL) inside a comment or literal and moves past it.
    mutating func checkScalar() {
        if b[i] == 0 {
            fail(i, "illegal character NUL")
            i += 1
            return
        }
        let (scalar, length, valid) = GoBytes.decodeScalar(UnsafeRawBufferPointer(rebasing: b[i..<min(end, i + 4)]))
        if !valid {
            fail(i, "illegal UTF-8 encoding")
        } else if scalar == "\u{FEFF}" {
            fail(i, "illegal byte order mark")
        }
        i += max(1, length)
    }

    mutating func scanNumber() {
        // Digits, letters (base prefixes, exponents, hex digits, i), '_', '.', and a sign after an exponent.
        while i < end {
            let c = b[i]
            if (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
                || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || c == UInt8(ascii: "_") || c == UInt8(ascii: ".")
            {
                i += 1
            } else if (c == UInt8(ascii: "+") || c == UInt8(ascii: "-")) && i > 0
                && (b[i - 1] | 0x20 == UInt8(ascii: "e") || b[i - 1] | 0x20 == UInt8(ascii: "p"))
                && !isHexLiteralExponentE(at: i - 1)
            {
                i += 1
            } else {
                return
            }
        }
    }

    /// In a hex literal `e` is a digit, not an exponent (`0x1e+2` is `0x1e + 2`).
    func isHexLiteralExponentE(at k: Int) -> Bool {
        guard b[k] | 0x20 == UInt8(ascii: "e") else { return false }
        var j = k
        while j > 0 {
            let c = b[j - 1]
            let isNumberByte =
                (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "z"))
                || c == UInt8(ascii: "_") || c == UInt8(ascii: ".")
            if !isNumberByte { break }
            j -= 1
        }
        return k - j >= 2 && b[j] == UInt8(ascii: "0") && b[j + 1] | 0x20 == UInt8(ascii: "x")
    }

    mutating func scanEscape(quote: UInt8) -> Bool {
        let at = i - 1
        guard i < end else {
            fail(at, "escape sequence not terminated")
            return false
        }
        let c = b[i]
        var digits = 0
        var base: UInt32 = 0
        var max: UInt32 = 0
        switch c {
        case UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"),
            UInt8(ascii: "t"), UInt8(ascii: "v"), UInt8(ascii: "\\"), quote:
            i += 1
            return true
        case UInt8(ascii: "0")...UInt8(ascii: "7"): digits = 3; base = 8; max = 255
        case UInt8(ascii: "x"): i += 1; digits = 2; base = 16; max = 255
        case UInt8(ascii: "u"): i += 1; digits = 4; base = 16; max = 0x10FFFF
        case UInt8(ascii: "U"): i += 1; digits = 8; base = 16; max = 0x10FFFF
        default:
            if c == 0x0A || c == quote { fail(at, "escape sequence not terminated") } else { fail(at, "unknown escape sequence") }
            return false
        }
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard i < end else {
                fail(at, "escape sequence not terminated")
                return false
            }
            let d = b[i]
            var v: UInt32 = 99
            if d >= UInt8(ascii: "0") && d <= UInt8(ascii: "9") { v = UInt32(d - UInt8(ascii: "0")) }
            else if d | 0x20 >= UInt8(ascii: "a") && d | 0x20 <= UInt8(ascii: "f") { v = UInt32((d | 0x20) - UInt8(ascii: "a") + 10) }
            if v >= base {
                fail(at, d == quote || d == 0x0A ? "escape sequence not terminated" : "illegal character in escape sequence")
                return false
            }
            value = value &* base &+ v
            i += 1
        }
        if value > max || (base == 16 && digits >= 4 && value >= 0xD800 && value < 0xE000) {
            fail(at, "escape sequence is invalid Unicode code point")
            return false
        }
        return true
    }

    mutating func scanString(start: Int, column: Int32) {
        while true {
            guard i < end, b[i] != 0x0A else {
                if error == nil { error = (line, column, "string literal not terminated") }
                return
            }
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return
            }
            if c == UInt8(ascii: "\\") {
                i += 1
                _ = scanEscape(quote: UInt8(ascii: "\""))
            } else if c >= 0x80 || c == 0 {
                checkScalar()
            } else {
                i += 1
            }
        }
    }

    mutating func scanRawString(start: Int, line startLine: Int32, column: Int32) {
        while i < end {
            let c = b[i]
            if c == UInt8(ascii: "`") {
                i += 1
                return
            }
            if c == 0x0A {
                newline(at: i)
                i += 1
            } else if c >= 0x80 || c == 0 {
                checkScalar()
            } else {
                i += 1
            }
        }
        if error == nil { error = (startLine, column, "raw string literal not terminated") }
    }

    mutating func scanRune(start: Int, column: Int32) {
        var count = 0
        var valid = true
        while true {
            guard i < end, b[i] != 0x0A else {
                if valid { fail(start, "rune literal not terminated") }
                return
            }
            let c = b[i]
            if c == UInt8(ascii: "'") {
                i += 1
                break
            }
            count += 1
            if c == UInt8(ascii: "\\") {
                i += 1
                if !scanEscape(quote: UInt8(ascii: "'")) { valid = false }
            } else if c >= 0x80 || c == 0 {
                checkScalar()
            } else {
                i += 1
            }
        }
        if valid && count != 1 { fail(start, "illegal rune literal") }
    }

    static func hexDigits(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    /// The text of a token.
    func text(_ t: GoToken) -> String { String(decoding: UnsafeRawBufferPointer(rebasing: b[t.start..<t.end]), as: UTF8.self) }

    func bytes(_ t: GoToken) -> [UInt8] { Array(UnsafeRawBufferPointer(rebasing: b[t.start..<t.end])) }
}
