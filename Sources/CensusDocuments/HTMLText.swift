/// The text of an HTML document, as a reader sees it: tags removed, the contents of `script`,
/// `style`, `template`, `noscript` and comments dropped, character references decoded; block
/// elements (`p`, `div`, `br`, `li`, headings, table cells…) end a line so words on either side
/// stay apart, while inline elements (`b`, `span`, `a`…) join their text (`<b>Go</b>lang` is
/// `Golang`). Also the date a `<meta>` gives (docs/mentions.md).
///
/// Works on UTF-8 bytes in one pass; malformed markup (a `<` that opens no tag, an unclosed
/// comment) never fails: it is read as a browser would read it, roughly.
public struct HTMLText: Sendable {
    /// The visible text, UTF-8.
    public var text: [UInt8]
    /// The `content` of the first `<meta name="date">` (also `dc.date`, `dcterms.date`,
    /// `article:published_time`, `pubdate`), entities decoded; nil when there is none.
    public var metaDate: String?

    /// Elements whose contents are not text a reader sees.
    static let hidden: Set<String> = ["script", "style", "template", "noscript"]
    /// Elements that start or end a line.
    static let block: Set<String> = [
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "fieldset", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
        "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul", "body", "html", "head",
        "option", "summary", "details", "meta",
    ]
    static let dateNames: Set<String> = ["date", "dc.date", "dcterms.date", "article:published_time", "pubdate", "publishdate"]

    public init(html bytes: [UInt8]) {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var metaDate: String?
        let n = bytes.count
        var i = 0
        var textStart = 0
        func flushText(_ end: Int) {
            if end > textStart { Self.decodeReferences(bytes[textStart..<end], into: &out) }
        }
        while i < n {
            guard bytes[i] == UInt8(ascii: "<") else {
                i += 1
                continue
            }
            // A comment, <!DOCTYPE …>, <?…?>, or a tag; anything else is a literal '<'.
            if Self.hasPrefix(bytes, i, "<!--") {
                flushText(i)
                let end = Self.find(bytes, from: i + 4, "-->") ?? n
                i = min(n, end + 3)
                textStart = i
                continue
            }
            let next = i + 1 < n ? bytes[i + 1] : 0
            let isTagStart = Self.isASCIILetter(next) || next == UInt8(ascii: "/") || next == UInt8(ascii: "!") || next == UInt8(ascii: "?")
            guard isTagStart else {
                i += 1
                continue
            }
            flushText(i)
            let tag = Self.readTag(bytes, from: i)
            i = tag.end
            textStart = i
            if tag.name.isEmpty { continue }
            if tag.name == "meta", !tag.closing, metaDate == nil,
                let name = tag.attributes["name"] ?? tag.attributes["property"] ?? tag.attributes["itemprop"],
                Self.dateNames.contains(name.lowercased()), let content = tag.attributes["content"]
            {
                metaDate = content
            }
            if Self.block.contains(tag.name) {
                if out.last != UInt8(ascii: "\n") { out.append(UInt8(ascii: "\n")) }
            }
            if !tag.closing, !tag.selfClosing, Self.hidden.contains(tag.name) {
                // Skip to the matching end tag (raw text: no tags inside count).
                var search = i
                var endFound = n
                while let lt = Self.find(bytes, from: search, "</") {
                    if Self.hasPrefixIgnoringCase(bytes, lt + 2, tag.name) {
                        let after = lt + 2 + tag.name.utf8.count
                        if after >= n || !Self.isNameByte(bytes[after]) {
                            endFound = lt
                            break
                        }
                    }
                    search = lt + 2
                }
                i = endFound < n ? Self.readTag(bytes, from: endFound).end : n
                textStart = i
                if out.last != UInt8(ascii: "\n") { out.append(UInt8(ascii: "\n")) }
            }
        }
        flushText(n)
        self.text = out
        self.metaDate = metaDate
    }

    struct Tag {
        var name: String
        var closing: Bool
        var selfClosing: Bool
        var attributes: [String: String]
        var end: Int
    }

