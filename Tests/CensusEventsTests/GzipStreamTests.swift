import CensusTestSupport
import Foundation
import Testing

@testable import CensusEvents

/// The decoder against `gzip` itself: the compressed fixtures are made by the system's gzip in the
/// test, so the expected bytes are known independently of zlib's use here.
@Suite struct GzipStreamTests {
    /// A temporary directory removed at the end of the test.
    final class Scratch {
        let path: String
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("census-gzip-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        func write(_ name: String, _ bytes: [UInt8]) throws -> String {
            let file = path + "/" + name
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            return file
        }
    }

    /// Runs `gzip -c` on `bytes` and returns the compressed bytes.
    func gzip(_ bytes: [UInt8], scratch: Scratch) throws -> [UInt8] {
        let plain = try scratch.write("plain-\(UUID().uuidString)", bytes)
        let run = try Spawned.run(["/bin/gzip", "-c", "-6", plain], environment: ProcessInfo.processInfo.environment)
        #expect(run.status == 0)
        return run.stdout
    }

    func decodeAll(_ path: String, stream: GzipStream) throws -> [UInt8] {
        var out: [UInt8] = []
        try stream.decode(path: path) { out.append(contentsOf: $0) }
        return out
    }

    /// 3 MiB of lines that vary, so the output spans several output buffers.
    func sampleText() -> [UInt8] {
        var text: [UInt8] = []
        var i = 0
        while text.count < 3 << 20 {
            text.append(contentsOf: Array("{\"id\":\"\(i)\",\"type\":\"PushEvent\",\"n\":\(i &* 2_654_435_761 % 1_000_003)}\n".utf8))
            i += 1
        }
        return text
    }

    @Test func roundTripsThroughSmallBuffers() throws {
        let scratch = try Scratch()
        let text = sampleText()
        let file = try scratch.write("a.json.gz", try gzip(text, scratch: scratch))
        let stream = try #require(GzipStream(inputSize: 4096, outputSize: 4096))
        #expect(try decodeAll(file, stream: stream) == text)
        // The same decoder again, for a second file.
        let small = Array("hello\n".utf8)
        let second = try scratch.write("b.gz", try gzip(small, scratch: scratch))
        #expect(try decodeAll(second, stream: stream) == small)
    }

    @Test func concatenatedMembersDecodeAsOne() throws {
        let scratch = try Scratch()
        let a = Array("first member\n".utf8)
        let b = Array("second member\n".utf8)
        let file = try scratch.write("ab.gz", try gzip(a, scratch: scratch) + gzip(b, scratch: scratch))
        let stream = try #require(GzipStream())
        #expect(try decodeAll(file, stream: stream) == a + b)
    }

    @Test func truncatedStreamKeepsWhatWasDecodedAndNamesTheOffset() throws {
        let scratch = try Scratch()
        let text = sampleText()
        let compressed = try gzip(text, scratch: scratch)
        let cut = compressed.count / 2
        let file = try scratch.write("cut.json.gz", Array(compressed[..<cut]))
        let stream = try #require(GzipStream(inputSize: 4096, outputSize: 8192))
        var out: [UInt8] = []
        do {
            try stream.decode(path: file) { out.append(contentsOf: $0) }
            Issue.record("a truncated stream decoded without an error")
        } catch let error as GzipStreamError {
            #expect(error.kind == .truncated)
            #expect(error.compressedOffset == Int64(cut))
            #expect(error.decompressedOffset == Int64(out.count))
            #expect(error.description.contains("cut.json.gz"))
        }
        // What came out is a true prefix of the original, and a substantial one.
        #expect(out.count > text.count / 4)
        #expect(Array(text[..<out.count]) == out)
    }

    @Test func notGzipEmptyAndCorrupt() throws {
        let scratch = try Scratch()
        let stream = try #require(GzipStream())
        let plain = try scratch.write("plain.json.gz", Array("{\"id\":1}\n".utf8))
        #expect(throws: GzipStreamError.self) { try decodeAll(plain, stream: stream) }
        do { _ = try decodeAll(plain, stream: stream) } catch let error as GzipStreamError {
            #expect(error.kind == .notGzip)
        }
        let empty = try scratch.write("empty.json.gz", [])
        do {
            _ = try decodeAll(empty, stream: stream)
            Issue.record("an empty file decoded")
        } catch let error as GzipStreamError {
            #expect(error.kind == .notGzip)
            #expect(error.reason.contains("empty"))
        }
        // Flip bytes in the middle of the deflate data: the CRC or the data check fails.
        var compressed = try gzip(sampleText(), scratch: scratch)
        for i in stride(from: compressed.count / 2, to: compressed.count / 2 + 64, by: 1) { compressed[i] ^= 0x5a }
        let bad = try scratch.write("bad.gz", compressed)
        do {
            _ = try decodeAll(bad, stream: stream)
            Issue.record("a corrupt stream decoded")
        } catch let error as GzipStreamError {
            #expect(error.kind == .corrupt)
            #expect(error.compressedOffset > 0)
        }
        // Trailing garbage after a complete member is named as not gzip, at its offset.
        let good = try gzip(Array("x\n".utf8), scratch: scratch)
        let trailing = try scratch.write("trail.gz", good + Array("garbage".utf8))
        do {
            _ = try decodeAll(trailing, stream: stream)
            Issue.record("trailing garbage decoded")
        } catch let error as GzipStreamError {
            #expect(error.kind == .notGzip)
            #expect(error.compressedOffset == Int64(good.count))
        }
        let missing = scratch.path + "/missing.gz"
        do {
            _ = try decodeAll(missing, stream: stream)
        } catch let error as GzipStreamError {
            #expect(error.kind == .unreadable)
            #expect(error.reason.contains("No such file"))
        }
    }
}
