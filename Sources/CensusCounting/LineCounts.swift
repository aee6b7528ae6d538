/// Line totals: every line is exactly one of code, comment or blank.
public struct LineCounts: Hashable, Sendable, Codable {
    public var code: Int
    public var comments: Int
    public var blanks: Int

    public init(code: Int = 0, comments: Int = 0, blanks: Int = 0) {
        self.code = code
        self.comments = comments
        self.blanks = blanks
    }

    /// All lines: code + comments + blanks.
    @inlinable
    public var lines: Int { code + comments + blanks }

    @inlinable
    public static func += (lhs: inout LineCounts, rhs: LineCounts) {
        lhs.code += rhs.code
        lhs.comments += rhs.comments
        lhs.blanks += rhs.blanks
    }
}
