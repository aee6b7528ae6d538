import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs git's plumbing, hardened so that nothing in a repository can make git run a program,
/// reach the network, or read the user's configuration.
///
/// Every process gets an environment built from nothing (see ``environment(network:ceiling:)``)
/// and, before its subcommand, the options in ``configuration(network:safeDirectory:)``: no
/// hooks, no fsmonitor, no pager, no external diff, no credential helpers, no askpass, an inert
/// ssh command, and no transport at all unless the command is one of the clone cache's fetches
/// (then only https, ssh and file). docs/git.md explains each choice.
///
/// The runner's calls block; call them from threads you own (a scanning worker, the command-line
/// tool's main thread), never from the Swift concurrency pool. Both output streams of every
/// process are drained together with `poll(2)`, so git never stalls on a full pipe.
public struct GitRunner: Sendable {
    /// The absolute path of the `git` executable used.
    public let executable: String
    /// Its version, as `git version` printed it ("2.39.5").
    public private(set) var version: String
    /// The longest a local command may run before it is killed.
    public var commandTimeout: Duration = .seconds(600)
    /// The longest a clone or fetch may run before it is killed.
    public var networkTimeout: Duration = .seconds(3600)
    /// The longest ``GitBlobReader`` waits for git to produce any output.
    public var readerIdleTimeout: Duration = .seconds(300)
    /// Variables added to every git process's environment after the hardened ones (tests set
    /// commit dates and identities with this). Never set from a repository.
    package var extraEnvironment: [String: String] = [:]

    /// `PATH` for git: the caller's, keeping only absolute directories (an empty or relative entry
    /// would let a command name resolve inside whatever directory git happens to be in).
    let searchPath: String
    /// The user's proxy, certificate and ssh-agent variables, passed to network commands only.
    let networkPassthrough: [String]

    /// Finds git and reads its version.
    ///
    /// - Parameter executable: the git to use; by default the first `git` on `PATH`.
    /// - Throws: ``GitError`` with code ``GitError/Code/gitUnavailable`` when there is no git, or
    ///   it cannot be run.
    public init(executable: String? = nil) throws {
        let path = Self.sanitisedPath(getenv("PATH").map { String(cString: $0) } ?? "")
        searchPath = path
        var passthrough: [String] = []
        for name in Self.networkVariables {
            if let value = getenv(name) { passthrough.append(name + "=" + String(cString: value)) }
        }
        networkPassthrough = passthrough
        guard let found = executable ?? Self.find("git", in: path) else {
            throw GitError(
                .gitUnavailable, repository: "-", message: "git was not found on PATH (\(path)): install git or name it"
            )
        }
        self.executable = found
        if let known = Self.versions.withLock({ $0[found] }) {
            version = known
            return
        }
        version = ""
        let output = try run(["version"], at: GitLocation(display: found))
        let text = output.text
        let prefix = "git version "
        version = text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
        let resolved = version
        Self.versions.withLock { $0[found] = resolved }
    }

    private static let versions = Mutex<[String: String]>([:])

    /// Variables a fetch may need from the user: proxies, CA certificates, the ssh agent.
    static let networkVariables = [
        "SSH_AUTH_SOCK", "http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy",
        "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR", "GIT_SSL_CAINFO", "GIT_SSL_CAPATH",
    ]

    // MARK: - Hardening

    /// The ssh command for network commands: never prompts (no password, no new host key).
    static let networkSSH = "ssh -o BatchMode=yes"
    /// The ssh command for everything else: exits with failure without doing anything.
    static let inertSSH = "false"

    /// The `-c` options given to every git command, as argument pairs.
    ///
    /// Command-line configuration outranks the repository's own, and git passes it on to the git
    /// processes it starts (`GIT_CONFIG_PARAMETERS`), so a lazy fetch or a local `upload-pack`
    /// gets it too.
    static func configuration(network: Bool, safeDirectory: String?) -> [String] {
        var settings = [
            "core.fsmonitor=false",
            "core.hooksPath=/dev/null",
            "core.sshCommand=" + (network ? networkSSH : inertSSH),
            "core.pager=cat",
            "core.attributesFile=/dev/null",
            "credential.helper=",
            "diff.external=",
            "protocol.allow=never",
            "protocol.ext.allow=never",
            "submodule.recurse=false",
            "fetch.recurseSubmodules=false",
            "gc.auto=0",
            "maintenance.auto=false",
        ]
        if network {
            settings += ["protocol.https.allow=always", "protocol.ssh.allow=always", "protocol.file.allow=always"]
        }
        if let safeDirectory { settings.append("safe.directory=" + safeDirectory) }
        return settings.flatMap { ["-c", $0] }
    }

