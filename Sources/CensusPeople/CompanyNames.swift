/// Company names made comparable: normalised keys, and the aliases and acquisitions of gitdm's
/// `company-names-mapping` (and `company-map`), applied transitively.
///
/// ```swift
/// var names = CompanyNames()
/// names.addMapping(variant: "Heptio", canonical: "VMware Inc.")
/// names.resolve("Red Hat, Inc.")   // Company(key: "redhat", name: "Red Hat, Inc.")
/// names.resolve("heptio")          // Company(key: "vmware", name: "VMware Inc.")
/// ```
///
/// Lookup of a name: first the name exactly as written (trimmed) among the mapping's variants;
/// else its key among the keys of the variants; then again from the canonical name reached, until
/// a name maps to itself or to nothing. When several variants share a key but map to different
/// companies, the key follows the variant that maps to its own key if there is one, else the
/// company most variants name (ties: the first line); the others still apply to their exact
/// spelling, and each such line gets a warning. A cycle (`A -> B`, `B -> A`) is broken at the
/// company named by its earliest line, with a warning.
public struct CompanyNames: Sendable {
    struct Mapping: Sendable {
        var variant: String
        var canonical: String
        var variantKey: String
        var canonicalKey: String
        var location: PeopleSourceLine?
    }

    let rules: CompanyNameRules
    private var mappings: [Mapping] = []
    /// Diagnostics of the files parsed (bad lines).
    private var parseDiagnostics: [PeopleDiagnostic] = []
    /// Diagnostics of the mapping as a whole (conflicts, cycles), recomputed on every change.
    private var compileDiagnostics: [PeopleDiagnostic] = []

    /// Canonical name by variant, exactly as written (trimmed).
    private var exact: [String: String] = [:]
    /// The company key each mapped key resolves to (only keys that resolve elsewhere).
    private var finalKey: [String: String] = [:]
    /// The display name of each canonical key: the canonical name of the first line mapping a
    /// spelling of the key onto a spelling of the key (`VMware Inc. -> VMware`), else the first
    /// canonical name with that key.
    private var canonicalName: [String: String] = [:]

    /// Names with the shipped normalisation rules (Data/people/company-names.txt) and no mapping.
    public init() {
        self.rules = .standard
    }

    /// The problems found in the mapping files and in the mapping as a whole.
    public var diagnostics: [PeopleDiagnostic] { parseDiagnostics + compileDiagnostics }

    /// How many mapping lines were read.
    public var mappingCount: Int { mappings.count }

    /// The normalised key of a company name, which says whether two spellings are one company.
    ///
    /// Lowercased, Latin accents folded, full-width ASCII read as ASCII; split into words at
    /// anything but letters, digits and marks; runs of one-letter words joined (`S.A.` → `sa`);
    /// leading words such as `The` and trailing legal forms (`Inc`, `LLC`, `Ltd`, `GmbH`, `S.A.`,
    /// `Co.,Ltd.`, `有限公司`, `株式会社`, ...) dropped, repeatedly but never the last word; the words
    /// joined without spaces. The rules are Data/people/company-names.txt.
    ///
    /// `"Red Hat, Inc."`, `"RedHat"` and `"red hat"` → `redhat`; `"HP Inc. Inc."` → `hp`;
    /// `"Huawei Technologies Co., Ltd"` → `huaweitechnologies`.
    public static func key(_ name: String) -> String {
        CompanyNameRules.standard.key(name)
    }

    /// Lines of Data/people/company-names.txt that were not understood (empty; a test checks).
    package static var ruleTableProblems: [String] { CompanyNameRules.standard.problems }

    /// Adds one mapping line, `variant -> canonical`, and recomputes the mapping.
    ///
    /// - Complexity: O(m) for m mappings; to add many, parse a file.
    public mutating func addMapping(variant: String, canonical: String, at location: PeopleSourceLine? = nil) {
        append(variant: variant, canonical: canonical, location: location)
        compile()
    }

