#if canImport(Glibc)
import Glibc
#endif
import CensusPatterns

/// A generated-file content rule with its needles as bytes and its patterns compiled.
final class CompiledContentRule: Sendable {
    let rule: GeneratedContentRule
    let pathPattern: DeferredRegex?
    /// Per test of `all`, then of `any`: the needles' bytes (for `contains` and `startsWith`)
    /// and the compiled patterns (for `pattern`).
    let allTests: [Unmanaged<CompiledLineTest>]
    let anyTests: [Unmanaged<CompiledLineTest>]
    /// Owns the tests that `allTests` and `anyTests` refer to without counting.
    private let tests: [CompiledLineTest]
    /// Every pattern of the tests (for ``LinguistEngine/compileProblems()``).
    var allPatterns: [DeferredRegex] { tests.flatMap(\.patterns) }
    /// The extensions as bytes: exact, then ignoring case.
    let extensions: [[UInt8]]
    let extensionsIgnoringCase: [[UInt8]]

    var name: String { rule.name }
    /// Kept apart from `rule`: reading it there copies the whole rule (and counts its arrays).
    let minimumLines: Int
    let hasPathPattern: Bool

    init(rule: GeneratedContentRule, compile: (String) -> DeferredRegex?) {
        self.rule = rule
        minimumLines = rule.minimumLines
        hasPathPattern = rule.pathPattern != nil
        pathPattern = rule.pathPattern.flatMap(compile)
        let all = rule.all.map { CompiledLineTest($0, compile: compile) }
        let any = rule.any.map { CompiledLineTest($0, compile: compile) }
        tests = all + any
        allTests = all.map { Unmanaged.passUnretained($0) }
        anyTests = any.map { Unmanaged.passUnretained($0) }
        extensions = rule.extensions.map { Array($0.utf8) }
        extensionsIgnoringCase = rule.extensionsIgnoringCase.map { Array($0.utf8) }
    }

    /// Whether the rule is for this path: by extension (a rule naming none is for every file),
    /// then by its path pattern.
    ///
    /// - Parameter extensionMatched: the caller found the rule by the path's extension.
    func applies(path: UnsafeRawBufferPointer, extension ext: UnsafeRawBufferPointer, extensionMatched: Bool = false) -> Bool {
        if !extensionMatched, !(extensions.isEmpty && extensionsIgnoringCase.isEmpty) {
            let byExtension =
                extensions.contains { LinguistEngine.equal(ext, $0, ignoringCase: false) }
                || extensionsIgnoringCase.contains { LinguistEngine.equal(ext, $0, ignoringCase: true) }
            guard byExtension else { return false }
        }
        if hasPathPattern { return pathPattern?.matches(path) ?? false }
        return true
    }

    func holds(_ lines: inout LinesView) -> Bool {
        if !lines.hasAtLeast(minimumLines) { return false }
        for k in allTests.indices where !allTests[k]._withUnsafeGuaranteedRef({ $0.check(&lines) }) { return false }
        for k in anyTests.indices where anyTests[k]._withUnsafeGuaranteedRef({ $0.check(&lines) }) { return true }
        return anyTests.isEmpty
    }

    /// Whether `needle` occurs in `haystack` (`memchr` on its first byte, then a compare).
    static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard haystack.count >= needle.count, let base = haystack.baseAddress else { return false }
        return needle.withUnsafeBytes { n in
            var offset = 0
            let last = haystack.count - needle.count
            while offset <= last, let hit = memchr(base + offset, Int32(first), last + 1 - offset) {
                let at = UnsafeRawPointer(hit) - base
                if memcmp(base + at, n.baseAddress!, needle.count) == 0 { return true }
                offset = at + 1
            }
            return false
        }
    }
}

/// One line test of a generated-file rule, ready to run.
final class CompiledLineTest: Sendable {
    let lines: LineTest.Lines
    let check: LineTest.Check
    let needles: [[UInt8]]
    let patterns: [DeferredRegex]
    /// `patterns`, called without reference counting (which `patterns` does): a scan tries them
    /// on each of a file's first lines, on every thread.
    private let patternRefs: [Unmanaged<DeferredRegex>]

    init(_ test: LineTest, compile: (String) -> DeferredRegex?) {
        lines = test.lines
        check = test.check
        needles = test.needles.map { Array($0.utf8) }
        patterns = test.check == .pattern ? test.needles.compactMap(compile) : []
        patternRefs = patterns.map { Unmanaged.passUnretained($0) }
    }

