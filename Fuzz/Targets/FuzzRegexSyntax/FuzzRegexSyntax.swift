// Fuzz target: the regular-expression parser and compiler on arbitrary patterns, and the matcher
// on what compiles.
//
// Input: one options byte (i, m, x, utf8), the pattern (up to the first NUL, read as UTF-8 with
// invalid bytes replaced, as a pattern from a data file would be), then the subject. Checks that a
// pattern either compiles or throws an error whose offset lies inside it, that a match lies inside
// the subject, and that `firstMatch`, `matches` and `search` agree.
import CensusFuzzSupport
import CensusFuzzLinguist
import CensusPatterns

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegexSyntax(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let options = ByteRegex.Options(rawValue: Int(input.byte() & 0x0F))
    let pattern = String(decoding: input.take(upTo: 0), as: UTF8.self)
    let subject = input.rest()
    let regex: ByteRegex
    do {
        regex = try ByteRegex(pattern, options: options)
    } catch {
        fuzzCheck(
            error.offset >= 0 && error.offset <= pattern.utf8.count,
            "error offset \(error.offset) outside a \(pattern.utf8.count)-byte pattern: \(error)")
        return 0
    }
    let outcome = regex.search(subject)
    switch outcome {
    case .match(let range):
        fuzzCheck(range.lowerBound >= 0 && range.upperBound <= subject.count, "match \(range) outside \(subject.count) bytes")
        fuzzCheck(regex.firstMatch(in: subject) == range, "firstMatch disagrees with search")
        fuzzCheck(regex.matches(subject), "matches disagrees with search")
        if let captures = regex.captures(in: subject) {
            fuzzCheck(captures.first.flatMap { $0 } == range, "captures' group 0 \(String(describing: captures.first)) != \(range)")
        }
    case .noMatch:
        fuzzCheck(regex.firstMatch(in: subject) == nil, "firstMatch found what search did not")
    case .abandoned:
        break
    }
    _ = regex.requiredLiterals
    return 0
}

@main enum Main {
    static func main() {
        FuzzMain.run(
            FuzzTarget(
                name: "FuzzRegexSyntax",
                fixtureDirectories: [],
                extraSeeds: LinguistPatterns.all.map { [0] + Array($0.utf8) + [0] + Array("#include <stdio.h>\nint main() {}\n".utf8) }
            ) { _, _ in [] },
            fuzzRegexSyntax)
    }
}
