import CodeCensus
import Foundation
import Testing

@testable import CensusStore

/// The real GH Archive files of `../shared/data/gharchive` (or `$CENSUS_SHARED`): skipped with a
/// message when they are absent. Expected values were counted with jq over the same files:
///
/// ```
/// zcat *.json.gz | wc -l                                                                       # 25654
/// zcat 2013-02-15-0.json.gz | jq -c '[.type, (.actor // "" | ascii_downcase),
///   ((.repository.owner // "") + "/" + (.repository.name // "") | ascii_downcase), .created_at, .url,
///   .payload.action]' | sort | uniq -d -c | awk '{s+=$1-1} END {print s}'                    # 5 (2014: 17)
/// zcat *.json.gz | jq 'select(.type=="PullRequestEvent" and .payload.action=="closed"
///   and .payload.pull_request.merged==true)' -c | wc -l                                        # 334
/// … .payload.action=="opened" …                                                                # 426
/// zcat *.json.gz | jq -c 'select(.type=="WatchEvent")' | wc -l                                 # 2684
/// zcat *.json.gz | jq -r '(if (.actor|type)=="object" then .actor.login elif (.actor|type)=="string"
///   then .actor else empty end) | ascii_downcase' | sort -u | wc -l                            # 12468
/// zcat $f | jq -c 'select(.type=="CreateEvent") | [.payload.ref_type, .payload.object]' | sort | uniq -c
///   # repositories: 84 (2011, payload.object), 180, 307, 375, 253
/// ```
@Suite struct SharedHourFilesTests {
    static var shared: String? {
        let candidates = [ProcessInfo.processInfo.environment["CENSUS_SHARED"]].compactMap { $0 }
            + [URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("shared").path]
        return candidates.map { $0 + "/data/gharchive" }.first { FileManager.default.fileExists(atPath: $0 + "/2015-01-01-3.json.gz") }
    }

    static let absent: Comment = "../shared/data/gharchive (or $CENSUS_SHARED) is absent: the GH Archive integration tests are skipped"

    @Test(.enabled(if: shared != nil, absent))
    func theFiveHourFilesAnswerAsJqCounts() throws {
        let directory = try #require(Self.shared)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("census-shared-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let store = try CensusDatabase.open(path: scratch + "/census.sqlite")
        let (inputs, problems) = EventInput.expand([directory])
        #expect(problems.isEmpty && inputs.count == 5)
        let results = EventIngest(jobs: 2).run(inputs, into: store) { _ in }
        #expect(results.allSatisfy { !$0.failed && $0.report.malformed == 0 })
        #expect(results.reduce(0) { $0 + $1.report.lines } == 25_654)
        let duplicates = Dictionary(uniqueKeysWithValues: results.map { ($0.input.name, $0.saved?.duplicates ?? -1) })
        #expect(duplicates["2013-02-15-0.json.gz"] == 5 && duplicates["2014-02-15-0.json.gz"] == 17)
        let all = EventFilter(includeBots: true)
        #expect(try store.eventTotal(.events, filter: all) == 25_654 - 22)
        #expect(try store.eventTotal(.prsMerged, filter: all) == 334)
        #expect(try store.eventTotal(.prsOpened, filter: all) == 426)
        #expect(try store.eventTotal(.stars, filter: all) == 2_684)
        #expect(try store.eventTotal(.actors, filter: all) == 12_468)
        let years = try store.eventTimeline(.newRepos, by: .year, filter: all).rows
        #expect(years.map(\.value) == [84, 180, 307, 375, 253])
        // Timeline hours are UTC−8: 2013-02-15 00:xx−08:00 is 08:xx UTC.
        let hours = try store.eventTimeline(.events, by: .day, filter: EventFilter(since: 1_360_886_400, until: 1_360_972_800, includeBots: true)).rows
        #expect(hours == [TimelinePoint(period: "2013-02-15", value: 6_846)])
        try store.close()
    }

    /// One raw event of each type per year, 2011-2016 (pretty-printed: joined into one line here).
    @Test(.enabled(if: shared != nil, absent))
    func everyRawEventOfEveryYearParses() throws {
        let root = try #require(Self.shared) + "/fixtures"
        var checked = 0
        for year in 2011...2016 {
            let folder = "\(root)/\(year)"
            let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix("_raw.json") }.sorted()
            #expect(!names.isEmpty)
            for name in names {
                var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(name)")))
                // Pretty-printing adds line breaks only between tokens; JSON strings hold them escaped.
                bytes.removeAll { $0 == 0x0A || $0 == 0x0D }
                let parsed = try bytes.withUnsafeBytes { try EventLineParser().parse($0) }
                let event = try #require(parsed, "\(year)/\(name)")
                func text(_ span: LineSpan) -> String? {
                    span.isPresent ? String(decoding: bytes[span.start..<(span.start + span.count)], as: UTF8.self) : nil
                }
                let type = String(name.dropLast("_raw.json".count))
                #expect(text(event.type) == type, "\(year)/\(name)")
                #expect(EventPeriod.year.label(event.createdAt) == "\(year)", "\(year)/\(name)")
                // 2013 and 2014 are the Timeline's; the others the Events API's, with ids.
                #expect(event.isTimeline == (year == 2013 || year == 2014), "\(year)/\(name)")
                #expect((event.id != nil) == !event.isTimeline, "\(year)/\(name)")
                if type == "PullRequestEvent" {
                    // 2011's pull requests do not say whether they were merged.
                    #expect((event.merged >= 0) == (year != 2011), "\(year)/\(name)")
                }
                checked += 1
            }
        }
        #expect(checked > 80)
    }
}
