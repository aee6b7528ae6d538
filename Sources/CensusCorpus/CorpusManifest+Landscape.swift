import Yams

/// Reading the CNCF landscape (`landscape.yml`, `processed_landscape.yml`).
///
/// The shape: `landscape:` is a list of categories, each `{category:, name:, subcategories:}`; each
/// subcategory `{subcategory:, name:, items:}`; each item `{item:, name:, homepage_url:, repo_url:,
/// project:, crunchbase:, …}`, and in the processed file also `crunchbase_data`, `github_data` and
/// `github_start_commit_data`. The mapping to entries is described in docs/manifests.md.
extension ManifestReading {
    mutating func readLandscape(_ body: ArraySlice<UInt8>) throws(CorpusError) {
        let root: Node?
        do {
            // The basic resolver leaves every scalar a string (ints and nulls are read here, where
            // they are expected): it halves the time of composing a 4 MB file.
            root = try Yams.compose(yaml: String(decoding: body, as: UTF8.self), Resolver.basic)
        } catch let error as YamlError {
            throw Self.yamlError(error, file: file)
        } catch {
            throw CorpusError(.invalidYAML, input: file, message: "cannot read the YAML: \(error)")
        }
        guard let categories = root?.mapping?.value(forKey: "landscape")?.sequence else {
            throw CorpusError(
                .notALandscape, input: file,
                message:
                    "not a CNCF landscape: expected a top-level 'landscape:' list of categories (use a .txt, .csv or .tsv name, or say the format, for other lists)"
            )
        }
        for category in categories {
            guard let categoryMap = category.mapping else {
                report(.error, line: category.line, "a category that is not a mapping; skipped")
                continue
            }
            let categoryName = categoryMap.value(forKey: "name").flatMap(Self.text)
            for subcategory in categoryMap.value(forKey: "subcategories")?.sequence ?? [] {
                guard let subcategoryMap = subcategory.mapping else {
                    report(.error, line: subcategory.line, "a subcategory that is not a mapping; skipped")
                    continue
                }
                let subcategoryName = subcategoryMap.value(forKey: "name").flatMap(Self.text)
                let path = [categoryName, subcategoryName].compactMap { $0 }
                for item in subcategoryMap.value(forKey: "items")?.sequence ?? [] {
                    readItem(item, path: path)
                }
            }
        }
    }

    /// Adds the repositories of one landscape item.
    private mutating func readItem(_ node: Node, path: [String]) {
        guard let item = node.mapping else {
            report(.error, line: node.line, "an item that is not a mapping; skipped")
            return
        }
        var name: String?
        var homepage: String?
        var repo: Node?
        var maturity: String?
        var crunchbase: String?
        var crunchbaseName: String?
        var place: String?
        var organizationName: String?
        var additional: [Node] = []
        var secondPaths: [String] = []
        var github: LandscapeGitHubData?
        var firstCommitDate: String?
        for (keyNode, value) in item {
            guard let key = keyNode.scalar?.string else { continue }
            switch key {
            case "name": name = Self.text(value)
            case "homepage_url": homepage = Self.text(value)
            case "repo_url": repo = value
            case "project": maturity = Self.text(value)
            case "crunchbase": crunchbase = Self.text(value)
            case "crunchbase_data":
                crunchbaseName = value.mapping?.value(forKey: "name").flatMap(Self.text)
                let parts = ["city", "region", "country"].compactMap { value.mapping?.value(forKey: $0).flatMap(Self.text) }
                place = parts.isEmpty ? nil : parts.joined(separator: ", ")
            case "organization":
                // `organization: {name: …}` for items without a crunchbase entry (a URL in a few).
                organizationName = value.mapping?.value(forKey: "name").flatMap(Self.text) ?? Self.text(value).flatMap(Self.lastPathComponent)
            case "additional_repos": additional = value.sequence.map(Array.init) ?? []
            case "second_path":
                secondPaths = value.sequence.map { $0.compactMap(Self.text) } ?? Self.text(value).map { [$0] } ?? []
            case "github_data": github = value.mapping.map(Self.gitHubData)
            case "github_start_commit_data":
                firstCommitDate = value.mapping?.value(forKey: "start_date").flatMap(Self.text)
            default: continue
            }
        }
        if firstCommitDate != nil {
            if github == nil { github = LandscapeGitHubData() }
            github?.firstCommitDate = firstCommitDate
        }
        guard repo != nil || !additional.isEmpty else {
            itemsWithoutRepository += 1
            return
        }
        var cohorts = path.compactMap(CohortTag.normalized)
        for secondPath in secondPaths {
            // `Category / Subcategory`: the item is shown there too.
            cohorts += secondPath.split(separator: "/").compactMap(CohortTag.normalized)
        }
        if let maturity, let tag = CohortTag.maturity(maturity) { cohorts.append(tag) }
        let company = crunchbaseName ?? organizationName ?? crunchbase.flatMap(Self.lastPathComponent)
        let label = "item '\(name ?? "(unnamed)")': "

        func add(_ urlNode: Node, key: String, github: LandscapeGitHubData?, into reading: inout ManifestReading) {
            let line = urlNode.line
            guard let url = Self.text(urlNode) else {
                reading.report(.error, line: line, label + "\(key) is empty or not a string; skipped")
                return
            }
            guard var entry = reading.entry(url, line: line, company: company, cohorts: cohorts, context: label) else {
                return
            }
            entry.name = name
            entry.homepage = homepage
            entry.github = github
            entry.place = place
            reading.entries.append(entry)
        }

        if let repo { add(repo, key: "repo_url", github: github, into: &self) }
        for extra in additional {
            if let url = extra.mapping?.value(forKey: "repo_url") {
                add(url, key: "additional_repos repo_url", github: nil, into: &self)
            } else {
                report(.error, line: extra.line, label + "an additional_repos entry without repo_url; skipped")
            }
        }
    }

