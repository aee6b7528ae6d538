import CCensusZlib

/// Request bodies compressed with gzip (`Content-Encoding: gzip`), for ClickHouse inserts.
///
/// ClickHouse takes an uncompressed INSERT body that ends early (census killed while sending it,
/// its connection closed by the kernel) as the whole INSERT: it stores the rows that arrived, the
/// last one even when it was cut inside its last value (a `saved_at` of 5 digits instead of 19).
/// A gzip body cut anywhere, even in its 8-byte trailer, fails to inflate, and the server stores
/// none of it: each insert is whole or absent (docs/reliability.md, `ClickHouseKilledInsertTests`).
enum GzipBody {
    /// Level 1: the fastest; the rows are text and still shrink several times.
    static let level: Int32 = 1

    /// `bytes` as one gzip member, or nil if zlib could not allocate its state.
    static func compress(_ bytes: [UInt8]) -> [UInt8]? {
        let capacity = census_gzip_bound(bytes.count)
        var out = [UInt8](repeating: 0, count: capacity)
        let length = bytes.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                census_gzip(input.baseAddress, input.count, output.baseAddress, output.count, level)
            }
        }
        guard length > 0 else { return nil }
        out.removeSubrange(length...)
        return out
    }
}
