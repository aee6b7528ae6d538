import ArgumentParser
import CodeCensus

/// The database `--db` names, else the default (`$CENSUS_DB`, else the XDG data directory); exits
/// with a message when neither can be named. `hint` ends the message (another way out, if any).
func databasePath(_ db: String?, hint: String = "") throws -> String {
    guard let path = db ?? ScanStorage.defaultDatabasePath(environment: Environment.variables()) else {
        warn("error: no database named: set --db or $CENSUS_DB" + hint)
        throw ExitCode(1)
    }
    return path
}

/// The targets of a run: the command line's paths and URLs, then every manifest's entries (one
/// combined manifest, duplicates merged), companies overridden by an org map, one shard kept.
/// Manifest diagnostics are printed; the count of errors among them is returned. A manifest or map
/// that cannot be read ends the run.
func loadTargets(paths: [String], manifests: [String], orgMap: String? = nil, shard: String? = nil) throws
    -> (specs: [ScanTargetSpec], errors: Int)
{
    if manifests.isEmpty && orgMap == nil && shard == nil {
        return ((paths.isEmpty ? ["."] : paths).map { ScanTargetSpec(location: $0) }, 0)
    }
    var combined = CorpusManifest(entries: [])
    do {
        if !paths.isEmpty {
            combined = try CorpusManifest.parse(
                bytes: Array(paths.joined(separator: "\n").utf8), origin: "command line", format: .plain)
        }
        for path in manifests { combined = CorpusManifest.combining([combined, try CorpusManifest.load(path: path)]) }
        if let orgMap {
            let map = try CompanyMap.load(path: orgMap)
            for d in map.diagnostics { warn("\(d)") }
            _ = combined.overrideCompanies(with: map)
        }
        if let shard { combined = combined.sharded(try CorpusShard(parsing: shard)) }
    } catch {
        warn("error: \(error)")
        throw ExitCode(1)
    }
    var errors = 0
    for d in combined.diagnostics {
        warn("\(d)")
        if d.severity == .error { errors += 1 }
    }
    let specs = combined.entries.map {
        ScanTargetSpec(location: $0.location, org: $0.org, company: $0.company, cohorts: $0.cohorts, place: $0.place)
    }
    return (specs, errors)
}
