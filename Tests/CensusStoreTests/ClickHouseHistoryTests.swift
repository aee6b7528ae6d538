import Foundation
import Testing

@testable import CensusStore

/// A small history and Go module corpus over `Corpus`'s repositories, worked by hand.
///
/// | commit | repository | author (company, domain)          | time (UTC)  | own changes                        |
/// |--------|------------|-----------------------------------|-------------|------------------------------------|
/// | a1     | api        | alice@acme.com (Acme)             | 2020-01-26  | Go +100, Markdown +10              |
/// | a2     | api        | bob@globex.com (Globex)           | 2021-03-06  | Go +50 −20 (vendored Go +1000)     |
/// | a3     | api        | dependabot (Unknown, bot)         | 2022-04-15  | Go +5 −5                           |
/// | b1     | web        | alice@acme.com (Acme)             | 2020-06-24  | Go +40, Python +60                 |
/// | b2     | web        | carol@initech.com (Initech)       | 2022-04-15  | Python +30 −10                     |
/// | c1     | core       | bob@globex.com (Globex)           | 2020-06-24  | Go +200                            |
/// | c2     | core       | dave@gmail.com (Unknown)          | 2021-03-06  | Go +10 −30, Python +5              |
///
/// | c3     | core       | erin@globex.com (Globex)          | 2022-04-15  | none; 40 own Go lines moved to generated |
/// | d1     | core       | dave@gmail.com (Unknown)          | 2022-04-15  | unknown (a missing blob)           |
///
/// Without bots, by company: Acme 2 commits, 1 author, +210; Globex 2, 1, +250 −20; Initech 1, 1,
/// +30 −10; Unknown 1, 1, +15 −30. Own Go code by year: 2020 340, 2021 350, 2022 310 (a3 is a
/// bot's; c3 moved 40 lines out). Counting every commit (`--commits all`): Globex 3 commits
/// (a2, c1, c3), 2 authors; Acme 2; Unknown 2 (c2, d1); Initech 1. Of the 8 commits without
/// bots, 1 (d1) has unknown changes; web's walk is partial.
enum HistoryCorpus {
    static let t2020a: Int64 = 1_580_000_000
    static let t2020b: Int64 = 1_593_000_000
    static let t2021: Int64 = 1_615_000_000
    static let t2022: Int64 = 1_650_000_000

    static func commit(
        _ id: String, _ email: String, _ company: String, _ time: Int64, bot: Bool = false,
        _ changes: [StoredCommitChange]
    ) -> StoredCommit {
        StoredCommit(
            commit: String(repeating: id, count: 20), authorName: String(email.prefix { $0 != "@" }),
            authorEmail: email, authorTime: time, authorOffset: 60, committerName: "committer",
            committerEmail: "committer@example.com", committerTime: time + 10, committerOffset: 0, parentCount: 1,
            company: company, emailDomain: String(email.split(separator: "@").last ?? ""), isBot: bot,
            changes: changes)
    }

    static func own(_ language: String, _ added: Int, _ removed: Int = 0) -> StoredCommitChange {
        StoredCommitChange(language: language, category: .own, added: added, removed: removed, files: 1, binaryFiles: 0)
    }

    static let history: [(String, [StoredCommit])] = [
        (
            Corpus.api,
            [
                commit("a1", "alice@acme.com", "Acme", t2020a, [own("Go", 100), own("Markdown", 10)]),
                commit(
                    "a2", "bob@globex.com", "Globex", t2021,
                    [
                        own("Go", 50, 20),
                        StoredCommitChange(
                            language: "Go", category: .vendored, added: 1_000, removed: 0, files: 3, binaryFiles: 0),
                    ]),
                commit("a3", "dependabot[bot]@users.noreply.github.com", "Unknown", t2022, bot: true, [own("Go", 5, 5)]),
            ]
        ),
        (
            Corpus.web,
            [
                commit("b1", "alice@acme.com", "Acme", t2020b, [own("Go", 40), own("Python", 60)]),
                commit("b2", "carol@initech.com", "Initech", t2022, [own("Python", 30, 10)]),
            ]
        ),
        (
            Corpus.core,
            [
                commit("c1", "bob@globex.com", "Globex", t2020b, [own("Go", 200)]),
                commit("c2", "dave@gmail.com", "Unknown", t2021, [own("Go", 10, 30), own("Python", 5)]),
                moved(commit("c3", "erin@globex.com", "Globex", t2022, [])),
                unknown(commit("d1", "dave@gmail.com", "Unknown", t2022, [])),
            ]
        ),
    ]

