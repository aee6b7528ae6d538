import Foundation
import Testing

@testable import CensusLanguages

/// Where detection's time goes, on one thread, over every file of the Linux kernel (the first
/// 128 KiB of each, read beforehand): the name-only detection the counting-only scan does, the
/// full Linguist classification, and its parts. Run with CENSUS_BENCH=1 in a release build;
/// bench/detection-overhead.sh measures the whole scan.
@Suite("Classification benchmarks", .serialized, .enabled(if: ProcessInfo.processInfo.environment["CENSUS_BENCH"] == "1"))
struct ClassifyBenchmarks {
    static let kernel = ProcessInfo.processInfo.environment["CENSUS_BENCH_KERNEL"] ?? "/tmp/census-bench/linux-source-6.1"

    static func best(_ runs: Int, _ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        var fastest = Double.infinity
        for _ in 0..<runs {
            let d = clock.measure(body)
            fastest = min(fastest, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
        }
        return fastest
    }

    @Test func kernelClassification() throws {
        guard let walker = FileManager.default.enumerator(atPath: Self.kernel) else { return }
        var files: [(path: [UInt8], name: [UInt8], data: [UInt8])] = []
        while let path = walker.nextObject() as? String {
            guard walker.fileAttributes?[.type] as? FileAttributeType == .typeRegular,
                let handle = FileHandle(forReadingAtPath: Self.kernel + "/" + path)
            else { continue }
            let data = [UInt8](try handle.read(upToCount: LinguistEngine.prefixLimit) ?? Data())
            try handle.close()
            if data.prefix(8000).contains(0) { continue }  // binary: the scanner skips it before detection
            files.append((Array(path.utf8), Array((path.split(separator: "/").last.map(String.init) ?? path).utf8), data))
        }
        let engine = LinguistEngine.shared
        func each(_ body: @escaping (UnsafeRawBufferPointer, UnsafeBufferPointer<UInt8>, UnsafeRawBufferPointer) -> Void) -> () -> Void {
            {
                for file in files {
                    file.path.withUnsafeBytes { path in
                        file.name.withUnsafeBufferPointer { name in file.data.withUnsafeBytes { body(path, name, $0) } }
                    }
                }
            }
        }
        var sink = 0
        let names = Self.best(5, each { _, name, data in sink &+= LanguageDetector().detect(fileName: name, prefix: data) == nil ? 0 : 1 })
        let full = Self.best(5, each { path, name, data in sink &+= engine.classify(path: path, name: name, data: data) == nil ? 0 : 1 })
        let detect = Self.best(5, each { _, name, data in sink &+= engine.detect(name: name, data: data) == nil ? 0 : 1 })
        let modeline = Self.best(5, each { _, _, data in sink &+= engine.modeline(data) == nil ? 0 : 1 })
        let paths = Self.best(5, each { path, _, _ in
            sink &+= (engine.vendoredRule(path) ?? 0) &+ (engine.documentationRule(path) ?? 0)
        })
        let generated = Self.best(5, each { path, _, data in sink &+= engine.generatedRule(path: path, data: data) == nil ? 0 : 1 })
        #expect(sink != 0)
        func ms(_ t: Double) -> String { String(format: "%.1f ms", t * 1e3) }
        print(
            """
            classification of \(files.count) kernel files on one thread:
              name-only detection (--detection names): \(ms(names))
              full classification: \(ms(full)) (+\(ms(full - names)))
              parts: detect \(ms(detect)) (of which modelines \(ms(modeline))), vendored+documentation paths \(ms(paths)), generated \(ms(generated))
            """)
    }
}
