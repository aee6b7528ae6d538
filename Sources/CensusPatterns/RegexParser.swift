/// The options in force at one point of a pattern.
struct RegexFlags: Sendable {
    /// `i`: ASCII letters match either case.
    var fold: Bool
    /// Ruby's `m`: `.` matches `\n` too.
    var dotAll: Bool
    /// `x`: whitespace and `#` comments outside classes are ignored.
    var extended: Bool
}

/// The result of parsing a pattern.
struct ParsedRegex: Sendable {
    var root: RegexNode
    /// Number of capturing groups (named groups only, when the pattern has any).
    var captureCount: Int
    /// Group indices by name, in pattern order.
    var names: [(name: String, indices: [Int])]
    /// Groups that some backreference refers to.
    var referencedGroups: Set<Int>
}

/// A recursive-descent parser for Ruby (Onigmo) pattern syntax.
///
/// The pattern is read as UTF-8 bytes; every error carries the byte offset where it was found.
struct RegexParser {
    private let bytes: [UInt8]
    private let pattern: String
    private let utf8Mode: Bool
    /// True on the second pass over a pattern with named groups: plain groups do not capture.
    private let namedMode: Bool
    /// Group indices by name, known from the first pass.
    private let knownNames: [[UInt8]: [Int]]
    private var index = 0
    private var depth = 0
    private var captureCount = 0
    private var namedGroupOrder: [[UInt8]] = []
    private var numberedReferences: [(number: Int, offset: Int)] = []
    private var namedReferences: [(name: String, offset: Int)] = []
    private var referencedGroups: Set<Int> = []

    static let maximumRepeat = 100_000
    static let maximumDepth = 200

    private init(pattern: String, utf8Mode: Bool, namedMode: Bool, knownNames: [[UInt8]: [Int]]) {
        self.pattern = pattern
        self.bytes = Array(pattern.utf8)
        self.utf8Mode = utf8Mode
        self.namedMode = namedMode
        self.knownNames = knownNames
    }

    /// Parses `pattern` with the initial `flags`.
    static func parse(_ pattern: String, flags: RegexFlags, utf8Mode: Bool) throws(ByteRegexError) -> ParsedRegex {
        var first = RegexParser(pattern: pattern, utf8Mode: utf8Mode, namedMode: false, knownNames: [:])
        let root = try first.parseWhole(flags)
        if first.namedGroupOrder.isEmpty {
            if let reference = first.namedReferences.first {
                throw first.error("undefined name <\(reference.name)> reference", at: reference.offset)
            }
            for reference in first.numberedReferences where reference.number > first.captureCount {
                throw first.error("invalid backref number/name", at: reference.offset)
            }
            return ParsedRegex(
                root: root, captureCount: first.captureCount, names: [], referencedGroups: first.referencedGroups)
        }
        // Ruby: when a pattern has named groups, plain groups do not capture and named groups
        // are numbered among themselves.
        var names: [[UInt8]: [Int]] = [:]
        var ordered: [[UInt8]] = []
        for (offset, name) in first.namedGroupOrder.enumerated() {
            if names[name] == nil { ordered.append(name) }
            names[name, default: []].append(offset + 1)
        }
        var second = RegexParser(pattern: pattern, utf8Mode: utf8Mode, namedMode: true, knownNames: names)
        let namedRoot = try second.parseWhole(flags)
        return ParsedRegex(
            root: namedRoot, captureCount: second.captureCount,
            names: ordered.map { (String(decoding: $0, as: UTF8.self), names[$0] ?? []) },
            referencedGroups: second.referencedGroups)
    }

    private func error(_ message: String, at offset: Int? = nil) -> ByteRegexError {
        ByteRegexError(pattern: pattern, offset: offset ?? min(index, bytes.count), message: message)
    }

    private var atEnd: Bool { index >= bytes.count }

    private func peek(_ ahead: Int = 0) -> UInt8? {
        index + ahead < bytes.count ? bytes[index + ahead] : nil
    }

    // MARK: Structure

    private mutating func parseWhole(_ flags: RegexFlags) throws(ByteRegexError) -> RegexNode {
        let root = try parseAlternation(flags)
        if !atEnd { throw error("unmatched close parenthesis") }
        return root
    }

