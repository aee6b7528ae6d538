/// ClickHouse's text forms: string literals and identifiers for SQL, `TabSeparated` fields for
/// inserts and answers.
///
/// ClickHouse 18.16 has no query parameters, so the store writes values into the SQL as literals.
/// Every string goes through ``literal(_:)``; nothing else is ever spliced.
package enum ClickHouseSQL {
    // MARK: - SQL literals

    /// A string literal: `'…'` with the backslash, the quote and every control byte escaped.
    ///
    /// ClickHouse reads a literal as bytes with C-like escapes: `\\`, `\'`, `\n`, `\t`, `\r`, `\0`,
    /// `\b`, `\f` and `\xHH`. Other bytes, UTF-8 included, stand for themselves.
    ///
    /// ```swift
    /// ClickHouseSQL.literal("it's\\") // 'it\'s\\'
    /// ```
    package static func literal(_ text: String) -> String {
        literal(bytes: Array(text.utf8), escapingNonASCII: false)
    }

    /// A string literal for arbitrary bytes (not necessarily UTF-8).
    ///
    /// - Parameter escapingNonASCII: Write bytes 0x80…0xFF as `\xHH` too, so the literal is plain
    ///   ASCII and survives any conversion to `String` (invalid UTF-8 included).
    package static func literal(bytes: [UInt8], escapingNonASCII: Bool = true) -> String {
        var out: [UInt8] = [UInt8(ascii: "'")]
        out.reserveCapacity(bytes.count + 2)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "'"): out += [UInt8(ascii: "\\"), UInt8(ascii: "'")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x00: out += [UInt8(ascii: "\\"), UInt8(ascii: "0")]
            case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x01..<0x20, 0x7F: out += hexEscape(byte)
            case 0x80...0xFF where escapingNonASCII: out += hexEscape(byte)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "'"))
        // Only ASCII was added, and other bytes were copied whole, so valid UTF-8 stays valid.
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexEscape(_ byte: UInt8) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        return [UInt8(ascii: "\\"), UInt8(ascii: "x"), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
    }

    /// A quoted identifier: `` `name` `` with the backquote and backslash escaped.
    package static func identifier(_ name: String) -> String {
        var out = "`"
        for character in name.unicodeScalars {
            switch character {
            case "`": out += "\\`"
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\0": out += "\\0"
            default: out.unicodeScalars.append(character)
            }
        }
        return out + "`"
    }

    /// The value as a ClickHouse literal.
    package static func literal(_ value: StoreValue) -> String {
        switch value {
        case .integer(let number): return String(number)
        case .real(let number):
            // Swift prints the shortest text that reads back as the same double.
            return number.isFinite ? "\(number)" : (number.isNaN ? "nan" : (number > 0 ? "inf" : "-inf"))
        case .text(let text): return literal(text)
        }
    }

    /// The query with each `?` placeholder replaced by its argument as a literal.
    ///
    /// Placeholders are found outside quoted strings and identifiers only (the store's SQL never
    /// quotes a `?`, but a literal written in the SQL may hold one).
    ///
    /// - Throws: ``CensusStoreError`` `unexpectedData` when the counts of placeholders and arguments
    ///   differ (a bug in the query builder; nothing is sent).
    package static func inline(_ query: SQLText) throws -> String {
        var out = ""
        out.reserveCapacity(query.sql.utf8.count + 32 * query.arguments.count)
        var arguments = query.arguments.makeIterator()
        var quote: Character?
        var escaped = false
        for character in query.sql {
            if let open = quote {
                out.append(character)
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == open {
                    quote = nil
                }
                continue
            }
            switch character {
            case "'", "`", "\"":
                quote = character
                out.append(character)
            case "?":
                guard let argument = arguments.next() else {
                    throw CensusStoreError(
                        .unexpectedData, path: "ClickHouse query",
                        message: "the query has more placeholders than arguments: \(query.sql.prefix(200))")
                }
                out += literal(argument)
            default:
                out.append(character)
            }
        }
        if arguments.next() != nil {
            throw CensusStoreError(
                .unexpectedData, path: "ClickHouse query",
                message: "the query has more arguments than placeholders: \(query.sql.prefix(200))")
        }
        return out
    }

    // MARK: - TabSeparated

    /// Appends a string field in `TabSeparated` form: backslash, tab, line feed, carriage return,
    /// NUL, backspace and form feed escaped (so `\N`, NULL's spelling, never appears by accident).
    static func appendField(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x00: out += [UInt8(ascii: "\\"), UInt8(ascii: "0")]
            case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            default: out.append(byte)
            }
        }
    }

    /// Appends a nullable string field (`\N` for `nil`).
    static func appendField(_ text: String?, to out: inout [UInt8]) {
        if let text { appendField(text, to: &out) } else { out += [UInt8(ascii: "\\"), UInt8(ascii: "N")] }
    }

    static func appendField(_ number: Int64, to out: inout [UInt8]) {
        out += Array(String(number).utf8)
    }

    static func appendField(_ number: Int64?, to out: inout [UInt8]) {
        if let number { appendField(number, to: &out) } else { out += [UInt8(ascii: "\\"), UInt8(ascii: "N")] }
    }

    /// Builds `TabSeparated` rows: fields separated by tabs, each row ended by a line feed.
    struct RowWriter {
        var bytes: [UInt8] = []
        var rows = 0
        private var fieldsInRow = 0

        mutating func field(_ text: String) {
            separate()
            ClickHouseSQL.appendField(text, to: &bytes)
        }
        mutating func field(_ text: String?) {
            separate()
            ClickHouseSQL.appendField(text, to: &bytes)
        }
        mutating func field(_ number: Int64) {
            separate()
            ClickHouseSQL.appendField(number, to: &bytes)
        }
        mutating func field(_ number: Int64?) {
            separate()
            ClickHouseSQL.appendField(number, to: &bytes)
        }
        mutating func field(_ number: Int) { field(Int64(number)) }
        mutating func field(_ number: Int?) { field(number.map(Int64.init)) }

        mutating func endRow() {
            bytes.append(0x0A)
            fieldsInRow = 0
            rows += 1
        }

        private mutating func separate() {
            if fieldsInRow > 0 { bytes.append(0x09) }
            fieldsInRow += 1
        }
    }

    /// Reads an answer in `TabSeparatedWithNames`: the first line names the columns, each further line
    /// is a row; `\N` is `NULL`.
    ///
    /// - Throws: ``ClickHouseRows/FormatError`` when a row has the wrong number of fields.
    static func parseTabSeparatedWithNames(_ bytes: [UInt8]) throws -> ClickHouseRows {
        var lines: [ArraySlice<UInt8>] = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let header = lines.first else { return ClickHouseRows(columns: [:], rows: []) }
        let names = splitFields(header).map { $0 ?? "" }
        var columns: [String: Int] = [:]
        for (index, name) in names.enumerated() { columns[name] = index }
        var rows: [[String?]] = []
        rows.reserveCapacity(lines.count - 1)
        for (number, line) in lines.dropFirst().enumerated() {
            let fields = splitFields(line)
            guard fields.count == names.count else {
                throw ClickHouseRows.FormatError(
                    message: "row \(number + 1) of the answer has \(fields.count) fields, not \(names.count)")
            }
            rows.append(fields)
        }
        return ClickHouseRows(columns: columns, rows: rows)
    }

    /// One line's fields, unescaped; `nil` for `\N`.
    static func splitFields(_ line: ArraySlice<UInt8>) -> [String?] {
        var fields: [String?] = []
        var field: [UInt8] = []
        var index = line.startIndex
        var isNull = false
        while index < line.endIndex {
            let byte = line[index]
            if byte == 0x09 {
                fields.append(isNull ? nil : String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                isNull = false
            } else if byte == UInt8(ascii: "\\"), index + 1 < line.endIndex {
                index += 1
                let next = line[index]
                switch next {
                case UInt8(ascii: "n"): field.append(0x0A)
                case UInt8(ascii: "t"): field.append(0x09)
                case UInt8(ascii: "r"): field.append(0x0D)
                case UInt8(ascii: "0"): field.append(0x00)
                case UInt8(ascii: "b"): field.append(0x08)
                case UInt8(ascii: "f"): field.append(0x0C)
                case UInt8(ascii: "a"): field.append(0x07)
                case UInt8(ascii: "v"): field.append(0x0B)
                case UInt8(ascii: "N") where field.isEmpty: isNull = true
                default: field.append(next)  // \\, \', and anything else stand for the character.
                }
            } else {
                field.append(byte)
            }
            index += 1
        }
        fields.append(isNull ? nil : String(decoding: field, as: UTF8.self))
        return fields
    }
}

