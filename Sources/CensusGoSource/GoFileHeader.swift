/// One import declaration of a file.
public struct GoImportSpec: Sendable, Hashable {
    /// The path, unquoted.
    public var path: String
    /// The name before the path: an identifier, `.` or `_`; `nil` when there is none.
    public var name: String?
    public var line: Int
    public var column: Int
}

/// A file's package clause and imports, read as the go command reads them: `go/build`'s import
/// reader finds where the imports end (or fails on a NUL byte), then the package clause and import
/// declarations of that header are parsed as `go/parser` parses them in `ImportsOnly` mode. A
/// syntax error in the header means the go command records no imports for the file.
struct GoFileHeader {
    /// Bytes from the start of the file (after a byte order mark) through the imports.
    var headerRange: Range<Int>
    /// `unexpected NUL in input`: the go command rejects the whole file.
    var hasNUL = false
    /// The package clause's name; empty when the clause does not parse.
    var packageName = ""
    var imports: [GoImportSpec] = []
    /// The first syntax error in the header, when there is one (the imports are then empty).
    var error: (line: Int, column: Int, message: String)?

    init(_ b: UnsafeRawBufferPointer) {
        var reader = ImportReader(b)
        reader.readGoInfo()
        headerRange = reader.start..<reader.headerEnd
        hasNUL = reader.failedOnNUL
        if hasNUL { return }
        parse(UnsafeRawBufferPointer(rebasing: b[..<reader.headerEnd]), start: reader.start)
    }

    /// `go/parser.ParseFile(…, ImportsOnly)` on the header: package clause, then import
    /// declarations; the first error found is kept.
    mutating func parse(_ b: UnsafeRawBufferPointer, start: Int) {
        var scanner = GoTokenizer(b, start: start)
        var token = scanner.next()
        var parseError: (line: Int, column: Int, message: String)?
        func failed(_ t: GoToken, _ message: String) {
            if parseError == nil { parseError = (Int(t.line), Int(t.column), message) }
        }
        func describe(_ t: GoToken) -> String {
            switch t.kind {
            case .eof: return "EOF"
            case .semicolon: return t.start == t.end ? "newline" : "';'"
            case .identifier: return "IDENT " + scanner.text(t)
            case .keyword: return "'\(scanner.text(t))'"
            case .string, .char, .number: return "literal " + scanner.text(t)
            case .op: return "'\(scanner.text(t))'"
            }
        }
        func expectSemicolon() {
            if token.kind == .op && (token.op == UInt8(ascii: ")") || token.op == UInt8(ascii: "}")) { return }
            if token.kind == .semicolon {
                token = scanner.next()
            } else {
                failed(token, "expected ';', found \(describe(token))")
                // go/parser skips to the next statement start; the header's imports are dropped anyway.
                while token.kind != .eof && token.kind != .semicolon { token = scanner.next() }
                if token.kind == .semicolon { token = scanner.next() }
            }
        }
        guard token.kind == .keyword && GoKeyword(rawValue: token.op) == .package else {
            failed(token, "expected 'package', found \(describe(token))")
            finish(scanner, parseError)
            return
        }
        token = scanner.next()
        if token.kind == .identifier {
            packageName = scanner.text(token)
            token = scanner.next()
        } else {
            failed(token, "expected 'IDENT', found \(describe(token))")
        }
        expectSemicolon()
        if parseError != nil || scanner.error != nil {
            packageName = ""
            finish(scanner, parseError)
            return
        }
        var specs: [GoImportSpec] = []
        func importSpec() {
            var name: String?
            if token.kind == .op && token.op == UInt8(ascii: ".") {
                name = "."
                token = scanner.next()
            } else if token.kind == .identifier {
                name = scanner.text(token)
                token = scanner.next()
            }
            if token.kind == .string {
                let literal = token
                token = scanner.next()
                if let path = GoStringLiteral.unquote(UnsafeRawBufferPointer(rebasing: b[literal.start..<literal.end])),
                    GoStringLiteral.isValidImportPath(path)
                {
                    specs.append(GoImportSpec(path: path, name: name, line: Int(literal.line), column: Int(literal.column)))
                } else {
                    let shown = GoStringLiteral.unquote(UnsafeRawBufferPointer(rebasing: b[literal.start..<literal.end])) ?? ""
                    failed(literal, "invalid import path: " + GoStringLiteral.quote(shown))
                }
            } else {
                failed(token, "expected 'STRING', found \(describe(token))")
                // go/parser's expect() does not advance past the unexpected token.
            }
            expectSemicolon()
        }
        while token.kind == .keyword && GoKeyword(rawValue: token.op) == .import {
            token = scanner.next()
            if token.kind == .op && token.op == UInt8(ascii: "(") {
                token = scanner.next()
                var guardCount = 0
                while !(token.kind == .op && token.op == UInt8(ascii: ")")) && token.kind != .eof {
                    let before = token.start
                    importSpec()
                    if token.start == before {
                        guardCount += 1
                        if guardCount > 2 { token = scanner.next() }  // no progress: skip the token
                    }
                }
                if token.kind == .op && token.op == UInt8(ascii: ")") {
                    token = scanner.next()
                } else {
                    failed(token, "expected ')', found \(describe(token))")
                }
                expectSemicolon()
            } else {
                importSpec()
            }
        }
        imports = specs
        finish(scanner, parseError)
    }

