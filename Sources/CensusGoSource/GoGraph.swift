/// An edge of the import graph.
public struct GoGraphEdge: Sendable, Hashable {
    public var from: String
    public var to: String
    /// Package imports behind the edge (1 at package level).
    public var weight: Int
    /// Whether the target was loaded too (else it is outside the tree: the standard library, or
    /// a dependency not present).
    public var `internal`: Bool

    public init(from: String, to: String, weight: Int, internal: Bool) {
        self.from = from
        self.to = to
        self.weight = weight
        self.internal = `internal`
    }

    /// The non-test import edges of a package set, per package or per pair of modules.
    public static func edges(_ set: GoPackageSet, level: GoCouplingRow.Level) -> [GoGraphEdge] {
        var moduleOf: [String: String] = [:]
        for p in set.packages { moduleOf[p.importPath] = p.module }
        var out: [GoGraphEdge] = []
        var sums: [GoGraphEdge: Int] = [:]
        for p in set.packages {
            for path in p.imports where path != "C" {
                let loaded = moduleOf[path] != nil
                if level == .package {
                    out.append(GoGraphEdge(from: p.importPath, to: path, weight: 1, internal: loaded))
                } else {
                    let target = moduleOf[path] ?? GoPackageLoader.Layout.guessModule(path, isStandard: !(path.split(separator: "/").first ?? "").contains("."))
                    if target == p.module { continue }
                    sums[GoGraphEdge(from: p.module, to: target, weight: 0, internal: loaded), default: 0] += 1
                }
            }
        }
        for (edge, n) in sums {
            var e = edge
            e.weight = n
            out.append(e)
        }
        return out.sorted { ($0.from, $0.to) < ($1.from, $1.to) }
    }
}

/// The graph as JSON (`nodes`, `edges`), CSV (`from,to,weight,internal`) or DOT.
public enum GoGraphRenderer {
    public static func render(_ edges: [GoGraphEdge], format: String) -> String {
        switch format {
        case "csv":
            return "from,to,weight,internal\n" + edges.map { "\(csv($0.from)),\(csv($0.to)),\($0.weight),\($0.internal)\n" }.joined()
        case "dot":
            var out = "digraph go_imports {\n"
            for e in edges {
                out += "  \(dot(e.from)) -> \(dot(e.to))" + (e.weight > 1 ? " [weight=\(e.weight)]" : "") + (e.internal ? "" : " [style=dashed]") + ";\n"
            }
            return out + "}\n"
        default:
            var nodes = Set<String>()
            for e in edges {
                nodes.insert(e.from)
                nodes.insert(e.to)
            }
            var out = "{\n  \"schema_version\": 1,\n  \"nodes\": [" + nodes.sorted().map(GoPackageJSON.string).joined(separator: ", ") + "],\n  \"edges\": ["
            out += edges.map {
                "\n    {\"from\": \(GoPackageJSON.string($0.from)), \"to\": \(GoPackageJSON.string($0.to)), \"weight\": \($0.weight), \"internal\": \($0.internal)}"
            }.joined(separator: ",")
            return out + (edges.isEmpty ? "]\n}\n" : "\n  ]\n}\n")
        }
    }

    /// A CSV field: quoted when it holds a comma, quote or line break; a leading `=+-@` is
    /// prefixed with `'` so spreadsheets do not run it.
    static func csv(_ s: String) -> String {
        var v = s
        if let f = v.first, "=+-@".contains(f) { v = "'" + v }
        if v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r") {
            return "\"" + v.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
        }
        return v
    }

    /// A DOT ID: double-quoted, backslashes and quotes escaped, control characters dropped.
    static func dot(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars where scalar.value >= 0x20 && scalar.value != 0x7F {
            if scalar == "\\" || scalar == "\"" { out += "\\" }
            out.unicodeScalars.append(scalar)
        }
        return out + "\""
    }
}
