#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A line of a rule file: where an affiliation, domain rule, alias or name mapping came from.
public struct PeopleSourceLine: Hashable, Sendable, CustomStringConvertible {
    /// The path or origin name the file was loaded under.
    public var file: String
    /// The line, counted from 1.
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    /// `file:line`.
    public var description: String { "\(file):\(line)" }
}

/// A problem in one line of an affiliation, domain-map, aliases, names-mapping or CSV file; the
/// rest of the file was still read.
///
/// An error means the line was skipped (a company line with a date that does not exist, a
/// developer line without a colon); a warning means something was kept but is worth a look (an
/// address listed for two developers with different histories, a domain-map line for a free-mail
/// domain, which is never used).
public struct PeopleDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How serious a diagnostic is.
    public enum Severity: String, Sendable, Hashable {
        /// The line was skipped.
        case error
        /// The line was kept, or ignored on purpose, as the message says.
        case warning
    }

    public var severity: Severity
    public var location: PeopleSourceLine
    /// What was found and what was expected, in one line.
    public var message: String

    public init(severity: Severity, location: PeopleSourceLine, message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// `file:line: error: message`, as compilers print it.
    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

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

/// Reads rule files whole with `open` and `read(2)`, retrying on `EINTR`.
enum PeopleFileReader {
    /// The bytes of the file at `path`.
    ///
    /// - Throws: ``PeopleFileError`` naming the path and the reason.
    static func read(_ path: String) throws(PeopleFileError) -> [UInt8] {
        var fd: Int32
        repeat { fd = open(path, O_RDONLY | O_CLOEXEC) } while fd < 0 && errno == EINTR
        guard fd >= 0 else { throw PeopleFileError(path: path, code: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw PeopleFileError(path: path, code: errno) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw PeopleFileError(path: path, code: EISDIR) }
        var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size), 0) + 1)
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 4096))) }
            let n = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return systemRead(fd, base + count, buffer.count - count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw PeopleFileError(path: path, code: errno)
            }
            if n == 0 { break }
            count += n
        }
        bytes.removeSubrange(count...)
        return bytes
    }
}

/// `read(2)`, named apart from `PeopleFileReader.read`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
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
