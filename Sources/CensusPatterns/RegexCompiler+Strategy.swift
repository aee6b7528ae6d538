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
    /// - Parameter forShortTexts: the pattern searches short texts (paths, names): keep the
    ///   cheap checks (required literals, an anchor at the text's start) but build no candidate
    ///   finders — trying every position of a few dozen bytes costs less than building them
    ///   (line filters, prefix literals, line automata: about 0.15 ms a pattern, at start-up).
    mutating func chooseStrategy(_ root: RegexNode, required: [RequiredString], forShortTexts: Bool = false) {
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
        if forShortTexts {
            program.strategy = .everywhere
            return
        }
        var lineFilters: [(skip: ByteSet, accept: ByteSet, always: Bool, prefixes: [PrefixSpec]?)] = []
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
        dropRedundantPrecheck(finders)
    }

    /// When every start position already comes from a literal (`memchr` for a literal prefix,
    /// or a line whose first bytes must spell one of a few prefixes), the search is one cheap
    /// pass; a required-literal check that needs three or more `memchr` passes (one per
    /// distinct searched byte) costs more than it saves. Measured on the kernel's headers with
    /// Linguist's C++ heuristic: 95 ms with the check, 89 ms without.
    private mutating func dropRedundantPrecheck(_ finders: [CandidateFinder]) {
        var searched = ByteSet()
        for check in program.requiredChecks { searched.insert(program.literalPool[check.offset + check.rare]) }
        guard searched.count >= 3 else { return }
        let literalDriven = finders.allSatisfy { finder in
            switch finder {
            case .literal: return true
            case .lineStarts(let first, let count):
                return program.lineFilters[Int(first)..<Int(first + count)].allSatisfy { !$0.always && $0.prefixCount > 0 }
            default: return false
            }
        }
        if literalDriven { program.requiredChecks = [] }
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
    private mutating func merged(_ filters: [(skip: ByteSet, accept: ByteSet, always: Bool, prefixes: [PrefixSpec]?)])
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
                var seen: [PrefixSpec] = []
                for spec in group.flatMap({ $0.prefixes ?? [] }) where !seen.contains(spec) {
                    seen.append(spec)
                    var prefix = LinePrefix(offset: Int32(program.literalPool.count), length: Int32(spec.head.count))
                    program.literalPool += spec.head
                    if let gap = spec.gap {
                        prefix.gap = set(gap)
                        prefix.tailOffset = Int32(program.literalPool.count)
                        prefix.tailLength = Int32(spec.tail.count)
                        program.literalPool += spec.tail
                    }
                    program.prefixes.append(prefix)
                }
            }
            return LineFilter(
                skip: set(skip), accept: set(accept), always: false, prefixStart: prefixStart,
                prefixCount: Int32(program.prefixes.count) - prefixStart)
        }
    }

    /// For a branch `^ W* R` (W a byte set, `R` unable to start with a byte of `W`): skip `W`,
    /// then require a first byte of `R` (and one of the literals `R` starts with, if known).
    private func linePrefixFilter(_ branch: RegexNode) -> (skip: ByteSet, accept: ByteSet, always: Bool, prefixes: [PrefixSpec]?)? {
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

    /// A literal, then optionally a run of `gap` bytes and a second literal.
    struct PrefixSpec: Hashable {
        var head: [UInt8]
        var gap: ByteSet? = nil
        var tail: [UInt8] = []
    }

    /// Prefixes one of which every match of `items` starts with (each with a non-empty head);
    /// nil when none are known. Where the items continue `X* R` after literals (`#\s*include`),
    /// the prefixes go on through the gap to the literals `R` starts with, provided `R` cannot
    /// start with a byte of `X` (so any match skips all of the run).
    private static func leadingLiterals(_ items: [RegexNode]) -> [PrefixSpec]? {
        var heads = [Lead(bytes: [], complete: true)]
        var specs: [PrefixSpec] = []
        var index = 0
        scan: while index < items.count, heads.contains(where: \.complete) {
            let item = items[index]
            if case .repetition(.byteSet(let gap), 0, -1, _) = item {
                let open = heads.filter { $0.complete }
                if open.allSatisfy({ !$0.bytes.isEmpty }), let tails = leads(.concat(Array(items[(index + 1)...]))),
                    tails.allSatisfy({ !$0.bytes.isEmpty && !gap.contains($0.bytes[0]) }), open.count * tails.count <= 32
                {
                    specs += heads.filter { !$0.complete }.map { PrefixSpec(head: $0.bytes) }
                    // Many tails (`include <(cstdint|string|…)>`) are checked as their common
                    // prefix: one comparison per line instead of one per tail.
                    var tailBytes = tails.map { $0.bytes }
                    if tailBytes.count > 2, let common = Self.commonPrefix(tailBytes), common.count >= 2 {
                        tailBytes = [common]
                    }
                    specs += open.flatMap { head in tailBytes.map { PrefixSpec(head: head.bytes, gap: gap, tail: $0) } }
                    heads = []
                }
                break scan
            }
            guard let next = leads(item), let extended = Self.extend(heads, with: next) else { break }
            heads = extended
            index += 1
        }
        specs += heads.map { PrefixSpec(head: $0.bytes) }
        guard !specs.isEmpty, specs.allSatisfy({ !$0.head.isEmpty }),
            specs.contains(where: { $0.head.count + $0.tail.count >= 2 })
        else { return nil }
        return specs
    }

    /// The longest prefix all the strings share, or nil when it is empty.
    private static func commonPrefix(_ strings: [[UInt8]]) -> [UInt8]? {
        guard var common = strings.first else { return nil }
        for string in strings.dropFirst() {
            let shared = zip(common, string).prefix { $0 == $1 }.count
            common.removeSubrange(shared...)
        }
        return common.isEmpty ? nil : common
    }

    /// A way a match of a node can start: `bytes`, and whether they are all the node matched
    /// on that way (so what follows the node continues them).
    struct Lead: Hashable {
        var bytes: [UInt8]
        var complete: Bool
    }

    /// `heads` continued by `next` where complete; nil past 32 strings.
    private static func extend(_ heads: [Lead], with next: [Lead]) -> [Lead]? {
        // At most 33 leads: compared in turn (no `Set`, whose first use of an element type costs
        // the runtime a walk over every protocol conformance in the binary).
        var result: [Lead] = []
        for head in heads {
            let continued = head.complete ? next.map { Lead(bytes: head.bytes + $0.bytes, complete: $0.complete) } : [head]
            for lead in continued where !result.contains(lead) {
                result.append(lead)
                if result.count > 32 { return nil }
            }
        }
        return result
    }

    /// The ways every match of `node` starts (at most 32), or nil when unknown.
    private static func leads(_ node: RegexNode) -> [Lead]? {
        switch node {
        case .empty, .assertion, .look:
            return [Lead(bytes: [], complete: true)]
        case .literal(let bytes, let fold):
            return fold && bytes.contains(where: ASCII.isLetter) ? nil : [Lead(bytes: bytes, complete: true)]
        case .byteSet(let set) where set.count <= 4:
            return set.elements.map { Lead(bytes: [$0], complete: true) }
        case .capture(_, let body), .atomic(let body):
            return leads(body)
        case .alternation(let branches):
            var all: [Lead] = []
            for branch in branches {
                guard let more = leads(branch) else { return nil }
                all += more
                if all.count > 32 { return nil }
            }
            return all
        case .concat(let items):
            var result = [Lead(bytes: [], complete: true)]
            for item in items where result.contains(where: \.complete) {
                guard let next = leads(item), let extended = extend(result, with: next) else {
                    return result.map { Lead(bytes: $0.bytes, complete: false) }
                }
                result = extended
            }
            return result
        case .repetition(let body, 0, 1, _):
            guard let inner = leads(body) else { return nil }
            return inner + [Lead(bytes: [], complete: true)]
        case .repetition(let body, let minimum, let maximum, _) where minimum >= 1:
            guard let inner = leads(body) else { return nil }
            return minimum == 1 && maximum == 1 ? inner : inner.map { Lead(bytes: $0.bytes, complete: false) }
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
