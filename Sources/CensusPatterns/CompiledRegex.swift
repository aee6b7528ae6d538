import CCensusBytes

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A compiled program copied into memory the matcher reads through raw pointers, so that a
/// search retains nothing but this object.
final class CompiledRegex: @unchecked Sendable {
    // Immutable after init; the pointers are owned and freed in deinit.
    let program: RegexProgram
    let code: UnsafeMutablePointer<Instruction>
    let sets: UnsafeMutablePointer<UInt8>
    let literals: UnsafeMutablePointer<UInt8>
    let dispatchRanges: UnsafeMutablePointer<Int32>
    let dispatchTargets: UnsafeMutablePointer<Int32>
    let lineFilters: UnsafeMutablePointer<LineFilter>
    let prefixes: UnsafeMutablePointer<LinePrefix>
    /// The ``LineAutomaton`` of each `lineStarts` finder, one after another; for the finder whose
    /// filters start at index `first`, its table starts at `automatonOffsets[first]` and its
    /// start state is `automatonStarts[first]`.
    let automata: UnsafeMutablePointer<Int32>
    let automatonOffsets: UnsafeMutablePointer<Int>
    let automatonStarts: UnsafeMutablePointer<Int32>

    init(_ program: RegexProgram) {
        func copy<T>(_ array: [T], _ filler: T) -> UnsafeMutablePointer<T> {
            let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(array.count, 1))
            if array.isEmpty {
                pointer.initialize(to: filler)
            } else {
                array.withUnsafeBufferPointer { pointer.initialize(from: $0.baseAddress!, count: array.count) }
            }
            return pointer
        }
        self.program = program
        code = copy(program.code, Instruction(op: .match))
        sets = copy(program.setTable, 0)
        literals = copy(program.literalPool, 0)
        dispatchRanges = copy(program.dispatchRanges, 0)
        dispatchTargets = copy(program.dispatchTargets, 0)
        lineFilters = copy(program.lineFilters, LineFilter(skip: 0, accept: 0, always: false))
        prefixes = copy(program.prefixes, LinePrefix(offset: 0, length: 0))
        var tables: [Int32] = []
        var offsets = [Int](repeating: 0, count: program.lineFilters.count)
        var starts = [Int32](repeating: LineAutomaton.dead, count: program.lineFilters.count)
        if case .finders(let finders, _) = program.strategy {
            for case .lineStarts(let first, let count) in finders {
                let automaton = LineAutomaton(program, first: Int(first), count: Int(count))
                offsets[Int(first)] = tables.count
                starts[Int(first)] = automaton.start
                tables += automaton.table
            }
        }
        automata = copy(tables, 0)
        automatonOffsets = copy(offsets, 0)
        automatonStarts = copy(starts, 0)
    }

    deinit {
        code.deallocate()
        sets.deallocate()
        literals.deallocate()
        dispatchRanges.deallocate()
        dispatchTargets.deallocate()
        lineFilters.deallocate()
        prefixes.deallocate()
        automata.deallocate()
        automatonOffsets.deallocate()
        automatonStarts.deallocate()
    }

    /// Frames kept on the caller's stack (`withUnsafeTemporaryAllocation` stays off the heap
    /// up to 1 KiB); deeper backtracking moves to a heap buffer for the rest of the call.
    static let stackFrames = 1024 / MemoryLayout<Frame>.stride

    /// Finds the leftmost match in `text`. When `captures` is given it receives the capture
    /// slots of the match (``RegexProgram/captureSlotCount`` entries).
    func search(
        _ text: UnsafeRawBufferPointer, stepLimit: Int, captures: UnsafeMutableBufferPointer<Int>? = nil,
        literalsChecked: Bool = false, from: Int = 0
    ) -> SearchOutcome {
        var zero: UInt8 = 0
        return withUnsafePointer(to: &zero) { empty in
            let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? empty
            let end = text.count
            // A match starting at `from` holds a required literal at or after `from`: looking only
            // there keeps successive searches (one per match) linear in the text.
            if from > end { return .notFound }
            if !literalsChecked, !program.requiredChecks.isEmpty, !containsRequiredLiteral(base + from, end - from) {
                return .notFound
            }
            return withUnsafeTemporaryAllocation(of: Frame.self, capacity: Self.stackFrames) { frames in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: max(program.slotCount, 1)) { slots in
                    var machine = RegexMachine(
                        code: code, sets: sets, literals: literals, dispatchRanges: dispatchRanges,
                        dispatchTargets: dispatchTargets, text: base, end: end, classes: program.classes,
                        stack: frames, slots: slots.baseAddress!, stepLimit: stepLimit)
                    defer { machine.release() }
                    let outcome = findMatch(&machine, base, end, from: from)
                    if case .found(let from, let to) = outcome, let captures {
                        for index in 0..<min(captures.count, program.captureSlotCount) { captures[index] = slots[index] }
                        captures[0] = from
                        captures[1] = to
                    }
                    return outcome
                }
            }
        }
    }

    /// True when one of the required literals occurs in the text: one memchr pass per distinct
    /// searched byte, comparing every literal that searches for it at each hit.
    private func containsRequiredLiteral(_ text: UnsafePointer<UInt8>, _ end: Int) -> Bool {
        let checks = program.requiredChecks
        if checks.count == 1, let check = checks.first {
            return Self.nextLiteral(text, end, from: 0, literals + check.offset, check.length, check.rare) != nil
        }
        var done: UInt64 = 0  // checks already covered by an earlier byte's pass
        for (index, check) in checks.enumerated() where done & (1 << UInt64(index)) == 0 {
            let byte = literals[check.offset + check.rare]
            var group: UInt64 = 0
            for (other, candidate) in checks.enumerated() where literals[candidate.offset + candidate.rare] == byte {
                group |= 1 << UInt64(other)
            }
            done |= group
            var position = 0
            while position < end, let hit = memchr(text + position, Int32(byte), end - position) {
                let found = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - text
                var members = group
                while members != 0 {
                    let k = members.trailingZeroBitCount
                    members &= members - 1
                    let c = checks[k]
                    let start = found - c.rare
                    if start >= 0, start + c.length <= end, ShortBytes.equal(text + start, literals + c.offset, c.length) {
                        return true
                    }
                }
                position = found + 1
            }
        }
        return false
    }

    /// The first start ≥ `from` of an occurrence of the literal.
    @inline(__always)
    static func nextLiteral(
        _ text: UnsafePointer<UInt8>, _ end: Int, from: Int, _ literal: UnsafePointer<UInt8>, _ length: Int, _ rare: Int
    ) -> Int? {
        let rareByte = Int32(literal[rare])
        var position = from + rare
        while position < end {
            guard let hit = memchr(text + position, rareByte, end - position) else { return nil }
            let found = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - text
            let start = found - rare
            if start + length <= end, ShortBytes.equal(text + start, literal, length) { return start }
            position = found + 1
        }
        return nil
    }

    /// The leftmost match starting at or after `first` (the text before it is still seen by
    /// `\b`, lookbehind and `^`).
    ///
    /// `finderCache` (one slot per finder, -1 at first) keeps the finders' next candidates from
    /// one call to the next with a larger `first`: a candidate at or after the new start is still
    /// the finder's first one there, so successive searches never rescan for a literal that is
    /// far away or absent.
    private func findMatch(
        _ machine: inout RegexMachine, _ text: UnsafePointer<UInt8>, _ end: Int, from first: Int,
        finderCache: UnsafeMutableBufferPointer<Int>? = nil
    ) -> SearchOutcome {
        if first > end { return .notFound }
        let reset = program.savesCaptures ? program.captureSlotCount : 0
        let utf8 = program.utf8
        let sets = UnsafePointer(self.sets)
        let literals = UnsafePointer(self.literals)
        @inline(__always)
        func attempt(_ start: Int) -> SearchOutcome? {
            if utf8, !UTF8Decoding.isBoundary(text, start, end: end) { return nil }
            let result = machine.run(at: start, resetCaptures: reset)
            if result >= 0 { return .found(start, result) }
            if result == RegexMachine.abandoned { return .abandoned }
            return nil
        }
        switch program.strategy {
        case .textStartOnly:
            return first == 0 ? attempt(0) ?? .notFound : .notFound
        case .everywhere:
            var start = first
            while start <= end {
                if let outcome = attempt(start) { return outcome }
                start += 1
            }
            return .notFound
        case .finders(let finders, let atZero):
            var from = first
            if atZero, first == 0 {
                if let outcome = attempt(0) { return outcome }
                from = 1
            }
            if finders.count == 1 {
                while let start = nextCandidate(finders[0], text, end, from, sets, literals) {
                    if let outcome = attempt(start) { return outcome }
                    from = start + 1
                }
                return .notFound
            }
            // Several finders: the smallest of their next positions, each recomputed only once
            // the search has passed it.
            func scan(_ next: UnsafeMutableBufferPointer<Int>) -> SearchOutcome {
                while true {
                    var best = Int.max
                    for index in 0..<finders.count {
                        if next[index] < from, next[index] != Int.max {
                            next[index] = nextCandidate(finders[index], text, end, from, sets, literals) ?? Int.max
                        }
                        best = min(best, next[index])
                    }
                    if best == Int.max { return .notFound }
                    if let outcome = attempt(best) { return outcome }
                    from = best + 1
                }
            }
            if let finderCache, finderCache.count >= finders.count { return scan(finderCache) }
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: finders.count) { next in
                next.initialize(repeating: -1)
                return scan(next)
            }
        }
    }

    /// The number of non-overlapping matches, leftmost first, each search starting where the last
    /// match ended (one character later after an empty match) and seeing the text before it; and
    /// whether a search was abandoned (the count is then of the matches before it).
    ///
    /// - Complexity: O(n) in the text for the finding of candidates: the literal check runs once,
    ///   the finders' positions are kept from match to match.
    func countMatches(_ text: UnsafeRawBufferPointer, stepLimit: Int) -> (count: Int, abandoned: Bool) {
        var zero: UInt8 = 0
        return withUnsafePointer(to: &zero) { empty in
            let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? empty
            let end = text.count
            if !program.requiredChecks.isEmpty, !containsRequiredLiteral(base, end) { return (0, false) }
            var finderCount = 0
            if case .finders(let finders, _) = program.strategy { finderCount = finders.count }
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: max(finderCount, 1)) { cache in
                cache.initialize(repeating: -1)
                var count = 0
                var from = 0
                while from <= end {
                    let outcome = withUnsafeTemporaryAllocation(of: Frame.self, capacity: Self.stackFrames) { frames in
                        withUnsafeTemporaryAllocation(of: Int.self, capacity: max(program.slotCount, 1)) { slots in
                            var machine = RegexMachine(
                                code: code, sets: sets, literals: literals, dispatchRanges: dispatchRanges,
                                dispatchTargets: dispatchTargets, text: base, end: end, classes: program.classes,
                                stack: frames, slots: slots.baseAddress!, stepLimit: stepLimit)
                            defer { machine.release() }
                            return findMatch(&machine, base, end, from: from, finderCache: finderCount > 1 ? cache : nil)
                        }
                    }
                    switch outcome {
                    case .found(let start, let stop):
                        count += 1
                        from = stop > start ? stop : stop + 1
                    case .notFound: return (count, false)
                    case .abandoned: return (count, true)
                    }
                }
                return (count, false)
            }
        }
    }

    /// The finder's first candidate at or after `from`.
    @inline(__always)
    private func nextCandidate(
        _ finder: CandidateFinder, _ text: UnsafePointer<UInt8>, _ end: Int, _ from: Int, _ sets: UnsafePointer<UInt8>,
        _ literals: UnsafePointer<UInt8>
    ) -> Int? {
        switch finder {
        case .literal(let offset, let length, let rare):
            return Self.nextLiteral(text, end, from: from, literals + offset, length, rare)
        case .bytes(let set, let single):
            if let single {
                guard from < end, let hit = memchr(text + from, Int32(single), end - from) else { return nil }
                return UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - text
            }
            let table = sets + (Int(set) &<< 8)
            var position = from
            while position < end, table[Int(text[position])] == 0 { position += 1 }
            return position < end ? position : nil
        case .runStarts(let set):
            let table = sets + (Int(set) &<< 8)
            var position = from
            while position < end {
                if table[Int(text[position])] != 0, position == 0 || table[Int(text[position - 1])] == 0 { return position }
                position += 1
            }
            return nil
        case .afterRun(let stop):
            let table = sets + (Int(stop) &<< 8)
            var position = max(from - 1, 0)
            while position < end - 1, table[Int(text[position])] == 0 { position += 1 }
            return position < end - 1 ? position + 1 : nil
        case .lineStarts(let first, _):
            // A line start p ≥ from follows a newline at p - 1 ≥ from - 1; the finder's filters
            // decide it together (see ``LineAutomaton``). Newlines come 64 bytes at a time as a
            // bit mask: on the kernel's headers a `memchr` call per line cost 15 ms more.
            let table = UnsafePointer(automata + automatonOffsets[Int(first)])
            let initial = automatonStarts[Int(first)]
            var block = max(from - 1, 0)
            while block < end {
                var newlines: UInt64
                if end - block >= 64 {
                    newlines = census_byte_mask64(text + block, 0x0A)
                } else {
                    newlines = 0
                    for k in 0..<(end - block) where text[block + k] == 0x0A { newlines |= 1 << UInt64(k) }
                }
                while newlines != 0 {
                    let start = block + newlines.trailingZeroBitCount + 1
                    newlines &= newlines - 1
                    if start >= end { return nil }
                    if start >= from {
                        var state = initial
                        var p = start
                        while state > LineAutomaton.pass, p < end {
                            state = table[Int(state) &<< 8 | Int(text[p])]
                            p += 1
                        }
                        if state == LineAutomaton.pass { return start }
                    }
                }
                block += 64
            }
            return nil
        }
    }
}