    static func moved(_ commit: StoredCommit) -> StoredCommit {
        var moved = commit
        moved.moves = [
            StoredCommitMove(language: "Go", category: .own, lines: -40),
            StoredCommitMove(language: "Go", category: .generated, lines: 40),
        ]
        return moved
    }

    static func unknown(_ commit: StoredCommit) -> StoredCommit {
        var unknown = commit
        unknown.unknownChanges = "blob 0123 (x.go) is missing from the object store"
        return unknown
    }

    static func state(_ key: String, _ status: StoredWalkState.Status, reason: String = "") -> StoredWalkState {
        StoredWalkState(
            repositoryKey: key, status: status, reason: reason, target: String(repeating: "e", count: 40), base: "",
            resumeAfter: "", countsLines: true, firstParent: false, commits: 2, unknownChangeCommits: 0, updatedAt: t2022)
    }

    static let metadata = StoredGitMetadata(
        repositoryKey: Corpus.api, commit: Corpus.apiCommit, commitCount: 1234, rootCommit: String(repeating: "0a", count: 20),
        rootCommitTime: 1_500_000_000, rootCommitOffset: -420, rootCount: 2, source: "rev-list")

    static func walk(_ key: String, tip: String) -> StoredHistoryWalk {
        StoredHistoryWalk(repositoryKey: key, revision: "HEAD", tip: tip, firstParent: false, isShallow: false, walkedAt: t2022)
    }

    /// Corpus repositories with root commit dates (for `new-repos`), then the history.
    static func load(into store: any HistoryStore) throws {
        for (index, (repository, languages)) in Corpus.repositories.enumerated() {
            var dated = repository
            dated.rootCommitDate = [1_500_000_000, 1_600_000_000, 1_500_100_000, nil, 1_620_000_000][index]
            try store.save(repository: dated, languages: languages, files: [])
        }
        for (key, commits) in history {
            try store.saveHistory(repositoryKey: key, commits: commits, walk: walk(key, tip: commits.last!.commit))
        }
        try store.saveWalkState(state(Corpus.api, .complete))
        try store.saveWalkState(state(Corpus.web, .partial, reason: "interrupted"))
        try store.saveHistory(
            repositoryKey: Corpus.web, commits: [], walk: nil, state: state(Corpus.web, .partial, reason: "git failed: fatal"))
        try store.saveGitMetadata(metadata)
    }

    /// The same commits again, in other batches (one batch listing a commit twice), and new tips.
    static func rerun(into store: any HistoryStore) throws {
        for (key, commits) in history {
            try store.saveHistory(repositoryKey: key, commits: Array(commits.prefix(1)), walk: nil)
            try store.saveHistory(
                repositoryKey: key, commits: commits + [commits[0]], walk: walk(key, tip: commits[0].commit))
        }
    }

    static func module(
        _ path: String, _ module: String, _ requirements: [StoredGoRequirement], category: StoredFileCategory = .own
    ) -> StoredGoModule {
        StoredGoModule(
            path: path, module: module, goVersion: "1.21", category: category, usesVendor: false,
            requirements: requirements,
            replacements: [StoredGoReplacement(oldPath: "x", oldVersion: "", newPath: "../x", newVersion: "")],
            exclusions: [StoredGoRequirement(module: "bad/mod", version: "v0.0.1")])
    }

    static let net = "golang.org/x/net"
    static let errors = "github.com/pkg/errors"

    /// Go modules, with rescans: `core` first with a requirement it later drops, `tools` first with
    /// a module, then with none.
    static func loadModules(into store: any DependencyStore) throws {
        try store.saveGoModules(
            repositoryKey: Corpus.core,
            modules: [module("go.mod", "github.com/globex/core", [StoredGoRequirement(module: "gopkg.in/yaml.v3", version: "v3")])])
        try store.saveGoModules(
            repositoryKey: Corpus.tools,
            modules: [module("go.mod", "gitlab.com/globex/tools", [StoredGoRequirement(module: net, version: "v0.1")])])
        try store.saveGoModules(
            repositoryKey: Corpus.api,
            modules: [
                module(
                    "go.mod", "github.com/acme-labs/api",
                    [
                        StoredGoRequirement(module: net, version: "v0.1"),
                        StoredGoRequirement(module: "github.com/globex/core", version: "v1.0"),
                        StoredGoRequirement(module: errors, version: "v0.9", indirect: true),
                    ]),
                module("vendor/x/go.mod", "x", [StoredGoRequirement(module: "y", version: "v1")], category: .vendored),
            ])
        try store.saveGoModules(
            repositoryKey: Corpus.web,
            modules: [
                module(
                    "go.mod", "github.com/acme-cloud/web",
                    [
                        StoredGoRequirement(module: net, version: "v0.2"),
                        StoredGoRequirement(module: "github.com/acme-labs/api", version: "v0.3"),
                        StoredGoRequirement(module: errors, version: "v0.9"),
                    ])
            ])
        try store.saveGoModules(
            repositoryKey: Corpus.core,
            modules: [
                module(
                    "go.mod", "github.com/globex/core",
                    [
                        StoredGoRequirement(module: "golang.org/x/sys", version: "v0.1"),
                        StoredGoRequirement(module: errors, version: "v0.8", indirect: true),
                    ]),
                module("tools/go.mod", "github.com/globex/core/tools", [StoredGoRequirement(module: net, version: "v0.1")]),
            ])
        try store.saveGoModules(repositoryKey: Corpus.tools, modules: [])
    }
}

