// Regenerates Sources/CensusLanguages/LanguageTable+Generated.swift and LanguageIndexes+Generated.swift
// from Data/languages.yml, and LinguistRules+Generated.swift from Data/linguist-rules.yml.
//
//   swift run census-generate-languages [--check] [PACKAGE_ROOT]
//
// With --check it writes nothing and exits 1 when the checked-in file is stale.
import CensusLanguageGenerator
import Foundation

var check = false
var root = FileManager.default.currentDirectoryPath
for argument in CommandLine.arguments.dropFirst() {
    if argument == "--check" { check = true } else { root = argument }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("census-generate-languages: \(message)\n".utf8))
    exit(2)
}

let dataURL = URL(fileURLWithPath: root).appendingPathComponent(LanguageTableEmitter.dataPath)
let yaml: String
do {
    yaml = try String(contentsOf: dataURL, encoding: .utf8)
} catch {
    fail("cannot read \(dataURL.path): \(error.localizedDescription)")
}
let data: LanguageDataFile
do {
    data = try LanguageDataFile(yaml: yaml)
} catch {
    fail("\(dataURL.path): \(error)")
}
let rulesURL = URL(fileURLWithPath: root).appendingPathComponent(LinguistRulesEmitter.dataPath)
let rules: LinguistRulesFile
do {
    let text = try String(contentsOf: rulesURL, encoding: .utf8)
    rules = try LinguistRulesFile(yaml: text, languageNames: Set(data.languages.map(\.name)))
} catch {
    fail("\(rulesURL.path): \(error)")
}

let outputs: [(path: String, source: String)] = [
    (LanguageTableEmitter.outputPath, LanguageTableEmitter.swiftSource(for: data)),
    (LanguageIndexEmitter.outputPath, LanguageIndexEmitter.swiftSource(for: data)),
    (LinguistRulesEmitter.outputPath, LinguistRulesEmitter.swiftSource(for: rules)),
]
var stale = false
for (path, source) in outputs {
    let url = URL(fileURLWithPath: root).appendingPathComponent(path)
    let current = try? String(contentsOf: url, encoding: .utf8)
    if current == source {
        print("\(path) is up to date")
        continue
    }
    if check {
        FileHandle.standardError.write(Data("\(path) is stale: run `swift run census-generate-languages`\n".utf8))
        stale = true
        continue
    }
    do {
        try source.write(to: url, atomically: true, encoding: .utf8)
    } catch {
        fail("cannot write \(url.path): \(error.localizedDescription)")
    }
    print("wrote \(path)")
}
exit(stale ? 1 : 0)
