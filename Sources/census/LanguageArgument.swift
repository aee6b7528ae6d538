import ArgumentParser
import CodeCensus

#if canImport(Glibc)
import Glibc
#endif

/// `--language` values: any of a language's names or aliases in any case ("go", "golang", "c++"),
/// turned into the canonical name the store holds ("Go", "C++"); shells complete them.
///
/// Use as `@Option(help: …, completion: LanguageArgument.completion, transform: LanguageArgument.canonical)`.
enum LanguageArgument {
    /// The canonical name of `text`.
    ///
    /// - Throws: ``UnknownLanguageError`` naming the closest known names when census knows no
    ///   language by that name (ArgumentParser prints it after the option's name, exit status 64).
    static func canonical(_ text: String) throws -> String {
        if let language = LanguageTable.named(text) { return language.name }
        throw UnknownLanguageError(name: text, suggestions: LanguageTable.closestNames(to: text))
    }

    /// Every canonical language name, for shell completion: asked of census when the user presses
    /// tab (`census ---completion …`), so the scripts stay small and the list is never built for
    /// an ordinary run.
    static var completion: CompletionKind {
        .custom { _, _, _ in names(forShell: getenv("SAP_SHELL").map { String(cString: $0) }) }
    }

    /// The names as the shell's completion script wants them. bash's `compgen -W` expands each
    /// word again, so its quotes and backslashes are escaped ("Cap'n Proto" → `Cap\'n Proto`);
    /// zsh and fish take the names as they are.
    static func names(forShell shell: String?) -> [String] {
        let names = LanguageTable.all.map(\.name)
        guard shell == "bash" else { return names }
        return names.map { name in
            var escaped = ""
            for character in name {
                if "'\"\\$`".contains(character) { escaped.append("\\") }
                escaped.append(character)
            }
            return escaped
        }
    }
}

/// A language name census does not know, with the closest names it does.
struct UnknownLanguageError: Error, CustomStringConvertible {
    var name: String
    var suggestions: [String]

    var description: String {
        var text = "census knows no language named '\(Escaping.display(name))'"
        switch suggestions.count {
        case 0: break
        case 1: text += "; did you mean \(suggestions[0])?"
        default: text += "; did you mean " + suggestions.dropLast().joined(separator: ", ") + " or \(suggestions.last ?? "")?"
        }
        return text + " (`census languages` lists every name)"
    }
}
