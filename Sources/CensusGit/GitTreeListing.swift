/// One entry of a commit's tree, listed recursively (directories are not entries; their files are).
public struct GitTreeEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A regular file (mode 100644).
        case file
        /// A regular file with the executable bit (mode 100755).
        case executable
        /// A symbolic link (mode 120000): the blob holds the link's target; it is never followed.
        case symlink
        /// A submodule's commit (mode 160000, a "gitlink"): listed, not entered; its id names a
        /// commit of another repository, usually absent from this one.
        case submodule
    }

    public var kind: Kind
    /// The mode as git records it (octal 100644, 100755, 120000, 160000).
    public var mode: UInt32
    public var id: GitObjectID
    /// The blob's size in bytes; `nil` for submodules and absent blobs.
    public var size: Int?
    /// Whether the blob is absent from the repository by design (a partial clone's): reading it
    /// reports it missing.
    public var isAbsent = false
    /// The path from the top of the tree, `/`-separated, as raw bytes: not necessarily UTF-8, and
    /// it may hold any byte but NUL (a newline included). Shares the listing's storage.
    public var path: ArraySlice<UInt8>

    /// Whether the entry is a blob census can read (a file or an executable, not a link or a submodule).
    public var isRegularFile: Bool { kind == .file || kind == .executable }

    /// Whether the blob is small enough to be a Git LFS pointer (check its bytes with
    /// ``GitLFSPointer/init(parsing:)``).
    public var mayBeLFSPointer: Bool { isRegularFile && (size ?? .max) < GitLFSPointer.maximumSize }
}

/// Every file, symbolic link and submodule of a commit's tree.
public struct GitTreeListing: Sendable {
    /// The commit whose tree this is.
    public let commit: GitObjectID
    /// In git's order (paths sorted bytewise, directories as if followed by `/`).
    public let entries: [GitTreeEntry]

    /// The entry at `path` (raw bytes, `/`-separated from the top), if the tree has one.
    ///
    /// - Complexity: O(n); build a dictionary for repeated look-ups.
    public func entry(atPath path: some Collection<UInt8>) -> GitTreeEntry? {
        entries.first { $0.path.elementsEqual(path) }
    }

    /// Parses `git ls-tree -r -z --full-tree` output: `<mode> SP <type> SP <id> TAB <path> NUL`,
    /// repeated; with `--long` (`sizes`), `<id> SP+ <size or -> TAB`.
    static func parse(_ output: [UInt8], sizes: Bool, commit: GitObjectID, location: GitLocation, command: [String])
        throws -> GitTreeListing
    {
        var entries: [GitTreeEntry] = []
        var position = 0
        let end = output.count
        func fail(_ what: String) -> GitError {
            let lineEnd = output[position...].firstIndex(of: 0) ?? end
            let sample = GitRunner.text(output[position..<min(lineEnd, position + 200)])
            return GitError(
                .protocolError, repository: location.display, command: command, gitMessage: sample,
                message: "unexpected git ls-tree output (\(what)) at byte \(position)")
        }
        func field(until terminator: UInt8) -> Range<Int>? {
            guard let stop = output[position...].firstIndex(of: terminator) else { return nil }
            defer { position = stop + 1 }
            return position..<stop
        }
        while position < end {
            let start = position
            guard let modeField = field(until: UInt8(ascii: " ")), !modeField.isEmpty, modeField.count <= 7 else {
                position = start
                throw fail("mode")
            }
            var mode: UInt32 = 0
            for digit in output[modeField] {
                guard digit >= UInt8(ascii: "0") && digit <= UInt8(ascii: "7") else {
                    position = start
                    throw fail("mode")
                }
                mode = mode << 3 | UInt32(digit - UInt8(ascii: "0"))
            }
            guard field(until: UInt8(ascii: " ")) != nil, let idField = field(until: UInt8(ascii: sizes ? " " : "\t")),
                let id = GitObjectID(hex: output[idField])
            else {
                position = start
                throw fail("object id")
            }
            var size: Int? = nil
            if sizes {
                // The size is right-aligned in a padded column.
                while position < end && output[position] == UInt8(ascii: " ") { position += 1 }
                guard let sizeField = field(until: UInt8(ascii: "\t")), !sizeField.isEmpty else {
                    position = start
                    throw fail("size")
                }
                if !(sizeField.count == 1 && output[sizeField.lowerBound] == UInt8(ascii: "-")) {
                    guard let value = Self.decimal(output[sizeField]) else {
                        position = start
                        throw fail("size")
                    }
                    size = value
                }
            }
            guard let pathField = field(until: 0), !pathField.isEmpty else {
                position = start
                throw fail("path")
            }
            let kind: GitTreeEntry.Kind
            switch mode {
            case 0o100644: kind = .file
            case 0o100755: kind = .executable
            case 0o120000: kind = .symlink
            case 0o160000: kind = .submodule
            default:
                position = start
                throw fail("mode \(String(mode, radix: 8))")
            }
            entries.append(GitTreeEntry(kind: kind, mode: mode, id: id, size: size, path: output[pathField]))
        }
        return GitTreeListing(commit: commit, entries: entries)
    }

    /// A non-negative decimal number, `nil` if the bytes are not one or it overflows.
    static func decimal(_ digits: some Collection<UInt8>) -> Int? {
        guard !digits.isEmpty else { return nil }
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0") && digit <= UInt8(ascii: "9") else { return nil }
            let next = value.multipliedReportingOverflow(by: 10)
            let sum = next.partialValue.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
            guard !next.overflow && !sum.overflow else { return nil }
            value = sum.partialValue
        }
        return value
    }
}
