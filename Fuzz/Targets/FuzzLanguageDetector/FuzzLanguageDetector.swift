// Fuzz target: language detection and Linguist's exclusion rules, on any path and any content.
//
// Input: a path (up to the first NUL), then the file's first bytes. Runs the basic detector (name,
// shebang, extension), the full Linguist order (`classify`: modeline, filename, shebang, extension,
// XML, man page, heuristics, default; vendored, documentation and generated checks) and the path
// rule sets. Checks that every language returned is in the table and that classifying the same
// input twice gives the same answer (the engine keeps no state between files).
import CensusFuzzSupport
import CensusLanguages

private let engine = LinguistEngine()
private let detector = LanguageDetector()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLanguageDetector(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let path = input.take(upTo: 0)
    let content = input.rest()
    var nameStart = path.count
    while nameStart > 0 && path[nameStart - 1] != UInt8(ascii: "/") { nameStart -= 1 }
    let name = UnsafeRawBufferPointer(rebasing: path[nameStart...]).bindMemory(to: UInt8.self)

    if let basic = detector.detect(fileName: name, prefix: content) {
        fuzzCheck(basic.language.index < LanguageTable.count, "basic detection gave \(basic.language.rawValue)")
    }
    let first = engine.classify(path: path, name: name, data: content)
    if let first {
        fuzzCheck(first.detection.language.index < LanguageTable.count, "classify gave \(first.detection.language.rawValue)")
        for candidate in first.detection.candidates {
            fuzzCheck(candidate.index < LanguageTable.count, "candidate \(candidate.rawValue)")
        }
    }
    let second = engine.classify(path: path, name: name, data: content)
    fuzzCheck(
        first?.detection == second?.detection && first?.category == second?.category,
        "classify is not deterministic: \(String(describing: first?.detection)) then \(String(describing: second?.detection))")
    _ = engine.pathCategory(path)
    _ = engine.generatedRule(path: path, data: content)
    return 0
}

@main enum Main {
    static func main() {
        FuzzMain.run(
            FuzzTarget(
                name: "FuzzLanguageDetector",
                fixtureDirectories: ["Tests/CensusCountingTests/Fixtures", "Tests/CensusGoModulesTests/Fixtures"],
                extraSeeds: [
                    Array("src/foo.h\0#import <Foundation/Foundation.h>\n@interface A\n@end\n".utf8),
                    Array("node_modules/x/index.min.js\0var a=1;".utf8),
                    Array("script\0#!/usr/bin/env python3\n# -*- mode: ruby -*-\n".utf8),
                    Array("a.pl\0use strict;\n".utf8),
                    Array("doc/a.md\0# vim: set ft=c:\n".utf8),
                ]
            ) { path, bytes in
                [Array(path.utf8) + [0] + bytes]
            },
            fuzzLanguageDetector)
    }
}
