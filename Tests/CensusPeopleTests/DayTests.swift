import CensusPeople
import Testing

/// Day numbers computed with Python's `(date(y, m, d) - date(1970, 1, 1)).days`.
@Suite("Day")
struct DayTests {
    @Test(arguments: [
        ("2019-11-01", 18201), ("2000-02-29", 11016), ("1969-12-31", -1), ("1970-01-01", 0), ("0001-01-01", -719_162),
        ("9999-12-31", 2_932_896), ("2100-01-01", 47482),
    ])
    func parsesAndPrints(text: String, days: Int) throws {
        let day = try #require(Day(text))
        #expect(day.daysSinceEpoch == days)
        #expect(day.description == text)
        #expect(Day(daysSinceEpoch: days).description == text)
    }

    @Test(arguments: [
        "2019-13-01", "2019-02-29", "1900-02-29", "2019-04-31", "2019-00-10", "2019-01-00", "0000-01-01", "2019-1-1",
        "2019/01/01", " 2019-01-01", "2019-01-01 ", "20190101", "", "2019-01-0x", "２０１９-01-01",
    ])
    func rejects(text: String) {
        #expect(Day(text) == nil)
    }

    @Test func components() throws {
        let day = try #require(Day(year: 2024, month: 2, day: 29))
        #expect(day.components == (2024, 2, 29))
        #expect(Day(year: 2023, month: 2, day: 29) == nil)
    }

    @Test func unixTime() {
        #expect(Day(unixTime: 1_572_566_400).description == "2019-11-01")
        #expect(Day(unixTime: 1_572_566_399).description == "2019-10-31")
        #expect(Day(unixTime: -1).description == "1969-12-31")
        #expect(Day(unixTime: -86_400).description == "1969-12-31")
        #expect(Day(unixTime: -86_401).description == "1969-12-30")
    }

    @Test func rangesAreHalfOpen() {
        let range = DayRange(from: .test("2018-03-01"), until: .test("2019-11-01"))
        #expect(!range.contains(.test("2018-02-28")))
        #expect(range.contains(.test("2018-03-01")))
        #expect(range.contains(.test("2019-10-31")))
        #expect(!range.contains(.test("2019-11-01")))
        #expect(DayRange(until: .test("2017-01-01")).contains(.test("1990-05-05")))
        #expect(DayRange.always.contains(.test("0001-01-01")))
        #expect(DayRange(from: .test("2019-01-01"), until: .test("2019-01-01")).isEmpty)
        #expect(range.description == "from 2018-03-01 until 2019-11-01")
    }
}
