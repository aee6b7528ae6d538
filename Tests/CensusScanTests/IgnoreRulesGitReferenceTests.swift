import CensusScan
import CensusTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs git in a clean environment, in scratch directories, for reference tests.
enum IgnoreGitHarness {
    /// The git executable, when one is installed.
    static let gitPath: String? = ["/usr/bin/git", "/usr/local/bin/git", "/bin/git"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Why the reference tests are skipped.
    static let missingGit: Comment =
        "git was not found in /usr/bin, /usr/local/bin or /bin; skipping the comparison with git"

    /// A scratch directory holding an empty `home` and a freshly initialised `repo`.
    struct Sandbox {
        let root: URL
        var home: URL { root.appendingPathComponent("home") }
        var repo: URL { root.appendingPathComponent("repo") }

        init() throws {
            root = FileManager.default.temporaryDirectory
                .appendingPathComponent("census-ignore-\(UUID().uuidString)")
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent("home"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent("repo"), withIntermediateDirectories: true)
            let (status, _) = try git(["init", "-q", "."])
            guard status == 0 else { throw HarnessError.gitFailed("git init exited with \(status)") }
        }

        /// Removes the scratch directory (file names need not be UTF-8, so `rm` does it).
        func remove() {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/rm")
            process.arguments = ["-rf", root.path]
            try? process.run()
            process.waitUntilExit()
        }

        /// Runs git in the repository with `env -i`-style environment; returns status and stdout.
        func git(_ arguments: [String], input: [UInt8] = []) throws -> (Int32, [UInt8]) {
            guard let gitPath = IgnoreGitHarness.gitPath else { throw HarnessError.gitFailed("no git") }
            let run = try Spawned.run(
                ["/usr/bin/env", "-C", repo.path, gitPath] + arguments,
                environment: ["PATH": "/usr/bin:/bin", "HOME": home.path, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"],
                input: input)
            return (run.status, run.stdout)
        }

        /// Creates a directory (and its parents) inside the repository; `path` is raw bytes.
        func makeDirectory(_ path: [UInt8]) throws {
            var prefix: [UInt8] = []
            for component in path.split(separator: IgnoreReference.slash) {
                if !prefix.isEmpty { prefix.append(IgnoreReference.slash) }
                prefix += component
                let status = cPath(prefix) { mkdir($0, 0o755) }
                if status != 0 && errno != EEXIST { throw HarnessError.io("mkdir", prefix) }
            }
        }

        /// Creates an empty file inside the repository; `path` is raw bytes.
        func makeFile(_ path: [UInt8], contents: [UInt8] = []) throws {
            let descriptor = cPath(path) { open($0, O_CREAT | O_WRONLY | O_TRUNC, 0o644) }
            guard descriptor >= 0 else { throw HarnessError.io("open", path) }
            defer { close(descriptor) }
            let written = contents.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written == contents.count else { throw HarnessError.io("write", path) }
        }

        private func cPath<T>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
            let full = Array(repo.path.utf8) + [IgnoreReference.slash] + path
            let chars = full.map { CChar(bitPattern: $0) } + [0]
            return chars.withUnsafeBufferPointer { body($0.baseAddress!) }
        }
    }

    enum HarnessError: Error {
        case gitFailed(String)
        case io(String, [UInt8])
    }
}

/// One candidate path and what the emulated walker expects git to report for it.
struct IgnoreReference {
    static let slash = UInt8(ascii: "/")

    /// Who decides a path: the ignore file (by git's name for it), the line, and whether it is a
    /// `!` pattern. `nil` when nothing matches.
    struct Verdict: Equatable, CustomStringConvertible {
        var source: String
        var line: Int
        var negated: Bool
        var description: String { "\(source):\(line)\(negated ? " (!)" : "")" }
    }

    /// An ignore file at `directory` (path components, empty for the root).
    struct Level {
        var directory: [[UInt8]]
        var file: IgnoreFile
        var source: String
    }