    private mutating func parseAlternation(_ flags: RegexFlags) throws(ByteRegexError) -> RegexNode {
        var branches = [try parseSequence(flags)]
        while peek() == UInt8(ascii: "|") {
            index += 1
            branches.append(try parseSequence(flags))
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseSequence(_ flags: RegexFlags) throws(ByteRegexError) -> RegexNode {
        var items: [RegexNode] = []
        while true {
            skipIgnorable(flags)
            guard let c = peek(), c != UInt8(ascii: "|"), c != UInt8(ascii: ")") else { break }
            if c == UInt8(ascii: "("), peek(1) == UInt8(ascii: "?"),
                let (newFlags, end, scoped) = try optionGroup(flags), !scoped
            {
                // `(?i)` applies to the rest of the enclosing group, alternatives included:
                // Onigmo reads `a(?i)b|c` as `a(?i:b|c)`.
                index = end
                try enter()
                items.append(try parseAlternation(newFlags))
                depth -= 1
                break
            }
            let atom = try parseAtom(flags)
            items.append(try parseQuantifiers(atom, flags))
        }
        return Self.concatenate(items)
    }

    /// Joins items, merging adjacent literals with the same case rule.
    static func concatenate(_ items: [RegexNode]) -> RegexNode {
        var merged: [RegexNode] = []
        for item in items {
            if case .empty = item { continue }
            if case .concat(let inner) = item {
                for node in inner { append(node, to: &merged) }
            } else {
                append(item, to: &merged)
            }
        }
        switch merged.count {
        case 0: return .empty
        case 1: return merged[0]
        default: return .concat(merged)
        }
    }

    private static func append(_ node: RegexNode, to list: inout [RegexNode]) {
        if case .literal(let next, let fold) = node, case .literal(let previous, let previousFold)? = list.last,
            fold == previousFold
        {
            list[list.count - 1] = .literal(previous + next, fold: fold)
        } else {
            list.append(node)
        }
    }

    private mutating func enter() throws(ByteRegexError) {
        depth += 1
        if depth > Self.maximumDepth { throw error("groups nested deeper than \(Self.maximumDepth)") }
    }

    /// Skips whitespace and `#` comments in extended mode, and `(?#...)` comments always.
    private mutating func skipIgnorable(_ flags: RegexFlags) {
        while let c = peek() {
            if flags.extended, c == 0x20 || (c >= 0x09 && c <= 0x0D) {
                index += 1
            } else if flags.extended, c == UInt8(ascii: "#") {
                while let d = peek(), d != 0x0A { index += 1 }
            } else if c == UInt8(ascii: "("), peek(1) == UInt8(ascii: "?"), peek(2) == UInt8(ascii: "#") {
                var j = index + 3
                while j < bytes.count, bytes[j] != UInt8(ascii: ")") { j += 1 }
                if j >= bytes.count { return }  // reported by parseGroup
                index = j + 1
            } else {
                return
            }
        }
    }

    /// Reads `(?imx-imx)` or `(?imx-imx:` at `index`; nil when the group is of another kind.
    private func optionGroup(_ flags: RegexFlags) throws(ByteRegexError) -> (RegexFlags, Int, Bool)? {
        var j = index + 2
        var result = flags
        var negative = false
        var sawAny = false
        while j < bytes.count {
            let c = bytes[j]
            switch c {
            case UInt8(ascii: "i"): result.fold = !negative
            case UInt8(ascii: "m"): result.dotAll = !negative
            case UInt8(ascii: "x"): result.extended = !negative
            case UInt8(ascii: "a"), UInt8(ascii: "d"), UInt8(ascii: "u"):
                // Character-range options: ASCII (`a`) and default (`d`) are what this engine
                // does; Unicode (`u`) changes nothing on a binary string.
                if negative { throw error("undefined group option", at: j) }
                if c == UInt8(ascii: "u"), utf8Mode {
                    throw error("(?u) (Unicode \\w, \\d, \\s) is not supported in UTF-8 mode", at: j)
                }
            case UInt8(ascii: "-"):
                if negative { throw error("undefined group option", at: j) }
                negative = true
            case UInt8(ascii: ")"), UInt8(ascii: ":"):
                if !sawAny { return nil }
                return (result, j + 1, c == UInt8(ascii: ":"))
            default:
                return nil
            }
            sawAny = true
            j += 1
        }
        return nil
    }

    // MARK: Atoms

    private mutating func parseAtom(_ flags: RegexFlags) throws(ByteRegexError) -> RegexNode {
        let start = index
        let c = bytes[index]
        switch c {
        case UInt8(ascii: "("):
            return try parseGroup(flags)
        case UInt8(ascii: "["):
            index += 1
            let (raw, negated) = try parseClassBody()
            var set = raw
            if flags.fold { set = set.asciiCaseClosed }
            if negated { set = set.complement(in: universe) }
            return classNode(set)
        case UInt8(ascii: "."):
            index += 1
            var set = CodeSet()
            set.insert(universe)
            if !flags.dotAll { set = remove(0x0A, from: set) }
            return classNode(set)
        case UInt8(ascii: "^"):
            index += 1
            return .assertion(.lineStart)
        case UInt8(ascii: "$"):
            index += 1
            return .assertion(.lineEnd)
        case UInt8(ascii: "\\"):
            return try parseEscape(flags)
        case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"):
            throw error("target of repeat operator is not specified", at: start)
        case UInt8(ascii: "{"):
            if try parseInterval() != nil { throw error("target of repeat operator is not specified", at: start) }
            index += 1
            return .literal([c], fold: flags.fold)
        default:
            let length = Self.utf8SequenceLength(c)
            let end = min(index + length, bytes.count)
            let literal = Array(bytes[index..<end])
            index = end
            return .literal(literal, fold: flags.fold)
        }
    }

    private var universe: ClosedRange<UInt32> { utf8Mode ? CodeSet.utf8Universe : CodeSet.binaryUniverse }

    private func remove(_ value: UInt32, from set: CodeSet) -> CodeSet {
        var single = CodeSet()
        single.insert(value...value)
        return set.intersection(single.complement(in: universe))
    }

    /// A class as a node: a byte set when it cannot match a byte of 0x80 or above as part of a
    /// longer character.
    private func classNode(_ set: CodeSet) -> RegexNode {
        if !utf8Mode { return .byteSet(set.bytes(below: 0x100)) }
        if !set.hasMember(atOrAbove: 0x80) { return .byteSet(set.bytes(below: 0x80)) }
        return .charClass(set)
    }

    private func setNode(_ set: ByteSet) -> RegexNode { classNode(codeSet(set)) }

    /// A byte set of ASCII members as a class; when it has members of 0x80 and above (a negated
    /// escape like `\W`), in UTF-8 mode they stand for every non-ASCII character.
    private func codeSet(_ set: ByteSet) -> CodeSet {
        let ascii = CodeSet(set.intersection(ByteSet(range: 0...0x7F)))
        if !set.containsNonASCII { return ascii }
        if !utf8Mode { return CodeSet(set) }
        var result = ascii
        result.insert(0x80...universe.upperBound)
        return result
    }

    private mutating func parseGroup(_ flags: RegexFlags) throws(ByteRegexError) -> RegexNode {
        let open = index
        try enter()
        defer { depth -= 1 }
        index += 1
        guard peek() == UInt8(ascii: "?") else {
            let group: Int?
            if namedMode {
                group = nil
            } else {
                captureCount += 1
                group = captureCount
            }
            let body = try parseAlternation(flags)
            try expectClose(open)
            return group.map { .capture($0, body) } ?? body
        }
        index += 1
        guard let kind = peek() else { throw error("end pattern in group") }
        switch kind {
        case UInt8(ascii: ":"):
            index += 1
            let body = try parseAlternation(flags)
            try expectClose(open)
            return body
        case UInt8(ascii: ">"):
            index += 1
            let body = try parseAlternation(flags)
            try expectClose(open)
            return .atomic(body)
        case UInt8(ascii: "="), UInt8(ascii: "!"):
            index += 1
            let body = try parseAlternation(flags)
            try expectClose(open)
            return .look(body, behind: false, negative: kind == UInt8(ascii: "!"))
        case UInt8(ascii: "<") where peek(1) == UInt8(ascii: "=") || peek(1) == UInt8(ascii: "!"):
            let negative = peek(1) == UInt8(ascii: "!")
            index += 2
            let body = try parseAlternation(flags)
            try expectClose(open)
            return .look(body, behind: true, negative: negative)
        case UInt8(ascii: "<"), UInt8(ascii: "'"):
            let name = try parseGroupName(close: kind == UInt8(ascii: "<") ? UInt8(ascii: ">") : UInt8(ascii: "'"))
            let group: Int
            if namedMode {
                captureCount += 1
                group = captureCount
            } else {
                // First pass: count it like any group so numbering errors surface the same way.
                namedGroupOrder.append(name)
                captureCount += 1
                group = captureCount
            }
            let body = try parseAlternation(flags)
            try expectClose(open)
            return .capture(group, body)
        case UInt8(ascii: "#"):
            // Only reached for an unterminated comment.
            throw error("end pattern in group", at: open)
        case UInt8(ascii: "~"):
            throw error("the absence operator (?~...) is not supported", at: open)
        case UInt8(ascii: "("):
            throw error("conditional groups (?(cond)...) are not supported", at: open)
        default:
            index = open
            guard let (newFlags, end, scoped) = try optionGroup(flags), scoped else {
                throw error("undefined group option", at: open + 2)
            }
            index = end
            let body = try parseAlternation(newFlags)
            try expectClose(open)
            return body
        }
    }

    private mutating func expectClose(_ open: Int) throws(ByteRegexError) {
        guard peek() == UInt8(ascii: ")") else {
            throw error("end pattern with unmatched parenthesis", at: open)
        }
        index += 1
    }

    private mutating func parseGroupName(close: UInt8) throws(ByteRegexError) -> [UInt8] {
        let start = index
        index += 1
        var name: [UInt8] = []
        while let c = peek(), c != close {
            name.append(c)
            index += 1
        }
        guard peek() == close, let first = name.first, !ASCII.digit.contains(first),
            name.allSatisfy({ $0 >= 0x80 || ASCII.word.contains($0) })
        else {
            throw error("invalid group name <\(String(decoding: name, as: UTF8.self))>", at: start)
        }
        index += 1
        return name
    }

    // MARK: Quantifiers

    private mutating func parseQuantifiers(_ atom: RegexNode, _ flags: RegexFlags) throws(ByteRegexError) -> RegexNode {
        var node = atom
        var stacked = 0
        while true {
            skipIgnorable(flags)
            guard let c = peek() else { return node }
            let start = index
            var minimum = 0
            var maximum = -1
            var fixedForm = false
            switch c {
            case UInt8(ascii: "*"):
                index += 1
            case UInt8(ascii: "+"):
                minimum = 1
                index += 1
            case UInt8(ascii: "?"):
                maximum = 1
                index += 1
            case UInt8(ascii: "{"):
                guard let interval = try parseInterval() else { return node }
                (minimum, maximum, fixedForm) = (interval.min, interval.max, interval.fixed)
                index = interval.end
            default:
                return node
            }
            stacked += 1
            if stacked > Self.maximumDepth { throw error("too many stacked repeat operators", at: start) }
            var kind = RepeatKind.greedy
            if peek() == UInt8(ascii: "?") {
                index += 1
                if fixedForm {
                    // Ruby: `x{n}?` is `(?:x{n})?`, not a lazy `{n}`.
                    node = .repetition(.repetition(node, min: minimum, max: maximum, kind: .greedy), min: 0, max: 1, kind: .greedy)
                    continue
                }
                kind = .lazy
            } else if peek() == UInt8(ascii: "+"), c != UInt8(ascii: "{") {
                // `{n,m}+` is `(?:x{n,m})+` in Ruby: only `*+ ++ ?+` are possessive.
                index += 1
                kind = .possessive
            }
            node = .repetition(node, min: minimum, max: maximum, kind: kind)
        }
    }

    /// Reads `{n}`, `{n,}`, `{,m}` or `{n,m}` at `index` without consuming it; nil when the text is
    /// not an interval (then `{` is a literal, as in Ruby).
    private func parseInterval() throws(ByteRegexError) -> (min: Int, max: Int, fixed: Bool, end: Int)? {
        var j = index + 1
        func number(_ j: inout Int) -> Int? {
            var value: Int? = nil
            while j < bytes.count, ASCII.digit.contains(bytes[j]) {
                value = min((value ?? 0) * 10 + Int(bytes[j] - 0x30), 10_000_000)
                j += 1
            }
            return value
        }
        let low = number(&j)
        var high: Int? = nil
        var comma = false
        if j < bytes.count, bytes[j] == UInt8(ascii: ",") {
            comma = true
            j += 1
            high = number(&j)
        }
        guard j < bytes.count, bytes[j] == UInt8(ascii: "}"), low != nil || high != nil else { return nil }
        if (low ?? 0) > Self.maximumRepeat || (high ?? 0) > Self.maximumRepeat {
            throw error("too big number for repeat range", at: index)
        }
        if !comma, let low { return (low, low, true, j + 1) }
        let minimum = low ?? 0
        let maximum = high ?? -1
        if maximum >= 0, maximum < minimum {
            throw error("upper is smaller than lower in repeat range", at: index)
        }
        return (minimum, maximum, false, j + 1)
    }

    // MARK: Escapes

    private mutating func parseEscape(_ flags: RegexFlags) throws(ByteRegexError) -> RegexNode {
        let start = index
        index += 1
        guard let c = peek() else { throw error("too short escape sequence", at: start) }
        index += 1
        func byte(_ value: UInt8) -> RegexNode { .literal([value], fold: flags.fold) }
        switch c {
        case UInt8(ascii: "t"): return byte(0x09)
        case UInt8(ascii: "n"): return byte(0x0A)
        case UInt8(ascii: "r"): return byte(0x0D)
        case UInt8(ascii: "f"): return byte(0x0C)
        case UInt8(ascii: "v"): return byte(0x0B)
        case UInt8(ascii: "a"): return byte(0x07)
        case UInt8(ascii: "e"): return byte(0x1B)
        case UInt8(ascii: "x"): return byte(try parseHexByte(start))
        case UInt8(ascii: "u"):
            var encoded: [UInt8] = []
            for scalar in try parseUnicodeEscape(start) { encoded += Self.utf8Encode(scalar) }
            return .literal(encoded, fold: flags.fold)
        case UInt8(ascii: "c"), UInt8(ascii: "C"):
            return byte(try parseControl(c, start))
        case UInt8(ascii: "M"):
            throw error("meta escapes (\\M-x) are not supported", at: start)
        case UInt8(ascii: "0"):
            return byte(try parseOctal(from: index - 1, maxDigits: 3, start))
        case UInt8(ascii: "1")...UInt8(ascii: "9"):
            return try parseNumericEscape(c, start, flags)
        case UInt8(ascii: "w"): return setNode(ASCII.word)
        case UInt8(ascii: "W"): return setNode(ASCII.word.inverted)
        case UInt8(ascii: "s"): return setNode(ASCII.space)
        case UInt8(ascii: "S"): return setNode(ASCII.space.inverted)
        case UInt8(ascii: "d"): return setNode(ASCII.digit)
        case UInt8(ascii: "D"): return setNode(ASCII.digit.inverted)
        case UInt8(ascii: "h"): return setNode(ASCII.hexDigit)
        case UInt8(ascii: "H"): return setNode(ASCII.hexDigit.inverted)
        case UInt8(ascii: "b"): return .assertion(.wordBoundary)
        case UInt8(ascii: "B"): return .assertion(.notWordBoundary)
        case UInt8(ascii: "A"): return .assertion(.textStart)
        case UInt8(ascii: "z"): return .assertion(.textEnd)
        case UInt8(ascii: "Z"): return .assertion(.textEndOrFinalNewline)
        case UInt8(ascii: "R"): return .lineBreak
        case UInt8(ascii: "k"): return try parseNamedReference(start, flags)
        case UInt8(ascii: "G"), UInt8(ascii: "K"), UInt8(ascii: "X"), UInt8(ascii: "g"), UInt8(ascii: "p"),
            UInt8(ascii: "P"):
            throw error("\\\(Character(Unicode.Scalar(c))) is not supported", at: start)
        default:
            // Any other escaped character stands for itself (Ruby ignores unknown escapes).
            index -= 1
            let length = Self.utf8SequenceLength(c)
            let end = min(index + length, bytes.count)
            let literal = Array(bytes[index..<end])
            index = end
            return .literal(literal, fold: flags.fold)
        }
    }

    /// `\1`...`\9` are backreferences; a larger number is one when that many groups were opened
    /// before it, otherwise an octal escape (or a literal `8`/`9`), as Onigmo reads it.
    private mutating func parseNumericEscape(_ c: UInt8, _ start: Int, _ flags: RegexFlags) throws(ByteRegexError)
        -> RegexNode
    {
        let digitsStart = index - 1
        var j = digitsStart
        var number = 0
        while j < bytes.count, ASCII.digit.contains(bytes[j]) {
            number = min(number * 10 + Int(bytes[j] - 0x30), 1_000_000)
            j += 1
        }
        if number <= 9 || number <= captureCount {
            index = j
            if namedMode { throw error("numbered backref/call is not allowed. (use name)", at: start) }
            numberedReferences.append((number, start))
            referencedGroups.insert(number)
            return .backreference([number], fold: flags.fold)
        }
        if c == UInt8(ascii: "8") || c == UInt8(ascii: "9") {
            index = digitsStart + 1
            return .literal([c], fold: flags.fold)
        }
        return .literal([try parseOctal(from: digitsStart, maxDigits: 3, start)], fold: flags.fold)
    }

    private mutating func parseOctal(from position: Int, maxDigits: Int, _ start: Int) throws(ByteRegexError) -> UInt8 {
        var j = position
        var value = 0
        while j < bytes.count, j - position < maxDigits, bytes[j] >= 0x30, bytes[j] <= 0x37 {
            value = value * 8 + Int(bytes[j] - 0x30)
            j += 1
        }
        if value > 0xFF { throw error("invalid escape code", at: start) }
        index = j
        return UInt8(value)
    }

    private mutating func parseHexByte(_ start: Int) throws(ByteRegexError) -> UInt8 {
        var value = 0
        var digits = 0
        while digits < 2, let c = peek(), let digit = Self.hexValue(c) {
            value = value * 16 + digit
            digits += 1
            index += 1
        }
        if digits == 0 { throw error("invalid hex escape", at: start) }
        return UInt8(value)
    }

    private mutating func parseUnicodeEscape(_ start: Int) throws(ByteRegexError) -> [UInt32] {
        var scalars: [UInt32] = []
        func check(_ value: UInt32) throws(ByteRegexError) {
            if value > 0x10FFFF || (0xD800...0xDFFF).contains(value) {
                throw error("invalid Unicode range", at: start)
            }
        }
        if peek() == UInt8(ascii: "{") {
            index += 1
            while true {
                while peek() == 0x20 { index += 1 }
                if peek() == UInt8(ascii: "}") {
                    index += 1
                    break
                }
                var value: UInt32 = 0
                var digits = 0
                while let c = peek(), let digit = Self.hexValue(c) {
                    if digits >= 8 { throw error("invalid Unicode escape", at: start) }
                    value = value * 16 + UInt32(digit)
                    digits += 1
                    index += 1
                }
                if digits == 0 { throw error("invalid Unicode escape", at: start) }
                try check(value)
                scalars.append(value)
            }
            if scalars.isEmpty { throw error("invalid Unicode escape", at: start) }
            return scalars
        }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let c = peek(), let digit = Self.hexValue(c) else { throw error("invalid Unicode escape", at: start) }
            value = value * 16 + UInt32(digit)
            index += 1
        }
        try check(value)
        return [value]
    }

    private mutating func parseControl(_ c: UInt8, _ start: Int) throws(ByteRegexError) -> UInt8 {
        if c == UInt8(ascii: "C") {
            guard peek() == UInt8(ascii: "-") else { throw error("invalid control-code syntax", at: start) }
            index += 1
        }
        guard let target = peek() else { throw error("too short control escape", at: start) }
        guard target < 0x80, target != UInt8(ascii: "\\"), target != UInt8(ascii: "?") else {
            throw error("this control escape is not supported", at: start)
        }
        index += 1
        return target & 0x9F
    }

    private mutating func parseNamedReference(_ start: Int, _ flags: RegexFlags) throws(ByteRegexError) -> RegexNode {
        guard let open = peek(), open == UInt8(ascii: "<") || open == UInt8(ascii: "'") else {
            // `\k` alone is a literal `k` in Ruby.
            return .literal([UInt8(ascii: "k")], fold: flags.fold)
        }
        let close = open == UInt8(ascii: "<") ? UInt8(ascii: ">") : UInt8(ascii: "'")
        var j = index + 1
        var name: [UInt8] = []
        while j < bytes.count, bytes[j] != close {
            name.append(bytes[j])
            j += 1
        }
        let text = String(decoding: name, as: UTF8.self)
        guard j < bytes.count, !name.isEmpty else { throw error("invalid group name <\(text)>", at: start) }
        index = j + 1
        if let first = name.first, first == UInt8(ascii: "-") || ASCII.digit.contains(first) {
            let digits = first == UInt8(ascii: "-") ? name.dropFirst() : name[...]
            guard !digits.isEmpty, digits.allSatisfy({ ASCII.digit.contains($0) }), digits.count < 7 else {
                throw error("invalid group name <\(text)>", at: start)
            }
            if namedMode { throw error("numbered backref/call is not allowed. (use name)", at: start) }
            let value = Int(String(decoding: digits, as: UTF8.self)) ?? 0
            let number = first == UInt8(ascii: "-") ? captureCount + 1 - value : value
            guard number >= 1 else { throw error("invalid backref number/name", at: start) }
            numberedReferences.append((number, start))
            referencedGroups.insert(number)
            return .backreference([number], fold: flags.fold)
        }
        if !namedMode {
            // First pass: names are resolved on the second pass, once every group is known.
            namedReferences.append((text, start))
            return .backreference([], fold: flags.fold)
        }
        guard let groups = knownNames[name] else { throw error("undefined name <\(text)> reference", at: start) }
        referencedGroups.formUnion(groups)
        return .backreference(groups.reversed(), fold: flags.fold)
    }

    // MARK: Classes

    private enum ClassItem {
        case value(UInt32)
        case set(CodeSet)
    }

    /// Parses a class after its `[`, through its `]`. Returns the members before the class's own
    /// negation (nested classes are resolved) and whether it is negated: Ruby case-folds that
    /// set before negating it.
    private mutating func parseClassBody() throws(ByteRegexError) -> (CodeSet, Bool) {
        try enter()
        defer { depth -= 1 }
        let open = index - 1
        var negated = false
        if peek() == UInt8(ascii: "^") {
            negated = true
            index += 1
        }
        var operands: [CodeSet] = []
        var current = CodeSet()
        var first = true
        while true {
            guard let c = peek() else { throw error("premature end of char-class", at: open) }
            if c == UInt8(ascii: "]") {
                if first {
                    guard closingBracketFollows(index + 1) else { throw error("empty char-class", at: open) }
                    index += 1
                    current.insert(0x5D...0x5D)
                    first = false
                    continue
                }
                index += 1
                break
            }
            first = false
            if c == UInt8(ascii: "[") {
                if let posix = try parsePosixBracket() {
                    if peek() == UInt8(ascii: "-"), let after = peek(1), after != UInt8(ascii: "]") {
                        throw error("unmatched range specifier in char-class")
                    }
                    current.formUnion(posix)
                    continue
                }
                index += 1
                let (nested, nestedNegated) = try parseClassBody()
                current.formUnion(nestedNegated ? nested.complement(in: universe) : nested)
                continue
            }
            if c == UInt8(ascii: "&"), peek(1) == UInt8(ascii: "&") {
                index += 2
                operands.append(current)
                current = CodeSet()
                continue
            }
            let itemStart = index
            switch try parseClassItem() {
            case .set(let set):
                if peek() == UInt8(ascii: "-"), let after = peek(1), after != UInt8(ascii: "]") {
                    throw error("unmatched range specifier in char-class", at: itemStart)
                }
                current.formUnion(set)
            case .value(let low):
                if peek() == UInt8(ascii: "-"), let after = peek(1), after != UInt8(ascii: "]") {
                    index += 1
                    if after == UInt8(ascii: "[") { throw error("unmatched range specifier in char-class", at: itemStart) }
                    guard case .value(let high) = try parseClassItem() else {
                        throw error("char-class value at end of range", at: itemStart)
                    }
                    if high < low { throw error("empty range in char class", at: itemStart) }
                    current.insert(low...high)
                } else {
                    current.insert(low...low)
                }
            }
        }
        operands.append(current)
        var result = operands[0]
        for operand in operands.dropFirst() { result = result.intersection(operand) }
        return (result, negated)
    }

    /// Onigmo's rule for a `]` right after `[`: a literal when another `]` follows.
    private func closingBracketFollows(_ start: Int) -> Bool {
        var j = start
        while j < bytes.count {
            if bytes[j] == UInt8(ascii: "\\") {
                j += 2
                continue
            }
            if bytes[j] == UInt8(ascii: "]") { return true }
            j += 1
        }
        return false
    }

    /// `[:name:]` or `[:^name:]` at `index`; nil when the text does not have that shape.
    private mutating func parsePosixBracket() throws(ByteRegexError) -> CodeSet? {
        guard peek(1) == UInt8(ascii: ":") else { return nil }
        var j = index + 2
        var negated = false
        if j < bytes.count, bytes[j] == UInt8(ascii: "^") {
            negated = true
            j += 1
        }
        let nameStart = j
        while j < bytes.count, ASCII.isLetter(bytes[j]) { j += 1 }
        guard j + 1 < bytes.count, bytes[j] == UInt8(ascii: ":"), bytes[j + 1] == UInt8(ascii: "]") else {
            return nil
        }
        let name = String(decoding: bytes[nameStart..<j], as: UTF8.self)
        guard let set = ASCII.posixClass(name) else { throw error("invalid POSIX bracket type", at: index) }
        index = j + 2
        let members = codeSet(set)
        return negated ? members.complement(in: universe) : members
    }

    private mutating func parseClassItem() throws(ByteRegexError) -> ClassItem {
        let start = index
        let c = bytes[index]
        if c >= 0x80 {
            let (scalar, length) = Self.decodePatternScalar(bytes, at: index)
            index += length
            return .value(try classValue(scalar, start))
        }
        guard c == UInt8(ascii: "\\") else {
            index += 1
            return .value(UInt32(c))
        }
        index += 1
        guard let e = peek() else { throw error("too short escape sequence", at: start) }
        index += 1
        switch e {
        case UInt8(ascii: "t"): return .value(0x09)
        case UInt8(ascii: "n"): return .value(0x0A)
        case UInt8(ascii: "r"): return .value(0x0D)
        case UInt8(ascii: "f"): return .value(0x0C)
        case UInt8(ascii: "v"): return .value(0x0B)
        case UInt8(ascii: "a"): return .value(0x07)
        case UInt8(ascii: "e"): return .value(0x1B)
        case UInt8(ascii: "b"): return .value(0x08)
        case UInt8(ascii: "x"):
            let value = try parseHexByte(start)
            if value < 0x80 || !utf8Mode { return .value(UInt32(value)) }
            return .value(try multibyteEscape(first: value, start))
        case UInt8(ascii: "u"):
            let scalars = try parseUnicodeEscape(start)
            guard scalars.count == 1 else { throw error("several code points in a class escape", at: start) }
            return .value(try classValue(scalars[0], start))
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            let value = try parseOctal(from: index - 1, maxDigits: 3, start)
            if value >= 0x80, utf8Mode { throw error("invalid multibyte escape", at: start) }
            return .value(UInt32(value))
        case UInt8(ascii: "c"), UInt8(ascii: "C"):
            return .value(UInt32(try parseControl(e, start)))
        case UInt8(ascii: "M"):
            throw error("meta escapes (\\M-x) are not supported", at: start)
        case UInt8(ascii: "w"): return .set(codeSet(ASCII.word))
        case UInt8(ascii: "W"): return .set(codeSet(ASCII.word.inverted))
        case UInt8(ascii: "s"): return .set(codeSet(ASCII.space))
        case UInt8(ascii: "S"): return .set(codeSet(ASCII.space.inverted))
        case UInt8(ascii: "d"): return .set(codeSet(ASCII.digit))
        case UInt8(ascii: "D"): return .set(codeSet(ASCII.digit.inverted))
        case UInt8(ascii: "h"): return .set(codeSet(ASCII.hexDigit))
        case UInt8(ascii: "H"): return .set(codeSet(ASCII.hexDigit.inverted))
        case UInt8(ascii: "p"), UInt8(ascii: "P"):
            throw error("property classes (\\p{...}) are not supported", at: start)
        default:
            if e >= 0x80 {
                let (scalar, length) = Self.decodePatternScalar(bytes, at: index - 1)
                index += length - 1
                return .value(try classValue(scalar, start))
            }
            return .value(UInt32(e))
        }
    }

    private func classValue(_ scalar: UInt32, _ start: Int) throws(ByteRegexError) -> UInt32 {
        if scalar >= 0x80, !utf8Mode {
            throw error(
                "a non-ASCII character in a class needs the .utf8 option (Ruby cannot match it against a binary string)",
                at: start)
        }
        return scalar
    }

    /// In UTF-8 mode, `[\xC3\xA9]` is the character é: consecutive byte escapes must form one
    /// valid UTF-8 sequence.
    private mutating func multibyteEscape(first: UInt8, _ start: Int) throws(ByteRegexError) -> UInt32 {
        var sequence = [first]
        let length = Self.utf8SequenceLength(first)
        while sequence.count < length, peek() == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "x") {
            index += 2
            sequence.append(try parseHexByte(start))
        }
        guard length > 1, sequence.count == length, let scalar = UTF8Decoding.decode(sequence, at: 0),
            scalar.length == length
        else {
            throw error("invalid multibyte escape", at: start)
        }
        return scalar.value
    }

