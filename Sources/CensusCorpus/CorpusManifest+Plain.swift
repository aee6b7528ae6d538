extension ManifestReading {
    /// One URL or path per line. Blank lines and lines starting with `#` are skipped; so is a `#`
    /// comment after a space or tab. Surrounding spaces, tabs and a `\r` are dropped.
    mutating func readPlain(_ body: ArraySlice<UInt8>) {
        var line = 0
        for raw in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            line += 1
            var text = String(decoding: raw, as: UTF8.self)
            if let comment = Self.trailingComment(in: text) { text = String(text[..<comment]) }
            text = text.trimmingPadding()
            if text.isEmpty || text.hasPrefix("#") { continue }
            if let entry = entry(text, line: line) { entries.append(entry) }
        }
    }

    /// Where a `#` comment starts: at the start of the line, or after a space or tab.
    static func trailingComment(in text: String) -> String.Index? {
        var previous: Character? = nil
        for index in text.indices {
            let character = text[index]
            if character == "#" && (previous == nil || previous == " " || previous == "\t") { return index }
            previous = character
        }
        return nil
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs, carriage returns and line feeds.
    func trimmingPadding() -> String {
        let isPadding: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isPadding($0) }), let last = lastIndex(where: { !isPadding($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
