import CensusTestSupport
import Foundation
import Testing

@testable import CensusEvents

#if canImport(Glibc)
    import Glibc
#endif

/// `events fetch` against a real HTTP server on loopback (``EventFetchTestServer``) serving hour
/// files gzipped by the system's `gzip` in the test: the expected cache contents are the served
/// bytes themselves, and every outcome is decided by what the server was told to do.
@Suite struct EventFetchTests {
    final class Scratch {
        let path: String
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("census-fetch-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        var cache: String { path + "/cache" }
        func contents(_ name: String) -> [UInt8]? {
            FileManager.default.contents(atPath: cache + "/" + name).map { [UInt8]($0) }
        }
        func listing() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []).sorted()
        }
    }

    /// A small hour file: JSON lines naming the hour, gzipped by `gzip -c -n`.
    static func hourFile(_ hour: String) throws -> [UInt8] {
        var text = ""
        for i in 0..<200 {
            text += "{\"id\":\"\(i)\",\"type\":\"WatchEvent\",\"created_at\":\"\(hour)\",\"repo\":{\"name\":\"o/r\(i)\"}}\n"
        }
        let run = try Spawned.run(["/bin/sh", "-c", "gzip -c -n"], environment: ProcessInfo.processInfo.environment, input: Array(text.utf8))
        #expect(run.status == 0)
        return run.stdout
    }

    static func hour(_ text: String) throws -> HourFile { try #require(HourFile.parse(text)) }

    func options(_ server: EventFetchTestServer, _ scratch: Scratch, jobs: Int = 3) -> EventFetchOptions {
        var options = EventFetchOptions(cacheDirectory: scratch.cache)
        options.baseURL = server.baseURL
        options.jobs = jobs
        options.attempts = 3
        options.retryDelay = 0.01
        options.stallTimeout = 3  // seconds; a loaded machine may take more than 1 s to start an answer
        return options
    }

    @Test func everyKindOfAnswerIsReportedAndOnlyCompleteFilesAreKept() throws {
        let scratch = try Scratch()
        let good = try Self.hourFile("2024-01-01-0")
        let flaky = try Self.hourFile("2024-01-01-5")
        let cutGzip = try Self.hourFile("2024-01-01-6")
        let server = try EventFetchTestServer(answers: [
            "/2024-01-01-0.json.gz": .file(good),
            // 2024-01-01-1 is not served: 404.
            "/2024-01-01-2.json.gz": .truncated(Array(good.prefix(100)), declared: good.count),
            "/2024-01-01-3.json.gz": .file(Array("<html>Service moved</html>\n".utf8)),
            "/2024-01-01-4.json.gz": .stall(Array(good.prefix(50)), declared: good.count, seconds: 10),
            "/2024-01-01-5.json.gz": .failFirst(2, first: .status(503), then: .file(flaky)),
            // A complete HTTP answer whose gzip stream is cut: only verification can tell.
            "/2024-01-01-6.json.gz": .file(Array(cutGzip.dropLast(20))),
            "/2024-01-01-7.json.gz": .status(403),
            "/2024-01-01-8.json.gz": .failFirst(1, first: .reset, then: .file(good)),
        ])
        defer { server.stop() }
        let hours = HourFile.range(from: try Self.hour("2024-01-01-0"), through: try Self.hour("2024-01-01-8"))
        #expect(hours.count == 9)
        let seen = SeenHours()
        let report = try EventFetcher(options: options(server, scratch)).run(hours: hours) { seen.add($0.hour) }
        #expect(seen.count == 9)
        let byHour = Dictionary(uniqueKeysWithValues: report.results.map { ($0.hour.description, $0) })
        #expect(report.results.map(\.hour) == hours)

        #expect(byHour["2024-01-01-0"]?.outcome == .fetched(bytes: Int64(good.count), attempts: 1))
        #expect(byHour["2024-01-01-1"]?.outcome == .gap)
        #expect(server.requests("/2024-01-01-1.json.gz") == 1)  // a gap is not retried

        // Declared more than it sent: libcurl notices, each of the 3 tries fails the same way.
        guard case .failed(let truncatedReason, 3) = byHour["2024-01-01-2"]?.outcome else {
            Issue.record("truncated body: \(String(describing: byHour["2024-01-01-2"]))")
            return
        }
        #expect(truncatedReason.contains("remaining to read"), "\(truncatedReason)")
        #expect(server.requests("/2024-01-01-2.json.gz") == 3)

        // Not gzip: permanent, not retried.
        guard case .failed(let notGzip, 1) = byHour["2024-01-01-3"]?.outcome else {
            Issue.record("not gzip: \(String(describing: byHour["2024-01-01-3"]))")
            return
        }
        #expect(notGzip.contains("not gzip"), "\(notGzip)")

        guard case .failed(let stalled, 3) = byHour["2024-01-01-4"]?.outcome else {
            Issue.record("stalled: \(String(describing: byHour["2024-01-01-4"]))")
            return
        }
        #expect(stalled.contains("timed out"), "\(stalled)")

        #expect(byHour["2024-01-01-5"]?.outcome == .fetched(bytes: Int64(flaky.count), attempts: 3))
        #expect(byHour["2024-01-01-5"]?.retried == ["HTTP 503", "HTTP 503"])

        guard case .failed(let cut, 3) = byHour["2024-01-01-6"]?.outcome else {
            Issue.record("cut gzip: \(String(describing: byHour["2024-01-01-6"]))")
            return
        }
        #expect(cut.contains("truncated gzip stream"), "\(cut)")

        guard case .failed(let forbidden, 1) = byHour["2024-01-01-7"]?.outcome else {
            Issue.record("403: \(String(describing: byHour["2024-01-01-7"]))")
            return
        }
        #expect(forbidden.contains("HTTP 403"))

        #expect(byHour["2024-01-01-8"]?.outcome == .fetched(bytes: Int64(good.count), attempts: 2))

        #expect(report.fetched.count == 3)
        #expect(report.gaps.count == 1)
        #expect(report.failed.count == 5)
        #expect(report.bytesFetched == Int64(good.count * 2 + flaky.count))

        // Only the complete files are in the cache, byte for byte what was served; no partials.
        #expect(scratch.listing() == ["2024-01-01-0.json.gz", "2024-01-01-5.json.gz", "2024-01-01-8.json.gz"])
        #expect(scratch.contents("2024-01-01-0.json.gz") == good)
        #expect(scratch.contents("2024-01-01-5.json.gz") == flaky)
    }

    @Test func resumesFromAPartialFileAndKeepsValidOnes() throws {
        let scratch = try Scratch()
        let zero = try Self.hourFile("2024-02-29-0")
        let one = try Self.hourFile("2024-02-29-1")
        let two = try Self.hourFile("2024-02-29-2")
        let server = try EventFetchTestServer(answers: [
            "/2024-02-29-0.json.gz": .file(zero),
            "/2024-02-29-1.json.gz": .file(one),
            "/2024-02-29-2.json.gz": .file(two),
        ])
        defer { server.stop() }
        try FileManager.default.createDirectory(atPath: scratch.cache, withIntermediateDirectories: true)
        // A valid file from an earlier run, a partial download a killed run left, and a file
        // under its final name that is cut short (put there by some other tool).
        try Data(zero).write(to: URL(fileURLWithPath: scratch.cache + "/2024-02-29-0.json.gz"))
        try Data(one.prefix(one.count / 2)).write(to: URL(fileURLWithPath: scratch.cache + "/.2024-02-29-1.json.gz.partial"))
        try Data(two.prefix(two.count - 8)).write(to: URL(fileURLWithPath: scratch.cache + "/2024-02-29-2.json.gz"))

        let hours = HourFile.range(from: try Self.hour("2024-02-29-0"), through: try Self.hour("2024-02-29-2"))
        let fetcher = EventFetcher(options: options(server, scratch))
        let report = try fetcher.run(hours: hours)
        #expect(report.results.map(\.outcome) == [
            .cached(bytes: Int64(zero.count)),
            .fetched(bytes: Int64(one.count), attempts: 1),
            .fetched(bytes: Int64(two.count), attempts: 1),
        ])
        #expect(server.requests("/2024-02-29-0.json.gz") == 0)
        #expect(report.results[2].invalidCachedCopy?.contains("truncated gzip stream") == true)
        #expect(scratch.listing() == ["2024-02-29-0.json.gz", "2024-02-29-1.json.gz", "2024-02-29-2.json.gz"])
        #expect(scratch.contents("2024-02-29-1.json.gz") == one)
        #expect(scratch.contents("2024-02-29-2.json.gz") == two)

        // A second run asks the server nothing.
        let again = try fetcher.run(hours: hours)
        #expect(again.cached.count == 3)
        #expect(server.totalRequests == 2)
    }

    @Test func aDamagedCachedCopyNeverKeepsItsNameEvenWhenTheFetchFails() throws {
        let scratch = try Scratch()
        let file = try Self.hourFile("2016-10-21-17")
        let server = try EventFetchTestServer(answers: [:])  // everything 404
        defer { server.stop() }
        try FileManager.default.createDirectory(atPath: scratch.cache, withIntermediateDirectories: true)
        try Data(file.prefix(40)).write(to: URL(fileURLWithPath: scratch.cache + "/2016-10-21-17.json.gz"))
        let report = try EventFetcher(options: options(server, scratch)).run(hours: [try Self.hour("2016-10-21-17")])
        #expect(report.results[0].outcome == .gap)
        #expect(report.results[0].invalidCachedCopy?.contains("truncated gzip stream (it ends at byte 40") == true)
        // Moved aside, not deleted: the name is free, the bytes kept for inspection.
        #expect(scratch.listing() == [".2016-10-21-17.json.gz.invalid"])
        #expect(scratch.contents(".2016-10-21-17.json.gz.invalid") == Array(file.prefix(40)))
    }

    @Test func anHourBeingFetchedByAnotherProcessIsNotRacedAndOthersGoOn() throws {
        let scratch = try Scratch()
        let file = try Self.hourFile("2024-03-01-0")
        let server = try EventFetchTestServer(answers: [
            "/2024-03-01-0.json.gz": .file(file), "/2024-03-01-1.json.gz": .file(file),
        ])
        defer { server.stop() }
        try FileManager.default.createDirectory(atPath: scratch.cache, withIntermediateDirectories: true)
        let partial = scratch.cache + "/.2024-03-01-0.json.gz.partial"
        let fd = open(partial, O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let report = try EventFetcher(options: options(server, scratch)).run(
            hours: [try Self.hour("2024-03-01-0"), try Self.hour("2024-03-01-1")])
        guard case .failed(let reason, 0) = report.results[0].outcome else {
            Issue.record("\(report.results[0])")
            return
        }
        #expect(reason.contains("another process is fetching it"))
        #expect(report.results[1].outcome == .fetched(bytes: Int64(file.count), attempts: 1))
        #expect(server.requests("/2024-03-01-0.json.gz") == 0)
    }

    @Test func refusedConnectionsFailEveryHourWithTheReason() throws {
        let scratch = try Scratch()
        // A port that was free a moment ago: nothing listens there.
        let server = try EventFetchTestServer(answers: [:])
        let base = server.baseURL
        server.stop()
        var options = EventFetchOptions(cacheDirectory: scratch.cache)
        options.baseURL = base
        options.attempts = 2
        options.retryDelay = 0.01
        options.stallTimeout = 2
        let report = try EventFetcher(options: options).run(hours: [try Self.hour("2024-01-01-0")])
        guard case .failed(let reason, 2) = report.results[0].outcome else {
            Issue.record("\(report.results)")
            return
        }
        #expect(reason.contains("cannot connect"), "\(reason)")
        #expect(scratch.listing().isEmpty)
    }

    @Test func downloadsRunInParallel() throws {
        let scratch = try Scratch()
        let file = try Self.hourFile("2024-01-02")
        var answers: [String: EventFetchTestServer.Answer] = [:]
        let hours = HourFile.range(from: try Self.hour("2024-01-02"), through: try Self.hour("2024-01-02-7"))
        // Each answer is held 0.3 s so that downloads running at once overlap at the server.
        for hour in hours { answers["/" + hour.fileName] = .file(file, holdSeconds: 0.3) }
        let server = try EventFetchTestServer(answers: answers)
        defer { server.stop() }
        let report = try EventFetcher(options: options(server, scratch, jobs: 4)).run(hours: hours)
        #expect(report.fetched.count == 8)
        #expect(server.mostOpenAtOnce >= 2)
        #expect(server.mostOpenAtOnce <= 4)
    }

    static var hasTLSTools: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
    }

    /// HTTPS goes through the same code as HTTP; certificates are verified: a server with a
    /// self-signed certificate (Python's ssl on loopback, the certificate made by openssl in the
    /// test) is refused with the reason, and nothing is written to the cache.
    @Test(.enabled(if: hasTLSTools, "openssl or python3 is missing: no TLS server on loopback"))
    func anUntrustedCertificateIsRefused() throws {
        let scratch = try Scratch()
        let key = scratch.path + "/key.pem"
        let certificate = scratch.path + "/cert.pem"
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=127.0.0.1"]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        #expect(openssl.terminationStatus == 0)
        let script = """
            import http.server, ssl, sys
            server = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(sys.argv[1], sys.argv[2])
            server.socket = context.wrap_socket(server.socket, server_side=True)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        python.arguments = ["-c", script, certificate, key]
        python.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
        let out = Pipe()
        python.standardOutput = out
        python.standardError = FileHandle.nullDevice
        try python.run()
        // SIGKILL: children of the test runner inherit its blocked SIGTERM.
        defer {
            kill(python.processIdentifier, SIGKILL)
            python.waitUntilExit()
        }
        var text = ""
        while !text.contains("\n") {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        let port = try #require(Int(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        var options = EventFetchOptions(cacheDirectory: scratch.cache)
        options.baseURL = "https://127.0.0.1:\(port)/"
        options.attempts = 1
        options.stallTimeout = 5
        let report = try EventFetcher(options: options).run(hours: [try Self.hour("2024-01-01-0")])
        guard case .failed(let reason, 1) = report.results[0].outcome else {
            Issue.record("\(report.results)")
            return
        }
        #expect(reason.lowercased().contains("certificate"), "\(reason)")
        #expect(scratch.listing().isEmpty)
    }

    @Test func aBaseURLThatIsNotHTTPIsRefusedBeforeAnything() throws {
        let scratch = try Scratch()
        var options = EventFetchOptions(cacheDirectory: scratch.cache)
        options.baseURL = "ftp://example.invalid/"
        #expect(throws: EventFetchError.self) {
            _ = try EventFetcher(options: options).run(hours: [try Self.hour("2024-01-01")])
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.cache))
    }
}

/// Hours reported through the progress callback (called from worker threads).
final class SeenHours: @unchecked Sendable {
    private let lock = NSLock()
    private var hours: [HourFile] = []
    func add(_ hour: HourFile) { lock.withLock { hours.append(hour) } }
    var count: Int { lock.withLock { hours.count } }
}
