extension AffiliationDatabase {
    /// Reads the simple CSV: `email_or_domain,company,from,until` a row.
    ///
    /// ```
    /// email_or_domain,company,from,until
    /// jdoe@example.com,Example Inc.,2019-01-01,
    /// example.org,"Example, Ltd.",,2020-06-01
    /// ```
    ///
    /// The header row is optional (a first row whose first two cells are `email_or_domain` or
    /// `email` or `domain`, then `company`). `from` and `until` are `YYYY-MM-DD` or empty (open);
    /// the range is `[from, until)`. A first cell with `@` (or gitdm's `!`) is an address and joins
    /// the address's history; otherwise it is a domain and joins the domain rules. Cells may be
    /// quoted with `"` (a doubled `""` inside is one quote). `#` lines are comments. A row with
    /// fewer than two or more than four cells, an empty key or company, a bad date, an empty range
    /// or an unterminated quote is an error and skipped; a row for a free-mail domain is a warning
    /// and ignored.
    mutating func parseCSV(_ bytes: UnsafeBufferPointer<UInt8>, origin: String) {
        let originID = originID(origin)
        var log = DiagnosticLog(file: origin)
        var isFirstRow = true
        ByteText.forEachLine(bytes) { number, line in
            if ByteText.isBlankOrComment(line) { return }
            defer { isFirstRow = false }
            guard let cells = Self.csvCells(line) else {
                log.report(.error, line: number, "a quoted cell is not closed on its line; row skipped")
                return
            }
            if isFirstRow, cells.count >= 2, ["email_or_domain", "email", "domain"].contains(cells[0].lowercased()),
                cells[1].lowercased() == "company"
            {
                return
            }
            guard (2...4).contains(cells.count) else {
                log.report(.error, line: number, "expected email_or_domain,company,from,until (found \(cells.count) cells); row skipped")
                return
            }
            guard !cells[0].isEmpty, !cells[1].isEmpty else {
                log.report(.error, line: number, "the \(cells[0].isEmpty ? "email or domain" : "company") is empty; row skipped")
                return
            }
            var range = DayRange()
            for (index, name) in [(2, "from"), (3, "until")] where index < cells.count && !cells[index].isEmpty {
                guard let day = Day(cells[index]) else {
                    log.report(.error, line: number, "\(name) '\(cells[index])' is not a date (expected YYYY-MM-DD or empty); row skipped")
                    return
                }
                if index == 2 { range.from = day } else { range.until = day }
            }
            guard !range.isEmpty else {
                log.report(.error, line: number, "the range \(range) holds no day ('until' is not after 'from'); row skipped")
                return
            }
            let isEmail = cells[0].contains("@") || cells[0].contains("!")
            let key = isEmail ? ByteText.emailKey(cells[0]) : ByteText.domainKey(cells[0])
            if !isEmail, freeMail.matchesWhole(domain: key) {
                log.report(.warning, line: number, "\(key) is a free-mail domain; it never maps to a company by domain, row ignored")
                return
            }
            let stint = Stint(spelling: spellingID(cells[1]), range: range, origin: originID, line: Int32(number))
            if isEmail {
                emailHistories[key, default: []].append(stint)
            } else {
                domainHistories[key, default: []].append(stint)
            }
        }
        report(log)
    }

    /// The cells of one CSV line, each trimmed of leading and trailing blanks (quoted or not); nil
    /// for an unterminated quote.
    static func csvCells(_ line: UnsafeBufferPointer<UInt8>) -> [String]? {
        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        var cells: [String] = []
        var cell: [UInt8] = []
        var index = 0
        var inQuotes = false
        while index < line.count {
            let byte = line[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < line.count && line[index + 1] == quote {
                        cell.append(quote)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    cell.append(byte)
                }
            } else if byte == quote {
                inQuotes = true
            } else if byte == comma {
                cells.append(String(decoding: cell, as: UTF8.self).trimmingBlanks())
                cell.removeAll(keepingCapacity: true)
            } else {
                cell.append(byte)
            }
            index += 1
        }
        guard !inQuotes else { return nil }
        cells.append(String(decoding: cell, as: UTF8.self).trimmingBlanks())
        return cells
    }
}
