#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension HourFile {
    /// Checks that the file at `path` is one complete gzip stream by decoding it to its end (the
    /// output is thrown away), with the decoder given (one per worker).
    ///
    /// - Returns: The numbers of compressed and decompressed bytes.
    /// - Throws: ``GzipStreamError``: not gzip, truncated (with the byte offset reached), corrupt,
    ///   or unreadable.
    /// - Complexity: O(n) in the decompressed size; memory stays that of the decoder's buffers.
    @discardableResult
    public static func verify(path: String, decoder: GzipStream) throws(GzipStreamError) -> (
        compressed: Int64, decompressed: Int64
    ) {
        do {
            return try decoder.decode(path: path) { _ in }
        } catch let error as GzipStreamError {
            throw error
        } catch {
            // The body throws nothing; any other error is a decoder failure worth naming.
            throw GzipStreamError(
                kind: .unreadable, input: path, compressedOffset: 0, decompressedOffset: 0, reason: "\(error)")
        }
    }
}