    /// Emulates the walker: parents first, deeper ignore files before shallower ones, never
    /// looking inside an ignored directory, and reports who decides the path.
    static func walkerVerdict(_ path: [UInt8], isDirectory: Bool, levels: [Level]) -> Verdict? {
        let components = path.split(separator: slash).map(Array.init)
        for depth in 1...components.count {
            let isLeaf = depth == components.count
            var verdict: Verdict?
            for level in levels.reversed() where level.directory.count < depth {
                guard Array(components[..<level.directory.count]) == level.directory else { continue }
                let relative = Array(components[level.directory.count..<depth].joined(separator: [slash]))
                let entryIsDirectory = isLeaf ? isDirectory : true
                let line = relative.withUnsafeBufferPointer {
                    level.file.matchingLine($0, isDirectory: entryIsDirectory)
                }
                if let line {
                    let match = relative.withUnsafeBufferPointer {
                        level.file.match($0, isDirectory: entryIsDirectory)
                    }
                    verdict = Verdict(source: level.source, line: line, negated: match == .included)
                    break
                }
            }
            if isLeaf { return verdict }
            if let verdict, !verdict.negated { return verdict }
        }
        return nil
    }

    /// Parses `git check-ignore -z -v -n` output into one verdict per input path.
    static func parseCheckIgnore(_ output: [UInt8]) -> [(path: [UInt8], verdict: Verdict?)] {
        var fields = output.split(separator: 0, omittingEmptySubsequences: false).map(Array.init)
        if fields.last?.isEmpty == true { fields.removeLast() }
        var results: [(path: [UInt8], verdict: Verdict?)] = []
        var index = 0
        while index + 3 < fields.count {
            let source = String(decoding: fields[index], as: UTF8.self)
            let path = fields[index + 3]
            if source.isEmpty {
                results.append((path, nil))
            } else {
                let line = Int(String(decoding: fields[index + 1], as: UTF8.self)) ?? -1
                let negated = fields[index + 2].first == UInt8(ascii: "!")
                results.append((path, Verdict(source: source, line: line, negated: negated)))
            }
            index += 4
        }
        return results
    }

    /// Describes a comparison for a failure message.
    static func disagreement(_ path: [UInt8], _ isDirectory: Bool, git: Verdict?, ours: Verdict?) -> String {
        let gitSays = git.map(\.description) ?? "no match"
        let weSay = ours.map(\.description) ?? "no match"
        return "path \(show(path))\(isDirectory ? "/" : ""): git says \(gitSays), we say \(weSay)"
    }

    /// Shows a path whatever its bytes.
    static func show(_ path: [UInt8]) -> String {
        String(reflecting: String(decoding: path, as: UTF8.self))
            + (String(validating: path, as: UTF8.self) == nil ? " (not UTF-8: \(path))" : "")
    }
}

@Suite("Ignore rules: compared with git check-ignore")
struct IgnoreRulesGitReferenceTests {
    /// Lines of the top-level .gitignore: every rule of gitignore(5), and git's corner cases.
    static let rootIgnore: [[UInt8]] = {
        // A UTF-8 byte order mark first: git skips it.
        var lines: [[UInt8]] = [[0xEF, 0xBB, 0xBF] + Array("bom-first".utf8)]
        for line in rootIgnoreText { lines.append(Array(line.utf8)) }
        lines.append([0xFF, 0xFE] + Array("*.bin".utf8))
        lines.append(Array("nul".utf8) + [0] + Array("tail".utf8))
        lines.append([0xC3, 0xA9, 0x3F])  // "é?": ? matches one byte, not one character
        return lines
    }()
    private static let rootIgnoreText: [String] = [
        "# Reference patterns for IgnoreRulesGitReferenceTests", "", "\\#hash", "\\!bang",
        " leading-space", "trailing-space   ", "escaped-space\\ ", "two-escaped\\ \\ ", "*.log",
        "!important.log", "/root-only.txt", "build/", "/dist", "docs/*.md", "!docs/README.md",
        "**/cache", "logs/**", "a/**/z", "foo/**/bar/", "*.[oa]", "lib?.so", "[Mm]akefile.bak",
        "file[!0-9].txt", "file[^a-z]x.txt", "[]]bracket", "[!]]nb", "[a-c-e]range", "x[[:digit:]]y",
        "s[[:space:]]p", "p[[:punct:]]q", "u[[:upper:][:lower:]]v", "c[[:cntrl:]]c", "g[[:graph:]]g",
        "unterminated[abc", "bad[[:nope:]]class", "literal\\*star", "q\\?mark", "*~", ".env*",
        "!.envrc", "a**b", "**/deep/**/leaf", "/**/top-any", "mid/**", "xd/**/", "nested/*/file",
        "*.tar.gz", "\\\\backslash", "crlf.txt\r", "tab\t", "é*.txt", "[\\]x]esc", "q/r**/s",
        "abc/c**", "pre*/**/post", "!/negated-anchored", "negated-anchored", "anchored/dir/",
        "k[[:]colon", "[z-a]inverted", "[\\a-c]escrange", "trail\\", "dot.*.bak", "node_modules/",
        "!node_modules/keep/", "w[a-]", "w2[-a]", "  ", "!", "/", "//", "***/stars",
    ]

