import CensusEvents
import CensusTestSupport
import Foundation
import Testing

@testable import CensusStore

/// What a ClickHouse server stores when census dies while sending an INSERT: the kernel closes
/// census's connection and the server reads the end of the body there (issue 17,
/// docs/reliability.md). Each test sends census's own rows, cut at every byte, to a real server and
/// reads back what it stored.
@Suite(.serialized) struct ClickHouseKilledInsertTests {
    /// Sends `INSERT … FORMAT TabSeparated` announcing the whole body but sending `body[..<cut]`,
    /// then ends the connection's sending side, as a killed census does; returns the HTTP status.
    static func cutInsert(
        _ server: ClickHouseServer, _ sql: String, body: [UInt8], cut: Int, gzip: Bool
    ) throws -> Int {
        let connection = try TCPConnection(host: "127.0.0.1", port: server.httpPort, connectTimeout: 5, ioTimeout: 60)
        defer { connection.close() }
        let head =
            "POST /?query=\(sql.urlQueryEncoded) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + (gzip ? "Content-Encoding: gzip\r\n" : "") + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        try connection.write(Array(head.utf8) + body[..<cut])
        connection.shutdownWrite()
        var reader = BufferedReader(connection: connection)
        return try HTTPClient.readResponse(&reader, method: "POST").status
    }

    static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    /// The `repositories` rows that make five scans current, compressed as census sends them and
    /// cut at every byte: only the whole body stores anything, and then exactly the five rows. The
    /// control shows what compression prevents: uncompressed, a body cut after the first row
    /// stores that row, and one cut 5 digits into the last value (`saved_at`) stores a row whose
    /// `saved_at` is those 5 digits.
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
        let rows = ClickHouseStore.rows(of: scans).repositories.bytes
        let sent = Self.lines(String(decoding: rows, as: UTF8.self))
        #expect(sent.count == 5)
        let body = try #require(GzipBody.compress(rows))
        let columns = ClickHouseStore.repositoriesTable.columnList
        let insert = "INSERT INTO census.repositories (\(columns)) FORMAT TabSeparated"
        var stored: [Int] = []
        for cut in 0...body.count {
            let status = try Self.cutInsert(server, insert, body: body, cut: cut, gzip: true)
            let count = try server.run("SELECT count() FROM census.repositories")
            if count != "0\n" {
                stored.append(cut)
                #expect(status == 200)
                break
            }
        }
        // Only the whole body (the loop stops at the first cut that stored anything).
        #expect(stored == [body.count])
        let back = Self.lines(try server.run("SELECT \(columns) FROM census.repositories FORMAT TabSeparated"))
        #expect(back.sorted() == sent.sorted())
        let savedAt = Dictionary(uniqueKeysWithValues: scans.map { ($0.repository.key, $0.savedAt) })
        for row in Self.lines(try server.run("SELECT repository_key, saved_at FROM census.repositories FORMAT TabSeparated")) {
            let fields = row.split(separator: "\t").map(String.init)
            #expect(Int64(fields[1]) == savedAt[fields[0]], "\(row)")
        }

