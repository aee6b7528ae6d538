extension AffiliationDatabase {
    /// Reads gitdm's `aliases`: `secondary canonical` a line, two addresses (`!` for `@`)
    /// separated by blanks, mapping the first onto the second.
    ///
    /// A line with other than two words, or a word that is not an address, is an error and
    /// skipped. A secondary address mapped twice keeps its first canonical address, with a
    /// warning. A line mapping an address onto itself changes nothing and is ignored.
    mutating func parseAliases(_ bytes: UnsafeBufferPointer<UInt8>, origin: String) {
        var log = DiagnosticLog(file: origin)
        ByteText.forEachLine(bytes) { number, line in
            if ByteText.isBlankOrComment(line) { return }
            let words = ByteText.fields(line)
            guard words.count == 2 else {
                log.report(.error, line: number, "expected two addresses, 'secondary canonical' (found \(words.count) words); line skipped")
                return
            }
            let secondary = ByteText.emailKey(words[0])
            let canonical = ByteText.emailKey(words[1])
            for address in [secondary, canonical] where !address.contains("@") {
                log.report(.error, line: number, "'\(address)' is not an address (no '!' or '@'); line skipped")
                return
            }
            if secondary == canonical { return }
            if let existing = aliases[secondary] {
                if existing != canonical {
                    let first = aliasSources[secondary].map { " on \($0)" } ?? ""
                    log.report(.warning, line: number, "\(secondary) is already an alias of \(existing)\(first); line ignored")
                }
                return
            }
            aliases[secondary] = canonical
            aliasSources[secondary] = PeopleSourceLine(file: origin, line: number)
        }
        report(log)
    }
}
