import CensusCorpus
import CensusEvents
import CensusFiles

/// The small files `census events ingest` reads beside the events: `--users`, `--repo-languages`
/// and `--keep-manifest`. A bad line is a diagnostic with its file and line; the rest is used.
public enum EventSideFiles {
    /// A file that cannot be read at all.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// `login,company,location` rows (a header row naming `login` is skipped); by lowercased login.
    public static func users(_ path: String) throws(Failure) -> (users: [String: EventUser], diagnostics: [LineDiagnostic]) {
        var users: [String: EventUser] = [:]
        var diagnostics: [LineDiagnostic] = []
        for item in try records(path) {
            switch item {
            case .malformed(let bad):
                diagnostics.append(LineDiagnostic(severity: .error, location: SourceLine(file: path, line: bad.line), message: bad.message))
            case .record(let record):
                let fields = record.fields
                guard let login = fields.first, !login.isEmpty else {
                    diagnostics.append(
                        LineDiagnostic(severity: .error, location: SourceLine(file: path, line: record.line), message: "no login in the first field; row skipped"))
                    continue
                }
                if record.line == 1 && login.lowercased() == "login" { continue }
                if fields.count > 3 {
                    diagnostics.append(
                        LineDiagnostic(
                            severity: .warning, location: SourceLine(file: path, line: record.line),
                            message: "\(fields.count) fields, expected login,company,location; the rest ignored"))
                }
                func field(_ index: Int) -> String? {
                    index < fields.count && !fields[index].isEmpty ? fields[index] : nil
                }
                users[login.lowercased()] = EventUser(company: field(1), location: field(2))
            }
        }
        return (users, diagnostics)
    }

    /// `owner/name,language` rows (a header row naming `repo` is skipped).
    public static func repositoryLanguages(_ path: String) throws(Failure)
        -> (languages: [(repo: String, language: String)], diagnostics: [LineDiagnostic])
    {
        var languages: [(repo: String, language: String)] = []
        var diagnostics: [LineDiagnostic] = []
        for item in try records(path) {
            switch item {
            case .malformed(let bad):
                diagnostics.append(LineDiagnostic(severity: .error, location: SourceLine(file: path, line: bad.line), message: bad.message))
            case .record(let record):
                let fields = record.fields
                if record.line == 1, fields.first?.lowercased() == "repo" || fields.first?.lowercased() == "repository" {
                    continue
                }
                guard fields.count >= 2, fields[0].contains("/"), !fields[1].isEmpty else {
                    diagnostics.append(
                        LineDiagnostic(
                            severity: .error, location: SourceLine(file: path, line: record.line),
                            message: "expected owner/name,language; row skipped"))
                    continue
                }
                languages.append((fields[0].lowercased(), fields[1]))
            }
        }
        return (languages, diagnostics)
    }

    /// The GitHub repositories of a census manifest, as lowercased `owner/name`.
    public static func manifestRepositories(_ path: String) throws -> (repositories: Set<String>, diagnostics: [String]) {
        let manifest = try CorpusManifest.load(path: path)
        var names: Set<String> = []
        for entry in manifest.entries {
            guard let remote = entry.remote, remote.host.lowercased() == "github.com" else { continue }
            names.insert("\(remote.owner)/\(remote.name)".lowercased())
        }
        return (names, manifest.diagnostics.map { "\($0)" })
    }

    static func records(_ path: String) throws(Failure) -> [DelimitedRecords.Item] {
        let bytes: [UInt8]
        do {
            bytes = try WholeFile.read(path)
        } catch {
            throw Failure(path: path, reason: "cannot read (\(error.operation): \(error.reason))")
        }
        var slice = bytes[...]
        if slice.starts(with: [0xEF, 0xBB, 0xBF]) { slice = slice.dropFirst(3) }
        return DelimitedRecords.read(slice, delimiter: UInt8(ascii: ","))
    }
}
