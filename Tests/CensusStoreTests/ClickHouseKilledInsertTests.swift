import CensusEvents
import Foundation
import Testing

@testable import CensusStore

/// What a ClickHouse server stores when census dies while sending an INSERT: the kernel closes
/// census's connection, and the server takes the body up to there as the whole INSERT (issue 17,
/// docs/reliability.md). Each test sends census's own rows cut at many points to a real server and
/// reads back what it stored.
@Suite(.serialized) struct ClickHouseKilledInsertTests {
    /// Sends `INSERT … FORMAT TabSeparated` announcing the whole body but sending `body[..<cut]`,
    /// then ends the connection's sending side, as a killed census does; returns the HTTP status.
    static func cutInsert(_ server: ClickHouseServer, _ sql: String, body: [UInt8], cut: Int) throws -> Int {
        let connection = try TCPConnection(host: "127.0.0.1", port: server.httpPort, connectTimeout: 5, ioTimeout: 60)
        defer { connection.close() }
        let head =
            "POST /?query=\(sql.urlQueryEncoded) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        try connection.write(Array(head.utf8) + body[..<cut])
        connection.shutdownWrite()
        var reader = BufferedReader(connection: connection)
        return try HTTPClient.readResponse(&reader, method: "POST").status
    }

    /// The cut points worth trying in a body of rows: every byte of each row's last 40, every row's
    /// end, and every 13th byte elsewhere.
    static func cuts(_ body: [UInt8]) -> [Int] {
        var points = Set(stride(from: 0, through: body.count, by: 13))
        for (index, byte) in body.enumerated() where byte == 0x0A {
            for back in 0...40 where index + 1 - back >= 0 { points.insert(index + 1 - back) }
        }
        return points.sorted()
    }

    static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    /// The `repositories` rows that make scans current: a body cut anywhere stores whole rows
    /// (each exactly as census sent it) or nothing. The control shows why the column order matters:
    /// the same rows in the table's own order, `saved_at` last, cut inside `saved_at`, are stored
    /// with a shorter `saved_at`.
    @Test(.enabled(if: TestServers.hasClickHouse, TestServers.noClickHouse))
    func repositoriesRowsAreStoredWholeOrNotAtAll() throws {
        let server = try ClickHouseServer()
        defer { server.stop() }
        let store = try ClickHouseStore.open(
            server.endpoint(database: "census"),
            batchLimits: ClickHouseStore.BatchLimits(repositories: 100, rows: 100_000, seconds: 3_600))
        for (repository, languages) in Corpus.repositories {
            try store.save(repository: repository, languages: languages)
        }
        let scans = store.pending.withLock { $0.scans }
        #expect(scans.count == 5)
        let body = ClickHouseStore.rows(of: scans).repositories.bytes
        let sent = Set(Self.lines(String(decoding: body, as: UTF8.self)))
        #expect(sent.count == 5)
        // Every row ends with is_shallow: 0 for all five.
        #expect(sent.allSatisfy { $0.hasSuffix("\t0") })

        let columns = ClickHouseStore.repositoriesInsertColumns.joined(separator: ", ")
        let insert = "INSERT INTO census.repositories (\(columns)) FORMAT TabSeparated"
        // A cut at the end of the first row stores that row: ClickHouse takes the cut body as the insert.
        let firstEnd = try #require(body.firstIndex(of: 0x0A)) + 1
        #expect(try Self.cutInsert(server, insert, body: body, cut: firstEnd) == 200)
        #expect(try server.run("SELECT count() FROM census.repositories") == "1\n")
        var accepted = 1
        for cut in Self.cuts(body) where cut != firstEnd {
            if try Self.cutInsert(server, insert, body: body, cut: cut) == 200 { accepted += 1 }
        }
        #expect(accepted > 10)
        let stored = Self.lines(try server.run("SELECT \(columns) FROM census.repositories FORMAT TabSeparated"))
        #expect(stored.count >= accepted)
        for row in stored { #expect(sent.contains(row), "a cut insert stored a row census never sent whole: \(row)") }
        // Each key's saved_at is the one census gave it.
        let savedAt = Dictionary(uniqueKeysWithValues: scans.map { ($0.repository.key, $0.savedAt) })
        for row in Self.lines(try server.run("SELECT repository_key, saved_at FROM census.repositories FORMAT TabSeparated")) {
            let fields = row.split(separator: "\t").map(String.init)
            #expect(Int64(fields[1]) == savedAt[fields[0]], "\(row)")
        }

        // The control: the table's own column order, saved_at last; a cut 5 digits into the first
        // row's saved_at is stored, with those 5 digits as its saved_at.
        try server.run("CREATE TABLE census.repositories_control AS census.repositories")
        let first = scans[0]
        let ordered = String(decoding: ClickHouseStore.rows(of: [first]).repositories.bytes, as: UTF8.self)
            .split(separator: "\n")[0].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        // The same values in the table's order (is_shallow back before default_branch).
        let byName = Dictionary(uniqueKeysWithValues: zip(ClickHouseStore.repositoriesInsertColumns, ordered))
        let tableOrder = ClickHouseStore.repositoriesTable.columns.map(\.name)
        let controlBody = Array((tableOrder.map { byName[$0] ?? "" }.joined(separator: "\t") + "\n").utf8)
        let savedAtStart = try #require(controlBody.lastIndex(of: 0x09)) + 1
        #expect(
            try Self.cutInsert(
                server, "INSERT INTO census.repositories_control (\(tableOrder.joined(separator: ", "))) FORMAT TabSeparated",
                body: controlBody, cut: savedAtStart + 5) == 200)
        let expected = String(String(first.savedAt).prefix(5))
        #expect(try server.run("SELECT saved_at FROM census.repositories_control") == expected + "\n")
        try store.close()
    }

