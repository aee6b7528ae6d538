#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A git repository, bare or not, read through git's plumbing without a checkout.
///
/// Opening one asks git to find the repository at exactly `path` (discovery is stopped at its
/// parent with `GIT_CEILING_DIRECTORIES`, and `safe.directory` names the resolved path, so a
/// repository owned by another user opens, with all of the runner's hardening). Every later command
/// names the git directory with `--git-dir` and starts in `/`. Nothing reads or writes a working
/// tree.
///
/// Calls block: use them from threads you own.
public struct GitRepository: Sendable {
    /// The path as given.
    public let path: String
    /// The path with symbolic links resolved: what `safe.directory` names.
    public let resolvedPath: String
    /// The git directory (`…/.git`, or the repository itself when bare).
    public let gitDirectory: String
    public let isBare: Bool
    public let runner: GitRunner
    /// How errors and reports name the repository: the path as given, or the URL it was cloned from.
    public let displayName: String
    let location: GitLocation

    /// Opens the repository whose top (work tree or bare git directory) is `path`.
    ///
    /// - Throws: ``GitError`` with ``GitError/Code/notARepository`` and git's message when `path`
    ///   is not the top of a repository (a subdirectory of one is refused too), or git cannot read
    ///   it (a broken `HEAD`, say).
    public init(path: String, runner: GitRunner? = nil) throws {
        try self.init(path: path, displayName: path, runner: runner ?? GitRunner())
    }

