#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starting a helper program (git, pdftotext) the one way census does: `posix_spawn` (no `fork`
/// of a threaded process, no Foundation), the given descriptors as its standard input, output
/// and error, every other descriptor closed in the child, signal dispositions and mask reset to
/// the defaults, and exactly the environment given.
package enum ChildSpawn {
    /// Starts `executable` with `arguments` (the first being its name) and `environment`
    /// (`NAME=value` strings), its standard streams the descriptors given.
    ///
    /// - Returns: The child's process id, or the `errno` value `posix_spawn` failed with.
    package static func start(
        _ executable: String, arguments: [String], environment: [String], input: Int32, output: Int32, error: Int32
    ) -> Result<pid_t, SpawnFailure> {
        #if os(Linux)
            var actions = posix_spawn_file_actions_t()
            var attributes = posix_spawnattr_t()
        #else
            var actions: posix_spawn_file_actions_t? = nil
            var attributes: posix_spawnattr_t? = nil
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        // dup2 clears close-on-exec on the copies.
        posix_spawn_file_actions_adddup2(&actions, input, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, error, 2)
        // Descriptors other code in this process opened without O_CLOEXEC must not reach the
        // child (a leaked pipe end would hide another reader's end of file).
        if let closeFrom = spawnCloseFrom { _ = closeFrom(&actions, 3) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        return result == 0 ? .success(child) : .failure(SpawnFailure(code: result))
    }

    /// Why a program could not be started: `posix_spawn`'s `errno` value.
    package struct SpawnFailure: Error, CustomStringConvertible {
        package var code: Int32
        package var description: String {
            guard let text = strerror(code) else { return "error \(code)" }
            return String(cString: text)
        }
    }
}

/// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+), which Glibc's Swift module does not
/// export (it needs `_GNU_SOURCE`); looked up once at run time, `nil` where the C library lacks it.
private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
#if os(Linux)
    private let spawnCloseFrom: AddCloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else {
            return nil
        }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()
#else
    private let spawnCloseFrom: AddCloseFrom? = nil
#endif
