// Fuzz target: .gitignore / .ignore and .gitattributes files, parsed and then matched against paths.
//
// Input: one selector byte (even: an ignore file; odd: an attributes file), the file's contents up
// to the first NUL, then paths separated by `\n` (a trailing `/` marks a directory). Checks that
// every line number a match reports is a line of the file, and that matching is deterministic.
import CensusFuzzSupport
import CensusScan

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRuleFiles(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let selector = input.byte()
    let contents = [UInt8](input.take(upTo: 0))
    var lines = 1
    for b in contents where b == 0x0A { lines += 1 }
    var paths: [[UInt8]] = []
    while !input.isAtEnd && paths.count < 64 { paths.append([UInt8](input.take(upTo: 0x0A))) }

    if selector & 1 == 0 {
        let file = IgnoreFile(contents: contents, origin: "fuzz/.gitignore")
        for diagnostic in file.diagnostics {
            fuzzCheck(diagnostic.line >= 1 && diagnostic.line <= lines, "diagnostic on line \(diagnostic.line) of \(lines)")
        }
        for var path in paths {
            let isDirectory = path.last == UInt8(ascii: "/")
            if isDirectory { path.removeLast() }
            path.withUnsafeBufferPointer { p in
                let match = file.match(p, isDirectory: isDirectory)
                let line = file.matchingLine(p, isDirectory: isDirectory)
                if let line { fuzzCheck(line >= 1 && line <= lines, "match on line \(line) of \(lines)") }
                fuzzCheck(file.match(p, isDirectory: isDirectory) == match, "ignore matching is not deterministic")
            }
        }
    } else {
        let top = GitAttributesFile(contents: contents, origin: "fuzz/.gitattributes", isTopLevel: true)
        let nested = GitAttributesFile(
            contents: contents, origin: "fuzz/sub/.gitattributes", macros: top.definedMacros, isTopLevel: false)
        for file in [top, nested] {
            for diagnostic in file.diagnostics {
                fuzzCheck(diagnostic.line >= 1 && diagnostic.line <= lines, "diagnostic on line \(diagnostic.line) of \(lines)")
            }
            for path in paths {
                path.withUnsafeBufferPointer { p in
                    for attribute in LinguistAttribute.allCases {
                        if let found = file.lookup(attribute, path: p) {
                            fuzzCheck(found.line >= 1 && found.line <= lines, "attribute on line \(found.line) of \(lines)")
                        }
                    }
                }
            }
        }
    }
    return 0
}

@main enum Main {
    static func main() {
        FuzzMain.run(
            FuzzTarget(
                name: "FuzzRuleFiles",
                fixtureDirectories: [],
                extraSeeds: [
                    [0] + Array("*.o\n!keep.o\n/build/\n**/tmp/**\n\\#x\n[a-z]?.c\n\0a.o\nkeep.o\nbuild/\nx/tmp/y\nq.c".utf8),
                    [1] + Array("[attr]gen linguist-generated\n*.pb.go gen\nvendor/** linguist-vendored=false\n\"a b\" linguist-language=C\n\0a.pb.go\nvendor/x/y.c\na b".utf8),
                    [0] + Array("a/**/b\n*\n!*/\n!*.swift\n\0a/x/y/b\nq.swift\nd/".utf8),
                ]
            ) { _, _ in [] },
            fuzzRuleFiles)
    }
}