    // MARK: UTF-8 helpers

    static func utf8SequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0xC0...0xDF: return 2
        case 0xE0...0xEF: return 3
        case 0xF0...0xF7: return 4
        default: return 1
        }
    }

    /// Decodes a scalar of the (valid UTF-8) pattern.
    private static func decodePatternScalar(_ bytes: [UInt8], at position: Int) -> (UInt32, Int) {
        if let decoded = UTF8Decoding.decode(bytes, at: position) { return (decoded.value, decoded.length) }
        return (UInt32(bytes[position]), 1)
    }

    static func utf8Encode(_ scalar: UInt32) -> [UInt8] {
        switch scalar {
        case 0..<0x80: return [UInt8(scalar)]
        case 0x80..<0x800: return [UInt8(0xC0 | (scalar >> 6)), UInt8(0x80 | (scalar & 0x3F))]
        case 0x800..<0x10000:
            return [UInt8(0xE0 | (scalar >> 12)), UInt8(0x80 | ((scalar >> 6) & 0x3F)), UInt8(0x80 | (scalar & 0x3F))]
        default:
            return [
                UInt8(0xF0 | (scalar >> 18)), UInt8(0x80 | ((scalar >> 12) & 0x3F)),
                UInt8(0x80 | ((scalar >> 6) & 0x3F)), UInt8(0x80 | (scalar & 0x3F)),
            ]
        }
    }

    private static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(c - 0x30)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(c - 0x61 + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(c - 0x41 + 10)
        default: return nil
        }
    }
}

