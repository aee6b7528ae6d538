import CodeCensus
import Testing

@testable import census

/// The status line's text, from counters set by hand (the terminal behaviour is tested through
/// tmux in CensusCLITests/ProgressCLITests.swift).
@Suite struct ProgressLineTests {
    @Test func numbersClocksAndRates() {
        #expect(ProgressLine.grouped(0) == "0")
        #expect(ProgressLine.grouped(999) == "999")
        #expect(ProgressLine.grouped(1000) == "1,000")
        #expect(ProgressLine.grouped(1_234_567) == "1,234,567")
        #expect(ProgressLine.clock(0) == "0:00")
        #expect(ProgressLine.clock(59.9) == "0:59")
        #expect(ProgressLine.clock(61) == "1:01")
        #expect(ProgressLine.clock(3600 + 62) == "1:01:02")
        #expect(ProgressLine.rate(2.25) == "2.3")
        #expect(ProgressLine.rate(12_345.4) == "12,345")
        #expect(ProgressLine.cut("abcdef", to: 4) == "abc…")
        #expect(ProgressLine.cut("abc", to: 4) == "abc")
    }

    @Test func theTextShowsCountsRateElapsedAndEstimate() throws {
        let options = try ProgressOptions.parse(["--progress", "never"])
        let repositories = ProgressCounter(total: 4)
        let files = ProgressCounter()
        repositories.add()
        files.add(300)
        files.addToTotal(10)  // a partial total, not shown
        #expect(!ProgressLine.start(options, "Scanning", []).isEnabled)
        let line = ProgressLine(
            title: "Scanning repositories",
            items: [.init(repositories, "repositories"), .init(files, "files", rate: true, total: false)], enabled: false,
            colored: false)
        // 1 of 4 in 10 s: 30 s left; 300 files in 10 s: 30 per second.
        #expect(
            line.text(elapsed: .seconds(10))
                == "Scanning repositories · 1/4 repositories · 300 files (30/s) · 0:10 · about 0:30 left")
        // Before half a second no rate, before a second no estimate.
        #expect(line.text(elapsed: .milliseconds(400)) == "Scanning repositories · 1/4 repositories · 300 files · 0:00")
    }

    @Test func theCounterAddsFromManyThreads() async {
        let counter = ProgressCounter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { for _ in 0..<1000 { counter.add() } } }
        }
        #expect(counter.done == 8000)
        #expect(counter.total == nil)
        counter.addToTotal(5)
        counter.addToTotal(7)
        #expect(counter.total == 12)
    }
}