    /// The whole environment of a git process: nothing is inherited but `PATH` and, for network
    /// commands, the user's proxy, certificate and ssh-agent variables.
    func environment(network: Bool, ceiling: String?) -> [String] {
        var variables = [
            "PATH=" + searchPath,
            "HOME=" + Self.isolatedHome,
            "LC_ALL=C",
            "GIT_CONFIG_NOSYSTEM=1",
            "GIT_CONFIG_SYSTEM=/dev/null",
            "GIT_CONFIG_GLOBAL=/dev/null",
            "GIT_ATTR_NOSYSTEM=1",
            "GIT_TERMINAL_PROMPT=0",
            "GIT_ASKPASS=",
            "SSH_ASKPASS=",
            "SSH_ASKPASS_REQUIRE=never",
            "GIT_SSH_COMMAND=" + (network ? Self.networkSSH : Self.inertSSH),
            "GIT_SSH_VARIANT=ssh",
            "GIT_NO_REPLACE_OBJECTS=1",
            "GIT_NO_LAZY_FETCH=1",
            "GIT_LFS_SKIP_SMUDGE=1",
            "GIT_PAGER=cat",
            "PAGER=cat",
            "GIT_EDITOR=false",
            "GIT_SEQUENCE_EDITOR=false",
            "GIT_OPTIONAL_LOCKS=0",
            // git flushes its standard output after every commit of `rev-list` and `log` when it is
            // not a regular file: 82,000 writes, and as many wake-ups of census, for a history of
            // 82,000 commits. Without, output comes in stdio's blocks. (`cat-file --batch` writes
            // each answer itself, and `--batch-command --buffer` on `flush`: no change there.)
            "GIT_FLUSH=0",
            "GIT_PROTOCOL_FROM_USER=0",
            "GIT_ALLOW_PROTOCOL=" + (network ? "https:ssh:file" : "none"),
        ]
        if let ceiling { variables.append("GIT_CEILING_DIRECTORIES=" + ceiling) }
        if network { variables += networkPassthrough }
        for (name, value) in extraEnvironment.sorted(by: { $0.key < $1.key }) {
            variables.removeAll { $0.hasPrefix(name + "=") }
            variables.append(name + "=" + value)
        }
        return variables
    }

