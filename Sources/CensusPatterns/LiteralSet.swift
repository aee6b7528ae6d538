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
        // Trie over classes, one flat row of `classCount` entries per state (-1: no child).
        // Flat rows and no per-state arrays: a few hundred literals are built at every start of
        // the program (the path rules' prefilter), so the build is kept cheap.
        var delta = [Int32](repeating: -1, count: classCount)
        var own: [[Int32]] = [[]]
        for (index, bytes) in literals {
            var state = 0
            for byte in bytes {
                let slot = state * classCount + Int(classOf[Int(byte)])
                if delta[slot] < 0 {
                    delta[slot] = Int32(own.count)
                    delta.append(contentsOf: repeatElement(-1, count: classCount))
                    own.append([])
                }
                state = Int(delta[slot])
            }
            own[state].append(Int32(index))
        }
        // Failure links breadth-first (states in breadth-first order), completing the rows in
        // place: a missing child takes the failure state's transition, already complete.
        let stateCount = own.count
        var fail = [Int32](repeating: 0, count: stateCount)
        var queue: [Int32] = []
        queue.reserveCapacity(stateCount)
        var outputLists = own
        delta.withUnsafeMutableBufferPointer { delta in
            for c in 0..<classCount {
                if delta[c] < 0 {
                    delta[c] = 0
                } else {
                    queue.append(delta[c])
                }
            }
            var head = 0
            while head < queue.count {
                let state = Int(queue[head])
                head += 1
                let f = Int(fail[state])
                if !outputLists[f].isEmpty { outputLists[state] += outputLists[f] }
                let row = state * classCount
                let failRow = f * classCount
                for c in 0..<classCount {
                    let child = delta[row + c]
                    if child >= 0 {
                        fail[Int(child)] = state == 0 ? 0 : delta[failRow + c]
                        queue.append(child)
                    } else {
                        delta[row + c] = delta[failRow + c]
                    }
                }
            }
        }
        var transitions = [UInt32](repeating: 0, count: stateCount * classCount)
        transitions.withUnsafeMutableBufferPointer { transitions in
            delta.withUnsafeBufferPointer { delta in
                for slot in 0..<(stateCount * classCount) {
                    let next = Int(delta[slot])
                    transitions[slot] = UInt32(next * classCount) << 1 | (outputLists[next].isEmpty ? 0 : 1)
                }
            }
        }
        var outputStart: [Int32] = [0]
        var outputs: [Int32] = []
        for list in outputLists {
            outputs += list
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
