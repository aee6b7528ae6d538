/// A module path with an optional version, as on either side of a `replace` or in an `exclude`.
public struct GoModuleVersion: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    /// The canonical version (`v1.2.0` for `v1.2`), or nil where none is given (the left side of a
    /// `replace` for all versions, or a directory on its right side).
    public var version: String?

    public init(path: String, version: String? = nil) {
        self.path = path
        self.version = version
    }

    /// `path version`, or `path` alone.
    public var description: String { version.map { "\(path) \($0)" } ?? path }
}

/// A `replace` directive of a go.mod or go.work file: `old [version] => new [version]`.
public struct GoModuleReplacement: Sendable, Hashable {
    public var old: GoModuleVersion
    /// A module path with its version, or a directory (`./fork`, `/abs`, `C:\x`) without one.
    public var new: GoModuleVersion
    public var location: GoSourceLocation

    public init(old: GoModuleVersion, new: GoModuleVersion, location: GoSourceLocation) {
        self.old = old
        self.new = new
        self.location = location
    }
}

/// A `godebug key=value` setting of a go.mod or go.work file.
public struct GoDebugSetting: Sendable, Hashable {
    public var key: String
    public var value: String
    public var location: GoSourceLocation

    public init(key: String, value: String, location: GoSourceLocation) {
        self.key = key
        self.value = value
        self.location = location
    }
}
