#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level helpers shared by the rule-file parsers: lines, trimming, splitting, ASCII case.
enum ByteText {
    static let tab = UInt8(ascii: "\t")
    static let space = UInt8(ascii: " ")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let hash = UInt8(ascii: "#")

    /// Calls `body` with each line (1-based number, bytes without the line break and without a
    /// trailing `\r`). A UTF-8 byte order mark at the start is skipped.
    ///
    /// - Complexity: O(n), the line breaks found with `memchr`.
    static func forEachLine(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var start = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        var number = 0
        while start < bytes.count {
            number += 1
            let remaining = bytes.count - start
            let end: Int
            if let found = memchr(base + start, Int32(newline), remaining) {
                end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            } else {
                end = bytes.count
            }
            var lineEnd = end
            if lineEnd > start && bytes[lineEnd - 1] == carriageReturn { lineEnd -= 1 }
            body(number, UnsafeBufferPointer(rebasing: bytes[start..<lineEnd]))
            start = end + 1
        }
    }

    static func isBlank(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    /// The bytes without leading and trailing spaces and tabs.
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lower = 0
        var upper = bytes.count
        while lower < upper && isBlank(bytes[lower]) { lower += 1 }
        while upper > lower && isBlank(bytes[upper - 1]) { upper -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[lower..<upper])
    }

    /// Whether the line holds only blanks, or is a `#` comment (after optional blanks).
    static func isBlankOrComment(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in line where !isBlank(byte) { return byte == hash }
        return true
    }

    /// The fields of `bytes` separated by runs of spaces and tabs.
    static func fields(_ bytes: UnsafeBufferPointer<UInt8>) -> [UnsafeBufferPointer<UInt8>] {
        var result: [UnsafeBufferPointer<UInt8>] = []
        var index = 0
        while index < bytes.count {
            while index < bytes.count && isBlank(bytes[index]) { index += 1 }
            let start = index
            while index < bytes.count && !isBlank(bytes[index]) { index += 1 }
            if index > start { result.append(UnsafeBufferPointer(rebasing: bytes[start..<index])) }
        }
        return result
    }

    /// The first index of `needle` in `bytes` at or after `from`, or nil.
    static func firstIndex(of needle: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
        var index = from
        while index < bytes.count {
            if bytes[index] == needle { return index }
            index += 1
        }
        return nil
    }

    /// Whether `bytes` ends with the ASCII text `suffix`.
    static func hasSuffix(_ bytes: UnsafeBufferPointer<UInt8>, _ suffix: StaticString) -> Bool {
        let count = suffix.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        let start = suffix.utf8Start
        for offset in 0..<count where bytes[bytes.count - count + offset] != start[offset] { return false }
        return true
    }

    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// An email address as the rule tables key it: trimmed, gitdm's `!` read as `@` (when there
    /// is no `@` already), lowercased. Non-ASCII is lowercased by the standard library.
    static func emailKey(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let bytes = trimmed(bytes)
        var hasAt = false
        var isASCII = true
        for byte in bytes {
            if byte == UInt8(ascii: "@") { hasAt = true }
            if byte >= 0x80 { isASCII = false }
        }
        var result = [UInt8]()
        result.reserveCapacity(bytes.count)
        for byte in bytes {
            if byte == UInt8(ascii: "!") && !hasAt {
                result.append(UInt8(ascii: "@"))
            } else if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") {
                result.append(byte | 0x20)
            } else {
                result.append(byte)
            }
        }
        let text = String(decoding: result, as: UTF8.self)
        return isASCII ? text : text.lowercased()
    }

    /// ``emailKey(_:)`` of a string.
    static func emailKey(_ text: String) -> String {
        var text = text
        return text.withUTF8 { emailKey($0) }
    }

    /// A domain as the rule tables key it: trimmed, lowercased, without a leading `@` or `.` and
    /// a trailing `.`.
    static func domainKey(_ text: String) -> String {
        var key = emailKey(text)
        while key.hasPrefix("@") || key.hasPrefix(".") { key.removeFirst() }
        while key.hasSuffix(".") { key.removeLast() }
        return key
    }

    /// Runs of spaces and tabs turned into one space; the ends trimmed.
    static func collapsingWhitespace(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar == " " || scalar == "\t" || scalar == "\u{00A0}" || scalar == "\u{3000}" {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
