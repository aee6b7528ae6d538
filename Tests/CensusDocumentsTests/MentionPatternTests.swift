import Testing

@testable import CensusDocuments

/// Pattern semantics on UTF-8 text: `\b` is ASCII, so CJK characters are not word characters;
/// matches are counted without overlap. Expected counts are worked out by hand in each comment.
@Suite struct MentionPatternTests {
    func count(_ pattern: String, _ text: String) throws -> Int {
        let compiled = try MentionPattern(name: "p", source: pattern)
        guard case .matches(let n) = compiled.count(in: Array(text.utf8)) else {
            Issue.record("abandoned")
            return -1
        }
        return n
    }

    @Test func goIsAWordOfItsOwnNextToCJKButNotInsideLatinWords() throws {
        let go = #"\bGo\b|Golang|Go语言"#
        // Google: no; Golang: 1 (second branch); Go语言: 1; Go: 1.
        #expect(try count(go, "Google Golang Go语言 Go") == 3)
        #expect(try count(#"\bGo\b"#, "Google") == 0)
        #expect(try count(#"\bGo\b"#, "Golang") == 0)
        // Between CJK characters there is a boundary on each side of "Go".
        #expect(try count(#"\bGo\b"#, "招聘Go语言工程师，用Go开发") == 2)
        #expect(try count("Go语言", "招聘Go语言工程师") == 1)
        // No boundary inside "GoGo"; two in "Go-Go"; "go" differs in case.
        #expect(try count(#"\bGo\b"#, "GoGo") == 0)
        #expect(try count(#"\bGo\b"#, "Go-Go go") == 2)
        // Full-width letters are other characters, not folded.
        #expect(try count(#"\bGo\b"#, "ＧＯ Ｇｏ") == 0)
    }

    @Test func caseFoldingAndWholeCharacters() throws {
        // JAVA, Java, java: 3; JavaScript: no boundary after "Java".
        #expect(try count(#"(?i)\bjava\b"#, "JAVA Java java JavaScript") == 3)
        // `.` takes the whole character 语 (3 bytes in UTF-8).
        #expect(try count("Go.言", "Go语言") == 1)
        #expect(try count("[语汉]言", "语言 汉言 英言") == 2)
    }

    @Test func matchesDoNotOverlap() throws {
        #expect(try count("aa", "aaaa") == 2)
        #expect(try count("aa", "aaa") == 1)
        // The search after a match sees the text before it: no false boundary at its end.
        #expect(try count(#"\bab"#, "abab ab") == 2)
    }

    @Test func everyMatchOfALongDocumentIsCounted() throws {
        // 20,000 × "Go, " then one "Golang": 20,001 matches. Each search after a match looks for the
        // pattern's literals only from where it starts, so this stays linear in the text.
        let text = String(repeating: "Go, ", count: 20_000) + "Golang"
        #expect(try count(#"\bGo\b|Golang"#, text) == 20_001)
    }

    @Test(arguments: ["go", "=x", "go=", "g o=x", "go=(", "go=a*", #"go=\b"#, "go=x?"])
    func badPatternsAreRefusedWithTheArgumentNamed(_ argument: String) {
        #expect(throws: MentionError.self) { _ = try MentionPattern(argument: argument) }
        do {
            _ = try MentionPattern(argument: argument)
        } catch {
            #expect(error.description.contains("--pattern"))
        }
    }

    @Test func namesMayHoldPlusAndHash() throws {
        #expect(try MentionPattern(argument: #"c++=\bC\+\+"#).name == "c++")
        #expect(try MentionPattern(argument: "c#=C#|CSharp").source == "C#|CSharp")
        #expect(try MentionPattern(argument: "a=b=c").source == "b=c")
    }

    @Test func aPatternThatBacktracksForeverIsAbandonedNotGuessed() throws {
        let pattern = try MentionPattern(name: "slow", source: "(x+x+)+y")
        #expect(pattern.count(in: Array(String(repeating: "x", count: 40).utf8)) == .abandoned)
    }
}