    mutating func finish(_ scanner: GoTokenizer, _ parseError: (line: Int, column: Int, message: String)?) {
        var first = parseError
        if let e = scanner.error {
            let lexical = (line: Int(e.line), column: Int(e.column), message: e.message)
            if first == nil || (lexical.line, lexical.column) <= (first!.line, first!.column) { first = lexical }
        }
        if let first {
            error = first
            imports = []
        }
    }

    /// `go/build`'s `importReader`, byte for byte: it reads `package NAME` and the import
    /// declarations, skipping white space, `;` and comments; the header ends before the byte that
    /// ended them. On a syntax error it reads the whole file (the parser then finds the error); a
    /// NUL byte anywhere it reads fails the file.
    struct ImportReader {
        let b: UnsafeRawBufferPointer
        let start: Int
        var n: Int
        var peek: UInt8 = 0
        var eof = false
        var syntaxError = false
        var failedOnNUL = false
        var headerEnd = 0

        init(_ b: UnsafeRawBufferPointer) {
            self.b = b
            start = b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0
            n = start
        }

        var failed: Bool { syntaxError || failedOnNUL }

        mutating func readByte() -> UInt8 {
            if n < b.count {
                let c = b[n]
                n += 1
                if c == 0 {
                    if !failed { failedOnNUL = true }
                    return 0
                }
                return c
            }
            eof = true
            return 0
        }

        mutating func fail() { if !failed { syntaxError = true } }

        static func isIdent(_ c: UInt8) -> Bool {
            (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_") || c >= 0x80
        }

        mutating func peekByte(_ skipSpace: Bool) -> UInt8 {
            if failed { return 0 }
            var c = peek
            if c == 0 { c = readByte() }
            while !failed && !eof {
                if skipSpace {
                    switch c {
                    case UInt8(ascii: " "), 0x0C, UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: ";"):
                        c = readByte()
                        continue
                    case UInt8(ascii: "/"):
                        c = readByte()
                        if c == UInt8(ascii: "/") {
                            while c != UInt8(ascii: "\n") && !failed && !eof { c = readByte() }
                        } else if c == UInt8(ascii: "*") {
                            var c1: UInt8 = 0
                            while (c != UInt8(ascii: "*") || c1 != UInt8(ascii: "/")) && !failed {
                                if eof { fail() }
                                (c, c1) = (c1, readByte())
                            }
                        } else {
                            fail()
                        }
                        c = readByte()
                        continue
                    default: break
                    }
                }
                break
            }
            peek = c
            return peek
        }

        mutating func nextByte(_ skipSpace: Bool) -> UInt8 {
            let c = peekByte(skipSpace)
            peek = 0
            return c
        }

        mutating func readKeyword(_ keyword: String) {
            _ = peekByte(true)
            for k in keyword.utf8 where nextByte(false) != k {
                fail()
                return
            }
            if Self.isIdent(peekByte(false)) { fail() }
        }

        mutating func readIdent() {
            let c = peekByte(true)
            if !Self.isIdent(c) {
                fail()
                return
            }
            while Self.isIdent(peekByte(false)) { peek = 0 }
        }

        mutating func readString() {
            switch nextByte(true) {
            case UInt8(ascii: "`"):
                while !failed {
                    if nextByte(false) == UInt8(ascii: "`") { break }
                    if eof { fail() }
                }
            case UInt8(ascii: "\""):
                while !failed {
                    let c = nextByte(false)
                    if c == UInt8(ascii: "\"") { break }
                    if eof || c == UInt8(ascii: "\n") { fail() }
                    if c == UInt8(ascii: "\\") { _ = nextByte(false) }
                }
            default:
                fail()
            }
        }

        mutating func readImport() {
            let c = peekByte(true)
            if c == UInt8(ascii: ".") {
                peek = 0
            } else if Self.isIdent(c) {
                readIdent()
            }
            readString()
        }