/// Strict UTF-8 decoding (no overlong forms, no surrogates, at most U+10FFFF).
enum UTF8Decoding {
    /// The scalar starting at `position` and its length in bytes; nil when the bytes there do
    /// not form a valid sequence.
    @inline(__always)
    static func decode(_ base: UnsafePointer<UInt8>, at position: Int, end: Int) -> (value: UInt32, length: Int)? {
        let lead = base[position]
        if lead < 0x80 { return (UInt32(lead), 1) }
        if lead < 0xC2 { return nil }
        if lead < 0xE0 {
            guard position + 1 < end else { return nil }
            let b1 = base[position + 1]
            guard b1 & 0xC0 == 0x80 else { return nil }
            return (UInt32(lead & 0x1F) << 6 | UInt32(b1 & 0x3F), 2)
        }
        if lead < 0xF0 {
            guard position + 2 < end else { return nil }
            let b1 = base[position + 1]
            let b2 = base[position + 2]
            guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80 else { return nil }
            if lead == 0xE0, b1 < 0xA0 { return nil }
            if lead == 0xED, b1 >= 0xA0 { return nil }
            return (UInt32(lead & 0x0F) << 12 | UInt32(b1 & 0x3F) << 6 | UInt32(b2 & 0x3F), 3)
        }
        if lead < 0xF5 {
            guard position + 3 < end else { return nil }
            let b1 = base[position + 1]
            let b2 = base[position + 2]
            let b3 = base[position + 3]
            guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80, b3 & 0xC0 == 0x80 else { return nil }
            if lead == 0xF0, b1 < 0x90 { return nil }
            if lead == 0xF4, b1 >= 0x90 { return nil }
            return (
                UInt32(lead & 0x07) << 18 | UInt32(b1 & 0x3F) << 12 | UInt32(b2 & 0x3F) << 6 | UInt32(b3 & 0x3F), 4
            )
        }
        return nil
    }

