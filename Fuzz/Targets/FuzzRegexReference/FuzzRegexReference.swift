// Fuzz target: `ByteRegex` against a reference matcher, on small patterns and subjects.
//
// Input: bytes that build a pattern tree (ReferenceNode: literals over a, b, space and newline,
// `.`, classes, anchors, `\b`, groups, alternation, greedy/lazy/possessive quantifiers, atomic
// groups, lookahead; at most 12 nodes, 3 deep), then the subject (up to 16 bytes, each byte
// mapped to a, b, space or newline). Checks that `search` finds exactly the reference's leftmost
// match (start and end), or no match when it finds none, and is never abandoned on such inputs.
import CensusFuzzSupport
import CensusPatterns

private let alphabet: [UInt8] = [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: " "), 0x0A]

struct PatternBuilder {
    var input: FuzzInput
    var nodes = 0

    mutating func node(depth: Int) -> ReferenceNode {
        nodes += 1
        let choice = input.byte()
        if depth >= 3 || nodes >= 12 { return atom(choice) }
        switch choice % 16 {
        case 0..<6: return atom(choice)
        case 6, 7, 8:
            let count = 2 + Int(input.byte() % 3)
            return .sequence((0..<count).map { _ in node(depth: depth + 1) })
        case 9, 10:
            let count = 2 + Int(input.byte() % 2)
            return .alternation((0..<count).map { _ in node(depth: depth + 1) })
        case 11, 12, 13:
            let shape = input.byte()
            let (min, max): (Int, Int?) = [(0, nil), (1, nil), (0, 1), (2, nil), (0, 2), (1, 3), (2, 2), (0, 0)][Int(shape % 8)]
            var mode: ReferenceNode.RepeatMode = [.greedy, .greedy, .lazy, .possessive][Int(shape >> 3) % 4]
            // Ruby reads `{n}?` as `(?:x{n})?` and `{n,m}+` as `(?:x{n,m})+`: only the forms that
            // mean lazy and possessive are generated as such.
            // (The generator once let `{2,}+` through as possessive: the fuzzer's first finding here.)
            if max != nil && min == max { mode = .greedy }
            let possessiveForm = (max == nil && min <= 1) || (min == 0 && max == 1)  // `*+`, `++`, `?+`
            if mode == .possessive && !possessiveForm { mode = .greedy }
            return .repeated(node(depth: depth + 1), min: min, max: max, mode: mode)
        case 14: return .atomic(node(depth: depth + 1))
        default: return .lookahead(node(depth: depth + 1), negative: input.byte() & 1 == 1)
        }
    }

    mutating func atom(_ choice: UInt8) -> ReferenceNode {
        switch (choice >> 4) % 12 {
        case 0, 1, 2, 3: return .byte(alphabet[Int(choice) % 4])
        case 4: return .dot
        case 5:
            let mask = input.byte()
            let members = alphabet.indices.filter { mask & (1 << $0) != 0 }.map { alphabet[$0] }
            return .set(members.isEmpty ? [UInt8(ascii: "a")] : members, negated: mask & 0x10 != 0)
        case 6: return .lineStart
        case 7: return .lineEnd
        case 8: return [.textStart, .textEnd, .textEndBeforeNewline][Int(choice) % 3]
        case 9: return choice & 1 == 0 ? .wordBoundary : .notWordBoundary
        default: return .byte(alphabet[Int(choice) % 4])
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegexReference(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let subjectLength = Int(input.byte() % 17)
    let subject = [UInt8](input.take(subjectLength)).map { alphabet[Int($0) % 4] }
    var builder = PatternBuilder(input: input)
    let tree = builder.node(depth: 0)
    let pattern = tree.pattern
    let regex: ByteRegex
    do {
        regex = try ByteRegex(pattern)
    } catch {
        fuzzCheck(false, "/\(pattern)/ does not compile: \(error)")
        return 0
    }
    let expected: Range<Int>?
    do {
        expected = try ReferenceMatcher(text: subject).search(tree)
    } catch {
        return 0  // the reference gave up; nothing to compare
    }
    let outcome = subject.withUnsafeBytes { regex.search($0) }
    let shown = String(decoding: subject, as: UTF8.self).debugDescription
    switch outcome {
    case .match(let range):
        fuzzCheck(range == expected, "/\(pattern)/ on \(shown): ByteRegex \(range), reference \(String(describing: expected))")
    case .noMatch:
        fuzzCheck(expected == nil, "/\(pattern)/ on \(shown): ByteRegex no match, reference \(String(describing: expected))")
    case .abandoned:
        fuzzCheck(false, "/\(pattern)/ on \(shown): abandoned on a \(subject.count)-byte subject")
    }
    return 0
}

@main enum Main {
    static func main() {
        FuzzMain.run(
            FuzzTarget(
                name: "FuzzRegexReference",
                fixtureDirectories: [],
                extraSeeds: [
                    [8, 0, 1, 2, 3, 0, 1, 3, 0, 6, 3, 0, 1, 11, 0, 0x40, 1],
                    [12, 0, 0, 1, 1, 2, 2, 3, 3, 0, 1, 2, 3, 9, 2, 11, 0x12, 0, 0x51, 0x20],
                    [5, 0, 1, 0, 1, 0, 13, 0x0A, 0x50, 0x13, 15, 1, 0],
                ]
            ) { _, _ in [] },
            fuzzRegexReference)
    }
}
