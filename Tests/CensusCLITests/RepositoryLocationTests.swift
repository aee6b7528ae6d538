import CodeCensus
import Testing

@Suite("Repository locations")
struct RepositoryLocationTests {
    /// Remote: anything holding "://", and scp-like `user@host:path` (a ':' before any '/', an '@'
    /// before the ':'). Everything else is a path, even with ':' or '@' in it.
    @Test func urlsAndScpLikeAddressesAreRemote() {
        let cases: [(String, Bool)] = [
            ("https://github.com/prometheus/client_golang", true), ("file:///srv/git/a.git", true),
            ("ssh://git@host/x", true), ("x://y", true), ("a/b://c", true),
            ("git@github.com:golang/go.git", true), ("me@host:path/to/repo", true), ("a@b:", true),
            ("naïve@hôte:dépôt", true),
            (".", false), ("", false), ("/usr/share/gocode/src", false), ("src/a:b", false),
            ("dir/user@host:repo", false), ("C:", false), ("a:b@c", false), ("weird:/path", false), (":/x", false),
            ("@", false), (":", false), ("::/", false),
        ]
        for (location, remote) in cases {
            #expect(RepositoryScanner.isURL(location) == remote, "\(location)")
        }
    }
}
