import CCensusZlib

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a gzip stream could not be decoded to its end. Whatever was decoded before the failure has
/// already been handed to the caller.
public struct GzipStreamError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The file is not gzip (an empty file, or bytes that are not a gzip header).
        case notGzip = "not gzip"
        /// The compressed bytes are damaged.
        case corrupt
        /// The file ends inside a gzip member.
        case truncated
        /// `open` or `read` failed.
        case unreadable
        /// zlib could not allocate memory.
        case noMemory = "out of memory"
    }

    public var kind: Kind
    /// The input's name as given (a path, or `-` for standard input).
    public var input: String
    /// Compressed bytes read when the failure was found.
    public var compressedOffset: Int64
    /// Decompressed bytes handed out before the failure.
    public var decompressedOffset: Int64
    /// zlib's or the system's words.
    public var reason: String

    public init(kind: Kind, input: String, compressedOffset: Int64, decompressedOffset: Int64, reason: String) {
        self.kind = kind
        self.input = input
        self.compressedOffset = compressedOffset
        self.decompressedOffset = decompressedOffset
        self.reason = reason
    }

    public var description: String {
        switch kind {
        case .notGzip:
            return "\(input): not a gzip file (\(reason)) at byte \(compressedOffset)"
        case .truncated:
            return
                "\(input): truncated gzip stream: it ends at byte \(compressedOffset) inside a member (\(decompressedOffset) bytes decompressed)"
        case .corrupt:
            return
                "\(input): corrupt gzip data (\(reason)) near byte \(compressedOffset) (\(decompressedOffset) bytes decompressed)"
        case .unreadable:
            return "\(input): cannot read: \(reason)"
        case .noMemory:
            return "\(input): \(reason)"
        }
    }
}

/// Decompresses a gzip file (or any file descriptor) in one pass through two fixed buffers: the
/// compressed bytes are read with `read(2)` into one, zlib inflates them into the other, and each
/// filled output buffer is handed to the caller. Memory does not depend on the input's size.
///
/// Concatenated members decode as one stream. A stream that ends inside a member is reported as
/// ``GzipStreamError/Kind/truncated`` with the compressed offset reached, after everything
/// decoded before it was handed out.
///
/// A decoder is reused across files (``decode(path:body:)`` resets it); it is not thread-safe: use
/// one per worker.
public final class GzipStream {
    private let decoder: OpaquePointer
    private let input: UnsafeMutableRawBufferPointer
    private let output: UnsafeMutableRawBufferPointer

    /// - Parameters:
    ///   - inputSize: Bytes read from the file per `read(2)`.
    ///   - outputSize: Bytes of decompressed output handed out per call of the body (at most).
    public init?(inputSize: Int = 256 << 10, outputSize: Int = 1 << 20) {
        guard let decoder = census_gunzip_new() else { return nil }
        self.decoder = decoder
        input = .allocate(byteCount: max(inputSize, 4096), alignment: 64)
        output = .allocate(byteCount: max(outputSize, 4096), alignment: 64)
    }

    deinit {
        census_gunzip_free(decoder)
        input.deallocate()
        output.deallocate()
    }

    /// Decodes the file at `path` (`-` for standard input), calling `body` with each piece of
    /// decompressed bytes (valid only during the call).
    ///
    /// - Returns: The numbers of compressed and decompressed bytes.
    /// - Throws: ``GzipStreamError`` (after handing out everything decoded before the failure), or
    ///   whatever `body` throws.
    @discardableResult
    public func decode(
        path: String, body: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> (compressed: Int64, decompressed: Int64) {
        if path == "-" { return try decode(fileDescriptor: 0, name: "-", body: body) }
        var fd: Int32
        repeat { fd = open(path, O_RDONLY | O_CLOEXEC) } while fd < 0 && errno == EINTR
        guard fd >= 0 else {
            throw GzipStreamError(
                kind: .unreadable, input: path, compressedOffset: 0, decompressedOffset: 0,
                reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        return try decode(fileDescriptor: fd, name: path, body: body)
    }

    /// Decodes everything readable from `fileDescriptor` (left open); `name` names it in errors.
    @discardableResult
    public func decode(
        fileDescriptor fd: Int32, name: String, body: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> (compressed: Int64, decompressed: Int64) {
        _ = census_gunzip_reset(decoder)
        var compressed: Int64 = 0
        var decompressed: Int64 = 0
        func failure(_ kind: GzipStreamError.Kind, _ reason: String) -> GzipStreamError {
            GzipStreamError(
                kind: kind, input: name, compressedOffset: compressed, decompressedOffset: decompressed, reason: reason)
        }
        let inBase = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let outBase = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        while true {
            var n: Int
            repeat { n = read(fd, inBase, input.count) } while n < 0 && errno == EINTR
            if n < 0 { throw failure(.unreadable, String(cString: strerror(errno))) }
            if n == 0 { break }
            var offset = 0
            // Keep inflating until this read's bytes are used and the output is drained.
            while true {
                var used = 0
                var produced = 0
                let status = census_gunzip_step(
                    decoder, inBase + offset, n - offset, &used, outBase, output.count, &produced)
                offset += used
                compressed += Int64(used)
                if produced > 0 {
                    try body(UnsafeRawBufferPointer(start: outBase, count: produced))
                    decompressed += Int64(produced)
                }
                switch status {
                case Int32(CENSUS_GUNZIP_OK), Int32(CENSUS_GUNZIP_MEMBER_END):
                    break
                case Int32(CENSUS_GUNZIP_NOT_GZIP):
                    throw failure(.notGzip, String(cString: census_gunzip_message(decoder)))
                case Int32(CENSUS_GUNZIP_NO_MEMORY):
                    throw failure(.noMemory, "out of memory")
                default:
                    throw failure(.corrupt, String(cString: census_gunzip_message(decoder)))
                }
                // Done with this read when its input is used and the output had room to spare.
                if offset >= n && produced < output.count { break }
                if used == 0 && produced == 0 {
                    // zlib took nothing and gave nothing with room on both sides: never expected.
                    throw failure(.corrupt, "the decoder made no progress")
                }
            }
        }
        if compressed == 0 {
            throw failure(.notGzip, "the file is empty")
        }
        if census_gunzip_at_member_boundary(decoder) == 0 {
            throw failure(.truncated, "unexpected end of file")
        }
        return (compressed, decompressed)
    }
}
