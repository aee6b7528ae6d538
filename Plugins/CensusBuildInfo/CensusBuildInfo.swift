// Records the commit census is built from, for `census --version`.
//
// A prebuild command, so it runs at the start of every `swift build`, `swift run` and `swift test`
// (and `make release`): it asks git for the package's HEAD and whether tracked files differ from it,
// and writes `BuildInfo.swift` into the plugin's work directory only when that changes, so a build
// with nothing new compiles nothing. Outside a git checkout (a source tarball) the commit is
// "unknown", unless CENSUS_COMMIT names it (packagers set it). See docs/architecture.md.
import Foundation
import PackagePlugin

@main
struct CensusBuildInfo: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("BuildInfo")
        var environment: [String: String] = [:]
        if let commit = ProcessInfo.processInfo.environment["CENSUS_COMMIT"] { environment["CENSUS_COMMIT"] = commit }
        if let path = ProcessInfo.processInfo.environment["PATH"] { environment["PATH"] = path }
        return [
            .prebuildCommand(
                displayName: "Recording the commit census is built from",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", Self.script, "census-build-info", context.package.directoryURL.path, output.path],
                environment: environment,
                outputFilesDirectory: output)
        ]
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
