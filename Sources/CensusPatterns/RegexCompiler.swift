/// Turns a parsed pattern into a ``RegexProgram``.
struct RegexCompiler {
    var program = RegexProgram()
    /// The byte sets emitted so far, by index: searched in order (a pattern has a few dozen at
    /// most; a dictionary keyed by them cost more to build, hash and grow than the search).
    private var sets: [ByteSet] = []
    private var nextRegister: Int
    let utf8: Bool
    private let savedGroups: Set<Int>
    private let pattern: String

    static let maximumInstructions = 200_000

    /// Compiles `parsed`; `captures` makes it record every group (otherwise only the groups that
    /// backreferences read).
    static func compile(
        _ parsed: ParsedRegex, pattern: String, utf8: Bool, captures: Bool, forShortTexts: Bool = false
    ) throws(ByteRegexError) -> RegexProgram {
        let root = parsed.root
        if root.depth(limit: 1000) >= 1000 {
            throw ByteRegexError(pattern: pattern, offset: 0, message: "pattern nested too deeply")
        }
        if root.estimatedSize(limit: maximumInstructions + 1) > maximumInstructions {
            throw ByteRegexError(
                pattern: pattern, offset: 0,
                message: "pattern too large (more than \(maximumInstructions) instructions once repeats are expanded)")
        }
        let groups = captures ? Set(0...parsed.captureCount) : parsed.referencedGroups
        var compiler = RegexCompiler(
            utf8: utf8, savedGroups: groups, pattern: pattern, firstRegister: 2 * (parsed.captureCount + 1))
        compiler.program.utf8 = utf8
        compiler.program.captureSlotCount = 2 * (parsed.captureCount + 1)
        compiler.program.savesCaptures = !groups.isEmpty
        try compiler.emit(root, follow: .end)
        try compiler.append(Instruction(op: .match))
        compiler.program.slotCount = compiler.nextRegister
        compiler.chooseStrategy(root, required: root.requiredStrings() ?? [], forShortTexts: forShortTexts)
        return compiler.program
    }

    private init(utf8: Bool, savedGroups: Set<Int>, pattern: String, firstRegister: Int) {
        self.utf8 = utf8
        self.savedGroups = savedGroups
        self.pattern = pattern
        self.nextRegister = firstRegister
    }

    private var here: Int32 { Int32(program.code.count) }

    @discardableResult
    private mutating func append(_ instruction: Instruction) throws(ByteRegexError) -> Int {
        if program.code.count >= Self.maximumInstructions {
            throw ByteRegexError(pattern: pattern, offset: 0, message: "pattern too large")
        }
        program.code.append(instruction)
        return program.code.count - 1
    }

    private mutating func register(_ count: Int = 1) -> Int32 {
        let first = nextRegister
        nextRegister += count
        return Int32(first)
    }

    mutating func set(_ bytes: ByteSet) -> Int32 {
        if let index = sets.firstIndex(of: bytes) { return Int32(index) }
        let index = Int32(sets.count)
        sets.append(bytes)
        for value in 0...255 { program.setTable.append(bytes.contains(UInt8(value)) ? 1 : 0) }
        return index
    }

    /// The byte set of a node that always consumes exactly one byte, if it is one.
    private func singleByteSet(_ node: RegexNode) -> ByteSet? {
        switch node {
        case .byteSet(let set): return set
        case .literal(let bytes, let fold) where bytes.count == 1:
            return fold ? ByteSet(bytes).asciiCaseClosed : ByteSet(bytes)
        default: return nil
        }
    }

    // MARK: Emission

