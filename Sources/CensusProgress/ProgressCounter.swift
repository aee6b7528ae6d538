import Synchronization

/// How far a long piece of work has got: a count done and, when known, a total, shared between the
/// threads doing the work (which add to it) and whoever shows it (which reads it, at any time).
///
/// Library code that does long work takes an optional counter and adds to it as it goes (per
/// batch of files, per commit, per event file); the command line shows it with its status line
/// (`ProgressLine` in the `census` target; docs/architecture.md, "Progress"). Nothing here draws,
/// allocates or takes a lock: an update is one relaxed atomic add, so the work pays nothing
/// measurable whether anyone watches or not.
public final class ProgressCounter: Sendable {
    private let doneCount = Atomic<Int>(0)
    /// The total, or -1 while unknown.
    private let totalCount = Atomic<Int>(-1)

    public init(total: Int? = nil) {
        if let total { totalCount.store(total, ordering: .relaxed) }
    }

    /// Adds `count` to the work done.
    public func add(_ count: Int = 1) {
        doneCount.wrappingAdd(count, ordering: .relaxed)
    }

    /// Adds `count` to the total (a total known piece by piece: the files of each tree listed);
    /// an unknown total becomes `count`.
    public func addToTotal(_ count: Int) {
        var current = totalCount.load(ordering: .relaxed)
        while true {
            let next = current < 0 ? count : current + count
            let (exchanged, original) = totalCount.compareExchange(
                expected: current, desired: next, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    /// The work done so far.
    public var done: Int { doneCount.load(ordering: .relaxed) }

    /// The total, when known.
    public var total: Int? {
        get {
            let value = totalCount.load(ordering: .relaxed)
            return value < 0 ? nil : value
        }
        set { totalCount.store(newValue ?? -1, ordering: .relaxed) }
    }
}
