/// A Git LFS pointer file: the small text blob LFS commits in place of a large file.
///
/// Recognised by git-lfs's specification (docs/spec.md, v1): lines of `key value\n`, a single
/// space between, keys of `[a-z0-9.-]`, `version` first and the other keys in ascending order,
/// `oid sha256:<64 hex digits>` and `size <bytes>` required. The version is compared as a plain
/// string against the URLs git-lfs accepts (`https://git-lfs.github.com/spec/v1` and the two
/// pre-release ones). Like git-lfs, blobs of 1024 bytes or more are never pointers, and a missing
/// newline at the very end is tolerated; other keys (`ext-0-…`) are allowed, as the spec asks.
public struct GitLFSPointer: Sendable, Equatable {
    /// Blobs this size or larger are not pointers (git-lfs's cut-off).
    public static let maximumSize = 1024

    /// The versions git-lfs accepts: the public one and its two pre-release names.
    public static let versions = [
        "https://git-lfs.github.com/spec/v1", "https://hawser.github.com/spec/v1", "http://git-media.io/v/2",
    ]

    /// The spec URL the pointer names.
    public var version: String
    /// The SHA-256 of the real content, 64 lowercase hexadecimal digits.
    public var oid: String
    /// The size of the real content in bytes.
    public var size: Int

    /// Parses `bytes` as a pointer file; `nil` if they are not one.
    public init?(parsing bytes: some Collection<UInt8>) {
        guard bytes.count < Self.maximumSize, bytes.first == UInt8(ascii: "v") else { return nil }
        var lines = Array(bytes).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        var previousKey: ArraySlice<UInt8>? = nil
        var version: String? = nil
        var oid: String? = nil
        var size: Int? = nil
        for (number, line) in lines.enumerated() {
            guard let space = line.firstIndex(of: UInt8(ascii: " ")) else { return nil }
            let key = line[line.startIndex..<space]
            let value = line[(space + 1)...]
            guard !key.isEmpty, key.allSatisfy(Self.isKeyByte), !value.isEmpty,
                !value.contains(UInt8(ascii: "\r"))
            else { return nil }
            if number == 0 {
                guard key.elementsEqual("version".utf8) else { return nil }
                let text = String(decoding: value, as: UTF8.self)
                guard Self.versions.contains(text) else { return nil }
                version = text
                continue
            }
            if let previousKey, !previousKey.lexicographicallyPrecedes(key) { return nil }
            previousKey = key
            if key.elementsEqual("oid".utf8) {
                let prefix = Array("sha256:".utf8)
                guard value.count == prefix.count + 64, value.starts(with: prefix) else { return nil }
                let digits = value.dropFirst(prefix.count)
                guard digits.allSatisfy(Self.isHexByte) else { return nil }
                oid = String(decoding: digits, as: UTF8.self).lowercased()
            } else if key.elementsEqual("size".utf8) {
                guard value.count <= 18, value.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
                else { return nil }
                size = value.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            }
        }
        guard let version, let oid, let size else { return nil }
        self.version = version
        self.oid = oid
        self.size = size
    }

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
    }

    private static func isHexByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }
}
