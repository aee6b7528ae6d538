// Regenerates Sources/CensusLanguages/LanguageTable+Generated.swift from Data/languages.yml.
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
let outputURL = URL(fileURLWithPath: root).appendingPathComponent(LanguageTableEmitter.outputPath)
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
let source = LanguageTableEmitter.swiftSource(for: data)
let current = try? String(contentsOf: outputURL, encoding: .utf8)
if check {
    if current == source {
        print("\(LanguageTableEmitter.outputPath) is up to date (\(data.languages.count) languages)")
        exit(0)
    }
    FileHandle.standardError.write(
        Data("\(LanguageTableEmitter.outputPath) is stale: run `swift run census-generate-languages`\n".utf8))
    exit(1)
}
if current == source {
    print("\(LanguageTableEmitter.outputPath) unchanged (\(data.languages.count) languages)")
} else {
    do {
        try source.write(to: outputURL, atomically: true, encoding: .utf8)
    } catch {
        fail("cannot write \(outputURL.path): \(error.localizedDescription)")
    }
    print("wrote \(LanguageTableEmitter.outputPath) (\(data.languages.count) languages)")
}
