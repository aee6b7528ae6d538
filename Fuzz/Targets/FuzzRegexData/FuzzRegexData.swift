// Fuzz target: Linguist's own patterns (the ones census runs on every file and path) on untrusted
// subject bytes.
//
// Input: two 2-byte pattern indexes, then the subject. Checks:
// - every search ends within its step budget's time bound: at most 1 s of CPU time (the budget,
//   `ByteRegex.defaultStepLimit`, is documented as some 20-60 ms on an optimised build);
// - `(?:p)|(?:q)` matches exactly when `p` or `q` matches (the engine joins each extension's
//   heuristics into one alternation to rule files out in one pass), when nothing was abandoned and
//   neither pattern uses backreferences (whose numbers the join would shift).
import CensusFuzzSupport
import CensusFuzzLinguist
import CensusPatterns

#if canImport(Glibc)
import Glibc
#endif

private let compiled: [(pattern: String, regex: ByteRegex)] = LinguistPatterns.all.compactMap { pattern in
    (try? ByteRegex(pattern)).map { (pattern, $0) }
}

private func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

private func timedSearch(_ regex: ByteRegex, _ subject: UnsafeRawBufferPointer) -> ByteRegex.Outcome {
    let start = cpuSeconds()
    let outcome = regex.search(subject)
    let spent = cpuSeconds() - start
    fuzzCheck(spent < 1.0, "/\(regex.pattern)/ took \(spent) s of CPU on \(subject.count) bytes (\(outcome))")
    return outcome
}

private func usesBackreferences(_ pattern: String) -> Bool {
    let bytes = Array(pattern.utf8)
    for i in bytes.indices.dropLast() where bytes[i] == UInt8(ascii: "\\") {
        let next = bytes[i + 1]
        if next == UInt8(ascii: "k") || (next >= UInt8(ascii: "1") && next <= UInt8(ascii: "9")) { return true }
    }
    return false
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegexData(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let first = compiled[Int(input.uint16()) % compiled.count]
    let second = compiled[Int(input.uint16()) % compiled.count]
    let subject = input.rest()
    let a = timedSearch(first.regex, subject)
    let b = timedSearch(second.regex, subject)
    guard !usesBackreferences(first.pattern), !usesBackreferences(second.pattern),
        let joined = try? ByteRegex("(?:\(first.pattern))|(?:\(second.pattern))")
    else { return 0 }
    let both = timedSearch(joined, subject)
    if a == .abandoned || b == .abandoned || both == .abandoned { return 0 }
    let either = a != .noMatch || b != .noMatch
    fuzzCheck(
        (both != .noMatch) == either,
        "/\(first.pattern)/ \(a), /\(second.pattern)/ \(b), joined \(both)")
    return 0
}

@main enum Main {
    static func main() {
        let count = compiled.count
        FuzzMain.run(
            FuzzTarget(
                name: "FuzzRegexData",
                fixtureDirectories: ["Tests/CensusCountingTests/Fixtures"],
                extraSeeds: [[0, 0, 0, 1] + Array("node_modules/a/b.min.js".utf8)]
            ) { path, bytes in
                // Each fixture against a few patterns spread over the list.
                let body = Array(bytes.prefix(8192))
                var seeds: [[UInt8]] = []
                for i in stride(from: 0, to: count, by: max(1, count / 8)) {
                    let j = i + 1
                    let header: [UInt8] = [UInt8(truncatingIfNeeded: i >> 8), UInt8(truncatingIfNeeded: i), UInt8(truncatingIfNeeded: j >> 8), UInt8(truncatingIfNeeded: j)]
                    seeds.append(header + body)
                }
                return seeds
            },
            fuzzRegexData)
    }
}
