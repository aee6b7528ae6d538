import ArgumentParser
import Testing

@testable import census

/// Every command's help, rendered at 80 columns as a terminal of that width shows it: no line wider
/// than the terminal, and no word left alone on a line in the middle of a paragraph (what text
/// wrapped by hand and then wrapped again by ArgumentParser looks like).
@Suite struct HelpTextTests {
    static let width = 80

    /// Every command reachable from `census`, found through the subcommand lists (so commands added
    /// later are checked too), keyed by their path ("census", "census deps top", …).
    static let commands: [String: ParsableCommand.Type] = {
        var found: [String: ParsableCommand.Type] = [:]
        func visit(_ command: ParsableCommand.Type, path: String) {
            found[path] = command
            for sub in command.configuration.subcommands {
                visit(sub, path: path + " " + sub._commandName)
            }
        }
        visit(Census.self, path: "census")
        return found
    }()

    @Test func theWalkFindsNestedSubcommands() {
        // Known members of the tree at the time of writing: the root, a leaf and a nested leaf.
        #expect(Self.commands["census"] != nil)
        #expect(Self.commands["census scan"] != nil)
        #expect(Self.commands["census deps top"] != nil)
        #expect(Self.commands.count >= 20)
    }

    @Test(arguments: commands.keys.sorted())
    func helpWrapsOnceAt80Columns(path: String) throws {
        let command = try #require(Self.commands[path])
        let text = Census.helpMessage(for: command, columns: Self.width)
        #expect(!text.isEmpty)
        let problems = HelpLayout.problems(in: text, width: Self.width)
        #expect(problems.isEmpty, "\(path) --help at \(Self.width) columns:\n\(problems.joined(separator: "\n"))\n\n\(text)")
    }

    @Test func everyCommandHasAnAbstract() {
        for (path, command) in Self.commands {
            #expect(!command.configuration.abstract.isEmpty, "\(path) has no abstract")
        }
    }

    // The checker itself, on text laid out by hand.

    @Test func theCheckerFlagsTheDoubleWrappedTextOfIssue18() {
        // What `census --help` printed before: a hand-wrapped line wrapped again at 80 columns.
        let text = """
              Machine output goes to standard output; warnings and errors to standard error.
              Exit status: 0 when everything was read, 1 when some input could not be read
              (the
              results for the rest are still printed), 64 for usage errors.
            """
        let problems = HelpLayout.problems(in: text, width: 80)
        #expect(problems.count == 1)
        #expect(problems.first?.contains("line 3") == true)
    }

    @Test func theCheckerFlagsALineWiderThanTheWidth() {
        let line = "  " + String(repeating: "word ", count: 16) + "x"  // 2 + 80 + 1 = 83 columns
        #expect(HelpLayout.problems(in: line, width: 80) == ["line 1 is 83 columns wide: \(line)"])
    }

    @Test func theCheckerAcceptsAParagraphWhoseLastLineIsOneWord() {
        // Natural wrapping may leave the last word alone when it did not fit on the line above.
        let above = "  " + String(repeating: "abcdefg ", count: 9).dropLast()  // 73 columns: 73 + 1 + 8 > 79
        let text = above + "\n  abcdefgh\n\nOPTIONS:\n  -h, --help   Show help information.\n"
        #expect(HelpLayout.problems(in: String(text), width: 80).isEmpty)
    }
}

/// Checks rendered help text for the marks of double wrapping.
enum HelpLayout {
    /// One message per line that is wider than `width`, or that holds a single word either in the
    /// middle of a paragraph (the lines around it are text at the same indentation) or where it
    /// would have fitted at the end of the line above.
    static func problems(in text: String, width: Int) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func indent(_ line: String) -> Int { line.prefix { $0 == " " }.count }
        func isText(_ line: String) -> Bool {
            let trimmed = line.trimmingCharacters(in: " ")
            return !trimmed.isEmpty && !trimmed.hasSuffix(":")
        }
        var problems: [String] = []
        for (i, line) in lines.enumerated() {
            if line.count > width {
                problems.append("line \(i + 1) is \(line.count) columns wide: \(line)")
                continue
            }
            let words = line.split(separator: " ")
            guard words.count == 1, i > 0, isText(line) else { continue }
            let above = lines[i - 1]
            guard isText(above), indent(above) == indent(line) else { continue }
            let below = i + 1 < lines.count ? lines[i + 1] : ""
            let midParagraph = isText(below) && indent(below) == indent(line)
            // ArgumentParser breaks a line when the next word and the character after it would
            // not fit, so a wrapped line holds at most `width - 1` columns.
            let wouldHaveFitted = above.count + 1 + words[0].count < width
            if midParagraph || wouldHaveFitted {
                problems.append("line \(i + 1) holds one orphan word: \(line)")
            }
        }
        return problems
    }
}

extension String {
    fileprivate func trimmingCharacters(in character: Character) -> Substring {
        var text = self[...]
        while text.first == character { text = text.dropFirst() }
        while text.last == character { text = text.dropLast() }
        return text
    }
}
