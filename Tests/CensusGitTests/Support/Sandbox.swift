import Foundation
import Testing

@testable import CensusGit

#if canImport(Glibc)
    import Glibc
#endif

/// A temporary directory for building git repositories, removed when released.
///
/// Repositories are built with the hardened runner itself (with a fixed identity and dates added
/// to its environment), mostly through plumbing so that file names and dates are exactly as the
/// test says.
final class Sandbox {
    let path: String
    let runner: GitRunner

    init(_ name: String = #function) throws {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        var template = Array((NSTemporaryDirectory() + "census-git-\(safe)-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
        try #require(made, "mkdtemp failed")
        // Resolved, so paths compare equal to the ones git reports (/tmp may be a link).
        let raw = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        path = URL(fileURLWithPath: raw).resolvingSymlinksInPath().path
        var runner = try GitRunner()
        runner.extraEnvironment = [
            "GIT_AUTHOR_NAME": "Ada Author", "GIT_AUTHOR_EMAIL": "ada@example.com",
            "GIT_COMMITTER_NAME": "Cy Committer", "GIT_COMMITTER_EMAIL": "cy@example.com",
            "GIT_AUTHOR_DATE": "1600000000 +0000", "GIT_COMMITTER_DATE": "1600000000 +0000",
        ]
        self.runner = runner
    }

    deinit {
        _ = try? FileManager.default.subpathsOfDirectory(atPath: path).forEach { chmod(path + "/" + $0, 0o755) }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Runs git in `directory` (a path below the sandbox, or absolute) and returns its output, trimmed.
    @discardableResult
    func git(
        _ arguments: [String], in directory: String = "", input: [UInt8] = [], date: String? = nil,
        network: Bool = false
    ) throws -> String {
        var runner = self.runner
        if let date {
            runner.extraEnvironment["GIT_AUTHOR_DATE"] = date
            runner.extraEnvironment["GIT_COMMITTER_DATE"] = date
        }
        let full = directory.hasPrefix("/") ? directory : path + (directory.isEmpty ? "" : "/" + directory)
        let location = GitLocation(display: full, workingDirectory: full)
        return try runner.run(arguments, at: location, input: input, network: network).text
    }

    /// Stores `bytes` as a blob in the repository at `repository`; returns its id.
    func blob(_ bytes: [UInt8], in repository: String) throws -> String {
        try git(["hash-object", "-w", "--stdin"], in: repository, input: bytes)
    }

    /// Makes a tree from `(mode, id, path)` entries (paths as raw bytes) and returns its id;
    /// the index of `repository` is replaced.
    func tree(_ entries: [(mode: String, id: String, path: [UInt8])], in repository: String) throws -> String {
        try git(["read-tree", "--empty"], in: repository)
        var input: [UInt8] = []
        for entry in entries {
            let type = entry.mode == "160000" ? "commit" : "blob"
            input += Array("\(entry.mode) \(type) \(entry.id)\t".utf8) + entry.path + [0]
        }
        try git(["update-index", "--add", "-z", "--index-info"], in: repository, input: input)
        return try git(["write-tree"], in: repository)
    }

    /// Commits `tree` with `parents` at `date` ("seconds ±hhmm"); returns the commit id.
    func commit(_ tree: String, parents: [String] = [], date: String, message: String = "commit", in repository: String)
        throws -> String
    {
        try git(["commit-tree", tree] + parents.flatMap { ["-p", $0] } + ["-m", message], in: repository, date: date)
    }

    /// A new non-bare repository at `name` whose `HEAD` is `refs/heads/main`.
    @discardableResult
    func initRepository(_ name: String, bare: Bool = false) throws -> String {
        let full = path + "/" + name
        try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
        try git(["init", "-q"] + (bare ? ["--bare"] : []) + ["--template=", "-b", "main"], in: name)
        return full
    }

    /// A repository with one commit holding `files` (path → content) on `main`; returns the commit id.
    @discardableResult
    func repositoryWithFiles(
        _ name: String, _ files: [String: String], date: String = "1600000000 +0000", bare: Bool = false
    )
        throws -> String
    {
        try initRepository(name, bare: bare)
        var entries: [(mode: String, id: String, path: [UInt8])] = []
        for (file, content) in files.sorted(by: { $0.key < $1.key }) {
            entries.append(("100644", try blob(Array(content.utf8), in: name), Array(file.utf8)))
        }
        let commit = try self.commit(try tree(entries, in: name), date: date, in: name)
        try git(["update-ref", "refs/heads/main", commit], in: name)
        return commit
    }

    /// Adds a commit on `main` with one more file; returns its id.
    @discardableResult
    func addCommit(to name: String, file: String, content: String, date: String) throws -> String {
        let parent = try git(["rev-parse", "refs/heads/main"], in: name)
        var entries: [(mode: String, id: String, path: [UInt8])] = []
        let listing = try git(["ls-tree", "-r", "-z", "refs/heads/main"], in: name)
        for record in listing.split(separator: "\0") {
            let parts = record.split(separator: "\t", maxSplits: 1)
            let fields = parts[0].split(separator: " ")
            entries.append((String(fields[0]), String(fields[2]), Array(parts[1].utf8)))
        }
        entries.append(("100644", try blob(Array(content.utf8), in: name), Array(file.utf8)))
        let commit = try self.commit(try tree(entries, in: name), parents: [parent], date: date, in: name)
        try git(["update-ref", "refs/heads/main", commit], in: name)
        return commit
    }

    func write(_ relative: String, _ text: String, executable: Bool = false) throws {
        let full = relative.hasPrefix("/") ? relative : path + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        if executable { chmod(full, 0o755) }
    }

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: relative.hasPrefix("/") ? relative : path + "/" + relative)
    }

    func contents(ofDirectory relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path + "/" + relative)) ?? []).sorted()
    }
}

extension GitObjectID {
    /// Test shorthand: an id that must parse.
    static func make(_ hex: String) throws -> GitObjectID {
        try #require(GitObjectID(hex), "not an object id: \(hex)")
    }
}

/// Runs a git without census's hardening (a user's everyday git, with no global or system
/// configuration): the control that shows a hostile repository really is hostile.
@discardableResult
func plainGit(_ arguments: [String], in directory: String, environment extra: [String: String] = [:]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try GitRunner().executable)
    process.arguments = ["-C", directory] + arguments
    var environment = [
        "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": directory, "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.com", "GIT_COMMITTER_NAME": "C",
        "GIT_COMMITTER_EMAIL": "c@example.com",
    ]
    environment.merge(extra) { $1 }
    process.environment = environment
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}
