/// Versions and module paths as the Go toolchain checks them in go.mod files: semantic versions
/// (`golang.org/x/mod/semver`), canonical module versions, major-version suffixes of module paths,
/// `go` and `toolchain` lines, and directory paths in `replace`.
enum GoVersionSyntax {
    /// The parts of a semantic version `vMAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]]`.
    struct Semver {
        var major: Range<Int>
        /// What the shorthand forms `v1` and `v1.2` lack: `.0.0`, `.0` or nothing.
        var missing: StaticString
        var build: Range<Int>?
    }

    /// Parses `v` as the toolchain's semver package does; nil when it is not a semantic version.
    static func parseSemver(_ v: UnsafeRawBufferPointer) -> Semver? {
        let n = v.count
        guard n > 0, v[0] == UInt8(ascii: "v") else { return nil }
        var i = 1
        guard let major = number(v, &i) else { return nil }
        if i == n { return Semver(major: major, missing: ".0.0", build: nil) }
        guard v[i] == UInt8(ascii: ".") else { return nil }
        i += 1
        guard number(v, &i) != nil else { return nil }
        if i == n { return Semver(major: major, missing: ".0", build: nil) }
        guard v[i] == UInt8(ascii: ".") else { return nil }
        i += 1
        guard number(v, &i) != nil else { return nil }
        if i < n && v[i] == UInt8(ascii: "-") {
            guard dottedIdentifiers(v, &i, prerelease: true) else { return nil }
        }
        var build: Range<Int>?
        if i < n && v[i] == UInt8(ascii: "+") {
            let start = i
            guard dottedIdentifiers(v, &i, prerelease: false) else { return nil }
            build = start..<i
        }
        guard i == n else { return nil }
        return Semver(major: major, missing: "", build: build)
    }

    /// A decimal number without leading zeros, advancing `i` past it.
    private static func number(_ v: UnsafeRawBufferPointer, _ i: inout Int) -> Range<Int>? {
        let start = i
        while i < v.count, v[i] >= UInt8(ascii: "0"), v[i] <= UInt8(ascii: "9") { i += 1 }
        guard i > start else { return nil }
        if v[start] == UInt8(ascii: "0") && i - start > 1 { return nil }
        return start..<i
    }

