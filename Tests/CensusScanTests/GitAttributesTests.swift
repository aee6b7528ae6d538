import CensusTestSupport
import Foundation
import Testing

@testable import CensusScan

private func attributes(_ text: String, origin: String = ".gitattributes", top: Bool = true) -> GitAttributesFile {
    GitAttributesFile(contents: Array(text.utf8), origin: origin, isTopLevel: top)
}

/// The outcome of the lookup: `nil` when no line decides, `.some(nil)` for `!attr`.
private func value(_ file: GitAttributesFile, _ attribute: LinguistAttribute, _ path: String) -> AttributeValue?? {
    Array(path.utf8).withUnsafeBufferPointer { file.lookup(attribute, path: $0).map { $0.value } }
}

private let undecided: AttributeValue?? = .none

@Suite("gitattributes")
struct GitAttributesTests {
    @Test func setUnsetValueAndUnspecified() {
        let f = attributes("""
            *.js linguist-vendored
            lib/*.js -linguist-vendored
            *.rb linguist-language=Java
            gen/** linguist-generated=true
            gen/keep.c !linguist-generated
            docs/* linguist-documentation=false

            """)
        #expect(value(f, .vendored, "a.js") == .some(.set))
        #expect(value(f, .vendored, "lib/a.js") == .some(.unset))
        #expect(value(f, .vendored, "deep/lib/a.js") == .some(.set))  // anchored: only top-level lib/
        #expect(value(f, .language, "x/y.rb") == .some(.value("Java")))
        #expect(value(f, .generated, "gen/a/b.c") == .some(.value("true")))
        #expect(value(f, .generated, "gen/keep.c") == .some(nil))  // unspecified, decided by the last line
        #expect(value(f, .documentation, "docs/a.md") == .some(.value("false")))
        #expect(AttributeValue.value("false").linguistBoolean == false && AttributeValue.set.linguistBoolean)
        #expect(value(f, .vendored, "a.c") == undecided)
    }

    @Test func directoryPatternsDoNotApplyInside() {
        let f = attributes("vendor/ linguist-vendored\nthird_party linguist-vendored\n")
        #expect(value(f, .vendored, "vendor/a.c") == undecided)
        #expect(value(f, .vendored, "third_party/a.c") == undecided)  // matches the directory name only
        #expect(value(f, .vendored, "x/third_party") == .some(.set))  // a file with that name
    }

    @Test func macrosAndQuotedPatterns() {
        let f = attributes("[attr]thirdparty linguist-vendored -linguist-detectable\n\"with space.c\" thirdparty\n")
        #expect(value(f, .vendored, "with space.c") == .some(.set))
        #expect(value(f, .detectable, "with space.c") == .some(.unset))
        let below = GitAttributesFile(contents: Array("*.c thirdparty\n".utf8), origin: "sub/.gitattributes", macros: f.definedMacros)
        #expect(value(below, .vendored, "x.c") == .some(.set))
    }

    @Test func malformedLinesAreNamedAndSkipped() {
        let f = attributes("!*.c linguist-vendored\n*.c -bad=x=y linguist-vendored\n\"unterminated linguist-vendored\n*.h linguist-vendored\n[attr]m x\n", top: false)
        #expect(f.diagnostics.map(\.line) == [1, 3, 5])
        #expect(f.diagnostics.allSatisfy { $0.description.hasPrefix(".gitattributes:") })
        #expect(value(f, .vendored, "a.h") == .some(.set))
        // Line 2 is valid for git: "-bad=x=y" unsets "bad" (a value after "-" is ignored).
        #expect(value(f, .vendored, "a.c") == .some(.set))
    }

    @Test func garbageNeverCrashes() {
        var junk: [UInt8] = []
        for k in 0 ..< 20_000 { junk.append(UInt8(truncatingIfNeeded: k &* 7919 &+ k >> 3)) }
        let f = GitAttributesFile(contents: junk, origin: "junk")
        _ = value(f, .language, "a/b/c")
        let long = GitAttributesFile(contents: Array(repeating: UInt8(ascii: "*"), count: 1 << 20) + Array(" linguist-vendored\n".utf8), origin: "long")
        #expect(value(long, .vendored, "x") == .some(.set))
    }
}