    private mutating func emit(_ node: RegexNode, follow: Follow) throws(ByteRegexError) {
        switch node {
        case .empty:
            return
        case .literal(let bytes, let fold):
            try emitLiteral(bytes, fold: fold)
        case .byteSet(let bytes):
            if bytes.count == 1, let only = bytes.elements.first {
                try append(Instruction(op: .byte, a: Int32(only)))
            } else {
                try append(Instruction(op: .set, a: set(bytes)))
            }
        case .charClass(let codes):
            program.classes.append(codes)
            try append(
                Instruction(op: .charClass, a: set(codes.bytes(below: 0x80)), b: Int32(program.classes.count - 1)))
        case .lineBreak:
            try append(Instruction(op: .lineBreak, flag: utf8 ? 1 : 0))
        case .assertion(let kind):
            try append(Instruction(op: .assert, flag: kind.rawValue))
        case .concat(let items):
            var follows = [Follow](repeating: follow, count: items.count)
            var index = items.count - 1
            while index > 0 {
                follows[index - 1] = follows[index].prepending(items[index], utf8: utf8)
                index -= 1
            }
            for (item, itemFollow) in zip(items, follows) { try emit(item, follow: itemFollow) }
        case .alternation(let branches):
            try emitAlternation(branches, follow: follow)
        case .capture(let group, let body):
            if savedGroups.contains(group) {
                let start = register()
                try append(Instruction(op: .save, a: start))
                try emit(body, follow: follow)
                try append(Instruction(op: .commitCapture, a: Int32(group), b: start))
            } else {
                try emit(body, follow: follow)
            }
        case .repetition(let body, let minimum, let maximum, let kind):
            try emitRepetition(body, minimum: minimum, maximum: maximum, kind: kind, follow: follow)
        case .atomic(let body):
            let barrier = register()
            try append(Instruction(op: .atomicStart, a: barrier))
            try emit(body, follow: .end)
            try append(Instruction(op: .atomicEnd, a: barrier))
        case .look(let body, let behind, let negative):
            try emitLook(body, behind: behind, negative: negative)
        case .backreference(let groups, let fold):
            try emitBackreference(groups, fold: fold, follow: follow)
        }
    }

    private mutating func emitLiteral(_ bytes: [UInt8], fold: Bool) throws(ByteRegexError) {
        let folds = fold && bytes.contains(where: ASCII.isLetter)
        if bytes.count == 1 {
            if folds {
                try append(Instruction(op: .set, a: set(ByteSet(bytes).asciiCaseClosed)))
            } else {
                try append(Instruction(op: .byte, a: Int32(bytes[0])))
            }
            return
        }
        let offset = Int32(program.literalPool.count)
        program.literalPool += folds ? bytes.map(ASCII.lower) : bytes
        try append(Instruction(op: folds ? .literalFold : .literal, a: offset, b: Int32(bytes.count)))
    }

    private mutating func emitBackreference(_ groups: [Int], fold: Bool, follow: Follow) throws(ByteRegexError) {
        if groups.isEmpty {
            try append(Instruction(op: .fail))
        } else if groups.count == 1 {
            try append(Instruction(op: .backreference, flag: fold ? 1 : 0, a: Int32(groups[0])))
        } else {
            // A name used by several groups: try each, the last defined first.
            try emitAlternation(groups.map { .backreference([$0], fold: fold) }, follow: follow)
        }
    }

    static func isCapture(_ node: RegexNode) -> Bool {
        if case .capture = node { return true }
        return false
    }

    /// Each branch but the last: `splitGuard next-branch` when the branch must consume a byte
    /// (so a branch that cannot start at this byte costs one test), then the branch and a jump
    /// to the end.
    private mutating func emitAlternation(_ branches: [RegexNode], follow: Follow) throws(ByteRegexError) {
        if branches.count >= 4 {
            try emitDispatch(branches, follow: follow)
            return
        }
        var jumpsToEnd: [Int] = []
        for (position, branch) in branches.enumerated() {
            let guarded = !branch.isNullable
            let first = branch.firstBytes(utf8: utf8)
            if position == branches.count - 1 {
                if guarded, !first.isFull { try append(Instruction(op: .guardByte, c: set(first))) }
                try emit(branch, follow: follow)
                break
            }
            let split: Int
            if guarded, !first.isFull {
                split = try append(Instruction(op: .splitGuard, a: here + 1, c: set(first)))
            } else {
                split = try append(Instruction(op: .split, a: here + 1))
            }
            try emit(branch, follow: follow)
            jumpsToEnd.append(try append(Instruction(op: .jump)))
            program.code[split].b = here
        }
        for jump in jumpsToEnd { program.code[jump].a = here }
    }

