// Fuzz target: go.mod, go.sum, go.work and vendor/modules.txt.
//
// Input: one selector byte (modulo 4: go.mod, go.sum, go.work, modules.txt), then the file.
// Checks that every diagnostic and every location points at a line of the file, that at most 200
// diagnostics are kept, and for go.mod that `go mod edit -json` output round-trips: it is valid
// JSON (Foundation's parser reads it) and reading it back gives the parsed model's module, go and
// toolchain versions, godebug settings, requirements, exclusions, replacements, retractions,
// tools and ignored paths, field for field.
import CensusFuzzSupport
import CensusGoModules
import Foundation

private func lineCount(_ bytes: UnsafeRawBufferPointer) -> Int {
    var lines = 1
    for b in bytes where b == 0x0A { lines += 1 }
    return lines
}

private func checkDiagnostics(_ diagnostics: [GoModulesDiagnostic], lines: Int, _ kind: String) {
    fuzzCheck(diagnostics.count <= 200, "\(kind): \(diagnostics.count) diagnostics kept")
    for d in diagnostics {
        fuzzCheck(d.location.line >= 1 && d.location.line <= lines, "\(kind): diagnostic at \(d.location) of \(lines) lines: \(d)")
    }
}

private func checkLocation(_ location: GoSourceLocation, lines: Int, _ what: String) {
    fuzzCheck(location.line >= 1 && location.line <= lines, "\(what) at \(location) of \(lines) lines")
}

/// `nil` for an absent or empty string, as the JSON leaves those out.
private func text(_ value: Any?) -> String? { (value as? String).flatMap { $0.isEmpty ? nil : $0 } }
private func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
private func objects(_ value: Any?) -> [[String: Any]] { (value as? [[String: Any]]) ?? [] }

private func checkJSON(_ file: GoModFile) {
    let json = file.goModEditJSON()
    guard let decoded = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
        fuzzCheck(false, "go mod edit -json output is not valid JSON:\n\(json)")
        return
    }
    func same(_ a: String?, _ b: String?, _ what: String) {
        fuzzCheck(a == b, "JSON \(what) \(String(describing: a)) != model \(String(describing: b))\n\(json)")
    }
    let module = decoded["Module"] as? [String: Any]
    same((module?["Path"] as? String) ?? "", file.module?.path ?? "", "Module.Path")
    same(text(module?["Deprecated"]), nonEmpty(file.module?.deprecated), "Module.Deprecated")
    same(text(decoded["Go"]), nonEmpty(file.goVersion), "Go")
    same(text(decoded["Toolchain"]), nonEmpty(file.toolchain), "Toolchain")
    let godebug = objects(decoded["GoDebug"])
    fuzzCheck(godebug.count == file.godebug.count, "GoDebug count \(godebug.count) != \(file.godebug.count)")
    for (j, g) in zip(godebug, file.godebug) {
        same(j["Key"] as? String, g.key, "GoDebug.Key")
        same(j["Value"] as? String, g.value, "GoDebug.Value")
    }
    let require = objects(decoded["Require"])
    fuzzCheck(require.count == file.requirements.count, "Require count \(require.count) != \(file.requirements.count)")
    for (j, r) in zip(require, file.requirements) {
        same(j["Path"] as? String, r.path, "Require.Path")
        same(text(j["Version"]), nonEmpty(r.version), "Require.Version")
        fuzzCheck(((j["Indirect"] as? Bool) ?? false) == r.isIndirect, "Require.Indirect of \(r.path)")
    }
    let exclude = objects(decoded["Exclude"])
    fuzzCheck(exclude.count == file.exclusions.count, "Exclude count \(exclude.count) != \(file.exclusions.count)")
    for (j, x) in zip(exclude, file.exclusions) {
        same(j["Path"] as? String, x.path, "Exclude.Path")
        same(text(j["Version"]), nonEmpty(x.version), "Exclude.Version")
    }
    let replace = objects(decoded["Replace"])
    fuzzCheck(replace.count == file.replacements.count, "Replace count \(replace.count) != \(file.replacements.count)")
    for (j, r) in zip(replace, file.replacements) {
        for (key, side) in [("Old", r.old), ("New", r.new)] {
            let o = j[key] as? [String: Any]
            same(o?["Path"] as? String, side.path, "Replace.\(key).Path")
            same(text(o?["Version"]), nonEmpty(side.version), "Replace.\(key).Version")
        }
    }
    let retract = objects(decoded["Retract"])
    fuzzCheck(retract.count == file.retractions.count, "Retract count \(retract.count) != \(file.retractions.count)")
    for (j, r) in zip(retract, file.retractions) {
        same(text(j["Low"]), nonEmpty(r.low), "Retract.Low")
        same(text(j["High"]), nonEmpty(r.high), "Retract.High")
        same(text(j["Rationale"]), nonEmpty(r.rationale), "Retract.Rationale")
    }
    let tools = objects(decoded["Tool"])
    fuzzCheck(tools.map { $0["Path"] as? String } == file.tools.map(\.path), "Tool paths")
    let ignored = objects(decoded["Ignore"])
    fuzzCheck(ignored.map { $0["Path"] as? String } == file.ignoredPaths.map(\.path), "Ignore paths")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGoModules(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let selector = input.byte() % 4
    let bytes = input.rest()
    let lines = lineCount(bytes)
    switch selector {
    case 0:
        let file = GoModFile(parsing: bytes)
        checkDiagnostics(file.diagnostics, lines: lines, "go.mod")
        if let module = file.module { checkLocation(module.location, lines: lines, "module") }
        for r in file.requirements { checkLocation(r.location, lines: lines, "require \(r.path)") }
        for r in file.replacements { checkLocation(r.location, lines: lines, "replace") }
        checkJSON(file)
    case 1:
        let file = GoSumFile(parsing: bytes)
        checkDiagnostics(file.diagnostics, lines: lines, "go.sum")
        for e in file.entries { fuzzCheck(e.line >= 1 && e.line <= lines, "go.sum entry on line \(e.line) of \(lines)") }
    case 2:
        let file = GoWorkFile(parsing: bytes)
        checkDiagnostics(file.diagnostics, lines: lines, "go.work")
        for u in file.uses { checkLocation(u.location, lines: lines, "use \(u.path)") }
    default:
        let file = GoVendorManifest(parsing: bytes)
        checkDiagnostics(file.diagnostics, lines: lines, "modules.txt")
        for m in file.modules { fuzzCheck(m.line >= 1 && m.line <= lines, "module on line \(m.line) of \(lines)") }
    }
    return 0
}

@main enum Main {
    static func main() {
        FuzzMain.run(
            FuzzTarget(
                name: "FuzzGoModules",
                fixtureDirectories: ["Tests/CensusGoModulesTests/Fixtures"]
            ) { path, bytes in
                let name = path.split(separator: "/").last.map(String.init) ?? ""
                if name == "go.sum" { return [[1] + bytes] }
                if name == "go.work" { return [[2] + bytes] }
                if name == "modules.txt" { return [[3] + bytes] }
                if name.hasSuffix(".json") || name.hasSuffix(".golden") { return [] }
                return [[0] + bytes]
            },
            fuzzGoModules)
    }
}
