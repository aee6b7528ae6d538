import CensusGoModules
import CensusLanguages
import CensusScan
import Testing

@Suite("go.mod files met by a scan")
struct GoModuleScanTests {
    @Test("every go.mod is parsed, with its category and whether it vendors")
    func recorded() throws {
        let tree = TemporaryTree()
        tree.write("go.mod", "module example.com/a\n\ngo 1.21\n\nrequire (\n\tgolang.org/x/text v0.3.0\n\tgithub.com/b/c v1.0.0 // indirect\n)\n")
        tree.write("tools/go.mod", "module example.com/a/tools\n\nrequire example.com/a v0.0.0\n\nreplace example.com/a => ../\n")
        tree.write("tools/vendor/modules.txt", "# example.com/a v0.0.0 => ../\n## explicit\n")
        tree.write("vendor/github.com/b/c/go.mod", "module github.com/b/c\n")
        tree.write("bad/go.mod", "module\n")  // malformed: recorded with its error
        let report = scan([tree.path])
        let byPath = Dictionary(uniqueKeysWithValues: report.goModules.map { (String(decoding: $0.relativePath, as: UTF8.self), $0) })
        #expect(byPath.keys.sorted() == ["bad/go.mod", "go.mod", "tools/go.mod", "vendor/github.com/b/c/go.mod"])
        let top = try #require(byPath["go.mod"])
        #expect(top.file.module?.path == "example.com/a")
        #expect(top.file.goVersion == "1.21")
        #expect(top.file.requirements.map(\.path) == ["golang.org/x/text", "github.com/b/c"])
        #expect(top.file.requirements.map(\.isIndirect) == [false, true])
        #expect(top.usesVendor == false)
        #expect(top.category == .own)
        let tools = try #require(byPath["tools/go.mod"])
        #expect(tools.usesVendor == true)
        #expect(tools.file.replacements.count == 1)
        #expect(byPath["vendor/github.com/b/c/go.mod"]?.category == .vendored)
        #expect((byPath["bad/go.mod"]?.file.errorCount ?? 0) > 0)
    }
}
