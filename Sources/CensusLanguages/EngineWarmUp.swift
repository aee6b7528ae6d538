import CCensusBytes
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The detection engine built ahead of need on two other threads, with gates a thread waits at
/// (asleep) until the part it needs is ready.
///
/// Why gates: a thread that reads a `static let` another thread is still initialising waits
/// inside Swift's once, which on Linux is a priority-inheritance futex; the kernel keeps such a
/// waiter spinning for as long as the owner runs. Waiting for the engine's build (milliseconds)
/// that way costs a whole core — on a two-core machine, the core the build itself or the
/// directory walk needed (measured: about 1 ms of CPU spun per small scan). A gate is a
/// `DispatchGroup`: its wait sleeps, and returns at once when no warm-up was started.
///
/// The split: Linguist's path rules and their prefilter on one thread; the language table and
/// its indexes, then the rest of the engine, on the other (the rest takes the path rules last).
public enum EngineWarmUp {
    private static let started = Atomic<Bool>(false)
    private static let pathRules = DispatchGroup()
    private static let tables = DispatchGroup()
    private static let engine = DispatchGroup()
    /// Whether each builder's block has begun to run (see ``wait(_:running:)``).
    private static let pathRulesRunning = Atomic<Bool>(false)
    private static let tablesRunning = Atomic<Bool>(false)

    /// Starts the build, once; later calls do nothing.
    public static func start() {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        pathRules.enter()
        tables.enter()
        engine.enter()
        // Threads of their own, both started now: libdispatch makes its pool's threads one at a
        // time as work queues up, so the second builder began about 0.5 ms after the first
        // (measured on the prometheus tree, where the build is the wait before counting).
        startThread {
            tablesRunning.store(true, ordering: .releasing)
            LanguageTable.prepare()
            tables.leave()
            _ = LinguistEngine.shared
            engine.leave()
        }
        startThread {
            // The longer builder (the scan waits for it): its allocations on pages made resident
            // in one call rather than faulted one at a time (census_warm_heap).
            census_warm_heap(256 << 10)
            pathRulesRunning.store(true, ordering: .releasing)
            _ = PathRules.shared
            pathRules.leave()
        }
    }

    /// Runs `body` on a new detached thread; on the global queue if no thread can be made.
    static func startThread(_ body: @escaping @Sendable () -> Void) {
        final class Box {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let made = pthread_create(&thread, nil, { context in
            Unmanaged<Box>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, context)
        if made == 0 {
            #if canImport(Glibc)
            pthread_detach(thread)
            #else
            pthread_detach(thread!)
            #endif
        } else {
            Unmanaged<Box>.fromOpaque(context).release()
            DispatchQueue.global(qos: .userInitiated).async(execute: body)
        }
    }

    /// Whether ``start()`` was called.
    public static var wasStarted: Bool { started.load(ordering: .acquiring) }

    /// Waits for `group` while its builder runs. A builder whose block has not begun after a
    /// while (with no thread of its own, its queue's threads all busy — possibly with callers
    /// waiting here) is not waited for: the caller then reads the `static let` itself and builds it, or waits in Swift's once
    /// for a builder that began meanwhile. So a gate can slow a caller, never block it for good.
    static func wait(_ group: DispatchGroup, running: borrowing Atomic<Bool>) {
        while group.wait(timeout: .now() + .milliseconds(20)) == .timedOut {
            if !running.load(ordering: .acquiring) { return }
        }
    }

    /// Returns when the language table and its indexes are built, or at once if no warm-up runs.
    public static func waitForTables() { wait(tables, running: tablesRunning) }

    /// Returns when Linguist's path rules are built, or at once if no warm-up runs.
    static func waitForPathRules() { wait(pathRules, running: pathRulesRunning) }

    /// The engine, once the warm-up has built it (or built by the caller, if none runs).
    public static func engineWhenReady() -> LinguistEngine {
        wait(engine, running: tablesRunning)
        return LinguistEngine.shared
    }
}
