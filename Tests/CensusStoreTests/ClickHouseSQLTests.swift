import Foundation
import Testing

@testable import CensusStore

/// ClickHouse's text forms, the `--db` parser and the HTTP reader, without a server. Every expected
/// string is written out by hand from ClickHouse's escaping rules.
@Suite struct ClickHouseSQLTests {
    @Test func stringLiteralsEscapeQuotesBackslashesAndControlBytes() {
        #expect(ClickHouseSQL.literal("") == "''")
        #expect(ClickHouseSQL.literal("plain") == "'plain'")
        #expect(ClickHouseSQL.literal("it's") == #"'it\'s'"#)
        #expect(ClickHouseSQL.literal(#"a\b"#) == #"'a\\b'"#)
        // A backslash before a quote must not escape the closing quote.
        #expect(ClickHouseSQL.literal(#"ends with \"#) == #"'ends with \\'"#)
        #expect(ClickHouseSQL.literal(#"\'"#) == #"'\\\''"#)
        #expect(ClickHouseSQL.literal("'; DROP TABLE repositories; --") == #"'\'; DROP TABLE repositories; --'"#)
        #expect(ClickHouseSQL.literal("a\nb\tc\rd\u{0}e\u{8}f\u{C}") == #"'a\nb\tc\rd\0e\bf\f'"#)
        #expect(ClickHouseSQL.literal("\u{1}\u{1F}\u{7F}") == #"'\x01\x1F\x7F'"#)
        // UTF-8 stands for itself; double quotes, backquotes and `?` need nothing.
        #expect(ClickHouseSQL.literal("naïve 🙂 \"`?") == "'naïve 🙂 \"`?'")
        // Bytes that are not UTF-8 are written as \xHH, so the literal is ASCII.
        #expect(ClickHouseSQL.literal(bytes: [0x41, 0xC3, 0x28, 0xFF, 0x27]) == #"'A\xC3(\xFF\''"#)
        #expect(ClickHouseSQL.literal(bytes: Array("é".utf8), escapingNonASCII: false) == "'é'")
    }

    @Test func identifiersAndValues() {
        #expect(ClickHouseSQL.identifier("census") == "`census`")
        #expect(ClickHouseSQL.identifier(#"we`ird\db"#) == #"`we\`ird\\db`"#)
        #expect(ClickHouseSQL.literal(StoreValue.integer(-42)) == "-42")
        #expect(ClickHouseSQL.literal(StoreValue.real(0.1)) == "0.1")
        #expect(ClickHouseSQL.literal(StoreValue.text("x'y")) == #"'x\'y'"#)
    }

    @Test func placeholdersAreReplacedOutsideQuotesOnly() throws {
        let query: SQLText = "SELECT \(bind: "x'?") AS a, '?' AS b, `?` AS c, \(bind: 5) AS d WHERE e = '\\'?'"
        #expect(try ClickHouseSQL.inline(query) == #"SELECT 'x\'?' AS a, '?' AS b, `?` AS c, 5 AS d WHERE e = '\'?'"#)
        // A mismatch is a builder bug, refused before anything is sent.
        var broken = query
        broken.arguments.removeLast()
        #expect(throws: CensusStoreError.self) { try ClickHouseSQL.inline(broken) }
        broken = query
        broken.arguments.append(.integer(1))
        #expect(throws: CensusStoreError.self) { try ClickHouseSQL.inline(broken) }
    }

    @Test func everyClickHouseQueryInlinesAllItsArguments() throws {
        let queries = StoreQueries(dialect: .clickhouse)
        let hostile = "O'Caml\\\"; --?"
        var texts: [SQLText] = [
            queries.breakdown(cohort: hostile), queries.repositories(cohort: hostile),
            queries.cohortMemberships(cohort: hostile), queries.isUpToDate(key: hostile, commit: "ab"),
            queries.rowCounts(),
        ]
        for group in RankingGroup.allCases {
            for metric in RankingMetric.allCases {
                texts.append(queries.top(language: hostile, by: group, metric: metric, cohort: hostile, limit: 3))
            }
        }
        for unit in ShareUnit.allCases {
            for group in [nil, .cohort, .company] as [ShareGroup?] {
                texts.append(queries.share(language: hostile, by: group, thresholdPPM: 1, unit: unit, cohort: hostile))
            }
        }
        for text in texts {
            let sql = try ClickHouseSQL.inline(text)
            #expect(!sql.contains(hostile))
            #expect(sql.contains("GLOBAL IN (SELECT argMax(repository_id, tuple(saved_at, repository_id))"))
            #expect(!sql.contains("COALESCE") && !sql.contains("CASE WHEN category"))
        }
    }

