import CCensusBytes

/// Many byte strings searched at once (Aho–Corasick), each optionally ignoring ASCII case.
///
/// Built once, a `LiteralSet` reports which of its literals occur in a text in a single pass:
/// one table lookup per byte, whatever the number of literals. It is the prefilter in front of
/// many ``ByteRegex`` values: collect each pattern's ``ByteRegex/requiredLiterals``, scan the
/// text once, and run only the patterns whose literals occurred.
///
/// Case-sensitive and case-insensitive literals live in two automata that the scan runs side by
/// side. Bytes are compared as bytes; "ignoring case" folds ASCII letters only.
public struct LiteralSet: Sendable {
    /// The number of literals.
    public let count: Int
    /// The literals as given.
    public let literals: [(bytes: [UInt8], caseInsensitive: Bool)]
    private let exact: LiteralAutomaton?
    private let folded: LiteralAutomaton?
    /// Literals of length zero, which occur in every text.
    private let alwaysPresent: [Int]

    /// Builds the automata.
    ///
    /// - Parameter literals: The byte strings; a literal's index in this array is the number
    ///   ``scan(_:found:)`` reports. Duplicates are allowed (each index is reported).
    /// - Complexity: O(total length × distinct bytes).
    public init(_ literals: [(bytes: [UInt8], caseInsensitive: Bool)]) {
        count = literals.count
        self.literals = literals
        var exactList: [(Int, [UInt8])] = []
        var foldedList: [(Int, [UInt8])] = []
        var empty: [Int] = []
        for (index, literal) in literals.enumerated() {
            if literal.bytes.isEmpty {
                empty.append(index)
            } else if literal.caseInsensitive, literal.bytes.contains(where: ASCII.isLetter) {
                foldedList.append((index, literal.bytes.map(ASCII.lower)))
            } else {
                exactList.append((index, literal.bytes))
            }
        }
        exact = exactList.isEmpty ? nil : LiteralAutomaton(exactList, foldCase: false)
        folded = foldedList.isEmpty ? nil : LiteralAutomaton(foldedList, foldCase: true)
        alwaysPresent = empty
    }

    /// Calls `found` once with the index of each literal that occurs in `text`.
    ///
    /// Indices come in the order their first occurrence ends in the text. No heap allocation
    /// for sets of up to 8,192 literals.
    ///
    /// - Complexity: O(n + k) for a text of n bytes and k reported occurrences.
    public func scan(_ text: UnsafeRawBufferPointer, found: (Int) -> Void) {
        let words = (count + 63) / 64
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(words, 1)) { seen in
            seen.initialize(repeating: 0)
            @inline(__always)
            func report(_ index: Int) {
                let bit = UInt64(1) << UInt64(index & 63)
                if seen[index >> 6] & bit == 0 {
                    seen[index >> 6] |= bit
                    found(index)
                }
            }
            for index in alwaysPresent { report(index) }
            guard let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self), text.count > 0 else { return }
            switch (exact, folded) {
            case (let exact?, nil):
                exact.run(base, text.count, report)
            case (nil, let folded?):
                folded.run(base, text.count, report)
            case (let exact?, let folded?):
                LiteralAutomaton.runPair(exact, folded, base, text.count, report)
            case (nil, nil):
                break
            }
        }
    }

    /// The bits of each automaton's table entries (the case-sensitive one first), for tests.
    var entryWidths: [Int] { [exact, folded].compactMap { $0.map { $0.entryWidth } } }

    /// The indices of the literals that occur in `bytes`, ascending.
    public func occurrences(in bytes: [UInt8]) -> [Int] {
        var result: [Int] = []
        bytes.withUnsafeBytes { scan($0) { result.append($0) } }
        return result.sorted()
    }

    /// True when at least one literal occurs in `text`.
    ///
    /// - Complexity: O(n) for a text of n bytes.
    public func containsAny(_ text: UnsafeRawBufferPointer) -> Bool {
        var any = false
        scan(text) { _ in any = true }
        return any
    }
}

/// A deterministic Aho–Corasick automaton over byte classes.
///
/// The table holds one row of `classCount` entries per state; an entry is `next state << 1 |
/// has-output`, in 16 bits when the states allow (up to 32,767: Linguist's path prefilter has
/// about 2,000), else 32. Narrow entries halve the table the path rules' prefilter writes at every
/// start of the program (1,944 states × 57 classes: 443 KB of fresh pages in 32 bits).
struct LiteralAutomaton: Sendable {
    /// Byte → class (bytes that occur in no literal share class 0; with `foldCase`, the two
    /// cases of a letter share a class).
    private let classOf: [UInt8]
    private let classCount: Int
    /// `(state × classCount + class)` → `next state << 1 | has-output`; exactly one of the two
    /// is non-empty.
    private let narrow: [UInt16]
    private let wide: [UInt32]
    /// Literal indices reported in each state, `outputStart[s]..<outputStart[s + 1]`.
    private let outputStart: [Int32]
    private let outputs: [Int32]

