import CensusCorpus
import Foundation
import Testing

/// The fixtures beside these tests, written by hand for them.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }
}

/// `../shared` beside the package (or `$CENSUS_SHARED`): data other people made, present on
/// developer machines and CI but never committed. Tests that use it skip when it is absent.
enum SharedLandscape {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let directory: String? = {
        let candidates: [String?] = [
            ProcessInfo.processInfo.environment["CENSUS_SHARED"],
            packageRoot.appendingPathComponent("../shared").standardized.path,
        ]
        for case let root? in candidates {
            let landscape = root + "/data/landscape"
            if FileManager.default.fileExists(atPath: landscape + "/" + current)
                && FileManager.default.fileExists(atPath: landscape + "/" + processed)
            {
                return landscape
            }
        }
        return nil
    }()

    static let current = "landscape-2026-08.yml"
    static let processed = "processed_landscape_2020-11-24.yml"

    static var isAvailable: Bool { directory != nil }

    static let missing =
        "shared data not found: set CENSUS_SHARED or put the shared folder at <package root>/../shared (needs data/landscape/\(current) and \(processed)); skipping the real-landscape tests"

    static func path(_ name: String) -> String {
        (directory ?? "/nonexistent") + "/" + name
    }
}

extension CorpusManifest {
    /// Parses `text` (as UTF-8) with `origin` as its name.
    static func parse(_ text: String, origin: String = "test", format: Format? = nil) throws -> CorpusManifest {
        try parse(bytes: Array(text.utf8), origin: origin, format: format)
    }

    /// The entry with this key.
    func entry(_ key: String) -> CorpusEntry? {
        entries.first { $0.key == key }
    }

    /// `line: severity` of each diagnostic, for compact comparison.
    var diagnosticLines: [String] {
        diagnostics.map { "\($0.location.line): \($0.severity.rawValue)" }
    }
}
