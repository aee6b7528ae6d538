import CensusLanguages
import CensusPatterns
import Testing

private func detect(_ name: String, _ content: String) -> (String, DetectionStrategy)? {
    var n = name
    return n.withUTF8 { nameBytes in
        Array(content.utf8).withUnsafeBytes { data in
            LinguistEngine.shared.detect(name: nameBytes, data: data).map { (LanguageTable[$0.language].name, $0.strategy) }
        }
    }
}

@Suite("Linguist's full strategy")
struct LinguistEngineTests {
    /// Each expected language is github-linguist 7.22.1's answer for the same name and content
    /// (files committed to a temporary repository and run through `github-linguist FILE`).
    static let cases: [(String, String, String)] = [
        ("objc.h", "@interface Foo : NSObject\n@end\n", "Objective-C"),
        ("cpp.h", "#include <vector>\nclass X {\npublic:\n  int y;\n};\n", "C++"),
        ("plain.h", "#ifndef X_H\n#define X_H\nint add(int a, int b);\n#endif\n", "C"),
        ("perl.pl", "use strict;\nmy $x = 1;\nprint \"$x\\n\";\n", "Perl"),
        ("prolog.pl", ":- module(foo, [bar/1]).\nbar(X) :- X > 1.\n", "Prolog"),
        ("objc.m", "#import <Foundation/Foundation.h>\n@implementation Foo\n@end\n", "Objective-C"),
        ("qt.ts", "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE TS>\n<TS version=\"2.1\" language=\"de\">\n</TS>\n", "XML"),
        ("app.ts", "const x: number = 1;\nexport default x;\n", "TypeScript"),
        ("vimline", "#!/bin/true\nputs 1\n# vim: set ft=ruby:\n", "Ruby"),
        ("emacsline", "# -*- mode: python -*-\nprint(1)\n", "Python"),
        ("data.unknownext", "<?xml version=\"1.0\"?>\n<root/>\n", "XML"),
        ("tool.1", ".TH TOOL 1\n.SH NAME\ntool \\- does things\n", "Roff Manpage"),
        ("page.inc", "<?php\necho \"hi\";\n", "PHP"),
        ("main.rs", "fn main() {\n    println!(\"hi\");\n}\n", "Rust"),
        ("rs.rs", "#pragma version(1)\n#pragma rs java_package_name(com.x)\n", "RenderScript"),
        ("verilog.v", "module foo(input a, output b);\n  assign b = a;\nendmodule\n", "Verilog"),
        ("coq.v", "Require Import Arith.\nTheorem plus_0 : forall n, n + 0 = n.\nProof. auto. Qed.\n", "Rocq Prover"),
        ("fsharp.fs", "let x = 1\nprintfn \"%d\" x\n", "F#"),
        ("glsl.fs", "#version 330\nvoid main() {\n  gl_FragColor = vec4(1.0);\n}\n", "GLSL"),
        ("Gen.cs", "using System;\nnamespace X { class Y {} }\n", "C#"),
        ("md.md", "# Title\n\nSome text.\n", "Markdown")
    ]

    @Test(arguments: cases)
    func detectsAsLinguist(_ name: String, _ content: String, _ expected: String) {
        #expect(detect(name, content)?.0 == expected, "\(name)")
    }

    /// Where no heuristic fires, Linguist's statistical classifier decides and census takes the
    /// extension's documented default instead (Data/languages.yml, chosen for files the heuristics
    /// could not place). These cases pin census's answer; docs/linguist-differences.md lists them
    /// with Linguist's.
    static let classifierCases: [(String, String, String, String)] = [
        // (name, content, census, github-linguist 7.22.1)
        ("matlab.m", "function y = f(x)\n  y = x + 1;\nend\n", "MATLAB", "M"),
        ("trace.pl", "use lib \"./lib\";\nsub trace_begin\n{\n    print \"begin\\n\";\n}\n", "Perl", "Raku"),
        ("aes.cc.inc", "static void aes_nohw_encrypt(const uint8_t *in) {\n  uint32_t s0 = 0;\n}\n", "C++", "C++"),
    ]

    @Test(arguments: classifierCases)
    func classifierCasesUseTheDocumentedDefault(_ name: String, _ content: String, _ census: String, _ linguist: String) {
        #expect(detect(name, content)?.0 == census, "\(name): Linguist's classifier says \(linguist)")
        #expect(detect(name, content)?.1 == .defaultChoice)
    }