    /// Many branches: one table lookup on the next byte gives the branches that can start with
    /// it (in order), instead of testing each branch's first byte in turn.
    private mutating func emitDispatch(_ branches: [RegexNode], follow: Follow) throws(ByteRegexError) {
        // Reserve this table's ranges first: branches may hold dispatch tables of their own.
        let rangesStart = program.dispatchRanges.count
        program.dispatchRanges += [Int32](repeating: 0, count: 514)
        try append(Instruction(op: .dispatch, a: Int32(rangesStart / 514)))
        var entries: [Int32] = []
        var jumpsToEnd: [Int] = []
        for branch in branches {
            entries.append(here)
            try emit(branch, follow: follow)
            jumpsToEnd.append(try append(Instruction(op: .jump)))
        }
        for jump in jumpsToEnd { program.code[jump].a = here }
        let firsts = branches.map { $0.isNullable ? ByteSet.all : $0.firstBytes(utf8: utf8) }
        for key in 0...256 {
            let start = Int32(program.dispatchTargets.count)
            for (index, first) in firsts.enumerated() {
                let possible = key == 256 ? branches[index].isNullable : first.contains(UInt8(key))
                if possible { program.dispatchTargets.append(entries[index]) }
            }
            program.dispatchRanges[rangesStart + 2 * key] = start
            program.dispatchRanges[rangesStart + 2 * key + 1] = Int32(program.dispatchTargets.count) - start
        }
    }

    private mutating func emitRepetition(
        _ body: RegexNode, minimum: Int, maximum: Int, kind: RepeatKind, follow: Follow
    ) throws(ByteRegexError) {
        if maximum == 0 { return }
        if body.lengths(utf8: utf8) == [0], !body.contains(where: Self.isCapture) {
            // A repeated zero-width body (`\b?`, `^*`, `(?=a){2}`): iterations after the first
            // see the same position, so `x{0,n}` is empty and `x{m,n}` is `x` (as in Onigmo);
            // keeping the loop would only multiply equivalent paths.
            if minimum > 0 { try emit(body, follow: follow) }
            return
        }
        if kind == .possessive {
            try emit(.atomic(.repetition(body, min: minimum, max: maximum, kind: .greedy)), follow: follow)
            return
        }
        if let bytes = singleByteSet(body) {
            var mode: UInt8 = kind == .lazy ? 1 : 0
            let continuation = follow.definiteBytes
            if kind == .greedy, follow.definiteBytes.map({ $0.isDisjoint(with: bytes) }) ?? follow.emptyAlwaysSucceeds {
                // Giving a byte back can never help: the continuation cannot start with it
                // (or always succeeds). Onigmo makes the same change.
                mode = 2
            }
            try append(
                Instruction(
                    op: .repeatSet, flag: mode, a: set(bytes), b: Int32(minimum), c: Int32(maximum),
                    d: continuation.map { set($0) } ?? -1))
            return
        }
        if minimum == 0 && maximum == 1 {
            try emitOptional(body, lazy: kind == .lazy, follow: follow)
            return
        }
        if maximum == -1 && minimum <= 1 {
            try emitLoop(body, plus: minimum == 1, lazy: kind == .lazy, follow: follow)
            return
        }
        // Counted: `x{2,4}` is `x x (?:x (?:x)?)?`, `x{2,}` is `x x x*`.
        var items = [RegexNode](repeating: body, count: minimum)
        if maximum == -1 {
            items.append(.repetition(body, min: 0, max: -1, kind: kind))
        } else if maximum > minimum {
            var optional = RegexNode.repetition(body, min: 0, max: 1, kind: kind)
            for _ in 0..<(maximum - minimum - 1) {
                optional = .repetition(.concat([body, optional]), min: 0, max: 1, kind: kind)
            }
            items.append(optional)
        }
        try emit(.concat(items), follow: follow)
    }

