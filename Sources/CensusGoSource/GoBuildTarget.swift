/// The platform and tags Go packages are loaded for: what `go/build`'s `Context` holds when the go
/// command loads a package (GOOS, GOARCH, cgo, `-tags`, the release and tool tags of Go 1.19).
///
/// ```swift
/// let target = GoBuildTarget(goos: "linux", goarch: "amd64")
/// target.matches(tag: "unix")   // true
/// ```
public struct GoBuildTarget: Sendable, Hashable, CustomStringConvertible {
    public var goos: String
    public var goarch: String
    /// Whether cgo is enabled (the go command's `CGO_ENABLED`); files that import "C" are built
    /// only then.
    public var cgoEnabled: Bool
    /// Extra build tags (`-tags a,b`).
    public var tags: [String]

    /// A target; `cgoEnabled` defaults to whether Go 1.19 supports cgo on that platform
    /// (`go tool dist list -json`), as the go command defaults `CGO_ENABLED` for a native build.
    public init(goos: String = "linux", goarch: String = "amd64", cgoEnabled: Bool? = nil, tags: [String] = []) {
        self.goos = goos
        self.goarch = goarch
        self.cgoEnabled =
            cgoEnabled ?? Self.platforms.contains { $0.goos == goos && $0.goarch == goarch && $0.cgo }
        self.tags = tags
    }

    /// `goos/goarch`, with the tags when there are some.
    public var description: String { "\(goos)/\(goarch)" + (tags.isEmpty ? "" : " tags " + tags.joined(separator: ",")) }

    /// Every first-class and secondary platform of Go 1.19 (`go tool dist list`), cgo as it defaults.
    public static func allPlatforms(tags: [String] = []) -> [GoBuildTarget] {
        platforms.map { GoBuildTarget(goos: $0.goos, goarch: $0.goarch, cgoEnabled: $0.cgo, tags: tags) }
    }

    /// Whether the platform is known to Go 1.19.
    public var isKnownPlatform: Bool { Self.platforms.contains { $0.goos == goos && $0.goarch == goarch } }

    /// Whether a build tag is satisfied, as `go/build.Context.matchTag` decides.
    public func matches(tag: String) -> Bool {
        if cgoEnabled && tag == "cgo" { return true }
        if tag == goos || tag == goarch || tag == "gc" { return true }
        if goos == "android" && tag == "linux" { return true }
        if goos == "illumos" && tag == "solaris" { return true }
        if goos == "ios" && tag == "darwin" { return true }
        if tag == "unix" && Self.unixOS.contains(goos) { return true }
        let name = tag == "boringcrypto" ? "goexperiment.boringcrypto" : tag
        if tags.contains(name) { return true }
        if toolTags.contains(name) { return true }
        return Self.releaseTags.contains(name)
    }

    /// Go 1.19's default experiments: the register ABI on the platforms that have it.
    var toolTags: [String] {
        ["amd64", "arm64", "ppc64", "ppc64le", "riscv64"].contains(goarch)
            ? ["goexperiment.regabiwrappers", "goexperiment.regabiargs"] : []
    }

    /// Whether a file name's `_GOOS`, `_GOARCH` or `_GOOS_GOARCH` suffix admits it
    /// (`go/build.Context.goodOSArchFile`): everything from the first `.` is cut, then everything
    /// before the first `_`, then a final `_test`.
    public func admits(fileName: some Collection<UInt8>) -> Bool {
        guard let suffix = GoFileName.platformSuffix(fileName) else { return true }
        if let os = suffix.os, let arch = suffix.arch { return matches(tag: arch) && matches(tag: os) }
        return matches(tag: suffix.os ?? suffix.arch ?? "")
    }

    static let releaseTags: [String] = (1...19).map { "go1.\($0)" }

    static let knownOS: Set<String> = [
        "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl",
        "netbsd", "openbsd", "plan9", "solaris", "windows", "zos",
    ]
    static let unixOS: Set<String> = [
        "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "linux", "netbsd", "openbsd",
        "solaris",
    ]
    static let knownArch: Set<String> = [
        "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips", "mipsle", "mips64",
        "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le", "riscv", "riscv64", "s390", "s390x",
        "sparc", "sparc64", "wasm",
    ]

    /// `go tool dist list -json` of Go 1.19: platform and whether cgo is supported there.
    static let platforms: [(goos: String, goarch: String, cgo: Bool)] = [
        ("aix", "ppc64", true), ("android", "386", true), ("android", "amd64", true), ("android", "arm", true),
        ("android", "arm64", true), ("darwin", "amd64", true), ("darwin", "arm64", true),
        ("dragonfly", "amd64", true), ("freebsd", "386", true), ("freebsd", "amd64", true),
        ("freebsd", "arm", true), ("freebsd", "arm64", true), ("illumos", "amd64", true), ("ios", "amd64", true),
        ("ios", "arm64", true), ("js", "wasm", false), ("linux", "386", true), ("linux", "amd64", true),
        ("linux", "arm", true), ("linux", "arm64", true), ("linux", "loong64", true), ("linux", "mips", true),
        ("linux", "mips64", true), ("linux", "mips64le", true), ("linux", "mipsle", true),
        ("linux", "ppc64", false), ("linux", "ppc64le", true), ("linux", "riscv64", true),
        ("linux", "s390x", true), ("netbsd", "386", true), ("netbsd", "amd64", true), ("netbsd", "arm", true),
        ("netbsd", "arm64", true), ("openbsd", "386", true), ("openbsd", "amd64", true),
        ("openbsd", "arm", true), ("openbsd", "arm64", true), ("openbsd", "mips64", true),
        ("plan9", "386", false), ("plan9", "amd64", false), ("plan9", "arm", false), ("solaris", "amd64", true),
        ("windows", "386", true), ("windows", "amd64", true), ("windows", "arm", false),
        ("windows", "arm64", true),
    ]
}

/// File-name rules of the go command.
enum GoFileName {
    /// The GOOS and GOARCH a file name's suffix names, if any (`x_linux.go`, `x_amd64_test.go`,
    /// `x_linux_arm64.go`); `nil` when it names neither.
    static func platformSuffix(_ name: some Collection<UInt8>) -> (os: String?, arch: String?)? {
        let stem = name.prefix { $0 != UInt8(ascii: ".") }
        guard let underscore = stem.firstIndex(of: UInt8(ascii: "_")) else { return nil }
        var parts = stem[underscore...].split(separator: UInt8(ascii: "_"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        if parts.last == "test" { parts.removeLast() }
        let n = parts.count
        if n >= 2 && GoBuildTarget.knownOS.contains(parts[n - 2]) && GoBuildTarget.knownArch.contains(parts[n - 1]) {
            return (parts[n - 2], parts[n - 1])
        }
        if n >= 1 && GoBuildTarget.knownOS.contains(parts[n - 1]) { return (parts[n - 1], nil) }
        if n >= 1 && GoBuildTarget.knownArch.contains(parts[n - 1]) { return (nil, parts[n - 1]) }
        return nil
    }

    static func hasSuffix(_ name: [UInt8], _ suffix: String) -> Bool {
        let s = Array(suffix.utf8)
        return name.count >= s.count && name[(name.count - s.count)...].elementsEqual(s)
    }
}
