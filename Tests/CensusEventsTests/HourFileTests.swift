import Testing

@testable import CensusEvents

/// GH Archive's file names (`YYYY-MM-DD-H.json.gz`, the hour without zero padding) and day ranges.
@Suite struct HourFileTests {
    @Test func namesHaveNoZeroPaddedHour() throws {
        #expect(try #require(HourFile.parse("2024-01-01")).fileName == "2024-01-01-0.json.gz")
        #expect(try #require(HourFile.parse("2015-01-01-15")).fileName == "2015-01-01-15.json.gz")
        #expect(try #require(HourFile.parse("2015-01-01-03")).fileName == "2015-01-01-3.json.gz")
        #expect(try #require(HourFile.parse("2024-01-31", endOfDay: true)).fileName == "2024-01-31-23.json.gz")
    }

    @Test(arguments: ["2024-02-30", "2023-02-29", "2024-13-01", "2024-01-01-24", "24-01-01", "2024-1-01", "2024-01-01-", "x", ""])
    func malformedOrImpossibleDatesAreRefused(_ text: String) {
        #expect(HourFile.parse(text) == nil)
    }

    @Test func fileNamesParseOnlyInGHArchiveForm() {
        #expect(HourFile.parse(fileName: "2011-02-15-0.json.gz")?.description == "2011-02-15-0")
        #expect(HourFile.parse(fileName: "2011-02-15-00.json.gz") == nil)
        #expect(HourFile.parse(fileName: "2011-02-15-0.json") == nil)
    }

    @Test func aMonthIs24HoursPerDay() throws {
        // January 2024: 31 days × 24 hours = 744 files; February 2024 (leap): 29 × 24 = 696.
        let january = HourFile.range(from: try #require(HourFile.parse("2024-01-01")), through: try #require(HourFile.parse("2024-01-31", endOfDay: true)))
        #expect(january.count == 744)
        #expect(january.first?.description == "2024-01-01-0")
        #expect(january.last?.description == "2024-01-31-23")
        let february = HourFile.range(from: try #require(HourFile.parse("2024-02-01")), through: try #require(HourFile.parse("2024-02-29", endOfDay: true)))
        #expect(february.count == 696)
        // Across a year's end: 2023-12-31-22, -23, 2024-01-01-0, -1.
        let turn = HourFile.range(from: try #require(HourFile.parse("2023-12-31-22")), through: try #require(HourFile.parse("2024-01-01-1")))
        #expect(turn.map(\.description) == ["2023-12-31-22", "2023-12-31-23", "2024-01-01-0", "2024-01-01-1"])
        #expect(HourFile.range(from: try #require(HourFile.parse("2024-01-02")), through: try #require(HourFile.parse("2024-01-01"))).isEmpty)
    }
}
