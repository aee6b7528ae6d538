#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A backtracking entry.
struct Frame {
    var kind: Int32
    var pc: Int32
    var pos: Int
    var aux: Int
}

/// Kinds of ``Frame``.
enum FrameKind {
    /// Resume at `pc` with position `pos`.
    static let resume: Int32 = 0
    /// Restore register `pc` to `pos`, then keep backtracking.
    static let undo: Int32 = 1
    /// The start of an atomic group or positive lookaround: keep backtracking.
    static let barrier: Int32 = 2
    /// The start of a negative lookaround: its body failed, so resume at `pc` with `pos`.
    static let negativeBarrier: Int32 = 3
    /// A greedy `repeatSet` at `pc` that ended at `pos` and may give back down to `aux`.
    static let greedyRepeat: Int32 = 4
    /// A lazy `repeatSet` at `pc` that stopped at `pos` after `aux` bytes.
    static let lazyRepeat: Int32 = 5
    /// Restore group `pc`'s capture to (`pos`, `aux`), then keep backtracking.
    static let undoCapture: Int32 = 6
}

/// The outcome of one search.
enum SearchOutcome: Equatable {
    case found(Int, Int)
    case notFound
    case abandoned
}

/// Runs a ``RegexProgram`` over one text: the backtracking interpreter.
struct RegexMachine {
    private let code: UnsafePointer<Instruction>
    private let sets: UnsafePointer<UInt8>
    private let literals: UnsafePointer<UInt8>
    private let dispatchRanges: UnsafePointer<Int32>
    private let dispatchTargets: UnsafePointer<Int32>
    private let text: UnsafePointer<UInt8>
    private let end: Int
    private let classes: [CodeSet]
    private var stack: UnsafeMutablePointer<Frame>
    private var capacity: Int
    private var ownsStack = false
    private let slots: UnsafeMutablePointer<Int>
    private var steps = 0
    private let stepLimit: Int

    static let noMatch = -1
    static let abandoned = -2

    init(
        code: UnsafePointer<Instruction>, sets: UnsafePointer<UInt8>, literals: UnsafePointer<UInt8>,
        dispatchRanges: UnsafePointer<Int32>, dispatchTargets: UnsafePointer<Int32>,
        text: UnsafePointer<UInt8>, end: Int, classes: [CodeSet], stack: UnsafeMutableBufferPointer<Frame>,
        slots: UnsafeMutablePointer<Int>, stepLimit: Int
    ) {
        self.code = code
        self.sets = sets
        self.literals = literals
        self.dispatchRanges = dispatchRanges
        self.dispatchTargets = dispatchTargets
        self.text = text
        self.end = end
        self.classes = classes
        self.stack = stack.baseAddress!
        self.capacity = stack.count
        self.slots = slots
        self.stepLimit = stepLimit
    }

    /// Frees the stack if it outgrew the caller's buffer.
    mutating func release() {
        if ownsStack { stack.deallocate() }
        ownsStack = false
    }

    @inline(never)
    private mutating func grow() {
        let newCapacity = capacity * 2
        let newStack = UnsafeMutablePointer<Frame>.allocate(capacity: newCapacity)
        newStack.initialize(from: stack, count: capacity)
        if ownsStack { stack.deallocate() }
        stack = newStack
        capacity = newCapacity
        ownsStack = true
    }

    /// Pushes a frame; false when the step budget is spent.
    @inline(__always)
    private mutating func push(_ kind: Int32, _ pc: Int32, _ pos: Int, _ aux: Int, _ sp: inout Int) -> Bool {
        if sp == capacity { grow() }
        stack[sp] = Frame(kind: kind, pc: pc, pos: pos, aux: aux)
        sp += 1
        steps += 1
        return steps <= stepLimit
    }

    /// Drops the frames from the barrier at `base` up, keeping register undo entries (so that
    /// backtracking past the group still restores the captures set inside it).
    @inline(__always)
    private func cut(to base: Int, _ sp: inout Int) {
        var write = base
        var read = base + 1
        while read < sp {
            if stack[read].kind == FrameKind.undo || stack[read].kind == FrameKind.undoCapture {
                stack[write] = stack[read]
                write += 1
            }
            read += 1
        }
        sp = write
    }

    @inline(__always)
    private static func isWord(_ text: UnsafePointer<UInt8>, _ end: Int, _ position: Int) -> Bool {
        position >= 0 && position < end && ASCII.word.contains(text[position])
    }

