/// Path components with "/" between them.
///
/// Used on the start-up path of a scan instead of `joined(separator:)`, whose first call in a
/// process resolves generic types at run time (about 0.1 ms, a scan of the binary's protocol
/// conformances, measured under `perf`): a small tree's whole scan takes a few milliseconds.
package enum PathJoin {
    package static func join(_ parts: [String]) -> String { join(parts[...]) }

    package static func join(_ parts: ArraySlice<String>) -> String {
        var out = ""
        var first = true
        for part in parts {
            if !first { out.append("/") }
            out.append(part)
            first = false
        }
        return out
    }

    package static func join(_ parts: [Substring]) -> String {
        var out = ""
        var first = true
        for part in parts {
            if !first { out.append("/") }
            out.append(contentsOf: part)
            first = false
        }
        return out
    }
}