    static func decode(_ bytes: [UInt8], at position: Int) -> (value: UInt32, length: Int)? {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, position < buffer.count else { return nil }
            return decode(base, at: position, end: buffer.count)
        }
    }

    /// The start of the character that ends at `position` (exclusive): the position of a lead
    /// byte whose valid sequence ends exactly there, else `position - 1`.
    @inline(__always)
    static func previousStart(_ base: UnsafePointer<UInt8>, before position: Int, end: Int) -> Int {
        let last = base[position - 1]
        if last < 0x80 || last >= 0xC0 { return position - 1 }
        var start = position - 2
        let limit = max(0, position - 4)
        while start >= limit {
            let byte = base[start]
            if byte & 0xC0 != 0x80 {
                if let decoded = decode(base, at: start, end: end), start + decoded.length == position { return start }
                return position - 1
            }
            start -= 1
        }
        return position - 1
    }

    /// True when `position` does not fall inside a valid multi-byte sequence.
    @inline(__always)
    static func isBoundary(_ base: UnsafePointer<UInt8>, _ position: Int, end: Int) -> Bool {
        if position == 0 || position >= end { return true }
        if base[position] & 0xC0 != 0x80 { return true }
        var start = position - 1
        let limit = max(0, position - 3)
        while start >= limit {
            let byte = base[start]
            if byte & 0xC0 != 0x80 {
                if let decoded = decode(base, at: start, end: end), start + decoded.length > position { return false }
                return true
            }
            start -= 1
        }
        return true
    }
}