    /// A static function of plain values, so that calling it does not copy the machine.
    @inline(__always)
    private static func assertion(_ raw: UInt8, _ pos: Int, _ text: UnsafePointer<UInt8>, _ end: Int) -> Bool {
        switch raw {
        case Assertion.lineStart.rawValue: return pos == 0 || (pos < end && text[pos - 1] == 0x0A)
        case Assertion.lineEnd.rawValue: return pos == end || text[pos] == 0x0A
        case Assertion.textStart.rawValue: return pos == 0
        case Assertion.textEnd.rawValue: return pos == end
        case Assertion.textEndOrFinalNewline.rawValue: return pos == end || (pos + 1 == end && text[pos] == 0x0A)
        case Assertion.wordBoundary.rawValue: return isWord(text, end, pos - 1) != isWord(text, end, pos)
        default: return isWord(text, end, pos - 1) == isWord(text, end, pos)
        }
    }

    /// Runs the program anchored at `start`. Returns the end of the match, ``noMatch`` or
    /// ``abandoned``.
    mutating func run(at start: Int, resetCaptures: Int) -> Int {
        for slot in 0..<resetCaptures { slots[slot] = -1 }
        let code = self.code
        let sets = self.sets
        let text = self.text
        let end = self.end
        var sp = 0
        var pc = 0
        var pos = start
        while true {
            let inst = code[pc]
            var failed = false
            switch inst.op {
            case .match:
                return pos
            case .fail:
                failed = true
            case .byte:
                if pos < end, text[pos] == UInt8(truncatingIfNeeded: inst.a) {
                    pos += 1
                    pc += 1
                } else {
                    failed = true
                }
            case .set:
                if pos < end, sets[Int(inst.a) &<< 8 | Int(text[pos])] != 0 {
                    pos += 1
                    pc += 1
                } else {
                    failed = true
                }
            case .literal:
                let count = Int(inst.b)
                if end - pos >= count, ShortBytes.equal(text + pos, literals + Int(inst.a), count) {
                    pos += count
                    pc += 1
                } else {
                    failed = true
                }
            case .literalFold:
                let count = Int(inst.b)
                if end - pos >= count {
                    let literal = literals + Int(inst.a)
                    var index = 0
                    while index < count, ASCII.lower(text[pos + index]) == literal[index] { index += 1 }
                    if index == count {
                        pos += count
                        pc += 1
                    } else {
                        failed = true
                    }
                } else {
                    failed = true
                }
            case .charClass:
                if pos < end {
                    let byte = text[pos]
                    if byte < 0x80 {
                        if sets[Int(inst.a) &<< 8 | Int(byte)] != 0 {
                            pos += 1
                            pc += 1
                        } else {
                            failed = true
                        }
                    } else {
                        var value = CodeSet.invalidByteBase + UInt32(byte)
                        var length = 1
                        if let decoded = UTF8Decoding.decode(text, at: pos, end: end) {
                            value = decoded.value
                            length = decoded.length
                        }
                        if classes[Int(inst.b)].contains(value) {
                            pos += length
                            pc += 1
                        } else {
                            failed = true
                        }
                    }
                } else {
                    failed = true
                }
            case .lineBreak:
                if pos < end {
                    let byte = text[pos]
                    if byte == 0x0D, pos + 1 < end, text[pos + 1] == 0x0A {
                        pos += 2
                        pc += 1
                    } else if byte >= 0x0A, byte <= 0x0D {
                        pos += 1
                        pc += 1
                    } else if inst.flag == 1, byte == 0xC2, pos + 1 < end, text[pos + 1] == 0x85 {
                        pos += 2
                        pc += 1
                    } else if inst.flag == 1, byte == 0xE2, pos + 2 < end, text[pos + 1] == 0x80,
                        text[pos + 2] == 0xA8 || text[pos + 2] == 0xA9
                    {
                        pos += 3
                        pc += 1
                    } else {
                        failed = true
                    }
                } else {
                    failed = true
                }
            case .assert:
                if Self.assertion(inst.flag, pos, text, end) { pc += 1 } else { failed = true }
            case .jump:
                pc = Int(inst.a)
            case .split:
                if !push(FrameKind.resume, inst.b, pos, 0, &sp) { return Self.abandoned }
                pc = Int(inst.a)
            case .splitGuard:
                if pos < end, sets[Int(inst.c) &<< 8 | Int(text[pos])] != 0 {
                    if !push(FrameKind.resume, inst.b, pos, 0, &sp) { return Self.abandoned }
                    pc = Int(inst.a)
                } else {
                    pc = Int(inst.b)
                }
            case .dispatch:
                let key = pos < end ? Int(text[pos]) : 256
                let entry = (Int(inst.a) * 257 + key) * 2
                let first = Int(dispatchRanges[entry])
                let count = Int(dispatchRanges[entry + 1])
                if count == 0 {
                    failed = true
                } else {
                    var index = first + count - 1
                    while index > first {
                        if !push(FrameKind.resume, dispatchTargets[index], pos, 0, &sp) { return Self.abandoned }
                        index -= 1
                    }
                    pc = Int(dispatchTargets[first])
                }
            case .guardByte:
                if pos < end, sets[Int(inst.c) &<< 8 | Int(text[pos])] != 0 { pc += 1 } else { failed = true }
            case .save:
                let slot = Int(inst.a)
                if !push(FrameKind.undo, inst.a, slots[slot], 0, &sp) { return Self.abandoned }
                slots[slot] = pos
                pc += 1
            case .commitCapture:
                let group = Int(inst.a)
                if !push(FrameKind.undoCapture, inst.a, slots[2 * group], slots[2 * group + 1], &sp) {
                    return Self.abandoned
                }
                slots[2 * group] = slots[Int(inst.b)]
                slots[2 * group + 1] = pos
                pc += 1
            case .emptyExit:
                pc = slots[Int(inst.a)] == pos ? Int(inst.b) : pc + 1
            case .repeatSet:
                let set = sets + (Int(inst.a) &<< 8)
                let minimum = Int(inst.b)
                let maximum = Int(inst.c)
                if inst.flag == 1 {
                    // Lazy: the minimum, then the first position where the continuation can start.
                    let needed = pos + minimum
                    var p = pos
                    if needed <= end {
                        while p < needed, set[Int(text[p])] != 0 { p += 1 }
                    }
                    if needed > end || p < needed {
                        failed = true
                    } else {
                        var count = minimum
                        if inst.d >= 0 {
                            let follow = sets + (Int(inst.d) &<< 8)
                            while !(p < end && follow[Int(text[p])] != 0) {
                                if (maximum >= 0 && count >= maximum) || p >= end || set[Int(text[p])] == 0 {
                                    failed = true
                                    break
                                }
                                p += 1
                                count += 1
                            }
                        }
                        if !failed {
                            if maximum < 0 || count < maximum {
                                if !push(FrameKind.lazyRepeat, Int32(pc), p, count, &sp) { return Self.abandoned }
                            }
                            pos = p
                            pc += 1
                        }
                    }
                } else {
                    let limit = maximum < 0 || maximum > end - pos ? end : pos + maximum
                    var p = pos
                    while p < limit, set[Int(text[p])] != 0 { p += 1 }
                    let low = pos + minimum
                    if p < low {
                        failed = true
                    } else if inst.flag == 2 || p == low {
                        pos = p
                        pc += 1
                    } else if inst.d >= 0 {
                        // Start where the continuation can: its first byte must be in the follow set.
                        let follow = sets + (Int(inst.d) &<< 8)
                        var q = p
                        while q >= low, !(q < end && follow[Int(text[q])] != 0) { q -= 1 }
                        if q < low {
                            failed = true
                        } else {
                            if q > low, !push(FrameKind.greedyRepeat, Int32(pc), q, low, &sp) { return Self.abandoned }
                            pos = q
                            pc += 1
                        }
                    } else {
                        if !push(FrameKind.greedyRepeat, Int32(pc), p, low, &sp) { return Self.abandoned }
                        pos = p
                        pc += 1
                    }
                }
            case .atomicStart:
                slots[Int(inst.a)] = sp
                if !push(FrameKind.barrier, 0, 0, 0, &sp) { return Self.abandoned }
                pc += 1
            case .atomicEnd:
                cut(to: slots[Int(inst.a)], &sp)
                pc += 1
            case .lookStart:
                slots[Int(inst.a)] = sp
                slots[Int(inst.a) + 1] = pos
                if !push(FrameKind.barrier, 0, 0, 0, &sp) { return Self.abandoned }
                pc += 1
            case .lookEnd:
                cut(to: slots[Int(inst.a)], &sp)
                pos = slots[Int(inst.a) + 1]
                pc += 1
            case .negativeLookStart:
                slots[Int(inst.a)] = sp
                slots[Int(inst.a) + 1] = pos
                if !push(FrameKind.negativeBarrier, inst.b, pos, 0, &sp) { return Self.abandoned }
                pc += 1
            case .negativeLookEnd:
                // The body matched, so the assertion fails: undo what the body did, drop the
                // barrier and backtrack past it.
                let base = slots[Int(inst.a)]
                while sp > base + 1 {
                    sp -= 1
                    let frame = stack[sp]
                    if frame.kind == FrameKind.undo {
                        slots[Int(frame.pc)] = frame.pos
                    } else if frame.kind == FrameKind.undoCapture {
                        slots[2 * Int(frame.pc)] = frame.pos
                        slots[2 * Int(frame.pc) + 1] = frame.aux
                    }
                }
                sp = base
                failed = true
            case .stepBack:
                let count = Int(inst.a)
                if inst.flag == 0 {
                    if pos >= count {
                        pos -= count
                        pc += 1
                    } else {
                        failed = true
                    }
                } else {
                    var p = pos
                    var stepped = 0
                    while stepped < count, p > 0 {
                        p = UTF8Decoding.previousStart(text, before: p, end: end)
                        stepped += 1
                    }
                    if stepped == count {
                        pos = p
                        pc += 1
                    } else {
                        failed = true
                    }
                }
            case .assertAt:
                if pos == slots[Int(inst.a) + 1] { pc += 1 } else { failed = true }
            case .backreference:
                let group = Int(inst.a)
                let from = slots[2 * group]
                let to = slots[2 * group + 1]
                let count = to - from
                if from < 0 || to < 0 || count < 0 || end - pos < count {
                    failed = true
                } else {
                    var index = 0
                    if inst.flag == 1 {
                        while index < count, ASCII.lower(text[from + index]) == ASCII.lower(text[pos + index]) {
                            index += 1
                        }
                    } else {
                        while index < count, text[from + index] == text[pos + index] { index += 1 }
                    }
                    if index == count {
                        pos += count
                        pc += 1
                    } else {
                        failed = true
                    }
                }
            }
            if !failed { continue }

            backtrack: while true {
                if sp == 0 { return Self.noMatch }
                sp -= 1
                let frame = stack[sp]
                switch frame.kind {
                case FrameKind.resume, FrameKind.negativeBarrier:
                    pc = Int(frame.pc)
                    pos = frame.pos
                    break backtrack
                case FrameKind.undo:
                    slots[Int(frame.pc)] = frame.pos
                case FrameKind.undoCapture:
                    slots[2 * Int(frame.pc)] = frame.pos
                    slots[2 * Int(frame.pc) + 1] = frame.aux
                case FrameKind.greedyRepeat:
                    let inst = code[Int(frame.pc)]
                    let low = frame.aux
                    var q = frame.pos - 1
                    if inst.d >= 0 {
                        let follow = sets + (Int(inst.d) &<< 8)
                        while q >= low, follow[Int(text[q])] == 0 { q -= 1 }
                    }
                    if q < low { continue }
                    if q > low {
                        stack[sp] = Frame(kind: FrameKind.greedyRepeat, pc: frame.pc, pos: q, aux: low)
                        sp += 1
                        steps += 1
                        if steps > stepLimit { return Self.abandoned }
                    }
                    pc = Int(frame.pc) + 1
                    pos = q
                    break backtrack
                case FrameKind.lazyRepeat:
                    let inst = code[Int(frame.pc)]
                    let set = sets + (Int(inst.a) &<< 8)
                    let maximum = Int(inst.c)
                    var p = frame.pos
                    var count = frame.aux
                    var extended = false
                    while true {
                        if (maximum >= 0 && count >= maximum) || p >= end || set[Int(text[p])] == 0 { break }
                        p += 1
                        count += 1
                        if inst.d >= 0 {
                            let follow = sets + (Int(inst.d) &<< 8)
                            if !(p < end && follow[Int(text[p])] != 0) { continue }
                        }
                        extended = true
                        break
                    }
                    if !extended { continue }
                    if maximum < 0 || count < maximum {
                        stack[sp] = Frame(kind: FrameKind.lazyRepeat, pc: frame.pc, pos: p, aux: count)
                        sp += 1
                        steps += 1
                        if steps > stepLimit { return Self.abandoned }
                    }
                    pc = Int(frame.pc) + 1
                    pos = p
                    break backtrack
                default:
                    continue
                }
            }
        }
    }
}
