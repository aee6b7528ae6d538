import CensusLanguageGenerator
import Foundation
import Testing

/// The package root, found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

@Suite("Generated language table")
struct GeneratedTableTests {
    /// Fails when Data/languages.yml changed without regenerating the Swift table.
    @Test func checkedInTableIsFresh() throws {
        let yaml = try String(contentsOf: packageRoot.appendingPathComponent(LanguageTableEmitter.dataPath), encoding: .utf8)
        let data = try LanguageDataFile(yaml: yaml)
        let expected = LanguageTableEmitter.swiftSource(for: data)
        let checkedIn = try String(
            contentsOf: packageRoot.appendingPathComponent(LanguageTableEmitter.outputPath), encoding: .utf8)
        #expect(checkedIn == expected, "stale: run `swift run census-generate-languages`")
    }

    /// Fails when Data/languages.yml changed without regenerating the lookup indexes.
    @Test func checkedInIndexesAreFresh() throws {
        let yaml = try String(contentsOf: packageRoot.appendingPathComponent(LanguageTableEmitter.dataPath), encoding: .utf8)
        let data = try LanguageDataFile(yaml: yaml)
        let checkedIn = try String(
            contentsOf: packageRoot.appendingPathComponent(LanguageIndexEmitter.outputPath), encoding: .utf8)
        #expect(checkedIn == LanguageIndexEmitter.swiftSource(for: data), "stale: run `swift run census-generate-languages`")
    }

    /// Fails when Data/linguist-rules.yml changed without regenerating its Swift.
    @Test func checkedInRulesAreFresh() throws {
        let yaml = try String(contentsOf: packageRoot.appendingPathComponent(LanguageTableEmitter.dataPath), encoding: .utf8)
        let names = Set(try LanguageDataFile(yaml: yaml).languages.map(\.name))
        let rulesYAML = try String(contentsOf: packageRoot.appendingPathComponent(LinguistRulesEmitter.dataPath), encoding: .utf8)
        let rules = try LinguistRulesFile(yaml: rulesYAML, languageNames: names)
        let checkedIn = try String(
            contentsOf: packageRoot.appendingPathComponent(LinguistRulesEmitter.outputPath), encoding: .utf8)
        #expect(checkedIn == LinguistRulesEmitter.swiftSource(for: rules), "stale: run `swift run census-generate-languages`")
        // Linguist 9.6: 168 vendored and 18 documentation patterns, 136 disambiguations.
        #expect(rules.vendored.count == 168 && rules.documentation.count == 18 && rules.disambiguations.count == 136)
    }

    @Test func dataFileHasEveryLinguistLanguage() throws {
        let yaml = try String(contentsOf: packageRoot.appendingPathComponent(LanguageTableEmitter.dataPath), encoding: .utf8)
        let data = try LanguageDataFile(yaml: yaml)
        // Linguist 9.6 defines 829 languages; census mirrors all of them.
        #expect(data.languages.count == 829)
        #expect(data.languages.filter { !$0.lineComments.isEmpty || !$0.blockComments.isEmpty }.count >= 600)
        // Every programming and markup language has comment syntax or says it has none.
        let unexplained = data.languages.filter {
            ($0.type == "programming" || $0.type == "markup") && $0.lineComments.isEmpty && $0.blockComments.isEmpty
                && !$0.noComments
        }.map(\.name)
        #expect(unexplained.isEmpty, "no comment syntax and no `no_comments: true`: \(unexplained)")
    }

    static let base = """
        version: 1
        extension_defaults: {.h: C}
        languages:
          C: {type: programming, extensions: [.c, .h]}
          C++: {type: programming, extensions: [.cpp, .h]}

        """

    @Test func acceptsAValidFile() throws {
        let data = try LanguageDataFile(yaml: Self.base)
        #expect(data.languages.map(\.name) == ["C", "C++"])
        #expect(data.extensionDefaults == [".h": "C"])
    }

    @Test(arguments: [
        ("version: 2\nlanguages: {}\n", "version: 1"),
        (base + "  D: {type: programming, bogus: 1}\n", "unknown key `bogus`"),
        (base + "  D: {type: code}\n", "`type` must be one of"),
        ("version: 1\nlanguages:\n  C: {type: programming, extensions: [.h]}\n  C++: {type: programming, extensions: [.h]}\n",
         "claimed by C, C++ but has no entry in extension_defaults"),
        (base + "  D: {type: programming, group: Nope}\n", "names unknown language `Nope`"),
        (base + "  D: {type: programming, strings: [{close: x}]}\n", "an entry is a delimiter or a mapping with `open`"),
        (base + "  D: {type: programming, block_comments: [[\"/*\"]]}\n", "must be [open, close]"),
        (base + "  D: {type: programming, raw_strings: [java]}\n", "unknown form `java`"),
        (base + "  D: {type: programming, heredoc_spaced: true}\n", "needs a heredoc operator"),
        (base + "  D: {type: programming, block_comments: [{open: x, close: \"\"}]}\n", "must be anchored"),
        ("version: 1\nextension_defaults: {.c: C}\nlanguages:\n  C: {type: programming, extensions: [.c]}\n", "is not ambiguous"),
        ("- just\n- a list\n", "top level must be a mapping"),
    ])
    func rejectsMalformedData(_ yaml: String, _ message: String) {
        do {
            _ = try LanguageDataFile(yaml: yaml)
            Issue.record("accepted malformed data; expected an error containing \(message)")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    @Test func groupsResolveCaseInsensitivelyLikeLinguist() throws {
        let data = try LanguageDataFile(yaml: Self.base + "  ECLiPSe: {type: programming, group: c}\n")
        #expect(data.languages.first { $0.name == "ECLiPSe" }?.group == "C")
    }

    @Test func swiftLiteralsEscapeEverything() throws {
        let data = try LanguageDataFile(yaml: "version: 1\nlanguages:\n  \"Q\\\"uote\\\\\": {type: data, line_comments: [\"é\\t\"]}\n")
        let source = LanguageTableEmitter.swiftSource(for: data)
        #expect(source.contains(#"name: "Q\"uote\\""#))
        #expect(source.contains(#"lineComments: [LineCommentSyntax("\u{E9}\t")]"#))
    }
}

@Suite("Line comment forms in the data file")
struct LineCommentDataTests {
    @Test func mappingForm() throws {
        let data = try LanguageDataFile(yaml: """
            version: 1
            languages:
              Asm: {type: programming, line_comments: ["//", {token: "#", at_line_start: true, not_before: [include]}]}
            """)
        let comments = try #require(data.languages.first?.lineComments)
        #expect(comments.map(\.token) == ["//", "#"])
        #expect(comments[1].atLineStart && comments[1].notBefore == ["include"])
        let source = LanguageTableEmitter.swiftSource(for: data)
        #expect(source.contains(##"LineCommentSyntax("#", atLineStart: true, notBefore: ["include"] as [String])"##))
    }

    @Test func rejectsBadForms() {
        #expect(throws: LanguageDataError.self) {
            try LanguageDataFile(yaml: "version: 1\nlanguages:\n  A: {type: data, line_comments: [{at_line_start: true}]}\n")
        }
        #expect(throws: LanguageDataError.self) {
            try LanguageDataFile(yaml: "version: 1\nlanguages:\n  A: {type: data, line_comments: [{token: \"#\", sometimes: true}]}\n")
        }
    }
}
