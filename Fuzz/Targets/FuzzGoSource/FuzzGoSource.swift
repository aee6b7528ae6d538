// Fuzz target: Go source analysis (the import reader, the tokenizer, package clauses, imports,
// declarations and references) on up to three files of one package, read from memory.
//
// Input: files separated by NUL bytes (`a.go`, `b.go`, `c_test.go`). Checks that every file a
// package lists is one of them, that every problem's line lies in its file, and that loading twice
// gives the same packages and problems.
import CensusFuzzSupport
import CensusGoSource

/// One directory `p` holding the files, in memory.
struct MemoryTree: GoSourceTree {
    let files: [String: [UInt8]]
    var displayName: String { "fuzz" }
    var rootPath: String? { nil }
    var importPathPrefix: String? { "example.com/fuzz" }
    func listDirectories() -> (directories: [GoDirectoryListing], problems: [GoSourceProblem]) {
        ([GoDirectoryListing(path: "", goFiles: []), GoDirectoryListing(path: "p", goFiles: files.keys.sorted())], [])
    }
    func makeReader() -> any GoSourceFileReader { MemoryReader(files: files) }
}

final class MemoryReader: GoSourceFileReader {
    let files: [String: [UInt8]]
    init(files: [String: [UInt8]]) { self.files = files }
    func withContents(of relativePath: String, _ body: (UnsafeRawBufferPointer) -> Void) -> String? {
        let name = relativePath.split(separator: "/").last.map(String.init) ?? relativePath
        guard let bytes = files[name] else { return "no such file" }
        bytes.withUnsafeBytes(body)
        return nil
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGoSource(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    var files: [String: [UInt8]] = [:]
    for name in ["a.go", "b.go", "c_test.go"] where !input.isAtEnd {
        files[name] = [UInt8](input.take(upTo: 0))
    }
    let tree = MemoryTree(files: files)
    let first = GoPackageLoader.load(tree)
    let lineCounts = files.mapValues { $0.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 } }
    for package in first.packages {
        for file in package.goFiles + package.testGoFiles + package.xTestGoFiles + package.ignoredGoFiles + package.invalidGoFiles {
            fuzzCheck(files[file] != nil, "package \(package.importPath) lists \(file)")
        }
        for problem in package.problems + first.problems {
            let name = problem.path.split(separator: "/").last.map(String.init) ?? problem.path
            if let line = problem.line, let lines = lineCounts[name] {
                fuzzCheck(line >= 1 && line <= lines, "\(problem): line \(line) of \(lines)")
            }
        }
    }
    let second = GoPackageLoader.load(tree)
    fuzzCheck(first.packages.map(\.importPath) == second.packages.map(\.importPath), "loading is not deterministic")
    fuzzCheck(first.problems == second.problems, "problems differ between two loads")
    return 0
}

@main enum Main {
    static func main() {
        FuzzMain.run(
            FuzzTarget(
                name: "FuzzGoSource",
                fixtureDirectories: ["Tests/CensusGoSourceTests/Fixtures"],
                extraSeeds: [
                    Array("package p\n\nimport (\n\t\"fmt\"\n\tx \"example.com/fuzz/q\"\n)\n\n// F says hi.\nfunc F() { fmt.Println(x.Y{}, `raw`, 'r', 0x1p-2) }\n\0//go:build linux && !cgo\n\npackage p\n\nvar V = []int{1, 2}\n\0package p_test\n\nimport \"testing\"\n\nfunc TestF(t *testing.T) {}\n".utf8),
                ]
            ) { path, bytes in path.hasSuffix(".go") ? [bytes] : [] },
            fuzzGoSource)
    }
}
