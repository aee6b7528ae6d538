import CensusLanguages
import Testing

@Suite("Language table")
struct LanguageTableTests {
    @Test func hasAtLeast250Languages() {
        #expect(LanguageTable.count >= 250)
        // `count` is generated beside `all` so that arrays can be sized before `all` is built.
        #expect(LanguageTable.count == LanguageTable.all.count)
        #expect(LanguageTable.all.enumerated().allSatisfy { $0.offset == $0.element.id.index })
    }

    /// Linguist's exact names, including GitHub's most used languages and every language found in
    /// the Linux kernel and the Go source tree (as github-linguist 7.22.1 reports them there).
    @Test(arguments: [
        // GitHub's most used (Octoverse), with Linguist's spelling.
        "JavaScript", "Python", "Java", "TypeScript", "C#", "C++", "PHP", "Shell", "C", "Ruby", "Go", "Kotlin",
        "Swift", "Rust", "Dart", "Scala", "R", "Objective-C", "PowerShell", "Perl", "Lua", "Haskell", "Groovy",
        "HTML", "CSS", "Jupyter Notebook", "Vue", "Elixir", "Clojure", "MATLAB", "Julia", "Erlang", "F#", "OCaml",
        "Vim script", "Emacs Lisp", "TeX", "Assembly", "Makefile", "Dockerfile", "HCL", "CMake", "Nix",
        "Solidity", "Zig", "Fortran", "COBOL", "Ada", "Pascal", "Visual Basic .NET", "SCSS", "Batchfile",
        "Svelte", "Elm", "Hack", "Starlark",
        // Found in the Linux kernel and Go trees by github-linguist 7.22.1.
        "Unix Assembly", "Raku", "XS", "Awk", "SmPL", "Lex", "Yacc", "Gherkin", "Roff", "M4", "Go Module",
        "Go Checksums", "Text", "Markdown", "reStructuredText", "YAML", "JSON", "Python", "Perl",
    ])
    func hasLinguistName(_ name: String) throws {
        let language = try #require(LanguageTable.named(name), "missing \(name)")
        #expect(language.name == name)
    }

    @Test(arguments: ["C", "Go", "Unix Assembly", "Shell", "Python", "Perl", "Makefile", "Rust", "Awk", "Yacc", "Lex", "Raku", "SmPL", "M4", "Roff"])
    func kernelAndGoLanguagesHaveCommentSyntax(_ name: String) throws {
        let language = try #require(LanguageTable.named(name))
        #expect(language.syntax.hasComments)
    }

    @Test func lookupByAliasIgnoresCase() {
        #expect(LanguageTable.named("golang")?.name == "Go")
        #expect(LanguageTable.named("c++")?.name == "C++")
        #expect(LanguageTable.named("VIM")?.name == "Vim script")
        #expect(LanguageTable.named("no such language") == nil)
    }

    @Test func typesAreLinguists() {
        #expect(LanguageTable.named("Go")?.type == .programming)
        #expect(LanguageTable.named("HTML")?.type == .markup)
        #expect(LanguageTable.named("JSON")?.type == .data)
        #expect(LanguageTable.named("Markdown")?.type == .prose)
    }
}
