/// The regions a census groups countries into.
///
/// Hong Kong, Macao and Taiwan (their own ISO codes) are in ``asiaPacific``; ``china`` is the
/// mainland (`CN`). Russia and Turkey are in ``europe``; Egypt and the Maghreb in ``africa``.
public enum WorldRegion: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case china = "China"
    case india = "India"
    case asiaPacific = "Asia-Pacific"
    case europe = "Europe"
    case northAmerica = "North America"
    case latinAmerica = "Latin America"
    case middleEast = "Middle East"
    case africa = "Africa"

    public var description: String { rawValue }
}

/// Reads the free-text location of a profile ("Shenzhen, China", "杭州", "San Francisco, CA",
/// "Bay Area") as a country and a region, from the table Data/people/regions.txt.
///
/// The text is folded (lowercase, accents removed: "São Paulo" is "sao paulo") and split into
/// words and comma-separated parts; table names match as whole words, longest first, and names in
/// Chinese, Japanese or Korean script anywhere. Abbreviations ("CA", "NY", "UK") count only when
/// they stand alone after a comma or slash. The rightmost match decides, as locations go from
/// the specific to the general ("Berlin, Germany"); an ambiguous match (`CA`: California or
/// Canada; `Cambridge`) takes the country that another match in the text agrees with, else its
/// first. "Remote", "Earth" and other text without a known place give nil.
public struct RegionClassifier: Sendable {
    /// Where a location is.
    public struct Location: Hashable, Sendable, CustomStringConvertible {
        /// ISO 3166-1 alpha-2 code, nil for a region without a country ("Europe").
        public var country: String?
        public var region: WorldRegion
        /// The name in the table that decided, as the table spells it.
        public var matched: String

        public init(country: String?, region: WorldRegion, matched: String) {
            self.country = country
            self.region = region
            self.matched = matched
        }

        /// `CN (China) by 'shenzhen'`.
        public var description: String { "\(country ?? "--") (\(region)) by '\(matched)'" }
    }

    struct Entry: Sendable {
        /// Country codes, most likely first; empty for a region without a country.
        var countries: [String]
        /// The region of a country-less entry.
        var region: WorldRegion?
        var isAbbreviation: Bool
        var name: String
    }

    private var entries: [Entry] = []
    private var phrases: [String: Int] = [:]
    private var longestPhrase = 1
    private var unspaced: [(scalars: [Unicode.Scalar], entry: Int)] = []
    private var regions: [String: WorldRegion] = [:]
    /// Lines of the table that were not understood, or names listed twice; empty for the shipped
    /// table (a test checks).
    package private(set) var problems: [String] = []

    /// The shipped table.
    public static let standard = RegionClassifier(table: PeopleData.regions)

    /// The shipped table, Data/people/regions.txt.
    public init() {
        self = .standard
    }

