/// A remote repository's URL, parsed into where it lives: host, owner and name.
///
/// Accepted forms (and what they give):
///
/// | URL | transport | host | owner | name |
/// |---|---|---|---|---|
/// | `https://github.com/apple/swift(.git)(/)` | https | github.com | apple | swift |
/// | `git@github.com:apple/swift.git` | ssh (user `git`) | github.com | apple | swift |
/// | `ssh://git@host:2222/group/sub/project.git` | ssh, port 2222 | host | group/sub | project |
/// | `file:///srv/git/project.git` | file | local | srv/git | project |
///
/// Hosts are lowercased (DNS names are case-insensitive); owners and names are kept as written.
/// A trailing `/` and one `.git` suffix are dropped from the name. Paths with `.` or `..`
/// segments, control characters or spaces, hosts or users starting with `-`, remote-helper
/// syntax (`ext::…`) are refused, and so are `http://` and `git://` (unauthenticated transports
/// census does not fetch over) and plain local paths (open those with
/// ``GitRepository/init(path:runner:)``).
public struct GitRemoteURL: Sendable, Equatable, CustomStringConvertible {
    public enum Transport: String, Sendable {
        case https, ssh, file
    }

    /// The URL as given: what git is told to fetch (credentials included, if any).
    public var url: String
    public var transport: Transport
    /// The ssh login (`git`), if the URL names one.
    public var user: String?
    /// The host, lowercased; `local` for `file://` URLs.
    public var host: String
    public var port: Int?
    /// The path segments before the name, `/`-joined (`group/subgroup` on GitLab; the directory
    /// for `file://`); empty when the name is the only segment.
    public var owner: String
    /// The repository's name, without `.git`.
    public var name: String

    /// ``url`` with any password removed: how the URL is shown.
    public var description: String { Self.redacted(url) }

    /// Parses `text`.
    ///
    /// - Throws: ``GitError`` with ``GitError/Code/invalidURL`` saying what is wrong.
    public init(parsing text: String) throws {
        func invalid(_ why: String) -> GitError {
            GitError(.invalidURL, repository: Self.redacted(text), message: "cannot use this repository URL: \(why)")
        }
        guard !text.isEmpty, !text.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7f }) else {
            throw invalid("it is empty or holds spaces or control characters")
        }
        if text.firstRange(of: "::") != nil && text.firstRange(of: "://") == nil {
            throw invalid("remote-helper URLs (<transport>::<address>) are not accepted")
        }
        url = text
        var path: Substring
        if let separator = text.firstRange(of: "://") {
            let scheme = text[..<separator.lowerBound].lowercased()
            let rest = text[separator.upperBound...]
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            let authority = rest[..<slash]
            path = rest[slash...]
            switch scheme {
            case "https": transport = .https
            case "ssh", "git+ssh", "ssh+git": transport = .ssh
            case "file": transport = .file
            case "http", "git":
                throw invalid("\(scheme):// is not authenticated; use https:// or ssh")
            default:
                throw invalid("unknown scheme '\(scheme)' (use https://, ssh://, git@host:path or file://)")
            }
            if transport == .file {
                guard authority.isEmpty || authority.lowercased() == "localhost" else {
                    throw invalid("file:// URLs name no host (file:///path)")
                }
                user = nil
                host = "local"
                port = nil
            } else {
                var hostPort = authority
                user = nil
                if let at = authority.lastIndex(of: "@") {
                    let userInfo = authority[..<at]
                    hostPort = authority[authority.index(after: at)...]
                    let login = userInfo.prefix { $0 != ":" }
                    user = transport == .ssh && !login.isEmpty ? String(login) : nil
                }
                var hostPart = hostPort
                var portPart: Substring? = nil
                if hostPort.first == "[" {
                    guard let close = hostPort.firstIndex(of: "]") else { throw invalid("unclosed '[' in the host") }
                    hostPart = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
                    let after = hostPort[hostPort.index(after: close)...]
                    if after.first == ":" {
                        portPart = after.dropFirst()
                    } else if !after.isEmpty {
                        throw invalid("junk after the host")
                    }
                } else if let colon = hostPort.lastIndex(of: ":") {
                    hostPart = hostPort[..<colon]
                    portPart = hostPort[hostPort.index(after: colon)...]
                }
                host = hostPart.lowercased()
                if let portPart {
                    guard let value = Int(portPart), (1...65535).contains(value) else {
                        throw invalid("bad port '\(portPart)'")
                    }
                    port = value
                } else {
                    port = nil
                }
            }
        } else if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("/") {
            // scp-like: [user@]host:path — git's rule: a ':' before any '/'.
            transport = .ssh
            let authority = text[..<colon]
            if let at = authority.lastIndex(of: "@") {
                user = String(authority[..<at])
                host = authority[authority.index(after: at)...].lowercased()
            } else {
                user = nil
                host = authority.lowercased()
            }
            port = nil
            path = text[text.index(after: colon)...]
        } else {
            throw invalid("not a URL (a local path? open it as a repository directly)")
        }
        // A leading '-' would reach ssh as an option (CVE-2017-1000117); git refuses it too.
        guard !host.isEmpty, !host.hasPrefix("-"), host.utf8.allSatisfy(Self.isHostByte) else {
            throw invalid("bad host '\(host)'")
        }
        if let user, user.isEmpty || user.hasPrefix("-") { throw invalid("bad user name '\(user)'") }
        var segments = path.split(separator: "/")
        guard var last = segments.popLast() else { throw invalid("no repository name in the path") }
        if last.hasSuffix(".git") && last.count > 4 { last = last.dropLast(4) }
        for segment in segments + [last] where segment == "." || segment == ".." {
            throw invalid("'.' and '..' are not allowed in the path")
        }
        name = String(last)
        owner = segments.joined(separator: "/")
    }

    /// Where the clone cache keeps this repository, below its root: `host/owner/name.git` (a port
    /// is appended to the host as `host_2222`; a ':' in an IPv6 host becomes '_', since
    /// `GIT_CEILING_DIRECTORIES` cannot hold one).
    public var cacheRelativePath: String {
        var hostDirectory = host.replacingColons()
        if let port { hostDirectory += "_\(port)" }
        return ([hostDirectory] + (owner.isEmpty ? [] : [owner]) + [name + ".git"]).joined(separator: "/")
    }

    /// `url` with the password of any `user:password@` removed (other text is returned as is).
    public static func redacted(_ url: String) -> String {
        guard let separator = url.firstRange(of: "://") else { return url }
        let rest = url[separator.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@"),
            let colon = rest[..<at].firstIndex(of: ":")
        else { return url }
        return String(url[..<colon]) + String(rest[at...])
    }

    private static func isHostByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: ":"): return true
        default: return false
        }
    }
}

extension String {
    fileprivate func replacingColons() -> String {
        String(map { $0 == ":" ? "_" : $0 })
    }
}
