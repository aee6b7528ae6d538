import Foundation
import Testing

@testable import CensusStore

#if canImport(Glibc)
    import Glibc
#endif

/// Real servers for the ClickHouse tests: `clickhouse-server` (Debian's 18.16) and, for a cluster,
/// ZooKeeper, each started as a plain process on loopback with a configuration written into a
/// temporary directory (its own data path, free ports), and killed by PID when the test ends.
///
/// Each server has a watchdog (``WatchedProcess``): if the test process dies without stopping it,
/// the watchdog kills it, so nothing outlives the tests.
enum TestServers {
    static let clickhouseServer = "/usr/sbin/clickhouse-server"
    static let zookeeperJar = "/usr/share/java/zookeeper.jar"
    static let java = "/usr/bin/java"

    static var hasClickHouse: Bool { FileManager.default.isExecutableFile(atPath: clickhouseServer) }
    static var hasZooKeeper: Bool {
        FileManager.default.fileExists(atPath: zookeeperJar) && FileManager.default.isExecutableFile(atPath: java)
    }

    static let noClickHouse: Comment =
        "clickhouse-server is not installed (apt-get install -y clickhouse-server clickhouse-client): ClickHouse tests skipped"
    static let noZooKeeper: Comment =
        "clickhouse-server or ZooKeeper is not installed (apt-get install -y clickhouse-server zookeeper): the cluster test needs both (ON CLUSTER is coordinated through ZooKeeper)"

    /// `count` distinct free TCP ports on 127.0.0.1 (bound together, then released).
    static func freePorts(_ count: Int) throws -> [Int] {
        var sockets: [Int32] = []
        defer { for socket in sockets { close(socket) } }
        var ports: [Int] = []
        for _ in 0..<count {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
            sockets.append(descriptor)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                    bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
                }
            }
            guard bound else { throw POSIXError(.EADDRINUSE) }
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
        }
        return ports
    }

    static func xml(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&apos;")
    }
}

/// A server process, child of the test process, with a watchdog: a `sh` that reads its standard
/// input from this process and kills the server by PID when that input ends. ``stop()`` ends the
/// input; if the test process dies instead, the input ends all the same.
///
/// (The `sh` does not `wait` for the server: a child started from a Swift thread inherits a signal
/// mask with `SIGCHLD` blocked, and dash's `wait` then never returns. The test process reaps the
/// server itself.)
final class WatchedProcess {
    let name: String
    let log: String
    /// The server's PID.
    let pid: pid_t
    private let server: Process
    private let watchdog: Process
    private let lifeline: FileHandle
    private var stopped = false