    /// Reads the tag starting at `start` (`<`): its lowercased name, attributes with decoded
    /// values, and the offset after its `>` (the end of the input when it has none).
    static func readTag(_ b: [UInt8], from start: Int) -> Tag {
        let n = b.count
        var i = start + 1
        var closing = false
        if i < n, b[i] == UInt8(ascii: "!") || b[i] == UInt8(ascii: "?") {
            // <!DOCTYPE …>, <![CDATA[…]]>, <?xml …?>: skipped whole.
            let end = find(b, from: i, ">") ?? n
            return Tag(name: "", closing: false, selfClosing: true, attributes: [:], end: min(n, end + 1))
        }
        if i < n, b[i] == UInt8(ascii: "/") {
            closing = true
            i += 1
        }
        let nameStart = i
        while i < n, isNameByte(b[i]) { i += 1 }
        let name = String(decoding: b[nameStart..<i], as: UTF8.self).lowercased()
        var attributes: [String: String] = [:]
        var selfClosing = false
        while i < n {
            while i < n, isSpace(b[i]) { i += 1 }
            guard i < n else { break }
            if b[i] == UInt8(ascii: ">") {
                i += 1
                return Tag(name: name, closing: closing, selfClosing: selfClosing, attributes: attributes, end: i)
            }
            if b[i] == UInt8(ascii: "/") {
                selfClosing = true
                i += 1
                continue
            }
            let attrStart = i
            while i < n, !isSpace(b[i]), b[i] != UInt8(ascii: "="), b[i] != UInt8(ascii: ">"), b[i] != UInt8(ascii: "/") { i += 1 }
            let attrName = String(decoding: b[attrStart..<i], as: UTF8.self).lowercased()
            if i == attrStart {
                i += 1
                continue
            }
            while i < n, isSpace(b[i]) { i += 1 }
            var value = ""
            if i < n, b[i] == UInt8(ascii: "=") {
                i += 1
                while i < n, isSpace(b[i]) { i += 1 }
                if i < n, b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") {
                    let quote = b[i]
                    let valueStart = i + 1
                    let valueEnd = b[valueStart...].firstIndex(of: quote) ?? n
                    var decoded: [UInt8] = []
                    decodeReferences(b[valueStart..<valueEnd], into: &decoded)
                    value = String(decoding: decoded, as: UTF8.self)
                    i = min(n, valueEnd + 1)
                } else {
                    let valueStart = i
                    while i < n, !isSpace(b[i]), b[i] != UInt8(ascii: ">") { i += 1 }
                    var decoded: [UInt8] = []
                    decodeReferences(b[valueStart..<i], into: &decoded)
                    value = String(decoding: decoded, as: UTF8.self)
                }
            }
            if attributes[attrName] == nil { attributes[attrName] = value }
        }
        return Tag(name: name, closing: closing, selfClosing: selfClosing, attributes: attributes, end: n)
    }

    /// Named references census decodes (the common ones in documents; others stay as written).
    static let named: [String: [UInt32]] = [
        "amp": [0x26], "lt": [0x3C], "gt": [0x3E], "quot": [0x22], "apos": [0x27], "nbsp": [0xA0],
        "ensp": [0x2002], "emsp": [0x2003], "thinsp": [0x2009], "ndash": [0x2013], "mdash": [0x2014],
        "lsquo": [0x2018], "rsquo": [0x2019], "ldquo": [0x201C], "rdquo": [0x201D], "hellip": [0x2026],
        "middot": [0xB7], "bull": [0x2022], "laquo": [0xAB], "raquo": [0xBB], "copy": [0xA9], "reg": [0xAE],
        "trade": [0x2122], "times": [0xD7], "divide": [0xF7], "yen": [0xA5], "euro": [0x20AC], "pound": [0xA3],
        "cent": [0xA2], "sect": [0xA7], "deg": [0xB0], "plusmn": [0xB1], "para": [0xB6], "shy": [0xAD],
        "zwj": [0x200D], "zwnj": [0x200C],
    ]

    /// Appends `text` with `&name;`, `&#123;` and `&#x7B;` decoded; an unknown name, a missing
    /// `;` or a bad number leaves the text as written; code points that are not characters
    /// (0, surrogates, above U+10FFFF) become U+FFFD, as HTML parsers do.
    static func decodeReferences(_ text: ArraySlice<UInt8>, into out: inout [UInt8]) {
        var i = text.startIndex
        let end = text.endIndex
        while i < end {
            let b = text[i]
            guard b == UInt8(ascii: "&") else {
                out.append(b)
                i += 1
                continue
            }
            // Up to 32 bytes to the ';'.
            var semicolon = i + 1
            while semicolon < end, semicolon - i <= 32, text[semicolon] != UInt8(ascii: ";") { semicolon += 1 }
            guard semicolon < end, text[semicolon] == UInt8(ascii: ";"), semicolon > i + 1 else {
                out.append(b)
                i += 1
                continue
            }
            let body = text[(i + 1)..<semicolon]
            var scalars: [UInt32]?
            if body.first == UInt8(ascii: "#") {
                let digits = body.dropFirst()
                var value: UInt32?
                if let x = digits.first, x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
                    value = UInt32(String(decoding: digits.dropFirst(), as: UTF8.self), radix: 16)
                } else {
                    value = UInt32(String(decoding: digits, as: UTF8.self), radix: 10)
                }
                if let value, !digits.isEmpty {
                    let valid = value != 0 && value <= 0x10FFFF && !(0xD800...0xDFFF).contains(value)
                    scalars = [valid ? value : 0xFFFD]
                }
            } else {
                scalars = named[String(decoding: body, as: UTF8.self)]
            }
            guard let scalars else {
                out.append(b)
                i += 1
                continue
            }
            for scalar in scalars {
                // A no-break space reads as a space (a pattern's `\s` and `\b` should see one).
                DocumentDecoder.appendUTF8(scalar == 0xA0 ? 0x20 : scalar, to: &out)
            }
            i = semicolon + 1
        }
    }

    static func isASCIILetter(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") }
    static func isNameByte(_ b: UInt8) -> Bool {
        isASCIILetter(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-") || b == UInt8(ascii: ":")
            || b == UInt8(ascii: "_")
    }
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }

    static func hasPrefix(_ b: [UInt8], _ at: Int, _ prefix: String) -> Bool {
        let p = Array(prefix.utf8)
        return at + p.count <= b.count && b[at..<(at + p.count)].elementsEqual(p)
    }

    static func hasPrefixIgnoringCase(_ b: [UInt8], _ at: Int, _ prefix: String) -> Bool {
        let p = Array(prefix.utf8)
        guard at + p.count <= b.count else { return false }
        for k in 0..<p.count where b[at + k] | 0x20 != p[k] | 0x20 { return false }
        return true
    }

    static func find(_ b: [UInt8], from: Int, _ needle: String) -> Int? {
        let p = Array(needle.utf8)
        guard !p.isEmpty, from >= 0 else { return nil }
        var i = from
        while i + p.count <= b.count {
            if b[i] == p[0], b[i..<(i + p.count)].elementsEqual(p) { return i }
            i += 1
        }
        return nil
    }
}