    private mutating func emitOptional(_ body: RegexNode, lazy: Bool, follow: Follow) throws(ByteRegexError) {
        let first = body.firstBytes(utf8: utf8)
        let split: Int
        if lazy {
            split = try append(Instruction(op: .split))
            program.code[split].b = here
            try emit(body, follow: follow)
            program.code[split].a = here
        } else {
            if !body.isNullable, !first.isFull {
                split = try append(Instruction(op: .splitGuard, a: here + 1, c: set(first)))
            } else {
                split = try append(Instruction(op: .split, a: here + 1))
            }
            try emit(body, follow: follow)
            program.code[split].b = here
        }
    }

    /// `x*` and `x+`. A body that can match empty gets Onigmo's empty check: an iteration that
    /// consumed nothing ends the loop.
    private mutating func emitLoop(_ body: RegexNode, plus: Bool, lazy: Bool, follow: Follow) throws(ByteRegexError) {
        let bodyFollow = follow.prepending(.repetition(body, min: 0, max: -1, kind: .greedy), utf8: utf8)
        let nullable = body.isNullable
        let first = body.firstBytes(utf8: utf8)
        let guardSet: Int32? = !nullable && !first.isFull ? set(first) : nil
        let mark: Int32? = nullable ? register() : nil
        var emptyExits: [Int] = []
        if plus {
            let top = here
            if let mark { try append(Instruction(op: .save, a: mark)) }
            try emit(body, follow: bodyFollow)
            if let mark { emptyExits.append(try append(Instruction(op: .emptyExit, a: mark))) }
            if lazy {
                try append(Instruction(op: .split, a: here + 1, b: top))
            } else if let guardSet {
                try append(Instruction(op: .splitGuard, a: top, b: here + 1, c: guardSet))
            } else {
                try append(Instruction(op: .split, a: top, b: here + 1))
            }
        } else {
            let top = here
            let split: Int
            if lazy {
                split = try append(Instruction(op: .split))
                program.code[split].b = here
            } else if let guardSet {
                split = try append(Instruction(op: .splitGuard, a: here + 1, c: guardSet))
            } else {
                split = try append(Instruction(op: .split, a: here + 1))
            }
            if let mark { try append(Instruction(op: .save, a: mark)) }
            try emit(body, follow: bodyFollow)
            if let mark { emptyExits.append(try append(Instruction(op: .emptyExit, a: mark))) }
            try append(Instruction(op: .jump, a: top))
            if lazy { program.code[split].a = here } else { program.code[split].b = here }
        }
        for exit in emptyExits { program.code[exit].b = here }
    }

    private mutating func emitLook(_ body: RegexNode, behind: Bool, negative: Bool) throws(ByteRegexError) {
        let barrier = register(2)
        let start = try append(Instruction(op: negative ? .negativeLookStart : .lookStart, a: barrier))
        if behind {
            if body.contains(where: { if case .backreference = $0 { return true } else { return false } }) {
                throw ByteRegexError(pattern: pattern, offset: 0, message: "invalid pattern in look-behind (a backreference)")
            }
            if negative, body.contains(where: { if case .capture = $0 { return true } else { return false } }) {
                throw ByteRegexError(
                    pattern: pattern, offset: 0, message: "invalid pattern in look-behind (a group in a negative look-behind)")
            }
            guard let lengths = body.lengths(utf8: utf8) else {
                throw ByteRegexError(
                    pattern: pattern, offset: 0, message: "invalid pattern in look-behind (its length is not bounded)")
            }
            // Each possible length: step back, match the body, and require it to end here.
            let sorted = lengths.sorted()
            var jumps: [Int] = []
            for (position, length) in sorted.enumerated() {
                var split: Int? = nil
                if position < sorted.count - 1 { split = try append(Instruction(op: .split, a: here + 1)) }
                try append(Instruction(op: .stepBack, flag: utf8 ? 1 : 0, a: Int32(length)))
                try emit(body, follow: .unknown)
                try append(Instruction(op: .assertAt, a: barrier))
                if let split {
                    jumps.append(try append(Instruction(op: .jump)))
                    program.code[split].b = here
                }
            }
            for jump in jumps { program.code[jump].a = here }
        } else {
            try emit(body, follow: .end)
        }
        try append(Instruction(op: negative ? .negativeLookEnd : .lookEnd, a: barrier))
        if negative { program.code[start].b = here }
    }
}
