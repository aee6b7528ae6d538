@_exported import CensusFiles

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A line of a rule file: where an affiliation, domain rule, alias or name mapping came from.
public typealias PeopleSourceLine = SourceLine

/// A problem in one line of an affiliation, domain-map, aliases, names-mapping or CSV file (see
/// ``LineDiagnostic``).
public typealias PeopleDiagnostic = LineDiagnostic

/// A rule file that could not be read: its path and the system's reason.
///
/// ```
/// /data/gitdm/domain-map: cannot read: No such file or directory
/// ```
public struct PeopleFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path as given.
    public var path: String
    /// The `errno` of the failed call.
    public var code: Int32

    public init(path: String, code: Int32) {
        self.path = path
        self.code = code
    }

    /// `path: cannot read: reason`.
    public var description: String { "\(path): cannot read: \(String(cString: strerror(code)))" }
}

/// Reads rule files whole (``WholeFile``), as ``PeopleFileError``s.
enum PeopleFileReader {
    /// The bytes of the file at `path`.
    ///
    /// - Throws: ``PeopleFileError`` naming the path and the reason.
    static func read(_ path: String) throws(PeopleFileError) -> [UInt8] {
        do {
            return try WholeFile.read(path)
        } catch {
            throw PeopleFileError(path: path, code: error.code)
        }
    }
}

/// Collects the diagnostics of one parse, keeping at most ``limit`` so that a file of junk cannot
/// grow them without bound; the rest are counted and summarised in one last diagnostic.
struct DiagnosticLog {
    static let limit = 500

    let file: String
    private(set) var kept: [PeopleDiagnostic] = []
    private(set) var suppressed = 0

    init(file: String) {
        self.file = file
    }

    mutating func report(_ severity: PeopleDiagnostic.Severity, line: Int, _ message: @autoclosure () -> String) {
        guard kept.count < Self.limit else {
            suppressed += 1
            return
        }
        kept.append(PeopleDiagnostic(severity: severity, location: PeopleSourceLine(file: file, line: line), message: message()))
    }

    /// The kept diagnostics, followed by a note of how many more there were.
    var all: [PeopleDiagnostic] {
        guard suppressed > 0 else { return kept }
        let last = kept.last?.location.line ?? 1
        return kept + [
            PeopleDiagnostic(
                severity: .warning, location: PeopleSourceLine(file: file, line: last),
                message: "\(suppressed) more problems in this file not listed")
        ]
    }
}
