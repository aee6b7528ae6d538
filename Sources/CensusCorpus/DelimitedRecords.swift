/// Splits CSV or TSV bytes into records, RFC 4180 style, remembering the line each starts on.
///
/// - Fields are separated by the delimiter (`,` or a tab); records by `\n` or `\r\n`.
/// - A field starting with `"` is quoted: it may hold delimiters, line breaks and `""` (one `"`).
/// - Spaces (and tabs, in CSV) around a field are dropped: manifests are written by hand.
/// - Blank lines, and lines whose first byte is `#`, are skipped.
/// - A record is malformed when a quote is still open at the end of the input, or when text follows
///   a closing quote (`"a"b`; RFC 4180 forbids it). The second catches most stray quotes, which
///   pair with the next quote, usually at the start of a later field, and would otherwise swallow
///   the rows between. A malformed record is reported with the line it starts on, and reading goes
///   on from the next line, so one stray `"` costs one line.
///
/// - Complexity: O(n) in the input's length.
package struct DelimitedRecords {
    package struct Record {
        package var fields: [String]
        /// The line the record starts on, from 1.
        package var line: Int
    }

    /// A record that could not be read: the line it starts on and why.
    package struct Malformed {
        package var line: Int
        package var message: String
    }

    package enum Item {
        case record(Record)
        case malformed(Malformed)
    }

    private static let quote = UInt8(ascii: "\"")
    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
    private static let hash = UInt8(ascii: "#")

    /// The records of `bytes` (without a byte-order mark), in order.
    package static func read(_ bytes: ArraySlice<UInt8>, delimiter: UInt8) -> [Item] {
        var items: [Item] = []
        var i = bytes.startIndex
        let end = bytes.endIndex
        var line = 1

        func isPadding(_ byte: UInt8) -> Bool { byte == space || (byte == tab && delimiter != tab) }
        /// The index after the `\n` ending the line that contains `index` (or the end).
        func nextLineStart(_ index: Int) -> Int {
            var j = index
            while j < end && bytes[j] != newline { j += 1 }
            return j < end ? j + 1 : end
        }

        records: while i < end {
            let recordLine = line
            let recordStart = i
            // Blank and comment lines.
            var probe = i
            while probe < end && isPadding(bytes[probe]) { probe += 1 }
            if probe == end || bytes[probe] == newline || bytes[probe] == hash
                || (bytes[probe] == carriageReturn && (probe + 1 == end || bytes[probe + 1] == newline))
            {
                i = nextLineStart(probe)
                line += 1
                continue
            }
            var fields: [String] = []
            var field: [UInt8] = []
            fieldLoop: while true {
                field.removeAll(keepingCapacity: true)
                while i < end && isPadding(bytes[i]) { i += 1 }
                if i < end && bytes[i] == quote {
                    let openingLine = line
                    i += 1
                    var closed = false
                    while i < end {
                        let byte = bytes[i]
                        if byte == quote {
                            if i + 1 < end && bytes[i + 1] == quote {
                                field.append(quote)
                                i += 2
                                continue
                            }
                            i += 1
                            closed = true
                            break
                        }
                        if byte == newline { line += 1 }
                        field.append(byte)
                        i += 1
                    }
                    if !closed {
                        items.append(
                            .malformed(
                                Malformed(
                                    line: recordLine,
                                    message:
                                        "unterminated quoted field: the \" opened on line \(openingLine) is never closed (write a quote inside a quoted field as \"\"); line skipped"
                                )))
                        i = nextLineStart(recordStart)
                        line = recordLine + 1
                        continue records
                    }
                    // Only padding may follow the closing quote. Anything else means the quote
                    // was stray and paired with a later one, swallowing what lay between.
                    while i < end && (isPadding(bytes[i]) || bytes[i] == carriageReturn) { i += 1 }
                    if i < end && bytes[i] != delimiter && bytes[i] != newline {
                        items.append(
                            .malformed(
                                Malformed(
                                    line: recordLine,
                                    message: line == openingLine
                                        ? "text after a quoted field's closing quote (write a quote inside a quoted field as \"\"); line skipped"
                                        : "the quoted field opened on line \(openingLine) closes on line \(line) with text after the quote: a stray \"? (write a quote inside a quoted field as \"\"); line skipped"
                                )))
                        i = nextLineStart(recordStart)
                        line = recordLine + 1
                        continue records
                    }
                } else {
                    while i < end && bytes[i] != delimiter && bytes[i] != newline {
                        field.append(bytes[i])
                        i += 1
                    }
                    while let last = field.last, isPadding(last) || last == carriageReturn { field.removeLast() }
                }
                fields.append(String(decoding: field, as: UTF8.self))
                if i < end && bytes[i] == delimiter {
                    i += 1
                    continue fieldLoop
                }
                if i < end {  // a newline
                    i += 1
                    line += 1
                }
                break fieldLoop
            }
            items.append(.record(Record(fields: fields, line: recordLine)))
        }
        return items
    }
}
