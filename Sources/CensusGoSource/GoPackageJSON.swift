/// JSON for packages, with `go list -json`'s field names where they exist (docs/json-format.md).
public enum GoPackageJSON {
    /// `{"schema_version": 1, "layout": …, "targets": […], "packages": [...], "problems": [...]}`.
    public static func render(
        _ set: GoPackageSet, targets: [GoBuildTarget], includeTests: Bool, includeAPI: Bool = true, includeReferences: Bool = false
    ) -> String {
        var out = "{\n  \"schema_version\": 1,\n  \"layout\": \(string(set.layout.rawValue)),\n"
        out += "  \"targets\": [" + targets.map { string("\($0.goos)/\($0.goarch)") }.joined(separator: ", ") + "],\n"
        out += "  \"files_read\": \(set.filesRead),\n  \"bytes_read\": \(set.bytesRead),\n"
        out += "  \"unguessed_import_names\": \(set.unguessedImportNames),\n"
        out += "  \"packages\": ["
        for (k, p) in set.packages.enumerated() {
            out += k == 0 ? "\n" : ",\n"
            out += "    {\"ImportPath\": \(string(p.importPath)), \"Name\": \(string(p.name)), \"Dir\": \(string(p.directory))"
            out += ", \"Module\": \(string(p.module)), \"Vendored\": \(p.isVendored), \"Standard\": \(p.isStandard)"
            out += list("GoFiles", p.goFiles) + list("CgoFiles", p.cgoFiles)
            if includeTests { out += list("TestGoFiles", p.testGoFiles) + list("XTestGoFiles", p.xTestGoFiles) }
            out += list("IgnoredGoFiles", p.ignoredGoFiles) + list("InvalidGoFiles", p.invalidGoFiles)
            out += list("GeneratedGoFiles", p.generatedGoFiles)
            out += list("Imports", p.imports)
            if includeTests { out += list("TestImports", p.testImports) + list("XTestImports", p.xTestImports) }
            out += list("DotImports", p.dotImports) + list("BlankImports", p.blankImports)
            let a = p.api
            if includeAPI {
            out += ", \"Exports\": {\"types\": \(a.types.count), \"functions\": \(a.functions.count), \"variables\": \(a.variables.count)"
            out += ", \"constants\": \(a.constants.count), \"methods\": \(a.methods.count), \"total\": \(a.total)}"
            }
            if includeReferences && !p.references.isEmpty {
                out += ", \"References\": [" + p.references.map {
                    "[\(string($0.importPath)), \(string($0.name)), \($0.calls), \($0.literals), \($0.others)]"
                }.joined(separator: ", ") + "]"
            }
            if !p.problems.isEmpty {
                out += ", \"Problems\": [" + p.problems.map { string($0.description) }.joined(separator: ", ") + "]"
            }
            out += "}"
        }
        out += set.packages.isEmpty ? "],\n" : "\n  ],\n"
        out += "  \"problems\": [" + set.problems.map { string($0.description) }.joined(separator: ", ") + "]\n}\n"
        return out
    }

    static func list(_ field: String, _ values: [String]) -> String {
        values.isEmpty ? "" : ", \"\(field)\": [" + values.map(string).joined(separator: ", ") + "]"
    }

    /// A JSON string: quotes, backslashes and control characters escaped; U+2028/2029 too.
    public static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let h = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
