import ArgumentParser
import CodeCensus
import Synchronization

/// `census scan`'s settings as plain values: what `ScanCommand` parsed, or what the fast path
/// (``init(fastParsing:)``, ScanFastPath.swift) read from a simple command line. Defaults are
/// ScanCommand's.
struct ScanSettings: Equatable {
    var paths: [String] = []
    var rev: String? = nil
    var worktree = false
    var offline = false
    var cacheDir: String? = nil
    var manifests: [String] = []
    var orgMap: String? = nil
    var shard: String? = nil
    var format: OutputFormat = .table
    var csvFormulas: Escaping.CSVFormulaPolicy = .escape
    var byFile = false
    var embedded = false
    var breakdown = false
    var detection: ScanOptions.DetectionMode = .linguist
    var sort: ScanSortKey = .code
    var excludes: [String] = []
    var noIgnore = false
    var noRequireGit = false
    var hidden = false
    var followSymlinks = false
    var db: String? = nil
    var noDb = false
    var cluster: String? = nil
    var storeFiles = false
    var force = false
    var goSource = false
    var jobs: Int? = nil
    var threads: Int? = nil
    var output = ProgressSettings()
}

extension ScanSettings {
    func run() throws {
        var options = ScanOptions(roots: paths)
        options.excludes = excludes
        options.useIgnoreFiles = !noIgnore
        options.gitignoreRequiresRepository = !noRequireGit
        options.includeHidden = hidden
        options.followSymlinks = followSymlinks
        options.collectFiles = byFile
        options.detection = detection
        let (specs, manifestErrors) = try loadTargets(paths: paths, manifests: manifests, orgMap: orgMap, shard: shard)
        // One target: every thread on its files (--jobs keeps its old meaning there). Several:
        // --jobs repositories at once, the processors shared among them.
        let single = specs.count == 1 && manifests.isEmpty
        let repositoryJobs = single ? 1 : (jobs ?? 1)
        options.jobs = threads ?? (single ? (jobs ?? ScanOptions.onlineProcessors) : max(1, ScanOptions.onlineProcessors / repositoryJobs))
        if storeFiles { options.collectFiles = true }
        let filesCounted = ProgressCounter()
        options.progress = filesCounted
        let (store, storeUnavailable) = try openStore()
        // Making the clone cache runs `git version`: only when a target is a URL (start-up).
        let needsCache = specs.contains { RepositoryScanner.isURL($0.location) }
        let cache: GitCache? = needsCache ? try? GitCache(root: cacheDir, offline: offline) : nil
        var scanner = RepositoryScanner(options: options, revision: rev, worktree: worktree, cache: cache)
        if let store, !force, !single {
            scanner.isUnchanged = { key, commit in (try? store.isUpToDate(key: key, commit: commit)) ?? false }
        }
        // --go-source: the Go loader analyses each .go file from the scan's own read of it.
        let goScan = goSource && store is any GoSourceStore ? GoSourceScan(options: goLoadOptions) : nil
        if let goScan { scanner.wholeFiles = { goScan.consumer(for: $0) } }
        if let history = store as? any HistoryStore, !force {
            scanner.knownMetadata = { key, commit in
                (try? history.gitMetadata(repositoryKey: key, commit: commit)).flatMap { $0.flatMap(ScanStorage.metadata) }
            }
        }
        let renderer = ScanRenderer(
            format: format, sort: sort, byFile: byFile, breakdown: breakdown, embedded: embedded, toolVersion: CensusVersion.string)
        let storeFailures = Mutex<[RepositoryScanFailure]>([])
        let storeFiles = self.storeFiles
        let goSource = self.goSource
        // Saved as each repository finishes: a killed run keeps every repository done so far.
        let save: @Sendable (RepositoryScanOutcome) -> Void = { outcome in
            let prepared: GoPreparedFiles?
            switch outcome {
            case .scanned(let report): prepared = report.repository.flatMap { goScan?.take($0.location) }
            case .failed(let failure): prepared = goScan?.take(failure.spec.location)
            case .unchanged(let spec, _, _): prepared = goScan?.take(spec.location)
            }
            guard let store, case .scanned(let report) = outcome, let repository = report.repository else { return }
            do {
                // Go modules first: a run killed between the two saves leaves the repository not
                // up to date, so it is scanned again.
                if let dependencies = store as? any DependencyStore {
                    try dependencies.saveGoModules(repositoryKey: repository.key, modules: ScanStorage.goModules(report))
                }
                if goSource { try storeGoSource(report, in: store, cache: cache, prepared: prepared) }
                try store.save(
                    repository: ScanStorage.repository(report, scannedAt: ScanStorage.now(), version: CensusVersion.string),
                    languages: ScanStorage.languages(report), files: storeFiles ? ScanStorage.files(report) : [])
                if let history = store as? any HistoryStore, let metadata = ScanStorage.storedMetadata(report) {
                    try history.saveGitMetadata(metadata)
                }
            } catch {
                let spec = ScanTargetSpec(location: repository.location)
                storeFailures.withLock { $0.append(RepositoryScanFailure(spec: spec, message: "not stored: \(error)")) }
            }
        }
        // Writes what the store still holds (ClickHouse batches saves) and says if that failed.
        func closeStore() -> Bool {
            guard let store else { return true }
            do {
                try store.close()
                return true
            } catch {
                warn("error: \(error)")
                return false
            }
        }
        if single {
            let line = ProgressLine.start(output, "Scanning \(specs[0].location)", [.init(filesCounted, "files", rate: true)])
            let outcome = scanner.scan(specs[0])
            line.finish()
            save(outcome)
            let closed = closeStore()
            switch outcome {
            case .scanned(let report):
                writeOut(renderer.render(report))
                reportIssues(report)
                adviseCommitGraphs([report])
                for failure in storeFailures.withLock({ $0 }) { warn("error: \(failure)") }
                if report.hasErrors || !storeFailures.withLock({ $0.isEmpty }) || storeUnavailable || !closed {
                    throw ExitCode(1)
                }
            case .unchanged(let spec, _, let commit):
                warn("\(spec.location): commit \(commit) is already stored")
            case .failed(let failure):
                warn("error: \(failure)")
                throw ExitCode(1)
            }
            return
        }
        let repositoriesDone = ProgressCounter(total: specs.count)
        let line = ProgressLine.start(
            output, "Scanning repositories",
            [.init(repositoriesDone, "repositories"), .init(filesCounted, "files", rate: true, total: false)])
        let results = scanner.scanAll(specs, jobs: repositoryJobs) { _, outcome in
            save(outcome)
            repositoriesDone.add()
        }
        line.finish()
        let closed = closeStore()
        var reports: [ScanReport] = []
        var failures: [CorpusFailureRow] = []
        var unchanged = 0
        for result in results {
            switch result {
            case .scanned(let report): reports.append(report)
            case .unchanged: unchanged += 1
            case .failed(let failure):
                failures.append(CorpusFailureRow(location: GitRemoteURL.redacted(failure.spec.location), message: failure.message))
            }
        }
        for failure in storeFailures.withLock({ $0 }) {
            failures.append(CorpusFailureRow(location: GitRemoteURL.redacted(failure.spec.location), message: failure.message))
        }
        writeOut(CorpusRenderer(scan: renderer).render(reports, failures: failures))
        let combined = ScanReport.combining(reports)
        reportIssues(combined)
        adviseCommitGraphs(reports)
        for failure in failures { warn("error: \(Escaping.display(failure.location)): \(failure.message)") }
        var summary = "\(reports.count) of \(specs.count) repositor\(specs.count == 1 ? "y" : "ies") scanned"
        if unchanged > 0 { summary += ", \(unchanged) unchanged since stored (--force rescans them)" }
        summary += ", \(failures.count) failed"
        if let store { summary += "; stored in \(store.displayLocation)" }
        if !output.quiet { warn(summary) }
        if combined.hasErrors || !failures.isEmpty || manifestErrors > 0 || storeUnavailable || !closed {
            throw ExitCode(1)
        }
    }

