import CensusEvents
import Foundation
import Synchronization
import Testing

@testable import CodeCensus

/// The queue between the ingest's readers and the store: one file at a time in input order, and
/// bounded however far the readers get ahead.
@Suite struct OrderedChunksTests {
    func chunk(_ index: Int, last: Bool = true) -> FinishedInput {
        FinishedInput(index: index, batch: EventBatch(), report: EventFileReport(input: "f\(index)"), isLast: last)
    }

    @Test func aFileReadAheadWaitsForRoomAndTheStoreTakesFilesInOrder() throws {
        let queue = OrderedChunks(capacity: 1)
        queue.setWorkers(1)
        // The file being stored (0) is never held back by the files read ahead.
        queue.put(chunk(0, last: false))
        queue.put(chunk(0))
        let putAhead = Atomic<Int>(0)
        let reader = Thread {
            queue.put(self.chunk(1))  // room for one chunk read ahead
            putAhead.add(1, ordering: .sequentiallyConsistent)
            queue.put(self.chunk(2))  // waits: the one chunk of room is taken by file 1
            putAhead.add(1, ordering: .sequentiallyConsistent)
            queue.workerDone()
        }
        reader.start()
        Thread.sleep(forTimeInterval: 0.3)
        #expect(putAhead.load(ordering: .sequentiallyConsistent) == 1)
        // Taken in order: file 0's two chunks, then file 1, then file 2 (put once there is room).
        #expect(try #require(queue.take(0)).isLast == false)
        #expect(try #require(queue.take(0)).isLast == true)
        #expect(try #require(queue.take(1)).index == 1)
        #expect(try #require(queue.take(2)).index == 2)
        #expect(queue.take(3) == nil)
        #expect(putAhead.load(ordering: .sequentiallyConsistent) == 2)
    }

    @Test func theFileBeingStoredIsPutEvenWhenTheRoomIsFull() throws {
        let queue = OrderedChunks(capacity: 1)
        queue.setWorkers(2)
        queue.put(chunk(1))  // read ahead: the room is full
        let done = Atomic<Int>(0)
        let reader = Thread {
            // File 0's reader: the store waits for it, so room for files ahead does not hold it back.
            queue.put(self.chunk(0, last: false))
            queue.put(self.chunk(0))
            done.add(1, ordering: .sequentiallyConsistent)
            queue.workerDone()
        }
        reader.start()
        #expect(try #require(queue.take(0)).isLast == false)
        #expect(try #require(queue.take(0)).isLast == true)
        #expect(try #require(queue.take(1)).index == 1)
        queue.workerDone()
        #expect(queue.take(2) == nil)
        #expect(done.load(ordering: .sequentiallyConsistent) == 1)
    }
}