        // The control, uncompressed, into a copy of the table.
        try server.run("CREATE TABLE census.repositories_control AS census.repositories")
        let control = "INSERT INTO census.repositories_control (\(columns)) FORMAT TabSeparated"
        let firstEnd = try #require(rows.firstIndex(of: 0x0A)) + 1
        #expect(try Self.cutInsert(server, control, body: rows, cut: firstEnd, gzip: false) == 200)
        #expect(try server.run("SELECT repository_key FROM census.repositories_control") == Corpus.api + "\n")
        let savedAtStart = try #require(rows[..<firstEnd].lastIndex(of: 0x09)) + 1
        #expect(try Self.cutInsert(server, control, body: rows, cut: savedAtStart + 5, gzip: false) == 200)
        let first = try #require(savedAt[Corpus.api])
        #expect(
            try server.run("SELECT saved_at FROM census.repositories_control ORDER BY saved_at")
                == "\(String(first).prefix(5))\n\(first)\n")
        try store.close()
    }

    /// The `github_event_files` row that makes a file's events visible, compressed and cut at
    /// every byte: stored only from the whole body.
    @Test(.enabled(if: TestServers.hasClickHouse, TestServers.noClickHouse))
    func eventFileRowIsStoredWholeOrNotAtAll() throws {
        let server = try ClickHouseServer()
        defer { server.stop() }
        let store = try ClickHouseStore.open(server.endpoint(database: "census"))
        let file = StoredEventFile(
            name: "2015-01-01-3.json.gz", path: "/data/2015-01-01-3.json.gz", size: 1_944_584, status: .complete,
            options: "", lines: 21_124, events: 21_124, stored: 0, duplicates: 0, filtered: 0, malformed: 0, error: nil,
            ingestedAt: 1_765_000_000)
        let row = ClickHouseStore.eventFileRow(
            file, fileID: 4_242_424_242_424_242, result: EventSaveResult(stored: 21_000, duplicates: 124),
            savedAt: 1_765_000_000_123_456_789
        ).bytes
        let body = try #require(GzipBody.compress(row))
        let columns = ClickHouseStore.eventFilesTable.columnList
        let insert = "INSERT INTO census.github_event_files (\(columns)) FORMAT TabSeparated"
        var stored: [Int] = []
        for cut in 0...body.count {
            _ = try Self.cutInsert(server, insert, body: body, cut: cut, gzip: true)
            if try server.run("SELECT count() FROM census.github_event_files") != "0\n" {
                stored.append(cut)
                break
            }
        }
        #expect(stored == [body.count])
        let back = try server.run("SELECT \(columns) FROM census.github_event_files FORMAT TabSeparated")
        #expect(back == String(decoding: row, as: UTF8.self))
        let read = try #require(try store.eventFile(named: file.name))
        #expect(read.status == .complete)
        #expect(read.size == 1_944_584)
        #expect(read.stored == 21_000)
        try store.close()
    }

    /// The server killed (SIGKILL) in the middle of an insert's body, then while the store holds
    /// five scans, and restarted: the cut insert left nothing, the store's failed write keeps its
    /// scans and writes them once the server is back, and exactly the five are current, with the
    /// corpus's own code (8,000 lines, StoreTestSupport's table).
    @Test(.enabled(if: TestServers.hasClickHouse, TestServers.noClickHouse))
    func serverKilledMidInsertAndRestarted() throws {
        let server = try ClickHouseServer()
        defer { server.stop() }
        let store = try ClickHouseStore.open(
            server.endpoint(database: "census"),
            batchLimits: ClickHouseStore.BatchLimits(repositories: 100, rows: 100_000, seconds: 3_600))
        for (repository, languages) in Corpus.repositories {
            try store.save(repository: repository, languages: languages)
        }
        let scans = store.pending.withLock { $0.scans }
        let body = try #require(GzipBody.compress(ClickHouseStore.rows(of: scans).repositories.bytes))
        let columns = ClickHouseStore.repositoriesTable.columnList

        // Half the body sent, the connection still open, then the server dies.
        let connection = try TCPConnection(host: "127.0.0.1", port: server.httpPort, connectTimeout: 5, ioTimeout: 10)
        let sql = "INSERT INTO census.repositories (\(columns)) FORMAT TabSeparated"
        try connection.write(
            Array(
                "POST /?query=\(sql.urlQueryEncoded) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Encoding: gzip\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
                    .utf8) + body[..<(body.count / 2)])
        try server.restart()
        connection.close()
        #expect(try server.run("SELECT count() FROM census.repositories") == "0\n")

        // The store's write fails while the server is down; the scans stay held.
        server.process?.stop()
        #expect(throws: CensusStoreError.self) { try store.flush() }
        #expect(store.pending.withLock { $0.scans.count } == 5)
        try server.restart()
        try store.close()
        #expect(try server.run("SELECT count(), uniqExact(repository_key), sum(own_code) FROM census.repositories") == "5\t5\t8000\n")
        let reader = try ClickHouseStore.open(server.endpoint(database: "census"), readOnly: true)
        let rows = try reader.repositories()
        #expect(rows.map(\.own.code).reduce(0, +) == 8_000)
        let keys = rows.map(\.repository.key).sorted()
        #expect(keys == Corpus.repositories.map(\.0.key).sorted())
        try reader.close()
    }

    /// The compressed body is gzip that gzip(1) turns back into the rows, byte for byte.
    @Test func gzipBodyRoundTrips() throws {
        var text: [UInt8] = []
        for index in 0..<50_000 { text += Array("\(index)\trow \(index)\t\\N\n".utf8) }
        let compressed = try #require(GzipBody.compress(text))
        #expect(compressed.count < text.count / 3)
        #expect(Array(compressed.prefix(2)) == [0x1F, 0x8B])
        #expect(try GzipBody.decompressForTests(compressed) == text)
        #expect(try GzipBody.decompressForTests(try #require(GzipBody.compress([]))) == [])
    }
}

extension GzipBody {
    /// Inflates with gzip(1), a reader independent of census.
    static func decompressForTests(_ bytes: [UInt8]) throws -> [UInt8] {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let path = directory.file("body.gz")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let run = try Spawned.run(["/bin/gzip", "-dc", path], environment: ProcessInfo.processInfo.environment)
        #expect(run.status == 0)
        return run.stdout
    }
}
