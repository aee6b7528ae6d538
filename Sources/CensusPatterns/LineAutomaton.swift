/// The line filters of one `lineStarts` finder as one deterministic automaton over the bytes
/// from a line start: whether some filter passes, decided in one loop with one table load per
/// byte, where checking the filters one by one walks the line's blanks once per filter, with a
/// hard-to-predict branch at the end of each walk.
///
/// A filter passes a line start when, after the longest run of its skipped bytes, the next
/// byte is one it accepts and (when it has prefixes) the bytes there spell one of its prefixes:
/// a head, or a head, the longest run of a gap set, and a tail. Each of these steps reads the
/// bytes in order and never looks back, so all filters run together as a set of threads; the
/// automaton's states are the sets of threads still alive (built on demand, from the start).
struct LineAutomaton: Sendable {
    /// No filter can pass any more.
    static let dead: Int32 = 0
    /// Some filter passed.
    static let pass: Int32 = 1

    /// `table[state * 256 + byte]`: the next state (states 0 and 1 have no rows that matter).
    let table: [Int32]
    /// The state at a line start (``pass`` when a filter passes every line start).
    let start: Int32

    /// One thread of one filter.
    private enum Thread: Hashable {
        /// Skipping the filter's skip set.
        case skip(filter: Int)
        /// `matched` bytes of prefix `prefix`'s head read (at least one).
        case head(prefix: Int, matched: Int)
        /// In the prefix's gap.
        case gap(prefix: Int)
        /// `matched` bytes of the prefix's tail read (at least one).
        case tail(prefix: Int, matched: Int)
    }

