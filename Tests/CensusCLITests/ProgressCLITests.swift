import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The live status line, seen in a real terminal: census runs in a tmux pane (stderr a TTY, stdout
/// redirected to a file) and the test reads the screen with `capture-pane`.
///
/// To hold a run in the middle, the last of three targets is an https URL whose server (a
/// loopback socket that never accepts) leaves git waiting; closing the socket resets the
/// connection, the clone fails, and the run ends. So the screen is read while two repositories
/// are done and one is not, then after the end.
@Suite("census progress line", .serialized)
struct ProgressCLITests {
    static let tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Two scanned directories (3 files in all) and a URL that stalls.
    struct Run {
        let tree = PublicTree()
        let listener: LoopbackListener
        let output: String
        let targets: [String]

        init() throws {
            tree.write("one/a.go", "package a\n")
            tree.write("one/b.go", "package a\n")
            tree.write("two/c.rb", "puts 1\n")
            listener = try LoopbackListener()
            output = tree.path + "/out.txt"
            targets = [tree.path + "/one", tree.path + "/two", "https://127.0.0.1:\(listener.port)/acme/stalled.git"]
        }

        /// The shell command tmux runs: census with a clean cache, stdout to a file, then the exit
        /// status, then a pause that keeps the pane open for the test to read.
        func command(_ options: [String], environment: [String] = ["-u", "NO_COLOR"]) -> String {
            let census = [CLI.binary, "scan", "--no-db"] + options + targets
            return (["env"] + environment + ["XDG_CACHE_HOME=" + tree.path + "/cache", "TERM=xterm-256color"] + census)
                .map(Self.quoted).joined(separator: " ")
                + " > " + Self.quoted(output) + "; echo EXIT=$?; sleep 600"
        }

        static func quoted(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }
    }

    /// A tmux server of the test's own (its own socket name), one pane 120 × 20.
    final class Terminal {
        let socket = "census-test-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        let tmux: String

        init(tmux: String, command: String) throws {
            self.tmux = tmux
            try run(["new-session", "-d", "-x", "120", "-y", "20", command])
        }

        deinit { _ = try? run(["kill-server"]) }

        /// Runs tmux with `arguments` and returns what it printed.
        ///
        /// With posix_spawn and waitpid, not Foundation's Process: the server that new-session
        /// starts inherits every descriptor of its client, and Process learns of its child's end
        /// from a socket the server would then hold open for good.
        @discardableResult
        func run(_ arguments: [String]) throws -> String {
            let path = NSTemporaryDirectory() + "census-tmux-\(UUID().uuidString)"
            defer { unlink(path) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            let argv = ([tmux, "-L", socket, "-f", "/dev/null"] + arguments).map { strdup($0) } + [nil]
            defer { for pointer in argv { free(pointer) } }
            // The test runner's threads block signals: the server would inherit that mask and
            // ignore the SIGTERM with which kill-server ends it.
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var signals = sigset_t()
            sigemptyset(&signals)
            posix_spawnattr_setsigmask(&attributes, &signals)
            sigfillset(&signals)
            posix_spawnattr_setsigdefault(&attributes, &signals)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
            var pid = pid_t()
            let spawned = posix_spawn(&pid, tmux, &actions, &attributes, argv, environ)
            guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        }

        /// The screen's lines (wrapped lines joined); with `escapes`, with their colour codes.
        func screen(escapes: Bool = false) throws -> [String] {
            try run(["capture-pane", "-p", "-J"] + (escapes ? ["-e"] : []) + ["-t", "0"])
                .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }

        /// Reads the screen until `condition` holds for it (at most `seconds`).
        func wait(seconds: Double = 20, escapes: Bool = false, until condition: ([String]) -> Bool) throws -> [String] {
            let deadline = Date().addingTimeInterval(seconds)
            var lines = try screen(escapes: escapes)
            while !condition(lines) && Date() < deadline {
                usleep(50_000)
                lines = try screen(escapes: escapes)
            }
            return lines
        }
    }

    static func statusLine(_ lines: [String]) -> String? {
        lines.first { $0.hasPrefix("Scanning repositories · ") || $0.hasPrefix("\u{1B}[2mScanning repositories · ") }
    }

    @Test(.enabled(if: tmux != nil, "tmux is not installed: the status line is tested in a real terminal (apt-get install tmux)"))
    func aTerminalShowsOneLiveLineThatIsErasedAtTheEnd() throws {
        let run = try Run()
        let terminal = try Terminal(tmux: try #require(Self.tmux), command: run.command([]))

        // While the third repository's clone waits: one line, two of three done, the files
        // counted (3), a rate, the time elapsed and an estimate; dimmed (NO_COLOR is unset).
        // The estimate comes after the first second.
        let during = try terminal.wait(escapes: true) {
            Self.statusLine($0).map { $0.contains("2/3 repositories") && $0.contains(" left") } == true
        }
        let line = try #require(Self.statusLine(during), "no status line on screen:\n\(during.joined(separator: "\n"))")
        #expect(line.hasPrefix("\u{1B}[2mScanning repositories · 2/3 repositories · 3 files ("), "\(line)")
        #expect(line.contains("/s) · 0:0"), "\(line)")
        #expect(line.contains(" left"), "\(line)")
        #expect(during.filter { $0.contains("Scanning repositories") }.count == 1)

        // The run ends: the line is gone, the failure and the summary are on screen.
        run.listener.stop()
        let after = try terminal.wait { $0.contains { $0.hasPrefix("EXIT=") } }
        #expect(after.contains("EXIT=1"), "\(after.joined(separator: "\n"))")
        #expect(!after.contains { $0.contains("Scanning repositories") }, "\(after.joined(separator: "\n"))")
        #expect(after.contains("census: 2 of 3 repositories scanned, 1 failed"), "\(after.joined(separator: "\n"))")
        #expect(after.contains { $0.hasPrefix("census: error: https://127.0.0.1:\(run.listener.port)/acme/stalled.git: ") })

        // Nothing of it went into the redirected output.
        let output = try String(contentsOfFile: run.output, encoding: .utf8)
        #expect(output.contains("/one"))
        #expect(!output.contains("Scanning") && !output.contains("\r") && !output.contains("\u{1B}"), "\(output)")
    }

    @Test(.enabled(if: tmux != nil, "tmux is not installed: the status line is tested in a real terminal (apt-get install tmux)"))
    func noColorKeepsTheLineAndDropsTheDimming() throws {
        let run = try Run()
        let terminal = try Terminal(tmux: try #require(Self.tmux), command: run.command([], environment: ["NO_COLOR=1"]))
        // The rate comes after half a second, the estimate after the first.
        let during = try terminal.wait(escapes: true) {
            Self.statusLine($0).map { $0.contains("2/3 repositories") && $0.contains(" left") } == true
        }
        let line = try #require(Self.statusLine(during), "\(during.joined(separator: "\n"))")
        #expect(line.hasPrefix("Scanning repositories · 2/3 repositories · 3 files ("), "\(line)")
        #expect(!line.contains("\u{1B}"))
        run.listener.stop()
        _ = try terminal.wait { $0.contains { $0.hasPrefix("EXIT=") } }
    }

    @Test(
        .enabled(if: tmux != nil, "tmux is not installed: the status line is tested in a real terminal (apt-get install tmux)"),
        arguments: [["--progress", "never"], ["--quiet"]])
    func neverAndQuietDrawNothing(options: [String]) throws {
        let run = try Run()
        let terminal = try Terminal(tmux: try #require(Self.tmux), command: run.command(options))
        // Give the line every chance to appear (it would within 100 ms), then look.
        usleep(1_500_000)
        let during = try terminal.screen()
        #expect(!during.contains { $0.contains("Scanning repositories") }, "\(during.joined(separator: "\n"))")
        run.listener.stop()
        let after = try terminal.wait { $0.contains { $0.hasPrefix("EXIT=") } }
        #expect(after.contains("EXIT=1"))
        #expect(after.contains { $0.hasPrefix("census: error: https://127.0.0.1:") }, "errors are printed even with \(options)")
        // --quiet also leaves out the summary line.
        #expect(after.contains("census: 2 of 3 repositories scanned, 1 failed") == (options != ["--quiet"]))
    }

    @Test func withoutATerminalAutoDrawsNothingAndAlwaysDraws() throws {
        for mode in ["auto", "always"] {
            let run = try Run()
            let listener = run.listener
            DispatchQueue.global().asyncAfter(deadline: .now() + 1.5) { listener.stop() }
            let result = try CLI.run(
                ["scan", "--no-db", "--progress", mode] + run.targets, environment: ["XDG_CACHE_HOME": run.tree.path + "/cache"])
            #expect(result.status == 1)
            if mode == "auto" {
                #expect(!result.stderr.contains("Scanning") && !result.stderr.contains("\r"), "\(result.stderr)")
            } else {
                // Drawn with a carriage return, erased before the messages that follow it.
                #expect(result.stderr.contains("\rScanning repositories · 2/3 repositories · 3 files"), "\(result.stderr)")
                #expect(result.stderr.contains("\r\u{1B}[K"))
            }
            #expect(!result.text.contains("Scanning"))
        }
    }
}