    /// `-a.b.c` (pre-release: numeric identifiers without leading zeros, up to `+`) or `+a.b.c`
    /// (build metadata, to the end), starting at the sign; advances `i` past them.
    private static func dottedIdentifiers(_ v: UnsafeRawBufferPointer, _ i: inout Int, prerelease: Bool) -> Bool {
        i += 1
        var start = i
        func badPart(_ part: Range<Int>) -> Bool {
            if part.isEmpty { return true }
            guard prerelease, part.count > 1, v[part.lowerBound] == UInt8(ascii: "0") else { return false }
            return part.allSatisfy { v[$0] >= UInt8(ascii: "0") && v[$0] <= UInt8(ascii: "9") }
        }
        while i < v.count && !(prerelease && v[i] == UInt8(ascii: "+")) {
            let c = v[i]
            let identChar = (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
                || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || c == UInt8(ascii: "-")
            if c == UInt8(ascii: ".") {
                if badPart(start..<i) { return false }
                start = i + 1
            } else if !identChar {
                return false
            }
            i += 1
        }
        return !badPart(start..<i)
    }

    /// What `module.CanonicalVersion` makes of a version.
    enum Canonical {
        /// Already canonical (the common case; nothing to allocate).
        case unchanged
        /// Shorthand completed (`v1.2` → `v1.2.0`) or build metadata dropped except `+incompatible`.
        case changed(String)
        /// Not a semantic version.
        case invalid
    }

    /// The canonical form of a module version, as `module.CanonicalVersion` gives it.
    static func canonicalModuleVersion(_ v: UnsafeRawBufferPointer) -> Canonical {
        guard let parsed = parseSemver(v) else { return .invalid }
        var end = v.count
        if let build = parsed.build {
            if GoText.equals(v, build, "+incompatible") { return .unchanged }
            end = build.lowerBound
        } else if parsed.missing.utf8CodeUnitCount == 0 {
            return .unchanged
        }
        var text = String(decoding: UnsafeRawBufferPointer(rebasing: v[0..<end]), as: UTF8.self)
        text += parsed.missing.description
        return .changed(text)
    }

    /// Whether `v` is a semantic version (`semver.IsValid`).
    static func isSemver(_ v: String) -> Bool {
        v.withUTF8Bytes { parseSemver($0) != nil }
    }

    /// `vMAJOR` of a version that is known to be a semantic version.
    static func major(_ version: String) -> String {
        version.withUTF8Bytes { v in
            guard let parsed = parseSemver(v) else { return "" }
            return "v" + String(decoding: UnsafeRawBufferPointer(rebasing: v[parsed.major]), as: UTF8.self)
        }
    }

    /// The major-version suffix of a module path (`/v2`, or `.v2` for gopkg.in; empty when there
    /// is none), as `module.SplitPathVersion` finds it; nil when the suffix is malformed (`/v1`,
    /// `/v02`, `/v2.1`, a gopkg.in path without `.vN`).
    static func pathMajor(_ path: String) -> String? {
        path.withUTF8Bytes { p -> String? in
            let n = p.count
            let isGopkg = n >= 9 && GoText.equals(p, 0..<9, "gopkg.in/")
            var i = n
            if isGopkg {
                if n >= 9 + 9 && GoText.equals(p, (n - 9)..<n, "-unstable") { i -= 9 }
                while i > 0 && p[i - 1] >= UInt8(ascii: "0") && p[i - 1] <= UInt8(ascii: "9") { i -= 1 }
                guard i > 1, p[i - 1] == UInt8(ascii: "v"), p[i - 2] == UInt8(ascii: ".") else { return nil }
                let major = UnsafeRawBufferPointer(rebasing: p[(i - 2)..<n])
                if major.count <= 2 || (major[2] == UInt8(ascii: "0") && !GoText.equals(major, 0..<major.count, ".v0")) { return nil }
                return String(decoding: major, as: UTF8.self)
            }
            var dot = false
            while i > 0 && ((p[i - 1] >= UInt8(ascii: "0") && p[i - 1] <= UInt8(ascii: "9")) || p[i - 1] == UInt8(ascii: ".")) {
                if p[i - 1] == UInt8(ascii: ".") { dot = true }
                i -= 1
            }
            if i <= 1 || i == n || p[i - 1] != UInt8(ascii: "v") || p[i - 2] != UInt8(ascii: "/") { return "" }
            let major = UnsafeRawBufferPointer(rebasing: p[(i - 2)..<n])
            if dot || major.count <= 2 || major[2] == UInt8(ascii: "0") || GoText.equals(major, 0..<major.count, "/v1") { return nil }
            return String(decoding: major, as: UTF8.self)
        }
    }

    /// Why `version` (canonical) does not suit a module path with major suffix `pathMajor`, as
    /// `module.CheckPathMajor` words it; nil when it does.
    static func pathMajorMismatch(version: String, pathMajor: String) -> String? {
        if pathMajor.isEmpty {
            // The common case, checked on the bytes: v0.x, v1.x or +incompatible.
            let u = version.utf8
            if u.starts(with: "v0.".utf8) || u.starts(with: "v1.".utf8) || u.reversed().starts(with: "elbitapmocni+".utf8) { return nil }
        }
        var pathMajor = pathMajor
        if pathMajor.utf8.starts(with: ".v".utf8) && pathMajor.utf8.reversed().starts(with: "elbatsnu-".utf8) { pathMajor.removeLast(9) }
        if version.utf8.starts(with: "v0.0.0-".utf8) && pathMajor == ".v1" { return nil }
        let m = major(version)
        var expected: String
        if pathMajor.isEmpty {
            if m == "v0" || m == "v1" || version.utf8.reversed().starts(with: "elbitapmocni+".utf8) { return nil }
            expected = "v0 or v1"
        } else {
            expected = String(pathMajor.dropFirst())
            if m == expected { return nil }
        }
        return "should be \(expected), not \(m)"
    }

    /// Whether `v` is a valid `go` line version (`1.23`, `1.23.0`, `1.21rc1`), the current toolchain's
    /// `^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$`.
    static func isValidGoVersion(_ v: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        guard i < v.count, v[i] != UInt8(ascii: "0"), number(v, &i) != nil else { return false }
        guard i < v.count, v[i] == UInt8(ascii: ".") else { return false }
        i += 1
        guard number(v, &i) != nil else { return false }
        if i < v.count && v[i] == UInt8(ascii: ".") {
            i += 1
            guard number(v, &i) != nil else { return false }
        }
        if i == v.count { return true }
        let letters = i
        while i < v.count && v[i] >= UInt8(ascii: "a") && v[i] <= UInt8(ascii: "z") { i += 1 }
        guard i > letters else { return false }
        let digits = i
        while i < v.count && v[i] >= UInt8(ascii: "0") && v[i] <= UInt8(ascii: "9") { i += 1 }
        return i > digits && i == v.count
    }

    /// Whether `name` is a valid `toolchain` name: `default`, `go1`, or `go1.` followed by anything
    /// (the toolchain's deliberately loose `^default$|^go1($|\.)`).
    static func isValidToolchain(_ name: UnsafeRawBufferPointer) -> Bool {
        let n = name.count
        if GoText.equals(name, 0..<n, "default") || GoText.equals(name, 0..<n, "go1") { return true }
        return n >= 4 && GoText.equals(name, 0..<4, "go1.")
    }

    /// Whether the right side of a `replace` is a directory (`./x`, `../x`, `.`, `..`, rooted, or a
    /// Windows drive or backslash path) rather than a module path.
    static func isDirectoryPath(_ s: String) -> Bool {
        let u8 = s.utf8
        if u8.elementsEqual(".".utf8) || u8.elementsEqual("..".utf8) { return true }
        for prefix in ["./", ".\\", "../", "..\\", "/", "\\"] where u8.starts(with: prefix.utf8) { return true }
        let u = Array(s.utf8.prefix(2))
        return u.count == 2 && ((u[0] >= UInt8(ascii: "A") && u[0] <= UInt8(ascii: "Z")) || (u[0] >= UInt8(ascii: "a") && u[0] <= UInt8(ascii: "z")))
            && u[1] == UInt8(ascii: ":")
    }
}
