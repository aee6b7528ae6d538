import Synchronization

/// Collects the SQL an SQLite store runs while a figure's queries run, as SQLite expands it
/// (bound values written as literals), so `sql/<figure>.sql` is exactly what produced the figure
/// and `sqlite3` reruns it.
///
/// Give ``record(_:)`` to the store as its statement trace (``CensusDatabase/open(path:readOnly:statementTrace:)``);
/// the report calls ``take()`` after each figure. Only queries are kept (`SELECT`, `WITH`), not
/// the transactions and pragmas around them.
public final class ReportStatementRecorder: Sendable {
    private let statements = Mutex<[String]>([])

    public init() {}

    /// Called by the store for every statement it runs.
    public func record(_ sql: String) {
        let trimmed = sql.drop { $0 == " " || $0 == "\n" || $0 == "\t" }
        let head = trimmed.prefix(6).uppercased()
        guard head.hasPrefix("SELECT") || head.hasPrefix("WITH") else { return }
        if trimmed.contains("sqlite_master") || trimmed.contains("sqlite_schema") { return }
        statements.withLock { $0.append(String(trimmed)) }
    }

    /// The statements recorded since the last call.
    public func take() -> [String] {
        statements.withLock { list in
            defer { list = [] }
            return list
        }
    }
}
