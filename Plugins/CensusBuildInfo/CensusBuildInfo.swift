// Records the commit census is built from, for `census --version`.
//
// A build command whose inputs are the files git rewrites when the checkout moves to another
// commit or stages changes (HEAD, its reflog, the index, in the package's own git directory, or the
// directory a worktree's `.git` file names), so it reruns after a commit, a checkout or an `add`
// and not otherwise. It asks git for HEAD and whether tracked files differ from it, and rewrites
// `BuildInfo.swift` only when that changes. Outside a git checkout (a source tarball) the commit is
// "unknown", unless CENSUS_COMMIT names it (packagers set it). See docs/install.md.
//
// (A prebuild command was tried first: SwiftPM reuses its build plan when the manifests have not
// changed, and then did not run it again, so a build after a commit kept the old commit.)
import Foundation
import PackagePlugin

@main
struct CensusBuildInfo: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("BuildInfo")
        let package = context.package.directoryURL
        var environment: [String: String] = [:]
        if let commit = ProcessInfo.processInfo.environment["CENSUS_COMMIT"] { environment["CENSUS_COMMIT"] = commit }
        if let path = ProcessInfo.processInfo.environment["PATH"] { environment["PATH"] = path }
        let gitDirectory = Self.gitDirectory(of: package)
        let inputs = gitDirectory.map { directory in
            ["HEAD", "logs/HEAD", "index"].map { directory.appendingPathComponent($0) }
                .filter { FileManager.default.fileExists(atPath: $0.path) }
        } ?? []
        return [
            .buildCommand(
                displayName: "Recording the commit census is built from",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", Self.script, "census-build-info", package.path, output.path],
                environment: environment,
                inputFiles: inputs,
                outputFiles: [output.appendingPathComponent("BuildInfo.swift")])
        ]
    }

    /// The package's git directory: `.git` itself, or the directory a `.git` file names (a
    /// worktree or a submodule); nil outside a checkout.
    static func gitDirectory(of package: URL) -> URL? {
        let dotGit = package.appendingPathComponent(".git")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dotGit.path, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue { return dotGit }
        guard let text = try? String(contentsOf: dotGit, encoding: .utf8), text.hasPrefix("gitdir: ") else { return nil }
        let path = text.dropFirst("gitdir: ".count).trimmingCharacters(in: .whitespacesAndNewlines)
        return path.hasPrefix("/") ? URL(fileURLWithPath: path) : package.appendingPathComponent(path)
    }

    /// `$1` the package directory, `$2` the output directory. git runs without optional locks (it
    /// never writes the index), and its failure (no git, not a checkout) only leaves "unknown".
    static let script = #"""
        set -u
        package="$1"
        out="$2"
        mkdir -p "$out" || exit 1
        commit="${CENSUS_COMMIT:-}"
        modified=false
        # Only the package's own repository: a tarball unpacked inside another checkout is not it.
        top=$(git -C "$package" rev-parse --show-toplevel 2>/dev/null) || top=""
        if [ -z "$commit" ] && [ -n "$top" ] && [ "$(cd "$top" && pwd -P)" = "$(cd "$package" && pwd -P)" ]; then
            commit=$(git -C "$package" --no-optional-locks rev-parse --verify -q HEAD 2>/dev/null) || commit=""
            if [ -n "$commit" ] && [ -n "$(git -C "$package" --no-optional-locks status --porcelain --untracked-files=no 2>/dev/null)" ]; then
                modified=true
            fi
        fi
        case "$commit" in
            *[!0-9a-f]*|"") commit="unknown"; modified=false ;;
        esac
        tmp="$out/.BuildInfo.swift.$$"
        {
            echo "// generated at build time by Plugins/CensusBuildInfo; do not edit."
            echo "enum BuildInfo {"
            echo "    /// The commit census was built from (\"unknown\" outside a git checkout)."
            echo "    static let commit = \"$commit\""
            echo "    /// Whether tracked files differed from that commit."
            echo "    static let modified = $modified"
            echo "}"
        } > "$tmp" || exit 1
        if cmp -s "$tmp" "$out/BuildInfo.swift"; then rm -f "$tmp"; else mv -f "$tmp" "$out/BuildInfo.swift"; fi
        """#
}