    init(path: String, displayName: String, runner: GitRunner) throws {
        self.path = path
        self.displayName = displayName
        self.runner = runner
        guard let resolved = Self.realPath(path) else {
            let code = errno
            throw GitError(
                .notARepository, repository: displayName,
                message: "cannot open the repository: \(SystemCallError.message(code))")
        }
        resolvedPath = resolved
        let parent = resolved.lastIndex(of: "/").map { String(resolved[..<$0]) }.map { $0.isEmpty ? "/" : $0 }
        // GIT_CEILING_DIRECTORIES is ':'-separated; a parent with ':' in it cannot be named there,
        // and the prefix check below still rejects anything but the top of a repository.
        let ceiling = resolved == "/" || parent?.contains(":") != false ? nil : parent
        let discovery = GitLocation(
            display: displayName, workingDirectory: resolved, safeDirectory: resolved, ceiling: ceiling)
        let command = ["rev-parse", "--absolute-git-dir", "--is-bare-repository", "--show-prefix"]
        let output: GitOutput
        do {
            output = try runner.run(command, at: discovery)
        } catch var error as GitError where error.code == .commandFailed {
            error.code = .notARepository
            error.message = "not a git repository, or git will not read it"
            throw error
        }
        let lines = String(decoding: output.output, as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 2, lines[0].hasPrefix("/"), lines[1] == "true" || lines[1] == "false" else {
            throw GitError(
                .protocolError, repository: displayName, command: command, gitMessage: output.text,
                message: "unexpected output from git rev-parse")
        }
        gitDirectory = String(lines[0])
        isBare = lines[1] == "true"
        let prefix = lines.count > 2 ? lines[2] : ""
        if !prefix.isEmpty || (isBare && gitDirectory != resolved) {
            throw GitError(
                .notARepository, repository: displayName, command: command, gitMessage: output.text,
                message: "not the top of a git repository (it is inside \(isBare ? gitDirectory : "one")): name its top")
        }
        location = GitLocation(display: displayName, gitDirectory: gitDirectory, safeDirectory: resolved)
    }

    // MARK: - Revisions

    /// The commit `revision` names (a branch, tag, `HEAD`, an id; anything `git rev-parse` reads).
    ///
    /// - Throws: ``GitError``: ``GitError/Code/emptyRepository`` when the repository has no
    ///   commits, ``GitError/Code/unknownRevision`` when `revision` names no commit; both with git's
    ///   message.
    public func resolveCommit(_ revision: String = "HEAD") throws -> GitObjectID {
        guard !revision.isEmpty, !revision.hasPrefix("-"), !revision.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f })
        else {
            throw GitError(
                .unknownRevision, repository: displayName,
                message:
                    "'\(revision)' is not a revision name (empty, starting with '-', or holding control characters)")
        }
        let command = ["rev-parse", "--verify", revision + "^{commit}"]
        do {
            let output = try runner.run(command, at: location)
            guard let id = GitObjectID(output.text) else {
                throw GitError(
                    .protocolError, repository: displayName, command: command, gitMessage: output.text,
                    message: "unexpected output from git rev-parse")
            }
            return id
        } catch var error as GitError where error.code == .commandFailed {
            if try hasNoReferences() {
                error.code = .emptyRepository
                error.message = "the repository has no commits"
            } else {
                error.code = .unknownRevision
                error.message = "unknown revision '\(revision)': name a branch, tag or commit of the repository"
            }
            throw error
        }
    }

    /// Whether no branch or tag exists (an empty repository, or one whose refs are all gone).
    private func hasNoReferences() throws -> Bool {
        let output = try runner.run(["for-each-ref", "--count=1", "--format=%(refname)"], at: location)
        return output.text.isEmpty
    }

    // MARK: - Trees and blobs

    /// Every file, symbolic link and submodule in the tree of the commit `revision` names.
    public func listTree(_ revision: String = "HEAD") throws -> GitTreeListing {
        try listTree(commit: resolveCommit(revision))
    }

    /// Every file, symbolic link and submodule in `commit`'s tree, with modes, ids and sizes.
    ///
    /// Runs `git ls-tree -r -z --long --full-tree`: paths come as raw bytes, unquoted. In a
    /// partial clone, where that dies at the first absent blob (it needs each blob for its size),
    /// the tree is listed without sizes, absent blobs are found without fetching
    /// (``absentObjects(commit:)``) and marked ``GitTreeEntry/isAbsent``, and the sizes of the
    /// others come from `git cat-file --batch-check`.
    public func listTree(commit: GitObjectID) throws -> GitTreeListing {
        let command = ["ls-tree", "-r", "-z", "--long", "--full-tree", commit.description]
        do {
            let output = try runner.run(command, at: location)
            return try GitTreeListing.parse(
                output.output, sizes: true, commit: commit, location: location, command: command)
        } catch let error as GitError where error.code == .commandFailed {
            guard try isPartialClone() else { throw error }
            return try listPartialTree(commit: commit)
        }
    }

    private func listPartialTree(commit: GitObjectID) throws -> GitTreeListing {
        let command = ["ls-tree", "-r", "-z", "--full-tree", commit.description]
        let output = try runner.run(command, at: location)
        var entries = try GitTreeListing.parse(
            output.output, sizes: false, commit: commit, location: location, command: command
        )
        .entries
        let absent = try absentObjects(commit: commit)
        var request: [UInt8] = []
        for entry in entries where entry.kind != .submodule && !absent.contains(entry.id) {
            request += entry.id.hexDigits + [UInt8(ascii: "\n")]
        }
        var sizes: [GitObjectID: Int] = [:]
        if !request.isEmpty {
            let check = ["cat-file", "--batch-check"]
            for line in try runner.run(check, at: location, input: request).output.split(separator: UInt8(ascii: "\n"))
            {
                let fields = line.split(separator: UInt8(ascii: " "))
                if fields.count == 3, let id = GitObjectID(hex: fields[0]), let size = GitTreeListing.decimal(fields[2])
                {
                    sizes[id] = size
                }
            }
        }
        for index in entries.indices where entries[index].kind != .submodule {
            entries[index].size = sizes[entries[index].id]
            entries[index].isAbsent = absent.contains(entries[index].id)
        }
        return GitTreeListing(commit: commit, entries: entries)
    }

    /// A reader for this repository's objects, with its own `git cat-file --batch` process.
    /// Use one per thread.
    public func makeBlobReader() -> GitBlobReader {
        GitBlobReader(runner: runner, location: location)
    }

    /// The objects `commit`'s tree refers to that are absent (in a partial clone, say), found
    /// without fetching anything (`git rev-list --objects --missing=print --no-walk`).
    public func absentObjects(commit: GitObjectID) throws -> Set<GitObjectID> {
        let command = ["rev-list", "--objects", "--missing=print", "--no-walk", commit.description]
        let output = try runner.run(command, at: location)
        var absent = Set<GitObjectID>()
        for line in output.output.split(separator: UInt8(ascii: "\n")) where line.first == UInt8(ascii: "?") {
            if let id = GitObjectID(hex: line.dropFirst().prefix { $0 != UInt8(ascii: " ") }) { absent.insert(id) }
        }
        return absent
    }

    // MARK: - Small queries

    /// Whether the repository is shallow (history cut off at some depth; counts are lower bounds).
    public func isShallow() throws -> Bool {
        try runner.run(["rev-parse", "--is-shallow-repository"], at: location).text == "true"
    }

    /// Whether objects may be absent by design: a promisor remote (`remote.<name>.promisor`, what
    /// `git clone --filter` sets) or `extensions.partialClone`.
    public func isPartialClone() throws -> Bool {
        let output = try runner.run(
            ["config", "-z", "--get-regexp", #"^(extensions\.partialclone|remote\..*\.promisor)$"#], at: location,
            accepting: [0, 1])
        for record in output.output.split(separator: 0) {
            let parts = record.split(separator: UInt8(ascii: "\n"), maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(decoding: parts[0], as: UTF8.self).lowercased()
            let value = parts.count > 1 ? String(decoding: parts[1], as: UTF8.self).lowercased() : "true"
            if key == "extensions.partialclone" || ["true", "yes", "on", "1"].contains(value) { return true }
        }
        return false
    }

    /// One configuration value from the repository's own configuration (`nil` when unset).
    func configValue(_ key: String) throws -> String? {
        let output = try runner.run(["config", "--get", key], at: location, accepting: [0, 1])
        return output.exitCode == 0 ? output.text : nil
    }

    /// The full name a symbolic reference points to (`nil` when it is not symbolic or absent).
    func symbolicTarget(_ name: String) throws -> String? {
        let output = try runner.run(["symbolic-ref", "-q", name], at: location, accepting: [0, 1])
        return output.exitCode == 0 && !output.text.isEmpty ? output.text : nil
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
