/// Tells bot accounts from people: dependabot, renovate, k8s-ci-robot, github-actions, anything
/// ending in `[bot]`, and the like. A census excludes them by default and counts them apart.
///
/// A pattern is matched without case against the author's name, login, full address and the
/// address's local part (with GitHub's `12345+` noreply prefix removed, so
/// `49699333+dependabot[bot]@users.noreply.github.com` is checked as `dependabot[bot]`). A
/// pattern with `*` is a glob: `*` stands for any run of characters and nothing else is special
/// (`*[bot]` means "ends in `[bot]`"). A pattern without `*` must equal the whole field. A
/// substring pattern matches anywhere in a field. The shipped patterns are Data/people/bots.txt.
public struct BotClassifier: Sendable {
    private var exact: Set<String> = []
    private var globs: [[UInt8]] = []
    private var substrings: [[UInt8]] = []

    /// The shipped patterns, Data/people/bots.txt.
    public static let standard = BotClassifier()

    /// The shipped patterns (unless `includeStandard` is false) and extra ones: `patterns` exact or
    /// glob as the type describes, `substrings` anywhere in a field.
    public init(patterns: [String] = [], substrings: [String] = [], includeStandard: Bool = true) {
        if includeStandard {
            for line in PeopleData.bots.split(separator: "\n") {
                let text = line.trimmingBlanks()
                if text.isEmpty || text.hasPrefix("#") { continue }
                add(pattern: String(text))
            }
        }
        for pattern in patterns { add(pattern: pattern) }
        for substring in substrings {
            let folded = Array(substring.trimmingBlanks().lowercased().utf8)
            if !folded.isEmpty { self.substrings.append(folded) }
        }
    }

    private mutating func add(pattern: String) {
        let folded = pattern.trimmingBlanks().lowercased()
        guard !folded.isEmpty else { return }
        if folded.contains("*") {
            globs.append(Array(folded.utf8))
        } else {
            exact.insert(folded)
        }
    }

    /// Whether the author is a bot, by any of name, address and login (missing ones are skipped).
    public func isBot(name: String? = nil, email: String? = nil, login: String? = nil) -> Bool {
        matchingPattern(name: name, email: email, login: login) != nil
    }

    /// The pattern that makes the author a bot, for explanations; nil for a person.
    public func matchingPattern(name: String? = nil, email: String? = nil, login: String? = nil) -> String? {
        var fields: [String] = []
        for case let field? in [name, login] {
            let folded = field.trimmingBlanks().lowercased()
            if !folded.isEmpty { fields.append(folded) }
        }
        if let email {
            let address = ByteText.emailKey(email)
            if !address.isEmpty { fields.append(address) }
            if let at = address.lastIndex(of: "@") {
                var local = address[..<at]
                // GitHub's noreply addresses: 12345+login@users.noreply.github.com.
                if let plus = local.firstIndex(of: "+"), local[..<plus].allSatisfy(\.isASCIIDigit), plus != local.startIndex {
                    local = local[local.index(after: plus)...]
                }
                if !local.isEmpty { fields.append(String(local)) }
            }
        }
        for field in fields {
            if exact.contains(field) { return field }
            let bytes = Array(field.utf8)
            for glob in globs where Self.glob(glob, matches: bytes) { return String(decoding: glob, as: UTF8.self) }
            for substring in substrings where Self.contains(bytes, substring) {
                return "*" + String(decoding: substring, as: UTF8.self) + "*"
            }
        }
        return nil
    }

    /// `*`-only glob matching, iterative with one backtrack point.
    ///
    /// - Complexity: O(p × t) at worst, O(p + t) for the usual one or two stars.
    static func glob(_ pattern: [UInt8], matches text: [UInt8]) -> Bool {
        let star = UInt8(ascii: "*")
        var p = 0
        var t = 0
        var starAt = -1
        var resumeAt = 0
        while t < text.count {
            if p < pattern.count && pattern[p] != star && pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count && pattern[p] == star {
                starAt = p
                resumeAt = t
                p += 1
            } else if starAt >= 0 {
                p = starAt + 1
                resumeAt += 1
                t = resumeAt
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == star { p += 1 }
        return p == pattern.count
    }

    static func contains(_ text: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= text.count else { return false }
        for start in 0...(text.count - needle.count) where text[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