    func check(_ lines: inout LinesView) -> Bool {
        switch self.lines {
        case .index(let k):
            return lines.line(k).map(satisfies) ?? false
        case .first(let m):
            return lines.anyOfFirst(m, satisfies)
        case .last(let m):
            return lines.anyOfLast(m, satisfies)
        }
    }

    private func satisfies(_ line: UnsafeRawBufferPointer) -> Bool {
        switch check {
        case .contains:
            for k in needles.indices where CompiledContentRule.contains(line, needles[k]) { return true }
        case .startsWith:
            for k in needles.indices where line.starts(with: needles[k]) { return true }
        case .pattern:
            for k in patternRefs.indices where patternRefs[k]._withUnsafeGuaranteedRef({ $0.matches(line) }) { return true }
        }
        return false
    }
}

/// A disambiguation with its conditions compiled.
package final class CompiledDisambiguation: Sendable {
    indirect enum Condition: Sendable {
        case always
        case any([ByteRegex])
        case none([ByteRegex])
        case all([Condition])
    }

    package let extensions: [[UInt8]]
    let rules: [(languages: [LanguageID], condition: Condition)]
    /// When every rule but a final unconditional one asks for a pattern: all of those patterns
    /// as one alternation, and the rule that stands when none matches. A file that none of them
    /// matches (most `.h` files: neither Objective-C nor C++) costs one pass instead of one per
    /// rule; a file that one matches goes through the rules in order as before.
    let anyOfAll: ByteRegex?
    /// The rule that stands when `anyOfAll` finds nothing: the final unconditional one, or -1.
    let otherwise: Int

    init(_ d: Disambiguation, compile: (String) -> ByteRegex?) {
        extensions = d.extensions.map { Array($0.lowercased().utf8) }
        // A list of patterns is one alternation, as Linguist's `Regexp.union` builds it: each
        // pattern keeps its own options, and one pass over the text tries them all.
        func source(_ ps: [String]) -> String {
            ps.count == 1 ? ps[0] : ps.map { "(?-mix:" + $0 + ")" }.joined(separator: "|")
        }
        func union(_ ps: [String]) -> [ByteRegex] { ps.isEmpty ? [] : [source(ps)].compactMap(compile) }
        func patterns(_ c: HeuristicCondition) -> [String]? {
            switch c {
            case .pattern(let ps): return ps
            case .named(let n): return LinguistRules.namedPatterns[n]
            default: return nil
            }
        }
        func convert(_ c: HeuristicCondition) -> Condition {
            switch c {
            case .always: return .always
            case .pattern(let ps): return .any(union(ps))
            case .negativePattern(let ps): return .none(union(ps))
            case .named(let n): return .any(union(LinguistRules.namedPatterns[n] ?? []))
            case .and(let cs): return .all(cs.map(convert))
            }
        }
        rules = d.rules.map { r in (r.languages.compactMap { LanguageTable.id(named: $0) }, convert(r.condition)) }
        var conditional = d.rules
        var otherwise = -1
        if case .always = conditional.last?.condition {
            otherwise = rules.count - 1
            conditional.removeLast()
        }
        self.otherwise = otherwise
        let lists = conditional.compactMap { patterns($0.condition) }
        // Only for two rules (`.h`: Objective-C, C++): with more, a pattern that is cheap alone
        // because it requires a literal (9.6's `.txt`: the Vim help modeline needs "help") loses
        // that shortcut inside the union, and the union cost the kernel scan 3% of its work.
        if conditional.count == 2, lists.count == conditional.count, lists.allSatisfy({ !$0.isEmpty }),
            let regex = compile(lists.map { "(?-mix:" + source($0) + ")" }.joined(separator: "|"))
        {
            anyOfAll = regex
        } else {
            anyOfAll = nil
        }
    }

    /// Whether files that no rule's pattern matches are ruled out in one pass (see `anyOfAll`).
    package var rulesOutInOnePass: Bool { anyOfAll != nil }

    /// Whether the lower-cased `name` ends with one of the extensions (Linguist's `matches?`).
    package func appliesTo(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        extensions.contains { ext in
            guard name.count >= ext.count else { return false }
            let start = name.count - ext.count
            for (k, b) in ext.enumerated() where ByteKeyLayout.lower(name[start + k]) != b { return false }
            return true
        }
    }

    /// What the heuristics say about a file.
    package enum Decision: Equatable {
        case none
        case one(LanguageID)
        /// Several candidates remain (rare: copied out).
        case several([LanguageID])
    }

    /// The languages of the first rule that holds on `data`, without handing out the rule's
    /// shared array in the common cases (on two threads its reference counting is measurable).
    package func decide(_ data: UnsafeRawBufferPointer) -> Decision {
        let k = ruleIndex(data)
        guard k >= 0 else { return .none }
        switch rules[k].languages.count {
        case 0: return .none
        case 1: return .one(rules[k].languages[0])
        default: return .several(rules[k].languages)
        }
    }

    /// The languages of the first rule that holds on `data`, or none.
    package func run(_ data: UnsafeRawBufferPointer) -> [LanguageID] {
        let k = ruleIndex(data)
        return k >= 0 ? rules[k].languages : []
    }

    /// The index of the first rule that holds on `data`, or -1.
    func ruleIndex(_ data: UnsafeRawBufferPointer) -> Int {
        // Only a search that finished without a match rules every pattern out (an abandoned one
        // decides nothing).
        if anyOfAll?.search(data) == .noMatch { return otherwise }
        return ruleIndexRuleByRule(data)
    }

    /// The languages of the first rule that holds, each rule's patterns searched in turn.
    package func runRuleByRule(_ data: UnsafeRawBufferPointer) -> [LanguageID] {
        let k = ruleIndexRuleByRule(data)
        return k >= 0 ? rules[k].languages : []
    }

    private func ruleIndexRuleByRule(_ data: UnsafeRawBufferPointer) -> Int {
        func holds(_ c: Condition) -> Bool {
            switch c {
            case .always: return true
            case .any(let rs): return rs.contains { $0.matches(data) }
            case .none(let rs): return !rs.contains { $0.matches(data) }
            case .all(let cs): return cs.allSatisfy(holds)
            }
        }
        for k in rules.indices where holds(rules[k].condition) { return k }
        return -1
    }
}

