// TEMPORARY: replaced by IgnoreRules.swift (being written); delete when it lands.
package struct IgnoreFile: Sendable {
    package init(contents: [UInt8], origin: String) {}
    package init(patterns: [String], origin: String) {}
    package var isEmpty: Bool { true }
    package func match(_ path: UnsafeBufferPointer<UInt8>, isDirectory: Bool) -> IgnoreMatch { .unmatched }
}
package enum IgnoreMatch: Sendable, Equatable { case unmatched, ignored, included }