    /// Lines of `sub/.gitignore`.
    static let subIgnore: [String] = ["*.txt", "!keep.txt", "/anchored", "deeper/", "!*.log", "**/x", "!/build"]

    /// Candidates: paths relative to the repository, and whether they are directories.
    static let candidates: [(path: [UInt8], isDirectory: Bool)] = {
        var list: [(path: [UInt8], isDirectory: Bool)] = []
        for (path, isDirectory) in candidateText { list.append((Array(path.utf8), isDirectory)) }
        let bin: [UInt8] = Array("a.bin".utf8)
        list.append(([0xFF, 0xFE] + bin, false))
        list.append(([0xFF] + bin, false))
        list.append(([0xC3, 0xA9, 0xFF], false))
        list.append(([0xC3, 0xA9] + Array("x.txt".utf8), false))
        list.append((Array("sub/".utf8) + [0xFF, 0xFE] + Array(".txt".utf8), false))
        return list
    }()
    private static let candidateText: [(String, Bool)] = [
        ("bom-first", false), ("#hash", false), ("!bang", false), (" leading-space", false), ("leading-space", false),
        ("trailing-space", false), ("trailing-space   ", false), ("escaped-space ", false),
        ("escaped-space", false), ("two-escaped  ", false), ("two-escaped", false), ("app.log", false),
        ("important.log", false), ("src/important.log", false), ("src/deep/app.log", false),
        ("root-only.txt", false), ("src/root-only.txt", false), ("build", true), ("src/build", true),
        ("build.txt", false), ("src/buildfile", false), ("dist", false), ("src/dist", true),
        ("docs/a.md", false), ("docs/README.md", false), ("docs/sub/a.md", false), ("cache", true),
        ("src/x/cache", false), ("logs/a", false), ("logs/b/c", false), ("logs", true), ("a/z", false),
        ("a/b/z", false), ("a/b/c/z", false), ("a/bz", false), ("foo/bar", true), ("foo/x/y/bar", true),
        ("foo/x/y/bar2", true), ("foo/x/bar-file/bar", false), ("x.o", false), ("y.a", false),
        ("z.c", false), ("libx.so", false), ("libxy.so", false), ("Makefile.bak", false),
        ("makefile.bak", false), ("Xakefile.bak", false), ("filea.txt", false), ("file1.txt", false),
        ("file1x.txt", false), ("fileax.txt", false), ("]bracket", false), ("xbracket", false),
        ("xnb", false), ("]nb", false), ("brange", false), ("-range", false), ("erange", false),
        ("drange", false), ("x5y", false), ("xay", false), ("s p", false), ("s\tp", false),
        ("s\u{0B}p", false), ("s\u{0C}p", false), ("s\rp", false), ("s\np", false), ("p!q", false),
        ("paq", false), ("uAv", false), ("uav", false), ("u1v", false), ("c\u{01}c", false),
        ("c\u{7F}c", false), ("cxc", false), ("g~g", false), ("g g", false), ("unterminated[abc", false),
        ("unterminateda", false), ("badxclass", false), ("bad[[:nope:]]class", false),
        ("literal*star", false), ("literalxstar", false), ("q?mark", false), ("qxmark", false),
        ("notes~", false), (".env", false), (".env.local", false), (".envrc", false), ("ab", false),
        ("axxb", false), ("deep/leaf", false), ("x/deep/y/leaf", false), ("deep/a/b/leaf", false),
        ("top-any", false), ("s/t/top-any", false), ("mid/x", false), ("mid/y/z", false),
        ("xd/q", true), ("xd/q2", false), ("xd/r/s", true), ("nested/a/file", false),
        ("nested/a/b/file", false), ("nested/file", false), ("a.tar.gz", false), ("a.gz", false),
        ("\\backslash", false), ("crlf.txt", false), ("crlf.txt\r", false), ("tab\t", false),
        ("tab", false), ("é1.txt", false), ("e1.txt", false), ("]esc", false), ("xesc", false),
        ("\\esc", false), ("q/r/s", false), ("q/rs", false), ("q/rt/u/s", false), ("abc/c/d", false),
        ("abc/cd", false), ("pre/post", false), ("pre/x/post", false), ("prefix/y/post", false),
        ("pre/x/y/post", false), ("negated-anchored", false), ("src/negated-anchored", false),
        ("anchored/dir", true), ("anchored/dir2/f", false), ("k:colon", false), ("k[colon", false),
        ("kxcolon", false), ("zinverted", false), ("bescrange", false), ("\\escrange", false),
        ("trail\\", false), ("trail", false), ("dot.x.bak", false), ("dot..bak", false),
        ("dotx.bak", false), ("node_modules", true), ("node_modules/keep", true),
        ("node_modules/keep/f", false), ("wa", false), ("w-", false), ("w2-", false), ("w2b", false),
        ("stars", false), ("a/b/stars", false), ("plain.txt", false), ("README.md", false),
        ("nul", false), ("nultail", false), ("é!", false),
        ("sub/a.txt", false), ("sub/keep.txt", false), ("sub/anchored", false),
        ("sub/y/anchored", false), ("sub/deeper", true), ("sub/y/deeper", true), ("sub/deeper2/f", false),
        ("sub/app.log", false), ("sub/x", true), ("sub/y/x", false), ("sub/build", true),
        ("sub/cache", true), ("sub/é1.txt", false), ("sub/y/z/keep.txt", false),
    ]