extension LinguistEngine {
    static let postscriptExtensions: [[UInt8]] = [".ps", ".eps", ".pfa"].map { Array($0.utf8) }
    static let htmlExtensions: [[UInt8]] = [".html", ".htm", ".xhtml"].map { Array($0.utf8) }

    /// The generated.rb checks that compute something rather than look for a marker.
    func computedGenerated(ext: UnsafeRawBufferPointer, lines: inout LinesView, data: UnsafeRawBufferPointer) -> String? {
        let isJS = Self.equal(ext, ".js", ignoringCase: false)
        // Minified: average line length (in characters) above 110 for .js and .css.
        if Self.equal(ext, ".js", ignoringCase: true) || Self.equal(ext, ".css", ignoringCase: true) {
            let n = lines.count()
            if n > 0 {
                let newlines = n - 1
                if (lines.data.isEmpty ? 0 : (LinesView(data).characterCount() - newlines)) / n > 110 { return "minified" }
            }
        }
        if isJS, let first = lines.line(0), first.elementsEqual("(function() {".utf8),
            let beforeLast = lines.line(-2), beforeLast.elementsEqual("}).call(this);".utf8),
            let last = lines.line(-1), last.isEmpty
        {
            // CoffeeScript's module closure: score its helper names.
            var score = 0
            let n = lines.count()
            for k in 0 ..< n {
                guard let line = lines.line(k), CompiledContentRule.contains(line, Array("var ".utf8)) else { continue }
                for helper in ["_fn", "_i", "_len", "_ref", "_results"] { score += Self.occurrences(line, helper) }
                for helper in ["__bind", "__extends", "__hasProp", "__indexOf", "__slice"] { score += 3 * Self.occurrences(line, helper) }
            }
            if score >= 3 { return "compiled_coffeescript_closure" }
        }
        if isJS {
            let peg = pegParser
            var joined: [UInt8] = []
            for k in 0 ..< min(5, lines.count()) { if let l = lines.line(k) { joined.append(contentsOf: l) } }
            if joined.withUnsafeBytes({ peg.matches($0) }) { return "peg_parser" }
        }
        if Self.postscriptExtensions.contains(where: { Self.equal(ext, $0, ignoringCase: false) }) {
            if postscriptData.matches(data) { return "postscript" }
            var creator: UnsafeRawBufferPointer? = nil
            for k in 0 ..< min(10, lines.count()) {
                if let l = lines.line(k), l.starts(with: "%%Creator: ".utf8) {
                    creator = l
                    break
                }
            }
            if let creator {
                if postscriptCreator.contains(where: { $0.matches(creator) }) { return "postscript" }
                if CompiledContentRule.contains(creator, Array("EAGLE".utf8)) {
                    for k in 0 ..< min(5, lines.count()) where lines.line(k).map({ $0.starts(with: "%%Title: EAGLE Drawing ".utf8) }) == true {
                        return "postscript"
                    }
                }
            }
        }
        if Self.htmlExtensions.contains(where: { Self.equal(ext, $0, ignoringCase: true) }), lines.count() > 1,
            Self.hasGeneratorMeta(&lines)
        {
            return "html_generator_meta"
        }
        return nil
    }