/// Asks both stores every history and dependency question and expects the same rows.
struct HistoryComparison {
    let reference: any HistoryStore & DependencyStore
    let other: any HistoryStore & DependencyStore
    var queries = 0

    mutating func same<T: Equatable>(
        _ what: String, _ ask: (any HistoryStore & DependencyStore) throws -> T,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let expected = try ask(reference)
        let actual = try ask(other)
        queries += 1
        #expect(expected == actual, "\(what)\nexpected \(expected)\nactual   \(actual)", sourceLocation: sourceLocation)
    }

    mutating func compareEverything() throws {
        let cohorts: [String?] = [nil, "cncf", "sandbox", "no-such-cohort"]
        for key in [Corpus.api, Corpus.web, Corpus.core, Corpus.tools] {
            try same("historyWalk(\(key))") { try $0.historyWalk(repositoryKey: key) }
            try same("walkState(\(key))") { try $0.walkState(repositoryKey: key) }
            try same("gitMetadata(\(key))") { try $0.gitMetadata(repositoryKey: key, commit: Corpus.apiCommit) }
        }
        for cohort in cohorts {
            for language in ["Go", "Python", "Rust"] {
                try same("repositoriesWithUnknownFirstCommit(\(language), \(cohort ?? "-"))") {
                    try $0.repositoriesWithUnknownFirstCommit(language: language, cohort: cohort)
                }
            }
            for bots in [false, true] {
                for (since, until) in [(nil, nil), (HistoryCorpus.t2020b, nil), (nil, HistoryCorpus.t2022)] as [(Int64?, Int64?)] {
                    try same("historyCoverage(\(cohort ?? "-"), bots \(bots), \(since ?? 0)..<\(until ?? 0))") {
                        try $0.historyCoverage(since: since, until: until, cohort: cohort, includeBots: bots)
                    }
                }
                for group in ContributorGroup.allCases {
                    for metric in ContributorMetric.allCases {
                        try same("contributorsOfAllCommits(\(group), \(metric), \(cohort ?? "-"), bots \(bots))") {
                            try $0.contributorsOfAllCommits(
                                by: group, metric: metric, since: nil, until: nil, cohort: cohort, includeBots: bots, limit: 20)
                        }
                    }
                }
            }
        }
        for language in [nil, "Go", "Python", "Rust"] as [String?] {
            for group in ContributorGroup.allCases {
                for metric in ContributorMetric.allCases {
                    for cohort in cohorts {
                        for bots in [false, true] {
                            try same("contributors(\(language ?? "-"), \(group), \(metric), \(cohort ?? "-"), bots \(bots))") {
                                try $0.contributors(
                                    language: language, by: group, metric: metric, since: nil, until: nil, cohort: cohort,
                                    includeBots: bots, limit: 20)
                            }
                        }
                    }
                    for (since, until) in [(HistoryCorpus.t2020b, nil), (nil, HistoryCorpus.t2021), (HistoryCorpus.t2020b, HistoryCorpus.t2022)] as [(Int64?, Int64?)] {
                        for limit in [20, 2, 0] {
                            try same("contributors(\(language ?? "-"), \(group), \(metric), \(since ?? 0)..<\(until ?? 0), limit \(limit))") {
                                try $0.contributors(
                                    language: language, by: group, metric: metric, since: since, until: until, cohort: nil,
                                    includeBots: false, limit: limit)
                            }
                        }
                    }
                }
            }
        }
        for language in ["Go", "Python", "Markdown", "Rust"] {
            for period in TimelinePeriod.allCases {
                for metric in TimelineMetric.allCases {
                    for cohort in cohorts {
                        for bots in [false, true] {
                            try same("timeline(\(language), \(period), \(metric), \(cohort ?? "-"), bots \(bots))") {
                                try $0.timeline(language: language, by: period, metric: metric, cohort: cohort, includeBots: bots)
                            }
                        }
                    }
                }
            }
        }
        for directOnly in [false, true] {
            for cohort in cohorts {
                for limit in [20, 1, 0] {
                    try same("dependencyFanIn(\(directOnly), \(cohort ?? "-"), \(limit))") {
                        try $0.dependencyFanIn(directOnly: directOnly, cohort: cohort, limit: limit)
                    }
                    try same("dependencyShare(\(cohort ?? "-"), \(limit))") { try $0.dependencyShare(cohort: cohort, limit: limit) }
                }
            }
        }
        for cohort in cohorts {
            try same("dependencyEdges(\(cohort ?? "-"))") { try $0.dependencyEdges(cohort: cohort) }
        }
        for (module, version) in [(HistoryCorpus.net, nil), (HistoryCorpus.net, "v0.1"), (HistoryCorpus.errors, nil), ("y", nil), ("gopkg.in/yaml.v3", nil)] as [(String, String?)] {
            try same("dependencyUsers(\(module), \(version ?? "-"))") { try $0.dependencyUsers(of: module, version: version) }
        }
        for name in [Corpus.api, Corpus.core, "github.com/globex/core/tools", Corpus.tools, "nothing"] {
            try same("dependencies(\(name))") { try $0.dependencies(of: name) }
        }
        for (first, second) in [(nil, nil), (Corpus.api, Corpus.web), (Corpus.web, Corpus.api), (Corpus.api, Corpus.tools), (Corpus.api, Corpus.core)] as [(String?, String?)] {
            for limit in [20, 1] {
                try same("dependencyCoupling(\(first ?? "-"), \(second ?? "-"), \(limit))") {
                    try $0.dependencyCoupling(first, second, limit: limit)
                }
            }
        }
    }
}

