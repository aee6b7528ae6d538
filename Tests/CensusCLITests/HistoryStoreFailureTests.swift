import CodeCensus
import Foundation
import Testing

@testable import CensusStore

/// A store that fails in the middle of a walk (its batches are stored on a thread of their own):
/// the run fails and names why, the commits stored before stay with the walk recorded as partial,
/// every answer over them says so, and a rerun goes on after them.
@Suite("census history when the store fails mid-walk")
struct HistoryStoreFailureTests {
    @Test("the second batch refused: two commits stored, the walk partial, the rerun completes it")
    func storeFailsMidWalk() throws {
        let tree = PublicTree()
        let (work, ids) = try PartialHistoryFixture.make(tree, damage: false)
        let path = tree.path + "/census.db"
        let database = try CensusDatabase.open(path: path)
        // Refuses any commit once two are stored: the walk's second batch of two.
        try database.executeForTesting(
            """
            CREATE TRIGGER refuse_commit BEFORE INSERT ON history_commits \
            WHEN (SELECT count(*) FROM history_commits) >= 2 \
            BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
            """)
        var runner = HistoryRunner()
        runner.batchSize = 2
        switch runner.run(ScanTargetSpec(location: work), into: database) {
        case .success(let result):
            Issue.record("expected the store to fail, got \(result.newCommits) commits stored")
        case .failure(let failure):
            #expect("\(failure)".contains("refused by the test"), "\(failure)")
        }
        // The first batch (git log's order: c5, c4) is stored, and the walk says it is partial.
        let state = try #require(try database.walkState(repositoryKey: work))
        #expect(state.status == .partial)
        #expect(state.commits == 2)
        #expect(try database.historyCoverage().partialWalks.map(\.repositoryKey) == [work])
        #expect(try database.historyCoverage().commits == 2)
        let stored = try database.fetchTextForTesting("SELECT group_concat(commit_id, ' ') FROM (SELECT commit_id FROM history_commits ORDER BY commit_id)")
        #expect(stored == [ids[3], ids[4]].sorted().joined(separator: " "))
        try database.close()

        // Every answer over the store says the walk is partial.
        let env = ["CENSUS_DB": path]
        let contributors = try CLI.run(["contributors", "--commits", "all", "--format", "json"], environment: env).json()
        let notes = contributors["notes"] as? [String] ?? []
        #expect(notes.contains { $0.contains("the history of \(work) is partial (2 commits stored)") }, "\(notes)")

        // With the store writable again, the rerun walks the other three and completes the walk.
        try CensusDatabase.executeForTesting(path: path, "DROP TRIGGER refuse_commit")
        let reopened = try CensusDatabase.open(path: path)
        let result = try runner.run(ScanTargetSpec(location: work), into: reopened).get()
        #expect(result.resumedAfter == 2)
        #expect(result.newCommits == 3)
        #expect(try reopened.walkState(repositoryKey: work)?.status == .complete)
        #expect(try reopened.historyCoverage().commits == 5)
        #expect(try reopened.historyCoverage().partialWalks.isEmpty)
        try reopened.close()
    }
}

/// `--chunk-events` (the events ingest's chunk size) refuses what cannot be a size, naming the option.
@Suite("census events ingest --chunk-events")
struct ChunkEventsOptionTests {
    @Test("0, a negative number and a word are refused before anything is read")
    func badChunkSizes() throws {
        let tree = PublicTree()
        let file = tree.write("2024-01-10-10.json", #"{"id":"1","type":"WatchEvent","actor":{"login":"a"},"repo":{"name":"o/r"},"created_at":"2024-01-10T10:00:00Z"}"# + "\n")
        for value in ["0", "-5", "many"] {
            let run = try CLI.run(["events", "ingest", file, "--chunk-events", value, "--db", tree.path + "/census.db"])
            #expect(run.status == 64, "\(value): \(run.stderr)")
            #expect(run.stderr.contains("--chunk-events"), "\(value): \(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: tree.path + "/census.db"))
        // A size of 1 stores the one event, a chunk of its own.
        let one = try CLI.run(["events", "ingest", file, "--chunk-events", "1", "--db", tree.path + "/census.db", "--quiet"])
        #expect(one.status == 0, "\(one.stderr)")
    }
}
