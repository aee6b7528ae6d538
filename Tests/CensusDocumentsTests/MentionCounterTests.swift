import Foundation
import Testing

@testable import CensusDocuments

#if canImport(Glibc)
    import Glibc
#endif

/// The fixture corpus (Fixtures/corpus, made by Fixtures/make-corpus.sh): the expected counts are
/// worked out by hand from the texts in Fixtures/README.md, file by file.
@Suite struct MentionCounterTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static let corpus = fixtures + "/corpus"

    static func patterns() throws -> [MentionPattern] {
        [try MentionPattern(argument: #"go=\bGo\b|Golang|Go语言"#), try MentionPattern(argument: #"java=\bJava\b"#)]
    }

    static func options(dates: [DateMethod] = [.frontMatter, .filename], by period: MentionPeriod = .month) throws -> MentionOptions {
        var options = MentionOptions(patterns: try patterns())
        options.dateMethods = dates
        options.datePattern = try DatePattern(DatePattern.defaultPattern)
        options.period = period
        options.jobs = 2
        return options
    }

    static var hasPDFToText: Bool { PDFTextExtractor().executable != nil }

    @Test(.enabled(if: hasPDFToText, "pdftotext is not installed (apt-get install poppler-utils)"))
    func theCorpusCountsAsWorkedOutByHand() throws {
        let report = MentionCounter(options: try Self.options()).run(inputs: [Self.corpus, Self.corpus + "/missing.md"])
        let perFile = Dictionary(uniqueKeysWithValues: report.documents.map {
            (String($0.path.dropFirst(Self.corpus.count + 1)), $0)
        })
        // File by file: encoding, date, source, [go, java].
        let expected: [String: (DocumentEncoding, String, DateMethod, [Int])] = [
            "jobs/2024-01-en-ad.md": (.utf8, "2024-01-15", .frontMatter, [2, 2]),
            "2024-01-zh-utf8bom.md": (.utf8BOM, "2024-01-20", .frontMatter, [3, 0]),
            "2024-02-zh-utf16le.txt": (.utf16LE, "2024-02-03", .frontMatter, [1, 2]),
            "2024-02-en-utf16be.txt": (.utf16BE, "2024-02-10", .frontMatter, [3, 1]),
            "2024-03-zh-gb18030.txt": (.gb18030, "2024-03-01", .frontMatter, [1, 1]),
            "2024-03-en-page.html": (.utf8, "2024-03-15", .frontMatter, [5, 3]),
            "2024-03-tender.pdf": (.pdfText, "2024-03", .filename, [1, 1]),
        ]
        #expect(Set(perFile.keys) == Set(expected.keys))
        for (name, (encoding, date, source, matches)) in expected {
            let document = try #require(perFile[name], "\(name)")
            #expect(document.encoding == encoding, "\(name)")
            #expect(document.date.description == date, "\(name)")
            #expect(document.dateSource == source, "\(name)")
            #expect(document.matches == matches, "\(name)")
        }
        #expect(report.rows.map { [$0.period, $0.pattern, "\($0.documents)", "\($0.matches)", "\($0.periodDocuments)"] } == [
            ["2024-01", "go", "2", "5", "2"], ["2024-01", "java", "1", "2", "2"],
            ["2024-02", "go", "2", "4", "2"], ["2024-02", "java", "2", "3", "2"],
            ["2024-03", "go", "3", "7", "3"], ["2024-03", "java", "3", "5", "3"],
        ])
        #expect(report.rows[4].dateSources == [.frontMatter: 2, .filename: 1])

        // Bad input: each named with its reason; the rest counted.
        let problems = Dictionary(uniqueKeysWithValues: report.problems.map { ($0.path.split(separator: "/").last.map(String.init) ?? "", $0) })
        #expect(problems.count == 4)
        #expect(problems["binary.txt"]?.kind == .binary)
        #expect(problems["broken-latin1.txt"]?.kind == .undecodable)
        #expect(problems["broken-latin1.txt"]?.reason.contains("invalid byte 0xE9 at offset 28") == true)
        #expect(problems["nodate.md"]?.kind == .noDate)
        #expect(problems["nodate.md"]?.reason.contains("no front matter") == true)
        #expect(problems["missing.md"]?.kind == .unreadable)
        #expect(problems["missing.md"]?.reason.contains("No such file or directory") == true)
        #expect(report.ignored == 1)  // ignored.csv; .hidden.md is not even looked at
        #expect(report.encodings == [.utf8: 2, .utf8BOM: 1, .utf16LE: 1, .utf16BE: 1, .gb18030: 1, .pdfText: 1])
    }

    @Test(.enabled(if: hasPDFToText, "pdftotext is not installed (apt-get install poppler-utils)"))
    func byYearTheMonthsAddUp() throws {
        let report = MentionCounter(options: try Self.options(by: .year)).run(inputs: [Self.corpus])
        // 2 + 2 + 3 documents; go in all 7 (5 + 4 + 7 matches), java in 6 (2 + 3 + 5 matches).
        #expect(report.rows.map { [$0.period, $0.pattern, "\($0.documents)", "\($0.matches)", "\($0.periodDocuments)"] } == [
            ["2024", "go", "7", "16", "7"], ["2024", "java", "6", "10", "7"],
        ])
    }

    @Test func withoutAFallbackThePDFHasNoDate() throws {
        var options = try Self.options(dates: [.frontMatter])
        options.pdf = PDFTextExtractor(executable: nil, timeout: 1)
        let report = MentionCounter(options: options).run(inputs: [Self.corpus + "/2024-03-tender.pdf", Self.corpus + "/nodate.md"])
        #expect(report.documents.isEmpty)
        // Without pdftotext the PDF is named for that, before any date is looked for.
        #expect(report.problems.map(\.kind) == [.pdf, .noDate])
        #expect(report.problems[0].reason.contains("pdftotext is not installed"))
    }

    /// A scratch directory for documents made in the test.
    final class Scratch {
        let path: String
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("census-mentions-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        @discardableResult
        func write(_ name: String, _ text: String) throws -> String {
            let file = path + "/" + name
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            return file
        }
    }

    @Test func mtimeDatesAreUTCAndNamedAsTheSource() throws {
        let scratch = try Scratch()
        let file = try scratch.write("note.txt", "Go Go Java")
        // 2023-05-31T23:30:00Z: still May in UTC (it is June in UTC+8).
        var times = [timeval(tv_sec: 1_685_575_800, tv_usec: 0), timeval(tv_sec: 1_685_575_800, tv_usec: 0)]
        #expect(utimes(file, &times) == 0)
        let report = MentionCounter(options: try Self.options(dates: [.frontMatter, .mtime])).run(inputs: [scratch.path])
        #expect(report.documents.map(\.dateSource) == [.mtime])
        #expect(report.rows.map { "\($0.period) \($0.pattern) \($0.documents) \($0.matches)" } == ["2023-05 go 1 2", "2023-05 java 1 1"])
    }

    @Test func damagedAndHostilePDFsAreNamedWithPdftotextsReason() throws {
        let scratch = try Scratch()
        let broken = try scratch.write("2024-01-broken.pdf", "%PDF-1.4\nthis is not a PDF body\n")
        // A stand-in for pdftotext that hangs: stopped at the time limit.
        let hanging = try scratch.write("hang.sh", "#!/bin/sh\nexec sleep 30\n")
        chmod(hanging, 0o755)
        var options = try Self.options()
        options.pdf = PDFTextExtractor(executable: hanging, timeout: 0.5)
        let hung = MentionCounter(options: options).run(inputs: [broken])
        #expect(hung.problems.first?.reason.contains("took longer than") == true, "\(hung.problems)")
        if Self.hasPDFToText {
            let report = MentionCounter(options: try Self.options()).run(inputs: [broken])
            #expect(report.problems.count == 1)
            #expect(report.problems.first?.kind == .pdf)
            #expect(report.problems.first?.reason.contains("pdftotext") == true, "\(report.problems)")
        }
    }

    @Test func aFileOverTheSizeLimitAndAnAbandonedPatternAreNamed() throws {
        let scratch = try Scratch()
        try scratch.write("2024-01-big.txt", String(repeating: "Go ", count: 100))
        try scratch.write("2024-02-x.txt", String(repeating: "x", count: 40))
        var options = try Self.options()
        options.maxFileSize = 200
        options.patterns.append(try MentionPattern(name: "slow", source: "(x+x+)+y"))
        let report = MentionCounter(options: options).run(inputs: [scratch.path])
        #expect(report.problems.map(\.kind) == [.tooLarge, .patternAbandoned])
        #expect(report.documents.isEmpty)
    }
}
