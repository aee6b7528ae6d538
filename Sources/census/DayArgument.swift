import ArgumentParser
import CodeCensus

/// Day options (`--since`, `--until` of the history questions): `YYYY-MM-DD`, a real day of the
/// Gregorian calendar, checked when the command line is parsed so a mistake is reported with the
/// option's name and the command's usage.
///
/// Use as `@Option(help: …, transform: DayArgument.checked)`.
enum DayArgument {
    static func checked(_ text: String) throws -> String {
        guard Day(text) != nil else { throw NotADayError(text: text) }
        return text
    }
}

/// A day option's value that is not `YYYY-MM-DD` or not a day of the calendar.
struct NotADayError: Error, CustomStringConvertible {
    var text: String
    var description: String {
        "not a day: give one as YYYY-MM-DD, such as 2024-01-31 (days are UTC)"
    }
}