    static func occurrences(_ haystack: UnsafeRawBufferPointer, _ needle: String) -> Int {
        let n = Array(needle.utf8)
        guard haystack.count >= n.count else { return 0 }
        var count = 0
        var i = 0
        while i <= haystack.count - n.count {
            if haystack[i] == n[0] && (1 ..< n.count).allSatisfy({ haystack[i + $0] == n[$0] }) {
                count += 1
                i += n.count
            } else {
                i += 1
            }
        }
        return count
    }

    /// `<meta name="generator" content="…">` naming org-mode, latex2html, groff, makeinfo,
    /// texi2html or ronn in the first 31 lines (generated.rb's `generated_html?`).
    static func hasGeneratorMeta(_ lines: inout LinesView) -> Bool {
        var text: [UInt8] = []
        for k in 0 ..< min(31, lines.count()) {
            if k > 0 { text.append(0x20) }
            if let l = lines.line(k) { text.append(contentsOf: l) }
        }
        let lower = text.map(ByteKeyLayout.lower)
        var i = 0
        let open = Array("<meta".utf8)
        while i + open.count < lower.count {
            guard lower[i ..< i + open.count].elementsEqual(open) else {
                i += 1
                continue
            }
            var end = i + open.count
            guard end < lower.count, lower[end] == 0x20 || lower[end] == 0x09 || lower[end] == 0x0A || lower[end] == 0x0D || lower[end] == 0x0C else {
                i += 1
                continue
            }
            while end < lower.count && lower[end] != UInt8(ascii: ">") { end += 1 }
            let attributes = Self.metaAttributes(Array(text[(i + open.count) ..< end]))
            if attributes["name"]?.lowercased() == "generator",
                [attributes["content"], attributes["value"]].contains(where: { value in
                    guard let v = value?.lowercased() else { return false }
                    return ["org mode", "latex2html", "jlatex2html", "groff", "makeinfo", "texi2html", "ronn"].contains { g in
                        guard v.hasPrefix(g) else { return false }
                        let rest = v.dropFirst(g.count)
                        return rest.first.map { !($0.isLetter || $0.isNumber || $0 == "_") } ?? true
                    } || v.hasPrefix("org") && v.dropFirst(3).drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("mode")
                })
            {
                return true
            }
            i = end
        }
        return false
    }

    /// name="x", name='x' or name=x pairs.
    static func metaAttributes(_ bytes: [UInt8]) -> [String: String] {
        var result: [String: String] = [:]
        var i = 0
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }
        while i < bytes.count {
            while i < bytes.count && isSpace(bytes[i]) { i += 1 }
            let keyStart = i
            while i < bytes.count && !isSpace(bytes[i]) && bytes[i] != UInt8(ascii: "=") { i += 1 }
            let key = String(decoding: bytes[keyStart ..< i], as: UTF8.self).lowercased()
            while i < bytes.count && isSpace(bytes[i]) { i += 1 }
            guard i < bytes.count, bytes[i] == UInt8(ascii: "=") else {
                i += 1
                continue
            }
            i += 1
            while i < bytes.count && isSpace(bytes[i]) { i += 1 }
            guard i < bytes.count else { break }
            var value: ArraySlice<UInt8>
            if bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") {
                let quote = bytes[i]
                let start = i + 1
                i = start
                while i < bytes.count && bytes[i] != quote { i += 1 }
                value = bytes[start ..< min(i, bytes.count)]
                i += 1
            } else {
                let start = i
                while i < bytes.count && !isSpace(bytes[i]) && bytes[i] != UInt8(ascii: "\"") && bytes[i] != UInt8(ascii: "'") { i += 1 }
                value = bytes[start ..< i]
            }
            if ["name", "content", "value"].contains(key) && !value.isEmpty {
                result[key] = String(decoding: value, as: UTF8.self)
            }
        }
        return result
    }
}