    @Test(
        "Every candidate gets git's verdict, from the same line",
        .enabled(if: IgnoreGitHarness.gitPath != nil, IgnoreGitHarness.missingGit))
    func handWrittenTree() throws {
        let sandbox = try IgnoreGitHarness.Sandbox()
        defer { sandbox.remove() }

        let rootBytes = Self.rootIgnore.flatMap { $0 + [UInt8(ascii: "\n")] }
        let subBytes = Array(Self.subIgnore.joined(separator: "\n").utf8) + [UInt8(ascii: "\n")]
        try sandbox.makeFile(Array(".gitignore".utf8), contents: rootBytes)
        try sandbox.makeDirectory(Array("sub".utf8))
        try sandbox.makeFile(Array("sub/.gitignore".utf8), contents: subBytes)

        // Directories: the ones listed, and every parent of a candidate.
        var directories = Set<[UInt8]>()
        for candidate in Self.candidates {
            let components = candidate.path.split(separator: IgnoreReference.slash)
            let parents = candidate.isDirectory ? components.count : components.count - 1
            for depth in stride(from: 1, through: parents, by: 1) {
                directories.insert(Array(components[..<depth].joined(separator: [IgnoreReference.slash])))
            }
        }
        for directory in directories.sorted(by: { $0.count < $1.count }) {
            try sandbox.makeDirectory(directory)
        }
        for candidate in Self.candidates where !candidate.isDirectory {
            let isAlsoDirectory = directories.contains(candidate.path)
            try #require(
                !isAlsoDirectory, "test data: \(IgnoreReference.show(candidate.path)) is a file and a directory")
            try sandbox.makeFile(candidate.path)
        }

        let input = Self.candidates.flatMap { $0.path + [UInt8(0)] }
        let (status, output) = try sandbox.git(
            ["check-ignore", "--no-index", "--stdin", "-z", "-v", "-n"], input: input)
        #expect(status == 0)
        let reported = IgnoreReference.parseCheckIgnore(output)
        try #require(
            reported.count == Self.candidates.count, "git answered \(reported.count) of \(Self.candidates.count) paths")

