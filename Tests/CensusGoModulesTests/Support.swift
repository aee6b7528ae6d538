import Foundation

/// The fixtures beside these tests, written by hand for them.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        try Array(Data(contentsOf: directory.appendingPathComponent(relativePath)))
    }

    static func text(_ relativePath: String) throws -> String {
        String(decoding: try bytes(relativePath), as: UTF8.self)
    }

    /// The `.mod` fixtures of a subdirectory, by name without extension.
    static func modNames(in subdirectory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent(subdirectory).path)) ?? []
        return names.filter { $0.hasSuffix(".mod") }.map { String($0.dropLast(4)) }.sorted()
    }
}

/// `../shared` beside the package (or `$CENSUS_SHARED`): data other people made, present on
/// developer machines and CI but never committed. Tests that use it skip when it is absent.
enum SharedData {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var root: URL? {
        let candidates: [String?] = [ProcessInfo.processInfo.environment["CENSUS_SHARED"], packageRoot.appendingPathComponent("../shared").standardized.path]
        for case let path? in candidates where FileManager.default.fileExists(atPath: path + "/data/gomod") {
            return URL(fileURLWithPath: path)
        }
        return nil
    }

    static let missing = "shared data not found: set CENSUS_SHARED or put the shared folder at <package root>/../shared (needs data/gomod); skipping the golden go.mod tests"

    /// Every go.mod under shared/data/gomod that has a go.mod.json beside it.
    static var goldenGoMods: [URL] {
        guard let root = root?.appendingPathComponent("data/gomod"),
            let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        else { return [] }
        var found: [URL] = []
        for case let url as URL in walk where url.lastPathComponent == "go.mod" {
            if FileManager.default.fileExists(atPath: url.path + ".json") { found.append(url) }
        }
        return found.sorted { $0.path < $1.path }
    }
}

/// The Go toolchain (Debian's golang-go, Go 1.19, at /usr/bin/go), run as a reference.
enum GoToolchain {
    static let path = "/usr/bin/go"

    /// `go1.19.8` and the like, or nil when there is no /usr/bin/go.
    static let version: String? = {
        guard FileManager.default.isExecutableFile(atPath: path), let result = try? run(["env", "GOVERSION"], in: nil) else { return nil }
        let text = String(decoding: result.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return result.status == 0 ? text : nil
    }()

    /// The comparison expects Go 1.19 (Debian 12's golang-go): its JSON shape, and its rejecting
    /// the directives that came later.
    static var isAvailable: Bool { version.map { $0 == "go1.19" || $0.hasPrefix("go1.19.") } ?? false }

    static var missing: String {
        if let version {
            return "/usr/bin/go is \(version), not Go 1.19; skipping the comparison with go mod edit -json (its JSON shape differs from 1.24 on)"
        }
        return "/usr/bin/go not found (apt-get install golang-go, Debian 12's Go 1.19); skipping the comparison with go mod edit -json"
    }

    /// The go.mod files of the Go 1.19 source tree (Debian's golang-1.19-src).
    static var sourceTreeGoMods: [URL] {
        let root = URL(fileURLWithPath: "/usr/share/go-1.19/src")
        guard let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var found: [URL] = []
        for case let url as URL in walk where url.lastPathComponent == "go.mod" { found.append(url) }
        return found.sorted { $0.path < $1.path }
    }

    struct Result {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
    }

    /// Runs `go mod edit -json` on a copy of `goMod` named go.mod in a fresh directory, with a
    /// clean environment (no network, no toolchain switching, HOME, GOPATH and GOCACHE inside the
    /// directory). Output goes to files, so no pipe can fill up.
    static func editJSON(_ goMod: [UInt8]) throws -> Result {
        try run(["mod", "edit", "-json"], in: goMod)
    }

    /// Runs go with `arguments` in a fresh directory (holding `goMod` as go.mod, if given).
    static func run(_ arguments: [String], in goMod: [UInt8]?) throws -> Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("census-gomod-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        if let goMod { try Data(goMod).write(to: dir.appendingPathComponent("go.mod")) }
        let out = dir.appendingPathComponent("stdout"), err = dir.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = dir
        process.environment = [
            "PATH": "/usr/bin:/bin", "HOME": dir.path, "GOPATH": dir.path + "/gopath", "GOCACHE": dir.path + "/cache",
            "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local", "GOPROXY": "off", "GOWORK": "off",
        ]
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: Array(try Data(contentsOf: out)),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    /// The line numbers of the errors go printed (`go.mod:LINE: …` or `go.mod:LINE:COL: …`).
    static func errorLines(_ stderr: String) -> Set<Int> {
        var lines = Set<Int>()
        for line in stderr.split(separator: "\n") {
            guard let range = line.range(of: "go.mod:") else { continue }
            let number = line[range.upperBound...].prefix { $0.isNumber }
            if let n = Int(number) { lines.insert(n) }
        }
        return lines
    }
}
