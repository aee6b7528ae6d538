import CensusFiles

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that could not be read: its path and the system's reason.
public struct GoModulesReadError: Error, Sendable, CustomStringConvertible {
    public var path: String
    /// The `errno` of the failed call.
    public var code: Int32
    public var description: String { "\(path): cannot read: \(String(cString: strerror(code)))" }
}

/// Reads module files whole (``WholeFile``), as ``GoModulesReadError``s.
public enum GoModulesFileReader {
    /// The bytes of the file at `path`.
    ///
    /// - Throws: `GoModulesReadError` naming the path and the reason.
    public static func read(_ path: String) throws(GoModulesReadError) -> [UInt8] {
        do {
            return try WholeFile.read(path)
        } catch {
            throw GoModulesReadError(path: path, code: error.code)
        }
    }
}
