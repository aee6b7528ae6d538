import CensusStore
import Dispatch
import Synchronization

/// Stores a walk's batches on a thread of its own, in order, while the walk reads and classifies
/// the next ones: git's formatting and diffing, census's parsing and SQLite's inserting then run
/// at once on different cores instead of taking turns.
///
/// At most ``inFlight`` batches wait or are being stored (memory stays bounded); a batch is
/// stored in one transaction, as before, so a killed run leaves complete batches only. A failure
/// is rethrown by the next ``save(_:walk:state:)`` or by ``finish()``; nothing is stored after it.
final class HistorySaver: Sendable {
    private let store: any HistoryStore
    private let repositoryKey: String
    private let queue = DispatchQueue(label: "census.history.saver")
    private let slots: DispatchSemaphore
    private let failure = Mutex<(any Error)?>(nil)
    /// Batches handed over and not yet stored, the one being stored included.
    static let inFlight = 2

    init(store: any HistoryStore, repositoryKey: String) {
        self.store = store
        self.repositoryKey = repositoryKey
        slots = DispatchSemaphore(value: Self.inFlight)
    }

    /// Hands a batch over; waits while ``inFlight`` batches are pending.
    func save(_ commits: [StoredCommit], walk: StoredHistoryWalk?, state: StoredWalkState?) throws {
        try rethrow()
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            if failure.withLock({ $0 != nil }) { return }
            do {
                try store.saveHistory(repositoryKey: repositoryKey, commits: commits, walk: walk, state: state)
            } catch {
                failure.withLock { $0 = error }
            }
        }
    }

    /// Waits until every batch handed over is stored; rethrows the first failure.
    func finish() throws {
        queue.sync {}
        try rethrow()
    }

    private func rethrow() throws {
        if let error = failure.withLock({ $0 }) { throw error }
    }
}
