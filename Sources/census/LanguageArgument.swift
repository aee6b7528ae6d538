import ArgumentParser
import CodeCensus

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

    /// Every canonical language name, for shell completion.
    static var completion: CompletionKind { .list(LanguageTable.all.map(\.name)) }
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