    var entryWidth: Int { wide.isEmpty ? 16 : 32 }

    /// The largest state count whose entries fit in 16 bits.
    static let narrowStateLimit = 1 << 15

    init(_ literals: [(index: Int, bytes: [UInt8])], foldCase: Bool) {
        // Byte classes: one per byte that occurs in a literal, class 0 for all the others.
        var classOf = [UInt8](repeating: 0, count: 256)
        var used = [Bool](repeating: false, count: 256)
        for (_, bytes) in literals { for byte in bytes { used[Int(byte)] = true } }
        var classCount: Int
        if used.allSatisfy({ $0 }) {
            for byte in 0..<256 { classOf[byte] = UInt8(byte) }
            classCount = 256
        } else {
            classCount = 1
            for byte in 0..<256 where used[byte] {
                classOf[byte] = UInt8(classCount)
                classCount += 1
            }
        }
        if foldCase {
            for upper in 0x41...0x5A { classOf[upper] = classOf[upper | 0x20] }
        }
        // The trie first, as sibling lists (a few thousand nodes: the path rules' prefilter is
        // built at every start of the program, so the build is kept cheap), then one flat row of
        // `classCount` transitions per state, each row written once, breadth-first.
        var totalBytes = 0
        for (_, bytes) in literals { totalBytes += bytes.count }
        let capacity = totalBytes + 1
        var trie = Trie(
            firstChild: [Int32](repeating: -1, count: capacity), nextSibling: [Int32](repeating: -1, count: capacity),
            label: [UInt8](repeating: 0, count: capacity), own: [[]])
        trie.own.reserveCapacity(capacity)
        trie.firstChild.withUnsafeMutableBufferPointer { firstChild in
            trie.nextSibling.withUnsafeMutableBufferPointer { nextSibling in
                trie.label.withUnsafeMutableBufferPointer { label in
                    for (index, bytes) in literals {
                        var state = 0
                        for byte in bytes {
                            let c = classOf[Int(byte)]
                            var child = Int(firstChild[state])
                            while child >= 0 && label[child] != c { child = Int(nextSibling[child]) }
                            if child < 0 {
                                child = trie.own.count
                                trie.own.append([])
                                label[child] = c
                                nextSibling[child] = firstChild[state]
                                firstChild[state] = Int32(child)
                            }
                            state = child
                        }
                        trie.own[state].append(Int32(index))
                    }
                }
            }
        }
        let stateCount = trie.own.count
        let order: [Int32]
        let outputLists: [[Int32]]
        if stateCount < Self.narrowStateLimit {
            (narrow, order, outputLists) = Self.rows(UInt16.self, trie, classCount)
            wide = []
        } else {
            (wide, order, outputLists) = Self.rows(UInt32.self, trie, classCount)
            narrow = []
        }
        var outputStart: [Int32] = [0]
        outputStart.reserveCapacity(stateCount + 1)
        var outputs: [Int32] = []
        for node in order {
            outputs += outputLists[Int(node)]
            outputStart.append(Int32(outputs.count))
        }
        self.classOf = classOf
        self.classCount = classCount
        self.outputStart = outputStart
        self.outputs = outputs
    }

    /// The trie of the literals as sibling lists, by node (node 0 is the root).
    private struct Trie {
        var firstChild: [Int32]
        var nextSibling: [Int32]
        var label: [UInt8]
        /// The literals ending at each node.
        var own: [[Int32]]
    }