    @Test func tabSeparatedFieldsRoundTrip() throws {
        var writer = ClickHouseSQL.RowWriter()
        writer.field("a\tb\nc\\d\r\u{0}")
        writer.field(nil as String?)
        writer.field(#"\N"#)
        writer.field(42)
        writer.field(nil as Int?)
        writer.endRow()
        let written: String = #"a\tb\nc\\d\r\0"# + "\t" + #"\N"# + "\t" + #"\\N"# + "\t42\t" + #"\N"# + "\n"
        #expect(String(decoding: writer.bytes, as: UTF8.self) == written)
        #expect(writer.rows == 1)

        let answerText: String = "name\tvalue\n" + #"x\ty\\z\'"# + "\t" + #"\N"# + "\n" + "\t7\n"
        let answer = Array(answerText.utf8)
        let rows = try ClickHouseSQL.parseTabSeparatedWithNames(answer)
        #expect(rows.rows.count == 2)
        #expect(try rows.text(rows.rows[0], "name") == "x\ty\\z'")
        #expect(try rows.text(rows.rows[0], "value") == nil)
        #expect(try rows.string(rows.rows[1], "name") == "")
        #expect(try rows.int(rows.rows[1], "value") == 7)
        #expect(throws: ClickHouseRows.FormatError.self) { try rows.int(rows.rows[0], "value") }
        #expect(throws: ClickHouseRows.FormatError.self) {
            try ClickHouseSQL.parseTabSeparatedWithNames(Array("a\tb\n1\n".utf8))
        }
    }

    @Test func storeLocations() throws {
        let environment = [ClickHouseEndpoint.passwordVariable: "s3cret"]
        #expect(
            try StoreLocation.parse("results/census.db", environment: environment) == .sqlite(path: "results/census.db")
        )
        #expect(try StoreLocation.parse("/abs/c:/x.db", environment: environment) == .sqlite(path: "/abs/c:/x.db"))
        let full = try StoreLocation.parse("clickhouse://census@ch1.internal:9123/results", environment: environment)
        #expect(
            full
                == .clickhouse(
                    ClickHouseEndpoint(
                        host: "ch1.internal", port: 9123, user: "census", password: "s3cret", database: "results")))
        #expect(full.description == "clickhouse://census@ch1.internal:9123/results")
        #expect(
            try StoreLocation.parse("ClickHouse://localhost", environment: [:])
                == .clickhouse(ClickHouseEndpoint(host: "localhost", port: 8123, user: "default", database: "default")))
        #expect(
            try StoreLocation.parse("clickhouse://a%40b@[::1]:8124/my%20db/", environment: [:])
                == .clickhouse(ClickHouseEndpoint(host: "::1", port: 8124, user: "a@b", database: "my db")))

        for bad in [
            "", "clickhouse://", "clickhouse://host:0/db", "clickhouse://host:99999", "clickhouse://host:http",
            "https://host:8443/db", "postgres://host/db", "clickhouse://host/db?secure=1", "clickhouse://[::1/db",
            "clickhouse://host/a/b",
        ] {
            #expect(throws: CensusStoreError.self, "\(bad)") { try StoreLocation.parse(bad, environment: environment) }
        }
        // A password in the URL is refused, and the error does not repeat it.
        do {
            _ = try StoreLocation.parse("clickhouse://census:hunter2@host:8123/db", environment: environment)
            Issue.record("a password in the URL was accepted")
        } catch let error as CensusStoreError {
            #expect(error.code == .invalidLocation)
            #expect(!"\(error)".contains("hunter2"))
            #expect("\(error)".contains("clickhouse://census:***@host:8123/db"))
            #expect("\(error)".contains(ClickHouseEndpoint.passwordVariable))
        }
    }

    @Test func theEndpointNeverShowsItsPassword() {
        let endpoint = ClickHouseEndpoint(host: "h", user: "u", password: "hunter2", database: "d")
        var dumped = ""
        dump(endpoint, to: &dumped)
        for text in [
            endpoint.description, endpoint.debugDescription, "\(endpoint)", String(reflecting: endpoint), dumped,
        ] {
            #expect(!text.contains("hunter2"), "\(text)")
        }
        let client = HTTPClient(host: "h", port: 1, credentials: ("u", "hunter2"))
        var dumpedClient = ""
        dump(client, to: &dumpedClient)
        #expect(!dumpedClient.contains("hunter2") && !"\(client)".contains("hunter2"))
        #expect(endpoint.hasPassword)
        #expect(endpoint.redacting("Wrong password hunter2 for u") == "Wrong password *** for u")
    }

    @Test func httpResponsesByLengthChunksAndEndOfConnection() throws {
        func parse(_ text: String) throws -> HTTPResponse {
            var reader = BufferedReader(bytes: Array(text.utf8))
            return try HTTPClient.readResponse(&reader, method: "POST")
        }
        let sized = try parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello, and more")
        #expect(sized.status == 200 && String(decoding: sized.body, as: UTF8.self) == "hello")
        #expect(sized.header("x-a") == "b")

        let chunked = try parse(
            "HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\nCode\r\n1a;ext=1\r\n: 62, DB::Exception: bad.\n\r\n0\r\nTrailer: x\r\n\r\n")
        #expect(chunked.status == 500 && chunked.reason == "Internal Server Error")
        #expect(String(decoding: chunked.body, as: UTF8.self) == "Code: 62, DB::Exception: bad.\n")

        let continued = try parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\nConnection: close\n\nto the end")
        #expect(continued.status == 200 && String(decoding: continued.body, as: UTF8.self) == "to the end")

        #expect(throws: HTTPTransportError.self) { try parse("\u{15}\u{3}\u{3}binary native protocol") }
        #expect(throws: HTTPTransportError.self) { try parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort") }
        #expect(throws: HTTPTransportError.self) {
            try parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
        }
    }
}
