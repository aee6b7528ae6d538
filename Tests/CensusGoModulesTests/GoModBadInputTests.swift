import CensusGoModules
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Hostile and broken go.mod files: the parser never crashes, reports each problem at its line
/// and column, and keeps everything else.
@Suite("go.mod bad input")
struct GoModBadInputTests {
    /// `file:line:column: error|warning: message`, with a line and column inside the file.
    static func expectWellFormed(_ file: GoModFile, lines: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        for d in file.diagnostics {
            #expect(d.file == file.fileName, sourceLocation: sourceLocation)
            #expect(d.location.line >= 1 && d.location.line <= lines + 1, "\(d)", sourceLocation: sourceLocation)
            #expect(d.location.column >= 1, "\(d)", sourceLocation: sourceLocation)
            #expect(d.description.hasPrefix("\(file.fileName):\(d.location.line):\(d.location.column): \(d.severity.rawValue): "), sourceLocation: sourceLocation)
            #expect(!d.message.isEmpty, sourceLocation: sourceLocation)
        }
    }

    static func lines(_ bytes: [UInt8]) -> Int { bytes.filter { $0 == UInt8(ascii: "\n") }.count + 1 }

    @Test func everyPrefixOfAFileParses() throws {
        let whole = try Fixtures.bytes("gomod/all-directives.mod")
        for cut in 0...whole.count {
            let prefix = Array(whole[..<cut])
            let file = GoModFile(parsing: prefix, fileName: "cut.mod")
            Self.expectWellFormed(file, lines: Self.lines(prefix))
            _ = file.goModEditJSON()
        }
    }

