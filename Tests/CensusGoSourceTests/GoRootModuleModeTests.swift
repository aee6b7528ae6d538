import Foundation
import Testing

@testable import CensusGoSource

/// A GOROOT `src` (module std, nested module cmd, both with vendor directories) in module
/// layout: the go command names and imports GOROOT's vendored packages by `vendor/…` and
/// `cmd/vendor/…` paths in module mode too, and its `./...` leaves out the pseudo-package
/// builtin (found by bench/go-source-compare.py --modules on /usr/share/go-1.19/src, where
/// `go list -json` says `vendor/golang.org/x/crypto/cryptobyte` in crypto/ecdsa's Imports).
@Suite struct GoRootModuleMode {
    static func makeGoroot() throws -> String {
        let root = NSTemporaryDirectory() + "census-goroot-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        func write(_ relative: String, _ text: String) throws { try GoSourceIntegration.write(root + "/" + relative, text) }
        try write("src/go.mod", "module std\n\ngo 1.19\n")
        try write("src/vendor/golang.org/x/v/v.go", "package v\n")
        try write("src/a/a.go", "package a\n\nimport (\n\t\"golang.org/x/v\"\n\t\"fmt\"\n)\n")
        try write("src/fmt/fmt.go", "package fmt\n")
        try write("src/builtin/builtin.go", "package builtin\n\ntype bool bool\n")
        try write("src/cmd/go.mod", "module cmd\n\ngo 1.19\n")
        try write("src/cmd/vendor/golang.org/x/w/w.go", "package w\n")
        try write("src/cmd/tool/main.go", "package main\n\nimport \"golang.org/x/w\"\n\nfunc main() { w.F() }\n")
        return root
    }

    @Test func vendoredImportsAndBuiltinAsGoListInModuleMode() throws {
        let root = try Self.makeGoroot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let tree = try GoDirectoryTree(path: root + "/src")
        let module = GoPackageLoader.load(tree, options: GoLoadOptions(layout: .module, jobs: 2))
        #expect(module.layout == .module)
        #expect(module.packages.map(\.importPath) == ["a", "cmd/tool", "cmd/vendor/golang.org/x/w", "fmt", "vendor/golang.org/x/v"])
        #expect(module.package("a")?.imports == ["fmt", "vendor/golang.org/x/v"])
        #expect(module.package("cmd/tool")?.imports == ["cmd/vendor/golang.org/x/w"])
        #expect(module.package("a")?.module == "std")
        #expect(module.package("cmd/tool")?.module == "cmd")

        // GOPATH layout (what auto picks for a GOROOT): the same imports, and builtin listed.
        let gopath = GoPackageLoader.load(tree, options: GoLoadOptions(jobs: 2))
        #expect(gopath.layout == .gopath)
        #expect(gopath.packages.map(\.importPath) == ["a", "builtin", "cmd/tool", "cmd/vendor/golang.org/x/w", "fmt", "vendor/golang.org/x/v"])
        #expect(gopath.package("a")?.imports == ["fmt", "vendor/golang.org/x/v"])
        #expect(gopath.package("cmd/tool")?.imports == ["cmd/vendor/golang.org/x/w"])
    }

    @Test func anOrdinaryModuleKeepsImportsAsWritten() throws {
        let root = NSTemporaryDirectory() + "census-mod-vendor-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (relative, text) in [
            ("go.mod", "module example.com/m\n\ngo 1.19\n"), ("vendor/golang.org/x/v/v.go", "package v\n"),
            ("a/a.go", "package a\n\nimport (\n\t\"github.com/o/r/v2/c\"\n\t\"golang.org/x/v\"\n)\n"), ("builtin/b.go", "package builtin\n"),
            // `go mod vendor` copies a package's go.mod when the package is its module's root.
            ("vendor/golang.org/x/v/go.mod", "module golang.org/x/v\n"),
            ("vendor/github.com/o/r/v2/c/c.go", "package c\n"),
            (
                "vendor/modules.txt",
                "# github.com/o/r/v2 v2.1.0\n## explicit; go 1.17\ngithub.com/o/r/v2/c\n# golang.org/x/v v0.1.0\n## explicit\ngolang.org/x/v\n"
            ),
        ] {
            let path = root + "/" + relative
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: false, encoding: .utf8)
        }
        let set = GoPackageLoader.load(try GoDirectoryTree(path: root), options: GoLoadOptions(jobs: 1))
        #expect(set.layout == .module)
        // go list -mod=vendor: packages github.com/o/r/v2/c and golang.org/x/v, imported as
        // written, of the modules vendor/modules.txt names (a go.mod inside vendor/ starts no
        // module); a directory named builtin in a module is an ordinary package.
        #expect(set.packages.map(\.importPath) == ["example.com/m/a", "example.com/m/builtin", "github.com/o/r/v2/c", "golang.org/x/v"])
        #expect(set.package("example.com/m/a")?.imports == ["github.com/o/r/v2/c", "golang.org/x/v"])
        #expect(set.package("golang.org/x/v")?.isVendored == true)
        #expect(set.package("golang.org/x/v")?.module == "golang.org/x/v")
        #expect(set.package("github.com/o/r/v2/c")?.isVendored == true)
        #expect(set.package("github.com/o/r/v2/c")?.module == "github.com/o/r/v2")
    }
}
