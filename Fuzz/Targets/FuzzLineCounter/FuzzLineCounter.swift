// Fuzz target: the line counter, on any bytes in any language.
//
// Input: 2 bytes of language index (modulo the number of languages), 8 bytes seeding the chunk
// sizes, then the file's bytes. Checks, besides "no crash":
// - code + comments + blanks equals the number of physical lines, counted here independently
//   (docs/counting.md: `\n`, `\r\n` and a lone `\r` end lines; a last line without an ending
//   counts; a leading UTF-8 BOM is skipped);
// - counting the bytes in one piece equals counting them through `countStream` with the smallest
//   buffer it accepts and reads of random sizes (1 byte to the whole buffer).
import CensusCounting
import CensusFuzzSupport
import CensusLanguages

nonisolated(unsafe) private let counter = LineCounter()
nonisolated(unsafe) private let streamCounter = LineCounter()
nonisolated(unsafe) private let bufferSize = CountingProgram.lookahead + CountingProgram.lookbehind + 1 + 64
nonisolated(unsafe) private let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bufferSize + 256)

/// Physical lines by the documented rule, computed without the counter.
func referenceLines(_ bytes: UnsafeRawBufferPointer) -> Int {
    var i = 0
    if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
    var lines = 0
    var open = false
    while i < bytes.count {
        let b = bytes[i]
        if b == 0x0A {
            lines += 1
            open = false
        } else if b == 0x0D {
            lines += 1
            open = false
            if i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
        } else {
            open = true
        }
        i += 1
    }
    return lines + (open ? 1 : 0)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLineCounter(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let language = LanguageID(rawValue: UInt16(Int(input.uint16()) % LanguageTable.count))
    var random = FuzzRandom(seed: input.uint64())
    let text = input.rest()
    let program = CountingProgram.forLanguage(language)

    let whole = counter.count(text, program: program)
    let expected = referenceLines(text)
    fuzzCheck(
        whole.code + whole.comments + whole.blanks == expected,
        "\(language): code \(whole.code) + comments \(whole.comments) + blanks \(whole.blanks) != \(expected) lines")

    // The same bytes through the streaming path: the smallest buffer plus a random margin, reads of
    // random sizes.
    let capacity = bufferSize - 64 + Int(random.next() % 65)
    let slice = UnsafeMutableBufferPointer(rebasing: buffer[0..<capacity])
    var position = 0
    let streamed = streamCounter.countStream(program: program, buffer: slice, filled: 0, atEnd: false) { p, room in
        let n = min(room, text.count - position, 1 + Int(random.next() % UInt64(room)))
        guard n > 0, let base = text.baseAddress else { return 0 }
        p.update(from: base.assumingMemoryBound(to: UInt8.self) + position, count: n)
        position += n
        return n
    }
    fuzzCheck(streamed.bytes == text.count, "\(language): streamed \(streamed.bytes) of \(text.count) bytes")
    fuzzCheck(
        streamed.counts == whole,
        "\(language): in one piece \(whole), in chunks \(streamed.counts)")
    return 0
}

@main enum Main {
    static func main() {
        let detector = LanguageDetector()
        FuzzMain.run(
            FuzzTarget(
                name: "FuzzLineCounter",
                fixtureDirectories: ["Tests/CensusCountingTests/Fixtures"],
                extraSeeds: [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0] + Array("a\r\n\rb\n\n".utf8)]
            ) { path, bytes in
                let name = String(path.split(separator: "/").last ?? "")
                guard let detected = detector.detect(fileName: name, prefix: bytes) else { return [] }
                let id = detected.language.rawValue
                return [[UInt8(id >> 8), UInt8(id & 0xFF), 0, 0, 0, 0, 0, 0, 0, 1] + bytes]
            },
            fuzzLineCounter)
    }
}