        mutating func readGoInfo() {
            readKeyword("package")
            readIdent()
            while peekByte(true) == UInt8(ascii: "i") {
                readKeyword("import")
                if peekByte(true) == UInt8(ascii: "(") {
                    _ = nextByte(false)
                    while peekByte(true) != UInt8(ascii: ")") && !failed { readImport() }
                    _ = nextByte(false)
                } else {
                    readImport()
                }
            }
            headerEnd = n
            if !failed && !eof { headerEnd = n - 1 }
            if syntaxError {
                // The go command reads the rest of the file, so a NUL anywhere fails it.
                syntaxError = false
                while !failedOnNUL && !eof { _ = readByte() }
                syntaxError = !failedOnNUL
                headerEnd = n
            }
        }
    }
}

/// Go string literals: unquoting and the import-path check of `go/parser`.
enum GoStringLiteral {
    /// The value of a quoted (`"…"`) or raw (`` `…` ``) literal, as `strconv.Unquote` gives it;
    /// `nil` when it is malformed.
    static func unquote(_ lit: UnsafeRawBufferPointer) -> String? {
        guard lit.count >= 2, let q = lit.first, lit.last == q else { return nil }
        let body = UnsafeRawBufferPointer(rebasing: lit[1..<(lit.count - 1)])
        if q == UInt8(ascii: "`") {
            if body.contains(UInt8(ascii: "`")) { return nil }
            return String(decoding: body.filter { $0 != UInt8(ascii: "\r") }, as: UTF8.self)
        }
        guard q == UInt8(ascii: "\"") else { return nil }
        if !body.contains(UInt8(ascii: "\\")) {
            if body.contains(UInt8(ascii: "\"")) || body.contains(UInt8(ascii: "\n")) { return nil }
            return String(decoding: body, as: UTF8.self)
        }
        var out: [UInt8] = []
        var k = 0
        while k < body.count {
            let c = body[k]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\n") { return nil }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                k += 1
                continue
            }
            k += 1
            guard k < body.count else { return nil }
            let e = body[k]
            k += 1
            switch e {
            case UInt8(ascii: "a"): out.append(7)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "v"): out.append(11)
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                guard k + 2 <= body.count else { return nil }
                var v = Int(e - UInt8(ascii: "0"))
                for d in body[k..<k + 2] {
                    guard d >= UInt8(ascii: "0") && d <= UInt8(ascii: "7") else { return nil }
                    v = v * 8 + Int(d - UInt8(ascii: "0"))
                }
                guard v <= 255 else { return nil }
                out.append(UInt8(v))
                k += 2
            case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                let digits = e == UInt8(ascii: "x") ? 2 : e == UInt8(ascii: "u") ? 4 : 8
                guard k + digits <= body.count else { return nil }
                var v: UInt32 = 0
                for d in body[k..<k + digits] {
                    guard let h = hexValue(d) else { return nil }
                    v = v << 4 | h
                }
                k += digits
                if e == UInt8(ascii: "x") {
                    out.append(UInt8(v))
                } else {
                    guard let s = Unicode.Scalar(v) else { return nil }
                    out.append(contentsOf: Array(String(Character(s)).utf8))
                }
            default: return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexValue(_ d: UInt8) -> UInt32? {
        if d >= UInt8(ascii: "0") && d <= UInt8(ascii: "9") { return UInt32(d - UInt8(ascii: "0")) }
        let l = d | 0x20
        if l >= UInt8(ascii: "a") && l <= UInt8(ascii: "f") { return UInt32(l - UInt8(ascii: "a") + 10) }
        return nil
    }

    /// `go/parser.isValidImport`: not empty; every character graphic, not a space, and none of
    /// ``!"#$%&'()*,:;<=>?[\]^{|}` `` or U+FFFD.
    static func isValidImportPath(_ path: String) -> Bool {
        guard !path.isEmpty else { return false }
        for s in path.unicodeScalars {
            if s.value < 0x80 {
                // ASCII: graphic and not white space means 0x21...0x7E; then Go's illegal punctuation.
                guard s.value >= 0x21, s.value <= 0x7E else { return false }
                switch UInt8(s.value) {
                case UInt8(ascii: "!"), UInt8(ascii: "\""), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"),
                    UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"),
                    UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "<"), UInt8(ascii: "="),
                    UInt8(ascii: ">"), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "\\"), UInt8(ascii: "]"),
                    UInt8(ascii: "^"), UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "`"):
                    return false
                default:
                    continue
                }
            }
            if s == "\u{FFFD}" || s.properties.isWhitespace || !isGraphic(s) { return false }
        }
        return true
    }

    /// Go's `unicode.IsGraphic`: letters, marks, numbers, punctuation, symbols and U+0020 spaces (Zs).
    static func isGraphic(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator: return false
        default: return true
        }
    }

    /// A Go-quoted form of `s` for messages.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