    /// Reads gitdm's `company-names-mapping`: `Variant -> Canonical` a line, `#` comments.
    ///
    /// A line without ` -> ` or with an empty side is reported and skipped.
    public mutating func parseNamesMapping(bytes: [UInt8], origin: String) {
        var log = DiagnosticLog(file: origin)
        bytes.withUnsafeBufferPointer { buffer in
            ByteText.forEachLine(buffer) { number, line in
                if ByteText.isBlankOrComment(line) { return }
                let text = ByteText.string(line)
                guard let arrow = text.firstRange(of: "->") else {
                    log.report(.error, line: number, "expected 'Variant -> Canonical'; line skipped")
                    return
                }
                let variant = String(text[..<arrow.lowerBound]).trimmingBlanks()
                let canonical = String(text[arrow.upperBound...]).trimmingBlanks()
                guard !variant.isEmpty, !canonical.isEmpty else {
                    log.report(.error, line: number, "a name is missing on one side of '->'; line skipped")
                    return
                }
                append(variant: variant, canonical: canonical, location: PeopleSourceLine(file: origin, line: number))
            }
        }
        parseDiagnostics += log.all
        compile()
    }

    /// Reads gitdm's `company-map`: two backquoted names a line, `` `Old name` `New name` ``, read
    /// as `Old name -> New name`; `#` comments.
    public mutating func parseCompanyMap(bytes: [UInt8], origin: String) {
        var log = DiagnosticLog(file: origin)
        bytes.withUnsafeBufferPointer { buffer in
            ByteText.forEachLine(buffer) { number, line in
                if ByteText.isBlankOrComment(line) { return }
                let parts = ByteText.string(line).split(separator: "`", omittingEmptySubsequences: false)
                // `A` `B` splits into "", "A", " ", "B", "".
                guard parts.count == 5, parts[0].trimmingBlanks().isEmpty, parts[2].trimmingBlanks().isEmpty,
                    parts[4].trimmingBlanks().isEmpty
                else {
                    log.report(.error, line: number, "expected two backquoted names, `Old name` `New name`; line skipped")
                    return
                }
                let variant = String(parts[1]).trimmingBlanks()
                let canonical = String(parts[3]).trimmingBlanks()
                guard !variant.isEmpty, !canonical.isEmpty else {
                    log.report(.error, line: number, "a backquoted name is empty; line skipped")
                    return
                }
                append(variant: variant, canonical: canonical, location: PeopleSourceLine(file: origin, line: number))
            }
        }
        parseDiagnostics += log.all
        compile()
    }

    /// The company a name stands for, with the mapping applied.
    ///
    /// The display name is the mapping's canonical name when the mapping names the company (the
    /// canonical name of its first line whose two sides have the same key, like
    /// `VMware Inc. -> VMware`, else the first canonical name with the key), else
    /// the name as given (whitespace collapsed). ``AffiliationDatabase`` goes further and shows
    /// the most common spelling of its files. A name without letters or digits (`-`, `?`) and the
    /// names of the `unknown` rules (`NotFound`) are ``Company/unknown``.
    public func resolve(_ name: String) -> Company {
        let trimmed = name.trimmingBlanks()
        var startKey: String
        var spelling: String
        if let canonical = exact[trimmed] {
            startKey = rules.key(canonical)
            spelling = canonical
        } else {
            startKey = rules.key(trimmed)
            spelling = ByteText.collapsingWhitespace(trimmed)
        }
        let key = finalKey[startKey] ?? startKey
        if key.isEmpty || rules.unknown.contains(key) { return .unknown }
        if let canonical = canonicalName[key] { spelling = canonical }
        return Company(key: key, name: spelling)
    }

    /// The mapping's canonical display name for a resolved key, if the mapping names it.
    func canonicalName(forKey key: String) -> String? { canonicalName[key] }

    private mutating func append(variant: String, canonical: String, location: PeopleSourceLine?) {
        let variant = variant.trimmingBlanks()
        let canonical = canonical.trimmingBlanks()
        mappings.append(
            Mapping(
                variant: variant, canonical: canonical, variantKey: rules.key(variant), canonicalKey: rules.key(canonical),
                location: location))
    }

