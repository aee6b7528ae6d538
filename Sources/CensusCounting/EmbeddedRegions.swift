import CensusLanguages

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lines of one file that are written in another language, counted with that language's rules.
public struct EmbeddedCount: Sendable, Equatable {
    public var language: LanguageID
    public var counts: LineCounts

    public init(language: LanguageID, counts: LineCounts) {
        self.language = language
        self.counts = counts
    }
}

/// Counts a file of an HTML-family language part by part: `<script>` and `<style>` contents with
/// JavaScript's, TypeScript's, CSS's… rules (by their `type` or `lang` attribute), PHP blocks with
/// PHP's, ERB and EEX blocks with Ruby's and Elixir's, and the text around them with HTML's.
///
/// Parts are whole lines: a part is the lines strictly between the line that opens it (the one
/// holding the opening tag's `>`, `<?php` or `<%`) and the line that closes it (`</script`, `?>`,
/// `%>`). Those two lines hold markup, so they stay with the text around them (as code). Like
/// browsers, a `</script` ends a script wherever it stands, even inside a string or a comment;
/// tags inside `<!-- -->` are not tags.
///
/// Every line is counted exactly once: the file's totals are the sum over its parts and stay in
/// the file's language (as GitHub counts bytes); the parts in other languages are also reported
/// on their own (``EmbeddedCount``).
public enum EmbeddedRegions {
    static let html = LanguageTable.named("HTML")?.id
    static let javaScript = LanguageTable.named("JavaScript")?.id
    static let typeScript = LanguageTable.named("TypeScript")?.id
    static let tsx = LanguageTable.named("TSX")?.id
    static let coffeeScript = LanguageTable.named("CoffeeScript")?.id
    static let json = LanguageTable.named("JSON")?.id
    static let css = LanguageTable.named("CSS")?.id
    static let scss = LanguageTable.named("SCSS")?.id
    static let sass = LanguageTable.named("Sass")?.id
    static let less = LanguageTable.named("Less")?.id
    static let stylus = LanguageTable.named("Stylus")?.id
    static let postCSS = LanguageTable.named("PostCSS")?.id
    static let php = LanguageTable.named("PHP")?.id
    static let ruby = LanguageTable.named("Ruby")?.id
    static let elixir = LanguageTable.named("Elixir")?.id

    /// One part of the file: a byte range starting at a line start and its language.
    struct Part: Equatable {
        var start: Int
        var end: Int
        var language: LanguageID
    }

    /// Counts `bytes`, the whole content of a file in `language`, whose syntax names `rule`.
    ///
    /// - Returns: the file's totals, and the totals of its parts in other languages (in the order
    ///   they first appear).
    /// - Complexity: O(n) over the bytes, plus the counting of each part; allocates a list of
    ///   parts per file (HTML-family files only), nothing per line.
    public static func count(
        _ bytes: UnsafeRawBufferPointer, language: LanguageID, rule: EmbeddingRule, counter: LineCounter
    ) -> (counts: LineCounts, embedded: [EmbeddedCount]) {
        let parts = self.parts(bytes, language: language, rule: rule)
        var total = LineCounts()
        var embedded: [EmbeddedCount] = []
        let hostProgram = hostProgram(language: language, rule: rule)
        for part in parts where part.end > part.start {
            let slice = UnsafeRawBufferPointer(rebasing: bytes[part.start ..< part.end])
            let isHost = part.language == hostLanguage(language: language, rule: rule)
            let program = isHost ? hostProgram : CountingProgram.forLanguage(part.language)
            let counts = counter.count(slice, program: program)
            total += counts
            if part.language != language {
                if let k = embedded.firstIndex(where: { $0.language == part.language }) {
                    embedded[k].counts += counts
                } else {
                    embedded.append(EmbeddedCount(language: part.language, counts: counts))
                }
            }
        }
        return (total, embedded)
    }

    /// The language of the text around the parts: HTML in a PHP file, the file's own elsewhere.
    static func hostLanguage(language: LanguageID, rule: EmbeddingRule) -> LanguageID {
        if rule == .php, language == php, let html { return html }
        return language
    }

    /// The rules the text around the parts is counted with: HTML's (a Vue or Svelte template is
    /// HTML), or for ERB and EEX the file's own (HTML with `<%# %>` comments).
    static func hostProgram(language: LanguageID, rule: EmbeddingRule) -> CountingProgram {
        switch rule {
        case .erb, .eex: return CountingProgram.forLanguage(language)
        case .html, .php: return html.map(CountingProgram.forLanguage) ?? CountingProgram.forLanguage(language)
        }
    }

