#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The character encoding a document was read in, as census detected it (docs/mentions.md).
public enum DocumentEncoding: String, Sendable, CaseIterable, Codable {
    /// UTF-8 without a byte order mark (plain ASCII is reported as this too).
    case utf8 = "utf-8"
    /// UTF-8 after the byte order mark EF BB BF.
    case utf8BOM = "utf-8-bom"
    /// UTF-16, little-endian, after the byte order mark FF FE.
    case utf16LE = "utf-16le"
    /// UTF-16, big-endian, after the byte order mark FE FF.
    case utf16BE = "utf-16be"
    /// GB18030 (which contains GBK and GB2312): bytes that are not UTF-8 but are valid GB18030.
    case gb18030 = "gb18030"
    /// Text pdftotext extracted (UTF-8) from a PDF.
    case pdfText = "pdf-text"
}

/// Why a document's bytes could not be turned into text.
public struct DocumentDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

/// Turns a document's bytes into UTF-8, detecting the encoding.
///
/// Order: a byte order mark decides (UTF-8, UTF-16 LE or BE; a UTF-32 mark is refused); without
/// one, a NUL byte in the first 8,000 bytes means binary (git's rule); then valid UTF-8 is UTF-8;
/// then bytes glibc's iconv converts from GB18030 without error are GB18030; anything else is
/// undecodable, named with the offset of its first byte that is not UTF-8.
public enum DocumentDecoder {
    /// The text as UTF-8 (without a byte order mark) and the encoding found.
    ///
    /// - Throws: ``DocumentDecodingError`` for binary data and undecodable bytes.
    /// - Complexity: O(n); one pass for UTF-8, one more through iconv for GB18030.
    public static func decode(_ bytes: [UInt8]) throws(DocumentDecodingError) -> (text: [UInt8], encoding: DocumentEncoding) {
        if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) || bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
            throw DocumentDecodingError(reason: "UTF-32 (by its byte order mark), which census does not read: convert it to UTF-8")
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            let body = Array(bytes[3...])
            if let bad = firstInvalidUTF8(body) {
                throw DocumentDecodingError(reason: "invalid UTF-8 at byte \(bad + 3) after a UTF-8 byte order mark")
            }
            return (body, .utf8BOM)
        }
        if bytes.starts(with: [0xFF, 0xFE]) { return (try utf16(bytes, littleEndian: true), .utf16LE) }
        if bytes.starts(with: [0xFE, 0xFF]) { return (try utf16(bytes, littleEndian: false), .utf16BE) }
        if let nul = bytes.prefix(8000).firstIndex(of: 0) {
            throw DocumentDecodingError(reason: "binary (a NUL byte at offset \(nul), and no UTF-16 byte order mark)")
        }
        guard let bad = firstInvalidUTF8(bytes) else { return (bytes, .utf8) }
        if let converted = iconvToUTF8(bytes, from: "GB18030") { return (converted, .gb18030) }
        throw DocumentDecodingError(
            reason: "undecodable: neither UTF-8 (invalid byte 0x\(String(bytes[bad], radix: 16, uppercase: true)) at offset \(bad)) nor GB18030")
    }

    /// The offset of the first byte that does not belong to a valid UTF-8 sequence (overlong
    /// forms, surrogates and values above U+10FFFF are invalid), or nil.
    public static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { p -> Int? in
            let n = p.count
            var i = 0
            while i < n {
                let b = p[i]
                if b < 0x80 {
                    i += 1
                    continue
                }
                let length: Int
                var lower: UInt8 = 0x80
                var upper: UInt8 = 0xBF
                switch b {
                case 0xC2...0xDF: length = 2
                case 0xE0:
                    length = 3
                    lower = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: length = 3
                case 0xED:
                    length = 3
                    upper = 0x9F
                case 0xF0:
                    length = 4
                    lower = 0x90
                case 0xF1...0xF3: length = 4
                case 0xF4:
                    length = 4
                    upper = 0x8F
                default: return i
                }
                if i + length > n { return i }
                if p[i + 1] < lower || p[i + 1] > upper { return i }
                var k = 2
                while k < length {
                    if p[i + k] & 0xC0 != 0x80 { return i }
                    k += 1
                }
                i += length
            }
            return nil
        }
    }

    /// UTF-16 after its byte order mark, as UTF-8; unpaired surrogates and an odd byte count are
    /// errors.
    static func utf16(_ bytes: [UInt8], littleEndian: Bool) throws(DocumentDecodingError) -> [UInt8] {
        let name = littleEndian ? "UTF-16LE" : "UTF-16BE"
        if bytes.count % 2 != 0 {
            throw DocumentDecodingError(reason: "undecodable \(name): an odd number of bytes (\(bytes.count))")
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3 / 2)
        var i = 2
        func unit(_ at: Int) -> UInt32 {
            littleEndian ? UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 : UInt32(bytes[at]) << 8 | UInt32(bytes[at + 1])
        }
        while i < bytes.count {
            var scalar = unit(i)
            if (0xD800...0xDBFF).contains(scalar) {
                guard i + 3 < bytes.count else {
                    throw DocumentDecodingError(reason: "undecodable \(name): a lone high surrogate at byte \(i)")
                }
                let low = unit(i + 2)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw DocumentDecodingError(reason: "undecodable \(name): a high surrogate without its low half at byte \(i)")
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                i += 4
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw DocumentDecodingError(reason: "undecodable \(name): a lone low surrogate at byte \(i)")
            } else {
                i += 2
            }
            appendUTF8(scalar, to: &out)
        }
        return out
    }

    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | (scalar >> 6) & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | (scalar >> 12) & 0x3F))
            out.append(UInt8(0x80 | (scalar >> 6) & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// The bytes converted to UTF-8 by glibc's iconv from `encoding`, or nil when iconv does
    /// not know the encoding or meets an invalid or incomplete sequence.
    static func iconvToUTF8(_ bytes: [UInt8], from encoding: String) -> [UInt8]? {
        let handle = iconv_open("UTF-8", encoding)
        if handle == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(handle) }
        // GB18030 takes at most 4 bytes per character and UTF-8 at most 4: 2× is always enough
        // for ASCII-heavy text; grow and continue when E2BIG says otherwise.
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        var produced = 0
        var input = bytes
        let ok = input.withUnsafeMutableBufferPointer { inBuffer -> Bool in
            var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress)?
                .assumingMemoryBound(to: CChar.self)
            var inLeft = inBuffer.count
            while inLeft > 0 {
                let result: Int = output.withUnsafeMutableBufferPointer { outBuffer in
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress! + produced)
                        .assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuffer.count - produced
                    let r = iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
                    produced = outBuffer.count - outLeft
                    return r == -1 ? -Int(errno) : 0
                }
                if result == -Int(E2BIG) {
                    output.append(contentsOf: [UInt8](repeating: 0, count: output.count))
                    continue
                }
                if result < 0 { return false }
            }
            return true
        }
        guard ok else { return nil }
        output.removeSubrange(produced...)
        return output
    }
}