    /// `HOME` for git: `/nonexistent` (as Debian gives system users), or, should that exist, an
    /// empty directory of our own. Either way git finds no `~/.gitconfig`, `~/.config/git/*`,
    /// `~/.netrc` or `~/.git-credentials`. (ssh finds `~/.ssh` through the password database, not
    /// `HOME`, so the user's keys and known hosts still apply to ssh URLs.)
    static let isolatedHome: String = {
        var st = stat()
        if lstat("/nonexistent", &st) != 0 && errno == ENOENT { return "/nonexistent" }
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "/tmp"
        var template = Array((base + "/census-git-home-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
        return made
            ? String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : "/nonexistent"
    }()

    static func sanitisedPath(_ path: String) -> String {
        let kept = path.split(separator: ":").filter { $0.hasPrefix("/") }
        return kept.isEmpty ? "/usr/local/bin:/usr/bin:/bin" : kept.joined(separator: ":")
    }

    static func find(_ name: String, in path: String) -> String? {
        for directory in path.split(separator: ":") {
            let candidate = directory + "/" + name
            var st = stat()
            if stat(candidate, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        return nil
    }

    // MARK: - Running

    /// The full argument vector: git, the global options, the hardening, the command.
    func argumentVector(_ arguments: [String], at location: GitLocation, network: Bool, settings: [String] = []) -> [String] {
        var argv = [
            executable, "--no-pager", "--no-replace-objects", "--literal-pathspecs", "-C", location.workingDirectory,
        ]
        argv += Self.configuration(network: network, safeDirectory: location.safeDirectory)
        argv += settings.flatMap { ["-c", $0] }
        if let gitDirectory = location.gitDirectory { argv.append("--git-dir=" + gitDirectory) }
        return argv + arguments
    }

    /// Starts a long-lived git process whose standard input the caller writes.
    func spawn(_ arguments: [String], at location: GitLocation) throws -> GitProcess {
        do {
            return try GitProcess(
                executable: executable, arguments: argumentVector(arguments, at: location, network: false),
                environment: environment(network: false, ceiling: location.ceiling), writesInput: true)
        } catch let error as SystemCallError {
            throw GitError(
                .gitUnavailable, repository: location.display, command: arguments,
                message: "could not start \(executable): \(error)")
        }
    }

    /// Runs one git command to its end and returns what it wrote.
    ///
    /// - Parameters:
    ///   - arguments: the subcommand and its arguments.
    ///   - location: the repository (or directory) it runs in, and how to name it in errors.
    ///   - input: bytes for its standard input (none: it reads `/dev/null`).
    ///   - network: whether this is a clone cache fetch (https, ssh and file transports allowed,
    ///     the longer timeout); all other commands have no transport at all.
    ///   - statuses: the exit statuses that count as success.
    ///   - outputLimit: the most standard output kept; a command that writes more is killed.
    /// - Throws: ``GitError``: ``GitError/Code/commandFailed`` with git's message for other
    ///   statuses, ``GitError/Code/timedOut``, ``GitError/Code/gitUnavailable``.
    package func run(
        _ arguments: [String], at location: GitLocation, input: [UInt8] = [], network: Bool = false,
        accepting statuses: Set<Int32> = [0], outputLimit: Int = 1 << 30
    ) throws -> GitOutput {
        let process: GitProcess
        do {
            process = try GitProcess(
                executable: executable, arguments: argumentVector(arguments, at: location, network: network),
                environment: environment(network: network, ceiling: location.ceiling), writesInput: !input.isEmpty)
        } catch let error as SystemCallError {
            throw GitError(
                .gitUnavailable, repository: location.display, command: arguments,
                message: "could not start \(executable): \(error)")
        }
        let timeout = network ? networkTimeout : commandTimeout
        let collected = process.collect(
            input: input, deadline: .now + timeout, outputLimit: outputLimit, errorLimit: 64 * 1024)
        let message = Self.text(collected.errors)
        if collected.timedOut {
            throw GitError(
                .timedOut, repository: location.display, command: arguments, exitStatus: collected.status,
                gitMessage: message, message: "git ran longer than \(timeout) and was stopped")
        }
        if collected.outputTooLarge {
            throw GitError(
                .protocolError, repository: location.display, command: arguments, exitStatus: collected.status,
                gitMessage: message, message: "git wrote more than \(outputLimit) bytes and was stopped")
        }
        guard case .exited(let code) = collected.status, statuses.contains(code) else {
            throw GitError(
                .commandFailed, repository: location.display, command: arguments, exitStatus: collected.status,
                gitMessage: message, message: "git \(arguments.first ?? "") failed")
        }
        return GitOutput(output: collected.output, errors: collected.errors, exitCode: code)
    }

    /// Runs one git command to its end, handing its standard output to `chunk` as it arrives
    /// (memory stays bounded, whatever git writes). `chunk` returning false stops git early
    /// (not an error).
    ///
    /// git's output is fully buffered (`GIT_FLUSH=0`, in every git's environment): `log` and `rev-list` otherwise write each
    /// record with a system call of its own into the pipe (one per commit: 82,000 writes and
    /// about as many wake-ups of the reader for an 82,000-commit `log`), since nobody reads their
    /// records one at a time here.
    ///
    /// - Throws: as ``run(_:at:input:network:accepting:outputLimit:)``.
    /// - Parameter inputFile: a file git reads as its standard input, from its current offset
    ///   (instead of `input`).
    package func stream(
        _ arguments: [String], at location: GitLocation, settings: [String] = [], input: [UInt8] = [],
        inputFile: Int32 = -1, _ chunk: (UnsafeRawBufferPointer) -> Bool
    ) throws {
        let process: GitProcess
        do {
            process = try GitProcess(
                executable: executable, arguments: argumentVector(arguments, at: location, network: false, settings: settings),
                environment: environment(network: false, ceiling: location.ceiling), writesInput: !input.isEmpty,
                inputFile: inputFile)
        } catch let error as SystemCallError {
            throw GitError(
                .gitUnavailable, repository: location.display, command: arguments,
                message: "could not start \(executable): \(error)")
        }
        let collected = withoutActuallyEscaping(chunk) { chunk in
            process.collect(input: input, deadline: .now + networkTimeout, outputLimit: .max, errorLimit: 64 * 1024, deliver: chunk)
        }
        if collected.stopped { return }
        let message = Self.text(collected.errors)
        if collected.timedOut {
            throw GitError(
                .timedOut, repository: location.display, command: arguments, exitStatus: collected.status,
                gitMessage: message, message: "git ran longer than \(networkTimeout) and was stopped")
        }
        guard case .exited(0) = collected.status else {
            throw GitError(
                .commandFailed, repository: location.display, command: arguments, exitStatus: collected.status,
                gitMessage: message, message: "git \(arguments.first ?? "") failed")
        }
    }

    /// Bytes git wrote, as text for messages: invalid UTF-8 replaced, surrounding blank space removed.
    static func text(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self).trimmingBlankSpace()
    }
}

/// Where a git command runs and how errors name it.
package struct GitLocation: Sendable {
    /// The repository as the user named it (a path or a URL), for messages.
    package var display: String
    /// `--git-dir`: the repository's git directory, once known.
    package var gitDirectory: String?
    /// `-C`: the directory git starts in; `/` unless a command needs otherwise (discovery, clone).
    package var workingDirectory: String = "/"
    /// `safe.directory`: the repository path git checks ownership of (discovery only).
    package var safeDirectory: String?
    /// `GIT_CEILING_DIRECTORIES`: where discovery must stop.
    package var ceiling: String?

    package init(
        display: String, gitDirectory: String? = nil, workingDirectory: String = "/", safeDirectory: String? = nil,
        ceiling: String? = nil
    ) {
        self.display = display
        self.gitDirectory = gitDirectory
        self.workingDirectory = workingDirectory
        self.safeDirectory = safeDirectory
        self.ceiling = ceiling
    }
}

/// What a git command wrote, and its exit status.
package struct GitOutput: Sendable {
    package var output: [UInt8]
    package var errors: [UInt8]
    package var exitCode: Int32

    /// Standard output as text, without surrounding blank space.
    package var text: String { GitRunner.text(output) }
    /// Standard output's lines (as text), without blank ones.
    package var lines: [String] { text.split(separator: "\n").map(String.init) }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    func trimmingBlankSpace() -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
