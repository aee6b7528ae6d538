import CensusLanguages
import Testing

struct DetectionCase: Sendable, CustomTestStringConvertible {
    var file: String
    var content: String
    var language: String
    var strategy: DetectionStrategy
    var testDescription: String { file }
}

/// Expected languages are what github-linguist 7.22.1 (Debian's) answers for the same name and
/// content; the strategy is the Linguist strategy that decides.
@Suite("Language detection")
struct DetectionTests {
    static let cases: [DetectionCase] = [
        .init(file: "Makefile", content: "all:\n", language: "Makefile", strategy: .filename),
        .init(file: "Dockerfile", content: "FROM x\n", language: "Dockerfile", strategy: .filename),
        .init(file: "go.mod", content: "module x\n", language: "Go Module", strategy: .filename),
        .init(file: "go.sum", content: "", language: "Go Checksums", strategy: .filename),
        .init(file: ".bashrc", content: "", language: "Shell", strategy: .filename),
        // Extensions are matched without regard to case; the longest extension wins.
        .init(file: "main.go", content: "package main\n", language: "Go", strategy: .extension),
        .init(file: "FOO.C", content: "int x;\n", language: "C", strategy: .extension),
        .init(file: "README.MD", content: "# x\n", language: "Markdown", strategy: .defaultChoice),  // .md: Markdown or GCC Machine Description
        .init(file: "MAIN.GO", content: "", language: "Go", strategy: .extension),
        .init(file: "build.cmake.in", content: "", language: "CMake", strategy: .extension),
        // Shebangs: env, env -S, assignments, versioned interpreters, spaces, the sh exec trick.
        .init(file: "s1", content: "#!/usr/bin/env python3\nx = 1\n", language: "Python", strategy: .shebang),
        // Linguist 9.6 gives deno, node and bun to JavaScript and TypeScript: the documented default.
        .init(file: "s2", content: "#!/usr/bin/env -S deno run\n", language: "TypeScript", strategy: .defaultChoice),
        .init(file: "s3", content: "#!/usr/local/bin/python3.11\n", language: "Python", strategy: .shebang),
        .init(file: "s4", content: "#!/bin/sh\nexec tclsh \"$0\" \"$@\"\n", language: "Tcl", strategy: .shebang),
        .init(file: "s6", content: "#!/usr/bin/env FOO=bar node\n", language: "JavaScript", strategy: .defaultChoice),
        .init(file: "s7", content: "#!/bin/bash\r\necho\r\n", language: "Shell", strategy: .shebang),
        // Linguist tries the shebang before the extension.
        .init(file: "t.sh", content: "#!/usr/bin/env python\n", language: "Python", strategy: .shebang),
        // Ambiguous: the documented first choice, with the candidates.
        .init(file: "a.h", content: "int x;\n", language: "C", strategy: .defaultChoice),
        .init(file: "x.pl", content: "print 1;\n", language: "Perl", strategy: .defaultChoice),
        .init(file: "s5", content: "#! perl -w\n", language: "Perl", strategy: .defaultChoice),
    ]

    @Test(arguments: cases)
    func detects(_ c: DetectionCase) throws {
        let result = try #require(LanguageDetector().detect(fileName: c.file, prefix: Array(c.content.utf8)))
        #expect(LanguageTable[result.language].name == c.language)
        #expect(result.strategy == c.strategy)
    }

    @Test func ambiguityListsCandidates() throws {
        let result = try #require(LanguageDetector().detect(fileName: "a.h"))
        #expect(Set(result.candidates.map { LanguageTable[$0].name }) == ["C", "C++", "Objective-C"])
    }

    @Test func unknownFiles() {
        #expect(LanguageDetector().detect(fileName: "notes.unknownext") == nil)
        #expect(LanguageDetector().detect(fileName: "noextension", prefix: Array("plain\n".utf8)) == nil)
        #expect(LanguageDetector().detect(fileName: "x", prefix: Array("#!/usr/bin/env\n".utf8)) == nil)
        #expect(LanguageDetector().detect(fileName: "x", prefix: Array("#!".utf8)) == nil)
    }

    @Test func garbageShebangsAreSafe() {
        let garbage: [[UInt8]] = [
            [0x23, 0x21, 0xFF, 0xFE, 0x00, 0x0A], [0x23, 0x21, 0x2F], [0x23, 0x21, 0x20, 0x20],
            Array("#!/usr/bin/env -S -i".utf8), Array("#!/bin/sh\nexec $0 $@".utf8),
            [0x23, 0x21] + Array(repeating: 0x2F, count: 100_000),
            Array("#!/usr/bin/env ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 100_000),
        ]
        for bytes in garbage {
            _ = LanguageDetector().detect(fileName: "x", prefix: bytes)
        }
        #expect(Shebang.interpreter(in: UnsafeRawBufferPointer(start: nil, count: 0)) == nil)
    }

    @Test func interpreterParsing() {
        func interp(_ s: String) -> String? {
            Array(s.utf8).withUnsafeBytes { Shebang.interpreter(in: $0) }.map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(interp("#!/usr/bin/env python3\n") == "python3")
        #expect(interp("#!/usr/bin/python2.7\n") == "python2")
        #expect(interp("#! /usr/bin/env   -vS  ruby -w\n") == "ruby")
        #expect(interp("#!/usr/bin/env --debug node\n") == "node")
        #expect(interp("#!perl\n") == "perl")
        #expect(interp("#!/usr/bin/osascript -l JavaScript\n") == nil)
        #expect(interp("#!/usr/bin/env\n") == nil)
        #expect(interp("not a shebang") == nil)
    }
}