    /// A table in the format of Data/people/regions.txt.
    init(table: String) {
        var pending: [(kind: Substring, code: Substring, names: Substring, line: Int)] = []
        for (index, line) in table.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = line.trimmingBlanks()
            if text.isEmpty || text.hasPrefix("#") { continue }
            let fields = text.split(separator: "\t", omittingEmptySubsequences: true)
            switch (fields.first, fields.count) {
            case ("country", 4):
                guard let region = WorldRegion(rawValue: String(fields[2])) else {
                    problems.append("line \(index + 1): unknown region \(fields[2])")
                    continue
                }
                regions[String(fields[1])] = region
                pending.append(("country", fields[1], fields[3], index + 1))
            case ("place", 3), ("code", 3), ("area", 3):
                pending.append((fields[0], fields[1], fields[2], index + 1))
            default:
                problems.append("line \(index + 1): expected country/place/code/area and tab-separated fields")
            }
        }
        // Countries first (above), so that places can name any country of the table.
        for item in pending {
            var entry = Entry(countries: [], region: nil, isAbbreviation: item.kind == "code", name: "")
            if item.kind == "area" {
                guard let region = WorldRegion(rawValue: String(item.code)) else {
                    problems.append("line \(item.line): unknown region \(item.code)")
                    continue
                }
                entry.region = region
            } else {
                entry.countries = item.code.split(separator: ",").map(String.init)
                if let unknown = entry.countries.first(where: { regions[$0] == nil }) {
                    problems.append("line \(item.line): country \(unknown) has no 'country' line")
                    continue
                }
            }
            for name in item.names.split(separator: "|") {
                var named = entry
                named.name = String(name)
                add(named, line: item.line)
            }
        }
    }

    private mutating func add(_ entry: Entry, line: Int) {
        let scalars = TextFolding.fold(entry.name)
        entries.append(entry)
        let index = entries.count - 1
        if scalars.contains(where: TextFolding.isUnspacedScript) {
            unspaced.append((scalars.filter(TextFolding.isWordScalar), index))
            return
        }
        let words = TextFolding.words(scalars)
        guard !words.isEmpty else {
            problems.append("line \(line): '\(entry.name)' has no letters")
            return
        }
        let phrase = words.joined(separator: " ")
        if let existing = phrases[phrase] {
            problems.append("line \(line): '\(entry.name)' is already listed as '\(entries[existing].name)'")
            return
        }
        phrases[phrase] = index
        longestPhrase = max(longestPhrase, words.count)
    }

    /// How many names the table has.
    public var nameCount: Int { entries.count }

    /// The region of a country (ISO 3166-1 alpha-2, any case), if the table lists it.
    public func region(ofCountry code: String) -> WorldRegion? {
        regions[code.uppercased()]
    }

    /// The country and region of a free-text location, or nil when it names no known place.
    ///
    /// - Complexity: O(w × k) for w words and a longest table name of k words, plus a scan per
    ///   CJK name when the text holds CJK script.
    public func classify(_ location: String) -> Location? {
        let scalars = TextFolding.fold(location)
        var matches: [(position: Int, entry: Int)] = []

        // Words with their position and comma-separated part.
        var words: [(text: String, position: Int, part: Int)] = []
        var part = 0
        var current = String.UnicodeScalarView()
        var start = 0
        func flush() {
            if !current.isEmpty { words.append((String(current), start, part)) }
            current = String.UnicodeScalarView()
        }
        for (index, scalar) in scalars.enumerated() {
            if TextFolding.isWordScalar(scalar) {
                if current.isEmpty { start = index }
                current.append(scalar)
                continue
            }
            flush()
            switch scalar {
            case ",", ";", "/", "|", "(", ")", "\u{3001}", "\u{00B7}": part += 1
            default: break
            }
        }
        flush()
        var wordsInPart: [Int: Int] = [:]
        for word in words { wordsInPart[word.part, default: 0] += 1 }

        var index = 0
        while index < words.count {
            var matched = 0
            var length = min(longestPhrase, words.count - index)
            while length > 0 {
                let slice = words[index..<(index + length)]
                if slice.allSatisfy({ $0.part == words[index].part }),
                    let entry = phrases[slice.map(\.text).joined(separator: " ")]
                {
                    let word = words[index]
                    if !entries[entry].isAbbreviation || (length == 1 && word.part > 0 && wordsInPart[word.part] == 1) {
                        matches.append((word.position, entry))
                        matched = length
                        break
                    }
                }
                length -= 1
            }
            index += max(matched, 1)
        }

        if scalars.contains(where: TextFolding.isUnspacedScript) {
            for (needle, entry) in unspaced {
                if let position = Self.lastIndex(of: needle, in: scalars) { matches.append((position, entry)) }
            }
        }
        guard !matches.isEmpty else { return nil }
        matches.sort { $0.position < $1.position }
        return resolve(matches.map { entries[$0.entry] })
    }

    /// The rightmost match decides; see the type's discussion.
    private func resolve(_ matches: [Entry]) -> Location? {
        guard let last = matches.last else { return nil }
        let others = matches.dropLast()
        if let region = last.region {
            // "Berlin, Europe": a country of that region named earlier is more precise.
            for entry in others.reversed() {
                if let country = entry.countries.first(where: { regions[$0] == region }) {
                    return Location(country: country, region: region, matched: entry.name)
                }
            }
            return Location(country: nil, region: region, matched: last.name)
        }
        var country = last.countries.first
        if last.countries.count > 1 {
            let named = Set(others.flatMap(\.countries))
            country = last.countries.first(where: named.contains) ?? last.countries.first
        }
        guard let country, let region = regions[country] else { return nil }
        return Location(country: country, region: region, matched: last.name)
    }

    static func lastIndex(of needle: [Unicode.Scalar], in haystack: [Unicode.Scalar]) -> Int? {
        guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
        var start = haystack.count - needle.count
        while start >= 0 {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
            start -= 1
        }
        return nil
    }
}
