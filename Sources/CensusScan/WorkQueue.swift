#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A last-in-first-out queue of work shared by a fixed set of worker threads, which ends when it is
/// empty and no worker holds an item (so no more items can appear).
///
/// Workers call ``next()`` until it returns `nil`, and ``done()`` after each item they finish. LIFO
/// order walks trees depth-first, which keeps the queue short and directory reads close together.
final class WorkQueue<Item>: @unchecked Sendable {
    private var items: [Item] = []
    private var busy = 0
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init(_ initial: [Item]) {
        items = initial.reversed()
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Adds items; wakes idle workers.
    func push(_ newItems: some Collection<Item>) {
        guard !newItems.isEmpty else { return }
        pthread_mutex_lock(mutex)
        items.append(contentsOf: newItems)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// The next item, waiting while other workers may still produce some; `nil` when all is done.
    func next() -> Item? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while items.isEmpty {
            if busy == 0 {
                pthread_cond_broadcast(condition)
                return nil
            }
            pthread_cond_wait(condition, mutex)
        }
        busy += 1
        return items.removeLast()
    }

    /// Marks one item taken with ``next()`` as finished.
    func done() {
        pthread_mutex_lock(mutex)
        busy -= 1
        if busy == 0 && items.isEmpty { pthread_cond_broadcast(condition) }
        pthread_mutex_unlock(mutex)
    }
}
