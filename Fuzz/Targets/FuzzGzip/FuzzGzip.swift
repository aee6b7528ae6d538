// Fuzz target: the gzip stream decoder (GH Archive's hourly files).
//
// Input: one mode byte, then bytes.
// - mode 0: the bytes are the "file": decoding either succeeds or throws a `GzipStreamError`, and
//   the pieces handed out add up to the decompressed count it reports;
// - mode 1: the bytes are data, compressed here by zlib's deflate as 1 to 3 concatenated members
//   (levels from the input): decoding gives back exactly the data;
// - mode 2: as 1, then the stream is cut short at a point from the input: decoding throws
//   `.truncated` (or `.notGzip` when nothing is left) after handing out a prefix of the data.
// The decoder reads and writes through its smallest buffers (4 KiB), so every refill path runs.
import CCensusFuzz
import CensusEvents
import CensusFuzzSupport

#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) private let decoder = GzipStream(inputSize: 4096, outputSize: 4096)
private let fd: Int32 = census_fuzz_memfd("census-fuzz-gzip")

/// Makes the memory file hold exactly `bytes`, positioned at its start.
private func load(_ bytes: UnsafeRawBufferPointer) {
    _ = ftruncate(fd, 0)
    var written = 0
    while written < bytes.count {
        let n = pwrite(fd, bytes.baseAddress! + written, bytes.count - written, off_t(written))
        guard n > 0 else { break }
        written += n
    }
    _ = lseek(fd, 0, SEEK_SET)
}

private func decode(_ stream: UnsafeRawBufferPointer) -> (output: [UInt8], result: Result<(Int64, Int64), Error>) {
    load(stream)
    var output: [UInt8] = []
    do {
        let counts = try decoder!.decode(fileDescriptor: fd, name: "fuzz.json.gz") { piece in output.append(contentsOf: piece) }
        return (output, .success((counts.compressed, counts.decompressed)))
    } catch {
        return (output, .failure(error))
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzCheck(fd >= 0 && decoder != nil, "setup failed: memfd \(fd)")
    var input = FuzzInput(data, size)
    let mode = input.byte() % 3
    if mode == 0 {
        let stream = input.rest()
        let (output, result) = decode(stream)
        switch result {
        case .success(let (compressed, decompressed)):
            fuzzCheck(compressed == Int64(stream.count), "read \(compressed) of \(stream.count) bytes")
            fuzzCheck(decompressed == Int64(output.count), "reported \(decompressed), handed out \(output.count)")
        case .failure(let error):
            fuzzCheck(error is GzipStreamError, "unexpected error \(error)")
        }
        return 0
    }
    let members = 1 + Int(input.byte() % 3)
    let levels = (0..<members).map { _ in 1 + Int32(input.byte() % 9) }
    let cutByte = input.uint16()
    let plain = [UInt8](input.rest())
    // Split the data into `members` pieces at points taken from its own length.
    var stream: [UInt8] = []
    var boundaries: [(compressed: Int, plain: Int)] = []
    var start = 0
    for m in 0..<members {
        let end = m == members - 1 ? plain.count : start + (plain.count - start) / 2
        let piece = Array(plain[start..<end])
        var out = [UInt8](repeating: 0, count: census_fuzz_gzip_bound(piece.count))
        let n = piece.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
                census_fuzz_gzip(p.baseAddress, p.count, levels[m], o.baseAddress, o.count)
            }
        }
        fuzzCheck(n > 0, "deflate failed")
        stream += out[0..<n]
        start = end
        boundaries.append((stream.count, end))
    }
    if mode == 1 {
        let (output, result) = stream.withUnsafeBytes { decode($0) }
        if case .failure(let error) = result { fuzzCheck(false, "round trip failed: \(error)") }
        fuzzCheck(output == plain, "round trip gave \(output.count) bytes for \(plain.count)")
        return 0
    }
    let cut = Int(cutByte) % stream.count
    let (output, result) = stream[0..<cut].withUnsafeBytes { decode($0) }
    if let boundary = boundaries.first(where: { $0.compressed == cut }) {
        // Cut between two members: a complete, shorter stream.
        if case .failure(let error) = result { fuzzCheck(false, "cut at a member's end (\(cut)): \(error)") }
        fuzzCheck(output == Array(plain[0..<boundary.plain]), "cut at a member's end: wrong output")
        return 0
    }
    switch result {
    case .success:
        fuzzCheck(false, "a stream cut at \(cut) of \(stream.count) bytes decoded without error")
    case .failure(let error):
        guard let error = error as? GzipStreamError else { fuzzCheck(false, "unexpected error \(error)"); return 0 }
        fuzzCheck(
            error.kind == .truncated || (cut == 0 && error.kind == .notGzip),
            "cut at \(cut) of \(stream.count): \(error)")
        fuzzCheck(output.count <= plain.count && Array(plain[0..<output.count]) == output, "output is not a prefix of the data")
    }
    return 0
}

@main enum Main {
    static func main() {
        FuzzMain.run(
            FuzzTarget(
                name: "FuzzGzip",
                fixtureDirectories: ["Tests/CensusCountingTests/Fixtures"]
            ) { _, bytes in
                [[1, 2, 6, 9, 0, 0, 40] + bytes.prefix(2048), [2, 1, 6, 0, 0, 90] + bytes.prefix(2048)]
            },
            fuzzGzip)
    }
}