    @Test func strategiesAreNamed() {
        #expect(detect("objc.h", "@interface Foo\n@end\n")?.1 == .heuristics)
        #expect(detect("vimline", "x\n# vim: set ft=ruby:\n")?.1 == .modeline)
        #expect(detect("data.unknownext", "<?xml version=\"1.0\"?>\n")?.1 == .xml)
        #expect(detect("Makefile", "all:\n")?.1 == .filename)
    }

    /// Linguist reads modelines from `first_lines(5)` and `last_lines(5)`. The expected lines are
    /// github-linguist 7.22.1's answers (`Linguist::Strategy::Modeline.call` on 20-line files with
    /// the modeline on each line in turn): with `\r\n` endings its `last_lines` counts each line
    /// end twice and sees only the last 2 lines (3 without a final line end). Long lines
    /// exercise the 8-byte skipping between line ends.
    @Test func modelinesOnlyWhereLinguistLooks() {
        let filler = String(repeating: "x = some_function(argument_one, argument_two);", count: 3)
        func file(modelineAt index: Int, ending: String, finalEnding: Bool) -> String {
            let lines = (0 ..< 20).map { $0 == index ? "# vim: set ft=ruby:" : filler }
            return lines.joined(separator: ending) + (finalEnding ? ending : "")
        }
        let linguist: [(String, Bool, Set<Int>)] = [
            ("\n", true, [0, 1, 2, 3, 4, 15, 16, 17, 18, 19]),
            ("\r", true, [0, 1, 2, 3, 4, 15, 16, 17, 18, 19]),
            ("\r\n", true, [0, 1, 2, 3, 4, 18, 19]),
            ("\n", false, [0, 1, 2, 3, 4, 15, 16, 17, 18, 19]),
            ("\r", false, [0, 1, 2, 3, 4, 15, 16, 17, 18, 19]),
            ("\r\n", false, [0, 1, 2, 3, 4, 17, 18, 19]),
        ]
        for (ending, finalEnding, expected) in linguist {
            for index in 0 ..< 20 {
                let result = detect("noext", file(modelineAt: index, ending: ending, finalEnding: finalEnding))
                #expect((result?.1 == .modeline) == expected.contains(index),
                        "line \(index + 1) of 20, ending \(Array(ending.utf8)), final line end: \(finalEnding)")
            }
        }
        // A file that is one line without a line end has neither first nor last lines for
        // Linguist (both come out empty); with a line before it, the modeline is a last line.
        #expect(detect("noext", "# vim: set ft=ruby:") == nil)
        #expect(detect("noext", "# vim: set ft=ruby:\n")?.0 == "Ruby")
        #expect(detect("noext", "a\n# vim: set ft=ruby:")?.0 == "Ruby")
        // An Emacs modeline (no `=` needed).
        #expect(detect("noext", filler + "\n# -*- mode: python -*-\n" + filler + "\n")?.0 == "Python")
    }

    /// The gate in front of the modeline strategy changes no answer, and its regions are what
    /// they claim, on files built from modelines, fillers and every kind of line end (lines of
    /// up to 200 bytes, so that regions cross the 64-byte blocks the gate reads).
    @Test func modelineGateChangesNoAnswer() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let pieces = [
            "# vim: set ft=ruby:", "/* -*- mode: python -*- */", "vi:ft=perl", " ex: syntax=sh", "Vim600: filetype=c:",
            "-*- C -*-", "key: value", "a - b", "x", "", String(repeating: "y", count: 150), "UseVimball",
        ]
        let endings = ["\n", "\r", "\r\n"]
        var modelines = 0
        for _ in 0..<4000 {
            var text = ""
            for _ in 0..<next(25) {
                text += pieces[next(pieces.count)] + endings[next(endings.count)]
            }
            if next(2) == 0 { text += pieces[next(pieces.count)] }
            let bytes = Array(text.utf8)
            bytes.withUnsafeBytes { data in
                let gated = LinguistEngine.shared.modeline(data)
                #expect(gated == LinguistEngine.shared.modelineExact(data), "\(text.debugDescription)")
                if gated != nil { modelines += 1 }
                // The regions, by a plain count of line-end bytes.
                let ends = bytes.indices.filter { bytes[$0] == 0x0A || bytes[$0] == 0x0D }
                let head = ends.count >= 10 ? ends[9] + 1 : (ends.last.map { $0 + 1 } ?? 0)
                let foot = ends.count >= 7 ? ends[ends.count - 7] : 0
                #expect(LinguistEngine.afterLineEndBytes(data, 10) == head)
                #expect(LinguistEngine.lineEndByteFromEnd(data, 7) == foot)
            }
        }
        #expect(modelines > 500)
    }

    @Test func garbageIsSafe() {
        var junk: [UInt8] = []
        for k in 0 ..< 200_000 { junk.append(UInt8(truncatingIfNeeded: k &* 2654435761 >> 7)) }
        for name in ["x.h", "x.pl", "x.m", "x.ts", "x.1", "x", "x.inc"] {
            var n = name
            _ = n.withUTF8 { nb in junk.withUnsafeBytes { LinguistEngine.shared.detect(name: nb, data: $0) } }
        }
        // Modelines and shebangs made of garbage bytes.
        let hostile: [[UInt8]] = [
            Array("-*- mode: \u{FF}\u{FE} -*-\n".utf8), Array("# vim: set ft=\u{0}\u{1B}[31m:\n".utf8),
            [0x23, 0x21, 0xFF, 0x2F, 0x00], Array(repeating: UInt8(ascii: "-"), count: 100_000) + Array("*-".utf8),
        ]
        for bytes in hostile {
            var n = "file"
            _ = n.withUTF8 { nb in bytes.withUnsafeBytes { LinguistEngine.shared.detect(name: nb, data: $0) } }
        }
    }

    /// The one-pass check in front of a disambiguation's rules changes no answer: on texts
    /// that fire each kind of rule, alone and two by two (so that a later rule's pattern is
    /// present where an earlier one's is not, and the other way round), and on texts that fire
    /// none.
    @Test func onePassRuleOutAgreesWithRuleByRule() {
        let snippets = Self.cases.map(\.1) + Self.classifierCases.map(\.1) + [
            "", "\n", "plain text\n", "int x;\n", "template <class T> struct A;\n", "  std::vector<int> v;\n",
            "@end\n", "#import \"a.h\"\n", "namespace x {\n", "public:\n", ":- module(a).\n", "use v6;\n",
            "my class A {}\n", "%% comment\n", "(* x *)\n", "<?php\n", "#declare X = 1;\n", "\\documentclass{article}\n",
            "<!DOCTYPE html>\n", "SELECT 1;\nCREATE TABLE t (a int);\n", "BEGIN\n  NULL;\nEND;\n", "begin\nend.\n",
            "module m;\nendmodule\n", "Proof.\nQed.\n", "#version 330\n", "let x = 1\n", ": foo 1 2 + ;\n",
            "<TS version=\"2.1\">\n", "#pragma version(1)\n", "fn main() {}\n", "[Setup]\nAppName=x\n",
        ]
        var texts = snippets
        for a in snippets.prefix(40) { for b in snippets.suffix(30) { texts.append(a + b); texts.append(b + a) } }
        var checked = 0
        var onePass = 0
        for d in LinguistEngine.shared.disambiguations {
            if d.rulesOutInOnePass { onePass += 1 }
            for text in texts {
                Array(text.utf8).withUnsafeBytes { data in
                    #expect(d.run(data) == d.runRuleByRule(data), "\(d.extensions.map { String(decoding: $0, as: UTF8.self) }): \(text.debugDescription)")
                }
                checked += 1
            }
        }
        #expect(onePass >= 10)
        #expect(checked > 50_000)
        // `.h`: Objective-C, C++, else C — one pass for the C headers.
        let header = LinguistEngine.shared.disambiguations.first { $0.extensions == [Array(".h".utf8)] }
        #expect(header?.rulesOutInOnePass == true)
    }

    /// The engine builds its path prefilter from literals the generator wrote (so that start-up
    /// parses no path pattern); they must be what parsing each pattern gives, or the prefilter
    /// would rule out paths a pattern matches. Two patterns worked by hand: `(^|/)cache/` needs
    /// `cache/`; `(^|/)[a-z]+x?$` has no literal a match must contain.
    @Test func generatedPathLiteralsAreThePatternsOwn() throws {
        let lists: [([String], [[RequiredLiteral]])] = [
            (LinguistRules.vendoredPatterns, LinguistRules.vendoredLiterals),
            (LinguistRules.documentationPatterns, LinguistRules.documentationLiterals),
            (LinguistRules.generatedPathPatterns.map(\.pattern), LinguistRules.generatedPathLiterals),
        ]
        var checked = 0
        for (patterns, literals) in lists {
            #expect(patterns.count == literals.count)
            for (pattern, generated) in zip(patterns, literals) {
                let parsed = try DeferredRegex(pattern).requiredLiteralsIgnoringCase
                #expect(generated.map { Array($0.text.utf8) } == parsed.map(\.bytes), "\(pattern)")
                #expect(generated.map(\.caseInsensitive) == parsed.map(\.caseInsensitive), "\(pattern)")
                checked += 1
            }
        }
        #expect(checked > 200)
        let cache = try #require(LinguistRules.vendoredPatterns.firstIndex(of: "(^|/)cache/"))
        #expect(LinguistRules.vendoredLiterals[cache] == [RequiredLiteral("cache/", caseInsensitive: false)])
        #expect(try DeferredRegex("(^|/)[a-z]+x?$").requiredLiteralsIgnoringCase.isEmpty)
    }

    /// Shipped patterns answered as plain literals (``ByteRegex/plainLiteral(_:)``: content-rule
    /// line tests, path rules) agree with the compiled pattern on texts that hold the literal at
    /// the start, after a `/` or a `\n`, inside, at the end, cut short, or not at all.
    @Test func shippedPlainLiteralPatternsAgreeWithTheirRegex() throws {
        var patterns: [String] = LinguistRules.vendoredPatterns + LinguistRules.documentationPatterns
        patterns += LinguistRules.generatedPathPatterns.map(\.pattern)
        for rule in LinguistRules.generatedContentRules {
            if let path = rule.pathPattern { patterns.append(path) }
            for test in rule.all + rule.any where test.check == .pattern { patterns += test.needles }
        }
        var checked = 0
        for pattern in patterns {
            guard let plain = ByteRegex.plainLiteral(pattern) else { continue }
            let regex = try ByteRegex(pattern)
            let literal = plain.bytes
            let texts: [[UInt8]] = [
                literal, literal + Array(" tail".utf8), Array("x ".utf8) + literal, Array("a/".utf8) + literal,
                Array("a\n".utf8) + literal + Array("\nb".utf8), Array("ax".utf8) + literal + Array("/c".utf8),
                Array(literal.dropLast()), Array(literal.dropFirst()), [], Array("\r".utf8) + literal,
                literal + Array("\r".utf8),
            ]
            for text in texts {
                let expected = text.withUnsafeBytes { regex.matches($0) }
                #expect(text.withUnsafeBytes { plain.matches($0) } == expected, "\(pattern) on \(String(decoding: text, as: UTF8.self))")
            }
            checked += 1
        }
        // Linguist 9.6: "^// Code generated .*", "(^|/)testdata/", "ppport\\.h$" and others.
        #expect(checked >= 20, "\(checked)")
    }

    @Test func everyShippedPatternCompiles() {
        // Path and generated-content patterns are parsed and compiled on first use; compile every
        // one of them here.
        let compileProblems = LinguistEngine().compileProblems()
        #expect(compileProblems.isEmpty, "\(compileProblems)")
        // Heuristics compile lazily; compile every one of them here.
        for d in LinguistRules.disambiguations {
            for pattern in Self.patterns(d.rules.map(\.condition)) {
                #expect((try? ByteRegex(pattern)) != nil, "\(d.extensions): \(pattern)")
            }
        }
        #expect(LinguistEngine.shared.disambiguations.count == LinguistRules.disambiguations.count)
    }

    static func patterns(_ conditions: [HeuristicCondition]) -> [String] {
        conditions.flatMap { c -> [String] in
            switch c {
            case .always: return []
            case .pattern(let ps), .negativePattern(let ps): return ps
            case .named(let n): return LinguistRules.namedPatterns[n] ?? []
            case .and(let cs): return patterns(cs)
            }
        }
    }
}
