import CCensusBytes
import Foundation
import Testing

/// `census_spread_to_cpu`: the one-time move of a scan's workers to different processors.
@Suite("Spreading workers over processors")
struct SpreadTests {
    /// The processors this thread may run on, as a list.
    static func allowed() -> [Int] {
        // /proc/self/status's Cpus_allowed_list (e.g. "0-1" or "0,2-3"), read independently of
        // the C code under test.
        let status = (try? String(contentsOfFile: "/proc/thread-self/status", encoding: .utf8)) ?? ""
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else { return [] }
        var cpus: [Int] = []
        for part in line.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces).split(separator: ",") {
            let bounds = part.split(separator: "-").compactMap { Int($0) }
            if bounds.count == 2 { cpus += Array(bounds[0]...bounds[1]) } else if let one = bounds.first { cpus.append(one) }
        }
        return cpus
    }

    @Test func movesAndRestoresTheAllowedProcessors() {
        let before = Self.allowed()
        #expect(!before.isEmpty)
        for index in 0..<4 {
            let result = census_spread_to_cpu(Int32(index))
            // With one processor there is nothing to spread over.
            #expect(result == (before.count >= 2 ? 0 : -1))
            // Whatever happened, the thread may again run on every processor it could before.
            #expect(Self.allowed() == before)
        }
        #expect(census_spread_to_cpu(-1) == -1)
    }
}
