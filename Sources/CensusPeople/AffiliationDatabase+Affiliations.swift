extension AffiliationDatabase {
    /// A developer entry being read: its line, login, addresses and company lines.
    private struct PendingEntry {
        var line: Int
        var login: String
        var emails: [String]
        var stints: [Stint] = []
    }

    /// Reads gitdm's `developers_affiliations*.txt`.
    ///
    /// ```
    /// # comment
    /// jdoe*: jdoe!example.com, jdoe!users.noreply.github.com
    /// <tab>Independent until 2017-01-01
    /// <tab>Example Inc. from 2017-01-01 until 2019-06-01
    /// <tab>Other Corp from 2019-06-01
    /// ```
    ///
    /// A developer line is `login: address, address, ...` (a trailing `*` on the login, gitdm's mark
    /// for "found under several addresses", is dropped; `!` stands for `@`). The company lines under
    /// it are indented with a tab or spaces: `Company`, `Company until D`, `Company from D`,
    /// `Company from D until D`, with `D` = `YYYY-MM-DD` and ranges half-open, `[from, until)`.
    /// A developer line without a colon is an error and its company lines are skipped with it; a
    /// company line with a bad date, an empty name or an empty range is an error and skipped; a
    /// word in the address list that is not an address (no `@` or `!`) is a warning and dropped.
    /// An address listed under two developers with different histories keeps both, with a
    /// warning; with the same history, once.
    ///
    /// - Complexity: O(n) in the bytes; one dictionary update per address and per company line.
    mutating func parseAffiliations(_ bytes: UnsafeBufferPointer<UInt8>, origin: String) {
        let originID = originID(origin)
        var log = DiagnosticLog(file: origin)
        var entry: PendingEntry?
        var skippingCompanyLines = false

        ByteText.forEachLine(bytes) { number, line in
            if ByteText.isBlankOrComment(line) { return }
            if ByteText.isBlank(line[0]) {
                guard var current = entry else {
                    if !skippingCompanyLines {
                        log.report(.error, line: number, "a company line before any developer line; line skipped")
                    }
                    return
                }
                entry = nil  // keep the array uniquely referenced while appending
                if let stint = companyLine(ByteText.trimmed(line), number: number, originID: originID, log: &log) {
                    current.stints.append(stint)
                }
                entry = current
                return
            }
            if let finished = entry { addEntry(finished, originID: originID, log: &log) }
            entry = developerLine(line, number: number, log: &log)
            skippingCompanyLines = entry == nil
        }
        if let finished = entry { addEntry(finished, originID: originID, log: &log) }
        report(log)
    }

    /// `login: a!b.com, c!d.org`, or nil (reported) when the line is not one.
    private mutating func developerLine(_ line: UnsafeBufferPointer<UInt8>, number: Int, log: inout DiagnosticLog)
        -> PendingEntry?
    {
        guard let colon = ByteText.firstIndex(of: UInt8(ascii: ":"), in: line) else {
            log.report(
                .error, line: number,
                "expected a developer line 'login: address, address' (no colon found); it and its company lines skipped")
            return nil
        }
        var login = ByteText.string(ByteText.trimmed(UnsafeBufferPointer(rebasing: line[..<colon])))
        while login.hasSuffix("*") { login.removeLast() }
        login = login.trimmingBlanks()
        guard !login.isEmpty else {
            log.report(.error, line: number, "the login before ':' is empty; the developer and its company lines skipped")
            return nil
        }
        var emails: [String] = []
        let list = UnsafeBufferPointer(rebasing: line[(colon + 1)...])
        var start = 0
        while start <= list.count {
            let end = ByteText.firstIndex(of: UInt8(ascii: ","), in: list, from: start) ?? list.count
            let word = ByteText.trimmed(UnsafeBufferPointer(rebasing: list[start..<end]))
            start = end + 1
            if word.isEmpty { continue }
            let email = ByteText.emailKey(word)
            guard email.utf8.contains(UInt8(ascii: "@")) else {
                log.report(.warning, line: number, "'\(ByteText.string(word))' is not an address (no '!' or '@'); ignored")
                continue
            }
            if !emails.contains(email) { emails.append(email) }
        }
        developerLines += 1
        logins.insert(login)
        if emails.isEmpty {
            log.report(.warning, line: number, "developer '\(login)' lists no address; its company lines cannot apply")
        }
        return PendingEntry(line: number, login: login, emails: emails)
    }

    /// `Company [from D] [until D]`, already trimmed; nil (reported) when the line is bad.
    private mutating func companyLine(
        _ text: UnsafeBufferPointer<UInt8>, number: Int, originID: Int32, log: inout DiagnosticLog
    ) -> Stint? {
        var name = text
        var range = DayRange()
        switch Self.trailingDate(&name, keyword: " until ") {
        case .absent: break
        case .date(let day): range.until = day
        case .bad(let found):
            log.report(.error, line: number, "'until \(found)' is not a date (expected YYYY-MM-DD); line skipped")
            return nil
        }
        switch Self.trailingDate(&name, keyword: " from ") {
        case .absent: break
        case .date(let day): range.from = day
        case .bad(let found):
            log.report(.error, line: number, "'from \(found)' is not a date (expected YYYY-MM-DD); line skipped")
            return nil
        }
        // "Company from D until D" read backwards takes "until" first; "Company until D from D" is
        // caught as a bad 'until' date, since "D from D" is not a date.
        name = ByteText.trimmed(name)
        guard !name.isEmpty else {
            log.report(.error, line: number, "a company line without a company name; line skipped")
            return nil
        }
        guard !range.isEmpty else {
            log.report(.error, line: number, "the range \(range) holds no day ('until' is not after 'from'); line skipped")
            return nil
        }
        return Stint(spelling: spellingID(ByteText.string(name)), range: range, origin: originID, line: Int32(number))
    }

    enum TrailingDate {
        case absent
        case date(Day)
        case bad(String)
    }

    /// Takes `keyword D` off the end of `text`. The keyword counts only when followed by something
    /// that starts with a digit, so a company called "Far from Home" keeps its name.
    static func trailingDate(_ text: inout UnsafeBufferPointer<UInt8>, keyword: StaticString) -> TrailingDate {
        let count = keyword.utf8CodeUnitCount
        guard text.count > count else { return .absent }
        let key = UnsafeBufferPointer(start: keyword.utf8Start, count: count)
        var start = text.count - count
        while start >= 0 {
            var matches = true
            for offset in 0..<count where text[start + offset] != key[offset] {
                matches = false
                break
            }
            if matches { break }
            start -= 1
        }
        var end = start + count
        if start < 0 {
            // The keyword at the very start ("from 2019-01-01"): a line without a company name.
            guard text.count > count - 1, (1..<count).allSatisfy({ text[$0 - 1] == key[$0] }) else { return .absent }
            start = 0
            end = count - 1
        }
        let tail = ByteText.trimmed(UnsafeBufferPointer(rebasing: text[end...]))
        guard let first = tail.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else { return .absent }
        guard let day = Day(ascii: tail) else { return .bad(ByteText.string(tail)) }
        text = UnsafeBufferPointer(rebasing: text[..<start])
        return .date(day)
    }

    /// Files a finished developer entry under each of its addresses.
    private mutating func addEntry(_ entry: PendingEntry, originID: Int32, log: inout DiagnosticLog) {
        guard !entry.stints.isEmpty else {
            log.report(.warning, line: entry.line, "developer '\(entry.login)' has no valid company line; nothing to attribute")
            return
        }
        let entryID = Int32(entryHistories.count)
        entryHistories.append(entry.stints)
        loginHistories[entry.login.lowercased(), default: []].append(contentsOf: entry.stints)
        entrySources.append(PeopleSourceLine(file: origins[Int(originID)], line: entry.line))
        for email in entry.emails {
            if let previous = emailEntry[email] {
                let earlier = entryHistories[Int(previous)]
                if Self.sameHistory(earlier, entry.stints) { continue }
                log.report(
                    .warning, line: entry.line,
                    "\(email) is listed again with a different history (first at \(entrySources[Int(previous)])); "
                        + "both are kept, the most specific range of a day wins")
            } else {
                emailEntry[email] = entryID
            }
            emailHistories[email, default: []].append(contentsOf: entry.stints)
        }
    }

    /// Whether two histories say the same: the same companies (as spelled) over the same ranges.
    static func sameHistory(_ a: [Stint], _ b: [Stint]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.spelling == $1.spelling && $0.range == $1.range }
    }
}