    /// The transition table, the trie node of each row and each node's outputs.
    ///
    /// Rows are numbered breadth-first (the root is row 0); `order[r]` is row r's trie node. A
    /// row starts as a copy of its failure state's row (complete, being shallower), then takes the
    /// node's own children. A node's outputs (its own and its failure state's, final by then) are
    /// known when its parent's row is written, before anything points at it.
    private static func rows<Entry: FixedWidthInteger & UnsignedInteger>(
        _: Entry.Type, _ trie: Trie, _ classCount: Int
    ) -> ([Entry], [Int32], [[Int32]]) {
        let stateCount = trie.own.count
        var order = [Int32](repeating: 0, count: stateCount)
        var failRowOf = [Int32](repeating: 0, count: stateCount)
        var outputLists = [[Int32]](repeating: [], count: stateCount)
        let table = [Entry](unsafeUninitializedCapacity: stateCount * classCount) { table, initialized in
            // Written in full right away: its fresh pages made resident in one call.
            census_prefault(table.baseAddress, UInt(table.count * MemoryLayout<Entry>.stride))
            trie.firstChild.withUnsafeBufferPointer { firstChild in
                trie.nextSibling.withUnsafeBufferPointer { nextSibling in
                    trie.label.withUnsafeBufferPointer { label in
                        failRowOf.withUnsafeMutableBufferPointer { failRowOf in
                            order.withUnsafeMutableBufferPointer { queue in
                                queue[0] = 0
                                var tail = 1
                                var head = 0
                                while head < tail {
                                    let node = Int(queue[head])
                                    let base = head * classCount
                                    // The failure row is already complete; the root's is zeros.
                                    if head == 0 {
                                        (table.baseAddress! + base).initialize(repeating: 0, count: classCount)
                                    } else {
                                        let failBase = Int(failRowOf[node])
                                        (table.baseAddress! + base).initialize(
                                            from: table.baseAddress! + failBase, count: classCount)
                                    }
                                    var child = Int(firstChild[node])
                                    while child >= 0 {
                                        let c = Int(label[child])
                                        // The child's failure state: where the parent's failure
                                        // state goes on this class (the copied entry), or the root.
                                        let failRow = head == 0 ? 0 : Int(table[base + c] >> 1)
                                        failRowOf[child] = Int32(failRow * classCount)
                                        let failNode = Int(queue[failRow])
                                        var outputs = trie.own[child]
                                        if head != 0 { outputs += outputLists[failNode] }
                                        outputLists[child] = outputs
                                        queue[tail] = Int32(child)
                                        table[base + c] = Entry(truncatingIfNeeded: tail << 1 | (outputs.isEmpty ? 0 : 1))
                                        tail += 1
                                        child = Int(nextSibling[child])
                                    }
                                    head += 1
                                }
                            }
                        }
                    }
                }
            }
            initialized = stateCount * classCount
        }
        return (table, order, outputLists)
    }

    @inline(__always)
    private func emit(_ state: Int, _ report: (Int) -> Void) {
        for position in Int(outputStart[state])..<Int(outputStart[state + 1]) { report(Int(outputs[position])) }
    }

    func run(_ text: UnsafePointer<UInt8>, _ count: Int, _ report: (Int) -> Void) {
        if wide.isEmpty {
            narrow.withUnsafeBufferPointer { run($0, text, count, report) }
        } else {
            wide.withUnsafeBufferPointer { run($0, text, count, report) }
        }
    }

    @inline(__always)
    private func run<Entry: FixedWidthInteger & UnsignedInteger>(
        _ table: UnsafeBufferPointer<Entry>, _ text: UnsafePointer<UInt8>, _ count: Int, _ report: (Int) -> Void
    ) {
        classOf.withUnsafeBufferPointer { classOf in
            let classCount = self.classCount
            var state = 0
            for position in 0..<count {
                let value = table[state &* classCount &+ Int(classOf[Int(text[position])])]
                state = Int(value >> 1)
                if value & 1 != 0 { emit(state, report) }
            }
        }
    }

    static func runPair(
        _ first: LiteralAutomaton, _ second: LiteralAutomaton, _ text: UnsafePointer<UInt8>, _ count: Int,
        _ report: (Int) -> Void
    ) {
        switch (first.wide.isEmpty, second.wide.isEmpty) {
        case (true, true):
            first.narrow.withUnsafeBufferPointer { a in
                second.narrow.withUnsafeBufferPointer { b in runPair(first, a, second, b, text, count, report) }
            }
        case (true, false):
            first.narrow.withUnsafeBufferPointer { a in
                second.wide.withUnsafeBufferPointer { b in runPair(first, a, second, b, text, count, report) }
            }
        case (false, true):
            first.wide.withUnsafeBufferPointer { a in
                second.narrow.withUnsafeBufferPointer { b in runPair(first, a, second, b, text, count, report) }
            }
        case (false, false):
            first.wide.withUnsafeBufferPointer { a in
                second.wide.withUnsafeBufferPointer { b in runPair(first, a, second, b, text, count, report) }
            }
        }
    }

    @inline(__always)
    private static func runPair<A: FixedWidthInteger & UnsignedInteger, B: FixedWidthInteger & UnsignedInteger>(
        _ first: LiteralAutomaton, _ tableA: UnsafeBufferPointer<A>, _ second: LiteralAutomaton,
        _ tableB: UnsafeBufferPointer<B>, _ text: UnsafePointer<UInt8>, _ count: Int, _ report: (Int) -> Void
    ) {
        first.classOf.withUnsafeBufferPointer { classA in
            second.classOf.withUnsafeBufferPointer { classB in
                let countA = first.classCount
                let countB = second.classCount
                var stateA = 0
                var stateB = 0
                for position in 0..<count {
                    let byte = Int(text[position])
                    let valueA = tableA[stateA &* countA &+ Int(classA[byte])]
                    let valueB = tableB[stateB &* countB &+ Int(classB[byte])]
                    stateA = Int(valueA >> 1)
                    stateB = Int(valueB >> 1)
                    if (valueA | A(truncatingIfNeeded: valueB)) & 1 != 0 {
                        if valueA & 1 != 0 { first.emit(stateA, report) }
                        if valueB & 1 != 0 { second.emit(stateB, report) }
                    }
                }
            }
        }
    }
}
