/// The normalisation rules of Data/people/company-names.txt, parsed once.
struct CompanyNameRules: Sendable {
    /// Trailing words dropped (`inc`, `gmbh`, `sa`).
    var suffixes: Set<String> = []
    /// Leading words dropped (`the`).
    var leading: Set<String> = []
    /// Text dropped from the end of the last word (`有限公司`), longest first.
    var tails: [String] = []
    /// Text dropped from the start of the first word (`株式会社`), longest first.
    var heads: [String] = []
    /// Keys that mean "no company known".
    var unknown: Set<String> = []

    static let standard = CompanyNameRules(table: PeopleData.companyNames)

    /// Parses the table; a line it does not understand is a bug in the data, caught by the tests
    /// (``problems``), and otherwise ignored.
    init(table: String) {
        var problems: [String] = []
        for (index, line) in table.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = line.trimmingBlanks()
            if text.isEmpty || text.hasPrefix("#") { continue }
            let parts = text.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count == 2 else {
                problems.append("line \(index + 1): expected a directive and a value")
                continue
            }
            let value = String(TextFolding.words(TextFolding.fold(String(parts[1]))).joined())
            switch parts[0] {
            case "suffix": suffixes.insert(value)
            case "leading": leading.insert(value)
            case "tail":
                tails.append(value)
                suffixes.insert(value)
            case "head":
                heads.append(value)
                leading.insert(value)
            case "unknown": unknown.insert(value)
            default: problems.append("line \(index + 1): unknown directive \(parts[0])")
            }
        }
        tails.sort { $0.count > $1.count }
        heads.sort { $0.count > $1.count }
        self.problems = problems
    }

    /// Lines of the table that were not understood (empty for the shipped table).
    var problems: [String] = []

    /// The key of a company name; see ``CompanyNames/key(_:)``.
    func key(_ name: String) -> String {
        let words = TextFolding.words(TextFolding.fold(name))
        // "S.A." is the words "s" "a": join runs of one-letter ASCII words into one ("sa").
        var tokens: [String] = []
        tokens.reserveCapacity(words.count)
        var run = ""
        for word in words {
            if word.utf8.count == 1 {
                run += word
                continue
            }
            if !run.isEmpty {
                tokens.append(run)
                run = ""
            }
            tokens.append(word)
        }
        if !run.isEmpty { tokens.append(run) }

        while tokens.count > 1, leading.contains(tokens[0]) { tokens.removeFirst() }
        if let first = tokens.first, let head = heads.first(where: { first.hasPrefix($0) && first.count > $0.count }) {
            tokens[0] = String(first.dropFirst(head.count))
        }
        while let last = tokens.last {
            if tokens.count > 1 && suffixes.contains(last) {
                tokens.removeLast()
            } else if let tail = tails.first(where: { last.hasSuffix($0) && last.count > $0.count }) {
                tokens[tokens.count - 1] = String(last.dropLast(tail.count))
            } else {
                break
            }
        }
        return tokens.joined()
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    func trimmingBlanks() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    func trimmingBlanks() -> String { String(self[...].trimmingBlanks()) }
}
