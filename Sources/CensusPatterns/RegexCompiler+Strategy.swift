extension RegexCompiler {

    /// The top-level branches (through groups that wrap the whole pattern).
    private static func topBranches(_ node: RegexNode) -> [RegexNode] {
        switch node {
        case .alternation(let branches): return branches.flatMap(topBranches)
        case .capture(_, let body), .atomic(let body): return topBranches(body)
        default: return [node]
        }
    }

    /// Chooses how the search finds start positions: per top-level branch, a literal prefix
    /// (`memchr`), line starts with a filter on the line's first bytes, or a first-byte set.
    mutating func chooseStrategy(_ root: RegexNode, required: [RequiredString]) {
        if required.count <= 16, required.allSatisfy({ !$0.fold && $0.bytes.count >= 2 }) {
            // Grouped by the byte searched for, so literals sharing it (`@interface`, `@class`,
            // `@end`…) cost one memchr pass together.
            program.requiredChecks = required.map { literal in
                let (offset, rare) = poolLiteral(literal.bytes)
                return RequiredLiteralCheck(offset: offset, length: literal.bytes.count, rare: rare)
            }
        }
        let info = root.startInfo(next: .anywhereInfo, follow: .end, utf8: utf8)
        if info.anywhere {
            program.strategy = .everywhere
            return
        }
        if !info.lineStart, info.bytes.isEmpty {
            program.strategy = .textStartOnly
            return
        }
        var lineFilters: [(skip: ByteSet, accept: ByteSet, always: Bool, prefixes: [[UInt8]]?)] = []
        var finders: [CandidateFinder] = []
        var bytes = ByteSet()
        var literals: [CandidateFinder] = []
        var atZero = false
        for branch in Self.topBranches(root) {
            let branchInfo = branch.startInfo(next: .anywhereInfo, follow: .end, utf8: utf8)
            atZero = atZero || branchInfo.textStart
            if let first = Self.leadingWord(branch) {
                let members = set(first)
                if !finders.contains(where: { if case .runStarts(members) = $0 { return true } else { return false } }) {
                    finders.append(.runStarts(set: members))
                }
                continue
            }
            if let run = Self.leadingRun(branch) {
                // Position 0, then only after a byte that cannot continue the run.
                atZero = true
                let stop = set(run.inverted)
                if !finders.contains(where: { if case .afterRun(stop) = $0 { return true } else { return false } }) {
                    finders.append(.afterRun(stop: stop))
                }
                continue
            }
            if branchInfo.lineStart, branchInfo.bytes.isEmpty, let filter = linePrefixFilter(branch) {
                lineFilters.append(filter)
                continue
            }
            if !branchInfo.textStart, !branchInfo.lineStart, literals.count < 4, let prefix = Self.literalPrefix(branch) {
                let (offset, rare) = poolLiteral(prefix)
                literals.append(.literal(offset: offset, length: prefix.count, rare: rare))
                continue
            }
            if branchInfo.lineStart {
                lineFilters.append((ByteSet(), branchInfo.afterLineStart, false, nil))
            }
            bytes.formUnion(branchInfo.bytes)
        }
        finders += literals
        if !lineFilters.isEmpty {
            let filters = merged(lineFilters)
            finders.append(.lineStarts(first: Int32(program.lineFilters.count), count: Int32(filters.count)))
            program.lineFilters += filters
        }
        if !bytes.isEmpty {
            finders.append(.bytes(set: set(bytes), single: bytes.count == 1 ? bytes.elements.first : nil))
        }
        program.strategy = .finders(finders, atZero: atZero)
    }

    /// The set `X` of a branch that starts with `X*` or `X*?` (possibly in a group) and then
    /// must consume; nil otherwise, or when the branch has a backreference (a longer run would
    /// change what it refers to).
    private static func leadingRun(_ branch: RegexNode) -> ByteSet? {
        if branch.contains(where: { if case .backreference = $0 { return true } else { return false } }) { return nil }
        func split(_ node: RegexNode) -> (ByteSet, [RegexNode])? {
            switch node {
            case .repetition(.byteSet(let run), 0, -1, let kind) where kind != .possessive:
                return (run, [])
            case .repetition(.charClass(let codes), 0, -1, let kind) where kind != .possessive:
                // UTF-8: a byte of 0x80 or above continues the run only when every non-ASCII
                // character (and every invalid byte) is in the class.
                var run = codes.bytes(below: 0x80)
                var tail = CodeSet()
                tail.insert(0x80...CodeSet.utf8Universe.upperBound)
                if codes.intersection(tail) == tail { run.insert(range: 0x80...0xFF) }
                return (run, [])
            case .capture(_, let body):
                return split(body)
            case .concat(let items):
                guard let first = items.first, let (run, rest) = split(first) else { return nil }
                return (run, rest + items.dropFirst())
            default:
                return nil
            }
        }
        guard let (run, rest) = split(branch), !RegexNode.concat(rest).isNullable, !run.isFull else { return nil }
        return run
    }

    /// The set `C` of a branch that starts with `C X*` (`C` a subset of `X`) or `C+`, both
    /// single-byte sets; nil otherwise or with a backreference.
    private static func leadingWord(_ branch: RegexNode) -> ByteSet? {
        if branch.contains(where: { if case .backreference = $0 { return true } else { return false } }) { return nil }
        var items: [RegexNode]
        switch branch {
        case .concat(let list): items = list
        case .capture(_, let body): return leadingWord(body)
        default: items = [branch]
        }
        // Captures around the leading items do not change where a match can start.
        while case .capture(_, let body)? = items.first {
            items.removeFirst()
            if case .concat(let inner) = body { items.insert(contentsOf: inner, at: 0) } else { items.insert(body, at: 0) }
        }
        guard let first = items.first else { return nil }
        let members: ByteSet
        switch first {
        case .repetition(.byteSet(let run), let minimum, -1, let kind) where minimum >= 1 && kind != .possessive:
            members = run
        case .byteSet(let set):
            guard items.count > 1, case .repetition(.byteSet(let run), 0, -1, let kind) = items[1], kind != .possessive,
                set.intersection(run) == set
            else { return nil }
            members = set
        default:
            return nil
        }
        return members.isFull ? nil : members
    }

    /// Filters with the same skip set are merged: their accepted bytes and prefixes are joined
    /// (a filter without prefixes makes the merged one check the first byte only).
    private mutating func merged(_ filters: [(skip: ByteSet, accept: ByteSet, always: Bool, prefixes: [[UInt8]]?)])
        -> [LineFilter]
    {
        if filters.contains(where: \.always) { return [LineFilter(skip: set(ByteSet()), accept: set(.all), always: true)] }
        var skips: [ByteSet] = []
        for filter in filters where !skips.contains(filter.skip) { skips.append(filter.skip) }
        return skips.map { skip in
            let group = filters.filter { $0.skip == skip }
            let accept = group.reduce(ByteSet()) { $0.union($1.accept) }
            let prefixStart = Int32(program.prefixes.count)
            if group.allSatisfy({ $0.prefixes != nil }) {
                var seen = Set<[UInt8]>()
                for literal in group.flatMap({ $0.prefixes ?? [] }) where seen.insert(literal).inserted {
                    program.prefixes.append(PooledLiteral(offset: Int32(program.literalPool.count), length: Int32(literal.count)))
                    program.literalPool += literal
                }
            }
            return LineFilter(
                skip: set(skip), accept: set(accept), always: false, prefixStart: prefixStart,
                prefixCount: Int32(program.prefixes.count) - prefixStart)
        }
    }

    /// For a branch `^ W* R` (W a byte set, `R` unable to start with a byte of `W`): skip `W`,
    /// then require a first byte of `R` (and one of the literals `R` starts with, if known).
    private func linePrefixFilter(_ branch: RegexNode) -> (skip: ByteSet, accept: ByteSet, always: Bool, prefixes: [[UInt8]]?)? {
        var items: [RegexNode]
        switch branch {
        case .concat(let list): items = list
        case .capture(_, let body): return linePrefixFilter(body)
        default: items = [branch]
        }
        guard case .assertion(.lineStart)? = items.first else { return nil }
        items.removeFirst()
        var skip = ByteSet()
        if case .repetition(.byteSet(let whitespace), 0, -1, let kind)? = items.first, kind != .lazy {
            skip = whitespace
            items.removeFirst()
        }
        let rest = RegexNode.concat(items)
        if rest.isNullable { return (ByteSet(), .all, true, nil) }
        let first = rest.firstBytes(utf8: utf8)
        if !first.isDisjoint(with: skip) { return (ByteSet(), first.union(skip), false, nil) }
        return (skip, first, false, Self.leadingLiterals(items))
    }

    /// Literals one of which every match of `items` starts with (each non-empty); nil when
    /// none are known.
    private static func leadingLiterals(_ items: [RegexNode]) -> [[UInt8]]? {
        guard let (strings, _) = leadingStrings(.concat(items)), strings.allSatisfy({ !$0.isEmpty }),
            strings.contains(where: { $0.count >= 2 })
        else { return nil }
        return strings
    }

    /// Strings every match of `node` starts with one of, and whether they are the whole match.
    private static func leadingStrings(_ node: RegexNode) -> ([[UInt8]], Bool)? {
        let limit = 32
        switch node {
        case .empty, .assertion, .look:
            return ([[]], true)
        case .literal(let bytes, let fold):
            return fold && bytes.contains(where: ASCII.isLetter) ? nil : ([bytes], true)
        case .byteSet(let set) where set.count <= 4:
            return (set.elements.map { [$0] }, true)
        case .capture(_, let body), .atomic(let body):
            return leadingStrings(body)
        case .alternation(let branches):
            var all: [[UInt8]] = []
            var complete = true
            for branch in branches {
                guard let (strings, whole) = leadingStrings(branch) else { return nil }
                all += strings
                complete = complete && whole
                if all.count > limit { return nil }
            }
            return (all, complete)
        case .concat(let items):
            var result: [[UInt8]] = [[]]
            for item in items {
                guard let (strings, whole) = leadingStrings(item), result.count * strings.count <= limit else {
                    return (result, false)
                }
                result = result.flatMap { prefix in strings.map { prefix + $0 } }
                if !whole { return (result, false) }
            }
            return (result, true)
        case .repetition(let body, let minimum, let maximum, _) where minimum >= 1:
            guard let (strings, whole) = leadingStrings(body) else { return nil }
            return (strings, whole && minimum == 1 && maximum == 1)
        default:
            return nil
        }
    }

    private mutating func poolLiteral(_ bytes: [UInt8]) -> (offset: Int, rare: Int) {
        let offset = program.literalPool.count
        program.literalPool += bytes
        var rare = 0
        for index in bytes.indices where ByteFrequency.rank(bytes[index]) < ByteFrequency.rank(bytes[rare]) {
            rare = index
        }
        return (offset, rare)
    }

    /// A case-sensitive literal every match of `node` starts with (after zero-width assertions
    /// other than anchors), of at least two bytes.
    private static func literalPrefix(_ root: RegexNode) -> [UInt8]? {
        var node = root
        while true {
            switch node {
            case .literal(let bytes, let fold):
                if fold && bytes.contains(where: ASCII.isLetter) { return nil }
                return bytes.count >= 2 ? bytes : nil
            case .capture(_, let body), .atomic(let body):
                node = body
            case .concat(let items):
                guard let first = items.first(where: {
                    switch $0 {
                    case .assertion(.wordBoundary), .assertion(.notWordBoundary), .look: return false
                    default: return true
                    }
                }) else { return nil }
                node = first
            default:
                return nil
            }
        }
    }
}