@Suite(.serialized) struct ClickHouseHistoryTests {
    /// The hand-worked answers, asked of either store.
    func expectHandWorked(_ store: any HistoryStore & DependencyStore) throws {
        let companies = try store.contributors(
            language: nil, by: .company, metric: .commits, since: nil, until: nil, cohort: nil, includeBots: false,
            limit: 20)
        #expect(
            companies == [
                ContributorRow(name: "Acme", commits: 2, authors: 1, linesAdded: 210, linesRemoved: 0),
                ContributorRow(name: "Globex", commits: 2, authors: 1, linesAdded: 250, linesRemoved: 20),
                ContributorRow(name: "Initech", commits: 1, authors: 1, linesAdded: 30, linesRemoved: 10),
                ContributorRow(name: "Unknown", commits: 1, authors: 1, linesAdded: 15, linesRemoved: 30),
            ])
        #expect(
            try store.timeline(language: "Go", by: .year, metric: .code, cohort: nil, includeBots: false)
                == [
                    TimelinePoint(period: "2020", value: 340), TimelinePoint(period: "2021", value: 350),
                    TimelinePoint(period: "2022", value: 310),
                ])
        #expect(
            try store.contributorsOfAllCommits(
                by: .company, metric: .commits, since: nil, until: nil, cohort: nil, includeBots: false, limit: 20)
                == [
                    ContributorRow(name: "Globex", commits: 3, authors: 2, linesAdded: 250, linesRemoved: 20),
                    ContributorRow(name: "Acme", commits: 2, authors: 1, linesAdded: 210, linesRemoved: 0),
                    ContributorRow(name: "Unknown", commits: 2, authors: 1, linesAdded: 15, linesRemoved: 30),
                    ContributorRow(name: "Initech", commits: 1, authors: 1, linesAdded: 30, linesRemoved: 10),
                ])
        #expect(
            try store.historyCoverage(since: nil, until: nil, cohort: nil, includeBots: false)
                == HistoryCoverage(
                    commits: 8, unknownChangeCommits: 1,
                    partialWalks: [.init(repositoryKey: Corpus.web, reason: "git failed: fatal", commits: 2)]))
        #expect(try store.walkState(repositoryKey: Corpus.api)?.status == .complete)
        #expect(try store.gitMetadata(repositoryKey: Corpus.api, commit: Corpus.apiCommit) == HistoryCorpus.metadata)
        #expect(try store.repositoriesWithUnknownFirstCommit(language: "Python", cohort: nil) == 1)  // tools
        #expect(try store.repositoriesWithUnknownFirstCommit(language: "Go", cohort: nil) == 0)
        // Go's own requirements: net by api, web and core/tools (v0.1 twice); errors by web directly,
        // by api and core indirectly.
        let fanIn = try store.dependencyFanIn(directOnly: false, cohort: nil, limit: 2)
        #expect(
            fanIn == [
                DependencyFanInRow(
                    module: HistoryCorpus.net, directModules: 3, indirectModules: 0, directRepositories: 3,
                    indirectRepositories: 0),
                DependencyFanInRow(
                    module: HistoryCorpus.errors, directModules: 1, indirectModules: 2, directRepositories: 1,
                    indirectRepositories: 2),
            ])
        #expect(try store.dependencyUsers(of: "gopkg.in/yaml.v3", version: nil).isEmpty)
        #expect(try store.dependencies(of: Corpus.tools).isEmpty)
        // api {net, core, errors}, web {net, api, errors}: 2 shared of 4.
        #expect(
            try store.dependencyCoupling(Corpus.web, Corpus.api, limit: 20)
                == [DependencyCouplingRow(first: Corpus.web, second: Corpus.api, shared: 2, union: 4)])
    }

    @Test(.enabled(if: TestServers.hasClickHouse, TestServers.noClickHouse))
    func historyAndModulesAnswerLikeSQLite() throws {
        let server = try ClickHouseServer()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }

        let sqlite = try CensusDatabase.open(path: directory.file("history.sqlite"))
        let clickhouse = try ClickHouseStore.open(server.endpoint(database: "census"))
        for store in [sqlite, clickhouse] as [any HistoryStore & DependencyStore] {
            try HistoryCorpus.load(into: store)
            try HistoryCorpus.loadModules(into: store)
            try expectHandWorked(store)
        }
        var comparison = HistoryComparison(reference: sqlite, other: clickhouse)
        try comparison.compareEverything()
        #expect(comparison.queries > 300)

        // The same commits stored again: more rows in ClickHouse, the same answers.
        for store in [sqlite, clickhouse] as [any HistoryStore & DependencyStore] {
            try HistoryCorpus.rerun(into: store)
            try expectHandWorked(store)
        }
        #expect(try server.run("SELECT count() FROM census.history_commits") == "24\n")
        #expect(try clickhouse.historyWalk(repositoryKey: Corpus.api)?.tip == String(repeating: "a1", count: 20))
        var again = HistoryComparison(reference: sqlite, other: clickhouse)
        try again.compareEverything()

        // Opening again finds the new tables.
        let reopened = try ClickHouseStore.open(server.endpoint(database: "census"), readOnly: true)
        #expect(try reopened.contributors(language: "Go", by: .author, limit: 1).count == 1)
        try clickhouse.close()
        try sqlite.close()
    }

    /// Through Distributed tables over two shards (keys spread by `cityHash64(repository_key)`).
    @Test(.enabled(if: TestServers.hasClickHouse && TestServers.hasZooKeeper, TestServers.noZooKeeper))
    func historyAndModulesOnAClusterAnswerLikeSQLite() throws {
        let cluster = try ClickHouseCluster(shards: 2)
        defer { cluster.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }

        let sqlite = try CensusDatabase.open(path: directory.file("history.sqlite"))
        let clickhouse: ClickHouseStore
        do {
            clickhouse = try ClickHouseStore.open(
                cluster.shards[0].endpoint(database: "census"), cluster: ClickHouseCluster.name)
        } catch {
            Issue.record("the servers' error logs:\n\(cluster.shards.map { $0.errorLogTail() }.joined(separator: "\n"))")
            throw error
        }
        for store in [sqlite, clickhouse] as [any HistoryStore & DependencyStore] {
            try HistoryCorpus.load(into: store)
            try HistoryCorpus.loadModules(into: store)
            try HistoryCorpus.rerun(into: store)
            try expectHandWorked(store)
        }
        var comparison = HistoryComparison(reference: sqlite, other: clickhouse)
        try comparison.compareEverything()
        var shardsWithCommits = 0
        for shard in cluster.shards where try shard.run("SELECT count() FROM census.history_commits_local") != "0\n" {
            shardsWithCommits += 1
        }
        #expect(shardsWithCommits == 2)
        #expect(try cluster.shards[1].run("SELECT count() FROM census.history_commits") == "24\n")
        try clickhouse.close()
        try sqlite.close()
    }
}
