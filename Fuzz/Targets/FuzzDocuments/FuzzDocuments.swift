// Fuzz target: the document decoder of `census mentions` (encodings, HTML text, front matter,
// dates) and mention counting on what it decodes.
//
// Input: one mode byte, then bytes.
// - mode 0: the bytes are a document: decoding either throws a `DocumentDecodingError` or gives
//   valid UTF-8 (equal to the input for plain UTF-8); the HTML text of the result is valid UTF-8 too,
//   and counting `go=\bGo\b|Golang` in it ends (a count or `.abandoned`);
// - modes 1 and 2: the bytes, read as UTF-8 with replacement, are encoded here as UTF-16 LE or BE
//   with a byte order mark: decoding gives back exactly their UTF-8.
import CensusDocuments
import CensusFuzzSupport

private let pattern = try? MentionPattern(name: "go", source: "\\bGo\\b|Golang")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDocuments(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let mode = input.byte() % 3
    let bytes = [UInt8](input.rest())
    if mode != 0 {
        let text = String(decoding: bytes, as: UTF8.self)
        var encoded: [UInt8] = mode == 1 ? [0xFF, 0xFE] : [0xFE, 0xFF]
        for unit in text.utf16 {
            let high = UInt8(unit >> 8), low = UInt8(unit & 0xFF)
            encoded += mode == 1 ? [low, high] : [high, low]
        }
        // A text starting with U+0000 U+0000 after FF FE would read as a UTF-32 mark: not this property.
        if mode == 1 && encoded.count >= 4 && encoded[2] == 0 && encoded[3] == 0 { return 0 }
        do {
            let decoded = try DocumentDecoder.decode(encoded)
            fuzzCheck(decoded.encoding == (mode == 1 ? .utf16LE : .utf16BE), "encoding \(decoded.encoding)")
            fuzzCheck(decoded.text == Array(text.utf8), "UTF-16 round trip changed the text")
        } catch {
            fuzzCheck(false, "UTF-16 with a byte order mark did not decode: \(error)")
        }
        return 0
    }
    let decoded: (text: [UInt8], encoding: DocumentEncoding)
    do {
        decoded = try DocumentDecoder.decode(bytes)
    } catch {
        return 0
    }
    fuzzCheck(DocumentDecoder.firstInvalidUTF8(decoded.text) == nil, "decoded \(decoded.encoding) text is not UTF-8")
    if decoded.encoding == .utf8 { fuzzCheck(decoded.text == bytes, "UTF-8 input changed") }
    let html = HTMLText(html: decoded.text)
    fuzzCheck(DocumentDecoder.firstInvalidUTF8(html.text) == nil, "HTML text is not UTF-8")
    if let date = html.metaDate { _ = DocumentDate.parse(date) }
    if let front = FrontMatter.parse(decoded.text) {
        fuzzCheck(front.bodyOffset >= 0 && front.bodyOffset <= decoded.text.count, "front matter body at \(front.bodyOffset)")
        if let date = front.date { _ = DocumentDate.parse(date) }
    }
    if let pattern {
        _ = pattern.count(in: decoded.text)
        _ = pattern.count(in: html.text)
    }
    return 0
}

@main enum Main {
    static func main() {
        FuzzMain.run(
            FuzzTarget(
                name: "FuzzDocuments",
                fixtureDirectories: ["Tests/CensusDocumentsTests/Fixtures"],
                extraSeeds: [
                    [0] + Array("---\ndate: 2024-05-01\n---\n<html><meta name=\"date\" content=\"2023-01-02\"><p>Go &amp; Golang</p><script>Go</script>".utf8),
                    [0, 0xC4, 0xE3, 0xBA, 0xC3, 0x47, 0x6F],  // GB18030 "你好" then "Go"
                    [1] + Array("Go 语言".utf8), [2] + Array("Golang 🙂".utf8),
                ]
            ) { _, bytes in [[0] + bytes] },
            fuzzDocuments)
    }
}