    /// The file's parts, in order, covering every byte.
    static func parts(_ bytes: UnsafeRawBufferPointer, language: LanguageID, rule: EmbeddingRule) -> [Part] {
        let host = hostLanguage(language: language, rule: rule)
        let n = bytes.count
        guard n > 0, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return [] }
        let p = UnsafeBufferPointer(start: base, count: n)
        var parts: [Part] = []
        var hostStart = 0
        var i = 0
        while i < n {
            guard let lt = find(UInt8(ascii: "<"), p, from: i) else { break }
            i = lt
            if startsWith(p, at: i, "<!--") {
                i = find("-->", p, from: i + 4).map { $0 + 3 } ?? n
                continue
            }
            var contentStart = 0
            var close: (at: Int, count: Int)? = nil
            var part: LanguageID? = nil
            if rule == .php, startsWith(p, at: i, "<?php") || startsWith(p, at: i, "<?=") {
                contentStart = i + (p[i + 2] == UInt8(ascii: "=") ? 3 : 5)
                close = find("?>", p, from: contentStart).map { ($0, 2) }
                part = php
            } else if rule == .erb || rule == .eex, startsWith(p, at: i, "<%") {
                // `<%#`, `<%--` and `<%!--` are comments, left to the file's own rules.
                let next = i + 2 < n ? p[i + 2] : 0
                if next == UInt8(ascii: "#") || next == UInt8(ascii: "!") || (next == UInt8(ascii: "-") && i + 3 < n && p[i + 3] == UInt8(ascii: "-")) {
                    i += 2
                    continue
                }
                contentStart = i + 2
                close = find("%>", p, from: contentStart).map { ($0, 2) }
                part = rule == .erb ? ruby : elixir
            } else if let tag = tagName(p, at: i) {
                guard let tagEnd = openingTagEnd(p, from: i) else { break }
                part = tag == .script ? scriptLanguage(p, tagStart: i, tagEnd: tagEnd) : styleLanguage(p, tagStart: i, tagEnd: tagEnd)
                contentStart = tagEnd + 1
                close = findClosingTag(tag == .script ? "</script" : "</style", p, from: contentStart).map { ($0, 2) }
                if part == nil {
                    // A data block or a template (`text/x-template`): HTML text.
                    i = close.map { $0.at + 2 } ?? n
                    continue
                }
            } else {
                i += 1
                continue
            }
            let innerStart = lineStart(after: contentStart, p)
            let innerEnd = close.map { lineStart(of: $0.at, p) } ?? n
            if let part, innerStart < innerEnd {
                parts.append(Part(start: hostStart, end: innerStart, language: host))
                parts.append(Part(start: innerStart, end: innerEnd, language: part))
                hostStart = innerEnd
            }
            i = close.map { $0.at + $0.count } ?? n
        }
        parts.append(Part(start: hostStart, end: n, language: host))
        return parts
    }

    enum Tag { case script, style }
    static let tags: [(Tag, String)] = [(.script, "script"), (.style, "style")]

    /// `<script` or `<style` (any case) followed by a blank, `>` or `/`.
    static func tagName(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Tag? {
        for (tag, name) in tags where startsWith(p, at: i + 1, name, ignoringCase: true) {
            let after = i + 1 + name.utf8.count
            guard after < p.count else { return nil }
            let b = p[after]
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C || b == UInt8(ascii: ">") || b == UInt8(ascii: "/") {
                return tag
            }
        }
        return nil
    }

    /// The `>` that ends the opening tag at `i`, skipping quoted attribute values.
    static func openingTagEnd(_ p: UnsafeBufferPointer<UInt8>, from i: Int) -> Int? {
        var quote: UInt8 = 0
        var k = i + 1
        while k < p.count {
            let b = p[k]
            if quote != 0 {
                if b == quote { quote = 0 }
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                quote = b
            } else if b == UInt8(ascii: ">") {
                return k
            }
            k += 1
        }
        return nil
    }

    /// The lower-cased value of attribute `name` in the tag `p[tagStart ..< tagEnd]`, if present.
    static func attribute(_ name: String, _ p: UnsafeBufferPointer<UInt8>, tagStart: Int, tagEnd: Int) -> [UInt8]? {
        var k = tagStart + 1
        while k < tagEnd && !isBlank(p[k]) { k += 1 }  // the tag name
        while k < tagEnd {
            while k < tagEnd && (isBlank(p[k]) || p[k] == UInt8(ascii: "/")) { k += 1 }
            let nameStart = k
            while k < tagEnd && !isBlank(p[k]) && p[k] != UInt8(ascii: "=") && p[k] != UInt8(ascii: "/") { k += 1 }
            let matched = k - nameStart == name.utf8.count && startsWith(p, at: nameStart, name, ignoringCase: true)
            while k < tagEnd && isBlank(p[k]) { k += 1 }
            var value: [UInt8] = []
            if k < tagEnd && p[k] == UInt8(ascii: "=") {
                k += 1
                while k < tagEnd && isBlank(p[k]) { k += 1 }
                if k < tagEnd && (p[k] == UInt8(ascii: "\"") || p[k] == UInt8(ascii: "'")) {
                    let q = p[k]
                    k += 1
                    while k < tagEnd && p[k] != q {
                        if matched { value.append(lower(p[k])) }
                        k += 1
                    }
                    k += 1
                } else {
                    while k < tagEnd && !isBlank(p[k]) {
                        if matched { value.append(lower(p[k])) }
                        k += 1
                    }
                }
            }
            if matched { return value }
            if k == nameStart { k += 1 }
        }
        return nil
    }

    /// A script's language: `lang` (Vue, Svelte) first, then `type`; `nil` for data blocks and
    /// templates (`application/ld+json` is JSON; `text/x-template` and unknown types stay HTML).
    static func scriptLanguage(_ p: UnsafeBufferPointer<UInt8>, tagStart: Int, tagEnd: Int) -> LanguageID? {
        let value = attribute("lang", p, tagStart: tagStart, tagEnd: tagEnd) ?? attribute("type", p, tagStart: tagStart, tagEnd: tagEnd) ?? []
        switch String(decoding: value, as: UTF8.self) {
        case "", "module", "text/javascript", "application/javascript", "text/ecmascript", "application/ecmascript",
            "application/x-javascript", "text/jsx", "text/babel", "jsx", "babel", "js", "javascript":
            return javaScript
        case "ts", "typescript", "text/typescript", "application/typescript": return typeScript
        case "tsx": return tsx
        case "coffee", "coffeescript", "text/coffeescript": return coffeeScript
        case "application/ld+json", "application/json", "importmap", "speculationrules", "json": return json
        default: return nil
        }
    }

    /// A style sheet's language from `lang` or `type`: CSS unless it names SCSS, Sass, Less,
    /// Stylus or PostCSS; `nil` for anything else.
    static func styleLanguage(_ p: UnsafeBufferPointer<UInt8>, tagStart: Int, tagEnd: Int) -> LanguageID? {
        let value = attribute("lang", p, tagStart: tagStart, tagEnd: tagEnd) ?? attribute("type", p, tagStart: tagStart, tagEnd: tagEnd) ?? []
        switch String(decoding: value, as: UTF8.self) {
        case "", "css", "text/css": return css
        case "scss": return scss
        case "sass": return sass
        case "less", "text/less": return less
        case "stylus", "styl": return stylus
        case "postcss", "pcss": return postCSS
        default: return nil
        }
    }

    /// The first `</script` (or `</style`) at or after `from`, in any case.
    static func findClosingTag(_ tag: String, _ p: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var k = from
        while let lt = find(UInt8(ascii: "<"), p, from: k) {
            if startsWith(p, at: lt, tag, ignoringCase: true) { return lt }
            k = lt + 1
        }
        return nil
    }

    /// The start of the line after the one holding `p[i - 1]` (the byte before `i`): the first
    /// line that starts at or after `i` and is not the line `i` is on.
    static func lineStart(after i: Int, _ p: UnsafeBufferPointer<UInt8>) -> Int {
        var k = i
        while k < p.count {
            if p[k] == 0x0A { return k + 1 }
            if p[k] == 0x0D { return k + 1 < p.count && p[k + 1] == 0x0A ? k + 2 : k + 1 }
            k += 1
        }
        return p.count
    }

    /// The start of the line holding `p[i]`.
    static func lineStart(of i: Int, _ p: UnsafeBufferPointer<UInt8>) -> Int {
        var k = i
        while k > 0 && p[k - 1] != 0x0A && p[k - 1] != 0x0D { k -= 1 }
        return k
    }

    static func find(_ byte: UInt8, _ p: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard from < p.count, let base = p.baseAddress else { return nil }
        guard let hit = memchr(base + from, Int32(byte), p.count - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    static func find(_ text: String, _ p: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let first = text.utf8.first ?? 0
        var k = from
        while let hit = find(first, p, from: k) {
            if startsWith(p, at: hit, text) { return hit }
            k = hit + 1
        }
        return nil
    }

    static func startsWith(_ p: UnsafeBufferPointer<UInt8>, at i: Int, _ text: String, ignoringCase: Bool = false) -> Bool {
        let t = text.utf8
        guard i >= 0, i + t.count <= p.count else { return false }
        var k = i
        for b in t {
            if (ignoringCase ? lower(p[k]) : p[k]) != b { return false }
            k += 1
        }
        return true
    }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }
    @inline(__always) static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }
}