    /// The `github_event_files` row that makes a file's events visible: cut anywhere short of its
    /// end, the row of a complete file is refused.
    @Test(.enabled(if: TestServers.hasClickHouse, TestServers.noClickHouse))
    func eventFileRowIsStoredWholeOrNotAtAll() throws {
        let server = try ClickHouseServer()
        defer { server.stop() }
        let store = try ClickHouseStore.open(server.endpoint(database: "census"))
        let file = StoredEventFile(
            name: "2015-01-01-3.json.gz", path: "/data/2015-01-01-3.json.gz", size: 1_944_584, status: .complete,
            options: "", lines: 21_124, events: 21_124, stored: 0, duplicates: 0, filtered: 0, malformed: 0, error: nil,
            ingestedAt: 1_765_000_000)
        let savedAt: Int64 = 1_765_000_000_123_456_789
        let body = ClickHouseStore.eventFileRow(
            file, fileID: 4_242_424_242_424_242, result: EventSaveResult(stored: 21_000, duplicates: 124), savedAt: savedAt
        ).bytes
        let columns = ClickHouseStore.eventFileInsertColumns.joined(separator: ", ")
        let insert = "INSERT INTO census.github_event_files (\(columns)) FORMAT TabSeparated"
        var accepted: [Int] = []
        for cut in 0...body.count where try Self.cutInsert(server, insert, body: body, cut: cut) == 200 {
            accepted.append(cut)
        }
        // An empty body (an empty insert), and the whole row with or without its line end (the
        // end of the body ends the row too); no cut inside the row.
        #expect(accepted == [0, body.count - 1, body.count])
        let rows = Self.lines(try server.run("SELECT \(columns) FROM census.github_event_files FORMAT TabSeparated"))
        let sent = String(decoding: body.dropLast(), as: UTF8.self)
        #expect(rows == [sent, sent])
        // What the store reads back: the file, complete.
        let read = try #require(try store.eventFile(named: file.name))
        #expect(read.status == .complete)
        #expect(read.size == 1_944_584)
        try store.close()
    }
}