/// A rough ranking of how common each byte is in source code and text (higher: more common),
/// used to pick the byte to search for with memchr.
enum ByteFrequency {
    static func rank(_ byte: UInt8) -> Int { table[Int(byte)] }

    private static let table: [Int] = {
        var table = [Int](repeating: 20, count: 256)
        for byte in 0x80...0xFF { table[byte] = 30 }
        table[0x20] = 255
        table[0x0A] = 200
        table[0x09] = 190
        let letters = "etaoinsrhldcumfpgwybvkxjqz"
        for (index, letter) in letters.utf8.enumerated() {
            table[Int(letter)] = 250 - index * 5
            table[Int(letter - 0x20)] = 140 - index * 2
        }
        for digit in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(digit)] = 150 }
        let punctuation: [(Character, Int)] = [
            ("_", 170), (".", 160), (",", 160), ("(", 160), (")", 160), (";", 150), ("=", 150), ("/", 150),
            ("-", 150), ("*", 140), ("\"", 140), ("'", 130), ("{", 120), ("}", 120), ("[", 110), ("]", 110),
            ("<", 110), (">", 110), (":", 110), ("&", 100), ("+", 100), ("#", 100), ("!", 90), ("|", 90),
            ("\\", 90), ("%", 80), ("$", 80), ("?", 70), ("@", 60), ("^", 50), ("~", 50), ("`", 50),
        ]
        for (character, rank) in punctuation { table[Int(character.asciiValue ?? 0)] = rank }
        return table
    }()
}
