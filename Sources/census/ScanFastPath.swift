import CodeCensus

/// The fast path of `census scan`: a command line made only of paths and the common flags and
/// options is read here, without ArgumentParser.
///
/// Why: ArgumentParser builds its view of a command by reflection (`Mirror` over every property
/// wrapper, for the root, for `scan` and for its option groups, several times per parse), and the
/// Swift runtime's first lookup of each protocol conformance that reflection needs scans every
/// conformance record of the static binary (about 7,200). That costs about 6 ms of the main
/// thread, more than the scan of a small tree (docs/benchmarks.md, "Start-up"). Everything else —
/// help, usage, errors, validation, completion scripts, man pages, and every option not listed
/// here — stays with ArgumentParser: this initializer returns nil for any argument it does not
/// know, any value it would have to validate (numbers), any repeated flag or single-valued option,
/// any value starting with "-" (ArgumentParser's "missing value" error), `--`, `help`, and the
/// combination `--worktree --rev` (ScanCommand's validation error). Tests parse every accepted
/// form both ways and require equal ``ScanSettings`` (ScanFastPathTests).
extension ScanSettings {
    /// Sets the flag `name` and returns true, or returns false when the fast path does not read it.
    private mutating func setFlag(_ name: String) -> Bool {
        switch name {
        case "--worktree": worktree = true
        case "--offline": offline = true
        case "--by-file": byFile = true
        case "--embedded": embedded = true
        case "--breakdown": breakdown = true
        case "--no-ignore": noIgnore = true
        case "--no-require-git": noRequireGit = true
        case "--hidden": hidden = true
        case "--follow-symlinks": followSymlinks = true
        case "--no-db": noDb = true
        case "--files": storeFiles = true
        case "--force": force = true
        case "--go-source": goSource = true
        case "--quiet": output.quiet = true
        default: return false
        }
        return true
    }

    /// Sets the option `name` to `value` and returns true, or returns false when the fast path
    /// does not read that option or that value.
    private mutating func setOption(_ name: String, _ value: String) -> Bool {
        switch name {
        case "--rev": rev = value
        case "--cache-dir": cacheDir = value
        case "--org-map": orgMap = value
        case "--shard": shard = value
        case "--db": db = value
        case "--cluster": cluster = value
        case "--exclude": excludes.append(value)
        case "--manifest": manifests.append(value)
        case "--format":
            guard let format = OutputFormat(rawValue: value) else { return false }
            self.format = format
        case "--sort":
            guard let sort = ScanSortKey(rawValue: value) else { return false }
            self.sort = sort
        case "--detection":
            guard let detection = ScanOptions.DetectionMode(rawValue: value) else { return false }
            self.detection = detection
        case "--progress":
            guard let progress = ProgressMode(rawValue: value) else { return false }
            output.progress = progress
        case "--csv-formulas":
            guard let policy = Escaping.CSVFormulaPolicy(rawValue: value) else { return false }
            csvFormulas = policy
        default: return false
        }
        return true
    }

    /// `arguments` without the program's name (`scan` first), or nil when ArgumentParser must
    /// read them.
    init?(fastParsing arguments: some Collection<String>) {
        guard arguments.first == "scan" else { return nil }
        self.init()
        // Names seen (a few: a linear search, and no hashing at start-up).
        var seen: [String] = []
        var rest = arguments.dropFirst()[...]
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("-") else {
                // A path. "help" is left to ArgumentParser, whatever it makes of it.
                guard argument != "help" else { return nil }
                paths.append(argument)
                continue
            }
            var name = argument
            var inlineValue: String? = nil
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            // A repeated flag or single-valued option: ArgumentParser's rules decide.
            if name != "--exclude" && name != "--manifest" {
                guard !seen.contains(name) else { return nil }
                seen.append(name)
            }
            if inlineValue == nil && setFlag(name) { continue }
            // Every other name takes a value: `--name=value` or `--name value`.
            guard let value = inlineValue ?? rest.popFirst(), !value.isEmpty, !value.hasPrefix("-"),
                setOption(name, value)
            else { return nil }
        }
        // ScanCommand.validate's one rule that the options read here can break.
        if worktree && rev != nil { return nil }
    }
}