    /// Starts `arguments` with its output in `log`.
    init(name: String, arguments: [String], log: String, workingDirectory: String) throws {
        self.name = name
        self.log = log
        guard FileManager.default.createFile(atPath: log, contents: nil) else {
            throw ServerError(message: "cannot create \(log)")
        }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        defer { try? output.close() }
        let server = Process()
        server.executableURL = URL(fileURLWithPath: arguments[0])
        server.arguments = Array(arguments.dropFirst())
        server.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
        server.standardInput = FileHandle.nullDevice
        server.standardOutput = output
        server.standardError = output
        try server.run()
        self.server = server
        pid = server.processIdentifier

        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        watchdog.arguments = ["-c", "read ignored; kill -KILL \"$1\" 2>/dev/null", "watchdog", String(pid)]
        // Both ends close on exec, so no other child (another server, its watchdog) inherits the
        // write end and keeps the watchdog's input open; the read end becomes the watchdog's fd 0.
        var ends: [Int32] = [-1, -1]
        // (pipe2 is not exported to Swift; another thread could spawn between pipe and fcntl, which
        // would only delay its stop.)
        guard pipe(&ends) == 0, fcntl(ends[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(ends[1], F_SETFD, FD_CLOEXEC) == 0
        else {
            kill(pid, SIGKILL)
            server.waitUntilExit()
            throw ServerError(message: "cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        let lifeline = FileHandle(fileDescriptor: ends[1], closeOnDealloc: true)
        let watchdogInput = FileHandle(fileDescriptor: ends[0], closeOnDealloc: true)
        defer { try? watchdogInput.close() }
        watchdog.standardInput = watchdogInput
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        self.watchdog = watchdog
        self.lifeline = lifeline
        do {
            try watchdog.run()
        } catch {
            kill(pid, SIGKILL)
            server.waitUntilExit()
            throw error
        }
    }

    var isRunning: Bool { Self.isAlive(pid) }

    /// Whether a process exists and is not a zombie, from `/proc` (Foundation's `isRunning` can lag
    /// by seconds when two children die at once).
    static func isAlive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(after: close)...].drop { $0 == " " }.first
        return state != "Z" && state != "X"
    }

    /// Kills the server by its PID (SIGKILL: its data is thrown away, and ClickHouse takes seconds
    /// to stop on SIGTERM) and waits until it is gone.
    func stop() {
        if stopped { return }
        stopped = true
        // The watchdog kills the server while it is still this process's unreaped child, so the PID
        // cannot have been reused.
        try? lifeline.close()
        let deadline = Date().addingTimeInterval(10)
        let watchdogPID = watchdog.processIdentifier
        while Self.isAlive(watchdogPID) && Date() < deadline { usleep(5_000) }
        if Self.isAlive(pid) { kill(pid, SIGKILL) }
        while Self.isAlive(pid) && Date() < deadline { usleep(5_000) }
        if Self.isAlive(watchdogPID) { kill(watchdogPID, SIGKILL) }
    }

    deinit { stop() }

    /// The last lines of the log, for a failure message.
    func logTail() -> String {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }
}

struct ServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// One `clickhouse-server` on 127.0.0.1 with users `default` (no password, for the servers' own
/// connections to each other) and `census` (with ``password``).
final class ClickHouseServer {
    static let user = "census"
    /// Characters that need care in XML, in Basic authentication (`:`) and in URLs.
    static let password = "pa:ss'w\"o<r>d&1"

    let directory: TemporaryDirectory
    let httpPort: Int
    let tcpPort: Int
    private(set) var process: WatchedProcess?

    struct Ports {
        var http: Int
        var tcp: Int
        var interserver: Int
    }

    /// Writes the configuration and starts the server; returns once it answers `/ping`.
    ///
    /// - Parameters:
    ///   - cluster: Name and shards' TCP ports of a `remote_servers` cluster, if any.
    ///   - zookeeperPort: ZooKeeper for `ON CLUSTER` (distributed DDL).
    init(ports: Ports, cluster: (name: String, tcpPorts: [Int])? = nil, zookeeperPort: Int? = nil) throws {
        directory = try TemporaryDirectory()
        httpPort = ports.http
        tcpPort = ports.tcp
        let data = directory.file("data") + "/"
        var config = """
            <?xml version="1.0"?>
            <yandex>
              <logger><level>warning</level><log>\(directory.file("server.log"))</log>\
            <errorlog>\(directory.file("error.log"))</errorlog></logger>
              <listen_host>127.0.0.1</listen_host>
              <http_port>\(ports.http)</http_port>
              <tcp_port>\(ports.tcp)</tcp_port>
              <interserver_http_port>\(ports.interserver)</interserver_http_port>
              <interserver_http_host>127.0.0.1</interserver_http_host>
              <path>\(data)</path>
              <tmp_path>\(data)tmp/</tmp_path>
              <user_files_path>\(data)user_files/</user_files_path>
              <format_schema_path>\(data)format_schemas/</format_schema_path>
              <users_config>\(directory.file("users.xml"))</users_config>
              <default_profile>default</default_profile>
              <default_database>default</default_database>
              <timezone>UTC</timezone>
              <mark_cache_size>67108864</mark_cache_size>
              <uncompressed_cache_size>67108864</uncompressed_cache_size>
              <max_concurrent_queries>50</max_concurrent_queries>

            """
        if let cluster {
            config += "  <remote_servers><\(cluster.name)>"
            for port in cluster.tcpPorts {
                config += "<shard><replica><host>127.0.0.1</host><port>\(port)</port></replica></shard>"
            }
            config += "</\(cluster.name)></remote_servers>\n"
        }
        if let zookeeperPort {
            config += """
                  <zookeeper><node><host>127.0.0.1</host><port>\(zookeeperPort)</port></node>\
                <session_timeout_ms>10000</session_timeout_ms></zookeeper>
                  <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>

                """
        }
        config += "</yandex>\n"
        let users = """
            <?xml version="1.0"?>
            <yandex>
              <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
              <users>
                <default><password></password><networks><ip>127.0.0.1</ip></networks>\
            <profile>default</profile><quota>default</quota></default>
                <\(Self.user)><password>\(TestServers.xml(Self.password))</password><networks><ip>127.0.0.1</ip></networks>\
            <profile>default</profile><quota>default</quota></\(Self.user)>
              </users>
              <quotas><default></default></quotas>
            </yandex>

            """
        try config.write(toFile: directory.file("config.xml"), atomically: true, encoding: .utf8)
        try users.write(toFile: directory.file("users.xml"), atomically: true, encoding: .utf8)
        do {
            let process = try WatchedProcess(
                name: "clickhouse-server on port \(ports.http)",
                arguments: [TestServers.clickhouseServer, "--config-file=\(directory.file("config.xml"))"],
                log: directory.file("stdout.log"), workingDirectory: directory.path)
            self.process = process
            try waitUntilReady(process)
        } catch {
            stop()
            throw error
        }
    }

    /// Convenience: a single server on free ports.
    convenience init() throws {
        let ports = try TestServers.freePorts(3)
        try self.init(ports: Ports(http: ports[0], tcp: ports[1], interserver: ports[2]))
    }

    private func waitUntilReady(_ process: WatchedProcess) throws {
        let client = HTTPClient(host: "127.0.0.1", port: httpPort, credentials: nil, connectTimeout: 1, ioTimeout: 5)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let response = try? client.send(method: "GET", target: "/ping"), response.status == 200 { return }
            guard process.isRunning else {
                throw ServerError(
                    message:
                        "\(process.name) exited while starting:\n\(process.logTail())\n\(errorLogTail())")
            }
            usleep(50_000)
        }
        throw ServerError(message: "\(process.name) did not answer /ping within 30 s:\n\(errorLogTail())")
    }

    func errorLogTail() -> String {
        let text = (try? String(contentsOfFile: directory.file("error.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(10).joined(separator: "\n")
    }

    /// The endpoint of a database on this server, as user `census`.
    func endpoint(database: String, password: String = ClickHouseServer.password) -> ClickHouseEndpoint {
        ClickHouseEndpoint(host: "127.0.0.1", port: httpPort, user: Self.user, password: password, database: database)
    }

    /// Runs SQL as `default` and returns the answer's text (for checks outside the store).
    func run(_ sql: String) throws -> String {
        let client = HTTPClient(host: "127.0.0.1", port: httpPort, credentials: nil)
        let response = try client.send(method: "POST", target: "/", body: Array(sql.utf8))
        let text = String(decoding: response.body, as: UTF8.self)
        guard response.status == 200 else { throw ServerError(message: "HTTP \(response.status): \(text)") }
        return text
    }

    /// Kills the server (SIGKILL) and starts it again on the same ports and data; returns once it
    /// answers `/ping` (the crash-and-restart tests).
    func restart() throws {
        process?.stop()
        let process = try WatchedProcess(
            name: "clickhouse-server on port \(httpPort)",
            arguments: [TestServers.clickhouseServer, "--config-file=\(directory.file("config.xml"))"],
            log: directory.file("stdout-restarted.log"), workingDirectory: directory.path)
        self.process = process
        try waitUntilReady(process)
    }

    /// Kills the server by PID and removes its directory.
    func stop() {
        process?.stop()
        process = nil
        directory.cleanUp()
    }

    deinit { stop() }
}

/// A standalone ZooKeeper on 127.0.0.1, for `ON CLUSTER`.
final class ZooKeeperServer {
    let directory: TemporaryDirectory
    let port: Int
    private(set) var process: WatchedProcess?

    init() throws {
        directory = try TemporaryDirectory()
        port = try TestServers.freePorts(1)[0]
        let config = """
            tickTime=500
            initLimit=10
            syncLimit=5
            dataDir=\(directory.file("data"))
            clientPort=\(port)
            clientPortAddress=127.0.0.1
            maxClientCnxns=0
            admin.enableServer=false
            4lw.commands.whitelist=srvr

            """
        try FileManager.default.createDirectory(atPath: directory.file("data"), withIntermediateDirectories: true)
        try config.write(toFile: directory.file("zoo.cfg"), atomically: true, encoding: .utf8)
        do {
            let process = try WatchedProcess(
                name: "ZooKeeper on port \(port)",
                arguments: [
                    TestServers.java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                    TestServers.zookeeperJar, "org.apache.zookeeper.server.ZooKeeperServerMain",
                    directory.file("zoo.cfg"),
                ], log: directory.file("zookeeper.log"), workingDirectory: directory.path)
            self.process = process
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                if isServing() { return }
                guard process.isRunning else {
                    throw ServerError(message: "ZooKeeper exited while starting:\n\(process.logTail())")
                }
                usleep(50_000)
            }
            throw ServerError(message: "ZooKeeper was not serving within 30 s:\n\(process.logTail())")
        } catch {
            stop()
            throw error
        }
    }

    /// ZooKeeper's four-letter `srvr`, which names the server's mode once it serves requests. (`ruok`
    /// answers `imok` earlier, while ZooKeeper still drops sessions; ClickHouse 18.16's DDL worker
    /// then crashes on its first connection.)
    private func isServing() -> Bool {
        guard let connection = try? TCPConnection(host: "127.0.0.1", port: port, connectTimeout: 1, ioTimeout: 2)
        else { return false }
        defer { connection.close() }
        guard (try? connection.write(Array("srvr".utf8))) != nil else { return false }
        var reader = BufferedReader(connection: connection)
        guard let answer = try? reader.readToEnd() else { return false }
        return String(decoding: answer, as: UTF8.self).contains("Mode: standalone")
    }

    func stop() {
        process?.stop()
        process = nil
        directory.cleanUp()
    }

    deinit { stop() }
}

/// Two ClickHouse servers, each one shard of cluster `census_test`, coordinated by one ZooKeeper.
final class ClickHouseCluster {
    static let name = "census_test"
    let zookeeper: ZooKeeperServer
    let shards: [ClickHouseServer]

    init(shards count: Int = 2) throws {
        zookeeper = try ZooKeeperServer()
        let ports = try TestServers.freePorts(3 * count)
        let tcpPorts = (0..<count).map { ports[3 * $0 + 1] }
        var shards: [ClickHouseServer] = []
        do {
            for index in 0..<count {
                shards.append(
                    try ClickHouseServer(
                        ports: ClickHouseServer.Ports(
                            http: ports[3 * index], tcp: ports[3 * index + 1], interserver: ports[3 * index + 2]),
                        cluster: (Self.name, tcpPorts), zookeeperPort: zookeeper.port))
            }
        } catch {
            for shard in shards { shard.stop() }
            zookeeper.stop()
            throw error
        }
        self.shards = shards
    }

    func stop() {
        for shard in shards { shard.stop() }
        zookeeper.stop()
    }

    deinit { stop() }
}
