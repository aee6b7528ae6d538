// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "CodeCensus",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "census", targets: ["census"]),
        .library(name: "CodeCensus", targets: ["CodeCensus"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // Regular expressions on bytes with Ruby's semantics (Linguist's patterns) and a
        // multi-literal prefilter.
        .target(name: "CensusPatterns", dependencies: ["CCensusBytes"]),
        // The one byte-parallel search Swift cannot express: 64 bytes compared to a mask (SSE2).
        .target(name: "CCensusBytes"),
        // Language definitions: the generated table (from Data/languages.yml) and detection.
        .target(name: "CensusLanguages", dependencies: ["CensusPatterns", "CCensusBytes"]),
        // The line-counting state machine: bytes in, code/comment/blank lines out.
        .target(name: "CensusCounting", dependencies: ["CensusLanguages"]),
        // Walking trees, ignore rules, and the parallel read → detect → count → aggregate pipeline.
        .target(name: "CensusScan", dependencies: ["CensusLanguages", "CensusCounting", "CensusGit", "CensusGoModules", "CensusProgress", "CCensusBytes"]),
        // How far long work has got: counters the work adds to and the command line's status line reads.
        .target(name: "CensusProgress"),
        // Git through its own plumbing, hardened against untrusted repositories; the clone cache.
        .target(name: "CensusGit", dependencies: ["CensusFiles"]),
        // Manifests and cohorts: plain, CSV/TSV and CNCF landscape lists of repositories; shards.
        .target(name: "CensusCorpus", dependencies: ["CensusGit", "CensusFiles", "Yams"]),
        // Small input files read whole, and the file:line diagnostics their parsers report.
        .target(name: "CensusFiles"),
        // History: commits walked with per-language lines added and removed.
        .target(name: "CensusHistory", dependencies: ["CensusGit", "CensusLanguages"]),
        // People and companies: gitdm affiliations, company-name normalisation, bots, regions.
        .target(name: "CensusPeople", dependencies: ["CensusFiles"]),
        // The results store: SQLite through GRDB (and ClickHouse over HTTP); schema and queries.
        .target(
            name: "CensusStore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
                "CensusEvents", "CCensusZlib",
            ]),
        // go.mod, go.sum, vendor/modules.txt and go.work, parsed without the Go toolchain.
        .target(name: "CensusGoModules", dependencies: ["CensusFiles"]),
        // Go packages below go.mod: build constraints, imports, exported API, references, coupling.
        .target(name: "CensusGoSource", dependencies: ["CensusGoModules"]),
        // zlib's inflate behind an opaque handle (its init macros do not import into Swift).
        .target(name: "CCensusZlib", linkerSettings: [.linkedLibrary("z")]),
        // libcurl's easy interface for `events fetch`, loaded with dlopen on the first download
        // (libcurl4-openssl-dev's headers to build; libcurl4 to download).
        .target(name: "CCensusCurl", linkerSettings: [.linkedLibrary("dl")]),
        // GitHub events (GH Archive): gzip streams, both eras of event JSON, ingest.
        .target(name: "CensusEvents", dependencies: ["CCensusZlib", "CCensusCurl", "CensusPeople"]),
        // Dated documents: text, Markdown, HTML and PDF in UTF-8/UTF-16/GB18030; pattern mentions per period.
        .target(name: "CensusDocuments", dependencies: ["CensusPatterns", "CensusFiles"]),
        // Table, JSON, CSV and Markdown output, with escaping.
        .target(name: "CensusReports", dependencies: ["CensusLanguages", "CensusScan", "CensusStore", "CensusDocuments", "CensusPeople"]),
        // The library's front door.
        .target(
            name: "CodeCensus",
            dependencies: [
                "CensusLanguages", "CensusCounting", "CensusScan", "CensusReports", "CensusGit", "CensusGoModules",
                "CensusCorpus", "CensusStore", "CensusHistory", "CensusPeople", "CensusEvents",
                "CensusProgress", "CensusDocuments", "CensusGoSource",
            ]),
        // The thin command-line tool.
        .executableTarget(
            name: "census",
            dependencies: [
                "CodeCensus",
                "CCensusBytes",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            plugins: ["CensusBuildInfo"]),
        // The commit census is built from, for --version (a prebuild command asking git).
        .plugin(name: "CensusBuildInfo", capability: .buildTool()),
        // Turns Data/languages.yml into Sources/CensusLanguages/LanguageTable+Generated.swift.
        .target(name: "CensusLanguageGenerator", dependencies: ["Yams", "CensusPatterns"]),
        .executableTarget(
            name: "census-generate-languages", dependencies: ["CensusLanguageGenerator"]),

        // What several test targets share: running a program (posix_spawn, read(2)).
        .target(name: "CensusTestSupport", dependencies: ["CensusFiles"], path: "Tests/Support/CensusTestSupport"),
        .testTarget(name: "CensusPatternsTests", dependencies: ["CensusPatterns"]),
        .testTarget(name: "CensusLanguagesTests", dependencies: ["CensusLanguages"]),
        .testTarget(
            name: "CensusCountingTests", dependencies: ["CensusCounting", "CensusLanguages"],
            exclude: ["Fixtures"]),
        .testTarget(name: "CensusScanTests", dependencies: ["CensusScan", "CensusLanguages", "CensusGit", "CensusTestSupport", "CCensusBytes"]),
        .testTarget(name: "CensusReportsTests", dependencies: ["CensusReports", "CensusScan"]),
        .testTarget(name: "CensusGitTests", dependencies: ["CensusGit"]),
        .testTarget(name: "CensusCorpusTests", dependencies: ["CensusCorpus"], exclude: ["Fixtures"]),
        .testTarget(name: "CensusStoreTests", dependencies: ["CensusStore", "CensusEvents", "CensusPeople", "CensusTestSupport"]),
        .testTarget(name: "CensusPeopleTests", dependencies: ["CensusPeople"], exclude: ["Fixtures"]),
        .testTarget(name: "CensusHistoryTests", dependencies: ["CensusHistory", "CensusGit", "CensusLanguages"]),
        .testTarget(name: "CensusGoModulesTests", dependencies: ["CensusGoModules"], exclude: ["Fixtures"]),
        .testTarget(
            name: "CensusGoSourceTests", dependencies: ["CensusGoSource", "CodeCensus", "CensusTestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "CensusEventsTests", dependencies: ["CensusEvents", "CensusPeople", "CodeCensus", "CensusTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "CensusDocumentsTests", dependencies: ["CensusDocuments", "CensusPatterns"], exclude: ["Fixtures"]),
        .testTarget(name: "CensusCLITests", dependencies: ["CodeCensus", "CensusTestSupport"]),
        // The command definitions themselves: help layout at 80 columns, every subcommand.
        .testTarget(
            name: "CensusCommandLineTests",
            dependencies: ["census", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(
            name: "CensusLanguageGeneratorTests",
            dependencies: ["CensusLanguageGenerator", "CensusLanguages"]),
    ]
)

// Fuzz targets (Fuzz/run.sh, docs/reliability.md): libFuzzer executables, built only when
// CENSUS_FUZZ=1 because they need `-sanitize=fuzzer`.
if Context.environment["CENSUS_FUZZ"] == "1" {
    package.targets += [
        .target(name: "CCensusFuzz", path: "Fuzz/Support/CCensusFuzz", linkerSettings: [.linkedLibrary("z")]),
        .target(name: "CensusFuzzSupport", dependencies: ["CCensusFuzz"], path: "Fuzz/Support/CensusFuzzSupport"),
        .target(name: "CensusFuzzLinguist", dependencies: ["CensusLanguages"], path: "Fuzz/Support/CensusFuzzLinguist"),
    ]
    let fuzzTargets: [(String, [Target.Dependency])] = [
        ("FuzzLineCounter", ["CensusCounting", "CensusLanguages"]),
        ("FuzzLanguageDetector", ["CensusLanguages"]),
        ("FuzzRuleFiles", ["CensusScan"]),
        ("FuzzRegexSyntax", ["CensusPatterns", "CensusFuzzLinguist"]),
        ("FuzzRegexReference", ["CensusPatterns"]),
        ("FuzzRegexData", ["CensusPatterns", "CensusFuzzLinguist"]),
        ("FuzzGoModules", ["CensusGoModules"]),
        ("FuzzManifests", ["CensusCorpus"]),
        ("FuzzGitdm", ["CensusPeople"]),
        ("FuzzGzip", ["CensusEvents", "CCensusFuzz"]),
        ("FuzzDocuments", ["CensusDocuments"]),
        ("FuzzGoSource", ["CensusGoSource"]),
        ("FuzzEventLines", ["CensusEvents"]),
    ]
    for (name, dependencies) in fuzzTargets {
        package.targets.append(
            .executableTarget(name: name, dependencies: ["CensusFuzzSupport"] + dependencies, path: "Fuzz/Targets/\(name)"))
    }
}
