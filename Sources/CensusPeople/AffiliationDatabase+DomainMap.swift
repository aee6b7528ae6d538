extension AffiliationDatabase {
    /// A domain-map line before its range is known.
    private struct DomainLine {
        var spelling: Int32
        var until: Day?
        var line: Int
    }

    /// Reads gitdm's `domain-map`: `domain Company`, or `domain Company < YYYY-MM-DD` for a
    /// mapping that holds until (not including) that day.
    ///
    /// ```
    /// example.com Example
    /// acquired.io Acquired < 2012-07-20
    /// acquired.io Buyer
    /// ```
    ///
    /// The lines of one domain in one file make one history, as gitdm reads them: sorted by their
    /// end date, each holds from the previous one's end (the first since always) to its own, the
    /// line without a date last, from the last end on. Above, acquired.io is Acquired until
    /// 2012-07-19 and Buyer from 2012-07-20. A second line with the same end (or a second without)
    /// is a warning and ignored. A line for a free-mail domain is a warning and ignored: those
    /// domains never map to a company. A line whose first word is an address (`jdoe!example.com`)
    /// is a rule for that address alone, read like a domain's. A line without a company, or with a
    /// bad date after `<`, is an error and skipped.
    mutating func parseDomainMap(_ bytes: UnsafeBufferPointer<UInt8>, origin: String) {
        let originID = originID(origin)
        var log = DiagnosticLog(file: origin)
        var lines: [String: [DomainLine]] = [:]
        var order: [String] = []

        ByteText.forEachLine(bytes) { number, line in
            if ByteText.isBlankOrComment(line) { return }
            let text = ByteText.trimmed(line)
            var split = 0
            while split < text.count && !ByteText.isBlank(text[split]) { split += 1 }
            let domainBytes = UnsafeBufferPointer(rebasing: text[..<split])
            var rest = ByteText.trimmed(UnsafeBufferPointer(rebasing: text[split...]))
            var until: Day?
            if let angle = ByteText.firstIndex(of: UInt8(ascii: "<"), in: rest) {
                let date = ByteText.trimmed(UnsafeBufferPointer(rebasing: rest[(angle + 1)...]))
                guard let day = Day(ascii: date) else {
                    log.report(.error, line: number, "'< \(ByteText.string(date))' is not a date (expected YYYY-MM-DD); line skipped")
                    return
                }
                until = day
                rest = ByteText.trimmed(UnsafeBufferPointer(rebasing: rest[..<angle]))
            }
            guard !rest.isEmpty else {
                log.report(.error, line: number, "expected 'domain Company [< YYYY-MM-DD]' (no company); line skipped")
                return
            }
            let isEmail = domainBytes.contains(UInt8(ascii: "@")) || domainBytes.contains(UInt8(ascii: "!"))
            let key = isEmail ? ByteText.emailKey(domainBytes) : ByteText.domainKey(ByteText.string(domainBytes))
            guard !key.isEmpty else {
                log.report(.error, line: number, "the domain is empty; line skipped")
                return
            }
            if !isEmail, freeMail.matchesWhole(domain: key) {
                log.report(
                    .warning, line: number,
                    "\(key) is a free-mail domain; its addresses never map to a company by domain, line ignored")
                return
            }
            let spelling = spellingID(ByteText.string(rest))
            if lines[key] == nil { order.append(key) }
            lines[key, default: []].append(DomainLine(spelling: spelling, until: until, line: number))
        }

        for key in order {
            guard let entries = lines[key] else { continue }
            // Stable sort by end date, the line without one last.
            let sorted = entries.enumerated().sorted { a, b in
                let (untilA, untilB) = (a.element.until?.daysSinceEpoch ?? .max, b.element.until?.daysSinceEpoch ?? .max)
                return untilA != untilB ? untilA < untilB : a.offset < b.offset
            }.map(\.element)
            var from: Day?
            var previous: DomainLine?
            var stints: [Stint] = []
            for entry in sorted {
                if let previous, previous.until == entry.until {
                    let when = entry.until.map { "until \($0)" } ?? "without an end date"
                    log.report(.warning, line: entry.line, "\(key) is already mapped \(when) on line \(previous.line); line ignored")
                    continue
                }
                stints.append(Stint(spelling: entry.spelling, range: DayRange(from: from, until: entry.until), origin: originID, line: Int32(entry.line)))
                from = entry.until
                previous = entry
            }
            if key.contains("@") {
                emailHistories[key, default: []].append(contentsOf: stints)
            } else {
                domainHistories[key, default: []].append(contentsOf: stints)
            }
        }
        report(log)
    }
}
