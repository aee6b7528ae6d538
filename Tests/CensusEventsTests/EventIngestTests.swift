import CodeCensus
import Foundation
import Testing

@testable import CensusStore

/// `census events ingest` end to end into SQLite: inputs made in the test (compressed by the
/// system's gzip), every kind of bad input of issue 12, reruns and parallel workers.
@Suite struct EventIngestTests {
    final class Scratch {
        let path: String
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("census-events-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }

        func write(_ name: String, _ bytes: [UInt8]) throws -> String {
            let file = path + "/" + name
            let directory = (file as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            return file
        }

        /// Writes `text` gzip-compressed by the system's gzip.
        func gzip(_ name: String, _ text: String) throws -> String {
            let plain = try write(name + ".plain", Array(text.utf8))
            let target = path + "/" + name
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "gzip -c -6 \"$0\" > \"$1\" && rm \"$0\"", plain, target]
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
            return target
        }

        var database: String { path + "/census.sqlite" }
    }

    static func event(_ id: Int, _ type: String = "WatchEvent", repo: String = "acme/widget", actor: String = "alice", at time: String = "2024-01-10T10:00:00Z") -> String {
        #"{"id":"\#(id)","type":"\#(type)","actor":{"login":"\#(actor)"},"repo":{"name":"\#(repo)"},"payload":{"action":"started"},"public":true,"created_at":"\#(time)"}"#
    }

    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/mixed-eras.json").path

    func ingest(
        _ paths: [String], into database: String, jobs: Int = 1, chunkEvents: Int = EventFileReader.defaultChunkEvents
    ) throws -> [EventIngestResult] {
        let store = try CensusDatabase.open(path: database)
        defer { try? store.close() }
        let (inputs, problems) = EventInput.expand(paths)
        #expect(problems.isEmpty, "\(problems)")
        return EventIngest(jobs: jobs, chunkEvents: chunkEvents).run(inputs, into: store) { _ in }
    }

    func total(_ database: String, _ metric: EventMetric = .events, _ filter: EventFilter = EventFilter(includeBots: true)) throws -> Int {
        let store = try CensusDatabase.open(path: database, readOnly: true)
        defer { try? store.close() }
        return try store.eventTotal(metric, filter: filter)
    }

    // MARK: - Bad input, each named, nothing stored lost