    init(_ program: RegexProgram, first: Int, count: Int) {
        let filters = Array(program.lineFilters[first..<first + count])
        func member(_ set: Int32, _ byte: Int) -> Bool { program.setTable[Int(set) &* 256 &+ byte] != 0 }
        func head(_ p: Int) -> ArraySlice<UInt8> {
            let prefix = program.prefixes[p]
            return program.literalPool[Int(prefix.offset)..<Int(prefix.offset + prefix.length)]
        }
        func tail(_ p: Int) -> ArraySlice<UInt8> {
            let prefix = program.prefixes[p]
            return program.literalPool[Int(prefix.tailOffset)..<Int(prefix.tailOffset + prefix.tailLength)]
        }
        // What a thread becomes once `matched` bytes of a head are read: the rest of the head,
        // or (head complete) a pass, or the gap — a pass right away when the tail is empty.
        func afterHead(_ p: Int, _ matched: Int) -> Thread? {
            if matched < head(p).count { return .head(prefix: p, matched: matched) }
            if program.prefixes[p].gap < 0 || tail(p).isEmpty { return nil }
            return .gap(prefix: p)
        }
        /// The threads after `byte`, and whether one of them passed.
        func step(_ thread: Thread, _ byte: Int) -> (next: [Thread], passed: Bool) {
            switch thread {
            case .skip(let f):
                let filter = filters[f]
                if member(filter.skip, byte) { return ([thread], false) }
                guard member(filter.accept, byte) else { return ([], false) }
                if filter.prefixCount == 0 { return ([], true) }
                var next: [Thread] = []
                for p in Int(filter.prefixStart)..<Int(filter.prefixStart + filter.prefixCount) {
                    let h = head(p)
                    guard let firstByte = h.first, Int(firstByte) == byte else { continue }
                    guard let thread = afterHead(p, 1) else { return ([], true) }
                    next.append(thread)
                }
                return (next, false)
            case .head(let p, let matched):
                let h = head(p)
                guard Int(h[h.startIndex + matched]) == byte else { return ([], false) }
                guard let thread = afterHead(p, matched + 1) else { return ([], true) }
                return ([thread], false)
            case .gap(let p):
                if member(program.prefixes[p].gap, byte) { return ([thread], false) }
                let t = tail(p)
                guard Int(t[t.startIndex]) == byte else { return ([], false) }
                if t.count == 1 { return ([], true) }
                return ([.tail(prefix: p, matched: 1)], false)
            case .tail(let p, let matched):
                let t = tail(p)
                guard Int(t[t.startIndex + matched]) == byte else { return ([], false) }
                if matched + 1 == t.count { return ([], true) }
                return ([.tail(prefix: p, matched: matched + 1)], false)
            }
        }

        if filters.contains(where: \.always) {
            table = Array(repeating: Self.dead, count: 2 * 256)
            start = Self.pass
            return
        }
        // Byte classes: two bytes every step treats alike (the same membership in each set the
        // filters use, and in no literal) give the same next state from any state, so each
        // state's row is worked out once per class rather than once per byte (a line's filters
        // use a handful of sets and literal bytes: a few dozen classes, not 256).
        var sets: [Int32] = []
        var literalBytes = ByteSet()
        for filter in filters {
            sets.append(filter.skip)
            sets.append(filter.accept)
            for p in Int(filter.prefixStart)..<Int(filter.prefixStart + filter.prefixCount) {
                for byte in head(p) { literalBytes.insert(byte) }
                for byte in tail(p) { literalBytes.insert(byte) }
                if program.prefixes[p].gap >= 0 { sets.append(program.prefixes[p].gap) }
            }
        }
        var classOf = [Int](repeating: 0, count: 256)
        var representatives: [Int] = []
        for byte in 0..<256 {
            var found = -1
            if !literalBytes.contains(UInt8(byte)) {
                for (k, other) in representatives.enumerated() where !literalBytes.contains(UInt8(other)) {
                    if sets.allSatisfy({ member($0, byte) == member($0, other) }) {
                        found = k
                        break
                    }
                }
            }
            if found < 0 {
                found = representatives.count
                representatives.append(byte)
            }
            classOf[byte] = found
        }

        // States 0 and 1 are dead and pass; live states are numbered from 2 as they are found.
        // Known states are found by comparison while few (no dictionary keyed by thread lists:
        // its first use costs the runtime a walk over every protocol conformance in the binary).
        var states: [[Thread]] = [[], []]
        var numbers: [[Thread]: Int32] = [:]
        func number(of threads: [Thread]) -> Int32? {
            if states.count <= 64 {
                for k in 2..<states.count where states[k] == threads { return Int32(k) }
                return nil
            }
            if numbers.isEmpty {
                for k in 2..<states.count { numbers[states[k]] = Int32(k) }
            }
            return numbers[threads]
        }
        func add(_ threads: [Thread]) -> Int32 {
            let k = Int32(states.count)
            states.append(threads)
            if !numbers.isEmpty { numbers[threads] = k }
            return k
        }
        var table = [Int32](repeating: Self.dead, count: 2 * 256)
        let initial = filters.indices.map { Thread.skip(filter: $0) }
        _ = add(initial)
        table += Array(repeating: Self.dead, count: 256)
        var targets = [Int32](repeating: Self.dead, count: representatives.count)
        var index = 2
        while index < states.count {
            let threads = states[index]
            for (k, byte) in representatives.enumerated() {
                var next: [Thread] = []
                var passed = false
                for thread in threads {
                    let (more, didPass) = step(thread, byte)
                    if didPass {
                        passed = true
                        break
                    }
                    for t in more where !next.contains(t) { next.append(t) }
                }
                let target: Int32
                if passed {
                    target = Self.pass
                } else if next.isEmpty {
                    target = Self.dead
                } else if let known = number(of: next) {
                    target = known
                } else {
                    target = add(next)
                    table += Array(repeating: Self.dead, count: 256)
                }
                targets[k] = target
            }
            for byte in 0..<256 { table[index * 256 + byte] = targets[classOf[byte]] }
            index += 1
        }
        self.table = table
        start = 2
    }
}
