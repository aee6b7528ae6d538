import Dispatch
import Foundation
import Synchronization
@testable import CensusLanguages
import Testing

final class Flag: Sendable {
    let value = Atomic<Bool>(false)
}

@Suite("Engine warm-up gates")
struct EngineWarmUpTests {
    /// A builder that never began is not waited for: the caller goes on (and builds it itself).
    @Test func aBuilderThatNeverRanIsNotWaitedFor() {
        let group = DispatchGroup()
        group.enter()
        let running = Atomic<Bool>(false)
        let start = Date()
        EngineWarmUp.wait(group, running: running)
        #expect(Date().timeIntervalSince(start) < 5)
        group.leave()
    }

    /// A running builder is waited for, however long it takes.
    @Test func aRunningBuilderIsWaitedFor() {
        let group = DispatchGroup()
        group.enter()
        let running = Atomic<Bool>(true)
        let done = Flag()
        DispatchQueue.global().async {
            usleep(120_000)  // longer than several of the gate's 20 ms rounds
            done.value.store(true, ordering: .releasing)
            group.leave()
        }
        EngineWarmUp.wait(group, running: running)
        let finished = done.value.load(ordering: .acquiring)
        #expect(finished)
    }

    @Test func theEngineIsReadyAfterTheWarmUp() {
        EngineWarmUp.start()
        EngineWarmUp.start()
        #expect(EngineWarmUp.wasStarted)
        #expect(EngineWarmUp.engineWhenReady() === LinguistEngine.shared)
    }
}