    @Test func truncatedGzipKeepsItsGoodEventsAndARerunCompletesIt() throws {
        let scratch = try Scratch()
        let lines = (1...2000).map { Self.event(10_000 + $0, at: "2024-01-10T10:\(String(format: "%02d", $0 % 60)):00Z") }
        let whole = try scratch.gzip("whole.json.gz", lines.joined(separator: "\n") + "\n")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: whole)))
        let cut = try scratch.write("hour/2024-01-10-10.json.gz", Array(bytes.prefix(bytes.count / 2)))
        _ = try ingest([Self.fixture], into: scratch.database)
        let before = try total(scratch.database)

        let first = try ingest([cut], into: scratch.database)
        let failure = try #require(first[0].report.failure)
        #expect(failure.kind == .truncated)
        #expect(failure.compressedOffset == Int64(bytes.count / 2))
        #expect(failure.description.contains("2024-01-10-10.json.gz") && failure.description.contains("byte \(bytes.count / 2)"))
        #expect(first[0].failed)
        let kept = first[0].saved?.stored ?? 0
        #expect(kept > 0 && kept < 2000)
        #expect(first[0].report.cutLine)
        #expect(first[0].report.malformed == 0)
        #expect(try total(scratch.database) == before + kept)
        let store = try CensusDatabase.open(path: scratch.database)
        #expect(try store.eventFile(named: "2024-01-10-10.json.gz")?.status == .partial)
        try store.close()

        // The same truncated file again: read again (it is partial), nothing new.
        let again = try ingest([cut], into: scratch.database)
        #expect(!again[0].skipped && again[0].saved?.stored == 0)
        // The whole file under the same name: the rest is stored and the file is complete.
        try FileManager.default.removeItem(atPath: cut)
        try FileManager.default.copyItem(atPath: whole, toPath: cut)
        let fixed = try ingest([cut], into: scratch.database)
        #expect(fixed[0].report.isComplete && fixed[0].saved?.stored == 2000 - kept)
        #expect(try total(scratch.database) == before + 2000)
        let last = try ingest([cut], into: scratch.database)
        #expect(last[0].skipped)
    }

    @Test func notGzipEmptyAndUnreadableFilesAreNamed() throws {
        let scratch = try Scratch()
        _ = try ingest([Self.fixture], into: scratch.database)
        let before = try total(scratch.database)
        let plain = try scratch.write("bad/2015-01-01-0.json.gz", Array((Self.event(1) + "\n").utf8))
        let empty = try scratch.write("bad/2015-01-01-1.json.gz", [])
        let results = try ingest([plain, empty], into: scratch.database)
        #expect(results.count == 2)
        #expect(results[0].report.failure?.kind == .notGzip)
        #expect(results[0].report.failure?.description.contains("2015-01-01-0.json.gz") == true)
        #expect(results[1].report.failure?.kind == .notGzip)
        #expect(results[1].report.failure?.reason == "the file is empty")
        #expect(results.allSatisfy { $0.failed && $0.saved?.stored == 0 })
        #expect(try total(scratch.database) == before)
        // A path that does not exist is named, and the rest goes on.
        let (inputs, problems) = EventInput.expand([scratch.path + "/missing.json.gz", plain])
        #expect(inputs.count == 1 && problems.count == 1 && problems[0].contains("missing.json.gz"))
    }

    @Test func malformedLinesAreCountedWithTheirLineNumbers() throws {
        let scratch = try Scratch()
        let text = [
            Self.event(1),
            "this is not JSON",
            "[\"an\", \"array\"]",
            Self.event(2),
            #"{"id":"3","type":"WatchEvent","created_at":"2024-01-10T10:00:00Z","actor":null,"payload":{}}"#,  // null actor, no repo
            #"{"id":"4","type":"WatchEvent","created_at":"2024-01-10T10:00:00Z","repo":{"name":"x/y"}"#,  // cut short
            "",
            Self.event(5, "BrandNewEvent"),
        ].joined(separator: "\n")
        let file = try scratch.gzip("2024-01-10-10.json.gz", text)
        let result = try #require(try ingest([file], into: scratch.database).first)
        #expect(result.report.lines == 8)
        #expect(result.report.events == 4)
        #expect(result.report.malformed == 3)
        #expect(result.report.malformedSamples.map(\.line) == [2, 3, 6])
        #expect(result.report.malformedSamples.map(\.problem.reason) == [.notJSON, .notObject, .expectedCommaOrEnd])
        #expect(result.report.isComplete && !result.failed)
        #expect(result.saved?.stored == 4)
        let store = try CensusDatabase.open(path: scratch.database, readOnly: true)
        // The unknown type is kept; the null actor and missing repository are absent data.
        #expect(try store.eventTop(.events, by: .type, filter: EventFilter(), limit: 5).rows.contains(EventRankingRow(name: "BrandNewEvent", value: 1)))
        #expect(try store.eventTotal(.actors, filter: EventFilter()) == 1)
        #expect(try store.eventTotal(.repos, filter: EventFilter()) == 1)
        #expect(try store.eventTop(.events, by: .repo, filter: EventFilter(), limit: 5).rows == [EventRankingRow(name: "acme/widget", value: 3)])
        try store.close()
    }

    @Test func aFiftyMegabyteEventIsRead() throws {
        let scratch = try Scratch()
        let body = String(repeating: "a", count: 50 << 20)
        let huge = #"{"id":"7","type":"PushEvent","actor":{"login":"alice"},"repo":{"name":"big/one"},"payload":{"commits":[{"message":""# + body + #""}]},"created_at":"2024-01-10T10:00:00Z"}"#
        let file = try scratch.gzip("2024-01-10-11.json.gz", Self.event(1) + "\n" + huge + "\n" + Self.event(2) + "\n")
        let result = try #require(try ingest([file], into: scratch.database).first)
        #expect(result.report.events == 3 && result.report.malformed == 0)
        #expect(result.report.decompressedBytes > 50 << 20)
        #expect(try total(scratch.database, .pushes) == 1)
    }

    @Test func mixedErasInOneDirectoryAndDuplicatesAcrossFiles() throws {
        let scratch = try Scratch()
        let directory = scratch.path + "/hours"
        _ = try scratch.gzip("hours/2013-02-15-0.json.gz", try String(contentsOfFile: Self.fixture, encoding: .utf8))
        // The next hour repeats two events of the first (GH Archive's hours overlap: the same
        // records, so the same ids and times as in the fixture) and adds one.
        _ = try scratch.gzip(
            "hours/2024-01-10-11.json.gz",
            [Self.event(101), Self.event(102, actor: "bob", at: "2024-01-11T10:00:00Z"), Self.event(900, at: "2024-01-10T11:00:00Z")]
                .joined(separator: "\n"))
        let results = try ingest([directory], into: scratch.database)
        #expect(results.map(\.input.name) == ["2013-02-15-0.json.gz", "2024-01-10-11.json.gz"])
        #expect(results.map { $0.saved?.stored ?? -1 } == [16, 1])
        #expect(results.map { $0.saved?.duplicates ?? -1 } == [1, 2])
        #expect(try total(scratch.database) == 17)
        // Timeline and Events API events side by side: 2013 and 2024.
        let store = try CensusDatabase.open(path: scratch.database, readOnly: true)
        let years = try store.eventTimeline(.events, by: .year, filter: EventFilter(includeBots: true)).rows
        #expect(years.first == TimelinePoint(period: "2013", value: 3) && years.last == TimelinePoint(period: "2025", value: 1))
        try store.close()
    }

    @Test func eventsOfTheNextDayGoToTheirOwnDay() throws {
        let scratch = try Scratch()
        // An hour file named for 23:00 whose events are of 23:59:59 and of the next day (and one
        // written with a Pacific offset that is the next day in UTC).
        let text = [
            Self.event(1, at: "2024-01-10T23:59:59Z"), Self.event(2, at: "2024-01-11T00:00:00Z"),
            Self.event(3, at: "2024-01-11T00:00:05Z"),
            #"{"created_at":"2024-01-10T16:30:00-08:00","type":"WatchEvent","actor":"bob","repository":{"owner":"acme","name":"widget"},"url":"https://github.com/acme/widget"}"#,
        ].joined(separator: "\n")
        let file = try scratch.gzip("2024-01-10-23.json.gz", text)
        _ = try ingest([file], into: scratch.database)
        let store = try CensusDatabase.open(path: scratch.database, readOnly: true)
        let days = try store.eventTimeline(.events, by: .day, filter: EventFilter()).rows
        #expect(days == [TimelinePoint(period: "2024-01-10", value: 1), TimelinePoint(period: "2024-01-11", value: 3)])
        try store.close()
    }

    // MARK: - Reruns and workers

    @Test func aRerunSkipsStoredFilesAndResumes() throws {
        let scratch = try Scratch()
        let a = try scratch.gzip("a.json.gz", (1...50).map { Self.event($0) }.joined(separator: "\n"))
        let b = try scratch.gzip("b.json.gz", (51...80).map { Self.event($0) }.joined(separator: "\n"))
        // An ingest stopped after the first file, then run again over both.
        _ = try ingest([a], into: scratch.database)
        let results = try ingest([a, b], into: scratch.database)
        #expect(results.map(\.skipped) == [true, false])
        #expect(results[1].saved?.stored == 30)
        #expect(try total(scratch.database) == 80)
    }

    @Test func aFileStoredInChunksIsStoredAsAWhole() throws {
        let scratch = try Scratch()
        // The fixture: 17 events, the last a duplicate of the 14th (Fixtures/README.md); 16 stored.
        let b = try scratch.gzip("b.json.gz", (51...80).map { Self.event($0) }.joined(separator: "\n"))
        let whole = scratch.path + "/whole.sqlite"
        _ = try ingest([Self.fixture, b], into: whole)
        // The reader hands out four chunks of 4 events, each with the report so far, and keeps the last.
        let reader = try #require(EventFileReader(people: EventPeople()))
        var chunks: [(events: Int, lines: Int)] = []
        let (rest, report) = reader.read(Self.fixture, chunkEvents: 4) { chunk, soFar in
            chunks.append((chunk.count, soFar.lines))
        }
        #expect(chunks.map(\.events) == [4, 4, 4, 4] && chunks.map(\.lines) == [4, 8, 12, 16])
        #expect(rest.count == 1 && report.lines == 17 && report.events == 17)
        for jobs in [1, 2] {
            // Chunks of 4 events: the fixture's duplicate is in its fifth and last chunk, the
            // event it repeats in the fourth.
            let database = scratch.path + "/chunks-\(jobs).sqlite"
            let results = try ingest([Self.fixture, b], into: database, jobs: jobs, chunkEvents: 4)
            let fixture = try #require(results.first { $0.input.path == Self.fixture })
            #expect(fixture.saved == EventSaveResult(stored: 16, duplicates: 1))
            #expect(fixture.report.lines == 17 && fixture.report.events == 17 && !fixture.failed)
            let other = try #require(results.first { $0.input.path == b })
            #expect(other.saved == EventSaveResult(stored: 30, duplicates: 0))
            let store = try CensusDatabase.open(path: database, readOnly: true)
            let record = try #require(try store.eventFile(named: "mixed-eras.json"))
            #expect(record.status == .complete && record.lines == 17 && record.events == 17)
            #expect(record.stored == 16 && record.duplicates == 1)
            try store.close()
            for metric in [EventMetric.events, .actors, .repos, .stars] {
                #expect(try total(database, metric) == total(whole, metric))
            }
            #expect(try total(database) == 46)
        }
    }

    /// A store that fails in the middle of a file's chunks (a trigger refusing one event of the
    /// third chunk) leaves nothing of that file: no events, no row, so a rerun reads it again; the
    /// files around it are stored.
    @Test(arguments: [1, 2]) func aStoreFailureMidFileLeavesNothingOfIt(jobs: Int) throws {
        let scratch = try Scratch()
        let a = try scratch.gzip("a.json.gz", (1...10).map { Self.event($0) }.joined(separator: "\n"))
        let b = try scratch.gzip("b.json.gz", (101...130).map { Self.event($0, actor: "bob") }.joined(separator: "\n"))
        let c = try scratch.gzip("c.json.gz", (201...212).map { Self.event($0) }.joined(separator: "\n"))
        let store = try CensusDatabase.open(path: scratch.database)
        try store.writeTransaction { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER refuse_event BEFORE INSERT ON github_events WHEN NEW.event_id = 123 \
                    BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
                    """)
        }
        let (inputs, _) = EventInput.expand([a, b, c])
        // Chunks of 8 events: event 123 is the 23rd of b, in its third chunk.
        let results = EventIngest(jobs: jobs, chunkEvents: 8).run(inputs, into: store) { _ in }
        #expect(results.map(\.input.name) == ["a.json.gz", "b.json.gz", "c.json.gz"])
        #expect(results.map(\.failed) == [false, true, false])
        #expect(results[1].storeError?.contains("refused by the test") == true)
        #expect(results[1].saved == nil && results[1].report.events == 30)
        #expect(results[0].saved == EventSaveResult(stored: 10, duplicates: 0))
        #expect(results[2].saved == EventSaveResult(stored: 12, duplicates: 0))
        #expect(try store.eventFile(named: "b.json.gz") == nil)
        #expect(try store.eventTotal(.events, filter: EventFilter(includeBots: true)) == 22)
        #expect(try store.eventTotal(.actors, filter: EventFilter(includeBots: true)) == 1)

        try store.writeTransaction { db in try db.execute(sql: "DROP TRIGGER refuse_event") }
        let rerun = EventIngest(jobs: jobs, chunkEvents: 8).run(inputs, into: store) { _ in }
        // Files stored before are reported first, as skipped.
        #expect(rerun.map(\.input.name) == ["a.json.gz", "c.json.gz", "b.json.gz"])
        #expect(rerun.map(\.skipped) == [true, true, false])
        #expect(rerun[2].saved == EventSaveResult(stored: 30, duplicates: 0))
        #expect(try store.eventTotal(.events, filter: EventFilter(includeBots: true)) == 52)
        try store.close()
    }

    @Test func twoWorkersStoreWhatOneDoes() throws {
        let scratch = try Scratch()
        var paths: [String] = []
        for file in 0..<6 {
            let lines = (0..<300).map { Self.event(file * 1000 + $0, repo: "org\(file % 3)/repo\($0 % 7)", actor: "user\($0 % 11)") }
            paths.append(try scratch.gzip("f\(file).json.gz", lines.joined(separator: "\n")))
        }
        let one = scratch.path + "/one.sqlite"
        let two = scratch.path + "/two.sqlite"
        _ = try ingest(paths, into: one, jobs: 1)
        let results = try ingest(paths, into: two, jobs: 2)
        #expect(results.count == 6 && results.allSatisfy { !$0.failed })
        for metric in [EventMetric.events, .actors, .repos] {
            #expect(try total(one, metric) == total(two, metric))
        }
        #expect(try total(two) == 1800)
    }
}