    /// `--go-source`: the Go packages of what was just scanned, stored before the repository row.
    private func storeGoSource(_ report: ScanReport, in store: ResultStore, cache: GitCache?, prepared: GoPreparedFiles?) throws {
        guard let repository = report.repository, let go = store as? any GoSourceStore else { return }
        let (set, problem) = GoSourceStorage.load(for: report, cache: cache, options: goLoadOptions, prepared: prepared)
        guard let set else {
            throw GoSourceError(input: repository.location, reason: "Go packages not read: \(problem ?? "")", remedy: "rescan")
        }
        try go.saveGoSource(repositoryKey: repository.key, source: GoSourceStorage.stored(set))
    }

    /// How --go-source loads packages (and analyses the files the scan hands over).
    private var goLoadOptions: GoLoadOptions { GoLoadOptions(jobs: threads ?? ScanOptions.onlineProcessors) }

    /// The results store named by --db (or the default), nil with --no-db or when it cannot be
    /// opened (said on standard error).
    private func openStore() throws -> (ResultStore?, unavailable: Bool) {
        if noDb { return (nil, false) }
        let path = try databasePath(db, hint: ", or use --no-db")
        do {
            return (try CodeCensus.openStore(StoreLocation.parse(path, environment: Environment.variables()), cluster: cluster), false)
        } catch {
            // The scan still runs and prints; the exit status says nothing was stored.
            warn("error: \(error); results are printed but not stored")
            return (nil, true)
        }
    }

    /// A note for each repository whose long history git walked commit by commit (no
    /// commit-graph), naming the command that makes later scans of it cheaper (docs/git.md); the
    /// first five of a corpus, then how many more.
    private func adviseCommitGraphs(_ reports: [ScanReport]) {
        guard !output.quiet else { return }
        let shown = 5
        var advised = 0
        for report in reports {
            guard let repository = report.repository,
                let advice = repository.git?.commitGraphAdvice(location: Escaping.shellWord(repository.location))
            else { continue }
            advised += 1
            if advised <= shown { warn("note: \(Escaping.display(repository.location)): \(advice)") }
        }
        if advised > shown {
            let more = advised - shown
            warn("note: ... and \(more) more repositor\(more == 1 ? "y" : "ies") without a commit-graph")
        }
    }

    /// Names every error and skipped entry on standard error (the first 50; JSON lists them all),
    /// then one summary line.
    private func reportIssues(_ report: ScanReport) {
        let shown = 50
        for issue in report.issues.prefix(shown) {
            warn("\(issue.kind == .error ? "error" : "skipped"): \(Escaping.display(issue.path)): \(issue.reason)")
        }
        if report.issues.count > shown {
            warn("... and \(report.issues.count - shown) more (--format json lists them all)")
        }
        let errors = report.issues.filter { $0.kind == .error }.count
        let skipped = report.issues.count - errors
        if errors > 0 || skipped > 0 {
            warn("\(errors) error\(errors == 1 ? "" : "s"), \(skipped) skipped entr\(skipped == 1 ? "y" : "ies"); everything else was counted")
        }
    }
}
