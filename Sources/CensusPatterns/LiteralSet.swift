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
struct LiteralAutomaton: Sendable {
    /// Byte → class (bytes that occur in no literal share class 0; with `foldCase`, the two
    /// cases of a letter share a class).
    private let classOf: [UInt8]
    private let classCount: Int
    /// `(state × classCount + class)` → `(next state × classCount) << 1 | has-output`.
    private let transitions: [UInt32]
    /// Literal indices reported in each state, `outputStart[s]..<outputStart[s + 1]`.
    private let outputStart: [Int32]
    private let outputs: [Int32]

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
        var firstChild = [Int32](repeating: -1, count: capacity)
        var nextSibling = [Int32](repeating: -1, count: capacity)
        var label = [UInt8](repeating: 0, count: capacity)
        var own: [[Int32]] = [[]]
        own.reserveCapacity(capacity)
        firstChild.withUnsafeMutableBufferPointer { firstChild in
            nextSibling.withUnsafeMutableBufferPointer { nextSibling in
                label.withUnsafeMutableBufferPointer { label in
                    for (index, bytes) in literals {
                        var state = 0
                        for byte in bytes {
                            let c = classOf[Int(byte)]
                            var child = Int(firstChild[state])
                            while child >= 0 && label[child] != c { child = Int(nextSibling[child]) }
                            if child < 0 {
                                child = own.count
                                own.append([])
                                label[child] = c
                                nextSibling[child] = firstChild[state]
                                firstChild[state] = Int32(child)
                            }
                            state = child
                        }
                        own[state].append(Int32(index))
                    }
                }
            }
        }
        let stateCount = own.count
        // Rows are numbered breadth-first (the root is row 0); `order[r]` is row r's trie node.
        // A row starts as a copy of its failure state's row (complete, being shallower), then
        // takes the node's own children. An entry is `(target row × classCount) << 1 |
        // has-output`; a node's outputs (its own and its failure state's, final by then) are
        // known when its parent's row is written, before anything points at it.
        var order = [Int32](repeating: 0, count: stateCount)
        var failRowOf = [Int32](repeating: 0, count: stateCount)
        var outputLists = [[Int32]](repeating: [], count: stateCount)
        let transitions = [UInt32](unsafeUninitializedCapacity: stateCount * classCount) { table, initialized in
            firstChild.withUnsafeBufferPointer { firstChild in
                nextSibling.withUnsafeBufferPointer { nextSibling in
                    label.withUnsafeBufferPointer { label in
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
                                        let failBase = head == 0 ? 0 : Int(table[base + c] >> 1)
                                        failRowOf[child] = Int32(failBase)
                                        let failNode = Int(queue[failBase / classCount])
                                        var outputs = own[child]
                                        if head != 0 { outputs += outputLists[failNode] }
                                        outputLists[child] = outputs
                                        queue[tail] = Int32(child)
                                        table[base + c] = UInt32(tail * classCount) << 1 | (outputs.isEmpty ? 0 : 1)
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
        var outputStart: [Int32] = [0]
        outputStart.reserveCapacity(stateCount + 1)
        var outputs: [Int32] = []
        for node in order {
            outputs += outputLists[Int(node)]
            outputStart.append(Int32(outputs.count))
        }
        self.classOf = classOf
        self.classCount = classCount
        self.transitions = transitions
        self.outputStart = outputStart
        self.outputs = outputs
    }

    @inline(__always)
    private func emit(_ offset: Int, _ report: (Int) -> Void) {
        let state = offset / classCount
        for position in Int(outputStart[state])..<Int(outputStart[state + 1]) { report(Int(outputs[position])) }
    }

    func run(_ text: UnsafePointer<UInt8>, _ count: Int, _ report: (Int) -> Void) {
        classOf.withUnsafeBufferPointer { classOf in
            transitions.withUnsafeBufferPointer { table in
                var state = 0
                for position in 0..<count {
                    let value = table[state + Int(classOf[Int(text[position])])]
                    state = Int(value >> 1)
                    if value & 1 != 0 { emit(state, report) }
                }
            }
        }
    }

    static func runPair(
        _ first: LiteralAutomaton, _ second: LiteralAutomaton, _ text: UnsafePointer<UInt8>, _ count: Int,
        _ report: (Int) -> Void
    ) {
        first.classOf.withUnsafeBufferPointer { classA in
            first.transitions.withUnsafeBufferPointer { tableA in
                second.classOf.withUnsafeBufferPointer { classB in
                    second.transitions.withUnsafeBufferPointer { tableB in
                        var stateA = 0
                        var stateB = 0
                        for position in 0..<count {
                            let byte = Int(text[position])
                            let valueA = tableA[stateA + Int(classA[byte])]
                            let valueB = tableB[stateB + Int(classB[byte])]
                            stateA = Int(valueA >> 1)
                            stateB = Int(valueB >> 1)
                            if (valueA | valueB) & 1 != 0 {
                                if valueA & 1 != 0 { first.emit(stateA, report) }
                                if valueB & 1 != 0 { second.emit(stateB, report) }
                            }
                        }
                    }
                }
            }
        }
    }
}
