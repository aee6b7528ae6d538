import CensusPatterns

/// A generated-file content rule with its patterns compiled.
final class CompiledContentRule: Sendable {
    let rule: GeneratedContentRule
    let pathPattern: ByteRegex?
    /// Compiled patterns of `all` then `any`, per test (empty for non-pattern tests).
    let allPatterns: [[ByteRegex]]
    let anyPatterns: [[ByteRegex]]

    var name: String { rule.name }

    init(rule: GeneratedContentRule, compile: (String) -> ByteRegex?) {
        self.rule = rule
        pathPattern = rule.pathPattern.flatMap(compile)
        allPatterns = rule.all.map { $0.check == .pattern ? $0.needles.compactMap(compile) : [] }
        anyPatterns = rule.any.map { $0.check == .pattern ? $0.needles.compactMap(compile) : [] }
    }

    func applies(path: UnsafeRawBufferPointer, extension ext: UnsafeRawBufferPointer) -> Bool {
        let byExtension =
            (rule.extensions.isEmpty && rule.extensionsIgnoringCase.isEmpty)
            || rule.extensions.contains { LinguistEngine.equal(ext, $0, ignoringCase: false) }
            || rule.extensionsIgnoringCase.contains { LinguistEngine.equal(ext, $0, ignoringCase: true) }
        guard byExtension else { return false }
        if rule.pathPattern != nil { return pathPattern?.matches(path) ?? false }
        return true
    }

    func holds(_ lines: inout LinesView) -> Bool {
        if !lines.hasAtLeast(rule.minimumLines) { return false }
        for (k, test) in rule.all.enumerated() where !Self.check(test, allPatterns[k], &lines) { return false }
        if !rule.any.isEmpty {
            return rule.any.indices.contains { Self.check(rule.any[$0], anyPatterns[$0], &lines) }
        }
        return true
    }

    static func check(_ test: LineTest, _ patterns: [ByteRegex], _ lines: inout LinesView) -> Bool {
        func satisfies(_ line: UnsafeRawBufferPointer) -> Bool {
            switch test.check {
            case .contains: return test.needles.contains { contains(line, $0) }
            case .startsWith: return test.needles.contains { line.starts(with: $0.utf8) }
            case .pattern: return patterns.contains { $0.matches(line) }
            }
        }
        switch test.lines {
        case .index(let k):
            return lines.line(k).map(satisfies) ?? false
        case .first(let m):
            return lines.anyOfFirst(m, satisfies)
        case .last(let m):
            return lines.anyOfLast(m, satisfies)
        }
    }

    static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard let first = n.first, haystack.count >= n.count else { return n.isEmpty }
        var i = 0
        while i <= haystack.count - n.count {
            if haystack[i] == first {
                var k = 1
                while k < n.count && haystack[i + k] == n[k] { k += 1 }
                if k == n.count { return true }
            }
            i += 1
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

    init(_ d: Disambiguation, compile: (String) -> ByteRegex?) {
        extensions = d.extensions.map { Array($0.lowercased().utf8) }
        // A list of patterns is one alternation, as Linguist's `Regexp.union` builds it: each
        // pattern keeps its own options, and one pass over the text tries them all.
        func union(_ ps: [String]) -> [ByteRegex] {
            if ps.count == 1 { return ps.compactMap(compile) }
            return [ps.map { "(?-mix:" + $0 + ")" }.joined(separator: "|")].compactMap(compile)
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
        rules = d.rules.map { r in (r.languages.compactMap { LanguageTable.named($0)?.id }, convert(r.condition)) }
    }

    /// Whether the lower-cased `name` ends with one of the extensions (Linguist's `matches?`).
    package func appliesTo(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        extensions.contains { ext in
            guard name.count >= ext.count else { return false }
            let start = name.count - ext.count
            for (k, b) in ext.enumerated() where ByteCase.lower(name[start + k]) != b { return false }
            return true
        }
    }

    /// The languages of the first rule that holds on `data`, or none.
    package func run(_ data: UnsafeRawBufferPointer) -> [LanguageID] {
        func holds(_ c: Condition) -> Bool {
            switch c {
            case .always: return true
            case .any(let rs): return rs.contains { $0.matches(data) }
            case .none(let rs): return !rs.contains { $0.matches(data) }
            case .all(let cs): return cs.allSatisfy(holds)
            }
        }
        for rule in rules where holds(rule.condition) { return rule.languages }
        return []
    }
}

extension LinguistEngine {
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
                guard let line = lines.line(k), CompiledContentRule.contains(line, "var ") else { continue }
                for helper in ["_fn", "_i", "_len", "_ref", "_results"] { score += Self.occurrences(line, helper) }
                for helper in ["__bind", "__extends", "__hasProp", "__indexOf", "__slice"] { score += 3 * Self.occurrences(line, helper) }
            }
            if score >= 3 { return "compiled_coffeescript_closure" }
        }
        if isJS, let peg = pegParser {
            var joined: [UInt8] = []
            for k in 0 ..< min(5, lines.count()) { if let l = lines.line(k) { joined.append(contentsOf: l) } }
            if joined.withUnsafeBytes({ peg.matches($0) }) { return "peg_parser" }
        }
        if [".ps", ".eps", ".pfa"].contains(where: { Self.equal(ext, $0, ignoringCase: false) }) {
            if postscriptData?.matches(data) == true { return "postscript" }
            var creator: UnsafeRawBufferPointer? = nil
            for k in 0 ..< min(10, lines.count()) {
                if let l = lines.line(k), l.starts(with: "%%Creator: ".utf8) {
                    creator = l
                    break
                }
            }
            if let creator {
                if postscriptCreator.contains(where: { $0.matches(creator) }) { return "postscript" }
                if CompiledContentRule.contains(creator, "EAGLE") {
                    for k in 0 ..< min(5, lines.count()) where lines.line(k).map({ $0.starts(with: "%%Title: EAGLE Drawing ".utf8) }) == true {
                        return "postscript"
                    }
                }
            }
        }
        if [".html", ".htm", ".xhtml"].contains(where: { Self.equal(ext, $0, ignoringCase: true) }), lines.count() > 1,
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
        let lower = text.map(ByteCase.lower)
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
