import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `census events fetch` end to end against Python's `http.server` on loopback serving a directory
/// (an hour file gzipped by the system's gzip, a file that is not gzip; other hours 404). The
/// library's behaviour is tested in depth by CensusEventsTests/EventFetchTests; here the summary,
/// the JSON and the exit status.
@Suite(.serialized) struct EventsFetchCLITests {
    static var hasPython: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") }

    /// `python3 -m http.server` on a free port, serving `directory`; stopped by `stop()`.
    final class PythonServer {
        let process = Process()
        var port = 0
        init(directory: String) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", directory]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            // "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
            var text = ""
            while !text.contains("\n") {
                let data = out.fileHandleForReading.availableData
                if data.isEmpty { break }
                text += String(decoding: data, as: UTF8.self)
            }
            if let range = text.range(of: "port ") {
                port = Int(text[range.upperBound...].prefix { $0.isNumber }) ?? 0
            }
        }
        /// SIGKILL: the child inherits the test runner's blocked signals, so SIGTERM would wait.
        func stop() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    @Test(.enabled(if: hasPython, "python3 is not installed: no loopback server for the fetch CLI test"))
    func gapsAreReportedFailuresSetTheExitStatus() throws {
        let tree = PublicTree()
        let served = tree.path + "/served"
        tree.write("served/plain", "{\"id\":\"1\",\"type\":\"WatchEvent\"}\n")
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -n -c '\(served)/plain' > '\(served)/2024-01-01-0.json.gz' && rm '\(served)/plain'"]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0)
        let server = try PythonServer(directory: served)
        defer { server.stop() }
        #expect(server.port > 0)
        let cache = tree.path + "/cache"
        let base = "http://127.0.0.1:\(server.port)/"

        // Hour 0 is served, hour 1 is not (a gap): exit 0.
        let run = try CLI.run(["events", "fetch", "--from", "2024-01-01-0", "--to", "2024-01-01-1", "--base-url", base, "--cache", cache, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try run.json()
        #expect(json["fetched"] as? Int == 1)
        #expect(json["gaps"] as? [String] == ["2024-01-01-1"])
        #expect(run.stderr.contains("2024-01-01-1.json.gz: gap (404)"))
        #expect(FileManager.default.fileExists(atPath: cache + "/2024-01-01-0.json.gz"))

        // A file that is not gzip: named, exit 1; the cached hour is kept, not fetched again.
        tree.write("served/2024-01-01-2.json.gz", "<html>not here</html>\n")
        let bad = try CLI.run(["events", "fetch", "--from", "2024-01-01-0", "--to", "2024-01-01-2", "--base-url", base, "--cache", cache])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("2024-01-01-2.json.gz: failed: the server sent 22 bytes that are not gzip"), "\(bad.stderr)")
        #expect(bad.text.contains("already cached"))
        #expect(!FileManager.default.fileExists(atPath: cache + "/2024-01-01-2.json.gz"))
    }
}