/// Rows of a ClickHouse answer, read by column name.
struct ClickHouseRows {
    struct FormatError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Column name → index.
    var columns: [String: Int]
    var rows: [[String?]]

    /// The text of a column in a row.
    func text(_ row: [String?], _ column: String) throws -> String? {
        guard let index = columns[column] else {
            throw FormatError(message: "the answer has no column \(column)")
        }
        return row[index]
    }

    func string(_ row: [String?], _ column: String) throws -> String {
        guard let text = try text(row, column) else {
            throw FormatError(message: "column \(column) is NULL where census expects a value")
        }
        return text
    }

    func optionalInt(_ row: [String?], _ column: String) throws -> Int? {
        guard let text = try text(row, column) else { return nil }
        guard let number = Int(text) else {
            throw FormatError(message: "column \(column) holds '\(text.prefix(40))', not an integer")
        }
        return number
    }

    func int(_ row: [String?], _ column: String) throws -> Int {
        guard let number = try optionalInt(row, column) else {
            throw FormatError(message: "column \(column) is NULL where census expects a number")
        }
        return number
    }

    func double(_ row: [String?], _ column: String) throws -> Double {
        let text = try string(row, column)
        switch text {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan", "-nan": return .nan
        default:
            guard let number = Double(text) else {
                throw FormatError(message: "column \(column) holds '\(text.prefix(40))', not a number")
            }
            return number
        }
    }
}
