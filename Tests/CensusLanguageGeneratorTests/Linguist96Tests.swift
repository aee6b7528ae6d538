import CensusLanguageGenerator
import Foundation
import Testing

/// Data/languages.yml against Linguist 9.6's own languages.yml, read from the shared folder
/// (`../shared` beside the package or `$CENSUS_SHARED`) with a small reader of its own, so the
/// expected facts come from GitHub's file and not from our import of it.
@Suite("Linguist 9.6's languages in the data file")
struct Linguist96Tests {
    /// One language of Linguist's languages.yml: scalar keys and list keys, as written there.
    struct Upstream {
        var scalars: [String: String] = [:]
        var lists: [String: [String]] = [:]
    }

    static let missing = "shared data not found: set CENSUS_SHARED or put the shared folder at <package root>/../shared (needs data/linguist-9.6/languages.yml); skipping the Linguist 9.6 comparison"

    static func upstreamFile() -> String? {
        let candidates = [
            ProcessInfo.processInfo.environment["CENSUS_SHARED"],
            packageRoot.appendingPathComponent("../shared").standardized.path,
        ].compactMap { $0 }
        for base in candidates {
            if let text = try? String(contentsOfFile: base + "/data/linguist-9.6/languages.yml", encoding: .utf8) {
                return text
            }
        }
        return nil
    }

    /// Linguist's file is block-style YAML: `Name:` unindented, `  key: value` or `  key:` followed
    /// by `  - item` lines; values are bare or double-quoted.
    static func parse(_ text: String) -> [String: Upstream] {
        func unquote(_ s: Substring) -> String {
            let t = s.trimmingCharacters(in: .whitespaces)
            guard t.count >= 2, t.hasPrefix("\""), t.hasSuffix("\"") else { return t }
            return String(t.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
                .replacingOccurrences(of: "\\\\", with: "\\")
        }
        var languages: [String: Upstream] = [:]
        var name: String?
        var listKey: String?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("#") || line == "---" { continue }
            if !line.hasPrefix(" ") {
                name = String(line.dropLast())
                languages[name!] = Upstream()
                listKey = nil
            } else if let name, line.hasPrefix("  - ") {
                if let listKey { languages[name]?.lists[listKey, default: []].append(unquote(line.dropFirst(4))) }
            } else if let name, line.hasPrefix("  "), let colon = line.firstIndex(of: ":") {
                let key = line[line.index(line.startIndex, offsetBy: 2)..<colon].trimmingCharacters(in: .whitespaces)
                let value = line[line.index(after: colon)...]
                if value.trimmingCharacters(in: .whitespaces).isEmpty {
                    listKey = key
                } else {
                    listKey = nil
                    languages[name]?.scalars[key] = unquote(value)
                }
            }
        }
        return languages
    }

    @Test func everyLanguageAndItsFactsAreLinguist96s() throws {
        guard let text = Self.upstreamFile() else {
            print(Self.missing)
            return
        }
        let upstream = Self.parse(text)
        // `grep -c '^[^ #-].*:$' languages.yml` in the shared copy gives 829, the issue's figure.
        #expect(upstream.count == 829)
        #expect(upstream["Swift"]?.scalars["color"] == "#F05138")

        let yaml = try String(contentsOf: packageRoot.appendingPathComponent(LanguageTableEmitter.dataPath), encoding: .utf8)
        let ours = Dictionary(try LanguageDataFile(yaml: yaml).languages.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(Set(ours.keys) == Set(upstream.keys), "only ours: \(Set(ours.keys).subtracting(upstream.keys).sorted()); only Linguist's: \(Set(upstream.keys).subtracting(ours.keys).sorted())")

        var wrong: [String] = []
        for (name, theirs) in upstream.sorted(by: { $0.key < $1.key }) {
            guard let entry = ours[name] else { continue }
            func check<T: Equatable>(_ what: String, _ a: T, _ b: T) {
                if a != b { wrong.append("\(name) \(what): ours \(a), Linguist's \(b)") }
            }
            check("type", entry.type, theirs.scalars["type"] ?? "")
            check("color", entry.color ?? "", theirs.scalars["color"] ?? "")
            check("group", entry.group ?? "", theirs.scalars["group"] ?? "")
            check("language_id", entry.linguistID.map(String.init) ?? "", theirs.scalars["language_id"] ?? "")
            check("aliases", entry.aliases, theirs.lists["aliases"] ?? [])
            check("extensions", entry.extensions, theirs.lists["extensions"] ?? [])
            check("filenames", entry.filenames, theirs.lists["filenames"] ?? [])
            check("interpreters", entry.interpreters, theirs.lists["interpreters"] ?? [])
        }
        #expect(wrong.isEmpty, "\(wrong.count) differences, first: \(wrong.prefix(20))")
    }
}
