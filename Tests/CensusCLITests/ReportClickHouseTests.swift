import CodeCensus
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("census report on a ClickHouse store")
struct ReportClickHouseTests {
    /// Free TCP ports on 127.0.0.1, from the kernel (bound to port 0, then released).
    static func freePorts(_ count: Int) -> [Int] {
        var sockets: [Int32] = []
        defer { for s in sockets { close(s) } }
        var ports: [Int] = []
        for _ in 0 ..< count {
            let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            sockets.append(s)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let ok = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, length) == 0 && getsockname(s, $0, &length) == 0 }
            }
            ports.append(ok ? Int(UInt16(bigEndian: address.sin_port)) : 0)
        }
        return ports
    }

    /// Starts `executable` with standard input and output on /dev/null and no other
    /// descriptor inherited; returns its process id.
    static func spawnDetached(_ executable: String, _ arguments: [String]) -> pid_t? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd in Int32(0) ... 2 { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap({ Int32($0) }) where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        return result == 0 ? pid : nil
    }

    @Test("the same scans and histories in SQLite and in ClickHouse give the same report data")
    func sameDataAsSQLite() throws {
        let server = "/usr/sbin/clickhouse-server"
        guard FileManager.default.isExecutableFile(atPath: server) else {
            print("skipped: clickhouse-server is not installed (apt-get install clickhouse-server); the report was not run on ClickHouse")
            return
        }
        let fixture = try ReportFixture()
        let ports = Self.freePorts(3)
        #expect(!ports.contains(0))
        let dir = fixture.tree.path + "/clickhouse"
        try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
        try """
            <?xml version="1.0"?>
            <yandex>
              <logger><level>warning</level><log>\(dir)/server.log</log><errorlog>\(dir)/error.log</errorlog></logger>
              <listen_host>127.0.0.1</listen_host>
              <http_port>\(ports[0])</http_port><tcp_port>\(ports[1])</tcp_port>
              <interserver_http_port>\(ports[2])</interserver_http_port><interserver_http_host>127.0.0.1</interserver_http_host>
              <path>\(dir)/data/</path><tmp_path>\(dir)/data/tmp/</tmp_path><user_files_path>\(dir)/data/user_files/</user_files_path>
              <format_schema_path>\(dir)/data/format_schemas/</format_schema_path>
              <users_config>\(dir)/users.xml</users_config>
              <default_profile>default</default_profile><default_database>default</default_database><timezone>UTC</timezone>
              <mark_cache_size>67108864</mark_cache_size><uncompressed_cache_size>67108864</uncompressed_cache_size>
            </yandex>
            """.write(toFile: dir + "/config.xml", atomically: true, encoding: .utf8)
        try """
            <?xml version="1.0"?>
            <yandex>
              <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
              <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
              <quotas><default></default></quotas>
            </yandex>
            """.write(toFile: dir + "/users.xml", atomically: true, encoding: .utf8)
        // Spawned with every descriptor above 2 closed, so the server never holds the pipes of the
        // census runs below (their readers would wait for it to exit).
        let pid = try #require(Self.spawnDetached(server, ["--config-file=\(dir)/config.xml"]))
        // ClickHouse 18.16 takes seconds to stop on SIGTERM: end it at once.
        defer {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        let database = "clickhouse://default@127.0.0.1:\(ports[0])/census"
        let environment = ["CENSUS_DB": database]
        let manifest = fixture.tree.path + "/manifest.csv"
        let affiliations = fixture.tree.path + "/developers_affiliations.txt"
        // The first scan also tells when the server is up (a rescan replaces what a failed one left).
        var scanned = false
        for _ in 0 ..< 150 where !scanned {
            scanned = (try? CLI.run(["scan", "--manifest", manifest], environment: environment))?.status == 0
            if !scanned { usleep(200_000) }
        }
        #expect(scanned, "clickhouse-server did not take the scans within 30 s")
        guard scanned else { return }
        #expect(try CLI.run(["history", "--manifest", manifest, "--affiliations", affiliations], environment: environment).status == 0)
        // The events fixture (both eras) in both stores: the events figures must agree too.
        let events = ReportStoreEventsTests.events
        let users = fixture.tree.write("users.csv", "login,company,location\nalice,,\"Berlin, Germany\"\n")
        for env in [fixture.environment, environment] {
            let ingest = try CLI.run(["events", "ingest", events, "--users", users], environment: env)
            #expect(ingest.status == 0, "\(ingest.stderr)")
        }
        let arguments = ["--mark", "2021-01-01=Launch", "--mark", "2024-03-01=Conference", "--threshold", "25%"]
        let fromSQLite = try fixture.report(arguments)
        let out = fixture.tree.path + "/report-clickhouse"
        let run = try CLI.run(["report", "--out", out] + arguments, environment: environment)
        #expect(run.status == 0, "\(run.stderr)")

        let files = try FileManager.default.contentsOfDirectory(atPath: fromSQLite + "/data").sorted()
        #expect(files.contains("time-events.csv") && files.contains("time-marks-events.csv"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/data").sorted() == files)
        for file in files {
            let sqlite = try String(contentsOfFile: "\(fromSQLite)/data/\(file)", encoding: .utf8)
            let clickhouse = try String(contentsOfFile: "\(out)/data/\(file)", encoding: .utf8)
            #expect(sqlite == clickhouse, "\(file)")
        }
        #expect(try String(contentsOfFile: out + "/queries.sql", encoding: .utf8).contains("No SQL was recorded"))
        #expect(!FileManager.default.fileExists(atPath: out + "/sql"))
    }
}
