import CensusPeople
import Foundation
import Testing

/// The fixtures beside these tests, written by hand for them in the shapes of gitdm's files.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    /// Every fixture rule file, the bad ones excepted.
    static func database() throws -> AffiliationDatabase {
        try AffiliationDatabase.load(
            affiliations: [path("developers_affiliations.txt")], domainMap: [path("domain-map")], aliases: [path("aliases")],
            namesMapping: [path("company-names-mapping")], companyMap: [path("company-map")], csv: [path("affiliations.csv")])
    }
}

/// The package root, found from this file.
enum Package {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}

/// `../shared/data/gitdm` beside the package (or `$CENSUS_SHARED/data/gitdm`): gitdm's real rule
/// files, present on developer machines and CI but never committed. Tests that use it skip when
/// it is absent.
enum SharedGitdm {
    static let directory: String? = {
        let candidates: [String?] = [
            ProcessInfo.processInfo.environment["CENSUS_SHARED"],
            Package.root.appendingPathComponent("../shared").standardized.path,
        ]
        for case let root? in candidates {
            let gitdm = root + "/data/gitdm"
            if files.allSatisfy({ FileManager.default.fileExists(atPath: gitdm + "/" + $0) }) { return gitdm }
        }
        return nil
    }()

    static let files = ["developers_affiliations5.txt", "domain-map", "aliases", "company-names-mapping", "company-map"]

    static var isAvailable: Bool { directory != nil }

    static let missing = Comment(
        rawValue: "shared gitdm data not found: set CENSUS_SHARED or put the shared folder at <package root>/../shared "
            + "(needs data/gitdm/developers_affiliations5.txt, domain-map, aliases, company-names-mapping, company-map); "
            + "skipping the real-data tests")

    static func path(_ name: String) -> String {
        (directory ?? "/nonexistent") + "/" + name
    }
}

extension AffiliationDatabase {
    /// The company name of `email` on `date` (`YYYY-MM-DD`).
    func name(_ email: String, _ date: String) -> String? {
        company(email: email, date: date)?.company.name
    }
}

extension Day {
    /// A day written in a test, known to be valid.
    static func test(_ text: String) -> Day {
        Day(text) ?? Day(daysSinceEpoch: .min)
    }
}

extension Array where Element == PeopleDiagnostic {
    /// `file:line severity` of each diagnostic in a file, with the file reduced to its name.
    var summary: [String] {
        map { "\(URL(fileURLWithPath: $0.location.file).lastPathComponent):\($0.location.line) \($0.severity.rawValue)" }
    }
}
