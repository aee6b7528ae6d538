#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The outcome of counting a stream.
public struct StreamCount: Sendable, Equatable {
    public var counts: LineCounts
    /// Bytes read from the stream, including those already in the buffer at the start.
    public var bytes: Int
    /// The `errno` of a failed read, or `nil`; lines counted before the failure are kept.
    public var readError: Int32?

    public init(counts: LineCounts, bytes: Int, readError: Int32?) {
        self.counts = counts
        self.bytes = bytes
        self.readError = readError
    }
}

extension LineCounter {
    /// Counts a stream through a fixed buffer, so memory stays bounded whatever the file's size
    /// (a 200 MB single-line file uses the same buffer as a 2 KB one).
    ///
    /// The buffer's first `filled` bytes are the start of the stream, already read (the scanner reads
    /// them first to detect the language). The counter keeps ``CountingProgram/lookbehind`` bytes of
    /// history and ``CountingProgram/lookahead`` bytes of lookahead across refills.
    ///
    /// - Parameters:
    ///   - program: the language's compiled syntax.
    ///   - buffer: at least `CountingProgram.lookahead + CountingProgram.lookbehind + 1` bytes.
    ///   - filled: bytes already in `buffer`.
    ///   - atEnd: whether the stream is known to end after those bytes.
    ///   - read: reads up to `count` bytes into the pointer; returns the count, 0 at the end, or a
    ///     negative `errno` on failure (`EINTR` must be retried by the closure itself).
    /// - Complexity: O(stream length); no allocation.
    public func countStream(
        program: CountingProgram, buffer: UnsafeMutableBufferPointer<UInt8>, filled: Int, atEnd: Bool,
        read: (UnsafeMutablePointer<UInt8>, Int) -> Int
    ) -> StreamCount {
        guard let base = buffer.baseAddress else {
            return StreamCount(counts: LineCounts(), bytes: 0, readError: nil)
        }
        let capacity = buffer.count
        precondition(capacity > CountingProgram.lookahead + CountingProgram.lookbehind, "buffer too small")
        begin(program)
        var filled = filled
        var total = filled
        var eof = atEnd
        var error: Int32? = nil
        var position = 0

        func fill() {
            while !eof && filled < capacity {
                let n = read(base + filled, capacity - filled)
                if n > 0 {
                    filled += n
                    total += n
                } else if n == 0 {
                    eof = true
                } else {
                    error = Int32(-n)
                    eof = true
                }
            }
        }

        fill()
        while true {
            let limit = eof ? filled : filled - CountingProgram.lookahead
            position = consume(base, from: position, limit: limit, end: filled, isFinal: eof)
            if eof { break }
            // Keep the unprocessed tail and some history, then refill.
            let keep = max(0, position - CountingProgram.lookbehind)
            if keep > 0 {
                memmove(base, base + keep, filled - keep)
                forgetFileStart()
                filled -= keep
                position -= keep
            }
            fill()
        }
        return StreamCount(counts: finish(), bytes: total, readError: error)
    }
}