    @Test func byteOrderMarkIsAnErrorAndTheRestIsRead() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("module example.com/bom\nrequire example.com/a v1.0.0\n".utf8)
        let file = GoModFile(parsing: bytes, fileName: "bom.mod")
        #expect(file.diagnostics.map(\.description) == [
            "bom.mod:1:1: error: unexpected byte order mark (U+FEFF) at the start of the file; the go command rejects it, remove it"
        ])
        #expect(file.module?.path == "example.com/bom")
        #expect(file.requirements.map(\.path) == ["example.com/a"])
    }

    @Test func unknownDirectivesAreReportedAndSkipped() {
        let text = "module m\nfrobnicate x y\nrequire a v1.0.0\n  go1.21 x\nfoo (\n\tbar\n)\nrequire b v1.0.0\ngo (\n)\n"
        let file = GoModFile(parsing: Array(text.utf8), fileName: "go.mod")
        #expect(file.requirements.map(\.path) == ["a", "b"])
        #expect(file.diagnostics.map(\.location) == [
            GoSourceLocation(line: 2, column: 1), GoSourceLocation(line: 4, column: 3), GoSourceLocation(line: 5, column: 1),
            GoSourceLocation(line: 9, column: 1),
        ])
        #expect(file.diagnostics.allSatisfy { $0.severity == .error })
        #expect(file.diagnostics[0].message.hasPrefix("unknown directive \"frobnicate\"; expected module, go, toolchain"))
        #expect(file.diagnostics[2].message.hasPrefix("unknown block type: \"foo\""))
    }

    @Test func unterminatedBlockKeepsItsLines() {
        let text = "module m\nrequire (\n\ta v1.0.0\n\tb v1.0.0 // indirect\n"
        let file = GoModFile(parsing: Array(text.utf8), fileName: "go.mod")
        #expect(file.requirements.map(\.path) == ["a", "b"])
        #expect(file.requirements.map(\.isIndirect) == [false, true])
        // Where the file ends, as the toolchain reports it, naming where the block opened.
        #expect(file.diagnostics.map(\.description) == [
            "go.mod:5:1: error: unterminated block: the file ends before the ')' that closes the \"require\" block opened at 2:1"
        ])
    }

    @Test func unterminatedStringsDropOnlyTheirLine() {
        let text = "module m\nrequire \"a v1.0.0\nrequire b v1.0.0\nrequire `c"
        let file = GoModFile(parsing: Array(text.utf8), fileName: "go.mod")
        #expect(file.requirements.map(\.path) == ["b"])
        #expect(file.diagnostics.map(\.location) == [GoSourceLocation(line: 2, column: 18), GoSourceLocation(line: 4, column: 9)])
    }

    @Test func slashStarCommentsAndJunkAfterParenthesesAreErrors() {
        let text = "module m\n/* no */\nrequire a v1.0.0 /* no */\nrequire (\n\tb v1.0.0\n) junk\nrequire c v1.0.0\n"
        let file = GoModFile(parsing: Array(text.utf8), fileName: "go.mod")
        #expect(file.requirements.map(\.path) == ["b", "c"])
        #expect(file.diagnostics.map(\.location) == [
            GoSourceLocation(line: 2, column: 1), GoSourceLocation(line: 3, column: 18), GoSourceLocation(line: 6, column: 3),
        ])
    }

    @Test func columnsCountRunesAsTheToolchainDoes() {
        // "é" is two bytes, one rune; the bad character after it is in column 10.
        let text = "module m\nrequire é\u{7F} v1.0.0\n"
        let file = GoModFile(parsing: Array(text.utf8), fileName: "go.mod")
        #expect(file.diagnostics.map(\.location) == [GoSourceLocation(line: 2, column: 10)])
    }

    /// Deterministic pseudo-random bytes (a linear congruential generator), NULs and all.
    static func junk(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    @Test(arguments: [1, 2, 3, 4])
    func binaryJunkParsesWithBoundedDiagnostics(_ seed: UInt64) {
        let bytes = Self.junk(count: 256 * 1024, seed: seed)
        let file = GoModFile(parsing: bytes, fileName: "junk.mod")
        #expect(file.hasErrors)
        #expect(file.diagnostics.count == 200)
        #expect(file.suppressedDiagnosticCount > 0)
        Self.expectWellFormed(file, lines: Self.lines(bytes))
        _ = file.goModEditJSON()
    }

    @Test func junkInsideAValidFileCostsOnlyItsLines() {
        let bytes = Array("module m\nrequire a v1.0.0\n".utf8) + Self.junk(count: 300, seed: 9).map { $0 == 0x0A ? 0 : $0 }
            + Array("\nrequire b v1.0.0\n".utf8)
        let file = GoModFile(parsing: bytes, fileName: "go.mod")
        #expect(file.requirements.map(\.path) == ["a", "b"])
        #expect(file.diagnostics.map(\.location.line) == [3])
    }

    /// 10 MB of require lines in one block: every line is read and becomes one requirement.
    /// (The memory this takes is measured in a process of its own by bench/gomod-bench.sh's
    /// memory part: a resident-size check here was process-wide, so other suites running at the
    /// same time made it fail now and then.)
    @Test func tenMegabytesOfRequirements() {
        var bytes = Array("module example.com/big\n\nrequire (\n".utf8)
        bytes.reserveCapacity(10_500_000)
        var expected = 0
        while bytes.count < 10 * 1024 * 1024 {
            bytes += Array("\texample.com/owner\(expected % 977)/repository\(expected) v1.\(expected % 50).\(expected % 7) // indirect\n".utf8)
            expected += 1
        }
        bytes += Array(")\n".utf8)
        let file = GoModFile(parsing: bytes, fileName: "big.mod")
        #expect(file.requirements.count == expected)
        #expect(file.requirements.allSatisfy { $0.isIndirect })
        #expect(file.requirements.last?.path == "example.com/owner\((expected - 1) % 977)/repository\(expected - 1)")
        #expect(file.diagnostics.isEmpty)
    }

    @Test func cyclicRequirementsAreJustData() throws {
        let file = GoModFile(parsing: try Fixtures.bytes("gomod/cycle.mod"), fileName: "cycle.mod")
        #expect(file.requirements.map(\.path) == ["example.com/cycle", "example.com/back"])
        #expect(file.diagnostics.isEmpty)
    }
}