    /// Recomputes the lookup tables from ``mappings``.
    private mutating func compile() {
        var diagnostics: [PeopleDiagnostic] = []
        func warn(_ mapping: Mapping, _ message: String) {
            guard let location = mapping.location else { return }
            diagnostics.append(PeopleDiagnostic(severity: .warning, location: location, message: message))
        }
        func describe(_ mapping: Mapping) -> String {
            mapping.location.map { " (\($0))" } ?? ""
        }

        var exact: [String: String] = [:]
        var canonicalName: [String: String] = [:]
        var variantsByKey: [String: [Int]] = [:]
        var keyOrder: [String] = []
        var selfNamed: [String: String] = [:]
        for (index, mapping) in mappings.enumerated() {
            let canonical = ByteText.collapsingWhitespace(mapping.canonical)
            if exact[mapping.variant] == nil { exact[mapping.variant] = canonical }
            if canonicalName[mapping.canonicalKey] == nil { canonicalName[mapping.canonicalKey] = canonical }
            // "VMware Inc. -> VMware" says how the company of key vmware is written.
            if mapping.variantKey == mapping.canonicalKey && selfNamed[mapping.canonicalKey] == nil {
                selfNamed[mapping.canonicalKey] = canonical
            }
            if variantsByKey[mapping.variantKey] == nil { keyOrder.append(mapping.variantKey) }
            variantsByKey[mapping.variantKey, default: []].append(index)
        }

        canonicalName.merge(selfNamed) { _, named in named }

        // One target per variant key; the edge and the index of the line that chose it.
        var edge: [String: (target: String, line: Int)] = [:]
        for key in keyOrder where !key.isEmpty {
            guard let indices = variantsByKey[key] else { continue }
            let targets = indices.map { mappings[$0].canonicalKey }
            let chosen: String
            if targets.contains(key) {
                chosen = key
            } else {
                var votes: [String: Int] = [:]
                for target in targets { votes[target, default: 0] += 1 }
                let best = votes.values.max() ?? 0
                chosen = targets.first { votes[$0] == best } ?? key
            }
            if let line = indices.first(where: { mappings[$0].canonicalKey == chosen }) {
                for index in indices where mappings[index].canonicalKey != chosen {
                    let other = mappings[line]
                    warn(
                        mappings[index],
                        "'\(mappings[index].variant)' maps to '\(mappings[index].canonical)', but other spellings of the same "
                            + "name map to '\(other.canonical)'\(describe(other)); this line applies only to this exact spelling")
                }
                if chosen != key { edge[key] = (chosen, line) }
            }
        }

        // Break cycles at the company named by the cycle's earliest line.
        for start in keyOrder {
            var path: [String] = [start]
            var current = start
            while let next = edge[current]?.target {
                if let cycleStart = path.firstIndex(of: next) {
                    let cycle = Array(path[cycleStart...])
                    let earliest = cycle.min { (edge[$0]?.line ?? .max) < (edge[$1]?.line ?? .max) } ?? next
                    guard let keep = edge[earliest] else { break }
                    edge[keep.target] = nil
                    let names = cycle.map { canonicalName[$0] ?? $0 } + [canonicalName[next] ?? next]
                    warn(
                        mappings[keep.line],
                        "the mapping has a cycle (\(names.joined(separator: " -> "))); "
                            + "it stops at '\(canonicalName[keep.target] ?? keep.target)'")
                    break
                }
                path.append(next)
                current = next
            }
        }

        var finalKey: [String: String] = [:]
        for start in keyOrder {
            var current = start
            var steps = 0
            while let next = edge[current]?.target, steps <= edge.count {
                current = next
                steps += 1
            }
            if current != start { finalKey[start] = current }
        }

        self.exact = exact
        self.canonicalName = canonicalName
        self.finalKey = finalKey
        self.compileDiagnostics = diagnostics
    }
}
