import CensusTestSupport
import Foundation
import Testing

/// Shell completion scripts, and language names completed for --language by a real bash.
@Suite("shell completions")
struct CompletionCLITests {
    static let bash = ["/bin/bash", "/usr/bin/bash"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Language names read from Data/languages.yml by hand: the two-space-indented keys under
    /// `languages:`, unquoted.
    static func languageNames() throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let data = try String(contentsOfFile: root + "/Data/languages.yml", encoding: .utf8)
        var names: [String] = []
        var inLanguages = false
        for line in data.split(separator: "\n") {
            if line.hasPrefix("languages:") { inLanguages = true; continue }
            guard inLanguages, line.hasPrefix("  "), !line.hasPrefix("   "), !line.hasPrefix("  #"), line.hasSuffix(":") else {
                continue
            }
            var name = String(line.dropFirst(2).dropLast())
            if name.hasPrefix("\""), name.hasSuffix("\"") { name = String(name.dropFirst().dropLast()) }
            if name.hasPrefix("'"), name.hasSuffix("'") { name = String(name.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'") }
            names.append(name)
        }
        return names
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func everyShellGetsAScriptThatAsksCensusForLanguageNames(shell: String) throws {
        let run = try CLI.run(["--generate-completion-script", shell])
        #expect(run.status == 0)
        // The names are asked of census at completion time, for the history and store questions.
        #expect(run.text.contains("---completion top -- --language"), "\(shell)")
        #expect(run.text.contains("---completion timeline -- --language"), "\(shell)")
        #expect(run.text.contains("scan"), "\(shell)")
    }

    @Test(
        .enabled(if: bash != nil, "bash is not installed"),
        arguments: ["Com", "Cap", "C+", "Obj", "rust"])
    func bashCompletesLanguageNames(prefix: String) throws {
        let script = try CLI.run(["--generate-completion-script", "bash"])
        let tree = PublicTree()
        let path = tree.write("census.bash", script.text)
        // What bash would do on `census top --language <prefix><TAB>`.
        let driver = """
            source "$1"
            COMP_WORDS=("$2" top --language "$3"); COMP_CWORD=3
            COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
            COMPREPLY=()
            _census "$2" "$3" --language
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let run = try Spawned.run(
            [try #require(Self.bash), "-c", driver, "bash", path, CLI.binary, prefix],
            environment: ProcessInfo.processInfo.environment)
        let offered = String(decoding: run.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
        // bash's compgen matches the start of the word, case-sensitively.
        let expected = try Self.languageNames().filter { $0.hasPrefix(prefix) }
        #expect(offered.sorted() == expected.sorted())
        if prefix == "Cap" { #expect(offered == ["Cap'n Proto"]) }
        if prefix == "rust" { #expect(offered.isEmpty) } else { #expect(!expected.isEmpty) }
    }
}
