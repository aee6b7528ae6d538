import CensusCounting
import CensusLanguages
import Foundation
import Testing

/// Whole files in several languages, each stating its own expected counts on its first or second
/// line (`census-expect: code=N comments=N blanks=N`, worked out by hand line by line; the header line
/// itself is counted). The language is detected from the file name, as a scan would.
@Suite("Language fixtures")
struct FixtureTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    @Test func thereAreFixtures() {
        #expect(Self.names.count >= 15)
    }

    @Test(arguments: names)
    func countsMatchTheHeader(_ name: String) throws {
        let bytes = try Array(Data(contentsOf: Self.directory.appendingPathComponent(name)))
        let text = String(decoding: bytes, as: UTF8.self)
        let header = try #require(text.split(separator: "\n").prefix(2).first { $0.contains("census-expect:") })
        var expected: [String: Int] = [:]
        for field in header.split(separator: " ") where field.contains("=") {
            let parts = field.split(separator: "=")
            expected[String(parts[0])] = Int(parts[1].prefix { $0.isNumber })
        }
        let detection = try #require(LanguageDetector().detect(fileName: name, prefix: bytes))
        let counts: LineCounts
        if let rule = LanguageTable[detection.language].syntax.embedding {
            // HTML-family files are counted part by part, as a scan does.
            counts = bytes.withUnsafeBytes {
                EmbeddedRegions.count($0, language: detection.language, rule: rule, counter: LineCounter()).counts
            }
        } else {
            counts = LineCounter().count(bytes, program: CountingProgram.forLanguage(detection.language))
        }
        #expect(
            counts == LineCounts(code: expected["code"] ?? -1, comments: expected["comments"] ?? -1, blanks: expected["blanks"] ?? -1),
            "\(name) as \(LanguageTable[detection.language].name)")
    }
}
