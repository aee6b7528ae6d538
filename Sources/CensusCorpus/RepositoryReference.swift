import CensusGit

/// A manifest's URL or path, read: its parse, identity and default attribution.
///
/// The rules (docs/manifests.md, "Locations"):
/// - text with `://`, or scp-like `host:path` (a `:` before any `/`), is a URL and goes through
///   ``GitRemoteURL/init(parsing:)``; `http://` is read as `https://` with a warning;
/// - an `https://` URL with a single path segment (`https://github.com/tensorflow`) names an owner,
///   not a repository, and is refused;
/// - anything else is a local path: org nil, company the directory name.
struct RepositoryReference {
    var location: String
    var remote: GitRemoteURL?
    var key: String
    var org: String?
    var company: String?
    /// Something the reader changed on the way, for a warning.
    var warning: String?

    /// Why a location cannot be used.
    struct Problem: Error {
        var message: String
    }

    /// Hosts that make a relative path look like a URL without its scheme.
    private static let forgeHosts: Set<String> = ["github.com", "gitlab.com", "bitbucket.org", "codeberg.org"]

    init(_ text: String) throws(Problem) {
        location = text
        guard !text.isEmpty else { throw Problem(message: "no repository URL or path") }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            throw Problem(message: "the location holds control characters")
        }
        if Self.looksLikeURL(text) {
            var urlText = text
            if text.utf8.count > 7, text.prefix(7).lowercased() == "http://" {
                urlText = "https://" + text.dropFirst(7)
                warning = "http:// is not used for fetching; reading \(text) as \(urlText)"
            }
            let remote: GitRemoteURL
            do {
                remote = try GitRemoteURL(parsing: urlText)
            } catch let error as GitError {
                throw Problem(message: error.message)
            } catch {
                throw Problem(message: "cannot use this repository URL: \(error)")
            }
            self.remote = remote
            switch remote.transport {
            case .file:
                key = Self.pathKey(remote.owner.isEmpty ? "/" + remote.name : "/\(remote.owner)/\(remote.name)")
                org = nil
                company = remote.name
            case .https, .ssh:
                if remote.owner.isEmpty && remote.transport == .https {
                    throw Problem(
                        message:
                            "\(remote) names an owner or organisation, not a repository (expected https://\(remote.host)/<owner>/<name>)"
                    )
                }
                let path = remote.owner.isEmpty ? remote.name : remote.owner + "/" + remote.name
                key = (remote.host + "/" + path).lowercased()
                let topOwner = remote.owner.split(separator: "/").first.map(String.init)
                org = topOwner
                company = topOwner
            }
        } else {
            remote = nil
            let cleaned = Self.cleanedPath(text)
            key = Self.pathKey(cleaned)
            org = nil
            let last = cleaned.split(separator: "/").last.map(String.init) ?? ""
            let directory = Self.droppingGitSuffix(last)
            company = directory.isEmpty || directory == "." || directory == ".." ? nil : directory
            if let first = cleaned.split(separator: "/").first, !cleaned.hasPrefix("/"),
                Self.forgeHosts.contains(first.lowercased())
            {
                warning = "\(text) is read as a local path; write https://\(text) for the repository on \(first)"
            }
        }
    }

    /// Whether `text` is a URL rather than a path: it has `://`, or a `:` before any `/` (git's
    /// own rule for scp-like `host:path`), and does not start like a path.
    static func looksLikeURL(_ text: String) -> Bool {
        if text.firstRange(of: "://") != nil { return true }
        if text.hasPrefix("/") || text.hasPrefix(".") { return false }
        guard let colon = text.firstIndex(of: ":") else { return false }
        return !text[..<colon].contains("/")
    }

    /// `path` with empty and `.` segments dropped (`..` is kept: it cannot be resolved without the
    /// file system), `/`-joined; `/` or `.` when nothing is left.
    static func cleanedPath(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        let segments = path.split(separator: "/").filter { $0 != "." }
        let joined = segments.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// The key of a cleaned local path: `path:` and the path with one `.git` dropped from its last
    /// segment (as for URLs), case kept (file systems are case-sensitive).
    static func pathKey(_ cleaned: String) -> String {
        guard let slash = cleaned.lastIndex(of: "/") else { return "path:" + droppingGitSuffix(cleaned) }
        let head = cleaned[...slash]
        return "path:" + head + droppingGitSuffix(String(cleaned[cleaned.index(after: slash)...]))
    }

    static func droppingGitSuffix(_ name: String) -> String {
        name.hasSuffix(".git") && name.count > 4 ? String(name.dropLast(4)) : name
    }
}
