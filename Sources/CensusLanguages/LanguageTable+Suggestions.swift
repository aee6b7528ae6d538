extension LanguageTable {
    /// The languages whose names or aliases are closest to a name census does not know, for a
    /// "did you mean" message: at most `limit` canonical names, nearest first (ties by name).
    ///
    /// Names are compared case-insensitively by edit distance (insertions, deletions, substitutions
    /// and swaps of neighbours, one each); a name is close when it is at most a third of the
    /// longer name's length away (at least 1), or when one name begins with the other and the
    /// shorter has at least 3 characters ("Type" → TypeScript). "Pyhton" → Python, "golang2" → Go
    /// (through its alias golang).
    ///
    /// - Complexity: O(*n* · *m*²) for *n* names and aliases of up to *m* characters; run only on
    ///   the way to an error message.
    public static func closestNames(to name: String, limit: Int = 3) -> [String] {
        let query = Array(name.lowercased().unicodeScalars)
        guard !query.isEmpty else { return [] }
        var best: [(distance: Int, name: String)] = []
        for language in all {
            var nearest = Int.max
            for candidate in [language.name] + language.aliases {
                let other = Array(candidate.lowercased().unicodeScalars)
                let distance = editDistance(query, other)
                let allowed = max(1, max(query.count, other.count) / 3)
                if distance <= allowed {
                    nearest = min(nearest, distance)
                } else if min(query.count, other.count) >= 3,
                    other.starts(with: query) || query.starts(with: other)
                {
                    nearest = min(nearest, abs(query.count - other.count))
                }
            }
            if nearest != Int.max { best.append((nearest, language.name)) }
        }
        best.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.name < $1.name }
        return best.prefix(limit).map(\.name)
    }

    /// The optimal string alignment distance: insertions, deletions, substitutions, and swaps of
    /// two neighbouring characters, each costing 1.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let width = b.count + 1
        var previous2 = [Int](repeating: 0, count: width)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: width)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