    /// The `github_data` figures worth keeping.
    private static func gitHubData(_ map: Node.Mapping) -> LandscapeGitHubData {
        var data = LandscapeGitHubData()
        for (keyNode, value) in map {
            switch keyNode.scalar?.string {
            case "stars": data.stars = integer(value)
            case "contributors_count": data.contributorsCount = integer(value)
            case "latest_commit_date": data.latestCommitDate = text(value)
            case "license": data.license = text(value)
            case "languages":
                if let list = value.sequence {
                    // [{name: Go, value: 123, color: …}, …]
                    for language in list {
                        guard let entry = language.mapping, let name = entry.value(forKey: "name").flatMap(text),
                            let bytes = entry.value(forKey: "value").flatMap(integer)
                        else { continue }
                        data.languages[name, default: 0] += bytes
                    }
                } else if let table = value.mapping {
                    // {Go: 123, …}
                    for (nameNode, bytesNode) in table {
                        guard let name = text(nameNode), let bytes = integer(bytesNode) else { continue }
                        data.languages[name, default: 0] += bytes
                    }
                }
            default: continue
            }
        }
        return data
    }

    /// A scalar's text, trimmed; nil for YAML's nulls (`null`, `~`, nothing) and non-scalars.
    static func text(_ node: Node) -> String? {
        guard let scalar = node.scalar else { return nil }
        let value = scalar.string.trimmingPadding()
        if scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(value) { return nil }
        return value.isEmpty ? nil : value
    }

    static func integer(_ node: Node) -> Int? {
        text(node).flatMap { Int($0) }
    }

    /// The last non-empty path segment of a URL, query and fragment dropped:
    /// `https://www.crunchbase.com/organization/red-hat` → `red-hat`.
    static func lastPathComponent(_ url: String) -> String? {
        let path = url.split(whereSeparator: { $0 == "?" || $0 == "#" }).first ?? ""
        guard path.firstRange(of: "://") != nil || path.contains("/") else { return nil }
        let last = path.split(separator: "/").last.map(String.init)
        return last.flatMap { $0.contains(":") ? nil : $0 }
    }

    static func yamlError(_ error: YamlError, file: String) -> CorpusError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = "invalid YAML: \(problem) at column \(mark.column)"
            if let context { message += ", \(context.text) that starts on line \(context.mark.line)" }
            return CorpusError(.invalidYAML, input: file, line: mark.line, message: message)
        default:
            return CorpusError(.invalidYAML, input: file, message: "invalid YAML: \(error)")
        }
    }
}

extension Node {
    /// The line this node starts on, from 1 (0 if Yams gave no mark: composed nodes always have one).
    var line: Int {
        let mark: Mark?
        switch self {
        case .scalar(let scalar): mark = scalar.mark
        case .mapping(let mapping): mark = mapping.mark
        case .sequence(let sequence): mark = sequence.mark
        case .alias(let alias): mark = alias.mark
        }
        return mark?.line ?? 0
    }
}

extension Node.Mapping {
    /// The value of the first pair whose key is the plain string `key` (a linear scan: no Node is
    /// built for the key, unlike Yams' subscript).
    func value(forKey key: String) -> Node? {
        for (keyNode, value) in self where keyNode.scalar?.string == key { return value }
        return nil
    }
}
