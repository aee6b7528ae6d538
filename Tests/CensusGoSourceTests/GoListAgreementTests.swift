import CensusTestSupport
import Foundation
import Testing

@testable import CensusGoSource

/// The fixture GOPATH against the Go toolchain itself (`go list -e -json`, GOPATH mode,
/// linux/amd64, cgo on). Skipped, with a message, where `go` is not installed.
@Suite struct GoListAgreement {
    static let go = ["/usr/bin/go", "/usr/lib/go-1.19/bin/go", "/usr/local/go/bin/go"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test func fixtureEqualsGoList() throws {
        guard let go = Self.go else {
            print("GoListAgreement: skipped: no go command (install golang-go)")
            return
        }
        let set = try Fixture.load()
        let gopath = String(Fixture.root.dropLast("/src".count))
        let environment = [
            "GO111MODULE": "off", "GOPATH": gopath, "GOOS": "linux", "GOARCH": "amd64", "CGO_ENABLED": "1",
            "GOFLAGS": "", "HOME": NSTemporaryDirectory(), "GOCACHE": NSTemporaryDirectory() + "/census-gocache",
            "PATH": "/usr/bin:/bin",
        ]
        let data = try Spawned.run(
            ["/usr/bin/env", "-C", Fixture.root, go, "list", "-e", "-json", "./...", "./example.com/vend/vendor/example.org/dep"],
            environment: environment
        ).stdout
        // go list prints one JSON object after another; split them at top-level braces.
        var objects: [[String: Any]] = []
        var depth = 0
        var start = 0
        var inString = false
        var escaped = false
        let bytes = [UInt8](data)
        for (k, b) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            if b == UInt8(ascii: "\"") { inString = true }
            if b == UInt8(ascii: "{") {
                if depth == 0 { start = k }
                depth += 1
            } else if b == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0, let o = try JSONSerialization.jsonObject(with: Data(bytes[start...k])) as? [String: Any] {
                    objects.append(o)
                }
            }
        }
        #expect(objects.count == set.packages.count)
        for object in objects {
            let path = try #require(object["ImportPath"] as? String)
            let ours = try Fixture.package(set, path)
            func list(_ key: String) -> [String] { object[key] as? [String] ?? [] }
            #expect(ours.name == object["Name"] as? String ?? "", "\(path)")
            #expect(ours.goFiles == list("GoFiles"), "\(path)")
            #expect(ours.cgoFiles == list("CgoFiles"), "\(path)")
            #expect(ours.testGoFiles == list("TestGoFiles"), "\(path)")
            #expect(ours.xTestGoFiles == list("XTestGoFiles"), "\(path)")
            #expect(ours.ignoredGoFiles == list("IgnoredGoFiles"), "\(path)")
            #expect(ours.invalidGoFiles.sorted() == list("InvalidGoFiles").sorted(), "\(path)")
            #expect(ours.imports == list("Imports"), "\(path)")
            #expect(ours.testImports == list("TestImports"), "\(path)")
            #expect(ours.xTestImports == list("XTestImports"), "\(path)")
        }
    }
}