        let levels = [
            IgnoreReference.Level(
                directory: [], file: IgnoreFile(contents: rootBytes, origin: ".gitignore"), source: ".gitignore"),
            IgnoreReference.Level(
                directory: [Array("sub".utf8)], file: IgnoreFile(contents: subBytes, origin: "sub/.gitignore"),
                source: "sub/.gitignore"),
        ]
        var tally = (ignored: 0, included: 0, unmatched: 0)
        for (candidate, git) in zip(Self.candidates, reported) {
            #expect(git.path == candidate.path)
            let ours = IgnoreReference.walkerVerdict(candidate.path, isDirectory: candidate.isDirectory, levels: levels)
            #expect(
                ours == git.verdict,
                "\(IgnoreReference.disagreement(candidate.path, candidate.isDirectory, git: git.verdict, ours: ours))"
            )
            switch git.verdict {
            case nil: tally.unmatched += 1
            case let verdict?: if verdict.negated { tally.included += 1 } else { tally.ignored += 1 }
            }
        }
        // The comparison means something only if all three outcomes occur often.
        #expect(Self.candidates.count >= 60)
        #expect(tally.ignored >= 60 && tally.included >= 8 && tally.unmatched >= 30, "\(tally)")
    }

    /// Pieces random patterns are made of: every kind of token, and broken ones.
    static let pieces = [
        "a", "b", "ab", "*", "**", "?", "/", "[ab]", "[!a]", "[^b]", "[a-b]", "[]a]", "[[:alpha:]]",
        "[[:space:]]", "\\*", "\\a", "\\ ", "a*", "*b", "[", "]", " ", "!", "#", "-", ":", "**/", "/**",
        "/**/", "\\", "[:a:]", "[a-]", "[\\]]", "**\\/", "[a-\\]]", "[[:alpha:]-b]", "[!-]", "[--b]",
        "[[:]", "[[:a]", "[\\!a]", "a/", "\\/", "[!/]", "[b-a]",
    ]
    /// Path components random paths are made of.
    static let components = [
        "a", "b", "ab", "ba", "aa", "a b", "]", "[a", "*", "?", "\\", "!a", "-", "a-b", "b]", " ", "#", "^", "b:",
        "ab ", "[!a]",
    ]

    @Test(
        "Random patterns and paths agree with git",
        .enabled(if: IgnoreGitHarness.gitPath != nil, IgnoreGitHarness.missingGit),
        arguments: 0..<24)
    func randomAgainstGit(round: Int) throws {
        var random = IgnoreSplitMix(seed: 0xC0FFEE &+ UInt64(round))
        let sandbox = try IgnoreGitHarness.Sandbox()
        defer { sandbox.remove() }

        var lines: [String] = []
        for _ in 0..<(3 + random.below(8)) {
            var line = random.below(4) == 0 ? "!" : ""
            for _ in 0..<(1 + random.below(4)) { line += Self.pieces[random.below(Self.pieces.count)] }
            if random.below(5) == 0 { line += "/" }
            lines.append(line)
        }
        let ignoreBytes = Array(lines.joined(separator: "\n").utf8) + [UInt8(ascii: "\n")]
        try sandbox.makeFile(Array(".gitignore".utf8), contents: ignoreBytes)

        var paths: [[UInt8]] = []
        var seen = Set<[UInt8]>()
        while paths.count < 150 {
            var parts: [String] = []
            for _ in 0..<(1 + random.below(4)) { parts.append(Self.components[random.below(Self.components.count)]) }
            let path = Array(parts.joined(separator: "/").utf8)
            if seen.insert(path).inserted { paths.append(path) }
        }
        // Some candidates exist as directories (git looks); the rest do not exist (git treats
        // them as files), except those that are parents of a directory.
        var directories = Set<[UInt8]>()
        for path in paths where random.below(3) == 0 {
            try sandbox.makeDirectory(path)
            let components = path.split(separator: IgnoreReference.slash)
            for depth in 1...components.count {
                directories.insert(Array(components[..<depth].joined(separator: [IgnoreReference.slash])))
            }
        }

        let (_, output) = try sandbox.git(
            ["check-ignore", "--no-index", "--stdin", "-z", "-v", "-n"], input: paths.flatMap { $0 + [UInt8(0)] })
        let reported = IgnoreReference.parseCheckIgnore(output)
        try #require(reported.count == paths.count, "git answered \(reported.count) of \(paths.count) paths")
        let levels = [
            IgnoreReference.Level(
                directory: [], file: IgnoreFile(contents: ignoreBytes, origin: ".gitignore"), source: ".gitignore")
        ]
        for (path, git) in zip(paths, reported) {
            let isDirectory = directories.contains(path)
            let ours = IgnoreReference.walkerVerdict(path, isDirectory: isDirectory, levels: levels)
            #expect(
                ours == git.verdict,
                "patterns \(lines), \(IgnoreReference.disagreement(path, isDirectory, git: git.verdict, ours: ours))"
            )
        }
    }
}