/// Compares with `git check-attr` on a real repository: for every path and attribute, git's verdict.
@Suite("gitattributes compared with git check-attr")
struct GitAttributesReferenceTests {
    @Test func agreesWithGit() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/git") else {
            print("skipped: /usr/bin/git not found")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("census-attr-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files: [String: String] = [
            ".gitattributes": """
                # top level
                [attr]thirdparty linguist-vendored linguist-detectable=false
                *.js linguist-vendored
                *.min.js linguist-generated
                /build/** linguist-generated
                docs/** linguist-documentation
                docs/api/*.md -linguist-documentation
                *.inc linguist-language=PHP
                "odd name.c" linguist-language=C++
                lib/ext/** thirdparty
                sub/x.c linguist-vendored=false

                """,
            "sub/.gitattributes": "*.c linguist-detectable\n*.js !linguist-vendored\nx.c linguist-language=Go\n",
            "sub/deeper/.gitattributes": "*.c -linguist-detectable\n",
        ]
        let paths = [
            "a.js", "a.min.js", "build/out.c", "src/build/out.c", "docs/guide.md", "docs/api/ref.md", "docs/api/deep/x.md",
            "x.inc", "odd name.c", "lib/ext/a.c", "lib/ext/b/c.js", "sub/x.c", "sub/y.js", "sub/deeper/z.c",
            "sub/deeper/w.js", "other/q.c",
        ]
        for (path, text) in files {
            let full = dir + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        git.arguments = ["init", "-q", dir]
        git.environment = ["PATH": "/usr/bin:/bin", "HOME": dir, "GIT_CONFIG_NOSYSTEM": "1"]
        try git.run()
        git.waitUntilExit()

        let output = try Spawned.run(
            ["/usr/bin/git", "-C", dir, "check-attr", "-z"] + LinguistAttribute.allCases.map(\.name) + ["--"] + paths,
            environment: ["PATH": "/usr/bin:/bin", "HOME": dir, "GIT_CONFIG_NOSYSTEM": "1", "GIT_ATTR_NOSYSTEM": "1"]
        ).stdout
        let fields = output.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }

        // Build the chain the scanner would: root file, then sub, then sub/deeper.
        let top = GitAttributesFile(contents: Array(files[".gitattributes"]!.utf8), origin: ".gitattributes", isTopLevel: true)
        let sub = GitAttributesFile(contents: Array(files["sub/.gitattributes"]!.utf8), origin: "sub/.gitattributes", macros: top.definedMacros)
        let deeper = GitAttributesFile(contents: Array(files["sub/deeper/.gitattributes"]!.utf8), origin: "sub/deeper/.gitattributes", macros: top.definedMacros)
        let rootChain = AttributesChain(file: top, baseLength: 0, parent: nil, info: nil)
        let subChain = AttributesChain(file: sub, baseLength: 4, parent: rootChain, info: nil)
        let deeperChain = AttributesChain(file: deeper, baseLength: 11, parent: subChain, info: nil)

        var compared = 0
        var index = 0
        while index + 2 < fields.count {
            let (path, name, gitValue) = (fields[index], fields[index + 1], fields[index + 2])
            index += 3
            let attribute = try #require(LinguistAttribute.allCases.first { $0.name == name })
            let chain = path.hasPrefix("sub/deeper/") ? deeperChain : path.hasPrefix("sub/") ? subChain : rootChain
            let ours = Array(path.utf8).withUnsafeBufferPointer { chain.value(attribute, path: $0)?.0 }
            let rendered: String
            switch ours {
            case nil: rendered = "unspecified"
            case .set?: rendered = "set"
            case .unset?: rendered = "unset"
            case .value(let v)?: rendered = v
            }
            #expect(rendered == gitValue, "\(path) \(name)")
            compared += 1
        }
        #expect(compared == paths.count * LinguistAttribute.allCases.count)
    }
}
